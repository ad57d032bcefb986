"""Catalogue services: create datasets, store resources, snapshot what a version keeps, and
query the public catalogue (datasets, resources, published versions; a withdrawn dataset is
``Gone`` with its reason where the portal's pages and REST API ask). HTML views, the CKAN
Action API and the REST API all call these, so they never disagree about what is public.
Publishing is the review domain's (``review.services``): nothing here changes a state.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from flask import current_app
from slugify import slugify
from sqlalchemy import Select, String, and_, cast, false, func, intersect, or_, select, true, update
from sqlalchemy.orm import aliased, selectinload

from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, require
from satudata.catalog import tables
from satudata.catalog import tags as tags_rules
from satudata.catalog.models import (
    AccessClass,
    Dataset,
    DatasetState,
    DatasetVersion,
    Frequency,
    Licence,
    Resource,
    Tag,
    Topic,
    dataset_tag,
    dataset_topic,
)
from satudata.catalog.storage import get_store
from satudata.errors import Conflict, Gone, Invalid, NotFound
from satudata.extensions import db

__all__ = [
    "MEDIA_TYPES",
    "FILTER_KEYS",
    "SORTS",
    "get_or_create_tags",
    "tag_names",
    "create_dataset",
    "add_resource_file",
    "add_resource_link",
    "summarise_table",
    "snapshot",
    "Withdrawal",
    "use_withdrawal_notes",
    "public_filter",
    "get_public_dataset",
    "get_public_resource",
    "get_version",
    "list_versions",
    "version_file",
    "record_download",
    "get_topic",
    "list_topics",
    "list_licences",
    "topic_counts",
    "organization_counts",
    "tag_counts",
    "SearchResult",
    "find_datasets",
    "catalogue_counts",
    "QUERY_FILTER_KEYS",
    "QUERY_SORT_KEYS",
    "QUERY_FACET_KEYS",
    "DatasetFilter",
    "DatasetSlice",
    "query_public_datasets",
    "list_public_dataset_slugs",
    "list_public_tags",
]

MEDIA_TYPES = {
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
    "JSON": "application/json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel",
    "PDF": "application/pdf",
    "GEOJSON": "application/geo+json",
    "ZIP": "application/zip",
}

# Filter keys understood by ``find_datasets``.
FILTER_KEYS = ("organization", "topic", "tag", "format", "year", "licence", "kode_wilayah", "frequency")
SORTS = ("relevance", "newest", "modified", "name", "downloads")


# --------------------------------------------------------------------------- writes


# Words that name pages under /dataset/ (suggestions) and so cannot be a dataset's address.
RESERVED_SLUGS = frozenset({"saran", "baru"})


SLUG_MAX = 90  # leaves room for "-2" ... and a revision's "~revisi" within the column's 100


def slug_from(title: str) -> str:
    """A dataset address from its title, cut after a whole word (not "...-januari-202")."""
    full = slugify(title) or "dataset"
    if len(full) <= SLUG_MAX:
        return full
    head = full[: SLUG_MAX + 1]
    return head.rsplit("-", 1)[0] if "-" in head else full[:SLUG_MAX]


def _unique_slug(base: str) -> str:
    slug = slug_from(base)
    candidate, n = slug, 2
    while candidate in RESERVED_SLUGS or db.session.scalar(
            select(func.count()).select_from(Dataset).where(Dataset.slug == candidate)):
        candidate = f"{slug}-{n}"
        n += 1
    return candidate


def tag_names(texts: Sequence[str]) -> list[str]:
    """The CKAN-valid names of tags as written (``catalog.tags``), without repeats, in order;
    a tag of fewer than two usable characters is refused (``Invalid``, field ``tags``)."""
    names: list[str] = []
    for text in texts:
        if not str(text).strip():
            continue
        try:
            name = tags_rules.tag_name(text)
        except tags_rules.TagTooShort:
            message = f'Kata kunci "{str(text).strip()[:20]}" terlalu pendek: paling sedikit 2 huruf atau angka.'
            raise Invalid(message, details={"tags": [message]}) from None
        if name not in names:
            names.append(name)
    return names


def get_or_create_tags(texts: Sequence[str]) -> list[Tag]:
    """The tags written ``texts``: each found by its CKAN-valid name, or created with the text
    as first written for its display name."""
    names = tag_names(texts)  # refuses a tag too short
    written: dict[str, str] = {}
    for text in texts:
        if str(text).strip():
            written.setdefault(tags_rules.tag_name(text), tags_rules.display_text(text))
    tags: list[Tag] = []
    for name in names:
        tag = db.session.scalar(select(Tag).where(Tag.name == name))
        if tag is None:
            tag = Tag(name=name, display_name=written[name])
            db.session.add(tag)
        tags.append(tag)
    return tags


def create_dataset(
    actor: Actor,
    organization: Organization,
    *,
    title: str,
    slug: str | None = None,
    topics: list[Topic] | None = None,
    tags: list[str] | None = None,
    **fields: Any,
) -> Dataset:
    """Create a draft dataset for ``organization`` (it moves on only through the review
    lifecycle, ``review.services``)."""
    require(actor, Permission.CATALOG_DATASET_CREATE, organization)
    if not title.strip():
        raise Invalid("Judul wajib diisi.", details={"title": ["Judul wajib diisi."]})
    if slug:
        if slug in RESERVED_SLUGS:
            raise Invalid(f'"{slug}" tidak dapat dipakai sebagai alamat dataset.', details={"slug": ["Alamat ini dipakai portal."]})
        if db.session.scalar(select(func.count()).select_from(Dataset).where(Dataset.slug == slug)):
            raise Conflict(f"Dataset dengan slug '{slug}' sudah ada.")
    else:
        slug = _unique_slug(title)
    if "state" in fields:
        raise ValueError("a dataset starts as a draft; its state changes through review.transitions")
    dataset = Dataset(slug=slug, title=title.strip(), organization=organization, state=DatasetState.DRAFT, **fields)
    dataset.topics = list(topics or [])
    dataset.tags = get_or_create_tags(tags or [])
    db.session.add(dataset)
    db.session.flush()
    audit(actor, "dataset.create", "dataset", dataset.id, {"slug": slug, "title": title})
    return dataset


def add_resource_file(
    actor: Actor,
    dataset: Dataset,
    stream: BinaryIO,
    *,
    filename: str,
    name: str | None = None,
    description: str = "",
    format: str | None = None,
) -> Resource:
    """Store an uploaded file as a new resource of ``dataset``.

    The file is streamed to content-addressed storage under the configured size limit. For
    tables, the row count and a column summary are computed from the stored copy.
    """
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    ext = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fmt = (format or ext).upper() or None
    stored = get_store().put(stream, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
    media_type = MEDIA_TYPES.get(fmt or "") or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    resource = Resource(
        dataset=dataset,
        position=len(dataset.resources),
        name=name or filename,
        description=description,
        format=fmt,
        media_type=media_type,
        sha256=stored.sha256,
        size=stored.size,
        filename=filename,
    )
    summarise_table(resource)
    db.session.add(resource)
    db.session.flush()
    audit(actor, "resource.create", "resource", resource.id,
          {"dataset": dataset.slug, "filename": filename, "sha256": stored.sha256, "size": stored.size})
    return resource


def summarise_table(resource: Resource) -> None:
    """Row count and column summary of a stored CSV/TSV (what previews and the API show)."""
    resource.row_count = None
    resource.columns = None
    if resource.format in ("CSV", "TSV") and resource.sha256:
        summary = tables.summarise(get_store().path(resource.sha256))
        if summary is not None:
            resource.row_count = summary.row_count
            resource.columns = summary.columns


def add_resource_link(
    actor: Actor, dataset: Dataset, *, url: str, name: str, format: str | None = None, description: str = ""
) -> Resource:
    """Add an external link (for documents that are not tables)."""
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    if not re.match(r"^https?://", url):
        raise Invalid("Tautan harus diawali http:// atau https://.", details={"url": ["Tautan tidak valid."]})
    resource = Resource(dataset=dataset, position=len(dataset.resources), name=name, url=url,
                        format=(format or "").upper() or None, description=description,
                        media_type=MEDIA_TYPES.get((format or "").upper()))
    db.session.add(resource)
    db.session.flush()
    audit(actor, "resource.create", "resource", resource.id, {"dataset": dataset.slug, "url": url})
    return resource


def snapshot(dataset: Dataset) -> dict[str, Any]:
    """The metadata and resources of ``dataset`` as plain values, for a DatasetVersion."""
    from satudata.catalog.services.snapshots import DatasetSnapshotSchema

    return DatasetSnapshotSchema().dump(dataset)


# --------------------------------------------------------------------------- reads


def public_filter() -> Any:
    return and_(Dataset.state == DatasetState.PUBLISHED, Dataset.access_class == AccessClass.PUBLIK)


@dataclass(frozen=True)
class Withdrawal:
    """Why and when a withdrawn dataset was taken off (public: its old links say so)."""

    reason: str
    at: datetime | None


# Why a dataset was withdrawn is the review domain's (its ReviewEvents), a higher domain, so
# it hands its lookup to the catalogue when the app starts (``review.init_app``).
WithdrawalNotes = Callable[[Dataset], Withdrawal | None]
_withdrawal_notes: WithdrawalNotes | None = None


def use_withdrawal_notes(lookup: WithdrawalNotes) -> None:
    """Register how the catalogue learns why a dataset was withdrawn (review does, at start-up)."""
    global _withdrawal_notes
    _withdrawal_notes = lookup


_WIB = ZoneInfo("Asia/Jakarta")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")


def _gone(dataset: Dataset) -> Gone:
    """The answer to an old link of a withdrawn dataset: withdrawn, when, and the public reason."""
    notes = _withdrawal_notes(dataset) if _withdrawal_notes is not None else None
    when = ""
    if notes is not None and notes.at is not None:
        local = notes.at.astimezone(_WIB)
        when = f" pada {local.day} {_MONTHS[local.month - 1]} {local.year}"
    message = f'Dataset "{dataset.title}" telah ditarik dari portal oleh walidata{when}.'
    details: dict[str, Any] = {}
    if notes is not None and notes.reason:
        message += f" Alasan: {notes.reason}"
        details["reason"] = [notes.reason]
    if notes is not None and notes.at is not None:
        details["withdrawn_at"] = [notes.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
    return Gone(message, details=details)


def _withdrawn(key: str) -> Dataset | None:
    """A withdrawn dataset by slug or id that the public could once see (a dataset that was
    never public stays 'not found')."""
    return db.session.scalar(select(Dataset).where(
        or_(Dataset.slug == key, Dataset.id == key), Dataset.state == DatasetState.WITHDRAWN,
        Dataset.access_class == AccessClass.PUBLIK))


def get_public_dataset(key: str, *, explain_withdrawn: bool = False) -> Dataset:
    """A published, public dataset by slug or id; anything else is 'not found' to the public.

    ``explain_withdrawn``: a withdrawn dataset is ``Gone`` (410) saying when and why instead
    (the portal's pages and REST API; the CKAN API answers 'not found' as CKAN does).
    """
    ds = db.session.scalar(
        select(Dataset)
        .where(or_(Dataset.slug == key, Dataset.id == key), public_filter())
        .options(selectinload(Dataset.resources), selectinload(Dataset.topics), selectinload(Dataset.tags))
    )
    if ds is None:
        withdrawn = _withdrawn(key) if explain_withdrawn else None
        if withdrawn is not None:
            raise _gone(withdrawn)
        raise NotFound(f"Dataset '{key}' tidak ditemukan.")
    return ds


def get_public_resource(resource_id: str, *, explain_withdrawn: bool = False) -> Resource:
    """A resource of a public dataset; ``explain_withdrawn`` as for :func:`get_public_dataset`."""
    res = db.session.scalar(
        select(Resource).join(Resource.dataset).where(Resource.id == resource_id, public_filter())
    )
    if res is None:
        if explain_withdrawn:
            dataset_id = db.session.scalar(select(Resource.dataset_id).where(Resource.id == resource_id))
            withdrawn = _withdrawn(dataset_id) if dataset_id is not None else None
            if withdrawn is not None:
                raise _gone(withdrawn)
        raise NotFound(f"Sumber data '{resource_id}' tidak ditemukan.")
    return res


def list_versions(dataset: Dataset) -> list[DatasetVersion]:
    """A dataset's published versions, newest first (give it a public dataset:
    :func:`get_public_dataset`)."""
    return list(db.session.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
                                   .order_by(DatasetVersion.number.desc())))


def get_version(dataset: Dataset, number: int) -> DatasetVersion:
    """Version ``number`` of ``dataset``, or ``NotFound``."""
    version = None
    if 0 < number < 2**31:
        version = db.session.scalar(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id,
                                                                 DatasetVersion.number == number))
    if version is None:
        raise NotFound(f"Dataset '{dataset.slug}' tidak memiliki versi {number}.")
    return version


def version_file(version: DatasetVersion, sha256: str) -> dict[str, Any]:
    """The resource of ``version`` whose stored file has digest ``sha256`` (its snapshot:
    name, filename, media type, size), or ``NotFound``. The store keeps every file a version
    names (``storage.referenced_files``), so old versions stay downloadable."""
    for resource in (version.snapshot or {}).get("resources") or []:
        if isinstance(resource, dict) and sha256 and resource.get("sha256") == sha256:
            return resource
    raise NotFound(f"Versi {version.number} dataset ini tidak memiliki berkas itu.")


def record_download(resource: Resource) -> None:
    """Count a download (a statistic, not an audited change)."""
    db.session.execute(
        update(Resource).where(Resource.id == resource.id)
        .values(download_count=Resource.download_count + 1, updated_at=Resource.updated_at)
    )
    # updated_at is kept as it is: a download is not a change of metadata, and harvesters
    # re-fetch whatever has a newer metadata_modified.
    db.session.execute(
        update(Dataset).where(Dataset.id == resource.dataset_id)
        .values(download_count=Dataset.download_count + 1, updated_at=Dataset.updated_at)
    )


def get_topic(slug: str) -> Topic:
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        raise NotFound(f"Topik '{slug}' tidak ditemukan.")
    return topic


def list_topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.name)))


def list_licences() -> list[Licence]:
    return list(db.session.scalars(select(Licence).order_by(Licence.title)))


def topic_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(dataset_topic.c.topic_id, func.count())
        .join(Dataset, Dataset.id == dataset_topic.c.dataset_id)
        .where(public_filter())
        .group_by(dataset_topic.c.topic_id)
    )
    return {tid: n for tid, n in rows}


def organization_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(Dataset.organization_id, func.count()).where(public_filter()).group_by(Dataset.organization_id)
    )
    return {oid: n for oid, n in rows}


def tag_counts(limit: int | None = None) -> list[tuple[str, int]]:
    q = (
        select(Tag.name, func.count())
        .join(dataset_tag, dataset_tag.c.tag_id == Tag.id)
        .join(Dataset, Dataset.id == dataset_tag.c.dataset_id)
        .where(public_filter())
        .group_by(Tag.name)
        .order_by(func.count().desc(), Tag.name)
    )
    if limit:
        q = q.limit(limit)
    return [(name, n) for name, n in db.session.execute(q)]


@dataclass
class SearchResult:
    items: list[Dataset]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # key -> (value, label, count)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _apply_filters(q: Select[Any], text: str, filters: dict[str, list[str]]) -> Select[Any]:
    for word in text.split():
        tag_match = select(dataset_tag.c.dataset_id).join(Tag).where(
            or_(_contains(Tag.name, word), _contains(Tag.display_name, word)))
        q = q.where(or_(_contains(Dataset.title, word), _contains(Dataset.description, word),
                        Dataset.id.in_(tag_match)))
    id_sets: list[Select[Any]] = []  # met together, see _among
    for key, values in filters.items():
        for value in values:
            if key == "organization":
                q = q.where(Dataset.organization_id == select(Organization.id).where(Organization.slug == value)
                            .scalar_subquery())
            elif key == "topic":
                id_sets.append(select(dataset_topic.c.dataset_id).join(Topic).where(Topic.slug == value))
            elif key == "tag":
                id_sets.append(select(dataset_tag.c.dataset_id).join(Tag).where(Tag.name == tags_rules.lookup_key(value)))
            elif key == "format":
                id_sets.append(select(Resource.dataset_id).where(func.upper(Resource.format) == value.upper()))
            elif key == "year":
                if not value.isdigit():
                    raise Invalid(f"Tahun '{value}' tidak valid.", details={"year": ["Gunakan angka tahun, misalnya 2024."]})
                q = q.where(Dataset.year == int(value))
            elif key == "licence":
                q = q.where(Dataset.licence_id == value)
            elif key == "kode_wilayah":
                q = q.where(or_(Dataset.kode_wilayah == value, Dataset.kode_wilayah.like(f"{value}.%")))
            elif key == "frequency":
                if Frequency.parse(value) is None:
                    raise Invalid(f"Frekuensi '{value}' tidak dikenal.",
                                  details={"frequency": [f"Pilih salah satu: {', '.join(Frequency.values())}"]})
                q = q.where(Dataset.frequency == value)
            else:
                raise Invalid(f"Filter '{key}' tidak dikenal.", details={key: [f"Filter yang tersedia: {', '.join(FILTER_KEYS)}"]})
    return _among(q, id_sets)


def _among(q: Select[Any], id_sets: list[Select[Any]]) -> Select[Any]:
    """``q`` limited to datasets whose id is in every one of ``id_sets``, with one ``IN``.

    PostgreSQL turns each ``IN (subquery)`` of a WHERE's top-level AND into a semi-join, and
    its planning time grows exponentially with their number: 50 filter clauses took 40 s to
    plan (issue #16). One ``IN`` over their INTERSECT plans in milliseconds on both databases.
    """
    if not id_sets:
        return q
    return q.where(Dataset.id.in_(id_sets[0] if len(id_sets) == 1 else intersect(*id_sets)))


def find_datasets(
    text: str = "",
    filters: dict[str, list[str]] | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facet_keys: tuple[str, ...] = ("organization", "topic", "tag", "format", "year", "licence"),
    facet_limit: int = 50,
) -> SearchResult:
    """Query the public catalogue (a database query; full-text search replaces it later)."""
    filters = {k: [v for v in vs if v] for k, vs in (filters or {}).items() if vs}
    if sort not in SORTS:
        raise Invalid(f"Urutan '{sort}' tidak dikenal.", details={"sort": [f"Pilih salah satu: {', '.join(SORTS)}"]})
    if page < 1 or per_page < 1:
        raise Invalid("Halaman dan jumlah per halaman harus bilangan positif.")
    base = _apply_filters(select(Dataset.id).where(public_filter()), text.strip(), filters)
    ids = base.subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    orders: dict[str, list[Any]] = {
        "relevance": [Dataset.published_at.desc(), Dataset.title],
        "newest": [Dataset.published_at.desc(), Dataset.title],
        "modified": [Dataset.updated_at.desc(), Dataset.title],
        "name": [Dataset.title.asc()],
        "downloads": [Dataset.download_count.desc(), Dataset.title],
    }
    order = orders[sort]
    items = list(
        db.session.scalars(
            select(Dataset)
            .where(Dataset.id.in_(select(ids.c.id)))
            .options(selectinload(Dataset.resources), selectinload(Dataset.topics), selectinload(Dataset.tags),
                     selectinload(Dataset.organization), selectinload(Dataset.licence))
            .order_by(*order)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    facets = {key: _facet(key, ids, facet_limit) for key in facet_keys}
    return SearchResult(items=items, total=total, page=page, per_page=per_page, facets=facets)


def _facet(key: str, ids: Any, limit: int) -> list[tuple[str, str, int]]:
    in_ids = select(ids.c.id)
    q: Any
    if key == "organization":
        q = (select(Organization.slug, Organization.name, func.count())
             .join(Dataset, Dataset.organization_id == Organization.id)
             .where(Dataset.id.in_(in_ids)).group_by(Organization.slug, Organization.name))
    elif key == "topic":
        q = (select(Topic.slug, Topic.name, func.count()).join(dataset_topic, dataset_topic.c.topic_id == Topic.id)
             .where(dataset_topic.c.dataset_id.in_(in_ids)).group_by(Topic.slug, Topic.name))
    elif key == "tag":
        q = (select(Tag.name, func.coalesce(func.nullif(Tag.display_name, ""), Tag.name), func.count())
             .join(dataset_tag, dataset_tag.c.tag_id == Tag.id)
             .where(dataset_tag.c.dataset_id.in_(in_ids)).group_by(Tag.name, Tag.display_name))
    elif key == "format":
        fmt = func.upper(Resource.format)
        q = (select(fmt, fmt, func.count(func.distinct(Resource.dataset_id)))
             .where(Resource.dataset_id.in_(in_ids), Resource.format.is_not(None)).group_by(fmt))
    elif key == "year":
        q = (select(Dataset.year, Dataset.year, func.count()).where(Dataset.id.in_(in_ids), Dataset.year.is_not(None))
             .group_by(Dataset.year))
    elif key == "licence":
        q = (select(Licence.id, Licence.title, func.count()).join(Dataset, Dataset.licence_id == Licence.id)
             .where(Dataset.id.in_(in_ids)).group_by(Licence.id, Licence.title))
    else:
        raise Invalid(f"Facet '{key}' tidak dikenal.", details={"facet": [f"Facet yang tersedia: {', '.join(FILTER_KEYS)}"]})
    rows = [(str(v), str(label), int(n)) for v, label, n in db.session.execute(q)]
    rows.sort(key=lambda r: (-r[2], r[1]))
    return rows[:limit]


def catalogue_counts() -> dict[str, int]:
    return {
        "datasets": db.session.scalar(select(func.count()).select_from(Dataset).where(public_filter())) or 0,
        "organizations": db.session.scalar(
            select(func.count(func.distinct(Dataset.organization_id))).where(public_filter())) or 0,
        "resources": db.session.scalar(
            select(func.count()).select_from(Resource).join(Resource.dataset).where(public_filter())) or 0,
        "topics": db.session.scalar(select(func.count()).select_from(Topic)) or 0,
    }


# =========================================================================== CKAN Action API reads
# Added for satudata/api/ckan.py. CKAN clients page by offset (``start``/``rows``), filter with
# negated and OR-ed clauses and date ranges (``-organization:x``, ``tags:a OR tags:b``,
# ``metadata_modified:[2024-01-01T00:00:00Z TO *]`` as ckanext-harvest sends), and sort by
# explicit keys (``name asc``, ``id asc``); ``find_datasets`` above is page-based for the HTML
# list and offers none of that, so these reads sit beside it. Same public rule: published and
# ``publik`` only.

# Keys a ``DatasetFilter`` understands. ``organization`` matches an organisation's slug, its
# public UUID (CKAN's ``owner_org``) or its number.
QUERY_FILTER_KEYS = (
    "organization", "topic", "tag", "format", "licence", "year", "kode_wilayah", "frequency",
    "id", "slug", "modified", "created", "nothing", "num_resources", "num_tags", "title", "notes", "text",
    "author", "author_email", "maintainer", "maintainer_email", "res_name", "res_description", "res_url", "url",
    *(f"extra:{name}" for name in ("urusan", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "tahun",
                                   "periode", "frekuensi", "jadwal_rilis", "tingkat_penyajian", "kode_wilayah",
                                   "cakupan_wilayah", "sumber_data", "cara_pengumpulan", "jenis_data",
                                   "data_prioritas", "status_data", "klasifikasi_akses", "produsen_data",
                                   "walidata")),
)
# Sort keys of ``query_public_datasets`` and the column each one orders by.
QUERY_SORT_KEYS = ("modified", "created", "published", "title", "slug", "id", "downloads", "views")
# Facet keys (``_facet`` above computes them).
QUERY_FACET_KEYS = ("organization", "topic", "tag", "format", "year", "licence")


@dataclass(frozen=True)
class DatasetFilter:
    """One filter clause: the dataset matches when ``key`` equals any of ``values``.

    ``modified`` and ``created`` take a range (``since``/``until``, inclusive, either open)
    instead of values. An empty ``values`` matches nothing, so ``negate=True`` with no values
    matches everything. ``negate`` inverts the clause (datasets with no value match it).
    """

    key: str
    values: tuple[str, ...] = ()
    negate: bool = False
    since: datetime | None = None
    until: datetime | None = None
    low: int | None = None  # num_resources / num_tags: an inclusive range, either end open
    high: int | None = None


# Text the CKAN Action API's ``fq`` may match word by word (Solr text fields): its field name,
# and the columns (of the dataset ``d``, or ``organization`` ``o``) its value is looked for in.
TEXT_FILTERS = ("title", "notes", "text", "author", "author_email", "maintainer", "maintainer_email",
                "res_name", "res_description", "res_url", "url")
# CKAN extras (the Satu Data fields, ``api.ckan_dicts.satu_data_fields``) and their columns.
EXTRA_COLUMNS = {
    "urusan": "urusan", "konsep": "konsep", "definisi": "definisi", "klasifikasi": "klasifikasi",
    "ukuran": "ukuran", "satuan": "satuan", "tahun": "year", "periode": "period", "frekuensi": "frequency",
    "jadwal_rilis": "release_date", "tingkat_penyajian": "presentation_level", "kode_wilayah": "kode_wilayah",
    "cakupan_wilayah": "coverage", "sumber_data": "data_source", "cara_pengumpulan": "collection_method",
    "jenis_data": "data_kind", "data_prioritas": "is_priority", "status_data": "data_status",
    "klasifikasi_akses": "access_class",
}


def _contains(column: Any, value: str) -> Any:
    """``column`` holds ``value`` (case-insensitive, ``%`` and ``_`` literal): every text match
    of the database queries goes through here, so a "50%" typed by someone is never a wildcard."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(cast(column, String)).like(f"%{escaped}%", escape="\\")


def _text_condition(d: Any, key: str, value: str) -> Any:
    """A dataset (alias ``d``) whose text field ``key`` holds ``value``."""
    org = select(Organization.id)
    if key == "title":
        return _contains(d.title, value)
    if key == "notes":
        return _contains(d.description, value)
    if key == "url":
        return _contains(d.remote_url, value)
    if key == "author":
        return d.organization_id.in_(org.where(_contains(Organization.name, value)))
    if key == "author_email":
        return d.organization_id.in_(org.where(_contains(Organization.email, value)))
    if key == "maintainer":
        return or_(_contains(d.contact_name, value),
                   and_(d.contact_name.is_(None), d.organization_id.in_(org.where(_contains(Organization.name, value)))))
    if key == "maintainer_email":
        return or_(_contains(d.contact_email, value),
                   and_(d.contact_email.is_(None),
                        d.organization_id.in_(org.where(_contains(Organization.email, value)))))
    if key in ("res_name", "res_description", "res_url"):
        column = {"res_name": Resource.name, "res_description": Resource.description, "res_url": Resource.url}[key]
        return d.id.in_(select(Resource.dataset_id).where(_contains(column, value)))
    # "text": Solr's catch-all field
    return or_(_contains(d.title, value), _contains(d.description, value),
               d.organization_id.in_(org.where(_contains(Organization.name, value))),
               d.id.in_(select(dataset_tag.c.dataset_id).join(Tag, Tag.id == dataset_tag.c.tag_id)
                        .where(or_(_contains(Tag.name, value), _contains(Tag.display_name, value)))))


def _count_condition(d: Any, flt: DatasetFilter) -> Any:
    """``num_resources`` / ``num_tags`` equal to one of the values or within [low, high]."""
    if flt.key == "num_resources":
        counted = select(func.count(Resource.id)).where(Resource.dataset_id == d.id).scalar_subquery()
    else:
        counted = select(func.count()).select_from(dataset_tag).where(dataset_tag.c.dataset_id == d.id) \
            .scalar_subquery()
    if flt.values:
        return counted.in_([int(v) for v in flt.values])
    cond: Any = true()
    if flt.low is not None:
        cond = and_(cond, counted >= flt.low)
    if flt.high is not None:
        cond = and_(cond, counted <= flt.high)
    return cond


def _extra_condition(d: Any, name: str, values: list[str]) -> Any:
    """A Satu Data field (a CKAN extra) equal to one of ``values`` (text: holding it)."""
    if name == "produsen_data":
        return d.organization_id.in_(select(Organization.id).where(
            or_(false(), *[_contains(Organization.name, v) for v in values])))
    if name == "walidata":
        return d.walidata_id.in_(select(Organization.id).where(
            or_(false(), *[_contains(Organization.name, v) for v in values])))
    column = getattr(d, EXTRA_COLUMNS[name])
    if name == "data_prioritas":
        wanted = {v.lower() in ("true", "1", "ya") for v in values}
        return or_(false(), *[column.is_(w) for w in wanted])
    if name == "tahun":
        return column.in_([int(v) for v in values if v.isdigit()] or [-1])
    return or_(false(), *[_contains(column, v) for v in values])


@dataclass
class DatasetSlice:
    """One offset-paged slice of the public catalogue, with facets over the whole match."""

    items: list[Dataset]
    total: int
    offset: int
    limit: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def _sort_column(key: str) -> Any:
    return {
        "modified": Dataset.updated_at,
        "created": Dataset.created_at,
        "published": Dataset.published_at,
        "title": Dataset.title,
        "slug": Dataset.slug,
        "id": Dataset.id,
        "downloads": Dataset.download_count,
        "views": Dataset.view_count,
    }[key]


def _filter_ids(flt: DatasetFilter) -> Select[Any]:
    """The ids of all datasets (public or not) matching ``flt`` without its negation.

    Built on an alias so it never correlates with the outer query; the caller wraps it in
    ``IN`` or ``NOT IN``, which also keeps NULL columns right under negation.
    """
    d = aliased(Dataset)
    values = list(flt.values)
    cond: Any
    if flt.key == "organization":
        org_ids = select(Organization.id).where(or_(Organization.slug.in_(values), Organization.uuid.in_(values),
                                                    cast(Organization.id, String).in_(values)))
        cond = d.organization_id.in_(org_ids)
    elif flt.key == "topic":
        cond = d.id.in_(select(dataset_topic.c.dataset_id).join(Topic, Topic.id == dataset_topic.c.topic_id)
                        .where(Topic.slug.in_(values)))
    elif flt.key == "tag":
        cond = d.id.in_(select(dataset_tag.c.dataset_id).join(Tag, Tag.id == dataset_tag.c.tag_id)
                        .where(Tag.name.in_([tags_rules.lookup_key(v) for v in values])))
    elif flt.key == "format":
        cond = d.id.in_(select(Resource.dataset_id).where(func.upper(Resource.format).in_([v.upper() for v in values])))
    elif flt.key == "licence":
        cond = d.licence_id.in_(values)
    elif flt.key == "year":
        if not all(v.isdigit() for v in values):
            raise Invalid("Tahun harus berupa angka.", details={"year": ["Gunakan angka tahun, misalnya 2024."]})
        cond = d.year.in_([int(v) for v in values])
    elif flt.key == "kode_wilayah":
        cond = or_(false(), *[or_(d.kode_wilayah == v, d.kode_wilayah.like(f"{v}.%")) for v in values])
    elif flt.key == "frequency":
        known = [v for v in values if v in Frequency.values()]
        if len(known) != len(values):
            raise Invalid("Frekuensi tidak dikenal.",
                          details={"frequency": [f"Pilih salah satu: {', '.join(Frequency.values())}"]})
        cond = d.frequency.in_([Frequency(v) for v in known])
    elif flt.key == "id":
        cond = d.id.in_(values)
    elif flt.key == "slug":
        cond = d.slug.in_(values)
    elif flt.key in ("modified", "created"):
        column = d.updated_at if flt.key == "modified" else d.created_at
        cond = true()
        if flt.since is not None:
            cond = and_(cond, column >= flt.since)
        if flt.until is not None:
            cond = and_(cond, column <= flt.until)
    elif flt.key == "nothing":  # a field no dataset has (CKAN answers such an fq with no match)
        cond = false()
    elif flt.key in TEXT_FILTERS:
        cond = or_(false(), *[_text_condition(d, flt.key, v) for v in values])
    elif flt.key in ("num_resources", "num_tags"):
        cond = _count_condition(d, flt)
    elif flt.key.startswith("extra:") and (flt.key[6:] in EXTRA_COLUMNS or flt.key[6:] in ("produsen_data",
                                                                                          "walidata")):
        cond = _extra_condition(d, flt.key[6:], values)
    else:
        raise Invalid(f"Filter '{flt.key}' tidak dikenal.",
                      details={flt.key: [f"Filter yang tersedia: {', '.join(QUERY_FILTER_KEYS)}"]})
    return select(d.id).where(cond)


def query_public_datasets(
    text: str = "",
    filters: Sequence[Sequence[DatasetFilter]] = (),
    *,
    sort: Sequence[tuple[str, bool]] = (("modified", True),),
    offset: int = 0,
    limit: int = 10,
    facet_keys: Sequence[str] = (),
    facet_limit: int | None = 50,
) -> DatasetSlice:
    """An offset-paged query of the public catalogue.

    ``filters`` is a conjunction of groups; each group is a disjunction of ``DatasetFilter``
    clauses. ``sort`` lists ``(key, descending)`` pairs from ``QUERY_SORT_KEYS``; the id breaks
    ties so paging is stable. ``facet_limit=None`` returns every facet value.
    """
    if offset < 0 or limit < 0:
        raise Invalid("Offset dan limit tidak boleh negatif.")
    for key, _desc in sort:
        if key not in QUERY_SORT_KEYS:
            raise Invalid(f"Urutan '{key}' tidak dikenal.",
                          details={"sort": [f"Pilih salah satu: {', '.join(QUERY_SORT_KEYS)}"]})
    for key in facet_keys:
        if key not in QUERY_FACET_KEYS:
            raise Invalid(f"Facet '{key}' tidak dikenal.",
                          details={"facet": [f"Facet yang tersedia: {', '.join(QUERY_FACET_KEYS)}"]})
    base = _apply_filters(select(Dataset.id).where(public_filter()), text.strip(), {})
    id_sets: list[Select[Any]] = []  # plain clauses, met together (see _among)
    for group in filters:
        if len(group) == 1 and not group[0].negate:
            id_sets.append(_filter_ids(group[0]))
            continue
        alternatives = [
            Dataset.id.not_in(_filter_ids(flt)) if flt.negate else Dataset.id.in_(_filter_ids(flt))
            for flt in group
        ]
        if alternatives:
            base = base.where(or_(*alternatives))
    base = _among(base, id_sets)
    ids = base.subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    items: list[Dataset] = []
    if limit and offset < total:
        order = [_sort_column(key).desc() if desc else _sort_column(key).asc() for key, desc in sort]
        items = list(
            db.session.scalars(
                select(Dataset)
                .where(Dataset.id.in_(select(ids.c.id)))
                .options(selectinload(Dataset.resources), selectinload(Dataset.topics), selectinload(Dataset.tags),
                         selectinload(Dataset.organization), selectinload(Dataset.walidata),
                         selectinload(Dataset.licence))
                .order_by(*order, Dataset.id)
                .offset(offset)
                .limit(limit)
            )
        )
    unlimited = total + 1_000_000
    facets = {key: _facet(key, ids, unlimited if facet_limit is None else facet_limit) for key in facet_keys}
    return DatasetSlice(items=items, total=total, offset=offset, limit=limit, facets=facets)


def list_public_dataset_slugs(offset: int = 0, limit: int | None = None) -> list[str]:
    """Slugs of the public datasets in slug order (CKAN's ``package_list``)."""
    q = select(Dataset.slug).where(public_filter()).order_by(Dataset.slug).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return list(db.session.scalars(q))


def list_public_tags(query: str = "") -> list[tuple[Tag, int]]:
    """Tags used by public datasets, with their counts, in name order; ``query`` filters by
    substring (case-insensitive)."""
    q = (
        select(Tag, func.count())
        .join(dataset_tag, dataset_tag.c.tag_id == Tag.id)
        .join(Dataset, Dataset.id == dataset_tag.c.dataset_id)
        .where(public_filter())
        .group_by(Tag.id, Tag.name)
        .order_by(Tag.name)
    )
    if query.strip():
        q = q.where(or_(_contains(Tag.name, query.strip()), _contains(Tag.display_name, query.strip())))
    return [(tag, int(n)) for tag, n in db.session.execute(q)]
