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
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import g
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict

from satudata.accounts.models import Organization, OrganizationKind, TokenScope
from satudata.authz import Role
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    DataKind,
    Dataset,
    DatasetState,
    DataStatus,
    Frequency,
    PresentationLevel,
    Resource,
    Topic,
    ValidationStatus,
)
from satudata.catalog.serializers import DatasetFormSchema
from satudata.errors import Invalid
from satudata.security import public_url
from satudata.validation.models import RunStatus

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
    """``path`` at the portal's public address (``BASE_URL``, never the Host header)."""
    return public_url(path)


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


# --------------------------------------------------------------------------- the producer's workspace (token)
# ``satudata/api/workspace.py``: the same operations as the web workspace (/kelola), through the
# same services. Inputs first (request bodies), then responses.

_UNKNOWN_FIELD = "Kolom tidak dikenal."


class Bool(fields.Boolean):
    """A yes/no whose errors read in Bahasa Indonesia (``1``/``0``, ``true``/``false``)."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": "Harus 1 atau 0 (true atau false)."}


class JSONObject(fields.Dict):
    """A JSON object, refused with an Indonesian message when it is anything else."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": "Harus berupa objek JSON."}


class BodySchema(Schema):
    """Base of the JSON request bodies of the workspace: an unknown key is an error (a typo in
    a field name must not be silently ignored)."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": _UNKNOWN_FIELD, "type": "Isi permintaan harus objek JSON."}


def json_object(data: Any) -> dict[str, Any]:
    """``data`` when it is a JSON object; else ``Invalid`` (malformed JSON, an array, no body)."""
    if not isinstance(data, dict):
        raise Invalid("Isi permintaan harus objek JSON (Content-Type: application/json).",
                      details={"_schema": ["Harus berupa objek JSON."]})
    return data


def load_body(schema: Schema, data: Any) -> dict[str, Any]:
    """Load a request body with ``schema``; raise ``Invalid`` (422) with per-field messages."""
    data = json_object(data)
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as err:
        errors = _flatten(err.messages)
        raise Invalid(f"Isi permintaan tidak valid: {', '.join(sorted(errors))}.", details=errors) from err
    return loaded


def load_form(schema: Schema, form: MultiDict[str, Any]) -> dict[str, Any]:
    """Load the text fields of a multipart form with ``schema`` (each field at most once;
    fields the schema does not name are ignored, as browsers add their own)."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        values = form.getlist(key)
        if len(values) > 1:
            errors[key] = ["Kolom ini hanya boleh dikirim sekali."]
        elif values:
            data[key] = values[0]
    if errors:
        raise Invalid(f"Isi permintaan tidak valid: {', '.join(sorted(errors))}.", details=errors)
    return load_body(schema, data)


class WorkspaceDatasetPatchInput(DatasetFormSchema):
    """The metadata form of the workspace as JSON (``satudata.catalog.serializers``); unknown
    keys are refused. PATCH merges the body into the dataset's current values first."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": _UNKNOWN_FIELD, "type": "Isi permintaan harus objek JSON."}


class WorkspaceDatasetInput(WorkspaceDatasetPatchInput):
    """A new draft: the metadata form plus the producing OPD."""

    organization = Text(load_default=None, allow_none=True, validate=_length(100), metadata={
        "description": "Slug OPD produsen. Wajib bila Anda produsen data di lebih dari satu OPD; "
                       "boleh dilewati bila hanya satu."})


class WorkspaceUploadInput(Schema):
    """The multipart form of an upload (the file itself is read separately)."""

    class Meta:
        description = "Formulir multipart unggahan berkas tabel atau dokumen."

    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": "Berkas: CSV, TSV, XLSX, JSON (tabel) atau dokumen (PDF, ...)."})
    name = Text(load_default="", validate=_length(300),
                metadata={"description": "Nama sumber data; kosong: diambil dari nama berkas."})
    description = Text(load_default="", validate=_length(20000), metadata={"description": "Keterangan (Markdown)."})
    sheet = Text(load_default="", validate=_length(255),
                 metadata={"description": "Lembar XLSX yang dibaca (nama atau nomor); kosong: lembar pertama."})
    schema = Text(load_default="", validate=_length(120), metadata={
        "description": "Standar data dari pustaka: nama (versi terbaru) atau nama@versi, misalnya "
                       "tenaga_kesehatan@1. Kosong atau infer: Table Schema disimpulkan dari berkas."})


class WorkspaceReplaceInput(Schema):
    """The multipart form of a re-upload."""

    class Meta:
        description = "Formulir multipart penggantian berkas sumber data."

    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": "Berkas pengganti, sejenis dengan yang lama (tabel atau dokumen)."})
    sheet = Text(load_default="", validate=_length(255),
                 metadata={"description": "Lembar XLSX yang dibaca; kosong: lembar pertama."})


class WorkspaceLinkInput(BodySchema):
    """A link to a document kept elsewhere (tables must be uploaded)."""

    class Meta(BodySchema.Meta):
        description = "Tautan ke dokumen di situs lain (tabel harus diunggah agar dapat divalidasi)."

    url = Text(required=True, validate=_length(1000),
               metadata={"description": "Alamat lengkap, diawali https:// atau http://."})
    name = Text(required=True, validate=_length(300), metadata={"description": "Nama dokumen."})
    format = Text(load_default=None, allow_none=True, validate=_length(20),
                  metadata={"description": "Format, misalnya PDF; kosong: dari akhiran alamat."})
    description = Text(load_default="", validate=_length(20000), metadata={"description": "Keterangan (Markdown)."})


class WorkspaceResourcePatchInput(BodySchema):
    """The name and description of a resource (what is not sent stays)."""

    class Meta(BodySchema.Meta):
        description = "Nama dan keterangan sumber data; yang tidak dikirim tetap."

    name = Text(validate=_length(300), metadata={"description": "Nama sumber data."})
    description = Text(validate=_length(20000), metadata={"description": "Keterangan (Markdown)."})


class WorkspaceSchemaInput(BodySchema):
    """The Table Schema of a table: a standard of the library, or a descriptor."""

    class Meta(BodySchema.Meta):
        description = "Table Schema sebuah tabel: isi tepat salah satu, `schema` atau `table_schema`."

    schema = Text(validate=_length(120), metadata={
        "description": "Standar data dari pustaka: nama (versi terbaru) atau nama@versi, misalnya sekolah@2."})
    table_schema = JSONObject(metadata={
        "description": "Table Schema frictionless lengkap (objek dengan daftar `fields`)."})


class WorkspaceNoteInput(BodySchema):
    """An optional note for the walidata."""

    class Meta(BodySchema.Meta):
        description = "Catatan untuk walidata (boleh dilewati)."

    note = Text(load_default="", validate=_length(2000), metadata={"description": "Catatan, paling panjang 2000 "
                                                                                  "karakter."})


class WorkspaceListArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/workspace/datasets``."""

    state = Text(load_default=None, validate=_one_of(DatasetState.values()), metadata={
        "description": "Hanya dataset berstatus ini: draft, submitted (diajukan), changes_requested (perlu "
                       "perbaikan), published (terbit), withdrawn (ditarik)."})


class ValidationArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/workspace/resources/<id>/validation``."""

    full = Bool(load_default=False, metadata={
        "description": "1: sertakan juga laporan frictionless lengkap di `report`."})


class _Computed(fields.Nested):
    """A nested object computed from the object being dumped (``fn(obj)``), not read from one
    of its attributes; documented like any ``Nested``."""

    def __init__(self, nested: Any, fn: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self._fn = fn

    def serialize(self, attr: str, obj: Any, accessor: Any = None, **kwargs: Any) -> Any:
        return self._serialize(self._fn(obj), attr, obj, **kwargs)


def _progress_of(res: Resource) -> dict[str, Any] | None:
    from satudata.validation import tasks

    return tasks.get_progress(res.id)


class ValidationProgressSchema(Schema):
    """The latest validation run of a resource."""

    class Meta:
        description = "Validasi terakhir sebuah tabel: status dan kemajuannya."

    state = fields.String(validate=validate.OneOf(RunStatus.values()), metadata={
        "description": "queued (antre), running (berjalan), valid, invalid, error (tidak dapat divalidasi), "
                       "superseded (digantikan unggahan atau Table Schema yang lebih baru)."})
    rows = fields.Integer(metadata={"description": "Baris yang sudah dibaca."})
    bytes_done = fields.Integer(metadata={"description": "Byte yang sudah dibaca."})
    bytes_total = fields.Integer(metadata={"description": "Ukuran berkas (byte)."})
    percent = fields.Integer(metadata={"description": "Kemajuan dalam persen (100 bila selesai)."})
    errors = fields.Integer(allow_none=True, metadata={"description": "Jumlah galat yang ditemukan (null: belum "
                                                                      "selesai)."})
    finished = fields.Boolean(metadata={"description": "Validasi sudah selesai."})
    engine = fields.String(metadata={"description": "Mesin yang dipakai: fast atau frictionless (kosong: belum "
                                                    "selesai)."})
    run = fields.Integer(metadata={"description": "ID validasi."})


class WorkspaceResourceLinksSchema(Schema):
    class Meta:
        description = "Alamat sebuah sumber data ruang kerja."

    self = fields.Function(lambda r: api_url(f"/workspace/resources/{_q(r.id)}"),
                           metadata={**_URI, "description": "Sumber data ini di API."})
    validation = fields.Function(lambda r: api_url(f"/workspace/resources/{_q(r.id)}/validation"),
                                 metadata={**_URI, "description": "Hasil validasinya di API."})
    web = fields.Function(lambda r: absolute(f"/kelola/dataset/{_q(r.dataset.slug)}/sumber/{_q(r.id)}"),
                          metadata={**_URI, "description": "Halamannya di ruang kerja portal."})


class WorkspaceResourceSchema(Schema):
    """A resource as its producer sees it: file, Table Schema and validation."""

    class Meta:
        description = "Sumber data di ruang kerja produsen: berkas, Table Schema dan hasil validasinya."

    id = fields.String(metadata={"description": "ID sumber data (UUID)."})
    dataset = fields.Function(lambda r: r.dataset.slug, metadata={"type": "string",
                                                                   "description": "Slug datasetnya."})
    position = fields.Integer(metadata={"description": "Urutan di dalam dataset, mulai dari 0."})
    name = fields.String(metadata={"description": "Nama sumber data."})
    description = fields.String(metadata={"description": "Keterangan (Markdown)."})
    format = fields.String(allow_none=True, metadata={"description": "Format, misalnya CSV, XLSX, PDF."})
    media_type = fields.String(allow_none=True, metadata={"description": "Jenis media (MIME)."})
    filename = fields.String(allow_none=True, metadata={"description": "Nama berkas yang diunggah."})
    size = fields.Integer(allow_none=True, metadata={"description": "Ukuran berkas dalam byte."})
    sha256 = fields.String(allow_none=True, metadata={"description": "Sidik SHA-256 berkas."})
    url = fields.String(allow_none=True, metadata={"description": "Tautan luar (untuk dokumen yang tidak "
                                                                  "diunggah)."})
    sheet = fields.String(allow_none=True, metadata={"description": "Lembar XLSX yang dibaca."})
    is_tabular = fields.Boolean(metadata={"description": "Tabel (CSV, TSV, XLSX, JSON) yang divalidasi."})
    row_count = fields.Integer(allow_none=True, metadata={"description": "Jumlah baris tabel."})
    table_schema = fields.Dict(allow_none=True, metadata={"description": "Table Schema (frictionless) yang "
                                                                           "dipakai untuk validasi."})
    schema_ref = fields.String(allow_none=True, metadata={"description": "Standar data asal Table Schema, "
                                                                           "nama@versi."})
    validation_status = fields.Enum(ValidationStatus, by_value=True, metadata={
        "description": "unvalidated (belum/tidak divalidasi), pending (sedang divalidasi), valid, invalid, error."})
    progress = _Computed(ValidationProgressSchema, _progress_of, allow_none=True, metadata={
        "description": "Validasi terakhir (null: belum pernah divalidasi)."})
    revision_count = fields.Function(lambda r: len(r.revisions), metadata={
        "type": "integer", "description": "Jumlah berkas lama di riwayat (setiap unggah ulang menambah satu)."})
    uploaded_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu berkas sekarang diunggah (UTC)."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    links = _Computed(WorkspaceResourceLinksSchema, lambda res: res, metadata={"description": "Alamat terkait."})


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


def _problems(ds: Dataset) -> list[str]:
    """What keeps an editable dataset from being submitted (nothing to fix in other states)."""
    from satudata.review import services as review

    if ds.state not in catalog.EDITABLE_STATES:
        return []
    return list(review.submission_problems(ds))


class WorkspaceDatasetLinksSchema(Schema):
    class Meta:
        description = "Alamat sebuah dataset ruang kerja."

    self = fields.Function(lambda ds: api_url(f"/workspace/datasets/{_q(ds.slug)}"),
                           metadata={**_URI, "description": "Dataset ini di API ruang kerja."})
    web = fields.Function(lambda ds: absolute(f"/kelola/dataset/{_q(ds.slug)}"),
                          metadata={**_URI, "description": "Halamannya di ruang kerja portal."})


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
    completeness = _Computed(CompletenessSchema, lambda ds: catalog.completeness(ds), metadata={
        "description": "Kelengkapan metadata."})
    problems = fields.Function(_problems, metadata={
        "type": "array", "items": {"type": "string"},
        "description": "Yang masih menghalangi pengajuan ke walidata, yang terpenting lebih dulu (kosong bila "
                       "siap, atau bila dataset tidak sedang dapat diubah)."})
    ready = fields.Function(lambda ds: ds.state in catalog.EDITABLE_STATES and not _problems(ds), metadata={
        "type": "boolean", "description": "Dataset dapat diajukan ke walidata sekarang."})
    resource_count = fields.Function(lambda ds: len(ds.resources), metadata={
        "type": "integer", "description": "Jumlah sumber data."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    published_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu pertama terbit (UTC)."})
    links = _Computed(WorkspaceDatasetLinksSchema, lambda ds: ds, metadata={"description": "Alamat terkait."})


class ReviewEventSchema(Schema):
    """One step of the dataset's lifecycle."""

    class Meta:
        description = "Satu langkah riwayat dataset: pengajuan, penarikan, permintaan perbaikan, penerbitan."

    id = fields.Integer(metadata={"description": "ID langkah."})
    action = fields.String(metadata={"description": "Langkah: submit, retract, request_changes, publish, ..."})
    from_state = fields.String(metadata={"description": "Status sebelum."})
    to_state = fields.String(metadata={"description": "Status sesudah."})
    actor = fields.String(attribute="actor_label", metadata={"description": "Pelaku, misalnya user:budi."})
    note = fields.String(metadata={"description": "Catatan."})
    field_notes = fields.Dict(allow_none=True, metadata={"description": "Catatan walidata per kolom metadata."})
    created_at = UTCDateTime(metadata={"description": "Waktu (UTC)."})


def _events_of(ds: Dataset) -> list[Any]:
    from satudata.review import services as review

    return review.list_events(ds)


class WorkspaceDatasetDetailSchema(WorkspaceDatasetSchema):
    """A dataset of the workspace with its metadata (as the form takes it), resources and history."""

    class Meta:
        description = ("Dataset di ruang kerja: metadata (dengan nama dan bentuk yang sama dengan isi permintaan "
                       "PATCH), sumber data beserta validasinya, dan riwayat langkahnya.")

    description = fields.String(metadata={"description": "Deskripsi (Markdown)."})
    topics = fields.Function(lambda ds: [t.slug for t in ds.topics], metadata={
        "type": "array", "items": {"type": "string"}, "description": "Slug topik."})
    tags = fields.Function(lambda ds: [t.name for t in ds.tags], metadata={
        "type": "array", "items": {"type": "string"}, "description": "Kata kunci."})
    urusan = fields.String(allow_none=True, metadata={"description": "Urusan pemerintahan (bidang SIPD)."})
    konsep = fields.String(allow_none=True, metadata={"description": "Konsep (Standar Data)."})
    definisi = fields.String(allow_none=True, metadata={"description": "Definisi (Standar Data)."})
    klasifikasi = fields.String(allow_none=True, metadata={"description": "Klasifikasi (Standar Data)."})
    ukuran = fields.String(allow_none=True, metadata={"description": "Ukuran (Standar Data)."})
    satuan = fields.String(allow_none=True, metadata={"description": "Satuan (Standar Data), misalnya orang."})
    year = fields.Integer(allow_none=True, metadata={"description": "Tahun data."})
    period = fields.String(allow_none=True, metadata={"description": "Periode data, misalnya 2020-2025."})
    frequency = fields.Enum(Frequency, by_value=True, allow_none=True,
                            metadata={"description": "Frekuensi pemutakhiran."})
    release_date = fields.Date(allow_none=True, metadata={"description": "Jadwal rilis (TTTT-BB-HH)."})
    presentation_level = fields.Enum(PresentationLevel, by_value=True, allow_none=True,
                                     metadata={"description": "Tingkat penyajian."})
    kode_wilayah = fields.String(allow_none=True, metadata={"description": "Kode wilayah Kemendagri cakupan data."})
    coverage = fields.String(allow_none=True, metadata={"description": "Nama wilayah cakupan data."})
    data_source = fields.String(allow_none=True, metadata={"description": "Sumber data."})
    collection_method = fields.Enum(CollectionMethod, by_value=True, allow_none=True,
                                    metadata={"description": "Cara pengumpulan data."})
    data_kind = fields.Enum(DataKind, by_value=True, allow_none=True, metadata={"description": "Jenis data."})
    data_status = fields.Enum(DataStatus, by_value=True, allow_none=True,
                              metadata={"description": "Status data: sementara atau tetap."})
    is_priority = fields.Boolean(metadata={"description": "Termasuk Data Prioritas."})
    access_class = fields.Enum(AccessClass, by_value=True, metadata={"description": "Klasifikasi akses."})
    licence_id = fields.String(allow_none=True, metadata={"description": "ID lisensi, misalnya cc-by-4.0."})
    contact_name = fields.String(allow_none=True, metadata={"description": "Nama penanggung jawab."})
    contact_email = fields.String(allow_none=True, metadata={"description": "Email penanggung jawab."})
    resources = fields.List(fields.Nested(WorkspaceResourceSchema), metadata={
        "description": "Sumber data, berurutan, dengan status validasinya."})
    events = _Computed(ReviewEventSchema, _events_of, many=True, metadata={
        "description": "Riwayat langkah dataset, terbaru lebih dulu."})


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


class WorkspaceDatasetListSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/workspace/datasets."

    data = fields.List(fields.Nested(WorkspaceDatasetSchema), metadata={
        "description": "Dataset OPD Anda, terakhir diubah lebih dulu."})
    meta = fields.Nested(WorkspaceListMetaSchema, metadata={"description": "Jumlah dataset."})


class WorkspaceDatasetResponseSchema(Schema):
    class Meta:
        description = "Respons yang berisi satu dataset ruang kerja."

    data = fields.Nested(WorkspaceDatasetDetailSchema, metadata={"description": "Dataset."})


class ChangedMetaSchema(Schema):
    class Meta:
        description = "Apa yang berubah."

    changed = fields.List(fields.String(), metadata={
        "description": "Nama kolom metadata yang berubah (kosong: tidak ada perubahan)."})


class WorkspaceDatasetUpdateSchema(Schema):
    class Meta:
        description = "Respons PATCH /api/v1/workspace/datasets/{slug}."

    data = fields.Nested(WorkspaceDatasetDetailSchema, metadata={"description": "Dataset setelah diubah."})
    meta = fields.Nested(ChangedMetaSchema, metadata={"description": "Kolom yang berubah."})


class WorkspaceResourceResponseSchema(Schema):
    class Meta:
        description = "Respons yang berisi satu sumber data ruang kerja."

    data = fields.Nested(WorkspaceResourceSchema, metadata={"description": "Sumber data."})


class ErrorTypeCountSchema(Schema):
    class Meta:
        description = "Jumlah galat satu jenis."

    type = fields.String(metadata={"description": "Jenis galat frictionless, misalnya type-error."})
    judul = fields.String(metadata={"description": "Nama jenis galat dalam Bahasa Indonesia."})
    count = fields.Integer(metadata={"description": "Jumlah galat jenis ini."})


class ErrorGroupSchema(Schema):
    """Errors of one kind in one column."""

    class Meta:
        description = "Galat satu jenis di satu kolom: baris-barisnya dan nilai yang salah."

    type = fields.String(metadata={"description": "Jenis galat frictionless."})
    judul = fields.String(metadata={"description": "Nama jenis galat dalam Bahasa Indonesia."})
    field = fields.String(allow_none=True, metadata={"description": "Nama kolom (null: seluruh baris)."})
    count = fields.Integer(metadata={"description": "Jumlah galat dalam kelompok ini."})
    rows = fields.List(fields.Integer(), metadata={
        "description": "Nomor baris (baris 1 adalah judul kolom), paling banyak 30 pertama."})
    more_rows = fields.Integer(metadata={"description": "Jumlah baris lain yang tidak dicantumkan."})
    values = fields.List(fields.String(), metadata={"description": "Nilai yang salah (paling banyak 12 berbeda)."})
    masalah = fields.String(metadata={"description": "Apa masalahnya."})
    perbaikan = fields.String(metadata={"description": "Cara memperbaikinya."})


class TableErrorSchema(Schema):
    """An error of the whole table (header, file, Table Schema), not of a row."""

    class Meta:
        description = "Galat seluruh tabel (judul kolom, berkas, Table Schema), bukan galat satu baris."

    type = fields.String(metadata={"description": "Jenis galat frictionless."})
    field = fields.String(allow_none=True, metadata={"description": "Nama kolom, bila ada."})
    label = fields.String(allow_none=True, metadata={"description": "Judul kolom di berkas, bila ada."})
    judul = fields.String(metadata={"description": "Nama jenis galat dalam Bahasa Indonesia."})
    masalah = fields.String(metadata={"description": "Apa masalahnya."})
    perbaikan = fields.String(metadata={"description": "Cara memperbaikinya."})
    message = fields.String(metadata={"description": "Pesan asli frictionless (bahasa Inggris)."})


class ValidationSummarySchema(Schema):
    """The report as the workspace page shows it."""

    class Meta:
        description = "Ringkasan laporan validasi, seperti di halaman ruang kerja."

    valid = fields.Boolean(metadata={"description": "Tabel lolos validasi."})
    total = fields.Integer(metadata={"description": "Jumlah seluruh galat."})
    truncated = fields.Boolean(metadata={"description": "Validasi berhenti di batas jumlah galat; mungkin ada "
                                                        "galat lain."})
    by_type = fields.List(fields.Nested(ErrorTypeCountSchema), metadata={
        "description": "Jumlah galat per jenis, terbanyak lebih dulu."})
    groups = fields.List(fields.Nested(ErrorGroupSchema), metadata={
        "description": "Galat baris per jenis dan kolom, terbanyak lebih dulu."})
    table_errors = fields.List(fields.Nested(TableErrorSchema), metadata={
        "description": "Galat seluruh tabel (bukan galat satu baris)."})
    stats = fields.Dict(metadata={"description": "Statistik frictionless: baris, kolom, byte, jumlah galat."})


class WorkspaceValidationSchema(Schema):
    """The validation of a table: status, progress, summary and (on request) the full report."""

    class Meta:
        description = "Validasi sebuah tabel: status, kemajuan, ringkasan dan (bila diminta) laporan lengkap."

    resource = fields.String(metadata={"description": "ID sumber data."})
    status = fields.Enum(ValidationStatus, by_value=True, metadata={
        "description": "unvalidated, pending (sedang divalidasi), valid, invalid, error."})
    schema_ref = fields.String(allow_none=True, metadata={"description": "Standar data yang dipakai, nama@versi."})
    progress = fields.Nested(ValidationProgressSchema, allow_none=True, metadata={
        "description": "Validasi terakhir (null: belum pernah divalidasi)."})
    summary = fields.Nested(ValidationSummarySchema, allow_none=True, metadata={
        "description": "Ringkasan laporan (null: belum ada laporan)."})
    report = fields.Dict(allow_none=True, metadata={
        "description": "Laporan frictionless lengkap; hanya dengan `?full=1`, selain itu null."})


class WorkspaceValidationResponseSchema(Schema):
    class Meta:
        description = "Respons GET /api/v1/workspace/resources/{resource_id}/validation."

    data = fields.Nested(WorkspaceValidationSchema, metadata={"description": "Validasi tabel."})
