"""Who may manage organisations, users and read the audit log: admins only, for now."""

from __future__ import annotations

from typing import Any

from satudata.authz import Permission, rule


def is_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_admin", False))


@rule(Permission.ACCOUNTS_ORGANIZATION_MANAGE)
def manage_organizations(actor: Any, obj: Any) -> bool:
    """Admins create and edit organisations."""
    return is_admin(actor)


@rule(Permission.ACCOUNTS_USER_MANAGE)
def manage_users(actor: Any, obj: Any) -> bool:
    """Admins create users and assign roles."""
    return is_admin(actor)


@rule(Permission.ACCOUNTS_AUDIT_READ)
def read_audit(actor: Any, obj: Any) -> bool:
    """Admins read the audit log."""
    return is_admin(actor)


@rule(Permission.ACCOUNTS_SELF_MANAGE)
def manage_self(actor: Any, obj: Any) -> bool:
    """A signed-in user changes their own password and tokens (``obj`` is the user)."""
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "active", False)
                and obj is not None and getattr(obj, "id", None) == getattr(actor, "id", None))
