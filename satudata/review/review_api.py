"""The walidata's review over the REST API (``/api/v1/review/...``), authenticated by API
tokens: the queue of submissions of their region, and the decisions on one submission
(publish, request changes per field) or on a published dataset (withdraw, republish).

The same services as the web pages (``review.services``), which authorise, check the move
against the transition table and audit it, so the UI and the API cannot disagree; the request
commits what they did, or nothing when one refuses. A move the dataset's state does not allow,
or one made from a stale page (``expected_event_id``), is answered 409 with the reason in
Bahasa Indonesia; a bad body 422. A dataset outside the caller's workspace is 404, as in the
producer's workspace API; one the caller may see but not decide on (a producer's own) is 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields

from satudata.accounts.api import api_actor
from satudata.accounts.models import TokenScope
from satudata.authz import Actor
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.rest.docs import Body, PathParam, documented
from satudata.rest.envelope import API_PREFIX, envelope, response_schema
from satudata.rest.inputs import json_body, load_body, load_query, path_key
from satudata.review import serializers as ser
from satudata.review import services as review

bp = Blueprint("review_api", __name__, url_prefix=API_PREFIX + "/review")

REVIEW = "Pemeriksaan walidata"
DATASET = PathParam("slug", "Slug dataset yang diperiksa.", "jumlah-tenaga-kesehatan-menurut-puskesmas")
DECISION_ERRORS = ("401", "403", "404", "409", "422")
WHO = (" Hanya walidata wilayah dataset (dan admin); produsen data dijawab 403, dataset di luar wilayah Anda "
       "404.")
STALE = (" Dari status lain, atau bila `expected_event_id` bukan lagi langkah terakhir dataset, dijawab 409 dengan "
         "alasannya.")

QueueResponse = response_schema(
    "ReviewQueue", "Respons GET /api/v1/review/queue.",
    fields.List(fields.Nested(ser.QueueItemSchema), metadata={
        "description": "Pengajuan yang menunggu, yang paling lama menunggu lebih dulu."}),
    meta=fields.Nested(ser.QueueMetaSchema, metadata={"description": "Jumlah pengajuan."}))
DecisionResponse = response_schema(
    "ReviewDecision", "Respons langkah walidata: dataset sesudahnya.",
    fields.Nested(ser.WorkspaceDatasetDetailSchema, metadata={"description": "Dataset sesudah langkah ini."}))

NOTE_BODY = Body(ser.ReviewNoteInput(), "ReviewNote", "Catatan (boleh dilewati) dan langkah terakhir yang Anda "
                 "lihat; isi permintaan boleh dilewati.", {"note": "Rilis tahunan 2025.", "expected_event_id": 42},
                 required=False)


def _dataset(actor: Actor, slug: str) -> Dataset:
    slug = path_key(slug, "Dataset itu tidak ada di ruang kerja Anda.")
    return catalog.get_workspace_dataset(actor, slug)


def _target(actor: Actor, slug: str, move: str) -> Dataset:
    """The dataset a decision named by ``slug`` is for: a published dataset's revision when the
    move is the revision's to make (publish, request changes)."""
    return review.move_target(_dataset(actor, slug), move)


def _answer(event: Any) -> Any:
    """The dataset after the move (a published revision answers with the published dataset it
    became part of)."""
    dataset = db.session.get(Dataset, event.dataset_id)
    return envelope(ser.WorkspaceDatasetDetailSchema().dump(dataset))


@bp.get("/queue")
@documented(
    operation_id="listReviewQueue", tag=REVIEW, summary="Antrean pemeriksaan",
    description="Pengajuan produsen data di wilayah Anda yang menunggu pemeriksaan (status submitted), yang paling "
                "lama menunggu lebih dulu, dengan lama menunggu dan `last_event_id` untuk keputusan Anda. Walidata "
                "melihat pengajuan organisasi di bawah organisasi tempat ia menjadi walidata; admin melihat "
                "semuanya; peran lain dijawab 403.",
    response=QueueResponse, response_description="Antrean.", query=lambda _config: ser.ReviewQueueArgs(),
    errors=("401", "403", "422"), token="read", example_query={"topic": "kesehatan"})
def queue() -> Any:
    actor = api_actor()
    args = load_query(ser.ReviewQueueArgs())
    items = review.review_queue(actor, organization=args["organization"], topic=args["topic"])
    return envelope(ser.QueueItemSchema(many=True).dump(items), meta={"total": len(items)})


@bp.post("/datasets/<slug>/publish")
@documented(
    operation_id="publishDataset", tag=REVIEW, summary="Terbitkan",
    description="Menerbitkan pengajuan (submitted → published): menulis versi baru yang tidak berubah lagi "
                "(metadata dan berkas persis, berdasarkan SHA-256), mencatat waktu terbit pertama dan walidata "
                "wilayahnya, lalu dataset masuk ke katalog dan pencarian publik. Pengajuan revisi (slug revisi, atau "
                "slug dataset terbit yang revisinya diajukan) menggantikan versi terbit sebagai versi baru; "
                "jawabannya dataset terbit itu. Ditolak (409) bila ada tabel yang "
                "tidak lagi lolos validasi atau metadata wajib yang kosong." + STALE + WHO,
    response=DecisionResponse, response_description="Dataset yang terbit.", path_params=(DATASET,),
    errors=DECISION_ERRORS, token="write", body=NOTE_BODY)
def publish(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _target(actor, slug, "publish")
    body = load_body(ser.ReviewNoteInput(), json_body(optional=True))
    event = review.publish_dataset(actor, dataset, note=body["note"], expected_event_id=body["expected_event_id"])
    return _answer(event)


@bp.post("/datasets/<slug>/request-changes")
@documented(
    operation_id="requestDatasetChanges", tag=REVIEW, summary="Minta perbaikan",
    description="Mengembalikan pengajuan kepada produsen data (submitted → changes_requested) dengan pesan, catatan "
                "per kolom metadata, atau keduanya; pada dataset terbit yang revisinya diajukan, revisi itulah yang "
                "dikembalikan. Produsen melihat catatannya di `field_notes` rincian dataset "
                "ruang kerja. Nama kolom yang tidak dikenal, atau tanpa pesan maupun catatan, dijawab 422."
                + STALE + WHO,
    response=DecisionResponse, response_description="Dataset yang dikembalikan.", path_params=(DATASET,),
    errors=DECISION_ERRORS, token="write",
    body=Body(ser.RequestChangesInput(), "RequestChanges", "Apa yang perlu diperbaiki.",
              {"message": "Periksa kembali satuannya.", "field_notes": {"satuan": "Tulis jiwa, bukan orang."}}))
def request_changes(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _target(actor, slug, "request_changes")
    body = load_body(ser.RequestChangesInput(), json_body())
    event = review.request_changes(actor, dataset, message=body["message"], field_notes=body["field_notes"],
                           expected_event_id=body["expected_event_id"])
    return _answer(event)


@bp.post("/datasets/<slug>/withdraw")
@documented(
    operation_id="withdrawDataset", tag=REVIEW, summary="Tarik dari publik",
    description="Menarik dataset yang sudah terbit dari katalog publik (published → withdrawn). Alasannya wajib dan "
                "publik: halaman dataset, API dan tautan lama ke berkasnya menjawab 410 dengan alasan ini. Dataset "
                "keluar dari pencarian; versi dan berkasnya tetap disimpan." + STALE + WHO,
    response=DecisionResponse, response_description="Dataset yang ditarik.", path_params=(DATASET,),
    errors=DECISION_ERRORS, token="write",
    body=Body(ser.WithdrawInput(), "Withdraw", "Alasan penarikan.",
              {"reason": "Angka tahun 2024 keliru; rilis perbaikan menyusul."}))
def withdraw(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _target(actor, slug, "withdraw")
    body = load_body(ser.WithdrawInput(), json_body())
    event = review.withdraw_dataset(actor, dataset, reason=body["reason"], expected_event_id=body["expected_event_id"])
    return _answer(event)


@bp.post("/datasets/<slug>/republish")
@documented(
    operation_id="republishDataset", tag=REVIEW, summary="Terbitkan kembali",
    description="Menerbitkan kembali dataset yang ditarik (withdrawn → published): versi terakhirnya berlaku lagi "
                "(versi baru hanya bila isinya berbeda) dan dataset kembali ke pencarian." + STALE + WHO,
    response=DecisionResponse, response_description="Dataset yang terbit kembali.", path_params=(DATASET,),
    errors=DECISION_ERRORS, token="write", body=NOTE_BODY)
def republish(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _target(actor, slug, "republish")
    body = load_body(ser.ReviewNoteInput(), json_body(optional=True))
    event = review.republish_dataset(actor, dataset, note=body["note"], expected_event_id=body["expected_event_id"])
    return _answer(event)
