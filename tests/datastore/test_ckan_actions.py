"""CKAN DataStore's read actions over the typed copies, shaped as CKAN 2.10 shapes them, with
every bad input the issue lists refused or bounded with CKAN's error shape; and the real
``ckanapi`` command against a live server."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from satudata.catalog.models import Resource
from tests.api.test_ckan_client import ckanapi_cli, run_cli, serve
from tests.datastore.conftest import typed_table
from tests.factories import withdraw_dataset

SEARCH = "/api/3/action/datastore_search"


@pytest.fixture()
def res(app: Flask) -> Resource:
    return typed_table()[1]


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def call(client: FlaskClient, name: str, status: int = 200, **params: Any) -> dict[str, Any]:
    resp = client.post(f"/api/3/action/{name}", json=params)
    body = resp.get_json()
    assert resp.status_code == status, body
    assert body["success"] is (status == 200)
    return body["result"] if status == 200 else body["error"]


def test_search_shape_as_ckan(client: FlaskClient, res: Resource) -> None:
    resp = client.get(f"{SEARCH}?resource_id={res.id}&limit=2&offset=2")
    result = resp.get_json()["result"]
    assert set(result) == {"include_total", "limit", "offset", "records_format", "resource_id",
                           "total_estimation_threshold", "records", "fields", "_links", "total", "total_was_estimated"}
    assert result["total"] == 5 and result["limit"] == 2 and result["offset"] == 2
    assert [f["id"] for f in result["fields"]] == ["_id", "kode_wilayah", "nama_wilayah", "tahun", "jumlah", "persen",
                                                   "tanggal", "aktif"]
    assert [f["type"] for f in result["fields"]] == ["int", "text", "text", "int4", "int8", "float8", "date", "bool"]
    assert result["fields"][4]["info"] == {"label": "Jumlah penduduk", "notes": "", "type_override": "", "unit": "jiwa"}
    assert result["records"] == [
        {"_id": 3, "kode_wilayah": "14.07", "nama_wilayah": "Rokan Hilir", "tahun": 2024, "jumlah": 650000,
         "persen": None, "tanggal": "2024-06-15", "aktif": True},
        {"_id": 4, "kode_wilayah": "14.73", "nama_wilayah": "Kota Dumai", "tahun": 2024, "jumlah": 316782,
         "persen": 10.1, "tanggal": None, "aktif": False},
    ]
    assert result["_links"] == {"start": f"{SEARCH}?resource_id={res.id}&limit=2",
                                "next": f"{SEARCH}?resource_id={res.id}&limit=2&offset=4"}


def test_filters_keep_codes_as_text(client: FlaskClient, res: Resource) -> None:
    result = call(client, "datastore_search", resource_id=res.id, filters={"kode_wilayah": "14.07"})
    assert [r["_id"] for r in result["records"]] == [1, 3]
    assert result["filters"] == {"kode_wilayah": "14.07"}
    listed = call(client, "datastore_search", resource_id=res.id,
                  filters=json.dumps({"kode_wilayah": ["14.71", "14.73"], "tahun": 2024}))
    assert [r["_id"] for r in listed["records"]] == [4]
    typed = call(client, "datastore_search", resource_id=res.id, filters={"aktif": "true", "jumlah": "650000"})
    assert [r["_id"] for r in typed["records"]] == [3]


def test_sort_fields_distinct_and_formats(client: FlaskClient, res: Resource) -> None:
    result = call(client, "datastore_search", resource_id=res.id, sort="jumlah desc", fields="nama_wilayah,jumlah")
    assert [r["jumlah"] for r in result["records"]] == [1007540, 650000, 637161, 316782, 206116]
    assert set(result["records"][0]) == {"nama_wilayah", "jumlah"}
    assert [f["id"] for f in result["fields"]] == ["nama_wilayah", "jumlah"]
    nulls = call(client, "datastore_search", resource_id=res.id, sort='"persen" asc', fields=["_id"])
    assert [r["_id"] for r in nulls["records"]] == [2, 1, 4, 5, 3]  # the missing value last
    first = call(client, "datastore_search", resource_id=res.id, sort="persen desc", fields=["_id"])
    assert [r["_id"] for r in first["records"]] == [3, 5, 4, 1, 2]  # and first descending, as PostgreSQL sorts
    distinct = call(client, "datastore_search", resource_id=res.id, fields=["kode_wilayah"], distinct=True)
    assert distinct["records"] == [{"kode_wilayah": k} for k in ("14.07", "14.10", "14.71", "14.73")]
    assert distinct["total"] == 4
    lists = call(client, "datastore_search", resource_id=res.id, records_format="lists", limit=1)
    assert lists["records"] == [[1, "14.07", "Rokan Hilir", 2023, 637161, 7.5, "2024-01-31", True]]
    as_csv = call(client, "datastore_search", resource_id=res.id, records_format="csv", limit=2, offset=3)
    assert as_csv["records"] == ('4,14.73,Kota Dumai,2024,316782,10.1,,f\n'
                                 '5,14.10,"Kepulauan Meranti, ""Selatpanjang""",2024,206116,25,2024-02-02,t\n')
    no_total = call(client, "datastore_search", resource_id=res.id, include_total=False)
    assert "total" not in no_total and "total_was_estimated" not in no_total


def test_full_text_q_is_plain_text(client: FlaskClient, res: Resource) -> None:
    assert [r["_id"] for r in call(client, "datastore_search", resource_id=res.id, q="rokan")["records"]] == [1, 3]
    assert [r["_id"] for r in call(client, "datastore_search", resource_id=res.id, q='"Selatpanjang"')["records"]] == [5]
    for odd in ('%', "_", "*", "'; DROP TABLE t; --", '"x"', "Rok%n"):
        assert call(client, "datastore_search", resource_id=res.id, q=odd)["records"] == []
    per_column = call(client, "datastore_search", resource_id=res.id, q={"nama_wilayah": "kota"})
    assert [r["_id"] for r in per_column["records"]] == [2, 4]


@pytest.mark.parametrize(("params", "key", "message"), [
    ({"filters": {"nope": "1"}}, "filters", 'invalid value "nope"'),
    ({"filters": "{not json"}, "filters", "Cannot parse JSON"),
    ({"filters": {"jumlah": "banyak"}}, "filters", 'invalid value for "jumlah": banyak'),
    ({"sort": "nope desc"}, "sort", 'invalid value "nope"'),
    ({"sort": "jumlah sideways"}, "sort", 'invalid value "jumlah sideways"'),
    ({"fields": ["nope"]}, "fields", 'invalid value "nope"'),
    ({"q": {"nope": "x"}}, "q", 'invalid value "nope"'),
    ({"limit": "abc"}, "limit", "Invalid integer"),
    ({"limit": -1}, "limit", "Must be a natural number"),
    ({"offset": -5}, "offset", 'invalid value "-5"'),
    ({"records_format": "xml"}, "records_format", "Value must be one of ['objects', 'lists', 'csv', 'tsv']"),
])
def test_bad_search_input_is_a_validation_error(client: FlaskClient, res: Resource, params: dict[str, Any],
                                                key: str, message: str) -> None:
    error = call(client, "datastore_search", 409, resource_id=res.id, **params)
    assert error["__type"] == "Validation Error"
    assert error[key] == [message]


def test_huge_limit_is_lowered_to_the_maximum(client: FlaskClient, res: Resource) -> None:
    result = call(client, "datastore_search", resource_id=res.id, limit=10_000_000)
    assert result["limit"] == 32000 and len(result["records"]) == 5


def test_only_published_public_tables_answer(client: FlaskClient, app: Flask) -> None:
    error = call(client, "datastore_search", 404, resource_id="tidak-ada")
    assert error["__type"] == "Not Found Error"
    _, draft = typed_table(publish=False)
    assert call(client, "datastore_search", 404, resource_id=draft.id)["__type"] == "Not Found Error"
    assert call(client, "datastore_info", 404, resource_id=draft.id)["__type"] == "Not Found Error"
    ds, gone = typed_table()
    assert call(client, "datastore_search", resource_id=gone.id)["total"] == 5
    withdraw_dataset(ds, index=False)
    assert call(client, "datastore_search", 404, resource_id=gone.id)["__type"] == "Not Found Error"
    sql = f'SELECT count(*) AS n FROM "{gone.id}"'
    assert call(client, "datastore_search_sql", 404, sql=sql)["__type"] == "Not Found Error"


def test_datastore_info_lists_schema_titles(client: FlaskClient, res: Resource) -> None:
    info = call(client, "datastore_info", id=res.id)
    assert info["meta"]["count"] == 5 and info["meta"]["id"] == res.id
    assert info["fields"][0] == {
        "id": "kode_wilayah", "type": "text",
        "info": {"label": "Kode wilayah", "notes": "Kode Kemendagri.", "type_override": ""},
        "schema": {"native_type": "varchar", "notnull": False, "index_name": None, "is_index": False,
                   "uniquekey": False}}
    assert [f["id"] for f in info["fields"]][-1] == "aktif"


def test_search_sql_reads_published_tables(client: FlaskClient, res: Resource) -> None:
    sql = f'SELECT kode_wilayah, sum(jumlah) AS jumlah FROM "{res.id}" GROUP BY 1 ORDER BY 1'
    result = call(client, "datastore_search_sql", sql=sql)
    assert result["records"][0] == {"kode_wilayah": "14.07", "jumlah": 1287161}
    assert result["fields"] == [{"id": "kode_wilayah", "type": "text"}, {"id": "jumlah", "type": "numeric"}]
    assert result["sql"] == sql and "records_truncated" not in result


def test_search_sql_caps_rows(client: FlaskClient, res: Resource, app: Flask) -> None:
    app.config["DATASTORE_MAX_ROWS"] = 3
    try:
        result = call(client, "datastore_search_sql", sql=f'SELECT _id FROM "{res.id}"')
    finally:
        app.config["DATASTORE_MAX_ROWS"] = 32000
    assert len(result["records"]) == 3 and result["records_truncated"] is True


@pytest.mark.parametrize(("sql", "status", "expect"), [
    ("DELETE FROM \"{id}\"", 409, "Only SELECT statements are allowed"),
    ("SELECT 1; SELECT 2", 409, "Query is not a single statement."),
    ("COPY (SELECT 1) TO '/tmp/x.csv'", 409, "Only SELECT statements are allowed"),
    ("ATTACH '/tmp/x.db' AS x", 409, "Only SELECT statements are allowed"),
    ("INSTALL httpfs", 409, "Only SELECT statements are allowed"),
    ("SELECT * FROM read_csv('/etc/passwd')", 403, "Not authorized to call function read_csv"),
    ("SELECT * FROM \"{id}\" WHERE nama_wilayah IN (SELECT * FROM read_text('/etc/hostname'))", 403,
     "Not authorized to call function read_text"),
    ("SELECT current_setting('allowed_paths')", 403, "Not authorized to call function current_setting"),
    ("SELECT * FROM '/etc/passwd'", 404, None),
    ("SELECT * FROM pg_catalog.pg_tables", 403, "Not authorized to access system tables"),
    ("SELECT * FROM pg_tables", 404, None),
    ("WITH x AS (SELECT 1) SELECT * FROM x", 409, "Query must read at least one resource"),
    ("SELEC oops", 409, "Query is not a valid SQL"),
    ("", 409, None),
])
def test_search_sql_refuses_what_is_not_a_plain_select(client: FlaskClient, res: Resource, sql: str, status: int,
                                                      expect: str | None) -> None:
    error = call(client, "datastore_search_sql", status, sql=sql.replace("{id}", res.id))
    if status == 409:
        assert error["__type"] == "Validation Error"
        if expect:
            assert error["query"] == [expect]
    elif status == 403:
        assert error["__type"] == "Authorization Error"
        assert error["message"].startswith(expect)
    else:
        assert error["__type"] == "Not Found Error"


def test_search_sql_that_runs_too_long_is_stopped(client: FlaskClient, res: Resource, app: Flask) -> None:
    app.config["DATASTORE_SQL_TIMEOUT"] = 0.5
    slow = (f'SELECT count(*) FROM "{res.id}", (SELECT unnest(range(1000000)) AS x) a, '
            "(SELECT unnest(range(1000000)) AS y) b WHERE x + y = 7")  # 10^12 pairs: hours
    try:
        error = call(client, "datastore_search_sql", 409, sql=slow)
    finally:
        app.config["DATASTORE_SQL_TIMEOUT"] = 10
    assert error["query"] == ["Query took too long"]


@pytest.fixture()
def live(app: Flask, res: Resource) -> Iterator[str]:
    yield from serve(app)


def test_ckanapi_cli_datastore_search(live: str, res: Resource) -> None:
    """The issue's own command: ``ckanapi action datastore_search resource_id=<id>
    filters:'{"kode_wilayah": "14.07"}'`` against the running portal."""
    out = ckanapi_cli("action", "datastore_search", f"resource_id={res.id}", 'filters:{"kode_wilayah": "14.07"}',
                      "-r", live)
    assert out["total"] == 2
    assert {r["nama_wilayah"] for r in out["records"]} == {"Rokan Hilir"}
    assert out["_links"]["start"] == "/api/action/datastore_search"
    info = ckanapi_cli("action", "datastore_info", f"id={res.id}", "-r", live)
    assert info["meta"]["count"] == 5
    proc = run_cli("action", "datastore_search_sql", "sql=DROP TABLE x", "-r", live)
    assert proc.returncode != 0 and "Only SELECT statements are allowed" in proc.stderr


# --------------------------------------------------------------------------- REST /data


def test_rest_data_json_csv_xlsx(client: FlaskClient, res: Resource) -> None:
    from openpyxl import load_workbook

    url = f"/api/v1/resources/{res.id}/data"
    body = client.get(url, query_string={"filters": '{"kode_wilayah": "14.07"}', "sort": "tahun desc"}).get_json()
    assert body["meta"] == {"total": 2, "offset": 0, "limit": 100}
    assert [r["tahun"] for r in body["data"]["records"]] == [2024, 2023]
    jumlah = next(f for f in body["data"]["fields"] if f["id"] == "jumlah")
    assert jumlah == {"id": "jumlah", "type": "int8", "title": "Jumlah penduduk", "description": None, "unit": "jiwa"}
    assert body["links"]["next"] is None and "format=csv" in body["links"]["csv"]
    resp = client.get(url, query_string={"format": "csv", "q": "kota", "fields": "nama_wilayah,persen"})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.get_data(as_text=True) == "nama_wilayah,persen\r\nKota Pekanbaru,6.25\r\nKota Dumai,10.1\r\n"
    assert "attachment" in resp.headers["Content-Disposition"]
    resp.close()
    resp = client.get(url, query_string={"format": "xlsx", "sort": "jumlah desc", "limit": 2})
    sheet = load_workbook(io.BytesIO(resp.data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()][:3] == [
        ["_id", "kode_wilayah", "nama_wilayah", "tahun", "jumlah", "persen", "tanggal", "aktif"],
        [2, "14.71", "Kota Pekanbaru", 2023, 1007540, 6.25, datetime(2023, 12, 1), False],
        [3, "14.07", "Rokan Hilir", 2024, 650000, None, datetime(2024, 6, 15), True],
    ]
    resp.close()


@pytest.mark.parametrize(("query", "field"), [
    ({"filters": "{\"nope\": 1}"}, "filters"),
    ({"sort": "nope"}, "sort"),
    ({"limit": "100000"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"format": "parquet"}, "format"),
    ({"filters": "[1]"}, "filters"),
])
def test_rest_data_bad_input(client: FlaskClient, res: Resource, query: dict[str, str], field: str) -> None:
    resp = client.get(f"/api/v1/resources/{res.id}/data", query_string=query)
    body = resp.get_json()
    assert resp.status_code == 422, body
    assert field in body["error"]["details"]


def test_rest_data_draft_is_404(client: FlaskClient, app: Flask) -> None:
    _, draft = typed_table(publish=False)
    assert client.get(f"/api/v1/resources/{draft.id}/data").status_code == 404
    assert client.get("/api/v1/resources/tidak-ada/data").status_code == 404


def test_a_missing_copy_is_written_on_the_first_query(client: FlaskClient, app: Flask) -> None:
    """A table published before its copy existed (a deployment that predates the datastore, a
    cleared folder) answers at once: the copy is written then, as a download is."""
    import uuid

    from satudata.datastore import services as datastore
    from tests.datastore.conftest import CSV

    # Copies are content-addressed: content no other test wrote.
    _, res = typed_table(CSV + f'14.06,Kampar {uuid.uuid4()},2024,"1","1",-,ya\n', build=False)
    assert not datastore.has_copy(res)
    assert call(client, "datastore_search", resource_id=res.id)["total"] == 6
    assert datastore.has_copy(res)


def test_a_published_file_that_is_not_a_valid_table_is_404(client: FlaskClient, app: Flask) -> None:
    from satudata.catalog.models import ValidationStatus
    from satudata.extensions import db

    _, res = typed_table(build=False)
    res.validation_status = ValidationStatus.INVALID  # a later run judged it so
    db.session.commit()
    error = call(client, "datastore_search", 404, resource_id=res.id)
    assert "lolos validasi" in error["message"]
