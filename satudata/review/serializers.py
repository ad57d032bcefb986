"""The producer workspace's shapes (the workspace pages live in review, the highest of the
domains they drive): its request bodies (the metadata form as JSON, uploads, links, Table Schema
choices, notes for the walidata) and "Dataset saya" as the producer sees it, with completeness,
what blocks submission, validation and the review history."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, pre_dump

from satudata.accounts.serializers import OrganizationRefSchema
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    Dataset,
    DatasetState,
)
from satudata.catalog.serializers import DatasetFormSchema, ResourceBaseSchema, SatuDataMetadataSchema
from satudata.rest.envelope import absolute, api_url, quoted
from satudata.rest.fields import URI, Computed, Int, JSONObject, Text, UTCDateTime, between, length, one_of
from satudata.rest.inputs import UNKNOWN_FIELD, ArgsSchema, BodySchema
from satudata.review import services as review
from satudata.review.quality import quality_of
from satudata.review.statistik import services as statistik
from satudata.review.statistik import spec
from satudata.validation.serializers import ValidationProgressSchema, progress_of


class WorkspaceDatasetPatchInput(DatasetFormSchema):
    """The metadata form of the workspace as JSON (``satudata.catalog.serializers``); unknown
    keys are refused. PATCH merges the body into the dataset's current values first."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN_FIELD, "type": "Isi permintaan harus objek JSON."}


class WorkspaceDatasetInput(WorkspaceDatasetPatchInput):
    """A new draft: the metadata form plus the producing OPD."""

    organization = Text(load_default=None, allow_none=True, validate=length(100), metadata={
        "description": "Slug OPD produsen. Wajib bila Anda produsen data di lebih dari satu OPD; "
                       "boleh dilewati bila hanya satu."})


class WorkspaceUploadInput(Schema):
    """The multipart form of an upload (the file itself is read separately)."""

    class Meta:
        description = "Formulir multipart unggahan berkas tabel atau dokumen."

    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": "Berkas: CSV, TSV, XLSX, JSON (tabel) atau dokumen (PDF, ...)."})
    name = Text(load_default="", validate=length(300),
                metadata={"description": "Nama sumber data; kosong: diambil dari nama berkas."})
    description = Text(load_default="", validate=length(20000), metadata={"description": "Keterangan (Markdown)."})
    sheet = Text(load_default="", validate=length(255),
                 metadata={"description": "Lembar XLSX yang dibaca (nama atau nomor); kosong: lembar pertama."})
    header_row = Text(load_default="", validate=length(4), metadata={
        "description": "Khusus XLSX: nomor baris lembar kerja yang berisi judul kolom (di bawah blok judul "
                       "laporan); kosong: portal menemukannya sendiri."})
    schema = Text(load_default="", validate=length(120), metadata={
        "description": "Standar data dari pustaka: nama (versi terbaru) atau nama@versi, misalnya "
                       "tenaga_kesehatan@1. Kosong atau infer: Table Schema disimpulkan dari berkas."})


class WorkspaceReplaceInput(Schema):
    """The multipart form of a re-upload."""

    class Meta:
        description = "Formulir multipart penggantian berkas sumber data."

    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": "Berkas pengganti, sejenis dengan yang lama (tabel atau dokumen)."})
    sheet = Text(load_default="", validate=length(255),
                 metadata={"description": "Lembar XLSX yang dibaca; kosong: lembar pertama."})
    header_row = Text(load_default="", validate=length(4), metadata={
        "description": "Khusus XLSX: nomor baris lembar kerja yang berisi judul kolom (di bawah blok judul "
                       "laporan); kosong: portal menemukannya sendiri."})


class WorkspaceLinkInput(BodySchema):
    """A link to a document kept elsewhere (tables must be uploaded)."""

    class Meta(BodySchema.Meta):
        description = "Tautan ke dokumen di situs lain (tabel harus diunggah agar dapat divalidasi)."

    url = Text(required=True, validate=length(1000),
               metadata={"description": "Alamat lengkap, diawali https:// atau http://."})
    name = Text(required=True, validate=length(300), metadata={"description": "Nama dokumen."})
    format = Text(load_default=None, allow_none=True, validate=length(20),
                  metadata={"description": "Format, misalnya PDF; kosong: dari akhiran alamat."})
    description = Text(load_default="", validate=length(20000), metadata={"description": "Keterangan (Markdown)."})


class WorkspaceResourcePatchInput(BodySchema):
    """The name and description of a resource (what is not sent stays)."""

    class Meta(BodySchema.Meta):
        description = "Nama dan keterangan sumber data; yang tidak dikirim tetap."

    name = Text(validate=length(300), metadata={"description": "Nama sumber data."})
    description = Text(validate=length(20000), metadata={"description": "Keterangan (Markdown)."})


class WorkspaceSchemaInput(BodySchema):
    """The Table Schema of a table: a standard of the library, or a descriptor."""

    class Meta(BodySchema.Meta):
        description = "Table Schema sebuah tabel: isi tepat salah satu, `schema` atau `table_schema`."

    schema = Text(validate=length(120), metadata={
        "description": "Standar data dari pustaka: nama (versi terbaru) atau nama@versi, misalnya sekolah@2."})
    table_schema = JSONObject(metadata={
        "description": "Table Schema frictionless lengkap (objek dengan daftar `fields`)."})


class WorkspaceNoteInput(BodySchema):
    """An optional note for the walidata."""

    class Meta(BodySchema.Meta):
        description = "Catatan untuk walidata (boleh dilewati)."

    note = Text(load_default="", validate=length(2000), metadata={"description": "Catatan, paling panjang 2000 "
                                                                                  "karakter."})


class WorkspaceListArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/workspace/datasets``."""

    state = Text(load_default=None, validate=one_of(DatasetState.values()), metadata={
        "description": "Hanya dataset berstatus ini: draft, submitted (diajukan), changes_requested (perlu "
                       "perbaikan), published (terbit), withdrawn (ditarik)."})


class WorkspaceResourceLinksSchema(Schema):
    class Meta:
        description = "Alamat sebuah sumber data ruang kerja."

    self = fields.Function(lambda r: api_url(f"/workspace/resources/{quoted(r.id)}"),
                           metadata={**URI, "description": "Sumber data ini di API."})
    validation = fields.Function(lambda r: api_url(f"/workspace/resources/{quoted(r.id)}/validation"),
                                 metadata={**URI, "description": "Hasil validasinya di API."})
    web = fields.Function(lambda r: absolute(f"/kelola/dataset/{quoted(r.dataset.slug)}/sumber/{quoted(r.id)}"),
                          metadata={**URI, "description": "Halamannya di ruang kerja portal."})


class WorkspaceResourceSchema(ResourceBaseSchema):
    """A resource as its producer sees it: the public shape's file, Table Schema and validation,
    plus the sheet read, the live validation run and the file history."""

    class Meta:
        description = "Sumber data di ruang kerja produsen: berkas, Table Schema dan hasil validasinya."

    dataset = fields.Function(lambda r: r.dataset.slug, metadata={"type": "string",
                                                                   "description": "Slug datasetnya."})
    sheet = fields.String(allow_none=True, metadata={"description": "Lembar XLSX yang dibaca."})
    header_row = fields.Integer(allow_none=True, metadata={
        "description": "Baris judul kolom yang dipilih produsen (XLSX); null: ditemukan portal di bawah blok judul."})
    is_tabular = fields.Boolean(metadata={"description": "Tabel (CSV, TSV, XLSX, JSON) yang divalidasi."})
    progress = Computed(ValidationProgressSchema, progress_of, allow_none=True, metadata={
        "description": "Validasi terakhir (null: belum pernah divalidasi)."})
    revision_count = fields.Function(lambda r: len(r.revisions), metadata={
        "type": "integer", "description": "Jumlah berkas lama di riwayat (setiap unggah ulang menambah satu)."})
    uploaded_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu berkas sekarang diunggah (UTC)."})
    links = Computed(WorkspaceResourceLinksSchema, lambda res: res, metadata={"description": "Alamat terkait."})


class CompletenessSchema(Schema):
    """How much of the Satu Data metadata is filled in."""

    class Meta:
        description = "Kelengkapan metadata Satu Data (meteran di formulir)."

    percent = fields.Integer(metadata={"description": "Persen kolom metadata yang terisi."})
    filled = fields.Integer(metadata={"description": "Kolom yang terisi."})
    total = fields.Integer(metadata={"description": "Jumlah kolom metadata."})
    missing_required = fields.List(fields.String(), metadata={
        "description": "Label kolom wajib yang masih kosong (harus diisi sebelum diajukan)."})
    missing_recommended = fields.List(fields.String(), metadata={
        "description": "Label kolom anjuran yang masih kosong."})


def _problems(ds: Dataset, ms_started: bool | None = None) -> list[str]:
    """What keeps an editable dataset from being submitted (nothing to fix in other states)."""
    if ds.state not in catalog.EDITABLE_STATES:
        return []
    return list(review.submission_problems(ds, ms_started=ms_started))


class WorkspaceDatasetLinksSchema(Schema):
    class Meta:
        description = "Alamat sebuah dataset ruang kerja."

    self = fields.Function(lambda ds: api_url(f"/workspace/datasets/{quoted(ds.slug)}"),
                           metadata={**URI, "description": "Dataset ini di API ruang kerja."})
    web = fields.Function(lambda ds: absolute(f"/kelola/dataset/{quoted(ds.slug)}"),
                          metadata={**URI, "description": "Halamannya di ruang kerja portal."})


class RevisionRefSchema(Schema):
    class Meta:
        description = "Revisi dataset terbit yang sedang dibuka."

    slug = fields.String(metadata={"description": "Slug revisi (slug dataset terbit dan `~revisi`)."})
    state = fields.Enum(DatasetState, by_value=True, metadata={
        "description": "draft, submitted atau changes_requested."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    links = Computed(WorkspaceDatasetLinksSchema, lambda ds: ds, metadata={"description": "Alamat revisi."})


class FieldChangeSchema(Schema):
    class Meta:
        description = "Satu kolom metadata yang diubah revisi."

    field = fields.String(attribute="name", metadata={"description": "Nama kolom metadata."})
    label = fields.String(metadata={"description": "Nama kolom di formulir."})
    published = fields.Raw(allow_none=True, metadata={"description": "Nilai pada versi terbit."})
    revision = fields.Raw(allow_none=True, metadata={"description": "Nilai pada revisi."})


class ResourceChangeSchema(Schema):
    class Meta:
        description = "Apa yang dilakukan revisi pada satu sumber data."

    change = fields.String(attribute="kind", metadata={"description": "added, removed, changed atau unchanged."})
    name = fields.String(metadata={"description": "Nama sumber data."})
    published_id = fields.Function(lambda c: c.published.id if c.published is not None else None, allow_none=True, metadata={
        "type": "string", "description": "ID sumber data terbit (null bila baru)."})
    revision_id = fields.Function(lambda c: c.revision.id if c.revision is not None else None, allow_none=True, metadata={
        "type": "string", "description": "ID salinannya di revisi (null bila dihapus)."})
    details = fields.List(fields.String(), metadata={
        "description": "Yang berubah: nama, berkas (dengan jumlah baris), kolom Table Schema, standar data."})


class MsVarChangeSchema(Schema):
    class Meta:
        description = "Satu variabel (kolom tabel) yang MS-Var-nya diubah revisi."

    resource_id = fields.String(metadata={"description": "ID tabel terbit (ID salinan di revisi bila tabelnya baru)."})
    resource = fields.String(metadata={"description": "Nama tabel."})
    column = fields.String(metadata={"description": "Nama kolom (variabel)."})


class MsFieldChangeSchema(Schema):
    class Meta:
        description = "Satu rincian MS-Keg yang diubah revisi."

    field = fields.String(metadata={"description": "Nama rincian, sama dengan kunci `ms_keg` metadata statistik."})
    number = fields.String(metadata={"description": "Nomor rincian pada formulir BPS, misalnya 3.1 (kosong untuk "
                                                    "identitas kegiatan)."})
    label = fields.String(metadata={"description": "Rincian pada formulir BPS."})


class MsChangesSchema(Schema):
    class Meta:
        description = ("Perubahan metadata statistik BPS (Peraturan BPS 5/2020) revisi dibanding versi terbit; "
                       "nilainya ada di `GET /api/v1/datasets/{slug}/metadata-statistik` setelah terbit.")

    ms_keg = Computed(MsFieldChangeSchema, lambda p: [{"field": k, "number": spec.KEG_BY_KEY[k].number,
                                                          "label": spec.KEG_BY_KEY[k].label} for k in p.keg],
                      many=True, metadata={"description": "Rincian MS-Keg yang berubah."})
    ms_var = Computed(MsVarChangeSchema, lambda p: [{"resource_id": i, "resource": n, "column": c} for i, n, c in p.var],
                      many=True, metadata={"description": "Variabel yang MS-Var-nya berubah."})
    ms_ind = fields.Boolean(attribute="ind", metadata={"description": "Isi MS-Ind (indikator) berubah."})


def revision_diff_of(ds: Dataset) -> dict[str, Any] | None:
    """A revision's differences with the published dataset (None for other datasets): the
    catalogue's (metadata, resources) and the BPS statistical metadata's."""
    if not ds.is_revision:
        return None
    diff = catalog.diff_revision(ds)
    ms = statistik.revision_changed_parts(ds)
    return {"changed": diff.changed or bool(ms), "metadata": diff.metadata, "resources": diff.resources,
            "metadata_statistik": ms}


class RevisionDiffSchema(Schema):
    class Meta:
        description = "Perbedaan revisi dengan versi yang terbit."

    changed = fields.Boolean(metadata={"description": "Revisi mengubah sesuatu (termasuk metadata statistik)."})
    metadata = fields.List(fields.Nested(FieldChangeSchema), metadata={
        "description": "Kolom metadata yang berubah, dengan nilai lama dan barunya."})
    resources = fields.List(fields.Nested(ResourceChangeSchema), metadata={
        "description": "Setiap sumber data: ditambah, dihapus, diubah, atau tetap."})
    metadata_statistik = fields.Nested(MsChangesSchema, metadata={
        "description": "Metadata statistik BPS yang berubah (daftar kosong dan false bila tidak ada, atau bila "
                       "dataset bukan statistik sektoral)."})


class WorkspaceDatasetSchema(Schema):
    """A dataset in "Dataset saya"."""

    class Meta:
        description = "Dataset di ruang kerja produsen (\"Dataset saya\")."

    id = fields.String(metadata={"description": "ID dataset (UUID)."})
    slug = fields.String(metadata={"description": "Pengenal dataset di URL."})
    title = fields.String(metadata={"description": "Judul."})
    state = fields.Enum(DatasetState, by_value=True, metadata={
        "description": "draft, submitted (diajukan ke walidata), changes_requested (perlu perbaikan), "
                       "published (terbit), withdrawn (ditarik)."})
    organization = fields.Nested(OrganizationRefSchema, metadata={"description": "OPD produsen."})
    completeness = Computed(CompletenessSchema, lambda ds: catalog.completeness(ds), metadata={
        "description": "Kelengkapan metadata."})
    problems = fields.Method("_problems_of", metadata={
        "type": "array", "items": {"type": "string"},
        "description": "Yang masih menghalangi pengajuan ke walidata, yang terpenting lebih dulu (kosong bila "
                       "siap, atau bila dataset tidak sedang dapat diubah)."})
    ready = fields.Method("_ready", metadata={
        "type": "boolean", "description": "Dataset dapat diajukan ke walidata sekarang."})
    resource_count = fields.Function(lambda ds: len(ds.resources), metadata={
        "type": "integer", "description": "Jumlah sumber data."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    published_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu pertama terbit (UTC)."})
    revision_of = fields.Function(lambda ds: ds.revision_of.slug if ds.revision_of is not None else None, allow_none=True, metadata={
        "type": "string",
        "description": "Pada revisi: slug dataset terbit yang diubahnya (publik tetap melihat dataset itu sampai "
                       "revisi diterbitkan). Selain revisi: null."})
    revision = Computed(RevisionRefSchema, lambda ds: ds.revision, allow_none=True, metadata={
        "description": "Pada dataset terbit: revisinya yang sedang dibuka (null bila tidak ada)."})
    links = Computed(WorkspaceDatasetLinksSchema, lambda ds: ds, metadata={"description": "Alamat terkait."})

    @pre_dump(pass_collection=True)
    def _read_started(self, data: Any, **_kwargs: Any) -> Any:
        """Which of the listed datasets started their BPS forms, in one query for the list (the
        submission check then reads the forms of those only)."""
        items = data if isinstance(data, (list, tuple)) else [data]
        self._ms_started = statistik.started_ids(d for d in items if isinstance(d, Dataset))
        self._problems_cache: dict[str, list[str]] = {}
        return data

    def _problems_of(self, ds: Dataset) -> list[str]:
        cache = getattr(self, "_problems_cache", {})
        if ds.id not in cache:
            started = getattr(self, "_ms_started", None)
            cache[ds.id] = _problems(ds, None if started is None else ds.id in started)
        return cache[ds.id]

    def _ready(self, ds: Dataset) -> bool:
        return ds.state in catalog.EDITABLE_STATES and not self._problems_of(ds)


class ReviewEventSchema(Schema):
    """One step of the dataset's lifecycle."""

    class Meta:
        description = ("Satu langkah riwayat dataset: pengajuan, penarikan pengajuan, permintaan perbaikan, "
                       "penerbitan, penarikan dari publik, penerbitan kembali.")

    id = fields.Integer(metadata={"description": "ID langkah."})
    action = fields.String(metadata={"description": "Langkah: submit, retract, request_changes, publish, withdraw, "
                                                    "republish, open_revision, publish_revision, discard_revision."})
    from_state = fields.String(metadata={"description": "Status sebelum."})
    to_state = fields.String(metadata={"description": "Status sesudah."})
    actor = fields.String(attribute="actor_label", metadata={"description": "Pelaku, misalnya user:budi."})
    note = fields.String(metadata={"description": "Catatan."})
    field_notes = fields.Dict(allow_none=True, metadata={"description": "Catatan walidata per kolom metadata."})
    created_at = UTCDateTime(metadata={"description": "Waktu (UTC)."})


def _events_of(ds: Dataset) -> list[Any]:
    return review.list_events(ds)


class QualityPartSchema(Schema):
    class Meta:
        description = "Satu bagian skor kualitas: apa yang mendapat nilai dan apa yang perlu dilakukan."

    key = fields.String(metadata={"description": "metadata, standards, valid, formats atau fresh."})
    label = fields.String(metadata={"description": "Nama bagian."})
    points = fields.Integer(metadata={"description": "Nilai yang didapat."})
    maximum = fields.Integer(metadata={"description": "Nilai paling tinggi bagian ini."})
    detail = fields.String(metadata={"description": "Apa yang mendapat nilai."})
    advice = fields.String(metadata={"description": "Yang perlu dilakukan untuk nilai penuh (kosong bila sudah penuh)."})


class QualitySchema(Schema):
    class Meta:
        description = ("Skor kualitas dataset 0-100: kelengkapan metadata, standar data, tabel valid, format terbuka "
                       "dan kemutakhiran; bagian yang tidak berlaku (dataset tanpa tabel) tidak dihitung.")

    score = fields.Integer(metadata={"description": "Skor 0-100 atas bagian yang berlaku."})
    grade = fields.String(metadata={"description": "Sebutan skor: Sangat baik, Baik, Cukup, Perlu ditingkatkan."})
    parts = fields.List(fields.Nested(QualityPartSchema), metadata={"description": "Bagian-bagian skor."})


class WorkspaceDatasetDetailSchema(WorkspaceDatasetSchema, SatuDataMetadataSchema):
    """A dataset of the workspace with its metadata (as the form takes it), resources and history."""

    class Meta:
        description = ("Dataset di ruang kerja: metadata (dengan nama dan bentuk yang sama dengan isi permintaan "
                       "PATCH), sumber data beserta validasinya, dan riwayat langkahnya.")

    description = fields.String(metadata={"description": "Deskripsi (Markdown)."})
    topics = fields.Function(lambda ds: [t.slug for t in ds.topics], metadata={
        "type": "array", "items": {"type": "string"}, "description": "Slug topik."})
    tags = fields.Function(lambda ds: [t.name for t in ds.tags], metadata={
        "type": "array", "items": {"type": "string"}, "description": "Kata kunci."})
    licence_id = fields.String(allow_none=True, metadata={"description": "ID lisensi, misalnya cc-by-4.0."})
    resources = fields.List(fields.Nested(WorkspaceResourceSchema), metadata={
        "description": "Sumber data, berurutan, dengan status validasinya."})
    events = Computed(ReviewEventSchema, _events_of, many=True, metadata={
        "description": "Riwayat langkah dataset, terbaru lebih dulu."})
    last_event_id = fields.Function(lambda ds: review.last_event_id(ds), allow_none=True, metadata={
        "type": "integer", "description": "ID langkah terakhir (sama dengan `events[0].id`). Kirim sebagai "
                                                    "`expected_event_id` bersama langkah berikutnya: bila dataset sudah "
                                                    "berubah sejak itu, langkah ditolak (409)."})
    field_notes = fields.Function(lambda ds: review.last_field_notes(ds), metadata={
        "type": "object", "additionalProperties": {"type": "string"},
        "description": "Catatan walidata per kolom metadata dari permintaan perbaikan terakhir, "
                       "{kolom: catatan} (kosong bila belum pernah ada)."})
    quality = Computed(QualitySchema, quality_of, metadata={
        "description": "Skor kualitas dataset, seperti yang dilihat produsen dan walidata."})
    revision_diff = Computed(RevisionDiffSchema, revision_diff_of,
                             allow_none=True, metadata={
                                 "description": "Pada revisi: perbedaannya dengan versi yang terbit (metadata per "
                                                "kolom, setiap sumber data, metadata statistik). Selain revisi: "
                                                "null."})


class WorkspaceCountsSchema(Schema):
    """How many of the caller's datasets are in each state."""

    class Meta:
        description = "Jumlah dataset Anda per status (tanpa memperhatikan filter)."

    draft = fields.Integer(metadata={"description": "Draf."})
    submitted = fields.Integer(metadata={"description": "Diajukan ke walidata."})
    changes_requested = fields.Integer(metadata={"description": "Perlu perbaikan."})
    published = fields.Integer(metadata={"description": "Terbit."})
    withdrawn = fields.Integer(metadata={"description": "Ditarik."})


class WorkspaceListMetaSchema(Schema):
    class Meta:
        description = "Jumlah dataset di daftar ini dan per status."

    total = fields.Integer(metadata={"description": "Jumlah dataset di daftar ini."})
    counts = fields.Nested(WorkspaceCountsSchema, metadata={"description": "Jumlah dataset Anda per status."})


class ChangedMetaSchema(Schema):
    class Meta:
        description = "Apa yang berubah."

    changed = fields.List(fields.String(), metadata={
        "description": "Nama kolom metadata yang berubah (kosong: tidak ada perubahan)."})


# --------------------------------------------------------------------------- the walidata's review


EXPECTED_EVENT = Int(load_default=None, allow_none=True, validate=between(1, 2**31 - 1), metadata={
    "description": "ID langkah terakhir dataset yang Anda lihat (`last_event_id`). Bila diisi dan dataset sudah "
                   "berubah sejak itu (misalnya produsen menarik lalu mengajukan ulang), langkah ditolak (409). "
                   "Boleh dilewati."})


class ReviewNoteInput(BodySchema):
    """An optional note with a publication, and the page's last event."""

    class Meta(BodySchema.Meta):
        description = "Catatan penerbitan (boleh dilewati) dan langkah terakhir yang Anda lihat."

    note = Text(load_default="", validate=length(2000), metadata={
        "description": "Catatan, misalnya apa yang berubah pada versi ini; paling panjang 2000 karakter."})
    expected_event_id = EXPECTED_EVENT


class RequestChangesInput(BodySchema):
    """What the walidata asks the producer to fix."""

    class Meta(BodySchema.Meta):
        description = ("Permintaan perbaikan: pesan, catatan per kolom metadata, atau keduanya (minimal salah "
                       "satu).")

    message = Text(load_default="", validate=length(2000), metadata={
        "description": "Pesan untuk produsen data; paling panjang 2000 karakter."})
    field_notes = fields.Dict(keys=Text(validate=length(60)), values=Text(validate=length(2000)), load_default=dict,
                              error_messages={"invalid": "Harus berupa objek {{kolom: catatan}}."}, metadata={
        "description": "Catatan per kolom metadata, {kolom: catatan}; nama kolom seperti di isi PATCH ruang kerja "
                       "(title, description, satuan, kode_wilayah, ...)."})
    expected_event_id = EXPECTED_EVENT


class WithdrawInput(BodySchema):
    """Why a published dataset is taken off the public catalogue."""

    class Meta(BodySchema.Meta):
        description = "Alasan penarikan dari publik (wajib; ditampilkan kepada publik)."

    reason = Text(required=True, validate=length(2000), metadata={
        "description": "Alasan penarikan; tampil di halaman dataset dan pada tautan lama ke berkasnya."})
    expected_event_id = EXPECTED_EVENT


class ReviewQueueArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/review/queue``."""

    organization = Text(load_default=None, validate=length(100), metadata={
        "description": "Hanya pengajuan organisasi ini (slug) dan organisasi di bawahnya."})
    topic = Text(load_default=None, validate=length(100), metadata={"description": "Hanya pengajuan bertopik ini "
                                                                                  "(slug)."})


class QueueItemSchema(Schema):
    """A submission waiting for the walidata."""

    class Meta:
        description = "Satu pengajuan yang menunggu pemeriksaan walidata."

    slug = fields.Function(lambda item: item.dataset.slug, metadata={"type": "string",
                                                                     "description": "Slug dataset."})
    title = fields.Function(lambda item: item.dataset.title, metadata={"type": "string", "description": "Judul."})
    revision_of = fields.Function(
        lambda item: item.dataset.revision_of.slug if item.dataset.revision_of is not None else None, allow_none=True, metadata={
            "type": "string",
            "description": "Pada pengajuan revisi: slug dataset terbit yang diubahnya (null: pengajuan dataset baru)."})
    organization = Computed(OrganizationRefSchema, lambda item: item.dataset.organization, metadata={
        "description": "OPD produsen."})
    topics = fields.Function(lambda item: [t.slug for t in item.dataset.topics], metadata={
        "type": "array", "items": {"type": "string"}, "description": "Slug topik."})
    submitted_at = UTCDateTime(metadata={"description": "Waktu diajukan (UTC), pengajuan yang sekarang."})
    submitted_by = fields.String(metadata={"description": "Yang mengajukan, misalnya user:budi."})
    note = fields.String(metadata={"description": "Catatan produsen bersama pengajuan."})
    waiting_seconds = fields.Function(lambda item: int(item.waiting.total_seconds()), metadata={
        "type": "integer", "description": "Lama menunggu pemeriksaan, dalam detik."})
    waiting = fields.Function(lambda item: item.waiting_label, metadata={
        "type": "string", "description": "Lama menunggu, untuk dibaca: \"3 hari\", \"5 jam\"."})
    last_event_id = fields.Integer(metadata={"description": "Kirim sebagai `expected_event_id` bersama keputusan "
                                                            "Anda."})
    links = Computed(WorkspaceDatasetLinksSchema, lambda item: item.dataset, metadata={
        "description": "Alamat dataset di API ruang kerja dan di portal."})


class QueueMetaSchema(Schema):
    class Meta:
        description = "Jumlah pengajuan di antrean ini."

    total = fields.Integer(metadata={"description": "Jumlah pengajuan."})
