"""The producer's workspace over the REST API (``/api/v1/workspace/...``), authenticated by API
tokens: "Dataset saya", drafts and their metadata, uploads and links, re-uploads, Table Schemas,
validation reports, and submitting to the walidata.

These are the operations of the web workspace (``satudata/review/views.py``) through the same
services (``catalog.services``, ``review.services``), which authorise and audit every change, so
the UI and the API cannot disagree; the request commits what they did, or nothing when one
refuses. Reads need a token with the ``read`` scope, changes ``write``. Shapes and bodies are
those of ``satudata/review/serializers.py``.
"""

from __future__ import annotations

from typing import Any, BinaryIO, cast

from flask import Blueprint, request
from marshmallow import fields
from werkzeug.datastructures import FileStorage

from satudata.accounts import services as accounts
from satudata.accounts.api import api_actor
from satudata.accounts.models import Organization, TokenScope
from satudata.authz import Actor, Permission, can
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, Resource
from satudata.errors import Conflict, Forbidden, Invalid, NotFound
from satudata.extensions import db
from satudata.rest.docs import Body, PathParam, documented
from satudata.rest.envelope import API_PREFIX, envelope, response_schema
from satudata.rest.inputs import json_body, json_object, load_body, load_form, load_query, path_key
from satudata.review import serializers as ser
from satudata.review import services as review
from satudata.validation import report, tasks
from satudata.validation import serializers as validation_ser
from satudata.validation import services as standards

bp = Blueprint("workspace_api", __name__, url_prefix=API_PREFIX + "/workspace")

WORKSPACE = "Ruang kerja produsen"
WS_DATASET = PathParam("slug", "Slug dataset di ruang kerja Anda.", "jumlah-tenaga-kesehatan-menurut-puskesmas")
WS_RESOURCE = PathParam("resource_id", "ID (UUID) sumber data di ruang kerja Anda.",
                        "00000000-0000-0000-0000-000000000000")
WRITE_ERRORS = ("401", "403", "404", "409", "422")
EDITABLE_ONLY = (" Pada dataset draft atau changes_requested perubahan langsung berlaku; pada dataset yang sudah "
                 "terbit perubahan masuk ke revisinya (dibuka otomatis bila belum ada; publik tetap melihat versi "
                 "terbit sampai revisi diterbitkan walidata); dataset submitted atau withdrawn dijawab 409. "
                 "Hanya produsen data OPD pemilik dataset (dan admin).")
REVISION_NOTE = (" Pada dataset terbit yang revisinya sedang dibuka, langkah ini berlaku untuk revisinya.")
NOTE_BODY = Body(ser.WorkspaceNoteInput(), "WorkspaceNote", "Catatan untuk walidata; isi permintaan boleh "
                 "dilewati.", {"note": "Data tahun 2025 sudah lengkap."}, required=False)
VALIDATION_ASYNC = (" Tabel divalidasi di latar belakang: `validation_status` menjadi `pending`; pantau "
                    "`GET /workspace/resources/{resource_id}/validation` sampai `progress.finished`.")

WorkspaceDatasetList = response_schema(
    "WorkspaceDatasetList", "Respons GET /api/v1/workspace/datasets.",
    fields.List(fields.Nested(ser.WorkspaceDatasetSchema), metadata={
        "description": "Dataset OPD Anda, terakhir diubah lebih dulu."}),
    meta=fields.Nested(ser.WorkspaceListMetaSchema, metadata={"description": "Jumlah dataset."}))
WorkspaceDatasetResponse = response_schema(
    "WorkspaceDatasetResponse", "Respons yang berisi satu dataset ruang kerja.",
    fields.Nested(ser.WorkspaceDatasetDetailSchema, metadata={"description": "Dataset."}))
WorkspaceDatasetUpdate = response_schema(
    "WorkspaceDatasetUpdate", "Respons PATCH /api/v1/workspace/datasets/{slug}.",
    fields.Nested(ser.WorkspaceDatasetDetailSchema, metadata={"description": "Dataset setelah diubah."}),
    meta=fields.Nested(ser.ChangedMetaSchema, metadata={"description": "Kolom yang berubah."}))
WorkspaceResourceResponse = response_schema(
    "WorkspaceResourceResponse", "Respons yang berisi satu sumber data ruang kerja.",
    fields.Nested(ser.WorkspaceResourceSchema, metadata={"description": "Sumber data."}))
WorkspaceValidationResponse = response_schema(
    "WorkspaceValidationResponse", "Respons GET /api/v1/workspace/resources/{resource_id}/validation.",
    fields.Nested(validation_ser.WorkspaceValidationSchema, metadata={"description": "Validasi tabel."}))


# --------------------------------------------------------------------------- helpers


def _dataset(actor: Actor, slug: str) -> Dataset:
    slug = path_key(slug, "Dataset itu tidak ada di ruang kerja Anda.")
    return catalog.get_workspace_dataset(actor, slug)


def _editable(actor: Actor, slug: str) -> Dataset:
    """The dataset a change named by ``slug`` goes to: a published dataset's revision (opened
    now if none is open), otherwise the dataset itself."""
    return review.editable_version(actor, _dataset(actor, slug))


def _editable_resource(actor: Actor, resource_id: str) -> Resource:
    """The resource a change to ``resource_id`` goes to: a published resource's copy in its
    dataset's revision (the revision opened now if none is open), otherwise the resource."""
    resource = _resource(actor, resource_id)
    dataset = review.editable_version(actor, resource.dataset)
    if dataset is resource.dataset:
        return resource
    return catalog.revision_counterpart(dataset, resource.id)


def _resource(actor: Actor, resource_id: str) -> Resource:
    """A resource of a dataset in the actor's workspace. Another OPD's resource is answered
    like one that does not exist (its dataset's slug is not echoed)."""
    message = "Sumber data itu tidak ada di ruang kerja Anda (mungkin sudah dihapus)."
    found = db.session.get(Resource, path_key(resource_id, message))
    if found is None:
        raise NotFound(message)
    try:
        dataset = catalog.get_workspace_dataset(actor, found.dataset.slug)
    except NotFound:
        raise NotFound(message) from None
    return catalog.get_workspace_resource(actor, dataset, resource_id)


def _upload_file() -> FileStorage:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("Pilih berkas untuk diunggah: kirim multipart/form-data dengan kolom file.",
                      details={"file": ["Pilih berkas."]})
    return upload


def _stream(upload: FileStorage) -> BinaryIO:
    return cast(BinaryIO, upload.stream)


def _is_multipart() -> bool:
    return request.mimetype == "multipart/form-data"


def _organization_for_new(actor: Actor, slug: str | None) -> Organization:
    """The OPD a new draft belongs to: the one named, or the only one the actor produces for."""
    if slug:
        try:
            return accounts.get_organization(path_key(slug, "Organisasi tidak dikenal."))
        except NotFound as err:
            raise Invalid(err.message, details={"organization": ["Organisasi tidak dikenal."]}) from None
    mine = [o for o in catalog.workspace_organizations(actor) if can(actor, Permission.CATALOG_DATASET_CREATE, o)]
    if not mine:
        raise Forbidden("Anda belum terdaftar sebagai produsen data OPD mana pun. Hubungi walidata atau admin.")
    if len(mine) > 1:
        choices = ", ".join(o.slug for o in mine)
        raise Invalid("Anda produsen data di beberapa OPD; sebutkan OPD-nya di kolom organization.",
                      details={"organization": [f"Pilih salah satu: {choices}."]})
    return mine[0]


def _dataset_response(dataset: Dataset, status: int = 200, **extra: Any) -> Any:
    return envelope(ser.WorkspaceDatasetDetailSchema().dump(dataset), status=status, **extra)


def _resource_response(resource: Resource, status: int = 200) -> Any:
    return envelope(ser.WorkspaceResourceSchema().dump(resource), status=status)


# --------------------------------------------------------------------------- datasets


@bp.get("/datasets")
@documented(
    operation_id="listWorkspaceDatasets", tag=WORKSPACE, summary="Dataset saya",
    description="Dataset OPD tempat Anda menjadi produsen data (admin: semua), terakhir diubah lebih dulu, dengan "
                "status, kelengkapan metadata, dan apa yang masih menghalangi pengajuan ke walidata. Termasuk draf "
                "yang tidak tampil di katalog publik.",
    response=WorkspaceDatasetList, response_description="Dataset Anda.", query=lambda _config: ser.WorkspaceListArgs(),
    errors=("401", "422"), token="read", example_query={"state": "draft"})
def list_datasets() -> Any:
    actor = api_actor()
    args = load_query(ser.WorkspaceListArgs())
    state = DatasetState(args["state"]) if args["state"] else None
    datasets = catalog.list_workspace_datasets(actor, state=state)
    return envelope(ser.WorkspaceDatasetSchema(many=True).dump(datasets),
                    meta={"total": len(datasets), "counts": catalog.workspace_counts(actor)})


@bp.post("/datasets")
@documented(
    operation_id="createWorkspaceDataset", tag=WORKSPACE, summary="Buat draf dataset",
    description="Membuat dataset baru berstatus draft dari metadata Satu Data (sama dengan formulir di ruang "
                "kerja). Hanya `title` yang wajib sekarang; kolom wajib lainnya harus terisi sebelum diajukan. "
                "`topics` dan `licence_id` harus ada di daftar portal, `kode_wilayah` di daftar Kemendagri. "
                "Sesudahnya, unggah tabelnya ke `POST /workspace/datasets/{slug}/resources`.",
    response=WorkspaceDatasetResponse, response_description="Dataset yang dibuat.", errors=("401", "403", "422"),
    status="201", token="write",
    body=Body(ser.WorkspaceDatasetInput(), "WorkspaceDatasetInput",
              "Metadata Satu Data dataset baru, dan `organization` (slug OPD) bila Anda produsen data di lebih dari "
              "satu OPD. Kolom yang tidak dikenal ditolak.",
              {"title": "Jumlah Tenaga Kesehatan menurut Puskesmas", "topics": ["kesehatan"],
               "tags": ["nakes", "puskesmas"], "year": 2025, "frequency": "tahunan", "satuan": "orang",
               "kode_wilayah": "14.07", "licence_id": "cc-by-4.0"}))
def create_dataset() -> Any:
    actor = api_actor(TokenScope.WRITE)
    data = load_body(ser.WorkspaceDatasetInput(), json_body())
    organization = _organization_for_new(actor, data.pop("organization", None))
    dataset = catalog.create_workspace_dataset(actor, organization, data)
    return _dataset_response(dataset, 201)


@bp.get("/datasets/<slug>")
@documented(
    operation_id="getWorkspaceDataset", tag=WORKSPACE, summary="Rincian dataset saya",
    description="Satu dataset ruang kerja: metadata (dengan bentuk yang sama dengan isi PATCH), sumber data "
                "beserta status dan kemajuan validasinya, apa yang masih menghalangi pengajuan, dan riwayat "
                "langkahnya.",
    response=WorkspaceDatasetResponse, response_description="Dataset.", path_params=(WS_DATASET,),
    errors=("401", "404"), token="read")
def get_dataset(slug: str) -> Any:
    return _dataset_response(_dataset(api_actor(), slug))


@bp.patch("/datasets/<slug>")
@documented(
    operation_id="updateWorkspaceDataset", tag=WORKSPACE, summary="Ubah metadata",
    description="Mengubah sebagian metadata; kolom yang tidak dikirim tetap, `null` mengosongkan kolom. Isi "
                "permintaan digabung dengan nilai sekarang lalu diperiksa seperti formulir di ruang kerja."
                + EDITABLE_ONLY,
    response=WorkspaceDatasetUpdate, response_description="Dataset setelah diubah (pada dataset terbit: revisinya, "
                                                          "dengan `revision_of`), dan kolom yang berubah.",
    path_params=(WS_DATASET,), errors=WRITE_ERRORS, token="write",
    body=Body(ser.WorkspaceDatasetPatchInput(partial=True), "WorkspaceDatasetPatch",
              "Kolom metadata yang diubah; semua boleh dilewati. Kolom yang tidak dikenal ditolak.",
              {"satuan": "orang", "data_status": "tetap"}))
def update_dataset(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _editable(actor, slug)
    body = json_object(json_body())
    # The web form always sends every field; merging first gives the API the same rules.
    data = load_body(ser.WorkspaceDatasetPatchInput(), {**catalog.metadata_values(dataset), **body})
    changed = catalog.update_dataset(actor, dataset, data)
    return _dataset_response(dataset, meta={"changed": changed})


@bp.post("/datasets/<slug>/submit")
@documented(
    operation_id="submitWorkspaceDataset", tag=WORKSPACE, summary="Ajukan ke walidata",
    description="Mengajukan dataset ke walidata untuk diperiksa (draft atau changes_requested → submitted). "
                "Ditolak (422, dengan daftar masalah di `error.details.dataset`) selama ada tabel yang belum lolos "
                "validasi atau metadata wajib yang kosong; dari status lain dijawab 409." + REVISION_NOTE,
    response=WorkspaceDatasetResponse, response_description="Dataset yang diajukan.", path_params=(WS_DATASET,),
    errors=WRITE_ERRORS, token="write", body=NOTE_BODY)
def submit_dataset(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    note = load_body(ser.WorkspaceNoteInput(), json_body(optional=True))["note"]
    dataset = review.move_target(dataset, "submit")
    review.submit_dataset(actor, dataset, note=note)
    return _dataset_response(dataset)


@bp.post("/datasets/<slug>/retract")
@documented(
    operation_id="retractWorkspaceDataset", tag=WORKSPACE, summary="Tarik pengajuan",
    description="Menarik kembali pengajuan sebelum diperiksa (submitted → draft), agar dataset dapat diubah lagi; "
                "dari status lain dijawab 409." + REVISION_NOTE,
    response=WorkspaceDatasetResponse, response_description="Dataset yang kembali menjadi draf.",
    path_params=(WS_DATASET,), errors=WRITE_ERRORS, token="write", body=NOTE_BODY)
def retract_dataset(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    note = load_body(ser.WorkspaceNoteInput(), json_body(optional=True))["note"]
    dataset = review.move_target(dataset, "retract")
    review.retract_submission(actor, dataset, note=note)
    return _dataset_response(dataset)


@bp.post("/datasets/<slug>/revision")
@documented(
    operation_id="openWorkspaceRevision", tag=WORKSPACE, summary="Buka revisi",
    description="Membuka revisi dataset yang sudah terbit: salinan draf (metadata dan sumber data yang sama, dengan "
                "status validasinya) yang diubah, divalidasi dan diajukan seperti draf, sementara publik tetap "
                "melihat versi terbit. Saat walidata menerbitkannya, revisi menggantikan versi terbit sebagai versi "
                "baru (slug dan ID sumber data tetap). PATCH dan unggahan pada dataset terbit membuka revisi "
                "dengan sendirinya. Dari status lain, atau bila revisi sudah dibuka, dijawab 409.",
    response=WorkspaceDatasetResponse, response_description="Revisi yang dibuka.", path_params=(WS_DATASET,),
    errors=WRITE_ERRORS, status="201", token="write", body=NOTE_BODY)
def open_revision(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    note = load_body(ser.WorkspaceNoteInput(), json_body(optional=True))["note"]
    return _dataset_response(review.open_revision(actor, dataset, note=note), 201)


@bp.delete("/datasets/<slug>/revision")
@documented(
    operation_id="discardWorkspaceRevision", tag=WORKSPACE, summary="Buang revisi",
    description="Membuang revisi yang sedang dibuka (berstatus draft atau changes_requested) tanpa mengubah versi "
                "terbit; riwayat langkahnya tetap tercatat pada dataset terbit. `slug` boleh slug dataset terbit "
                "atau slug revisinya. Tanpa revisi, atau revisi yang sedang diperiksa walidata (tarik dulu "
                "pengajuannya), dijawab 409.",
    response=WorkspaceDatasetResponse, response_description="Dataset terbit, tanpa revisi.",
    path_params=(WS_DATASET,), errors=WRITE_ERRORS, token="write")
def discard_revision(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    revision = dataset if dataset.is_revision else dataset.revision
    if revision is None:
        raise Conflict("Dataset ini tidak sedang punya revisi yang dibuka.")
    return _dataset_response(review.discard_revision(actor, revision))


# --------------------------------------------------------------------------- resources


@bp.post("/datasets/<slug>/resources")
@documented(
    operation_id="addWorkspaceResource", tag=WORKSPACE, summary="Unggah tabel atau tautan",
    description="Menambah sumber data. Berkas dikirim sebagai `multipart/form-data`: `file` (wajib), `name`, "
                "`description`, `sheet` (lembar XLSX), `header_row` (baris judul kolom XLSX) dan `schema` (standar data dari pustaka: nama atau "
                "nama@versi; kosong: Table Schema disimpulkan dari berkas). Berkas diperiksa dulu; berkas yang "
                "tidak dapat dibaca ditolak (422) tanpa menyimpan apa pun. Dokumen di situs lain dikirim sebagai "
                "JSON `{\"url\", \"name\", \"format\"}`; tabel tidak boleh berupa tautan." + VALIDATION_ASYNC
                + EDITABLE_ONLY,
    response=WorkspaceResourceResponse, response_description="Sumber data yang ditambahkan, dengan status "
                                                             "validasinya.",
    path_params=(WS_DATASET,), errors=WRITE_ERRORS, status="201", token="write",
    body=Body(ser.WorkspaceUploadInput(), "WorkspaceUpload", "Formulir unggahan berkas (multipart/form-data).",
              {"file": "@nakes-2025.csv", "name": "Tenaga kesehatan 2025", "schema": "tenaga_kesehatan@1"},
              media_type="multipart/form-data"),
    alt_body=Body(ser.WorkspaceLinkInput(), "WorkspaceLink", "Tautan ke dokumen di situs lain (JSON).",
                  {"url": "https://dinkes.riaupro.go.id/profil-2025.pdf", "name": "Profil Kesehatan 2025",
                   "format": "PDF"}))
def add_resource(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    dataset = _editable(actor, slug)
    if _is_multipart():
        form = load_form(ser.WorkspaceUploadInput(exclude=("file",)), request.form)
        upload = _upload_file()
        schema, ref = standards.standard_choice(form["schema"])
        resource = catalog.upload_resource(
            actor, dataset, _stream(upload), filename=upload.filename or "", name=form["name"],
            description=form["description"], sheet=form["sheet"] or None, table_schema=schema, schema_ref=ref,
            header_row=form["header_row"] or None)
    else:
        body = json_body()
        if body is None:
            raise Invalid("Kirim berkas sebagai multipart/form-data (kolom file), atau tautan dokumen sebagai JSON "
                          '{"url", "name"}.', details={"file": ["Pilih berkas."]})
        link = load_body(ser.WorkspaceLinkInput(), body)
        resource = catalog.add_workspace_link(actor, dataset, url=link["url"], name=link["name"],
                                              format=link["format"] or None, description=link["description"])
    return _resource_response(resource, 201)


@bp.get("/resources/<resource_id>")
@documented(
    operation_id="getWorkspaceResource", tag=WORKSPACE, summary="Rincian sumber data saya",
    description="Satu sumber data ruang kerja, dengan Table Schema dan status serta kemajuan validasinya.",
    response=WorkspaceResourceResponse, response_description="Sumber data.", path_params=(WS_RESOURCE,),
    errors=("401", "404"), token="read")
def get_resource(resource_id: str) -> Any:
    return _resource_response(_resource(api_actor(), resource_id))


@bp.patch("/resources/<resource_id>")
@documented(
    operation_id="updateWorkspaceResource", tag=WORKSPACE, summary="Ubah nama sumber data",
    description="Mengubah nama atau keterangan sumber data; yang tidak dikirim tetap." + EDITABLE_ONLY,
    response=WorkspaceResourceResponse, response_description="Sumber data setelah diubah.",
    path_params=(WS_RESOURCE,), errors=WRITE_ERRORS, token="write",
    body=Body(ser.WorkspaceResourcePatchInput(), "WorkspaceResourcePatch", "Nama dan keterangan sumber data.",
              {"name": "Tenaga kesehatan per puskesmas 2025"}))
def update_resource(resource_id: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    resource = _editable_resource(actor, resource_id)
    data = load_body(ser.WorkspaceResourcePatchInput(), json_body())
    catalog.update_resource_details(actor, resource, name=data.get("name", resource.name),
                                    description=data.get("description", resource.description))
    return _resource_response(resource)


@bp.delete("/resources/<resource_id>")
@documented(
    operation_id="deleteWorkspaceResource", tag=WORKSPACE, summary="Hapus sumber data",
    description="Menghapus sumber data dari draf. Berkas yang tersimpan tetap ada selama dipakai di tempat lain."
                + EDITABLE_ONLY,
    response=WorkspaceDatasetResponse, response_description="Dataset dengan sumber data yang tersisa.",
    path_params=(WS_RESOURCE,), errors=("401", "403", "404", "409"), token="write")
def delete_resource(resource_id: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    resource = _editable_resource(actor, resource_id)
    dataset = resource.dataset
    catalog.delete_resource(actor, resource)
    return _dataset_response(dataset)


@bp.put("/resources/<resource_id>/file")
@documented(
    operation_id="replaceWorkspaceFile", tag=WORKSPACE, summary="Unggah ulang berkas",
    description="Mengganti berkas sumber data (multipart/form-data: `file`, `sheet`, `header_row`); berkas lama disimpan di "
                "riwayat. Tabel diganti tabel, dokumen diganti dokumen. Berkas baru diperiksa dulu; bila tidak "
                "dapat dibaca (422), berkas lama tetap dipakai." + VALIDATION_ASYNC + EDITABLE_ONLY,
    response=WorkspaceResourceResponse, response_description="Sumber data dengan berkas barunya.",
    path_params=(WS_RESOURCE,), errors=WRITE_ERRORS, token="write",
    body=Body(ser.WorkspaceReplaceInput(), "WorkspaceReplaceUpload",
              "Formulir unggah ulang berkas (multipart/form-data).", {"file": "@nakes-2025-perbaikan.csv"},
              media_type="multipart/form-data"))
def replace_file(resource_id: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    resource = _editable_resource(actor, resource_id)
    if not _is_multipart():
        raise Invalid("Kirim berkas pengganti sebagai multipart/form-data dengan kolom file.",
                      details={"file": ["Pilih berkas."]})
    form = load_form(ser.WorkspaceReplaceInput(exclude=("file",)), request.form)
    upload = _upload_file()
    catalog.replace_resource_file(actor, resource, _stream(upload), filename=upload.filename or "",
                                  sheet=form["sheet"] or None, header_row=form["header_row"] or None)
    return _resource_response(resource)


@bp.put("/resources/<resource_id>/schema")
@documented(
    operation_id="setWorkspaceSchema", tag=WORKSPACE, summary="Pasang Table Schema",
    description="Memasang Table Schema sebuah tabel: standar data dari pustaka (`schema`: nama atau nama@versi; "
                "salinannya disimpan bersama sumber data) atau Table Schema frictionless lengkap (`table_schema`). "
                "Nama standar yang tidak dikenal atau Table Schema yang tidak sah dijawab 422." + VALIDATION_ASYNC
                + EDITABLE_ONLY,
    response=WorkspaceResourceResponse, response_description="Sumber data dengan Table Schema barunya.",
    path_params=(WS_RESOURCE,), errors=WRITE_ERRORS, token="write",
    body=Body(ser.WorkspaceSchemaInput(), "WorkspaceSchemaChoice",
              "Tepat salah satu: `schema` (nama standar) atau `table_schema` (Table Schema lengkap).",
              {"schema": "tenaga_kesehatan@1"}))
def set_schema(resource_id: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    resource = _editable_resource(actor, resource_id)
    data = load_body(ser.WorkspaceSchemaInput(), json_body())
    try:
        catalog.set_resource_schema(actor, resource, standard=data.get("schema"),
                                    descriptor=data.get("table_schema"))
    except Invalid as err:
        # The service names the problem "schema"; a descriptor sent here is called table_schema.
        if "table_schema" in data and "schema" not in data and "schema" in err.details:
            err.details = {"table_schema": err.details.pop("schema"), **err.details}
        raise
    return _resource_response(resource)


@bp.post("/resources/<resource_id>/validate")
@documented(
    operation_id="validateWorkspaceResource", tag=WORKSPACE, summary="Validasi ulang",
    description="Menjalankan lagi validasi berkas sekarang (misalnya sesudah pustaka standar atau mesin validasi "
                "diperbarui). Hanya untuk tabel yang diunggah (selain itu 422)." + VALIDATION_ASYNC + EDITABLE_ONLY,
    response=WorkspaceResourceResponse, response_description="Sumber data dengan validasi yang menunggu di antrean.",
    path_params=(WS_RESOURCE,), errors=WRITE_ERRORS, status="202", token="write")
def revalidate(resource_id: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    resource = _editable_resource(actor, resource_id)
    catalog.revalidate_resource(actor, resource)
    return _resource_response(resource, 202)


@bp.get("/resources/<resource_id>/validation")
@documented(
    operation_id="getWorkspaceValidation", tag=WORKSPACE, summary="Hasil validasi",
    description="Status dan kemajuan validasi sebuah tabel (baris yang sudah dibaca, persen, selesai atau belum), "
                "ringkasan laporan seperti di halaman ruang kerja (jumlah galat per jenis; galat per jenis dan "
                "kolom dengan nomor baris, nilai yang salah, dan cara memperbaikinya), dan dengan `?full=1` "
                "laporan frictionless lengkap.",
    response=WorkspaceValidationResponse, response_description="Validasi tabel.", path_params=(WS_RESOURCE,),
    query=lambda _config: validation_ser.ValidationArgs(), errors=("401", "404", "422"), token="read")
def validation(resource_id: str) -> Any:
    actor = api_actor()
    args = load_query(validation_ser.ValidationArgs())
    resource = _resource(actor, resource_id)
    return envelope(validation_ser.WorkspaceValidationSchema().dump({
        "resource": resource.id,
        "status": resource.validation_status,
        "schema_ref": resource.schema_ref,
        "progress": tasks.get_progress(resource.id),
        "summary": report.present(resource.validation_report, numbers=catalog.written_numbers(resource)),
        "report": resource.validation_report if args["full"] else None,
    }))
