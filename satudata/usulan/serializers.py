"""The shapes of data suggestions: the public suggestion (the API and anything else that dumps
one) and the list's arguments. No field carries the proposer's name, e-mail or address: the
public shape is built from an explicit list of public fields."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from satudata.accounts.serializers import OrganizationRefSchema
from satudata.catalog.serializers import DatasetRefSchema, TopicRefSchema
from satudata.rest.envelope import absolute, quoted
from satudata.rest.fields import URI, Computed, Text, UTCDateTime, length, one_of
from satudata.rest.inputs import PagedArgs
from satudata.usulan.models import PUBLIC_STATES, Suggestion, SuggestionState
from satudata.usulan.services import SORTS, STATE_LABELS

MAX_PER_PAGE = 100


class SuggestionArgs(PagedArgs):
    """Arguments of ``GET /api/v1/usulan-data``."""

    q = Text(load_default="", validate=length(200), metadata={"description": "Kata dalam judul atau kegunaan."})
    status = Text(load_default=None, validate=one_of([str(s) for s in PUBLIC_STATES]),
                  metadata={"description": "Status: " + ", ".join(f"{s} ({STATE_LABELS[s].lower()})"
                                                                  for s in PUBLIC_STATES) + "."})
    region = Text(load_default=None, validate=length(100),
                  metadata={"description": "Slug pemerintah daerah (wilayah usulan), misalnya pemkab-rokan-hilir."})
    sort = Text(load_default="terbaru", validate=one_of(list(SORTS)),
                metadata={"description": "terbaru (bawaan) atau dukungan (paling banyak didukung)."})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_per_page=MAX_PER_PAGE, default_per_page=20, **kwargs)


class DaftarItemRefSchema(Schema):
    """The Daftar Data item a suggestion became."""

    class Meta:
        description = "Butir Daftar Data hasil usulan ini."

    id = fields.Integer(metadata={"description": "Pengenal butir."})
    year = fields.Integer(metadata={"description": "Tahun Daftar Data."})
    title = fields.String(metadata={"description": "Judul data yang direncanakan."})
    organization = fields.Nested(OrganizationRefSchema, metadata={"description": "OPD produsen."})
    release_date = fields.Date(metadata={"description": "Jadwal rilis (YYYY-MM-DD)."})
    calendar_url = fields.Method("get_calendar_url", metadata={**URI, "description": "Kalender rilis publik, di "
                                                                                      "butir ini."})

    def get_calendar_url(self, item: Any) -> str:
        return absolute(f"/kalender-rilis?tahun={item.year}&opd={quoted(item.organization.slug)}#butir-{item.id}")


class SuggestionSchema(Schema):
    """A data suggestion as the public sees it."""

    class Meta:
        description = ("Usulan data dari publik: data apa, untuk apa, wilayah dan OPD yang diusulkan, jumlah "
                       "dukungan, dan keputusan walidata. Tanpa nama atau surel pengusul.")

    id = fields.Integer(metadata={"description": "Nomor usulan."})
    title = fields.String(metadata={"description": "Data yang diusulkan."})
    description = fields.String(metadata={"description": "Kegunaan dan rincian yang diperlukan."})
    state = fields.Enum(SuggestionState, by_value=True, metadata={"description": "Kode status."})
    status = fields.Method("get_status", metadata={"description": "Status dalam Bahasa Indonesia."})
    region = fields.Nested(OrganizationRefSchema, metadata={"description": "Pemerintah daerah (wilayah) usulan."})
    kode_wilayah = fields.String(attribute="region.kode_wilayah", allow_none=True,
                                 metadata={"description": "Kode wilayah Kemendagri wilayah itu."})
    organization = fields.Nested(OrganizationRefSchema, allow_none=True,
                                 metadata={"description": "OPD yang diusulkan pengusul (null: tidak tahu)."})
    topic = fields.Nested(TopicRefSchema, allow_none=True, metadata={"description": "Topik, bila dipilih."})
    support_count = fields.Integer(metadata={"description": "Jumlah pendukung (termasuk pengusul)."})
    created_at = UTCDateTime(metadata={"description": "Waktu diajukan (UTC)."})
    decided_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu keputusan walidata (UTC), bila sudah."})
    decision_note = fields.Method("get_note", allow_none=True,
                                  metadata={"description": "Catatan atau alasan keputusan walidata."})
    daftar_item = fields.Nested(DaftarItemRefSchema, allow_none=True,
                                metadata={"description": "Butir Daftar Data, bila diterima."})
    dataset = Computed(DatasetRefSchema, lambda s: _public_dataset(s), allow_none=True,
                       metadata={"description": "Dataset yang sudah memuat data ini, bila ditunjukkan."})
    dataset_page = fields.Method("get_dataset_page", allow_none=True,
                                 metadata={**URI, "description": "Halaman dataset itu di portal."})
    ppid_url = fields.Method("get_ppid_url", allow_none=True,
                             metadata={**URI, "description": "Formulir permohonan informasi, bila dialihkan ke PPID."})
    daftar_item_removed = fields.Boolean(attribute="item_removed", metadata={
        "description": "true: usulan ini diterima, tetapi butir Daftar Data-nya kemudian dihapus."})
    merged_into = fields.Method("get_merged_into", allow_none=True,
                                metadata={"type": "integer", "description": "Nomor usulan tempat usulan ini digabung "
                                                                            "(null bila usulan itu tidak publik)."})
    page = fields.Method("get_page", metadata={**URI, "description": "Halaman usulan ini di portal."})

    def get_status(self, s: Suggestion) -> str:
        return STATE_LABELS[s.state]

    def get_note(self, s: Suggestion) -> str | None:
        return s.decision_note or None

    def get_dataset_page(self, s: Suggestion) -> str | None:
        dataset = _public_dataset(s)
        return absolute(f"/dataset/{quoted(dataset.slug)}") if dataset is not None else None

    def get_ppid_url(self, s: Suggestion) -> str | None:
        return absolute("/ppid/permohonan") if s.state == SuggestionState.PPID else None

    def get_merged_into(self, s: Suggestion) -> int | None:
        target = s.merged_into
        return target.id if target is not None and target.is_public else None

    def get_page(self, s: Suggestion) -> str:
        return absolute(f"/usulan-data/{s.id}")


def _public_dataset(s: Suggestion) -> Any:
    """The dataset named by the decision, while the public may see it."""
    return s.dataset if s.dataset is not None and s.dataset.is_public else None
