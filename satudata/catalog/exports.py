"""Downloads of validated tables as CSV (UTF-8), XLSX and JSON, converted on demand and cached.

:func:`export_resource` turns a valid stored table (CSV/TSV in any encoding and delimiter
frictionless detects, an XLSX sheet, JSON records) into one of three normalised forms and
returns the path of the result:

- **CSV**: UTF-8 *without* a byte-order mark, comma-delimited, RFC 4180 (minimal quoting, CRLF
  line ends), header row; every value is the source's text, unchanged. It is read from the
  stored file (the one reader of upload text here), and it is also what the datastore's typed
  copy is written from when the stored file is not already plain UTF-8 comma CSV
  (:func:`plain_csv`). No BOM because the CSV
  is the machine format (pandas, R, PostgreSQL ``COPY``, CKAN tools keep a BOM as part of the
  first column name), and a BOM would not rescue Excel users here anyway: Excel with
  Indonesian regional settings separates a CSV on ``;``, not ``,``, so a double-clicked comma
  CSV lands in one column with or without a BOM. Excel users get the XLSX, and the page says so.

The JSON and the XLSX are written from the **datastore's typed copy** (the reader the datastore
installs, ``tables.reader().rows``), so a download holds exactly the values the previews, charts
and the data API show, typed by the Table Schema once, when the copy was written:

- **JSON**: an array of records, keys in column order. integer/year -> number, number -> number
  (the copy's double, in its shortest exact form: what every JSON parser reads anyway; the CSV
  keeps the source's digits), boolean -> true/false, object/array -> JSON, date/datetime/time
  -> ISO 8601 text, missing values -> ``null``; other types keep their text.
- **XLSX** (XlsxWriter, constant-memory mode): one sheet "Data", bold frozen header, typed
  cells per the Table Schema. It is safe from formula injection: every
  text value is written with ``write_string`` as a true string cell (``t="inlineStr"``),
  never a formula, so ``=HYPERLINK(...)``, ``+1``, ``-2+3`` or ``@SUM(A1)`` stay exactly
  that text and Excel never evaluates them. Control characters XML cannot hold, and CR (which
  XML would turn into LF), get the OOXML ``_xHHHH_`` escape Excel itself writes, so Excel
  shows the original text. Integers of 16 digits and more (NIK, NPWP) are written as text:
  Excel keeps 15 significant digits. Dates before 1900 and values with a time zone, which
  Excel cannot store, are ISO text. A table past Excel's limits (1,048,576 rows, 16,384
  columns, 32,767 characters in a cell) is refused with a message pointing to the CSV,
  rather than cut short. (XlsxWriter rather than openpyxl's write-only mode: three times
  faster on big tables, a fifth of the memory, and an explicit string-cell call instead of
  overriding a cell's guessed type.)

CSV and JSON are not "defused" against CSV injection: OWASP's remedy (prefixing ``'``) alters
the data, and an open-data portal must publish values exactly. The format meant for Excel is
the XLSX, which is made safe without changing a value.

Only stored tabular resources whose validation passed (``validation_status == valid``) are
exported: typed values are only trustworthy for a table that matched its Table Schema. The
public only sees published datasets, whose tables are validated before publication.

**Cache.** Results live under ``<STORAGE_PATH>/exports/<sha256>-<fingerprint>.<ext>``. The
fingerprint covers the Table Schema (resolved, so a ``schema_ref`` counts by content), the
source format, the XLSX sheet and :data:`EXPORT_VERSION`, so a re-upload, a changed schema or
another sheet gives a new file and a stale one is never served. A result is written to a
temporary file and renamed into place, so no request ever reads a half-written file; a lock
per result makes a second concurrent request wait for the first instead of converting again.

**A build killed midway** (SIGKILL, the OOM killer, a job timeout) blocks nothing and corrupts
nothing. The lock is an ``flock`` on ``tmp/<result>.lock``: the kernel releases it with the
process, and the lock file left behind is reused as it is. Everything a build writes (the
result before its rename, the converted source of an XLSX or JSON table, XlsxWriter's
temporary files) lives in its own folder ``tmp/<result>.build/``, which the next build of the
same result clears first (it holds the lock, so no live build owns that folder), and which
:func:`sweep_leftovers` removes when no build holds its lock. The periodic
``satudata.catalog.tasks.sweep_exports`` builds again what is missing. A conversion that fails
for good (a table past Excel's limits, text that does not read as a table) leaves a marker
``failed/<result>``, so the sweep does not retry it every period; a download request still
tries it (and says why it fails).

**Disk use.** Each exported table costs about its CSV size again for the CSV, two to three times
that for the JSON (keys repeat in every record) and a third to a half of it for the XLSX
(compressed). Files of replaced uploads or old schemas are not removed automatically; the whole
``exports/`` folder may be deleted at any time (also while the portal runs): what is asked for
again is rebuilt. Conversion streams row by row, so memory stays flat for big files; a large
table (hundreds of MB) takes minutes, above all as XLSX.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import logging
import math
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from flask import current_app
from slugify import slugify

from satudata.catalog.models import Resource, ValidationStatus
from satudata.catalog.storage import get_store
from satudata.errors import Conflict, DomainError, NotFound
from satudata.tabular import convert
from satudata.tabular.schema import UnusableInput, resolve_schema

try:  # a lock is an optimisation (no double work); correctness comes from the atomic rename
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Bump when the output of a format changes, so cached files of the old shape are not served.
EXPORT_VERSION = 2  # 2: JSON and XLSX read from the datastore's typed copy
EXPORTS_DIR = "exports"
XLSX_SHEET = "Data"
XLSX_MAX_ROWS = 1_048_576  # including the header
XLSX_MAX_COLUMNS = 16_384
XLSX_MAX_CELL_CHARS = 32_767
EXCEL_MAX_EXACT_INT = 10**15  # Excel keeps 15 significant digits
SOURCE_FORMATS = ("CSV", "TSV", "XLSX", "JSON")
CSV_FIELD_SIZE_LIMIT = 2**31 - 2  # frictionless's own


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    mimetype: str


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "csv", "text/csv"),
    "xlsx": ExportFormat("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ExportFormat("json", "json", "application/json"),
}


class ExportFormatUnknownError(NotFound):
    """A download format other than csv, xlsx or json was asked for."""


class ResourceNotTabularError(NotFound):
    """The resource is a document or a link, not a stored table: there is nothing to convert."""


class ResourceNotValidatedError(Conflict):
    """The table has not passed validation, so its values cannot be typed with confidence."""


class ExportFailedError(Conflict):
    """The stored table could not be converted (the message says why and what to do instead;
    ``reason`` is the why alone)."""

    def __init__(self, message: str, *, reason: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reason = reason


def download_name(resource: Resource, fmt: str, fallback: str = "tabel") -> str:
    """The file name offered for an export: the resource name as a slug plus the extension."""
    name = re.sub(r"\.(csv|tsv|xlsx|xls|json)$", "", resource.name or "", flags=re.I)
    stem = slugify(name, max_length=80, word_boundary=True) or slugify(fallback, max_length=80) or "tabel"
    return f"{stem}.{FORMATS[fmt].extension}"


def export_resource(resource: Resource, fmt: str) -> Path:
    """The path of ``resource``'s table as ``fmt`` (``csv``, ``xlsx`` or ``json``), built if need be.

    Raises :class:`ExportFormatUnknownError` or :class:`ResourceNotTabularError` (404),
    :class:`NotFound` when the stored file is missing, :class:`ResourceNotValidatedError` for a
    table that has not passed validation, and :class:`ExportFailedError` when the conversion
    fails; never anything else for a bad file.
    """
    spec = FORMATS.get(fmt.lower())
    if spec is None:
        raise ExportFormatUnknownError(f"Format unduhan '{fmt[:20]}' tidak tersedia; pilih CSV, XLSX atau JSON.")
    kind = (resource.format or "").upper()
    if not resource.is_stored or kind not in SOURCE_FORMATS:
        raise ResourceNotTabularError(
            "Sumber data ini bukan tabel yang disimpan di portal; unduhan CSV, XLSX dan JSON hanya "
            "tersedia untuk tabel. Unduh berkas aslinya."
        )
    if resource.validation_status != ValidationStatus.VALID:
        raise ResourceNotValidatedError("Tabel belum lolos validasi; unduh berkas aslinya.")
    source = _source_path(resource)
    try:
        descriptor = _table_schema(resource)
    except UnusableInput as exc:
        log.warning("export of resource %s: Table Schema unusable: %s", resource.id, exc.message)
        raise ExportFailedError(_failure_message(spec.name, "Table Schema-nya tidak dapat dibaca")) from exc
    sheet = resource.sheet if kind == "XLSX" else None
    header_row = resource.header_row if kind == "XLSX" else None
    target = _target(resource, descriptor, kind, sheet, spec, header_row)
    if target.is_file():
        return target
    with _locked(target):
        if target.is_file():  # built by the request we waited for
            return target
        try:
            _build(source, target, resource=resource, kind=kind, sheet=sheet, fmt=spec.name,
                   header_row=header_row)
        except ExportFailedError as exc:
            if not exc.reason:
                raise
            # The JSON/XLSX read the copy, which is written from the CSV: what failed there fails here.
            _mark_failed(target, exc.reason)
            raise _failed(spec.name, exc.reason) from exc
        except DomainError:
            raise
        except convert.ConversionError as exc:
            log.warning("export of resource %s as %s failed: %s", resource.id, spec.name, exc)
            _mark_failed(target, str(exc))
            raise _failed(spec.name, str(exc)) from exc
        except (UnicodeError, csv.Error) as exc:
            log.warning("export of resource %s as %s failed: %s", resource.id, spec.name, exc)
            _mark_failed(target, str(exc))
            raise _failed(spec.name, "teks berkas tidak terbaca sebagai tabel") from exc
        except Exception as exc:  # a bug or a full disk must not become a 500 page for a download
            log.exception("export of resource %s as %s failed", resource.id, spec.name)
            raise _failed(spec.name, "kesalahan sistem") from exc
    return target


def plain_csv(resource: Resource, columns: list[str] | None = None) -> Path:
    """``resource``'s table as UTF-8, comma-separated CSV (RFC 4180 quoting) with its header row,
    for readers that take exactly that (the datastore's columnar copy): the stored file itself
    when it looks like one, else its CSV download (built if need be). Errors as for
    :func:`export_resource`.

    "Looks like one": its first 64 KiB are UTF-8 and its first row, split on commas, is exactly
    ``columns`` (the Table Schema's field names, which the header of a valid table matches). A
    semicolon or tab file fails that; a file whose later bytes are not UTF-8 passes it, and the
    reader must then fall back to :func:`export_resource` itself (DuckDB refuses such bytes).
    No frictionless here: this runs before every copy, and importing it costs a third of a second.
    """
    if ((resource.format or "").upper() == "CSV" and resource.is_stored and columns
            and resource.validation_status == ValidationStatus.VALID):
        source = _source_path(resource)
        if _looks_plain(source, columns):
            return source
    return export_resource(resource, "csv")


def _looks_plain(path: Path, columns: list[str]) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(64 * 1024)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not a character cut at the sample's end
            return False
        text = sample[:exc.start].decode("utf-8")
    text = text.removeprefix("\ufeff")
    first = next(csv.reader(io.StringIO(text)), None)
    return first is not None and [c for c in first] == list(columns)


def export_targets(resource: Resource) -> dict[str, Path]:
    """Where each format of ``resource``'s table is (or will be) cached, built or not.

    Raises ``UnusableInput`` when its Table Schema cannot be read.
    """
    kind = (resource.format or "").upper()
    descriptor = _table_schema(resource)
    sheet = resource.sheet if kind == "XLSX" else None
    header_row = resource.header_row if kind == "XLSX" else None
    return {name: _target(resource, descriptor, kind, sheet, spec, header_row) for name, spec in FORMATS.items()}


def missing_exports(resource: Resource) -> list[str]:
    """The formats of a valid stored table that are not built yet and did not fail for good
    (what the sweep builds); ``[]`` for anything that is not exported at all."""
    if (not resource.is_stored or (resource.format or "").upper() not in SOURCE_FORMATS
            or resource.validation_status != ValidationStatus.VALID):
        return []
    try:
        targets = export_targets(resource)
    except UnusableInput:
        return []  # a download says why; building again would not help
    return [name for name, target in targets.items() if not target.is_file() and not _failed_marker(target).exists()]


def build_dir(target: Path) -> Path:
    """The folder a build of ``target`` writes in before the result is renamed into place."""
    return target.parent / "tmp" / f"{target.name}.build"


def sweep_leftovers() -> int:
    """Remove what killed builds left (their build folders) when no build holds their lock;
    returns how many folders went. Safe beside live builds: each is checked under its lock."""
    if fcntl is None:  # pragma: no cover - not on POSIX: no locks to tell a live build by
        return 0
    removed = 0
    for folder in sorted((_exports_dir() / "tmp").glob("*.build")):
        target = folder.parent.parent / folder.name[: -len(".build")]
        with _lock_file(target).open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a build is running
            try:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    return removed


# --------------------------------------------------------------------------- planning


def _target(resource: Resource, descriptor: dict[str, Any] | None, kind: str, sheet: str | None,
            spec: ExportFormat, header_row: int | None = None) -> Path:
    return _exports_dir() / f"{resource.sha256}-{_fingerprint(descriptor, kind, sheet, header_row)}.{spec.extension}"


def _failed_marker(target: Path) -> Path:
    return target.parent / "failed" / target.name


def _mark_failed(target: Path, reason: str) -> None:
    """Remember that ``target`` cannot be built from this file and Table Schema (the sweep
    skips it; the same input would fail the same way)."""
    marker = _failed_marker(target)
    with contextlib.suppress(OSError):
        marker.parent.mkdir(exist_ok=True)
        marker.write_text(reason + "\n", encoding="utf-8")


def _failed(fmt: str, reason: str) -> ExportFailedError:
    return ExportFailedError(_failure_message(fmt, reason), reason=reason)


def _failure_message(fmt: str, reason: str) -> str:
    return (f"Tabel ini tidak dapat dikonversi ke {fmt.upper()}: {reason.rstrip('.')}. "
            "Unduh berkas aslinya atau format lain.")


def _source_path(resource: Resource) -> Path:
    try:
        path = get_store().path(resource.sha256 or "")
    except ValueError:
        path = None
    if path is None or not path.is_file():
        log.error("stored file of resource %s (%s) is missing", resource.id, resource.sha256)
        raise NotFound("Berkas sumber data ini tidak tersedia saat ini. Hubungi pengelola portal.")
    return path


def _table_schema(resource: Resource) -> dict[str, Any] | None:
    """The Table Schema the table was validated against, resolved as the validation job does
    (inline, else ``schema_ref`` from the library); raises ``UnusableInput``."""
    from satudata.catalog.services import resource_schema

    return resolve_schema(resource_schema(resource), current_app.config.get("SCHEMAS_PATH"))


def _fingerprint(descriptor: dict[str, Any] | None, kind: str, sheet: str | None,
                 header_row: int | None = None) -> str:
    # A header row the producer named is part of the input; without one, the exports built
    # before it existed keep their names.
    chosen = {"header_row": header_row} if header_row else {}
    basis = json.dumps({"v": EXPORT_VERSION, "schema": descriptor, "format": kind, "sheet": sheet, **chosen},
                       sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _exports_dir() -> Path:
    path = Path(current_app.config["STORAGE_PATH"]) / EXPORTS_DIR
    (path / "tmp").mkdir(parents=True, exist_ok=True)
    return path


def _lock_file(target: Path) -> Path:
    return target.parent / "tmp" / f"{target.name}.lock"


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``target`` (between processes and threads alike). An
    ``flock``: a process that dies holding it releases it, so a killed build never blocks."""
    if fcntl is None:  # pragma: no cover - not on POSIX
        yield
        return
    with _lock_file(target).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- reading


@contextlib.contextmanager
def _text_rows(source: Path, kind: str, sheet: str | None, workdir: Path,
               header_row: int | None = None) -> Iterator[Iterator[list[str]]]:
    """The table's rows as text, header first, read as validation read them."""
    encoding: str
    dialect: Any
    newline: str | None
    if kind in ("XLSX", "JSON"):
        # The converters validation uses: same sheet choice, cell text and ZIP-bomb guard.
        staged = workdir / "source.csv"
        if kind == "XLSX":
            limit = current_app.config.get("XLSX_MAX_UNCOMPRESSED_BYTES") or convert.DEFAULT_XLSX_MAX_UNCOMPRESSED
            convert.xlsx_to_csv(source, staged, sheet=sheet or None, max_uncompressed=int(limit),
                                header_row=header_row)
        else:
            convert.json_to_csv(source, staged)
        encoding, dialect, newline = "utf-8", csv.excel(), ""
        source = staged
    else:
        encoding, dialect, newline = _csv_layout(source, kind.lower())
    # frictionless lifts the csv module's 128 KiB cell limit when it loads; so do we, for the
    # tables it validated.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_SIZE_LIMIT))
    with source.open("r", encoding=encoding, newline=newline) as fh:
        # A line with nothing on it is no row (frictionless would have reported a blank row).
        yield (cells for cells in csv.reader(fh, dialect) if cells)


def _csv_layout(path: Path, fmt: str) -> tuple[str, Any, str | None]:
    """Encoding, ``csv`` dialect and newline mode of a text table, as frictionless detects them
    when it validates (the same detector, the same sample)."""
    from frictionless import Resource as FrictionlessResource
    from frictionless import system
    from frictionless.formats import CsvControl

    with system.use_context(trusted=True):
        table = FrictionlessResource(str(path), format=fmt)
        try:
            table.open()
        except Exception as exc:  # frictionless raises many kinds for an unreadable file
            raise convert.ConversionError("berkas tidak terbaca sebagai tabel teks") from exc
        try:
            encoding = codecs.lookup(table.encoding or "utf-8").name
            control = table.dialect.get_control("csv")
            if not isinstance(control, CsvControl):
                control = CsvControl(delimiter="\t" if fmt == "tsv" else ",")
            dialect = control.to_python()
        finally:
            table.close()
    # frictionless reads CSV with newline="" and TSV in universal-newline mode; so do we.
    return encoding, dialect, "" if fmt == "csv" else None


# --------------------------------------------------------------------------- writing


def _build(source: Path, target: Path, *, resource: Resource, kind: str, sheet: str | None, fmt: str,
           header_row: int | None = None) -> None:
    """Convert to ``target`` in the build folder, then rename the result into place: the CSV
    from the stored file's text, the JSON and XLSX from the datastore's typed copy.

    The caller holds ``target``'s lock: whatever is in the build folder was left by a build
    that died, and goes first.
    """
    folder = build_dir(target)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "work").mkdir(parents=True)
    tmp = folder / f"result.{target.suffix[1:]}"
    try:
        if fmt == "csv":
            with _text_rows(source, kind, sheet, folder / "work", header_row) as rows:
                header = next(rows, None)
                if header is None:
                    raise convert.ConversionError("tabel kosong")
                _write_csv(tmp, header, rows)
        else:
            typed = _typed_reader()
            with typed(resource, structured=fmt == "json") as (header, values):
                if fmt == "json":
                    _write_json(tmp, header, values)
                else:
                    _write_xlsx(tmp, header, values)
        os.replace(tmp, target)
        _failed_marker(target).unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _typed_reader() -> Callable[..., Any]:
    """The datastore's reader of a whole typed copy (installed when the app starts)."""
    from satudata.catalog import tables

    reader = tables.reader()
    if reader is None or reader.rows is None:
        raise RuntimeError("the datastore's table reader is not installed")
    return reader.rows


def _write_csv(path: Path, header: list[str], rows: Iterator[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def _json_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        # str() keeps every digit the source had; JSON has no NaN or Infinity.
        return str(value) if value.is_finite() else "null"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "null"
    if isinstance(value, date | time):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def _write_json(path: Path, header: list[str], rows: Iterator[list[Any]]) -> None:
    keys = [json.dumps(name, ensure_ascii=False) + ": " for name in header]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        first = True
        for values in rows:
            fh.write("\n" if first else ",\n")
            first = False
            _write_record(fh, keys, values)
        fh.write("\n]\n" if not first else "]\n")


def _write_record(fh: TextIO, keys: list[str], values: list[Any]) -> None:
    fh.write("{" + ", ".join(k + _json_value(v) for k, v in zip(keys, values, strict=False)) + "}")


def write_xlsx(path: Path, header: list[str], rows: Iterator[list[Any]]) -> None:
    """Write typed ``rows`` under ``header`` as the XLSX of this module (formula-safe text cells,
    bold frozen header, Excel's limits refused); for other readers of typed rows (the
    datastore's downloads of a selection). Raises ``convert.ConversionError`` past a limit."""
    _write_xlsx(path, header, rows)


def _write_xlsx(path: Path, header: list[str], rows: Iterator[list[Any]]) -> None:
    """Write the sheet with XlsxWriter in constant-memory mode: rows go straight to a temporary
    file beside ``path`` and strings are inline, so memory stays flat whatever the size.

    Text is only ever written with ``write_string``: a string cell, never a formula, URL or
    number, whatever it starts with. XlsxWriter applies the OOXML ``_xHHHH_`` escape itself.
    """
    import xlsxwriter

    if len(header) > XLSX_MAX_COLUMNS:
        raise convert.ConversionError(f"{len(header)} kolom, melebihi batas Excel {XLSX_MAX_COLUMNS} kolom")
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True,
        "tmpdir": str(path.parent),
        # write_string is all we use for text; these make a stray write() safe as well.
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    try:
        ws = workbook.add_worksheet(XLSX_SHEET)
        bold = workbook.add_format({"bold": True})
        formats = {
            datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            date: workbook.add_format({"num_format": "yyyy-mm-dd"}),
            time: workbook.add_format({"num_format": "hh:mm:ss"}),
        }
        ws.freeze_panes(1, 0)
        for col, name in enumerate(header):
            ws.set_column(col, col, min(max(len(name) + 2, 10), 60))

        def text(row: int, col: int, value: str, fmt: Any = None) -> None:
            if len(value) > XLSX_MAX_CELL_CHARS or ws.write_string(row, col, value, fmt) != 0:
                raise convert.ConversionError(
                    f"sel baris {row + 1} kolom {col + 1} berisi {len(value)} karakter, melebihi batas Excel "
                    f"{XLSX_MAX_CELL_CHARS}")

        for col, name in enumerate(header):
            text(0, col, name, bold)
        for row, values in enumerate(rows, start=1):
            if row >= XLSX_MAX_ROWS:
                raise convert.ConversionError(
                    f"lebih dari {XLSX_MAX_ROWS - 1:,} baris data, batas Excel".replace(",", "."))
            for col, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(row, col, value)
                elif isinstance(value, int):
                    if abs(value) < EXCEL_MAX_EXACT_INT:
                        ws.write_number(row, col, value)
                    else:
                        text(row, col, str(value))
                elif isinstance(value, Decimal | float):
                    number = float(value)
                    if math.isfinite(number):
                        ws.write_number(row, col, number)
                    else:
                        text(row, col, str(value))
                elif isinstance(value, date | time):
                    naive = getattr(value, "tzinfo", None) is None
                    in_calendar = not isinstance(value, date) or value.year >= 1900
                    if naive and in_calendar:
                        kind = datetime if isinstance(value, datetime) else date if isinstance(value, date) else time
                        ws.write_datetime(row, col, value, formats[kind])
                    else:
                        text(row, col, value.isoformat())
                else:
                    text(row, col, value if isinstance(value, str) else str(value))
    except BaseException:
        # Close all the same, so XlsxWriter's temporary files go; the caller deletes the result.
        with contextlib.suppress(Exception):
            workbook.close()
        raise
    workbook.close()
