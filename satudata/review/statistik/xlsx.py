"""The BPS statistical metadata workbook, in the layout BPS asks regional producers for: one
sheet per form, fields numbered as on the forms of Peraturan BPS 5/2020.

- "MS-Keg": one row per field of each dataset's activity form, grouped by block (Identitas,
  Blok I. Penyelenggara ... Blok VIII. Diseminasi Hasil): Dataset, Blok, No., Rincian, Isian,
  Keterangan. A field the form does not ask for the dataset's answers (its skip rule) has an
  empty Isian and says so in Keterangan, which also gives every skip rule and optional field.
- "MS-Var": one row per variable (a column of a table), the dataset and table named, one column
  per MS-Var field, numbered as the form's columns (2. Nama variabel ... 12. Apakah kolom (2)
  dapat diakses umum?).
- "MS-Ind": one row per indicator, one column per MS-Ind field (2 ... 17); a field not asked for
  that indicator (a composite one skips 13–15, another 11–12) is an empty grey cell.
- "Petunjuk": what the sheets hold; mandatory fields are marked with * in the headers.

Skipped fields are written empty, never with a marker text, so the import's rule "an empty cell
keeps the portal's value" reads them back as they were.

Written with XlsxWriter with ``strings_to_formulas`` off, so a value starting with ``=`` stays
text.

Read back (the import, :mod:`satudata.review.statistik.importing` judges what is read) with
openpyxl in read-only mode after the ZIP is checked for bombs, as the table reader does
(``tabular.convert.check_zip``). Sheets are found by name ("MS-Keg", "ms keg", "MS_KEG"), the
header row among the first rows, columns by their header: with or without the number and the
trailing ``*``, whatever the case and spacing, in any order; unknown headers are ignored and
named. Merged cells are filled with their top-left value (a "Dataset" cell merged down its
rows names each of them).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from satudata.review.statistik import spec
from satudata.tabular import convert

KEG_SHEET, VAR_SHEET, IND_SHEET, HELP_SHEET = "MS-Keg", "MS-Var", "MS-Ind", "Petunjuk"
KEG_HEADERS = ("Dataset", "Blok", "No.", "Rincian", "Isian", "Keterangan")


def header(field: spec.Field) -> str:
    """A field's column header: its number and label, ``*`` when it must be filled when asked."""
    return field.numbered_label + (" *" if field.required else "")


def note(field: spec.Field, asked: bool = True) -> str:
    """The Keterangan of an MS-Keg row: whether it was asked, its skip rule, whether optional."""
    parts = [] if asked else ["Tidak ditanyakan (dilewati)."]
    if field.when:
        parts.append(spec.condition_text(field, localised=False))
    if not field.required:
        parts.append("Boleh dikosongkan.")
    if field.kind == spec.DATE:
        parts.append("Tanggal, misalnya 31/03/2026.")
    elif field.kind == spec.MULTI:
        parts.append("Boleh lebih dari satu pilihan, dipisah titik koma (;).")
    return " ".join(parts)


VAR_HEADERS = ("Dataset", "Tabel", "Kolom", *(header(f) for f in spec.VAR_FIELDS))
IND_HEADERS = ("Dataset", "Indikator ke-", *(header(f) for f in spec.IND_FIELDS))


def dataset_label(meta: Any) -> str:
    """The Dataset column of every sheet: title and slug, so the rows of two datasets of the same
    title (a bulk export) stay apart when the workbook comes back."""
    return f"{meta.dataset.title} ({(meta.dataset.revision_of or meta.dataset).slug})"


def write_workbook(metas: list[Any]) -> bytes:
    """The workbook of ``metas`` (``services.Metadata``: one dataset, or many for the bulk
    export)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#F4F6F8", "border": 1, "text_wrap": True, "valign": "top"})
    block = book.add_format({"bold": True, "bg_color": "#E3ECF5", "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    skipped = book.add_format({"text_wrap": True, "valign": "top", "bg_color": "#E7E7E7"})

    keg = book.add_worksheet(KEG_SHEET)
    for col, (text, width) in enumerate(zip(KEG_HEADERS, (36, 34, 8, 48, 60, 40), strict=True)):
        keg.write_string(0, col, text, bold)
        keg.set_column(col, col, width)
    keg.freeze_panes(1, 0)
    r = 1
    for meta in metas:
        title = dataset_label(meta)
        required = {f.key for f in spec.required_fields(spec.KEG_FIELDS, meta.keg)}
        for section, members in spec.keg_sections():
            keg.write_string(r, 0, title, wrap)
            keg.write_string(r, 1, section, block)
            r += 1
            for f in members:
                keg.write_string(r, 0, title, wrap)
                keg.write_string(r, 1, section, wrap)
                keg.write_string(r, 2, f.number)
                keg.write_string(r, 3, f.label + (" *" if f.key in required else ""), wrap)
                asked = spec.asked(f, meta.keg)
                keg.write_string(r, 4, meta.keg.get(f.key, "") if asked else "", wrap if asked else skipped)
                keg.write_string(r, 5, note(f, asked), wrap)
                r += 1

    var = book.add_worksheet(VAR_SHEET)
    for col, text in enumerate(VAR_HEADERS):
        var.write_string(0, col, text, bold)
        var.set_column(col, col, 30 if col < 3 else 24)
    var.freeze_panes(1, 3)
    r = 1
    for meta in metas:
        for entry in meta.variables:
            cells = [dataset_label(meta), entry.resource.name, entry.column.name,
                     *(entry.values.get(f.key, "") for f in spec.VAR_FIELDS)]
            for col, text in enumerate(cells):
                var.write_string(r, col, text, wrap)
            r += 1

    ind = book.add_worksheet(IND_SHEET)
    for col, text in enumerate(IND_HEADERS):
        ind.write_string(0, col, text, bold)
        ind.set_column(col, col, 30 if col == 0 else 24)
    ind.freeze_panes(1, 2)
    r = 1
    for meta in metas:
        for number, row in enumerate(meta.indicators, start=1):
            values = meta.indicator_values(row)
            ind.write_string(r, 0, dataset_label(meta), wrap)
            ind.write_number(r, 1, number)
            for col, f in enumerate(spec.IND_FIELDS, start=2):
                if spec.asked(f, values):
                    ind.write_string(r, col, values.get(f.key, ""), wrap)
                else:
                    ind.write_blank(r, col, None, skipped)
            r += 1

    helper = book.add_worksheet(HELP_SHEET)
    helper.set_column(0, 0, 110)
    lines = (
        "Metadata Statistik menurut Peraturan BPS Nomor 5 Tahun 2020 tentang Petunjuk Teknis Metadata Statistik.",
        "MS-Keg: metadata kegiatan statistik, satu baris per rincian, dikelompokkan per blok formulir.",
        "MS-Var: metadata variabel, satu baris per kolom setiap tabel dataset.",
        "MS-Ind: metadata indikator, satu baris per indikator.",
        "Tanda * menandai rincian yang wajib diisi bila ditanyakan. Peraturan BPS 5/2020 tidak menandai rincian "
        "wajib: setiap rincian diisi kecuali yang dilewati aturan lompatan formulir (misalnya Blok V hanya bila cara "
        "pengumpulan datanya Survei). Kolom Keterangan MS-Keg menyebut aturannya dan rincian yang dilewati; sel MS-Ind "
        "berwarna abu-abu tidak ditanyakan untuk indikator itu.",
        "Tanggal ditulis seperti 31/03/2026 atau 2026-03-31; beberapa pilihan dipisah titik koma (;); pilihan "
        "\"Lainnya (sebutkan)\" diikuti rincian .a yang menyebutkannya.",
        "Isian yang belum diubah produsen berasal dari metadata dataset dan Table Schema tabelnya di portal.",
        "Berkas ini dapat diisi lalu diimpor kembali di halaman Metadata Statistik dataset (Impor dari XLSX), satu "
        "dataset sekali impor; sel yang dikosongkan tidak mengubah isian di portal.",
    )
    for i, line in enumerate(lines):
        helper.write_string(i, 0, line, wrap)
    book.close()
    return out.getvalue()


# --------------------------------------------------------------------------- reading (the import)

KEG, VAR, IND = "keg", "var", "ind"
FORM_NAMES = {KEG: KEG_SHEET, VAR: VAR_SHEET, IND: IND_SHEET}
SHEET_NAMES = {KEG: KEG_SHEET, VAR: VAR_SHEET, IND: IND_SHEET}
# The columns that are not a form field (field columns are keyed by the field's key).
DATASET, BLOCK, NUMBER, LABEL, VALUE, TABLE, COLUMN, POSITION, NOTE = (
    "@dataset", "@blok", "@no", "@rincian", "@isian", "@tabel", "@kolom", "@indikator", "@keterangan")
HEADER_SCAN_ROWS = 10  # the header is the first row, or under a few title rows
MAX_COLUMNS = 200  # cells further right are not read
# Rows looked at past the last allowed data row: formatted empty rows are common, but a sheet
# holding far more than its rows is not worth reading on.
SCAN_SLACK = 10_000


class SpreadsheetError(Exception):
    """The file cannot be read as a statistical metadata workbook at all."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def normalise(text: Any) -> str:
    """A header, label or name as compared: no ``*``, spaces collapsed, case folded, no
    trailing ``.``, ``:`` or ``-`` ("No." = "no", "Indikator ke-" = "indikator ke")."""
    return " ".join(str(text or "").replace("*", " ").split()).casefold().rstrip(".:- ")


_NUMBERED = re.compile(r"^\(?\d+(?:\.\d+)*(?:\.[a-z])?\)?\.?\s*")


def _field_headers(fields: Iterable[spec.Field]) -> dict[str, str]:
    found: dict[str, str] = {}
    for f in fields:
        for text in (f.numbered_label, f.label, f.key):
            found[normalise(text)] = f.key
    return found


HEADERS: dict[str, dict[str, str]] = {
    KEG: {"dataset": DATASET, "blok": BLOCK, "no": NUMBER, "nomor": NUMBER, "rincian": LABEL, "isian": VALUE,
          "keterangan": NOTE},
    VAR: {"dataset": DATASET, "tabel": TABLE, "kolom": COLUMN, **_field_headers(spec.VAR_FIELDS)},
    IND: {"dataset": DATASET, "indikator ke": POSITION, "no": POSITION, "nomor": POSITION,
          **_field_headers(spec.IND_FIELDS)},
}


def header_key(form: str, text: Any) -> str | None:
    """The column a header names in sheet ``form`` (None: not one of ours). "1. Nama variabel *",
    "nama variabel" and "1 Nama Variabel" all name MS-Var's first field."""
    known = HEADERS[form]
    name = normalise(text)
    return known.get(name) or known.get(_NUMBERED.sub("", name))


def sheet_form(name: str) -> str | None:
    """Which form a sheet holds, by its name: "MS-Keg", "ms keg", "MS_KEG" ... (None: none)."""
    return {"mskeg": KEG, "msvar": VAR, "msind": IND}.get(re.sub(r"[^a-z]", "", name.casefold()))


@dataclass
class Sheet:
    """What a read found in one form's sheet: its name in the workbook, its header row (0: no
    header found), the column of each known header, the headers ignored or repeated, and the
    non-blank rows below as (Excel row number, {column key: cell value})."""

    form: str
    name: str
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Book:
    """The form sheets a workbook holds (by form), and the names of its other sheets."""

    sheets: dict[str, Sheet] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(path: Path, *, max_rows: int, max_unpacked: int) -> Book:
    """The MS-Keg, MS-Var and MS-Ind sheets of the workbook at ``path``; :class:`SpreadsheetError`
    when it is not an XLSX, is broken or a ZIP bomb, holds none of them, or a sheet holds more
    than ``max_rows`` filled rows."""
    try:
        convert.check_zip(path, max_uncompressed=max_unpacked)
    except convert.ConversionError as err:
        raise SpreadsheetError(str(err),
                               "Unggah berkas Excel Workbook (.xlsx), misalnya berkas unduhan XLSX metadata "
                               "statistik yang sudah diisi. Berkas CSV, PDF atau .xls lama tidak dapat diimpor; "
                               "simpan ulang sebagai .xlsx dari Excel atau LibreOffice.") from None
    from openpyxl import load_workbook

    handle = path.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        handle.close()
        raise SpreadsheetError(f"Berkas XLSX rusak atau tidak dapat dibaca ({type(exc).__name__}).",
                               "Buka berkasnya di Excel atau LibreOffice, simpan ulang sebagai Excel Workbook "
                               "(.xlsx), lalu unggah lagi.") from None
    book = Book()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name in workbook.sheetnames:
                form = sheet_form(name)
                if form is not None and form in book.sheets:  # "MS-Keg (2)": Excel's copy of a sheet
                    raise SpreadsheetError(
                        f'Lembar "{book.sheets[form].name}" dan "{name[:60]}" sama-sama lembar {FORM_NAMES[form]}; '
                        "tidak jelas mana yang berlaku.",
                        "Hapus salah satunya (misalnya salinan lama) atau ganti namanya, lalu unggah lagi.")
                if form is None:
                    if name != HELP_SHEET:
                        book.others.append(name[:60])
                    continue
                ws = workbook[name]
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # some writers record a wrong size; read what is there
                book.sheets[form] = _read_sheet(form, name, convert.filled_rows(ws, workbook._archive, max_col=MAX_COLUMNS),
                                                max_rows=max_rows)
    finally:
        workbook.close()
        handle.close()
    if not book.sheets:
        raise SpreadsheetError(
            "Berkas tidak memuat lembar MS-Keg, MS-Var atau MS-Ind.",
            "Mulai dari berkas unduhan XLSX metadata statistik dataset ini: isi lembar MS-Keg, MS-Var dan MS-Ind "
            "tanpa mengganti nama lembarnya." + (f" Lembar yang ada: {', '.join(book.others[:10])}." if book.others
                                                 else ""))
    return book


def _read_sheet(form: str, name: str, rows: Iterable[tuple[int, list[Any]]], *, max_rows: int) -> Sheet:
    sheet = Sheet(form=form, name=name[:60])
    iterator = iter(rows)
    for number, values in iterator:
        values = values[:MAX_COLUMNS]
        if number > HEADER_SCAN_ROWS:
            return sheet  # no header among the first rows
        keys = [header_key(form, v) if not _blank(v) else None for v in values]
        if sum(1 for k in keys if k is not None) >= 2:
            sheet.header_row = number
            for index, (text, key) in enumerate(zip(values, keys, strict=True)):
                if _blank(text):
                    continue
                shown = " ".join(str(text).split())[:60]
                if key is None:
                    sheet.ignored.append(shown)
                elif key in sheet.columns:
                    sheet.duplicated.append(shown)
                else:
                    sheet.columns[key] = index
            break
    else:
        return sheet
    for number, values in iterator:
        if number > sheet.header_row + max_rows + SCAN_SLACK:
            break
        cells = {key: values[index] if index < len(values) else None for key, index in sheet.columns.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        if len(sheet.rows) >= max_rows:
            raise SpreadsheetError(
                f'Lembar "{name[:60]}" berisi lebih dari {max_rows:,} baris.'.replace(",", "."),
                "Impor satu dataset sekali impor: hapus baris dataset lain (misalnya dari berkas ekspor massal), "
                "lalu unggah lagi.")
        sheet.rows.append((number, cells))
    return sheet
