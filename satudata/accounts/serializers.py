"""Marshmallow serializers for account forms and API payloads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from satudata.accounts.models import OrganizationKind, TokenScope
from satudata.authz import Role

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


class PasswordChangeSchema(FormSchema):
    current_password = fields.String(required=True, error_messages=REQUIRED)
    new_password = fields.String(required=True, error_messages=REQUIRED, validate=length(max=1024))
    confirm_password = fields.String(required=True, error_messages=REQUIRED)

    @validates_schema
    def _same(self, data: dict[str, str], **_: object) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError("Konfirmasi tidak sama dengan kata sandi baru.", "confirm_password")


class ResetRequestSchema(FormSchema):
    email = fields.Email(required=True, error_messages={**REQUIRED, "invalid": "Alamat email tidak valid."})


class ResetSchema(FormSchema):
    new_password = fields.String(required=True, error_messages=REQUIRED, validate=length(max=1024))
    confirm_password = fields.String(required=True, error_messages=REQUIRED)

    @validates_schema
    def _same(self, data: dict[str, str], **_: object) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError("Konfirmasi tidak sama dengan kata sandi baru.", "confirm_password")


class TokenCreateSchema(FormSchema):
    name = fields.String(required=True, error_messages=REQUIRED, validate=length(1, 100))
    scope = fields.String(required=True, error_messages=REQUIRED,
                          validate=validate.OneOf(TokenScope.values(), error="Pilih read atau write."))


class OrganizationSchema(FormSchema):
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


class UserCreateSchema(FormSchema):
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


class RoleAssignSchema(FormSchema):
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
