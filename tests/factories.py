"""Test data made through the services (so their rules apply), with the system actor.

A published dataset goes the whole way a real one does: a draft is created, its table uploaded
(``catalog.upload_resource``, which queues its validation), the validation job run for real
(``validation.tasks.validate_resource``, what the worker does after the upload commits), then
it is submitted and published through the review lifecycle (``review.services``), which writes
its version and events. Nothing sets a state or a validation verdict directly."""

from __future__ import annotations

import io
from typing import Any

from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind
from satudata.authz import SystemActor
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    CollectionMethod,
    DataKind,
    Dataset,
    DatasetState,
    DataStatus,
    Frequency,
    Licence,
    PresentationLevel,
    Resource,
    Topic,
)
from satudata.extensions import db
from satudata.review import services as review

SYSTEM = SystemActor("tests")

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_org(slug: str | None = None, **fields: Any) -> Organization:
    n = _next()
    fields.setdefault("name", f"Dinas Uji {n}")
    fields.setdefault("kind", OrganizationKind.OPD)
    return accounts.create_organization(SYSTEM, slug=slug or f"dinas-uji-{n}", **fields)


def make_topic(slug: str = "kependudukan", name: str = "Kependudukan") -> Topic:
    topic = Topic(slug=slug, name=name)
    db.session.add(topic)
    db.session.flush()
    return topic


def make_licence(id: str = "cc-by-4.0", title: str = "Creative Commons Attribution 4.0") -> Licence:
    lic = db.session.get(Licence, id)
    if lic is None:
        lic = Licence(id=id, title=title, url="https://creativecommons.org/licenses/by/4.0/")
        db.session.add(lic)
        db.session.flush()
    return lic


CSV = (
    "kode_wilayah,kecamatan,laki_laki,perempuan\n"
    "14.07.01,Kubu,20350,19410\n"
    "14.07.02,Bangko,45012,43988\n"
    "14.07.03,Tanah Putih,38120,36790\n"
)


# Satu Data metadata a dataset must have before it is submitted (catalog.METADATA_FIELDS'
# required ones); a test's own values win.
METADATA: dict[str, Any] = {
    "description": "Tabel contoh untuk pengujian portal.",
    "satuan": "jiwa",
    "frequency": Frequency.TIDAK_TENTU,
    "presentation_level": PresentationLevel.KECAMATAN,
    "kode_wilayah": "76",  # Sulawesi Barat: outside the Riau codes tests filter on
    "data_source": "Administrasi kependudukan",
    "collection_method": CollectionMethod.ADMINISTRASI,
    "data_kind": DataKind.STATISTIK_SEKTORAL,
    "data_status": DataStatus.TETAP,
    "contact_name": "Seksi Data",
    "contact_email": "data@dinas-uji.go.id",
}
DEFAULT_TOPIC = ("umum", "Umum")


def _default_topic() -> Topic:
    topic = db.session.scalar(db.select(Topic).where(Topic.slug == DEFAULT_TOPIC[0]))
    return topic or make_topic(*DEFAULT_TOPIC)


def validate(resource: Resource) -> str:
    """Run the validation job of ``resource``'s queued run, here and now (what the validation
    worker does once the upload committed); returns the verdict."""
    from satudata.validation.tasks import latest_run, schema_fingerprint, validate_resource

    db.session.commit()  # the job reads what the upload committed, as a worker would
    run = latest_run(resource.id)
    return validate_resource(resource.id, resource.sha256, schema_fingerprint(resource),
                             run.id if run is not None else None)


def submit_dataset(ds: Dataset, note: str = "") -> Dataset:
    """The producer's move, by the system actor; committed."""
    review.submit_dataset(SYSTEM, ds, note=note)
    db.session.commit()
    return ds


def publish_dataset(ds: Dataset, note: str = "", *, index: bool = True) -> Dataset:
    """Submit (unless submitted) and publish ``ds`` through the lifecycle; committed, and
    indexed as the search worker would after the commit unless ``index=False``."""
    if ds.state != DatasetState.SUBMITTED:
        review.submit_dataset(SYSTEM, ds)
    review.publish_dataset(SYSTEM, ds, note=note)
    db.session.commit()
    if index:
        _index(ds)
    return ds


def withdraw_dataset(ds: Dataset, reason: str = "Data ditarik untuk diperbaiki.", *, index: bool = True) -> Dataset:
    """Withdraw a published dataset through the lifecycle; committed (and the index follows)."""
    review.withdraw_dataset(SYSTEM, ds, reason=reason)
    db.session.commit()
    if index:
        _index(ds)
    return ds


def _index(ds: Dataset) -> None:
    # What the search queue's worker does after the commit (tests/search covers the worker).
    from satudata.search.tasks import sync_dataset

    sync_dataset(ds.id)


def make_dataset(
    org: Organization | None = None,
    *,
    publish: bool = True,
    index: bool = True,
    csv: str | None = CSV,
    document: str | None = None,
    **fields: Any,
) -> Dataset:
    """A dataset of ``org`` with a validated CSV table (``csv``; None: no table) and, with
    ``document``, a link to a document at that URL; published (``publish=False``: a draft).
    Required metadata is filled from ``METADATA`` where the test gives none; ``index=False``
    leaves the search job queued, for tests about the queue itself."""
    org = org or make_org()
    fields.setdefault("title", f"Jumlah Penduduk Uji {_next()}")
    fields.setdefault("year", 2025)
    for key, value in METADATA.items():
        fields.setdefault(key, value)
    if "topics" not in fields:
        fields["topics"] = [_default_topic()]
    if "licence_id" not in fields:
        fields["licence_id"] = make_licence().id
    ds = catalog.create_dataset(SYSTEM, org, **fields)
    table = None
    if csv is not None:
        table = catalog.upload_resource(SYSTEM, ds, io.BytesIO(csv.encode()), filename="penduduk.csv",
                                        name="Penduduk per kecamatan")
    if document is not None:
        catalog.add_workspace_link(SYSTEM, ds, url=document, name="Dokumen pendukung", format="PDF")
    db.session.commit()
    if table is not None:
        validate(table)
    if publish:
        publish_dataset(ds, index=index)
    return ds


def find_in_database(text: str = "", filters: dict[str, list[str]] | None = None, **options: Any) -> Any:
    """The catalogue's SQL translator alone (what answers while the engine is down), asked in
    the site's terms: every filter value must hold, a named sort, a page, the list's facets."""
    options.setdefault("facets", ("organization", "topic", "tag", "format", "year", "licence"))
    return catalog.query_database(catalog.DatasetQuery.of(text, filters, **options))
