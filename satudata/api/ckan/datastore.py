"""CKAN DataStore's read actions over the datastore's typed copies: ``datastore_search``,
``datastore_info`` and ``datastore_search_sql``, shaped as CKAN 2.10 shapes them (the result
echoes the checked parameters in alphabetical order, then ``records``, ``fields``, ``_links``,
``total``; ``_id`` first, typed ``int``; field types named as PostgreSQL names them; relative
``_links``; ``csv``/``tsv`` records as one headerless text). Only tables of published, public
datasets answer; anything else is CKAN's 404.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import current_app, request

from satudata.api.ckan.endpoint import Params, action, invalid
from satudata.datastore import services as datastore
from satudata.errors import Invalid

RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")


def _whole(p: Params, name: str) -> int | None:
    """An integer parameter as CKAN's ``int_validator`` reads it (``Invalid integer`` otherwise)."""
    raw = p.data.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, float) and raw.is_integer())
                                     or (isinstance(raw, str) and raw.strip().lstrip("+-").isdigit())):
        raise Invalid(f"Parameter '{name}' harus bilangan bulat.", details={name: ["Invalid integer"]})
    return int(raw)


def _limit(p: Params) -> int:
    """CKAN's ``limit``: a natural number (default 100), lowered to the maximum when above it."""
    maximum = int(current_app.config["DATASTORE_MAX_ROWS"])
    value = _whole(p, "limit")
    if value is None:
        return min(100, maximum)
    if value < 0:
        raise Invalid("Parameter 'limit' tidak boleh negatif.", details={"limit": ["Must be a natural number"]})
    return min(value, maximum)


def _offset(p: Params) -> int | None:
    value = _whole(p, "offset")
    if value is not None and not 0 <= value <= 10**12:
        raise Invalid("Parameter 'offset' tidak boleh negatif.", details={"offset": [f'invalid value "{value}"']})
    return value


def _fields_param(p: Params) -> list[str] | None:
    raw = p.data.get("fields")
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(raw, str):
        return [f.strip().strip('"') for f in raw.split(",") if f.strip()]
    if isinstance(raw, list) and all(isinstance(f, str) for f in raw):
        return [f.strip() for f in raw if f.strip()]
    raise Invalid("Parameter 'fields' harus daftar nama kolom.", details={"fields": ["Not a list"]})


def _q_param(p: Params) -> str | dict[str, str] | None:
    raw = p.data.get("q")
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw.lstrip().startswith("{"):
        with contextlib.suppress(ValueError):
            raw = json.loads(raw)
    if isinstance(raw, dict):
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in raw.values()):
            first = next(iter(raw), "")
            raise Invalid("Nilai q per kolom harus teks.", details={"q": [f'invalid value "{first}"']})
        return {str(k): str(v) for k, v in raw.items()}
    if isinstance(raw, list):
        raise invalid("q", "Harus teks.")
    return str(raw)


def _links(limit: int, offset: int) -> dict[str, str]:
    """CKAN's ``_links``: the request's own path and query (relative), from the start and one
    page on (and back, when that is past the first page)."""
    pairs = [(k, v) for k, v in parse_qsl(request.query_string.decode("utf-8", "replace"), keep_blank_values=True)]
    base = [(k, v) for k, v in pairs if k != "offset"]

    def url(at: int | None) -> str:
        query = list(base)
        if at is not None:
            query.append(("offset", str(at)))
        return request.path + ("?" + urlencode(query) if query else "")

    links = {"start": url(None), "next": url(offset + limit)}
    if offset - limit > 0:
        links["prev"] = url(offset - limit)
    return links


def _csv_records(rows: list[tuple[Any, ...]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow(["t" if v is True else "f" if v is False else datastore.text_value(v) for v in row])
    return out.getvalue()


@action
def datastore_search(p: Params) -> dict[str, Any]:
    """Rows of a published table, filtered, searched, sorted and paged.

    :param resource_id: the resource's id (or ``id``)
    :param filters: ``{"kolom": nilai}`` or ``{"kolom": [nilai, ...]}``, exact matches
    :param q: words every row must contain (in any text column), or ``{"kolom": "kata"}``
    :param distinct: distinct rows only
    :param fields: the columns to return (a list or comma-separated)
    :param sort: ``"kolom desc, kolom2"``
    :param limit: rows per page (default 100, at most 32000)
    :param offset: rows to skip
    :param include_total: count all matching rows (default true)
    :param records_format: ``objects`` (default), ``lists``, ``csv`` or ``tsv``
    """
    resource_id = p.required("resource_id", "id")
    records_format = p.string("records_format", "objects") or "objects"
    if records_format not in RECORDS_FORMATS:
        raise Invalid("records_format harus objects, lists, csv atau tsv.",
                      details={"records_format": [f"Value must be one of {list(RECORDS_FORMATS)}"]})
    limit, offset = _limit(p), _offset(p)
    filters = datastore.parse_filters(p.data.get("filters"))
    q = _q_param(p)
    fields = _fields_param(p)
    sort_raw = p.data.get("sort")
    if sort_raw is not None and not isinstance(sort_raw, str | list):
        raise Invalid("Parameter 'sort' harus teks.", details={"sort": ["Not a list"]})
    sort = datastore.parse_sort(sort_raw)
    distinct = p.boolean("distinct", False)
    include_total = p.boolean("include_total", True)
    table = datastore.public_table(resource_id)
    result = datastore.search(table, datastore.Query(
        filters=filters, q=q, fields=fields, distinct=distinct, sort=sort, limit=limit, offset=offset or 0,
        include_total=include_total))

    echoed: dict[str, Any] = {}
    if "distinct" in p.data:
        echoed["distinct"] = distinct
    if fields is not None:
        echoed["fields"] = fields
    if filters:
        raw_filters = p.data["filters"]
        echoed["filters"] = json.loads(raw_filters) if isinstance(raw_filters, str) else raw_filters
    echoed["include_total"] = include_total
    echoed["limit"] = limit
    if offset is not None:
        echoed["offset"] = offset
    if q is not None:
        echoed["q"] = q
    echoed["records_format"] = records_format
    echoed["resource_id"] = table.resource.id
    if sort_raw:
        echoed["sort"] = sort_raw
    echoed["total_estimation_threshold"] = None
    out = dict(sorted(echoed.items()))

    columns = result.columns
    if records_format == "objects":
        records: Any = [{c: datastore.json_value(v) for c, v in zip(columns, row, strict=False)} for row in result.rows]
    elif records_format == "lists":
        records = [[datastore.json_value(v) for v in row] for row in result.rows]
    else:
        records = _csv_records(result.rows, "," if records_format == "csv" else "\t")
    out["records"] = records
    out["fields"] = [{k: v for k, v in f.items() if k != "schema_type"} for f in datastore.fields_of(table, columns)]
    out["_links"] = _links(limit, offset or 0)
    if include_total:
        out["total"] = result.total
        out["total_was_estimated"] = False
    return out


@action
def datastore_info(p: Params) -> dict[str, Any]:
    """The columns of a published table (types, titles and descriptions from its Table Schema)
    and its row count.

    :param resource_id: the resource's id (or ``id``)
    """
    resource_id = p.required("resource_id", "id")
    table = datastore.public_table(resource_id)
    count = table.handle.execute("SELECT count(*) FROM t").fetchone()
    fields = []
    for item in datastore.fields_of(table):
        if item["id"] == datastore.ID_COLUMN:
            continue
        native = table.handle.columns[item["id"]]
        entry = {k: v for k, v in item.items() if k != "schema_type"}
        entry["schema"] = {"native_type": native.lower(), "notnull": False, "index_name": None, "is_index": False,
                           "uniquekey": False}
        fields.append(entry)
    size = table.handle.path.stat().st_size
    return {
        "meta": {"id": table.resource.id, "count": int(count[0]) if count else 0, "table_type": "BASE TABLE",
                 "size": size, "db_size": size, "idx_size": 0, "aliases": []},
        "fields": fields,
    }


@action
def datastore_search_sql(p: Params) -> dict[str, Any]:
    """One read-only ``SELECT`` over published tables, each named by its resource id in double
    quotes: ``SELECT kode_wilayah, sum(jumlah) FROM "<resource_id>" GROUP BY 1``. At most 32000
    rows (``records_truncated`` says when more were cut off) and 10 seconds.

    :param sql: the query
    """
    sql = p.string("sql")
    if sql is None or not sql.strip():
        raise Invalid("Parameter 'sql' wajib diisi.", details={"sql": ["Missing value"]})
    result = datastore.search_sql(sql)
    out: dict[str, Any] = {k: v for k, v in p.data.items()}
    if result.truncated:
        out["records_truncated"] = True
    out["records"] = result.records
    out["fields"] = result.fields
    return out
