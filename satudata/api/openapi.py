"""The OpenAPI 3.1 document of the REST API v1, and the view model of the browsable docs.

The document is built with apispec from the serializers in ``satudata/api/serializers.py``
and the operation table ``OPERATIONS`` below; ``satudata/api/rest.py`` serves it at
``/api/v1/openapi.json`` and renders ``/api/docs`` from the same dictionary, so the docs page,
the document and the responses all come from one source. A test checks that every
``/api/v1`` route is in the table, including the token-authenticated account endpoints of
``satudata/accounts/api.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from satudata.accounts import serializers as account_forms
from satudata.api import serializers as s
from satudata.version import __version__

OPENAPI_VERSION = "3.1.0"
BEARER = "bearerAuth"

# Error responses, as components so each operation refers to them by name.
ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    # status: (component name, description)
    "401": ("Unauthorized", "Token tidak ada atau tidak valid. Kirim `Authorization: Bearer <token>`."),
    "403": ("Forbidden", "Token valid, tetapi pemiliknya tidak berhak, atau token hanya untuk membaca (read)."),
    "404": ("NotFound", "Tidak ditemukan: slug atau ID yang tidak dikenal, dataset yang belum terbit atau "
                        "tidak publik, halaman di luar jangkauan, atau (ruang kerja) dataset dan sumber data "
                        "yang tidak ada di ruang kerja Anda."),
    "409": ("Conflict", "Permintaan tidak dapat dipenuhi untuk objek ini dalam keadaannya sekarang, misalnya "
                        "baris tabel dari sumber data yang bukan CSV, atau mengubah dataset yang sedang diperiksa "
                        "walidata atau sudah terbit."),
    "422": ("Unprocessable", "Parameter atau isi permintaan tidak valid. `error.details` memuat pesan per "
                             "parameter."),
}
DEFAULT_ERROR = ("Error", "Galat lain dengan bentuk yang sama: 405 metode tidak didukung, 413 permintaan terlalu "
                          "besar, 429 terlalu banyak permintaan, 500 galat server.")


@dataclass(frozen=True)
class PathParam:
    """A path parameter; ``example`` also fills the curl example when no real value is known."""

    name: str
    description: str
    example: str
    type: str = "string"


@dataclass(frozen=True)
class Body:
    """A request body: a marshmallow serializer, its component name, and an example.
    ``media_type`` is JSON unless said otherwise (uploads are ``multipart/form-data``);
    ``required=False``: the body may be left out altogether."""

    schema: Schema
    name: str
    description: str
    example: dict[str, Any]
    media_type: str = "application/json"
    required: bool = True


@dataclass(frozen=True)
class Operation:
    """One documented endpoint of the REST API v1."""

    path: str  # OpenAPI form, under /api/v1: "/datasets/{key}"
    operation_id: str
    tag: str
    summary: str
    description: str
    response: type[Schema] | None  # None: a free-form JSON object
    response_description: str
    path_params: tuple[PathParam, ...] = ()
    query: Callable[[Mapping[str, Any]], Schema] | None = None
    errors: tuple[str, ...] = ()
    example_query: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    status: str = "200"
    token: str | None = None  # None: public; "read" or "write": the token scope needed
    body: Body | None = None
    alt_body: Body | None = None  # a second accepted body, of another media type

    @property
    def bodies(self) -> tuple[Body, ...]:
        return tuple(b for b in (self.body, self.alt_body) if b is not None)

    @property
    def full_path(self) -> str:
        return s.API_PREFIX + self.path


def _dataset_args(config: Mapping[str, Any]) -> Schema:
    return s.DatasetListArgs(max_per_page=int(config["API_MAX_ROWS"]), default_per_page=int(config["PAGE_SIZE"]))


def _rows_args(config: Mapping[str, Any]) -> Schema:
    return s.RowsArgs(max_limit=int(config["API_MAX_ROWS"]))


DATASET_KEY = PathParam("key", "Slug atau ID (UUID) dataset.", "jumlah-penduduk")
RESOURCE_ID = PathParam("resource_id", "ID (UUID) sumber data.", "00000000-0000-0000-0000-000000000000")
ORG_SLUG = PathParam("slug", "Slug organisasi.", "disdukcapil-riau")
TOPIC_SLUG = PathParam("slug", "Slug topik.", "kependudukan")

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "/", "getIndex", "Umum", "Titik awal API",
        "Alamat daftar-daftar utama, dokumen OpenAPI dan dokumentasi.",
        s.IndexResponseSchema, "Tautan ke bagian-bagian API."),
    Operation(
        "/openapi.json", "getOpenApi", "Umum", "Dokumen OpenAPI",
        "Dokumen OpenAPI 3.1 ini: semua endpoint, parameter, respons dan galat.",
        None, "Dokumen OpenAPI (JSON)."),
    Operation(
        "/datasets", "listDatasets", "Dataset", "Cari dan daftar dataset",
        "Dataset yang sudah terbit dan berklasifikasi publik, dengan pencarian, filter, urutan, halaman dan "
        "facet (jumlah dataset per nilai filter). Filter yang diulang mempersempit hasil. Halaman di luar "
        "jangkauan dijawab 404.",
        s.DatasetListSchema, "Satu halaman dataset.", query=_dataset_args, errors=("404", "422"),
        example_query={"q": "penduduk", "per_page": "5"}),
    Operation(
        "/datasets/{key}", "getDataset", "Dataset", "Rincian dataset",
        "Semua metadata Satu Data sebuah dataset, beserta organisasi, topik, kata kunci, lisensi, sumber data "
        "dan riwayat versi.",
        s.DatasetResponseSchema, "Dataset.", path_params=(DATASET_KEY,), errors=("404",)),
    Operation(
        "/datasets/{key}/resources", "listDatasetResources", "Sumber data", "Sumber data sebuah dataset",
        "Tabel dan dokumen sebuah dataset, sesuai urutannya.",
        s.ResourceListSchema, "Sumber data.", path_params=(DATASET_KEY,), errors=("404",)),
    Operation(
        "/resources/{resource_id}", "getResource", "Sumber data", "Rincian sumber data",
        "Satu sumber data, dengan alamat unduhan (`download_url`) dan, untuk CSV, alamat barisnya "
        "(`rows_url`).",
        s.ResourceResponseSchema, "Sumber data.", path_params=(RESOURCE_ID,), errors=("404",)),
    Operation(
        "/resources/{resource_id}/rows", "getResourceRows", "Sumber data", "Baris tabel",
        "Sepotong baris tabel CSV yang disimpan di portal, mulai dari `offset`. Untuk sumber data lain "
        "(XLSX, PDF, tautan luar) dijawab 409. `offset` di luar tabel memberi daftar baris kosong.",
        s.RowsResponseSchema, "Kolom dan baris.", path_params=(RESOURCE_ID,), query=_rows_args,
        errors=("404", "409", "422"), example_query={"limit": "10"}),
    Operation(
        "/organizations", "listOrganizations", "Organisasi", "Daftar organisasi",
        "Semua organisasi (pemerintah daerah dan OPD), urut nama, dengan jumlah dataset publiknya.",
        s.OrganizationListSchema, "Organisasi."),
    Operation(
        "/organizations/{slug}", "getOrganization", "Organisasi", "Rincian organisasi",
        "Satu organisasi, dengan induk, organisasi di bawahnya, dan jumlah dataset publiknya.",
        s.OrganizationResponseSchema, "Organisasi.", path_params=(ORG_SLUG,), errors=("404",)),
    Operation(
        "/topics", "listTopics", "Topik", "Daftar topik",
        "Semua topik, urut nama, dengan jumlah dataset publiknya.",
        s.TopicListSchema, "Topik."),
    Operation(
        "/topics/{slug}", "getTopic", "Topik", "Rincian topik",
        "Satu topik dengan jumlah dataset publiknya.",
        s.TopicResponseSchema, "Topik.", path_params=(TOPIC_SLUG,), errors=("404",)),
    Operation(
        "/licences", "listLicences", "Lisensi", "Daftar lisensi",
        "Lisensi yang dapat dipakai dataset, urut nama.",
        s.LicenceListSchema, "Lisensi."),
)

TOKEN_ID = PathParam("token_id", "ID token.", "1", "integer")
USER_ID = PathParam("user_id", "ID pengguna.", "1", "integer")
MEMBERSHIP_ID = PathParam("membership_id", "ID keanggotaan (peran) dari `roles[].id`.", "1", "integer")
ACCOUNT = "Akun dan administrasi"
ADMIN_ONLY = " Hanya untuk admin."

# The token-authenticated endpoints of satudata/accounts/api.py.
ACCOUNT_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "/me", "getMe", ACCOUNT, "Pengguna pemilik token",
        "Akun pemilik token, dengan perannya.",
        s.AccountUserResponseSchema, "Pengguna.", errors=("401",), token="read"),
    Operation(
        "/tokens", "listTokens", ACCOUNT, "Token saya",
        "Token API milik pemilik token ini, terbaru lebih dulu. Rahasia token tidak pernah ditampilkan lagi.",
        s.ApiTokenListSchema, "Token.", errors=("401",), token="read"),
    Operation(
        "/tokens/{token_id}", "revokeToken", ACCOUNT, "Cabut token",
        "Mencabut salah satu token milik sendiri; token itu langsung berhenti berlaku.",
        s.ApiTokenResponseSchema, "Token yang dicabut.", path_params=(TOKEN_ID,), errors=("401", "403", "404"),
        method="delete", token="write"),
    Operation(
        "/organizations", "createOrganization", ACCOUNT, "Buat organisasi",
        "Membuat organisasi (pemerintah daerah atau OPD)." + ADMIN_ONLY,
        s.AccountOrganizationResponseSchema, "Organisasi yang dibuat.", errors=("401", "403", "404", "409", "422"),
        method="post", status="201", token="write",
        body=Body(account_forms.OrganizationSchema(), "OrganizationInput",
                  "Organisasi baru. `slug` wajib; `parent` adalah slug organisasi induk.",
                  {"slug": "dinkes-dumai", "name": "Dinas Kesehatan Kota Dumai", "kind": "opd",
                   "parent": "pemkot-dumai"})),
    Operation(
        "/organizations/{slug}", "updateOrganization", ACCOUNT, "Ubah organisasi",
        "Mengubah sebagian kolom organisasi; kolom yang tidak dikirim tetap. Slug tidak dapat diubah."
        + ADMIN_ONLY,
        s.AccountOrganizationResponseSchema, "Organisasi setelah diubah.", path_params=(ORG_SLUG,),
        errors=("401", "403", "404", "409", "422"), method="patch", token="write",
        body=Body(account_forms.OrganizationSchema(partial=True), "OrganizationPatch",
                  "Kolom organisasi yang diubah; semua boleh dilewati. `slug` tidak dapat diubah.",
                  {"email": "dinkes@dumaikota.go.id"})),
    Operation(
        "/users", "listUsers", ACCOUNT, "Daftar pengguna",
        "Semua akun petugas dengan perannya." + ADMIN_ONLY,
        s.AccountUserListSchema, "Pengguna.", errors=("401", "403"), token="read"),
    Operation(
        "/users", "createUser", ACCOUNT, "Buat pengguna",
        "Membuat akun petugas, bisa langsung dengan satu peran di satu organisasi." + ADMIN_ONLY,
        s.AccountUserResponseSchema, "Pengguna yang dibuat.", errors=("401", "403", "404", "409", "422"),
        method="post", status="201", token="write",
        body=Body(account_forms.UserCreateSchema(), "UserInput",
                  "Akun baru. `role` dan `organization` (slug) boleh dilewati bersama-sama.",
                  {"username": "budi", "email": "budi@dumaikota.go.id", "full_name": "Budi Santoso",
                   "role": "produsen", "organization": "dinkes-dumai"})),
    Operation(
        "/users/{user_id}/roles", "assignRole", ACCOUNT, "Beri peran",
        "Memberi pengguna sebuah peran di sebuah organisasi." + ADMIN_ONLY,
        s.AccountUserResponseSchema, "Pengguna dengan perannya.", path_params=(USER_ID,),
        errors=("401", "403", "404", "409", "422"), method="post", status="201", token="write",
        body=Body(account_forms.RoleAssignSchema(), "RoleInput",
                  "Peran dan slug organisasinya.",
                  {"role": "walidata", "organization": "diskominfotik-riau"})),
    Operation(
        "/users/{user_id}/roles/{membership_id}", "removeRole", ACCOUNT, "Cabut peran",
        "Mencabut satu peran pengguna." + ADMIN_ONLY,
        s.AccountUserResponseSchema, "Pengguna dengan peran yang tersisa.", path_params=(USER_ID, MEMBERSHIP_ID),
        errors=("401", "403", "404", "409"), method="delete", token="write"),
    Operation(
        "/users/{user_id}/deactivate", "deactivateUser", ACCOUNT, "Nonaktifkan pengguna",
        "Menonaktifkan akun: tidak dapat masuk dan tokennya berhenti berlaku." + ADMIN_ONLY,
        s.AccountUserResponseSchema, "Pengguna.", path_params=(USER_ID,), errors=("401", "403", "404", "409"),
        method="post", token="write"),
    Operation(
        "/users/{user_id}/activate", "activateUser", ACCOUNT, "Aktifkan pengguna",
        "Mengaktifkan kembali akun." + ADMIN_ONLY,
        s.AccountUserResponseSchema, "Pengguna.", path_params=(USER_ID,), errors=("401", "403", "404", "409"),
        method="post", token="write"),
    Operation(
        "/audit", "listAudit", ACCOUNT, "Log audit",
        "Log audit, terbaru lebih dulu, 50 baris per halaman, dengan filter." + ADMIN_ONLY,
        s.AuditListSchema, "Baris log audit.", query=lambda _config: s.AuditArgs(),
        errors=("401", "403", "422"), token="read", example_query={"action": "dataset."}),
)

WORKSPACE = "Ruang kerja produsen"
WS_DATASET = PathParam("slug", "Slug dataset di ruang kerja Anda.", "jumlah-tenaga-kesehatan-menurut-puskesmas")
WS_RESOURCE = PathParam("resource_id", "ID (UUID) sumber data di ruang kerja Anda.",
                        "00000000-0000-0000-0000-000000000000")
WRITE_ERRORS = ("401", "403", "404", "409", "422")
EDITABLE_ONLY = (" Hanya selama dataset berstatus draft atau changes_requested; selain itu dijawab 409. "
                 "Hanya produsen data OPD pemilik dataset (dan admin).")
NOTE_BODY = Body(s.WorkspaceNoteInput(), "WorkspaceNote", "Catatan untuk walidata; isi permintaan boleh "
                 "dilewati.", {"note": "Data tahun 2025 sudah lengkap."}, required=False)
VALIDATION_ASYNC = (" Tabel divalidasi di latar belakang: `validation_status` menjadi `pending`; pantau "
                    "`GET /workspace/resources/{resource_id}/validation` sampai `progress.finished`.")

# The token-authenticated producer's workspace of satudata/api/workspace.py: the operations of
# the web workspace (/kelola), through the same services.
WORKSPACE_OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "/workspace/datasets", "listWorkspaceDatasets", WORKSPACE, "Dataset saya",
        "Dataset OPD tempat Anda menjadi produsen data (admin: semua), terakhir diubah lebih dulu, dengan "
        "status, kelengkapan metadata, dan apa yang masih menghalangi pengajuan ke walidata. Termasuk draf "
        "yang tidak tampil di katalog publik.",
        s.WorkspaceDatasetListSchema, "Dataset Anda.", query=lambda _config: s.WorkspaceListArgs(),
        errors=("401", "422"), token="read", example_query={"state": "draft"}),
    Operation(
        "/workspace/datasets", "createWorkspaceDataset", WORKSPACE, "Buat draf dataset",
        "Membuat dataset baru berstatus draft dari metadata Satu Data (sama dengan formulir di ruang kerja). "
        "Hanya `title` yang wajib sekarang; kolom wajib lainnya harus terisi sebelum diajukan. `topics` dan "
        "`licence_id` harus ada di daftar portal, `kode_wilayah` di daftar Kemendagri. Sesudahnya, unggah "
        "tabelnya ke `POST /workspace/datasets/{slug}/resources`.",
        s.WorkspaceDatasetResponseSchema, "Dataset yang dibuat.", errors=("401", "403", "422"),
        method="post", status="201", token="write",
        body=Body(s.WorkspaceDatasetInput(), "WorkspaceDatasetInput",
                  "Metadata Satu Data dataset baru, dan `organization` (slug OPD) bila Anda produsen data di "
                  "lebih dari satu OPD. Kolom yang tidak dikenal ditolak.",
                  {"title": "Jumlah Tenaga Kesehatan menurut Puskesmas", "topics": ["kesehatan"],
                   "tags": ["nakes", "puskesmas"], "year": 2025, "frequency": "tahunan", "satuan": "orang",
                   "kode_wilayah": "14.07", "licence_id": "cc-by-4.0"})),
    Operation(
        "/workspace/datasets/{slug}", "getWorkspaceDataset", WORKSPACE, "Rincian dataset saya",
        "Satu dataset ruang kerja: metadata (dengan bentuk yang sama dengan isi PATCH), sumber data beserta "
        "status dan kemajuan validasinya, apa yang masih menghalangi pengajuan, dan riwayat langkahnya.",
        s.WorkspaceDatasetResponseSchema, "Dataset.", path_params=(WS_DATASET,), errors=("401", "404"),
        token="read"),
    Operation(
        "/workspace/datasets/{slug}", "updateWorkspaceDataset", WORKSPACE, "Ubah metadata",
        "Mengubah sebagian metadata; kolom yang tidak dikirim tetap, `null` mengosongkan kolom. Isi "
        "permintaan digabung dengan nilai sekarang lalu diperiksa seperti formulir di ruang kerja."
        + EDITABLE_ONLY,
        s.WorkspaceDatasetUpdateSchema, "Dataset setelah diubah, dan kolom yang berubah.",
        path_params=(WS_DATASET,), errors=WRITE_ERRORS, method="patch", token="write",
        body=Body(s.WorkspaceDatasetPatchInput(partial=True), "WorkspaceDatasetPatch",
                  "Kolom metadata yang diubah; semua boleh dilewati. Kolom yang tidak dikenal ditolak.",
                  {"satuan": "orang", "data_status": "tetap"})),
    Operation(
        "/workspace/datasets/{slug}/resources", "addWorkspaceResource", WORKSPACE, "Unggah tabel atau tautan",
        "Menambah sumber data. Berkas dikirim sebagai `multipart/form-data`: `file` (wajib), `name`, "
        "`description`, `sheet` (lembar XLSX) dan `schema` (standar data dari pustaka: nama atau nama@versi; "
        "kosong: Table Schema disimpulkan dari berkas). Berkas diperiksa dulu; berkas yang tidak dapat dibaca "
        "ditolak (422) tanpa menyimpan apa pun. Dokumen di situs lain dikirim sebagai JSON `{\"url\", "
        "\"name\", \"format\"}`; tabel tidak boleh berupa tautan." + VALIDATION_ASYNC + EDITABLE_ONLY,
        s.WorkspaceResourceResponseSchema, "Sumber data yang ditambahkan, dengan status validasinya.",
        path_params=(WS_DATASET,), errors=WRITE_ERRORS, method="post", status="201", token="write",
        body=Body(s.WorkspaceUploadInput(), "WorkspaceUpload",
                  "Formulir unggahan berkas (multipart/form-data).",
                  {"file": "@nakes-2025.csv", "name": "Tenaga kesehatan 2025", "schema": "tenaga_kesehatan@1"},
                  media_type="multipart/form-data"),
        alt_body=Body(s.WorkspaceLinkInput(), "WorkspaceLink", "Tautan ke dokumen di situs lain (JSON).",
                      {"url": "https://dinkes.riaupro.go.id/profil-2025.pdf", "name": "Profil Kesehatan 2025",
                       "format": "PDF"})),
    Operation(
        "/workspace/datasets/{slug}/submit", "submitWorkspaceDataset", WORKSPACE, "Ajukan ke walidata",
        "Mengajukan dataset ke walidata untuk diperiksa (draft atau changes_requested → submitted). Ditolak "
        "(422, dengan daftar masalah di `error.details.dataset`) selama ada tabel yang belum lolos validasi "
        "atau metadata wajib yang kosong; dari status lain dijawab 409.",
        s.WorkspaceDatasetResponseSchema, "Dataset yang diajukan.", path_params=(WS_DATASET,),
        errors=WRITE_ERRORS, method="post", token="write", body=NOTE_BODY),
    Operation(
        "/workspace/datasets/{slug}/retract", "retractWorkspaceDataset", WORKSPACE, "Tarik pengajuan",
        "Menarik kembali pengajuan sebelum diperiksa (submitted → draft), agar dataset dapat diubah lagi; dari "
        "status lain dijawab 409.",
        s.WorkspaceDatasetResponseSchema, "Dataset yang kembali menjadi draf.", path_params=(WS_DATASET,),
        errors=WRITE_ERRORS, method="post", token="write", body=NOTE_BODY),
    Operation(
        "/workspace/resources/{resource_id}", "getWorkspaceResource", WORKSPACE, "Rincian sumber data saya",
        "Satu sumber data ruang kerja, dengan Table Schema dan status serta kemajuan validasinya.",
        s.WorkspaceResourceResponseSchema, "Sumber data.", path_params=(WS_RESOURCE,), errors=("401", "404"),
        token="read"),
    Operation(
        "/workspace/resources/{resource_id}", "updateWorkspaceResource", WORKSPACE, "Ubah nama sumber data",
        "Mengubah nama atau keterangan sumber data; yang tidak dikirim tetap." + EDITABLE_ONLY,
        s.WorkspaceResourceResponseSchema, "Sumber data setelah diubah.", path_params=(WS_RESOURCE,),
        errors=WRITE_ERRORS, method="patch", token="write",
        body=Body(s.WorkspaceResourcePatchInput(), "WorkspaceResourcePatch", "Nama dan keterangan sumber data.",
                  {"name": "Tenaga kesehatan per puskesmas 2025"})),
    Operation(
        "/workspace/resources/{resource_id}", "deleteWorkspaceResource", WORKSPACE, "Hapus sumber data",
        "Menghapus sumber data dari draf. Berkas yang tersimpan tetap ada selama dipakai di tempat lain."
        + EDITABLE_ONLY,
        s.WorkspaceDatasetResponseSchema, "Dataset dengan sumber data yang tersisa.", path_params=(WS_RESOURCE,),
        errors=("401", "403", "404", "409"), method="delete", token="write"),
    Operation(
        "/workspace/resources/{resource_id}/file", "replaceWorkspaceFile", WORKSPACE, "Unggah ulang berkas",
        "Mengganti berkas sumber data (multipart/form-data: `file`, `sheet`); berkas lama disimpan di riwayat. "
        "Tabel diganti tabel, dokumen diganti dokumen. Berkas baru diperiksa dulu; bila tidak dapat dibaca "
        "(422), berkas lama tetap dipakai." + VALIDATION_ASYNC + EDITABLE_ONLY,
        s.WorkspaceResourceResponseSchema, "Sumber data dengan berkas barunya.", path_params=(WS_RESOURCE,),
        errors=WRITE_ERRORS, method="put", token="write",
        body=Body(s.WorkspaceReplaceInput(), "WorkspaceReplaceUpload",
                  "Formulir unggah ulang berkas (multipart/form-data).", {"file": "@nakes-2025-perbaikan.csv"},
                  media_type="multipart/form-data")),
    Operation(
        "/workspace/resources/{resource_id}/schema", "setWorkspaceSchema", WORKSPACE, "Pasang Table Schema",
        "Memasang Table Schema sebuah tabel: standar data dari pustaka (`schema`: nama atau nama@versi; "
        "salinannya disimpan bersama sumber data) atau Table Schema frictionless lengkap (`table_schema`). "
        "Nama standar yang tidak dikenal atau Table Schema yang tidak sah dijawab 422." + VALIDATION_ASYNC
        + EDITABLE_ONLY,
        s.WorkspaceResourceResponseSchema, "Sumber data dengan Table Schema barunya.", path_params=(WS_RESOURCE,),
        errors=WRITE_ERRORS, method="put", token="write",
        body=Body(s.WorkspaceSchemaInput(), "WorkspaceSchemaChoice",
                  "Tepat salah satu: `schema` (nama standar) atau `table_schema` (Table Schema lengkap).",
                  {"schema": "tenaga_kesehatan@1"})),
    Operation(
        "/workspace/resources/{resource_id}/validate", "validateWorkspaceResource", WORKSPACE, "Validasi ulang",
        "Menjalankan lagi validasi berkas sekarang (misalnya sesudah pustaka standar atau mesin validasi "
        "diperbarui). Hanya untuk tabel yang diunggah (selain itu 422)." + VALIDATION_ASYNC + EDITABLE_ONLY,
        s.WorkspaceResourceResponseSchema, "Sumber data dengan validasi yang menunggu di antrean.",
        path_params=(WS_RESOURCE,), errors=WRITE_ERRORS, method="post", status="202", token="write"),
    Operation(
        "/workspace/resources/{resource_id}/validation", "getWorkspaceValidation", WORKSPACE, "Hasil validasi",
        "Status dan kemajuan validasi sebuah tabel (baris yang sudah dibaca, persen, selesai atau belum), "
        "ringkasan laporan seperti di halaman ruang kerja (jumlah galat per jenis; galat per jenis dan kolom "
        "dengan nomor baris, nilai yang salah, dan cara memperbaikinya), dan dengan `?full=1` laporan "
        "frictionless lengkap.",
        s.WorkspaceValidationResponseSchema, "Validasi tabel.", path_params=(WS_RESOURCE,),
        query=lambda _config: s.ValidationArgs(), errors=("401", "404", "422"), token="read"),
)

ALL_OPERATIONS: tuple[Operation, ...] = OPERATIONS + ACCOUNT_OPERATIONS + WORKSPACE_OPERATIONS

DESCRIPTION = """\
API REST Portal Satu Data untuk membaca katalog data terbuka: dataset yang sudah diterbitkan walidata
dan berklasifikasi **publik**, sumber datanya (dengan baris tabel CSV), organisasi, topik dan lisensi.

- Semua respons berbentuk JSON. Isi ada di `data`; daftar berhalaman membawa `meta` (jumlah, halaman) dan
  `links` (`self`, `next`, `prev`).
- Waktu ditulis dalam ISO 8601 UTC (`2025-03-31T02:15:00Z`); nilai pilihan (frekuensi, jenis data, ...)
  ditulis sebagai nilai teksnya.
- Galat selalu berbentuk `{"error": {"code", "message", "details"}}` dengan pesan dalam Bahasa Indonesia.
- Membaca katalog tidak memerlukan token. Operasi akun dan administrasi, serta ruang kerja produsen
  data (`/workspace/...`: draf, unggah tabel, Table Schema, hasil validasi, pengajuan ke walidata),
  memakai token API pribadi (dibuat di halaman Akun) sebagai `Authorization: Bearer <token>`; mengubah
  data perlu token bercakupan `write`.
- Klien CKAN dapat memakai API Action yang kompatibel di `/api/3/action/`.
"""


def _operation(op: Operation, config: Mapping[str, Any]) -> dict[str, Any]:
    """The OpenAPI operation object of ``op`` (apispec resolves the serializers in it)."""
    body: Any = op.response if op.response is not None else {"type": "object"}
    responses: dict[str, Any] = {op.status: {"description": op.response_description,
                                             "content": {"application/json": {"schema": body}}}}
    for status in op.errors:
        responses[status] = ERROR_RESPONSES[status][0]
    responses["default"] = DEFAULT_ERROR[0]
    parameters: list[dict[str, Any]] = [
        {"in": "path", "name": p.name, "required": True, "description": p.description,
         "schema": {"type": p.type}, "example": int(p.example) if p.type == "integer" else p.example}
        for p in op.path_params
    ]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query(config)})
    description = op.description
    if op.token:
        description += f" Memerlukan token API dengan cakupan `{op.token}`."
    operation: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.summary,
        "description": description,
        # Reads of the catalogue are public; account endpoints need a bearer token.
        "security": [{BEARER: []}] if op.token else [],
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {
            "required": all(b.required for b in op.bodies),
            "content": {b.media_type: {"schema": b.schema, "example": b.example} for b in op.bodies},
        }
    return operation


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": s.ErrorSchema}}}


def build_spec(config: Mapping[str, Any], server_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI document as a dictionary.

    ``config`` supplies the limits that appear in it (``API_MAX_ROWS``, ``PAGE_SIZE``);
    ``server_url`` (the root the client called, without a trailing slash) becomes ``servers``.
    """
    spec = APISpec(
        title=f"{config.get('SITE_NAME', 'Satu Data')} API",
        version=__version__,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION,
              "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        servers=[{"url": server_url, "description": "Server ini"}] if server_url else [],
        tags=[{"name": name} for name in dict.fromkeys(op.tag for op in ALL_OPERATIONS)],
    )
    spec.components.security_scheme(BEARER, {
        "type": "http", "scheme": "bearer",
        "description": "Token API pribadi dari halaman Akun, dikirim sebagai `Authorization: Bearer <token>`. "
                       "Cakupan `read` untuk membaca data akun dan ruang kerja, `write` untuk mengubah. Membaca "
                       "katalog tidak memerlukannya.",
    })
    spec.components.schema("Error", schema=s.ErrorSchema)
    for name, description in (*ERROR_RESPONSES.values(), DEFAULT_ERROR):
        spec.components.response(name, _error_response(description))
    # Input serializers of the accounts domain, under names that do not clash with ours.
    registered: set[str] = set()
    for op in ALL_OPERATIONS:
        for b in op.bodies:
            if b.name not in registered:  # one body may serve several operations
                spec.components.schema(b.name, schema=b.schema)
                registered.add(b.name)

    paths: dict[str, dict[str, Any]] = {}
    for op in ALL_OPERATIONS:
        paths.setdefault(op.full_path, {})[op.method] = _operation(op, config)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)

    document = spec.to_dict()
    inputs = {b.name: b.description for op in ALL_OPERATIONS for b in op.bodies}
    _finish_component_schemas(document, inputs)
    _describe_metadata_inputs(document)
    return document


# The request bodies that are the workspace's metadata form (catalog.serializers.DatasetFormSchema).
METADATA_INPUTS = ("WorkspaceDatasetInput", "WorkspaceDatasetPatch")


def _describe_metadata_inputs(document: dict[str, Any]) -> None:
    """The metadata form's fields, described with the labels the form shows (the form's
    serializer lives in the catalogue and carries no descriptions of its own)."""
    from satudata.catalog.services import METADATA_FIELDS

    labels = {f.name: f.label + (" (wajib diisi sebelum diajukan)" if f.required else "") + "."
              for f in METADATA_FIELDS}
    extra = {"topics": " Daftar slug topik.", "tags": " Daftar kata kunci (atau satu teks dipisah koma).",
             "licence_id": " ID lisensi, misalnya cc-by-4.0.", "kode_wilayah": " Kode Kemendagri, misalnya 14.07.",
             "release_date": " TTTT-BB-HH.", "title": " 5–300 karakter."}
    for name in METADATA_INPUTS:
        props = document["components"]["schemas"][name].get("properties", {})
        for field_name, prop in props.items():
            if field_name in labels:
                prop.setdefault("description", labels[field_name] + extra.get(field_name, ""))


def _finish_component_schemas(document: dict[str, Any], inputs: Mapping[str, str]) -> None:
    """Our response serializers always emit every declared field (``null`` when empty), so
    every property of a response schema is listed as required: clients can rely on the keys.
    New fields may be added in version 1, so responses do not forbid additional properties.
    Request bodies (``inputs``) keep their own required fields and get a description."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name in inputs:
            schema.setdefault("description", inputs[name])
            continue
        if schema.get("additionalProperties") is False:
            del schema["additionalProperties"]
        props = schema.get("properties")
        if props:
            schema["required"] = list(props)


# --------------------------------------------------------------------------- the docs page


@dataclass
class FieldDoc:
    name: str
    type: str
    description: str
    ref: str | None = None  # anchor of a component schema the type refers to
    required: bool = False
    default: str | None = None
    location: str | None = None


@dataclass
class EndpointDoc:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: list[FieldDoc]
    status: str
    token: str | None
    body_ref: str | None
    body_fields: list[FieldDoc]
    response_description: str
    response_fields: list[FieldDoc]
    response_ref: str | None
    data_ref: str | None  # the component inside ``data``, shown field by field too
    data_fields: list[FieldDoc]
    errors: list[tuple[str, str]]
    curl: str


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]


def schema_anchor(name: str) -> str:
    return "skema-" + name.lower()


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            name = _ref_name(sub)
            if name:
                return name
    return None


def type_label(schema: Mapping[str, Any]) -> tuple[str, str | None]:
    """A short human label for a JSON schema (``string``, ``array<Topic>``, ``integer | null``)
    and the component it refers to, if any."""
    if "anyOf" in schema:
        subs = [x for x in schema["anyOf"] if x.get("type") != "null"]
        sub_label, sub_ref = type_label(subs[0]) if subs else ("null", None)
        return (f"{sub_label} | null" if len(subs) < len(schema["anyOf"]) else sub_label), sub_ref
    if "$ref" in schema:
        name = _ref_name(schema)
        return str(name), name
    types = schema.get("type")
    type_list = types if isinstance(types, list) else [types] if types else []
    nullable = "null" in type_list
    main = [t for t in type_list if t != "null"]
    ref: str | None = None
    if main == ["array"]:
        item_label, ref = type_label(schema.get("items", {}))
        label = f"array<{item_label}>"
    elif main == ["object"] and isinstance(schema.get("additionalProperties"), dict):
        value_label, ref = type_label(schema["additionalProperties"])
        label = f"object<string, {value_label}>"
    elif main:
        label = " | ".join(main)
        if schema.get("format"):
            label += f" ({schema['format']})"
    elif "enum" in schema:  # apispec writes enums without a type
        label = "string"
    else:
        label = "any"
    if "enum" in schema:
        nullable = nullable or None in schema["enum"]
        label += ": " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    return (f"{label} | null" if nullable else label), ref


def _fields_of(schema: Mapping[str, Any]) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        label, ref = type_label(prop)
        out.append(FieldDoc(name=name, type=label, description=str(prop.get("description", "")), ref=ref,
                            required=name in required))
    return out


def _curl(base_url: str, op: Operation, samples: Mapping[str, str]) -> str:
    """A curl command for ``op`` that works as it is for public reads."""
    path = op.full_path
    for p in op.path_params:
        path = path.replace("{" + p.name + "}", quote(samples.get(p.name + ":" + op.tag, p.example), safe=""))
    url = base_url.rstrip("/") + path
    if op.example_query:
        url += "?" + urlencode(op.example_query)
    parts = ["curl -s"]
    if op.method != "get":
        parts.append(f"-X {op.method.upper()}")
    parts.append(f"'{url}'")
    lines = [" ".join(parts)]
    if op.token:
        lines.append("-H 'Authorization: Bearer <token>'")
    if op.body is not None and op.body.media_type == "multipart/form-data":
        lines.extend(f"-F '{key}={value}'" for key, value in op.body.example.items())
    elif op.body is not None:
        lines.append("-H 'Content-Type: application/json'")
        lines.append(f"-d '{json.dumps(op.body.example, ensure_ascii=False)}'")
    return " \\\n  ".join(lines)


def docs_context(document: Mapping[str, Any], base_url: str,
                 samples: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything ``templates/api/docs.html`` shows, taken from the OpenAPI ``document``.

    ``samples`` maps ``"<param>:<tag>"`` to a real value (a published dataset's slug, ...) so
    the curl examples work as they are.
    """
    samples = samples or {}
    components = document.get("components", {})
    schemas: dict[str, Any] = components.get("schemas", {})
    responses: dict[str, Any] = components.get("responses", {})
    by_id = {op.operation_id: op for op in ALL_OPERATIONS}
    endpoints: list[EndpointDoc] = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            op = by_id[operation["operationId"]]
            params = []
            for p in operation.get("parameters", []):
                label, ref = type_label(p.get("schema", {}))
                default = p.get("schema", {}).get("default")
                params.append(FieldDoc(name=p["name"], type=label, description=str(p.get("description", "")),
                                       ref=ref, required=bool(p.get("required")), location=p["in"],
                                       default=None if default is None else str(default)))
            ok = operation["responses"][op.status]
            body = ok["content"]["application/json"]["schema"]
            # The first body the operation takes (an upload's form; its JSON alternative is described
            # in the operation's text).
            request_schema: dict[str, Any] = next(iter(operation.get("requestBody", {}).get("content", {}).values()), {})
            body_ref = _ref_name(request_schema.get("schema", {}))
            body_fields = _fields_of(schemas[body_ref]) if body_ref in schemas else []
            ref_name = _ref_name(body)
            fields_ = _fields_of(schemas[ref_name]) if ref_name else []
            data_ref = next((f.ref for f in fields_ if f.name == "data"), None)
            data_fields = _fields_of(schemas[data_ref]) if data_ref in schemas else []
            errors = []
            for status, resp in operation["responses"].items():
                if status == op.status:
                    continue
                name = _ref_name(resp) or ""
                errors.append((status, str(responses.get(name, {}).get("description", ""))))
            endpoints.append(EndpointDoc(
                anchor=operation["operationId"], method=method.upper(), path=path, summary=operation["summary"],
                description=operation["description"], tag=operation["tags"][0], parameters=params,
                status=op.status, token=op.token, body_ref=body_ref, body_fields=body_fields,
                response_description=ok["description"], response_fields=fields_, response_ref=ref_name,
                data_ref=data_ref, data_fields=data_fields, errors=errors, curl=_curl(base_url, op, samples)))
    order = {op.operation_id: i for i, op in enumerate(ALL_OPERATIONS)}
    endpoints.sort(key=lambda e: order[e.anchor])
    groups: dict[str, list[EndpointDoc]] = {}
    for endpoint in endpoints:
        groups.setdefault(endpoint.tag, []).append(endpoint)
    schema_docs = [SchemaDoc(name=name, anchor=schema_anchor(name), description=str(sch.get("description", "")),
                             fields=_fields_of(sch)) for name, sch in sorted(schemas.items())]
    return {
        "endpoints": endpoints,
        "groups": list(groups.items()),
        "schemas": schema_docs,
        "base_url": base_url.rstrip("/") + s.API_PREFIX,
        "openapi_url": base_url.rstrip("/") + s.API_PREFIX + "/openapi.json",
        "security": components.get("securitySchemes", {}),
        "info": document.get("info", {}),
    }
