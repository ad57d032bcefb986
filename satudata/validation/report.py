"""A frictionless report as a clerk reads it: a summary, errors grouped by kind and column with
row numbers and the offending values, the first 1,000 errors one by one, and the cells to
highlight in the preview; and the raw rows of the uploaded file for that preview.

Row numbers are frictionless's (and the spreadsheet's): row 1 is the header, the first data row
is row 2.

The texts are in the language of the page being served (:func:`page_translation`), Bahasa
Indonesia anywhere else. Neither Flask nor Flask-Babel is imported here: the ``satudata
validate`` command loads this module without them.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from satudata.tabular import convert
from satudata.validation.messages import Translate, explain, summarise, untranslated

LISTED = 1000  # errors listed one by one on the page
ROWS_PER_GROUP = 30  # row numbers shown per group
VALUES_PER_GROUP = 12  # distinct offending values shown per group


@dataclass
class ErrorGroup:
    type: str
    judul: str
    field: str | None
    count: int = 0
    rows: list[int] = dc_field(default_factory=list)
    values: list[str] = dc_field(default_factory=list)
    masalah: str = ""
    perbaikan: str = ""

    @property
    def more_rows(self) -> int:
        return max(0, self.count - len(self.rows))


@dataclass
class Presented:
    valid: bool
    total: int
    truncated: bool
    by_type: list[dict[str, Any]]
    groups: list[ErrorGroup]
    listed: list[dict[str, Any]]
    table_errors: list[dict[str, Any]]  # not tied to a row: header, source, schema problems
    cells: dict[int, set[int | str]]  # row number -> field numbers (1-based) or names to highlight
    rows_with_errors: list[int]
    stats: dict[str, Any]


def page_translation() -> Translate:
    """``flask_babel.gettext`` while a request (or a ``force_locale`` block) gives a language,
    else the identity: the messages stay Bahasa Indonesia. Looks Flask-Babel up among the
    loaded modules rather than importing it, so the offline commands never load the web stack."""
    babel, flask = sys.modules.get("flask_babel"), sys.modules.get("flask")
    if babel is None or flask is None or not flask.has_app_context():
        return untranslated
    try:
        if babel.get_locale() is None:
            return untranslated
    except (RuntimeError, KeyError):  # no request to pick the language, or no Babel on the app
        return untranslated
    gettext: Translate = babel.gettext
    return gettext


def _errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for t in report.get("tasks") or [] for e in t.get("errors", [])] + list(report.get("errors") or [])


def present(report: dict[str, Any] | None, *, listed: int = LISTED,
            numbers: Mapping[str, tuple[str, str]] | None = None,
            translate: Translate | None = None) -> Presented | None:
    """The report page's view of ``report`` (None when there is no report yet). ``numbers``:
    the columns whose Table Schema writes numbers with separators (``catalog.written_numbers``),
    so the advice for them shows that way of writing. ``translate``: the gettext of the texts,
    by default :func:`page_translation`."""
    if not report:
        return None
    translate = translate or page_translation()
    errors = _errors(report)
    summary = summarise(report, translate)
    groups: dict[tuple[str, str | None], ErrorGroup] = {}
    cells: dict[int, set[int | str]] = {}
    listed_rows: list[dict[str, Any]] = []
    table_errors: list[dict[str, Any]] = []
    for error in errors:
        kind = str(error.get("type", "error"))
        field_name = error.get("fieldName")
        row = error.get("rowNumber")
        text = explain(error, (numbers or {}).get(str(field_name)), translate)
        if not isinstance(row, int):
            table_errors.append({**text, "type": kind, "field": field_name, "message": error.get("message", ""),
                                 "label": error.get("label")})
            continue
        key = (kind, field_name if kind != "foreign-key" else ",".join(error.get("fieldNames") or []) or field_name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ErrorGroup(type=kind, judul=text["judul"], field=key[1], masalah=text["masalah"],
                                             perbaikan=text["perbaikan"])
        group.count += 1
        if len(group.rows) < ROWS_PER_GROUP:
            group.rows.append(row)
        value = _offending(error)
        if value is not None and value not in group.values and len(group.values) < VALUES_PER_GROUP:
            group.values.append(value)
        marked = cells.setdefault(row, set())
        number = error.get("fieldNumber")
        if isinstance(number, int):
            marked.add(number)
        marked.update(str(n) for n in error.get("fieldNames") or [])  # foreign keys name their columns
        if len(listed_rows) < listed:
            listed_rows.append({"row": row, "field": field_name, "type": kind, "judul": text["judul"],
                                "masalah": text["masalah"], "perbaikan": text["perbaikan"],
                                "value": value, "message": error.get("message", "")})
    stats = ((report.get("tasks") or [{}])[0].get("stats") or {}) if report.get("tasks") else {}
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.type, g.field or ""))
    return Presented(valid=bool(report.get("valid")), total=len(errors), truncated=summary["truncated"],
                     by_type=summary["by_type"], groups=ordered, listed=listed_rows, table_errors=table_errors,
                     cells=cells, rows_with_errors=sorted(cells), stats=stats)


SAME_FAILURE_SHARE = 0.5  # of the data rows: past it the Table Schema is the likelier culprit


def same_failure(presented: Presented | None) -> ErrorGroup | None:
    """The error group that fails most rows of the table the same way (one type, one column),
    when it fails at least half of them (and three): a sign the Table Schema, not the file, is
    wrong, e.g. one inferred from an older file. ``None`` otherwise."""
    if presented is None or presented.valid or not presented.groups:
        return None
    rows = int(presented.stats.get("rows") or 0)
    top = max(presented.groups, key=lambda g: g.count)
    return top if top.count >= 3 and rows and top.count >= SAME_FAILURE_SHARE * rows else None


def _offending(error: dict[str, Any]) -> str | None:
    if "cell" in error:
        return str(error.get("cell", ""))
    if error.get("fieldCells"):
        return ", ".join(str(v) for v in error["fieldCells"])
    cells = error.get("cells")
    if isinstance(cells, list) and error.get("type") in ("primary-key", "unique-error", "duplicate-row"):
        return None
    return None


# --------------------------------------------------------------------------- raw rows


@dataclass
class RawRows:
    """Rows of the uploaded file as text: ``rows`` are ``(row number, cells)``."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    total: int | None = None  # data rows, when known


def raw_rows(path: Path, fmt: str, *, first_row: int = 2, count: int = 25, sheet: str | None = None,
             header_row: int | None = None) -> RawRows:
    """``count`` rows starting at row number ``first_row`` (2 = the first data row), as text.
    A workbook's rows are numbered as in the sheet, and its data starts under its header row
    (``header_row`` when the producer named it, else the one found under the title block).

    Raises ``ValueError`` when the file cannot be read as a table.
    """
    first_row = max(2, first_row)
    kind = fmt.lower()
    if kind in ("csv", "tsv"):
        return _csv_rows(path, first_row, count, tab=kind == "tsv")
    if kind == "xlsx":
        return _xlsx_rows(path, first_row, count, sheet, header_row)
    if kind == "json":
        return _json_rows(path, first_row, count)
    raise ValueError(f"not a table format: {fmt}")


def _text_stream(path: Path) -> io.TextIOWrapper:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        encoding = "cp1252"
    return io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="replace", newline="")


def _csv_rows(path: Path, first_row: int, count: int, *, tab: bool) -> RawRows:
    with _text_stream(path) as fh:
        sample = fh.read(1 << 15)
        fh.seek(0)
        delimiter = "\t" if tab else ","
        if not tab:
            with contextlib.suppress(csv.Error):
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader, [])
        rows = []
        number = 1
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # frictionless skips blank rows without counting them
            number += 1
            if number < first_row:
                continue
            rows.append((number, cells))
            if len(rows) >= count:
                break
    return RawRows(header=header, rows=rows)


def _xlsx_rows(path: Path, first_row: int, count: int, sheet: str | None, header_row: int | None = None) -> RawRows:
    convert.check_zip(path)
    from openpyxl import load_workbook

    with path.open("rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            ws = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook[workbook.sheetnames[0]]
            ws.reset_dimensions()
            archive = workbook._archive
            found, header = convert.sheet_header(ws, archive, ws.title, header_row)
            header = list(header)
            while header and header[-1] == "":
                header.pop()
            first_row = max(first_row, found + 1)  # not the title block above the table
            rows = [(number, [convert.cell_text(v) for v in values][: max(len(header), 1)])
                    for number, values in convert.filled_rows(ws, archive, min_row=first_row,
                                                               max_row=first_row + count - 1)]
        finally:
            workbook.close()
    return RawRows(header=header, rows=[r for r in rows if any(r[1])])


def _json_rows(path: Path, first_row: int, count: int) -> RawRows:
    keys: dict[str, None] = {}
    page: list[dict[str, Any]] = []
    for index, record in enumerate(convert._iter_json_array(path)):
        if not isinstance(record, dict):
            raise ValueError("JSON bukan array record")
        for key in record:
            keys.setdefault(str(key), None)
        number = index + 2
        if first_row <= number < first_row + count:
            page.append(record)
    header = list(keys)
    rows = [(first_row + i, [convert.cell_text(rec.get(k)) for k in header]) for i, rec in enumerate(page)]
    return RawRows(header=header, rows=rows)


def around(rows: list[int], page_size: int) -> int:
    """The first row number of the preview page that shows the first erroneous row."""
    if not rows:
        return 2
    first = rows[0]
    return 2 + ((first - 2) // page_size) * page_size


__all__ = ["ErrorGroup", "Presented", "RawRows", "around", "page_translation", "present", "raw_rows"]
