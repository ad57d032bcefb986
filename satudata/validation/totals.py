"""Totals rows: the "JUMLAH" line government spreadsheets put under (or between) their data.

A totals row is not data: every chart, API client and sum would count its figures twice. A row
is one when a text cell of it is a totals label ("JUMLAH", "Total", "Jumlah Total", "Sub
Total", "Grand Total", "Jml.", possibly followed by a few words: "Jumlah Kabupaten") *and*
its numbers are the sums of the data rows above it: of all of them, or of those since the
previous totals row (a subtotal per group). At least one number must be such a sum, and at
least half of the numbers the row has (an average or a percentage beside the sums is not).

This is the portal's own check, added to the report of either engine after validation
(``validate_csv``), so both engines still give one report: errors of type ``total-row``.
A file with no label at the start of a cell is passed over with one scan of its bytes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ERROR_TYPE = "total-row"
# A whole cell that is a totals label (Python ``re`` and Rust ``regex`` read it alike: the fast
# path looks for it in its batches, so a table without one is not read a second time).
LABEL_PATTERN = r"(?i)^\s*(?:jumlah|jml\.?|total|sub[\s-]?total|grand\s+total)(?:\s+[\w./()-]+){0,4}\s*:?\s*$"
_LABEL = re.compile(r"^(?:jumlah|jml\.?|total|sub[\s-]?total|grand\s+total)(?:\s+[\w./()-]+){0,4}\s*:?$", re.I)
# The same label at the start of a delimited cell of the raw file (for the quick scan).
_RAW_LABEL = re.compile(rb'(?im)(?:^|[,;\t|])[ \t]*"?[ \t]*(?:jumlah|jml\.?|total|sub[ -]?total|grand[ \t]+total)'
                        rb'(?:[ \t]+[^,;\t|\r\n"]{1,40})?[ \t]*:?"?[ \t]*(?:[,;\t|]|\r?$)')
SCAN_CHUNK = 1 << 20


@dataclass
class TotalRow:
    row_number: int
    label: str
    columns: list[str]  # the number columns holding sums
    cells: list[str] = field(default_factory=list)


_KEYWORDS = (b"jumlah", b"total", b"jml")


def _labelled_line(data: bytes, lowered: bytes) -> bool:
    """Whether a line of ``data`` holding a label word has it at the start of a cell."""
    for word in _KEYWORDS:
        pos = lowered.find(word)
        while pos != -1:
            start = data.rfind(b"\n", 0, pos) + 1
            end = data.find(b"\n", pos)
            end = len(data) if end == -1 else end
            if _RAW_LABEL.search(data[start:end]):
                return True
            pos = lowered.find(word, end)
    return False


def may_have_totals(path: Path) -> bool:
    """Whether some cell of the file (past its first line) starts with a totals label: one
    scan of the bytes for the label words (C speed), the exact pattern only on the lines that
    hold one, so a file without any is not read as a table a second time."""
    with path.open("rb") as fh:
        first = True
        tail = b""
        while chunk := fh.read(SCAN_CHUNK):
            data = tail + chunk
            if first:
                data = data.split(b"\n", 1)[1] if b"\n" in data else b""
                first = False
            cut = data.rfind(b"\n")
            whole, tail = (data, b"") if cut < 0 else (data[:cut], data[cut + 1:])
            if _labelled_line(whole, whole.lower()):
                return True
        return bool(tail) and _labelled_line(tail, tail.lower())


def _close(value: Decimal, total: Decimal) -> bool:
    return abs(value - total) <= max(abs(total) * Decimal("1e-6"), Decimal("0.005"))


def find(rows: Iterable[tuple[int, list[Any]]], labels: list[str], text_columns: list[int],
         number_readers: dict[int, Callable[[Any], Any]]) -> list[TotalRow]:
    """The totals rows among ``rows`` (``(row number, cells as read from the file)``, the
    header excluded). ``text_columns`` may hold a label; ``number_readers`` read the number
    columns (frictionless cell readers: ``(value, notes)``)."""
    found: list[TotalRow] = []
    overall = {i: Decimal(0) for i in number_readers}
    segment = {i: Decimal(0) for i in number_readers}
    for row_number, cells in rows:
        values: dict[int, Decimal] = {}
        for i, read in number_readers.items():
            if i < len(cells) and cells[i] not in (None, ""):
                value, notes = read(cells[i])
                if not notes and value is not None and not isinstance(value, bool):
                    with contextlib.suppress(ArithmeticError):
                        values[i] = Decimal(str(value))
        label = next((str(cells[i]).strip() for i in text_columns
                      if i < len(cells) and isinstance(cells[i], str) and _LABEL.match(cells[i].strip())), None)
        if label is not None and values:
            sums = [i for i, v in values.items()
                    if (segment[i] and _close(v, segment[i])) or (overall[i] and _close(v, overall[i]))]
            if sums and 2 * len(sums) >= len(values):
                found.append(TotalRow(row_number=row_number, label=label,
                                      columns=[labels[i] for i in sums], cells=[str(c) for c in cells]))
                segment = {i: Decimal(0) for i in number_readers}
                continue
        for i, v in values.items():
            overall[i] += v
            segment[i] += v
    return found


def error(row: TotalRow) -> dict[str, Any]:
    """The report error of one totals row, shaped as frictionless shapes a row error."""
    columns = ", ".join(row.columns)
    return {
        "type": ERROR_TYPE,
        "title": "Total Row",
        "description": "A row holds the totals of the rows above it, not data: whoever sums the column counts it twice.",
        "message": f'The row at position {row.row_number} is a totals row ("{row.label}"): its numbers are the '
                   f"sums of the rows above it ({columns})",
        "tags": ["#table", "#row"],
        "note": f'label "{row.label}"; sums in {columns}',
        "cells": row.cells,
        "rowNumber": row.row_number,
    }


def add_to_report(report: dict[str, Any], rows: list[TotalRow]) -> dict[str, Any]:
    """``report`` (a frictionless report dict of one task) with ``rows`` as errors, in row order."""
    if not rows or not report.get("tasks"):
        return report
    task = report["tasks"][0]
    errors = [*task.get("errors", []), *(error(r) for r in rows)]
    errors.sort(key=lambda e: e.get("rowNumber") or 0)  # stable: header errors first, a row's in order
    task["errors"] = errors
    task["valid"] = False
    task.setdefault("stats", {})["errors"] = int(task["stats"].get("errors") or 0) + len(rows)
    report["valid"] = False
    report.setdefault("stats", {})["errors"] = int(report["stats"].get("errors") or 0) + len(rows)
    return report


def check(make_resource: Callable[[], Any], path: Path, labelled: bool | None = None) -> list[TotalRow]:
    """The totals rows of the table ``make_resource()`` reads from ``path`` (with its Table
    Schema's number readers), or none when no cell is a label: ``labelled`` when the caller
    knows (the fast path looked in its batches), else a quick scan of the bytes."""
    if labelled is False or (labelled is None and not may_have_totals(path)):
        return []
    from frictionless import FrictionlessException

    try:
        with make_resource() as resource:
            fields = list(resource.schema.fields)
            labels = [f.name for f in fields]
            text_columns = [i for i, f in enumerate(fields) if f.type in ("string", "any")]
            number_readers = {i: f.create_cell_reader() for i, f in enumerate(fields)
                              if f.type in ("integer", "number")}
            if not text_columns or not number_readers:
                return []
            return find(((row.row_number, list(row.cells)) for row in resource.row_stream), labels, text_columns,
                        number_readers)
    except (FrictionlessException, UnicodeError, OSError):
        return []  # what cannot be read is the engines' to report
