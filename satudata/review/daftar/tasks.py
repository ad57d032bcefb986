"""The Daftar Data's reminders, a periodic job (``jobs.PERIODIC``).

Before a release date: ``DAFTAR_REMINDER_DAYS`` (14 and 3 by default) days ahead, an item still
``due`` (no dataset submitted yet) is mailed about to the producing OPD's producers and the
region's walidata. When several thresholds apply at once (an item added 2 days before its date)
only the nearest is sent. When an item becomes ``late``, one notice goes to the same people (to
the walidata only when the producer had submitted: the review is what is late).

Each reminder is recorded (``DaftarReminder``: item, kind, release date) in the same unit of work
as its mails, so it is sent once; moving an item's release date makes its reminders due again.
Mails go through the accounts outbox, one per person and run, listing every item that concerns
them, in Bahasa Indonesia.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from satudata import jobs
from satudata.accounts.models import Membership, User
from satudata.accounts.services import queue_mail
from satudata.authz import Role
from satudata.extensions import db
from satudata.review.daftar.models import DaftarDataItem, DaftarReminder
from satudata.review.daftar.policy import lineage
from satudata.review.daftar.status import ItemStatus, Standing, local_today, standing
from satudata.security import public_url

LATE = "late"
# An item found late for longer than this (a list imported mid-year, reminders switched on
# late) gets no "late" notice: it became late long ago, and the calendar shows it.
LATE_NOTICE_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Reminder:
    item: DaftarDataItem
    standing: Standing
    kind: str  # before_<N> or late


def reminder_days() -> list[int]:
    """``DAFTAR_REMINDER_DAYS`` as whole days, nearest first (a bad value is a configuration
    error, raised where the operator will see it: the job fails)."""
    raw = current_app.config.get("DAFTAR_REMINDER_DAYS") or ()
    if isinstance(raw, int):
        raw = (raw,)
    return sorted({int(d) for d in raw if int(d) >= 0})


def due_reminders(today: date) -> list[Reminder]:
    """The reminders to send on ``today`` that were not sent before."""
    days = reminder_days()
    horizon = today + timedelta(days=max(days, default=-1))
    items = list(db.session.scalars(
        select(DaftarDataItem)
        .where(DaftarDataItem.release_date >= today - LATE_NOTICE_WINDOW, DaftarDataItem.release_date <= horizon)
        .options(selectinload(DaftarDataItem.organization), selectinload(DaftarDataItem.dataset))
        .order_by(DaftarDataItem.release_date, DaftarDataItem.id)))
    if not items:
        return []
    sent = {(r.item_id, r.kind, r.release_date) for r in db.session.scalars(
        select(DaftarReminder).where(DaftarReminder.item_id.in_([i.id for i in items])))}
    found = []
    for item in items:
        st = standing(item, today)
        if st.status == ItemStatus.DUE:
            ahead = [n for n in days if st.days_left <= n]
            if not ahead:
                continue
            kind = f"before_{ahead[0]}"
        elif st.status == ItemStatus.LATE:
            kind = LATE
        else:
            continue
        if (item.id, kind, item.release_date) not in sent:
            found.append(Reminder(item, st, kind))
    return found


def _people(role: Role, organization_ids: list[int]) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership).where(Membership.role == role, Membership.organization_id.in_(organization_ids),
                                            User.active.is_(True)).distinct().order_by(User.id)))


def recipients(reminder: Reminder) -> list[User]:
    """Who hears about ``reminder``: the OPD's producers (unless the producer already submitted)
    and the walidata of its region."""
    item = reminder.item
    people = _people(Role.WALIDATA, lineage(item.organization))
    if not reminder.standing.submitted:
        people = _people(Role.PRODUSEN, [item.organization_id]) + people
    unique: dict[int, User] = {}
    for user in people:
        unique.setdefault(user.id, user)
    return list(unique.values())


def _day(value: date) -> str:
    return str(format_date(value, "d MMMM yyyy", locale="id"))


def _line(reminder: Reminder) -> str:
    item, st = reminder.item, reminder.standing
    when = _day(item.release_date)
    if st.status == ItemStatus.LATE:
        timing = f"sudah lewat {st.days_late} hari"
        state = ("dataset sudah diajukan dan menunggu pemeriksaan walidata" if st.submitted
                 else "belum ada dataset yang diajukan")
    else:
        timing = "hari ini" if st.days_left == 0 else f"{st.days_left} hari lagi"
        state = "belum ada dataset yang diajukan"
    priority = " [Data Prioritas]" if item.is_priority else ""
    link = public_url(f"/kelola/daftar-data/opd/{item.organization.slug}?tahun={item.year}")
    return (f"- {item.title}{priority}\n  OPD produsen: {item.organization.name}\n"
            f"  Jadwal rilis: {when} ({timing}); {state}.\n  Kalender OPD: {link}\n")


def _mail(user: User, reminders: list[Reminder]) -> tuple[str, str]:
    late = [r for r in reminders if r.kind == LATE]
    soon = [r for r in reminders if r.kind != LATE]
    site = current_app.config["SITE_NAME"]
    if late and not soon:
        subject = f"Daftar Data: {len(late)} data melewati jadwal rilis"
    elif soon and not late:
        subject = f"Pengingat Daftar Data: {len(soon)} data mendekati jadwal rilis"
    else:
        subject = f"Daftar Data: {len(soon)} data mendekati jadwal rilis, {len(late)} terlambat"
    parts = [f"Halo {user.full_name},\n"]
    if soon:
        parts.append("Data berikut dalam Daftar Data mendekati jadwal rilisnya:\n")
        parts += [_line(r) for r in soon]
    if late:
        parts.append("\nData berikut sudah melewati jadwal rilisnya dan belum terbit:\n")
        parts += [_line(r) for r in late]
    parts.append(
        "\nProdusen data: unggah tabelnya, ajukan dataset ke walidata di Kelola data, lalu hubungkan dataset itu "
        "dengan butirnya di kalender OPD. Walidata: periksa dan terbitkan dataset yang sudah diajukan, atau "
        "sepakati jadwal rilis baru di Daftar Data.\n\n"
        f"Email ini dikirim otomatis oleh {site}. Setiap pengingat dikirim sekali; "
        f"kalender rilis publik: {public_url('/kalender-rilis')}\n")
    return subject, "\n".join(parts)


@jobs.job
def send_reminders(today: str | None = None) -> dict[str, Any]:
    """Mail the reminders due today (``today``: an ISO date, for tests and a manual catch-up;
    default: today in the portal's zone) and record each, so none is sent twice."""
    day = date.fromisoformat(today) if today else local_today()
    reminders = due_reminders(day)
    by_person: dict[int, list[Reminder]] = defaultdict(list)
    people: dict[int, User] = {}
    for reminder in reminders:
        targets = recipients(reminder)
        for user in targets:
            people[user.id] = user
            by_person[user.id].append(reminder)
        db.session.add(DaftarReminder(item_id=reminder.item.id, kind=reminder.kind,
                                      release_date=reminder.item.release_date, recipients=len(targets)))
    for user_id, theirs in by_person.items():
        subject, body = _mail(people[user_id], theirs)
        queue_mail(people[user_id].email, subject, body)
    db.session.flush()
    return {"date": day.isoformat(), "reminders": len(reminders), "mails": len(by_person)}
