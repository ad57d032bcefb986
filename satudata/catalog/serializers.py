"""Marshmallow serializers for catalogue objects."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, post_load, pre_load, validate

from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    DataKind,
    DataStatus,
    Frequency,
    PresentationLevel,
)


class ResourceSnapshotSchema(Schema):
    id = fields.String()
    name = fields.String()
    description = fields.String()
    format = fields.String(allow_none=True)
    media_type = fields.String(allow_none=True)
    sha256 = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True)
    filename = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    row_count = fields.Integer(allow_none=True)
    table_schema = fields.Raw(allow_none=True)


def _enum(obj: Any, attr: str) -> str | None:
    value = getattr(obj, attr)
    return None if value is None else str(value)


class DatasetSnapshotSchema(Schema):
    """Everything a DatasetVersion keeps: metadata and resources at publish time."""

    id = fields.String()
    slug = fields.String()
    title = fields.String()
    description = fields.String()
    organization = fields.Function(lambda d: d.organization.slug)
    licence_id = fields.String(allow_none=True)
    access_class = fields.Function(lambda d: _enum(d, "access_class"))
    urusan = fields.String(allow_none=True)
    konsep = fields.String(allow_none=True)
    definisi = fields.String(allow_none=True)
    klasifikasi = fields.String(allow_none=True)
    ukuran = fields.String(allow_none=True)
    satuan = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    period = fields.String(allow_none=True)
    frequency = fields.Function(lambda d: _enum(d, "frequency"))
    release_date = fields.Date(allow_none=True)
    presentation_level = fields.Function(lambda d: _enum(d, "presentation_level"))
    kode_wilayah = fields.String(allow_none=True)
    coverage = fields.String(allow_none=True)
    data_source = fields.String(allow_none=True)
    collection_method = fields.Function(lambda d: _enum(d, "collection_method"))
    data_kind = fields.Function(lambda d: _enum(d, "data_kind"))
    is_priority = fields.Boolean()
    data_status = fields.Function(lambda d: _enum(d, "data_status"))
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    topics = fields.Function(lambda d: [t.slug for t in d.topics])
    tags = fields.Function(lambda d: [t.name for t in d.tags])
    resources = fields.List(fields.Nested(ResourceSnapshotSchema))


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
