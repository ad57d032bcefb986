"""Who may do what with data suggestions.

Anyone, without an account, files a suggestion and supports one (``usulan:propose``; the routes
are rate limited and carry a honeypot). The walidata of the suggestion's region (a ``walidata``
membership in the region's government or any organisation above it, as for the Daftar Data)
and admins triage it: accept it into the Daftar Data, point it to a dataset, redirect it to a
PPID request, decline it, merge a duplicate, approve or hide it (``usulan:triage``). Producers
and PPID officers read the public pages like everyone else.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.models import Organization
from satudata.accounts.policy import is_admin
from satudata.authz import Permission, Role, rule
from satudata.review.daftar.policy import is_walidata_over
from satudata.usulan.models import Suggestion


@rule(Permission.USULAN_PROPOSE)
def propose(actor: Any, obj: Any) -> bool:
    """Anyone: a citizen needs no account to ask for data or to support a request."""
    return True


def _region_of(obj: Any) -> Organization | None:
    if isinstance(obj, Suggestion):
        return obj.region
    if isinstance(obj, Organization):
        return obj
    return None


@rule(Permission.USULAN_TRIAGE)
def triage(actor: Any, obj: Any) -> bool:
    """Admins; the walidata of the suggestion's region. Without an object (the triage list):
    any walidata, whose region then bounds what they see."""
    if is_admin(actor):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if obj is None:
        return any(m.role == Role.WALIDATA for m in getattr(actor, "memberships", []))
    return is_walidata_over(actor, _region_of(obj))
