"""The embedded search engine: a tantivy index in ``<instance>/search/``.

Layout of a document (schema version ``SCHEMA_VERSION``; a new version is a new directory,
which ``satudata search status`` then reports as empty until ``reindex``):

- ``title``, ``description``, ``keywords`` (tags, topics, organisation, region, column titles,
  year): original text, lower-cased and ASCII-folded, with positions for phrase matches;
- ``title_stem``, ``description_stem``, ``keywords_stem``: the same text as Sastrawi stems
  without stop words, so *kependudukan* finds *penduduk*;
- ``f_*``: raw fast fields for filters and facet counts (tantivy terms aggregations);
  ``f_region`` holds every level of ``kode_wilayah`` for hierarchical filtering, ``f_wilayah``
  every level of the producing government's region (filter and facet);
- ``f_format_set``, ``f_wilayah_code``: one value each, what the multi-valued ``f_format`` and
  ``f_wilayah`` are made of (the set of formats; the government's own code), which the format
  and wilayah facets are counted on (``COMPANION_FACETS``: about 25 times faster);
- ``title_sort``, ``published_at``, ``updated_at``, ``download_count``: fast fields for sorting.

Scoring is BM25 summed over the fields, title weighted above keywords above description, with
a bonus for the query as an exact phrase and a small constant for a one-typo match.

Writes: one writer at a time (tantivy holds a lock file; in production the ``search`` RQ
queue is the single writer). A writer that finds the lock busy waits for it. Each call commits
once, ``batch()`` groups many calls into one commit, and ``rebuild`` replaces everything in a
single commit, so readers switch from the old index to the new one at once. Readers reload
when ``meta.json`` changed (a ``stat`` before every search), so a commit by the worker process is
visible to the web processes on their next query. The answers to queries without text
(listings, whose facets over everything cost most) are kept per process for as long as the
commit they were read at is the current one (``_browse_key``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Filter, Occur, Order, Query, TextAnalyzerBuilder, Tokenizer

from satudata.catalog.services.query import DatasetQuery, wilayah_levels
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
    epoch_if_missing,
    normalise_query,
    sort_facet,
)
from satudata.search.query import Clause, ParsedQuery, Term, clean_text, parse_query
from satudata.search.synonyms import SynonymSet, SynonymStore
from satudata.search.text import STOP_WORDS, closest_word, corrected, stem, stems

log = logging.getLogger(__name__)

# 2: f_wilayah (the producing government's region), times in microseconds;
# 3: f_format_set and f_wilayah_code (single-valued companions the facets are counted on)
SCHEMA_VERSION = 3
TEXT_ANALYZER = "sd_text"
STEM_ANALYZER = "sd_stem"

FACET_FIELDS = {
    "organization": "f_organization", "topic": "f_topic", "tag": "f_tag", "format": "f_format",
    "licence": "f_licence", "year": "f_year", "frequency": "f_frequency", "kode_wilayah": "f_kode_wilayah",
    "wilayah": "f_wilayah",
}
FILTER_FIELDS = {**FACET_FIELDS, "kode_wilayah": "f_region"}
# tantivy counts a facet over a multi-valued field 20-40 times slower than over a single-valued
# one (over a million documents: 22-47 ms against 1.2 ms). Where the values of a document come
# from few possible sets, a single-valued companion holds the whole set; the facet is counted on
# it and each set's count added to each of its values: exact, as every document is in one set.
# Sets the companion cannot hold, or more sets than COMPANION_BUCKETS, count the plain field.
SET_SEPARATOR = "\x1f"
NO_SET = "\x1e"  # the companion of values it cannot hold (empty, or with SET_SEPARATOR in them)
COMPANION_FACETS: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "format": ("f_format_set", lambda key: key.split(SET_SEPARATOR)),
    "wilayah": ("f_wilayah_code", wilayah_levels),
}
COMPANION_BUCKETS = 10_000
SORT_FIELDS: dict[str, tuple[str, Order]] = {
    "newest": ("published_at", Order.Desc),
    "modified": ("updated_at", Order.Desc),
    "name": ("title_sort", Order.Asc),
    "downloads": ("download_count", Order.Desc),
}
# (field, boost) per kind of match; stems score below the original words they come from.
WORD_FIELDS = (("title", 3.0), ("keywords", 1.5), ("description", 1.0))
STEM_FIELDS = (("title_stem", 2.0), ("keywords_stem", 1.0), ("description_stem", 0.6))
FUZZY_FIELDS = (("title", 0.8), ("keywords", 0.4))
PHRASE_FIELDS = (("title", 4.0), ("keywords", 1.5), ("description", 1.5))

STEM_CACHE_SIZE = 50_000  # keywords whose stems are kept (``_keyword_stems``)
BROWSE_CACHE_SIZE = 128  # answers to queries without text kept per process (``_browse_key``); 0: none
WRITER_HEAP = 32_000_000
REBUILD_HEAP = 256_000_000


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("slug", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True, tokenizer_name=TEXT_ANALYZER)
    sb.add_text_field("description", stored=True, tokenizer_name=TEXT_ANALYZER)
    sb.add_text_field("keywords", tokenizer_name=TEXT_ANALYZER)
    for name in ("title_stem", "description_stem", "keywords_stem"):
        sb.add_text_field(name, tokenizer_name=STEM_ANALYZER, index_option="freq")
    companions = {field_name for field_name, _expand in COMPANION_FACETS.values()}
    for name in sorted(set(FILTER_FIELDS.values()) | set(FACET_FIELDS.values()) | companions):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title_sort", fast=True, tokenizer_name="raw", index_option="basic")
    # Microseconds since 1970 (tantivy's date fast fields keep whole seconds, so two datasets
    # published in the same second would tie where the database orders them).
    sb.add_integer_field("published_at", fast=True)
    sb.add_integer_field("updated_at", fast=True)
    sb.add_integer_field("download_count", fast=True)
    return sb.build()


def text_analyzer(remove_long: bool = True) -> tantivy.TextAnalyzer:
    """Simple tokens, lower-cased and ASCII-folded. Documents drop tokens over 40 characters
    (no word is that long); queries keep them, so such a query matches nothing rather than
    everything."""
    builder = TextAnalyzerBuilder(Tokenizer.simple())
    if remove_long:
        builder = builder.filter(Filter.remove_long(40))
    return builder.filter(Filter.lowercase()).filter(Filter.ascii_fold()).build()


def _set_key(values: list[str]) -> str:
    """The ``f_format_set`` value of a document's (distinct) formats."""
    if any(not v or SET_SEPARATOR in v for v in values):
        return NO_SET
    return SET_SEPARATOR.join(sorted(values))


def _copied(response: SearchResponse) -> SearchResponse:
    """A copy of a kept answer its caller may change (its lists and dicts; the strings, tuples
    and Markup in them cannot change)."""
    return replace(response, facets={k: list(v) for k, v in response.facets.items()},
                   hits=[replace(h, highlights=dict(h.highlights)) for h in response.hits])


def _micros(value: datetime | None) -> int:
    """Microseconds since 1970-01-01 UTC (a naive time is UTC)."""
    value = epoch_if_missing(value)
    value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return (value - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


class EmbeddedBackend:
    """``SearchBackend`` on a tantivy index in ``root``."""

    name = "embedded"

    def __init__(self, root: Path, synonyms: SynonymStore | None = None, *, lock_timeout: float = 60.0) -> None:
        self.root = Path(root)
        self.path = self.root / f"datasets-v{SCHEMA_VERSION}"
        self.synonyms = synonyms
        self.lock_timeout = lock_timeout
        self.schema = build_schema()
        self._analyzer = text_analyzer()
        self._query_analyzer = text_analyzer(remove_long=False)
        self._index: tantivy.Index | None = None
        self._pid: int | None = None
        self._kept_searcher: tuple[tantivy.Index, tuple[int, int, int], tantivy.Searcher] | None = None
        self._batch_writer: Any = None
        self._stem_cache: dict[str, str] = {}
        self._browse_cache: OrderedDict[tuple[Any, ...], SearchResponse] = OrderedDict()
        self._browse_lock = threading.Lock()

    # ----------------------------------------------------------------------- plumbing

    def _open(self) -> tantivy.Index:
        """The index handle of this process (reopened after a fork: tantivy's threads and
        file handles must not be shared with a parent)."""
        if self._index is None or self._pid != os.getpid():
            try:
                self.path.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
            except (OSError, ValueError) as exc:
                log.exception("Cannot open the search index at %s", self.path)
                raise SearchUnavailable() from exc
            index.register_tokenizer(TEXT_ANALYZER, self._analyzer)
            index.register_tokenizer(STEM_ANALYZER, TextAnalyzerBuilder(Tokenizer.whitespace()).build())
            self._index, self._pid = index, os.getpid()
        return self._index

    def _meta_stamp(self) -> tuple[int, int, int] | None:
        """What identifies the index's current commit: every commit replaces ``meta.json``."""
        try:
            st = (self.path / "meta.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _searcher(self) -> tantivy.Searcher:
        """A searcher on the index's latest commit. Reloading costs more than a search's facets
        on a small index, so the searcher is kept while ``meta.json`` stays the same file
        (one ``stat`` per search); a commit by any process replaces it, and the next search
        reloads."""
        index = self._open()
        stamp = self._meta_stamp()
        kept = self._kept_searcher
        if stamp is not None and kept is not None and kept[0] is index and kept[1] == stamp:
            return kept[2]
        try:
            index.reload()
            searcher = index.searcher()
        except (OSError, ValueError) as exc:
            log.exception("Cannot read the search index at %s", self.path)
            raise SearchUnavailable() from exc
        self._kept_searcher = (index, stamp, searcher) if stamp is not None else None
        return searcher

    def _tokens(self, text: str) -> list[str]:
        return list(self._analyzer.analyze(text))

    def _keyword_stems(self, keyword: str) -> str:
        """The stemmed tokens of one keyword. Organisation and region names, topics, tags and
        column names repeat across thousands of datasets, so a reindex analyses each once."""
        cached = self._stem_cache.get(keyword)
        if cached is None:
            if len(self._stem_cache) >= STEM_CACHE_SIZE:
                self._stem_cache.clear()
            cached = self._stem_cache[keyword] = " ".join(stems(self._tokens(keyword)))
        return cached

    def _query_tokens(self, text: str) -> list[str]:
        return list(self._query_analyzer.analyze(text))

    def _synonyms(self) -> SynonymSet | None:
        return self.synonyms.current() if self.synonyms else None

    @contextmanager
    def _writer(self, heap: int = WRITER_HEAP, threads: int = 1) -> Iterator[Any]:
        """A writer that commits once when the block ends (or the surrounding ``batch``)."""
        if self._batch_writer is not None:
            yield self._batch_writer
            return
        index = self._open()
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                writer = index.writer(heap, threads)
                break
            except ValueError as exc:
                if "LockBusy" not in str(exc) or time.monotonic() > deadline:
                    log.exception("Cannot open a writer on the search index at %s", self.path)
                    raise SearchUnavailable() from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # also releases the lock

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group the writes inside the block into one commit."""
        if self._batch_writer is not None:
            yield
            return
        with self._writer() as writer:
            self._batch_writer = writer
            try:
                yield
            finally:
                self._batch_writer = None

    def _document(self, doc: SearchDocument) -> tantivy.Document:
        d = tantivy.Document()
        d.add_text("id", doc.id)
        d.add_text("slug", doc.slug)
        d.add_text("title", doc.title)
        title_tokens = self._tokens(doc.title)
        d.add_text("title_sort", " ".join(title_tokens))
        d.add_text("title_stem", " ".join(stems(title_tokens)))
        if doc.description:
            d.add_text("description", doc.description)
            d.add_text("description_stem", " ".join(stems(self._tokens(doc.description))))
        keywords = doc.keywords()
        for keyword in keywords:
            d.add_text("keywords", keyword)
        # The analyser splits at every space, so the keywords' stems one by one, joined, are
        # the stems of the keywords joined.
        d.add_text("keywords_stem", " ".join(s for s in map(self._keyword_stems, keywords) if s))
        values: dict[str, list[str]] = {
            "f_organization": [doc.organization] if doc.organization else [],
            "f_topic": doc.topics,
            "f_tag": doc.tags,
            "f_format": doc.formats,
            "f_licence": [doc.licence] if doc.licence else [],
            "f_year": [str(doc.year)] if doc.year else [],
            "f_frequency": [doc.frequency] if doc.frequency else [],
            "f_kode_wilayah": [doc.kode_wilayah] if doc.kode_wilayah else [],
            "f_region": doc.regions(),
            "f_wilayah": doc.wilayah_levels(),
        }
        for name, field_values in values.items():
            for value in dict.fromkeys(field_values):
                d.add_text(name, value)
        if doc.formats:
            d.add_text("f_format_set", _set_key(list(dict.fromkeys(doc.formats))))
        if doc.wilayah:
            d.add_text("f_wilayah_code", doc.wilayah)
        d.add_integer("published_at", _micros(doc.published_at))
        d.add_integer("updated_at", _micros(doc.updated_at or doc.published_at))
        d.add_integer("download_count", int(doc.download_count or 0))
        return d

    # ----------------------------------------------------------------------- writes

    def index(self, doc: SearchDocument) -> None:
        self.bulk_index([doc])

    def bulk_index(self, docs: Iterable[SearchDocument]) -> int:
        n = 0
        with self._writer() as writer:
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._document(doc))
                n += 1
        return n

    def delete(self, doc_id: str) -> None:
        with self._writer() as writer:
            writer.delete_documents_by_term("id", doc_id)

    def create_index(self) -> None:
        self._open()

    def drop_index(self) -> None:
        self._index = None
        shutil.rmtree(self.path, ignore_errors=True)

    def rebuild(self, docs: Iterable[SearchDocument]) -> int:
        """Replace the whole index by ``docs`` in one commit."""
        n = 0
        threads = max(1, min(2, os.cpu_count() or 1))
        with self._writer(heap=REBUILD_HEAP, threads=threads) as writer:
            writer.delete_all_documents()
            for doc in docs:
                writer.add_document(self._document(doc))
                n += 1
        return n

    # ----------------------------------------------------------------------- reads

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def can_answer(self, query: DatasetQuery) -> bool:
        return engine_can_answer(query, FILTER_FIELDS, FACET_FIELDS)

    def health(self) -> dict[str, Any]:
        try:
            return {"status": "ok", "backend": self.name, "documents": self.count(), "path": str(self.path)}
        except SearchUnavailable as exc:
            return {"status": "error", "backend": self.name, "error": str(exc.__cause__ or exc)}

    def _word_query(self, term: Term) -> Query:
        schema = self.schema
        subs: list[tuple[Occur, Query]] = [
            (Occur.Should, Query.boost_query(Query.term_query(schema, f, term.text), boost)) for f, boost in WORD_FIELDS
        ]
        if term.stem:
            subs += [(Occur.Should, Query.boost_query(Query.term_query(schema, f, term.stem), boost))
                     for f, boost in STEM_FIELDS]
        if term.fuzzy:
            subs += [(Occur.Should, Query.boost_query(Query.fuzzy_term_query(schema, f, term.text, 1), boost))
                     for f, boost in FUZZY_FIELDS]
        return Query.boolean_query(subs)

    def _known(self, searcher: tantivy.Searcher, word: str) -> bool:
        """Whether ``word`` occurs as it is: then it is no typo and needs no fuzzy match (which
        would let *sawit* find *sakit*)."""
        return any(searcher.doc_freq(f, word) for f, _boost in WORD_FIELDS)

    def _typos_only(self, parsed: ParsedQuery, searcher: tantivy.Searcher) -> ParsedQuery:
        """``parsed`` with typo tolerance kept only for words the index does not hold."""
        known = {t.text for c in parsed.clauses for alt in c.alternatives for t in alt
                 if t.fuzzy and self._known(searcher, t.text)}
        if not known:
            return parsed
        return ParsedQuery(tokens=parsed.tokens, clauses=tuple(
            Clause(alternatives=tuple(tuple(replace(t, fuzzy=False) if t.text in known else t for t in alt)
                                      for alt in c.alternatives))
            for c in parsed.clauses))

    def _text_query(self, parsed: ParsedQuery) -> Query:
        clauses: list[tuple[Occur, Query]] = []
        for clause in parsed.clauses:
            alternatives = []
            for alt in clause.alternatives:
                words = [self._word_query(t) for t in alt]
                alternatives.append(words[0] if len(words) == 1 else
                                    Query.boolean_query([(Occur.Must, w) for w in words]))
            clauses.append((Occur.Must, alternatives[0] if len(alternatives) == 1 else
                            Query.boolean_query([(Occur.Should, a) for a in alternatives])))
        if len(parsed.tokens) >= 2:
            for f, boost in PHRASE_FIELDS:
                phrase = Query.phrase_query(self.schema, f, list(parsed.tokens))
                clauses.append((Occur.Should, Query.boost_query(phrase, boost)))
        return Query.boolean_query(clauses)

    def _filter_query(self, filters: dict[str, list[str]]) -> list[tuple[Occur, Query]]:
        return [
            (Occur.Must, Query.const_score_query(Query.term_query(self.schema, FILTER_FIELDS[key], value), 0.0))
            for key, values in filters.items() for value in values
        ]

    def search(self, query: SearchQuery) -> SearchResponse:
        q = normalise_query(query)
        parsed = parse_query(q.text, self._synonyms(), tokenizer=self._query_tokens)
        key = self._browse_key(q) if parsed.is_empty else None
        if key is not None:
            with self._browse_lock:
                cached = self._browse_cache.get(key)
                if cached is not None:
                    self._browse_cache.move_to_end(key)
            if cached is not None:
                return _copied(cached)
        response = self._search(q, parsed)
        if key is not None:
            with self._browse_lock:
                self._browse_cache[key] = _copied(response)
                while len(self._browse_cache) > BROWSE_CACHE_SIZE:
                    self._browse_cache.popitem(last=False)
        return response

    def _browse_key(self, q: SearchQuery) -> tuple[Any, ...] | None:
        """The cache key of a query without text (a listing: everything, an organisation, a
        topic, a region), or ``None`` when there is no cache or no commit yet.

        Listings are few and asked again and again, and counting the facets of everything
        is the dearest thing the engine does (about 60 ms over a million datasets with tags).
        The key holds the commit: every commit replaces ``meta.json`` (its opstamp and segments),
        so its content, read *before* the reader reloads, names a commit at least as old as the
        one searched. After a commit the next query has a new key: the commit is as visible as
        without the cache.
        """
        if not BROWSE_CACHE_SIZE:
            return None
        try:
            commit = hashlib.blake2b((self.path / "meta.json").read_bytes(), digest_size=16).digest()
        except OSError:
            return None
        filters = tuple(sorted((k, tuple(v)) for k, v in q.filters.items()))
        return (commit, q.text, filters, tuple(q.facets), q.facet_limit, q.sort, q.per_page, q.start, q.page,
                q.highlight)

    def _search(self, q: SearchQuery, parsed: ParsedQuery) -> SearchResponse:
        searcher = self._searcher()
        parts = self._filter_query(dict(q.filters))  # type: ignore[arg-type]
        if not parsed.is_empty:
            parsed = self._typos_only(parsed, searcher)
            parts.insert(0, (Occur.Must, self._text_query(parsed)))
        final = Query.boolean_query(parts) if parts else Query.all_query()
        if q.sort == "relevance" and not parsed.is_empty:
            order: dict[str, Any] = {}
        else:
            field_name, direction = SORT_FIELDS["newest" if q.sort == "relevance" else q.sort]
            order = {"order_by_field": field_name, "order": direction}
        start = q.start
        # Everything (the landing page): the count is the number of live documents, no need to
        # walk a million of them to count.
        count = bool(parts)
        try:
            if start >= MAX_OFFSET:
                result = searcher.search(final, 1, count=count)
                addresses: list[tuple[Any, Any]] = []
            else:
                result = searcher.search(final, q.per_page, count=count, offset=start, **order)
                addresses = list(result.hits)
            total = int(result.count or 0) if count else int(searcher.num_docs)  # type: ignore[attr-defined]
            facets: dict[str, list[tuple[str, int]]] = {key: [] for key in q.facets}
            if q.facets and total:
                facets = self._facets(searcher, final, q.facets, q.facet_limit)
            marker = Marker(parsed)
            hits = []
            for key, address in addresses:
                stored = searcher.doc(address)
                title = stored.get_first("title") or ""
                hit = SearchHit(id=str(stored.get_first("id")), score=float(key) if not order else None,
                                title=title, slug=stored.get_first("slug") or "")
                if q.highlight:
                    hit.highlights = {"title": highlight_title(title, marker),
                                      "description": snippet(stored.get_first("description") or "", marker)}
                hits.append(hit)
            suggestion = self._did_you_mean(searcher, parsed) if total == 0 and not parsed.is_empty else None
        except (OSError, ValueError) as exc:
            log.exception("Search failed on the embedded index")
            raise SearchUnavailable() from exc
        return SearchResponse(hits=hits, total=total, facets=facets, page=q.page, per_page=q.per_page,
                              offset=start, suggestion=suggestion)

    def _facets(self, searcher: tantivy.Searcher, query: Query, keys: Iterable[str],
                limit: int) -> dict[str, list[tuple[str, int]]]:
        """The ``limit`` most frequent values of each facet among the documents ``query``
        matches; the facets with a companion field (``COMPANION_FACETS``) counted on it."""
        keys = list(keys)

        def terms(field_name: str, size: int) -> dict[str, Any]:
            return {"terms": {"field": field_name, "size": size}}

        asked = {key: terms(COMPANION_FACETS[key][0], COMPANION_BUCKETS) if key in COMPANION_FACETS
                 else terms(FACET_FIELDS[key], limit) for key in keys}
        aggs = searcher.aggregate(query, asked)
        out: dict[str, list[tuple[str, int]]] = {}
        plain: dict[str, dict[str, Any]] = {}
        for key in keys:
            result = aggs.get(key, {})
            buckets = [(str(b["key"]), int(b["doc_count"])) for b in result.get("buckets", [])]
            if key in COMPANION_FACETS:
                if (result.get("sum_other_doc_count") or result.get("doc_count_error_upper_bound")
                        or any(k == NO_SET for k, _n in buckets)):
                    plain[key] = terms(FACET_FIELDS[key], limit)  # not exact on the companion
                    continue
                expand = COMPANION_FACETS[key][1]
                counts: Counter[str] = Counter()
                for set_key, n in buckets:
                    for value in expand(set_key):
                        counts[value] += n
                buckets = list(counts.items())
            out[key] = sort_facet(buckets, limit)
        if plain:
            more = searcher.aggregate(query, plain)
            for key in plain:
                out[key] = sort_facet(((b["key"], b["doc_count"]) for b in more.get(key, {}).get("buckets", [])),
                                      limit)
        return {key: out[key] for key in keys}

    def _did_you_mean(self, searcher: tantivy.Searcher, parsed: ParsedQuery) -> str | None:
        """The query with each unknown word replaced by the closest indexed word of titles and
        keywords (``text.closest_word``), or ``None`` when there is nothing to propose."""

        def replacement(token: str) -> str | None:
            known = token in STOP_WORDS or not token.isalpha() or len(token) < 4 or any(
                searcher.doc_freq(f, token) for f in ("title", "keywords", "description"))
            if known:
                return None
            return closest_word(token, (pair for field_name in ("title", "keywords")
                                        for pair in searcher.terms_with_prefix(field_name, token[:2], limit=1500)))

        return corrected(parsed.tokens, replacement)

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles for the words typed so far: complete words must match (or share a stem), the
        last word may be the start of a title word. Popular datasets first among equals."""
        text = clean_text(prefix)[:100]
        tokens = self._tokens(text)
        limit = max(1, min(int(limit), 20))
        if not tokens:
            return []
        partial = tokens[-1] if text and text[-1].isalnum() else None
        complete = tokens[:-1] if partial else tokens
        schema = self.schema
        parts: list[tuple[Occur, Query]] = []
        for token in complete[:8]:
            options = [(Occur.Should, Query.term_query(schema, "title", token))]
            if token not in STOP_WORDS:
                options.append((Occur.Should, Query.term_query(schema, "title_stem", stem(token))))
            parts.append((Occur.Must, Query.boolean_query(options)))
        if partial:
            parts.append((Occur.Must, Query.regex_query(schema, "title", f"{partial}.*")))
        searcher = self._searcher()
        try:
            result = searcher.search(Query.boolean_query(parts), limit * 2, count=False,
                                     weight_by_field="download_count")
            out: list[Suggestion] = []
            seen: set[str] = set()
            for _score, address in result.hits:
                stored = searcher.doc(address)
                title = stored.get_first("title") or ""
                if title.lower() in seen:
                    continue
                seen.add(title.lower())
                out.append(Suggestion(id=str(stored.get_first("id")), slug=stored.get_first("slug") or "", title=title))
                if len(out) >= limit:
                    break
        except (OSError, ValueError) as exc:
            log.exception("Suggest failed on the embedded index")
            raise SearchUnavailable() from exc
        return out

    def ids(self) -> list[str]:
        """Every document id in the index (for status checks and tests; reads stored docs)."""
        searcher = self._searcher()
        n = searcher.num_docs
        if not n:
            return []
        result = searcher.search(Query.all_query(), n, count=False)
        return [str(searcher.doc(address).get_first("id")) for _key, address in result.hits]

