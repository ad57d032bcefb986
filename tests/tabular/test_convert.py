"""XLSX and JSON reach the same reader as CSV: the same table gives the same errors."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from satudata.tabular import convert
from satudata.validation.engine import validate_table_detailed
from tests.tables import assert_same, write_csv

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

SCHEMA = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "x-kode-wilayah": "kemendagri_2025"},
        {"name": "nama", "type": "string", "constraints": {"required": True}},
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "rasio", "type": "number"},
        {"name": "tanggal", "type": "date"},
        {"name": "aktif", "type": "boolean"},
    ],
    "primaryKey": ["kode_wilayah"],
}
ROWS: list[list[Any]] = [
    ["14.07", "Rokan Hilir", 637161, 0.25, date(2025, 6, 30), True],
    ["14.10", "Kepulauan Meranti", -3, 1.5, datetime(2025, 6, 30), False],
    ["14.99", "", "banyak", None, datetime(2025, 6, 30, 8, 30), None],
    ["14.07", "Duplikat", 1.0, 2, "30/06/2025", "ya"],
]
AS_TEXT = [
    ["14.07", "Rokan Hilir", "637161", "0.25", "2025-06-30", "true"],
    ["14.10", "Kepulauan Meranti", "-3", "1.5", "2025-06-30", "false"],
    ["14.99", "", "banyak", "", "2025-06-30T08:30:00", ""],
    ["14.07", "Duplikat", "1", "2", "30/06/2025", "ya"],
]
HEADER = [f["name"] for f in SCHEMA["fields"]]


def _errors(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["type"], e.get("rowNumber"), e.get("fieldName"), e["note"]) for e in report["tasks"][0]["errors"]]


def _xlsx(path: Path, rows: list[list[Any]], *, sheets: int = 1) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Ringkasan"
    if sheets > 1:
        ws.append(["catatan"])
        ws = wb.create_sheet("Data")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for _ in range(3):
        ws.append([None] * len(HEADER))  # formatting left-overs at the end
    wb.save(path)
    return path


def test_cell_text() -> None:
    assert [convert.cell_text(v) for v in (None, True, 5, 5.0, 0.1, 1e20, date(2025, 1, 2),
                                           datetime(2025, 1, 2), datetime(2025, 1, 2, 3, 4, 5), [1], {"a": 1})] == \
        ["", "true", "5", "5", "0.1", "1e+20", "2025-01-02", "2025-01-02", "2025-01-02T03:04:05", "[1]", '{"a": 1}']


def test_xlsx_reports_like_the_same_csv(tmp_path: Path) -> None:
    csv_report = validate_table_detailed(write_csv(tmp_path / "t.csv", [HEADER, *AS_TEXT]), SCHEMA).report
    outcome = validate_table_detailed(_xlsx(tmp_path / "t.xlsx", ROWS), SCHEMA)
    assert outcome.format == "xlsx" and outcome.sheet == "Ringkasan" and outcome.engine == "fast"
    assert _errors(outcome.report) == _errors(csv_report)
    kinds = {e[0] for e in _errors(csv_report)}
    assert {"foreign-key", "constraint-error", "type-error", "primary-key"} <= kinds
    task = outcome.report["tasks"][0]
    assert task["place"] == str(tmp_path / "t.xlsx") and task["name"] == "t" and task["stats"]["rows"] == 4


def test_xlsx_chosen_sheet(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "t.xlsx", ROWS[:2], sheets=2)
    by_name = validate_table_detailed(path, SCHEMA, sheet="Data")
    by_number = validate_table_detailed(path, SCHEMA, sheet=2)
    assert by_name.sheet == by_number.sheet == "Data"
    assert _errors(by_name.report) == _errors(by_number.report)
    assert [e[0] for e in _errors(by_name.report)] == ["constraint-error"]
    first = validate_table_detailed(path, SCHEMA)
    assert first.sheet == "Ringkasan" and not first.valid


def test_xlsx_converted_csv_is_validated_identically_by_both_engines(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    convert.xlsx_to_csv(_xlsx(tmp_path / "t.xlsx", ROWS), target)
    assert_same(target, SCHEMA, expect_fast=True)


def test_json_reports_like_the_same_csv(tmp_path: Path) -> None:
    records = [dict(zip(HEADER, row, strict=True)) for row in AS_TEXT]
    records[0]["jumlah"] = 637161  # numbers as JSON numbers
    records[1]["rasio"] = 1.5
    records[1]["aktif"] = False
    records[2]["rasio"] = None
    path = tmp_path / "t.json"
    path.write_text(json.dumps(records))
    csv_report = validate_table_detailed(write_csv(tmp_path / "t.csv", [HEADER, *AS_TEXT]), SCHEMA).report
    outcome = validate_table_detailed(path, SCHEMA)
    assert outcome.format == "json"
    assert _errors(outcome.report) == _errors(csv_report)


def test_json_columns_are_the_union_of_keys(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"a": 1}, {"b": "x", "a": 2}, {"c": [1, 2]}]))
    target = tmp_path / "out.csv"
    convert.json_to_csv(path, target)
    assert target.read_text().splitlines() == ["a,b,c", "1,,", "2,x,", ',,"[1, 2]"']


def test_formats_are_sniffed_without_an_extension(tmp_path: Path) -> None:
    xlsx = _xlsx(tmp_path / "t.xlsx", ROWS[:1]).rename(tmp_path / "blob1")
    (tmp_path / "blob2").write_text(json.dumps([dict(zip(HEADER, AS_TEXT[0], strict=True))]))
    write_csv(tmp_path / "blob3", [HEADER, AS_TEXT[0]])
    assert validate_table_detailed(xlsx, SCHEMA).format == "xlsx"
    assert validate_table_detailed(tmp_path / "blob2", SCHEMA).format == "json"
    outcome = validate_table_detailed(tmp_path / "blob3", SCHEMA)
    assert outcome.format == "csv" and outcome.valid
