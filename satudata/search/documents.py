"""Search documents: what the index holds about one dataset.

A document is built from the dataset's **published version** only (its latest
``DatasetVersion`` snapshot), so a draft revision being edited never leaks into search. A
dataset that is not published, or not ``publik``, has no document: ``build_document`` returns
``None`` and the index drops it. A few things are read live because they are not part of
the version: the organisation's and topics' current names (a rename must show in search), the
column titles of the tables, the licence title, and the download counter.

``build_document`` builds one dataset's document from its ORM row (the sync jobs);
``iter_documents`` streams every document for a full reindex, reading plain rows a batch at a
time with a fixed number of queries per batch. Both go through the one mapping, ``_document``.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization
from satudata.catalog.models import AccessClass, Dataset, DatasetState, DatasetVersion, Licence, Resource, Topic
from satudata.catalog.services.query import organization_regions, wilayah_levels
from satudata.catalog.tags import lookup_key as tag_lookup_key
from satudata.extensions import db

MAX_DESCRIPTION_CHARS = 20_000


@dataclass
class SearchDocument:
    """One dataset as the search engines see it. Facet fields hold the values filters use
    (slugs, ids, codes); the ``*_name`` fields hold the words people search for."""

    id: str
    slug: str
    title: str
    description: str = ""  # plain text (Markdown removed)
    tags: list[str] = field(default_factory=list)
    organization: str = ""  # slug
    organization_name: str = ""
    topics: list[str] = field(default_factory=list)  # slugs
    topic_names: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # upper case: CSV, XLSX, PDF
    licence: str | None = None  # id, e.g. cc-by-4.0
    licence_title: str | None = None
    year: int | None = None
    frequency: str | None = None
    kode_wilayah: str | None = None  # the region the data covers
    coverage: str | None = None  # name of the covered region
    wilayah: str | None = None  # the producing government's region (its organisation's kode_wilayah)
    columns: list[str] = field(default_factory=list)
    download_count: int = 0
    published_at: datetime | None = None
    updated_at: datetime | None = None

    def keywords(self) -> list[str]:
        """The short texts searched besides title and description: tags, topics, organisation,
        region, columns, year."""
        # Column names are identifiers (``laki_laki``): their parts are the words.
        columns = [c.replace("_", " ") for c in self.columns]
        words = [*self.tags, *self.topic_names, self.organization_name, self.coverage or "", *columns]
        if self.year:
            words.append(str(self.year))
        return [w for w in words if w]

    def regions(self) -> list[str]:
        """``kode_wilayah`` and every code above it (``14.07.01`` → ``14``, ``14.07``,
        ``14.07.01``), so a filter on a kabupaten also finds its kecamatan."""
        return wilayah_levels(self.kode_wilayah)

    def wilayah_levels(self) -> list[str]:
        """The producing government's region and every level above it: a filter (and the
        facet) on a province counts its kabupaten's OPD."""
        return wilayah_levels(self.wilayah)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("published_at", "updated_at"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchDocument:
        values = dict(data)
        for key in ("published_at", "updated_at"):
            if isinstance(values.get(key), str):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


# Markdown or HTML: a markup character anywhere, or a line that starts a list, quote or code
# block. Two searches: one alternation of both walks every position twice as slowly.
_MARKUP_CHARS = re.compile(r"[*_`#\[\]<>&|~\\]")
_MARKUP_LINES = re.compile(r"^(?:\s*(?:[-+>]|\d+[.)])\s| {4}|\t)", re.M)
_converter = threading.local()


def markdown_to_text(text: str | None) -> str:
    """Plain text of a Markdown description (markup, raw HTML and scripts removed).

    Most descriptions are plain sentences: those skip the Markdown parser (most of a full
    reindex's time otherwise), and the parser is built once per thread for the rest.
    """
    if not text:
        return ""
    text = text[:MAX_DESCRIPTION_CHARS]
    if _MARKUP_CHARS.search(text) or _MARKUP_LINES.search(text):
        import markdown
        import nh3

        md = getattr(_converter, "md", None)
        if md is None:
            md = _converter.md = markdown.Markdown()
        rendered = md.reset().convert(text)
        text = html.unescape(nh3.clean(rendered, tags=set()))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def is_searchable(dataset: Dataset) -> bool:
    """Only published, public datasets are in the index."""
    return dataset.state == DatasetState.PUBLISHED and dataset.access_class == AccessClass.PUBLIK


# What a document needs of a live resource: its Table Schema and column summary (neither is
# in the published version's snapshot, or not always).
LiveResource = tuple[Any, Any]  # (table_schema, columns)


def _column_titles(resource: LiveResource | None, snapshot_resource: dict[str, Any]) -> list[str]:
    live_schema, live_columns = resource or (None, None)
    names: list[str] = []
    schema = snapshot_resource.get("table_schema") or live_schema or {}
    for fld in schema.get("fields", []) if isinstance(schema, dict) else []:
        if isinstance(fld, dict):
            names.extend(str(fld[k]) for k in ("title", "name") if fld.get(k))
    for col in live_columns or []:
        if isinstance(col, dict) and col.get("name"):
            names.append(str(col["name"]))
    return names


@lru_cache(maxsize=50_000)
def _tag_key(value: str) -> str:
    # Tags repeat across datasets: a full reindex asks for the same few thousand names.
    return tag_lookup_key(value)


def build_document(dataset: Dataset, version: DatasetVersion | None = None,
                   lookups: _Lookups | None = None) -> SearchDocument | None:
    """The document of ``dataset``'s published version, or ``None`` when it must not be in
    the index. ``version`` and ``lookups`` let callers that have them avoid queries (a full
    reindex reads rows in batches instead: ``iter_documents``)."""
    if not is_searchable(dataset):
        return None
    if version is None:
        version = db.session.scalar(
            select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
            .order_by(DatasetVersion.number.desc()).limit(1)
        )
    lookups = lookups or _Lookups.for_datasets([dataset])
    snap = (version.snapshot or {}) if version is not None else _live_snapshot(dataset)
    return _document(
        _Live(id=dataset.id, slug=dataset.slug, title=dataset.title,
              organization=(dataset.organization.slug, dataset.organization.name),
              download_count=dataset.download_count, published_at=dataset.published_at,
              updated_at=dataset.updated_at),
        snap, {r.id: (r.table_schema, r.columns) for r in dataset.resources}, lookups)


def _live_snapshot(dataset: Dataset) -> dict[str, Any]:
    """Published without a version (rows written before versions existed): the live row is
    what the public sees, so it is what search shows."""
    return {
        "title": dataset.title, "slug": dataset.slug, "description": dataset.description,
        "organization": dataset.organization.slug, "licence_id": dataset.licence_id,
        "year": dataset.year, "frequency": dataset.frequency and str(dataset.frequency),
        "kode_wilayah": dataset.kode_wilayah, "coverage": dataset.coverage,
        "topics": [t.slug for t in dataset.topics], "tags": [t.name for t in dataset.tags],
        "resources": [{"id": r.id, "format": r.format, "table_schema": r.table_schema} for r in dataset.resources],
    }


@dataclass(slots=True)
class _Live:
    """What a document reads from the live dataset row besides its published version."""

    id: str
    slug: str
    title: str
    organization: tuple[str, str]  # (slug, name), the fallback when the snapshot names none
    download_count: int | None
    published_at: datetime | None
    updated_at: datetime | None  # the stamp the CKAN dict (metadata_modified), REST and pages show


def _document(live: _Live, snap: dict[str, Any], resources: dict[str, LiveResource],
              lookups: _Lookups) -> SearchDocument:
    """The one mapping from a published snapshot (and the few live values) to a document,
    whether the rows came one by one (``build_document``) or in batches (``iter_documents``)."""
    org_slug = snap.get("organization") or live.organization[0]
    columns: list[str] = []
    formats: set[str] = set()
    for res in snap.get("resources") or []:
        if res.get("format"):
            formats.add(str(res["format"]).upper())
        for name in _column_titles(resources.get(res.get("id", "")), res):
            if name not in columns:
                columns.append(name)
    topics = [str(t) for t in snap.get("topics") or []]
    licence = snap.get("licence_id")
    return SearchDocument(
        id=live.id,
        slug=str(snap.get("slug") or live.slug),
        title=str(snap.get("title") or live.title),
        description=markdown_to_text(snap.get("description")),
        # A version published before tag names were made CKAN-valid holds the text as written.
        tags=list(dict.fromkeys(_tag_key(str(t)) for t in snap.get("tags") or [])),
        organization=org_slug,
        organization_name=lookups.organizations.get(org_slug, live.organization[1]),
        wilayah=lookups.regions.get(org_slug),
        topics=topics,
        topic_names=[lookups.topics.get(t, t) for t in topics],
        formats=sorted(formats),
        licence=licence,
        licence_title=lookups.licences.get(licence) if licence else None,
        year=snap.get("year"),
        frequency=snap.get("frequency"),
        kode_wilayah=snap.get("kode_wilayah"),
        coverage=snap.get("coverage"),
        columns=columns,
        download_count=live.download_count or 0,
        published_at=_utc(live.published_at),
        updated_at=_utc(live.updated_at),
    )


@dataclass
class _Lookups:
    """Current names of the organisations, topics and licences some datasets refer to."""

    organizations: dict[str, str]
    regions: dict[str, str | None]  # organisation slug -> its kode_wilayah
    topics: dict[str, str]
    licences: dict[str, str]
    by_id: dict[int, tuple[str, str]] = field(default_factory=dict)  # organisation id -> (slug, name)

    @classmethod
    def for_datasets(cls, datasets: Iterable[Dataset]) -> _Lookups:
        del datasets  # the tables are small: one query each for all of them
        regions = organization_regions().subquery()
        orgs = list(db.session.execute(select(Organization.id, Organization.slug, Organization.name, regions.c.code)
                                       .join(regions, regions.c.id == Organization.id)))
        return cls(
            organizations={slug: name for _id, slug, name, _code in orgs},
            regions={slug: code for _id, slug, _name, code in orgs},
            topics={k: v for k, v in db.session.execute(select(Topic.slug, Topic.name))},
            licences={k: v for k, v in db.session.execute(select(Licence.id, Licence.title))},
            by_id={org_id: (slug, name) for org_id, slug, name, _code in orgs},
        )


def document_for(dataset_id: str) -> SearchDocument | None:
    """The document of one dataset by id (``None`` when it must not be in the index)."""
    dataset = db.session.get(Dataset, dataset_id)
    return build_document(dataset) if dataset is not None else None


def searchable_count() -> int:
    """How many datasets the index should hold."""
    return db.session.scalar(
        select(func.count()).select_from(Dataset)
        .where(Dataset.state == DatasetState.PUBLISHED, Dataset.access_class == AccessClass.PUBLIK)
    ) or 0


BATCH_SIZE = 1000


def iter_documents(batch_size: int = BATCH_SIZE) -> Iterator[SearchDocument]:
    """Every document the index should hold, for ``reindex``: streamed from the database
    ``batch_size`` datasets at a time, so memory does not grow with the catalogue.

    Each batch is the next ``batch_size`` datasets by id (keyset pagination: ``id > last``,
    never an ``OFFSET``), read as plain rows (no ORM objects: building them was most of a
    reindex's time), then three queries for all of the batch's public datasets together: their
    latest versions, their resources' Table Schemas and column summaries, and, only for datasets
    published before versions existed, the ORM rows with their topics and tags. Organisation,
    topic and licence names are read once. The batch reads every dataset and keeps the public
    ones in Python: with ``state`` in the query SQLite (which keeps no statistics) walks the
    ``state`` index and sorts every published dataset again for each batch.
    """
    lookups = _Lookups.for_datasets([])
    after: str | None = None
    while True:
        page = (select(Dataset.id, Dataset.slug, Dataset.title, Dataset.state, Dataset.access_class,
                       Dataset.organization_id, Dataset.download_count, Dataset.published_at, Dataset.updated_at)
                .order_by(Dataset.id).limit(batch_size))
        if after is not None:
            page = page.where(Dataset.id > after)
        rows = db.session.execute(page).all()
        if not rows:
            return
        after = rows[-1].id
        public = [r for r in rows if r.state == DatasetState.PUBLISHED and r.access_class == AccessClass.PUBLIK]
        if public:
            yield from _batch_documents(public, lookups)


def _batch_documents(rows: list[Any], lookups: _Lookups) -> Iterator[SearchDocument]:
    ids = [r.id for r in rows]
    latest = (select(DatasetVersion.dataset_id, func.max(DatasetVersion.number).label("n"))
              .where(DatasetVersion.dataset_id.in_(ids)).group_by(DatasetVersion.dataset_id).subquery())
    snapshots: dict[str, dict[str, Any]] = {
        dataset_id: snapshot or {} for dataset_id, snapshot in db.session.execute(
            select(DatasetVersion.dataset_id, DatasetVersion.snapshot)
            .join(latest, (DatasetVersion.dataset_id == latest.c.dataset_id) & (DatasetVersion.number == latest.c.n)))
    }
    resources: dict[str, dict[str, LiveResource]] = {}
    for dataset_id, resource_id, schema, summary in db.session.execute(
            select(Resource.dataset_id, Resource.id, Resource.table_schema, Resource.columns)
            .where(Resource.dataset_id.in_(ids))):
        resources.setdefault(dataset_id, {})[resource_id] = (schema, summary)
    unversioned = [i for i in ids if i not in snapshots]
    legacy = {d.id: d for d in db.session.scalars(
        select(Dataset).where(Dataset.id.in_(unversioned))
        .options(selectinload(Dataset.topics), selectinload(Dataset.tags), selectinload(Dataset.resources),
                 selectinload(Dataset.organization)))} if unversioned else {}
    for row in rows:
        snap = snapshots.get(row.id)
        if snap is None:
            dataset = legacy.get(row.id)
            if dataset is None or not is_searchable(dataset):  # changed since the batch was read
                continue
            snap = _live_snapshot(dataset)
        organization = lookups.by_id.get(row.organization_id)
        if organization is None:  # created after the names were read
            org = db.session.get(Organization, row.organization_id)
            organization = (org.slug, org.name) if org is not None else ("", "")
        yield _document(_Live(id=row.id, slug=row.slug, title=row.title, organization=organization,
                              download_count=row.download_count, published_at=row.published_at,
                              updated_at=row.updated_at),
                        snap, resources.get(row.id, {}), lookups)
