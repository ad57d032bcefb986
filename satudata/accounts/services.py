"""Account services: organisations, users, memberships, passwords, and the audit log."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import has_request_context, request
from sqlalchemy import func, select

from satudata.accounts.models import AuditLog, Membership, Organization, OrganizationKind, User
from satudata.authz import Actor, Permission, Role, actor_label, require
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db

_hasher = PasswordHasher()


def audit(actor: Actor, action: str, obj_type: str, obj_id: Any, summary: dict[str, Any] | None = None) -> None:
    """Record a mutating action in the audit log (same transaction as the change)."""
    ip = request.remote_addr if has_request_context() else None
    db.session.add(
        AuditLog(
            actor_id=getattr(actor, "id", None),
            actor_label=actor_label(actor),
            action=action,
            object_type=obj_type,
            object_id=str(obj_id),
            summary=summary or {},
            ip=ip,
        )
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_organization(slug: str) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        raise NotFound(f"Organisasi '{slug}' tidak ditemukan.")
    return org


def list_organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


def create_organization(
    actor: Actor,
    *,
    slug: str,
    name: str,
    kind: OrganizationKind | str,
    kode_wilayah: str | None = None,
    parent: Organization | None = None,
    **fields: Any,
) -> Organization:
    """Create an organisation (a region's government or an OPD)."""
    require(actor, Permission.ACCOUNTS_ORGANIZATION_MANAGE)
    kind_value = OrganizationKind.parse(kind)
    if kind_value is None:
        raise Invalid("Jenis organisasi tidak dikenal.", details={"kind": [f"Pilih salah satu: {', '.join(OrganizationKind.values())}"]})
    if db.session.scalar(select(func.count()).select_from(Organization).where(Organization.slug == slug)):
        raise Conflict(f"Organisasi dengan slug '{slug}' sudah ada.")
    org = Organization(slug=slug, name=name, kind=kind_value, kode_wilayah=kode_wilayah, parent=parent, **fields)
    db.session.add(org)
    db.session.flush()
    audit(actor, "organization.create", "organization", org.id, {"slug": slug, "name": name})
    return org


def create_user(
    actor: Actor,
    *,
    username: str,
    email: str,
    full_name: str,
    password: str | None = None,
    roles: list[tuple[Role | str, Organization]] | None = None,
) -> User:
    """Create a staff user, optionally with roles in organisations."""
    require(actor, Permission.ACCOUNTS_USER_MANAGE)
    exists = db.session.scalar(
        select(func.count()).select_from(User).where((User.username == username) | (User.email == email))
    )
    if exists:
        raise Conflict("Nama pengguna atau email sudah terdaftar.")
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    for role, org in roles or []:
        role_value = Role.parse(role)
        if role_value is None:
            raise Invalid(f"Peran '{role}' tidak dikenal.", details={"role": [f"Pilih salah satu: {', '.join(Role.values())}"]})
        user.memberships.append(Membership(role=role_value, organization=org))
    db.session.flush()
    audit(actor, "user.create", "user", user.id, {"username": username, "roles": [str(r) for r, _ in roles or []]})
    return user
