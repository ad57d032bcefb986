"""The upload check refuses what cannot be validated at all, with a clear message, and lets
readable tables through (whatever their content errors)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from satudata.tabular import preflight
from satudata.tabular.schema import UnusableInput

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("data", "fmt"), [
    (b"a,b\n1,2\n", "CSV"),
    ("\ufeffnama;jumlah\nSinaboi;3\n".encode(), "CSV"),
    ("kecamatan;jumlah\nRimba Melintang;1\nPekaitan;2\n".encode("cp1252"), "CSV"),
    (b"a\tb\n1\t2\n", "TSV"),
    (b"a,b\n1,2,3\n4\n", "CSV"),  # ragged rows are content errors for the report, not refused here
    (json.dumps([{"a": 1}, {"a": 2, "b": None}]).encode(), "JSON"),
])
def test_readable_tables_pass(tmp_path: Path, data: bytes, fmt: str) -> None:
    assert preflight.check_upload(_write(tmp_path, "t", data), fmt).format == fmt


@pytest.mark.parametrize(("data", "fmt", "words"), [
    (b"", "CSV", "Berkas kosong"),
    (b"a,b\n", "CSV", "hanya berisi baris judul"),
    (b"\n\n ,, \n", "CSV", "semua barisnya kosong"),
    (b"PK\x03\x04...", "CSV", "arsip ZIP/XLSX"),
    (b"%PDF\x00\x00", "CSV", "bukan teks CSV"),
    (b'{"a": 1}', "JSON", "bukan array record"),
    (b"[]", "JSON", "tidak berisi satu record"),
    (b'[{"a": 1}, 5]', "JSON", "Elemen ke-2"),
    (b'[{"a": 1}', "JSON", "JSON tidak valid"),
    (b"not a zip", "XLSX", "bukan XLSX"),
])
def test_unusable_input_is_refused(tmp_path: Path, data: bytes, fmt: str, words: str) -> None:
    with pytest.raises(UnusableInput) as err:
        preflight.check_upload(_write(tmp_path, "t", data), fmt)
    assert words in err.value.message
    assert err.value.details["file"]


def _xlsx(tmp_path: Path, sheets: dict[str, list[list[object]]], merge: str | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if merge:
            ws.merge_cells(merge)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    return path


def test_xlsx_sheets_are_listed_and_chosen(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, {"Catatan": [["dibuat oleh"], ["dinas"]], "Data": [["a", "b"], [1, 2]]})
    checked = preflight.check_upload(path, "XLSX")
    assert checked.sheets == ["Catatan", "Data"] and checked.sheet == "Catatan"
    assert preflight.check_upload(path, "XLSX", sheet="Data").header == ["a", "b"]
    with pytest.raises(UnusableInput, match='Lembar "Tabel" tidak ada'):
        preflight.check_upload(path, "XLSX", sheet="Tabel")


def test_xlsx_header_only_and_merged_header(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="hanya berisi baris judul"):
        preflight.check_upload(_xlsx(tmp_path, {"S": [["a", "b"]]}), "XLSX")
    merged = _xlsx(tmp_path, {"S": [["Jumlah", None], [1, 2]]}, merge="A1:B1")
    with pytest.raises(UnusableInput, match="sel gabungan"):
        preflight.check_upload(merged, "XLSX")


def test_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    with pytest.raises(UnusableInput, match="ZIP bomb"):
        preflight.check_upload(path, "XLSX")
    with pytest.raises(UnusableInput, match="terlalu besar"):
        preflight.check_upload(path, "XLSX", xlsx_max_uncompressed=1024 * 1024)


@pytest.mark.parametrize(("filename", "declared", "expected"), [
    ("data.csv", None, "CSV"), ("Data.XLSX", None, "XLSX"), ("x", "json", "JSON"), ("laporan.pdf", None, "PDF"),
])
def test_upload_format(filename: str, declared: str | None, expected: str) -> None:
    assert preflight.upload_format(filename, declared) == expected


@pytest.mark.parametrize("filename", ["lama.xls", "makro.xlsm", "program.exe", "tanpa-akhiran"])
def test_refused_formats(filename: str) -> None:
    with pytest.raises(UnusableInput):
        preflight.upload_format(filename)
