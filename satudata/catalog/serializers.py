"""The catalogue's serializers: the producer's metadata form, and the public shapes of datasets,
resources, topics and licences (the only ones the REST API uses), with the arguments of the
public listings."""

from __future__ import annotations

from typing import Any

from flask import g
from marshmallow import EXCLUDE, Schema, fields, post_load, pre_load, validate

from satudata.accounts.serializers import OrganizationRefSchema
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    DataKind,
    Dataset,
    DataStatus,
    Frequency,
    PresentationLevel,
    Resource,
    Topic,
    ValidationStatus,
)
from satudata.rest.envelope import absolute, api_url, quoted
from satudata.rest.fields import URI, Computed, Int, Many, Text, UTCDateTime, between, length, one_of
from satudata.rest.inputs import ArgsSchema, PagedArgs

# Rows per page of ``/resources/<id>/rows`` when the client does not say.
DEFAULT_ROWS = 100
MAX_OFFSET = 2**31 - 1


# --------------------------------------------------------------------------- the metadata form

Messages = dict[str, str | list[Any] | dict[Any, Any]]
_MSG: Messages = {"required": "Wajib diisi.", "null": "Wajib diisi.", "invalid": "Nilai tidak valid."}
_LIST_MSG: Messages = {"invalid": "Harus berupa daftar, misalnya [\"kesehatan\"]."}


def _messages(**extra: str) -> Messages:
    return {**_MSG, **extra}


def _text(max_len: int, **kw: Any) -> fields.String:
    return fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=max_len, error=f"Paling banyak {max_len} karakter."),
                         error_messages=_MSG, **kw)


def _choice(enum_cls: Any) -> fields.String:
    return fields.String(load_default=None, allow_none=True, error_messages=_MSG,
                         validate=validate.OneOf(enum_cls.values(), error="Pilih salah satu dari daftar."))


class DatasetFormSchema(Schema):
    """The producer's metadata form (HTML form or JSON): shape and formats only; the services
    check that topics, licence and kode wilayah exist."""

    class Meta:
        unknown = EXCLUDE

    title = fields.String(required=True, error_messages=_MSG, validate=[
        validate.Length(min=5, max=300, error="Judul 5–300 karakter, misalnya \"Jumlah Penduduk menurut Kecamatan\".")])
    description = _text(20000)
    topics = fields.List(fields.String(error_messages=_MSG), load_default=list, error_messages=_LIST_MSG)
    tags = fields.List(fields.String(validate=validate.Length(max=100, error="Kata kunci paling banyak 100 karakter."),
                                     error_messages=_MSG), load_default=list, error_messages=_LIST_MSG)
    urusan = _text(255)
    konsep = _text(5000)
    definisi = _text(5000)
    klasifikasi = _text(5000)
    ukuran = _text(255)
    satuan = _text(100)
    year = fields.Integer(load_default=None, allow_none=True, strict=False,
                          error_messages=_messages(invalid="Tahun harus angka, misalnya 2025."),
                          validate=validate.Range(min=1900, max=2100, error="Tahun antara 1900 dan 2100."))
    period = _text(100)
    frequency = _choice(Frequency)
    release_date = fields.Date(load_default=None, allow_none=True,
                               error_messages=_messages(invalid="Tanggal ditulis TTTT-BB-HH, misalnya 2026-03-31."))
    presentation_level = _choice(PresentationLevel)
    kode_wilayah = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", error="Tulis kode wilayah Kemendagri dengan titik, misalnya 14.07."))
    coverage = _text(255)
    data_source = _text(255)
    collection_method = _choice(CollectionMethod)
    data_kind = _choice(DataKind)
    is_priority = fields.Boolean(load_default=False, truthy={"1", "on", "true", "ya", True},
                                 falsy={"0", "off", "false", "tidak", "", False})
    data_status = _choice(DataStatus)
    access_class = fields.String(load_default="publik", error_messages=_MSG,
                                 validate=validate.OneOf(AccessClass.values(), error="Pilih salah satu dari daftar."))
    licence_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    contact_name = _text(255)
    contact_email = fields.Email(load_default=None, allow_none=True,
                                 error_messages=_messages(invalid="Alamat email tidak valid, misalnya nama@riau.go.id."))

    @pre_load
    def _from_form(self, data: Any, **_: Any) -> Any:
        """HTML forms send strings: empty means "not given"; tags come comma-separated."""
        if hasattr(data, "getlist"):
            plain: dict[str, Any] = {k: data.get(k) for k in data}
            plain["topics"] = data.getlist("topics")
            plain["is_priority"] = data.get("is_priority", "")
            data = plain
        out: dict[str, Any] = {}
        for key, value in dict(data).items():
            if isinstance(value, str):
                value = value.replace("\r\n", "\n").strip()
                if value == "" and key not in ("is_priority",):
                    value = None
            out[key] = value
        tags = out.get("tags")
        if isinstance(tags, str):
            out["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
        elif tags is None:
            out["tags"] = []
        if out.get("topics") is None:
            out["topics"] = []
        return out

    @post_load
    def _enums(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for key, enum_cls in (("frequency", Frequency), ("presentation_level", PresentationLevel),
                              ("collection_method", CollectionMethod), ("data_kind", DataKind),
                              ("data_status", DataStatus), ("access_class", AccessClass)):
            if data.get(key) is not None:
                data[key] = enum_cls(data[key])
        return data


# --------------------------------------------------------------------------- public shapes (REST API v1)


def _topic_counts() -> dict[int, int]:
    """Public datasets per topic, computed once per request."""
    if "_topic_dataset_counts" not in g:
        g._topic_dataset_counts = catalog.topic_counts()
    counts: dict[int, int] = g._topic_dataset_counts
    return counts


class DatasetListArgs(PagedArgs):
    """Arguments of ``GET /api/v1/datasets``. Repeated filters narrow the result (AND)."""

    q = Text(load_default="", validate=length(),
             metadata={"description": "Kata pencarian pada judul, deskripsi dan kata kunci.", "example": "penduduk"})
    organization = Many(Text(validate=length(100)), load_default=list,
                        metadata={"description": "Slug organisasi (produsen data). Boleh diulang."})
    topic = Many(Text(validate=length(100)), load_default=list,
                 metadata={"description": "Slug topik. Boleh diulang."})
    tag = Many(Text(validate=length(100)), load_default=list,
               metadata={"description": "Kata kunci (tag). Boleh diulang."})
    format = Many(Text(validate=length(20)), load_default=list,
                  metadata={"description": "Format sumber data, misalnya CSV atau XLSX. Boleh diulang."})
    year = Many(Int(validate=between(1, 9999)), load_default=list,
                metadata={"description": "Tahun data, misalnya 2024. Boleh diulang."})
    licence = Many(Text(validate=length(64)), load_default=list,
                   metadata={"description": "ID lisensi, misalnya cc-by-4.0. Boleh diulang."})
    kode_wilayah = Many(Text(validate=length(20)), load_default=list,
                        metadata={"description": "Kode wilayah Kemendagri cakupan data (misalnya 14.07); "
                                                 "wilayah di bawahnya ikut cocok. Boleh diulang."})
    wilayah = Many(Text(validate=length(20)), load_default=list,
                   metadata={"description": "Wilayah pemerintah daerah produsen data (kode Kemendagri, misalnya "
                                            "14.07): pemerintah daerah itu beserta seluruh perangkat daerahnya; "
                                            "14 mencakup seluruh kabupaten/kota di Riau."})
    frequency = Many(Text(validate=one_of(Frequency.values())), load_default=list,
                     metadata={"description": "Frekuensi pemutakhiran. Boleh diulang."})
    sort = Text(load_default="relevance", validate=one_of(catalog.SORTS),
                metadata={"description": "Urutan hasil: relevance (relevansi), newest (terbaru terbit), "
                                         "modified (terakhir diubah), name (judul A-Z), downloads (terbanyak "
                                         "diunduh)."})


DATASET_FILTERS = ("organization", "topic", "tag", "format", "year", "licence", "kode_wilayah", "wilayah",
                   "frequency")


class RowsArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/resources/<id>/rows``."""

    offset = Int(load_default=0, validate=between(0, MAX_OFFSET),
                 metadata={"description": "Lewati sebanyak ini baris dari awal tabel.", "example": 0})
    limit = Int(load_default=DEFAULT_ROWS, validate=between(1),
                metadata={"description": "Jumlah baris paling banyak (paling banyak API_MAX_ROWS).",
                          "example": 100})

    def __init__(self, *, max_limit: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        field = self.fields["limit"]
        field.validators = [between(1, max_limit)]
        field.load_default = min(DEFAULT_ROWS, max_limit)


class TopicRefSchema(Schema):
    """A topic, briefly (inside other objects)."""

    class Meta:
        description = "Topik secara singkat (di dalam objek lain)."

    slug = fields.String(metadata={"description": "Pengenal topik di URL."})
    name = fields.String(metadata={"description": "Nama topik."})
    url = fields.Method("get_url", metadata={**URI, "description": "Alamat topik ini di API."})

    def get_url(self, topic: Topic) -> str:
        return api_url(f"/topics/{quoted(topic.slug)}")


class LicenceSchema(Schema):
    """A licence, keyed by its Open Definition id."""

    class Meta:
        description = "Lisensi, dengan ID Open Definition-nya."

    id = fields.String(metadata={"description": "ID lisensi, misalnya cc-by-4.0."})
    title = fields.String(metadata={"description": "Nama lisensi."})
    url = fields.String(allow_none=True, metadata={"description": "Naskah lisensi."})
    is_open = fields.Boolean(metadata={"description": "Lisensi terbuka menurut Open Definition."})
    od_conformance = fields.String(metadata={"description": "Kesesuaian dengan Open Definition."})
    osd_conformance = fields.String(metadata={"description": "Kesesuaian dengan Open Source Definition."})


class DatasetRefSchema(Schema):
    """A dataset, briefly (inside a resource)."""

    class Meta:
        description = "Dataset secara singkat (di dalam sumber data)."

    id = fields.String(metadata={"description": "ID dataset (UUID)."})
    slug = fields.String(metadata={"description": "Pengenal dataset di URL."})
    title = fields.String(metadata={"description": "Judul dataset."})
    url = fields.Method("get_url", metadata={**URI, "description": "Alamat dataset ini di API."})

    def get_url(self, ds: Dataset) -> str:
        return api_url(f"/datasets/{quoted(ds.slug)}")


class ColumnSchema(Schema):
    """One column of a table."""

    class Meta:
        description = "Ringkasan satu kolom tabel."

    name = fields.String(metadata={"description": "Nama kolom."})
    type = fields.String(metadata={"description": "Jenis nilai: number atau string."})
    min = fields.Float(allow_none=True, dump_default=None,
                       metadata={"description": "Nilai terkecil (kolom angka; null untuk teks)."})
    max = fields.Float(allow_none=True, dump_default=None,
                       metadata={"description": "Nilai terbesar (kolom angka; null untuk teks)."})


class ResourceBaseSchema(Schema):
    """What every shape of a resource shows: the file, its Table Schema and its validation."""

    id = fields.String(metadata={"description": "ID sumber data (UUID)."})
    position = fields.Integer(metadata={"description": "Urutan di dalam dataset, mulai dari 0."})
    name = fields.String(metadata={"description": "Nama sumber data."})
    description = fields.String(metadata={"description": "Keterangan (Markdown)."})
    format = fields.String(allow_none=True, metadata={"description": "Format, misalnya CSV, XLSX, PDF."})
    media_type = fields.String(allow_none=True, metadata={"description": "Jenis media (MIME)."})
    size = fields.Integer(allow_none=True, metadata={"description": "Ukuran berkas dalam byte."})
    filename = fields.String(allow_none=True, metadata={"description": "Nama berkas asli."})
    sha256 = fields.String(allow_none=True, metadata={"description": "Sidik SHA-256 berkas."})
    url = fields.String(allow_none=True, metadata={"description": "Tautan luar (untuk sumber data yang "
                                                                  "tidak disimpan di portal)."})
    row_count = fields.Integer(allow_none=True, metadata={"description": "Jumlah baris tabel."})
    table_schema = fields.Dict(allow_none=True, metadata={"description": "Table Schema (frictionless) "
                                                                           "yang dipakai untuk validasi."})
    schema_ref = fields.String(allow_none=True, metadata={"description": "Rujukan standar data di pustaka "
                                                                           "schemas/."})
    validation_status = fields.Enum(ValidationStatus, by_value=True,
                                    metadata={"description": "Hasil validasi terhadap Table Schema."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})


class ResourceSchema(ResourceBaseSchema):
    """A table or document of a dataset."""

    class Meta:
        description = "Sumber data: tabel atau dokumen sebuah dataset."

    dataset = fields.Nested(DatasetRefSchema, metadata={"description": "Dataset pemilik sumber data ini."})
    download_url = fields.Method("get_download_url", metadata={
        **URI, "description": "Alamat unduhan: berkas di portal, atau tautan luarnya."})
    rows_url = fields.Method("get_rows_url", allow_none=True, metadata={
        **URI, "description": "Alamat baris tabel di API (hanya untuk CSV yang disimpan di portal)."})
    columns = fields.List(fields.Nested(ColumnSchema), allow_none=True,
                          metadata={"description": "Ringkasan kolom tabel."})
    download_count = fields.Integer(metadata={"description": "Berapa kali diunduh."})

    def get_download_url(self, res: Resource) -> str | None:
        if res.is_stored:
            return absolute(f"/dataset/{quoted(res.dataset.slug)}/resource/{quoted(res.id)}/download")
        return res.url

    def get_rows_url(self, res: Resource) -> str | None:
        if res.is_queryable:
            return api_url(f"/resources/{quoted(res.id)}/rows")
        return None



class VersionSchema(Schema):
    """One published version of a dataset."""

    class Meta:
        description = "Satu versi terbit sebuah dataset."

    number = fields.Integer(metadata={"description": "Nomor versi, mulai dari 1."})
    created_at = UTCDateTime(metadata={"description": "Waktu terbit versi ini (UTC)."})
    note = fields.String(metadata={"description": "Catatan perubahan."})


class VersionSummarySchema(Schema):
    """A published version in the list of a dataset's versions."""

    class Meta:
        description = "Satu versi terbit sebuah dataset (di daftar versi)."

    version = fields.Integer(attribute="number", metadata={"description": "Nomor versi, mulai dari 1."})
    published_at = UTCDateTime(attribute="created_at", metadata={"description": "Waktu terbit versi ini (UTC)."})
    title = fields.Function(lambda v: (v.snapshot or {}).get("title", ""), metadata={
        "type": "string", "description": "Judul dataset pada versi ini."})
    note = fields.String(metadata={"description": "Catatan penerbitan."})
    url = fields.Function(lambda v: api_url(f"/datasets/{quoted(v.dataset.slug)}/versions/{v.number}"), metadata={
        **URI, "description": "Rincian versi ini di API."})


def version_file_url(version: Any, sha256: str) -> str:
    """Where a file of a published version is downloaded, by its SHA-256 (kept working while
    the dataset is public, whatever later versions change)."""
    return absolute(f"/dataset/{quoted(version.dataset.slug)}/versi/{version.number}/berkas/{quoted(sha256)}")


class VersionResourceSchema(Schema):
    """A resource as a version published it."""

    class Meta:
        description = "Sumber data seperti diterbitkan pada versi ini."

    id = fields.String(metadata={"description": "ID sumber data (UUID)."})
    name = fields.String(metadata={"description": "Nama sumber data."})
    description = fields.String(metadata={"description": "Keterangan (Markdown)."})
    format = fields.String(allow_none=True, metadata={"description": "Format, misalnya CSV."})
    media_type = fields.String(allow_none=True, metadata={"description": "Jenis media (MIME)."})
    filename = fields.String(allow_none=True, metadata={"description": "Nama berkas asli."})
    sha256 = fields.String(allow_none=True, metadata={"description": "Sidik SHA-256 berkas versi ini."})
    size = fields.Integer(allow_none=True, metadata={"description": "Ukuran berkas dalam byte."})
    row_count = fields.Integer(allow_none=True, metadata={"description": "Jumlah baris tabel."})
    table_schema = fields.Dict(allow_none=True, metadata={"description": "Table Schema pada versi ini."})
    download_url = fields.String(allow_none=True, metadata={
        **URI, "description": "Alamat unduhan berkas versi ini (tetap berlaku selama dataset terbit), atau "
                              "tautan luarnya."})


def _version_resources(version: Any) -> list[dict[str, Any]]:
    """The resources of a version's snapshot, each with where to download it."""
    out = []
    for snap in (version.snapshot or {}).get("resources") or []:
        sha256 = snap.get("sha256")
        out.append({**snap, "download_url": version_file_url(version, str(sha256)) if sha256 else snap.get("url")})
    return out


class VersionDetailSchema(VersionSummarySchema):
    """One published version: the metadata snapshot and the exact files it published."""

    class Meta:
        description = "Satu versi terbit: salinan metadata dan berkas persis seperti diterbitkan."

    metadata = fields.Function(
        lambda v: {k: value for k, value in (v.snapshot or {}).items() if k != "resources"},
        metadata={"type": "object", "description": "Metadata Satu Data dataset pada versi ini (nama kolom seperti di "
                                                   "rincian dataset; organisasi, walidata dan topik sebagai slug)."})
    resources = Computed(VersionResourceSchema, _version_resources, many=True, metadata={
        "description": "Sumber data versi ini, berurutan."})


class TagSchema(Schema):
    """A keyword (only its name is shown)."""

    class Meta:
        description = "Kata kunci (hanya namanya yang ditampilkan)."

    name = fields.String()


class SatuDataMetadataSchema(Schema):
    """The Satu Data metadata of a dataset (Standar Data and Metadata, Perpres 39/2019), dumped
    the same way wherever a dataset is shown in full: the public detail and the workspace."""

    access_class = fields.Enum(AccessClass, by_value=True, metadata={"description": "Klasifikasi akses."})
    urusan = fields.String(allow_none=True, metadata={"description": "Urusan pemerintahan (bidang SIPD)."})
    konsep = fields.String(allow_none=True, metadata={"description": "Konsep (Standar Data)."})
    definisi = fields.String(allow_none=True, metadata={"description": "Definisi (Standar Data)."})
    klasifikasi = fields.String(allow_none=True, metadata={"description": "Klasifikasi (Standar Data)."})
    ukuran = fields.String(allow_none=True, metadata={"description": "Ukuran (Standar Data)."})
    satuan = fields.String(allow_none=True, metadata={"description": "Satuan (Standar Data), misalnya jiwa atau orang."})
    period = fields.String(allow_none=True, metadata={"description": "Periode data, misalnya 2020-2025."})
    release_date = fields.Date(allow_none=True, metadata={"description": "Jadwal rilis."})
    presentation_level = fields.Enum(PresentationLevel, by_value=True, allow_none=True,
                                     metadata={"description": "Tingkat penyajian."})
    kode_wilayah = fields.String(allow_none=True, metadata={"description": "Kode wilayah Kemendagri cakupan data."})
    coverage = fields.String(allow_none=True, metadata={"description": "Nama wilayah cakupan data."})
    data_source = fields.String(allow_none=True, metadata={"description": "Sumber data."})
    collection_method = fields.Enum(CollectionMethod, by_value=True, allow_none=True,
                                    metadata={"description": "Cara pengumpulan data."})
    data_kind = fields.Enum(DataKind, by_value=True, allow_none=True, metadata={"description": "Jenis data."})
    is_priority = fields.Boolean(metadata={"description": "Termasuk Data Prioritas."})
    data_status = fields.Enum(DataStatus, by_value=True, allow_none=True,
                              metadata={"description": "Status data: sementara atau tetap."})
    contact_name = fields.String(allow_none=True, metadata={"description": "Nama penanggung jawab."})
    contact_email = fields.String(allow_none=True, metadata={"description": "Email penanggung jawab."})
    year = fields.Integer(allow_none=True, metadata={"description": "Tahun data."})
    frequency = fields.Enum(Frequency, by_value=True, allow_none=True,
                            metadata={"description": "Frekuensi pemutakhiran."})


class DatasetSummarySchema(Schema):
    """A dataset as it appears in a list."""

    class Meta:
        description = "Dataset seperti tampil dalam daftar."

    id = fields.String(metadata={"description": "ID dataset (UUID)."})
    slug = fields.String(metadata={"description": "Pengenal dataset di URL."})
    title = fields.String(metadata={"description": "Judul."})
    description = fields.String(metadata={"description": "Deskripsi (Markdown)."})
    organization = fields.Nested(OrganizationRefSchema, metadata={"description": "Produsen data."})
    topics = fields.List(fields.Nested(TopicRefSchema), metadata={"description": "Topik."})
    tags = fields.Pluck(TagSchema, "name", many=True, metadata={"description": "Kata kunci."})
    licence = fields.Nested(LicenceSchema, allow_none=True, metadata={"description": "Lisensi."})
    formats = fields.List(fields.String(), metadata={"description": "Format sumber datanya."})
    year = fields.Integer(allow_none=True, metadata={"description": "Tahun data."})
    frequency = fields.Enum(Frequency, by_value=True, allow_none=True,
                            metadata={"description": "Frekuensi pemutakhiran."})
    resource_count = fields.Method("get_resource_count", metadata={
        "type": "integer", "description": "Jumlah sumber data."})
    download_count = fields.Integer(metadata={"description": "Berapa kali sumber datanya diunduh."})
    published_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu pertama terbit (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    url = fields.Method("get_url", metadata={**URI, "description": "Alamat dataset ini di API."})
    web_url = fields.Method("get_web_url", metadata={**URI, "description": "Halaman dataset di portal."})

    def get_resource_count(self, ds: Dataset) -> int:
        return len(ds.resources)

    def get_url(self, ds: Dataset) -> str:
        return api_url(f"/datasets/{quoted(ds.slug)}")

    def get_web_url(self, ds: Dataset) -> str:
        return absolute(f"/dataset/{quoted(ds.slug)}")


class DatasetDetailSchema(DatasetSummarySchema, SatuDataMetadataSchema):
    """A dataset with every Satu Data metadata field, its resources and its versions."""

    class Meta:
        description = "Dataset lengkap: semua metadata Satu Data, sumber data dan riwayat versi."

    walidata = fields.Nested(OrganizationRefSchema, allow_none=True,
                             metadata={"description": "Walidata yang memeriksa dan menerbitkan."})
    remote_url = fields.String(allow_none=True, metadata={"description": "Alamat asal, untuk dataset hasil panen "
                                                                         "(harvest) dari katalog lain."})
    view_count = fields.Integer(metadata={"description": "Berapa kali halaman dataset dibuka."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    resources = fields.List(fields.Nested(ResourceSchema), metadata={"description": "Sumber data (tabel, dokumen)."})
    versions = fields.List(fields.Nested(VersionSchema), metadata={"description": "Riwayat versi terbit, "
                                                                                 "terbaru lebih dulu."})


class TopicSchema(Schema):
    """A theme (Kependudukan, Kesehatan, ...) with its public dataset count."""

    class Meta:
        description = "Topik (Kependudukan, Kesehatan, ...) dengan jumlah dataset publiknya."

    slug = fields.String(metadata={"description": "Pengenal topik di URL."})
    name = fields.String(metadata={"description": "Nama topik."})
    name_en = fields.String(allow_none=True, metadata={"description": "Nama topik dalam bahasa Inggris."})
    description = fields.String(metadata={"description": "Keterangan."})
    icon = fields.String(allow_none=True, metadata={"description": "Nama ikon."})
    dataset_count = fields.Method("get_dataset_count", metadata={
        "type": "integer", "description": "Jumlah dataset publik."})
    url = fields.Method("get_url", metadata={**URI, "description": "Alamat topik ini di API."})
    datasets_url = fields.Method("get_datasets_url", metadata={
        **URI, "description": "Dataset publik bertopik ini di API."})

    def get_dataset_count(self, topic: Topic) -> int:
        return _topic_counts().get(topic.id, 0)

    def get_url(self, topic: Topic) -> str:
        return api_url(f"/topics/{quoted(topic.slug)}")

    def get_datasets_url(self, topic: Topic) -> str:
        return api_url(f"/datasets?topic={quoted(topic.slug)}")


# --------------------------------------------------------------------------- envelopes


class FacetValueSchema(Schema):
    """One value of a facet with the number of matching datasets."""

    class Meta:
        description = "Satu nilai facet dengan jumlah dataset yang cocok."

    value = fields.String(metadata={"description": "Nilai untuk parameter filter yang sama namanya."})
    label = fields.String(metadata={"description": "Label untuk ditampilkan."})
    count = fields.Integer(metadata={"description": "Jumlah dataset yang cocok."})


def _facet_field(label: str) -> fields.List:
    return fields.List(fields.Nested(FacetValueSchema), metadata={"description": label})


class FacetsSchema(Schema):
    """Counts of the matching datasets per filter value, most frequent first."""

    class Meta:
        description = "Jumlah dataset yang cocok per nilai filter, terbanyak lebih dulu."

    organization = _facet_field("Per organisasi (nilai: slug).")
    topic = _facet_field("Per topik (nilai: slug).")
    tag = _facet_field("Per kata kunci.")
    format = _facet_field("Per format sumber data.")
    year = _facet_field("Per tahun data.")
    licence = _facet_field("Per lisensi (nilai: ID lisensi).")
    wilayah = _facet_field("Per wilayah pemerintah daerah produsen, setiap tingkat (nilai: kode wilayah; provinsi "
                           "menghitung seluruh kabupaten/kota di dalamnya).")


class TableColumnSchema(Schema):
    """A column of a page of rows."""

    class Meta:
        description = "Satu kolom dari potongan baris tabel."

    name = fields.String(metadata={"description": "Nama kolom."})
    type = fields.String(metadata={"description": "Jenis nilai: number atau string."})


class RowsDataSchema(Schema):
    """Columns and rows; each row is an array in column order."""

    class Meta:
        description = "Kolom dan baris; setiap baris berupa array sesuai urutan kolom."

    columns = fields.List(fields.Nested(TableColumnSchema), metadata={"description": "Kolom, berurutan."})
    rows = fields.List(fields.List(fields.Raw(allow_none=True)),
                       metadata={"description": "Baris; setiap baris berisi nilai sesuai urutan kolom."})


class RowsMetaSchema(Schema):
    class Meta:
        description = "Letak potongan ini dalam tabel."

    total = fields.Integer(metadata={"description": "Jumlah seluruh baris tabel."})
    offset = fields.Integer(metadata={"description": "Baris pertama halaman ini (mulai dari 0)."})
    limit = fields.Integer(metadata={"description": "Jumlah baris paling banyak per halaman."})

