"""Public information requests in the REST API v1: file one without an account, follow it with
its tracking code, read the anonymised public register."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from marshmallow import Schema, fields

from satudata.authz import AnonymousActor
from satudata.errors import NotFound
from satudata.extensions import limiter
from satudata.ppid import attachments, services, transitions
from satudata.ppid import serializers as ser
from satudata.rest.docs import Body, PathParam, documented
from satudata.rest.envelope import API_PREFIX, envelope, response_schema
from satudata.rest.fields import Text, length
from satudata.rest.inputs import ArgsSchema, PagedArgs, json_body, load_body, load_query, path_key
from satudata.security import public_url

bp = Blueprint("ppid_api", __name__, url_prefix=API_PREFIX)
TAG = "PPID"

FiledResponse = response_schema("FiledRequestResponse", "Respons POST /api/v1/ppid/requests.",
                                fields.Nested(ser.FiledSchema, metadata={"description": "Permohonan yang terdaftar."}))


class TrackedSchema(Schema):
    """A request as its applicant sees it."""

    class Meta:
        description = "Permohonan seperti dilihat pemohonnya."

    number = fields.String(metadata={"description": "Nomor pendaftaran."})
    status = fields.String(metadata={"description": "Status dalam Bahasa Indonesia."})
    state = fields.String(metadata={"description": "Kode status."})
    received_date = fields.Date(metadata={"description": "Tanggal diterima (hari ke-0)."})
    due_date = fields.Date(metadata={"description": "Batas pemberitahuan tertulis (dengan perpanjangan bila ada)."})
    working_day = fields.Integer(metadata={"description": "Hari kerja ke-berapa sejak diterima."})
    working_days_allowed = fields.Integer(metadata={"description": "Hari kerja yang diberikan undang-undang "
                                                                   "(10, ditambah perpanjangan)."})
    late = fields.Boolean(metadata={"description": "Melewati batas (tidak pernah berarti ditolak)."})
    handler = fields.String(metadata={"description": "PPID yang menangani."})
    information = fields.String(metadata={"description": "Rincian informasi yang diminta."})
    decision = fields.Dict(allow_none=True, metadata={"description": "Isi pemberitahuan tertulis."})
    events = fields.List(fields.Dict(), metadata={"description": "Riwayat dan pemberitahuan."})
    attachments = fields.List(fields.Dict(), metadata={
        "description": "Lampiran jawaban: nama berkas, ukuran (bita) dan alamat unduhnya (memuat kode pelacakan)."})


TrackedResponse = response_schema("TrackedRequestResponse", "Respons GET /api/v1/ppid/requests/{number}.",
                                  fields.Nested(TrackedSchema, metadata={"description": "Permohonan."}))
RegisterResponse = response_schema(
    "PpidRegisterResponse", "Respons GET /api/v1/ppid/register.",
    fields.List(fields.Nested(ser.RegisterEntrySchema), metadata={"description": "Permohonan, terbaru dulu."}),
    meta=fields.Dict(metadata={"description": "Jumlah dan halaman."}))


class TrackArgs(ArgsSchema):
    """The applicant's tracking code."""

    secret = Text(load_default="", validate=length(100), metadata={"description": "Kode pelacakan dari tanda terima."})


@bp.post("/ppid/requests")
@limiter.limit("10 per hour")
@documented(
    operation_id="fileInformationRequest", tag=TAG, summary="Ajukan permohonan informasi (tanpa akun)",
    description="Mendaftarkan permohonan informasi publik (UU 14/2008 Pasal 22) dan menjawab 201 dengan nomor "
                "pendaftaran, tanggal diterima, batas pemberitahuan tertulis (10 hari kerja) dan alamat pelacakan "
                "pribadi yang memuat kode rahasia: simpan, kode itu tidak ditampilkan lagi. NIK wajib untuk pemohon "
                "perorangan (16 angka yang masuk akal: kode wilayah dan tanggal lahir) dan disimpan terenkripsi. "
                "Pindaian identitas dikirim lewat formulir web. Permohonan yang sama dua kali dalam 30 menit "
                "dijawab 409 dengan nomornya.",
    response=FiledResponse, response_description="Permohonan terdaftar.", status="201",
    body=Body(ser.RequestInput(), "InformationRequestInput", "Permohonan informasi (JSON).", {
        "applicant_type": "perorangan", "name": "Siti Aminah", "nik": "1407014501900001",
        "email": "siti@example.id", "phone": "081234567890", "address": "Jl. Merdeka 1, Bagansiapiapi",
        "information": "Data jumlah tenaga kesehatan per puskesmas tahun 2025", "purpose": "Penelitian skripsi",
        "obtain_method": "salinan_softcopy", "copy_method": "email", "target": "ppid-utama"}),
    errors=("409", "422"))
def file_request() -> Any:
    form = load_body(ser.RequestInput(), json_body())
    filed = services.file_request(AnonymousActor(), form)
    return envelope({"number": filed.request.number, "received_date": filed.request.received_on.isoformat(),
                     "due_date": filed.request.due_on.isoformat(), "tracking_url": filed.tracking_url}, status=201)


@bp.get("/ppid/requests/<number>")
@documented(
    operation_id="getInformationRequest", tag=TAG, summary="Lacak permohonan (dengan kode pelacakan)",
    description="Status permohonan, jam hari kerjanya dan isi pemberitahuan tertulis. Hanya dijawab dengan kode "
                "pelacakan yang benar (`secret`); tanpa kode, atau dengan kode yang salah, jawabannya 404 yang sama.",
    response=TrackedResponse, response_description="Permohonan.", query=lambda config: TrackArgs(),
    errors=("404", "422"), path_params=(PathParam("number", "Nomor pendaftaran.", "PPID-1-2026-0001"),),
    example_query={"secret": "<kode-pelacakan>"}, example_runs=False)
def get_request(number: str) -> Any:
    number = path_key(number, "Permohonan tidak ditemukan.")
    args = load_query(TrackArgs())
    if not args["secret"]:
        raise NotFound("Permohonan tidak ditemukan. Sertakan kode pelacakan (?secret=...) dari tanda terima.")
    req = services.for_applicant(number, args["secret"])
    clock = services.clock_of(req)
    return envelope({
        "number": req.number, "status": transitions.STATE_LABELS[req.state], "state": str(req.state),
        "received_date": req.received_on.isoformat(), "due_date": req.due_on.isoformat(),
        "working_day": clock.day, "working_days_allowed": clock.of, "late": clock.late,
        "handler": req.handler.name, "information": req.information, "decision": req.decision,
        "events": [{"label": e["label"], "at": e["at"].isoformat(), "note": e["note"]}
                   for e in services.timeline(req)],
        "attachments": [{"name": f.filename, "size": f.size,
                         "url": public_url(url_for("ppid.applicant_attachment", number=req.number,
                                                   attachment_id=f.id, kode=args["secret"]))}
                        for f in attachments.for_request(req)],
    })


@bp.get("/ppid/register")
@documented(
    operation_id="listPpidRegister", tag=TAG, summary="Register publik permohonan informasi",
    description="Setiap permohonan sejak diajukan, terbaru dulu, dengan status, tanggal dan lama layanan (hari "
                "kerja). Tanpa nama, NIK atau kontak pemohon; angka yang mirip NIK di rincian disamarkan.",
    response=RegisterResponse, response_description="Register.",
    query=lambda config: PagedArgs(max_per_page=100, default_per_page=services.REGISTER_PAGE),
    errors=("422",))
def register() -> Any:
    args = load_query(PagedArgs(max_per_page=100, default_per_page=services.REGISTER_PAGE))
    page, per_page = args["page"], args["per_page"]
    entries, total = services.public_register(page, per_page)
    return envelope(entries, meta={"total": total, "page": page, "per_page": per_page})

