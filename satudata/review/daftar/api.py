"""The Daftar Data in the REST API v1: the planned releases of a year, public (no token), the
same list and statuses as the public release calendar page, without internal notes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields

from satudata.errors import NotFound
from satudata.rest.docs import documented
from satudata.rest.envelope import API_PREFIX, envelope, response_schema
from satudata.rest.inputs import load_query, shown
from satudata.review.daftar import serializers as ser
from satudata.review.daftar import services
from satudata.review.daftar.status import ItemStatus, local_today

bp = Blueprint("daftar_api", __name__, url_prefix=API_PREFIX)

PlannedReleaseList = response_schema(
    "PlannedReleaseList", "Respons GET /api/v1/daftar-data.",
    fields.List(fields.Nested(ser.PlannedReleaseSchema), metadata={"description": "Butir Daftar Data, urut jadwal "
                                                                                  "rilis."}),
    meta=fields.Nested(ser.DaftarMetaSchema, metadata={"description": "Tahun, tanggal acuan status dan jumlah."}))


@bp.get("/daftar-data")
@documented(
    operation_id="listPlannedReleases", tag="Daftar Data", summary="Daftar Data dan jadwal rilis",
    description="Data yang direncanakan dalam Daftar Data satu tahun (Perpres 39/2019): OPD produsen, standar data, "
                "frekuensi, jadwal rilis, Data Prioritas, dan status hari ini (WIB): due (dijadwalkan), submitted "
                "(diajukan ke walidata), published (terbit; on_time mengatakan tepat waktu atau tidak) atau late "
                "(terlambat). Dataset pemenuhnya disertakan bila sudah terbit dan publik. OPD yang tidak dikenal "
                "dijawab 404.",
    response=PlannedReleaseList, response_description="Butir Daftar Data tahun itu.",
    query=lambda config: ser.DaftarArgs(), errors=("404", "422"), example_query={"year": "2026"})
def list_planned_releases() -> Any:
    args = load_query(ser.DaftarArgs())
    today = local_today()
    year = args["year"] or today.year
    organization_ids = None
    if args["organization"]:
        org = services.organization_by_slug(args["organization"])
        if org is None:
            raise NotFound(f"Organisasi '{shown(args['organization'])}' tidak ditemukan.",
                           details={"organization": ["Tulis slug organisasi, misalnya dinkes-riau."]})
        organization_ids = [org.id]
    rows = services.list_items(year=year, organization_ids=organization_ids, today=today)
    counts = services.count_statuses(rows)
    if args["status"]:
        rows = [r for r in rows if r.status == ItemStatus(args["status"])]
    return envelope(
        ser.PlannedReleaseSchema(many=True).dump(rows),
        meta=ser.DaftarMetaSchema().dump({"total": len(rows), "year": year, "today": today,
                                          "counts": {str(k): v for k, v in counts.items()}}),
    )
