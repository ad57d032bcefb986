"""Queries over the columnar copies: DuckDB, embedded, sandboxed.

Every query runs in a DuckDB database opened with **only the copies it reads allowed**
(``allowed_paths``), then ``enable_external_access = false`` and ``lock_configuration = true``:
a query can read no other file (``read_csv('/etc/passwd')`` is a permission error), reach no
network, load no extension, and cannot change those settings back.

- :class:`TableHandle` is one copy: the process keeps a few of them open (:func:`table`, an LRU
  of ``DATASTORE_OPEN_TABLES``), since opening one costs more than most queries on it; each
  query takes its own cursor, so threads do not share one.
- :func:`run_sql` opens a fresh sandbox for one checked ``SELECT`` over the copies it names,
  with a row cap and a time limit (``interrupt`` from a timer).

The SQL here is built from checked names only (columns the copy has, quoted) and values are
always bound parameters.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from satudata.datastore.copies import ID_COLUMN, ROW_NUMBER

# DuckDB type -> the type CKAN's DataStore names (PostgreSQL's).
CKAN_TYPES = {
    "BIGINT": "int8", "INTEGER": "int4", "SMALLINT": "int2", "TINYINT": "int2", "HUGEINT": "numeric",
    "DOUBLE": "float8", "FLOAT": "float4", "BOOLEAN": "bool", "DATE": "date", "TIME": "time",
    "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz", "VARCHAR": "text",
}
TEXT = "text"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sandbox(paths: dict[str, Path], *, threads: int = 2, memory: str = "512MB") -> duckdb.DuckDBPyConnection:
    """A DuckDB database that can read only ``paths`` (view name -> Parquet file), as views."""
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory})
    try:
        con.execute(f"SET allowed_paths = [{', '.join(_lit(str(p)) for p in paths.values())}]")
        for name, path in paths.items():
            # _id is the file's row number (copies.py): the table's row order, from 1.
            con.execute(f"CREATE VIEW {ident(name)} AS SELECT {ROW_NUMBER} + 1 AS {ID_COLUMN}, "
                        f"* EXCLUDE ({ROW_NUMBER}) FROM read_parquet({_lit(str(path))}, file_row_number = true)")
        con.execute("SET enable_object_cache = true")  # Parquet metadata read once per sandbox
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


@dataclass
class TableHandle:
    """An open copy: its columns (name -> DuckDB type) and a sandbox that reads only it as ``t``."""

    path: Path
    con: duckdb.DuckDBPyConnection
    columns: dict[str, str] = field(default_factory=dict)

    def ckan_type(self, column: str) -> str:
        return CKAN_TYPES.get(self.columns[column], TEXT)

    def text_columns(self) -> list[str]:
        return [c for c, t in self.columns.items() if t == "VARCHAR"]

    def execute(self, sql: str, params: list[Any] | None = None) -> duckdb.DuckDBPyConnection:
        cursor = self.con.cursor()
        return cursor.execute(sql, params or [])


_open: OrderedDict[Path, TableHandle] = OrderedDict()
_lock = threading.Lock()


def table(path: Path, *, keep: int = 8) -> TableHandle:
    """The open handle of copy ``path`` (opened if need be; the least recently used of more
    than ``keep`` is dropped, and closes once no query holds a cursor of it)."""
    with _lock:
        handle = _open.get(path)
        if handle is not None:
            _open.move_to_end(path)
            return handle
    con = sandbox({"t": path})
    described = con.execute("DESCRIBE SELECT * FROM t").fetchall()
    handle = TableHandle(path=path, con=con, columns={row[0]: row[1] for row in described})
    with _lock:
        _open[path] = handle
        _open.move_to_end(path)
        while len(_open) > keep:
            _open.popitem(last=False)
    return handle


def forget(path: Path | None = None) -> None:
    """Drop the open handle of ``path`` (all when None): the file is about to go."""
    with _lock:
        if path is None:
            _open.clear()
        else:
            _open.pop(path, None)


class QueryTimeout(Exception):
    """The query ran past its time limit and was interrupted."""


def run_sql(paths: dict[str, Path], sql: str, *, max_rows: int, seconds: float
            ) -> tuple[list[tuple[str, str]], list[tuple[Any, ...]], bool]:
    """Run checked ``sql`` over ``paths`` (view name -> copy) in a fresh sandbox; returns the
    columns (name, DuckDB type), at most ``max_rows`` rows, and whether more were cut off.
    Raises :class:`QueryTimeout` past ``seconds``, ``duckdb.Error`` for a bad query."""
    con = sandbox(paths, threads=1, memory="256MB")
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.start()
    try:
        try:
            result = con.execute(sql)
            columns = [(d[0], str(d[1])) for d in result.description or []]
            rows = result.fetchmany(max_rows + 1)
        except duckdb.InterruptException as exc:
            raise QueryTimeout() from exc
        except duckdb.Error:
            if timed_out.is_set():
                raise QueryTimeout() from None
            raise
    finally:
        timer.cancel()
        con.close()
    return columns, rows[:max_rows], len(rows) > max_rows


__all__ = ["CKAN_TYPES", "ID_COLUMN", "QueryTimeout", "TableHandle", "forget", "ident", "run_sql",
           "sandbox", "table"]
