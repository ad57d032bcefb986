"""Totals rows (#14): a "JUMLAH" line whose numbers are the sums of the rows above is an error
of type ``total-row`` in the report of either engine, with the fix explained; sums in a
column, labels without sums and tables without labels are left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from satudata.validation import messages, totals
from satudata.validation.engine import validate_table_detailed
from satudata.validation.services import infer_schema
from tests.tables import normalise, write_csv

pytestmark = pytest.mark.nodb

HEADER = ["kode_wilayah", "kecamatan", "laki_laki", "perempuan", "jumlah", "rasio_jenis_kelamin"]
DATA = [
    ["14.07.01", "Kubu", "17.210", "17.435", "34.645", "98,71"],
    ["14.07.02", "Bangko", "406", "406", "812", "100,00"],
    ["14.07.03", "Tanah Putih", "20.100", "19.900", "40.000", "101,01"],
]
TOTAL = ["", "JUMLAH", "37.716", "37.741", "75.457", "99,93"]


def _both(path: Path, schema: dict[str, Any] | None, **options: Any) -> dict[str, Any]:
    """The report, the same from the fast path and from frictionless."""
    fast = validate_table_detailed(path, schema, **options)
    slow = validate_table_detailed(path, schema, engine="frictionless", **options)
    assert fast.engine == "fast" and slow.engine == "frictionless"
    assert normalise(fast.report) == normalise(slow.report)
    return fast.report


def _errors(report: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(e["type"], e.get("rowNumber")) for e in report["tasks"][0]["errors"]]


def test_a_jumlah_row_under_the_data_is_reported_until_it_is_deleted(tmp_path: Path) -> None:
    clean = write_csv(tmp_path / "penduduk.csv", [HEADER, *DATA], delimiter=";")
    schema = infer_schema(clean, "csv")
    assert _both(clean, schema)["valid"]
    path = write_csv(tmp_path / "penduduk-jumlah.csv", [HEADER, *DATA, TOTAL], delimiter=";")
    report = _both(path, schema)
    assert not report["valid"] and report["stats"]["errors"] == 1
    assert _errors(report) == [("total-row", 5)]
    error = report["tasks"][0]["errors"][0]
    assert "laki_laki, perempuan, jumlah" in error["message"]  # the ratio is not a sum
    explained = messages.explain(error)
    assert explained["judul"] == "Baris jumlah" and "JUMLAH" in explained["masalah"]
    assert explained["perbaikan"] == "Hapus baris jumlah; portal menjumlahkan sendiri."
    assert messages.summarise(report)["by_type"] == [{"type": "total-row", "judul": "Baris jumlah", "count": 1}]


def test_subtotals_in_the_middle_and_a_grand_total(tmp_path: Path) -> None:
    rows = [["kelompok", "desa", "penduduk"],
            ["Utara", "Sei Daun", "1.200"], ["Utara", "Rantau", "800"], ["", "Sub Total Utara", "2.000"],
            ["Selatan", "Bagan", "500"], ["Selatan", "Labuhan", "250"], ["", "Sub Total Selatan", "750"],
            ["", "Total", "2.750"]]
    path = write_csv(tmp_path / "desa.csv", rows)
    schema = {"fields": [{"name": "kelompok", "type": "string"}, {"name": "desa", "type": "string"},
                         {"name": "penduduk", "type": "number", "groupChar": ".", "decimalChar": ","}]}
    assert _errors(_both(path, schema)) == [("total-row", 4), ("total-row", 7), ("total-row", 8)]


@pytest.mark.parametrize("rows", [
    [HEADER, *DATA],  # "jumlah" as a column (laki_laki + perempuan) is data, not a totals row
    [HEADER, *DATA, ["", "Jumlah Desa Tertinggal", "3", "4", "7", "1,0"]],  # a label, but not the sums
    [HEADER, *DATA, ["", "Kampung Total", "37.716", "37.741", "75.457", "99,93"]],  # sums, but not a label
])
def test_what_is_not_a_totals_row(tmp_path: Path, rows: list[list[str]]) -> None:
    path = write_csv(tmp_path / "tabel.csv", rows, delimiter=";")
    schema = infer_schema(write_csv(tmp_path / "bersih.csv", [HEADER, *DATA], delimiter=";"), "csv")
    assert _both(path, schema)["valid"]


def test_a_table_without_labels_is_not_read_twice(tmp_path: Path) -> None:
    assert not totals.may_have_totals(write_csv(tmp_path / "a.csv", [["jumlah_penduduk", "total"], ["1", "2"]]))
    assert totals.may_have_totals(write_csv(tmp_path / "b.csv", [["a", "b"], ["1", "x"], ["JUMLAH", "1"]]))
    assert totals.may_have_totals(write_csv(tmp_path / "c.csv", [["a", "b"], ["1", "Jumlah Kabupaten"]], delimiter=";"))
    assert not totals.may_have_totals(write_csv(tmp_path / "d.csv", [["a", "b"], ["1", "Jumlahnya"]]))


def test_a_totals_row_in_a_spreadsheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Penduduk"
    sheet.append(["kecamatan", "laki_laki", "perempuan"])
    for name, men, women in (("Kubu", 17210, 17435), ("Bangko", 406, 406)):
        sheet.append([name, men, women])
    sheet.append(["Jumlah", 17616, 17841])
    path = tmp_path / "penduduk.xlsx"
    book.save(path)
    schema = infer_schema(path, "xlsx")
    report = _both(path, schema, fmt="xlsx")
    assert _errors(report) == [("total-row", 4)]
