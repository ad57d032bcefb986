"""The kinerja pages: the walidata's and leadership's dashboard (``/kelola/kinerja``), one OPD's
quarterly trends with the records behind its numbers (``/kelola/kinerja/<slug>``), the public
summary (``/kinerja``) and the XLSX of each. Every page reads ``services``; charts get their
numbers from a JSON script tag (``static/js/chart.js``, no inline script) and every chart has a
table of the same numbers on the page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata.authz import Actor, Permission, can, require
from satudata.errors import Invalid, Unauthenticated
from satudata.kinerja import services, xlsx
from satudata.kinerja.services import QUARTERS, SORTS, Figures, Period
from satudata.review.daftar.status import local_today

bp = Blueprint("kinerja", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in() -> Actor:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _period() -> Period:
    """The period the query string names (``tahun``, ``triwulan``); this year by default."""
    raw_year, raw_quarter = request.args.get("tahun", "").strip(), request.args.get("triwulan", "").strip()
    problems: dict[str, list[str]] = {}
    year: Any = local_today().year
    quarter: Any = None
    if raw_year:
        year = int(raw_year) if raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4 else None
        if year is None:
            problems["tahun"] = [_("Tulis tahun dengan 4 angka, misalnya %(year)s.", year=local_today().year)]
    if raw_quarter:
        quarter = int(raw_quarter) if raw_quarter in ("1", "2", "3", "4") else None
        if quarter is None:
            problems["triwulan"] = [_("Pilih triwulan 1, 2, 3 atau 4, atau kosongkan untuk setahun penuh.")]
    if problems:
        raise Invalid(_("Periode tidak valid: %(what)s", what=" ".join(m for ms in problems.values() for m in ms)),
                      details=problems)
    try:
        return services.check_period(year, quarter)
    except Invalid as err:
        raise Invalid(_("Periode tidak valid: pilih tahun %(a)s–%(b)s.", a=services.YEAR_MIN, b=services.YEAR_MAX),
                      details=err.details) from err


def _sort(default: str) -> str:
    raw = request.args.get("urut", "")
    return raw if raw in SORTS or raw == "nama" else default


def _years(selected: int) -> list[int]:
    this = local_today().year
    return sorted({this - 2, this - 1, this, selected}, reverse=True)


def sort_labels() -> dict[str, str]:
    return {"ketepatan": _("Ketepatan rilis"), "terlambat": _("Terlambat"), "kualitas": _("Skor kualitas"),
            "validasi": _("Lolos validasi pertama"), "telaah": _("Lama pemeriksaan"), "ppid": _("PPID tepat waktu"),
            "nama": _("Nama OPD")}


# --------------------------------------------------------------------------- charts


def _daftar_series(figures: list[Figures]) -> list[dict[str, Any]]:
    return [
        {"name": "on_time", "label": _("Terbit tepat waktu"), "color": "#2e7d4f",
         "values": [f.daftar.on_time for f in figures]},
        {"name": "late", "label": _("Terbit terlambat"), "color": "#b26a00", "values": [f.daftar.late for f in figures]},
        {"name": "overdue", "label": _("Lewat jadwal, belum terbit"), "color": "#9f1228",
         "values": [f.daftar.overdue for f in figures]},
    ]


def quarter_labels(year: int) -> list[str]:
    return [services.quarter_label(q, year) for q in QUARTERS]


def trend_charts(year: int, quarters: list[Figures]) -> dict[str, Any]:
    """A stacked bar of the Daftar Data per quarter and lines of the three shares."""
    labels = quarter_labels(year)
    return {
        "daftar": {"type": "bar", "stacked": True, "labels": labels, "series": _daftar_series(quarters)},
        "rates": {"type": "line", "suffix": "%", "max": 100, "labels": labels, "series": [
            {"name": "daftar", "label": _("Ketepatan rilis Daftar Data"), "color": "#1f5f8b",
             "values": [f.daftar.on_time_share for f in quarters]},
            {"name": "validation", "label": _("Lolos validasi pertama"), "color": "#2e7d4f",
             "values": [f.validation.pass_rate for f in quarters]},
            {"name": "ppid", "label": _("PPID dijawab tepat waktu"), "color": "#6b4ea2",
             "values": [f.ppid.on_time_share for f in quarters]},
        ]},
    }


def opd_chart(summary: services.Summary) -> dict[str, Any] | None:
    """The Daftar Data of each OPD that had items in the period, stacked."""
    rows = [r for r in summary.rows if r.figures.daftar.decided]
    if not rows:
        return None
    return {"type": "bar", "stacked": True, "horizontal": True, "labels": [r.organization.name for r in rows],
            "series": _daftar_series([r.figures for r in rows])}


def _xlsx(body: bytes, name: str) -> Response:
    resp = Response(body, mimetype=XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


def _filename(prefix: str, period: Period) -> str:
    return f"{prefix}-{period.year}" + (f"-t{period.quarter}" if period.quarter else "") + ".xlsx"


# --------------------------------------------------------------------------- the dashboard


@bp.get("/kelola/kinerja")
def dashboard() -> Any:
    user = signed_in()
    require(user, Permission.KINERJA_READ)
    period = _period()
    sort = _sort(services.DEFAULT_SORT)
    summary = services.summary_for(user, period, sort=sort)
    return render_template(
        "kinerja/dashboard.html", summary=summary, period=period, years=_years(period.year), sort=sort,
        sort_labels=sort_labels(), opd_chart=opd_chart(summary), charts=trend_charts(period.year, summary.quarters),
        quarter_labels=quarter_labels(period.year))


@bp.get("/kelola/kinerja/ekspor.xlsx")
def dashboard_export() -> Any:
    user = signed_in()
    require(user, Permission.KINERJA_READ)
    period = _period()
    summary = services.summary_for(user, period, sort="nama")
    body = xlsx.write_workbook(summary, title=f"Kinerja Satu Data per OPD {period.label}")
    return _xlsx(body, _filename("kinerja-opd", period))


@bp.get("/kelola/kinerja/<slug>")
def detail(slug: str) -> Any:
    user = signed_in()
    org = services.organization_for(user, slug)
    period = _period()
    found = services.opd_detail(user, org, period)
    return render_template(
        "kinerja/detail.html", d=found, period=period, years=_years(period.year), figures=found.figures,
        charts=trend_charts(period.year, found.quarters), quarter_labels=quarter_labels(period.year),
        can_review=can(user, Permission.REVIEW_DATASET_PUBLISH, org),
        can_daftar=can(user, Permission.REVIEW_DAFTAR_READ, org))


# --------------------------------------------------------------------------- the public summary


@bp.get("/kinerja")
def public() -> Any:
    period = _period()
    sort = _sort("nama")
    summary = services.public_summary(period, sort=sort)
    return render_template(
        "kinerja/public.html", summary=summary, period=period, years=_years(period.year), sort=sort,
        sort_labels=sort_labels(), opd_chart=opd_chart(summary), charts=trend_charts(period.year, summary.quarters),
        quarter_labels=quarter_labels(period.year))


@bp.get("/kinerja/ekspor.xlsx")
def public_export() -> Any:
    period = _period()
    summary = services.public_summary(period)
    body = xlsx.write_workbook(summary, title=f"Kinerja Satu Data per OPD {period.label}")
    return _xlsx(body, _filename("kinerja-satu-data", period))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"kinerja_url": lambda endpoint, **kw: url_for(endpoint, **{k: v for k, v in kw.items() if v})}
