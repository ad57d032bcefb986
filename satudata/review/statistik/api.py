"""BPS statistical metadata in the REST API v1: a published public statistical dataset's MS-Keg,
MS-Var and MS-Ind, public (no token).

The body is the metadata object itself, ``{"ms_keg": {...}, "ms_var": [...], "ms_ind": [...]}``,
not the usual ``{"data": ...}`` envelope: the contract of issue #18 fixes it so, and the same
object is the JSON export of the dataset page. Errors keep the usual error shape.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from satudata.rest.docs import PathParam, documented
from satudata.rest.envelope import API_PREFIX
from satudata.review.statistik import services
from satudata.review.statistik.serializers import MetadataStatistikSchema

bp = Blueprint("statistik_api", __name__, url_prefix=API_PREFIX)

DATASET_SLUG = PathParam("slug", "Slug dataset statistik sektoral yang terbit.", "jumlah-penduduk")


@bp.get("/datasets/<slug>/metadata-statistik")
@documented(
    operation_id="getDatasetStatisticalMetadata", tag="Dataset", summary="Metadata statistik BPS sebuah dataset",
    description="Metadata statistik (Peraturan BPS 5/2020) dataset statistik sektoral yang terbit: `ms_keg` "
                "(kegiatan statistik), `ms_var` (tepat satu entri per kolom setiap tabel dataset, menyebut tabel dan "
                "kolomnya) dan `ms_ind` (indikator). Isian yang belum diisi produsen berasal dari metadata dataset "
                "dan Table Schema tabelnya. Pengecualian dari amplop `{\"data\": ...}`: badan respons adalah objek "
                "metadata itu sendiri, sama dengan unduhan JSON di halaman dataset. Dataset yang tidak ada, belum "
                "terbit atau bukan statistik sektoral dijawab 404; yang ditarik walidata 410.",
    response=MetadataStatistikSchema, response_description="Metadata statistik dataset.",
    path_params=(DATASET_SLUG,), errors=("404", "410"))
def get_statistical_metadata(slug: str) -> Any:
    dataset = services.get_public(slug, explain_withdrawn=True)
    return jsonify(services.export_json(services.load(dataset)))
