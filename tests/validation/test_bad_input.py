"""Input that cannot be validated at all gets a clear message (UnusableInput), never a crash."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from satudata.tabular import convert
from satudata.tabular.schema import UnusableInput
from satudata.validation.engine import validate_table
from satudata.validation.messages import explain
from tests.tables import assert_same

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

SCHEMA = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]}


def _unusable(path: Path, schema: object = SCHEMA, **kwargs: object) -> str:
    with pytest.raises(UnusableInput) as info:
        validate_table(path, schema, **kwargs)  # type: ignore[arg-type]
    return info.value.message


def test_missing_file(tmp_path: Path) -> None:
    assert "tidak ditemukan" in _unusable(tmp_path / "nope.csv")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert "Berkas kosong" in _unusable(path)


@pytest.mark.parametrize(("schema", "expected"), [
    ({"fields": [{"name": "a", "type": "integr"}]}, 'field type "integr" is not supported'),
    ({"fields": "a"}, "daftar \"fields\""),
    ({"fields": [{"name": "a", "type": "string", "constraints": {"pattern": "[a-"}}]}, "pola (pattern)"),
    ({"fields": [{"name": "a", "type": "year", "constraints": {"minimum": -5}}]}, "batas minimum -5"),
    ({"fields": [{"name": "k", "type": "string", "x-kode-wilayah": "bps_2020"}]}, 'daftar kode "bps_2020" tidak dikenal'),
    ({"fields": [{"name": "k", "type": "integer", "x-kode-wilayah": "kemendagri_2025"}]}, 'harus bertipe "string"'),
    ({"fields": [{"name": "k", "type": "string", "x-kode-wilayah": {"daftar": "kemendagri_2025", "tingkat": "rt"}}]},
     "tingkat rt tidak dikenal"),
])
def test_invalid_schema(tmp_path: Path, schema: dict, expected: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n")
    message = _unusable(path, schema)
    assert message.startswith("Table Schema tidak valid")
    assert expected in message


def test_unknown_schema_name_lists_the_library(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n")
    message = _unusable(path, "tidak_ada")
    assert "tidak ditemukan" in message and "sekolah" in message


def test_schema_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n")
    bad = tmp_path / "skema.json"
    bad.write_text("{fields: [")
    assert "bukan berkas JSON" in _unusable(path, str(bad))


def test_xlsx_zip_bomb_is_refused_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (convert.XLSX_RATIO_FLOOR + 1024))
    assert path.stat().st_size < 100_000
    assert "ZIP bomb" in _unusable(path)


def test_xlsx_too_big_uncompressed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "besar.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<x/>" * 300_000)
    message = _unusable(path, xlsx_max_uncompressed=1024 * 1024)
    assert "terlalu besar" in message


def test_file_named_xlsx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "palsu.xlsx"
    path.write_text("a,b\n1,x\n")
    assert "bukan XLSX" in _unusable(path)


def test_xlsx_with_merged_header_cells(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Wilayah", None, "Jumlah"])
    ws.append(["14.07", "Rokan Hilir", 5])
    ws.merge_cells("A1:B1")
    path = tmp_path / "gabung.xlsx"
    wb.save(path)
    message = _unusable(path)
    assert "sel gabungan" in message and "A1:B1" in message


def test_xlsx_unknown_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["a", "b"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert "Lembar \"Data\" tidak ada" in _unusable(path, sheet="Data")
    assert "Lembar ke-3 tidak ada" in _unusable(path, sheet=3)


def test_xlsx_empty_first_row(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append([None, None])
    wb.active.append([1, "x"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert "Baris 1 lembar kerja kosong; baris itu harus berisi judul kolom" in _unusable(path)


@pytest.mark.parametrize(("content", "expected"), [
    ('{"a": 1, "b": "x"}', "bukan array record"),
    ("[1, 2, 3]", "Elemen ke-1 JSON berupa angka, bukan objek"),
    ('[{"a": 1}, ["x"]]', "Elemen ke-2 JSON berupa array"),
    ("[]", "tidak berisi satu record pun"),
    ('[{"a": 1}, {"a": 2', "JSON"),
    ('[{"a": 1} {"a": 2}]', "diharapkan ',' atau ']'"),
    ("a,b\n1,2", "bukan JSON array"),
    ("[{}]", "tidak punya satu kolom pun"),
])
def test_json_that_is_not_records(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "t.json"
    path.write_text(content)
    assert expected in _unusable(path)


def test_json_in_a_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes('[{"a": 1, "b": "Désa"}]'.encode("cp1252"))
    assert "UTF-8" in _unusable(path)


def test_csv_with_inconsistent_encoding(tmp_path: Path) -> None:
    """UTF-8 for the first 100 kB (what frictionless samples), then a Windows-1252 byte: an
    encoding-error in the report (frictionless's), explained to the clerk."""
    head = "a,b\n" + "".join(f"{i},désa\n" for i in range(20_000))
    path = tmp_path / "t.csv"
    path.write_bytes(head.encode("utf-8") + "1,D\xe9sa\n".encode("latin-1"))
    outcome = assert_same(path, SCHEMA, expect_fast=False)
    assert outcome is not None
    error = outcome.report["tasks"][0]["errors"][0]
    assert error["type"] == "encoding-error"
    assert "CSV UTF-8" in explain(error)["perbaikan"]


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "t.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert "tidak didukung" in _unusable(path, fmt="pdf")


def test_json_streaming_reads_big_records_across_chunks(tmp_path: Path) -> None:
    records = [{"a": i, "b": "x" * 5000, "c": {"nested": [i]}} for i in range(600)]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(records, indent=1))
    target = tmp_path / "out.csv"
    converted = convert.json_to_csv(path, target)
    assert converted.rows == 600
    lines = io.StringIO(target.read_text()).readlines()
    assert lines[0].strip() == "a,b,c" and len(lines) == 601
