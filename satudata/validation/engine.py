"""Validate a table against a Table Schema and return a frictionless report (as a dict).

``validate_table()`` is the one entry point. It

1. resolves the Table Schema (a descriptor, a library name from ``schemas/`` or a JSON path),
   checks it is a valid Table Schema and expands ``x-kode-wilayah`` reference properties into
   foreign keys to reference resources (:mod:`satudata.tabular.reference`);
2. converts XLSX and JSON to a UTF-8 CSV (:mod:`satudata.tabular.convert`), so every
   format reaches the same reader;
3. validates the CSV with the fast path (:mod:`satudata.validation.fastpath`) or, when the
   fast path does not cover the input or ``engine="frictionless"`` is asked for, with plain
   frictionless. Both give the same report: same JSON shape, error types, messages, notes,
   row and field numbers and statistics; only ``seconds`` differs;
4. adds the portal's own check to either report: totals rows ("JUMLAH" under the data,
   errors of type ``total-row``, :mod:`satudata.validation.totals`).

Input that cannot be validated at all (no such file, empty file, invalid schema, a ZIP bomb, a
JSON that is not records, ...) raises :class:`UnusableInput` with a message for the clerk.
Files are read from server-side paths the portal chose, so frictionless runs "trusted"
(it would otherwise refuse absolute paths).
"""

from __future__ import annotations

import copy
import logging
import re
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from satudata.tabular import convert, patterns, reference
from satudata.tabular.schema import UnusableInput, resolve_schema

log = logging.getLogger(__name__)

Engine = Literal["auto", "frictionless"]
ENGINES: tuple[str, ...] = ("auto", "frictionless")
FORMATS = ("csv", "tsv", "xlsx", "json")
ProgressFn = Callable[[int, int, int], None]  # rows done, bytes done, bytes total
PROGRESS_EVERY = 10_000  # rows, for the frictionless engine


@dataclass(frozen=True)
class ValidationOutcome:
    """A report and how it was made."""

    report: dict[str, Any]
    engine: str  # "fast" or "frictionless"
    fallback_reason: str | None = None
    format: str = "csv"
    sheet: str | None = None
    header_row: int = 1  # the row the column titles were read from (a workbook's may be lower)

    @property
    def valid(self) -> bool:
        return bool(self.report.get("valid"))

    @property
    def row_count(self) -> int | None:
        tasks = self.report.get("tasks") or []
        if not tasks or self.report.get("tasks", [{}])[0].get("warnings"):
            return None  # a run cut short by the error limit did not count every row
        return int(tasks[0].get("stats", {}).get("rows") or 0)


# --------------------------------------------------------------------------- format

def detect_format(path: Path, fmt: str | None = None) -> str:
    """``csv``, ``tsv``, ``xlsx`` or ``json``: as given, from the file name, or sniffed."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise UnusableInput(f'Format "{fmt}" tidak didukung untuk validasi; gunakan CSV, TSV, XLSX atau JSON.')
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    return "csv"


# --------------------------------------------------------------------------- engines

def _resource_factory(path: Path, descriptor: dict[str, Any] | None, fmt: str,
                      expanded: reference.Expanded | None, *, probe: bool = False,
                      layout: Mapping[str, Any] | None = None) -> Callable[[], Any]:
    """A function building the frictionless resource both engines validate (fresh each call).

    With ``probe``: the same resource without the reference lists and their foreign keys
    (the fast path opens it to read the header and the sample, and checks codes itself).
    ``layout``: the ``encoding`` and ``dialect`` of a frictionless Resource descriptor
    (``satudata infer``), instead of what frictionless detects.
    """
    from frictionless import Dialect, Package, Resource, Schema

    patterns.install()  # every cell reader checks ``pattern`` with RE2, never Python's re

    def make() -> Any:
        options: dict[str, Any] = {"format": fmt}
        if layout and layout.get("encoding"):
            options["encoding"] = str(layout["encoding"])
        if layout and isinstance(layout.get("dialect"), Mapping):
            options["dialect"] = Dialect.from_descriptor(copy.deepcopy(dict(layout["dialect"])))
        if descriptor is not None:
            assert expanded is not None
            schema = descriptor if probe else expanded.descriptor
            options["schema"] = Schema.from_descriptor(copy.deepcopy(schema))
        resource = Resource(str(path), **options)
        if not probe and expanded is not None and expanded.references:
            Package(resources=[resource, *(reference.reference_resource(s) for s in expanded.resources.values())])
        return resource

    return make


def _run_frictionless(make_resource: Callable[[], Any], progress: ProgressFn | None, total: int) -> dict[str, Any]:
    from frictionless import Resource

    resource = make_resource()
    count = 0

    def on_row(row: Any) -> None:
        nonlocal count
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, int(resource.stats.bytes or 0), total)

    if not isinstance(resource, Resource):  # pragma: no cover - the factory always builds one
        raise TypeError(resource)
    report = resource.validate(on_row=on_row)
    if progress:
        progress(count, total, total)
    return report.to_dict()


def validate_csv(path: Path, descriptor: dict[str, Any] | None, *, fmt: str = "csv", engine: Engine = "auto",
                 progress: ProgressFn | None = None, tuning: Any = None,
                 layout: Mapping[str, Any] | None = None) -> ValidationOutcome:
    """Validate a delimited text file (the step after any conversion).

    ``tuning`` (a :class:`fastpath.Tuning`) changes batch and memory sizes of the fast path only;
    ``layout`` gives the file's ``encoding`` and ``dialect`` (see ``_resource_factory``).
    """
    from frictionless import system

    from satudata.validation import fastpath

    expanded = reference.expand(descriptor) if descriptor is not None else None
    make = _resource_factory(path, descriptor, fmt, expanded, layout=layout)
    probe = _resource_factory(path, descriptor, fmt, expanded, probe=True, layout=layout) \
        if expanded and expanded.references else make
    total = path.stat().st_size
    refs = {name: reference.codes(spec) for name, spec in (expanded.resources.items() if expanded else [])}
    with system.use_context(trusted=True):
        if engine == "auto":
            try:
                hints: dict[str, Any] = {}
                report = fastpath.validate(make, make_probe=probe, references=refs, progress=progress, tuning=tuning,
                                           hints=hints)
                if progress:
                    progress(int(report.tasks[0].stats.get("rows") or 0), total, total)
                return ValidationOutcome(report=_with_totals(report.to_dict(), probe, path, hints.get("labelled")),
                                         engine="fast", format=fmt)
            except fastpath.Unsupported as exc:
                if _timed_out(exc):
                    raise
                reason = str(exc)
                log.info("validation of %s falls back to frictionless: %s", path, reason)
            except Exception as exc:  # a fast-path bug must not cost the clerk a report
                if _timed_out(exc):
                    raise  # the job's time is up: never start over with frictionless (no limit is left)
                reason = f"fast path failed: {type(exc).__name__}: {exc}"
                log.warning("validation of %s: %s; using frictionless", path, reason, exc_info=True)
        else:
            reason = "frictionless engine requested"
        return ValidationOutcome(report=_with_totals(_run_frictionless(make, progress, total), probe, path),
                                 engine="frictionless", fallback_reason=reason, format=fmt)


def _with_totals(report: dict[str, Any], make_resource: Callable[[], Any], path: Path,
                 labelled: bool | None = None) -> dict[str, Any]:
    """The report with the portal's own check added: totals rows (``totals``), the same for
    either engine. ``labelled``: whether the fast path saw a totals label (``None``: unknown)."""
    from satudata.validation import totals

    return totals.add_to_report(report, totals.check(make_resource, path, labelled))


def _timed_out(exc: BaseException) -> bool:
    """Whether ``exc`` comes of the job's time being up: it is, or was raised while handling,
    RQ's ``JobTimeoutException`` (an ``Exception``, which code on the way may have wrapped), or
    the job has passed its timeout (a library may have turned ``jobs.JobTimeout`` into an
    error of its own)."""
    # Only a job can time out: the offline command, which never loads the job machinery (RQ,
    # Flask), is not made to import it here.
    jobs = sys.modules.get("satudata.jobs")
    if jobs is not None and jobs.time_is_up():
        return True
    timeouts = sys.modules.get("rq.timeouts")
    timeout_type = getattr(timeouts, "JobTimeoutException", None)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if timeout_type is not None and isinstance(current, timeout_type):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def validate_table_detailed(
    path: str | Path,
    schema: Mapping[str, Any] | str | Path | None = None,
    *,
    fmt: str | None = None,
    engine: Engine = "auto",
    progress: ProgressFn | None = None,
    sheet: str | int | None = None,
    schemas_dir: str | Path | None = None,
    xlsx_max_uncompressed: int = convert.DEFAULT_XLSX_MAX_UNCOMPRESSED,
    layout: Mapping[str, Any] | None = None,
    header_row: int | None = None,
) -> ValidationOutcome:
    """Like :func:`validate_table`, also saying which engine produced the report and why.

    ``layout``: the ``encoding`` and ``dialect`` of a frictionless Resource descriptor; for a
    spreadsheet its ``dialect.excel.sheet`` names the sheet when ``sheet`` does not, and its
    ``dialect.headerRows`` the header row when ``header_row`` does not. ``header_row``: the
    1-based sheet row holding the column titles (a workbook's; ``None``: found under the title
    block)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    path = Path(path)
    if not path.is_file():
        raise UnusableInput(f"Berkas {path.name} tidak ditemukan.")
    if path.stat().st_size == 0:
        raise UnusableInput("Berkas kosong (0 byte): tidak ada tabel untuk diperiksa.")
    descriptor = resolve_schema(schema, schemas_dir)
    kind = detect_format(path, fmt)
    if kind in ("csv", "tsv"):
        return _guard(lambda: validate_csv(path, descriptor, fmt=kind, engine=engine, progress=progress,
                                           layout=layout))
    if layout and isinstance(layout.get("dialect"), Mapping):
        if sheet is None:
            sheet = (layout["dialect"].get("excel") or {}).get("sheet")
        rows = layout["dialect"].get("headerRows")
        if header_row is None and kind == "xlsx" and isinstance(rows, list) and rows and isinstance(rows[-1], int):
            header_row = rows[-1]
    with tempfile.TemporaryDirectory(prefix="satudata-convert-") as tmp:
        target = Path(tmp) / f"{path.stem or 'tabel'}.csv"
        try:
            if kind == "xlsx":
                converted = convert.xlsx_to_csv(path, target, sheet=sheet, max_uncompressed=xlsx_max_uncompressed,
                                                header_row=header_row)
            else:
                converted = convert.json_to_csv(path, target)
        except convert.ConversionError as exc:
            raise UnusableInput(str(exc)) from exc
        outcome = _guard(lambda: validate_csv(target, descriptor, fmt="csv", engine=engine, progress=progress))
    report = outcome.report
    for task in report.get("tasks", []):
        # The report speaks of the uploaded file, not of our temporary copy.
        task["place"] = str(path)
        task["name"] = _resource_name(path)
    if kind == "xlsx" and converted.header_row > 1:
        renumber_rows(report, converted.header_row - 1)
    return ValidationOutcome(report=report, engine=outcome.engine, fallback_reason=outcome.fallback_reason,
                             format=kind, sheet=converted.sheet, header_row=converted.header_row)


_ROW_IN_MESSAGE = re.compile(r'(\brow "|\brow at position "?|\bposition )(\d+)')


def renumber_rows(report: dict[str, Any], offset: int) -> None:
    """Row numbers of the sheet, not of the converted table: a title block of ``offset`` rows
    stood above the header the conversion started at (``convert.find_header``)."""
    for task in report.get("tasks", []):
        for error in task.get("errors", []):
            if isinstance(error.get("rowNumber"), int):
                error["rowNumber"] += offset
                if isinstance(error.get("message"), str):
                    error["message"] = _ROW_IN_MESSAGE.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + offset}",
                                                           error["message"])


def _resource_name(path: Path) -> str:
    from frictionless import Resource, system

    with system.use_context(trusted=True):
        return str(Resource(str(path.with_suffix(".csv"))).name)


def _guard(run: Callable[[], ValidationOutcome]) -> ValidationOutcome:
    """Turn what frictionless raises instead of reporting (a decoding failure deep in the
    file) into :class:`UnusableInput`."""
    try:
        return run()
    except UnicodeError as exc:
        raise UnusableInput(
            "Enkode teks berkas tidak konsisten: sebagian tidak dapat dibaca "
            f"({exc}). Simpan ulang sebagai CSV UTF-8."
        ) from exc


def validate_table(
    path: str | Path,
    schema: Mapping[str, Any] | str | Path | None = None,
    *,
    fmt: str | None = None,
    engine: Engine = "auto",
    progress: ProgressFn | None = None,
    sheet: str | int | None = None,
    schemas_dir: str | Path | None = None,
    xlsx_max_uncompressed: int = convert.DEFAULT_XLSX_MAX_UNCOMPRESSED,
) -> dict[str, Any]:
    """Validate the table at ``path`` against ``schema``; the frictionless report as a dict.

    - ``schema``: a Table Schema descriptor, a name from ``schemas/`` or a path to a JSON file;
      ``None`` lets frictionless infer one.
    - ``fmt``: ``csv``, ``tsv``, ``xlsx`` or ``json`` (stored files have no extension; pass
      the resource's format); guessed from the name or the content when ``None``.
    - ``engine``: ``"auto"`` (fast path, frictionless when needed) or ``"frictionless"``.
    - ``progress(rows_done, bytes_done, bytes_total)`` is called as the file is read.
    - ``sheet``: the XLSX sheet (name or 1-based number); the first when ``None``.

    Raises :class:`UnusableInput` for input that cannot be validated at all.
    """
    return validate_table_detailed(
        path, schema, fmt=fmt, engine=engine, progress=progress, sheet=sheet, schemas_dir=schemas_dir,
        xlsx_max_uncompressed=xlsx_max_uncompressed,
    ).report
