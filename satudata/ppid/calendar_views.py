"""The working-day calendar page (``/kelola/ppid/kalender``): the year's national holidays, cuti
bersama and regional corrections, and the form that adds or removes a correction, for the PPID
Utama and admins (``Permission.PPID_CALENDAR_MANAGE``). Every change recomputes the open
deadlines (``ppid.calendar``) and says how many moved."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata.authz import Permission, can
from satudata.errors import DomainError, Forbidden, Invalid, Unauthenticated, roll_back_refused
from satudata.ppid import calendar, deadlines, services
from satudata.ppid.policy import is_officer

bp = Blueprint("ppid_calendar", __name__)

KINDS = ("libur", "kerja")  # a day off added; a national holiday made a working day


def _source_labels() -> dict[str, str]:
    return {calendar.SOURCE_NATIONAL: _("Libur nasional"), calendar.SOURCE_CUTI_BERSAMA: _("Cuti bersama"),
            calendar.SOURCE_REGIONAL: _("Penyesuaian daerah")}


def keeper_signed_in() -> Any:
    """The signed-in user who keeps the calendar (the PPID Utama, an admin); anyone else signed
    in is refused, and a visitor is sent to sign in."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    user = current_user._get_current_object()
    if not can(user, Permission.PPID_CALENDAR_MANAGE):
        raise Forbidden(_("Kalender hari kerja dikelola oleh PPID Utama dan admin portal."))
    return user


def _year(text: str | None, years: range) -> int:
    try:
        year = int(text or "")
    except ValueError:
        return services.today().year
    return year if year in years else services.today().year


def _form_input(form: Any) -> tuple[date, bool, str]:
    problems: dict[str, list[str]] = {}
    kind = form.get("kind", "")
    if kind not in KINDS:
        problems["kind"] = [_("Pilih jenis penyesuaian: hari libur tambahan, atau hari libur nasional yang "
                              "dijadikan hari kerja.")]
    try:
        day = date.fromisoformat((form.get("day") or "").strip())
    except ValueError:
        problems["day"] = [_("Tulis tanggal yang valid (TTTT-BB-HH).")]
    if problems and not (form.get("name") or "").strip():
        problems["name"] = [_("Tulis nama hari libur, atau alasan hari libur itu dijadikan hari kerja.")]
    if problems:
        raise Invalid(" ".join(m for ms in problems.values() for m in ms), details=problems)
    return day, kind == "libur", form.get("name", "")


def _flash_change(change: calendar.CalendarChange, removed: bool = False) -> None:
    moved = change.recomputed
    day = deadlines.long_date(change.day, weekday=True)
    if removed:
        done = _("Penyesuaian %(day)s dihapus; hari itu kembali mengikuti kalender nasional.", day=day)
    elif change.is_holiday:
        done = _("%(day)s dicatat sebagai hari libur: %(name)s.", day=day, name=change.name)
    else:
        done = _("%(day)s dicatat sebagai hari kerja: %(name)s.", day=day, name=change.name)
    flash(done + " " + _("%(requests)s tenggat permohonan dan %(objections)s tenggat keberatan dihitung ulang.",
                         requests=len(moved.requests), objections=len(moved.objections)), "success")
    shown = [*moved.requests, *moved.objections][:10]
    if shown:
        flash(_("Tenggat yang bergeser: %(list)s.", list="; ".join(
            f"{m.number} ({deadlines.long_date(m.old)} → {deadlines.long_date(m.new)})" for m in shown))
            + (" …" if moved.count > len(shown) else ""), "info")


@bp.route("/kelola/ppid/kalender", methods=["GET", "POST"])
def manage() -> Any:
    """The year's calendar (``?tahun=``) and the form adding a correction."""
    user = keeper_signed_in()
    years = calendar.window(services.today())
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            day, is_holiday, name = _form_input(request.form)
            change = calendar.add_override(user, day, is_holiday=is_holiday, name=name)
        except DomainError as err:
            roll_back_refused(err)
            errors = dict(err.details) if err.details else {"_form": [err.message]}
        else:
            _flash_change(change)
            return redirect(url_for("ppid_calendar.manage", tahun=change.day.year))
    year = _year(request.args.get("tahun") or (request.form.get("day", "")[:4] if errors else ""), years)
    return render_template("ppid/calendar.html", cal=calendar.year_calendar(user, year), year=year, years=years,
                           sources=_source_labels(), errors=errors, form=request.form if errors else {},
                           officer=is_officer(user)), 400 if errors else 200


@bp.post("/kelola/ppid/kalender/<int:override_id>/hapus")
def remove(override_id: int) -> Any:
    """Take a correction back; the open deadlines are counted again."""
    user = keeper_signed_in()
    change = calendar.remove_override(user, override_id)
    _flash_change(change, removed=True)
    return redirect(url_for("ppid_calendar.manage", tahun=change.day.year))
