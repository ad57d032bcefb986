"""The datastore's REST endpoint: ``GET /api/v1/resources/<id>/data``, the rows of a published
table filtered, searched, sorted and paged as ``datastore_search`` does, as JSON (the envelope),
CSV or XLSX (``format=``). Public: no token, any web page may call it.

JSON pages hold at most ``DATASTORE_MAX_ROWS`` rows; CSV and XLSX are downloads of the whole
selection (XLSX up to Excel's row limit), streamed from the copy.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, send_file, stream_with_context
from marshmallow import Schema, fields, validate

from satudata.catalog import exports
from satudata.datastore import services as datastore
from satudata.errors import Invalid
from satudata.rest.docs import PathParam, documented
from satudata.rest.envelope import API_PREFIX, envelope, response_schema, url_with
from satudata.rest.fields import Bool, Int, Text, between
from satudata.rest.inputs import ArgsSchema, load_query, path_key, shown

bp = Blueprint("datastore_api", __name__, url_prefix=API_PREFIX)

RESOURCE_ID = PathParam("resource_id", "ID (UUID) sumber data tabel.", "00000000-0000-0000-0000-000000000000")
XLSX_MAX_ROWS = 1_048_575  # Excel's rows, less the header
STREAM_BATCH = 10_000


class DataArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/resources/<id>/data``."""

    filters = Text(metadata={"description": "Objek JSON kolom → nilai (atau daftar nilai) yang harus sama persis, "
                                            "misalnya `{\"kode_wilayah\": \"14.07\"}`.",
                             "example": "{\"kode_wilayah\": \"14.07\"}"})
    q = Text(validate=validate.Length(max=datastore.MAX_Q_CHARS),
             metadata={"description": "Kata yang harus ada di baris (di kolom teks mana pun).", "example": "rokan"})
    sort = Text(validate=validate.Length(max=500),
                metadata={"description": "Urutan: `kolom`, `kolom desc`, dipisah koma.", "example": "tahun desc"})
    fields_ = Text(data_key="fields", validate=validate.Length(max=5000),
                   metadata={"description": "Kolom yang diambil, dipisah koma (bawaan: semua).",
                             "example": "nama_wilayah,jumlah"})
    distinct = Bool(load_default=False, metadata={"description": "Hanya baris yang berbeda.", "example": False})
    offset = Int(load_default=0, validate=between(0, 10**12),
                 metadata={"description": "Lewati sebanyak ini baris.", "example": 0})
    limit = Int(validate=between(0),
                metadata={"description": "Jumlah baris paling banyak: JSON bawaan 100 (paling banyak "
                                         "DATASTORE_MAX_ROWS); CSV dan XLSX bawaan seluruh pilihan.", "example": 100})
    format = Text(load_default="json", validate=validate.OneOf(("json", "csv", "xlsx"), error="Pilih json, csv atau xlsx."),
                  metadata={"description": "Bentuk jawaban: `json` (bawaan), `csv` atau `xlsx`.", "example": "json"})


def _data_args(config: Mapping[str, Any]) -> Schema:
    return DataArgs()


class DataFieldSchema(Schema):
    class Meta:
        description = "Satu kolom tabel."

    id = fields.String(metadata={"description": "Nama kolom.", "example": "kode_wilayah"})
    type = fields.String(metadata={"description": "Tipe kolom (nama tipe PostgreSQL, seperti CKAN DataStore).",
                                   "example": "text"})
    title = fields.String(allow_none=True, metadata={"description": "Judul kolom dari Table Schema.",
                                                     "example": "Kode wilayah"})
    description = fields.String(allow_none=True, metadata={"description": "Keterangan kolom dari Table Schema."})
    unit = fields.String(allow_none=True, metadata={"description": "Satuan nilai, bila Table Schema menyebutnya.",
                                                    "example": "jiwa"})


class DataSchema(Schema):
    class Meta:
        description = "Kolom dan baris."

    fields_ = fields.List(fields.Nested(DataFieldSchema), data_key="fields",
                          metadata={"description": "Kolom, berurutan."})
    records = fields.List(fields.Dict(), metadata={"description": "Baris, satu objek per baris (kolom → nilai)."})


class DataMetaSchema(Schema):
    class Meta:
        description = "Letak halaman ini dalam hasil."

    total = fields.Integer(metadata={"description": "Jumlah baris yang cocok.", "example": 12})
    offset = fields.Integer(metadata={"description": "Baris yang dilewati.", "example": 0})
    limit = fields.Integer(metadata={"description": "Baris paling banyak di halaman ini.", "example": 100})


class DataLinksSchema(Schema):
    class Meta:
        description = "Tautan halaman."

    self = fields.String(metadata={"description": "Halaman ini."})
    next = fields.String(allow_none=True, metadata={"description": "Halaman berikutnya."})
    prev = fields.String(allow_none=True, metadata={"description": "Halaman sebelumnya."})
    csv = fields.String(metadata={"description": "Seluruh pilihan ini sebagai CSV."})
    xlsx = fields.String(metadata={"description": "Seluruh pilihan ini sebagai XLSX."})


DataResponse = response_schema(
    "DataResponse", "Respons GET /api/v1/resources/{resource_id}/data.",
    fields.Nested(DataSchema, metadata={"description": "Kolom dan baris."}),
    meta=fields.Nested(DataMetaSchema, metadata={"description": "Jumlah dan letak."}),
    links=fields.Nested(DataLinksSchema, metadata={"description": "Tautan."}))


def _field(item: dict[str, Any]) -> dict[str, Any]:
    info = item.get("info") or {}
    return {"id": item["id"], "type": item["type"], "title": info.get("label") or None,
            "description": info.get("notes") or None, "unit": info.get("unit")}


@bp.get("/resources/<resource_id>/data")
@documented(
    operation_id="getResourceData", tag="Sumber data", summary="Data tabel: saring, cari, urutkan",
    description="Baris tabel sumber data yang sudah terbit, dibaca dari salinan bertipe (Parquet) sesuai Table "
                "Schema-nya: kode seperti `14.07` tetap teks, angka tetap angka. Saring dengan `filters` (sama persis), "
                "cari kata dengan `q`, urutkan dengan `sort`, pilih kolom dengan `fields`, dan halaman dengan `limit`/"
                "`offset`. `format=csv` atau `format=xlsx` mengunduh seluruh pilihan. Sama dengan aksi CKAN "
                "`datastore_search`. Kolom atau nilai yang tidak dikenal dijawab 422; tabel draf, yang ditarik atau "
                "yang bukan tabel tervalidasi dijawab 404.",
    response=DataResponse, response_description="Kolom, baris dan jumlahnya.", path_params=(RESOURCE_ID,),
    query=_data_args, errors=("404", "422"),
    example_query={"sort": "_id desc", "limit": "10"})
def get_resource_data(resource_id: str) -> Any:
    args = load_query(DataArgs())
    table = datastore.public_table(path_key(resource_id, f"Sumber data '{shown(resource_id)}' tidak ditemukan."))
    fmt = args["format"]
    max_rows = int(current_app.config["DATASTORE_MAX_ROWS"]) if fmt == "json" else XLSX_MAX_ROWS
    limit = args.get("limit")
    if limit is None:
        limit = min(100, max_rows) if fmt == "json" else max_rows
    if limit > max_rows:
        raise Invalid(f"limit paling banyak {max_rows:,}".replace(",", ".") + ".",
                      details={"limit": [f"Paling banyak {max_rows}."]})
    raw_fields = args.get("fields_")
    query = datastore.Query(
        filters=datastore.parse_filters(args.get("filters")), q=args.get("q") or None,
        fields=[f.strip() for f in raw_fields.split(",") if f.strip()] if raw_fields else None,
        distinct=args["distinct"], sort=datastore.parse_sort(args.get("sort")), limit=limit, offset=args["offset"],
        include_total=fmt == "json")
    if fmt != "json":
        return _download(table, query, fmt)
    result = datastore.search(table, query)
    records = [{c: datastore.json_value(v) for c, v in zip(result.columns, row, strict=False)} for row in result.rows]
    total = result.total or 0
    offset = query.offset
    return envelope(
        {"fields": [_field(f) for f in datastore.fields_of(table, result.columns)], "records": records},
        meta={"total": total, "offset": offset, "limit": limit},
        links={"self": url_with(offset=offset, limit=limit),
               "next": url_with(offset=offset + limit, limit=limit) if offset + limit < total else None,
               "prev": url_with(offset=max(0, offset - limit), limit=limit) if offset > 0 else None,
               "csv": url_with(format="csv", offset=0), "xlsx": url_with(format="xlsx", offset=0)})


def _batches(table: datastore.Table, query: datastore.Query) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    """The selection's columns and its rows in batches, read from one cursor."""
    cursor = datastore.select(table, query)
    columns = [d[0] for d in cursor.description or []]

    def rows() -> Iterator[list[tuple[Any, ...]]]:
        try:
            while batch := cursor.fetchmany(STREAM_BATCH):
                yield batch
        finally:
            cursor.close()

    return columns, rows()


def _download(table: datastore.Table, query: datastore.Query, fmt: str) -> Response:
    name = Path(exports.download_name(table.resource, "csv")).stem + "-pilihan"
    columns, batches = _batches(table, query)
    if fmt == "csv":
        def body() -> Iterator[str]:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(columns)
            for batch in batches:
                writer.writerows([datastore.text_value(v) for v in row] for row in batch)
                yield out.getvalue()
                out.seek(0)
                out.truncate()
            yield out.getvalue()

        return Response(stream_with_context(body()), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    workdir = Path(tempfile.mkdtemp(prefix="satudata-data-"))
    target = workdir / f"{name}.xlsx"
    try:
        exports.write_xlsx(target, columns, (list(row) for batch in batches for row in batch))
        data = target.read_bytes()
    finally:
        target.unlink(missing_ok=True)
        workdir.rmdir()
    return send_file(io.BytesIO(data), as_attachment=True, download_name=f"{name}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
