"""The validation domain's public shapes: a table's validation run (status and progress) and
its report as the workspace page shows it (errors grouped by kind and column, with what to fix)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from satudata.catalog.models import Resource, ValidationStatus
from satudata.rest.fields import Bool
from satudata.rest.inputs import ArgsSchema
from satudata.validation import tasks
from satudata.validation.models import RunStatus


class ValidationArgs(ArgsSchema):
    """Arguments of ``GET /api/v1/workspace/resources/<id>/validation``."""

    full = Bool(load_default=False, metadata={
        "description": "1: sertakan juga laporan frictionless lengkap di `report`."})



def progress_of(res: Resource) -> dict[str, Any] | None:
    """The latest validation run of ``res`` (``None``: never validated)."""
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

