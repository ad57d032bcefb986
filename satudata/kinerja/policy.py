"""Who may read the internal performance dashboard (``/kelola/kinerja``) and its export.

- **Admins**: every OPD.
- **Walidata**: the OPD of their region (a ``walidata`` membership in the OPD's government or
  any organisation above it, as for the Daftar Data: ``review.daftar.policy.is_walidata_over``).
  A walidata of another region is refused an OPD's page and does not see it in the list.
- **Atasan PPID**: the leadership the issue asks for. The Atasan PPID is the region's
  Sekretaris Daerah (or whoever the head of the region appointed), the one leadership role the
  portal knows; they read the figures of every OPD of the region their organisation belongs to
  (``services.readable_scope``), and nothing else of the walidata's work.

Producers, PPID officers and citizens read the public summary (``/kinerja``), which needs no
permission: counts and rates only, no internal notes and no names.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule
from satudata.review.daftar.policy import is_walidata_over, lineage

READERS = (Role.WALIDATA, Role.ATASAN_PPID)


def _memberships(actor: Any) -> list[Any]:
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(getattr(actor, "memberships", []) or [])


def is_atasan_over(actor: Any, org: Organization | None) -> bool:
    """Whether ``actor`` is Atasan PPID in the region ``org`` belongs to: their organisation's
    government (or the organisation itself) is ``org`` or above it."""
    from satudata.kinerja.services import region_of

    above = set(lineage(org))
    for m in _memberships(actor):
        if m.role != Role.ATASAN_PPID or m.organization is None:
            continue
        region = region_of(m.organization)
        if (region.id if region is not None else m.organization_id) in above:
            return True
    return False


@rule(Permission.KINERJA_READ)
def read_kinerja(actor: Any, obj: Any) -> bool:
    """Admins; the walidata and the Atasan PPID of the OPD's region. Without an object (the
    dashboard, the export): any walidata or Atasan PPID, whose region then bounds what they see."""
    if is_admin(actor):
        return True
    if obj is None:
        return any(m.role in READERS for m in _memberships(actor))
    org = obj if isinstance(obj, Organization) else None
    return is_walidata_over(actor, org) or is_atasan_over(actor, org)
