"""The chart and map builder, saved views (who may save and delete, the audit trail), the
embeddable page (the only pages other sites may frame) and the boundary files."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog
from satudata.datastore.models import ChartView
from satudata.extensions import db
from tests.conftest import FreshGlobalsClient
from tests.datastore.conftest import typed_table
from tests.factories import SYSTEM, make_org
from tests.security.conftest import csrf, sign_in

PASSWORD = "kata-sandi-uji-123"
MAP_CSV = ("kode_wilayah,nama_wilayah,jumlah,persen\n"
           "14.01,Kampar,800000,5.5\n14.07,Rokan Hilir,650000,7.5\n14.71,Pekanbaru,1000000,6.0\n"
           "14.71,Pekanbaru,7540,6.5\n99.99,Entah,1,1\n")
MAP_SCHEMA = {"fields": [{"name": "kode_wilayah", "type": "string"}, {"name": "nama_wilayah", "type": "string"},
                         {"name": "jumlah", "type": "integer", "title": "Jumlah penduduk"},
                         {"name": "persen", "type": "number", "title": "Persentase miskin"}]}


def _client(app: Flask) -> FlaskClient:
    app.test_client_class = FreshGlobalsClient  # a fresh ``g`` per request, as in production
    return app.test_client()


@pytest.fixture()
def table(app: Flask) -> Any:
    ds, res = typed_table(MAP_CSV, schema=MAP_SCHEMA, ukuran="Jumlah penduduk", satuan="jiwa")
    producer = accounts.create_user(SYSTEM, username="produsen.uji", email="p@uji.go.id", full_name="Produsen Uji",
                                    password=PASSWORD, roles=[("produsen", ds.organization)])
    other = make_org()
    stranger = accounts.create_user(SYSTEM, username="produsen.lain", email="l@uji.go.id", full_name="Produsen Lain",
                                    password=PASSWORD, roles=[("produsen", other)])
    db.session.commit()
    return ds, res, producer, stranger


def _spec(html: str, cid: str) -> dict[str, Any]:
    import json

    found = re.search(rf'<script type="application/json" id="{cid}-data">(.*?)</script>', html, re.S)
    assert found, html[:2000]
    return dict(json.loads(found.group(1)))


def test_builder_draws_bar_line_stacked_pie_and_map(app: Flask, table: Any) -> None:
    ds, res, *_ = table
    client = _client(app)
    url = f"/dataset/{ds.slug}/resource/{res.id}/visualisasi"
    html = client.get(url).get_data(as_text=True)
    spec = _spec(html, "grafik-bangun")
    assert spec["type"] == "bar" and [s["name"] for s in spec["series"]] == ["jumlah"]
    assert spec["labels"] == ["Kampar", "Rokan Hilir", "Pekanbaru", "Entah"]
    assert spec["series"][0]["values"] == [800000, 650000, 1007540, 1]  # summed per label
    assert "/embed/sumber/" in html  # the embed code
    stacked = _spec(client.get(url, query_string={"jenis": "stacked", "x": "nama_wilayah", "y": ["jumlah", "persen"],
                                                  "agregasi": "mean"}).get_data(as_text=True), "grafik-bangun")
    assert stacked["type"] == "stacked" and len(stacked["series"]) == 2 and stacked["aggregate"] == "mean"
    pie = _spec(client.get(url, query_string={"jenis": "pie", "y": ["jumlah", "persen"]}).get_data(as_text=True),
                "grafik-bangun")
    assert pie["type"] == "pie" and len(pie["series"]) == 1
    counted = _spec(client.get(url, query_string={"x": "kode_wilayah", "y": "nama_wilayah", "agregasi": "count"})
                    .get_data(as_text=True), "grafik-bangun")
    assert counted["series"][0]["values"] == [1, 1, 2, 1]
    mapped = _spec(client.get(url, query_string={"jenis": "map", "y": "persen", "agregasi": "mean"})
                   .get_data(as_text=True), "grafik-bangun")
    assert mapped["type"] == "map" and mapped["level"] == "kabupaten_kota"
    assert mapped["boundary"] == "/peta/batas/riau_kabupaten_kota.geojson"
    assert mapped["values"] == {"14.01": 5.5, "14.07": 7.5, "14.71": 6.25} and mapped["unmatched"] == 1
    assert mapped["percent"] is True and mapped["focus"] is None  # kabupaten/kota: the whole province


def test_builder_explains_bad_choices(app: Flask, table: Any) -> None:
    ds, res, *_ = table
    client = _client(app)
    url = f"/dataset/{ds.slug}/resource/{res.id}/visualisasi"
    for query, text in (({"x": "tidak_ada"}, "tidak ada di tabel"), ({"y": "nama_wilayah"}, "bukan angka"),
                        ({"jenis": "map", "x": "nama_wilayah"}, "tidak cocok dengan batas wilayah"),
                        ({"jenis": "radar"}, "Jenis grafik"), ({"agregasi": "median"}, "Agregasi")):
        resp = client.get(url, query_string=query)
        assert resp.status_code == 200
        assert text in resp.get_data(as_text=True), query


def test_producer_saves_a_view_everyone_sees_and_embeds(app: Flask, table: Any) -> None:
    ds, res, producer, _ = table
    client = _client(app)
    sign_in(client, "produsen.uji", PASSWORD)
    url = f"/dataset/{ds.slug}/resource/{res.id}/visualisasi"
    token = csrf(client, url)
    resp = client.post(url, data={"csrf_token": token, "name": "Peta penduduk", "jenis": "map", "x": "kode_wilayah",
                                  "y": "jumlah", "agregasi": "sum"})
    assert resp.status_code == 302
    view = db.session.scalar(select(ChartView))
    assert view is not None and view.name == "Peta penduduk" and view.created_by_id == producer.id
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "chart_view.create"))
    assert entry is not None and entry.actor_id == producer.id
    again = client.post(url, data={"csrf_token": token, "name": "peta  penduduk", "jenis": "bar", "y": "jumlah"})
    assert again.status_code == 400 and "sudah punya tampilan" in again.get_data(as_text=True)
    anonymous = _client(app)
    page = anonymous.get(f"/dataset/{ds.slug}").get_data(as_text=True)
    assert "Peta penduduk" in page and f'id="tampilan-{view.id}"' in page
    assert _spec(page, f"tampilan-viz-{view.id}")["type"] == "map"
    assert "Hapus tampilan" not in page  # only editors see the delete button
    embed = anonymous.get(f"/embed/tampilan/{view.id}")
    assert embed.status_code == 200
    assert "frame-ancestors" not in embed.headers["Content-Security-Policy"]  # any site may frame it
    assert "script-src 'self'" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert _spec(embed.get_data(as_text=True), "sematan")["values"]["14.71"] == 1007540
    normal = anonymous.get(f"/dataset/{ds.slug}")
    assert normal.headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in normal.headers[
        "Content-Security-Policy"]
    adhoc = anonymous.get(f"/embed/sumber/{res.id}", query_string={"jenis": "line", "y": "jumlah"})
    assert adhoc.status_code == 200 and _spec(adhoc.get_data(as_text=True), "sematan")["type"] == "line"
    gone = client.post(f"/tampilan/{view.id}/hapus", data={"csrf_token": csrf(client, f"/dataset/{ds.slug}")})
    assert gone.status_code == 302 and db.session.scalar(select(ChartView)) is None
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "chart_view.delete")) is not None


def test_only_the_opd_producers_may_save_or_delete(app: Flask, table: Any) -> None:
    ds, res, producer, _ = table
    url = f"/dataset/{ds.slug}/resource/{res.id}/visualisasi"
    anonymous = _client(app)
    page = anonymous.get(url).get_data(as_text=True)
    assert "Simpan tampilan" not in page
    other = _client(app)
    sign_in(other, "produsen.lain", PASSWORD)
    resp = other.post(url, data={"csrf_token": csrf(other, url), "name": "Bukan milik saya", "y": "jumlah"})
    assert resp.status_code == 403
    assert db.session.scalar(select(ChartView)) is None
    from satudata.datastore import services as datastore

    view = datastore.save_view(producer, res, name="Milik OPD", kind="bar", x="nama_wilayah", ys=["jumlah"],
                               aggregate="sum")
    db.session.commit()
    resp = other.post(f"/tampilan/{view.id}/hapus", data={"csrf_token": csrf(other, f"/dataset/{ds.slug}")})
    assert resp.status_code == 403 and db.session.get(ChartView, view.id) is not None
    resp = anonymous.post(f"/tampilan/{view.id}/hapus")
    assert resp.status_code in (302, 400, 401)
    assert db.session.get(ChartView, view.id) is not None


def test_drafts_have_no_builder_or_embed(app: Flask) -> None:
    ds, res = typed_table(publish=False)
    client = _client(app)
    assert client.get(f"/dataset/{ds.slug}/resource/{res.id}/visualisasi").status_code == 404
    assert client.get(f"/embed/sumber/{res.id}").status_code == 404
    assert client.get("/embed/tampilan/12345").status_code == 404


def test_boundaries_are_served_with_a_cache(app: Flask) -> None:
    client = _client(app)
    resp = client.get("/peta/batas/riau_kabupaten_kota.geojson")
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    assert len(resp.get_json()["features"]) == 12
    assert "max-age=86400" in resp.headers["Cache-Control"]
    resp.close()
    assert client.get("/peta/batas/..%2Fconfig.geojson").status_code == 404
    assert client.get("/peta/batas/jawa.geojson").status_code == 404


def test_resource_page_has_map_and_api_snippets(app: Flask, table: Any) -> None:
    ds, res, *_ = table
    html = _client(app).get(f"/dataset/{ds.slug}/resource/{res.id}").get_data(as_text=True)
    assert _spec(html, f"peta-{res.id}")["type"] == "map"
    assert f"datastore_search?resource_id={res.id}" in html
    assert f"resource_id='{res.id}'" in html and "filters={'kode_wilayah': '14.01'}" in html
    assert f"/api/v1/resources/{res.id}/data" in html
