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
writes its version and events. Not everything went smoothly (``satudata.demo.setbacks``): a few
tables failed validation at their first upload and passed after a corrected re-upload, and a
few submissions were sent back by the walidata, corrected and submitted again, so the kinerja
dashboard shows a region's real mix rather than a perfect score. The PPID's requests are filed
and answered through the PPID services by the demo's PPID officers (and by anonymous visitors
and the applicants themselves).
Figures are generated deterministically (``satudata.demo.catalogue.build_catalogue`` is pure).
Loading again skips what exists.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from sqlalchemy import select

from satudata.accounts.models import Organization
from satudata.authz import Actor, SystemActor
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, Resource, Topic
from satudata.catalog.storage import get_store
from satudata.db import unit_of_work
from satudata.demo.catalogue import build_catalogue
from satudata.demo.daftar import create_daftar
from satudata.demo.organizations import create_licences, create_organizations, create_topics, create_users
from satudata.demo.ppid import create_ppid
from satudata.demo.setbacks import FLAWED_UPLOADS, SENT_BACK, SentBack, first_upload
from satudata.demo.specs import DatasetSpec
from satudata.demo.statistik import create_statistik
from satudata.demo.tables import Table, rng, spread
from satudata.demo.usulan import create_usulan
from satudata.extensions import db
from satudata.review import services as review
from satudata.validation.models import ValidationRun
from satudata.validation.services import infer_schema, sync_builtin_schemas
from satudata.validation.tasks import validate_in_session

__all__ = ["build_catalogue", "has_data", "load_demo"]


def has_data() -> bool:
    """Whether the database holds any dataset (then ``satudata run --demo`` loads nothing)."""
    return db.session.scalar(select(Dataset.id).limit(1)) is not None


def _create_dataset(actor: Actor, spec: DatasetSpec, orgs: dict[str, Organization], topics: dict[str, Topic]) -> Dataset:
    sent_back = SENT_BACK.get(spec.slug) if spec.state == DatasetState.PUBLISHED else None
    # A dataset the walidata will send back is created as its OPD first wrote it.
    fields = {**spec.fields, **({sent_back.field: sent_back.first} if sent_back is not None else {})}
    dataset = catalog.create_dataset(
        actor, orgs[spec.organization], title=spec.title, slug=spec.slug,
        topics=[topics[t] for t in spec.topics], tags=list(spec.tags),
        description=spec.description, walidata=orgs[spec.walidata], **fields,
    )
    for t in spec.tables:
        _add_table(actor, dataset, t)
    if spec.state in (DatasetState.SUBMITTED, DatasetState.PUBLISHED):
        review.submit_dataset(actor, dataset, note="Mohon diperiksa sebelum rilis.")
    if sent_back is not None:
        _send_back(actor, dataset, spec, sent_back)
    if spec.state == DatasetState.PUBLISHED:
        review.publish_dataset(actor, dataset, note="Rilis data demo.")
        _backdate(dataset, spec)
    return dataset


def _add_table(actor: Actor, dataset: Dataset, t: Table) -> Resource:
    """Upload ``t``, with the Table Schema the portal infers from it, and validate it: every demo
    table passes at last, as a published table must. A table of ``FLAWED_UPLOADS`` is first
    uploaded as its OPD first wrote it, fails against that Table Schema (the template the OPD
    fills in), and is then corrected by a re-upload, which keeps the failed file in its history."""
    flawed = FLAWED_UPLOADS.get(t.filename)
    store = get_store()
    first = t.to_csv() if flawed is None else first_upload(t, flawed)
    resource = catalog.add_resource_file(actor, dataset, io.BytesIO(first), filename=t.filename, name=t.name,
                                         description=t.description)
    assert resource.sha256 is not None
    corrected = resource.sha256 if flawed is None else store.put_bytes(t.to_csv()).sha256
    resource.table_schema = infer_schema(store.path(corrected), "csv")
    verdict = validate_in_session(resource)
    if flawed is None:
        return resource
    if verdict != "invalid":
        raise AssertionError(f"{t.filename}: the first upload ({flawed}) passed validation ({verdict})")
    catalog.replace_resource_file(actor, resource, io.BytesIO(t.to_csv()), filename=t.filename)
    # The row count and columns the re-upload cleared: what the validation worker's job would
    # write again (this validation runs here, in the loader's transaction).
    catalog.summarise_table(resource)
    verdict = validate_in_session(resource)
    if verdict != "valid":
        raise AssertionError(f"{t.filename}: the corrected table failed validation ({verdict})")
    return resource


def _send_back(actor: Actor, dataset: Dataset, spec: DatasetSpec, sent_back: SentBack) -> None:
    """The walidata returns the submission with a note on the field written wrongly; the OPD
    writes the dataset's own value there and submits again (the walidata publishes next)."""
    review.request_changes(actor, dataset, message=sent_back.message, field_notes={sent_back.field: sent_back.note})
    catalog.update_dataset(actor, dataset, {sent_back.field: spec.fields[sent_back.field]})
    review.submit_dataset(actor, dataset, note="Sudah diperbaiki sesuai catatan walidata.")


def _backdate(dataset: Dataset, spec: DatasetSpec) -> None:
    """Move a published demo dataset's history to the demo calendar, so "newest" and "most
    downloaded" are stable: created some days before its publication, submitted a day or two
    before it, published then (its ReviewEvents and version too).

    A dataset the walidata sent back (``SENT_BACK``) was first submitted days earlier: the
    walidata asked for changes a few days after that and the OPD took a few more to submit
    again (another generator, so the other datasets keep their dates). A table corrected by a
    re-upload (``FLAWED_UPLOADS``) was uploaded again halfway between the dataset's creation and
    its first submission; every validation run is dated with the upload it judged."""
    assert spec.published_at is not None
    published = spec.published_at
    r = rng("riwayat", spec.slug)
    dataset.published_at = published
    created = published - timedelta(days=r.randint(3, 40), hours=r.randint(0, 8))
    submitted = published - timedelta(days=r.randint(1, 2), hours=r.randint(0, 6))
    first_submitted = submitted
    moments: dict[str, list[datetime]] = {"submit": [submitted], "publish": [published]}
    if spec.slug in SENT_BACK:
        back = rng("perbaikan", spec.slug)
        returned = submitted - timedelta(days=back.randint(2, 6), hours=back.randint(0, 8))
        first_submitted = returned - timedelta(days=back.randint(2, 5), hours=back.randint(1, 7))
        moments = {"submit": [first_submitted, submitted], "request_changes": [returned], "publish": [published]}
        created = min(created, first_submitted - timedelta(days=back.randint(3, 10)))
    for event in sorted(review.list_events(dataset), key=lambda e: e.id):
        event.created_at = moments[event.action].pop(0)
    dataset.created_at = created
    dataset.updated_at = published
    dataset.download_count = spec.download_count
    dataset.view_count = spec.view_count
    for version in dataset.versions:
        version.created_at = published
    reuploaded = created + timedelta(minutes=(first_submitted - created) // timedelta(minutes=2))  # halfway
    counts = spread(spec.download_count, [1.0 / (i + 1) for i in range(len(dataset.resources))])
    for resource, downloads in zip(dataset.resources, counts, strict=True):
        resource.created_at = created
        resource.updated_at = published
        resource.download_count = downloads
        _date_uploads(resource, created, reuploaded)


def _date_uploads(resource: Resource, first: datetime, again: datetime) -> None:
    """Date a demo table's uploads: the file it replaced (if any) at ``first`` and its current
    file at ``again``, or its only file at ``first``; each validation run with the file it judged."""
    when = {revision.sha256: first for revision in resource.revisions}
    for revision in resource.revisions:
        revision.uploaded_at, revision.replaced_at = first, again
    if resource.revisions:
        resource.uploaded_at = again
    for run in db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == resource.id)):
        moment = when.get(run.sha256, again if resource.revisions else first)
        run.created_at = run.started_at = run.finished_at = moment


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

