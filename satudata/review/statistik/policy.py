"""Who may fill in a dataset's BPS statistical metadata.

As for the catalogue's editing, the producers of the dataset's own OPD keep it; the walidata of
the region the OPD belongs to (who checks it with the dataset, and may complete it) and admins
may too. Reading the workspace side needs the dataset's read permission
(``catalog:dataset:read``); the public reads the metadata of published public datasets.

Without an object (the bulk export's entry page): any producer, walidata or admin, whose OPD or
region then bounds which datasets they export. With an organisation: its producers, the
walidata over it, admins.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule
from satudata.catalog.models import Dataset
from satudata.review.daftar.policy import is_producer_of, is_walidata_over


def _org_of(obj: Any) -> Organization | None:
    if isinstance(obj, Dataset):
        return obj.organization
    if isinstance(obj, Organization):
        return obj
    return None


@rule(Permission.REVIEW_STATISTIK_EDIT)
def edit_statistik(actor: Any, obj: Any) -> bool:
    """The dataset's (or organisation's) producers, the walidata of its region, admins."""
    if is_admin(actor):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if obj is None:
        return any(m.role in (Role.PRODUSEN, Role.WALIDATA) for m in getattr(actor, "memberships", []))
    org = _org_of(obj)
    if org is None:
        return False
    if is_producer_of(actor, org) or is_walidata_over(actor, org):
        return True
    # The walidata the dataset names as its custodian (as catalog.policy reads it).
    return isinstance(obj, Dataset) and obj.walidata is not None and is_walidata_over(actor, obj.walidata)
