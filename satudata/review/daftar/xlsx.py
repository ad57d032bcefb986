"""The Daftar Data workbook: the layout the walidata's clerks export, fill in and import again.

One sheet, "Daftar Data", with Indonesian column headers in row 1; a "Petunjuk" sheet saying
how to write each column; a "Referensi" sheet listing the OPD (name and slug), the frequencies
and the standards, which the main sheet's drop-downs use. Reading takes the "Daftar Data" sheet
(or the first one), finds the columns by their header (case and extra spaces do not matter,
columns may be moved, unknown ones such as "No" are ignored and named), and hands the cells
on as they are; :mod:`importing` judges them.

Written with XlsxWriter, whose ``write_string`` never turns a cell starting with ``=`` into a
formula; read with openpyxl in read-only mode after the ZIP is checked for bombs.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from satudata.catalog.models import Frequency
from satudata.review.daftar.status import Row, status_text
from satudata.tabular import convert

if TYPE_CHECKING:
    from satudata.accounts.models import Organization

SHEET = "Daftar Data"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    how: str  # what to write, for the "Petunjuk" sheet and the row report
    width: int = 18
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("year", "Tahun", True, "Tahun rencana, 4 angka, misalnya 2026.", 8, ("tahun rencana",)),
    Column("title", "Judul data", True, "Judul data yang akan dihasilkan, misalnya \"Jumlah Penduduk menurut "
           "Kecamatan\". Tahun, OPD dan judul yang sama dengan butir yang sudah ada memperbarui butir itu.", 48,
           ("judul", "nama data")),
    Column("organization", "OPD produsen", True, "Nama OPD persis seperti di portal, atau slug-nya (lihat "
           "lembar Referensi).", 40, ("opd", "produsen data", "produsen", "opd produsen data")),
    Column("standard", "Standar data", False, "Nama standar data (Table Schema) atau nama@versi dari halaman "
           "Standar data, misalnya sekolah@2. Boleh kosong.", 20, ("standar",)),
    Column("frequency", "Frekuensi", True, "Salah satu: Tahunan, Semesteran, Triwulanan, Bulanan, Mingguan, "
           "Harian, Tidak tentu.", 14),
    Column("release_date", "Jadwal rilis", True, "Tanggal rilis: sel tanggal Excel, atau DD/MM/YYYY "
           "(31/03/2026), atau YYYY-MM-DD (2026-03-31).", 14, ("tanggal rilis", "jadwal")),
    Column("priority", "Data prioritas", False, "Ya atau Tidak. Kosong berarti Tidak.", 14, ("prioritas",)),
    Column("status", "Status", False, "Diisi portal saat ekspor; diabaikan saat impor.", 24),
    Column("dataset", "Dataset", False, "Slug dataset yang memenuhi butir ini (bagian akhir alamat "
           "/dataset/...), milik OPD produsen. Boleh kosong; kosong tidak melepas dataset yang sudah terhubung.",
           30),
    Column("notes", "Catatan", False, "Catatan internal walidata; tidak tampil di halaman publik. Kosong tidak "
           "menghapus catatan yang ada.", 40, ("keterangan",)),
)
BY_KEY = {c.key: c for c in COLUMNS}

# The frequency as clerks write it, and as the export writes it.
FREQUENCY_TEXT = {
    Frequency.TAHUNAN: "Tahunan", Frequency.SEMESTERAN: "Semesteran", Frequency.TRIWULANAN: "Triwulanan",
    Frequency.BULANAN: "Bulanan", Frequency.MINGGUAN: "Mingguan", Frequency.HARIAN: "Harian",
    Frequency.TIDAK_TENTU: "Tidak tentu",
}
# Cells a read looks at past the header; beyond it a sheet holds far more than a Daftar Data
# (formatted empty rows included), and reading on would only cost time.
SCAN_SLACK = 10_000
# Unpacked size of the workbook: a Daftar Data of DAFTAR_IMPORT_MAX_ROWS rows is a few MB of XML.
MAX_UNPACKED = 64 * 1024 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read as a Daftar Data workbook at all."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def normalise_header(text: Any) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


_HEADERS = {normalise_header(alias): c.key for c in COLUMNS for alias in (c.header, *c.aliases)}


@dataclass
class Sheet:
    """What a read found: the column of each known header, the headers it ignored, and the
    non-blank data rows as (row number in Excel, {column key: cell value})."""

    columns: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(path: Path, *, max_rows: int) -> Sheet:
    """The header and the data rows of a Daftar Data workbook; :class:`SpreadsheetError` when
    it is not one, or holds more than ``max_rows`` data rows."""
    try:
        convert.check_zip(path, max_uncompressed=MAX_UNPACKED)
    except convert.ConversionError as err:
        raise SpreadsheetError(f"Berkas tidak dapat dibaca sebagai XLSX: {err}",
                               "Simpan ulang berkas dari Excel atau LibreOffice sebagai Excel Workbook (.xlsx), "
                               "atau mulai dari berkas ekspor Daftar Data.") from None
    from openpyxl import load_workbook

    handle = path.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        handle.close()
        raise SpreadsheetError(f"Berkas XLSX tidak dapat dibaca ({type(exc).__name__}).",
                               "Simpan ulang berkas dari Excel sebagai Excel Workbook (.xlsx).") from None
    try:
        names = workbook.sheetnames
        if not names:
            raise SpreadsheetError("Berkas XLSX tidak berisi lembar kerja.", "Pakai berkas ekspor Daftar Data.")
        ws = workbook[SHEET if SHEET in names else names[0]]
        return _read_sheet(ws.iter_rows(values_only=True), max_rows=max_rows)
    finally:
        workbook.close()
        handle.close()


def _read_sheet(rows: Iterable[tuple[Any, ...]], *, max_rows: int) -> Sheet:
    sheet = Sheet()
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or all(_blank(v) for v in header):
        raise SpreadsheetError("Baris 1 (judul kolom) kosong.",
                               "Baris 1 harus berisi judul kolom: " + ", ".join(c.header for c in COLUMNS) + ".")
    for index, text in enumerate(header):
        if _blank(text):
            continue
        key = _HEADERS.get(normalise_header(text))
        if key is None:
            sheet.ignored.append(str(text).strip()[:60])
        elif key in sheet.columns:
            sheet.duplicated.append(str(text).strip()[:60])
        else:
            sheet.columns[key] = index
    for number, values in enumerate(iterator, start=2):
        if number > max_rows + 1 + SCAN_SLACK:
            break
        cells = {key: values[index] if index < len(values) else None for key, index in sheet.columns.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        if len(sheet.rows) >= max_rows:
            raise SpreadsheetError(f"Berkas berisi lebih dari {max_rows:,} baris data.".replace(",", "."),
                                   "Pecah Daftar Data menjadi beberapa berkas (misalnya per OPD), lalu impor satu "
                                   "per satu.")
        sheet.rows.append((number, cells))
    return sheet


# --------------------------------------------------------------------------- writing


def write_workbook(rows: list[Row], *, year: int, organizations: list[Organization],
                   standards: list[tuple[str, str]]) -> bytes:
    """The workbook of ``rows`` (the Daftar Data of ``year``); with no rows, an empty template."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#F4F6F8", "border": 1, "text_wrap": True, "valign": "top"})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    main = book.add_worksheet(SHEET)
    for col, column in enumerate(COLUMNS):
        main.write_string(0, col, column.header, bold)
        main.set_column(col, col, column.width)
    main.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        item = row.item
        main.write_number(r, 0, item.year)
        main.write_datetime(r, 5, _midnight(item.release_date), date_format)
        texts = {1: item.title, 2: item.organization.name, 3: item.standard_ref,
                 4: FREQUENCY_TEXT.get(item.frequency, str(item.frequency)), 6: "Ya" if item.is_priority else "Tidak",
                 7: status_text(row.standing), 8: item.dataset.slug if item.dataset is not None else None,
                 9: item.notes}
        for col, text in texts.items():
            if text:  # an empty cell stays empty (a blank string cell reads back as "")
                main.write_string(r, col, text)
    last = max(len(rows), 1) + 1000  # room for the clerk's new rows, with the same drop-downs
    main.autofilter(0, 0, max(len(rows), 1), len(COLUMNS) - 1)
    main.data_validation(1, 4, last, 4, {"validate": "list", "source": list(FREQUENCY_TEXT.values()),
                                          "error_title": "Frekuensi", "error_message": BY_KEY["frequency"].how})
    main.data_validation(1, 6, last, 6, {"validate": "list", "source": ["Ya", "Tidak"],
                                          "error_title": "Data prioritas", "error_message": BY_KEY["priority"].how})
    main.data_validation(1, 5, last, 5, {"validate": "date", "criteria": "between",
                                          "minimum": _midnight_of(2000), "maximum": _midnight_of(2101),
                                          "error_title": "Jadwal rilis", "error_message": BY_KEY["release_date"].how})
    if organizations:
        main.data_validation(1, 2, last, 2, {"validate": "list", "source": f"=Referensi!$A$2:$A${len(organizations) + 1}",
                                              "show_error": False})

    guide = book.add_worksheet("Petunjuk")
    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 90)
    guide.write_string(0, 0, f"Daftar Data {year}: cara mengisi", bold)
    guide.write_string(1, 0, "Isi lembar \"Daftar Data\", satu baris per data, lalu impor berkas ini di portal. "
                             "Bila ada baris yang salah, tidak ada yang disimpan dan portal menyebut baris, kolom "
                             "dan cara memperbaikinya.", wrap)
    for col, text in enumerate(("Kolom", "Wajib", "Cara mengisi")):
        guide.write_string(3, col, text, bold)
    for r, column in enumerate(COLUMNS, start=4):
        guide.write_string(r, 0, column.header)
        guide.write_string(r, 1, "Ya" if column.required else "Tidak")
        guide.write_string(r, 2, column.how, wrap)

    ref = book.add_worksheet("Referensi")
    for col, (text, width) in enumerate((("OPD produsen", 50), ("Slug OPD", 28), ("Frekuensi", 14),
                                         ("Standar data", 24), ("Judul standar", 50))):
        ref.write_string(0, col, text, bold)
        ref.set_column(col, col, width)
    for r, org in enumerate(organizations, start=1):
        ref.write_string(r, 0, org.name)
        ref.write_string(r, 1, org.slug)
    for r, text in enumerate(FREQUENCY_TEXT.values(), start=1):
        ref.write_string(r, 2, text)
    for r, (standard, title) in enumerate(standards, start=1):
        ref.write_string(r, 3, standard)
        ref.write_string(r, 4, title)
    book.close()
    return out.getvalue()


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _midnight_of(year: int) -> datetime:
    return datetime(year, 1, 1)
