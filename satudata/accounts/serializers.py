"""The accounts domain's serializers: its forms (HTML and the REST API's bodies) and its public
shapes (organisations, users, roles, API tokens, audit rows), the only ones the REST API uses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import g
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from satudata.accounts.models import ApiToken, Organization, OrganizationKind, TokenScope
from satudata.authz import Role
from satudata.rest.envelope import api_url, quoted
from satudata.rest.fields import URI, Int, Text, UTCDateTime, between
from satudata.rest.inputs import ArgsSchema

REQUIRED: dict[str, Any] = {"required": "Wajib diisi.", "null": "Wajib diisi."}
SLUG = validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="Gunakan huruf kecil, angka dan tanda hubung, misalnya dinkes-dumai.")
KODE = validate.Regexp(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", error="Kode wilayah Kemendagri, misalnya 14.07 atau 14.07.03.")


def length(min: int | None = None, max: int | None = None) -> validate.Length:
    if min is not None and max is not None:
        error = f"Panjang harus {min}–{max} karakter."
    elif max is not None:
        error = f"Paling panjang {max} karakter."
    else:
        error = f"Paling sedikit {min} karakter."
    return validate.Length(min=min, max=max, error=error)


class FormSchema(Schema):
    """Forms carry extra fields (the CSRF token, buttons); they are ignored, not errors."""

    class Meta:
        unknown = EXCLUDE


def _blank_to_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (None if v == "" else v) for k, v in data.items()}


class LoginSchema(FormSchema):
    login = fields.String(required=True, error_messages=REQUIRED, validate=length(1, 255))
    password = fields.String(required=True, error_messages=REQUIRED, validate=length(1, 1024))
    next = fields.String(load_default=None)


class ResetRequestSchema(FormSchema):
    email = fields.Email(required=True, error_messages={**REQUIRED, "invalid": "Alamat email tidak valid."})


class ResetSchema(FormSchema):
    new_password = fields.String(required=True, error_messages=REQUIRED, validate=length(max=1024))
    confirm_password = fields.String(required=True, error_messages=REQUIRED)

    @validates_schema
    def _same(self, data: dict[str, str], **_: object) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError("Konfirmasi tidak sama dengan kata sandi baru.", "confirm_password")


class PasswordChangeSchema(ResetSchema):
    """A signed-in user's new password: the reset form plus the current password."""

    current_password = fields.String(required=True, error_messages=REQUIRED)


class TokenCreateSchema(FormSchema):
    name = fields.String(required=True, error_messages=REQUIRED, validate=length(1, 100))
    scope = fields.String(required=True, error_messages=REQUIRED,
                          validate=validate.OneOf(TokenScope.values(), error="Pilih read atau write."))


class OrganizationForm(FormSchema):
    """Create/edit an organisation (HTML form and REST)."""

    slug = fields.String(validate=[length(2, 100), SLUG])
    name = fields.String(required=True, error_messages=REQUIRED, validate=length(2, 255))
    acronym = fields.String(allow_none=True, validate=length(max=40))
    kind = fields.String(required=True, error_messages=REQUIRED,
                         validate=validate.OneOf(OrganizationKind.values(), error="Jenis organisasi tidak dikenal."))
    kode_wilayah = fields.String(allow_none=True, validate=KODE)
    parent = fields.String(allow_none=True)  # slug of the parent organisation
    is_walidata = fields.Boolean(load_default=False, allow_none=True)
    description = fields.String(load_default="", allow_none=True)
    email = fields.Email(allow_none=True, error_messages={"invalid": "Alamat email tidak valid."})
    phone = fields.String(allow_none=True, validate=length(max=50))
    website = fields.URL(allow_none=True, error_messages={"invalid": "Alamat situs tidak valid."})
    address = fields.String(allow_none=True)


    @post_load
    def _defaults(self, data: dict[str, object], **_: object) -> dict[str, object]:
        # An emptied textarea or unticked box arrives as nothing; store "" and False.
        if data.get("description") is None:
            data["description"] = ""
        if data.get("is_walidata") is None:
            data["is_walidata"] = False
        return data


class UserCreateForm(FormSchema):
    username = fields.String(required=True, error_messages=REQUIRED,
                             validate=[length(3, 80), validate.Regexp(r"^[a-z0-9._-]+$", error="Huruf kecil, angka, titik, garis bawah atau tanda hubung.")])
    email = fields.Email(required=True, error_messages={**REQUIRED, "invalid": "Alamat email tidak valid."})
    full_name = fields.String(required=True, error_messages=REQUIRED, validate=length(2, 255))
    password = fields.String(allow_none=True, validate=length(max=1024))
    role = fields.String(allow_none=True, validate=validate.OneOf(Role.values(), error="Peran tidak dikenal."))
    organization = fields.String(allow_none=True)  # slug

    @validates_schema
    def _role_needs_org(self, data: dict[str, str], **_: object) -> None:
        if data.get("role") and not data.get("organization"):
            raise ValidationError("Pilih organisasi untuk peran ini.", "organization")


class RoleAssignForm(FormSchema):
    role = fields.String(required=True, error_messages=REQUIRED,
                         validate=validate.OneOf(Role.values(), error="Peran tidak dikenal."))
    organization = fields.String(required=True, error_messages=REQUIRED)


def load_form(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """Load form/JSON data, turning marshmallow errors into the domain's Invalid error."""
    from satudata.errors import Invalid

    try:
        return dict(schema.load(_blank_to_none(dict(data))))
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        first = next(iter(messages.values()))
        text = first[0] if isinstance(first, list) and first else str(first)
        raise Invalid(f"Periksa isian: {text}", details=messages) from err


# --------------------------------------------------------------------------- public shapes (REST API v1)

# Public datasets per organisation belong to the catalogue, a higher domain: it hands the shape
# its counting function when the app starts (``catalog.init_app``).
DatasetCounter = Callable[[], dict[int, int]]
_count_datasets: DatasetCounter | None = None


def count_datasets_with(counter: DatasetCounter) -> None:
    """Let ``OrganizationSchema.dataset_count`` ask ``counter`` (the catalogue registers it)."""
    global _count_datasets
    _count_datasets = counter


def _dataset_counts() -> dict[int, int]:
    """Public datasets per organisation, computed once per request."""
    if "_organization_dataset_counts" not in g:
        g._organization_dataset_counts = _count_datasets() if _count_datasets is not None else {}
    counts: dict[int, int] = g._organization_dataset_counts
    return counts


class OrganizationRefSchema(Schema):
    """An organisation, briefly (inside other objects)."""

    class Meta:
        description = "Organisasi secara singkat (di dalam objek lain)."

    slug = fields.String(metadata={"description": "Pengenal organisasi di URL."})
    name = fields.String(metadata={"description": "Nama organisasi."})
    kind = fields.Enum(OrganizationKind, by_value=True, metadata={"description": "Jenis organisasi."})
    url = fields.Method("get_url", metadata={**URI, "description": "Alamat organisasi ini di API."})

    def get_url(self, org: Organization) -> str:
        return api_url(f"/organizations/{quoted(org.slug)}")


class OrganizationSchema(Schema):
    """An organisation (a region's government or one of its OPD): the one shape of every
    operation that answers with an organisation, reads and writes alike."""

    class Meta:
        description = ("Organisasi (pemerintah daerah atau OPD) dengan induk, organisasi di bawahnya dan "
                       "jumlah dataset publiknya. Bentuk yang sama untuk membaca, membuat dan mengubah.")

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
    children = fields.List(fields.Nested(OrganizationRefSchema), metadata={"description": "Organisasi di "
                                                                                           "bawahnya."})
    dataset_count = fields.Method("get_dataset_count", metadata={
        "type": "integer", "description": "Jumlah dataset publik."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    updated_at = UTCDateTime(metadata={"description": "Waktu terakhir diubah (UTC)."})
    url = fields.Method("get_url", metadata={**URI, "description": "Alamat organisasi ini di API."})
    datasets_url = fields.Method("get_datasets_url", metadata={
        **URI, "description": "Dataset publik organisasi ini di API."})

    def get_dataset_count(self, org: Organization) -> int:
        return _dataset_counts().get(org.id, 0)

    def get_url(self, org: Organization) -> str:
        return api_url(f"/organizations/{quoted(org.slug)}")

    def get_datasets_url(self, org: Organization) -> str:
        return api_url(f"/datasets?organization={quoted(org.slug)}")


def organization_form_values(org: Organization) -> dict[str, Any]:
    """``org`` as ``OrganizationForm`` takes it (what a PATCH merges its body into)."""
    return {"name": org.name, "acronym": org.acronym, "kind": str(org.kind), "kode_wilayah": org.kode_wilayah,
            "parent": org.parent.slug if org.parent else None, "is_walidata": org.is_walidata,
            "description": org.description, "email": org.email, "phone": org.phone, "website": org.website,
            "address": org.address}


class MembershipSchema(Schema):
    class Meta:
        description = "Peran seorang pengguna di sebuah organisasi."

    id = fields.Integer(metadata={"description": "ID keanggotaan (untuk mencabut peran)."})
    role = fields.Enum(Role, by_value=True, metadata={"description": "Peran."})
    organization = fields.Nested(OrganizationRefSchema, metadata={"description": "Organisasinya."})


class UserSchema(Schema):
    class Meta:
        description = "Akun petugas (warga tidak memerlukan akun)."

    id = fields.Integer(metadata={"description": "ID pengguna."})
    username = fields.String(metadata={"description": "Nama pengguna."})
    email = fields.String(metadata={"description": "Email."})
    full_name = fields.String(metadata={"description": "Nama lengkap."})
    active = fields.Boolean(metadata={"description": "Akun aktif (boleh masuk dan memakai token)."})
    last_login_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu terakhir masuk (UTC)."})
    roles = fields.List(fields.Nested(MembershipSchema), attribute="memberships",
                        metadata={"description": "Peran di organisasi."})


class ApiTokenSchema(Schema):
    class Meta:
        description = "Token API pribadi. Rahasianya hanya ditampilkan sekali, saat dibuat di halaman akun."

    id = fields.Integer(metadata={"description": "ID token."})
    name = fields.String(metadata={"description": "Nama token."})
    prefix = fields.String(metadata={"description": "Awal rahasia token, untuk membedakan token."})
    scope = fields.Enum(TokenScope, by_value=True, metadata={"description": "Cakupan: read atau write."})
    created_at = UTCDateTime(metadata={"description": "Waktu dibuat (UTC)."})
    last_used_at = UTCDateTime(allow_none=True, metadata={"description": "Waktu terakhir dipakai (UTC)."})
    revoked = fields.Method("get_revoked", metadata={"type": "boolean", "description": "Sudah dicabut."})

    def get_revoked(self, token: ApiToken) -> bool:
        return token.revoked_at is not None


class AuditEntrySchema(Schema):
    class Meta:
        description = "Satu baris log audit: siapa melakukan apa pada data mana."

    id = fields.Integer(metadata={"description": "ID baris."})
    at = UTCDateTime(metadata={"description": "Waktu (UTC)."})
    actor = fields.String(attribute="actor_label", metadata={"description": "Pelaku, misalnya user:budi atau "
                                                                            "system:cli."})
    action = fields.String(metadata={"description": "Tindakan, misalnya dataset.publish."})
    object_type = fields.String(metadata={"description": "Jenis objek."})
    object_id = fields.String(metadata={"description": "ID objek."})
    summary = fields.Dict(metadata={"description": "Ringkasan perubahan."})
    ip = fields.String(allow_none=True, metadata={"description": "Alamat IP peminta."})


class AuditArgs(ArgsSchema):
    """Query parameters of ``GET /api/v1/audit`` (checked again by the accounts service)."""

    page = Int(load_default=1, validate=between(1), metadata={"description": "Nomor halaman (50 baris per "
                                                                            "halaman)."})
    actor = Text(metadata={"description": "Sebagian label pelaku, misalnya user:budi."})
    action = Text(metadata={"description": "Awalan tindakan, misalnya dataset."})
    object_type = Text(metadata={"description": "Jenis objek, misalnya dataset."})
    object_id = Text(metadata={"description": "ID objek."})
    since = Text(metadata={"description": "Sejak tanggal/waktu ISO 8601, misalnya 2026-01-31 (WIB bila tanpa zona)."})
    until = Text(metadata={"description": "Sampai tanggal/waktu ISO 8601 (tanggal saja: sampai akhir hari itu)."})
