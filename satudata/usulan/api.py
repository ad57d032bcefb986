"""Data suggestions in the REST API v1: the public list and one suggestion, without the
proposer's personal data (filing and supporting happen on the site's forms, which carry the
spam guard)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields

from satudata.errors import NotFound
from satudata.rest.docs import PathParam, documented
from satudata.rest.envelope import API_PREFIX, PageLinksSchema, PageMetaSchema, envelope, page_links, response_schema
from satudata.rest.inputs import load_query, path_key, shown
from satudata.usulan import serializers as ser
from satudata.usulan import services
from satudata.usulan.models import SuggestionState

bp = Blueprint("usulan_api", __name__, url_prefix=API_PREFIX)
TAG = "Usulan data"

SuggestionList = response_schema(
    "SuggestionList", "Respons GET /api/v1/usulan-data.",
    fields.List(fields.Nested(ser.SuggestionSchema), metadata={"description": "Usulan di halaman ini."}),
    meta=fields.Nested(PageMetaSchema, metadata={"description": "Jumlah hasil dan halaman."}),
    links=fields.Nested(PageLinksSchema, metadata={"description": "Tautan halaman ini, berikutnya dan sebelumnya."}))
SuggestionResponse = response_schema(
    "SuggestionResponse", "Respons GET /api/v1/usulan-data/{id}.",
    fields.Nested(ser.SuggestionSchema, metadata={"description": "Usulan data."}))


@bp.get("/usulan-data")
@documented(
    operation_id="listDataSuggestions", tag=TAG, summary="Usulan data dari publik",
    description="Data yang diusulkan warga untuk dibuka portal, terbaru dulu (atau paling banyak didukung), dengan "
                "jumlah dukungan dan keputusan walidata: masuk Daftar Data tahun depan, sudah ada datasetnya, "
                "dialihkan ke permohonan informasi PPID, ditolak dengan alasan, atau digabung ke usulan lain. "
                "Usulan yang menunggu moderasi atau disembunyikan tidak tampil. Nama dan surel pengusul tidak "
                "pernah disertakan.",
    response=SuggestionList, response_description="Satu halaman usulan.", query=lambda config: ser.SuggestionArgs(),
    errors=("404", "422"), example_query={"sort": "dukungan", "per_page": "5"})
def list_suggestions() -> Any:
    args = load_query(ser.SuggestionArgs())
    region = None
    if args["region"]:
        region = next((r for r in services.region_choices() if r.slug == args["region"]), None)
        if region is None:
            raise NotFound(f"Wilayah '{shown(args['region'])}' tidak ditemukan.",
                           details={"region": ["Tulis slug pemerintah daerah, misalnya pemkab-rokan-hilir."]})
    page, per_page = args["page"], args["per_page"]
    items, total = services.list_public(text=args["q"], state=SuggestionState.parse(args["status"] or ""),  # type: ignore[arg-type]
                                        region=region, sort=args["sort"], page=page, per_page=per_page)
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise NotFound(f"Halaman {page} tidak ada: hasil ini hanya {pages} halaman.",
                       details={"page": [f"Pilih halaman 1 sampai {pages}."]})
    return envelope(ser.SuggestionSchema(many=True).dump(items),
                    meta={"total": total, "page": page, "per_page": per_page, "pages": pages},
                    links=page_links(page, pages))


@bp.get("/usulan-data/<suggestion_id>")
@documented(
    operation_id="getDataSuggestion", tag=TAG, summary="Satu usulan data",
    description="Usulan, jumlah dukungannya dan keputusan walidata dengan tautannya (butir Daftar Data di kalender "
                "rilis, dataset, atau formulir permohonan PPID). Usulan yang menunggu moderasi dijawab 404; yang "
                "disembunyikan walidata dijawab 410 dengan alasannya.",
    response=SuggestionResponse, response_description="Usulan data.", errors=("404", "410", "422"),
    path_params=(PathParam("suggestion_id", "Nomor usulan.", "1", type="integer"),))
def get_suggestion(suggestion_id: str) -> Any:
    key = path_key(suggestion_id, "Usulan data tidak ditemukan.")
    if not (key.isascii() and key.isdigit()):
        raise NotFound(f"Usulan data '{shown(key)}' tidak ditemukan.",
                       details={"suggestion_id": ["Nomor usulan berupa angka."]})
    return envelope(ser.SuggestionSchema().dump(services.get_public_suggestion(int(key))))
