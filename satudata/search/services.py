"""Search services: what pages, APIs, publication services, jobs and the CLI call.

- ``search_datasets`` answers a catalogue search from the configured engine and loads the
  matching ``Dataset`` rows in hit order. Its result has the attribute names of
  ``catalog.services.SearchResult`` (items, total, page, per_page, pages, facets as
  ``{key: [(value, label, count)]}``) plus ``highlights`` and ``suggestion``, so a caller of
  ``find_datasets`` can switch with a one-line change. It raises ``SearchUnavailable`` (503)
  when the engine is down and ``Invalid`` for input it cannot answer.
- ``schedule_reindex(dataset)`` / ``schedule_removal(dataset)`` are what the lifecycle's
  signals call (``catalog.events.dataset_published``, ``review.events.dataset_withdrawn``): they
  sync the dataset's document on the ``search`` queue once the transaction commits.
- ``index_dataset`` / ``unindex_dataset`` do the sync (called by the jobs), ``reindex_all``
  rebuilds everything from the database, ``search_status`` compares the index with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from satudata import jobs
from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, require
from satudata.catalog.models import Dataset, Licence, Resource, Tag, Topic
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.search.backend import (
    DEFAULT_FACETS,
    SearchQuery,
    SearchUnavailable,
    Suggestion,
    get_backend,
    synonym_store,
)
from satudata.search.documents import SearchDocument, document_for, iter_documents, searchable_count
from satudata.search.query import clean_text
from satudata.search.synonyms import SynonymSyntaxError
from satudata.search.text import tokenize

__all__ = [
    "DatasetSearchResult", "SearchStatus", "SearchUnavailable", "index_dataset", "index_organization",
    "label_facets", "reindex_all",
    "schedule_organization_reindex", "schedule_reindex", "schedule_removal", "search_datasets", "search_health",
    "search_status", "suggest_titles", "synonyms_text", "unindex_dataset", "update_synonyms",
]

log = logging.getLogger(__name__)

SYNC_JOB = "satudata.search.tasks.sync_dataset"
SYNC_ORGANIZATION_JOB = "satudata.search.tasks.sync_organization"
FREQUENCY_LABELS = {
    "tahunan": "Tahunan", "semesteran": "Semesteran", "triwulanan": "Triwulanan", "bulanan": "Bulanan",
    "mingguan": "Mingguan", "harian": "Harian", "tidak_tentu": "Tidak tentu",
}


@dataclass
class DatasetSearchResult:
    """One page of search results: public ``Dataset`` rows in rank order, facet counts over the
    whole match, and highlighted title/description per dataset id."""

    items: list[Dataset]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # key -> (value, label, count)
    highlights: dict[str, dict[str, Markup]] = field(default_factory=dict)  # id -> {"title", "description"}
    suggestion: str | None = None  # "did you mean", only when nothing matched
    offset: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class SearchStatus:
    backend: str
    indexed: int | None  # None when the engine cannot be reached
    published: int
    health: dict[str, Any]

    @property
    def in_sync(self) -> bool:
        return self.indexed == self.published


# --------------------------------------------------------------------------- writes (jobs)


def schedule_reindex(dataset: Dataset | str) -> None:
    """Sync ``dataset``'s search document once the current transaction commits.

    Call it whenever a dataset becomes published or stops being published (withdrawn,
    access class changed), its published version changes, or it is deleted. The job reads the
    database then, so it indexes the published version or removes the document, whichever
    is right at that moment.
    """
    dataset_id = dataset if isinstance(dataset, str) else dataset.id
    jobs.enqueue(SYNC_JOB, dataset_id, queue="search")


def schedule_removal(dataset: Dataset | str) -> None:
    """Remove ``dataset``'s search document once the current transaction commits (it was
    withdrawn). The job is the same sync: it reads the database when it runs, so a dataset
    published again before then keeps its document."""
    schedule_reindex(dataset)


def schedule_organization_reindex(organization: Organization | int) -> None:
    """Sync every document of an organisation after commit (its name is in each of them)."""
    org_id = organization if isinstance(organization, int) else organization.id
    jobs.enqueue(SYNC_ORGANIZATION_JOB, org_id, queue="search")


def index_dataset(dataset_id: str) -> bool:
    """Bring one dataset's document up to date: index its published version, or remove it
    when it must not be searchable. Returns whether a document is now in the index."""
    doc = document_for(dataset_id)
    backend = get_backend()
    if doc is None:
        backend.delete(dataset_id)
        return False
    backend.index(doc)
    return True


def unindex_dataset(dataset_id: str) -> None:
    """Remove one dataset's document (a no-op when there is none)."""
    get_backend().delete(dataset_id)


def index_organization(organization_id: int) -> int:
    """Re-sync the documents of every dataset of one organisation; returns how many."""
    ids = list(db.session.scalars(select(Dataset.id).where(Dataset.organization_id == organization_id)))
    for dataset_id in ids:
        index_dataset(dataset_id)
    return len(ids)


def _counting(docs: Iterable[SearchDocument], tick: Callable[[int], None]) -> Iterator[SearchDocument]:
    for doc in docs:
        yield doc
        tick(1)


def reindex_all(progress: bool = False) -> int:
    """Rebuild the whole index from the database (published, public datasets only), replacing
    the old index at once when done. ``progress`` shows a progress bar on the terminal."""
    backend = get_backend()
    docs = iter_documents()
    if not progress:
        return backend.rebuild(docs)
    import click

    with click.progressbar(length=searchable_count(), label="Mengindeks dataset", show_pos=True) as bar:
        return backend.rebuild(_counting(docs, bar.update))


# --------------------------------------------------------------------------- reads


def _labels(key: str, values: list[str]) -> dict[str, str]:
    if not values:
        return {}
    if key == "organization":
        return {k: v for k, v in db.session.execute(
            select(Organization.slug, Organization.name).where(Organization.slug.in_(values)))}
    if key == "topic":
        return {k: v for k, v in db.session.execute(select(Topic.slug, Topic.name).where(Topic.slug.in_(values)))}
    if key == "tag":
        return {k: v or k for k, v in db.session.execute(
            select(Tag.name, Tag.display_name).where(Tag.name.in_(values)))}
    if key == "licence":
        return {k: v for k, v in db.session.execute(select(Licence.id, Licence.title).where(Licence.id.in_(values)))}
    if key == "frequency":
        return {v: FREQUENCY_LABELS.get(v, v) for v in values}
    if key == "kode_wilayah":
        from satudata import reference

        return {v: reference.name(v) or v for v in values}
    return {}


def label_facets(facets: Mapping[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, str, int]]]:
    """``{key: [(value, count)]}`` → ``{key: [(value, label, count)]}`` with current names."""
    out = {}
    for key, buckets in facets.items():
        labels = _labels(key, [v for v, _n in buckets])
        out[key] = [(value, labels.get(value, value), count) for value, count in buckets]
    return out


def search_datasets(
    text: str = "",
    filters: Mapping[str, Iterable[str]] | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    offset: int | None = None,
    facet_keys: Iterable[str] = DEFAULT_FACETS,
    facet_limit: int = 50,
    highlight: bool = True,
) -> DatasetSearchResult:
    """Search the public catalogue.

    ``filters`` maps keys (``organization`` slug, ``topic`` slug, ``tag``, ``format``,
    ``licence`` id, ``year``, ``frequency``, ``kode_wilayah`` (or ``region``), which also matches
    the regions below it) to values; every value must hold. ``sort`` is one of relevance,
    newest, modified, name, downloads (relevance without text means newest). ``offset``
    overrides ``page`` (CKAN's ``start``). A page past the end is empty with the real total.
    Raises ``Invalid`` for unknown keys/sorts and ``SearchUnavailable`` when the engine is down.
    """
    query = SearchQuery(
        text=text or "", filters={k: list(v) if not isinstance(v, str) else [v] for k, v in (filters or {}).items()},
        facets=tuple(facet_keys), facet_limit=facet_limit, sort=sort, page=page, per_page=per_page,
        offset=offset, highlight=highlight,
    )
    response = get_backend().search(query)
    ids = [hit.id for hit in response.hits]
    items: list[Dataset] = []
    if ids:
        # By primary key alone, with everything lists, pages and CKAN dicts read loaded up front
        # (the single-valued relations in the same query; resources without their validation
        # report, Table Schema and column summary, which can be large and no list shows).
        # Whether a row is still public is checked here, not in SQL: with that condition in
        # the query, SQLite (which keeps no statistics) picks the index on ``state`` and reads
        # every published dataset, about 50 ms at 100,000 datasets instead of 1 ms.
        rows = db.session.scalars(
            select(Dataset).where(Dataset.id.in_(ids))
            .options(joinedload(Dataset.organization), joinedload(Dataset.walidata), joinedload(Dataset.licence),
                     selectinload(Dataset.resources).defer(Resource.validation_report).defer(Resource.table_schema)
                     .defer(Resource.columns),
                     selectinload(Dataset.topics), selectinload(Dataset.tags))
        )
        by_id = {d.id: d for d in rows if d.is_public}
        items = [by_id[i] for i in ids if i in by_id]
        if len(items) < len(ids):
            # The index is behind the database for a moment (a job still queued): never show
            # what is no longer public.
            log.info("search: %d hits are no longer public", len(ids) - len(items))
    return DatasetSearchResult(
        items=items,
        total=response.total,
        page=response.page,
        per_page=response.per_page,
        facets=label_facets(response.facets),
        highlights={hit.id: hit.highlights for hit in response.hits if hit.highlights},
        suggestion=response.suggestion,
        offset=response.offset,
    )


MAX_SYNONYM_VARIANTS = 3


def _synonym_variants(prefix: str) -> list[str]:
    """``prefix`` with one phrase the synonym list knows replaced by each of its other
    phrases (*penduduk rohil* → *penduduk rokan hilir*), at most ``MAX_SYNONYM_VARIANTS``.
    Text that ends in punctuation keeps a trailing space, so its last word stays finished."""
    from flask import current_app

    text = clean_text(prefix)[:100]
    tokens = tokenize(text)
    if not tokens:
        return []
    synonyms = synonym_store(current_app._get_current_object()).current()  # type: ignore[attr-defined]
    tail = "" if text[-1].isalnum() else " "
    variants: list[str] = []
    for start in range(len(tokens)):
        found = synonyms.match(tokens, start)
        if found is None:
            continue
        length, others = found
        for phrase in others:
            variants.append(" ".join([*tokens[:start], *phrase, *tokens[start + length:]]) + tail)
            if len(variants) >= MAX_SYNONYM_VARIANTS:
                return variants
    return variants


def suggest_titles(prefix: str, limit: int = 8) -> list[Suggestion]:
    """Title completions for the search box (id, slug, title), best first.

    Completions match the words as typed; when they are fewer than ``limit``, the words are
    also read through the synonym list, so an abbreviation a search understands (*penduduk
    rohil*) completes too. Raises ``SearchUnavailable`` when the engine is down.
    """
    backend = get_backend()
    limit = max(1, min(int(limit), 20))
    found = backend.suggest(prefix or "", limit)
    if len(found) >= limit:
        return found
    seen = {s.id for s in found}
    for variant in _synonym_variants(prefix or ""):
        for suggestion in backend.suggest(variant, limit):
            if suggestion.id not in seen:
                seen.add(suggestion.id)
                found.append(suggestion)
        if len(found) >= limit:
            break
    return found[:limit]


def search_health() -> dict[str, Any]:
    """The engine's health for ``/readyz``: ``{"status": "ok"|"error", "backend": ..., ...}``."""
    try:
        return get_backend().health()
    except SearchUnavailable as exc:
        return {"status": "error", "error": exc.message}


def search_status() -> SearchStatus:
    """Documents in the index against published, public datasets in the database."""
    published = searchable_count()
    try:
        backend = get_backend()
        health = backend.health()
        indexed = backend.count() if health.get("status") == "ok" else None
        name = backend.name
    except SearchUnavailable as exc:
        health, indexed, name = {"status": "error", "error": exc.message}, None, "?"
    return SearchStatus(backend=name, indexed=indexed, published=published, health=health)


# --------------------------------------------------------------------------- synonyms

MAX_SYNONYMS_CHARS = 100_000  # the default list is ~1,200; thousands of groups still fit


def synonyms_text() -> str:
    """The synonym list as its editor sees it."""
    from flask import current_app

    return synonym_store(current_app._get_current_object()).text()  # type: ignore[attr-defined]


def update_synonyms(actor: Actor, text: str) -> int:
    """Replace the synonym list (walidata and admins); takes effect on the next search.
    Returns the number of groups. Raises ``Invalid`` naming the line that is wrong."""
    require(actor, Permission.CATALOG_TOPIC_MANAGE)
    from flask import current_app

    if len(text) > MAX_SYNONYMS_CHARS:
        size, most = (f"{n:_}".replace("_", ".") for n in (len(text), MAX_SYNONYMS_CHARS))
        message = f"Daftar padanan kata terlalu panjang ({size} karakter); paling banyak {most} karakter."
        raise Invalid(message, details={"synonyms": [message]})
    bad = next((n for n, line in enumerate(text.splitlines(), 1)
                if any(not ch.isprintable() and ch != "\t" for ch in line)), None)
    if bad is not None:
        message = f"Daftar padanan kata tidak valid pada baris {bad}: berisi karakter kendali (misalnya NUL)."
        raise Invalid(message, details={"synonyms": [message]})
    store = synonym_store(current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        parsed = store.save(text)
    except SynonymSyntaxError as exc:
        message = f"Daftar padanan kata tidak valid pada {exc}."
        raise Invalid(message, details={"synonyms": [message]}) from exc
    audit(actor, "search.synonyms.update", "search", "synonyms", {"groups": len(parsed.groups)})
    return len(parsed.groups)
