"""REST API v1, bad input: every wrong parameter, unknown id and unsupported request gets a
clear JSON error in Bahasa Indonesia with the right status, never a 500."""

from __future__ import annotations

import io
from typing import Any

import pytest

from satudata.catalog import services as catalog
from satudata.catalog.storage import get_store
from satudata.extensions import db
from tests import factories as f
from tests.api.test_rest import build_catalogue
from tests.conftest import shared_data

# Built once for the module; a test that changes rows is marked ``writes`` (tests/conftest.py).
app, cat, _shared = shared_data("rest_bad_input", build_catalogue)


def assert_error(resp: Any, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True))
    assert resp.mimetype == "application/json"
    error = resp.json["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert error["message"] and isinstance(error["details"], dict)
    for field, messages in error["details"].items():
        assert isinstance(field, str) and messages and all(isinstance(m, str) for m in messages)
    return dict(error)


# --------------------------------------------------------------------------- 422: query parameters

ENGLISH = ("Not a valid", "Missing data", "Must be", "Invalid", "Unknown field", "Longer than")


@pytest.mark.parametrize(("query", "field", "message_part"), [
    ("page=abc", "page", "bilangan bulat"),
    ("page=1.5", "page", "bilangan bulat"),
    ("page=", "page", "bilangan bulat"),
    ("page=0", "page", "antara 1"),
    ("page=-3", "page", "antara 1"),
    ("page=99999999999999999999999", "page", "antara 1"),
    ("page=true", "page", "bilangan bulat"),
    ("per_page=0", "per_page", "antara 1"),
    ("per_page=1001", "per_page", "1000"),
    ("per_page=lima", "per_page", "bilangan bulat"),
    ("per_page=1e3", "per_page", "bilangan bulat"),
    ("sort=judul", "sort", "relevance, newest, modified, name, downloads"),
    ("sort=", "sort", "Pilih salah satu"),
    ("year=abc", "year", "Nilai ke-1"),
    ("year=2024&year=dua-ribu", "year", "Nilai ke-2"),
    ("year=0", "year", "antara 1 dan 9999"),
    ("year=99999999999999999999", "year", "antara 1 dan 9999"),
    ("frequency=kadang-kadang", "frequency", "tahunan"),
    ("q=" + "x" * 201, "q", "200 karakter"),
    ("q=a%00b", "q", "NUL"),
    ("tag=a%00b", "tag", "NUL"),
    ("organization=" + "o" * 101, "organization", "100 karakter"),
    ("page=1&page=2", "page", "sekali"),
    ("sort=name&sort=newest", "sort", "sekali"),
])
def test_bad_dataset_list_parameters(scratch_client, cat, query, field, message_part):
    error = assert_error(scratch_client.get(f"/api/v1/datasets?{query}"), 422, "invalid")
    assert field in error["details"], error
    assert any(message_part in m for m in error["details"][field]), error
    assert field in error["message"]
    text = error["message"] + " ".join(" ".join(m) for m in error["details"].values())
    assert not any(word in text for word in ENGLISH), text


def test_every_bad_parameter_is_reported_at_once(scratch_client, cat):
    error = assert_error(scratch_client.get("/api/v1/datasets?page=0&per_page=x&sort=y&year=z"), 422, "invalid")
    assert set(error["details"]) == {"page", "per_page", "sort", "year"}
    assert error["message"] == "Parameter tidak valid: page, per_page, sort, year."


def test_per_page_limit_follows_config(scratch_client, cat, app):
    app.config["API_MAX_ROWS"] = 50
    try:
        error = assert_error(scratch_client.get("/api/v1/datasets?per_page=51"), 422, "invalid")
        assert error["details"]["per_page"] == ["Harus antara 1 dan 50."]
    finally:
        app.config["API_MAX_ROWS"] = 1000


@pytest.mark.parametrize(("query", "field"), [
    ("offset=-1", "offset"),
    ("offset=abc", "offset"),
    ("offset=99999999999999999999", "offset"),
    ("limit=0", "limit"),
    ("limit=1001", "limit"),
    ("limit=sepuluh", "limit"),
    ("limit=10&limit=20", "limit"),
])
def test_bad_rows_parameters(scratch_client, cat, query, field):
    res = cat.penduduk.resources[0]
    error = assert_error(scratch_client.get(f"/api/v1/resources/{res.id}/rows?{query}"), 422, "invalid")
    assert field in error["details"]


# --------------------------------------------------------------------------- 404: unknown ids and paths


@pytest.mark.parametrize("path", [
    "/api/v1/datasets/tidak-ada",
    "/api/v1/datasets/00000000-0000-0000-0000-000000000000",
    "/api/v1/datasets/tidak-ada/resources",
    "/api/v1/resources/tidak-ada",
    "/api/v1/resources/tidak-ada/rows",
    "/api/v1/organizations/tidak-ada",
    "/api/v1/topics/tidak-ada",
    "/api/v1/datasets/a%00b",
    "/api/v1/datasets/a%00b/resources",
    "/api/v1/resources/a%00b",
    "/api/v1/resources/a%00b/rows",
    "/api/v1/organizations/a%00b",
    "/api/v1/topics/a%00b",
    "/api/v1/datasets/" + "x" * 400,
    "/api/v1/resources/" + "x" * 400,
    "/api/v1/datasets/%E2%9C%93-unicode",
    "/api/v1/tidak-ada",
    "/api/v1/datasets/a/b/c",
    "/api/v1/licences/cc-by-4.0",
])
def test_unknown_things_are_json_404(scratch_client, cat, path):
    error = assert_error(scratch_client.get(path), 404, "not_found")
    assert "tidak ditemukan" in error["message"]
    assert "\x00" not in error["message"]


def test_not_found_names_what_was_missing(scratch_client, cat):
    assert "Dataset 'tidak-ada'" in scratch_client.get("/api/v1/datasets/tidak-ada").json["error"]["message"]
    assert "Organisasi" in scratch_client.get("/api/v1/organizations/tidak-ada").json["error"]["message"]
    assert "Topik" in scratch_client.get("/api/v1/topics/tidak-ada").json["error"]["message"]
    assert "Sumber data" in scratch_client.get("/api/v1/resources/tidak-ada").json["error"]["message"]


def test_unknown_resource_is_404_before_bad_parameters(scratch_client, cat):
    assert_error(scratch_client.get("/api/v1/resources/tidak-ada/rows?limit=0"), 404, "not_found")


# --------------------------------------------------------------------------- 409: rows of what is not a CSV


def test_rows_of_a_pdf_is_409(scratch_client, cat):
    error = assert_error(scratch_client.get(f"/api/v1/resources/{cat.pdf.id}/rows"), 409, "conflict")
    assert "lolos validasi" in error["message"] and "PDF" in error["message"]


def test_rows_of_an_external_link_is_409(scratch_client, cat):
    error = assert_error(scratch_client.get(f"/api/v1/resources/{cat.link.id}/rows"), 409, "conflict")
    assert "tautan luar" in error["message"]


@pytest.mark.writes
def test_rows_of_a_table_not_validated_is_409(scratch_client, cat):
    ds = f.make_dataset(csv=None, document="https://example.org/laporan.pdf")
    # Bytes no reader takes for a table, stored as a CSV resource of the live dataset by the
    # system (no table that is not valid can be published through the lifecycle): rows are only
    # served from the typed copy of a valid table.
    res = catalog.add_resource_file(f.SYSTEM, ds, io.BytesIO(b"\xff\xfe\x00\x00" * 10), filename="rusak.csv")
    db.session.commit()
    error = assert_error(scratch_client.get(f"/api/v1/resources/{res.id}/rows"), 409, "conflict")
    assert "belum lolos validasi" in error["message"]


@pytest.mark.writes
def test_rows_when_the_stored_file_is_gone_is_409(scratch_client, cat):
    ds = f.make_dataset(csv="a,b\n1,2\n")
    res = ds.resources[0]
    get_store().path(res.sha256).unlink()
    error = assert_error(scratch_client.get(f"/api/v1/resources/{res.id}/rows"), 409, "conflict")
    assert "tidak tersedia" in error["message"]


# --------------------------------------------------------------------------- methods and bodies


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/v1/datasets"),
    ("put", "/api/v1/datasets/x"),
    ("delete", "/api/v1/licences"),
    ("post", "/api/v1/topics"),
    ("patch", "/api/v1/resources/x/rows"),
    ("post", "/api/v1/openapi.json"),
])
def test_unsupported_methods_are_json_405(scratch_client, cat, method, path):
    resp = getattr(scratch_client, method)(path, json={})
    error = assert_error(resp, 405, "method_not_allowed")
    assert "Metode" in error["message"]


def test_oversized_request_is_json_413(scratch_client, cat, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        resp = scratch_client.post("/api/v1/datasets", data=b"x" * 4096, content_type="application/json")
        assert resp.status_code in (405, 413)  # refused either way, in JSON
        assert resp.json["error"]["code"] in ("method_not_allowed", "request_entity_too_large")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 500 * 1024 * 1024


# --------------------------------------------------------------------------- never a 500


def test_fuzzed_parameters_never_500(scratch_client, cat):
    res = cat.penduduk.resources[0]
    values = ["", " ", "-1", "0", "1", "1.0", "1e309", "NaN", "inf", "null", "[]", "{}", "%00", "%FF",
              "' OR 1=1 --", "\u202e", "é", "9" * 40, "a" * 5000]
    params = ["page", "per_page", "sort", "q", "year", "organization", "topic", "tag", "format", "licence",
              "kode_wilayah", "frequency"]
    for param in params:
        for value in values:
            resp = scratch_client.get(f"/api/v1/datasets?{param}={value}")
            assert resp.status_code in (200, 404, 422), (param, value, resp.status_code)
            assert resp.is_json
    for param in ("offset", "limit"):
        for value in values:
            resp = scratch_client.get(f"/api/v1/resources/{res.id}/rows?{param}={value}")
            assert resp.status_code in (200, 422), (param, value, resp.status_code)
