"""Reading tables: what validation and the workspace need of a stored CSV (a column summary,
the rows that changed between two files), and the reader of the typed copies that the public
pages and the rows API use.

The public pages never read an upload: they read the datastore's typed Parquet copy through the
:class:`TableReader` the datastore hands over at start-up (:func:`use_reader`), since the
datastore sits above the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from satudata.tabular.numbers import NumberFormats

NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
           "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
YEARISH = ("tahun", "year", "periode", "bulan", "month", "triwulan", "semester")


@dataclass
class TableSummary:
    row_count: int
    columns: list[dict[str, Any]]


@dataclass
class TableReader:
    """How the catalogue reads a table's typed copy. ``page(res, offset=, limit=, sort=,
    filters=, q=)`` returns an object with ``columns`` (dicts: name, title, unit, description,
    type, yearish, code), ``rows``, ``total`` and ``unfiltered``, and raises ``DomainError``
    (``NotFound``: the stored file is gone; ``Invalid``: a sort or filter the table cannot take);
    ``chart(res, dataset)`` returns the default chart spec or None; ``map`` the default map and
    ``views`` a dataset's saved views (dicts: id, name, resource, spec, problem, embed_url);
    ``rows(res, structured=)`` is a context manager giving the whole table's column names and
    its typed rows in order (for the XLSX and JSON downloads)."""

    page: Callable[..., Any]
    chart: Callable[..., Any]
    map: Callable[..., Any] | None = None  # (res, dataset) -> the default map spec or None
    views: Callable[..., Any] | None = None  # (dataset) -> the saved views shown on its page
    rows: Callable[..., Any] | None = None  # (res, structured=) -> context of (columns, typed rows)


_reader: TableReader | None = None


def use_reader(page: Callable[..., Any], chart: Callable[..., Any], *, map: Callable[..., Any] | None = None,
               views: Callable[..., Any] | None = None, rows: Callable[..., Any] | None = None) -> None:
    """Install the reader of the typed copies (the datastore does, when the app starts)."""
    global _reader
    _reader = TableReader(page=page, chart=chart, map=map, views=views, rows=rows)


def reader() -> TableReader | None:
    """The installed reader, or None when the datastore is not running."""
    return _reader


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_code_column(name: str) -> bool:
    """``kode_wilayah``, ``kode_sekolah``, ``id``, ``id_faskes``: identifiers, not quantities."""
    lowered = name.lower()
    return "kode" in lowered or lowered == "id" or lowered.startswith("id_")




def _open(path: Path, numbers: NumberFormats | None = None) -> tuple[duckdb.DuckDBPyConnection, list[tuple[str, str]]]:
    """A connection with view ``t`` over the CSV, and its (column, type) list.

    DuckDB sniffs types; a column whose name says it holds a code (``kode_*``, ``id*``) is
    kept as text, because "14.07" is a region code, not the number 14.07. A column the Table
    Schema says writes numbers with separators (``numbers``: column -> group and decimal
    characters) is read as the schema reads it: "34.645" with group "." is 34645, never the
    34.645 DuckDB would sniff.
    """
    con = duckdb.connect()
    src = f"read_csv({_lit(str(path))}, header=true, sample_size=-1"
    con.execute(f"CREATE VIEW t AS SELECT * FROM {src})")
    cols = [(r[0], str(r[1])) for r in con.execute("DESCRIBE t").fetchall()]
    written = {c: numbers[c] for c, _ in cols if numbers and c in numbers}
    text = [c for c, _ in cols if is_code_column(c) or c in written]
    if text:
        types = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in text)
        con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT * FROM {src}, types={{{types}}})")
        replaced = ", ".join(
            f"TRY_CAST(replace(replace(trim({_ident(c)}), {_lit(group)}, ''), {_lit(decimal)}, '.') AS DOUBLE)"
            f" AS {_ident(c)}" if group else
            f"TRY_CAST(replace(trim({_ident(c)}), {_lit(decimal)}, '.') AS DOUBLE) AS {_ident(c)}"
            for c, (group, decimal) in written.items())
        con.execute(f"CREATE OR REPLACE VIEW t AS SELECT * {f'REPLACE ({replaced})' if replaced else ''} FROM raw")
        cols = [(r[0], str(r[1])) for r in con.execute("DESCRIBE t").fetchall()]
    return con, cols


def _is_numeric(duck_type: str) -> bool:
    return duck_type.upper().startswith(NUMERIC)


def summarise(path: Path, numbers: NumberFormats | None = None) -> TableSummary | None:
    """Row count and per-column type/min/max; ``None`` when DuckDB cannot read it as a table."""
    try:
        con, cols = _open(path, numbers)
    except duckdb.Error:
        return None
    try:
        numeric = [name for name, dtype in cols if _is_numeric(dtype)]
        # One pass over the file: the count and every numeric column's min and max.
        aggregates = ["count(*)"] + [f"min({_ident(n)}), max({_ident(n)})" for n in numeric]
        values = con.execute(f"SELECT {', '.join(aggregates)} FROM t").fetchall()[0]
        row_count = int(values[0])
        bounds = {n: (values[1 + 2 * i], values[2 + 2 * i]) for i, n in enumerate(numeric)}
        columns = []
        for name, dtype in cols:
            col: dict[str, Any] = {"name": name, "type": "number" if _is_numeric(dtype) else "string"}
            if name in bounds:
                mn, mx = bounds[name]
                col["min"] = float(mn) if mn is not None else None
                col["max"] = float(mx) if mx is not None else None
            columns.append(col)
        return TableSummary(row_count=row_count, columns=columns)
    except duckdb.Error:
        return None
    finally:
        con.close()


@dataclass
class TableDiff:
    """Two versions of a table compared row by row (cells as text, so "1.0" and "1" differ
    the way they differ in the files).

    With a key (the Table Schema's ``primaryKey``) a row present in both with other values is
    ``changed``; without one, a row edited in place counts as one removed and one added.
    ``examples`` holds up to ``limit`` rows of each kind: ``{"kind", "key", "cells"}`` where
    ``cells`` are ``(column, old, new)`` for a change and ``(column, value)`` otherwise.
    """

    columns_added: list[str]
    columns_removed: list[str]
    key: list[str]
    added: int
    removed: int
    changed: int
    examples: list[dict[str, Any]]

    @property
    def identical(self) -> bool:
        return not (self.columns_added or self.columns_removed or self.added or self.removed or self.changed)


def _text_view(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> list[str]:
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_csv({_lit(str(path))}, header=true, all_varchar=true)")
    return [str(r[0]) for r in con.execute(f"DESCRIBE {name}").fetchall()]


def diff(old: Path, new: Path, *, key: list[str] | None = None, limit: int = 10) -> TableDiff:
    """Compare two stored CSV tables (``duckdb.Error`` when one cannot be read as a table)."""
    con = duckdb.connect()
    try:
        old_cols = _text_view(con, "a", old)
        new_cols = _text_view(con, "b", new)
        common = [c for c in new_cols if c in old_cols]
        added_cols = [c for c in new_cols if c not in old_cols]
        removed_cols = [c for c in old_cols if c not in new_cols]
        key = [k for k in key or [] if k in common]
        examples: list[dict[str, Any]] = []
        if not common:
            count_a = int(con.execute("SELECT count(*) FROM a").fetchall()[0][0])
            count_b = int(con.execute("SELECT count(*) FROM b").fetchall()[0][0])
            return TableDiff(added_cols, removed_cols, [], count_b, count_a, 0, [])
        cols = ", ".join(_ident(c) for c in common)
        if key:
            on = " AND ".join(f"a.{_ident(k)} IS NOT DISTINCT FROM b.{_ident(k)}" for k in key)
            others = [c for c in common if c not in key]
            differs = " OR ".join(f"a.{_ident(c)} IS DISTINCT FROM b.{_ident(c)}" for c in others) or "false"
            keys_b = ", ".join(f"b.{_ident(k)}" for k in key)
            added = f"SELECT b.* FROM b ANTI JOIN a ON {on}"
            removed = f"SELECT a.* FROM a ANTI JOIN b ON {on}"
            changed = f"SELECT {keys_b}, " + ", ".join(
                f"a.{_ident(c)}, b.{_ident(c)}" for c in others) + f" FROM a JOIN b ON {on} WHERE {differs}" \
                if others else "SELECT 1 WHERE false"
            n_changed = int(con.execute(f"SELECT count(*) FROM ({changed})").fetchall()[0][0])
            for row in con.execute(f"{changed} LIMIT {int(limit)}").fetchall():
                pairs = row[len(key):]
                cells = [(c, pairs[2 * i], pairs[2 * i + 1]) for i, c in enumerate(others)
                         if pairs[2 * i] != pairs[2 * i + 1]]
                examples.append({"kind": "changed", "key": list(row[:len(key)]), "cells": cells})
        else:
            added = f"SELECT {cols} FROM b EXCEPT ALL SELECT {cols} FROM a"
            removed = f"SELECT {cols} FROM a EXCEPT ALL SELECT {cols} FROM b"
            n_changed = 0
        n_added = int(con.execute(f"SELECT count(*) FROM ({added})").fetchall()[0][0])
        n_removed = int(con.execute(f"SELECT count(*) FROM ({removed})").fetchall()[0][0])
        for kind, query in (("added", added), ("removed", removed)):
            for row in con.execute(f"SELECT {cols} FROM ({query}) LIMIT {int(limit)}").fetchall():
                values = dict(zip(common, row, strict=True))
                examples.append({"kind": kind, "key": [values[k] for k in key],
                                 "cells": [(c, values[c]) for c in common]})
        return TableDiff(added_cols, removed_cols, key, n_added, n_removed, n_changed, examples)
    finally:
        con.close()
