"""The header row of a spreadsheet (#14): government workbooks put a title block above the table
(merged "REKAPITULASI ..." rows, a source line, blank rows) and often a header of two rows.
The portal finds the column titles, validates from there, and reports errors by the rows of
the sheet the clerk sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from satudata.tabular import convert, preflight
from satudata.tabular.schema import UnusableInput
from satudata.validation.engine import validate_table_detailed
from satudata.validation.services import infer_resource, infer_schema

pytestmark = pytest.mark.nodb


def _book(tmp_path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), name: str = "tabel.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    path = tmp_path / name
    book.save(path)
    return path


TITLE_BLOCK = [
    ["REKAPITULASI JUMLAH PENDUDUK MENURUT KECAMATAN"],
    ["KABUPATEN ROKAN HILIR TAHUN 2025"],
    [],
]


@pytest.mark.parametrize(("rows", "index", "titles"), [
    ([["a", "b"], [1, 2]], 0, ["a", "b"]),
    ([*TITLE_BLOCK, ["kecamatan", "penduduk"], ["Kubu", 34645]], 3, ["kecamatan", "penduduk"]),
    ([*TITLE_BLOCK, ["No", "Kecamatan", "Jenis Kelamin", None, "Jumlah"], [None, None, "Laki-laki", "Perempuan", None],
      [1, "Kubu", 17210, 17435, 34645]], 4, ["No", "Kecamatan", "Laki-laki", "Perempuan", "Jumlah"]),
    ([["Judul"], *([[]] * 28), ["kode", "nama"], ["14.07", "Rokan Hilir"]], 29, ["kode", "nama"]),  # all text
    ([["a", "b", "c"], ["x", "y", "z"]], 0, ["a", "b", "c"]),  # no numbers at all: the first wide row
])
def test_the_header_row_is_found(rows: list[list[Any]], index: int, titles: list[str]) -> None:
    found, names = convert.find_header([tuple(r) for r in rows])
    assert (found, [n for n in names if n]) == (index, titles)


def test_a_workbook_with_a_title_block_validates_by_its_sheet_rows(tmp_path: Path) -> None:
    rows = [*TITLE_BLOCK, ["No", "Kecamatan", "Jenis Kelamin", None, "Jumlah"],
            [None, None, "Laki-laki", "Perempuan", None],
            [1, "Kubu", 17210, 17435, 34645], [2, "Bangko", 406, "empat ratus", 812], [None, "JUMLAH", 17616, 17841, 35457]]
    path = _book(tmp_path, rows, merges=("A1:E1", "A2:E2", "C4:D4", "A4:A5", "B4:B5", "E4:E5"))
    assert preflight.check_upload(path, "XLSX").header == ["No", "Kecamatan", "Laki-laki", "Perempuan", "Jumlah"]
    clean = _book(tmp_path, [*rows[:6], [2, "Bangko", 406, 406, 812]],
                  merges=("A1:E1", "A2:E2", "C4:D4", "A4:A5", "B4:B5", "E4:E5"), name="ok.xlsx")
    schema = infer_schema(clean, "xlsx")
    assert [(f["name"], f["type"]) for f in schema["fields"]] == [
        ("No", "integer"), ("Kecamatan", "string"), ("Laki-laki", "integer"), ("Perempuan", "integer"),
        ("Jumlah", "integer")]
    assert validate_table_detailed(clean, schema).valid
    report = validate_table_detailed(path, schema).report
    errors = [(e["type"], e["rowNumber"]) for e in report["tasks"][0]["errors"]]
    assert errors == [("type-error", 7), ("total-row", 8)]  # the rows Excel shows
    assert 'in row "7"' in report["tasks"][0]["errors"][0]["message"]
    assert infer_resource(clean)["dialect"] == {"headerRows": [5], "excel": {"sheet": "Data"}}


def test_a_merged_cell_in_the_header_row_itself_is_still_refused(tmp_path: Path) -> None:
    path = _book(tmp_path, [*TITLE_BLOCK, ["Wilayah", None, "Jumlah"], ["14.07", "Rokan Hilir", 5]],
                 merges=("A1:C1", "A4:B4"))
    with pytest.raises(UnusableInput, match=r"baris 4\) lembar \"Data\" memakai sel gabungan \(A4:B4\)"):
        preflight.check_upload(path, "XLSX")
