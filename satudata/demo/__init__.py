"""Demo data: a Satu Data portal of Provinsi Riau that feels real.

The walidata Diskominfotik Provinsi Riau; the governments and OPD of Provinsi Riau, Kabupaten
Rokan Hilir, Kabupaten Pelalawan and Kota Dumai; users for every role (passwords in
docs/demo-data.md, demo only); topics and licences; and about fifty datasets with CSV tables of
plausible figures, real Kemendagri region codes and names, and full Satu Data metadata, plus a
few drafts and a submission that the public must never see; this year's Daftar Data, whose
items those datasets fulfil (with a few still due and one late); and the PPID's public information
requests of this year and the last, with their objections, and its DIP (``satudata.demo.ppid``).

Everything is created through the account and catalogue services with ``SystemActor("demo")``,
so their rules apply and the audit log records it: each table is validated for real, and each
dataset is submitted and published through the review lifecycle (``review.services``), which
writes its version and events. The PPID's requests are filed and answered through the PPID
services by the demo's PPID officers (and by anonymous visitors and the applicants themselves).
Figures are generated deterministically (``satudata.demo.catalogue.build_catalogue`` is pure).
Loading again skips what exists.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import click
from sqlalchemy import select

from satudata.accounts.models import Organization
from satudata.authz import Actor, SystemActor
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, Topic
from satudata.catalog.storage import get_store
from satudata.db import unit_of_work
from satudata.demo.catalogue import build_catalogue
from satudata.demo.daftar import create_daftar
from satudata.demo.organizations import create_licences, create_organizations, create_topics, create_users
from satudata.demo.ppid import create_ppid
from satudata.demo.specs import DatasetSpec
from satudata.demo.statistik import create_statistik
from satudata.demo.tables import rng, spread
from satudata.demo.usulan import create_usulan
from satudata.extensions import db
from satudata.review import services as review
from satudata.validation.services import infer_schema, sync_builtin_schemas
from satudata.validation.tasks import validate_in_session

__all__ = ["build_catalogue", "has_data", "load_demo"]


def has_data() -> bool:
    """Whether the database holds any dataset (then ``satudata run --demo`` loads nothing)."""
    return db.session.scalar(select(Dataset.id).limit(1)) is not None


def _create_dataset(actor: Actor, spec: DatasetSpec, orgs: dict[str, Organization], topics: dict[str, Topic]) -> Dataset:
    dataset = catalog.create_dataset(
        actor, orgs[spec.organization], title=spec.title, slug=spec.slug,
        topics=[topics[t] for t in spec.topics], tags=list(spec.tags),
        description=spec.description, walidata=orgs[spec.walidata], **spec.fields,
    )
    for t in spec.tables:
        resource = catalog.add_resource_file(actor, dataset, io.BytesIO(t.to_csv()), filename=t.filename,
                                             name=t.name, description=t.description)
        # Every demo table carries the Table Schema the portal infers from it and has passed
        # validation, as a published table must.
        assert resource.sha256 is not None
        resource.table_schema = infer_schema(get_store().path(resource.sha256), "csv")
        validate_in_session(resource)
    if spec.state in (DatasetState.SUBMITTED, DatasetState.PUBLISHED):
        review.submit_dataset(actor, dataset, note="Mohon diperiksa sebelum rilis.")
    if spec.state == DatasetState.PUBLISHED:
        review.publish_dataset(actor, dataset, note="Rilis data demo.")
        _backdate(dataset, spec)
    return dataset


def _backdate(dataset: Dataset, spec: DatasetSpec) -> None:
    """Move a published demo dataset's history to the demo calendar, so "newest" and "most
    downloaded" are stable: created some days before its publication, submitted a day or two
    before it, published then (its ReviewEvents and version too)."""
    assert spec.published_at is not None
    r = rng("riwayat", spec.slug)
    dataset.published_at = spec.published_at
    dataset.created_at = spec.published_at - timedelta(days=r.randint(3, 40), hours=r.randint(0, 8))
    dataset.updated_at = spec.published_at
    dataset.download_count = spec.download_count
    dataset.view_count = spec.view_count
    for version in dataset.versions:
        version.created_at = spec.published_at
    submitted = spec.published_at - timedelta(days=r.randint(1, 2), hours=r.randint(0, 6))
    for event in review.list_events(dataset):
        event.created_at = submitted if event.action == "submit" else spec.published_at
    counts = spread(spec.download_count, [1.0 / (i + 1) for i in range(len(dataset.resources))])
    for resource, downloads in zip(dataset.resources, counts, strict=True):
        resource.created_at = dataset.created_at
        resource.updated_at = spec.published_at
        resource.download_count = downloads


def load_demo(progress: bool = False) -> dict[str, int]:
    """Load the demo data in one unit of work (all of it is committed, or nothing when it
    fails); returns how many of each thing were created.

    Anything that already exists (same slug or username) is left as it is, so loading twice
    creates nothing the second time.
    """
    with unit_of_work():
        return _load(progress)


def _load(progress: bool) -> dict[str, int]:
    say: Callable[[str], None] = click.echo if progress else (lambda _message: None)
    actor = SystemActor("demo")

    say("• Lisensi dan topik …")
    licences = create_licences(actor)
    topics, n_topics = create_topics(actor)
    say("• Organisasi perangkat daerah …")
    orgs, n_orgs = create_organizations(actor)
    say("• Pengguna demo …")
    n_users = create_users(actor, orgs)
    specs = build_catalogue()
    say(f"• Dataset dan tabel CSV ({len(specs)} dataset) …")
    existing = set(db.session.scalars(select(Dataset.slug).where(Dataset.slug.in_([s.slug for s in specs]))))
    made = [_create_dataset(actor, spec, orgs, topics) for spec in specs if spec.slug not in existing]
    sync_builtin_schemas(actor)
    say("• Daftar Data tahun ini …")
    n_daftar = create_daftar(actor)
    say("• Permohonan informasi publik (PPID) dan DIP …")
    ppid = create_ppid()
    say("• Usulan data dari warga …")
    n_usulan = create_usulan(actor)
    say("• Metadata statistik BPS …")
    create_statistik(actor)

    published = sum(1 for d in made if d.state == DatasetState.PUBLISHED)
    stats = {
        "licences": licences,
        "topics": n_topics,
        "organizations": n_orgs,
        "users": n_users,
        "datasets": len(made),
        "published": published,
        "resources": sum(len(d.resources) for d in made),
        "daftar_items": n_daftar,
        "usulan": n_usulan,
        **ppid,
    }
    say(f"• Selesai: {stats['organizations']} organisasi, {stats['users']} pengguna, {stats['datasets']} dataset "
        f"({published} terbit), {stats['resources']} tabel, {stats['ppid_requests']} permohonan informasi.")
    return stats

