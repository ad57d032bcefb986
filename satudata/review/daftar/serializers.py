"""The Daftar Data's shapes: the walidata's item form, and the public planned release the API
serves (no internal notes; the fulfilling dataset only when the public may see it)."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from satudata.accounts.serializers import OrganizationRefSchema
from satudata.catalog.models import Dataset, Frequency
from satudata.catalog.serializers import DatasetRefSchema
from satudata.errors import Invalid
from satudata.rest.envelope import absolute, quoted
from satudata.rest.fields import URI, Computed, Int, Text, between, length, one_of
from satudata.rest.inputs import ArgsSchema
from satudata.review.daftar.models import NOTES_MAX, TITLE_MAX, YEAR_MAX, YEAR_MIN
from satudata.review.daftar.status import STATUS_ORDER, Row


class ItemFormSchema(Schema):
    """The add/edit form of an item (HTML). Blank inputs count as not given."""

    class Meta:
        unknown = EXCLUDE

    organization = Int(required=True, error_messages={"required": "Pilih OPD produsen."})
    year = Int(required=True, validate=between(YEAR_MIN, YEAR_MAX),
               error_messages={"required": "Isi tahun rencana, misalnya 2026."})
    title = Text(required=True, validate=length(TITLE_MAX), error_messages={"required": "Judul data wajib diisi."})
    standard_ref = Text(load_default=None, validate=length(255))
    frequency = Text(required=True, validate=one_of(Frequency.values()),
                     error_messages={"required": "Pilih frekuensi."})
    release_date = fields.Date(required=True, error_messages={
        "required": "Isi jadwal rilis.", "invalid": "Tanggal tidak valid; tulis seperti 2026-03-31."})
    is_priority = fields.Boolean(load_default=False)
    notes = Text(load_default="", validate=length(NOTES_MAX))

    @pre_load
    def _blanks(self, data: Any, **kwargs: Any) -> Any:
        return {k: v for k, v in dict(data).items() if not (isinstance(v, str) and not v.strip())}


def load_item_form(form: Any) -> dict[str, Any]:
    """The form's values, or ``Invalid`` with a message per field."""
    try:
        return dict(ItemFormSchema().load({k: form.get(k) for k in ItemFormSchema().fields if k in form}))
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_form": err.messages}
        raise Invalid("Periksa isian yang ditandai.", details=messages) from err


# --------------------------------------------------------------------------- REST API v1


class DaftarArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/daftar-data``."""

    year = Int(load_default=None, validate=between(YEAR_MIN, YEAR_MAX),
               metadata={"description": "Tahun rencana Daftar Data; bawaan: tahun ini (WIB).", "example": 2026})
    organization = Text(load_default=None, validate=length(100),
                        metadata={"description": "Slug OPD produsen."})
    status = Text(load_default=None, validate=one_of([str(s) for s in STATUS_ORDER]),
                  metadata={"description": "Status: due (dijadwalkan), submitted (diajukan ke walidata), "
                                           "published (terbit), late (terlambat)."})


class PlannedReleaseSchema(Schema):
    """One item of the Daftar Data as the public sees it (a planned release)."""

    class Meta:
        description = ("Satu butir Daftar Data: data yang direncanakan, OPD produsennya, standar, frekuensi, "
                       "jadwal rilis dan statusnya hari ini.")

    id = fields.Integer(attribute="item.id", metadata={"description": "Pengenal butir."})
    year = fields.Integer(attribute="item.year", metadata={"description": "Tahun rencana Daftar Data."})
    title = fields.String(attribute="item.title", metadata={"description": "Judul data yang direncanakan."})
    organization = fields.Nested(OrganizationRefSchema, attribute="item.organization",
                                 metadata={"description": "OPD produsen data."})
    standard = fields.String(attribute="item.standard_ref", allow_none=True,
                             metadata={"description": "Standar data (Table Schema) nama@versi, bila ditetapkan."})
    standard_url = fields.Method("get_standard_url", allow_none=True,
                                 metadata={**URI, "description": "Halaman standar data itu."})
    frequency = fields.Enum(Frequency, by_value=True, attribute="item.frequency",
                            metadata={"description": "Frekuensi pemutakhiran."})
    release_date = fields.Date(attribute="item.release_date",
                               metadata={"description": "Jadwal rilis (tanggal, YYYY-MM-DD)."})
    is_priority = fields.Boolean(attribute="item.is_priority", metadata={"description": "Termasuk Data Prioritas."})
    indicator_code = fields.String(attribute="item.indicator_code", allow_none=True, metadata={
        "description": "Kode indikator di rencana data daerah (SIPD e-Walidata), bila ada.", "example": "1.02.01"})
    unit = fields.String(attribute="item.unit", allow_none=True, metadata={
        "description": "Satuan data, bila ada.", "example": "Unit"})
    element = fields.String(attribute="item.element", allow_none=True, metadata={
        "description": "Kelompok data di rencana data daerah (SIPD: bidang urusan), bila ada."})
    status = fields.String(attribute="standing.status",
                           metadata={"description": "due, submitted, published atau late (hari ini, WIB).",
                                     "enum": [str(s) for s in STATUS_ORDER]})
    published_on = fields.Date(attribute="standing.published_on", allow_none=True,
                               metadata={"description": "Tanggal (WIB) dataset pemenuhnya pertama kali terbit."})
    on_time = fields.Boolean(attribute="standing.on_time", allow_none=True,
                             metadata={"description": "Terbit paling lambat pada jadwal rilis (null bila belum "
                                                      "terbit)."})
    dataset = Computed(DatasetRefSchema, lambda row: _public_dataset(row), allow_none=True,
                       metadata={"description": "Dataset yang memenuhi butir ini, bila sudah terbit dan publik."})
    dataset_page = fields.Method("get_dataset_page", allow_none=True,
                                 metadata={**URI, "description": "Halaman dataset itu di portal."})

    def get_standard_url(self, row: Row) -> str | None:
        ref = row.item.standard_ref
        if not ref:
            return None
        name, _, version = ref.partition("@")
        return absolute(f"/standar-data/{quoted(name)}" + (f"/v{quoted(version)}" if version.isdigit() else ""))

    def get_dataset_page(self, row: Row) -> str | None:
        dataset = _public_dataset(row)
        return absolute(f"/dataset/{quoted(dataset.slug)}") if dataset is not None else None


def _public_dataset(row: Row) -> Dataset | None:
    """The fulfilling dataset when the public may see it (published and publik), else None."""
    dataset = row.item.dataset
    return dataset if dataset is not None and dataset.is_public else None


class StatusCountsSchema(Schema):
    """How many items are in each status."""

    class Meta:
        description = "Jumlah butir per status."

    due = fields.Integer(metadata={"description": "Dijadwalkan."})
    submitted = fields.Integer(metadata={"description": "Diajukan ke walidata."})
    published = fields.Integer(metadata={"description": "Terbit."})
    late = fields.Integer(metadata={"description": "Terlambat."})


class DaftarMetaSchema(Schema):
    """The year and day the list is for, and its counts."""

    class Meta:
        description = "Tahun dan hari (WIB) yang dipakai untuk status, dengan jumlahnya."

    total = fields.Integer(metadata={"description": "Jumlah butir."})
    year = fields.Integer(metadata={"description": "Tahun rencana."})
    today = fields.Date(metadata={"description": "Tanggal hari ini (WIB) yang dipakai untuk menentukan status."})
    counts = fields.Nested(StatusCountsSchema, metadata={"description": "Jumlah butir per status."})
