"""Harvesting over the REST API (``/api/v1/harvest/...``), authenticated by API tokens, for
scripts and integrations: the sources the caller manages (list, add, change, a dry run), their
runs (queue one, cancel, read its counts, errors and objects) and the raw record behind a
harvested dataset.

The same services as the walidata's pages and the CLI (``harvest.services``), which authorise
every change again and audit it; the request commits what they did, or nothing when one refuses.
Only walidata (over the source's organisation, its region) and admins: any other token is 403,
and so is a source, run or record of another region; an unknown one is 404. A bad body is 422
with a message per field (the plug-in's own config schema included); a name in use, or a run
while another is queued or running, 409.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint
from marshmallow import fields
from sqlalchemy import select

from satudata.accounts.api import api_actor
from satudata.accounts.models import TokenScope
from satudata.authz import Actor, Permission, can
from satudata.catalog.models import Dataset
from satudata.errors import Forbidden, NotFound
from satudata.extensions import db
from satudata.harvest import serializers as ser
from satudata.harvest import services
from satudata.harvest.models import HarvestJob, HarvestSource
from satudata.rest.docs import Body, PathParam, documented
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
from satudata.rest.inputs import json_body, load_body, load_query, path_key

bp = Blueprint("harvest_api", __name__, url_prefix=API_PREFIX + "/harvest")

TAG = "Harvest"
JOBS_MAX, JOBS_DEFAULT = 100, 20
MAX_ID = 2**31 - 1

SOURCE = PathParam("name", "Nama pendek sumber harvest.", "ckan-riau")
JOB = PathParam("job_id", "Nomor panen.", "1", "integer")
DATASET_ID = PathParam("dataset_id", "ID (UUID) dataset hasil panen.", "00000000-0000-0000-0000-000000000000")

WHO = (" Hanya walidata (atas organisasi pemilik sumber, yaitu wilayahnya) dan admin; token pengguna lain dijawab "
       "403.")
REGION = " Sumber di wilayah lain dijawab 403, yang tidak ada 404."

SourceList = response_schema(
    "HarvestSourceList", "Respons GET /api/v1/harvest/sources.",
    fields.List(fields.Nested(ser.HarvestSourceSchema), metadata={
        "description": "Sumber yang Anda kelola, urut nama."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah sumber."}))
SourceResponse = response_schema(
    "HarvestSourceResponse", "Respons yang berisi satu sumber harvest.",
    fields.Nested(ser.HarvestSourceSchema, metadata={"description": "Sumber harvest."}))
SourceUpdate = response_schema(
    "HarvestSourceUpdate", "Respons PATCH /api/v1/harvest/sources/{name}.",
    fields.Nested(ser.HarvestSourceSchema, metadata={"description": "Sumber setelah diubah."}),
    meta=fields.Nested(ser.HarvestChangedMetaSchema, metadata={"description": "Kolom yang berubah."}))
DryRunResponse = response_schema(
    "HarvestDryRunResponse", "Respons POST /api/v1/harvest/sources/{name}/dry-run.",
    fields.Nested(ser.HarvestDryRunSchema, metadata={"description": "Hasil uji coba."}))
JobList = response_schema(
    "HarvestJobList", "Respons GET /api/v1/harvest/sources/{name}/jobs.",
    fields.List(fields.Nested(ser.HarvestJobSummarySchema), metadata={"description": "Panen, terbaru lebih dulu."}),
    meta=fields.Nested(PageMetaSchema, metadata={"description": "Jumlah panen dan halaman."}),
    links=fields.Nested(PageLinksSchema, metadata={"description": "Tautan halaman ini, berikutnya dan sebelumnya."}))
JobResponse = response_schema(
    "HarvestJobResponse", "Respons yang berisi satu panen.",
    fields.Nested(ser.HarvestJobSchema, metadata={"description": "Panen."}))
ObjectList = response_schema(
    "HarvestObjectList", "Respons GET /api/v1/harvest/jobs/{job_id}/objects.",
    fields.List(fields.Nested(ser.HarvestObjectSchema), metadata={"description": "Record-record panen, urut "
                                                                                 "diproses."}),
    meta=fields.Nested(ser.HarvestObjectsMetaSchema, metadata={"description": "Jumlah dan letak."}),
    links=fields.Nested(ser.HarvestObjectsLinksSchema, metadata={"description": "Tautan halaman."}))
RecordResponse = response_schema(
    "HarvestRecordResponse", "Respons GET /api/v1/harvest/datasets/{dataset_id}/record.",
    fields.Nested(ser.HarvestRecordSchema, metadata={"description": "Record mentah."}))

SOURCE_EXAMPLE = {"name": "ckan-riau", "title": "Portal Data Provinsi Riau", "type": "ckan",
                  "url": "https://data.riau.go.id", "organization": "diskominfotik-riau",
                  "config": {"organizations": ["dinkes"], "default_tags": ["panen"]}, "schedule": "daily",
                  "publish_mode": "review", "active": True}


# --------------------------------------------------------------------------- helpers


def _manager(actor: Actor) -> Actor:
    """``actor`` when a walidata or an admin (the pages' ``views.manager`` rule); 403 otherwise."""
    if not can(actor, Permission.HARVEST_SOURCE_MANAGE, None):
        raise Forbidden("Hanya walidata dan admin yang mengelola sumber harvest.")
    return actor


def _allowed(actor: Actor, source: HarvestSource) -> HarvestSource:
    if not can(actor, Permission.HARVEST_SOURCE_MANAGE, source.organization):
        raise Forbidden(f'Sumber harvest "{source.name}" milik wilayah lain.')
    return source


def _source(actor: Actor, name: str) -> HarvestSource:
    return _allowed(actor, services.get_source(path_key(name, "Sumber harvest itu tidak ada.")))


def _job(actor: Actor, job_id: int) -> HarvestJob:
    if job_id > MAX_ID:
        raise NotFound(f"Panen #{job_id} tidak ada.")
    job = services.get_job(job_id)
    _allowed(actor, job.source)
    return job


def _row(source: HarvestSource) -> services.SourceRow:
    """The source with its last run and its dataset count (as ``services.list_sources`` gives each)."""
    last = db.session.get(HarvestJob, source.last_job_id) if source.last_job_id else None
    return services.SourceRow(source, last, services.dataset_count(source))


def _source_answer(source: HarvestSource, *, status: int = 200, meta: dict[str, Any] | None = None) -> Any:
    return envelope(ser.HarvestSourceSchema().dump(_row(source)), status=status, meta=meta)


def _datasets(ids: set[str]) -> dict[str, Dataset]:
    if not ids:
        return {}
    return {d.id: d for d in db.session.scalars(select(Dataset).where(Dataset.id.in_(ids)))}


# --------------------------------------------------------------------------- sources


@bp.get("/sources")
@documented(
    operation_id="listHarvestSources", tag=TAG, summary="Sumber harvest",
    description="Sumber harvest (katalog lain yang dipanen ke portal ini) yang Anda kelola, urut nama: jenis, "
                "alamat, organisasi pemilik hasilnya, jadwal, mode terbit, konfigurasi, jumlah dataset hasil panen "
                "dan ringkasan panen terakhir. Walidata melihat sumber organisasi di wilayahnya; admin semuanya."
                + WHO,
    response=SourceList, response_description="Sumber harvest.", errors=("401", "403"), token="read")
def list_sources() -> Any:
    actor = _manager(api_actor())
    rows = services.list_sources(actor)
    return envelope(ser.HarvestSourceSchema(many=True).dump(rows), meta={"total": len(rows)})


@bp.post("/sources")
@documented(
    operation_id="createHarvestSource", tag=TAG, summary="Tambah sumber harvest",
    description="Menambahkan sumber harvest. `type` adalah plug-in yang terpasang (`ckan`, `dcat`, ...); `config` "
                "diperiksa oleh skema plug-in itu. Dataset hasil panen menjadi milik `organization`, yang harus ada "
                "di wilayah Anda. Belum ada yang dipanen: jalankan dengan POST .../jobs, atau coba dulu dengan "
                "POST .../dry-run. Jenis yang tidak dikenal, URL yang bukan http(s), konfigurasi yang tidak lolos "
                "skema plug-in, atau organisasi yang tidak ada dijawab 422 dengan pesan per kolom; nama yang sudah "
                "dipakai 409." + WHO,
    response=SourceResponse, response_description="Sumber yang ditambahkan.", errors=("401", "403", "409", "422"),
    status="201", token="write",
    body=Body(ser.HarvestSourceInput(), "HarvestSourceInput",
              "Sumber baru. `name`, `type`, `url` dan `organization` wajib; yang lain boleh dilewati.",
              SOURCE_EXAMPLE))
def create_source() -> Any:
    actor = _manager(api_actor(TokenScope.WRITE))
    body = load_body(ser.HarvestSourceInput(), json_body())
    source = services.add_source(actor, name=body["name"], type=body["type"], url=body["url"],
                                 organization=body["organization"], title=body["title"], config=body["config"],
                                 schedule=body["schedule"], publish_mode=body["publish_mode"], active=body["active"])
    return _source_answer(source, status=201)


@bp.get("/sources/<name>")
@documented(
    operation_id="getHarvestSource", tag=TAG, summary="Satu sumber harvest",
    description="Sumber harvest dengan pengaturannya, jumlah dataset hasil panennya dan panen terakhirnya."
                + WHO + REGION,
    response=SourceResponse, response_description="Sumber harvest.", path_params=(SOURCE,),
    errors=("401", "403", "404"), token="read")
def get_source(name: str) -> Any:
    actor = _manager(api_actor())
    return _source_answer(_source(actor, name))


@bp.patch("/sources/<name>")
@documented(
    operation_id="updateHarvestSource", tag=TAG, summary="Ubah sumber harvest",
    description="Mengubah sebagian pengaturan sumber; kolom yang tidak dikirim tetap. `config` menggantikan seluruh "
                "konfigurasi dan diperiksa skema plug-in-nya. Nama dan jenis tidak dapat diubah (422). Organisasi "
                "baru harus di wilayah Anda juga (403). `meta.changed` menyebut kolom yang berubah." + WHO + REGION,
    response=SourceUpdate, response_description="Sumber setelah diubah.", path_params=(SOURCE,),
    errors=("401", "403", "404", "422"), token="write",
    body=Body(ser.HarvestSourcePatchInput(), "HarvestSourcePatch", "Kolom sumber yang diubah; semua boleh dilewati.",
              {"schedule": "weekly", "config": {"organizations": ["dinkes", "disdik"]}}))
def update_source(name: str) -> Any:
    actor = _manager(api_actor(TokenScope.WRITE))
    source = _source(actor, name)
    body = load_body(ser.HarvestSourcePatchInput(), json_body())
    changed = services.update_source(actor, source, body)
    return _source_answer(source, meta={"changed": changed})


@bp.post("/sources/<name>/dry-run")
@documented(
    operation_id="dryRunHarvestSource", tag=TAG, summary="Uji coba sumber harvest",
    description="Mengumpulkan dan memetakan beberapa record pertama sumber (bawaan 5) dan menyebut apa yang akan "
                "dilakukan panen dengan masing-masing (new, updated, unchanged, atau error dengan pesannya); tidak "
                "ada yang ditulis. `url` dan `config` di isi permintaan menggantikan pengaturan tersimpan untuk uji "
                "coba ini saja (untuk mencoba perubahan sebelum disimpan). Sumber yang tidak dapat dibaca tetap "
                "dijawab 200 dengan galatnya di `errors`; URL atau konfigurasi yang tidak valid 422." + WHO + REGION,
    response=DryRunResponse, response_description="Hasil uji coba.", path_params=(SOURCE,),
    errors=("401", "403", "404", "422"), token="write",
    body=Body(ser.HarvestDryRunInput(), "HarvestDryRunInput", "Pengganti pengaturan untuk uji coba; isi permintaan "
              "boleh dilewati.", {"config": {"organizations": ["dinkes"]}, "limit": 5}, required=False))
def dry_run(name: str) -> Any:
    actor = _manager(api_actor(TokenScope.WRITE))
    source = _source(actor, name)
    body = load_body(ser.HarvestDryRunInput(), json_body(optional=True))
    url = str(body.get("url", source.url)).strip()
    config = services.load_config(source.type, body.get("config", source.config))
    found = services.dry_run(source.type, url, config, limit=body["limit"], source=source)
    return envelope(ser.HarvestDryRunSchema().dump(ser.dry_run_data(url, config, found)))


# --------------------------------------------------------------------------- runs


@bp.post("/sources/<name>/jobs")
@documented(
    operation_id="runHarvestSource", tag=TAG, summary="Jalankan panen",
    description="Mengantrekan panen sumber ini (antrean harvest; pekerja menjalankannya). Jawabannya 202 dengan "
                "panen berstatus queued: ikuti kemajuannya di `links.self`. Satu sumber paling banyak satu panen: "
                "selama ada yang antre atau berjalan, dan bila sumber nonaktif, dijawab 409." + WHO + REGION,
    response=JobResponse, response_description="Panen yang diantrekan.", path_params=(SOURCE,),
    errors=("401", "403", "404", "409"), status="202", token="write")
def run_source(name: str) -> Any:
    actor = _manager(api_actor(TokenScope.WRITE))
    job = services.request_run(actor, _source(actor, name), trigger="api")
    return envelope(ser.HarvestJobSchema().dump(job), status=202)


@bp.get("/sources/<name>/jobs")
@documented(
    operation_id="listHarvestJobs", tag=TAG, summary="Riwayat panen sumber",
    description="Panen sumber ini, terbaru lebih dulu, berhalaman, dengan status, waktu, lama dan jumlah record per "
                "hasil." + WHO + REGION + " Halaman di luar jangkauan 404.",
    response=JobList, response_description="Satu halaman panen.", path_params=(SOURCE,),
    query=lambda config: _jobs_args(), errors=("401", "403", "404", "422"), token="read",
    example_query={"per_page": "10"})
def list_jobs(name: str) -> Any:
    actor = _manager(api_actor())
    source = _source(actor, name)
    args = load_query(_jobs_args())
    page, per_page = args["page"], args["per_page"]
    total = services.count_jobs(source)
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        raise NotFound(f"Halaman {page} tidak ada: hasil ini hanya {pages} halaman.",
                       details={"page": [f"Pilih halaman 1 sampai {pages}."]})
    found = services.list_jobs(source, limit=per_page, offset=(page - 1) * per_page)
    return envelope(ser.HarvestJobSummarySchema(many=True).dump(found),
                    meta={"total": total, "page": page, "per_page": per_page, "pages": pages},
                    links=page_links(page, pages))


def _jobs_args() -> ser.HarvestJobsArgs:
    return ser.HarvestJobsArgs(max_per_page=JOBS_MAX, default_per_page=JOBS_DEFAULT)


@bp.get("/jobs/<int:job_id>")
@documented(
    operation_id="getHarvestJob", tag=TAG, summary="Satu panen",
    description="Panen dengan status, tahap, pemicu, waktu diminta/mulai/selesai, lama, jumlah record terkumpul, "
                "jumlah per hasil (new, updated, unchanged, withdrawn, error; semuanya selalu ada) dan semua galat "
                "tingkat panen. Galat per record ada di `links.errors`." + WHO
                + " Panen sumber di wilayah lain dijawab 403, yang tidak ada 404.",
    response=JobResponse, response_description="Panen.", path_params=(JOB,), errors=("401", "403", "404"),
    token="read")
def get_job(job_id: int) -> Any:
    actor = _manager(api_actor())
    return envelope(ser.HarvestJobSchema().dump(_job(actor, job_id)))


@bp.post("/jobs/<int:job_id>/cancel")
@documented(
    operation_id="cancelHarvestJob", tag=TAG, summary="Batalkan panen",
    description="Membatalkan panen yang masih antre (langsung cancelled), atau meminta panen yang berjalan berhenti "
                "(`cancel_requested`; berhenti setelah record yang sedang diproses, tanpa menarik apa pun). Panen "
                "yang sudah selesai dijawab 409." + WHO + " Panen sumber di wilayah lain dijawab 403, yang tidak "
                "ada 404.",
    response=JobResponse, response_description="Panen sesudahnya.", path_params=(JOB,),
    errors=("401", "403", "404", "409"), token="write")
def cancel_job(job_id: int) -> Any:
    actor = _manager(api_actor(TokenScope.WRITE))
    job = services.cancel_job(actor, _job(actor, job_id))
    return envelope(ser.HarvestJobSchema().dump(job))


@bp.get("/jobs/<int:job_id>/objects")
@documented(
    operation_id="listHarvestObjects", tag=TAG, summary="Record-record satu panen",
    description="Apa yang dilakukan panen dengan setiap record sumber, urut diproses, dengan `offset`/`limit`: ID "
                "record di sumber, hasilnya, judulnya, pesan galat lengkap atau catatannya, dan dataset yang dibuat "
                "atau diperbarui (dengan tautannya) bila ada. `status` memilih satu hasil (`error`: semua galat per "
                "record)." + WHO + " Panen sumber di wilayah lain dijawab 403, yang tidak ada 404; status yang tidak "
                "dikenal 422.",
    response=ObjectList, response_description="Satu halaman record.", path_params=(JOB,),
    query=lambda config: ser.HarvestObjectArgs(), errors=("401", "403", "404", "422"), token="read",
    example_query={"status": "error", "limit": "50"})
def list_objects(job_id: int) -> Any:
    actor = _manager(api_actor())
    job = _job(actor, job_id)
    args = load_query(ser.HarvestObjectArgs())
    status, offset, limit = args["status"], args["offset"], args["limit"]
    objects, total = services.list_objects(job, status=status, limit=limit, offset=offset)
    datasets = _datasets({o.dataset_id for o in objects if o.dataset_id})
    rows = [{"object": o, "dataset": datasets.get(o.dataset_id or "")} for o in objects]
    return envelope(
        ser.HarvestObjectSchema(many=True).dump(rows),
        meta={"total": total, "offset": offset, "limit": limit, "status": status},
        links={"self": url_with(offset=offset, limit=limit),
               "next": url_with(offset=offset + limit, limit=limit) if offset + limit < total else None,
               "prev": url_with(offset=max(0, offset - limit), limit=limit) if offset > 0 else None})


# --------------------------------------------------------------------------- records


@bp.get("/datasets/<dataset_id>/record")
@documented(
    operation_id="getHarvestRecord", tag=TAG, summary="Record mentah dataset hasil panen",
    description="Record dari sumber di balik dataset hasil panen, persis seperti terakhir dipanen (JSON mentah), "
                "dengan ID-nya di sumber, waktu ubah menurut sumber, sidik isi dan panen terakhir yang membacanya."
                + WHO + " Dataset dari sumber di wilayah lain dijawab 403; dataset yang tidak ada atau tidak berasal "
                "dari panen 404.",
    response=RecordResponse, response_description="Record mentah.", path_params=(DATASET_ID,),
    errors=("401", "403", "404"), token="read")
def get_record(dataset_id: str) -> Any:
    actor = _manager(api_actor())
    missing = "Dataset itu tidak ada atau tidak berasal dari panen."
    record = services.record_of(path_key(dataset_id, missing)[:36])
    if record is None:
        raise NotFound(missing)
    source = db.session.get(HarvestSource, record.source_id)
    if source is None:
        raise NotFound(missing)
    _allowed(actor, source)
    dataset = db.session.get(Dataset, record.dataset_id) if record.dataset_id else None
    return envelope(ser.HarvestRecordSchema().dump({"record": record, "source": source, "dataset": dataset}))
