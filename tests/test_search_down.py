"""When the search engine is down the site stays up: pages, CKAN and REST answer from the
database (the page says so), and /readyz names the engine as the broken part."""

from __future__ import annotations

import pytest

from satudata.search.backend import EXTENSION_KEY
from satudata.search.elasticsearch import ElasticsearchBackend
from tests.factories import make_dataset


@pytest.fixture()
def engine_down(app):
    make_dataset(title="Jumlah Penduduk Kota Dumai")
    live = app.extensions.pop(EXTENSION_KEY, None)
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    yield
    app.extensions.pop(EXTENSION_KEY, None)
    if live is not None:
        app.extensions[EXTENSION_KEY] = live


def test_page_falls_back_with_a_notice(scratch_client, engine_down):
    resp = scratch_client.get("/dataset?q=penduduk")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "Mesin pencarian sedang tidak tersedia" in body
    assert "Jumlah Penduduk Kota Dumai" in body


def test_apis_fall_back(scratch_client, engine_down):
    ckan = scratch_client.get("/api/3/action/package_search?q=penduduk").json
    assert ckan["success"] is True and ckan["result"]["count"] == 1
    rest = scratch_client.get("/api/v1/datasets?q=penduduk").json
    assert rest["meta"]["total"] == 1


def test_readyz_names_the_engine(scratch_client, engine_down):
    resp = scratch_client.get("/readyz")
    assert resp.status_code == 503
    assert resp.json["checks"]["search"]["status"] == "error"
    assert resp.json["checks"]["database"]["status"] == "ok"
