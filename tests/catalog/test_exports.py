"""Downloads of validated tables as CSV, XLSX and JSON (satudata.catalog.exports and its route):
real files in the test app's storage, read back with the csv module, json and openpyxl."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from satudata.catalog import exports
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource, ValidationStatus
from satudata.catalog.storage import get_store
from satudata.errors import NotFound
from satudata.extensions import db as _db
from satudata.validation.engine import validate_table
from tests.factories import SYSTEM, make_dataset, publish_dataset

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A table as a Windows user saves it from Excel with Indonesian settings: Windows-1252, ";".
CP1252_CSV = (
    'kecamatan;keterangan;jumlah\r\n'
    'Pangkalan Kerinci;"Caf\u00e9 \u2013 \u201ckopi\u201d; buka ""24 jam""";1200\r\n'
    'Bangkinang;na\u00efve;30\r\n'
).encode("cp1252")
CP1252_ROWS = [
    ["kecamatan", "keterangan", "jumlah"],
    ["Pangkalan Kerinci", "Caf\u00e9 \u2013 \u201ckopi\u201d; buka \"24 jam\"", "1200"],
    ["Bangkinang", "na\u00efve", "30"],
]

TYPED_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "kode", "type": "string"},
        {"name": "jumlah", "type": "integer"},
        {"name": "rasio", "type": "number", "decimalChar": ","},
        {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
        {"name": "aktif", "type": "boolean"},
    ],
    "missingValues": ["", "-"],
}
TYPED_CSV = (
    "kode,jumlah,rasio,tanggal,aktif\n"
    '0012,20350,"1,5",31/01/2024,true\n'
    "14.07,-,\"0,25\",01/12/2023,false\n"
)


def table(data: bytes, filename: str, *, schema: dict[str, Any] | None = None, sheet: str | None = None,
          status: ValidationStatus = ValidationStatus.VALID, publish: bool = True,
          fmt: str | None = None) -> tuple[Dataset, Resource]:
    """A dataset with one stored resource. The validation outcome is set directly (setup only:
    these tests are about exports of every kind of file, not validation); the dataset is
    published through the lifecycle while the table counts as valid, and ``status`` is the
    verdict a later validation run gave it."""
    ds = make_dataset(csv=None, publish=False)
    res = catalog.add_resource_file(SYSTEM, ds, io.BytesIO(data), filename=filename,
                                    name="Penduduk per Kecamatan", format=fmt)
    res.table_schema = schema
    res.sheet = sheet
    res.validation_status = ValidationStatus.VALID
    if publish:
        publish_dataset(ds, index=False)
    res.validation_status = status
    _db.session.commit()
    return ds, res


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def xlsx_bytes(sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_values(path: Path) -> list[list[Any]]:
    wb = load_workbook(path)
    assert wb.sheetnames == ["Data"]
    return [[c.value for c in row] for row in wb["Data"].iter_rows()]


# --------------------------------------------------------------------------- CSV


def test_cp1252_semicolon_csv_becomes_utf8_comma_csv(app: Flask) -> None:
    ds, res = table(CP1252_CSV, "penduduk.csv")
    path = exports.export_resource(res, "csv")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM (see the module docstring)
    text = raw.decode("utf-8")
    assert text.startswith("kecamatan,keterangan,jumlah\r\n")
    assert '"Caf\u00e9 \u2013 \u201ckopi\u201d; buka ""24 jam"""' in text  # RFC 4180 quoting
    assert csv_rows(path) == CP1252_ROWS
    # The setup is what validation accepts: the same file is a valid table.
    assert validate_table(get_store().path(res.sha256), None, fmt="csv")["valid"] is True


def test_tsv_and_utf8_bom_sources(app: Flask) -> None:
    _, tsv = table(b"a\tb\n1\t\"x,y\"\n", "t.tsv")
    assert csv_rows(exports.export_resource(tsv, "csv")) == [["a", "b"], ["1", "x,y"]]
    _, bom = table("\ufeffnama,nilai\nK\u00e9ra,1\n".encode(), "b.csv")
    assert exports.export_resource(bom, "csv").read_bytes() == "nama,nilai\r\nK\u00e9ra,1\r\n".encode()


# --------------------------------------------------------------------------- XLSX and JSON sources


def test_xlsx_source_uses_the_chosen_sheet(app: Flask) -> None:
    data = xlsx_bytes({
        "Catatan": [["judul"], ["Sumber: Disdukcapil"]],
        "Data 2024": [["kecamatan", "jumlah"], ["Kubu", 20350], ["Bangko", 45012.0]],
    })
    schema = {"fields": [{"name": "kecamatan", "type": "string"}, {"name": "jumlah", "type": "integer"}]}
    _, res = table(data, "penduduk.xlsx", schema=schema, sheet="Data 2024")
    path = exports.export_resource(res, "csv")
    assert csv_rows(path) == [["kecamatan", "jumlah"], ["Kubu", "20350"], ["Bangko", "45012"]]
    records = json.loads(exports.export_resource(res, "json").read_text(encoding="utf-8"))
    assert records == [{"kecamatan": "Kubu", "jumlah": 20350}, {"kecamatan": "Bangko", "jumlah": 45012}]
    res.sheet = None  # the first sheet: another table, another file
    _db.session.commit()
    first = exports.export_resource(res, "csv")
    assert first != path
    assert csv_rows(first) == [["judul"], ["Sumber: Disdukcapil"]]


def test_json_records_source(app: Flask) -> None:
    data = json.dumps([
        {"kecamatan": "Kubu", "jumlah": 20350, "catatan": None},
        {"jumlah": 45012, "kecamatan": "Bangko", "baru": True},
    ]).encode()
    _, res = table(data, "penduduk.json")
    assert csv_rows(exports.export_resource(res, "csv")) == [
        ["kecamatan", "jumlah", "catatan", "baru"],
        ["Kubu", "20350", "", ""],
        ["Bangko", "45012", "", "true"],
    ]
    # Without a Table Schema the JSON keeps every value as text, in column order; an empty
    # cell is a missing value (Table Schema's default missingValues), so null.
    text = exports.export_resource(res, "json").read_text(encoding="utf-8")
    records = json.loads(text)
    assert records[1] == {"kecamatan": "Bangko", "jumlah": "45012", "catatan": None, "baru": "true"}
    assert list(records[0]) == ["kecamatan", "jumlah", "catatan", "baru"]


# --------------------------------------------------------------------------- typed JSON


def test_json_is_typed_by_the_table_schema(app: Flask) -> None:
    _, res = table(TYPED_CSV.encode(), "tipe.csv", schema=TYPED_SCHEMA)
    assert validate_table(get_store().path(res.sha256), TYPED_SCHEMA, fmt="csv")["valid"] is True
    records = json.loads(exports.export_resource(res, "json").read_text(encoding="utf-8"))
    assert records == [
        {"kode": "0012", "jumlah": 20350, "rasio": 1.5, "tanggal": "2024-01-31", "aktif": True},
        {"kode": "14.07", "jumlah": None, "rasio": 0.25, "tanggal": "2023-12-01", "aktif": False},
    ]
    assert type(records[0]["jumlah"]) is int
    assert list(records[0]) == ["kode", "jumlah", "rasio", "tanggal", "aktif"]
    # The CSV keeps the source's text exactly.
    assert csv_rows(exports.export_resource(res, "csv"))[1] == ["0012", "20350", "1,5", "31/01/2024", "true"]


def test_json_types_numbers_and_structured_values_from_the_copy(app: Flask) -> None:
    schema = {"fields": [{"name": "nik", "type": "integer"}, {"name": "nilai", "type": "number"},
                         {"name": "meta", "type": "object"}]}
    data = b'nik,nilai,meta\n1407012345678901,0.10000000000000000001,"{""a"": [1, 2]}"\n'
    _, res = table(data, "nik.csv", schema=schema)
    text = exports.export_resource(res, "json").read_text(encoding="utf-8")
    # The JSON holds the copy's values (what the data API serves): a number is the double every
    # JSON parser reads, in its shortest exact form; the CSV keeps the source's every digit.
    assert '"nilai": 0.1,' in text and '"nik": 1407012345678901,' in text
    assert json.loads(text) == [{"nik": 1407012345678901, "nilai": 0.1, "meta": {"a": [1, 2]}}]
    assert "0.10000000000000000001" in exports.export_resource(res, "csv").read_text(encoding="utf-8")


def test_json_and_xlsx_are_written_from_the_datastore_copy(app: Flask) -> None:
    from satudata.datastore import services as datastore

    marker = os.urandom(6).hex()  # content of its own: no other test wrote this copy
    schema = {"fields": [{"name": "kode_wilayah", "type": "string"},
                         {"name": "jumlah", "type": "integer", "groupChar": "."},
                         {"name": "rasio", "type": "number", "decimalChar": ",", "groupChar": "."},
                         {"name": "catatan", "type": "string"}],
              "missingValues": ["", "-"]}
    data = f'kode_wilayah,jumlah,rasio,catatan\n14.07,"1.234","1.234,5",{marker}\n14.71,-,"0,25",\n'.encode()
    _, res = table(data, "wilayah.csv", schema=schema)
    path = datastore.copy_path(res)
    assert path is not None and not path.is_file()
    records = json.loads(exports.export_resource(res, "json").read_text(encoding="utf-8"))
    assert path.is_file()  # the JSON asked for the copy, which was written on first use
    assert records == [{"kode_wilayah": "14.07", "jumlah": 1234, "rasio": 1234.5, "catatan": marker},
                       {"kode_wilayah": "14.71", "jumlah": None, "rasio": 0.25, "catatan": None}]
    # The same values as the data API serves for the table.
    table_copy = datastore.open_copy(res)
    page = datastore.search(table_copy, datastore.Query())
    assert [[datastore.json_value(v) for v in row[1:]] for row in page.rows] == [list(r.values()) for r in records]
    ws = load_workbook(exports.export_resource(res, "xlsx"))["Data"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [["14.07", 1234, 1234.5, marker],
                                                                          ["14.71", None, 0.25, None]]


# --------------------------------------------------------------------------- XLSX output


INJECTION = ['=HYPERLINK("http://evil","klik")', "+1", "-2+3", "@SUM(A1)", "\t=1+1", "=1+1", "#N/A", "-"]


def test_xlsx_is_safe_from_formula_injection(app: Flask) -> None:
    schema = {"fields": [{"name": "isi", "type": "string"}, {"name": "jumlah", "type": "integer"},
                         {"name": "rasio", "type": "number"}]}
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(["isi", "jumlah", "rasio"])
    for i, value in enumerate(INJECTION):
        writer.writerow([value, i, f"{i}.5"])
    _, res = table(body.getvalue().encode(), "injeksi.csv", schema={**schema, "missingValues": [""]})
    path = exports.export_resource(res, "xlsx")
    wb = load_workbook(path)
    ws = wb["Data"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [ws.cell(row=i + 2, column=1).value for i in range(len(INJECTION))] == INJECTION
    assert all(ws.cell(row=i + 2, column=1).data_type == "s" for i in range(len(INJECTION)))
    # Numbers are numbers.
    assert ws["B3"].value == 1 and ws["B3"].data_type == "n"
    assert ws["C3"].value == 1.5 and ws["C3"].data_type == "n"
    # A bold, frozen header.
    assert [c.value for c in ws[1]] == ["isi", "jumlah", "rasio"]
    assert ws["A1"].font.b is True and ws.freeze_panes == "A2"
    # And no formula element anywhere in the sheet's XML.
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_xlsx_types_dates_big_integers_and_control_characters(app: Flask) -> None:
    schema = {"fields": [{"name": "nik", "type": "integer"}, {"name": "lahir", "type": "date"},
                         {"name": "catatan", "type": "string"}, {"name": "aktif", "type": "boolean"}]}
    data = (b'nik,lahir,catatan,aktif\n'
            b'1407012345678901,2001-02-03,"\rbaris\x01 _x0041_",true\n'
            b'12,1899-12-31,biasa,false\n')
    _, res = table(data, "nik.csv", schema=schema)
    path = exports.export_resource(res, "xlsx")
    rows = sheet_values(path)
    from datetime import datetime

    # 16 digits do not survive as an Excel number: text. A small integer stays a number.
    assert rows[1][0] == "1407012345678901" and rows[2][0] == 12
    assert rows[1][1] == datetime(2001, 2, 3)  # a date cell (openpyxl reads dates as datetimes)
    assert rows[2][1] == "1899-12-31"  # before Excel's calendar: ISO text
    assert rows[1][3] is True and rows[2][3] is False
    # CR and other control characters use OOXML's escape (as Excel writes them); a literal
    # "_x0041_" is escaped so Excel does not read it as "A".
    # (openpyxl shows that escape as it is; Excel shows the original characters.)
    assert rows[1][2] == "_x000D_baris_x0001_ _x005F_x0041_"


def test_xlsx_refuses_a_table_past_excel_limits(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    _, res = table(b"a\n1\n2\n3\n", "a.csv")
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)  # a smaller sheet limit, not a stand-in
    with pytest.raises(exports.ExportFailedError, match="batas Excel"):
        exports.export_resource(res, "xlsx")
    # Nothing half-written is left behind: no result, no temporary file (ours or XlsxWriter's).
    # (The CSV the typed copy was written from stays: it is whole.)
    root = Path(app.config["STORAGE_PATH"]) / "exports"
    assert list(root.glob(f"{res.sha256}-*.xlsx")) == []
    assert [p.name for p in (root / "tmp").iterdir() if not p.name.endswith(".lock")] == []
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 4)
    assert sheet_values(exports.export_resource(res, "xlsx")) == [["a"], ["1"], ["2"], ["3"]]  # no schema: text
    assert [p.name for p in (root / "tmp").iterdir() if not p.name.endswith(".lock")] == []


# --------------------------------------------------------------------------- cache


def test_cache_hit_reuses_the_file_and_a_new_schema_gives_a_new_one(app: Flask) -> None:
    _, res = table(TYPED_CSV.encode(), "tipe.csv", schema=TYPED_SCHEMA)
    path = exports.export_resource(res, "json")
    assert path.parent == Path(app.config["STORAGE_PATH"]) / "exports"
    assert path.name.startswith(res.sha256 + "-") and path.suffix == ".json"
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert exports.export_resource(res, "json") == path
    assert path.stat().st_mtime_ns == 1_000_000_000  # served from the cache, not rewritten
    changed = {**TYPED_SCHEMA, "fields": [*TYPED_SCHEMA["fields"][:1],
                                          {"name": "jumlah", "type": "number"}, *TYPED_SCHEMA["fields"][2:]]}
    res.table_schema = changed
    _db.session.commit()
    other = exports.export_resource(res, "json")
    assert other != path
    assert json.loads(other.read_text())[0]["jumlah"] == 20350  # read as a number now
    assert exports.export_resource(res, "csv") not in (path, other)


def test_reupload_gives_a_new_file(app: Flask) -> None:
    _, first = table(b"a,b\n1,2\n", "a.csv")
    _, second = table(b"a,b\n1,3\n", "a.csv")
    assert exports.export_resource(first, "csv") != exports.export_resource(second, "csv")
    assert csv_rows(exports.export_resource(second, "csv")) == [["a", "b"], ["1", "3"]]


def test_concurrent_exports_give_one_complete_file(app: Flask) -> None:
    lines = ["kode,jumlah,rasio,tanggal,aktif"] + [f"{i:05d},{i},\"{i},5\",01/01/2024,true" for i in range(30_000)]
    _, res = table(("\n".join(lines) + "\n").encode(), "besar.csv", schema=TYPED_SCHEMA)
    _db.session.refresh(res)  # load every attribute here: the threads only read them
    root = Path(app.config["STORAGE_PATH"]) / "exports"
    results: list[tuple[Path, int, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                path = exports.export_resource(res, "json")
                # Read at once, as a request serves the file the moment it has the path.
                results.append((path, len(json.loads(path.read_text(encoding="utf-8"))), path.stat().st_ino))
        except BaseException as exc:  # handed to the test
            errors.append(exc)

    def writing() -> bool:
        """Whether the first request has begun writing the result (under any name)."""
        if not root.exists():
            return False
        # A build writes exports/tmp/<result>.build/result.<ext>, then moves it into place.
        candidates = [*root.glob(f"{res.sha256}-*"), *(root / "tmp").glob(f"{res.sha256}-*.build/result.*")]
        return any(p.suffix != ".lock" and p.is_file() and p.stat().st_size > 0 for p in candidates)

    first = threading.Thread(target=run)
    first.start()
    # The second request comes while the first is writing.
    deadline = time.monotonic() + 30
    while not writing() and first.is_alive() and time.monotonic() < deadline:
        time.sleep(0.001)
    assert first.is_alive(), "the conversion ended before the second request could overlap it"
    second = threading.Thread(target=run)
    second.start()
    first.join(60)
    second.join(60)
    assert errors == []
    assert len(results) == 2
    assert {r[0] for r in results} == {results[0][0]}
    assert [r[1] for r in results] == [30_000, 30_000]  # both saw the whole table
    assert {r[2] for r in results} == {results[0][2]}  # converted once: the second waited for the first
    assert [p.name for p in (root / "tmp").iterdir() if not p.name.endswith(".lock")] == []


# --------------------------------------------------------------------------- what may be exported


def test_only_valid_stored_tables_are_exported(app: Flask) -> None:
    _, invalid = table(b"a,b\n1,2\n", "a.csv", status=ValidationStatus.INVALID)
    with pytest.raises(exports.ResourceNotValidatedError, match="belum lolos validasi"):
        exports.export_resource(invalid, "csv")
    _, pdf = table(b"%PDF-1.4\n", "laporan.pdf")
    with pytest.raises(exports.ResourceNotTabularError):
        exports.export_resource(pdf, "csv")
    _, ok = table(b"a,b\n1,2\n", "ok.csv")
    with pytest.raises(NotFound):
        exports.export_resource(ok, "xls")


def test_conversion_failure_is_a_clear_error(app: Flask) -> None:
    _, broken = table(b"not a zip at all", "rusak.xlsx")
    with pytest.raises(exports.ExportFailedError, match="tidak dapat dikonversi ke CSV: Berkas bukan XLSX"):
        exports.export_resource(broken, "csv")
    _, lost = table(b"a,b\n1,2\n", "a.csv")
    lost.schema_ref = "standar_yang_tidak_ada"
    _db.session.commit()
    with pytest.raises(exports.ExportFailedError, match="Table Schema-nya tidak dapat dibaca"):
        exports.export_resource(lost, "json")


# --------------------------------------------------------------------------- route


def url(ds: Dataset, res: Resource, fmt: str) -> str:
    return f"/dataset/{ds.slug}/resource/{res.id}/unduh.{fmt}"


def test_route_sends_each_format_and_counts_downloads(scratch_client: FlaskClient, app: Flask) -> None:
    ds, res = table(TYPED_CSV.encode(), "tipe.csv", schema=TYPED_SCHEMA)
    expected = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE, "json": "application/json"}
    for fmt, content_type in expected.items():
        with scratch_client.get(url(ds, res, fmt)) as resp:
            assert resp.status_code == 200, fmt
            assert resp.headers["Content-Type"] == content_type
            assert resp.headers["Content-Disposition"] == f"attachment; filename=penduduk-per-kecamatan.{fmt}"
            assert resp.headers.get("ETag")
            body = resp.get_data()
        if fmt == "csv":
            assert body.decode().startswith("kode,jumlah,rasio,tanggal,aktif\r\n")
        elif fmt == "json":
            assert json.loads(body)[0]["jumlah"] == 20350
        else:
            assert load_workbook(io.BytesIO(body))["Data"]["B2"].value == 20350
    with scratch_client.head(url(ds, res, "csv")) as head:
        assert head.status_code == 200
    with scratch_client.get(url(ds, res, "csv")) as full:
        etag = full.headers["ETag"]
    with scratch_client.get(url(ds, res, "csv"), headers={"If-None-Match": etag}) as cached:
        assert cached.status_code == 304
    with scratch_client.get(url(ds, res, "xlsx"), headers={"If-None-Match": etag}) as other:
        assert other.status_code == 200  # each format has its own ETag
    _db.session.expire_all()
    assert _db.session.get(Resource, res.id).download_count == 6  # full GETs only, not the HEAD
    assert _db.session.get(Dataset, ds.id).download_count == 6


def error_page(resp: Any, status: int, needle: str) -> None:
    assert resp.status_code == status
    assert resp.mimetype == "text/html"
    body = resp.get_data(as_text=True)
    assert 'class="site-header"' in body and needle in body


def test_route_refuses_what_cannot_be_exported(scratch_client: FlaskClient, app: Flask) -> None:
    ds, res = table(b"a,b\n1,2\n", "a.csv")
    error_page(scratch_client.get(url(ds, res, "pdf")), 404, "Format unduhan")
    error_page(scratch_client.get(url(ds, res, "exe")), 404, "pilih CSV, XLSX atau JSON")
    draft, draft_res = table(b"a,b\n1,2\n", "a.csv", publish=False)
    error_page(scratch_client.get(url(draft, draft_res, "csv")), 404, "belum diterbitkan")
    error_page(scratch_client.get(url(ds, draft_res, "csv")), 404, "tidak ditemukan")  # not through another dataset
    pdf_ds, pdf = table(b"%PDF-1.4\n", "laporan.pdf")
    error_page(scratch_client.get(url(pdf_ds, pdf, "csv")), 404, "bukan tabel")
    bad_ds, invalid = table(b"a,b\n1,2\n", "a.csv", status=ValidationStatus.INVALID)
    error_page(scratch_client.get(url(bad_ds, invalid, "xlsx")), 409, "Tabel belum lolos validasi; unduh berkas aslinya.")
    broken_ds, broken = table(b"[1, 2]", "rusak.json")
    error_page(scratch_client.get(url(broken_ds, broken, "json")), 409, "tidak dapat dikonversi ke JSON")
    _db.session.expire_all()
    for refused in (invalid, broken, pdf):
        assert _db.session.get(Resource, refused.id).download_count == 0


def test_pages_offer_the_formats_only_for_valid_tables(scratch_client: FlaskClient, app: Flask) -> None:
    ds, res = table(b"a,b\n1,2\n", "a.csv")
    link = f'href="{url(ds, res, "xlsx")}"'
    assert link in scratch_client.get(f"/dataset/{ds.slug}").get_data(as_text=True)
    assert link in scratch_client.get(f"/dataset/{ds.slug}/resource/{res.id}").get_data(as_text=True)
    bad_ds, invalid = table(b"a,b\n1,2\n", "a.csv", status=ValidationStatus.INVALID)
    assert "unduh.csv" not in scratch_client.get(f"/dataset/{bad_ds.slug}").get_data(as_text=True)
    assert "unduh.csv" not in scratch_client.get(f"/dataset/{bad_ds.slug}/resource/{invalid.id}").get_data(as_text=True)
