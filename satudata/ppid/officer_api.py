"""The PPID officers' work over the REST API (``/api/v1/ppid/inbox``, ``.../moves/...``,
``/api/v1/ppid/objections``), authenticated by API tokens, for scripts and integrations: the
inbox of the requests the caller handles, one request with its timeline and documents, the moves
of ``transitions.TRANSITIONS``, and the Atasan PPID's objections and decisions.

The same services as the officers' pages (``ppid.services``): ``act`` and ``decide_objection``
authorise, check the move against the transition table, audit it, issue the signed notices and
mail the applicant; the request commits what they did, or nothing when one refuses. The body of a
move is checked for its shape here (types, and only the fields that move takes: 422); what the
law requires of it is checked by ``transitions`` (422 with details per field); a move the
request's state does not allow is 409. A request the caller does not handle is 403, as
``services.get_for_officer`` decides (the numbers themselves are public in the register); a
token of someone who is no PPID officer (or no Atasan PPID) is 403 everywhere here.

The applicant's name and contact are shown to the officers handling the request; the identity
number (NIK, deed or surat kuasa number) and the identity scan never leave through the API: an
officer opens them on the request's page, where each opening is audited.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask import Blueprint, url_for
from marshmallow import Schema, fields

from satudata.accounts.api import api_actor
from satudata.accounts.models import TokenScope
from satudata.accounts.serializers import OrganizationRefSchema
from satudata.authz import Actor, can
from satudata.errors import Forbidden, Invalid, NotFound
from satudata.extensions import db
from satudata.ppid import deadlines, notices, services, transitions
from satudata.ppid.models import Channel, InformationRequest, Objection, ObjectionState, RequestState
from satudata.ppid.policy import is_atasan, is_officer
from satudata.rest.docs import Body, PathParam, documented
from satudata.rest.envelope import (
    API_PREFIX,
    PageLinksSchema,
    PageMetaSchema,
    absolute,
    api_url,
    envelope,
    page_links,
    quoted,
    response_schema,
)
from satudata.rest.fields import Bool, Int, Many, Text, UTCDateTime, between, length, one_of
from satudata.rest.inputs import UNKNOWN_FIELD, BodySchema, PagedArgs, json_body, load_body, load_query, path_key, shown

bp = Blueprint("ppid_officer_api", __name__, url_prefix=API_PREFIX + "/ppid")

TAG = "PPID (petugas)"
PAGE_MAX, PAGE_DEFAULT = 100, 50
TEXT = transitions.TEXT_MAX

NUMBER = PathParam("number", "Nomor pendaftaran permohonan.", "PPID-1-2026-0001")
MOVE = PathParam("move", "Nama langkah: " + ", ".join(transitions.TRANSITIONS) + ".", "grant_in_part")
OBJECTION = PathParam("number", "Nomor keberatan.", "KEB-1-2026-0001-1")
OBJECTION_MOVE = PathParam("move", "Nama langkah: " + ", ".join(transitions.OBJECTION_MOVES) + ".", "reject")

OFFICERS = (" Hanya petugas PPID (PPID Utama dan PPID Pelaksana); token pengguna lain dijawab 403.")
HANDLERS = (" Permohonan yang tidak Anda tangani (PPID Pelaksana OPD lain) dijawab 403, nomor yang tidak ada 404.")
ATASAN = (" Hanya Atasan PPID; token pengguna lain dijawab 403. Keberatan atas permohonan pemerintah daerah lain "
          "dijawab 403, nomor yang tidak ada 404.")
NO_IDENTITY = (" Nama dan kontak pemohon disertakan untuk petugas yang menanganinya; NIK (atau nomor akta/surat "
               "kuasa) dan pindaian identitas tidak pernah dikirim lewat API: bukalah di halaman permohonan, setiap "
               "pembukaan dicatat.")

# The fields each move takes (besides ``note``); the law's requirements on them are checked by
# ``transitions``. A field another move takes is refused, so a typo cannot pass silently.
MOVE_FIELDS: dict[str, frozenset[str]] = {
    "return_for_completion": frozenset({"reason"}),
    "complete": frozenset(),
    "close_not_entitled": frozenset({"reason"}),
    "route": frozenset({"to"}),
    "extend": frozenset({"days", "reason"}),
    "grant": frozenset({"given", "form", "delivery", "cost", "datasets"}),
    "grant_in_part": frozenset({"given", "form", "delivery", "cost", "datasets", "redactions"}),
    "refuse": frozenset({"exemptions", "consequence_test"}),
    "not_held": frozenset({"holder", "holder_unknown"}),
    "not_documented": frozenset({"available_on"}),
    "record_delivery": frozenset({"means", "delivered_on", "cost"}),
    "mark_spam": frozenset({"reason"}),
    "withdraw": frozenset({"reason"}),
}
OBJECTION_FIELDS: dict[str, frozenset[str]] = {
    "accept": frozenset({"reasons", "decider_name", "decider_position"}),
    "reject": frozenset({"reasons", "decider_name", "decider_position"}),
    "settle": frozenset({"reasons", "decider_name", "decider_position"}),
    "record_dispute": frozenset({"filed_on", "register_number", "status"}),
    "withdraw": frozenset({"reasons"}),
}


# --------------------------------------------------------------------------- request bodies


class IsoDate(fields.Date):
    """A date written ``YYYY-MM-DD``, with messages in Bahasa Indonesia."""

    default_error_messages = {"required": "Wajib diisi.", "null": "Tidak boleh kosong.",
                              "invalid": "Tulis tanggal ISO (TTTT-BB-HH), misalnya 2026-03-31.",
                              "format": "Tulis tanggal ISO (TTTT-BB-HH)."}


class PpidRedactionInput(BodySchema):
    """One blacked-out part of a partial answer."""

    class Meta(BodySchema.Meta):
        description = "Satu bagian yang dihitamkan pada jawaban sebagian, dengan dasar pengecualiannya."

    error_messages = {"unknown": UNKNOWN_FIELD, "type": "Harus berupa objek {part, exemptions, reason}."}

    part = Text(required=True, validate=length(TEXT), metadata={"description": "Bagian yang dihitamkan."})
    exemptions = Many(Text(validate=length(1)), required=True, metadata={
        "description": "Huruf Pasal 17 UU 14/2008 (a–j) yang menjadi dasarnya, misalnya [\"h\"]."})
    reason = Text(required=True, validate=length(TEXT), metadata={"description": "Alasannya."})


class PpidMoveInput(BodySchema):
    """What an officer writes with a move; each move takes only its own fields."""

    class Meta(BodySchema.Meta):
        description = "Isian langkah petugas PPID."

    note = Text(validate=length(TEXT), metadata={
        "description": "Semua langkah: pesan untuk pemohon (tampil di halaman pelacakan dan dikirim lewat surel)."})
    reason = Text(validate=length(TEXT), metadata={
        "description": "extend (wajib), return_for_completion, close_not_entitled, mark_spam (wajib), withdraw: "
                       "alasannya."})
    to = Text(validate=length(100), metadata={"description": "route: slug OPD tujuan (PPID Pelaksana)."})
    days = Int(strict=True, metadata={"description": "extend: perpanjangan dalam hari kerja (1–7, sekali saja)."})
    given = Text(validate=length(TEXT), metadata={"description": "grant, grant_in_part: informasi yang diberikan."})
    form = Text(validate=length(TEXT), metadata={"description": "grant, grant_in_part: bentuk informasi."})
    delivery = Text(validate=length(TEXT), metadata={
        "description": "grant, grant_in_part: cara dan waktu penyampaian."})
    cost = Int(strict=True, validate=between(0, 10**12), metadata={
        "description": "grant, grant_in_part, record_delivery: biaya dalam rupiah (0 bila tanpa biaya)."})
    datasets = Many(Text(validate=length(300)), validate=length(50), metadata={
        "description": "grant, grant_in_part: slug dataset terbit yang menjadi (bagian) jawabannya."})
    redactions = Many(fields.Nested(PpidRedactionInput), metadata={
        "description": "grant_in_part (wajib): bagian yang dihitamkan."})
    exemptions = Many(Text(validate=length(1)), metadata={"description": "refuse: huruf Pasal 17 (a–j)."})
    consequence_test = Text(validate=length(TEXT), metadata={"description": "refuse: uji konsekuensi (Pasal 19)."})
    holder = Text(validate=length(TEXT), metadata={
        "description": "not_held: badan publik yang menguasai informasi itu."})
    holder_unknown = Bool(metadata={"description": "not_held: true bila badan publik yang menguasainya tidak "
                                                   "diketahui."})
    available_on = IsoDate(metadata={
        "description": "not_documented: tanggal informasi akan tersedia (sesudah hari ini)."})
    means = Text(validate=length(TEXT), metadata={"description": "record_delivery: cara penyampaian."})
    delivered_on = IsoDate(metadata={"description": "record_delivery: tanggal penyampaian."})


class PpidObjectionMoveInput(BodySchema):
    """What the Atasan PPID writes with a move on a keberatan."""

    class Meta(BodySchema.Meta):
        description = "Isian langkah Atasan PPID atas keberatan."

    reasons = Text(validate=length(TEXT), metadata={
        "description": "accept, reject, settle (wajib): pertimbangan dan alasan, atau kesepakatan musyawarah."})
    decider_name = Text(validate=length(200), metadata={
        "description": "accept, reject (wajib), settle: nama Atasan PPID yang memutuskan."})
    decider_position = Text(validate=length(200), metadata={
        "description": "accept, reject (wajib), settle: jabatannya."})
    filed_on = IsoDate(metadata={"description": "record_dispute: tanggal sengketa didaftarkan di Komisi Informasi."})
    register_number = Text(validate=length(200), metadata={
        "description": "record_dispute: nomor register sengketa di Komisi Informasi."})
    status = Text(validate=length(200), metadata={
        "description": "record_dispute: keadaan sengketa (mediasi, ajudikasi, putusan)."})


class PpidInboxArgs(PagedArgs):
    """Arguments of ``GET /api/v1/ppid/inbox``."""

    state = Text(load_default=None, validate=one_of(RequestState.values()), metadata={
        "description": "Hanya permohonan berstatus ini (termasuk yang sudah selesai)."})
    organization = Text(load_default="", validate=length(100), metadata={
        "description": "Hanya permohonan yang ditangani OPD ini (slug)."})
    channel = Text(load_default=None, validate=one_of(Channel.values()), metadata={
        "description": "Hanya permohonan dari saluran ini."})
    include_closed = Bool(load_default=False, metadata={
        "description": "Sertakan permohonan yang sudah diputuskan atau ditutup (bawaan: hanya yang masih berjalan)."})


class PpidObjectionArgs(PagedArgs):
    """Arguments of ``GET /api/v1/ppid/objections``."""

    include_closed = Bool(load_default=False, metadata={
        "description": "Sertakan keberatan yang sudah ditanggapi atau dicabut (bawaan: hanya yang menunggu)."})


def _inbox_args() -> PpidInboxArgs:
    return PpidInboxArgs(max_per_page=PAGE_MAX, default_per_page=PAGE_DEFAULT)


def _objection_args() -> PpidObjectionArgs:
    return PpidObjectionArgs(max_per_page=PAGE_MAX, default_per_page=PAGE_DEFAULT)


# --------------------------------------------------------------------------- response shapes


class PpidApplicantSchema(Schema):
    class Meta:
        description = ("Pemohon, untuk petugas yang menanganinya: nama dan kontak. NIK, nomor akta/surat kuasa "
                       "dan pindaian identitas tidak pernah disertakan.")

    name = fields.String(metadata={"description": "Nama pemohon (atau badan hukum)."})
    email = fields.String(metadata={"description": "Surel (kosong bila tidak diisi)."})
    phone = fields.String(metadata={"description": "Nomor telepon (kosong bila tidak diisi)."})
    address = fields.String(metadata={"description": "Alamat."})
    occupation = fields.String(metadata={"description": "Pekerjaan."})
    identity_on_file = fields.Boolean(metadata={
        "description": "Nomor identitas tersimpan (terenkripsi); dibuka hanya di halaman permohonan, dicatat."})
    identity_scan_on_file = fields.Boolean(metadata={
        "description": "Pindaian identitas tersimpan; dibuka hanya di halaman permohonan, dicatat."})


class PpidOfficerLinksSchema(Schema):
    class Meta:
        description = "Alamat permohonan ini di API dan di halaman petugas."

    self = fields.String(metadata={"type": "string", "format": "uri", "description": "Permohonan ini di API."})
    page = fields.String(metadata={"type": "string", "format": "uri",
                                   "description": "Halaman permohonan untuk petugas (masuk dulu)."})


class PpidOfficerRequestSchema(Schema):
    class Meta:
        description = "Permohonan informasi seperti dilihat petugas PPID yang menanganinya."

    number = fields.String(metadata={"description": "Nomor pendaftaran."})
    state = fields.String(metadata={"description": "Kode status."})
    status = fields.String(metadata={"description": "Status dalam Bahasa Indonesia."})
    channel = fields.String(metadata={"description": "Saluran: web, email, surat, telepon, langsung."})
    applicant_type = fields.String(metadata={"description": "perorangan, badan_hukum atau kelompok."})
    obtain_method = fields.String(metadata={"description": "Cara memperoleh informasi."})
    copy_method = fields.String(metadata={"description": "Cara mendapatkan salinan."})
    received_date = fields.Date(metadata={"description": "Tanggal diterima (hari ke-0)."})
    due_date = fields.Date(metadata={"description": "Batas pemberitahuan tertulis (dengan perpanjangan bila ada)."})
    decided_date = fields.Date(allow_none=True, metadata={"description": "Tanggal diputuskan, bila sudah."})
    working_day = fields.Integer(metadata={"description": "Hari kerja ke-berapa sejak diterima (sampai diputuskan)."})
    working_days_allowed = fields.Integer(metadata={"description": "Hari kerja yang diberikan undang-undang (10, "
                                                                   "ditambah perpanjangan)."})
    days_left = fields.Integer(metadata={"description": "Sisa hari kerja sampai batas (negatif bila lewat)."})
    late = fields.Boolean(metadata={"description": "Melewati batas (tidak pernah berarti ditolak)."})
    extension_days = fields.Integer(allow_none=True, metadata={"description": "Perpanjangan (hari kerja), bila ada."})
    handler = fields.Nested(OrganizationRefSchema, metadata={"description": "PPID yang menangani sekarang."})
    filed_with = fields.Nested(OrganizationRefSchema, metadata={"description": "PPID tempat permohonan diajukan."})
    information = fields.String(metadata={"description": "Rincian informasi yang diminta."})
    purpose = fields.String(metadata={"description": "Tujuan penggunaan informasi."})
    applicant = fields.Nested(PpidApplicantSchema, metadata={"description": "Pemohon (tanpa nomor identitas)."})
    open_objection = fields.String(allow_none=True, metadata={
        "description": "Nomor keberatan yang sedang menunggu Atasan PPID, bila ada."})
    moves = fields.List(fields.String(), metadata={
        "description": "Langkah yang dapat Anda ambil sekarang (isiannya tetap diperiksa saat dikirim)."})
    links = fields.Nested(PpidOfficerLinksSchema, metadata={"description": "Alamat permohonan ini."})


class PpidOfficerEventSchema(Schema):
    class Meta:
        description = "Satu langkah dalam riwayat permohonan."

    action = fields.String(metadata={"description": "Kode langkah (file, route, extend, grant, ...)."})
    label = fields.String(metadata={"description": "Nama langkah dalam Bahasa Indonesia."})
    state = fields.String(metadata={"description": "Kode status sesudah langkah ini."})
    at = UTCDateTime(metadata={"description": "Waktu (UTC)."})
    note = fields.String(metadata={"description": "Pesan untuk pemohon bersama langkah ini."})


class PpidNoticeRefSchema(Schema):
    class Meta:
        description = "Dokumen resmi bertanda tangan yang dikirim untuk permohonan ini (tanpa isi PDF-nya)."

    number = fields.String(metadata={"description": "Nomor dokumen."})
    kind = fields.String(metadata={"description": "receipt, extension, written_notice, refusal, objection_receipt "
                                                  "atau objection_answer."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    sha256 = fields.String(metadata={"description": "Sidik SHA-256 berkas PDF-nya (untuk verifikasi)."})


class PpidObjectionRefSchema(Schema):
    class Meta:
        description = "Keberatan atas permohonan ini, secara singkat."

    number = fields.String(metadata={"description": "Nomor keberatan."})
    state = fields.String(metadata={"description": "Kode status keberatan."})
    status = fields.String(metadata={"description": "Status keberatan dalam Bahasa Indonesia."})
    due_date = fields.Date(metadata={"description": "Batas tanggapan Atasan PPID (30 hari kerja)."})


class PpidOfficerRequestDetailSchema(PpidOfficerRequestSchema):
    class Meta:
        description = "Permohonan informasi untuk petugas yang menanganinya, dengan riwayat dan dokumennya."

    extension_reason = fields.String(metadata={"description": "Alasan perpanjangan (kosong bila tidak diperpanjang)."})
    closing_reason = fields.String(metadata={"description": "Alasan dikembalikan, ditutup atau ditandai spam."})
    decision = fields.Dict(allow_none=True, metadata={"description": "Isi pemberitahuan tertulis (keputusan), bila "
                                                                     "sudah."})
    delivery = fields.Dict(allow_none=True, metadata={"description": "Penyampaian informasi yang dicatat (cara, "
                                                                     "tanggal, biaya), bila sudah."})
    events = fields.List(fields.Nested(PpidOfficerEventSchema), metadata={"description": "Riwayat, terlama dulu."})
    notices = fields.List(fields.Nested(PpidNoticeRefSchema), metadata={
        "description": "Dokumen resmi yang dikirim, terlama dulu."})
    objections = fields.List(fields.Nested(PpidObjectionRefSchema), metadata={
        "description": "Keberatan atas permohonan ini."})


class PpidGroundSchema(Schema):
    class Meta:
        description = "Satu alasan keberatan (Pasal 35 ayat 1 UU 14/2008)."

    letter = fields.String(metadata={"description": "Huruf alasan (a–g)."})
    label = fields.String(metadata={"description": "Alasannya."})


class PpidObjectionRequestSchema(Schema):
    class Meta:
        description = "Permohonan yang menjadi pokok keberatan."

    number = fields.String(metadata={"description": "Nomor pendaftaran permohonan."})
    state = fields.String(metadata={"description": "Kode status permohonan."})
    status = fields.String(metadata={"description": "Status permohonan dalam Bahasa Indonesia."})
    handler = fields.Nested(OrganizationRefSchema, metadata={"description": "PPID yang menangani."})
    applicant_name = fields.String(metadata={"description": "Nama pemohon (tanpa nomor identitas)."})
    information = fields.String(metadata={"description": "Rincian informasi yang diminta."})
    decided_date = fields.Date(allow_none=True, metadata={"description": "Tanggal diputuskan, bila sudah."})
    decision = fields.Dict(allow_none=True, metadata={"description": "Isi pemberitahuan tertulis PPID, bila ada."})


class PpidObjectionSchema(Schema):
    class Meta:
        description = "Keberatan kepada Atasan PPID (UU 14/2008 Pasal 35–36)."

    number = fields.String(metadata={"description": "Nomor keberatan."})
    state = fields.String(metadata={"description": "Kode status: registered, accepted, rejected, settled, "
                                                   "withdrawn."})
    status = fields.String(metadata={"description": "Status dalam Bahasa Indonesia."})
    grounds = fields.List(fields.Nested(PpidGroundSchema), metadata={"description": "Alasan keberatan."})
    case_summary = fields.String(metadata={"description": "Kasus posisi yang ditulis pemohon."})
    proxy_name = fields.String(metadata={"description": "Kuasa pemohon (kosong bila tidak ada)."})
    proxy_letter = fields.String(metadata={"description": "Nomor surat kuasanya."})
    registered_date = fields.Date(metadata={"description": "Tanggal keberatan terdaftar."})
    due_date = fields.Date(metadata={"description": "Batas tanggapan: 30 hari kerja (Pasal 36 ayat 2)."})
    days_left = fields.Integer(metadata={"description": "Sisa hari kerja sampai batas (negatif bila lewat)."})
    late = fields.Boolean(metadata={"description": "Masih menunggu dan sudah melewati batas."})
    decided_date = fields.Date(allow_none=True, metadata={"description": "Tanggal ditanggapi, bila sudah."})
    decision = fields.Dict(allow_none=True, metadata={"description": "Tanggapan: alasan, nama dan jabatan Atasan "
                                                                     "PPID."})
    dispute = fields.Dict(allow_none=True, metadata={"description": "Sengketa di Komisi Informasi yang dicatat."})
    request = fields.Nested(PpidObjectionRequestSchema, metadata={"description": "Permohonannya."})
    moves = fields.List(fields.String(), metadata={"description": "Langkah yang dapat Anda ambil sekarang."})


def _page_members(description: str) -> dict[str, fields.Field]:
    return {"meta": fields.Nested(PageMetaSchema, metadata={"description": "Jumlah hasil dan halaman."}),
            "links": fields.Nested(PageLinksSchema, metadata={"description": description})}


InboxResponse = response_schema(
    "PpidInbox", "Respons GET /api/v1/ppid/inbox.",
    fields.List(fields.Nested(PpidOfficerRequestSchema), metadata={
        "description": "Permohonan yang Anda tangani, batas terdekat dulu (yang terlambat paling atas)."}),
    **_page_members("Tautan halaman ini, berikutnya dan sebelumnya."))
RequestResponse = response_schema(
    "PpidOfficerRequestResponse", "Respons GET /api/v1/ppid/inbox/{number} dan langkah petugas.",
    fields.Nested(PpidOfficerRequestDetailSchema, metadata={"description": "Permohonan."}))
ObjectionList = response_schema(
    "PpidObjectionList", "Respons GET /api/v1/ppid/objections.",
    fields.List(fields.Nested(PpidObjectionSchema), metadata={"description": "Keberatan, batas terdekat dulu."}),
    **_page_members("Tautan halaman ini, berikutnya dan sebelumnya."))
ObjectionResponse = response_schema(
    "PpidObjectionResponse", "Respons langkah Atasan PPID: keberatan sesudahnya.",
    fields.Nested(PpidObjectionSchema, metadata={"description": "Keberatan sesudah langkah ini."}))


# --------------------------------------------------------------------------- helpers


def _officer(actor: Actor) -> Actor:
    """``actor`` when a PPID officer (the web's ``views.ppid_officer`` rule); 403 otherwise."""
    if not is_officer(actor):
        raise Forbidden("Hanya petugas PPID (PPID Utama atau PPID Pelaksana) yang memakai API ini.")
    return actor


def _atasan(actor: Actor) -> Actor:
    """``actor`` when an Atasan PPID; 403 otherwise."""
    if not is_atasan(actor):
        raise Forbidden("Hanya Atasan PPID yang memakai API keberatan ini.")
    return actor


def _request(actor: Actor, number: str) -> InformationRequest:
    return services.get_for_officer(actor, path_key(number, "Permohonan tidak ditemukan."))


def _paged(items: list[Any], page: int, per_page: int) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """One page of ``items`` with its meta and links; a page past the end is 404."""
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        raise NotFound(f"Halaman {page} tidak ada: hasil ini hanya {pages} halaman.",
                       details={"page": [f"Pilih halaman 1 sampai {pages}."]})
    meta = {"total": total, "page": page, "per_page": per_page, "pages": pages}
    links = page_links(page, pages)
    return items[(page - 1) * per_page:page * per_page], meta, links


def _days_left(cal: deadlines.WorkingCalendar, today: date, due: date) -> int:
    return int(cal.working_days_between(today, due) if today <= due else -cal.working_days_between(due, today))


def _moves(actor: Actor, req: InformationRequest) -> list[str]:
    return [m.name for m in transitions.available(req) if can(actor, m.permission, req)]


def _request_data(actor: Actor, req: InformationRequest, cal: deadlines.WorkingCalendar, today: date) -> dict[str, Any]:
    clock = services.clock_of(req, today, cal)
    objection = services.open_objection(req)
    return {
        "number": req.number, "state": str(req.state), "status": transitions.STATE_LABELS[req.state],
        "channel": str(req.channel), "applicant_type": str(req.applicant_type),
        "obtain_method": str(req.obtain_method), "copy_method": str(req.copy_method),
        "received_date": req.received_on, "due_date": req.due_on, "decided_date": req.decided_on,
        "working_day": clock.day, "working_days_allowed": clock.of, "days_left": clock.days_left, "late": clock.late,
        "extension_days": req.extension_days, "handler": req.handler, "filed_with": req.filed_with,
        "information": req.information, "purpose": req.purpose,
        "applicant": {"name": req.name, "email": req.email, "phone": req.phone, "address": req.address,
                      "occupation": req.occupation, "identity_on_file": bool(req.identity_encrypted),
                      # the type, not the deferred bytes: the scan itself is never loaded here
                      "identity_scan_on_file": bool(req.identity_scan_type)},
        "open_objection": objection.number if objection is not None else None,
        "moves": _moves(actor, req),
        "links": {"self": api_url(f"/ppid/inbox/{quoted(req.number)}"),
                  "page": absolute(url_for("ppid.detail", number=req.number))},
    }


def _request_answer(actor: Actor, req: InformationRequest) -> Any:
    cal, today = services.calendar(), services.today()
    data = _request_data(actor, req, cal, today)
    data.update(
        extension_reason=req.extension_reason or "", closing_reason=req.closing_reason or "",
        decision=req.decision, delivery=req.delivery,
        events=services.timeline(req),
        notices=[{"number": n.number, "kind": str(n.kind), "created_at": n.created_at, "sha256": n.sha256}
                 for n in notices.for_request(req)],
        objections=[{"number": o.number, "state": str(o.state), "status": transitions.OBJECTION_LABELS[o.state],
                     "due_date": o.due_on} for o in req.objections])
    return envelope(PpidOfficerRequestDetailSchema().dump(data))


def _objection_data(actor: Actor, objection: Objection, cal: deadlines.WorkingCalendar, today: date) -> dict[str, Any]:
    req = objection.request
    return {
        "number": objection.number, "state": str(objection.state),
        "status": transitions.OBJECTION_LABELS[objection.state],
        "grounds": [{"letter": g, "label": transitions.GROUNDS.get(g, g)} for g in objection.grounds],
        "case_summary": objection.case_summary, "proxy_name": objection.proxy_name,
        "proxy_letter": objection.proxy_letter, "registered_date": objection.registered_on,
        "due_date": objection.due_on, "days_left": _days_left(cal, today, objection.due_on),
        "late": objection.state == ObjectionState.REGISTERED and today > objection.due_on,
        "decided_date": objection.decided_on, "decision": objection.decision, "dispute": objection.dispute,
        "request": {"number": req.number, "state": str(req.state), "status": transitions.STATE_LABELS[req.state],
                    "handler": req.handler, "applicant_name": req.name, "information": req.information,
                    "decided_date": req.decided_on, "decision": req.decision},
        "moves": [m.name for m in transitions.OBJECTION_MOVES.values()
                  if objection.state in m.sources and can(actor, m.permission, objection)],
    }


def _checked_fields(body: dict[str, Any], allowed: frozenset[str], move: str) -> None:
    """Refuse the fields ``move`` does not take (422, per field)."""
    extra = sorted(set(body) - allowed)
    if extra:
        takes = ", ".join(sorted(allowed)) or "tidak ada"
        message = f'Bukan isian langkah "{move}" (isiannya: {takes}).'
        raise Invalid(f"Isi permintaan tidak valid: {', '.join(extra)}.", details={k: [message] for k in extra})


# --------------------------------------------------------------------------- requests


@bp.get("/inbox")
@documented(
    operation_id="listPpidInbox", tag=TAG, summary="Kotak masuk petugas PPID",
    description="Permohonan yang Anda tangani, batas pemberitahuan terdekat dulu (yang terlambat paling atas), "
                "dengan jam hari kerjanya dan langkah yang dapat Anda ambil sekarang. PPID Pelaksana melihat "
                "permohonan OPD-nya; PPID Utama melihat semua permohonan pemerintah daerahnya. Bawaan: hanya yang "
                "masih berjalan; `state` memilih satu status (juga yang sudah selesai)." + NO_IDENTITY + OFFICERS,
    response=InboxResponse, response_description="Satu halaman permohonan.", query=lambda config: _inbox_args(),
    errors=("401", "403", "404", "422"), token="read", example_query={"channel": "web", "per_page": "20"})
def inbox() -> Any:
    actor = _officer(api_actor())
    args = load_query(_inbox_args())
    found = services.inbox(actor, state=args["state"] or "", organization=args["organization"],
                           channel=args["channel"] or "",
                           include_closed=args["include_closed"])
    items, meta, links = _paged(found, args["page"], args["per_page"])
    cal, today = services.calendar(), services.today()
    rows = [_request_data(actor, r, cal, today) for r in items]
    return envelope(PpidOfficerRequestSchema(many=True).dump(rows), meta=meta, links=links)


@bp.get("/inbox/<number>")
@documented(
    operation_id="getPpidInboxRequest", tag=TAG, summary="Satu permohonan (petugas)",
    description="Permohonan dengan isi keputusan, penyampaian, riwayat langkah, dokumen resmi yang dikirim (nomor, "
                "jenis, waktu dan sidik SHA-256; PDF-nya diunduh di halaman permohonan) dan keberatannya."
                + NO_IDENTITY + OFFICERS + HANDLERS,
    response=RequestResponse, response_description="Permohonan.", path_params=(NUMBER,),
    errors=("401", "403", "404"), token="read")
def get_request(number: str) -> Any:
    actor = _officer(api_actor())
    return _request_answer(actor, _request(actor, number))


MOVE_EXAMPLE = {
    "given": "Rekap jumlah tenaga kesehatan per puskesmas tahun 2025", "form": "Salinan PDF dan tautan dataset",
    "delivery": "Dikirim lewat surel dalam 2 hari kerja", "cost": 0,
    "datasets": ["jumlah-tenaga-kesehatan-menurut-puskesmas"],
    "redactions": [{"part": "Nama dan NIP tenaga honorer", "exemptions": ["h"],
                    "reason": "Mengungkap rahasia pribadi tenaga honorer."}],
    "note": "Sebagian informasi dihitamkan karena memuat data pribadi.",
}


@bp.post("/requests/<number>/moves/<move>")
@documented(
    operation_id="makePpidMove", tag=TAG, summary="Ambil langkah atas permohonan",
    description="Satu langkah dari tabel transisi PPID, seperti di halaman petugas: mengaudit, menerbitkan "
                "dokumen resmi bertanda tangan (perpanjangan, pemberitahuan tertulis, keputusan penolakan) dan "
                "mengirim surel kepada pemohon. Isian per langkah: `route` (`to`: slug OPD; jangka waktu tetap "
                "berjalan); `extend` (`days` 1–7 dan `reason`, sekali saja); `grant` (`given`, `form`, `delivery`, "
                "`cost`, boleh `datasets`); `grant_in_part` (seperti grant, ditambah `redactions`); `refuse` "
                "(`exemptions` huruf Pasal 17 dan `consequence_test`); `not_held` (`holder` atau "
                "`holder_unknown`); `not_documented` (`available_on`); `record_delivery` (`means`, "
                "`delivered_on`, `cost`); `return_for_completion`, `close_not_entitled`, `mark_spam`, `withdraw` "
                "(`reason`); `complete` (tanpa isian). Semua langkah boleh membawa `note` untuk pemohon. Langkah "
                "yang tidak dikenal dijawab 404; tipe yang salah, isian langkah lain, atau isian yang diwajibkan "
                "undang-undang yang kosong 422 dengan pesan per kolom; langkah yang tidak ada dari status "
                "permohonan sekarang 409 dengan alasannya. Jawabannya permohonan sesudah langkah itu."
                + OFFICERS + HANDLERS,
    response=RequestResponse, response_description="Permohonan sesudah langkah ini.", path_params=(NUMBER, MOVE),
    errors=("401", "403", "404", "409", "422"), token="write",
    body=Body(PpidMoveInput(), "PpidMoveInput", "Isian langkah (contoh: grant_in_part); `complete` tanpa isi.",
              MOVE_EXAMPLE, required=False))
def make_move(number: str, move: str) -> Any:
    actor = _officer(api_actor(TokenScope.WRITE))
    move = path_key(move, "Langkah tidak dikenal.")
    if move not in transitions.TRANSITIONS:
        raise NotFound(f'Langkah "{shown(move)}" tidak dikenal. Langkah yang ada: '
                       + ", ".join(transitions.TRANSITIONS) + ".")
    req = _request(actor, number)
    body = load_body(PpidMoveInput(), json_body(optional=True))
    note = str(body.pop("note", "") or "")
    _checked_fields(body, MOVE_FIELDS.get(move, frozenset()), move)
    services.act(actor, req, move, body, note=note)
    db.session.flush()
    db.session.expire(req)  # routing changed the handler; the timeline has a new step
    return _request_answer(actor, req)


# --------------------------------------------------------------------------- objections (keberatan)


@bp.get("/objections")
@documented(
    operation_id="listPpidObjections", tag=TAG, summary="Keberatan untuk Atasan PPID",
    description="Keberatan atas permohonan pemerintah daerah Anda, batas tanggapan terdekat dulu (30 hari kerja, "
                "Pasal 36 ayat 2), dengan permohonannya (tanpa nomor identitas pemohon) dan langkah yang dapat Anda "
                "ambil. Bawaan: hanya yang menunggu tanggapan." + ATASAN,
    response=ObjectionList, response_description="Satu halaman keberatan.", query=lambda config: _objection_args(),
    errors=("401", "403", "404", "422"), token="read", example_query={"include_closed": "true"})
def objections() -> Any:
    actor = _atasan(api_actor())
    args = load_query(_objection_args())
    found = services.objection_inbox(actor, include_closed=args["include_closed"])
    items, meta, links = _paged(found, args["page"], args["per_page"])
    cal, today = services.calendar(), services.today()
    rows = [_objection_data(actor, o, cal, today) for o in items]
    return envelope(PpidObjectionSchema(many=True).dump(rows), meta=meta, links=links)


@bp.post("/objections/<number>/moves/<move>")
@documented(
    operation_id="makePpidObjectionMove", tag=TAG, summary="Tanggapi keberatan",
    description="Langkah Atasan PPID atas keberatan: `accept` atau `reject` (`reasons`, `decider_name`, "
                "`decider_position`) dan `settle` (musyawarah, hanya alasan b–g; `reasons`) menerbitkan tanggapan "
                "bertanda tangan dan mengirim surel kepada pemohon; `record_dispute` (`filed_on`, "
                "`register_number`, boleh `status`) mencatat sengketa di Komisi Informasi; `withdraw` mencatat "
                "keberatan yang dicabut pemohon (boleh `reasons`). Langkah yang tidak dikenal dijawab 404; tipe yang "
                "salah, isian langkah lain atau isian wajib yang kosong 422; langkah yang tidak ada dari status "
                "keberatan sekarang 409." + ATASAN,
    response=ObjectionResponse, response_description="Keberatan sesudah langkah ini.",
    path_params=(OBJECTION, OBJECTION_MOVE), errors=("401", "403", "404", "409", "422"), token="write",
    body=Body(PpidObjectionMoveInput(), "PpidObjectionMoveInput", "Isian langkah (contoh: reject).", {
        "reasons": "Yang dihitamkan adalah nama dan NIP tenaga honorer, rahasia pribadi menurut Pasal 17 huruf h; "
                   "rekap per puskesmas sudah diberikan.",
        "decider_name": "H. Budi Santoso, S.H., M.Si.", "decider_position": "Sekretaris Daerah Provinsi Riau"},
        required=False))
def make_objection_move(number: str, move: str) -> Any:
    actor = _atasan(api_actor(TokenScope.WRITE))
    move = path_key(move, "Langkah tidak dikenal.")
    if move not in transitions.OBJECTION_MOVES:
        raise NotFound(f'Langkah "{shown(move)}" tidak dikenal. Langkah yang ada: '
                       + ", ".join(transitions.OBJECTION_MOVES) + ".")
    objection = services.get_objection(actor, path_key(number, "Keberatan tidak ditemukan."))
    body = load_body(PpidObjectionMoveInput(), json_body(optional=True))
    _checked_fields(body, OBJECTION_FIELDS.get(move, frozenset()), move)
    services.decide_objection(actor, objection, move, body)
    db.session.flush()
    db.session.expire(objection)
    cal, today = services.calendar(), services.today()
    return envelope(PpidObjectionSchema().dump(_objection_data(actor, objection, cal, today)))
