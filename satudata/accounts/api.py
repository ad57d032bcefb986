"""Account endpoints of the REST API (``/api/v1``), authenticated by API tokens.

Token authentication works only here, under ``/api/``: a bearer token never signs anyone in to
the HTML site, and a session cookie never authorises an API write (so the API needs no CSRF
token). Writes need a token with the ``write`` scope.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request

from satudata.accounts import serializers as ser
from satudata.accounts import services
from satudata.accounts.models import ApiToken, AuditLog, Membership, Organization, TokenScope, User
from satudata.authz import Actor, AnonymousActor, Permission, require
from satudata.errors import Forbidden, Invalid, Unauthenticated
from satudata.extensions import db

bp = Blueprint("accounts_api", __name__, url_prefix="/api/v1")


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


def _json() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("Badan permintaan harus objek JSON (Content-Type: application/json).")
    return data


def user_dict(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "full_name": user.full_name,
        "active": user.active,
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        "roles": [membership_dict(m) for m in user.memberships],
    }


def membership_dict(m: Membership) -> dict[str, Any]:
    return {"id": m.id, "role": str(m.role), "organization": m.organization.slug}


def token_dict(t: ApiToken) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "prefix": t.prefix, "scope": str(t.scope),
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked": t.revoked_at is not None}


def org_dict(o: Organization) -> dict[str, Any]:
    return {"slug": o.slug, "name": o.name, "acronym": o.acronym, "kind": str(o.kind),
            "kode_wilayah": o.kode_wilayah, "parent": o.parent.slug if o.parent else None,
            "is_walidata": o.is_walidata, "email": o.email, "phone": o.phone, "website": o.website}


@bp.get("/me")
def me() -> Any:
    user = api_actor()
    return jsonify({"data": user_dict(user)})  # type: ignore[arg-type]


@bp.get("/tokens")
def tokens() -> Any:
    user = api_actor()
    return jsonify({"data": [token_dict(t) for t in services.list_user_tokens(user)]})  # type: ignore[arg-type]


@bp.delete("/tokens/<int:token_id>")
def revoke_token(token_id: int) -> Any:
    user = api_actor(TokenScope.WRITE)
    token = services.get_user_token(user, token_id)  # type: ignore[arg-type]
    services.revoke_api_token(user, token)
    db.session.commit()
    return jsonify({"data": token_dict(token)})


@bp.post("/organizations")
def create_organization() -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    data = ser.load_form(ser.OrganizationSchema(), _json())
    if not data.get("slug"):
        raise Invalid("slug wajib diisi.", details={"slug": ["Wajib diisi."]})
    parent_slug = data.pop("parent", None)
    parent = services.get_organization(str(parent_slug)) if parent_slug else None
    org = services.create_organization(actor, parent=parent, **data)  # type: ignore[arg-type]
    db.session.commit()
    return jsonify({"data": org_dict(org)}), 201


@bp.patch("/organizations/<slug>")
def update_organization(slug: str) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    org = services.get_organization(slug)
    body = _json()
    merged = {**org_dict(org), **body}
    merged.pop("slug", None)
    data = ser.load_form(ser.OrganizationSchema(), merged)
    parent_slug = data.pop("parent", None)
    parent = services.get_organization(str(parent_slug)) if parent_slug else None
    services.update_organization(actor, org, parent=parent, **data)
    db.session.commit()
    return jsonify({"data": org_dict(org)})


@bp.get("/users")
def users() -> Any:
    actor = api_actor()
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    return jsonify({"data": [user_dict(u) for u in services.list_users()]})


@bp.post("/users")
def create_user() -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    data = ser.load_form(ser.UserCreateSchema(), _json())
    roles = []
    if data.get("role"):
        roles.append((str(data["role"]), services.get_organization(str(data["organization"]))))
    if data.get("password"):
        services.check_password_rules(None, str(data["password"]))
    user = services.create_user(actor, username=str(data["username"]), email=str(data["email"]).lower(),
                                full_name=str(data["full_name"]),
                                password=str(data["password"]) if data.get("password") else None, roles=roles)
    db.session.commit()
    return jsonify({"data": user_dict(user)}), 201


@bp.post("/users/<int:user_id>/roles")
def add_role(user_id: int) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    data = ser.load_form(ser.RoleAssignSchema(), _json())
    user = services.get_user(user_id)
    services.assign_role(actor, user, str(data["role"]), services.get_organization(str(data["organization"])))
    db.session.commit()
    return jsonify({"data": user_dict(user)}), 201


@bp.delete("/users/<int:user_id>/roles/<int:membership_id>")
def remove_role(user_id: int, membership_id: int) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    membership = services.get_membership(user_id, membership_id)
    services.remove_role(actor, membership)
    db.session.commit()
    return jsonify({"data": user_dict(services.get_user(user_id))})


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    user = services.get_user(user_id)
    services.set_user_active(actor, user, False)
    db.session.commit()
    return jsonify({"data": user_dict(user)})


@bp.post("/users/<int:user_id>/activate")
def activate_user(user_id: int) -> Any:
    actor = api_actor(TokenScope.WRITE)
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    user = services.get_user(user_id)
    services.set_user_active(actor, user, True)
    db.session.commit()
    return jsonify({"data": user_dict(user)})


def audit_dict(row: AuditLog) -> dict[str, Any]:
    return {"id": row.id, "at": row.at.isoformat(), "actor": row.actor_label, "action": row.action,
            "object_type": row.object_type, "object_id": row.object_id, "summary": row.summary, "ip": row.ip}


@bp.get("/audit")
def audit_log() -> Any:
    actor = api_actor()
    page = services.parse_page(request.args.get("page"))
    filters = {k: v for k, v in request.args.items() if k != "page"}
    rows, total = services.list_audit(actor, filters, page=page)
    return jsonify({"data": [audit_dict(r) for r in rows], "meta": {"total": total, "page": page}})
