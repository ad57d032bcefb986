"""Authorization: the Permission enum, the actor types, and ``require()``.

Every mutating service starts with ``require(actor, Permission.X, obj)``. Each domain's
``policy.py`` registers one predicate per permission it owns with ``@rule(Permission.X)``;
a permission with no registered predicate is refused (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from satudata.db import StrEnum
from satudata.errors import Forbidden


class Permission(StrEnum):
    # accounts
    ACCOUNTS_ORGANIZATION_MANAGE = "accounts:organization:manage"
    ACCOUNTS_USER_MANAGE = "accounts:user:manage"
    ACCOUNTS_AUDIT_READ = "accounts:audit:read"
    ACCOUNTS_SELF_MANAGE = "accounts:self:manage"  # own password and API tokens
    # catalog
    CATALOG_DATASET_CREATE = "catalog:dataset:create"
    CATALOG_DATASET_EDIT = "catalog:dataset:edit"
    CATALOG_DATASET_READ = "catalog:dataset:read"
    CATALOG_RESOURCE_DOWNLOAD = "catalog:resource:download"
    CATALOG_TOPIC_MANAGE = "catalog:topic:manage"
    # review
    REVIEW_DATASET_PUBLISH = "review:dataset:publish"
    REVIEW_DATASET_SUBMIT = "review:dataset:submit"
    VALIDATION_SCHEMA_MANAGE = "validation:schema:manage"  # the standard Table Schema library
    # the yearly Daftar Data and its release calendar (review/daftar)
    REVIEW_DAFTAR_MANAGE = "review:daftar:manage"  # add, edit, delete, import items
    REVIEW_DAFTAR_LINK = "review:daftar:link"  # name the dataset that fulfils an item
    REVIEW_DAFTAR_READ = "review:daftar:read"  # the internal list (notes) and per-OPD calendar
    # BPS statistical metadata of a dataset (review/statistik)
    REVIEW_STATISTIK_EDIT = "review:statistik:edit"  # fill MS-Keg / MS-Var / MS-Ind: the dataset's producers, walidata
    # ppid: public information requests
    HARVEST_SOURCE_MANAGE = "harvest:source:manage"  # sources, their runs and results: the region's walidata, admins

    PPID_REQUEST_FILE = "ppid:request:file"  # anyone, without an account (UU 14/2008 Pasal 22)
    PPID_REQUEST_HANDLE = "ppid:request:handle"  # the PPID officers of the request's PPID
    PPID_REQUEST_WITHDRAW = "ppid:request:withdraw"  # its applicant (by the tracking code) or its officers
    PPID_CALENDAR_MANAGE = "ppid:calendar:manage"  # holiday overrides
    PPID_DIP_MANAGE = "ppid:dip:manage"  # the DIP lines of an organisation: its PPID Pelaksana, the PPID Utama
    PPID_OBJECTION_DECIDE = "ppid:objection:decide"  # the Atasan PPID of the request's government
    PPID_OBJECTION_WITHDRAW = "ppid:objection:withdraw"  # its objector (by the tracking code) or the Atasan PPID
    PPID_REPORT_WRITE = "ppid:report:write"  # the written parts of a PPID's annual report: its officers, an admin
    # data suggestions (usulan)
    USULAN_PROPOSE = "usulan:propose"  # file a suggestion or support one: anyone, without an account
    USULAN_TRIAGE = "usulan:triage"  # accept, point, redirect, decline, merge, moderate: the region's walidata, admins
    # Satu Data performance per OPD (kinerja)
    KINERJA_READ = "kinerja:read"  # the internal dashboard and its export: walidata, Atasan PPID (region), admins


class Role(StrEnum):
    PRODUSEN = "produsen"
    WALIDATA = "walidata"
    PPID_PELAKSANA = "ppid_pelaksana"
    PPID_UTAMA = "ppid_utama"
    ATASAN_PPID = "atasan_ppid"
    ADMIN = "admin"


@dataclass(frozen=True)
class SystemActor:
    """A process acting on its own authority: the CLI, demo loader, scheduled jobs."""

    name: str = "system"
    id: None = None
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def label(self) -> str:
        return f"system:{self.name}"


@dataclass(frozen=True)
class AnonymousActor:
    """A citizen without an account."""

    id: None = None
    is_authenticated: bool = False
    is_anonymous: bool = True
    label: str = "anonymous"

    # Flask-Login asks these of its anonymous user.
    is_active: bool = False

    def get_id(self) -> None:
        return None


class UserActor(Protocol):
    """A signed-in person (``accounts.models.User`` is the one implementation; the kernel names
    the shape, not the class, because it imports no domain)."""

    id: Any

    @property
    def is_authenticated(self) -> bool: ...


Actor = UserActor | SystemActor | AnonymousActor

Predicate = Callable[[Any, Any], bool]
_RULES: dict[Permission, Predicate] = {}


def rule(permission: Permission) -> Callable[[Predicate], Predicate]:
    """Register the predicate that decides ``permission`` (one per permission)."""

    def deco(fn: Predicate) -> Predicate:
        if permission in _RULES and _RULES[permission] is not fn:
            raise RuntimeError(f"two predicates registered for {permission}")
        _RULES[permission] = fn
        return fn

    return deco


def can(actor: Actor, permission: Permission, obj: Any = None) -> bool:
    if isinstance(actor, SystemActor):
        return True
    predicate = _RULES.get(permission)
    if predicate is None:
        return False
    return bool(predicate(actor, obj))


def require(actor: Actor, permission: Permission, obj: Any = None) -> None:
    """Raise ``Forbidden`` unless ``actor`` holds ``permission`` on ``obj``."""
    if not can(actor, permission, obj):
        raise Forbidden(f"Tidak diizinkan: {permission.value}")


def actor_label(actor: Actor) -> str:
    label = getattr(actor, "label", None)
    if isinstance(label, str):
        return label
    return f"user:{getattr(actor, 'username', getattr(actor, 'id', '?'))}"
