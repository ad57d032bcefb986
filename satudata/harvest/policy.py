"""Who may manage harvest sources, run them and read their results: the walidata of the
source's region (over its owner organisation) and admins; the CLI and the scheduler act as a
``SystemActor``."""

from __future__ import annotations

from typing import Any

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule


def _lineage(org: Organization | None) -> set[int]:
    ids: set[int] = set()
    while org is not None and org.id not in ids:
        ids.add(org.id)
        org = org.parent
    return ids


@rule(Permission.HARVEST_SOURCE_MANAGE)
def manage_sources(actor: Any, obj: Any) -> bool:
    """``obj``: the organisation owning the source; None asks "any source at all" (the menu)."""
    if is_admin(actor):
        return True
    walidata = [m for m in getattr(actor, "memberships", []) if m.role == Role.WALIDATA]
    if obj is None:
        return bool(walidata)
    if not isinstance(obj, Organization):
        return False
    from satudata.review.regions import walidata_of

    custodian = walidata_of(obj)
    lineage = _lineage(obj) | ({custodian.id} if custodian is not None else set())
    return any(m.organization_id in lineage for m in walidata)
