"""The kinerja shapes: the public summary the REST API serves (counts and rates per OPD, no
names of officers, no internal notes) and its query arguments."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from satudata.accounts.serializers import OrganizationRefSchema
from satudata.kinerja.services import YEAR_MAX, YEAR_MIN, Figures, OpdRow, Summary
from satudata.rest.fields import Int, between
from satudata.rest.inputs import ArgsSchema

PCT = "persen, satu desimal; null bila tidak ada yang dihitung"


class KinerjaArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/kinerja``."""

    year = Int(load_default=None, validate=between(YEAR_MIN, YEAR_MAX),
               metadata={"description": "Tahun; bawaan: tahun ini (WIB).", "example": 2026})
    quarter = Int(load_default=None, validate=between(1, 4),
                  metadata={"description": "Triwulan 1–4; kosong: setahun penuh. Tren triwulanan selalu "
                                           "disertakan."})


class KinerjaDaftarSchema(Schema):
    class Meta:
        description = ("Butir Daftar Data yang jadwal rilisnya jatuh pada periode itu, menurut statusnya hari ini "
                       "(sama dengan kalender rilis).")

    due = fields.Integer(metadata={"description": "Jumlah butir yang jadwal rilisnya pada periode itu."})
    on_time = fields.Integer(metadata={"description": "Terbit paling lambat pada jadwal rilis."})
    late = fields.Integer(metadata={"description": "Terbit setelah jadwal rilis."})
    overdue = fields.Integer(metadata={"description": "Jadwal rilis sudah lewat dan belum terbit."})
    upcoming = fields.Integer(metadata={"description": "Jadwal rilis hari ini atau nanti, belum terbit."})
    on_time_share = fields.Float(allow_none=True, metadata={
        "description": f"Tepat waktu dibagi (tepat waktu + terbit terlambat + lewat jadwal), {PCT}."})


class KinerjaQualitySchema(Schema):
    class Meta:
        description = ("Skor kualitas (0–100, dinilai hari ini) dataset OPD yang terbit: setahun = semua dataset "
                       "yang terbit sekarang; triwulan = dataset yang pertama kali terbit pada triwulan itu.")

    datasets = fields.Integer(metadata={"description": "Jumlah dataset yang dinilai."})
    average = fields.Float(allow_none=True, metadata={"description": "Rata-rata skor; null bila tidak ada dataset."})


class KinerjaValidationSchema(Schema):
    class Meta:
        description = "Tabel yang pertama kali diunggah pada periode itu dan hasil validasi pertamanya."

    uploaded = fields.Integer(metadata={"description": "Tabel yang diunggah dan sudah divalidasi."})
    passed = fields.Integer(metadata={"description": "Tabel yang lolos pada validasi pertama."})
    pass_rate = fields.Float(allow_none=True, metadata={"description": f"Lolos dibagi diunggah, {PCT}."})


class KinerjaReviewSchema(Schema):
    class Meta:
        description = ("Lama pemeriksaan: dari pengajuan sampai keputusan walidata (terbit atau minta perbaikan), "
                       "untuk keputusan pada periode itu.")

    decisions = fields.Integer(metadata={"description": "Jumlah keputusan walidata."})
    median_days = fields.Float(allow_none=True, metadata={"description": "Median lama pemeriksaan, hari."})
    mean_days = fields.Float(allow_none=True, metadata={"description": "Rata-rata lama pemeriksaan, hari."})


class KinerjaPpidSchema(Schema):
    class Meta:
        description = ("Permohonan informasi yang ditangani PPID OPD itu dan dijawab (pemberitahuan tertulis) pada "
                       "periode itu.")

    answered = fields.Integer(metadata={"description": "Permohonan yang dijawab pada periode itu."})
    on_time = fields.Integer(metadata={"description": "Dijawab paling lambat pada tenggat hukumnya."})
    overdue = fields.Integer(metadata={"description": "Belum dijawab padahal tenggatnya (pada periode itu) "
                                                      "sudah lewat."})
    on_time_share = fields.Float(allow_none=True, metadata={"description": f"Tepat waktu dibagi dijawab, {PCT}."})


class KinerjaFiguresSchema(Schema):
    class Meta:
        description = "Angka kinerja Satu Data satu OPD (atau jumlah beberapa OPD) pada satu periode."

    daftar = fields.Nested(KinerjaDaftarSchema, metadata={"description": "Daftar Data dan ketepatan rilis."})
    quality = fields.Nested(KinerjaQualitySchema, metadata={"description": "Skor kualitas dataset."})
    validation = fields.Nested(KinerjaValidationSchema, metadata={"description": "Validasi pada unggahan pertama."})
    review = fields.Nested(KinerjaReviewSchema, metadata={"description": "Lama pemeriksaan walidata."})
    ppid = fields.Nested(KinerjaPpidSchema, metadata={"description": "Permohonan informasi dijawab tepat waktu."})


class KinerjaQuarterSchema(KinerjaFiguresSchema):
    class Meta:
        description = "Angka kinerja satu triwulan."

    quarter = fields.Integer(metadata={"description": "Triwulan, 1–4."})


def quarter_rows(quarters: list[Figures]) -> list[dict[str, Any]]:
    """Q1-Q4 figures as the ``quarters`` members dump them."""
    return [{"quarter": i, "daftar": f.daftar, "quality": f.quality, "validation": f.validation, "review": f.review,
             "ppid": f.ppid} for i, f in enumerate(quarters, start=1)]


class OpdKinerjaSchema(Schema):
    class Meta:
        description = "Kinerja Satu Data satu OPD: angka periode yang diminta dan tren per triwulan tahun itu."

    organization = fields.Nested(OrganizationRefSchema, metadata={"description": "OPD."})
    region = fields.Nested(OrganizationRefSchema, allow_none=True,
                           metadata={"description": "Pemerintah daerah (provinsi, kabupaten atau kota) OPD itu."})
    figures = fields.Nested(KinerjaFiguresSchema, metadata={"description": "Angka periode yang diminta."})
    quarters = fields.List(fields.Nested(KinerjaQuarterSchema),
                           metadata={"description": "Angka tiap triwulan (1–4) tahun itu."})


def opd_rows(rows: list[OpdRow]) -> list[dict[str, Any]]:
    return OpdKinerjaSchema(many=True).dump([
        {"organization": r.organization, "region": r.region, "figures": r.figures,
         "quarters": quarter_rows(r.quarters)} for r in rows])


class KinerjaMetaSchema(Schema):
    class Meta:
        description = "Periode, tanggal acuan (WIB) dan jumlah seluruh OPD."

    year = fields.Integer(metadata={"description": "Tahun."})
    quarter = fields.Integer(allow_none=True, metadata={"description": "Triwulan, atau null untuk setahun."})
    today = fields.Date(metadata={"description": "Tanggal hari ini (WIB) yang dipakai untuk status."})
    total = fields.Integer(metadata={"description": "Jumlah OPD."})
    figures = fields.Nested(KinerjaFiguresSchema, metadata={"description": "Jumlah angka seluruh OPD pada periode itu."})
    quarters = fields.List(fields.Nested(KinerjaQuarterSchema),
                           metadata={"description": "Jumlah angka seluruh OPD tiap triwulan."})


def meta_of(summary: Summary) -> dict[str, Any]:
    return dict(KinerjaMetaSchema().dump({
        "year": summary.period.year, "quarter": summary.period.quarter, "today": summary.today,
        "total": len(summary.rows), "figures": summary.total, "quarters": quarter_rows(summary.quarters)}))
