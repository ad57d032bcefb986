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
    header_rows: tuple[int, ...] = (1,)  # every header row, top to bottom (a group title row over it)


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


def merged_ranges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet as ``(first column, first row, last column, last row)``,
    1-based, read from the sheet's XML without loading it."""
    found: set[tuple[int, int, int, int]] = set()
    tail = b""
    with archive.open(member) as src:
        while chunk := src.read(1 << 20):
            data = tail + chunk
            for m in _MERGE.finditer(data):
                top = int(m.group(2))
                left = _column_number(m.group(1))
                right = _column_number(m.group(3)) if m.group(3) else left
                bottom = int(m.group(4)) if m.group(4) else top
                found.add((left, top, right, bottom))
            tail = data[-200:]
    return sorted(found, key=lambda r: (r[1], r[0]))


def _letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def merged_across(archive: zipfile.ZipFile, member: str, row: int) -> list[str]:
    """Merged ranges spanning two or more columns of sheet row ``row``, as ``C5:D5`` strings.
    (A range merged down a column through the header, "No" over two header rows, is fine: its
    text stands in its top cell, which the header takes.)"""
    return sorted(f"{_letters(left)}{top}:{_letters(right)}{bottom}"
                  for left, top, right, bottom in merged_ranges(archive, member)
                  if right > left and top <= row <= bottom)


class MergeFiller:
    """Fills the cells of merged ranges with the range's top-left value, row by row, as
    frictionless does with ``excel.fillMergedCells`` (the dialect the portal writes for every
    workbook): a kecamatan merged down over its desa rows is then named on every row, and a
    group title merged across "Laki-laki | Perempuan" stands over both."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        self._pending = list(reversed(ranges))  # by first row; popped as rows are reached
        self._active: list[tuple[tuple[int, int, int, int], Any]] = []

    def __bool__(self) -> bool:
        return bool(self._pending or self._active)

    def start_for(self, row: int) -> int:
        """The first row to read for filled rows from ``row`` on: the top of any merged range
        reaching it (its value is in that top row)."""
        return min([row, *(top for _left, top, _right, bottom in self._pending if bottom >= row)])

    def fill(self, number: int, values: tuple[Any, ...] | list[Any]) -> list[Any]:
        """Row ``number`` (1-based; rows must come in order, none skipped past a range's top)."""
        cells = list(values)
        while self._pending and self._pending[-1][1] <= number:
            area = self._pending.pop()
            left = area[0]
            self._active.append((area, cells[left - 1] if area[1] == number and left <= len(cells) else None))
        if not self._active:
            return cells
        still = []
        for area, value in self._active:
            left, _top, right, bottom = area
            if number > bottom:
                continue
            still.append((area, value))
            if len(cells) < right:
                cells.extend([None] * (right - len(cells)))
            for col in range(left - 1, right):
                cells[col] = value
        self._active = still
        return cells


def _fillers(ws: Any, archive: zipfile.ZipFile | None, max_col: int | None = None) -> MergeFiller:
    member = getattr(ws, "_worksheet_path", None)
    if archive is None or not member:
        return MergeFiller([])
    ranges = merged_ranges(archive, member)
    if max_col is not None:  # a merge out to column XFD would fill 16,384 cells a row
        ranges = [(left, top, min(right, max_col), bottom) for left, top, right, bottom in ranges if left <= max_col]
    return MergeFiller(ranges)


HEADER_SCAN_ROWS = 60  # a title block is rarely longer; the header is looked for among these


def _filled(values: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [v for v in values if cell_text(v).strip() != ""]


def _text_only(values: tuple[Any, ...] | list[Any]) -> bool:
    filled = _filled(values)
    return bool(filled) and all(isinstance(v, str) for v in filled)


def find_header(rows: list[tuple[Any, ...]], filled: list[list[Any]] | None = None) -> tuple[list[int], list[str]]:
    """The column titles among the first rows of a sheet (typed cell values): ``(indices of the
    header rows, top to bottom, their titles)``.

    Government spreadsheets put a title block above the table ("REKAPITULASI ...", merged
    across the top, a source line, blank rows) and often a header of two rows (a group title
    over "Laki-laki | Perempuan"). The header is the last row of text cells wide enough to be
    one (at least two, and half as many as the widest row) before the first row holding a
    number or a date, with the narrower text rows under it; without any such row, the first wide
    row of text. Wide text rows right above it belong to the header while they give a title to a
    column that has none yet. ``filled``: the same rows with merged cells filled
    (:class:`MergeFiller`); the titles are joined from them as frictionless joins header rows.
    """
    widths = [len(_filled(r)) for r in rows]
    widest = max(widths, default=0)
    if widest == 0:
        return [0], []
    need = max(2, -(-widest // 2)) if widest >= 2 else 1

    def texty(i: int) -> bool:
        return widths[i] >= need and all(isinstance(v, str) for v in _filled(rows[i]))

    first_data = next((i for i, r in enumerate(rows)
                       if widths[i] >= need and any(isinstance(v, int | float | date | time) and not isinstance(v, bool)
                                                    for v in r)), None)
    candidates = [i for i in range(first_data if first_data is not None else len(rows)) if texty(i)]
    if not candidates:
        return [0], joined_titles(rows, [0], filled)
    start = candidates[-1] if first_data is not None else candidates[0]
    header = start
    # A second header row under it ("Laki-laki | Perempuan" under a merged "Jenis Kelamin")
    # is narrower: text only, up to the first row of data.
    while first_data is not None and header + 1 < first_data and widths[header + 1] \
            and _text_only(rows[header + 1]):
        header += 1
    top = start
    while top > 0 and texty(top - 1) and _gives_a_title(rows, top - 1, range(top, header + 1)):
        top -= 1
    span = list(range(top, header + 1))
    return span, joined_titles(rows, span, filled)


def _gives_a_title(rows: list[tuple[Any, ...]], above: int, span: range) -> bool:
    """Whether row ``above`` has text over a column the ``span`` rows leave untitled."""
    width = max(len(rows[i]) for i in span)
    for col, value in enumerate(rows[above][:width]):
        if cell_text(value).strip() and not any(
                col < len(rows[i]) and cell_text(rows[i][col]).strip() for i in span):
            return True
    return False


def joined_titles(rows: list[tuple[Any, ...]], span: list[int], filled: list[list[Any]] | None = None) -> list[str]:
    """The titles of header rows ``span``, joined column by column exactly as frictionless joins
    ``headerRows`` (``headerJoin`` " "; a cell equal to the one above it is not repeated), from
    the rows with merged cells filled when known. One row: its cells as they are."""
    source = filled if filled is not None else rows
    labels: list[str] = []
    previous: dict[int, str] = {}
    for i in span:
        for col, value in enumerate(source[i]):
            cell = cell_text(value).strip()
            if previous.get(col) == cell:
                continue
            previous[col] = cell
            if len(labels) <= col:
                labels.extend([""] * (col - len(labels)))
                labels.append(cell)
                continue
            labels[col] = " ".join([labels[col], cell])
    while labels and labels[-1] == "":
        labels.pop()
    return labels


HEADER_ROW_MAX = 500  # the furthest row a producer may name as the header


def named_header(rows: list[tuple[Any, ...]], index: int, filled: list[list[Any]] | None = None) -> tuple[list[int], list[str]]:
    """The header rows and titles when the producer named row ``index`` (0-based): that row, and
    the text-only row right above it when it titles a column the named row leaves blank (a group
    title over "Laki-laki | Perempuan")."""
    span = [index]
    if index > 0 and _text_only(rows[index - 1]) and len(_filled(rows[index - 1])) >= 2 \
            and _gives_a_title(rows, index - 1, range(index, index + 1)):
        span = [index - 1, index]
    return span, joined_titles(rows, span, filled)


@dataclass(frozen=True)
class SheetHeader:
    """Where a worksheet's table starts: ``rows`` the 1-based header rows (the last is ``row``,
    data follows it) and the column ``titles`` read from them."""

    rows: list[int]
    titles: list[str]

    @property
    def row(self) -> int:
        return self.rows[-1]


def sheet_layout(ws: Any, archive: zipfile.ZipFile | None, name: str,
                 header_row: int | None = None) -> SheetHeader:
    """The header of a worksheet: the row the producer named (1-based ``header_row``), else the
    one :func:`find_header` finds. A header whose last row has cells merged across columns
    cannot name each column, so it is refused with what to do."""
    if header_row is not None and not 1 <= header_row <= HEADER_ROW_MAX:
        raise ConversionError(f"Baris judul kolom harus antara 1 dan {HEADER_ROW_MAX}.")
    top = list(ws.iter_rows(max_row=max(HEADER_SCAN_ROWS, header_row or 0), values_only=True))
    filler = _fillers(ws, archive)
    filled = [filler.fill(n, values) for n, values in enumerate(top, start=1)] if filler else None
    if header_row is None:
        span, titles = find_header(top, filled)
    else:
        if header_row > len(top) or not _filled(top[header_row - 1]):
            raise ConversionError(f'Baris {header_row} lembar "{name}" kosong; pilih baris yang berisi judul kolom.')
        span, titles = named_header(top, header_row - 1, filled)
    header = SheetHeader(rows=[i + 1 for i in span], titles=titles)
    member = getattr(ws, "_worksheet_path", None)
    if archive is not None and member and titles:
        merged = merged_across(archive, member, header.row)
        if merged:
            raise ConversionError(
                f"Baris judul kolom (baris {header.row}) lembar \"{name}\" memakai sel gabungan "
                f"({', '.join(merged)}). Setiap kolom harus punya judul sendiri di satu sel: pisahkan sel "
                "gabungan itu, atau pilih baris judul yang lain, lalu periksa lagi.")
    return header


def sheet_header(ws: Any, archive: zipfile.ZipFile | None, name: str,
                 header_row: int | None = None) -> tuple[int, list[str]]:
    """``(header row, titles)`` of a worksheet (:func:`sheet_layout`)."""
    header = sheet_layout(ws, archive, name, header_row)
    return header.row, header.titles


def filled_rows(ws: Any, archive: zipfile.ZipFile | None, min_row: int = 1,
                max_row: int | None = None, max_col: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    """``(row number, values)`` of a worksheet from ``min_row``, merged cells filled (only up to
    column ``max_col`` when given: a reader that looks no further need not fill further)."""
    filler = _fillers(ws, archive, max_col)
    start = filler.start_for(min_row)
    for number, values in enumerate(ws.iter_rows(min_row=start, max_row=max_row, max_col=max_col, values_only=True),
                                    start=start):
        cells = filler.fill(number, values) if filler else list(values)
        if number >= min_row:
            yield number, cells


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
        header = sheet_layout(ws, workbook._archive, name, header_row)
        rows = _sheet_rows(ws, header.row, header.titles, workbook._archive)
        count = _write_rows(dst, rows)
    finally:
        workbook.close()
        handle.close()
    return Converted(path=dst, rows=count, sheet=name, header_row=header.row, header_rows=tuple(header.rows))


def _sheet_rows(ws: Any, header_row: int = 1, titles: list[str] | None = None,
                archive: zipfile.ZipFile | None = None) -> Iterator[list[str]]:
    """Rows as text from the header row on (its ``titles`` as :func:`find_header` read them),
    merged cells filled, trimmed to the header's width (cells past it only if they hold data);
    trailing empty rows (formatting left-overs) are dropped."""
    width: int | None = None
    pending_empty = 0
    for _number, values in filled_rows(ws, archive, min_row=header_row):
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
