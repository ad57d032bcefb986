"""The legal clock of UU 14/2008 (UU KIP): working days, and the deadlines counted in them.

Every period of the law is counted in **working days** (hari kerja): Monday to Friday, minus the
national holidays and the cuti bersama. The holidays come from the ``holidays`` package
(Indonesia, categories ``public`` and ``government``: cuti bersama is only in ``government``),
in Indonesian, plus the administrator's overrides (:class:`WorkingCalendar`), because decrees are
revised and regions close offices on days the package does not know.

How a period is counted (:meth:`WorkingCalendar.add_working_days`): day 0 is the day the request
(or objection, or answer) was registered; day 1 is the first working day *after* it, whatever
kind of day day 0 was; the deadline is the n-th working day after day 0, and the act is on time
on any moment of that day. A request registered on a Saturday or on a holiday therefore gets
its day 1 on the next working day, exactly like one registered on the working day before:
nothing that arrives outside office hours gains or loses a day against one that arrived in them.

This module only computes dates. It never refuses, closes or decides anything: a missed deadline
makes a request late (*terlambat*), which is itself a ground for keberatan (Pasal 35(1) c and g),
and that is for the PPID services to record. When the calendar changes (an override is added,
the package is upgraded), open deadlines are computed again from their day 0 and the same
period; a :class:`Deadline` keeps both for that reason.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import holidays

from satudata.errors import Invalid

# --------------------------------------------------------------------------- the periods of the law

# Written notice (pemberitahuan tertulis) answering a request, after its registration: Pasal 22(7).
NOTICE_DAYS = 10
# The one extension of the notice, with written reasons sent to the applicant: Pasal 22(8).
EXTENSION_MAX_DAYS = 7
# Filing a keberatan with the Atasan PPID, after its ground arises: Pasal 36(1).
OBJECTION_FILING_DAYS = 30
# The Atasan PPID's written answer to a keberatan, after its registration: Pasal 36(2).
OBJECTION_ANSWER_DAYS = 30
# Taking the dispute to the Komisi Informasi, after the answer (or its lapse): Pasal 37(2).
DISPUTE_DAYS = 14

# The working days of the notice period on which the officers are reminded: one with time left
# to act, and the last day. The last day of an extension gets one as well (reminder_dates).
REMINDER_DAYS = (7, NOTICE_DAYS)

# The package's categories that close government offices: national holidays and cuti bersama.
HOLIDAY_CATEGORIES = ("public", "government")

WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")


# --------------------------------------------------------------------------- errors


class ExtensionLengthError(Invalid, ValueError):
    """An extension outside 1..7 working days (Pasal 22(8)). A ``ValueError`` for plain Python
    callers, and a domain ``Invalid`` so that a service may let it reach the user as it is."""


class CalendarOverrideError(Invalid, ValueError):
    """Administrator overrides that contradict each other or say nothing (no name)."""


class CalendarRangeError(Invalid, ValueError):
    """A date in a year the ``holidays`` package has no Indonesian data for: counting there
    would silently ignore every holiday, so the calendar refuses instead."""


# --------------------------------------------------------------------------- the calendar


class DayOff(NamedTuple):
    """A day that is not a working day, and why (a holiday's name, or "Sabtu"/"Minggu")."""

    day: date
    name: str

    @property
    def is_plain_weekend(self) -> bool:
        """A Saturday or Sunday that is not also a holiday."""
        return self.day.weekday() >= 5 and self.name == WEEKDAY_NAMES[self.day.weekday()]


@lru_cache(maxsize=1)
def supported_years() -> range:
    """The years the installed ``holidays`` package has Indonesian data for."""
    known = holidays.country_holidays("ID")
    return range(known.start_year, known.end_year + 1)


@lru_cache(maxsize=64)
def _package_holidays(year: int) -> Mapping[date, str]:
    """The package's holidays and cuti bersama of ``year``, by date, named in Indonesian (two on
    the same day are joined by "; "). Shared by every calendar: they differ only in overrides."""
    found = holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES, language="id")
    return MappingProxyType(dict(found))


class NationalHoliday(NamedTuple):
    """One day off of the package's calendar, with its category: ``public`` (a national holiday,
    *libur nasional*) or ``government`` (*cuti bersama*, by the joint ministerial decree)."""

    day: date
    name: str
    category: str


@lru_cache(maxsize=64)
def national_holidays(year: int) -> tuple[NationalHoliday, ...]:
    """The package's national holidays and cuti bersama of ``year``, in Indonesian, one per day
    and category, in date order: what the calendar page lists (``ppid.calendar``); the clock
    itself reads the same data through :class:`WorkingCalendar`."""
    _supported(date(year, 1, 1))
    found = [NationalHoliday(day, name, category) for category in HOLIDAY_CATEGORIES
             for day, name in holidays.country_holidays("ID", years=year, categories=(category,),
                                                         language="id").items()]
    return tuple(sorted(found))


def _plain_date(value: date) -> date:
    # A datetime is a date to Python, but a registration timestamp is stored in UTC: its date is
    # not the Jakarta (or Makassar, Jayapura) date the law counts from. The caller converts.
    if isinstance(value, datetime):
        raise TypeError(f"expected a date, got the datetime {value!r}: convert it to the local date first")
    return value


def _supported(day: date) -> date:
    """``day``, when the package has holiday data for its year; else CalendarRangeError."""
    years = supported_years()
    if day.year not in years:
        raise CalendarRangeError(
            f"Data hari libur hanya tersedia untuk tahun {years.start}–{years.stop - 1}; "
            f"tanggal {day.isoformat()} di luar jangkauan itu.",
            details={"date": [f"Tahun {day.year} di luar jangkauan kalender hari libur."]})
    return day


def _days(after: date, until: date) -> Iterator[date]:
    """The dates ``after < d <= until``."""
    day = after
    while day < until:
        day += timedelta(days=1)
        yield day


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days: Monday to Friday, minus the package's national holidays and
    cuti bersama, then the administrator's overrides, which win:

    - ``extra_holidays``: dates that are not working days although the package says they are
      (a regional closure, a cuti bersama added by a later decree), each with its name;
    - ``extra_working_days``: dates that are working days although the package says they are
      not (a cuti bersama withdrawn by a revised decree; a weekend day too, if a decree says so).

    A date may not be in both. The calendar is immutable and cheap to build (the package's data
    is read once per year, lazily, and shared by all calendars), so build one per request or
    job with :func:`load_calendar` and throw it away.
    """

    extra_holidays: Mapping[date, str] = field(default_factory=dict)
    extra_working_days: Set[date] = frozenset()

    def __post_init__(self) -> None:
        extra_holidays = {_plain_date(day): (name or "").strip() for day, name in self.extra_holidays.items()}
        extra_working_days = frozenset(_plain_date(day) for day in self.extra_working_days)
        unnamed = sorted(day for day, name in extra_holidays.items() if not name)
        if unnamed:
            raise CalendarOverrideError(
                "Hari libur tambahan harus diberi nama: " + ", ".join(long_date(day) for day in unnamed) + ".",
                details={"extra_holidays": ["Setiap hari libur tambahan harus diberi nama."]})
        both = sorted(extra_working_days & extra_holidays.keys())
        if both:
            raise CalendarOverrideError(
                "Tanggal berikut tercatat sekaligus sebagai hari libur tambahan dan hari kerja tambahan: "
                + ", ".join(long_date(day) for day in both) + ".",
                details={"extra_working_days": ["Tanggal tidak boleh sekaligus menjadi hari libur tambahan."]})
        object.__setattr__(self, "extra_holidays", MappingProxyType(extra_holidays))
        object.__setattr__(self, "extra_working_days", extra_working_days)

    def __hash__(self) -> int:
        return hash((frozenset(self.extra_holidays.items()), self.extra_working_days))

    def holiday_name(self, day: date) -> str | None:
        """Why ``day`` is not a working day, in Indonesian: the override's or the holiday's name,
        else "Sabtu"/"Minggu" for a weekend; ``None`` for a working day. A holiday on a weekend
        is named as the holiday."""
        day = _plain_date(day)
        if day in self.extra_holidays:
            return self.extra_holidays[day]
        if day in self.extra_working_days:
            return None
        name = _package_holidays(_supported(day).year).get(day)
        if name:
            return name
        if day.weekday() >= 5:
            return WEEKDAY_NAMES[day.weekday()]
        return None

    def is_working_day(self, day: date) -> bool:
        """Whether the offices are open on ``day`` (see the class for the rule)."""
        return self.holiday_name(day) is None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (day 0); ``start`` itself when ``n`` is 0.

        ``start`` is never counted, working day or not: registered on a Monday, day 1 is the
        Tuesday; registered on a Saturday (or a holiday), day 1 is the first working day after
        it. The result is always a working day when ``n >= 1``, and counting on is additive:
        ``add(add(s, a), b) == add(s, a + b)``. Periods of the law never count backwards, so a
        negative ``n`` is a programming error (``ValueError``).
        """
        start = _supported(_plain_date(start))
        if n < 0:
            raise ValueError(f"a period of working days cannot be negative (got {n})")
        day, left = start, n
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after ``start`` up to and including ``end``: how many days of a
        period beginning on ``start`` have been used by ``end``, and, read the other way, how
        many are left from today (``start``) to a due date (``end``).

        ``0`` when ``end == start`` or nothing between them is a working day. When ``end`` is
        before ``start`` the answer is negative: minus the working days after ``end`` up to and
        including ``start`` (``between(a, b) == -between(b, a)``), so "days left" turns into
        "working days late" after the due date. Always
        ``working_days_between(s, add_working_days(s, n)) == n``.
        """
        start, end = _supported(_plain_date(start)), _supported(_plain_date(end))
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for day in _days(start, end) if self.is_working_day(day))

    def working_day_number(self, start: date, today: date) -> int:
        """Which working day of a period beginning on ``start`` (day 0) ``today`` is, for "hari
        kerja ke-4 dari 10". On a non-working day, the number of the last working day before it
        (the count only moves on working days); 0 until the first working day after ``start``.
        ``today`` before ``start`` is an error: the period has not begun.
        """
        if _plain_date(today) < _plain_date(start):
            raise ValueError(f"{today.isoformat()} is before the period's day 0 ({start.isoformat()})")
        return self.working_days_between(start, today)

    def days_off(self, start: date, end: date) -> list[DayOff]:
        """The days after ``start`` up to and including ``end`` that are not working days, with
        their names: what a period from ``start`` to ``end`` skipped."""
        start, end = _plain_date(start), _plain_date(end)
        found = []
        for day in _days(start, end):
            name = self.holiday_name(day)
            if name is not None:
                found.append(DayOff(day, name))
        return found


def load_calendar() -> WorkingCalendar:
    """The calendar the portal counts with: the one place services, jobs and the CLI get it.

    The package's holidays without overrides: the portal itself counts with
    ``ppid.services.calendar()``, which adds the administrator's overrides stored in the
    database (``HolidayOverride``); this is what is left when there is no database.
    """
    return WorkingCalendar()


# --------------------------------------------------------------------------- deadlines


class Progress(NamedTuple):
    """How far a period has run: working day ``day`` of ``total`` (``day`` may pass ``total``)."""

    day: int
    total: int

    def __str__(self) -> str:
        return f"hari kerja ke-{self.day} dari {self.total}"


@dataclass(frozen=True)
class Deadline:
    """A period of ``working_days`` working days counted from ``start`` (day 0), ending on
    ``due``. The act is on time on any moment of ``due``. Keeps the calendar it was counted
    with, so that the questions below are answered with the same one."""

    start: date
    working_days: int
    due: date
    calendar: WorkingCalendar = field(repr=False, compare=False)

    @classmethod
    def count(cls, calendar: WorkingCalendar, start: date, working_days: int) -> Deadline:
        """The deadline ``working_days`` working days after ``start``."""
        return cls(start, working_days, calendar.add_working_days(start, working_days), calendar)

    def progress(self, today: date) -> Progress:
        """Which working day of the period ``today`` is: ``str()`` gives "hari kerja ke-4 dari 10"."""
        return Progress(self.calendar.working_day_number(self.start, today), self.working_days)

    def days_left(self, today: date) -> int:
        """Working days from ``today`` to the due date: 0 on the due date itself (still on time),
        negative once it has passed (minus the working days late)."""
        return self.calendar.working_days_between(today, self.due)

    def is_overdue(self, today: date) -> bool:
        """Whether the due date has passed. A weekend right after the due date counts as late
        already: the act was due by the end of the due date."""
        return _plain_date(today) > self.due

    def days_off(self) -> list[DayOff]:
        """The non-working days the period skipped, with their names."""
        return self.calendar.days_off(self.start, self.due)


def notice_due(calendar: WorkingCalendar, registered_on: date) -> Deadline:
    """When the written notice answering a request is due: 10 working days after its
    registration (Pasal 22(7)). Routing the request to a PPID Pelaksana does not stop or restart
    this clock: count from the registration at the PPID that first received it."""
    return Deadline.count(calendar, registered_on, NOTICE_DAYS)


def extended_due(calendar: WorkingCalendar, registered_on: date, extension_days: int) -> Deadline:
    """When the notice is due after the extension of Pasal 22(8): ``extension_days`` (1 to 7)
    working days added after the original 10-day due date, that is
    ``add_working_days(notice_due(...).due, extension_days)``; the period is then
    ``10 + extension_days`` working days from the registration. The law allows one extension,
    with written reasons; that it happens once is the request's state machine's rule, not this
    function's.

    Raises :class:`ExtensionLengthError` (a ``ValueError``) for 0, a negative number, or more
    than 7.
    """
    whole = isinstance(extension_days, int) and not isinstance(extension_days, bool)
    if not whole or not 1 <= extension_days <= EXTENSION_MAX_DAYS:
        message = (f"Perpanjangan waktu harus 1 sampai {EXTENSION_MAX_DAYS} hari kerja "
                   f"(Pasal 22 ayat (8) UU 14/2008); {extension_days!r} tidak dapat diterima.")
        raise ExtensionLengthError(message, details={"extension_days": [message]})
    return Deadline.count(calendar, registered_on, NOTICE_DAYS + extension_days)


def request_due(calendar: WorkingCalendar, registered_on: date, extension_days: int | None = None) -> Deadline:
    """When the written notice answering a request is due: :func:`notice_due`, or
    :func:`extended_due` once the request was extended by ``extension_days``. The one rule the
    filing, the extension and a recomputation after a calendar change all come down to."""
    if extension_days is None:
        return notice_due(calendar, registered_on)
    return extended_due(calendar, registered_on, extension_days)


def objection_filing_until(calendar: WorkingCalendar, ground_arose_on: date) -> Deadline:
    """The last day to file a keberatan: 30 working days after its ground arose (Pasal 36(1)),
    e.g. the day the refusal was received, or the day after an unanswered request's due date."""
    return Deadline.count(calendar, ground_arose_on, OBJECTION_FILING_DAYS)


def objection_answer_due(calendar: WorkingCalendar, objection_registered_on: date) -> Deadline:
    """When the Atasan PPID's written answer to a keberatan is due: 30 working days after the
    keberatan is registered (Pasal 36(2))."""
    return Deadline.count(calendar, objection_registered_on, OBJECTION_ANSWER_DAYS)


def dispute_until(calendar: WorkingCalendar, answered_on: date) -> Deadline:
    """The last day to take the dispute to the Komisi Informasi: 14 working days after the
    Atasan PPID's answer was received (Pasal 37(2)). When no answer came, pass the lapsed answer
    due date (``objection_answer_due(...).due``) as ``answered_on``."""
    return Deadline.count(calendar, answered_on, DISPUTE_DAYS)


def reminder_dates(calendar: WorkingCalendar, registered_on: date, extension_days: int | None = None) -> list[date]:
    """The dates on which the officers handling a request are reminded, in order: working days
    7 and 10 of the notice period, and, when the notice was extended by ``extension_days``, the
    extension's last day. The scheduler skips those already past; nothing happens to the request
    on any of them but a reminder."""
    found = {calendar.add_working_days(registered_on, day) for day in REMINDER_DAYS}
    if extension_days is not None:
        found.add(extended_due(calendar, registered_on, extension_days).due)
    return sorted(found)


def long_date(day: date, *, weekday: bool = False) -> str:
    """``day`` written out in Indonesian: "7 April 2026", or "Selasa, 7 April 2026"."""
    text = f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{WEEKDAY_NAMES[day.weekday()]}, {text}" if weekday else text
