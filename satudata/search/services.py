"""Search services: what pages, APIs, publication services, jobs and the CLI call.

- ``find_public_datasets(query)`` is the public catalogue's one read path: a
  ``catalog.DatasetQuery`` answered by the configured engine when it can answer it exactly,
  else by the database (``catalog.query_database``), as a ``catalog.DatasetPage``. The site's
  lists, the REST API, CKAN's Action API and the DCAT feeds all call it. ``engine_page`` is the
  engine alone (``SearchUnavailable`` when it is down); ``search_datasets`` its site-style
  shorthand for tools and tests.
- ``schedule_reindex(dataset)`` / ``schedule_removal(dataset)`` are what the lifecycle's
  signals call (``catalog.events.dataset_published``, ``review.events.dataset_withdrawn``): they
  sync the dataset's document on the ``search`` queue once the transaction commits.
- ``index_dataset`` / ``unindex_dataset`` do the sync (called by the jobs), ``reindex_all``
  rebuilds everything from the database, ``search_status`` compares the index with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, require
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset
from satudata.catalog.services import DatasetPage, DatasetQuery, Loader
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.search.backend import (
    DEFAULT_FACETS,
    SearchBackend,
    SearchUnavailable,
    Suggestion,
    get_backend,
    normalise_query,
    synonym_store,
)
from satudata.search.documents import SearchDocument, document_for, iter_documents, searchable_count
from satudata.search.protocol import engine_query
from satudata.search.query import clean_text
from satudata.search.synonyms import SynonymSyntaxError
from satudata.search.text import tokenize

__all__ = [
    "SearchStatus", "SearchUnavailable", "engine_page", "find_public_datasets", "index_dataset",
    "index_organization", "reindex_all",
    "schedule_organization_reindex", "schedule_reindex", "schedule_removal", "search_datasets", "search_health",
    "search_status", "suggest_titles", "synonyms_text", "unindex_dataset", "update_synonyms",
]

log = logging.getLogger(__name__)

SYNC_JOB = "satudata.search.tasks.sync_dataset"
SYNC_ORGANIZATION_JOB = "satudata.search.tasks.sync_organization"


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


def find_public_datasets(query: DatasetQuery, load: Loader | None = None) -> DatasetPage:
    """The public catalogue's one read: every listing, API and feed calls this.

    The configured engine answers when it can answer ``query`` exactly (``can_answer``: plain
    filters on indexed fields, its sorts, bounded facets); anything else (OR, negation,
    ranges, ids, text fields, several sort keys) is the database's ``query_database``. When the
    engine is down the database answers and the page is ``degraded`` (no relevance ranking, no
    highlights). Raises ``Invalid`` for input neither can answer.
    """
    query = catalog.check_query(query)
    try:
        backend = get_backend()
        if backend.can_answer(query):
            return engine_page(query, backend, load)
    except SearchUnavailable:
        page = catalog.query_database(query, load)
        page.degraded = True
        return page
    return catalog.query_database(query, load)


def engine_page(query: DatasetQuery, backend: SearchBackend | None = None, load: Loader | None = None) -> DatasetPage:
    """``query`` (checked, one ``can_answer`` accepts) answered by the search engine alone, the
    rows loaded in hit order (by ``load``, see ``catalog.load_public``). Raises
    ``SearchUnavailable`` when the engine is down."""
    response = (backend or get_backend()).search(engine_query(query))
    items = (load or catalog.load_public)([hit.id for hit in response.hits])
    if len(items) < len(response.hits):
        # The index is behind the database for a moment (a job still queued): never show
        # what is no longer public.
        log.info("search: %d hits are no longer public", len(response.hits) - len(items))
    return DatasetPage(
        items=items if query.limit else [],
        total=response.total,
        offset=response.offset,
        limit=query.limit,
        facets=catalog.label_facets(response.facets),
        highlights={hit.id: hit.highlights for hit in response.hits if hit.highlights},
        suggestion=response.suggestion,
        answered_by=getattr(backend, "name", "engine"),
    )


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
) -> DatasetPage:
    """The search engine alone, in the site's terms (for tools, benchmarks and the engine's
    tests; pages and APIs call ``find_public_datasets``): every value of every filter must hold,
    a named sort, a page (``offset`` overrides it). Raises ``SearchUnavailable`` when the
    engine is down and ``Invalid`` for input it cannot answer."""
    query = DatasetQuery.of(text, filters, sort=sort, page=page, per_page=per_page, facets=tuple(facet_keys),
                            facet_limit=facet_limit, highlight=highlight)
    if offset is not None:
        query = replace(query, offset=offset)
    return engine_page(normalised_for_engine(query))


def normalised_for_engine(query: DatasetQuery) -> DatasetQuery:
    """``catalog.check_query``, with the engine's refusals (``normalise_query``) for what it
    cannot take, so a caller of the engine alone hears why."""
    checked = catalog.check_query(query)
    normalise_query(engine_query(checked))
    return checked


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
