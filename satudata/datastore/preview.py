"""What the public pages show of a table, read from its typed copy: a page of rows (sorted,
filtered and searched on the server, so a million-row table pages as fast as a small one) with
the Table Schema's column titles, units and descriptions, and the default chart.

**The default chart** follows the dataset's Satu Data metadata, not the column order: its
measure is the column the dataset's ``ukuran`` and ``satuan`` name (the stunting table charts
``prevalensi_stunting_persen``, not head counts), percentages are averaged and shown as
percentages, and codes, ids and years are never a measure. Its labels are the column the
``klasifikasi`` names (kecamatan, tahun), else the time column, else the first text column;
rows sharing a label are aggregated (sum, or mean for percentages).

The catalogue's pages call these through the reader it is handed at start-up
(``catalog.views.use_table_reader``): the catalogue sits below the datastore.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import duckdb

from satudata.catalog.models import Dataset, Resource
from satudata.datastore import engine
from satudata.datastore.copies import ID_COLUMN
from satudata.datastore.services import query as services
from satudata.errors import DomainError, Invalid

YEARISH = ("tahun", "year", "periode", "bulan", "month", "triwulan", "semester")
NUMERIC = frozenset({"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT"})
PERCENT_WORDS = ("persen", "persentase", "prevalensi", "%", "rasio", "proporsi", "tingkat", "laju", "cakupan")
MAX_POINTS = 60


@dataclass
class Column:
    """A column as the page shows it."""

    name: str
    title: str
    type: str  # number, integer, date, boolean, string
    unit: str | None = None
    description: str | None = None
    yearish: bool = False
    code: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "type": "number" if self.type in ("number", "integer")
                else self.type, "unit": self.unit, "description": self.description, "yearish": self.yearish,
                "code": self.code}


@dataclass
class Page:
    columns: list[dict[str, Any]]
    rows: list[list[Any]]
    total: int
    unfiltered: int
    filtered: bool = False
    notes: list[str] = field(default_factory=list)


def _humanize(name: str) -> str:
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else name


def _is_code(name: str, schema_field: dict[str, Any] | None) -> bool:
    lowered = name.lower()
    if schema_field and any(k.startswith("x-kode") for k in schema_field):
        return True
    return "kode" in lowered or lowered in ("id", "no", "nomor", "no_urut") or lowered.startswith("id_")


def columns_of(table: services.Table) -> list[Column]:
    """The copy's columns (not ``_id``) with what the Table Schema says of each."""
    fields = {str(f.get("name")): f for f in (table.descriptor or {}).get("fields", []) if isinstance(f, dict)}
    out = []
    for name, duck in table.handle.columns.items():
        if name == ID_COLUMN:
            continue
        f = fields.get(name)
        kind = "number" if duck in ("DOUBLE", "FLOAT") else "integer" if duck in NUMERIC else \
            "date" if duck in ("DATE", "TIMESTAMP") else "boolean" if duck == "BOOLEAN" else "string"
        schema_type = (f or {}).get("type")
        unit = (f or {}).get("unit") or (f or {}).get("satuan")
        out.append(Column(
            name=name, title=(f or {}).get("title") or _humanize(name), type=kind,
            unit=str(unit) if unit else None, description=(f or {}).get("description") or None,
            yearish=schema_type in ("year", "yearmonth") or any(w in name.lower() for w in YEARISH),
            code=_is_code(name, f)))
    return out


def read_page(resource: Resource, *, offset: int, limit: int, sort: tuple[str, bool] | None = None,
              filters: dict[str, str] | None = None, q: str | None = None) -> Page:
    """One page of the table's rows, sorted, filtered (exact values) and searched (words)."""
    table = services.open_copy(resource)
    columns = columns_of(table)
    names = [c.name for c in columns]
    query = services.Query(
        filters={k: [v] for k, v in (filters or {}).items() if v != ""},
        q=q or None, fields=names, sort=[sort] if sort else [], limit=limit, offset=offset, nulls_last=True)
    result = services.search(table, query)
    filtered = bool(query.filters or query.q)
    unfiltered = result.total or 0
    if filtered:
        counted = table.handle.execute("SELECT count(*) FROM t").fetchone()
        unfiltered = int(counted[0]) if counted else 0
    return Page(columns=[c.as_dict() for c in columns], rows=[list(r) for r in result.rows], total=result.total or 0,
                unfiltered=unfiltered, filtered=filtered)


# --------------------------------------------------------------------------- the default chart


def _words(text: str | None) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z%]+", (text or "").lower()) if w]


def _terms(text: str | None) -> list[list[str]]:
    """``"Jumlah, persentase, indeks"`` -> ``[["jumlah"], ["persentase"], ["indeks"]]``."""
    parts = re.split(r"[;,/]|\bdan\b", (text or "").lower())
    return [w for w in (_words(p) for p in parts) if w]


def _haystack(col: Column) -> set[str]:
    return set(_words(col.name)) | set(_words(col.title)) | set(_words(col.unit))


def _is_percent(col: Column, satuan_terms: list[list[str]], chosen_by_satuan: bool) -> bool:
    words = _haystack(col)
    if col.unit and ("%" in col.unit or "persen" in col.unit.lower()):
        return True
    if chosen_by_satuan and satuan_terms and satuan_terms[0][:1] == ["persen"]:
        return True
    return bool(words & {"persen", "persentase", "prevalensi", "%"})


def choose_measure(columns: list[Column], dataset: Dataset | None) -> tuple[Column, bool] | None:
    """The column the chart shows and whether it is a percentage; None when no column is a measure."""
    measures = [c for c in columns if c.type in ("number", "integer") and not c.code and not c.yearish]
    if not measures:
        return None
    ukuran = _terms(dataset.ukuran if dataset is not None else None)
    satuan = _terms(dataset.satuan if dataset is not None else None)

    def score(col: Column) -> tuple[int, int]:
        words = _haystack(col)
        best = 0
        for rank, term in enumerate(ukuran[:3]):
            if all(w in words or any(x.startswith(w) for x in words) for w in term):
                best = max(best, 6 - rank * 2)
        for rank, term in enumerate(satuan[:3]):
            unit_words = set(term)
            if unit_words & words or (col.unit and unit_words & set(_words(col.unit))):
                best += max(1, 3 - rank)
        return best, -measures.index(col)

    chosen = max(measures, key=score)
    by_satuan = bool(satuan) and bool(set(satuan[0]) & _haystack(chosen))
    return chosen, _is_percent(chosen, satuan, by_satuan)


def choose_label(columns: list[Column], dataset: Dataset | None, measure: Column) -> Column | None:
    candidates = [c for c in columns if c is not measure and not c.code]
    for term in _terms(dataset.klasifikasi if dataset is not None else None)[:2]:
        for col in candidates:
            if col.type != "number" and all(w in _haystack(col) for w in term):
                return col
    time_col = next((c for c in candidates if c.yearish), None)
    text_col = next((c for c in candidates if c.type == "string"), None)
    return text_col or time_col


def default_choices(columns: list[Column], dataset: Dataset | None, kind: str = "bar") -> dict[str, Any] | None:
    """The builder's choices of the default chart (or, ``kind="map"``, map): the measure the
    dataset's ukuran/satuan name, averaged when it is a percentage, by the klasifikasi's column
    (a map: by the region-code column). None when the table has nothing to draw that way."""
    chosen = choose_measure(columns, dataset)
    if chosen is None:
        return None
    measure, percent = chosen
    x = region_column(columns) if kind == "map" else choose_label(columns, dataset, measure)
    if x is None:
        return None
    return {"kind": kind, "x": x.name, "ys": [measure.name], "aggregate": "mean" if percent else "sum",
            "percent": percent}


def default_chart(resource: Resource, dataset: Dataset | None = None) -> dict[str, Any] | None:
    """The dataset page's chart of a table, or None when nothing is worth plotting."""
    try:
        table = services.open_copy(resource)
    except DomainError:
        return None
    columns = columns_of(table)
    choices = default_choices(columns, dataset)
    if choices is None:
        return None
    return chart(table, columns, x=choices["x"], ys=choices["ys"], aggregate=choices["aggregate"],
                 percent=choices["percent"])


AGGREGATES = {"sum": "sum", "mean": "avg", "count": "count"}
CHART_TYPES = ("bar", "line", "stacked", "pie")


def chart(table: services.Table, columns: list[Column], *, x: str, ys: list[str], aggregate: str = "sum",
          kind: str | None = None, percent: bool | None = None, max_points: int = MAX_POINTS) -> dict[str, Any]:
    """A chart spec: ``ys`` aggregated per value of ``x`` (in time order for a time column,
    else in the table's order), at most ``max_points`` labels."""
    by_name = {c.name: c for c in columns}
    if x not in by_name:
        raise Invalid(f'Kolom "{x[:100]}" tidak ada di tabel ini.', details={"x": [f'invalid value "{x[:100]}"']})
    if aggregate not in AGGREGATES:
        raise Invalid("Agregasi harus sum, mean atau count.", details={"aggregate": ["Pilih sum, mean atau count."]})
    for y in ys:
        col = by_name.get(y)
        if col is None:
            raise Invalid(f'Kolom "{y[:100]}" tidak ada di tabel ini.', details={"y": [f'invalid value "{y[:100]}"']})
        if aggregate != "count" and col.type not in ("number", "integer"):
            raise Invalid(f'Kolom "{col.title}" bukan angka; pilih kolom angka atau agregasi "jumlah baris".',
                          details={"y": [f'"{y}" is not numeric']})
    if not ys:
        raise Invalid("Pilih setidaknya satu kolom nilai.", details={"y": ["Missing value"]})
    label = by_name[x]
    fn = AGGREGATES[aggregate]
    values = ", ".join(f"{fn}({engine.ident(y)})" if aggregate != "count" else f"count({engine.ident(y)})"
                       for y in ys[:6])
    order = engine.ident(x) if label.yearish or label.type in ("date", "integer", "number") else f"min({ID_COLUMN})"
    sql = (f"SELECT {engine.ident(x)}, {values} FROM t GROUP BY {engine.ident(x)} "
           f"ORDER BY {order} NULLS LAST LIMIT ?")
    try:
        rows = table.handle.execute(sql, [max_points + 1]).fetchall()
    except duckdb.Error as exc:
        raise Invalid("Grafik tidak dapat dibuat dari tabel ini.", details={"query": [str(exc).splitlines()[0]]}) \
            from exc
    truncated = len(rows) > max_points
    rows = rows[:max_points]
    if kind is None:
        kind = "line" if label.yearish or label.type == "date" else "bar"
    if percent is None:
        percent = all(_is_percent(by_name[y], [], False) for y in ys) and aggregate != "count"
    units = {by_name[y].unit for y in ys if by_name[y].unit}
    return {
        "type": kind,
        "label_column": x,
        "label_title": label.title,
        "labels": ["–" if r[0] is None else services.text_value(r[0]) for r in rows],
        "series": [{"name": y, "label": by_name[y].title, "values": [services.json_value(r[i + 1]) for r in rows]}
                   for i, y in enumerate(ys[:6])],
        "aggregate": aggregate,
        "percent": percent,
        "unit": "%" if percent else (units.pop() if len(units) == 1 else None),
        "truncated": truncated,
    }


# --------------------------------------------------------------------------- maps


PROVINCES = {"14": "riau", "76": "sulawesi_barat"}
LEVELS = {2: "kabupaten_kota", 3: "kecamatan"}


def region_column(columns: list[Column]) -> Column | None:
    """The column holding Kemendagri region codes (``kode_wilayah``, or one the Table Schema
    marks ``x-kode-wilayah``), or None."""
    for col in columns:
        if col.type == "string" and (col.name.lower() in ("kode_wilayah", "kode_kabupaten_kota", "kode_kecamatan",
                                                          "kode_wilayah_kemendagri")):
            return col
    return None


def map_spec(table: services.Table, columns: list[Column], *, region: str, value: str, aggregate: str = "sum",
             title: str | None = None) -> dict[str, Any]:
    """A choropleth of ``value`` (aggregated per region) over the boundaries the codes of column
    ``region`` belong to (one province, kabupaten/kota or kecamatan). ``Invalid`` when the codes
    match no boundary the portal ships."""
    from flask import url_for

    by_name = {c.name: c for c in columns}
    if region not in by_name:
        raise Invalid(f'Kolom "{region[:100]}" tidak ada di tabel ini.', details={"x": [f'invalid value "{region[:100]}"']})
    if value not in by_name:
        raise Invalid(f'Kolom "{value[:100]}" tidak ada di tabel ini.', details={"y": [f'invalid value "{value[:100]}"']})
    if aggregate not in AGGREGATES:
        raise Invalid("Agregasi harus sum, mean atau count.", details={"aggregate": ["Pilih sum, mean atau count."]})
    col = by_name[value]
    if aggregate != "count" and col.type not in ("number", "integer"):
        raise Invalid(f'Kolom "{col.title}" bukan angka; pilih kolom angka untuk peta.',
                      details={"y": [f'"{value}" is not numeric']})
    fn = AGGREGATES[aggregate]
    sql = (f"SELECT trim(CAST({engine.ident(region)} AS VARCHAR)) AS kode, {fn}({engine.ident(value)}) FROM t "
           f"WHERE {engine.ident(region)} IS NOT NULL GROUP BY 1 LIMIT 5000")
    rows = table.handle.execute(sql).fetchall()
    levels: dict[tuple[str, str], int] = {}
    for kode, _ in rows:
        parts = str(kode).split(".")
        if len(parts) in LEVELS and parts[0] in PROVINCES:
            key = (PROVINCES[parts[0]], LEVELS[len(parts)])
            levels[key] = levels.get(key, 0) + 1
    if not levels:
        raise Invalid("Kode wilayah di tabel ini tidak cocok dengan batas wilayah yang tersedia di portal "
                      "(kabupaten/kota atau kecamatan di Riau dan Sulawesi Barat, ditulis seperti 14.07 atau 14.07.01).",
                      details={"x": ["no boundary for these region codes"]})
    province, level = max(levels, key=lambda k: levels[k])
    prefix = {"riau": "14", "sulawesi_barat": "76"}[province]
    depth = 2 if level == "kabupaten_kota" else 3
    values = {str(k): services.json_value(v) for k, v in rows
              if str(k).startswith(prefix + ".") and len(str(k).split(".")) == depth}
    percent = aggregate != "count" and _is_percent(col, [], False)
    # Kecamatan of one kabupaten/kota: the map shows that kabupaten, not the whole province.
    parents = {k.rsplit(".", 1)[0] for k in values} if level == "kecamatan" else set()
    return {
        "type": "map",
        "focus": parents.pop() if len(parents) == 1 else None,
        "boundary": url_for("datastore.boundary", key=f"{province}_{level}"),
        "level": level,
        "region_column": region,
        "value_column": value,
        "value_title": col.title if aggregate != "count" else "Jumlah baris",
        "values": values,
        "matched": len(values),
        "unmatched": len(rows) - len(values),
        "aggregate": aggregate,
        "percent": percent,
        "unit": "%" if percent else col.unit,
        "title": title or col.title,
    }


def default_map(resource: Resource, dataset: Dataset | None = None) -> dict[str, Any] | None:
    """The map of the default chart's measure by region, when the table has region codes."""
    try:
        table = services.open_copy(resource)
    except DomainError:
        return None
    columns = columns_of(table)
    choices = default_choices(columns, dataset, "map")
    if choices is None:
        return None
    try:
        return map_spec(table, columns, region=choices["x"], value=choices["ys"][0], aggregate=choices["aggregate"])
    except Invalid:
        return None


def view_spec(table: services.Table, choices: dict[str, Any], *, title: str | None = None) -> dict[str, Any]:
    """The chart or map a builder's ``choices`` (kind, x, ys, aggregate) draw."""
    columns = columns_of(table)
    kind = choices.get("kind") or "bar"
    ys = [y for y in choices.get("ys") or [] if y]
    aggregate = choices.get("aggregate") or "sum"
    if kind == "map":
        if not ys:
            raise Invalid("Pilih kolom nilai untuk peta.", details={"y": ["Missing value"]})
        return map_spec(table, columns, region=str(choices.get("x") or ""), value=ys[0], aggregate=aggregate,
                        title=title)
    if kind not in CHART_TYPES:
        raise Invalid("Jenis grafik harus batang, garis, batang bertumpuk, pai atau peta.",
                      details={"kind": ["Pilih bar, line, stacked, pie atau map."]})
    if kind == "pie":
        ys = ys[:1]
    spec = chart(table, columns, x=str(choices.get("x") or ""), ys=ys, aggregate=aggregate, kind=kind)
    if title:
        spec["title"] = title
    return spec
