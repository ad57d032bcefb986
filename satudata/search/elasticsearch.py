"""The Elasticsearch backend (Elasticsearch 8, the ``elasticsearch`` client of the same major).

- Explicit mapping (``index_body``): title, description and keywords use the built-in
  ``indonesian`` analyzer (stop words and stems), with an ``exact`` subfield (lower-cased,
  ASCII-folded, unstemmed) for exact words, phrases and typo tolerance; facets are ``keyword``
  fields; ``title.suggest`` is ``search_as_you_type`` for completion; ``title.sort`` a
  normalised keyword for sorting by name.
- The portal reads and writes through an alias (``satudata-datasets``). ``rebuild`` fills a
  new versioned index (``satudata-datasets-<UTC stamp>``), then moves the alias in one atomic
  call and deletes the old index, so search never sees a half-built index.
- Bulk writes use ``helpers.streaming_bulk``; the client retries connection errors, timeouts
  and 429/502/503/504 answers; whatever still fails becomes ``SearchUnavailable``.

The request bodies are built by pure functions (``index_body``, ``build_search_body``,
``build_suggest_body``, ``parse_search_response``) that the unit tests check without a
server; the contract suite runs against a real server when
``SATUDATA_TEST_ELASTICSEARCH_URL`` is set.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

from markupsafe import Markup, escape

from satudata.search.documents import SearchDocument
from satudata.search.protocol import (
    MAX_OFFSET,
    MAX_PER_PAGE,
    SearchHit,
    SearchQuery,
    SearchResponse,
    SearchUnavailable,
    Suggestion,
    normalise_query,
    sort_facet,
)
from satudata.search.query import ParsedQuery, Term, clean_text, parse_query
from satudata.search.synonyms import SynonymStore

log = logging.getLogger(__name__)

MAPPING_VERSION = 1
SNIPPET_CHARS = 220
FACET_FIELDS = {
    "organization": "organization", "topic": "topics", "tag": "tags", "format": "formats",
    "licence": "licence", "year": "year", "frequency": "frequency", "kode_wilayah": "kode_wilayah",
}
FILTER_FIELDS = {**FACET_FIELDS, "kode_wilayah": "region"}
WORD_FIELDS = (("title.exact", 3.0), ("keywords.exact", 1.5), ("description.exact", 1.0))
STEM_FIELDS = (("title", 2.0), ("keywords", 1.0), ("description", 0.6))
FUZZY_FIELDS = (("title.exact", 0.8), ("keywords.exact", 0.4))
PHRASE_FIELDS = (("title.exact", 4.0), ("keywords.exact", 1.5), ("description.exact", 1.5))
SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"published_at": {"order": "desc"}}],
    "newest": [{"published_at": {"order": "desc"}}, {"title.sort": {"order": "asc"}}],
    "modified": [{"updated_at": {"order": "desc"}}, {"title.sort": {"order": "asc"}}],
    "name": [{"title.sort": {"order": "asc"}}],
    "downloads": [{"download_count": {"order": "desc"}}, {"title.sort": {"order": "asc"}}],
}


# --------------------------------------------------------------------------- pure: mapping


def index_body(*, bulk_loading: bool = False) -> dict[str, Any]:
    """Settings and mappings of a new versioned index. ``bulk_loading`` turns refresh off and
    replicas to zero while a rebuild fills it (``rebuild`` restores both)."""

    def searchable(extra: dict[str, Any] | None = None) -> dict[str, Any]:
        fields: dict[str, Any] = {"exact": {"type": "text", "analyzer": "sd_exact"}}
        fields.update(extra or {})
        return {"type": "text", "analyzer": "indonesian", "fields": fields}

    settings: dict[str, Any] = {
        "index": {"max_result_window": MAX_OFFSET + MAX_PER_PAGE},
        "analysis": {
            "analyzer": {"sd_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}},
            "normalizer": {"sd_sort": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
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
            "title": searchable({
                "sort": {"type": "keyword", "normalizer": "sd_sort", "ignore_above": 256},
                "suggest": {"type": "search_as_you_type", "analyzer": "sd_exact"},
            }),
            "description": searchable(),
            "keywords": searchable(),
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
            "coverage": stored_only,
            "columns": stored_only,
            "download_count": {"type": "integer"},
            "published_at": {"type": "date"},
            "updated_at": {"type": "date"},
        },
    }
    return {"settings": settings, "mappings": mappings}


def document_source(doc: SearchDocument) -> dict[str, Any]:
    """The ``_source`` of ``doc``: its fields plus the derived ``keywords`` and ``region``."""
    source = doc.to_dict()
    source["keywords"] = doc.keywords()
    source["region"] = doc.regions()
    for key in ("published_at", "updated_at"):
        if source[key] is None:
            source[key] = datetime(1970, 1, 1, tzinfo=UTC).isoformat()
    if not source.get("updated_at"):
        source["updated_at"] = source["published_at"]
    return source


def bulk_actions(docs: Iterable[SearchDocument], index: str) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield {"_op_type": "index", "_index": index, "_id": doc.id, "_source": document_source(doc)}


# --------------------------------------------------------------------------- pure: queries


def _word_query(term: Term) -> dict[str, Any]:
    should: list[dict[str, Any]] = [{"match": {f: {"query": term.text, "boost": b}}} for f, b in WORD_FIELDS]
    if term.stem:
        should += [{"match": {f: {"query": term.text, "boost": b}}} for f, b in STEM_FIELDS]
    if term.fuzzy:
        should += [{"match": {f: {"query": term.text, "fuzziness": 1, "prefix_length": 1, "boost": b}}}
                   for f, b in FUZZY_FIELDS]
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


def filter_clauses(filters: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One ``term`` filter per value (AND); years are integers in the mapping."""
    out = []
    for key, values in filters.items():
        for value in values:
            out.append({"term": {FILTER_FIELDS[key]: int(value) if key == "year" else value}})
    return out


def build_search_body(q: SearchQuery, parsed: ParsedQuery) -> dict[str, Any]:
    """The ``_search`` body for a normalised query ``q`` and its parsed text."""
    filters = filter_clauses(dict(q.filters))  # type: ignore[arg-type]
    query: dict[str, Any]
    if parsed.is_empty:
        query = {"bool": {"filter": filters}} if filters else {"match_all": {}}
    else:
        query = text_query(parsed)
        if filters:
            query["bool"]["filter"] = filters
    sort_key = "newest" if q.sort == "relevance" and parsed.is_empty else q.sort
    beyond = q.start >= MAX_OFFSET
    body: dict[str, Any] = {
        "query": query,
        "from": 0 if beyond else q.start,
        "size": 0 if beyond else q.per_page,
        "track_total_hits": True,
        "sort": SORTS[sort_key],
        "_source": ["id", "slug", "title", "description"],
    }
    if q.facets:
        body["aggs"] = {key: {"terms": {"field": FACET_FIELDS[key], "size": q.facet_limit}} for key in q.facets}
    if q.highlight and not beyond:
        body["highlight"] = {
            "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
            "fields": {
                "title": {"number_of_fragments": 0}, "title.exact": {"number_of_fragments": 0},
                "description": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
                "description.exact": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1},
            },
        }
    if not parsed.is_empty:
        body["suggest"] = {"text": " ".join(parsed.tokens),
                           "did_you_mean": {"term": {"field": "title.exact", "suggest_mode": "missing",
                                                     "min_word_length": 4, "max_edits": 2}}}
    return body


def build_suggest_body(prefix: str, limit: int) -> dict[str, Any] | None:
    """Title completion over ``title.suggest`` (search_as_you_type), popular first among
    equals; ``None`` when there is nothing to complete."""
    text = clean_text(prefix)[:100]
    if not any(ch.isalnum() for ch in text):
        return None
    match = {"multi_match": {"query": text, "type": "bool_prefix", "operator": "and",
                             "fields": ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"]}}
    return {
        "size": limit * 2,
        "_source": ["id", "slug", "title"],
        "query": {"function_score": {"query": match, "boost_mode": "multiply",
                                     "field_value_factor": {"field": "download_count", "modifier": "log2p",
                                                            "missing": 0}}},
    }


def _pick_highlight(highlight: dict[str, list[str]], *fields: str) -> str | None:
    """The first highlighted variant that marks something, else the first there is."""
    found = [highlight[f][0] for f in fields if highlight.get(f)]
    for fragment in found:
        if "<mark>" in fragment:
            return fragment
    return found[0] if found else None


def parse_search_response(q: SearchQuery, response: dict[str, Any]) -> SearchResponse:
    """A ``SearchResponse`` from a ``_search`` answer to ``build_search_body(q, ...)``."""
    hits_block = response.get("hits", {})
    total_block = hits_block.get("total", 0)
    total = int(total_block["value"] if isinstance(total_block, dict) else total_block)
    hits = []
    for raw in hits_block.get("hits", []):
        source = raw.get("_source", {})
        title = str(source.get("title", ""))
        hit = SearchHit(id=raw.get("_id") or source.get("id"), score=raw.get("_score"), title=title,
                        slug=str(source.get("slug", "")))
        if q.highlight:
            highlight = raw.get("highlight", {})
            title_html = _pick_highlight(highlight, "title", "title.exact")
            description_html = _pick_highlight(highlight, "description", "description.exact")
            if description_html is None:
                description = " ".join(str(source.get("description") or "").split())
                cut = description[:SNIPPET_CHARS]
                description_html = str(escape(cut)) + (" …" if len(description) > len(cut) else "")
            hit.highlights = {
                "title": Markup(title_html) if title_html else Markup(escape(title)),
                # ES escaped the text itself (encoder "html"); only <mark> is markup.
                "description": Markup(description_html),
            }
        hits.append(hit)
    facets: dict[str, list[tuple[str, int]]] = {}
    for key in q.facets:
        buckets = response.get("aggregations", {}).get(key, {}).get("buckets", [])
        facets[key] = sort_facet(((str(b["key"]), b["doc_count"]) for b in buckets), q.facet_limit)
    suggestion = None
    if total == 0:
        words, changed = [], False
        for entry in response.get("suggest", {}).get("did_you_mean", []):
            options = entry.get("options") or []
            if options:
                words.append(options[0]["text"])
                changed = True
            else:
                words.append(entry.get("text", ""))
        suggestion = " ".join(w for w in words if w) if changed else None
    return SearchResponse(hits=hits, total=total, facets=facets, page=q.page, per_page=q.per_page,
                          offset=q.start, suggestion=suggestion)


# --------------------------------------------------------------------------- the backend

T = TypeVar("T")


class ElasticsearchBackend:
    """``SearchBackend`` on an Elasticsearch 8 cluster, through the alias ``index``."""

    name = "elasticsearch"

    def __init__(self, url: str, index: str = "satudata-datasets", synonyms: SynonymStore | None = None,
                 *, timeout: float = 5.0, max_retries: int = 3) -> None:
        self.url = url
        self.alias = index
        self.synonyms = synonyms
        self.timeout = timeout
        self.max_retries = max_retries
        self._client: Any = None
        self._pid: int | None = None

    @property
    def client(self) -> Any:
        """The client of this process (connection pools are not shared across a fork)."""
        if self._client is None or self._pid != os.getpid():
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(
                self.url, request_timeout=self.timeout, max_retries=self.max_retries,
                retry_on_timeout=True, retry_on_status=(429, 502, 503, 504),
            )
            self._pid = os.getpid()
        return self._client

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one engine call; every engine failure becomes ``SearchUnavailable``."""
        from elasticsearch import ApiError, TransportError

        try:
            return fn()
        except (ApiError, TransportError) as exc:
            log.exception("Elasticsearch %s failed", what)
            raise SearchUnavailable() from exc

    # ----------------------------------------------------------------------- index management

    def _indices(self) -> list[str]:
        from elasticsearch import NotFoundError

        def get() -> list[str]:
            try:
                return sorted(self.client.indices.get_alias(name=self.alias).keys())
            except NotFoundError:
                return []

        return self._call("get_alias", get)

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def create_index(self) -> None:
        if self._indices():
            return
        name = self._new_index_name()
        self._call("create", lambda: self.client.indices.create(index=name, **index_body()))
        self._call("put_alias", lambda: self.client.indices.put_alias(index=name, name=self.alias))

    def drop_index(self) -> None:
        """Delete every versioned index of the alias (by name: clusters refuse wildcard deletes)."""
        pattern = f"{self.alias}-*"
        names = self._call("get", lambda: sorted(self.client.options(ignore_status=404).indices.get(
            index=pattern, allow_no_indices=True, expand_wildcards="open,closed").keys()))
        for name in names:
            if name.startswith(self.alias + "-"):
                self._delete_index(name)

    def _delete_index(self, name: str) -> None:
        self._call("delete", lambda: self.client.options(ignore_status=404).indices.delete(index=name))

    def rebuild(self, docs: Iterable[SearchDocument]) -> int:
        """Fill a new index, then move the alias to it atomically and drop the old ones."""
        old = self._indices()
        name = self._new_index_name()
        self._call("create", lambda: self.client.indices.create(index=name, **index_body(bulk_loading=True)))
        try:
            n = self._bulk(bulk_actions(docs, name))
            self._call("put_settings", lambda: self.client.indices.put_settings(
                index=name, settings={"index": {"refresh_interval": None, "number_of_replicas": None}}))
            self._call("refresh", lambda: self.client.indices.refresh(index=name))
        except BaseException:
            try:
                self._delete_index(name)  # leave no half-built index behind
            except SearchUnavailable:
                log.warning("Could not delete the unfinished index %s", name)
            raise
        actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": self.alias}}]
        actions += [{"remove": {"index": o, "alias": self.alias}} for o in old]
        self._call("update_aliases", lambda: self.client.indices.update_aliases(actions=actions))
        for o in old:
            self._delete_index(o)
        return n

    # ----------------------------------------------------------------------- writes

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> int:
        from elasticsearch import helpers

        ok, failed = 0, []

        def run() -> None:
            nonlocal ok
            for success, item in helpers.streaming_bulk(self.client, actions, chunk_size=500, max_retries=3,
                                                        initial_backoff=1, raise_on_error=False):
                if success:
                    ok += 1
                else:
                    failed.append(item)

        self._call("bulk", run)
        if failed:
            log.error("Elasticsearch refused %d documents, e.g. %s", len(failed), failed[0])
            raise SearchUnavailable(details={"failed": [str(f)[:200] for f in failed[:5]]})
        return ok

    def index(self, doc: SearchDocument) -> None:
        self._call("index", lambda: self.client.index(index=self.alias, id=doc.id, document=document_source(doc),
                                                       refresh="wait_for"))

    def bulk_index(self, docs: Iterable[SearchDocument]) -> int:
        n = self._bulk(bulk_actions(docs, self.alias))
        self._call("refresh", lambda: self.client.indices.refresh(index=self.alias))
        return n

    def delete(self, doc_id: str) -> None:
        self._call("delete", lambda: self.client.options(ignore_status=404).delete(
            index=self.alias, id=doc_id, refresh="wait_for"))

    # ----------------------------------------------------------------------- reads

    def search(self, query: SearchQuery) -> SearchResponse:
        q = normalise_query(query)
        parsed = parse_query(q.text, self.synonyms.current() if self.synonyms else None)
        body = build_search_body(q, parsed)
        response = self._call("search", lambda: self._missing_is_empty(
            lambda: self.client.search(index=self.alias, body=body)))
        return parse_search_response(q, dict(response or {}))

    def _missing_is_empty(self, fn: Callable[[], Any]) -> Any:
        """A cluster without the index yet (a fresh install before ``reindex``) answers as an
        empty index would."""
        from elasticsearch import NotFoundError

        try:
            return fn()
        except NotFoundError:
            return None

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        limit = max(1, min(int(limit), 20))
        body = build_suggest_body(prefix, limit)
        if body is None:
            return []
        response = self._call("suggest", lambda: self._missing_is_empty(
            lambda: self.client.search(index=self.alias, body=body)))
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

    def health(self) -> dict[str, Any]:
        try:
            cluster = self._call("health", lambda: self.client.options(request_timeout=2).cluster.health())
            return {"status": "ok" if cluster["status"] in ("green", "yellow") else "error",
                    "backend": self.name, "cluster": cluster["status"], "documents": self.count(),
                    "indices": self._indices()}
        except SearchUnavailable as exc:
            return {"status": "error", "backend": self.name, "error": f"{type(exc.__cause__).__name__}"}
