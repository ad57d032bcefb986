"""Who may keep the Daftar Data and read its internal side.

The walidata of a region (a ``walidata`` membership in the item's OPD or any organisation above
it, as for publishing) and admins keep the list: add, edit, delete, import, and name the
dataset that fulfils an item. A producer names their own OPD's dataset for their own OPD's
item, and reads their OPD's calendar. The public calendar and the API need no permission:
they show planned releases without the internal notes.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule
from satudata.review.daftar.models import DaftarDataItem


def lineage(org: Organization | None) -> list[int]:
    """``org`` and every organisation above it, nearest first."""
    ids: list[int] = []
    while org is not None and org.id not in ids:
        ids.append(org.id)
        org = org.parent
    return ids


def _org_of(obj: Any) -> Organization | None:
    if isinstance(obj, DaftarDataItem):
        return obj.organization
    if isinstance(obj, Organization):
        return obj
    return None


def _memberships(actor: Any) -> list[Any]:
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(getattr(actor, "memberships", []))


def is_walidata_over(actor: Any, org: Organization | None) -> bool:
    """Whether ``actor`` is walidata of the region ``org`` belongs to."""
    above = set(lineage(org))
    return any(m.role == Role.WALIDATA and m.organization_id in above for m in _memberships(actor))


def is_producer_of(actor: Any, org: Organization | None) -> bool:
    return org is not None and any(m.role == Role.PRODUSEN and m.organization_id == org.id
                                   for m in _memberships(actor))


@rule(Permission.REVIEW_DAFTAR_MANAGE)
def manage_daftar(actor: Any, obj: Any) -> bool:
    """Admins; the walidata of the item's (or organisation's) region. Without an object (the
    list page, the import, the export): any walidata, whose region then bounds what they see."""
    if is_admin(actor):
        return True
    if obj is None:
        return any(m.role == Role.WALIDATA for m in _memberships(actor))
    return is_walidata_over(actor, _org_of(obj))


@rule(Permission.REVIEW_DAFTAR_LINK)
def link_dataset(actor: Any, obj: Any) -> bool:
    """Whoever manages the item, and the producers of the item's OPD."""
    return manage_daftar(actor, obj) or (obj is not None and is_producer_of(actor, _org_of(obj)))


@rule(Permission.REVIEW_DAFTAR_READ)
def read_daftar(actor: Any, obj: Any) -> bool:
    """The internal side (notes, the per-OPD calendar with its link forms): the region's
    walidata, the OPD's producers, admins. Without an object: any producer or walidata."""
    if is_admin(actor):
        return True
    if obj is None:
        return any(m.role in (Role.WALIDATA, Role.PRODUSEN) for m in _memberships(actor))
    return is_walidata_over(actor, _org_of(obj)) or is_producer_of(actor, _org_of(obj))
