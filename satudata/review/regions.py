"""Where a walidata's region begins and ends.

A walidata holds the ``walidata`` role in a region's government (``pemprov-riau``,
``pemkab-rokan-hilir``) and looks after every organisation below it; the region's walidata
*organisation* (usually Diskominfo, ``Organization.is_walidata``) is what a published dataset
names as its custodian. Both are read from the organisation tree, the same tree
``catalog.policy`` walks for the ``review:dataset:publish`` permission.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from satudata.accounts.models import Organization
from satudata.authz import Role, SystemActor
from satudata.extensions import db
from satudata.generations import CATALOG, ProcessCache


def walidata_of(org: Organization | None) -> Organization | None:
    """The walidata organisation of ``org``'s region: ``org`` itself when it is one, else the
    nearest organisation marked walidata among the children of ``org``'s parent, grandparent,
    ... (Diskominfo sits beside the OPD under the region's government), else None."""
    if org is None:
        return None
    if org.is_walidata:
        return org
    seen: set[int] = {org.id}
    node = org.parent
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.is_walidata:
            return node
        found = next((c for c in sorted(node.children, key=lambda c: c.id) if c.is_walidata), None)
        if found is not None:
            return found
        node = node.parent
    return None


# The organisation tree (parent -> children), read once per process until an organisation
# changes anywhere (satudata/generations.py): every walidata page asks what lies below them.
_trees: ProcessCache[str, dict[int | None, list[int]]] = ProcessCache(CATALOG, size=1)


def _children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in db.session.execute(select(Organization.id, Organization.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    return children


def subtree(roots: set[int]) -> set[int]:
    """``roots`` and every organisation below them (the whole table is small: one region's
    governments and OPD)."""
    children = _trees.get("children", lambda _key: _children()) or {}
    found: set[int] = set()
    todo = list(roots)
    while todo:
        org_id = todo.pop()
        if org_id in found:
            continue
        found.add(org_id)
        todo.extend(children.get(org_id, ()))
    return found


def is_reviewer(actor: Any) -> bool:
    """Whether ``actor`` reviews submissions anywhere: a walidata, an admin, the system."""
    if isinstance(actor, SystemActor):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(getattr(actor, "is_admin", False)) or any(
        m.role == Role.WALIDATA for m in getattr(actor, "memberships", []))


def review_scope(actor: Any) -> set[int] | None:
    """The organisations whose submissions ``actor`` reviews: everything below the
    organisations where they hold the walidata role; None for every organisation (admins, the
    system); an empty set for anyone else."""
    if isinstance(actor, SystemActor) or getattr(actor, "is_admin", False):
        return None
    if not getattr(actor, "is_authenticated", False):
        return set()
    roots = {m.organization_id for m in getattr(actor, "memberships", []) if m.role == Role.WALIDATA}
    return subtree(roots) if roots else set()
