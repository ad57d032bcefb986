"""The one interface every search engine implements, and the rules all of them share.

``SearchBackend`` is a protocol: ``embedded.EmbeddedBackend`` (tantivy) and
``elasticsearch.ElasticsearchBackend`` implement it, and ``backend.get_backend(app)`` picks one
by ``SEARCH_BACKEND`` (the engines import this module, never the one that chooses them). Input is checked once, here (``normalise_query``), before any engine
sees it, so every engine answers bad input the same way: unknown filters, facets and sorts
are ``Invalid`` with a message in Bahasa Indonesia; text is cleaned and never parsed as
query syntax; a page past the end is an empty page with the real total. An engine that cannot
be reached raises ``SearchUnavailable``, never its own exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from markupsafe import Markup

from satudata import search_limits
from satudata.catalog.services.query import FILTERS, DatasetQuery, check_value, sort_facet  # noqa: F401 (sort_facet: the engines' own)
from satudata.catalog.services.query import KEY_ALIASES as CATALOG_KEY_ALIASES
from satudata.errors import DomainError, Invalid
from satudata.search.query import clean_text

if TYPE_CHECKING:
    from satudata.search.documents import SearchDocument

# Filter and facet keys the engines index: the catalogue registry's ``engine`` fields
# (``region`` is accepted as another name for ``kode_wilayah``).
FACET_KEYS = tuple(key for key, spec in FILTERS.items() if spec.engine)
FILTER_KEYS = FACET_KEYS
KEY_ALIASES = CATALOG_KEY_ALIASES
SORTS = ("relevance", "newest", "modified", "name", "downloads")
# A catalogue query's sort and the engine sort that answers it exactly.
ENGINE_SORTS = {(): "newest", (("published", True),): "newest", (("modified", True),): "modified",
                (("title", False),): "name", (("downloads", True),): "downloads"}
DEFAULT_FACETS = ("organization", "topic", "tag", "format", "year", "licence")

MAX_PER_PAGE = 1000
MAX_FACET_LIMIT = 200
MAX_OFFSET = 100_000  # deeper pages answer empty with the real total (both engines)
EXTENSION_KEY = "satudata_search"


class SearchUnavailable(DomainError):
    """The search engine cannot be reached or failed; the rest of the site keeps working."""

    status = 503
    ckan_type = "Search Error"
    code = "search_unavailable"

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(
            message or "Pencarian sedang tidak tersedia. Coba lagi beberapa saat lagi; "
                       "katalog tetap bisa dijelajahi melalui halaman organisasi dan topik.",
            details=details,
        )


@dataclass(frozen=True)
class SearchQuery:
    """One search: text, filters (every value of every key must hold: AND), facets, sort and
    page. ``offset`` (for CKAN's ``start``) overrides ``page`` when given."""

    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    facets: Sequence[str] = DEFAULT_FACETS
    facet_limit: int = 50
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    offset: int | None = None
    highlight: bool = True

    @property
    def start(self) -> int:
        return self.offset if self.offset is not None else (self.page - 1) * self.per_page


@dataclass
class SearchHit:
    id: str
    score: float | None
    title: str
    slug: str = ""
    highlights: dict[str, Markup] = field(default_factory=dict)  # "title", "description"


@dataclass
class SearchResponse:
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[tuple[str, int]]]  # key -> [(value, count)], most frequent first
    page: int
    per_page: int
    offset: int
    suggestion: str | None = None  # "did you mean", when nothing matched


@dataclass(frozen=True)
class Suggestion:
    """A title completion for the search box."""

    id: str
    slug: str
    title: str


@runtime_checkable
class SearchBackend(Protocol):
    """What the portal needs from a search engine. Documents are ``SearchDocument``s; ids are
    dataset ids. Writes are idempotent (indexing a document replaces the one with its id)."""

    name: str

    def index(self, doc: SearchDocument) -> None: ...

    def bulk_index(self, docs: Iterable[SearchDocument]) -> int: ...

    def delete(self, doc_id: str) -> None: ...

    def search(self, query: SearchQuery) -> SearchResponse: ...

    def can_answer(self, query: DatasetQuery) -> bool:
        """Whether ``search`` answers this (checked) catalogue query exactly
        (``engine_can_answer`` with the fields the engine indexes)."""
        ...

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]: ...

    def count(self) -> int: ...

    def health(self) -> dict[str, Any]: ...

    def create_index(self) -> None: ...

    def drop_index(self) -> None: ...

    def rebuild(self, docs: Iterable[SearchDocument]) -> int: ...


# --------------------------------------------------------------------------- catalogue queries


def engine_sort(query: DatasetQuery) -> str | None:
    """The engine sort answering a (checked) catalogue query's, or ``None``. Relevance comes
    first or not at all (the tie-breaks after it are the engine's)."""
    if query.sort and query.sort[0][0] == "relevance":
        return "relevance"
    return ENGINE_SORTS.get(tuple(query.sort))


def engine_can_answer(query: DatasetQuery, filter_keys: Iterable[str], facet_keys: Iterable[str]) -> bool:
    """Whether an engine filtering ``filter_keys`` and counting ``facet_keys`` answers the
    (checked) ``query`` exactly: every clause one required value of an indexed field (no OR,
    no negation, no range), no more values of one key than an engine takes, bounded facets,
    and a sort it has. Anything else is the database's (``catalog.query_database``)."""
    plain = query.plain_filters()
    if plain is None or not set(plain) <= set(filter_keys):
        return False
    if any(len(values) > search_limits.values_per_filter() for values in plain.values()):
        return False
    if not set(query.facets) <= set(facet_keys):
        return False
    if query.facets and (query.facet_limit is None or query.facet_limit > MAX_FACET_LIMIT):
        return False
    return engine_sort(query) is not None


def engine_query(query: DatasetQuery) -> SearchQuery:
    """The engine's form of a catalogue query ``engine_can_answer`` accepted."""
    return SearchQuery(
        text=query.text, filters=query.plain_filters() or {}, facets=query.facets,
        facet_limit=query.facet_limit or 1, sort=engine_sort(query) or "newest",
        per_page=max(query.limit, 1), offset=query.offset, highlight=query.highlight,
    )


# --------------------------------------------------------------------------- input rules


def _bad(field_name: str, message: str, hint: str) -> Invalid:
    return Invalid(message, details={field_name: [hint]})


def normalise_filters(filters: Mapping[str, Iterable[Any]] | None) -> dict[str, list[str]]:
    """Known keys only, canonical names, trimmed non-empty string values, no duplicates, and at
    most ``SEARCH_MAX_CLAUSE_VALUES`` values for one key (``search_limits.values_per_filter``)."""
    most = search_limits.values_per_filter()
    out: dict[str, list[str]] = {}
    for raw_key, raw_values in (filters or {}).items():
        key = KEY_ALIASES.get(raw_key, raw_key)
        if key not in FILTER_KEYS:
            raise _bad("filter", f"Filter '{raw_key}' tidak dikenal.", f"Filter yang tersedia: {', '.join(FILTER_KEYS)}.")
        values = [raw_values] if isinstance(raw_values, str | int) else list(raw_values or [])
        for raw in values:
            value = check_value(key, raw)  # the catalogue's one rule for a filter's values
            if value is None:
                continue
            bucket = out.setdefault(key, [])
            if value not in bucket:
                bucket.append(value)
            if len(bucket) > most:
                raise _bad(key, f"Terlalu banyak nilai untuk filter '{key}'.",
                           f"Paling banyak {most} nilai untuk satu filter; hapus sebagian lalu coba lagi.")
    return {k: v for k, v in out.items() if v}


def normalise_query(query: SearchQuery) -> SearchQuery:
    """Check and clean ``query``; raise ``Invalid`` (in Bahasa Indonesia) for what cannot be
    answered. Every backend calls this first."""
    if query.sort not in SORTS:
        raise _bad("sort", f"Urutan '{str(query.sort)[:40]}' tidak dikenal.", f"Pilih salah satu: {', '.join(SORTS)}.")
    facets: list[str] = []
    for raw in query.facets:
        key = KEY_ALIASES.get(raw, raw)
        if key not in FACET_KEYS:
            raise _bad("facet", f"Facet '{str(raw)[:40]}' tidak dikenal.", f"Facet yang tersedia: {', '.join(FACET_KEYS)}.")
        if key not in facets:
            facets.append(key)
    if not isinstance(query.page, int) or query.page < 1:
        raise _bad("page", "Nomor halaman harus bilangan bulat positif.", "Mulai dari halaman 1.")
    if not isinstance(query.per_page, int) or query.per_page < 1:
        raise _bad("per_page", "Jumlah per halaman harus bilangan bulat positif.", f"Antara 1 dan {MAX_PER_PAGE}.")
    if query.offset is not None and (not isinstance(query.offset, int) or query.offset < 0):
        raise _bad("start", "Posisi awal tidak boleh negatif.", "Mulai dari 0.")
    if not isinstance(query.facet_limit, int) or query.facet_limit < 1:
        raise _bad("facet.limit", "Batas facet harus bilangan bulat positif.", f"Antara 1 dan {MAX_FACET_LIMIT}.")
    return replace(
        query,
        text=clean_text(query.text),
        filters=normalise_filters(query.filters),
        facets=tuple(facets),
        per_page=min(query.per_page, MAX_PER_PAGE),
        facet_limit=min(query.facet_limit, MAX_FACET_LIMIT),
    )


def epoch_if_missing(value: datetime | None) -> datetime:
    return value or datetime(1970, 1, 1)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
