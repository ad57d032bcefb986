"""Table Schema inference from uploaded tables: every encoding, delimiter and format we take,
and the inferred Table Schema always passes the file it came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from satudata.tabular.schema import UnusableInput
from satudata.validation.engine import validate_table
from satudata.validation.services import humanise, infer_schema
from tests.tables import write_csv

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

ROWS = [
    ["kode_wilayah", "nama_kecamatan", "jumlah_penduduk", "luas_km2", "tanggal_data", "aktif"],
    ["14.07.01", "Kubu", "20350", "1.5", "2025-06-30", "true"],
    ["14.07.02", "Bangko", "45012", "12.25", "2025-06-30", "false"],
    ["14.07.03", "Tanah Putih", "", "3", "2025-12-31", "true"],
]


def _types(schema: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["type"] for f in schema["fields"]}


def assert_passes_itself(path: Path, schema: dict[str, Any], fmt: str | None = None, **options: Any) -> None:
    report = validate_table(path, schema, fmt=fmt, **options)
    assert report["valid"], report["tasks"][0]["errors"][:3] if report.get("tasks") else report["errors"]


def test_csv_utf8_with_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "penduduk.csv", ROWS, encoding="utf-8-sig")
    schema = infer_schema(path, "csv")
    assert _types(schema) == {"kode_wilayah": "string", "nama_kecamatan": "string", "jumlah_penduduk": "integer",
                              "luas_km2": "number", "tanggal_data": "date", "aktif": "boolean"}
    assert [f["title"] for f in schema["fields"]] == ["Kode wilayah", "Nama kecamatan", "Jumlah penduduk",
                                                      "Luas km2", "Tanggal data", "Aktif"]
    assert schema["missingValues"] == [""]
    assert_passes_itself(path, schema, "csv")


def test_windows_1252_with_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    rows = [["Kode Wilayah", "Nama Kecamatan", "Jumlah Penduduk", "Luas (km²)", "Kepadatan"],
            ["14.07", "Bangko Pusako", "45012", "12,5", "1.234,5"],
            ["14.08", "Kubu Babussalam", "-", "13,25", "987"],
            ["14.09", "Pekaitan", "1200", "-", "12,0"]]
    path = write_csv(tmp_path / "stored-without-extension", rows, delimiter=";", encoding="cp1252",
                     lineterminator="\r\n")
    schema = infer_schema(path, "csv")
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == rows[0]  # names are the header, as the file spells it
    assert fields["Kode Wilayah"]["type"] == "string"  # "14.07" is a code, not a number
    assert fields["Jumlah Penduduk"]["type"] == "integer"
    assert fields["Luas (km²)"] == {"name": "Luas (km²)", "type": "number", "decimalChar": ",", "groupChar": ".",
                                   "title": "Luas (km²)"}
    assert fields["Kepadatan"]["decimalChar"] == "," and fields["Kepadatan"]["groupChar"] == "."
    assert schema["missingValues"] == ["", "-"]  # "-" is there; "NA" is not
    assert_passes_itself(path, schema, "csv")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_tab_separated(tmp_path: Path, fmt: str) -> None:
    rows = [["tahun", "kode_sekolah", "jumlah_siswa", "keterangan"],
            ["2024", "01", "320", "NA"], ["2025", "02", "NA", "baru"]]
    path = write_csv(tmp_path / f"sekolah.{fmt}", rows, delimiter="\t")
    schema = infer_schema(path, fmt)
    assert _types(schema) == {"tahun": "integer", "kode_sekolah": "string", "jumlah_siswa": "integer",
                              "keterangan": "string"}
    assert schema["missingValues"] == ["", "NA"]
    assert_passes_itself(path, schema, fmt)


def _workbook(path: Path) -> Path:
    book = Workbook()
    first = book.active
    first.title = "Ringkasan"
    first.append(["Catatan"])
    first.append(["Data ada di lembar berikut"])
    second = book.create_sheet("Data 2025")
    second.append(["kode_desa", "jumlah_kk", "persentase"])
    second.append(["1407032001", 120, 12.5])
    second.append(["1407032002", 98, 7.0])
    book.save(path)
    return path


def test_xlsx_first_sheet_and_chosen_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "desa.xlsx")
    first = infer_schema(path, "xlsx")
    assert _types(first) == {"Catatan": "string"}
    assert_passes_itself(path, first, "xlsx")

    for sheet in ("Data 2025", 2, "2"):
        chosen = infer_schema(path, "xlsx", sheet=sheet)
        assert _types(chosen) == {"kode_desa": "string", "jumlah_kk": "integer", "persentase": "number"}
        assert chosen["fields"][1]["title"] == "Jumlah KK"
    assert_passes_itself(path, chosen, "xlsx", sheet="Data 2025")
    with pytest.raises(UnusableInput, match="Lembar"):
        infer_schema(path, "xlsx", sheet="Tidak Ada")


def test_xlsx_zip_bomb_guard_applies(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "desa.xlsx")
    with pytest.raises(UnusableInput, match="terlalu besar"):
        infer_schema(path, "xlsx", xlsx_max_uncompressed=1024)


def test_json_records(tmp_path: Path) -> None:
    records = [{"kode_wilayah": "14.07", "tahun": 2024, "ipm": 70.5, "catatan": None},
               {"kode_wilayah": "14.08", "tahun": 2025, "ipm": 71.25, "catatan": "sementara", "baru": True}]
    path = tmp_path / "ipm.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    schema = infer_schema(path, "json")
    assert _types(schema) == {"kode_wilayah": "string", "tahun": "integer", "ipm": "number", "catatan": "string",
                              "baru": "boolean"}
    assert_passes_itself(path, schema, "json")


def test_types_come_from_more_than_the_first_hundred_rows(tmp_path: Path) -> None:
    rows = [["nomor", "nilai"], *([str(i), str(i)] for i in range(1, 600)), ["600", "600.5"]]
    path = write_csv(tmp_path / "panjang.csv", rows)
    schema = infer_schema(path, "csv")
    assert _types(schema) == {"nomor": "integer", "nilai": "number"}
    assert_passes_itself(path, schema, "csv")


def test_columns_with_leading_zeros_or_code_names_stay_text(tmp_path: Path) -> None:
    rows = [["nomor_urut", "npsn", "kodepos", "id_sekolah", "jumlah_rt"],
            ["007", "10404101", "28911", "1", "12"], ["008", "10404102", "28912", "2", "15"]]
    schema = infer_schema(write_csv(tmp_path / "kode.csv", rows), "csv")
    assert _types(schema) == {"nomor_urut": "string", "npsn": "string", "kodepos": "string", "id_sekolah": "string",
                              "jumlah_rt": "integer"}


def test_an_empty_column_is_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kosong.csv", [["nama", "catatan"], ["A", ""], ["B", ""]])
    schema = infer_schema(path, "csv")
    assert _types(schema) == {"nama": "string", "catatan": "string"}
    assert_passes_itself(path, schema, "csv")


@pytest.mark.parametrize(("content", "fmt", "message"), [
    (b"", "csv", "kosong"),
    (b'{"kode": "14"}', "json", "satu objek"),
    (b"[1, 2]", "json", "bukan objek"),
    (b"bukan zip", "xlsx", "bukan XLSX"),
])
def test_unusable_input_says_why(tmp_path: Path, content: bytes, fmt: str, message: str) -> None:
    path = tmp_path / "berkas"
    path.write_bytes(content)
    with pytest.raises(UnusableInput, match=message):
        infer_schema(path, fmt)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="tidak ditemukan"):
        infer_schema(tmp_path / "tidak-ada.csv")


@pytest.mark.parametrize(("name", "title"), [
    ("jumlah_kk", "Jumlah KK"), ("kodeWilayah", "Kode wilayah"), ("LUAS_WILAYAH", "Luas wilayah"),
    ("Nilai IPM", "Nilai IPM"), ("  nama  sekolah ", "Nama sekolah"),
])
def test_titles_are_humanised(name: str, title: str) -> None:
    assert humanise(name) == title


@pytest.mark.parametrize(("values", "expected"), [
    (["30/04/2025", "1/5/2025"], ("date", "%d/%m/%Y")),  # as Indonesian spreadsheets write dates
    (["30-04-2025", "01-05-2025"], ("date", "%d-%m-%Y")),
    (["30.04.2025", "01.05.2025"], ("date", "%d.%m.%Y")),
    (["04/30/2025", "05/01/2025"], ("date", "%m/%d/%Y")),  # an English export: 30 is no month
    (["04/05/2025", "05/06/2025"], ("date", "%d/%m/%Y")),  # either reading fits: day first
    (["30/04/2025", "2025-05-01"], ("string", None)),  # mixed: the clerk fixes the odd one
    (["30/04/2025", "31/02/2025"], ("string", None)),  # no such day: text, and the report says nothing wrong
])
def test_dates_written_day_first(tmp_path: Path, values: list[str], expected: tuple[str, str | None]) -> None:
    path = write_csv(tmp_path / "tanggal.csv", [["puskesmas", "tanggal"], *[[f"P{i}", v] for i, v in enumerate(values)]],
                     delimiter=";")
    schema = infer_schema(path, "csv")
    field = schema["fields"][1]
    assert (field["type"], field.get("format")) == expected
    assert_passes_itself(path, schema, "csv")


def test_dates_with_indonesian_month_names_stay_checked_text(tmp_path: Path) -> None:
    """#14: "17 Agustus 2025" cannot be a Table Schema date (``%B`` reads English months), so the
    column is text with a pattern every such date passes and a misspelt one fails, identically
    in frictionless and the fast path; its description says how to make it a date column."""
    from tests.tables import assert_same

    rows = [["kegiatan", "tanggal"], ["Posyandu", "17 Agustus 2025"], ["Imunisasi", "1 JANUARI 2026"],
            ["Penyuluhan", "09 maret 2026"]]
    path = write_csv(tmp_path / "kegiatan.csv", rows)
    schema = infer_schema(path, "csv")
    field = schema["fields"][1]
    assert field["type"] == "string" and "pattern" in field["constraints"]
    assert "2025-08-17" in field["description"]
    assert assert_same(path, schema, expect_fast=True).valid  # type: ignore[union-attr]
    wrong = write_csv(tmp_path / "salah.csv", [*rows, ["Rapat", "17 Agustos 2025"], ["Lomba", "32 Mei 2026"]])
    outcome = assert_same(wrong, schema)
    assert outcome is not None
    assert [(e["type"], e["rowNumber"]) for e in outcome.report["tasks"][0]["errors"]] == [
        ("constraint-error", 5), ("constraint-error", 6)]
