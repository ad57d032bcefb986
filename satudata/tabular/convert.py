"""Turning XLSX and JSON uploads into the one table form every engine reads: a UTF-8 CSV.

Both engines then validate the same CSV, so a spreadsheet and the CSV exported from it give
the same report, and row numbers are the spreadsheet's (row 1 is the header).

Cell text, the same for both formats:

- empty / ``null`` -> empty cell; text as is; ``true``/``false`` for booleans;
- whole numbers without a decimal point (Excel stores 5 as 5.0); other numbers in Python's
  shortest form (``0.1``);
- dates ``YYYY-MM-DD``, date-times ``YYYY-MM-DDTHH:MM:SS``, times ``HH:MM:SS``;
- nested JSON values (objects, arrays) as JSON text.

Refused with :class:`ConversionError` (a clear message for the clerk): an XLSX that is not a
ZIP, whose uncompressed size is unreasonable (a ZIP bomb), whose header row has merged
cells, or that has no such sheet; a JSON file that is not an array of objects.
"""

from __future__ import annotations

import csv
import json
import math
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO

DEFAULT_XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # 1 GiB of XML
XLSX_MAX_RATIO = 100  # uncompressed/compressed, for members above XLSX_RATIO_FLOOR
XLSX_RATIO_FLOOR = 10 * 1024 * 1024
XLSX_MAX_MEMBERS = 10_000
JSON_CHUNK = 1 << 20


class ConversionError(ValueError):
    """The upload cannot be read as a table; the message says why, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Converted:
    """What a conversion produced."""

    path: Path
    rows: int  # data rows written (without the header)
    sheet: str | None = None
    header_row: int = 1  # the sheet row holding the column titles (rows above it: a title block)


def cell_text(value: Any) -> str:
    """The CSV text of one spreadsheet or JSON value (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _writer(fh: TextIO) -> Any:
    return csv.writer(fh, lineterminator="\n")


# --------------------------------------------------------------------------- XLSX

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def check_zip(path: Path, *, max_uncompressed: int = DEFAULT_XLSX_MAX_UNCOMPRESSED) -> None:
    """Refuse a ZIP whose declared uncompressed size or compression ratio is unreasonable.

    ``zipfile`` never inflates a member past its declared size, so the declared sizes bound
    what reading the workbook can cost.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ConversionError("Berkas bukan XLSX yang sah (bukan arsip ZIP Excel).") from exc
    if len(infos) > XLSX_MAX_MEMBERS:
        raise ConversionError("Berkas XLSX berisi terlalu banyak bagian; simpan ulang dari Excel.")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        raise ConversionError(
            f"Isi XLSX terlalu besar setelah dibuka ({total // (1024 * 1024)} MB, batas "
            f"{max_uncompressed // (1024 * 1024)} MB). Kemungkinan berkas rusak atau 'ZIP bomb'; "
            "simpan sebagai CSV atau pecah menjadi beberapa berkas."
        )
    for info in infos:
        if info.file_size > XLSX_RATIO_FLOOR and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
            raise ConversionError(
                "Berkas XLSX mencurigakan: rasio kompresinya tidak wajar ('ZIP bomb'). "
                "Simpan ulang dari Excel atau unggah sebagai CSV."
            )


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def merged_across(archive: zipfile.ZipFile, member: str, row: int) -> list[str]:
    """Merged ranges spanning two or more columns of sheet row ``row``, as ``C5:D5`` strings.
    (A range merged down a column through the header, "No" over two header rows, is fine: its
    text stands in its top cell, which the header takes.)"""
    found: list[str] = []
    tail = b""
    with archive.open(member) as src:
        while chunk := src.read(1 << 20):
            data = tail + chunk
            for m in _MERGE.finditer(data):
                top = int(m.group(2))
                bottom = int(m.group(4)) if m.group(4) else top
                if m.group(3) and m.group(3) != m.group(1) and top <= row <= bottom:
                    found.append(f"{m.group(1).decode()}{top}:{m.group(3).decode()}{bottom}")
            tail = data[-200:]
    return sorted(set(found))


HEADER_SCAN_ROWS = 60  # a title block is rarely longer; the header is looked for among these


def _filled(values: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [v for v in values if cell_text(v).strip() != ""]


def find_header(rows: list[tuple[Any, ...]]) -> tuple[int, list[str]]:
    """The column titles among the first rows of a sheet (typed cell values): ``(index of the
    header row, its titles)``.

    Government spreadsheets put a title block above the table ("REKAPITULASI ...", merged
    across the top, a source line, blank rows) and often a header of two rows (a group title
    over "Laki-laki | Perempuan"). The header is the last row of text cells wide enough to be
    one (at least two, and half as many as the widest row) before the first row holding a
    number or a date; without any such row, the first wide row of text. A blank title in it is
    taken from the header rows right above (a title merged down over both rows).
    """
    widths = [len(_filled(r)) for r in rows]
    widest = max(widths, default=0)
    if widest == 0:
        return 0, []
    need = max(2, -(-widest // 2)) if widest >= 2 else 1

    def texty(i: int) -> bool:
        return widths[i] >= need and all(isinstance(v, str) for v in _filled(rows[i]))

    first_data = next((i for i, r in enumerate(rows)
                       if widths[i] >= need and any(isinstance(v, int | float | date | time) and not isinstance(v, bool)
                                                    for v in r)), None)
    candidates = [i for i in range(first_data if first_data is not None else len(rows)) if texty(i)]
    if not candidates:
        return 0, [cell_text(v) for v in rows[0]]
    start = candidates[-1] if first_data is not None else candidates[0]
    header = start
    # A second header row under it ("Laki-laki | Perempuan" under a merged "Jenis Kelamin")
    # is narrower: text only, up to the first row of data.
    while first_data is not None and header + 1 < first_data and widths[header + 1] \
            and all(isinstance(v, str) for v in _filled(rows[header + 1])):
        header += 1
    return header, _titles(rows, header, start, texty)


def _titles(rows: list[tuple[Any, ...]], header: int, start: int, texty: Any) -> list[str]:
    """The titles of row ``header``; a blank one is taken from the header rows above it (from
    ``start``, and further up while rows are ``texty``): a title merged down over two rows."""
    titles = [cell_text(v).strip() for v in rows[header]]
    above = header - 1
    while above >= 0 and (above >= start or texty(above)):
        for col, value in enumerate(rows[above]):
            if col < len(titles) and not titles[col] and cell_text(value).strip():
                titles[col] = cell_text(value).strip()
            elif col >= len(titles) and cell_text(value).strip():
                titles.extend([""] * (col - len(titles)) + [cell_text(value).strip()])
        above -= 1
    return titles


HEADER_ROW_MAX = 500  # the furthest row a producer may name as the header


def named_header(rows: list[tuple[Any, ...]], index: int) -> list[str]:
    """The titles of the row the producer named as the header (0-based ``index``), blanks filled
    from the text-only row right above it (a group title over "Laki-laki | Perempuan")."""
    def text_only(i: int) -> bool:
        filled = _filled(rows[i])
        return bool(filled) and all(isinstance(v, str) for v in filled)

    return _titles(rows, index, index, lambda i: i == index - 1 and text_only(i))


def sheet_header(ws: Any, archive: zipfile.ZipFile | None, name: str,
                 header_row: int | None = None) -> tuple[int, list[str]]:
    """``(header row, titles)`` of a worksheet: the row the producer named (1-based
    ``header_row``), else the one :func:`find_header` finds. A header whose titles sit in cells
    merged across columns cannot name each column, so it is refused with what to do."""
    if header_row is not None and not 1 <= header_row <= HEADER_ROW_MAX:
        raise ConversionError(f"Baris judul kolom harus antara 1 dan {HEADER_ROW_MAX}.")
    top = list(ws.iter_rows(max_row=max(HEADER_SCAN_ROWS, header_row or 0), values_only=True))
    if header_row is None:
        index, titles = find_header(top)
        header_row = index + 1
    else:
        if header_row > len(top) or not _filled(top[header_row - 1]):
            raise ConversionError(f'Baris {header_row} lembar "{name}" kosong; pilih baris yang berisi judul kolom.')
        titles = named_header(top, header_row - 1)
    member = getattr(ws, "_worksheet_path", None)
    if archive is not None and member and titles:
        merged = merged_across(archive, member, header_row)
        if merged:
            raise ConversionError(
                f"Baris judul kolom (baris {header_row}) lembar \"{name}\" memakai sel gabungan "
                f"({', '.join(merged)}). Setiap kolom harus punya judul sendiri di satu sel: pisahkan sel "
                "gabungan itu, atau pilih baris judul yang lain, lalu periksa lagi.")
    return header_row, titles


def xlsx_to_csv(src: Path, dst: Path, *, sheet: str | int | None = None,
                max_uncompressed: int = DEFAULT_XLSX_MAX_UNCOMPRESSED, header_row: int | None = None) -> Converted:
    """Write one sheet of an XLSX workbook (the first, or ``sheet`` by name or 1-based number)
    from its header row on: ``header_row`` (1-based) when the producer named it, else the one
    :func:`find_header` finds under a title block."""
    check_zip(src, max_uncompressed=max_uncompressed)
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl judges a path by its extension, and stored files
    # have none.
    handle = src.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        handle.close()
        raise ConversionError(f"Berkas XLSX tidak dapat dibaca: {exc}") from exc
    try:
        names = workbook.sheetnames
        if not names:
            raise ConversionError("Berkas XLSX tidak berisi lembar kerja.")
        if sheet is None:
            name = names[0]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
            number = int(sheet)
            if not 1 <= number <= len(names):
                raise ConversionError(f"Lembar ke-{number} tidak ada; berkas ini punya {len(names)} lembar.")
            name = names[number - 1]
        elif sheet in names:
            name = sheet
        else:
            raise ConversionError(f'Lembar "{sheet}" tidak ada. Lembar yang ada: {", ".join(names)}.')
        ws = workbook[name]
        ws.reset_dimensions()
        header_row, titles = sheet_header(ws, workbook._archive, name, header_row)
        rows = _sheet_rows(ws, header_row, titles)
        count = _write_rows(dst, rows)
    finally:
        workbook.close()
        handle.close()
    return Converted(path=dst, rows=count, sheet=name, header_row=header_row)


def _sheet_rows(ws: Any, header_row: int = 1, titles: list[str] | None = None) -> Iterator[list[str]]:
    """Rows as text from the header row on (its ``titles`` as :func:`find_header` read them),
    trimmed to the header's width (cells past it only if they hold data); trailing empty rows
    (formatting left-overs) are dropped."""
    width: int | None = None
    pending_empty = 0
    for values in ws.iter_rows(min_row=header_row, values_only=True):
        cells = [cell_text(v) for v in values]
        if width is None and titles is not None:
            cells = list(titles)
        if width is None:
            while cells and cells[-1] == "":
                cells.pop()
            width = len(cells)
            if width == 0:
                raise ConversionError(f"Baris {header_row} lembar kerja kosong; baris itu harus berisi judul kolom.")
            yield cells
            continue
        while len(cells) > width and cells[-1] == "":
            cells.pop()
        if not any(cells):
            pending_empty += 1
            continue
        for _ in range(pending_empty):
            yield [""] * width
        pending_empty = 0
        yield cells + [""] * (width - len(cells))
    if width is None:
        raise ConversionError("Lembar kerja kosong.")


def _write_rows(dst: Path, rows: Iterator[list[str]]) -> int:
    count = -1
    with dst.open("w", encoding="utf-8", newline="") as fh:
        writer = _writer(fh)
        for cells in rows:
            writer.writerow(cells)
            count += 1
    return max(count, 0)


# --------------------------------------------------------------------------- JSON

def _iter_json_array(path: Path) -> Iterator[Any]:
    """The elements of a top-level JSON array, read incrementally (bounded memory)."""
    decoder = json.JSONDecoder()
    with path.open("r", encoding="utf-8-sig") as fh:
        buf = ""
        pos = 0
        eof = False

        def fill() -> bool:
            nonlocal buf, pos, eof
            chunk = fh.read(JSON_CHUNK)
            if not chunk:
                eof = True
                return False
            buf = buf[pos:] + chunk
            pos = 0
            return True

        def skip_ws() -> str:
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf):
                    return buf[pos]
                if not fill():
                    return ""

        try:
            first = skip_ws()
            if first == "{":
                raise ConversionError(
                    "JSON berupa satu objek, bukan array record. Bentuk yang diterima: "
                    '[{"kolom": nilai, ...}, {"kolom": nilai, ...}].'
                )
            if first != "[":
                raise ConversionError("Berkas bukan JSON array record (harus diawali dengan '[').")
            pos += 1
            index = 0
            while True:
                ch = skip_ws()
                if ch == "]" and index == 0:
                    return
                if ch == "":
                    raise ConversionError("JSON terpotong: array tidak ditutup dengan ']'.")
                while True:
                    try:
                        value, end = decoder.raw_decode(buf, pos)
                    except json.JSONDecodeError as exc:
                        if not eof and fill():
                            continue
                        raise ConversionError(f"JSON tidak valid pada elemen ke-{index + 1}: {exc.msg}.") from exc
                    if end >= len(buf) and not eof and fill():
                        continue  # the value may go on in the next chunk
                    break
                pos = end
                index += 1
                yield value
                ch = skip_ws()
                if ch == ",":
                    pos += 1
                    continue
                if ch == "]":
                    return
                raise ConversionError(f"JSON tidak valid setelah elemen ke-{index}: diharapkan ',' atau ']'.")
        except UnicodeDecodeError as exc:
            raise ConversionError("Berkas JSON harus berenkode UTF-8.") from exc


def json_to_csv(src: Path, dst: Path) -> Converted:
    """Write a JSON array of records as CSV: the columns are every key, in first-seen order."""
    keys: dict[str, None] = {}
    count = 0
    for index, record in enumerate(_iter_json_array(src), start=1):
        if not isinstance(record, dict):
            kind = {list: "array", str: "teks", bool: "boolean", type(None): "null"}.get(type(record), "angka")
            raise ConversionError(
                f"Elemen ke-{index} JSON berupa {kind}, bukan objek. Setiap elemen harus berupa record "
                '{"kolom": nilai, ...}.'
            )
        for key in record:
            keys.setdefault(str(key), None)
        count += 1
    if count == 0:
        raise ConversionError("JSON tidak berisi satu record pun.")
    if not keys:
        raise ConversionError("Record JSON tidak punya satu kolom pun.")
    columns = list(keys)

    def rows() -> Iterator[list[str]]:
        yield columns
        for record in _iter_json_array(src):
            yield [cell_text(record.get(c)) for c in columns]

    _write_rows(dst, rows())
    return Converted(path=dst, rows=count)
