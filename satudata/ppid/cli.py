"""The ``satudata ppid`` commands. ``due`` counts a period of the law on the portal's calendar
(:func:`satudata.ppid.deadlines.load_calendar`) and needs neither the application nor the
database, so it answers an officer's "until when?" anywhere. ``recompute`` counts every open
deadline again on the portal's calendar (after the ``holidays`` package is upgraded)."""

from __future__ import annotations

import json
import re
from datetime import date

import click
from flask.cli import with_appcontext

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


@ppid_group.command("recompute")
@click.option("--dry-run", is_flag=True, help="Show what would move; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@with_appcontext
def recompute_command(dry_run: bool, as_json: bool) -> None:
    """Hitung ulang semua tenggat yang masih berjalan dengan kalender sekarang.

    Jalankan sesudah paket ``holidays`` diperbarui (SKB cuti bersama baru atau direvisi):
    pemberitahuan tertulis setiap permohonan yang masih berjalan dan tanggapan setiap keberatan
    yang terdaftar dihitung lagi dari hari ke-0-nya. Permohonan yang sudah diputus tidak diubah.
    Setiap baris mencetak nomor, tenggat lama dan tenggat baru; tercatat di log audit.
    """
    from satudata.authz import SystemActor
    from satudata.db import unit_of_work
    from satudata.ppid import calendar

    class _DryRun(Exception):
        pass

    try:
        with unit_of_work():
            result = calendar.recompute_deadlines(SystemActor("cli"), cause="cli recompute" + (" --dry-run" * dry_run))
            if dry_run:
                raise _DryRun  # rolled back, audit row included
    except _DryRun:
        pass
    if as_json:
        click.echo(json.dumps({
            "dry_run": dry_run,
            "requests": [{"number": m.number, "old": m.old.isoformat(), "new": m.new.isoformat()}
                         for m in result.requests],
            "objections": [{"number": m.number, "old": m.old.isoformat(), "new": m.new.isoformat()}
                           for m in result.objections],
        }, ensure_ascii=False))
        return
    for moved in [*result.requests, *result.objections]:
        click.echo(f"{moved.number}: {moved.old.isoformat()} -> {moved.new.isoformat()} "
                   f"({long_date(moved.old, weekday=True)} menjadi {long_date(moved.new, weekday=True)})")
    verb = "akan dihitung ulang (--dry-run: tidak ada yang diubah)" if dry_run else "dihitung ulang"
    click.echo(f"{len(result.requests)} tenggat permohonan dan {len(result.objections)} tenggat keberatan {verb}.")


@ppid_group.command("report")
@click.option("--year", required=True, type=int, metavar="YYYY", help="The year of the requests (by registration).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "pdf"]), default="xlsx", show_default=True,
              help="XLSX (sheets for each part) or PDF (the printable report).")
@click.option("--output", metavar="PATH", help="Where to write it [default: laporan-ppid-YYYY[-SLUG].FORMAT here].")
@click.option("--ppid", "slug", metavar="SLUG", help="One PPID, by its organisation's slug; without it, all of them.")
@with_appcontext
def report_command(year: int, fmt: str, output: str | None, slug: str | None) -> None:
    """Tulis laporan tahunan PPID: angka Pasal 12 UU 14/2008 dan laporan layanan (Perki SLIP 1/2021).

    Untuk seluruh PPID, atau satu PPID dengan --ppid. Baris pertama adalah jalur berkas yang
    ditulis, untuk skrip; baris kedua ringkasan angkanya.
    """
    from pathlib import Path

    from satudata.errors import NotFound
    from satudata.ppid import reports
    from satudata.ppid.reports import pdf, xlsx

    try:
        report = reports.build_report(year, slug)
    except NotFound as err:  # a year without a report, a PPID that does not exist
        raise click.UsageError(err.message) from None
    data = (pdf.render if fmt == "pdf" else xlsx.render)(report)
    path = Path(output) if output else Path(reports.filename(year, report.slug, fmt))
    partial = path.with_name(path.name + ".part")  # a reader never sees half a file
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"Laporan tidak dapat ditulis ke {path}: {err.strerror or err}.") from None
    click.echo(str(path))
    click.echo(reports.summary(report))
