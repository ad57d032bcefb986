"""The report as a clerk reads it: grouped by kind and column, rows and values, cells to
highlight; and raw rows of the upload with the spreadsheet's row numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from satudata.validation import report
from satudata.validation.engine import validate_table

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

SCHEMA = {
    "fields": [
        {"name": "kecamatan", "type": "string", "constraints": {"required": True}},
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "jenis", "type": "string", "constraints": {"enum": ["L", "P"]}},
    ],
}


def test_grouped_report(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("kecamatan,jumlah,jenis\nKubu,1,L\nBangko,x,P\n,-2,l\nSinaboi,y,X\n", encoding="utf-8")
    shown = report.present(validate_table(path, SCHEMA))
    assert shown is not None and not shown.valid and shown.total == 6
    groups = {(g.type, g.field): g for g in shown.groups}
    assert groups[("type-error", "jumlah")].rows == [3, 5]
    assert groups[("type-error", "jumlah")].values == ["x", "y"]
    assert groups[("constraint-error", "jenis")].values == ["l", "X"]
    assert "L, P" in groups[("constraint-error", "jenis")].perbaikan
    assert shown.cells == {3: {2}, 4: {1, 2, 3}, 5: {2, 3}}
    assert shown.rows_with_errors == [3, 4, 5]
    assert [e["row"] for e in shown.listed] == [3, 4, 4, 4, 5, 5]
    assert len(report.present(validate_table(path, SCHEMA), listed=2).listed) == 2  # type: ignore[union-attr]


def test_header_errors_are_table_errors(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("kecamatan,jumlah,jumlah\nKubu,1,L\n", encoding="utf-8")
    shown = report.present(validate_table(path, SCHEMA))
    assert shown is not None and shown.table_errors and not shown.groups
    assert shown.table_errors[0]["judul"]


def test_valid_and_missing_reports(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("kecamatan,jumlah,jenis\nKubu,1,L\n", encoding="utf-8")
    shown = report.present(validate_table(path, SCHEMA))
    assert shown is not None and shown.valid and shown.total == 0
    assert report.present(None) is None


def test_raw_rows_use_spreadsheet_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("kecamatan;jumlah\nKubu;1\n\nBangko;2\nPujud;3\n".encode("cp1252"))
    rows = report.raw_rows(path, "csv", first_row=3, count=5)
    assert rows.header == ["kecamatan", "jumlah"]
    assert rows.rows == [(3, ["Bangko", "2"]), (4, ["Pujud", "3"])]


def test_raw_rows_of_xlsx_and_json(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in (["a", "b"], [1, "x"], [2, "y"]):
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    rows = report.raw_rows(tmp_path / "t.xlsx", "xlsx", first_row=2, count=1, sheet="Data")
    assert rows.header == ["a", "b"] and rows.rows == [(2, ["1", "x"])]
    (tmp_path / "t.json").write_text(json.dumps([{"a": 1}, {"a": 2, "b": True}]), encoding="utf-8")
    rows = report.raw_rows(tmp_path / "t.json", "json", first_row=2, count=5)
    assert rows.header == ["a", "b"] and rows.rows == [(2, ["1", ""]), (3, ["2", "true"])]


def test_around() -> None:
    assert report.around([], 25) == 2
    assert report.around([30, 31], 25) == 27
    assert report.around([5], 25) == 2


def test_foreign_key_cells_are_marked_by_name(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("kode_wilayah,jumlah\n14.07.01,1\n14.07.99,2\n", encoding="utf-8")
    schema = {"fields": [{"name": "kode_wilayah", "type": "string", "x-kode-wilayah": "kemendagri_2025"},
                         {"name": "jumlah", "type": "integer"}]}
    shown = report.present(validate_table(path, schema))
    assert shown is not None and shown.cells == {3: {"kode_wilayah"}}
