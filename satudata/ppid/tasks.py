"""PPID jobs: reminding the officers of the requests they hold, and forgetting applicants when
the retention period ends.

``send_reminders`` (hourly, ``jobs.PERIODIC``) mails the officers handling each open request on
working days 7 and 10 of its notice period and on the last day of an extension
(``deadlines.reminder_dates``); each date is recorded on the request and reminded once, and a
request whose reminders were missed (the scheduler was down) gets one mail for the latest. When
the calendar changes, the reminders not sent yet come on the new days and those sent are not
sent again (``calendar.recompute_deadlines``).
Reminders never change a request: missing the deadline is shown as late, never a refusal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import Membership, User
from satudata.accounts.services import queue_mail
from satudata.authz import Role
from satudata.extensions import db
from satudata.ppid import deadlines, retention, services
from satudata.ppid.models import OPEN_STATES, InformationRequest
from satudata.ppid.policy import government_of
from satudata.security import public_url


def officers_of(request: InformationRequest) -> list[User]:
    """The active officers who handle ``request``: its OPD's PPID Pelaksana and the PPID Utama of
    its government."""
    governments = {government_of(request.handler).id, government_of(request.filed_with).id}
    found: dict[int, User] = {}
    for m in db.session.scalars(select(Membership).where(Membership.role.in_([Role.PPID_PELAKSANA, Role.PPID_UTAMA]))):
        user = m.user
        if not user.active or not user.email:
            continue
        if (m.role == Role.PPID_PELAKSANA and m.organization_id == request.handler_id) or (
                m.role == Role.PPID_UTAMA and government_of(m.organization).id in governments):
            found[user.id] = user
    return list(found.values())


@jobs.job
def send_reminders(today: str | None = None) -> dict[str, Any]:
    """Mail today's reminders (``today``: an ISO date, for tests and a manual catch-up)."""
    day = date.fromisoformat(today) if today else services.today()
    cal = services.calendar()
    due: dict[int, list[tuple[InformationRequest, date]]] = defaultdict(list)
    people: dict[int, User] = {}
    count = 0
    for request in db.session.scalars(select(InformationRequest).where(
            InformationRequest.state.in_(list(OPEN_STATES))).order_by(InformationRequest.due_on)):
        # Reminders go out in the order of the reminder days, so those sent are the first ones,
        # counted rather than matched by date: a calendar change moves the days (and
        # ``calendar.recompute_deadlines`` rewrites the dates), never what was already sent.
        reminder_days = deadlines.reminder_dates(cal, request.received_on, request.extension_days)
        reminded = len(set(request.reminders_sent or []))
        owed = [d for d in reminder_days[reminded:] if d <= day]
        if not owed:
            continue
        request.reminders_sent = [d.isoformat() for d in reminder_days[:reminded + len(owed)]]
        count += 1
        for user in officers_of(request):
            people[user.id] = user
            due[user.id].append((request, owed[-1]))
    for user_id, items in due.items():
        lines = []
        for request, _ in items:
            clock = services.clock_of(request, day, cal)
            lines.append(f"- {request.number} ({request.handler.name}): hari kerja ke-{clock.day} dari {clock.of}, "
                         f"batas {deadlines.long_date(request.due_on, weekday=True)}"
                         f"{' — TERLAMBAT' if clock.late else ''}\n  {public_url('/kelola/ppid/' + request.number)}")
        queue_mail(people[user_id].email, f"Pengingat PPID: {len(items)} permohonan mendekati batas waktu",
                   f"Yth. {people[user_id].full_name or people[user_id].username},\n\n"
                   "Permohonan informasi berikut belum diberi pemberitahuan tertulis:\n\n" + "\n".join(lines)
                   + "\n\nMenurut UU 14/2008 Pasal 22, pemberitahuan tertulis paling lambat 10 hari kerja sejak "
                     "permohonan diterima, dan dapat diperpanjang sekali paling lama 7 hari kerja dengan alasan "
                     "tertulis.\n")
    db.session.flush()
    return {"date": day.isoformat(), "requests": count, "mails": len(due)}


@jobs.job
def purge_personal_data(today: str | None = None) -> dict[str, Any]:
    """Blank the personal data of finished requests past ``PPID_RETENTION_DAYS`` (daily,
    ``jobs.PERIODIC``; ``retention.purge_personal_data``)."""
    purged = retention.purge_personal_data(date.fromisoformat(today) if today else None)
    return {"purged": len(purged), "numbers": purged}
