"""Marshmallow serializers of the REST API v1.

Two kinds live here:

- *argument serializers* (``...Args``) load ``request.args`` into typed values and refuse bad
  input with messages in Bahasa Indonesia (``load_query`` turns their errors into
  ``satudata.errors.Invalid``, which the REST error handler answers with 422);
- *response serializers* dump our models to JSON.

Both are also the source of the OpenAPI document (``satudata/api/openapi.py``), so the document
and the API cannot drift apart: the field descriptions below are what the browsable docs show.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import g, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from satudata.accounts.models import Organization, OrganizationKind, TokenScope
from satudata.authz import Role
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
from satudata.errors import Invalid

API_PREFIX = "/api/v1"
# Upper bounds that keep every value inside what SQLite, PostgreSQL and DuckDB accept.
MAX_PAGE = 1_000_000
MAX_OFFSET = 2**31 - 1
MAX_TEXT = 200
# Rows per page of ``/resources/<id>/rows`` when the client does not say.
DEFAULT_ROWS = 100

# --------------------------------------------------------------------------- fields with Indonesian messages

_BASE_MESSAGES = {
    "required": "Wajib diisi.",
    "null": "Tidak boleh kosong.",
    "validator_failed": "Nilai tidak valid.",
}


class Int(fields.Integer):
    """An integer whose errors read in Bahasa Indonesia."""

    default_error_messages = {
        **_BASE_MESSAGES,
        "invalid": "Harus berupa bilangan bulat, misalnya 1.",
        "too_large": "Angka terlalu besar.",
    }


class Text(fields.String):
    """A string whose errors read in Bahasa Indonesia; refuses NUL characters (PostgreSQL
    cannot store or compare them, and no real query contains one)."""

    default_error_messages = {
        **_BASE_MESSAGES,
        "invalid": "Harus berupa teks.",
        "invalid_utf8": "Harus berupa teks UTF-8 yang valid.",
        "nul": "Tidak boleh mengandung karakter NUL.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        result = super()._deserialize(value, attr, data, **kwargs)
        if isinstance(result, str) and "\x00" in result:
            raise self.make_error("nul")
        return result


class Many(fields.List):
    """A repeatable query parameter (``?tag=a&tag=b``)."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": "Harus berupa daftar nilai."}


class UTCDateTime(fields.DateTime):
    """An ISO 8601 timestamp in UTC with the ``Z`` suffix, e.g. ``2025-03-31T02:15:00Z``."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:  # the model layer always gives aware UTC values; be safe
            value = value.replace(tzinfo=UTC)
        return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _length(maximum: int = MAX_TEXT) -> validate.Length:
    return validate.Length(max=maximum, error="Paling panjang {max} karakter.")


def _range(minimum: int | None = None, maximum: int | None = None) -> validate.Range:
    if minimum is not None and maximum is not None:
        error = "Harus antara {min} dan {max}."
    elif minimum is not None:
        error = "Paling kecil {min}."
    else:
        error = "Paling besar {max}."
    return validate.Range(min=minimum, max=maximum, error=error)


def _one_of(choices: list[str] | tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="Pilih salah satu: {choices}.")


# --------------------------------------------------------------------------- argument serializers


class ArgsSchema(Schema):
    """Base of the query-argument serializers. Unknown parameters are ignored (clients add
    cache busters such as ``_=``; the site uses ``lang``)."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"unknown": "Parameter tidak dikenal.", "type": "Parameter tidak valid."}


class PagedArgs(ArgsSchema):
    """``page`` and ``per_page``; the upper bound of ``per_page`` is ``API_MAX_ROWS``."""

    page = Int(load_default=1, validate=_range(1, MAX_PAGE),
               metadata={"description": "Nomor halaman, mulai dari 1.", "example": 1})
    per_page = Int(load_default=20, validate=_range(1),
                   metadata={"description": "Jumlah dataset per halaman (paling banyak API_MAX_ROWS).",
                             "example": 20})

    def __init__(self, *, max_per_page: int, default_per_page: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Instance fields are copies of the declared ones, so this does not leak between apps.
        field = self.fields["per_page"]
        field.validators = [_range(1, max_per_page)]
        field.load_default = min(default_per_page, max_per_page)


class DatasetListArgs(PagedArgs):
    """Arguments of ``GET /api/v1/datasets``. Repeated filters narrow the result (AND)."""

    q = Text(load_default="", validate=_length(),
             metadata={"description": "Kata pencarian pada judul, deskripsi dan kata kunci.", "example": "penduduk"})
    organization = Many(Text(validate=_length(100)), load_default=list,
                        metadata={"description": "Slug organisasi (produsen data). Boleh diulang."})
    topic = Many(Text(validate=_length(100)), load_default=list,
                 metadata={"description": "Slug topik. Boleh diulang."})
    tag = Many(Text(validate=_length(100)), load_default=list,
               metadata={"description": "Kata kunci (tag). Boleh diulang."})
    format = Many(Text(validate=_length(20)), load_default=list,
                  metadata={"description": "Format sumber data, misalnya CSV atau XLSX. Boleh diulang."})
    year = Many(Int(validate=_range(1, 9999)), load_default=list,
                metadata={"description": "Tahun data, misalnya 2024. Boleh diulang."})
    licence = Many(Text(validate=_length(64)), load_default=list,
                   metadata={"description": "ID lisensi, misalnya cc-by-4.0. Boleh diulang."})
    kode_wilayah = Many(Text(validate=_length(20)), load_default=list,
                        metadata={"description": "Kode wilayah Kemendagri (misalnya 14.07); wilayah di "
                                                 "bawahnya ikut cocok. Boleh diulang."})
    frequency = Many(Text(validate=_one_of(Frequency.values())), load_default=list,
                     metadata={"description": "Frekuensi pemutakhiran. Boleh diulang."})
    sort = Text(load_default="relevance", validate=_one_of(catalog.SORTS),
                metadata={"description": "Urutan hasil: relevance (relevansi), newest (terbaru terbit), "
                                         "modified (terakhir diubah), name (judul A-Z), downloads (terbanyak "
                                         "diunduh)."})


DATASET_FILTERS = ("organization", "topic", "tag", "format", "year", "licence", "kode_wilayah", "frequency")


class RowsArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/resources/<id>/rows``."""

    offset = Int(load_default=0, validate=_range(0, MAX_OFFSET),
                 metadata={"description": "Lewati sebanyak ini baris dari awal tabel.", "example": 0})
    limit = Int(load_default=DEFAULT_ROWS, validate=_range(1),
                metadata={"description": "Jumlah baris paling banyak (paling banyak API_MAX_ROWS).",
                          "example": 100})

    def __init__(self, *, max_limit: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        field = self.fields["limit"]
        field.validators = [_range(1, max_limit)]
        field.load_default = min(DEFAULT_ROWS, max_limit)


def _flatten(messages: Any, field: str = "_schema", item: int | None = None) -> dict[str, list[str]]:
    """marshmallow's nested error dict as ``{parameter: [messages]}``. An error in one value of
    a repeated parameter stays under the parameter's name, saying which value (1-based)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                sub = _flatten(value, field, key + 1)
            else:
                sub = _flatten(value, str(key) if field == "_schema" else f"{field}.{key}", item)
            for k, v in sub.items():
                out.setdefault(k, []).extend(v)
        return out
    texts = messages if isinstance(messages, list) else [messages]
    prefix = f"Nilai ke-{item}: " if item is not None else ""
    out[field] = [prefix + str(m) for m in texts]
    return out


def load_query(schema: ArgsSchema, args: MultiDict[str, str]) -> dict[str, Any]:
    """Load query parameters with ``schema``; raise ``Invalid`` (422) with per-field messages.

    A repeatable parameter (a ``List`` field) takes every value; any other parameter may appear
    once, so ``?page=1&page=2`` is an error rather than a silent pick.
    """
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key not in args:
            continue
        values = args.getlist(key)
        if isinstance(field, fields.List):
            data[key] = values
        elif len(values) > 1:
            errors[key] = ["Parameter ini hanya boleh diberikan sekali."]
        else:
            data[key] = values[0]
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as err:
        loaded = {}
        for key, msgs in _flatten(err.messages).items():
            errors.setdefault(key, []).extend(msgs)
    if errors:
        fields_text = ", ".join(sorted(errors))
        raise Invalid(f"Parameter tidak valid: {fields_text}.", details=errors)
    return loaded


# --------------------------------------------------------------------------- helpers for links


def absolute(path: str) -> str:
    """``path`` on this server, as the client called it (``request.url_root``)."""
    return request.url_root.rstrip("/") + path


def api_url(path: str) -> str:
    return absolute(API_PREFIX + path)


def _q(value: str) -> str:
    return quote(value, safe="")


def _org_counts() -> dict[int, int]:
    """Public datasets per organisation, computed once per request."""
    if "_rest_org_counts" not in g:
        g._rest_org_counts = catalog.organization_counts()
    counts: dict[int, int] = g._rest_org_counts
    return counts


def _topic_counts() -> dict[int, int]:
    """Public datasets per topic, computed once per request."""
    if "_rest_topic_counts" not in g:
        g._rest_topic_counts = catalog.topic_counts()
    counts: dict[int, int] = g._rest_topic_counts
    return counts


_URI = {"type": "string", "format": "uri"}


# --------------------------------------------------------------------------- response serializers


class OrganizationRefSchema(Schema):
    """An organisation, briefly (inside other objects)."""

    class Meta:
        description = "Organisasi secara singkat (di dalam objek lain)."

    slug = fields.String(metadata={"description": "Pengenal organisasi di URL."})
    name = fields.String(metadata={"description": "Nama organisasi."})
    kind = fields.Enum(OrganizationKind, by_value=True, metadata={"description": "Jenis organisasi."})
    url = fields.Method("get_url", metadata={**_URI, "description": "Alamat organisasi ini di API."})

    def get_url(self, org: Organization) -> str:
        return api_url(f"/organizations/{_q(org.slug)}")


class TopicRefSchema(Schema):
    """A topic, briefly (inside other objects)."""

    class Meta:
        description = "Topik secara singkat (di dalam objek lain)."

    slug = fields.String(metadata={"description": "Pengenal topik di URL."})
    name = fields.String(metadata={"description": "Nama topik."})
    url = fields.Method("get_url", metadata={**_URI, "description": "Alamat topik ini di API."})

    def get_url(self, topic: Topic) -> str:
        return api_url(f"/topics/{_q(topic.slug)}")


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
    url = fields.Method("get_url", metadata={**_URI, "description": "Alamat dataset ini di API."})

    def get_url(self, ds: Dataset) -> str:
        return api_url(f"/datasets/{_q(ds.slug)}")


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


class ResourceSchema(Schema):
    """A table or document of a dataset."""

    class Meta:
        description = "Sumber data: tabel atau dokumen sebuah dataset."

    id = fields.String(metadata={"description": "ID sumber data (UUID)."})
    dataset = fields.Nested(DatasetRefSchema, metadata={"description": "Dataset pemilik sumber data ini."})
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
    download_url = fields.Method("get_download_url", metadata={
        **_URI, "description": "Alamat unduhan: berkas di portal, atau tautan luarnya."})
    rows_url = fields.Method("get_rows_url", allow_none=True, metadata={
        **_URI, "description": "Alamat baris tabel di API (hanya untuk CSV yang disimpan di portal)."})
    row_count = fields.Integer(allow_none=True, metadata={"description": "Jumlah baris tabel."})
    columns = fields.List(fields.Nested(ColumnSchema), allow_none=True,
                          metadata={"description": "Ringkasan kolom tabel."})
    table_schema = fields.Dict(allow_none=True, metadata={"description": "Table Schema (frictionless) "
                                                                           "yang dipakai untuk validasi."})
    schema_ref = fields.String(allow_none=True, metadata={"description": "Rujukan standar data di pustaka "
                                                                           "schemas/."})
    validation_status = fields.Enum(ValidationStatus, by_value=True,
                                    metadata={"description": "Hasil validasi terhadap Table Schema."})
    download_count = fields.Integer(metadata={"description": "Berapa kali diunduh."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})

    def get_download_url(self, res: Resource) -> str | None:
        if res.is_stored:
            return absolute(f"/dataset/{_q(res.dataset.slug)}/resource/{_q(res.id)}/download")
        return res.url

    def get_rows_url(self, res: Resource) -> str | None:
        if is_row_readable(res):
            return api_url(f"/resources/{_q(res.id)}/rows")
        return None


def is_row_readable(res: Resource) -> bool:
    """Rows are served for CSV files stored in the portal."""
    return res.is_stored and (res.format or "").upper() == "CSV"


class VersionSchema(Schema):
    """One published version of a dataset."""

    class Meta:
        description = "Satu versi terbit sebuah dataset."

    number = fields.Integer(metadata={"description": "Nomor versi, mulai dari 1."})
    created_at = UTCDateTime(metadata={"description": "Waktu terbit versi ini (UTC)."})
    note = fields.String(metadata={"description": "Catatan perubahan."})


class TagSchema(Schema):
    """A keyword (only its name is shown)."""

    class Meta:
        description = "Kata kunci (hanya namanya yang ditampilkan)."

    name = fields.String()


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
    url = fields.Method("get_url", metadata={**_URI, "description": "Alamat dataset ini di API."})
    web_url = fields.Method("get_web_url", metadata={**_URI, "description": "Halaman dataset di portal."})

    def get_resource_count(self, ds: Dataset) -> int:
        return len(ds.resources)

    def get_url(self, ds: Dataset) -> str:
        return api_url(f"/datasets/{_q(ds.slug)}")

    def get_web_url(self, ds: Dataset) -> str:
        return absolute(f"/dataset/{_q(ds.slug)}")


class DatasetDetailSchema(DatasetSummarySchema):
    """A dataset with every Satu Data metadata field, its resources and its versions."""

    class Meta:
        description = "Dataset lengkap: semua metadata Satu Data, sumber data dan riwayat versi."

    walidata = fields.Nested(OrganizationRefSchema, allow_none=True,
                             metadata={"description": "Walidata yang memeriksa dan menerbitkan."})
    access_class = fields.Enum(AccessClass, by_value=True, metadata={"description": "Klasifikasi akses."})
    urusan = fields.String(allow_none=True, metadata={"description": "Urusan pemerintahan (bidang SIPD)."})
    konsep = fields.String(allow_none=True, metadata={"description": "Konsep (Standar Data)."})
    definisi = fields.String(allow_none=True, metadata={"description": "Definisi (Standar Data)."})
    klasifikasi = fields.String(allow_none=True, metadata={"description": "Klasifikasi (Standar Data)."})
    ukuran = fields.String(allow_none=True, metadata={"description": "Ukuran (Standar Data)."})
    satuan = fields.String(allow_none=True, metadata={"description": "Satuan (Standar Data), misalnya jiwa."})
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
    remote_url = fields.String(allow_none=True, metadata={"description": "Alamat asal, untuk dataset hasil panen "
                                                                         "(harvest) dari katalog lain."})
    view_count = fields.Integer(metadata={"description": "Berapa kali halaman dataset dibuka."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    resources = fields.List(fields.Nested(ResourceSchema), metadata={"description": "Sumber data (tabel, dokumen)."})
    versions = fields.List(fields.Nested(VersionSchema), metadata={"description": "Riwayat versi terbit, "
                                                                                 "terbaru lebih dulu."})


class OrganizationSchema(Schema):
    """An organisation (a region's government or one of its OPD) with its public dataset count."""

    class Meta:
        description = "Organisasi (pemerintah daerah atau OPD) dengan jumlah dataset publiknya."

    slug = fields.String(metadata={"description": "Pengenal organisasi di URL."})
    name = fields.String(metadata={"description": "Nama organisasi."})
    acronym = fields.String(allow_none=True, metadata={"description": "Singkatan, misalnya Disdukcapil."})
    kind = fields.Enum(OrganizationKind, by_value=True, metadata={"description": "Jenis organisasi."})
    kode_wilayah = fields.String(allow_none=True, metadata={"description": "Kode wilayah Kemendagri."})
    region_name = fields.String(allow_none=True, metadata={"description": "Nama wilayah."})
    is_walidata = fields.Boolean(metadata={"description": "Organisasi ini walidata wilayahnya."})
    description = fields.String(metadata={"description": "Keterangan."})
    email = fields.String(allow_none=True, metadata={"description": "Email kontak."})
    phone = fields.String(allow_none=True, metadata={"description": "Telepon kontak."})
    website = fields.String(allow_none=True, metadata={"description": "Situs web."})
    address = fields.String(allow_none=True, metadata={"description": "Alamat kantor."})
    parent = fields.Nested(OrganizationRefSchema, allow_none=True, metadata={"description": "Organisasi induk."})
    dataset_count = fields.Method("get_dataset_count", metadata={
        "type": "integer", "description": "Jumlah dataset publik."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    url = fields.Method("get_url", metadata={**_URI, "description": "Alamat organisasi ini di API."})
    datasets_url = fields.Method("get_datasets_url", metadata={
        **_URI, "description": "Dataset publik organisasi ini di API."})

    def get_dataset_count(self, org: Organization) -> int:
        return _org_counts().get(org.id, 0)

    def get_url(self, org: Organization) -> str:
        return api_url(f"/organizations/{_q(org.slug)}")

    def get_datasets_url(self, org: Organization) -> str:
        return api_url(f"/datasets?organization={_q(org.slug)}")


class OrganizationDetailSchema(OrganizationSchema):
    """An organisation with its sub-organisations."""

    class Meta:
        description = "Organisasi dengan induk dan organisasi di bawahnya."

    children = fields.List(fields.Nested(OrganizationRefSchema), metadata={"description": "Organisasi di "
                                                                                           "bawahnya."})


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
    url = fields.Method("get_url", metadata={**_URI, "description": "Alamat topik ini di API."})
    datasets_url = fields.Method("get_datasets_url", metadata={
        **_URI, "description": "Dataset publik bertopik ini di API."})

    def get_dataset_count(self, topic: Topic) -> int:
        return _topic_counts().get(topic.id, 0)

    def get_url(self, topic: Topic) -> str:
        return api_url(f"/topics/{_q(topic.slug)}")

    def get_datasets_url(self, topic: Topic) -> str:
        return api_url(f"/datasets?topic={_q(topic.slug)}")


# --------------------------------------------------------------------------- envelopes


class PageMetaSchema(Schema):
    """Where a page sits in the whole result."""

    class Meta:
        description = "Letak halaman ini dalam seluruh hasil."

    total = fields.Integer(metadata={"description": "Jumlah seluruh hasil."})
    page = fields.Integer(metadata={"description": "Nomor halaman ini."})
    per_page = fields.Integer(metadata={"description": "Jumlah hasil per halaman."})
    pages = fields.Integer(metadata={"description": "Jumlah halaman."})


class PageLinksSchema(Schema):
    """Links to this page and its neighbours (``null`` at either end)."""

    class Meta:
        description = "Tautan ke halaman ini dan halaman di sebelahnya (null di ujung)."

    self = fields.String(metadata={**_URI, "description": "Halaman ini."})
    next = fields.String(allow_none=True, metadata={**_URI, "description": "Halaman berikutnya."})
    prev = fields.String(allow_none=True, metadata={**_URI, "description": "Halaman sebelumnya."})


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


class DatasetListSchema(Schema):
    """Response of ``GET /api/v1/datasets``."""

    class Meta:
        description = "Respons GET /api/v1/datasets."

    data = fields.List(fields.Nested(DatasetSummarySchema), metadata={"description": "Dataset di halaman ini."})
    meta = fields.Nested(PageMetaSchema, metadata={"description": "Jumlah hasil dan halaman."})
    links = fields.Nested(PageLinksSchema, metadata={"description": "Tautan halaman ini, berikutnya dan "
                                                                    "sebelumnya."})
    facets = fields.Nested(FacetsSchema, metadata={"description": "Jumlah dataset yang cocok per nilai filter."})


class DatasetResponseSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/datasets/{key}."

    data = fields.Nested(DatasetDetailSchema, metadata={"description": "Dataset."})


class ResourceListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/datasets/{key}/resources."

    data = fields.List(fields.Nested(ResourceSchema), metadata={"description": "Sumber data, berurutan."})


class ResourceResponseSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/resources/{resource_id}."

    data = fields.Nested(ResourceSchema, metadata={"description": "Sumber data."})


class CountMetaSchema(Schema):
    """Size of an unpaginated list."""

    class Meta:
        description = "Ukuran daftar yang tidak berhalaman."

    total = fields.Integer(metadata={"description": "Jumlah isi daftar."})


class OrganizationListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/organizations."

    data = fields.List(fields.Nested(OrganizationSchema), metadata={"description": "Organisasi, urut nama."})
    meta = fields.Nested(CountMetaSchema, metadata={"description": "Jumlah organisasi."})


class OrganizationResponseSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/organizations/{slug}."

    data = fields.Nested(OrganizationDetailSchema, metadata={"description": "Organisasi."})


class TopicListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/topics."

    data = fields.List(fields.Nested(TopicSchema), metadata={"description": "Topik, urut nama."})
    meta = fields.Nested(CountMetaSchema, metadata={"description": "Jumlah topik."})


class TopicResponseSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/topics/{slug}."

    data = fields.Nested(TopicSchema, metadata={"description": "Topik."})


class LicenceListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/licences."

    data = fields.List(fields.Nested(LicenceSchema), metadata={"description": "Lisensi, urut nama."})
    meta = fields.Nested(CountMetaSchema, metadata={"description": "Jumlah lisensi."})


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


class RowsResponseSchema(Schema):
    """Response of ``GET /api/v1/resources/<id>/rows``."""

    class Meta:
        description = "Respons GET /api/v1/resources/{resource_id}/rows."

    data = fields.Nested(RowsDataSchema, metadata={"description": "Kolom dan baris."})
    meta = fields.Nested(RowsMetaSchema, metadata={"description": "Letak potongan ini dalam tabel."})
    links = fields.Nested(PageLinksSchema, metadata={"description": "Tautan potongan ini, berikutnya dan "
                                                                    "sebelumnya."})


class IndexDataSchema(Schema):
    """Where to start."""

    class Meta:
        description = "Titik awal API."

    name = fields.String(metadata={"description": "Nama portal."})
    version = fields.String(metadata={"description": "Versi API."})
    openapi = fields.String(metadata={**_URI, "description": "Dokumen OpenAPI."})
    docs = fields.String(metadata={**_URI, "description": "Dokumentasi yang dapat dibaca."})
    datasets = fields.String(metadata={**_URI, "description": "Daftar dataset."})
    organizations = fields.String(metadata={**_URI, "description": "Daftar organisasi."})
    topics = fields.String(metadata={**_URI, "description": "Daftar topik."})
    licences = fields.String(metadata={**_URI, "description": "Daftar lisensi."})


class IndexResponseSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/."

    data = fields.Nested(IndexDataSchema, metadata={"description": "Alamat bagian-bagian API."})


class ErrorBodySchema(Schema):
    """What went wrong."""

    class Meta:
        description = "Apa yang salah."

    code = fields.String(metadata={"description": "Kode galat untuk program: not_found, invalid, conflict, "
                                                  "method_not_allowed, ..."})
    message = fields.String(metadata={"description": "Penjelasan untuk manusia (Bahasa Indonesia)."})
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                          metadata={"description": "Pesan per parameter: {nama: [pesan, ...]}."})


class ErrorSchema(Schema):
    """Every error response of the REST API."""

    class Meta:
        description = "Bentuk setiap respons galat API REST."

    error = fields.Nested(ErrorBodySchema, metadata={"description": "Galatnya."})


# --------------------------------------------------------------------------- table cells


def json_cell(value: Any) -> Any:
    """A table cell as a JSON value: dates in ISO 8601, decimals as numbers, no NaN/inf."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list | tuple):
        return [json_cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_cell(v) for k, v in value.items()}
    return str(value)


# --------------------------------------------------------------------------- account endpoints (documentation)
# ``satudata/accounts/api.py`` builds these bodies itself; the serializers below describe them for
# the OpenAPI document, and tests/api/test_rest_openapi.py checks real responses against them.


class MembershipSchema(Schema):
    class Meta:
        description = "Peran seorang pengguna di sebuah organisasi."

    id = fields.Integer(metadata={"description": "ID keanggotaan (untuk mencabut peran)."})
    role = fields.Enum(Role, by_value=True, metadata={"description": "Peran."})
    organization = fields.String(metadata={"description": "Slug organisasi."})


class AccountUserSchema(Schema):
    class Meta:
        description = "Akun petugas (citizen tidak memerlukan akun)."

    id = fields.Integer(metadata={"description": "ID pengguna."})
    username = fields.String(metadata={"description": "Nama pengguna."})
    email = fields.String(metadata={"description": "Email."})
    full_name = fields.String(metadata={"description": "Nama lengkap."})
    active = fields.Boolean(metadata={"description": "Akun aktif (boleh masuk dan memakai token)."})
    last_login_at = fields.DateTime(allow_none=True, metadata={"description": "Waktu terakhir masuk (ISO 8601)."})
    roles = fields.List(fields.Nested(MembershipSchema), metadata={"description": "Peran di organisasi."})


class ApiTokenSchema(Schema):
    class Meta:
        description = "Token API pribadi. Rahasianya hanya ditampilkan sekali, saat dibuat di halaman akun."

    id = fields.Integer(metadata={"description": "ID token."})
    name = fields.String(metadata={"description": "Nama token."})
    prefix = fields.String(metadata={"description": "Awal rahasia token, untuk membedakan token."})
    scope = fields.Enum(TokenScope, by_value=True, metadata={"description": "Cakupan: read atau write."})
    created_at = fields.DateTime(metadata={"description": "Waktu dibuat (ISO 8601)."})
    last_used_at = fields.DateTime(allow_none=True, metadata={"description": "Waktu terakhir dipakai."})
    revoked = fields.Boolean(metadata={"description": "Sudah dicabut."})


class AccountOrganizationSchema(Schema):
    class Meta:
        description = "Organisasi seperti dikembalikan operasi pengelolaan akun."

    slug = fields.String(metadata={"description": "Pengenal organisasi di URL."})
    name = fields.String(metadata={"description": "Nama organisasi."})
    acronym = fields.String(allow_none=True, metadata={"description": "Singkatan."})
    kind = fields.Enum(OrganizationKind, by_value=True, metadata={"description": "Jenis organisasi."})
    kode_wilayah = fields.String(allow_none=True, metadata={"description": "Kode wilayah Kemendagri."})
    parent = fields.String(allow_none=True, metadata={"description": "Slug organisasi induk."})
    is_walidata = fields.Boolean(metadata={"description": "Organisasi ini walidata wilayahnya."})
    email = fields.String(allow_none=True, metadata={"description": "Email kontak."})
    phone = fields.String(allow_none=True, metadata={"description": "Telepon kontak."})
    website = fields.String(allow_none=True, metadata={"description": "Situs web."})


class AuditEntrySchema(Schema):
    class Meta:
        description = "Satu baris log audit: siapa melakukan apa pada data mana."

    id = fields.Integer(metadata={"description": "ID baris."})
    at = fields.DateTime(metadata={"description": "Waktu (ISO 8601)."})
    actor = fields.String(metadata={"description": "Pelaku, misalnya user:budi atau system:cli."})
    action = fields.String(metadata={"description": "Tindakan, misalnya dataset.publish."})
    object_type = fields.String(metadata={"description": "Jenis objek."})
    object_id = fields.String(metadata={"description": "ID objek."})
    summary = fields.Dict(metadata={"description": "Ringkasan perubahan."})
    ip = fields.String(allow_none=True, metadata={"description": "Alamat IP peminta."})


class AuditArgs(ArgsSchema):
    """Query parameters of ``GET /api/v1/audit`` (validated by the accounts service)."""

    page = Int(load_default=1, validate=_range(1), metadata={"description": "Nomor halaman (50 baris per halaman)."})
    actor = Text(metadata={"description": "Sebagian label pelaku, misalnya user:budi."})
    action = Text(metadata={"description": "Awalan tindakan, misalnya dataset."})
    object_type = Text(metadata={"description": "Jenis objek, misalnya dataset."})
    object_id = Text(metadata={"description": "ID objek."})
    since = Text(metadata={"description": "Sejak tanggal/waktu ISO 8601, misalnya 2026-01-31 (WIB bila tanpa zona)."})
    until = Text(metadata={"description": "Sampai tanggal/waktu ISO 8601 (tanggal saja: sampai akhir hari itu)."})


class AccountUserResponseSchema(Schema):
    class Meta:
        description = "Respons yang berisi satu pengguna."

    data = fields.Nested(AccountUserSchema, metadata={"description": "Pengguna."})


class AccountUserListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/users."

    data = fields.List(fields.Nested(AccountUserSchema), metadata={"description": "Pengguna."})


class ApiTokenResponseSchema(Schema):
    class Meta:
        description = "Respons yang berisi satu token."

    data = fields.Nested(ApiTokenSchema, metadata={"description": "Token."})


class ApiTokenListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/tokens."

    data = fields.List(fields.Nested(ApiTokenSchema), metadata={"description": "Token, terbaru lebih dulu."})


class AccountOrganizationResponseSchema(Schema):
    class Meta:
        description = "Respons pembuatan atau perubahan organisasi."

    data = fields.Nested(AccountOrganizationSchema, metadata={"description": "Organisasi."})


class AuditMetaSchema(Schema):
    class Meta:
        description = "Letak halaman log audit."

    total = fields.Integer(metadata={"description": "Jumlah baris yang cocok."})
    page = fields.Integer(metadata={"description": "Nomor halaman ini."})


class AuditListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/audit."

    data = fields.List(fields.Nested(AuditEntrySchema), metadata={"description": "Baris log, terbaru lebih "
                                                                                "dulu."})
    meta = fields.Nested(AuditMetaSchema, metadata={"description": "Jumlah baris dan halaman."})
