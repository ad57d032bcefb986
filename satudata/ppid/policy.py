"""Who may do what with information requests.

- Anyone files a request; no account is needed (Pasal 22).
- The PPID Pelaksana of the OPD handling a request handles it; the PPID Utama of that government
  (the OPD's province, kabupaten or kota) handles every request of its government, routes them,
  and keeps the calendar. Admins are not PPID officers: they act on requests only as one.
- The applicant, proven by the tracking code (:class:`ApplicantActor`), withdraws their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from satudata.authz import Permission, Role, rule


@dataclass
class ApplicantActor:
    """The applicant of one request, who proved it with the request's tracking code."""

    request_id: int
    number: str
    id: None = None
    is_authenticated: bool = False
    is_anonymous: bool = True

    @property
    def label(self) -> str:
        return f"pemohon:{self.number}"


def government_of(org: Any) -> Any:
    """The province, kabupaten or kota an organisation belongs to (itself when it has no parent)."""
    seen = set()
    while org is not None and getattr(org, "parent", None) is not None and org.id not in seen:
        seen.add(org.id)
        org = org.parent
    return org


def _memberships(actor: Any, role: Role) -> list[Any]:
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "active", True):
        return []
    return [m for m in getattr(actor, "memberships", []) if m.role == role]


def handles(actor: Any, request: Any) -> bool:
    """Whether ``actor`` is a PPID officer of ``request``."""
    if request is None:
        return False
    if any(m.organization_id == request.handler_id for m in _memberships(actor, Role.PPID_PELAKSANA)):
        return True
    governments = {government_of(request.handler).id, government_of(request.filed_with).id}
    return any(m.organization_id == request.filed_with_id or government_of(m.organization).id in governments
               for m in _memberships(actor, Role.PPID_UTAMA))


def decides_objection(actor: Any, objection: Any) -> bool:
    """Whether ``actor`` is the Atasan PPID of the objection's request's government."""
    if objection is None:
        return False
    request = objection.request
    governments = {government_of(request.handler).id, government_of(request.filed_with).id}
    return any(government_of(m.organization).id in governments for m in _memberships(actor, Role.ATASAN_PPID))


def is_atasan(actor: Any) -> bool:
    return bool(_memberships(actor, Role.ATASAN_PPID))


def is_officer(actor: Any) -> bool:
    """Whether ``actor`` is a PPID officer anywhere (the inbox is theirs)."""
    return bool(_memberships(actor, Role.PPID_PELAKSANA) or _memberships(actor, Role.PPID_UTAMA))


@rule(Permission.PPID_REQUEST_FILE)
def file_request(actor: Any, obj: Any) -> bool:
    """Anyone may file a request (the law asks for identity, not an account)."""
    return True


@rule(Permission.PPID_REQUEST_HANDLE)
def handle_request(actor: Any, obj: Any) -> bool:
    return handles(actor, obj)


@rule(Permission.PPID_REQUEST_WITHDRAW)
def withdraw_request(actor: Any, obj: Any) -> bool:
    if isinstance(actor, ApplicantActor):
        return obj is not None and actor.request_id == obj.id
    return handles(actor, obj)  # an officer records a withdrawal made by letter or in person


@rule(Permission.PPID_CALENDAR_MANAGE)
def manage_calendar(actor: Any, obj: Any) -> bool:
    return bool(_memberships(actor, Role.PPID_UTAMA) or getattr(actor, "is_admin", False))


@rule(Permission.PPID_OBJECTION_DECIDE)
def decide_objection(actor: Any, obj: Any) -> bool:
    return decides_objection(actor, obj)


@rule(Permission.PPID_OBJECTION_WITHDRAW)
def withdraw_objection(actor: Any, obj: Any) -> bool:
    if isinstance(actor, ApplicantActor):
        return obj is not None and actor.request_id == obj.request_id
    return decides_objection(actor, obj)


@rule(Permission.PPID_DIP_MANAGE)
def manage_dip(actor: Any, org: Any) -> bool:
    """``org``: the organisation holding the information (None: any, to open the page)."""
    if org is None:
        return is_officer(actor)
    if any(m.organization_id == org.id for m in _memberships(actor, Role.PPID_PELAKSANA)):
        return True
    return any(government_of(m.organization).id == government_of(org).id for m in _memberships(actor, Role.PPID_UTAMA))


@rule(Permission.PPID_REPORT_WRITE)
def write_report(actor: Any, org: Any) -> bool:
    """The written parts of the annual report of the PPID of ``org`` (Perki SLIP 1/2021): its own
    officers (the PPID Utama's for the PPID Utama's organisation, a PPID Pelaksana's for their
    OPD), or an admin for any. ``org`` None: any, to open the page."""
    if getattr(actor, "is_authenticated", False) and getattr(actor, "active", True) \
            and getattr(actor, "is_admin", False):
        return True
    officers = _memberships(actor, Role.PPID_UTAMA) + _memberships(actor, Role.PPID_PELAKSANA)
    return bool(officers) if org is None else any(m.organization_id == org.id for m in officers)
