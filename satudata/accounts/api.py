"""The accounts domain's REST endpoints (``/api/v1``): organisations (public reads; admin
writes), the caller's account and tokens, user administration and the audit log.

Token authentication works only under ``/api/``: a bearer token never signs anyone in to the HTML
site, and a session cookie never authorises an API write (so the API needs no CSRF token).
Writes need a token with the ``write`` scope. Every response is dumped by the shapes of
``satudata/accounts/serializers.py``; the request commits what the services did.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request
from marshmallow import Schema, fields

from satudata.accounts import serializers as ser
from satudata.accounts import services
from satudata.accounts.models import TokenScope
from satudata.authz import Actor, AnonymousActor, Permission, require
from satudata.errors import Forbidden, Invalid, Unauthenticated
from satudata.rest.docs import Body, PathParam, documented
from satudata.rest.envelope import API_PREFIX, CountMetaSchema, envelope, response_schema
from satudata.rest.inputs import json_body, json_object, path_key, shown

bp = Blueprint("accounts_api", __name__, url_prefix=API_PREFIX)

ORGANIZATION = "Organisasi"
ACCOUNT = "Akun dan administrasi"
ADMIN_ONLY = " Hanya untuk admin."
WRITE_ERRORS = ("401", "403", "404", "409", "422")

ORG_SLUG = PathParam("slug", "Slug organisasi.", "disdukcapil-riau")
TOKEN_ID = PathParam("token_id", "ID token.", "1", "integer")
USER_ID = PathParam("user_id", "ID pengguna.", "1", "integer")
MEMBERSHIP_ID = PathParam("membership_id", "ID keanggotaan (peran) dari `roles[].id`.", "1", "integer")

OrganizationList = response_schema(
    "OrganizationList", "Respons GET /api/v1/organizations.",
    fields.List(fields.Nested(ser.OrganizationSchema), metadata={"description": "Organisasi, urut nama."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah organisasi."}))
OrganizationResponse = response_schema(
    "OrganizationResponse", "Respons yang berisi satu organisasi.",
    fields.Nested(ser.OrganizationSchema, metadata={"description": "Organisasi."}))
UserResponse = response_schema(
    "UserResponse", "Respons yang berisi satu pengguna.",
    fields.Nested(ser.UserSchema, metadata={"description": "Pengguna."}))
UserList = response_schema(
    "UserList", "Respons GET /api/v1/users.",
    fields.List(fields.Nested(ser.UserSchema), metadata={"description": "Pengguna."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah pengguna."}))
ApiTokenResponse = response_schema(
    "ApiTokenResponse", "Respons yang berisi satu token.",
    fields.Nested(ser.ApiTokenSchema, metadata={"description": "Token."}))
ApiTokenList = response_schema(
    "ApiTokenList", "Respons GET /api/v1/tokens.",
    fields.List(fields.Nested(ser.ApiTokenSchema), metadata={"description": "Token, terbaru lebih dulu."}),
    meta=fields.Nested(CountMetaSchema, metadata={"description": "Jumlah token."}))


class AuditMetaSchema(Schema):
    class Meta:
        description = "Letak halaman log audit."

    total = fields.Integer(metadata={"description": "Jumlah baris yang cocok."})
    page = fields.Integer(metadata={"description": "Nomor halaman ini."})


AuditList = response_schema(
    "AuditList", "Respons GET /api/v1/audit.",
    fields.List(fields.Nested(ser.AuditEntrySchema), metadata={"description": "Baris log, terbaru lebih "
                                                                                      "dulu."}),
    meta=fields.Nested(AuditMetaSchema, metadata={"description": "Jumlah baris dan halaman."}))


def api_actor(scope: TokenScope | None = TokenScope.READ) -> Actor:
    """The user of the request's bearer token. ``scope=None``: anonymous is fine too."""
    header = request.headers.get("Authorization", "")
    if not header:
        if scope is None:
            return AnonymousActor()
        raise Unauthenticated("Sertakan token API di header: Authorization: Bearer <token>. "
                              "Buat token di halaman Akun.")
    kind, _, secret = header.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("Header Authorization harus berbentuk: Bearer <token>.")
    found = services.authenticate_token(secret.strip())
    if found is None:
        raise Unauthenticated("Token API tidak valid, sudah dicabut, atau pemiliknya dinonaktifkan.")
    user, token = found
    g.api_user = user
    g.api_token = token
    if scope == TokenScope.WRITE and token.scope != TokenScope.WRITE:
        raise Forbidden("Token ini hanya untuk membaca (read). Buat token dengan cakupan write untuk mengubah data.")
    return user


def _organization(slug: str) -> Any:
    return services.get_organization(path_key(slug, f"Organisasi '{shown(slug)}' tidak ditemukan."))


def _parent(data: dict[str, Any]) -> Any:
    slug = data.pop("parent", None)
    return services.get_organization(str(slug)) if slug else None


# --------------------------------------------------------------------------- organisations


@bp.get("/organizations")
@documented(
    operation_id="listOrganizations", tag=ORGANIZATION, summary="Daftar organisasi",
    description="Semua organisasi (pemerintah daerah dan OPD), urut nama, dengan induk, organisasi di bawahnya "
                "dan jumlah dataset publiknya.",
    response=OrganizationList, response_description="Organisasi.")
def list_organizations() -> Any:
    orgs = services.list_organizations()
    return envelope(ser.OrganizationSchema(many=True).dump(orgs), meta={"total": len(orgs)})


@bp.get("/organizations/<slug>")
@documented(
    operation_id="getOrganization", tag=ORGANIZATION, summary="Rincian organisasi",
    description="Satu organisasi, dengan induk, organisasi di bawahnya, dan jumlah dataset publiknya.",
    response=OrganizationResponse, response_description="Organisasi.", path_params=(ORG_SLUG,), errors=("404",))
def get_organization(slug: str) -> Any:
    return envelope(ser.OrganizationSchema().dump(_organization(slug)))


@bp.post("/organizations")
@documented(
    operation_id="createOrganization", tag=ORGANIZATION, summary="Buat organisasi",
    description="Membuat organisasi (pemerintah daerah atau OPD)." + ADMIN_ONLY,
    response=OrganizationResponse, response_description="Organisasi yang dibuat.", errors=WRITE_ERRORS,
    status="201", token="write",
    body=Body(ser.OrganizationForm(), "OrganizationInput",
              "Organisasi baru. `slug` wajib; `parent` adalah slug organisasi induk.",
              {"slug": "dinkes-dumai", "name": "Dinas Kesehatan Kota Dumai", "kind": "opd",
               "parent": "pemkot-dumai"}))
def create_organization() -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    data = ser.load_form(ser.OrganizationForm(), json_object(json_body()))
    if not data.get("slug"):
        raise Invalid("slug wajib diisi.", details={"slug": ["Wajib diisi."]})
    parent = _parent(data)
    org = services.create_organization(actor, parent=parent, **data)  # type: ignore[arg-type]
    return envelope(ser.OrganizationSchema().dump(org), status=201)


@bp.patch("/organizations/<slug>")
@documented(
    operation_id="updateOrganization", tag=ORGANIZATION, summary="Ubah organisasi",
    description="Mengubah sebagian kolom organisasi; kolom yang tidak dikirim tetap. Slug tidak dapat diubah."
                + ADMIN_ONLY,
    response=OrganizationResponse, response_description="Organisasi setelah diubah.", path_params=(ORG_SLUG,),
    errors=WRITE_ERRORS, token="write",
    body=Body(ser.OrganizationForm(partial=True), "OrganizationPatch",
              "Kolom organisasi yang diubah; semua boleh dilewati. `slug` tidak dapat diubah.",
              {"email": "dinkes@dumaikota.go.id"}))
def update_organization(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    org = _organization(slug)
    body = json_object(json_body())
    if "slug" in body and body["slug"] != org.slug:
        raise Invalid("Slug organisasi tidak dapat diubah.", details={"slug": ["Slug tidak dapat diubah."]})
    body.pop("slug", None)
    data = ser.load_form(ser.OrganizationForm(), {**ser.organization_form_values(org), **body})
    parent = _parent(data)
    services.update_organization(actor, org, parent=parent, **data)
    return envelope(ser.OrganizationSchema().dump(org))


# --------------------------------------------------------------------------- the caller's account


@bp.get("/me")
@documented(
    operation_id="getMe", tag=ACCOUNT, summary="Pengguna pemilik token",
    description="Akun pemilik token, dengan perannya.",
    response=UserResponse, response_description="Pengguna.", errors=("401",), token="read")
def me() -> Any:
    return envelope(ser.UserSchema().dump(api_actor()))


@bp.get("/tokens")
@documented(
    operation_id="listTokens", tag=ACCOUNT, summary="Token saya",
    description="Token API milik pemilik token ini, terbaru lebih dulu. Rahasia token tidak pernah ditampilkan "
                "lagi.",
    response=ApiTokenList, response_description="Token.", errors=("401",), token="read")
def tokens() -> Any:
    found = services.list_user_tokens(api_actor())  # type: ignore[arg-type]
    return envelope(ser.ApiTokenSchema(many=True).dump(found), meta={"total": len(found)})


@bp.delete("/tokens/<int:token_id>")
@documented(
    operation_id="revokeToken", tag=ACCOUNT, summary="Cabut token",
    description="Mencabut salah satu token milik sendiri; token itu langsung berhenti berlaku.",
    response=ApiTokenResponse, response_description="Token yang dicabut.", path_params=(TOKEN_ID,),
    errors=("401", "403", "404"), token="write")
def revoke_token(token_id: int) -> Any:
    user = api_actor(TokenScope.WRITE)
    token = services.get_user_token(user, token_id)  # type: ignore[arg-type]
    services.revoke_api_token(user, token)
    return envelope(ser.ApiTokenSchema().dump(token))


# --------------------------------------------------------------------------- user administration


@bp.get("/users")
@documented(
    operation_id="listUsers", tag=ACCOUNT, summary="Daftar pengguna",
    description="Semua akun petugas dengan perannya." + ADMIN_ONLY,
    response=UserList, response_description="Pengguna.", errors=("401", "403"), token="read")
def users() -> Any:
    actor = api_actor()
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    found = services.list_users()
    return envelope(ser.UserSchema(many=True).dump(found), meta={"total": len(found)})


@bp.post("/users")
@documented(
    operation_id="createUser", tag=ACCOUNT, summary="Buat pengguna",
    description="Membuat akun petugas, bisa langsung dengan satu peran di satu organisasi." + ADMIN_ONLY,
    response=UserResponse, response_description="Pengguna yang dibuat.", errors=WRITE_ERRORS, status="201",
    token="write",
    body=Body(ser.UserCreateForm(), "UserInput",
              "Akun baru. `role` dan `organization` (slug) boleh dilewati bersama-sama.",
              {"username": "budi", "email": "budi@dumaikota.go.id", "full_name": "Budi Santoso",
               "role": "produsen", "organization": "dinkes-dumai"}))
def create_user() -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    data = ser.load_form(ser.UserCreateForm(), json_object(json_body()))
    roles = []
    if data.get("role"):
        roles.append((str(data["role"]), services.get_organization(str(data["organization"]))))
    if data.get("password"):
        services.check_password_rules(None, str(data["password"]))
    user = services.create_user(actor, username=str(data["username"]), email=str(data["email"]).lower(),
                                full_name=str(data["full_name"]),
                                password=str(data["password"]) if data.get("password") else None, roles=roles)
    return envelope(ser.UserSchema().dump(user), status=201)


@bp.post("/users/<int:user_id>/roles")
@documented(
    operation_id="assignRole", tag=ACCOUNT, summary="Beri peran",
    description="Memberi pengguna sebuah peran di sebuah organisasi." + ADMIN_ONLY,
    response=UserResponse, response_description="Pengguna dengan perannya.", path_params=(USER_ID,),
    errors=WRITE_ERRORS, status="201", token="write",
    body=Body(ser.RoleAssignForm(), "RoleInput", "Peran dan slug organisasinya.",
              {"role": "walidata", "organization": "diskominfotik-riau"}))
def add_role(user_id: int) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    data = ser.load_form(ser.RoleAssignForm(), json_object(json_body()))
    user = services.get_user(user_id)
    services.assign_role(actor, user, str(data["role"]), services.get_organization(str(data["organization"])))
    return envelope(ser.UserSchema().dump(user), status=201)


@bp.delete("/users/<int:user_id>/roles/<int:membership_id>")
@documented(
    operation_id="removeRole", tag=ACCOUNT, summary="Cabut peran",
    description="Mencabut satu peran pengguna." + ADMIN_ONLY,
    response=UserResponse, response_description="Pengguna dengan peran yang tersisa.",
    path_params=(USER_ID, MEMBERSHIP_ID), errors=("401", "403", "404", "409"), token="write")
def remove_role(user_id: int, membership_id: int) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    membership = services.get_membership(user_id, membership_id)
    services.remove_role(actor, membership)
    return envelope(ser.UserSchema().dump(services.get_user(user_id)))


@bp.post("/users/<int:user_id>/deactivate")
@documented(
    operation_id="deactivateUser", tag=ACCOUNT, summary="Nonaktifkan pengguna",
    description="Menonaktifkan akun: tidak dapat masuk dan tokennya berhenti berlaku." + ADMIN_ONLY,
    response=UserResponse, response_description="Pengguna.", path_params=(USER_ID,),
    errors=("401", "403", "404", "409"), token="write")
def deactivate_user(user_id: int) -> Any:
    return _set_active(api_actor(TokenScope.WRITE), user_id, False)


@bp.post("/users/<int:user_id>/activate")
@documented(
    operation_id="activateUser", tag=ACCOUNT, summary="Aktifkan pengguna",
    description="Mengaktifkan kembali akun." + ADMIN_ONLY,
    response=UserResponse, response_description="Pengguna.", path_params=(USER_ID,),
    errors=("401", "403", "404", "409"), token="write")
def activate_user(user_id: int) -> Any:
    return _set_active(api_actor(TokenScope.WRITE), user_id, True)


def _set_active(actor: Actor, user_id: int, active: bool) -> Any:
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    user = services.get_user(user_id)
    services.set_user_active(actor, user, active)
    return envelope(ser.UserSchema().dump(user))


@bp.get("/audit")
@documented(
    operation_id="listAudit", tag=ACCOUNT, summary="Log audit",
    description="Log audit, terbaru lebih dulu, 50 baris per halaman, dengan filter." + ADMIN_ONLY,
    response=AuditList, response_description="Baris log audit.", query=lambda _config: ser.AuditArgs(),
    errors=("401", "403", "422"), token="read", example_query={"action": "dataset."})
def audit_log() -> Any:
    actor = api_actor()
    page = services.parse_page(request.args.get("page"))
    filters = {k: v for k, v in request.args.items() if k != "page"}
    rows, total = services.list_audit(actor, filters, page=page)
    return envelope(ser.AuditEntrySchema(many=True).dump(rows), meta={"total": total, "page": page})
