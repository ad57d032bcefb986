"""Forgetting applicants (UU PDP): when a finished request's retention period ends, its
applicant's personal data is blanked; the register keeps the request, its dates and outcome.
``tasks.purge_personal_data`` runs it daily."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, update

from satudata.accounts.services import audit
from satudata.authz import SystemActor
from satudata.db import utcnow
from satudata.extensions import db
from satudata.ppid import identity
from satudata.ppid.models import (
    OPEN_STATES,
    PURGED_NAME,
    InformationRequest,
    Notice,
    ObjectionState,
    RequestEvent,
)
from satudata.ppid.services import today


def purge_personal_data(on: date | None = None) -> list[str]:
    """Blank the personal data of every finished request whose last event is older than
    ``PPID_RETENTION_DAYS``: name, identity number and scan, contact, the objector's proxy, and the
    bytes of the notices addressed to the applicant (their number and digest stay, so a printed
    copy can still be verified). The number, dates, request text (NIK-like numbers masked) and
    outcome stay for the register and the statistics. A request with an objection still open, or
    with a dispute recorded at the Komisi Informasi (whose end the portal does not record), is kept.
    Returns the numbers purged; one audit entry per request."""
    day = on or today()
    cutoff = datetime.combine(day - timedelta(days=int(current_app.config["PPID_RETENTION_DAYS"])),
                              datetime.min.time(), tzinfo=ZoneInfo("UTC"))
    last_event = (select(RequestEvent.request_id, func.max(RequestEvent.created_at).label("last"))
                  .group_by(RequestEvent.request_id).subquery())
    candidates = db.session.scalars(
        select(InformationRequest).join(last_event, last_event.c.request_id == InformationRequest.id)
        .where(InformationRequest.personal_data_purged_at.is_(None),
               InformationRequest.state.not_in(list(OPEN_STATES)), last_event.c.last < cutoff)
        .order_by(InformationRequest.id)).all()
    actor = SystemActor(name="ppid-retensi")
    purged: list[str] = []
    for request in candidates:
        if any(o.state == ObjectionState.REGISTERED or o.dispute for o in request.objections):
            continue
        request.name = PURGED_NAME
        request.identity_encrypted = None
        request.identity_scan = None
        request.identity_scan_type = request.identity_scan_name = ""
        request.email = request.phone = request.address = request.occupation = ""
        request.information = identity.mask_numbers(request.information)
        request.purpose = identity.mask_numbers(request.purpose)
        request.personal_data_purged_at = utcnow()
        for objection in request.objections:
            objection.proxy_name = objection.proxy_letter = ""
            objection.case_summary = identity.mask_numbers(objection.case_summary)
        db.session.execute(update(Notice).where(Notice.request_id == request.id).values(pdf=b""))
        audit(actor, "ppid.personal_data_purge", "ppid_request", request.id, {"number": request.number})
        purged.append(request.number)
    db.session.flush()
    return purged


