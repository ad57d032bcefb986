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


def _filled(rows: list[list[Any]], merges: tuple[str, ...]) -> list[list[Any]]:
    """The rows as frictionless's ``fillMergedCells`` reads them."""
    ranges = []
    for ref in merges:
        a, b = ref.split(":")
        (c1, r1), (c2, r2) = (openpyxl_cell(a), openpyxl_cell(b))
        ranges.append((c1, r1, c2, r2))
    filler = convert.MergeFiller(sorted(ranges, key=lambda r: (r[1], r[0])))
    return [filler.fill(n, tuple(row)) for n, row in enumerate(rows, start=1)]


def openpyxl_cell(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(ref)
    return column_index_from_string(letters), row


TWO_ROWS = [["No", "Kecamatan", "Jenis Kelamin", None, "Jumlah"], [None, None, "Laki-laki", "Perempuan", None]]
TWO_ROW_MERGES = ("A1:E1", "A2:E2", "C4:D4", "A4:A5", "B4:B5", "E4:E5")
# Both header rows wide: years over L/P, "No" and "Wilayah" merged down.
YEARS = [["No", "Wilayah", "2024", None, "2025", None], [None, None, "L", "P", "L", "P"]]
YEAR_MERGES = ("A1:F1", "A2:F2", "C4:D4", "E4:F4", "A4:A5", "B4:B5")


@pytest.mark.parametrize(("rows", "merges", "span", "titles"), [
    ([["a", "b"], [1, 2]], (), [0], ["a", "b"]),
    ([*TITLE_BLOCK, ["kecamatan", "penduduk"], ["Kubu", 34645]], (), [3], ["kecamatan", "penduduk"]),
    ([*TITLE_BLOCK, *TWO_ROWS, [1, "Kubu", 17210, 17435, 34645]], TWO_ROW_MERGES, [3, 4],
     ["No", "Kecamatan", "Jenis Kelamin Laki-laki", "Jenis Kelamin Perempuan", "Jumlah"]),
    ([*TITLE_BLOCK, *YEARS, [1, "Kubu", 1, 2, 3, 4]], YEAR_MERGES, [3, 4],
     ["No", "Wilayah", "2024 L", "2024 P", "2025 L", "2025 P"]),
    ([["Judul"], *([[]] * 28), ["kode", "nama"], ["14.07", "Rokan Hilir"]], (), [29], ["kode", "nama"]),  # all text
    ([["a", "b", "c"], ["x", "y", "z"]], (), [0], ["a", "b", "c"]),  # no numbers at all: the first wide row
])
def test_the_header_rows_are_found(rows: list[list[Any]], merges: tuple[str, ...], span: list[int],
                                   titles: list[str]) -> None:
    found, names = convert.find_header([tuple(r) for r in rows], _filled(rows, merges) if merges else None)
    assert (found, names) == (span, titles)


def test_unmerged_blank_header_cells_join_as_frictionless_joins_them() -> None:
    # No merge information: frictionless joins the blank with a space; so must the portal, or
    # the descriptor it writes would not read back the same names.
    rows = [tuple(r) for r in [*TITLE_BLOCK, *TWO_ROWS, [1, "Kubu", 17210, 17435, 34645]]]
    assert convert.find_header(rows) == ([3, 4], ["No ", "Kecamatan ", "Jenis Kelamin Laki-laki", " Perempuan",
                                                  "Jumlah "])


def test_a_workbook_with_a_title_block_validates_by_its_sheet_rows(tmp_path: Path) -> None:
    rows = [*TITLE_BLOCK, ["No", "Kecamatan", "Jenis Kelamin", None, "Jumlah"],
            [None, None, "Laki-laki", "Perempuan", None],
            [1, "Kubu", 17210, 17435, 34645], [2, "Bangko", 406, "empat ratus", 812], [None, "JUMLAH", 17616, 17841, 35457]]
    path = _book(tmp_path, rows, merges=("A1:E1", "A2:E2", "C4:D4", "A4:A5", "B4:B5", "E4:E5"))
    names = ["No", "Kecamatan", "Jenis Kelamin Laki-laki", "Jenis Kelamin Perempuan", "Jumlah"]
    assert preflight.check_upload(path, "XLSX").header == names
    clean = _book(tmp_path, [*rows[:6], [2, "Bangko", 406, 406, 812]],
                  merges=("A1:E1", "A2:E2", "C4:D4", "A4:A5", "B4:B5", "E4:E5"), name="ok.xlsx")
    schema = infer_schema(clean, "xlsx")
    assert [(f["name"], f["type"]) for f in schema["fields"]] == list(zip(
        names, ["integer", "string", "integer", "integer", "integer"], strict=True))
    assert validate_table_detailed(clean, schema).valid
    report = validate_table_detailed(path, schema).report
    errors = [(e["type"], e["rowNumber"]) for e in report["tasks"][0]["errors"]]
    assert errors == [("type-error", 7), ("total-row", 8)]  # the rows Excel shows
    assert 'in row "7"' in report["tasks"][0]["errors"][0]["message"]
    assert infer_resource(clean)["dialect"] == {"headerRows": [4, 5],
                                                "excel": {"sheet": "Data", "fillMergedCells": True}}


def test_a_merged_cell_in_the_header_row_itself_is_still_refused(tmp_path: Path) -> None:
    path = _book(tmp_path, [*TITLE_BLOCK, ["Wilayah", None, "Jumlah"], ["14.07", "Rokan Hilir", 5]],
                 merges=("A1:C1", "A4:B4"))
    with pytest.raises(UnusableInput, match=r"baris 4\) lembar \"Data\" memakai sel gabungan \(A4:B4\)"):
        preflight.check_upload(path, "XLSX")


def _frictionless_errors(path: Path, descriptor: dict[str, Any]) -> list[tuple[Any, ...]]:
    import frictionless
    from frictionless import Resource

    described = dict(descriptor, path=path.name)
    with frictionless.system.use_context(trusted=True):
        report = frictionless.validate(Resource(described, basepath=str(path.parent)))
    return [(e.type, getattr(e, "row_number", None), getattr(e, "field_name", None))
            for task in report.tasks for e in task.errors]


def _our_errors(path: Path, descriptor: dict[str, Any]) -> list[tuple[Any, ...]]:
    report = validate_table_detailed(path, descriptor["schema"], layout=descriptor).report
    return [(e["type"], e.get("rowNumber"), e.get("fieldName"))
            for task in report["tasks"] for e in task["errors"] if e["type"] != "total-row"]


@pytest.mark.parametrize("case", ["two-rows", "years", "kecamatan-merged-down", "header-on-row-30", "two-header-like"])
def test_workbooks_read_as_frictionless_reads_them_with_the_inferred_descriptor(tmp_path: Path, case: str) -> None:
    """Differential (#14): the descriptor ``satudata infer`` writes, given to frictionless itself,
    reads the same titles and finds the same errors as the portal, for the layouts offices use."""
    if case == "two-rows":
        rows = [*TITLE_BLOCK, *TWO_ROWS, [1, "Kubu", 17210, 17435, 34645], [2, "Bangko", 406, 406, 812]]
        merges, bad = TWO_ROW_MERGES, (6, 3, "banyak")
    elif case == "years":
        rows = [*TITLE_BLOCK, *YEARS, [1, "Kubu", 1, 2, 3, 4], [2, "Bangko", 5, 6, 7, 8]]
        merges, bad = YEAR_MERGES, (7, 6, "-")
    elif case == "kecamatan-merged-down":
        rows = [*TITLE_BLOCK, ["Kecamatan", "Desa", "Penduduk"], ["Kubu", "Teluk Merbau", 1200],
                [None, "Sungai Segajah", 900], [None, "Rantau Panjang", 700], ["Bangko", "Bagan Jawa", 3000]]
        merges, bad = ("A1:C1", "A2:C2", "A5:A7"), (8, 3, "tiga ribu")
    elif case == "header-on-row-30":
        rows = [["Judul"], *([[]] * 28), ["kode", "nama", "luas"], ["14.07", "Rokan Hilir", 8881.59],
                ["14.71", "Pekanbaru", 632.26]]
        merges, bad = (), (32, 3, "luas")
    else:  # a sub-title row that looks like a header above the real one
        rows = [["Tabel 3.1", "Keterangan"], ["kecamatan", "penduduk"], ["Kubu", 34645], ["Bangko", 812]]
        merges, bad = (), (4, 2, "?")
    clean = _book(tmp_path, rows, merges=merges, name="bersih.xlsx")
    descriptor = infer_resource(clean)
    if case == "kecamatan-merged-down":  # the merged kecamatan names every one of its desa rows
        descriptor["schema"]["fields"][0]["constraints"] = {"required": True}
    assert _our_errors(clean, descriptor) == _frictionless_errors(clean, descriptor) == []
    wrong = [list(r) for r in rows]
    row, col, value = bad
    wrong[row - 1][col - 1] = value
    broken = _book(tmp_path, wrong, merges=merges, name="salah.xlsx")
    ours = _our_errors(broken, descriptor)
    assert ours and ours == _frictionless_errors(broken, descriptor)
    assert ours[0][1] == row  # the sheet's row number, as Excel shows it


def test_filled_rows_fill_merges_only_as_far_as_the_reader_looks(tmp_path: Path) -> None:
    # A merge out to the last column (XFD) would make every row 16,384 cells wide; a reader
    # that reads 200 columns asks for no more.
    import zipfile

    from openpyxl import load_workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Nama", "Isian"])
    sheet.append(["a", "isi"])
    sheet.append(["b", None])
    sheet.merge_cells("B2:XFD3")
    path = tmp_path / "merge.xlsx"
    book.save(path)
    read = load_workbook(path, read_only=True)
    with zipfile.ZipFile(path) as archive:
        rows = dict(convert.filled_rows(read[read.sheetnames[0]], archive, max_col=200))
        assert [len(rows[2]), len(rows[3])] == [200, 200] and rows[3][1] == "isi" and rows[3][0] == "b"
        wide = dict(convert.filled_rows(read[read.sheetnames[0]], archive))
        assert len(wide[3]) == 16384  # without the bound, as frictionless fills it
    read.close()
