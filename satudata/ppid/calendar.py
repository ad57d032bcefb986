"""The working-day calendar as the PPID Utama (or an admin) keeps it, and what a change does.

The clock of UU 14/2008 counts working days: Monday to Friday minus the national holidays and
the cuti bersama of the ``holidays`` package (``deadlines``), corrected by the overrides kept
here (:class:`~satudata.ppid.models.HolidayOverride`): a day off the national list does not
know (a regional closure, "Libur daerah HUT Kabupaten"), or a listed holiday that is a working
day after all (a cuti bersama withdrawn by a revised decree), each with its name or reason.

Every change is audited and, in the same unit of work, **recomputes every open deadline**
(:func:`recompute_deadlines`): the written notice of each request still on the clock
(``OPEN_STATES``: counted again from its day 0 with the same period, ``deadlines.request_due``,
the rule the filing and the extension use) and the answer to each registered keberatan (30
working days from its registration). Decided and closed requests keep their history: their
dates are never touched. ``satudata ppid recompute`` runs the same after the package is
upgraded (a new decree, a corrected year).

Reminders (``tasks.send_reminders``) go out in the order of a request's reminder days, so the
ones already sent are the first of them; when a deadline moves, the dates recorded as reminded
are rewritten to the new reminder days, so that a reminder already sent is not sent again on
its new day and one not yet sent comes on its new day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, require
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.ppid import deadlines, services
from satudata.ppid.models import OPEN_STATES, HolidayOverride, InformationRequest, Objection, ObjectionState

# How far from today an override may lie, in years: a regional closure is decreed for this
# year or the next, and a correction of a past one matters only while requests of that time
# may still be open. A date beyond that is a typo (2062 for 2026).
WINDOW_YEARS = 2
NAME_MAX = 200  # HolidayOverride.name
AUDIT_MOVES_MAX = 200  # the moved deadlines listed in one audit row; the counts are always whole

# Where a day off comes from (the page names them "nasional", "cuti bersama", "penyesuaian daerah").
SOURCE_NATIONAL = "nasional"
SOURCE_CUTI_BERSAMA = "cuti_bersama"
SOURCE_REGIONAL = "daerah"
_SOURCE_OF_CATEGORY = {"public": SOURCE_NATIONAL, "government": SOURCE_CUTI_BERSAMA}


# --------------------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class CalendarEntry:
    """One line of a year's calendar: a national holiday or cuti bersama (``source`` nasional or
    cuti_bersama), or an added day off (``daerah``). ``is_holiday`` is whether the offices are
    closed on it in the end; ``override`` is the correction kept here, if any (a national
    holiday made a working day has one, with its reason)."""

    day: date
    name: str
    source: str
    is_holiday: bool
    override: HolidayOverride | None = None

    @property
    def weekday(self) -> str:
        return deadlines.WEEKDAY_NAMES[self.day.weekday()]

    @property
    def on_weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass(frozen=True)
class YearCalendar:
    """A year as the clock counts it: its days off and corrections in date order, and how many
    working days it has."""

    year: int
    entries: list[CalendarEntry]
    working_days: int
    open_requests: int  # deadlines a change would recompute now
    open_objections: int


def window(today: date) -> range:
    """The years an override may be added for (and the page offers): ``WINDOW_YEARS`` either
    side of this one, within the years the ``holidays`` package knows."""
    known = deadlines.supported_years()
    return range(max(today.year - WINDOW_YEARS, known.start), min(today.year + WINDOW_YEARS, known.stop - 1) + 1)


def year_calendar(actor: Actor, year: int) -> YearCalendar:
    """The national holidays and cuti bersama of ``year`` with their names, and the overrides,
    each marked by where it comes from."""
    require(actor, Permission.PPID_CALENDAR_MANAGE)
    start, end = date(year, 1, 1), date(year, 12, 31)
    overrides = {o.day: o for o in db.session.scalars(
        select(HolidayOverride).where(HolidayOverride.day >= start, HolidayOverride.day <= end))}
    entries = []
    for holiday in deadlines.national_holidays(year):
        override = overrides.get(holiday.day)
        entries.append(CalendarEntry(holiday.day, holiday.name, _SOURCE_OF_CATEGORY[holiday.category],
                                     is_holiday=override is None or override.is_holiday, override=override))
    national_days = {e.day for e in entries}
    entries += [CalendarEntry(o.day, o.name, SOURCE_REGIONAL, is_holiday=o.is_holiday, override=o)
                for o in overrides.values() if o.day not in national_days]
    entries.sort(key=lambda e: (e.day, e.source != SOURCE_REGIONAL))
    cal = services.calendar()
    open_requests = db.session.scalar(select(func.count(InformationRequest.id)).where(
        InformationRequest.state.in_(list(OPEN_STATES))))
    open_objections = db.session.scalar(select(func.count(Objection.id)).where(
        Objection.state == ObjectionState.REGISTERED))
    return YearCalendar(year=year, entries=entries,
                        working_days=cal.working_days_between(start - timedelta(days=1), end),
                        open_requests=int(open_requests or 0), open_objections=int(open_objections or 0))


# --------------------------------------------------------------------------- recomputing deadlines


@dataclass(frozen=True)
class Moved:
    """A deadline the calendar change moved: the request's or objection's number, before, after."""

    number: str
    old: date
    new: date


@dataclass(frozen=True)
class Recomputed:
    """What a recomputation moved: requests (their written notice) and objections (their answer)."""

    requests: list[Moved]
    objections: list[Moved]

    @property
    def count(self) -> int:
        return len(self.requests) + len(self.objections)


@dataclass(frozen=True)
class CalendarChange:
    """An override added or removed, and the deadlines that moved with it."""

    day: date
    is_holiday: bool
    name: str
    recomputed: Recomputed


def carried_reminders(sent: list[str] | None, reminder_days: list[date]) -> list[str] | None:
    """The reminders recorded as sent, carried over to a request's new reminder days: the
    officers are reminded on the reminder days in order (``tasks.send_reminders``), so ``sent``
    are the first ``len(sent)`` of them, whatever their dates were when they were sent."""
    if not sent:
        return sent
    return [day.isoformat() for day in reminder_days[:len(set(sent))]]


def _moves(values: list[Moved]) -> list[list[str]]:
    return [[m.number, m.old.isoformat(), m.new.isoformat()] for m in values[:AUDIT_MOVES_MAX]]


def recompute_deadlines(actor: Actor, *, cause: str = "") -> Recomputed:
    """Count every open deadline again on the calendar as it is now (with the overrides of this
    unit of work): each open request's written notice from its day 0 (with its extension) and
    each registered keberatan's answer. Each row is changed only while it is still open (a
    compare and set: a request decided meanwhile keeps its dates). One audit row says what
    moved; ``cause`` says why (the override, or the CLI after a package upgrade)."""
    require(actor, Permission.PPID_CALENDAR_MANAGE)
    cal = services.calendar()
    open_states = list(OPEN_STATES)
    moved_requests: list[Moved] = []
    requests = db.session.scalars(select(InformationRequest).where(InformationRequest.state.in_(open_states))
                                  .order_by(InformationRequest.due_on, InformationRequest.id)).all()
    for request in requests:
        due = deadlines.request_due(cal, request.received_on, request.extension_days).due
        sent = carried_reminders(request.reminders_sent,
                                 deadlines.reminder_dates(cal, request.received_on, request.extension_days))
        if due == request.due_on and sent == request.reminders_sent:
            continue
        extension = (InformationRequest.extension_days.is_(None) if request.extension_days is None
                     else InformationRequest.extension_days == request.extension_days)
        changed = db.session.execute(
            update(InformationRequest)
            .where(InformationRequest.id == request.id, InformationRequest.state.in_(open_states),
                   InformationRequest.due_on == request.due_on, extension)
            .values(due_on=due, **({"reminders_sent": sent} if sent != request.reminders_sent else {}))
            .execution_options(synchronize_session=False))
        old = request.due_on
        db.session.expire(request, ["due_on", "reminders_sent", "updated_at"])
        if changed.rowcount == 1 and due != old:  # type: ignore[attr-defined]
            moved_requests.append(Moved(request.number, old, due))
    moved_objections: list[Moved] = []
    objections = db.session.scalars(select(Objection).where(Objection.state == ObjectionState.REGISTERED)
                                    .order_by(Objection.due_on, Objection.id)).all()
    for objection in objections:
        due = deadlines.objection_answer_due(cal, objection.registered_on).due
        if due == objection.due_on:
            continue
        changed = db.session.execute(
            update(Objection)
            .where(Objection.id == objection.id, Objection.state == ObjectionState.REGISTERED,
                   Objection.due_on == objection.due_on)
            .values(due_on=due).execution_options(synchronize_session=False))
        old = objection.due_on
        db.session.expire(objection, ["due_on", "updated_at"])
        if changed.rowcount == 1:  # type: ignore[attr-defined]
            moved_objections.append(Moved(objection.number, old, due))
    db.session.flush()
    result = Recomputed(requests=moved_requests, objections=moved_objections)
    audit(actor, "ppid.calendar.recompute", "ppid_calendar", "-", {
        "cause": cause, "requests": len(moved_requests), "objections": len(moved_objections),
        "checked": {"requests": len(requests), "objections": len(objections)},
        "moved_requests": _moves(moved_requests), "moved_objections": _moves(moved_objections)})
    return result


# --------------------------------------------------------------------------- overrides


def _national_names(day: date) -> list[str]:
    return [h.name for h in deadlines.national_holidays(day.year) if h.day == day]


def _check_override(day: date, is_holiday: bool, name: str, today: date) -> dict[str, list[str]]:
    """What is wrong with an override of ``day`` (by field), in Indonesian; empty when nothing."""
    problems: dict[str, list[str]] = {}
    years = window(today)
    written = deadlines.long_date(day, weekday=True)
    if day.year not in years:
        problems["day"] = [f"Tanggal {deadlines.long_date(day)} terlalu jauh: penyesuaian hanya untuk tahun "
                           f"{years.start}–{years.stop - 1} (paling jauh {WINDOW_YEARS} tahun dari sekarang)."]
    else:
        existing = db.session.scalar(select(HolidayOverride).where(HolidayOverride.day == day))
        national = _national_names(day)
        weekend = day.weekday() >= 5
        if existing is not None:
            kind = "hari libur tambahan" if existing.is_holiday else "hari kerja"
            problems["day"] = [f"{written} sudah disesuaikan ({kind}: {existing.name}). Hapus penyesuaian itu "
                               "dulu bila ingin menggantinya."]
        elif is_holiday and weekend:
            problems["day"] = [f"{written} jatuh pada hari {deadlines.WEEKDAY_NAMES[day.weekday()]}, yang memang "
                               "bukan hari kerja: menjadikannya hari libur tidak mengubah tenggat apa pun."]
        elif is_holiday and national:
            problems["day"] = [f"{written} sudah hari libur nasional atau cuti bersama ({'; '.join(national)})."]
        elif not is_holiday and not national:
            problems["day"] = [f"{written} bukan hari libur nasional atau cuti bersama. Hanya hari libur dari "
                               "kalender nasional yang dapat dijadikan hari kerja."]
        elif not is_holiday and weekend:
            problems["day"] = [f"{'; '.join(national)} pada {written} jatuh pada hari Sabtu/Minggu; hari itu tetap "
                               "bukan hari kerja dan tidak dapat dijadikan hari kerja di sini."]
    if not name:
        problems["name"] = [
            "Tulis nama hari libur itu, misalnya \u201cLibur daerah HUT Kabupaten\u201d." if is_holiday else
            "Tulis alasan hari libur itu dijadikan hari kerja, misalnya nomor SKB perubahan cuti bersama."]
    elif len(name) > NAME_MAX:
        problems["name"] = [f"Paling panjang {NAME_MAX} karakter."]
    return problems


def _summary(row: HolidayOverride) -> dict[str, Any]:
    return {"day": row.day.isoformat(), "is_holiday": row.is_holiday, "name": row.name}


def add_override(actor: Actor, day: date, *, is_holiday: bool, name: str) -> CalendarChange:
    """Correct the national calendar on ``day``: a day off it does not list (``is_holiday``,
    ``name`` its name), or one of its holidays made a working day (``name`` the reason). Refused
    with ``Invalid`` (by field): a weekend made a day off, a day already corrected, a working
    day made a working day, a date beyond ``WINDOW_YEARS``, no name. Every open deadline is
    then counted again (:func:`recompute_deadlines`)."""
    require(actor, Permission.PPID_CALENDAR_MANAGE)
    name = " ".join((name or "").split())
    problems = _check_override(day, is_holiday, name, services.today())
    if problems:
        raise Invalid(" ".join(m for messages in problems.values() for m in messages), details=problems)
    row = HolidayOverride(day=day, is_holiday=is_holiday, name=name)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # added by someone else a moment ago
        message = f"{deadlines.long_date(day, weekday=True)} baru saja disesuaikan orang lain; muat ulang halaman."
        raise Conflict(message, details={"day": [message]}) from None
    audit(actor, "ppid.calendar.add", "ppid_holiday_override", row.id, _summary(row))
    recomputed = recompute_deadlines(actor, cause=f"ppid.calendar.add {day.isoformat()}")
    return CalendarChange(day=day, is_holiday=is_holiday, name=name, recomputed=recomputed)


def remove_override(actor: Actor, override_id: int) -> CalendarChange:
    """Take back a correction: the day is again what the national calendar says. Every open
    deadline is then counted again."""
    require(actor, Permission.PPID_CALENDAR_MANAGE)
    row = db.session.get(HolidayOverride, override_id)
    if row is None:
        raise NotFound("Penyesuaian kalender itu tidak ada lagi; mungkin sudah dihapus. Muat ulang halaman.")
    day, is_holiday, name = row.day, row.is_holiday, row.name
    audit(actor, "ppid.calendar.remove", "ppid_holiday_override", row.id, _summary(row))
    db.session.delete(row)
    db.session.flush()
    recomputed = recompute_deadlines(actor, cause=f"ppid.calendar.remove {day.isoformat()}")
    return CalendarChange(day=day, is_holiday=is_holiday, name=name, recomputed=recomputed)
