"""Who may manage the regional data-standards library (the standard Table Schemas).

The library is shared by every region of the portal, so any walidata (whatever their region)
and admins add standards and new versions; everyone, signed in or not, may read them.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule


def is_walidata(actor: Any) -> bool:
    """Whether the actor is walidata of some region (a membership with that role)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return any(m.role == Role.WALIDATA for m in getattr(actor, "memberships", []))


@rule(Permission.VALIDATION_SCHEMA_MANAGE)
def manage_schemas(actor: Any, obj: Any) -> bool:
    """Walidata (of any region) and admins add standard Table Schemas and their versions."""
    return is_admin(actor) or is_walidata(actor)
