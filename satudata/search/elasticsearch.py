"""The Elasticsearch backend (Elasticsearch 8, the ``elasticsearch`` client of the same major).

Results are the embedded engine's by construction:

- Text is tokenized, folded and **stemmed in Python** (``text.index_tokens``/``stem_text``,
  Sastrawi), exactly as the embedded engine does it. ``title``, ``description`` and
  ``keywords`` hold the original words (a pattern tokenizer splitting on what is not a letter
  or digit, lower-cased and ASCII-folded: the embedded tokenizer's rule); ``*_stem`` hold the
  Python stems behind a whitespace analyzer, and a query asks them for the Python stem of each
  word. Elasticsearch's own ``indonesian`` stemmer (Lucene's) is not used: it disagrees with
  Sastrawi (*kependudukan* → *nduduk*, *penduduk* → *duduk*).
- A word tolerates one typo only when the index does not hold it as it is (one small
  aggregation asks which query words are known), so *sawit* does not find *Rumah Sakit*.
- Highlights and "did you mean" are computed as the embedded engine computes them
  (``highlight.py`` on the stored title and description; the nearest indexed word of title
  or keywords, at most two edits, sharing the first two letters, most frequent first), and
  did-you-mean is asked for only when nothing matched.
- ``title_sort`` is the folded title tokens, computed in Python.
- Pages deeper than Elasticsearch's default result window (10,000) are reached with
  ``search_after`` instead of a raised ``max_result_window``.

Index lifecycle (the production shape):

- The portal reads and writes through an alias (``satudata-datasets``) over a versioned index
  (``satudata-datasets-<UTC stamp>``) with the explicit mapping below. Every write asks
  ``require_alias=true``, so a write can never make Elasticsearch auto-create an index with
  dynamic mappings under the alias's name.
- Before its first write a process creates the mapped index and its alias in one call, if
  they are not there (``ensure_index``; idempotent, once per process; two processes racing
  keep the older index and delete the other).
- ``rebuild`` fills a new index, then moves the alias in one atomic ``_aliases`` call (which
  also removes an index squatting on the alias's name), inside the ``try``: on any failure
  the new index is deleted. Overlapping rebuilds are serialised by a lock (an index named
  ``<alias>-rebuild-lock``: creating an index is atomic and fails when it exists); a stale
  lock (older than ``rebuild_lock_ttl``) is taken over.
- A document Elasticsearch refuses (a 4xx other than 429 on its item) is logged and skipped:
  it does not abort a rebuild, and ``sync_dataset`` does not queue it for retry for ever
  (``DocumentRefused``). ``refused`` holds the ids refused by the last bulk write.

Timeouts: search, suggest and count ``timeout`` (2 s) with at most one retry (connection
errors, 429/502/503/504; a timeout is not retried), so a hung cluster falls back to the
database after about 2 s; ``health`` ``health_timeout`` (1 s) without retry; single writes,
bulk and index administration long timeouts of their own with retries.

The request bodies are built by pure functions (``index_body``, ``document_source``,
``build_search_body``, ``build_suggest_body``, ``known_words_body``, ``did_you_mean_body``,
``parse_search_response``) that unit tests check without a server; the lifecycle runs in
the tests against ``tests/search/es_double.py`` (a double of the Elasticsearch HTTP API), and
the contract suite against a real server when ``SATUDATA_TEST_ELASTICSEARCH_URL`` is set
(``.github/workflows/elasticsearch.yml``; ``docs/search.md``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from satudata.catalog.services.query import DatasetQuery
from satudata.search.documents import SearchDocument
from satudata.search.highlight import Marker, highlight_title, snippet
from satudata.search.protocol import (
    MAX_OFFSET,
    SearchHit,
    SearchQuery,
    SearchResponse,
    SearchUnavailable,
    Suggestion,
    engine_can_answer,
    normalise_query,
    sort_facet,
)
from satudata.search.query import Clause, ParsedQuery, Term, clean_text, parse_query
from satudata.search.synonyms import SynonymStore
from satudata.search.text import STOP_WORDS, closest_word, corrected, index_tokens, stem, stem_text

log = logging.getLogger(__name__)

MAPPING_VERSION = 3  # 2: Python (Sastrawi) stems in *_stem fields, title_sort; 3: wilayah
RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window; deeper pages use search_after
FACET_FIELDS = {
    "organization": "organization", "topic": "topics", "tag": "tags", "format": "formats",
    "licence": "licence", "year": "year", "frequency": "frequency", "kode_wilayah": "kode_wilayah",
    "wilayah": "wilayah",
}
FILTER_FIELDS = {**FACET_FIELDS, "kode_wilayah": "region"}
# (field, boost) per kind of match, as in the embedded engine.
WORD_FIELDS = (("title", 3.0), ("keywords", 1.5), ("description", 1.0))
STEM_FIELDS = (("title_stem", 2.0), ("keywords_stem", 1.0), ("description_stem", 0.6))
FUZZY_FIELDS = (("title", 0.8), ("keywords", 0.4))
PHRASE_FIELDS = (("title", 4.0), ("keywords", 1.5), ("description", 1.5))
SUGGEST_FIELDS = ("title", "keywords")  # where "did you mean" looks for words
TIE = {"id": {"order": "asc"}}  # a total order, which search_after needs
SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"published_at": {"order": "desc"}}, TIE],
    "newest": [{"published_at": {"order": "desc"}}, {"title_sort": {"order": "asc"}}, TIE],
    "modified": [{"updated_at": {"order": "desc"}}, {"title_sort": {"order": "asc"}}, TIE],
    "name": [{"title_sort": {"order": "asc"}}, TIE],
    "downloads": [{"download_count": {"order": "desc"}}, {"title_sort": {"order": "asc"}}, TIE],
}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class DocumentRefused(SearchUnavailable):
    """Elasticsearch refused a document itself (a mapping error, say): retrying the same
    document cannot help, so it is logged, not queued again."""

    def __init__(self, ids: list[str], reason: str = "") -> None:
        super().__init__("Dokumen pencarian ditolak oleh Elasticsearch.",
                         details={"refused": ids[:20], "reason": [reason[:300]]})
        self.ids = ids


class RebuildInProgress(SearchUnavailable):
    """Another process is rebuilding the index."""

    def __init__(self, holder: str) -> None:
        super().__init__("Indeks pencarian sedang dibangun ulang oleh proses lain; coba lagi setelah selesai.",
                         details={"holder": [holder]})


# --------------------------------------------------------------------------- pure: mapping


def index_body(*, bulk_loading: bool = False) -> dict[str, Any]:
    """Settings and mappings of a new versioned index. ``bulk_loading`` turns refresh off and
    replicas to zero while a rebuild fills it (``rebuild`` restores both)."""
    words = {"type": "text", "analyzer": "sd_text", "search_analyzer": "sd_query"}
    stems = {"type": "text", "analyzer": "sd_stems", "index_options": "freqs"}
    settings: dict[str, Any] = {
        "index": {},
        "analysis": {
            # The embedded tokenizer's rule: a token is a run of letters and digits (``_`` splits).
            "tokenizer": {"sd_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}},
            "filter": {"sd_long": {"type": "length", "max": 39}},
            "analyzer": {
                "sd_text": {"type": "custom", "tokenizer": "sd_words", "filter": ["lowercase", "asciifolding", "sd_long"]},
                "sd_query": {"type": "custom", "tokenizer": "sd_words", "filter": ["lowercase", "asciifolding"]},
                # Stems are computed in Python (Sastrawi), already folded: split on spaces only.
                "sd_stems": {"type": "custom", "tokenizer": "whitespace"},
            },
        },
    }
    if bulk_loading:
        settings["index"].update({"refresh_interval": "-1", "number_of_replicas": 0})
    keyword = {"type": "keyword"}
    stored_only = {"type": "keyword", "index": False, "doc_values": False}
    mappings = {
        "dynamic": "strict",
        "_meta": {"satudata_mapping_version": MAPPING_VERSION},
        "properties": {
            "id": keyword,
            "slug": keyword,
            "title": words,
            "title_stem": stems,
            "title_sort": {"type": "keyword", "ignore_above": 512},
            "description": words,
            "description_stem": stems,
            "keywords": words,
            "keywords_stem": stems,
            "tags": keyword,
            "organization": keyword,
            "organization_name": stored_only,
            "topics": keyword,
            "topic_names": stored_only,
            "formats": keyword,
            "licence": keyword,
            "licence_title": stored_only,
            "year": {"type": "integer"},
            "frequency": keyword,
            "kode_wilayah": keyword,
            "region": keyword,
            "wilayah": keyword,
            "coverage": stored_only,
            "columns": stored_only,
            "download_count": {"type": "integer"},
            "published_at": {"type": "date"},
            "updated_at": {"type": "date"},
        },
    }
    return {"settings": settings, "mappings": mappings}


def document_source(doc: SearchDocument) -> dict[str, Any]:
    """The ``_source`` of ``doc``: its fields, the derived ``keywords`` and ``region``, the
    Python stems of title, description and keywords, and the sort title. A missing
    ``updated_at`` is ``published_at`` (as in the embedded engine); a missing
    ``published_at`` sorts as the oldest."""
    source = doc.to_dict()
    keywords = doc.keywords()
    source["keywords"] = keywords
    source["region"] = doc.regions()
    source["wilayah"] = doc.wilayah_levels()
    source["title_stem"] = stem_text(doc.title)
    source["description_stem"] = stem_text(doc.description or "")
    source["keywords_stem"] = stem_text(" ".join(keywords))
    source["title_sort"] = " ".join(index_tokens(doc.title))
    if source["published_at"] is None:
        source["published_at"] = EPOCH.isoformat()
    if source["updated_at"] is None:
        source["updated_at"] = source["published_at"]
    return source


def bulk_actions(docs: Iterable[SearchDocument], index: str) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield {"_op_type": "index", "_index": index, "_id": doc.id, "_source": document_source(doc)}


# --------------------------------------------------------------------------- pure: queries


def _word_query(term: Term) -> dict[str, Any]:
    should: list[dict[str, Any]] = [{"term": {f: {"value": term.text, "boost": b}}} for f, b in WORD_FIELDS]
    if term.stem:
        should += [{"term": {f: {"value": term.stem, "boost": b}}} for f, b in STEM_FIELDS]
    if term.fuzzy:
        should += [{"fuzzy": {f: {"value": term.text, "fuzziness": 1, "prefix_length": 0, "transpositions": True,
                                  "boost": b}}} for f, b in FUZZY_FIELDS]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def text_query(parsed: ParsedQuery) -> dict[str, Any]:
    """Every clause must match (one of its alternatives); the exact phrase scores extra."""
    must: list[dict[str, Any]] = []
    for clause in parsed.clauses:
        alternatives = []
        for alt in clause.alternatives:
            words = [_word_query(t) for t in alt]
            alternatives.append(words[0] if len(words) == 1 else {"bool": {"must": words}})
        must.append(alternatives[0] if len(alternatives) == 1 else
                    {"bool": {"should": alternatives, "minimum_should_match": 1}})
    body: dict[str, Any] = {"must": must}
    if len(parsed.tokens) >= 2:
        phrase = " ".join(parsed.tokens)
        body["should"] = [{"match_phrase": {f: {"query": phrase, "boost": b}}} for f, b in PHRASE_FIELDS]
    return {"bool": body}


def typos_only(parsed: ParsedQuery, known: set[str]) -> ParsedQuery:
    """``parsed`` with typo tolerance kept only for words the index does not hold as they are
    (the embedded engine's rule: a known word is no typo)."""
    if not known:
        return parsed
    return ParsedQuery(tokens=parsed.tokens, clauses=tuple(
        Clause(alternatives=tuple(tuple(replace(t, fuzzy=False) if t.text in known else t for t in alt)
                                  for alt in c.alternatives))
        for c in parsed.clauses))


def _known_filter(word: str) -> dict[str, Any]:
    return {"bool": {"should": [{"term": {f: word}} for f, _b in WORD_FIELDS], "minimum_should_match": 1}}


def known_words_body(words: Iterable[str]) -> dict[str, Any]:
    """One request that counts, for each word, the documents holding it as it is."""
    return {"size": 0, "track_total_hits": False,
            "aggs": {f"w{i}": {"filter": _known_filter(w)} for i, w in enumerate(words)}}


def known_words(words: list[str], response: dict[str, Any]) -> set[str]:
    aggs = response.get("aggregations", {})
    return {w for i, w in enumerate(words) if aggs.get(f"w{i}", {}).get("doc_count", 0) > 0}


def filter_clauses(filters: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One ``term`` filter per value (AND); years are integers in the mapping."""
    out = []
    for key, values in filters.items():
        for value in values:
            out.append({"term": {FILTER_FIELDS[key]: int(value) if key == "year" else value}})
    return out


def build_search_body(q: SearchQuery, parsed: ParsedQuery) -> dict[str, Any]:
    """The ``_search`` body for a normalised query ``q`` and its parsed text (typo tolerance
    already narrowed by ``typos_only``). Pages past ``RESULT_WINDOW`` get a body that counts
    (``size`` 0); ``ElasticsearchBackend.search`` then walks to the page with ``search_after``."""
    filters = filter_clauses(dict(q.filters))  # type: ignore[arg-type]
    query: dict[str, Any]
    if parsed.is_empty:
        query = {"bool": {"filter": filters}} if filters else {"match_all": {}}
    else:
        query = text_query(parsed)
        if filters:
            query["bool"]["filter"] = filters
    sort_key = "newest" if q.sort == "relevance" and parsed.is_empty else q.sort
    in_window = q.start + q.per_page <= RESULT_WINDOW
    body: dict[str, Any] = {
        "query": query,
        "from": q.start if in_window else 0,
        "size": q.per_page if in_window else 0,
        "track_total_hits": True,
        "sort": SORTS[sort_key],
        "_source": ["id", "slug", "title", "description"],
    }
    if q.facets:
        body["aggs"] = {key: {"terms": {"field": FACET_FIELDS[key], "size": q.facet_limit}} for key in q.facets}
    return body


def did_you_mean_candidates(parsed: ParsedQuery) -> list[str]:
    """The query words "did you mean" may replace: letters only, four or more, no stop words."""
    return [t for t in dict.fromkeys(parsed.tokens) if t not in STOP_WORDS and t.isalpha() and len(t) >= 4]


def did_you_mean_body(words: list[str]) -> dict[str, Any]:
    """Which of ``words`` the index holds, and the indexed words of title and keywords near each."""
    suggest: dict[str, Any] = {}
    for i, word in enumerate(words):
        for field_name in SUGGEST_FIELDS:
            suggest[f"w{i}_{field_name}"] = {"text": word, "term": {
                "field": field_name, "suggest_mode": "always", "max_edits": 2, "prefix_length": 2,
                "min_word_length": 4, "size": 20, "sort": "score"}}
    body = known_words_body(words)
    body["suggest"] = suggest
    return body


def did_you_mean(parsed: ParsedQuery, words: list[str], response: dict[str, Any]) -> str | None:
    """The query with each unknown word replaced by the closest indexed word (``text.closest_word``,
    the embedded engine's rule), or ``None``."""
    known = known_words(words, response)
    suggest = response.get("suggest", {})

    def replacement(token: str) -> str | None:
        if token not in words or token in known:
            return None
        i = words.index(token)
        options = [(str(option.get("text", "")), int(option.get("freq", 0)))
                   for field_name in SUGGEST_FIELDS for entry in suggest.get(f"w{i}_{field_name}", [])
                   for option in entry.get("options", [])]
        return closest_word(token, options)

    return corrected(parsed.tokens, replacement)


def build_suggest_body(prefix: str, limit: int) -> dict[str, Any] | None:
    """Title completion, the embedded engine's rule: every finished word must be a title word
    (or share its stem), the last, unfinished word may start one; popular first among
    equals. ``None`` when there is nothing to complete."""
    text = clean_text(prefix)[:100]
    tokens = index_tokens(text)
    if not tokens:
        return None
    partial = tokens[-1] if text[-1].isalnum() else None
    complete = tokens[:-1] if partial else tokens
    must: list[dict[str, Any]] = []
    for token in complete[:8]:
        options: list[dict[str, Any]] = [{"term": {"title": token}}]
        if token not in STOP_WORDS:
            options.append({"term": {"title_stem": stem(token)}})
        must.append({"bool": {"should": options, "minimum_should_match": 1}})
    if partial:
        must.append({"prefix": {"title": {"value": partial}}})
    return {
        "size": limit * 2,
        "_source": ["id", "slug", "title"],
        "query": {"function_score": {"query": {"bool": {"must": must}}, "boost_mode": "multiply",
                                     "field_value_factor": {"field": "download_count", "modifier": "log2p",
                                                            "missing": 0}}},
    }


def parse_search_response(q: SearchQuery, response: dict[str, Any], parsed: ParsedQuery | None = None) -> SearchResponse:
    """A ``SearchResponse`` from a ``_search`` answer to ``build_search_body(q, parsed)``;
    highlights are the embedded engine's (``highlight.py``) on the stored text."""
    hits_block = response.get("hits", {})
    total_block = hits_block.get("total", 0)
    total = int(total_block["value"] if isinstance(total_block, dict) else total_block)
    marker = Marker(parsed or ParsedQuery(tokens=(), clauses=()))
    hits = []
    for raw in hits_block.get("hits", []):
        source = raw.get("_source", {})
        title = str(source.get("title", ""))
        hit = SearchHit(id=raw.get("_id") or source.get("id"), score=raw.get("_score"), title=title,
                        slug=str(source.get("slug", "")))
        if q.highlight:
            hit.highlights = {"title": highlight_title(title, marker),
                              "description": snippet(str(source.get("description") or ""), marker)}
        hits.append(hit)
    facets: dict[str, list[tuple[str, int]]] = {}
    for key in q.facets:
        buckets = response.get("aggregations", {}).get(key, {}).get("buckets", [])
        facets[key] = sort_facet(((str(b["key"]), b["doc_count"]) for b in buckets), q.facet_limit)
    return SearchResponse(hits=hits, total=total, facets=facets, page=q.page, per_page=q.per_page,
                          offset=q.start)


# --------------------------------------------------------------------------- the backend

T = TypeVar("T")
TRANSIENT_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class IndexState:
    """What stands under the alias's name: the indices behind the alias, or a concrete index
    squatting on the name (auto-created by a write without ``require_alias``)."""

    indices: list[str]
    squatter: bool

    @property
    def missing(self) -> bool:
        return not self.indices and not self.squatter


class ElasticsearchBackend:
    """``SearchBackend`` on an Elasticsearch 8 cluster, through the alias ``index``."""

    name = "elasticsearch"

    def __init__(self, url: str, index: str = "satudata-datasets", synonyms: SynonymStore | None = None,
                 *, timeout: float = 2.0, max_retries: int = 1, health_timeout: float = 1.0,
                 write_timeout: float = 30.0, bulk_timeout: float = 120.0, admin_timeout: float = 60.0,
                 bulk_backoff: float = 1.0, rebuild_lock_ttl: float = 6 * 3600) -> None:
        self.url = url
        self.alias = index
        self.lock_name = f"{index}-rebuild-lock"
        self.synonyms = synonyms
        self.timeout = timeout
        self.max_retries = min(max_retries, 1)  # a search waits for at most two attempts
        self.health_timeout = health_timeout
        self.write_timeout = write_timeout
        self.bulk_timeout = bulk_timeout
        self.admin_timeout = admin_timeout
        self.bulk_backoff = bulk_backoff
        self.rebuild_lock_ttl = rebuild_lock_ttl
        self.refused: list[str] = []  # ids refused by the last bulk write or rebuild
        self._client: Any = None
        self._pid: int | None = None
        self._ready_pid: int | None = None
        self._ready_lock = threading.Lock()

    # ----------------------------------------------------------------------- plumbing

    @property
    def client(self) -> Any:
        """The client of this process (connection pools are not shared across a fork), with
        the search timeouts; ``_admin``, ``_writer``, ``_bulk_client`` and ``_health`` are the
        same client with their own."""
        if self._client is None or self._pid != os.getpid():
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(
                self.url, request_timeout=self.timeout, max_retries=self.max_retries,
                retry_on_timeout=False, retry_on_status=(429, 502, 503, 504),
            )
            self._pid = os.getpid()
        return self._client

    @property
    def _admin(self) -> Any:
        return self.client.options(request_timeout=self.admin_timeout, max_retries=2, retry_on_timeout=True)

    @property
    def _writer(self) -> Any:
        return self.client.options(request_timeout=self.write_timeout, max_retries=2, retry_on_timeout=True)

    @property
    def _bulk_client(self) -> Any:
        return self.client.options(request_timeout=self.bulk_timeout, max_retries=3, retry_on_timeout=True)

    @property
    def _health(self) -> Any:
        return self.client.options(request_timeout=self.health_timeout, max_retries=0)

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one engine call; every engine failure becomes ``SearchUnavailable``."""
        from elasticsearch import ApiError, TransportError

        try:
            return fn()
        except SearchUnavailable:
            raise
        except (ApiError, TransportError) as exc:
            log.error("Elasticsearch %s failed: %s", what, exc)
            raise SearchUnavailable() from exc

    def _missing_is_empty(self, fn: Callable[[], Any]) -> Any:
        """A cluster without the index yet answers as an empty index would."""
        from elasticsearch import NotFoundError

        try:
            return fn()
        except NotFoundError:
            return None

    def _search(self, what: str, body: dict[str, Any]) -> dict[str, Any] | None:
        response = self._call(what, lambda: self._missing_is_empty(
            lambda: self.client.search(index=self.alias, body=body)))
        return dict(response) if response is not None else None

    # ----------------------------------------------------------------------- index management

    def _state(self, client: Any = None) -> IndexState:
        """The indices behind the alias, and whether a concrete index has taken its name."""
        client = client or self._admin
        found = self._call("get", lambda: client.options(ignore_status=404).indices.get(
            index=self.alias, allow_no_indices=True, ignore_unavailable=True))
        names = sorted(k for k in dict(found or {}) if k != "error" and k != "status")
        return IndexState(indices=[n for n in names if n != self.alias], squatter=self.alias in names)

    def _indices(self) -> list[str]:
        return self._state().indices

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def ensure_index(self) -> None:
        """Create the mapped index behind the alias unless it is there (once per process;
        every write calls it first). An index squatting on the alias's name is left for
        ``rebuild`` (``satudata search reindex``) to replace: ``health`` reports it."""
        if self._ready_pid == os.getpid():
            return
        with self._ready_lock:
            if self._ready_pid == os.getpid():
                return
            state = self._state()
            if state.squatter:
                log.error("An index named %s (the alias's name) exists, made by Elasticsearch itself; "
                          "run `satudata search reindex` to replace it", self.alias)
                raise SearchUnavailable(details={"index": [f"{self.alias} is an index, not an alias"]})
            if not state.indices:
                self._create_behind_alias()
            self._ready_pid = os.getpid()

    def _create_behind_alias(self) -> None:
        from elasticsearch import ApiError

        name = self._new_index_name()
        try:
            self._admin.indices.create(index=name, **index_body(),
                                       aliases={self.alias: {"is_write_index": True}})
        except ApiError as exc:
            # Another process may have won the race: then its index is there; else fail.
            if self._state().indices:
                return
            log.error("Elasticsearch create %s failed: %s", name, exc)
            raise SearchUnavailable() from exc
        except Exception as exc:
            from elasticsearch import TransportError

            if isinstance(exc, TransportError):
                raise SearchUnavailable() from exc
            raise
        # Two processes that both found nothing both created one: the older stays.
        indices = self._state().indices
        if len(indices) > 1 and name in indices and name != indices[0]:
            log.info("Index %s lost the creation race to %s; deleting it", name, indices[0])
            self._delete_index(name)

    def create_index(self) -> None:
        self._ready_pid = None
        self.ensure_index()

    def drop_index(self) -> None:
        """Delete every index of the alias, the rebuild lock and a squatter (by name: clusters
        refuse wildcard deletes)."""
        self._ready_pid = None
        pattern = f"{self.alias}-*"
        names = self._call("get", lambda: sorted(self._admin.options(ignore_status=404).indices.get(
            index=pattern, allow_no_indices=True, expand_wildcards="open,closed").keys()))
        if self._state().squatter:
            names.append(self.alias)
        for name in names:
            if name == self.alias or name.startswith(self.alias + "-"):
                self._delete_index(name)

    def _delete_index(self, name: str) -> None:
        self._call("delete", lambda: self._admin.options(ignore_status=404).indices.delete(index=name))

    @contextmanager
    def _rebuild_lock(self) -> Iterator[None]:
        """Hold the rebuild lock: an index named ``<alias>-rebuild-lock``."""
        from elasticsearch import BadRequestError

        holder = f"{socket.gethostname()}:{os.getpid()}"
        for attempt in (1, 2):
            try:
                self._admin.indices.create(
                    index=self.lock_name, settings={"index": {"number_of_shards": 1, "number_of_replicas": 0}},
                    mappings={"dynamic": False, "_meta": {"holder": holder, "since": datetime.now(UTC).isoformat()}})
                break
            except BadRequestError as exc:
                if "resource_already_exists" not in str(exc.error) or attempt == 2:
                    raise SearchUnavailable() from exc
                meta = self._lock_meta()
                since = meta.get("since")
                stale = since is None or datetime.now(UTC) - datetime.fromisoformat(str(since)) > timedelta(
                    seconds=self.rebuild_lock_ttl)
                if not stale:
                    raise RebuildInProgress(str(meta.get("holder", "?"))) from exc
                log.warning("Taking over the stale rebuild lock of %s (since %s)", meta.get("holder"), since)
                self._delete_index(self.lock_name)
            except Exception as exc:
                from elasticsearch import ApiError, TransportError

                if isinstance(exc, ApiError | TransportError):
                    raise SearchUnavailable() from exc
                raise
        try:
            yield
        finally:
            try:
                self._delete_index(self.lock_name)
            except SearchUnavailable:
                log.error("Could not release the rebuild lock %s; it goes stale after %ss",
                          self.lock_name, self.rebuild_lock_ttl)

    def _lock_meta(self) -> dict[str, Any]:
        found = self._call("get_mapping", lambda: self._admin.options(ignore_status=404).indices.get_mapping(
            index=self.lock_name))
        for value in dict(found or {}).values():
            if isinstance(value, dict):
                return dict(value.get("mappings", {}).get("_meta", {}))
        return {}

    def rebuild(self, docs: Iterable[SearchDocument]) -> int:
        """Fill a new index, then, in one atomic call, move the alias to it and remove an
        index squatting on the alias's name; drop the old indices. On any failure the new
        index is deleted. One rebuild at a time (``RebuildInProgress`` otherwise)."""
        with self._rebuild_lock():
            name = self._new_index_name()
            self._call("create", lambda: self._admin.indices.create(index=name, **index_body(bulk_loading=True)))
            try:
                n, refused = self._bulk(bulk_actions(docs, name))
                self._call("put_settings", lambda: self._admin.indices.put_settings(
                    index=name, settings={"index": {"refresh_interval": None, "number_of_replicas": None}}))
                self._call("refresh", lambda: self._admin.indices.refresh(index=name))
                state = self._state()  # read now: an index made while this one filled is replaced too
                actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": self.alias, "is_write_index": True}}]
                actions += [{"remove": {"index": o, "alias": self.alias}} for o in state.indices]
                if state.squatter:
                    actions.append({"remove_index": {"index": self.alias}})
                self._call("update_aliases", lambda: self._admin.indices.update_aliases(actions=actions))
            except BaseException:
                try:
                    self._delete_index(name)  # leave no unused index behind
                except SearchUnavailable:
                    log.error("Could not delete the unfinished index %s", name)
                raise
            for old in state.indices:
                try:
                    self._delete_index(old)
                except SearchUnavailable:
                    log.error("Could not delete the replaced index %s", old)
            self.refused = refused
            self._ready_pid = os.getpid()
            return n

    # ----------------------------------------------------------------------- writes

    def _bulk(self, actions: Iterable[dict[str, Any]], **kwargs: Any) -> tuple[int, list[str]]:
        """Send ``actions``; returns how many were written and the ids Elasticsearch refused.
        Items still rejected for load (429, 5xx) after the retries make it ``SearchUnavailable``."""
        from elasticsearch import helpers

        ok, refused, transient = 0, [], []

        def run() -> None:
            nonlocal ok
            for success, item in helpers.streaming_bulk(
                    self._bulk_client, actions, chunk_size=500, max_retries=3, initial_backoff=self.bulk_backoff,
                    max_backoff=30, raise_on_error=False, raise_on_exception=True, **kwargs):
                if success:
                    ok += 1
                    continue
                result: dict[str, Any] = next(iter(item.values()), {})
                status = int(result.get("status", 0) or 0)
                if status in TRANSIENT_STATUSES or status == 404 or status == 0:
                    transient.append(item)
                else:
                    refused.append(str(result.get("_id")))
                    log.error("Elasticsearch refused document %s: %s", result.get("_id"),
                              str(result.get("error"))[:500])

        self._call("bulk", run)
        if transient:
            log.error("Elasticsearch could not take %d documents, e.g. %s", len(transient), transient[0])
            raise SearchUnavailable(details={"failed": [str(f)[:200] for f in transient[:5]]})
        return ok, refused

    def index(self, doc: SearchDocument) -> None:
        """Write one document through the alias (``require_alias``: never auto-create)."""
        from elasticsearch import ApiError, BadRequestError, NotFoundError, TransportError

        source = document_source(doc)
        for attempt in (1, 2):
            self.ensure_index()
            try:
                self._writer.index(index=self.alias, id=doc.id, document=source, refresh="wait_for",
                                   require_alias=True)
                return
            except NotFoundError as exc:
                # The alias went away since this process checked (dropped by hand): create it
                # again, once.
                self._ready_pid = None
                if attempt == 2:
                    raise SearchUnavailable() from exc
            except BadRequestError as exc:
                log.error("Elasticsearch refused document %s: %s", doc.id, exc)
                raise DocumentRefused([doc.id], str(exc)) from exc
            except (ApiError, TransportError) as exc:
                log.error("Elasticsearch index %s failed: %s", doc.id, exc)
                raise SearchUnavailable() from exc

    def bulk_index(self, docs: Iterable[SearchDocument]) -> int:
        """Write ``docs`` through the alias; refused documents are skipped (``refused``)."""
        self.ensure_index()
        n, self.refused = self._bulk(bulk_actions(docs, self.alias), require_alias=True)
        self._call("refresh", lambda: self._writer.indices.refresh(index=self.alias))
        return n

    def delete(self, doc_id: str) -> None:
        self.ensure_index()
        self._call("delete", lambda: self._writer.options(ignore_status=404).delete(
            index=self.alias, id=doc_id, refresh="wait_for"))

    # ----------------------------------------------------------------------- reads

    def _known(self, words: list[str]) -> set[str]:
        if not words:
            return set()
        response = self._search("known words", known_words_body(words))
        return known_words(words, response or {})

    def search(self, query: SearchQuery) -> SearchResponse:
        q = normalise_query(query)
        parsed = parse_query(q.text, self.synonyms.current() if self.synonyms else None)
        if not parsed.is_empty:
            parsed = typos_only(parsed, self._known(sorted(parsed.fuzzy_words())))
        body = build_search_body(q, parsed)
        response = self._search("search", body) or {}
        if body["size"] == 0 and q.start < MAX_OFFSET:
            response["hits"] = dict(response.get("hits", {}), hits=self._deep_page(body, q.start, q.per_page))
        result = parse_search_response(q, response, parsed)
        if result.total == 0 and not parsed.is_empty:
            words = did_you_mean_candidates(parsed)
            if words:
                answer = self._search("did you mean", did_you_mean_body(words))
                result.suggestion = did_you_mean(parsed, words, answer or {})
        return result

    def _deep_page(self, body: dict[str, Any], start: int, size: int) -> list[dict[str, Any]]:
        """The hits ``start`` to ``start + size`` past the result window: walk there with
        ``search_after`` in steps of at most ``RESULT_WINDOW`` sort keys (no sources)."""
        walk = {"query": body["query"], "sort": body["sort"], "_source": False, "track_total_hits": False}
        after: list[Any] | None = None
        skipped = 0
        while skipped < start:
            step = min(RESULT_WINDOW, start - skipped)
            answer = self._search("search_after", {**walk, "size": step, **({"search_after": after} if after else {})})
            hits = (answer or {}).get("hits", {}).get("hits", [])
            if len(hits) < step:
                return []
            skipped += len(hits)
            after = hits[-1]["sort"]
        page = {"query": body["query"], "sort": body["sort"], "_source": body["_source"], "size": size,
                "track_total_hits": False, **({"search_after": after} if after else {})}
        answer = self._search("search", page)
        return list((answer or {}).get("hits", {}).get("hits", []))

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        limit = max(1, min(int(limit), 20))
        body = build_suggest_body(prefix, limit)
        if body is None:
            return []
        response = self._search("suggest", body)
        out: list[Suggestion] = []
        if response is None:
            return out
        seen: set[str] = set()
        for raw in response["hits"]["hits"]:
            source = raw["_source"]
            title = str(source.get("title", ""))
            if title.lower() in seen:
                continue
            seen.add(title.lower())
            out.append(Suggestion(id=raw["_id"], slug=str(source.get("slug", "")), title=title))
            if len(out) >= limit:
                break
        return out

    def count(self) -> int:
        response = self._call("count", lambda: self._missing_is_empty(lambda: self.client.count(index=self.alias)))
        return int(response["count"]) if response is not None else 0

    def mapping_versions(self) -> dict[str, int | None]:
        """The mapping version of each index behind the alias (or squatting on its name)."""
        found = self._call("get_mapping", lambda: self._health.options(ignore_status=404).indices.get_mapping(
            index=self.alias, allow_no_indices=True, ignore_unavailable=True))
        out: dict[str, int | None] = {}
        for name, value in dict(found or {}).items():
            if isinstance(value, dict) and "mappings" in value:
                version = value["mappings"].get("_meta", {}).get("satudata_mapping_version")
                out[name] = int(version) if version is not None else None
        return out

    def can_answer(self, query: DatasetQuery) -> bool:
        return engine_can_answer(query, FILTER_FIELDS, FACET_FIELDS)

    def health(self) -> dict[str, Any]:
        """Cluster state, and what stands under the alias: ``rebuild_needed`` (with
        ``problem``) when it is missing, an index squats on its name, or its mapping is not
        this code's (``satudata search reindex`` repairs each)."""
        try:
            cluster = self._call("health", lambda: self._health.cluster.health())
            state = self._state(self._health)
            versions = self.mapping_versions()
            documents = 0
            if not state.missing:
                answer = self._call("count", lambda: self._missing_is_empty(
                    lambda: self._health.count(index=self.alias)))
                documents = int(answer["count"]) if answer is not None else 0
        except SearchUnavailable as exc:
            return {"status": "error", "backend": self.name, "alias": self.alias,
                    "error": f"{type(exc.__cause__).__name__}"}
        problem = None
        if state.squatter:
            problem = f"'{self.alias}' adalah indeks (dibuat otomatis oleh Elasticsearch), bukan alias"
        elif state.missing:
            problem = f"alias '{self.alias}' belum ada"
        elif any(v != MAPPING_VERSION for v in versions.values()):
            problem = f"versi mapping {sorted(set(map(str, versions.values())))} bukan {MAPPING_VERSION}"
        return {"status": "ok" if cluster["status"] in ("green", "yellow") else "error",
                "backend": self.name, "cluster": cluster["status"], "alias": self.alias,
                "indices": state.indices + ([self.alias] if state.squatter else []),
                "mapping_version": versions, "expected_mapping_version": MAPPING_VERSION,
                "documents": documents, "rebuild_needed": problem is not None, "problem": problem}
