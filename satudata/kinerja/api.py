"""Kinerja in the REST API v1: the public summary of Satu Data performance per OPD for a year
(or a quarter), with each OPD's quarterly trend: the same figures as ``/kinerja``, public (no
token), counts and rates only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields

from satudata.kinerja import serializers as ser
from satudata.kinerja import services
from satudata.rest.docs import documented
from satudata.rest.envelope import API_PREFIX, envelope, response_schema
from satudata.rest.inputs import load_query
from satudata.review.daftar.status import local_today

bp = Blueprint("kinerja_api", __name__, url_prefix=API_PREFIX)

KinerjaList = response_schema(
    "KinerjaList", "Respons GET /api/v1/kinerja.",
    fields.List(fields.Nested(ser.OpdKinerjaSchema), metadata={"description": "Kinerja tiap OPD, urut wilayah lalu "
                                                                              "nama OPD."}),
    meta=fields.Nested(ser.KinerjaMetaSchema, metadata={"description": "Periode, tanggal acuan dan jumlah "
                                                                        "seluruh OPD."}))


@bp.get("/kinerja")
@documented(
    operation_id="getKinerja", tag="Kinerja", summary="Kinerja Satu Data per OPD",
    description="Angka kinerja Satu Data tiap OPD untuk satu tahun (atau satu triwulan) dan tren per triwulan: "
                "butir Daftar Data yang jatuh tempo, terbit tepat waktu, terlambat dan lewat jadwal; rata-rata "
                "skor kualitas dataset yang terbit; persentase tabel yang lolos pada validasi pertama; lama "
                "pemeriksaan walidata (median dan rata-rata, hari); dan permohonan informasi PPID yang dijawab "
                "tepat waktu. Persentase dan rata-rata bernilai null bila tidak ada yang dihitung. Tanggal menurut "
                "WIB. Hanya jumlah dan persentase: tanpa catatan internal dan tanpa nama petugas.",
    response=KinerjaList, response_description="Kinerja tiap OPD pada periode itu.",
    query=lambda config: ser.KinerjaArgs(), errors=("422",), example_query={"year": "2026"})
def get_kinerja() -> Any:
    args = load_query(ser.KinerjaArgs())
    today = local_today()
    period = services.check_period(args["year"] or today.year, args["quarter"])
    summary = services.public_summary(period, today=today)
    return envelope(ser.opd_rows(summary.rows), meta=ser.meta_of(summary))
