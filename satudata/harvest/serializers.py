"""The harvest API's shapes (``/api/v1/harvest/...``): its request bodies (a new source, a change
to one, a dry run's overrides), its query arguments, and sources, runs, their objects and the raw
records as the walidata sees them over the API."""

from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields

from satudata.accounts.serializers import OrganizationRefSchema
from satudata.harvest.models import HarvestJob, ObjectStatus, PublishMode, Schedule
from satudata.rest.envelope import absolute, api_url, quoted
from satudata.rest.fields import URI, Bool, Computed, Int, JSONObject, Text, UTCDateTime, between, length, one_of
from satudata.rest.inputs import ArgsSchema, BodySchema, PagedArgs

SCHEDULES = tuple(s.value for s in Schedule)
MODES = tuple(m.value for m in PublishMode)
OBJECT_STATUSES = tuple(s.value for s in ObjectStatus)
DRY_RUN_MAX = 20
OBJECTS_MAX = 1000
OBJECTS_DEFAULT = 100

SOURCE_NAME = "2–100 huruf kecil, angka, - atau _ (contoh: ckan-riau); tidak dapat diubah sesudahnya."
TYPE = "Jenis sumber: nama plug-in harvester yang terpasang (`ckan`, `dcat`, `listing`, `sipd`, ...)."
CONFIG = ("Konfigurasi sumber sebagai objek JSON, diperiksa oleh skema plug-in-nya (CKAN: `organizations`, "
          "`groups`, `tags`, `organization_map`, `default_topics`, `default_tags`, `page_size`).")
SCHEDULE = "Jadwal panen: manual, daily (harian) atau weekly (mingguan)."
MODE = ("Mode terbit: direct (hasil panen langsung terbit) atau review (masuk antrean pemeriksaan walidata).")


# --------------------------------------------------------------------------- request bodies and arguments


class HarvestSourceInput(BodySchema):
    """A new harvest source."""

    class Meta(BodySchema.Meta):
        description = "Sumber harvest baru."

    name = Text(required=True, validate=length(100), metadata={"description": "Nama pendek sumber: " + SOURCE_NAME})
    title = Text(load_default=None, validate=length(300),
                 metadata={"description": "Judul sumber (bawaan: namanya)."})
    type = Text(required=True, validate=length(50), metadata={"description": TYPE})
    url = Text(required=True, validate=length(1000),
               metadata={"description": "Alamat sumber, diawali http:// atau https://."})
    organization = Text(required=True, validate=length(100), metadata={
        "description": "Slug organisasi pemilik dataset hasil panen (di wilayah Anda)."})
    config = JSONObject(load_default=dict, metadata={"description": CONFIG})
    schedule = Text(load_default=Schedule.MANUAL.value, validate=one_of(SCHEDULES), metadata={"description": SCHEDULE})
    publish_mode = Text(load_default=None, validate=one_of(MODES), metadata={
        "description": MODE + " Bawaan: direct, kecuali jenis sipd (review)."})
    active = Bool(load_default=True, metadata={"description": "Sumber aktif (dapat dipanen); bawaan true."})


class HarvestSourcePatchInput(BodySchema):
    """The fields of a source that change; what is left out stays. Name and type cannot change."""

    class Meta(BodySchema.Meta):
        description = "Kolom sumber harvest yang diubah; yang tidak dikirim tetap. Nama dan jenis tidak dapat diubah."

    title = Text(validate=length(300), metadata={"description": "Judul sumber (kosong: namanya)."})
    url = Text(validate=length(1000), metadata={"description": "Alamat sumber, diawali http:// atau https://."})
    organization = Text(validate=length(100), metadata={
        "description": "Slug organisasi pemilik dataset hasil panen berikutnya (di wilayah Anda)."})
    config = JSONObject(metadata={"description": CONFIG + " Menggantikan seluruh konfigurasi."})
    schedule = Text(validate=one_of(SCHEDULES), metadata={"description": SCHEDULE})
    publish_mode = Text(validate=one_of(MODES), metadata={"description": MODE})
    active = Bool(metadata={"description": "Sumber aktif (dapat dipanen)."})


class HarvestDryRunInput(BodySchema):
    """What a dry run tries instead of the source's saved settings (all optional)."""

    class Meta(BodySchema.Meta):
        description = "Pengganti pengaturan tersimpan untuk uji coba (semua boleh dilewati)."

    url = Text(validate=length(1000), metadata={"description": "Coba alamat ini (bawaan: alamat sumber)."})
    config = JSONObject(metadata={"description": "Coba konfigurasi ini (bawaan: konfigurasi sumber)."})
    limit = Int(load_default=5, validate=between(1, DRY_RUN_MAX), metadata={
        "description": f"Jumlah record pertama yang dicoba, 1–{DRY_RUN_MAX} (bawaan 5)."})


class HarvestJobsArgs(PagedArgs):
    """Arguments of ``GET /api/v1/harvest/sources/<name>/jobs``."""


class HarvestObjectArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/harvest/jobs/<id>/objects``."""

    status = Text(load_default=None, validate=one_of(OBJECT_STATUSES), metadata={
        "description": "Hanya record berstatus ini: " + ", ".join(OBJECT_STATUSES) + ".", "example": "error"})
    offset = Int(load_default=0, validate=between(0, 10**9),
                 metadata={"description": "Lewati sebanyak ini record.", "example": 0})
    limit = Int(load_default=OBJECTS_DEFAULT, validate=between(1, OBJECTS_MAX), metadata={
        "description": f"Jumlah record paling banyak (bawaan {OBJECTS_DEFAULT}, paling banyak {OBJECTS_MAX}).",
        "example": OBJECTS_DEFAULT})


# --------------------------------------------------------------------------- responses




class HarvestCountsSchema(Schema):
    class Meta:
        description = "Apa yang dilakukan panen dengan record-record sumber, per hasil."

    new = fields.Integer(metadata={"description": "Record baru: dataset dibuat."})
    updated = fields.Integer(metadata={"description": "Record berubah: dataset diperbarui (versi baru)."})
    unchanged = fields.Integer(metadata={"description": "Record tetap: tidak ada yang diubah."})
    withdrawn = fields.Integer(metadata={"description": "Record yang hilang dari sumber: dataset ditarik."})
    error = fields.Integer(metadata={"description": "Record yang gagal (pesannya di objek panen)."})


class HarvestSourceLinksSchema(Schema):
    class Meta:
        description = "Alamat terkait sumber harvest."

    self = fields.Function(lambda s: api_url(f"/harvest/sources/{quoted(s.name)}"),
                           metadata={**URI, "description": "Sumber ini di API."})
    jobs = fields.Function(lambda s: api_url(f"/harvest/sources/{quoted(s.name)}/jobs"),
                           metadata={**URI, "description": "Riwayat panen sumber ini di API."})
    page = fields.Function(lambda s: absolute(url_for("harvest.source", name=s.name)),
                           metadata={**URI, "description": "Halaman sumber ini di situs (Kelola data)."})


class HarvestSourceRefSchema(Schema):
    class Meta:
        description = "Sumber harvest secara singkat (di dalam objek lain)."

    name = fields.String(metadata={"description": "Nama pendek sumber."})
    title = fields.String(metadata={"description": "Judul sumber."})
    type = fields.String(metadata={"description": "Jenis sumber (plug-in)."})
    links = Computed(HarvestSourceLinksSchema, lambda s: s, metadata={"description": "Alamat terkait."})


class HarvestJobLinksSchema(Schema):
    class Meta:
        description = "Alamat terkait satu panen."

    self = fields.Function(lambda j: api_url(f"/harvest/jobs/{j.id}"), metadata={**URI, "description": "Panen ini."})
    objects = fields.Function(lambda j: api_url(f"/harvest/jobs/{j.id}/objects"),
                              metadata={**URI, "description": "Record-record panen ini."})
    errors = fields.Function(lambda j: api_url(f"/harvest/jobs/{j.id}/objects?status=error"),
                             metadata={**URI, "description": "Record yang gagal, masing-masing dengan pesannya."})
    page = fields.Function(lambda j: absolute(url_for("harvest.job", job_id=j.id)),
                           metadata={**URI, "description": "Halaman panen ini di situs."})


class HarvestJobSummarySchema(Schema):
    class Meta:
        description = "Satu panen (proses harvest) secara ringkas."

    id = fields.Integer(metadata={"description": "Nomor panen."})
    status = fields.String(metadata={"description": "queued, running, finished, finished_with_errors, failed atau "
                                                    "cancelled."})
    active = fields.Boolean(attribute="is_active", metadata={"description": "Masih antre atau berjalan."})
    stage = fields.String(allow_none=True, metadata={
        "description": "Tahap yang sedang dijalankan: gather, fetch, import, withdraw (null bila tidak berjalan)."})
    trigger = fields.String(metadata={"description": "Pemicu: manual (situs), api, cli atau schedule (jadwal)."})
    requested_by = fields.String(allow_none=True, metadata={"description": "Siapa yang meminta panen ini."})
    created_at = UTCDateTime(metadata={"description": "Waktu diminta (UTC)."})
    started_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu mulai (UTC), bila sudah."})
    finished_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu selesai (UTC), bila sudah."})
    seconds = fields.Float(allow_none=True, metadata={
        "description": "Lama berjalan dalam detik (sampai sekarang bila masih berjalan); null bila belum mulai."})
    gathered = fields.Integer(metadata={"description": "Record sumber yang sudah terkumpul."})
    cancel_requested = fields.Boolean(metadata={"description": "Diminta berhenti (berhenti setelah record yang "
                                                              "sedang diproses)."})
    counts = Computed(HarvestCountsSchema, HarvestJob.all_counts, metadata={"description": "Jumlah record per hasil."})
    error_count = fields.Function(lambda j: len(j.errors or []), metadata={
        "description": "Jumlah galat tingkat panen (bukan galat per record, lihat `counts.error`)."})
    links = Computed(HarvestJobLinksSchema, lambda j: j, metadata={"description": "Alamat terkait."})


class HarvestJobSchema(HarvestJobSummarySchema):
    class Meta:
        description = "Satu panen dengan sumbernya dan semua galat tingkat panen."

    source = fields.Nested(HarvestSourceRefSchema, metadata={"description": "Sumber yang dipanen."})
    errors = fields.List(fields.String(), metadata={
        "description": "Semua galat tingkat panen, lengkap (pengumpulan terhenti, sumber tidak dapat dibaca, "
                       "penarikan dilewati, dibatalkan, ...). Galat per record ada di objek panen."})


class HarvestSourceSchema(Schema):
    """Dumped from ``services.SourceRow`` (the source, its last run, its dataset count)."""

    class Meta:
        description = "Sumber harvest: katalog lain yang dipanen ke portal ini."

    name = fields.String(attribute="source.name", metadata={"description": "Nama pendek sumber (pengenalnya)."})
    title = fields.String(attribute="source.title", metadata={"description": "Judul sumber."})
    type = fields.String(attribute="source.type", metadata={"description": "Jenis sumber (plug-in): ckan, dcat, ..."})
    url = fields.String(attribute="source.url", metadata={**URI, "description": "Alamat sumber."})
    organization = fields.Nested(OrganizationRefSchema, attribute="source.organization", metadata={
        "description": "Organisasi pemilik dataset hasil panen."})
    config = fields.Dict(attribute="source.config", metadata={
        "description": "Konfigurasi sumber, seperti dibaca skema plug-in-nya (dengan nilai bawaannya)."})
    schedule = fields.String(attribute="source.schedule", metadata={"description": SCHEDULE})
    publish_mode = fields.String(attribute="source.publish_mode", metadata={"description": MODE})
    active = fields.Boolean(attribute="source.active", metadata={"description": "Sumber aktif (dapat dipanen)."})
    created_at = UTCDateTime(attribute="source.created_at", metadata={"description": "Waktu ditambahkan (UTC)."})
    updated_at = UTCDateTime(attribute="source.updated_at", metadata={"description": "Waktu terakhir diubah (UTC)."})
    datasets = fields.Integer(metadata={"description": "Jumlah dataset hasil panen sumber ini."})
    last_job = fields.Nested(HarvestJobSummarySchema, allow_none=True, metadata={
        "description": "Panen terakhir (null bila belum pernah dipanen)."})
    links = Computed(HarvestSourceLinksSchema, lambda row: row.source, metadata={"description": "Alamat terkait."})


class HarvestDatasetRefSchema(Schema):
    class Meta:
        description = "Dataset hasil panen secara singkat."

    id = fields.String(metadata={"description": "ID dataset (UUID)."})
    slug = fields.String(metadata={"description": "Pengenal dataset di URL."})
    title = fields.String(metadata={"description": "Judul dataset."})
    state = fields.String(metadata={"description": "Status dataset: draft, submitted, published, withdrawn, ..."})
    url = fields.Function(lambda ds: api_url(f"/workspace/datasets/{quoted(ds.slug)}"),
                          metadata={**URI, "description": "Dataset ini di API ruang kerja."})
    record = fields.Function(lambda ds: api_url(f"/harvest/datasets/{quoted(ds.id)}/record"),
                             metadata={**URI, "description": "Record mentah dari sumber di balik dataset ini."})


class HarvestObjectSchema(Schema):
    """Dumped from ``{"object": HarvestObject, "dataset": Dataset | None}``."""

    class Meta:
        description = "Apa yang dilakukan satu panen dengan satu record sumber."

    id = fields.Integer(attribute="object.id", metadata={"description": "ID objek panen."})
    remote_id = fields.String(attribute="object.remote_id", metadata={"description": "ID record di sumber."})
    status = fields.String(attribute="object.status", metadata={
        "description": "new, updated, unchanged, withdrawn atau error."})
    title = fields.String(attribute="object.title", allow_none=True, metadata={"description": "Judul record."})
    message = fields.String(attribute="object.message", allow_none=True, metadata={
        "description": "Pesan galat lengkap, atau catatan apa yang dilakukan."})
    dataset_id = fields.String(attribute="object.dataset_id", allow_none=True, metadata={
        "description": "ID dataset yang dibuat atau diperbarui dari record ini, bila ada."})
    dataset = fields.Nested(HarvestDatasetRefSchema, allow_none=True, metadata={
        "description": "Dataset itu, bila masih ada."})


class HarvestRecordSchema(Schema):
    """Dumped from ``{"record": HarvestRecord, "source": HarvestSource, "dataset": Dataset | None}``."""

    class Meta:
        description = "Record mentah dari sumber di balik dataset hasil panen, seperti terakhir dipanen."

    dataset_id = fields.String(attribute="record.dataset_id", metadata={"description": "ID dataset (UUID)."})
    dataset = fields.Nested(HarvestDatasetRefSchema, allow_none=True, metadata={"description": "Datasetnya."})
    source = fields.Nested(HarvestSourceRefSchema, metadata={"description": "Sumber asalnya."})
    remote_id = fields.String(attribute="record.remote_id", metadata={"description": "ID record di sumber."})
    modified = fields.String(attribute="record.modified", allow_none=True, metadata={
        "description": "Waktu terakhir diubah menurut sumber, seperti ditulis sumber."})
    content_hash = fields.String(attribute="record.content_hash", allow_none=True, metadata={
        "description": "Sidik SHA-256 isi record (record yang tidak berubah tidak diproses lagi)."})
    harvested_at = UTCDateTime(attribute="record.harvested_at", metadata={"description": "Waktu dipanen (UTC)."})
    withdrawn = fields.Boolean(attribute="record.withdrawn", metadata={
        "description": "Record hilang dari sumber dan datasetnya ditarik."})
    last_job_id = fields.Integer(attribute="record.last_job_id", allow_none=True, metadata={
        "description": "Nomor panen terakhir yang membaca record ini."})
    raw = fields.Dict(attribute="record.raw", allow_none=True, metadata={
        "description": "Record mentah seperti dikirim sumber (JSON)."})


class HarvestDryRunRecordSchema(Schema):
    class Meta:
        description = "Satu record uji coba: apa yang akan dilakukan panen dengannya."

    remote_id = fields.String(metadata={"description": "ID record di sumber."})
    action = fields.String(metadata={"description": "new, updated, unchanged atau error."})
    title = fields.String(allow_none=True, metadata={"description": "Judul record sesudah dipetakan."})
    resources = fields.Integer(allow_none=True, metadata={"description": "Jumlah sumber data (berkas/tautan)."})
    tags = fields.List(fields.String(), metadata={"description": "Kata kunci (paling banyak 10)."})
    organization = fields.String(allow_none=True, metadata={"description": "Organisasi record di sumber."})
    error = fields.String(allow_none=True, metadata={"description": "Mengapa record ini gagal, bila gagal."})


class HarvestDryRunSchema(Schema):
    class Meta:
        description = "Hasil uji coba: record-record pertama, dikumpulkan dan dipetakan; tidak ada yang ditulis."

    url = fields.String(metadata={**URI, "description": "Alamat yang dicoba."})
    config = fields.Dict(metadata={"description": "Konfigurasi yang dicoba, seperti dibaca skema plug-in-nya."})
    records = fields.List(fields.Nested(HarvestDryRunRecordSchema), metadata={"description": "Record-record "
                                                                                           "pertama."})
    errors = fields.List(fields.String(), metadata={"description": "Galat sumber (tidak dapat dibaca, ...)."})


def dry_run_data(url: str, config: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """``services.dry_run``'s answer with every record carrying every key."""
    records = [{"title": None, "resources": None, "tags": [], "organization": None, "error": None, **r}
               for r in found["records"]]
    return {"url": url, "config": config, "records": records, "errors": found["errors"]}


class HarvestObjectsMetaSchema(Schema):
    class Meta:
        description = "Letak halaman ini dalam record-record panen."

    total = fields.Integer(metadata={"description": "Jumlah record yang cocok (dengan `status`, bila diberikan)."})
    offset = fields.Integer(metadata={"description": "Record yang dilewati."})
    limit = fields.Integer(metadata={"description": "Record paling banyak di halaman ini."})
    status = fields.String(allow_none=True, metadata={"description": "Status yang dipilih (null: semua)."})


class HarvestObjectsLinksSchema(Schema):
    class Meta:
        description = "Tautan halaman ini dan halaman di sebelahnya (null di ujung)."

    self = fields.String(metadata={**URI, "description": "Halaman ini."})
    next = fields.String(allow_none=True, metadata={**URI, "description": "Halaman berikutnya."})
    prev = fields.String(allow_none=True, metadata={**URI, "description": "Halaman sebelumnya."})


class HarvestChangedMetaSchema(Schema):
    class Meta:
        description = "Apa yang berubah."

    changed = fields.List(fields.String(), metadata={
        "description": "Nama kolom sumber yang berubah (kosong: tidak ada perubahan)."})
