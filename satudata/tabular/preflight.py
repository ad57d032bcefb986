"""The quick check of an upload before it replaces anything: is this a table we can read at all?

Validation (the RQ job) judges the *content* against the Table Schema and reports every error.
Before that, at upload time and in the web request, :func:`check_upload` refuses what cannot be
validated at all — an empty file, a header without rows, a binary file named ``.csv``, an XLSX
that is not a workbook or is a ZIP bomb, a header row of merged cells, a missing sheet, JSON
that is not an array of records, a table wider than ``UPLOAD_MAX_COLUMNS`` (from its header
row), JSON nested deeper than ``JSON_MAX_DEPTH`` — so the resource keeps its previous good file
and the clerk reads at once what to change. It reads a bounded part of the file (a few hundred
KB of text, the first rows of a sheet, the first JSON records), and leaves every slow reading
(Table Schema inference, the column summary, validation) to the validation job.

Text saved by Excel as "Unicode Text" is UTF-16 with a byte-order mark, common in regional
offices: :func:`utf16_encoding` recognises it and :func:`utf8_text` gives the same text as
UTF-8, which the upload stores instead, so every reader of stored tables reads it.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from satudata.tabular import convert
from satudata.tabular.schema import UnusableInput

TABULAR_FORMATS = ("CSV", "TSV", "XLSX", "JSON")
DOCUMENT_FORMATS = ("PDF", "DOCX", "ODT", "PPTX", "ODS", "ZIP", "GEOJSON", "KML", "SHP", "PNG", "JPG",
                    "JPEG", "TXT")
HEAD_BYTES = 256 * 1024
JSON_HEAD_BYTES = 1024 * 1024  # JSON text whose nesting is checked before any of it is parsed
JSON_RECORDS = 1000  # records of a JSON array read here (the job reads the rest)
SNIFF_BYTES = 64 * 1024  # text the CSV delimiter is guessed from
DELIMITERS = ",\t;|"  # what frictionless guesses a CSV delimiter among


@dataclass(frozen=True)
class UploadCheck:
    """What the check learnt: the format, the sheets of a workbook (and the one read), the
    header and the row it is on."""

    format: str
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    header: list[str] = field(default_factory=list)
    header_row: int = 1  # the row holding the column titles (a workbook's may sit under a title block)
    header_rows: list[int] = field(default_factory=lambda: [1])  # with a group title row above it: both


def upload_format(filename: str, declared: str | None = None) -> str:
    """The upper-case format of an upload from its declared format or file name; refuses what
    the portal does not take."""
    fmt = (declared or (filename.rsplit(".", 1)[-1] if "." in filename else "")).strip().upper().lstrip(".")
    if fmt in ("XLS", "XLSM"):
        raise UnusableInput(
            f"Format {fmt} (Excel lama/bermakro) tidak diterima. Buka di Excel, pilih Simpan Sebagai → "
            "Buku Kerja Excel (.xlsx) atau CSV UTF-8, lalu unggah ulang.", details={"file": ["Format tidak diterima."]})
    if fmt not in TABULAR_FORMATS + DOCUMENT_FORMATS:
        accepted = ", ".join(TABULAR_FORMATS + DOCUMENT_FORMATS)
        raise UnusableInput(
            f'Jenis berkas "{fmt or "tanpa akhiran"}" tidak diterima. Tabel: CSV, TSV, XLSX atau JSON; '
            f"dokumen: {accepted}.", details={"file": ["Format tidak diterima."]})
    return fmt


def sheet_names(path: Path, *, xlsx_max_uncompressed: int = convert.DEFAULT_XLSX_MAX_UNCOMPRESSED) -> list[str]:
    """The sheet names of a workbook, in order (``UnusableInput`` when it cannot be read)."""
    with _workbook(path, xlsx_max_uncompressed) as workbook:
        return list(workbook.sheetnames)


OVERVIEW_COLUMNS = 8  # columns of the top rows shown beside the header found


def workbook_overview(path: Path, *, sheet: str | None = None, header_row: int | None = None,
                      xlsx_max_uncompressed: int = convert.DEFAULT_XLSX_MAX_UNCOMPRESSED) -> dict[str, Any]:
    """What the upload form shows of a workbook before it is sent for good: its sheets, the one
    read (``sheet``, else the first), the header row found (or the one named) with its titles,
    and the top rows of the sheet down to a few under the header, so the producer sees which row
    was taken. ``UnusableInput`` when the workbook or that sheet cannot be read as a table."""
    checked = _check_xlsx(path, sheet, xlsx_max_uncompressed, None, header_row)
    with _workbook(path, xlsx_max_uncompressed) as workbook:
        ws = workbook[checked.sheet]
        ws.reset_dimensions()
        last = min(checked.header_row + 3, convert.HEADER_ROW_MAX)
        top = [[convert.cell_text(v) for v in values][:OVERVIEW_COLUMNS]
               for values in ws.iter_rows(min_row=1, max_row=last, values_only=True)]
    return {"sheets": checked.sheets, "sheet": checked.sheet, "header_row": checked.header_row,
            "header_rows": checked.header_rows,
            "header": checked.header, "rows": [{"number": i, "cells": cells} for i, cells in enumerate(top, start=1)]}


@contextmanager
def _workbook(path: Path, max_uncompressed: int) -> Iterator[Any]:
    """An XLSX workbook opened read-only (values, not formulas), after the ZIP checks; closed on
    leaving. ``UnusableInput`` with what to do when it cannot be read."""
    try:
        convert.check_zip(path, max_uncompressed=max_uncompressed)
    except convert.ConversionError as exc:
        raise _refuse(str(exc)) from exc
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise _refuse(f"Berkas XLSX tidak dapat dibaca ({type(exc).__name__}). Buka di Excel, simpan ulang "
                          "sebagai .xlsx, lalu unggah ulang.") from exc
        try:
            yield workbook
        finally:
            workbook.close()


def check_upload(path: Path, fmt: str, *, sheet: str | None = None, header_row: int | None = None,
                 xlsx_max_uncompressed: int = convert.DEFAULT_XLSX_MAX_UNCOMPRESSED,
                 max_columns: int | None = None, json_max_depth: int | None = None) -> UploadCheck:
    """Raise :class:`UnusableInput` (message in Bahasa Indonesia) unless ``path`` is readable as
    ``fmt``; tables must have a header row and at least one data row, at most ``max_columns``
    columns, and JSON at most ``json_max_depth`` levels of nesting (None: no such bound). A
    workbook's header is the row the producer named (``header_row``), else the one found."""
    fmt = fmt.upper()
    if path.stat().st_size == 0:
        raise _refuse("Berkas kosong (0 byte). Periksa bahwa berkas yang benar yang dipilih, lalu unggah ulang.")
    if fmt in ("CSV", "TSV"):
        return _check_text(path, fmt, max_columns)
    if fmt == "XLSX":
        return _check_xlsx(path, sheet, xlsx_max_uncompressed, max_columns, header_row)
    if fmt == "JSON":
        return _check_json(path, max_columns, json_max_depth)
    return UploadCheck(format=fmt)


def utf16_encoding(path: Path) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``path`` starts with a UTF-16 byte-order mark
    (Excel's "Unicode Text"), else None."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF32_LE):  # not UTF-16: the text check refuses it
        return None
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    return None


class _Utf8Text:
    """A UTF-16 file (after its byte-order mark) read as UTF-8 bytes, a chunk at a time."""

    def __init__(self, handle: io.BufferedReader, encoding: str) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._done = False

    def read(self, size: int = -1, /) -> bytes:
        while not self._done:
            chunk = self._handle.read(max(size, 64 * 1024) if size > 0 else -1)
            self._done = not chunk
            try:
                text = self._decoder.decode(chunk, final=self._done)
            except UnicodeDecodeError as exc:
                raise _refuse("Berkas ini teks UTF-16 (\"Teks Unicode\" dari Excel) tetapi isinya rusak dan tidak "
                              "dapat dibaca. Dari Excel pilih Simpan Sebagai → CSV UTF-8 (dipisahkan koma), lalu "
                              "unggah ulang.") from exc
            if text:
                return text.encode("utf-8")
        return b""


@contextmanager
def utf8_text(path: Path, encoding: str) -> Iterator[_Utf8Text]:
    """The text of the UTF-16 file ``path`` as a stream of UTF-8 bytes, without its byte-order
    mark (what the store keeps instead of the upload); a broken file is refused as it is read."""
    with path.open("rb") as handle:
        handle.read(2)
        yield _Utf8Text(handle, encoding)


def _refuse(message: str) -> UnusableInput:
    return UnusableInput(message, details={"file": [message]})


_SAVE_AS_UTF8 = "Dari Excel pilih Simpan Sebagai → CSV UTF-8 (dipisahkan koma), lalu unggah ulang."


def _check_text(path: Path, fmt: str, max_columns: int | None = None) -> UploadCheck:
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
        complete = not fh.read(1)
    if head.startswith(b"PK\x03\x04"):
        raise _refuse("Berkas ini arsip ZIP/XLSX yang diberi akhiran .csv. Unggah dengan akhiran .xlsx, "
                      "atau simpan dari Excel sebagai CSV UTF-8.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(head):
        raise _refuse("Berkas ini teks UTF-16 (\"Teks Unicode\" dari Excel), bukan CSV UTF-8. " + _SAVE_AS_UTF8)
    if b"\x00" in head:
        raise _refuse("Berkas bukan teks CSV (berisi data biner; mungkin PDF atau Excel yang diganti namanya). "
                      + _SAVE_AS_UTF8)
    text = _decode(head, complete)
    lines = [line for line in text.splitlines() if line.strip().strip(",;\t")]
    if not lines:
        raise _refuse("Berkas tidak berisi data: semua barisnya kosong.")
    if len(lines) == 1 and complete:
        raise _refuse("Berkas hanya berisi baris judul kolom, tanpa satu baris data pun. "
                      "Tambahkan datanya di bawah baris judul, lalu unggah ulang.")
    if max_columns is not None:
        width = _header_width(text, fmt)
        if width > max_columns:
            # A header row longer than the part read has at least the columns counted.
            raise _too_wide(width, max_columns, exact=complete or "\n" in text or "\r" in text)
    return UploadCheck(format=fmt, header=[lines[0]])


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    sample = head[:4096]
    if len(sample) < 8:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return min(evens.count(0), odds.count(0)) == 0 and max(evens.count(0), odds.count(0)) >= len(odds) * 0.9


def _header_width(text: str, fmt: str) -> int:
    """How many columns the header row has, the delimiter guessed as frictionless guesses it."""
    delimiter = "\t" if fmt == "TSV" else _guess_delimiter(text)
    try:
        return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except (StopIteration, csv.Error):
        return 0


def _guess_delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[:sample.rindex("\n") + 1]  # whole lines only, as the sniffer wants them
    try:
        return csv.Sniffer().sniff(sample, DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=first.count)  # a header too long to sniff: its commonest candidate


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _too_wide(width: int, limit: int, *, exact: bool = True) -> UnusableInput:
    count = _number(width) if exact else f"setidaknya {_number(width)}"
    return _refuse(f"Tabel ini punya {count} kolom, melebihi batas {_number(limit)} kolom per tabel. Pecah menjadi "
                   "beberapa tabel yang lebih sempit, atau ubah ke bentuk panjang (satu kolom berisi nama "
                   "variabel, satu kolom berisi nilainya), lalu unggah ulang.")


def _decode(head: bytes, complete: bool) -> str:
    """The head as text: UTF-8 (with or without BOM), else Windows-1252, as the engine reads it."""
    data = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    try:
        return data.decode("utf-8") if complete else codecs.getincrementaldecoder("utf-8")().decode(data)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _refuse("Enkode teks berkas tidak dikenali (bukan UTF-8 maupun Windows-1252). "
                      "Simpan ulang sebagai CSV UTF-8.") from exc


def _check_xlsx(path: Path, sheet: str | None, max_uncompressed: int, max_columns: int | None = None,
                header_row: int | None = None) -> UploadCheck:
    with _workbook(path, max_uncompressed) as workbook:
        names = list(workbook.sheetnames)
        if not names:
            raise _refuse("Berkas XLSX tidak berisi lembar kerja.")
        name = sheet or names[0]
        if name not in names:
            raise _refuse(f'Lembar "{sheet}" tidak ada di berkas ini. Lembar yang ada: {", ".join(names)}.')
        ws = workbook[name]
        ws.reset_dimensions()
        try:
            with zipfile.ZipFile(path) as archive:
                found = convert.sheet_layout(ws, archive, name, header_row)
                header_row, titles = found.row, found.titles
        except convert.ConversionError as exc:
            raise _refuse(str(exc)) from exc
        header = list(titles)
        while header and header[-1] == "":
            header.pop()
        if not header:
            raise _refuse(f'Lembar "{name}" kosong. Pilih lembar yang berisi tabel.')
        if max_columns is not None and len(header) > max_columns:
            raise _too_wide(len(header), max_columns)
        has_data = any(any(convert.cell_text(v) for v in values)
                       for values in ws.iter_rows(min_row=header_row + 1, max_row=header_row + 200,
                                                  values_only=True))
        if not has_data:
            raise _refuse(f'Lembar "{name}" hanya berisi baris judul kolom, tanpa data.')
    return UploadCheck(format="XLSX", sheets=names, sheet=name, header=header, header_row=header_row,
                       header_rows=found.rows)


def _check_json(path: Path, max_columns: int | None = None, max_depth: int | None = None) -> UploadCheck:
    """The first records must be objects (the validation job reads the rest, streamed), with
    at most ``max_columns`` keys among them; the text they come from is checked for nesting
    before it is parsed (Python's parser recurses)."""
    if max_depth is not None:
        from satudata.limits import JsonTooDeep, check_json_depth

        with path.open("rb") as fh:
            head = fh.read(JSON_HEAD_BYTES)
        try:
            check_json_depth(head, max_depth)
        except JsonTooDeep:
            raise _too_deep(max_depth) from None
    count = 0
    keys: dict[str, None] = {}
    try:
        for index, record in enumerate(convert._iter_json_array(path), start=1):
            if not isinstance(record, dict):
                raise _refuse(f"Elemen ke-{index} JSON bukan objek. Bentuk yang diterima: array record "
                              '[{"kolom": nilai, ...}, {"kolom": nilai, ...}].')
            keys.update(dict.fromkeys(map(str, record)))
            if max_columns is not None and len(keys) > max_columns:
                raise _too_wide(len(keys), max_columns, exact=False)
            count += 1
            if count >= JSON_RECORDS:
                break
    except convert.ConversionError as exc:
        raise _refuse(str(exc)) from exc
    except RecursionError:  # nested past what the parser can follow, beyond the text checked above
        raise _too_deep(max_depth) from None
    if count == 0:
        raise _refuse("JSON tidak berisi satu record pun (array kosong).")
    return UploadCheck(format="JSON", header=list(keys))


def _too_deep(limit: int | None) -> UnusableInput:
    bound = f"lebih dari {limit} tingkat" if limit is not None else "terlalu dalam"
    return _refuse(f"JSON ini bersarang {bound} (array atau objek di dalam array atau objek). Tabel JSON berupa "
                   'array record yang datar: [{"kolom": nilai, ...}, ...]; nilai boleh berisi objek atau array, '
                   f"tetapi seluruhnya paling banyak {limit or 64} tingkat. Ratakan datanya, lalu unggah ulang.")
