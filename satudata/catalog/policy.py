"""Who may create, edit, read and publish datasets.

Producers act only for their own OPD; walidata act for their region (their organisation and
everything below it), and for datasets that name an organisation of their region as walidata
(the custodian: what the review queue shows them); admins may do everything.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule
from satudata.catalog.models import Dataset


def _lineage(org: Organization | None) -> list[int]:
    ids: list[int] = []
    while org is not None and org.id not in ids:
        ids.append(org.id)
        org = org.parent
    return ids


def _roles_over(actor: Any, org: Organization | None) -> set[Role]:
    """Roles the actor holds in ``org`` or any organisation above it."""
    if not getattr(actor, "is_authenticated", False) or org is None:
        return set()
    lineage = set(_lineage(org))
    return {m.role for m in getattr(actor, "memberships", []) if m.organization_id in lineage}


def _org_of(obj: Any) -> Organization | None:
    if isinstance(obj, Dataset):
        return obj.organization
    if isinstance(obj, Organization):
        return obj
    return None


@rule(Permission.CATALOG_DATASET_CREATE)
def create_dataset(actor: Any, obj: Any) -> bool:
    """Producers of the OPD (``obj`` is the organisation), and admins."""
    if is_admin(actor):
        return True
    org = _org_of(obj)
    return org is not None and Role.PRODUSEN in getattr(actor, "roles_in", lambda _: set())(org.id)


@rule(Permission.CATALOG_DATASET_EDIT)
def edit_dataset(actor: Any, obj: Any) -> bool:
    """Producers of the dataset's own OPD, and admins."""
    if is_admin(actor):
        return True
    org = _org_of(obj)
    return org is not None and Role.PRODUSEN in getattr(actor, "roles_in", lambda _: set())(org.id)


def _walidata_of_custodian(actor: Any, obj: Any) -> bool:
    """The actor is walidata over the organisation ``obj`` (a dataset) names as its walidata."""
    return isinstance(obj, Dataset) and Role.WALIDATA in _roles_over(actor, obj.walidata)


@rule(Permission.CATALOG_DATASET_READ)
def read_dataset(actor: Any, obj: Any) -> bool:
    """Anyone reads public datasets; unpublished ones only their OPD, their walidata, admins."""
    if isinstance(obj, Dataset) and obj.is_public:
        return True
    if is_admin(actor):
        return True
    return bool(_roles_over(actor, _org_of(obj)) & {Role.PRODUSEN, Role.WALIDATA}) or _walidata_of_custodian(actor, obj)


@rule(Permission.CATALOG_RESOURCE_DOWNLOAD)
def download_resource(actor: Any, obj: Any) -> bool:
    """Downloads follow the dataset's access class (rules/SATU_DATA.md)."""
    dataset = getattr(obj, "dataset", obj)
    return read_dataset(actor, dataset)


@rule(Permission.CATALOG_TOPIC_MANAGE)
def manage_topics(actor: Any, obj: Any) -> bool:
    """Walidata and admins curate topics."""
    return is_admin(actor) or any(m.role == Role.WALIDATA for m in getattr(actor, "memberships", []))


@rule(Permission.REVIEW_DATASET_PUBLISH)
def publish_dataset(actor: Any, obj: Any) -> bool:
    """The walidata of the dataset's region (over its OPD, or over the walidata organisation the
    dataset names), and admins."""
    if is_admin(actor):
        return True
    return Role.WALIDATA in _roles_over(actor, _org_of(obj)) or _walidata_of_custodian(actor, obj)


@rule(Permission.REVIEW_DATASET_SUBMIT)
def submit_dataset(actor: Any, obj: Any) -> bool:
    """Producers of the dataset's OPD submit (and retract) it for review; admins too."""
    return edit_dataset(actor, obj)
