"""A **double of the Elasticsearch 8 HTTP API** (a third-party server we cannot run here), on
127.0.0.1, for the lifecycle tests of ``satudata.search.elasticsearch``.

It is not our code under test and not a mock of it: it answers the real ``elasticsearch``
client over HTTP the way Elasticsearch 8.15 documents its behaviour, for the parts the
backend uses, including the ones that broke production shapes:

- a write to a name that does not exist **auto-creates an index** with dynamic mappings
  (text fields with a ``.keyword`` subfield) unless ``require_alias=true``, which answers
  404 ``index_not_found_exception`` instead (also when the name is a concrete index);
- a ``terms`` aggregation on a dynamically mapped ``text`` field fails (400, fielddata);
- an alias may not take the name of an existing index (400 ``invalid_alias_name_exception``)
  and an index not the name of an alias (400 ``invalid_index_name_exception``); creating an
  existing index is 400 ``resource_already_exists_exception``; ``_aliases`` actions
  (``add``, ``remove``, ``remove_index``) apply atomically or not at all;
- ``dynamic: strict`` refuses a document with an unknown field (400);
- faults on demand: answers of any status (e.g. 429) for the next requests matching a path,
  per-item bulk rejections (429 once, or a permanent 400 for a document), and a hang (the
  answer comes only after ``hang_seconds``).

Search is evaluated for what the backend sends (bool, term, fuzzy with one edit, prefix,
match_phrase, match_all, function_score, filter/terms aggregations, term suggester,
sort and ``search_after``); scoring is a plain sum of boosts, enough for set-based checks,
not a model of BM25. Relevance is checked against a real server by the contract suite
(``SATUDATA_TEST_ELASTICSEARCH_URL``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

PRODUCT_HEADERS = {"X-Elastic-Product": "Elasticsearch",
                   "Content-Type": "application/vnd.elasticsearch+json;compatible-with=8"}
_WORD = re.compile(r"[^\W_]+")


def _tokens(text: str, analyzer: str) -> list[str]:
    if analyzer == "sd_stems" or analyzer == "whitespace":
        return text.split()
    import unicodedata

    out = []
    for m in _WORD.finditer(text):
        t = unicodedata.normalize("NFKD", m.group().lower())
        t = "".join(c for c in t if not unicodedata.combining(c))
        out.append(t)
    return out


def _edits_at_most(a: str, b: str, limit: int) -> int | None:
    """Damerau-Levenshtein distance (adjacent swaps count one) when at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return None
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1] if d[-1][-1] <= limit else None


class EsError(Exception):
    def __init__(self, status: int, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.kind, self.reason = status, kind, reason

    def body(self) -> dict[str, Any]:
        cause = {"type": self.kind, "reason": self.reason}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


@dataclass
class Index:
    name: str
    mappings: dict[str, Any]
    settings: dict[str, Any]
    analyzers: dict[str, Any]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    auto_created: bool = False
    created: float = field(default_factory=time.time)

    def field_type(self, name: str) -> dict[str, Any] | None:
        props = self.mappings.get("properties", {})
        head, _, sub = name.partition(".")
        spec = props.get(head)
        if spec is not None and sub:
            spec = spec.get("fields", {}).get(sub)
        return spec

    def analyze(self, name: str, value: Any) -> list[str]:
        spec = self.field_type(name) or {}
        values = value if isinstance(value, list) else [value]
        if spec.get("type") != "text":
            return [str(v) for v in values if v is not None]
        analyzer = spec.get("analyzer", "standard")
        return [t for v in values if v is not None for t in _tokens(str(v), analyzer)]


@dataclass
class Fault:
    path_contains: str
    status: int
    times: int
    method: str | None = None


class ElasticsearchDouble:
    """Start with ``ElasticsearchDouble().start()``; ``url`` is where it listens."""

    def __init__(self) -> None:
        self.indices: dict[str, Index] = {}
        self.aliases: dict[str, dict[str, dict[str, Any]]] = {}  # alias -> index -> options
        self.requests: list[tuple[str, str, dict[str, list[str]], Any]] = []
        self.faults: list[Fault] = []
        self.hang_paths: list[str] = []
        self.hang_seconds = 5.0
        self.refuse_ids: set[str] = set()  # bulk/index items refused for good (400)
        self.reject_once_ids: set[str] = set()  # bulk items rejected for load once (429)
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # ----------------------------------------------------------------------- server

    def start(self) -> ElasticsearchDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer, sent at once (headers and body in separate small writes
            # would wait for TCP's delayed acknowledgement, 40 ms a request).
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = double.handle(self.command, self.path, raw)
                data = b"" if self.command == "HEAD" or body is None else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    for k, v in PRODUCT_HEADERS.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # ----------------------------------------------------------------------- test helpers

    def fail(self, path_contains: str, status: int = 429, times: int = 1, method: str | None = None) -> None:
        """Answer ``status`` to the next ``times`` requests whose path contains the text."""
        self.faults.append(Fault(path_contains, status, times, method))

    def calls(self, method: str | None = None, path_contains: str = "") -> list[tuple[str, str, dict[str, list[str]], Any]]:
        return [r for r in self.requests if (method is None or r[0] == method) and path_contains in r[1]]

    def resolve(self, name: str) -> list[str]:
        """Concrete indices for an index name, alias or wildcard."""
        if name in self.indices:
            return [name]
        if name in self.aliases:
            return sorted(self.aliases[name])
        if "*" in name:
            pattern = re.compile("^" + re.escape(name).replace("\\*", ".*") + "$")
            return sorted(n for n in self.indices if pattern.match(n))
        return []

    # ----------------------------------------------------------------------- dispatch

    def handle(self, method: str, raw_path: str, raw: bytes) -> tuple[int, Any]:
        split = urlsplit(raw_path)
        path = unquote(split.path)
        params = parse_qs(split.query)
        body: Any = None
        if raw:
            text = raw.decode()
            if path.endswith("_bulk"):
                body = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                body = json.loads(text)
        with self.lock:
            self.requests.append((method, path, params, body))
            fault = next((f for f in self.faults if f.path_contains in path and f.times > 0
                          and (f.method is None or f.method == method)), None)
            if fault is not None:
                fault.times -= 1
                kind = "es_rejected_execution_exception" if fault.status == 429 else "fault"
                return fault.status, EsError(fault.status, kind, "injected by the test").body()
            hang = any(h in path for h in self.hang_paths)
        if hang:
            self._stop.wait(self.hang_seconds)
        with self.lock:
            try:
                return self._route(method, path, params, body)
            except EsError as exc:
                return exc.status, exc.body()

    def _route(self, method: str, path: str, params: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        parts = [p for p in path.split("/") if p]
        flag = lambda name: params.get(name, ["false"])[0] == "true"  # noqa: E731
        if not parts:
            return 200, {"name": "double", "cluster_name": "double", "version": {"number": "8.15.3"},
                         "tagline": "You Know, for Search"}
        if parts == ["_cluster", "health"]:
            return 200, {"cluster_name": "double", "status": "green"}
        if parts == ["_aliases"]:
            return self._update_aliases(body.get("actions", []))
        if parts[0] == "_alias" and len(parts) == 2:
            found = {i: {"aliases": {parts[1]: opts}} for i, opts in self.aliases.get(parts[1], {}).items()}
            if not found:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, found
        if parts == ["_bulk"]:
            return self._bulk(None, body or [], params)
        target = parts[0]
        if len(parts) == 1:
            if method == "PUT":
                return self._create(target, body or {})
            if method == "DELETE":
                return self._delete_index(target)
            names = [n for t in target.split(",") for n in self.resolve(t)]
            if method == "HEAD":
                return (200 if names else 404), None
            if not names and "*" not in target and not flag("ignore_unavailable"):
                raise EsError(404, "index_not_found_exception", f"no such index [{target}]")
            return 200, {n: self._describe(n) for n in names}
        action = parts[1]
        if action == "_doc" and len(parts) == 3:
            if method == "DELETE":
                return self._delete_doc(target, parts[2])
            return self._index_doc(target, parts[2], body or {}, flag("require_alias"))
        if action == "_bulk":
            return self._bulk(target, body or [], params)
        if action == "_mapping":
            names = self.resolve(target)
            if not names:
                if flag("ignore_unavailable"):
                    return 200, {}
                raise EsError(404, "index_not_found_exception", f"no such index [{target}]")
            return 200, {n: {"mappings": self.indices[n].mappings} for n in names}
        if action == "_settings":
            for n in self._must(target):
                self.indices[n].settings.update(body or {})
            return 200, {"acknowledged": True}
        if action == "_refresh":
            self._must(target)
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if action == "_count":
            names = self._must(target)
            return 200, {"count": sum(len(self.indices[n].docs) for n in names)}
        if action == "_search":
            return 200, self._search(self._must(target), body or {})
        raise EsError(400, "unsupported_by_double", f"{method} {path}")

    def _must(self, target: str) -> list[str]:
        names = self.resolve(target)
        if not names:
            raise EsError(404, "index_not_found_exception", f"no such index [{target}]")
        return names

    def _describe(self, name: str) -> dict[str, Any]:
        index = self.indices[name]
        aliases = {a: opts[name] for a, opts in self.aliases.items() if name in opts}
        return {"aliases": aliases, "mappings": index.mappings, "settings": {"index": index.settings}}

    # ----------------------------------------------------------------------- indices and aliases

    def _create(self, name: str, body: dict[str, Any], auto: bool = False) -> tuple[int, Any]:
        if name in self.indices:
            raise EsError(400, "resource_already_exists_exception", f"index [{name}] already exists")
        if name in self.aliases:
            raise EsError(400, "invalid_index_name_exception",
                          f"Invalid index name [{name}], already exists as alias")
        aliases = body.get("aliases", {})
        for alias, opts in aliases.items():
            if alias in self.indices:
                raise EsError(400, "invalid_alias_name_exception",
                              f"Invalid alias name [{alias}]: an index or data stream exists with the same name")
            if opts.get("is_write_index") and any(o.get("is_write_index") for o in self.aliases.get(alias, {}).values()):
                raise EsError(400, "illegal_state_exception", f"alias [{alias}] has more than one write index")
        settings = body.get("settings", {})
        index = Index(name=name, mappings=body.get("mappings", {"properties": {}}),
                      settings=dict(settings.get("index", {})), analyzers=settings.get("analysis", {}),
                      auto_created=auto)
        self.indices[name] = index
        for alias, opts in aliases.items():
            self.aliases.setdefault(alias, {})[name] = dict(opts)
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _delete_index(self, target: str) -> tuple[int, Any]:
        if target in self.aliases:
            raise EsError(400, "illegal_argument_exception",
                          f"The provided expression [{target}] matches an alias, specify the corresponding "
                          "concrete indices instead.")
        if target not in self.indices:
            raise EsError(404, "index_not_found_exception", f"no such index [{target}]")
        self._drop(target)
        return 200, {"acknowledged": True}

    def _drop(self, name: str) -> None:
        del self.indices[name]
        for alias in list(self.aliases):
            self.aliases[alias].pop(name, None)
            if not self.aliases[alias]:
                del self.aliases[alias]

    def _update_aliases(self, actions: list[dict[str, Any]]) -> tuple[int, Any]:
        indices = set(self.indices)
        aliases = {a: dict(v) for a, v in self.aliases.items()}
        for entry in actions:
            (kind, spec), = entry.items()
            if kind == "remove_index":
                if spec["index"] not in indices:
                    raise EsError(404, "index_not_found_exception", f"no such index [{spec['index']}]")
                indices.discard(spec["index"])
                for a in aliases.values():
                    a.pop(spec["index"], None)
            elif kind == "add":
                if spec["index"] not in indices:
                    raise EsError(404, "index_not_found_exception", f"no such index [{spec['index']}]")
                aliases.setdefault(spec["alias"], {})[spec["index"]] = {
                    k: v for k, v in spec.items() if k not in ("index", "alias")}
            elif kind == "remove":
                if spec["index"] not in aliases.get(spec["alias"], {}):
                    raise EsError(404, "aliases_not_found_exception", f"aliases [{spec['alias']}] missing")
                aliases[spec["alias"]].pop(spec["index"])
        aliases = {a: v for a, v in aliases.items() if v}
        for alias, members in aliases.items():
            if alias in indices:
                raise EsError(400, "invalid_alias_name_exception",
                              f"Invalid alias name [{alias}]: an index or data stream exists with the same name "
                              "as the alias")
            if sum(1 for o in members.values() if o.get("is_write_index")) > 1:
                raise EsError(400, "illegal_state_exception", f"alias [{alias}] has more than one write index")
        for name in set(self.indices) - indices:
            del self.indices[name]
        self.aliases = aliases
        return 200, {"acknowledged": True}

    # ----------------------------------------------------------------------- documents

    def _write_target(self, target: str, require_alias: bool) -> Index:
        if target in self.aliases:
            members = self.aliases[target]
            writers = [i for i, o in members.items() if o.get("is_write_index")] or (
                list(members) if len(members) == 1 else [])
            if not writers:
                raise EsError(400, "illegal_argument_exception",
                              f"no write index is defined for alias [{target}]")
            return self.indices[writers[0]]
        if require_alias:
            raise EsError(404, "index_not_found_exception",
                          f"no such index [{target}] and [require_alias] request flag is [true] and [{target}] "
                          "is not an alias")
        if target not in self.indices:
            self._create(target, {"mappings": {"properties": {}}}, auto=True)
        return self.indices[target]

    def _store(self, index: Index, doc_id: str, source: dict[str, Any]) -> None:
        if doc_id in self.refuse_ids:
            raise EsError(400, "document_parsing_exception", f"[1:1] failed to parse document [{doc_id}]")
        props = index.mappings.setdefault("properties", {})
        for key, value in source.items():
            if key in props:
                continue
            if index.mappings.get("dynamic") == "strict":
                raise EsError(400, "strict_dynamic_mapping_exception",
                              f"[1:2] mapping set to strict, dynamic introduction of [{key}] within [_doc] "
                              "is not allowed")
            sample = value[0] if isinstance(value, list) and value else value
            if isinstance(sample, bool):
                props[key] = {"type": "boolean"}
            elif isinstance(sample, int):
                props[key] = {"type": "long"}
            else:
                props[key] = {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}
        index.docs[doc_id] = source

    def _index_doc(self, target: str, doc_id: str, source: dict[str, Any], require_alias: bool) -> tuple[int, Any]:
        index = self._write_target(target, require_alias)
        created = doc_id not in index.docs
        self._store(index, doc_id, source)
        return (201 if created else 200), {"_index": index.name, "_id": doc_id,
                                           "result": "created" if created else "updated"}

    def _delete_doc(self, target: str, doc_id: str) -> tuple[int, Any]:
        self._must(target)
        index = self.indices[target] if target in self.indices else self._write_target(target, True)
        found = index.docs.pop(doc_id, None) is not None
        return (200 if found else 404), {"_index": index.name, "_id": doc_id,
                                         "result": "deleted" if found else "not_found"}

    def _bulk(self, default: str | None, lines: list[dict[str, Any]], params: dict[str, list[str]]) -> tuple[int, Any]:
        require = params.get("require_alias", ["false"])[0] == "true"
        items, errors = [], False
        i = 0
        while i < len(lines):
            (op, meta), = lines[i].items()
            source = lines[i + 1] if op in ("index", "create", "update") else None
            i += 2 if source is not None else 1
            target, doc_id = meta.get("_index", default), str(meta.get("_id"))
            try:
                if doc_id in self.reject_once_ids:
                    self.reject_once_ids.discard(doc_id)
                    raise EsError(429, "es_rejected_execution_exception", "rejected execution (queue full)")
                index = self._write_target(str(target), require or bool(meta.get("require_alias")))
                created = doc_id not in index.docs
                self._store(index, doc_id, source or {})
                items.append({op: {"_index": index.name, "_id": doc_id, "status": 201 if created else 200,
                                   "result": "created" if created else "updated"}})
            except EsError as exc:
                errors = True
                items.append({op: {"_index": target, "_id": doc_id, "status": exc.status,
                                   "error": {"type": exc.kind, "reason": exc.reason}}})
        return 200, {"took": 1, "errors": errors, "items": items}

    # ----------------------------------------------------------------------- search

    def _search(self, names: list[str], body: dict[str, Any]) -> dict[str, Any]:
        matched: list[tuple[float, str, Index, dict[str, Any]]] = []
        for name in names:
            index = self.indices[name]
            for doc_id, source in index.docs.items():
                score = self._match(index, source, body.get("query", {"match_all": {}}))
                if score is not None:
                    matched.append((score, doc_id, index, source))
        aggs = {}
        for key, spec in (body.get("aggs") or {}).items():
            aggs[key] = self._aggregate(names, matched, spec)
        sort = body.get("sort") or ["_score"]

        def sort_values(entry: tuple[float, str, Index, dict[str, Any]]) -> list[Any]:
            out: list[Any] = []
            for spec in sort:
                name = spec if isinstance(spec, str) else next(iter(spec))
                out.append(entry[0] if name == "_score" else entry[3].get(name, entry[1] if name == "id" else None))
            return out

        def key(entry: tuple[float, str, Index, dict[str, Any]]) -> tuple[Any, ...]:
            parts: list[Any] = []
            for spec, value in zip(sort, sort_values(entry), strict=True):
                order = "desc" if spec == "_score" else ("asc" if isinstance(spec, str) else
                                                          next(iter(spec.values())).get("order", "asc"))
                parts.append(_Ordered(value, order == "desc"))
            return tuple(parts)

        matched.sort(key=key)
        if body.get("search_after") is not None:
            matched = [m for m in matched if _after(key(m), body["search_after"])]
        start, size = int(body.get("from", 0)), int(body.get("size", 10))
        window = matched[start:start + size]
        want = body.get("_source", True)
        hits = []
        for score, doc_id, index, source in window:
            hit: dict[str, Any] = {"_index": index.name, "_id": doc_id, "_score": score,
                                   "sort": sort_values((score, doc_id, index, source))}
            if want is not False:
                hit["_source"] = {k: v for k, v in source.items() if want is True or k in want}
            hits.append(hit)
        answer: dict[str, Any] = {"took": 1, "timed_out": False,
                                  "hits": {"total": {"value": len(matched), "relation": "eq"}, "hits": hits}}
        if aggs:
            answer["aggregations"] = aggs
        if body.get("suggest"):
            answer["suggest"] = {k: self._suggest(names, v) for k, v in body["suggest"].items()}
        return answer

    def _aggregate(self, names: list[str], matched: list[tuple[float, str, Index, dict[str, Any]]],
                   spec: dict[str, Any]) -> dict[str, Any]:
        if "filter" in spec:
            return {"doc_count": sum(1 for _s, _i, index, src in matched
                                     if self._match(index, src, spec["filter"]) is not None)}
        terms = spec["terms"]
        counts: dict[Any, int] = {}
        for name in names:
            declared = self.indices[name].field_type(terms["field"]) or {}
            if declared.get("type") == "text":
                raise EsError(400, "illegal_argument_exception",
                              f"Text fields are not optimised for operations that require per-document field data "
                              f"like aggregations and sorting, so these operations are disabled by default. "
                              f"Please use a keyword field instead. Alternatively, set fielddata=true on "
                              f"[{terms['field']}]")
        for _s, _i, _index, source in matched:
            value = source.get(terms["field"])
            for v in dict.fromkeys(value if isinstance(value, list) else [value]):
                if v is not None:
                    counts[v] = counts.get(v, 0) + 1
        buckets = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[: terms.get("size", 10)]
        return {"buckets": [{"key": k, "doc_count": n} for k, n in buckets]}

    def _suggest(self, names: list[str], spec: dict[str, Any]) -> list[dict[str, Any]]:
        term = spec["term"]
        field_name, prefix = term["field"], int(term.get("prefix_length", 1))
        out = []
        for word in _tokens(spec["text"], "sd_query"):
            freq: dict[str, int] = {}
            for name in names:
                index = self.indices[name]
                for source in index.docs.values():
                    for t in set(index.analyze(field_name, source.get(field_name, []))):
                        freq[t] = freq.get(t, 0) + 1
            options = []
            for t, n in freq.items():
                if t == word or t[:prefix] != word[:prefix]:
                    continue
                distance = _edits_at_most(word, t, int(term.get("max_edits", 2)))
                if distance is not None:
                    options.append({"text": t, "score": 1 - distance / max(len(word), 1), "freq": n})
            options.sort(key=lambda o: (-o["score"], -o["freq"]))
            out.append({"text": word, "offset": 0, "length": len(word), "options": options[: term.get("size", 5)]})
        return out

    def _match(self, index: Index, source: dict[str, Any], query: dict[str, Any]) -> float | None:
        (kind, spec), = query.items()
        if kind == "match_all":
            return 1.0
        if kind == "function_score":
            return self._match(index, source, spec["query"])
        if kind == "bool":
            score = 0.0
            for clause in spec.get("must", []) + spec.get("filter", []):
                got = self._match(index, source, clause)
                if got is None:
                    return None
                score += got
            should = [s for s in (self._match(index, source, c) for c in spec.get("should", [])) if s is not None]
            need = spec.get("minimum_should_match", 0 if (spec.get("must") or spec.get("filter")) else 1)
            if spec.get("should") and len(should) < int(need):
                return None
            return score + sum(should) + (0.0 if should or spec.get("must") or spec.get("filter") else 0.0)
        (field_name, value), = spec.items()
        options = value if isinstance(value, dict) else {"value": value}
        boost = float(options.get("boost", 1.0))
        raw = source.get(field_name.split(".")[0])
        if kind == "term":
            tokens = index.analyze(field_name, raw) if raw is not None else []
            return boost if str(options["value"]) in tokens else None
        if kind == "fuzzy":
            tokens = index.analyze(field_name, raw) if raw is not None else []
            return boost * 0.5 if any(_edits_at_most(options["value"], t, 1) is not None for t in tokens) else None
        if kind == "prefix":
            tokens = index.analyze(field_name, raw) if raw is not None else []
            return boost if any(t.startswith(options["value"]) for t in tokens) else None
        if kind == "match_phrase":
            words = _tokens(options["query"], "sd_query")
            for text in raw if isinstance(raw, list) else [raw]:
                tokens = index.analyze(field_name, text) if text is not None else []
                if any(tokens[i:i + len(words)] == words for i in range(len(tokens))):
                    return boost
            return None
        raise EsError(400, "parsing_exception", f"unknown query [{kind}] (not in the double)")


class _Ordered:
    """A sort key part: ``None`` sorts last, ``desc`` reverses."""

    def __init__(self, value: Any, desc: bool) -> None:
        self.value, self.desc = value, desc

    def __lt__(self, other: _Ordered) -> bool:
        if self.value == other.value:
            return False
        if self.value is None:
            return False
        if other.value is None:
            return True
        return (self.value > other.value) if self.desc else (self.value < other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ordered) and self.value == other.value


def _after(key: tuple[_Ordered, ...], after: list[Any]) -> bool:
    """Whether a sort key comes after the ``search_after`` values."""
    for part, value in zip(key, after, strict=True):
        mark = _Ordered(value, part.desc)
        if part < mark:
            return False
        if mark < part:
            return True
    return False
