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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from flask import current_app
from slugify import slugify
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

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
    Licence,
    Resource,
    Tag,
    Topic,
    dataset_tag,
    dataset_topic,
)
from satudata.catalog.services.query import contains, public_filter
from satudata.catalog.storage import get_store
from satudata.errors import Conflict, Gone, Invalid, NotFound
from satudata.extensions import db

__all__ = [
    "MEDIA_TYPES",
    "SORTS",
    "get_or_create_tags",
    "tag_names",
    "create_dataset",
    "add_resource_file",
    "add_resource_link",
    "add_resource_links",
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
    "catalogue_counts",
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

# The sort names of the site and the REST API (``query.SITE_SORTS``).
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


def add_resource_links(actor: Actor, dataset: Dataset, links: Sequence[dict[str, Any]]) -> list[Resource]:
    """Add several external links at once (a harvested record's resources): each ``{url, name,
    format?, description?}``; one flush and one audit row for all of them."""
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    for link in links:
        if not re.match(r"^https?://", str(link.get("url") or "")):
            raise Invalid("Tautan harus diawali http:// atau https://.", details={"url": ["Tautan tidak valid."]})
    made = []
    for link in links:
        fmt = (link.get("format") or "").upper() or None
        resource = Resource(dataset=dataset, position=len(dataset.resources), name=link["name"], url=link["url"],
                            format=fmt, description=link.get("description") or "", media_type=MEDIA_TYPES.get(fmt or ""))
        db.session.add(resource)
        made.append(resource)
    if made:
        db.session.flush()
        audit(actor, "resource.create", "dataset", dataset.id,
              {"dataset": dataset.slug, "resources": [{"id": r.id, "url": r.url} for r in made]})
    return made


def snapshot(dataset: Dataset) -> dict[str, Any]:
    """The metadata and resources of ``dataset`` as plain values, for a DatasetVersion."""
    from satudata.catalog.services.snapshots import DatasetSnapshotSchema

    return DatasetSnapshotSchema().dump(dataset)


# --------------------------------------------------------------------------- reads


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
    # A statistic: no cached read shows it, so the caches' generation stays (satudata/generations.py).
    db.session.execute(
        update(Resource).where(Resource.id == resource.id)
        .values(download_count=Resource.download_count + 1, updated_at=Resource.updated_at),
        execution_options={"statistic": True},
    )
    # updated_at is kept as it is: a download is not a change of metadata, and harvesters
    # re-fetch whatever has a newer metadata_modified.
    db.session.execute(
        update(Dataset).where(Dataset.id == resource.dataset_id)
        .values(download_count=Dataset.download_count + 1, updated_at=Dataset.updated_at),
        execution_options={"statistic": True},
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


def catalogue_counts() -> dict[str, int]:
    return {
        "datasets": db.session.scalar(select(func.count()).select_from(Dataset).where(public_filter())) or 0,
        "organizations": db.session.scalar(
            select(func.count(func.distinct(Dataset.organization_id))).where(public_filter())) or 0,
        "resources": db.session.scalar(
            select(func.count()).select_from(Resource).join(Resource.dataset).where(public_filter())) or 0,
        "topics": db.session.scalar(select(func.count()).select_from(Topic)) or 0,
    }


# =========================================================================== plain public lists


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
        q = q.where(or_(contains(Tag.name, query.strip()), contains(Tag.display_name, query.strip())))
    return [(tag, int(n)) for tag, n in db.session.execute(q)]
