"""The ``satudata ppid`` commands. ``due`` counts a period of the law on the portal's calendar
(:func:`satudata.ppid.deadlines.load_calendar`) and needs neither the application nor the
database, so it answers an officer's "until when?" anywhere."""

from __future__ import annotations

import json
import re
from datetime import date

import click

from satudata.ppid.deadlines import NOTICE_DAYS, CalendarRangeError, WorkingCalendar, load_calendar, long_date

MAX_DAYS = 365  # a year of working days is beyond any period of the law: a typo, not a question
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"\d{1,4}")


@click.group("ppid")
def ppid_group() -> None:
    """Layanan informasi publik (PPID): jam hari kerja UU 14/2008."""


def _parse_date(text: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise click.UsageError(
            f"Tanggal --from tidak valid: {text!r}. Gunakan format YYYY-MM-DD, misalnya 2026-03-16.") from None


def _parse_days(text: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(text) or int(text) > MAX_DAYS:
        raise click.UsageError(f"Jumlah hari kerja --days tidak valid: {text!r}. Isi bilangan bulat 0 sampai {MAX_DAYS}.")
    return int(text)


def _portal_calendar() -> WorkingCalendar:
    """The portal's calendar, with the admin's overrides from its database, when this runs as
    ``satudata ppid due`` (the Flask command group knows the application); the national calendar
    alone otherwise, or when the database cannot be read (said on stderr)."""
    from flask.cli import ScriptInfo

    info = click.get_current_context().find_object(ScriptInfo)
    if info is None:
        return load_calendar()
    try:
        app = info.load_app()
        with app.app_context():
            from satudata.ppid import services

            return services.calendar()
    except Exception as exc:  # no database yet: the national calendar still answers
        click.echo(f"(Koreksi kalender dari basis data tidak terbaca: {type(exc).__name__}; memakai kalender "
                   "nasional saja.)", err=True)
        return load_calendar()


@ppid_group.command("due")
@click.option("--from", "start", required=True, metavar="YYYY-MM-DD", help="Day 0: the date of registration.")
@click.option("--days", default=str(NOTICE_DAYS), show_default=True, metavar="N",
              help=f"Working days to count (0 to {MAX_DAYS}).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def due_command(start: str, days: str, as_json: bool) -> None:
    """Cetak tanggal DAYS hari kerja setelah --from (hari ke-0), lalu hari yang dilewati.

    Hari kerja: Senin sampai Jumat, dikurangi hari libur nasional dan cuti bersama. Baris
    pertama adalah tanggal jatuh tempo dalam format ISO, untuk skrip.
    """
    start_date, count = _parse_date(start), _parse_days(days)
    calendar = _portal_calendar()
    try:
        due = calendar.add_working_days(start_date, count)
        skipped = calendar.days_off(start_date, due)
    except CalendarRangeError as err:
        raise click.UsageError(str(err)) from None
    if as_json:
        click.echo(json.dumps({
            "from": start_date.isoformat(),
            "days": count,
            "due": due.isoformat(),
            "skipped": [{"date": off.day.isoformat(), "name": off.name} for off in skipped],
        }, ensure_ascii=False))
        return
    click.echo(due.isoformat())
    holidays = [f"{off.name} ({long_date(off.day)})" for off in skipped if not off.is_plain_weekend]
    weekend_days = sum(1 for off in skipped if off.is_plain_weekend)
    if weekend_days:
        holidays.append(f"{weekend_days} hari Sabtu/Minggu")
    passed = "; dilewati: " + ", ".join(holidays) if holidays else ""
    click.echo(f"Jatuh tempo: {long_date(due, weekday=True)} ({count} hari kerja sejak {long_date(start_date)}{passed})")
