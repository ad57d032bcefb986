"""The copy of a table, and the queries over it (re-exported by ``datastore.services``).

- :func:`build_copy` writes a valid table's typed Parquet copy (the job calls it);
  :func:`copy_path` says where a resource's copy is, :func:`has_copy` whether it is written.
- :func:`public_table` is the gate of every public read: a resource of a published, ``publik``
  dataset with a written copy, else ``NotFound`` (drafts and withdrawn datasets are not there).
- :func:`search` answers a :class:`Query` (filters, full text, fields, distinct, sort, paging)
  with a :class:`Result`; :func:`search_sql` runs one checked read-only ``SELECT``;
  :func:`fields_of` describes the columns with their Table Schema titles and units.

Both the CKAN DataStore actions and the REST ``/data`` route are façades over these.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from flask import current_app

from satudata.catalog import exports
from satudata.catalog import services as catalog
from satudata.catalog.models import Resource
from satudata.datastore import copies, engine
from satudata.datastore.copies import ID_COLUMN
from satudata.errors import DomainError, Forbidden, Invalid, NotFound
from satudata.tabular import convert

log = logging.getLogger(__name__)

SOURCE_FORMATS = ("CSV", "TSV", "XLSX", "JSON")
MAX_FILTER_VALUES = 1000
MAX_Q_CHARS = 500


class NoCopy(NotFound):
    """The table has no queryable copy (not a validated table, or its copy is not written yet)."""


# --------------------------------------------------------------------------- copies


def _descriptor(resource: Resource) -> dict[str, Any] | None:
    from satudata.validation.services import resolved_schema

    return resolved_schema(resource)


def copy_path(resource: Resource, descriptor: dict[str, Any] | None = None) -> Path | None:
    """Where ``resource``'s copy is (or will be written); None for what gets no copy."""
    kind = (resource.format or "").upper()
    if not resource.sha256 or kind not in SOURCE_FORMATS:
        return None
    if descriptor is None:
        descriptor = _descriptor(resource)
    sheet = resource.sheet if kind == "XLSX" else None
    header_row = resource.header_row if kind == "XLSX" else None
    return copies.datastore_dir() / copies.copy_name(resource.sha256, descriptor, kind, sheet, header_row)


def has_copy(resource: Resource) -> bool:
    """Whether ``resource``'s current copy is written."""
    path = copy_path(resource) if resource.is_queryable else None
    return path is not None and path.is_file()


def build_copy(resource: Resource) -> Path | None:
    """Write ``resource``'s copy unless it is there; returns its path, None when the resource
    gets none (not a valid stored table). Raises ``copies.CopyFailed`` or ``DomainError``."""
    if not resource.is_queryable:
        return None
    descriptor = _descriptor(resource)
    target = copy_path(resource, descriptor)
    if target is not None:
        _write(resource, descriptor, target)
    return target


def _write(resource: Resource, descriptor: dict[str, Any] | None, target: Path) -> None:
    if target.is_file():
        return
    with copies.locked(target):
        if target.is_file():
            return
        names = [str(f.get("name")) for f in (descriptor or {}).get("fields", []) if isinstance(f, dict)]
        source = exports.plain_csv(resource, names or None)
        try:
            rows = copies.write_copy(source, target, descriptor)
        except copies.CopyFailed:
            converted = exports.export_resource(resource, "csv")
            if converted == source:
                raise
            # The stored file looked like UTF-8 comma CSV but is not (bytes past the sample):
            # its normalised CSV, which validation's own readers wrote, is.
            rows = copies.write_copy(converted, target, descriptor)
        log.info("datastore copy of resource %s: %d rows -> %s", resource.id, rows, target.name)


def stale_copies(keep: set[str]) -> list[Path]:
    """The copies in the datastore folder whose names are not in ``keep``."""
    return [p for p in copies.datastore_dir().glob("*.parquet") if p.name not in keep]


# --------------------------------------------------------------------------- the public gate


@dataclass
class Table:
    """A public resource's queryable copy."""

    resource: Resource
    handle: engine.TableHandle
    descriptor: dict[str, Any] | None

    @property
    def columns(self) -> list[str]:
        return list(self.handle.columns)


def open_copy(resource: Resource) -> Table:
    """The typed copy of ``resource`` (the caller has decided it may be read), written now when
    it is missing (a deployment that predates it, a cleared folder), as a download is built on
    its first request. ``NoCopy`` (404) for what is not a valid stored table."""
    if not resource.is_queryable:
        raise NoCopy(f"Sumber data '{resource.id}' bukan tabel yang disimpan di portal dan lolos validasi, jadi "
                     "tidak dapat dikueri; unduh berkasnya lewat resource_show.")
    descriptor = _descriptor(resource)
    path = copy_path(resource, descriptor)
    assert path is not None  # a queryable resource always has one
    _write(resource, descriptor, path)
    try:
        handle = engine.table(path, keep=int(current_app.config.get("DATASTORE_OPEN_TABLES") or 8))
    except duckdb.Error as exc:
        log.error("datastore copy %s unreadable: %s", path, exc)
        raise NoCopy(f"Salinan kueri sumber data '{resource.id}' tidak terbaca; pengelola portal sudah diberi "
                     "tahu.") from exc
    return Table(resource=resource, handle=handle, descriptor=descriptor)


def public_table(resource_id: str) -> Table:
    """The copy of a resource of a published, public dataset. ``NotFound`` for anything else."""
    return open_copy(catalog.get_public_resource(str(resource_id)[:100]))


# --------------------------------------------------------------------------- fields


def _schema_fields(descriptor: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {str(f.get("name")): f for f in (descriptor or {}).get("fields", []) if isinstance(f, dict)}


def fields_of(table: Table, names: list[str] | None = None) -> list[dict[str, Any]]:
    """``[{id, type, info?}]`` of the copy's columns (``names``: only those, in that order):
    CKAN's field shape, ``info`` being its data dictionary (``label``, ``notes``) filled from the
    Table Schema's ``title`` and ``description``, plus the unit when the schema names one."""
    schema = _schema_fields(table.descriptor)
    out = []
    for name in names if names is not None else table.columns:
        item: dict[str, Any] = {"id": name, "type": "int" if name == ID_COLUMN else table.handle.ckan_type(name)}
        f = schema.get(name)
        if f is not None:
            info = {"label": f.get("title") or "", "notes": f.get("description") or "", "type_override": ""}
            unit = f.get("unit") or f.get("satuan") or (f.get("x-satuan") if isinstance(f.get("x-satuan"), str) else None)
            if unit:
                info["unit"] = unit
            item["info"] = info
            item["schema_type"] = f.get("type") or "string"
        out.append(item)
    return out


# --------------------------------------------------------------------------- searching


@dataclass
class Query:
    """A search over one copy, as CKAN's ``datastore_search`` takes it (already parsed)."""

    filters: dict[str, list[Any]] = field(default_factory=dict)
    q: str | dict[str, str] | None = None
    fields: list[str] | None = None
    distinct: bool = False
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    limit: int = 100
    offset: int = 0
    include_total: bool = True
    # False: missing values sort as PostgreSQL (and so CKAN) sorts them, last ascending and first
    # descending; True: always last (the pages, where a reader sorting "largest first" wants numbers).
    nulls_last: bool = False


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    total: int | None


def _text_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _coerce(table: Table, column: str, value: Any) -> Any:
    """A filter value as the column's type, or a Validation Error naming the field."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise Invalid(f'Nilai filter untuk "{column}" harus teks, angka atau daftar nilai.',
                      details={"filters": [f'invalid value for "{column}"']})
    duck = table.handle.columns[column]
    text = _text_value(value).strip()
    try:
        if duck in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT"):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return int(text)
        if duck in ("DOUBLE", "FLOAT"):
            return float(text)
        if duck == "BOOLEAN":
            lowered = text.lower()
            if lowered in ("true", "t", "1", "yes", "ya"):
                return True
            if lowered in ("false", "f", "0", "no", "tidak"):
                return False
            raise ValueError(text)
        if duck == "DATE":
            return date.fromisoformat(text)
        if duck == "TIMESTAMP":
            return datetime.fromisoformat(text)
        if duck == "TIME":
            return time.fromisoformat(text)
    except ValueError:
        raise Invalid(f'Nilai filter "{text[:50]}" tidak cocok dengan tipe kolom "{column}".',
                      details={"filters": [f'invalid value for "{column}": {text[:50]}']}) from None
    return _text_value(value)


def _known(table: Table, name: str, key: str) -> str:
    if name not in table.handle.columns:
        raise Invalid(f'Kolom "{name[:100]}" tidak ada di tabel ini.',
                      details={key: [f'invalid value "{name[:100]}"']})
    return name


def _where(table: Table, query: Query) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, values in query.filters.items():
        _known(table, column, "filters")
        if len(values) > MAX_FILTER_VALUES:
            raise Invalid(f"Paling banyak {MAX_FILTER_VALUES} nilai per filter.",
                          details={"filters": [f"too many values for \"{column}\""]})
        typed = [_coerce(table, column, v) for v in values]
        col = engine.ident(column)
        present = [v for v in typed if v is not None]
        parts = []
        if present:
            parts.append(f"{col} IN ({', '.join('?' for _ in present)})")
            params.extend(present)
        if len(present) < len(typed):
            parts.append(f"{col} IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")" if parts else "false")
    searches: list[tuple[list[str], str]] = []
    if isinstance(query.q, dict):
        for column, text in query.q.items():
            _known(table, column, "q")
            searches.append(([column], text))
    elif query.q:
        searches.append((table.handle.text_columns(), query.q))
    for columns, text in searches:
        words = _words(text)
        if not words:
            continue
        if not columns:
            clauses.append("false")
            continue
        haystack = ("lower(concat_ws(' ', " + ", ".join(f"CAST({engine.ident(c)} AS VARCHAR)" for c in columns) + "))")
        for word in words:
            # contains(): a plain substring test, so quotes, %, _ and * in q are only text.
            clauses.append(f"contains({haystack}, ?)")
            params.append(word.lower())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _words(text: str) -> list[str]:
    """The words of a full-text ``q`` (CKAN's prefix marker ``:*`` is dropped: every word
    matches as a substring, so a prefix does anyway)."""
    if len(text) > MAX_Q_CHARS:
        raise Invalid(f"Teks pencarian paling banyak {MAX_Q_CHARS} karakter.",
                      details={"q": [f"must be at most {MAX_Q_CHARS} characters"]})
    words = []
    for raw in re.findall(r'"[^"]*"|\S+', text):
        word = raw.strip('"').replace(":*", "").strip()
        if word and word not in ("&", "|", "!"):
            words.append(word)
    return words[:20]


def _compose(table: Table, query: Query) -> tuple[list[str], str, str, list[Any]]:
    """The columns, the page's SQL (taking LIMIT and OFFSET last), the count's SQL and the
    parameters of ``query`` over ``table``."""
    columns = [_known(table, c, "fields") for c in query.fields] if query.fields else list(table.columns)
    if query.distinct and not query.fields:
        columns = [c for c in columns if c != ID_COLUMN]
    where, params = _where(table, query)
    order = [f"{engine.ident(_known(table, c, 'sort'))} {'DESC' if desc else 'ASC'} "
             f"{'NULLS LAST' if query.nulls_last or not desc else 'NULLS FIRST'}" for c, desc in query.sort]
    select_list = ", ".join(engine.ident(c) for c in columns)
    if query.distinct:
        inner = f"SELECT DISTINCT {select_list} FROM t{where}"
        unknown = [c for c, _ in query.sort if c not in columns]
        if unknown:
            raise Invalid("Dengan distinct, urutkan hanya menurut kolom yang dipilih.",
                          details={"sort": [f'invalid value "{unknown[0]}"']})
        sql = f"{inner} ORDER BY {', '.join(order + [f'{engine.ident(c)} ASC NULLS LAST' for c in columns])}"
        count_sql = f"SELECT count(*) FROM ({inner})"
    else:
        if not any(c == ID_COLUMN for c, _ in query.sort):
            order.append(f"{ID_COLUMN} ASC")
        sql = f"SELECT {select_list} FROM t{where} ORDER BY {', '.join(order)}"
        count_sql = f"SELECT count(*) FROM t{where}"
    return columns, sql + " LIMIT ? OFFSET ?", count_sql, params


def _failed(table: Table, exc: duckdb.Error) -> Invalid:
    log.warning("datastore query on %s failed: %s", table.resource.id, exc)
    return Invalid("Kueri ini tidak dapat dijalankan pada tabel.",
                   details={"query": ["Invalid query"], "info": {"orig": [str(exc).splitlines()[0][:300]]}})


def search(table: Table, query: Query) -> Result:
    """One page of rows of ``table`` matching ``query``, and the total when asked for."""
    columns, sql, count_sql, params = _compose(table, query)
    try:
        rows = table.handle.execute(sql, [*params, query.limit, query.offset]).fetchall()
        total = None
        if query.include_total:
            if query.offset == 0 and len(rows) < query.limit:
                total = len(rows)  # the whole result is on this page
            else:
                counted = table.handle.execute(count_sql, params).fetchone()
                total = int(counted[0]) if counted else 0
    except duckdb.Error as exc:
        raise _failed(table, exc) from exc
    return Result(columns=columns, rows=rows, total=total)


def select(table: Table, query: Query) -> duckdb.DuckDBPyConnection:
    """A cursor over the rows of ``table`` matching ``query`` (its own: the caller reads it in
    batches, ``fetchmany``, and closes it), for downloads of a whole selection."""
    _, sql, _, params = _compose(table, query)
    try:
        return table.handle.execute(sql, [*params, query.limit, query.offset])
    except duckdb.Error as exc:
        raise _failed(table, exc) from exc


STRUCTURED_TYPES = ("object", "array", "geojson", "topojson")
WHOLE_TABLE_BATCH = 5000


@contextlib.contextmanager
def whole_table(resource: Resource, *, structured: bool) -> Iterator[tuple[list[str], Iterator[list[Any]]]]:
    """The columns of ``resource``'s copy (without ``_id``) and all its rows in the table's order,
    typed (int, float, bool, date, datetime, time, text; missing values ``None``), for the
    converted downloads. ``structured``: object/array fields as parsed JSON values (for JSON)
    rather than their text (for XLSX). Read in batches from one cursor, closed on exit.

    No ORDER BY: DuckDB keeps a scan's insertion order (``preserve_insertion_order``, on by
    default), which is the table's row order, so a million rows stream without a sort."""
    try:
        table = open_copy(resource)
    except copies.CopyFailed as exc:  # the download says why, as for any table that does not convert
        raise convert.ConversionError(str(exc)) from exc
    columns = [c for c in table.columns if c != ID_COLUMN]
    schema = _schema_fields(table.descriptor)
    parse = {i for i, c in enumerate(columns)
             if structured and (schema.get(c) or {}).get("type") in STRUCTURED_TYPES
             and table.handle.columns[c] == "VARCHAR"}
    try:
        cursor = table.handle.execute(f"SELECT {', '.join(engine.ident(c) for c in columns)} FROM t")
    except duckdb.Error as exc:
        raise _failed(table, exc) from exc

    def rows() -> Iterator[list[Any]]:
        while batch := cursor.fetchmany(WHOLE_TABLE_BATCH):
            for row in batch:
                values = list(row)
                for i in parse:
                    values[i] = _structured(values[i])
                yield values

    try:
        yield columns, rows()
    finally:
        cursor.close()


def _structured(text: Any) -> Any:
    """An object/array cell as its JSON value (a valid table's cells parse; one that does not
    keeps its text rather than being lost)."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def json_value(value: Any) -> Any:
    """A cell as JSON: dates and times in ISO 8601, NaN and infinities as null."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def text_value(value: Any) -> str:
    """A cell as CSV text: empty for null, ISO dates, ``true``/``false``, numbers without a
    trailing ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- parsing shared by the APIs


_SORT_ITEM = re.compile(r'^\s*(?:"((?:[^"]|"")+)"|([^\s,"]+))\s*(?:\s(asc|desc))?\s*$', re.IGNORECASE)


def parse_sort(text: str | list[str] | None) -> list[tuple[str, bool]]:
    """``"col desc, \\"other col\\""`` -> ``[("col", True), ("other col", False)]``."""
    if not text:
        return []
    items: list[str] = []
    for part in text if isinstance(text, list) else [text]:
        items.extend(_split_commas(str(part)))
    out = []
    for item in items:
        if not item.strip():
            continue
        match = _SORT_ITEM.match(item)
        if match is None:
            raise Invalid(f'Urutan "{item.strip()[:100]}" tidak dapat dibaca; tulis "kolom" atau "kolom desc".',
                          details={"sort": [f'invalid value "{item.strip()[:100]}"']})
        name = match.group(1).replace('""', '"') if match.group(1) is not None else match.group(2)
        out.append((name, (match.group(3) or "asc").lower() == "desc"))
    return out[:20]


def _split_commas(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def parse_filters(raw: Any) -> dict[str, list[Any]]:
    """``filters`` as a dict (or its JSON text): field -> a value or a list of values."""
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise Invalid("filters harus objek JSON, contoh: {\"kode_wilayah\": \"14.07\"}.",
                          details={"filters": ["Cannot parse JSON"]}) from None
    if not isinstance(raw, dict):
        raise Invalid("filters harus objek JSON, contoh: {\"kode_wilayah\": \"14.07\"}.",
                      details={"filters": ["Not a json object"]})
    return {str(k): (v if isinstance(v, list) else [v]) for k, v in raw.items()}


# --------------------------------------------------------------------------- SQL


class SqlRefused(Invalid):
    """A ``datastore_search_sql`` query that is not one checked read-only SELECT."""


# Functions a SELECT may not call: settings, the environment, files and the catalog of the
# engine itself (the sandbox refuses file access anyway; these would only leak facts about the
# server), and dynamic SQL.
_DENIED = re.compile(
    r"^(current_setting|getenv|get_block_size|duckdb_.*|pragma_.*|read_.*|parquet_.*|sniff_csv|glob|query|query_table|"
    r"which_secret|json_serialize_.*|json_deserialize_.*|icu_.*|enable_.*|disable_.*|checkpoint|force_checkpoint|"
    r"summary|load|install|export_.*|import_.*|test_.*|sqlsmith|tpch.*|tpcds.*|repeat_row)$",
    re.IGNORECASE,
)


def _walk(node: Any, found: dict[str, set[str]]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "TABLE_FUNCTION":
            fn = node.get("function") or {}
            found["table_functions"].add(str(fn.get("function_name") or "?"))
        elif "function_name" in node:
            found["functions"].add(str(node["function_name"]))
        if node.get("type") == "BASE_TABLE":
            if node.get("schema_name") or node.get("catalog_name"):
                found["qualified"].add(f"{node.get('schema_name')}.{node.get('table_name')}")
            found["tables"].add(str(node.get("table_name")))
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map") or []:
                if isinstance(entry, dict) and entry.get("key"):
                    found["ctes"].add(str(entry["key"]))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def _refuse(message: str, english: str) -> SqlRefused:
    return SqlRefused(message, details={"query": [english]})


def check_sql(sql: str) -> set[str]:
    """Check that ``sql`` is one read-only ``SELECT`` calling no denied function; returns the
    table names it reads (resource ids). Raises :class:`SqlRefused`."""
    max_chars = int(current_app.config.get("DATASTORE_SQL_MAX_CHARS") or 20000)
    if len(sql) > max_chars:
        raise _refuse(f"Kueri SQL paling banyak {max_chars} karakter.", "Query too long")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise _refuse(f"SQL tidak dapat dibaca: {str(exc).splitlines()[0][:200]}", "Query is not a valid SQL") from exc
    if len(statements) != 1:
        raise _refuse("Kirim tepat satu pernyataan SELECT.", "Query is not a single statement.")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise _refuse("Hanya pernyataan SELECT (baca saja) yang diizinkan.", "Only SELECT statements are allowed")
    con = duckdb.connect()
    try:
        con.execute("SET enable_external_access = false")
        serialized = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
    finally:
        con.close()
    tree = json.loads(serialized[0]) if serialized else {"error": True}
    if tree.get("error"):
        raise _refuse("Hanya pernyataan SELECT (baca saja) yang diizinkan.", "Only SELECT statements are allowed")
    found: dict[str, set[str]] = {"functions": set(), "table_functions": set(), "tables": set(), "ctes": set(),
                                  "qualified": set()}
    _walk(tree, found)
    if found["qualified"]:
        raise Forbidden("Not authorized to access system tables: sebutkan tabel hanya dengan id sumber datanya.")
    if found["table_functions"]:
        name = sorted(found["table_functions"])[0]
        raise Forbidden(f"Not authorized to call function {name}: fungsi tabel tidak diizinkan; baca tabel dengan "
                        'id sumber datanya, contoh: SELECT * FROM "<resource_id>".')
    for name in sorted(found["functions"]):
        if _DENIED.match(name):
            raise Forbidden(f"Not authorized to call function {name}: fungsi ini tidak diizinkan.")
    tables = found["tables"] - found["ctes"]
    if not tables:
        raise _refuse('Sebutkan tabel dengan id sumber datanya, contoh: SELECT * FROM "<resource_id>".',
                      "Query must read at least one resource")
    return tables


@dataclass
class SqlResult:
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    truncated: bool


def search_sql(sql: str) -> SqlResult:
    """Run one checked ``SELECT`` over the copies of public resources, named by their ids."""
    names = check_sql(sql)
    max_tables = int(current_app.config.get("DATASTORE_SQL_MAX_TABLES") or 5)
    if len(names) > max_tables:
        raise _refuse(f"Paling banyak {max_tables} tabel dalam satu kueri.", "Too many tables")
    paths: dict[str, Path] = {}
    for name in sorted(names):
        try:
            table = public_table(name)
        except NotFound:
            raise NotFound(f'Tabel "{name[:100]}" tidak ada: sebutkan id sumber data publik yang tabelnya lolos '
                           "validasi.") from None
        paths[name] = table.handle.path
    max_rows = int(current_app.config.get("DATASTORE_MAX_ROWS") or 32000)
    seconds = float(current_app.config.get("DATASTORE_SQL_TIMEOUT") or 10)
    try:
        columns, rows, truncated = engine.run_sql(paths, sql, max_rows=max_rows, seconds=seconds)
    except engine.QueryTimeout:
        raise _refuse(f"Kueri dihentikan karena melebihi batas waktu {seconds:g} detik; persempit kuerinya.",
                      "Query took too long") from None
    except duckdb.PermissionException as exc:
        raise Forbidden("Not authorized to read files: kueri mencoba membaca berkas atau jaringan; itu tidak "
                        "diizinkan.") from exc
    except duckdb.Error as exc:
        raise _refuse(f"Kueri gagal: {str(exc).splitlines()[0][:300]}", str(exc).splitlines()[0][:300]) from exc
    names_out = [c for c, _ in columns]
    fields = [{"id": c, "type": engine.CKAN_TYPES.get(t, "text")} for c, t in columns]
    records = [{k: json_value(v) for k, v in zip(names_out, row, strict=False)} for row in rows]
    return SqlResult(fields=fields, records=records, truncated=truncated)


__all__ = ["ID_COLUMN", "MAX_Q_CHARS", "SOURCE_FORMATS", "DomainError", "NoCopy", "Query", "Result", "SqlRefused", "SqlResult", "Table", "build_copy", "check_sql",
           "copy_path", "fields_of", "has_copy", "json_value", "open_copy", "parse_filters", "parse_sort", "public_table", "search",
           "search_sql", "select", "stale_copies", "text_value", "whole_table"]
