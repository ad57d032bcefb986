"""The catalogue's REST endpoints (``/api/v1``): public datasets (search, filters, facets),
their resources and table rows, topics and licences. Public reads: no token, any web page may
call them. What is public (published + ``publik``) is decided by the catalogue services; the
shapes are those of ``satudata/catalog/serializers.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, request
from marshmallow import Schema, fields

from satudata import search_limits as limits
from satudata.catalog import serializers as ser
from satudata.catalog import services as catalog
from satudata.catalog import tables
from satudata.catalog.models import Resource
from satudata.errors import Conflict, DomainError, NotFound
from satudata.rest.docs import PathParam, documented
from satudata.rest.envelope import (
    API_PREFIX,
    CountMetaSchema,
    PageLinksSchema,
    PageMetaSchema,
    envelope,
    page_links,
    response_schema,
    url_with,
)
from satudata.rest.fields import json_cell
from satudata.rest.inputs import load_query, path_key, shown

bp = Blueprint("catalog_api", __name__, url_prefix=API_PREFIX)

FACET_KEYS = ("organization", "topic", "tag", "format", "year", "licence", "wilayah")
DATASET_KEY = PathParam("key", "Slug atau ID (UUID) dataset.", "jumlah-penduduk")
RESOURCE_ID = PathParam("resource_id", "ID (UUID) sumber data.", "00000000-0000-0000-0000-000000000000")
TOPIC_SLUG = PathParam("slug", "Slug topik.", "kependudukan")
VERSION_NUMBER = PathParam("number", "Nomor versi, mulai dari 1.", "1", type="integer")
GONE = (" Dataset yang sudah ditarik walidata dijawab 410 dengan alasannya (`error.details.reason`).")

DatasetList = response_schema(
    "DatasetList", "Respons GET /api/v1/datasets.",
    fields.List(fields.Nested(ser.DatasetSummarySchema), metadata={"description": "Dataset di halaman ini."}),
    meta=fields.Nested(PageMetaSchema, metadata={"description": "Jumlah hasil dan halaman."}),
    links=fields.Nested(PageLinksSchema, metadata={"description": "Tautan halaman ini, berikutnya dan "
                                                                  "sebelumnya."}),
    facets=fields.Nested(ser.FacetsSchema, metadata={"description": "Jumlah dataset yang cocok per nilai filter."}))
DatasetResponse = response_schema(
    "DatasetResponse", "Respons GET /api/v1/datasets/{key}.",
    fields.Nested(ser.DatasetDetailSchema, metadata={"description": "Dataset."}))
ResourceList = response_schema(
    "ResourceList", "Respons GET /api/v1/datasets/{key}/resources.",
    fields.List(fields.Nested(ser.ResourceSchema), metadata={"description": "Sumber data, berurutan."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah sumber data."}))
ResourceResponse = response_schema(
    "ResourceResponse", "Respons GET /api/v1/resources/{resource_id}.",
    fields.Nested(ser.ResourceSchema, metadata={"description": "Sumber data."}))
RowsResponse = response_schema(
    "RowsResponse", "Respons GET /api/v1/resources/{resource_id}/rows.",
    fields.Nested(ser.RowsDataSchema, metadata={"description": "Kolom dan baris."}),
    meta=fields.Nested(ser.RowsMetaSchema, metadata={"description": "Letak potongan ini dalam tabel."}),
    links=fields.Nested(PageLinksSchema, metadata={"description": "Tautan potongan ini, berikutnya dan "
                                                                  "sebelumnya."}))
VersionList = response_schema(
    "VersionList", "Respons GET /api/v1/datasets/{key}/versions.",
    fields.List(fields.Nested(ser.VersionSummarySchema), metadata={"description": "Versi terbit, terbaru lebih "
                                                                                  "dulu."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah versi."}))
VersionResponse = response_schema(
    "VersionResponse", "Respons GET /api/v1/datasets/{key}/versions/{number}.",
    fields.Nested(ser.VersionDetailSchema, metadata={"description": "Versi."}))
TopicList = response_schema(
    "TopicList", "Respons GET /api/v1/topics.",
    fields.List(fields.Nested(ser.TopicSchema), metadata={"description": "Topik, urut nama."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah topik."}))
TopicResponse = response_schema(
    "TopicResponse", "Respons GET /api/v1/topics/{slug}.",
    fields.Nested(ser.TopicSchema, metadata={"description": "Topik."}))
LicenceList = response_schema(
    "LicenceList", "Respons GET /api/v1/licences.",
    fields.List(fields.Nested(ser.LicenceSchema), metadata={"description": "Lisensi, urut nama."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah lisensi."}))


def _config_int(name: str) -> int:
    return int(current_app.config[name])


def _dataset_args(config: Mapping[str, Any]) -> Schema:
    return ser.DatasetListArgs(max_per_page=int(config["API_MAX_ROWS"]), default_per_page=int(config["PAGE_SIZE"]))


def _rows_args(config: Mapping[str, Any]) -> Schema:
    return ser.RowsArgs(max_limit=int(config["API_MAX_ROWS"]))


def _dataset(key: str) -> Any:
    return catalog.get_public_dataset(path_key(key, f"Dataset '{shown(key)}' tidak ditemukan."),
                                      explain_withdrawn=True)


def _resource(resource_id: str) -> Resource:
    return catalog.get_public_resource(
        path_key(resource_id, f"Sumber data '{shown(resource_id)}' tidak ditemukan."), explain_withdrawn=True)


# --------------------------------------------------------------------------- datasets


@bp.get("/datasets")
@documented(
    operation_id="listDatasets", tag="Dataset", summary="Cari dan daftar dataset",
    description="Dataset yang sudah terbit dan berklasifikasi publik, dengan pencarian, filter, urutan, halaman "
                "dan facet (jumlah dataset per nilai filter). Filter yang diulang mempersempit hasil. Halaman di "
                "luar jangkauan dijawab 404.",
    response=DatasetList, response_description="Satu halaman dataset.", query=_dataset_args, errors=("404", "422"),
    example_query={"q": "penduduk", "per_page": "5"})
def list_datasets() -> Any:
    # Sizes first, on the raw query string (SEARCH_MAX_* settings), before anything is loaded.
    limits.check_filter_values({key: len(request.args.getlist(key)) for key in ser.DATASET_FILTERS})
    limits.check_query_text(request.args.get("q", ""))
    args = load_query(_dataset_args(current_app.config))
    filters = {key: [str(v) for v in args[key]] for key in ser.DATASET_FILTERS if args[key]}
    page, per_page = args["page"], args["per_page"]
    limits.check_start((page - 1) * per_page, "page", page=page, per_page=per_page)
    result = catalog.find_public(catalog.DatasetQuery.of(args["q"], filters, sort=args["sort"], page=page,
                                                         per_page=per_page, facets=FACET_KEYS))
    if page > result.pages:
        raise NotFound(
            f"Halaman {page} tidak ada: hasil ini hanya {result.pages} halaman.",
            details={"page": [f"Pilih halaman 1 sampai {result.pages}."]},
        )
    return envelope(
        ser.DatasetSummarySchema(many=True).dump(result.items),
        meta={"total": result.total, "page": page, "per_page": per_page, "pages": result.pages},
        links=page_links(page, result.pages),
        facets={
            key: [{"value": value, "label": label, "count": count} for value, label, count in values]
            for key, values in result.facets.items()
        },
    )


@bp.get("/datasets/<key>")
@documented(
    operation_id="getDataset", tag="Dataset", summary="Rincian dataset",
    description="Semua metadata Satu Data sebuah dataset, beserta organisasi, topik, kata kunci, lisensi, sumber "
                "data dan riwayat versi.",
    response=DatasetResponse, response_description="Dataset.", path_params=(DATASET_KEY,), errors=("404", "410"))
def get_dataset(key: str) -> Any:
    return envelope(ser.DatasetDetailSchema().dump(_dataset(key)))


@bp.get("/datasets/<key>/resources")
@documented(
    operation_id="listDatasetResources", tag="Sumber data", summary="Sumber data sebuah dataset",
    description="Tabel dan dokumen sebuah dataset, sesuai urutannya.",
    response=ResourceList, response_description="Sumber data.", path_params=(DATASET_KEY,), errors=("404", "410"))
def list_dataset_resources(key: str) -> Any:
    resources = _dataset(key).resources
    return envelope(ser.ResourceSchema(many=True).dump(resources), meta={"total": len(resources)})


@bp.get("/datasets/<key>/versions")
@documented(
    operation_id="listDatasetVersions", tag="Dataset", summary="Versi terbit sebuah dataset",
    description="Setiap penerbitan oleh walidata menulis satu versi yang tidak berubah lagi: metadata dan berkas "
                "persis seperti diterbitkan. Terbaru lebih dulu." + GONE,
    response=VersionList, response_description="Versi terbit.", path_params=(DATASET_KEY,), errors=("404", "410"))
def list_dataset_versions(key: str) -> Any:
    versions = catalog.list_versions(_dataset(key))
    return envelope(ser.VersionSummarySchema(many=True).dump(versions), meta={"total": len(versions)})


@bp.get("/datasets/<key>/versions/<int:number>")
@documented(
    operation_id="getDatasetVersion", tag="Dataset", summary="Rincian satu versi",
    description="Salinan metadata sebuah versi terbit dan sumber datanya, masing-masing dengan `download_url` "
                "yang mengunduh berkas versi itu (berdasarkan sidik SHA-256-nya) dan tetap berlaku walaupun "
                "dataset sudah diterbitkan ulang dengan berkas lain." + GONE,
    response=VersionResponse, response_description="Versi.", path_params=(DATASET_KEY, VERSION_NUMBER),
    errors=("404", "410"))
def get_dataset_version(key: str, number: int) -> Any:
    return envelope(ser.VersionDetailSchema().dump(catalog.get_version(_dataset(key), number)))


# --------------------------------------------------------------------------- resources


@bp.get("/resources/<resource_id>")
@documented(
    operation_id="getResource", tag="Sumber data", summary="Rincian sumber data",
    description="Satu sumber data, dengan alamat unduhan (`download_url`) dan, untuk CSV, alamat barisnya "
                "(`rows_url`).",
    response=ResourceResponse, response_description="Sumber data.", path_params=(RESOURCE_ID,), errors=("404", "410"))
def get_resource(resource_id: str) -> Any:
    return envelope(ser.ResourceSchema().dump(_resource(resource_id)))


@bp.get("/resources/<resource_id>/rows")
@documented(
    operation_id="getResourceRows", tag="Sumber data", summary="Baris tabel",
    description="Sepotong baris tabel yang disimpan di portal dan lolos validasi (CSV, TSV, XLSX atau JSON), mulai "
                "dari `offset`, dibaca dari salinan bertipe sesuai Table Schema-nya. Untuk menyaring, mencari dan "
                "mengurutkan, pakai `/data`. Untuk sumber data lain (PDF, tautan luar, tabel yang belum lolos "
                "validasi) dijawab 409. `offset` di luar tabel memberi daftar baris kosong.",
    response=RowsResponse, response_description="Kolom dan baris.", path_params=(RESOURCE_ID,), query=_rows_args,
    errors=("404", "409", "410", "422"), example_query={"limit": "10"})
def get_resource_rows(resource_id: str) -> Any:
    res = _resource(resource_id)
    args = load_query(_rows_args(current_app.config))
    if not res.is_queryable:
        what = ("tautan luar" if not res.is_stored else f"berformat {res.format or 'tidak dikenal'}"
                if not res.is_tabular else "tabel yang belum lolos validasi")
        raise Conflict(
            f"Baris tabel hanya tersedia untuk tabel yang disimpan di portal dan lolos validasi; sumber data ini {what}.",
            details={"format": ["Unduh berkasnya lewat download_url."]},
        )
    reader = tables.reader()
    if reader is None:
        raise Conflict("Baris tabel belum tersedia di portal ini.")
    offset, limit = args["offset"], args["limit"]
    try:
        page = reader.page(res, offset=offset, limit=limit)
    except NotFound as exc:
        raise Conflict("Berkas tabel ini tidak tersedia di penyimpanan portal.") from exc
    except DomainError as exc:
        current_app.logger.warning("rows of resource %s unreadable: %s", res.id, exc.message)
        raise Conflict("Berkas ini tidak dapat dibaca sebagai tabel.") from exc
    return envelope(
        {"columns": [{"name": c["name"], "type": "number" if c["type"] == "number" else "string"}
                     for c in page.columns],
         "rows": [[json_cell(v) for v in row] for row in page.rows]},
        meta={"total": page.total, "offset": offset, "limit": limit},
        links={
            "self": url_with(offset=offset, limit=limit),
            "next": url_with(offset=offset + limit, limit=limit) if offset + limit < page.total else None,
            "prev": url_with(offset=max(0, offset - limit), limit=limit) if offset > 0 else None,
        },
    )


# --------------------------------------------------------------------------- topics and licences


@bp.get("/topics")
@documented(
    operation_id="listTopics", tag="Topik", summary="Daftar topik",
    description="Semua topik, urut nama, dengan jumlah dataset publiknya.",
    response=TopicList, response_description="Topik.")
def list_topics() -> Any:
    topics = catalog.list_topics()
    return envelope(ser.TopicSchema(many=True).dump(topics), meta={"total": len(topics)})


@bp.get("/topics/<slug>")
@documented(
    operation_id="getTopic", tag="Topik", summary="Rincian topik",
    description="Satu topik dengan jumlah dataset publiknya.",
    response=TopicResponse, response_description="Topik.", path_params=(TOPIC_SLUG,), errors=("404",))
def get_topic(slug: str) -> Any:
    topic = catalog.get_topic(path_key(slug, f"Topik '{shown(slug)}' tidak ditemukan."))
    return envelope(ser.TopicSchema().dump(topic))


@bp.get("/licences")
@documented(
    operation_id="listLicences", tag="Lisensi", summary="Daftar lisensi",
    description="Lisensi yang dapat dipakai dataset, urut nama.",
    response=LicenceList, response_description="Lisensi.")
def list_licences() -> Any:
    licences = catalog.list_licences()
    return envelope(ser.LicenceSchema(many=True).dump(licences), meta={"total": len(licences)})
