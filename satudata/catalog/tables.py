"""Reading stored tables for the public pages: a column summary, a page of rows, and a chart.

DuckDB reads the stored CSV directly (no whole-file load into Python), so a preview of a large
table costs one page of rows. The typed Parquet datastore (its own issue) will sit behind
the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
           "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
YEARISH = ("tahun", "year", "periode", "bulan", "month", "triwulan", "semester")


@dataclass
class TableSummary:
    row_count: int
    columns: list[dict[str, Any]]


@dataclass
class TablePage:
    columns: list[dict[str, Any]]
    rows: list[list[Any]]
    total: int
    offset: int
    limit: int


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_code_column(name: str) -> bool:
    """``kode_wilayah``, ``kode_sekolah``, ``id``, ``id_faskes``: identifiers, not quantities."""
    lowered = name.lower()
    return "kode" in lowered or lowered == "id" or lowered.startswith("id_")


def _open(path: Path) -> tuple[duckdb.DuckDBPyConnection, list[tuple[str, str]]]:
    """A connection with view ``t`` over the CSV, and its (column, type) list.

    DuckDB sniffs types; a column whose name says it holds a code (``kode_*``, ``id*``) is
    kept as text, because "14.07" is a region code, not the number 14.07.
    """
    con = duckdb.connect()
    src = f"read_csv({_lit(str(path))}, header=true, sample_size=-1"
    con.execute(f"CREATE VIEW t AS SELECT * FROM {src})")
    cols = [(r[0], str(r[1])) for r in con.execute("DESCRIBE t").fetchall()]
    kode = [c for c, _ in cols if is_code_column(c)]
    if kode:
        types = ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in kode)
        con.execute(f"CREATE OR REPLACE VIEW t AS SELECT * FROM {src}, types={{{types}}})")
        cols = [(r[0], str(r[1])) for r in con.execute("DESCRIBE t").fetchall()]
    return con, cols


def _is_numeric(duck_type: str) -> bool:
    return duck_type.upper().startswith(NUMERIC)


def summarise(path: Path) -> TableSummary | None:
    """Row count and per-column type/min/max; ``None`` when DuckDB cannot read it as a table."""
    try:
        con, cols = _open(path)
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


def page(path: Path, offset: int = 0, limit: int = 25) -> TablePage:
    """One page of rows of a stored CSV."""
    con, cols = _open(path)
    try:
        total = int(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
        columns = [{"name": n, "type": "number" if _is_numeric(t) else "string"} for n, t in cols]
        rows = [list(r) for r in con.execute("SELECT * FROM t LIMIT ? OFFSET ?", [limit, offset]).fetchall()]
        return TablePage(columns=columns, rows=rows, total=total, offset=offset, limit=limit)
    finally:
        con.close()


def chart(path: Path, max_points: int = 60) -> dict[str, Any] | None:
    """A chart of a table's numeric columns, or ``None`` when nothing is worth plotting.

    A line chart when the label column is a time (tahun, bulan, periode), else a bar chart.
    The label is the first text column (e.g. the kecamatan name) or the time column.
    """
    try:
        con, cols = _open(path)
    except duckdb.Error:
        return None
    try:
        names = [c for c, _ in cols]
        time_col = next((n for n in names if any(k in n.lower() for k in YEARISH)), None)
        text_cols = [n for n, t in cols if not _is_numeric(t) and not is_code_column(n)]
        numeric = [n for n, t in cols if _is_numeric(t) and n != time_col and not is_code_column(n)]
        if not numeric:
            return None
        label = time_col if (time_col and not text_cols) else (text_cols[0] if text_cols else time_col)
        if label is None:
            return None
        kind = "line" if label == time_col else "bar"
        series = numeric[:4]
        q = ", ".join(_ident(c) for c in [label, *series])
        data = con.execute(f"SELECT {q} FROM t LIMIT ?", [max_points]).fetchall()
        if kind == "line":
            data.sort(key=lambda r: str(r[0]))
        return {
            "type": kind,
            "label_column": label,
            "labels": [str(r[0]) for r in data],
            "series": [{"name": s, "values": [r[i + 1] for r in data]} for i, s in enumerate(series)],
            "truncated": len(data) >= max_points,
        }
    except duckdb.Error:
        return None
    finally:
        con.close()
