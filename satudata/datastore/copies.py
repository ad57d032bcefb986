"""The typed columnar copy of a validated table: one Parquet file, written once, read by every
query, preview, chart and map.

**Types come from the Table Schema, never from guessing.** The table is read with every cell as
text (DuckDB ``read_csv(all_varchar=true)``) and each column is cast as its Table Schema field
says: ``integer`` -> BIGINT (``bareNumber`` and ``groupChar`` honoured), ``number`` -> DOUBLE
(``decimalChar``/``groupChar``: ``1.234,5`` reads as 1234.5), ``year`` -> INTEGER, ``boolean``
by its ``trueValues``/``falseValues``, ``date``/``datetime``/``time`` by their ``format``;
everything else (``string``, codes such as ``kode_wilayah`` ``14.07``, ``yearmonth``,
``geopoint``, ``object``, ...) stays text. The Table Schema's ``missingValues`` become NULL.
A column whose values do not all cast (a Table Schema ``format`` DuckDB reads differently from
frictionless, say) is kept as text rather than losing a value, and the log says which.

Readers see CKAN DataStore's ``_id`` (1, 2, ... in the table's row order) as the first column:
it is not written (numbering the rows while writing would cost as much as the rest of the
build) but read back as the Parquet file's own row number (``engine.sandbox``), which is the
table's row order since DuckDB writes rows in the order it reads them. It is the default order
and the tie-break of every sort, so pages never overlap.

**Where.** ``<STORAGE_PATH>/datastore/<sha256>-<fingerprint>.parquet``: content-addressed by the
stored file and a fingerprint of the resolved Table Schema, the format, sheet and header row
and :data:`COPY_VERSION`. A re-upload or a changed schema gives a new name, so a stale copy is
never read; the folder can be deleted at any time and ``satudata data rebuild`` (or the
periodic sweep) writes the copies again. A copy is written to ``tmp/`` and renamed into place
under an ``flock``, so nothing ever reads half a file and two builds of one copy do the work
once; a build that dies leaves only ``tmp/`` files, which the next build clears.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from flask import current_app

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

COPY_VERSION = 3  # 3: casts without trim(); 2: 2: _id is the file's row number, read back, no longer a written column
DATASTORE_DIR = "datastore"
ID_COLUMN = "_id"
ROW_NUMBER = "file_row_number"  # DuckDB's name for a Parquet file's row number (engine.sandbox)
DEFAULT_MISSING = [""]
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
ROW_GROUP_SIZE = 122_880  # DuckDB's default: small enough to read in parallel, to skip by statistics


class CopyFailed(Exception):
    """The copy could not be written (the table does not read as CSV); the message says why."""


@dataclass(frozen=True)
class Column:
    """A column of a copy: its name, its Table Schema type and the SQL that reads it from text."""

    name: str
    type: str
    sql: str


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_lit(v) for v in values) + "]"


def datastore_dir() -> Path:
    path = Path(current_app.config["STORAGE_PATH"]) / DATASTORE_DIR
    (path / "tmp").mkdir(parents=True, exist_ok=True)
    return path


def fingerprint(descriptor: dict[str, Any] | None, kind: str, sheet: str | None, header_row: int | None) -> str:
    """What, besides the stored file, decides the copy's content."""
    basis = json.dumps({"v": COPY_VERSION, "schema": descriptor, "format": kind, "sheet": sheet,
                        "header_row": header_row}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def copy_name(sha256: str, descriptor: dict[str, Any] | None, kind: str, sheet: str | None,
              header_row: int | None) -> str:
    return f"{sha256}-{fingerprint(descriptor, kind, sheet, header_row)}.parquet"


# --------------------------------------------------------------------------- casting


def _number_text(expr: str, field: dict[str, Any], *, decimal: bool) -> str:
    """SQL turning a number written as the field says into plain ``1234.5`` text."""
    group = field.get("groupChar") or ""
    if group:
        expr = f"replace({expr}, {_lit(group)}, '')"
    if decimal:
        point = field.get("decimalChar") or "."
        if point != ".":
            expr = f"replace({expr}, {_lit(point)}, '.')"
    if field.get("bareNumber", True) is False:
        # Leading and trailing text around the number ("Rp 1.000", "15%") is not part of it.
        keep = r"[^0-9eE+\-.]" if decimal else r"[^0-9+\-]"
        expr = f"regexp_replace({expr}, {_lit(keep)}, '', 'g')"
    return expr  # CAST ignores the spaces around a number


def _temporal(expr: str, field: dict[str, Any], duck: str, cast: str) -> str:
    fmt = field.get("format") or "default"
    if fmt in ("default", "any") or "%" not in str(fmt):
        return f"{cast}({expr} AS {duck})"  # CAST ignores surrounding spaces; strptime does not
    parsed = f"{'try_' if cast == 'TRY_CAST' else ''}strptime(trim({expr}), {_lit(str(fmt))})"
    return f"{cast}({parsed} AS {duck})"


def cast_sql(name: str, field: dict[str, Any] | None, *, strict: bool = True) -> tuple[str, str]:
    """The SQL reading text column ``name`` as its Table Schema ``field`` types it, and the
    Table Schema type it ends up as (``string`` when it stays text). ``strict``: CAST (an
    unreadable value fails the build) rather than TRY_CAST (it becomes NULL)."""
    col = _ident(name)
    ftype = (field or {}).get("type") or "string"
    cast = "CAST" if strict else "TRY_CAST"
    f = field or {}
    if ftype == "integer":
        return f"{cast}({_number_text(col, f, decimal=False)} AS BIGINT)", ftype
    if ftype == "number":
        return f"{cast}({_number_text(col, f, decimal=True)} AS DOUBLE)", ftype
    if ftype == "year":
        return f"{cast}({col} AS INTEGER)", ftype
    if ftype == "boolean":
        true_values = f.get("trueValues") or DEFAULT_TRUE
        false_values = f.get("falseValues") or DEFAULT_FALSE
        otherwise = "NULL" if not strict else f"CAST({col} AS BOOLEAN)"  # strict: fails on an unknown value
        return (f"CASE WHEN {col} IN ({', '.join(_lit(v) for v in true_values)}) THEN true "
                f"WHEN {col} IN ({', '.join(_lit(v) for v in false_values)}) THEN false ELSE {otherwise} END"), ftype
    if ftype == "date":
        return _temporal(col, f, "DATE", cast), ftype
    if ftype == "datetime":
        return _temporal(col, f, "TIMESTAMP", cast), ftype
    if ftype == "time":
        return _temporal(col, f, "TIME", cast), ftype
    return col, "string" if ftype not in ("object", "array", "geojson") else ftype


def columns_for(header: list[str], descriptor: dict[str, Any] | None, *, as_text: frozenset[str] = frozenset()
                ) -> list[Column]:
    """How each column of ``header`` is read into the copy."""
    fields = {f.get("name"): f for f in (descriptor or {}).get("fields", []) if isinstance(f, dict)}
    columns = []
    for name in header:
        field = None if name in as_text else fields.get(name)
        sql, kind = cast_sql(name, field)
        columns.append(Column(name=name, type=kind, sql=sql))
    return columns


# --------------------------------------------------------------------------- writing


def _connect(workdir: Path) -> duckdb.DuckDBPyConnection:
    config = current_app.config
    con = duckdb.connect(config={"threads": int(config.get("DATASTORE_BUILD_THREADS") or os.cpu_count() or 1),
                                 "memory_limit": str(config.get("DATASTORE_BUILD_MEMORY") or "1GB"),
                                 "temp_directory": str(workdir)})
    return con


def _reader(source: Path, names: list[str], missing: list[str], *, padded: bool = False) -> str:
    """``read_csv`` of the source, every cell of columns ``names`` as text. ``padded``: a short row
    is padded with NULLs and lines may be 64 MB long (DuckDB's default is 2 MB). A valid table
    rarely needs either, and both slow the read (null padding reads on one thread; long lines
    need larger buffers), so they are only the retry when the fast read refuses the file."""
    nulls = missing or ["\x00"]  # none: no text is a missing value ("" is then an empty string)
    columns = "{" + ", ".join(f"{_lit(n)}: 'VARCHAR'" for n in names) + "}"
    return (f"read_csv({_lit(str(source))}, header=true, all_varchar=true, delim=',', quote='\"', escape='\"', "
            f"nullstr={_list(nulls)}, auto_detect=false, columns={columns}"
            f"{', null_padding=true, max_line_size=67108864' if padded else ''})")


def header_of(source: Path) -> list[str]:
    """The column names of a UTF-8 comma CSV (its first row)."""
    import csv

    with source.open("r", encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh), [])


def write_copy(source: Path, target: Path, descriptor: dict[str, Any] | None) -> int:
    """Write the typed copy of CSV ``source`` (UTF-8, comma, header row) to ``target``; returns
    its row count. Raises :class:`CopyFailed`."""
    header = header_of(source)
    if not header:
        raise CopyFailed("tabel kosong")
    if len(set(header)) != len(header) or ID_COLUMN in header or ROW_NUMBER in header:
        raise CopyFailed(f"nama kolom ganda (atau kolom bernama {ID_COLUMN} atau {ROW_NUMBER})")
    missing = (descriptor or {}).get("missingValues", DEFAULT_MISSING)
    folder = target.parent / "tmp" / f"{target.name}.build"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tmp = folder / "copy.parquet"
    try:
        con = _connect(folder)
        try:
            as_text: set[str] = set()
            padded = False
            while True:
                columns = columns_for(header, descriptor, as_text=frozenset(as_text))
                try:
                    _copy(con, source, tmp, columns, missing, padded=padded)
                    break
                except (duckdb.ConversionException, duckdb.InvalidInputException) as exc:
                    if not padded and isinstance(exc, duckdb.InvalidInputException):
                        padded = True  # a short row or a very long line: read again, padded
                        continue
                    failing = _failing_columns(con, source, header, descriptor, missing, as_text, padded)
                    if not failing:
                        raise CopyFailed(str(exc).splitlines()[0]) from exc
                    log.warning("copy of %s: columns %s do not read as their Table Schema types; kept as text",
                                source.name, ", ".join(sorted(failing)))
                    as_text |= failing
            rows = con.execute(f"SELECT count(*) FROM read_parquet({_lit(str(tmp))})").fetchone()
        finally:
            con.close()
        os.replace(tmp, target)
        return int(rows[0]) if rows else 0
    except duckdb.Error as exc:
        raise CopyFailed(str(exc).splitlines()[0]) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy(con: duckdb.DuckDBPyConnection, source: Path, tmp: Path, columns: list[Column], missing: list[str], *,
          padded: bool = False) -> None:
    select = ", ".join(f"{c.sql} AS {_ident(c.name)}" for c in columns)
    reader = _reader(source, [c.name for c in columns], missing, padded=padded)
    con.execute(f"COPY (SELECT {select} FROM {reader}) "
                f"TO {_lit(str(tmp))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})")


def _failing_columns(con: duckdb.DuckDBPyConnection, source: Path, header: list[str],
                     descriptor: dict[str, Any] | None, missing: list[str], as_text: set[str],
                     padded: bool = False) -> set[str]:
    """The typed columns with a value that does not cast (one pass, with TRY_CAST)."""
    fields = {f.get("name"): f for f in (descriptor or {}).get("fields", []) if isinstance(f, dict)}
    checks = []
    for name in header:
        if name in as_text:
            continue
        sql, kind = cast_sql(name, fields.get(name), strict=False)
        if kind in ("string", "object", "array", "geojson"):
            continue
        checks.append((name, f"count(*) FILTER (WHERE {_ident(name)} IS NOT NULL AND ({sql}) IS NULL)"))
    if not checks:
        return set()
    reader = _reader(source, header, missing, padded=padded)
    counts = con.execute(f"SELECT {', '.join(sql for _, sql in checks)} FROM {reader}").fetchone() or ()
    return {name for (name, _), count in zip(checks, counts, strict=False) if count}


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """An exclusive ``flock`` for building ``target`` (released with the process if it dies)."""
    if fcntl is None:  # pragma: no cover - not on POSIX
        yield
        return
    with (target.parent / "tmp" / f"{target.name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
