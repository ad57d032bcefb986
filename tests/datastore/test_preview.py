"""The public pages read tables from their typed copies: the resource page sorts, filters and
searches on the server with the Table Schema's titles and units; the default chart charts the
measure the dataset's ukuran and satuan name."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient

from satudata.catalog.models import Resource
from satudata.datastore import preview
from tests.datastore.conftest import typed_table


def _page(client: FlaskClient, res: Resource, **args: str) -> str:
    resp = client.get(f"/dataset/{res.dataset.slug}/resource/{res.id}", query_string=args)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _rows(html: str) -> list[list[str]]:
    table = html.split('class="data-table data-preview"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_resource_page_sorts_filters_and_searches_on_the_server(app: Flask) -> None:
    _, res = typed_table()
    client = app.test_client()
    html = _page(client, res)
    assert "Jumlah penduduk <span class=\"unit\">(jiwa)</span>" in html  # title and unit from the Table Schema
    assert [r[0] for r in _rows(html)] == ["14.07", "14.71", "14.07", "14.73", "14.10"]
    assert _rows(html)[0][3] == "637.161" and _rows(html)[0][4] == "7,5" and _rows(html)[0][6] == "ya"
    by_count = _page(client, res, urut="jumlah", arah="desc")
    assert [r[1] for r in _rows(by_count)][:2] == ["Kota Pekanbaru", "Rokan Hilir"]
    assert 'aria-sort="descending"' in by_count
    assert "urut=jumlah&amp;arah=asc" in by_count  # the header now sorts the other way
    filtered = _page(client, res, kolom="kode_wilayah", nilai="14.07", urut="tahun", arah="desc")
    assert [r[2] for r in _rows(filtered)] == ["2024", "2023"]
    assert "Baris 1–2 dari 2" in filtered and "(disaring dari 5 baris)" in filtered
    assert 'name="urut" value="tahun"' in filtered  # the form keeps the sort
    searched = _page(client, res, q="kota")
    assert [r[1] for r in _rows(searched)] == ["Kota Pekanbaru", "Kota Dumai"]
    none = _page(client, res, q="tidak-ada-kata-ini")
    assert "Tidak ada baris yang cocok dengan saringan ini" in none


def test_bad_sort_or_filter_column_is_a_message_not_an_error(app: Flask) -> None:
    _, res = typed_table()
    client = app.test_client()
    html = _page(client, res, urut="tidak_ada")
    assert "tidak cocok dengan kolom tabel ini" in html
    html = _page(client, res, kolom="jumlah", nilai="banyak")
    assert "tidak cocok dengan kolom tabel ini" in html
    # A value with quotes and wildcards is only text.
    html = _page(client, res, q="'%\" OR 1=1 --")
    assert "Tidak ada baris yang cocok" in html


def test_xlsx_table_is_previewed_from_its_copy(app: Flask) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["kode_wilayah", "nama_wilayah", "jumlah"])
    sheet.append(["14.07", "Rokan Hilir", 637161])
    sheet.append(["14.73", "Kota Dumai", 316782])
    out = io.BytesIO()
    book.save(out)
    schema = {"fields": [{"name": "kode_wilayah", "type": "string"}, {"name": "nama_wilayah", "type": "string"},
                         {"name": "jumlah", "type": "integer"}]}
    _, res = typed_table(out.getvalue(), schema=schema, filename="penduduk.xlsx")
    html = _page(app.test_client(), res, urut="jumlah")
    assert [r[1] for r in _rows(html)] == ["Kota Dumai", "Rokan Hilir"]


STUNTING = ("kode_wilayah,kecamatan,balita_diukur,balita_stunting,prevalensi_stunting_persen\n"
            "14.07.01,Kubu,1200,180,15.0\n14.07.02,Bangko,2400,240,10.0\n14.07.03,Tanah Putih,1800,360,20.0\n")
STUNTING_SCHEMA = {"fields": [
    {"name": "kode_wilayah", "type": "string"}, {"name": "kecamatan", "type": "string", "title": "Kecamatan"},
    {"name": "balita_diukur", "type": "integer", "title": "Balita diukur"},
    {"name": "balita_stunting", "type": "integer", "title": "Balita stunting"},
    {"name": "prevalensi_stunting_persen", "type": "number", "title": "Prevalensi stunting (%)"}]}
POVERTY = ("tahun,persentase_penduduk_miskin,jumlah_penduduk_miskin_jiwa,garis_kemiskinan_rp\n"
           "2023,3.1,12100,812000\n2024,2.9,11500,845000\n2025,2.7,11000,870000\n")
POVERTY_SCHEMA = {"fields": [
    {"name": "tahun", "type": "year"}, {"name": "persentase_penduduk_miskin", "type": "number"},
    {"name": "jumlah_penduduk_miskin_jiwa", "type": "integer"}, {"name": "garis_kemiskinan_rp", "type": "integer"}]}


def test_default_chart_charts_the_measure_ukuran_and_satuan_name(app: Flask) -> None:
    ds, res = typed_table(STUNTING, schema=STUNTING_SCHEMA, ukuran="Prevalensi", satuan="persen",
                          klasifikasi="Kecamatan")
    spec = preview.default_chart(res, ds)
    assert spec is not None
    assert [s["name"] for s in spec["series"]] == ["prevalensi_stunting_persen"]  # not the head counts
    assert spec["percent"] is True and spec["aggregate"] == "mean" and spec["unit"] == "%"
    assert spec["labels"] == ["Kubu", "Bangko", "Tanah Putih"] and spec["type"] == "bar"
    ds2, res2 = typed_table(POVERTY, schema=POVERTY_SCHEMA, ukuran="Jumlah, persentase, indeks",
                            satuan="jiwa; persen; rupiah/kapita/bulan", klasifikasi="Tahun")
    spec2 = preview.default_chart(res2, ds2)
    assert spec2 is not None and [s["name"] for s in spec2["series"]] == ["jumlah_penduduk_miskin_jiwa"]
    assert spec2["type"] == "line" and spec2["labels"] == ["2023", "2024", "2025"]
    ds3, res3 = typed_table(POVERTY, schema=POVERTY_SCHEMA, ukuran="Persentase penduduk miskin", satuan="persen")
    spec3 = preview.default_chart(res3, ds3)
    assert spec3 is not None and [s["name"] for s in spec3["series"]] == ["persentase_penduduk_miskin"]
    assert spec3["percent"] is True


def test_dataset_page_shows_the_default_chart(app: Flask) -> None:
    ds, _ = typed_table(STUNTING, schema=STUNTING_SCHEMA, ukuran="Prevalensi", satuan="persen",
                        klasifikasi="Kecamatan")
    html = app.test_client().get(f"/dataset/{ds.slug}").get_data(as_text=True)
    spec = json.loads(re.search(r'<script type="application/json" id="grafik-[^"]+">(.*?)</script>', html, re.S)
                      .group(1))
    assert [s["label"] for s in spec["series"]] == ["Prevalensi stunting (%)"]
    assert "15%" in html.split("<summary>Angka pada grafik</summary>")[1]


def test_kecamatan_map_focuses_on_their_kabupaten(app: Flask) -> None:
    ds, res = typed_table(STUNTING, schema=STUNTING_SCHEMA, ukuran="Prevalensi", satuan="persen")
    with app.test_request_context():
        spec = preview.default_map(res, ds)
    assert spec is not None and spec["level"] == "kecamatan" and spec["focus"] == "14.07"
    assert spec["boundary"] == "/peta/batas/riau_kecamatan.geojson"
    assert spec["values"] == {"14.07.01": 15.0, "14.07.02": 10.0, "14.07.03": 20.0} and spec["percent"] is True
