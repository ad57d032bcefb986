"""What a DatasetVersion keeps: a dataset's metadata and resources at publish time, as plain
values (a private shape of the services, not a public one)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields


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
    walidata = fields.Function(lambda d: d.walidata.slug if d.walidata is not None else None)
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
