"""The PPID annual reports: the public downloads (XLSX and PDF, for the whole region or one PPID)
and the officers' page for the written parts of their PPID's report."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata.errors import DomainError, Forbidden, Unauthenticated, roll_back_refused
from satudata.extensions import limiter
from satudata.ppid import reports, services
from satudata.ppid.reports import pdf, xlsx

bp = Blueprint("ppid_reports", __name__)

# A report is computed on each download (a second or two for a few thousand requests): enough
# for anyone reading it, not for a script asking in a loop.
DOWNLOAD_LIMIT = "30 per minute"
RENDER = {"xlsx": xlsx.render, "pdf": pdf.render}


@bp.route("/ppid/laporan/<int:year>.<any(xlsx, pdf):fmt>")
@limiter.limit(DOWNLOAD_LIMIT)
def download(year: int, fmt: str) -> Any:
    """The annual report of ``year``: the whole region, or one PPID with ``?ppid=<slug>``."""
    report = reports.build_report(year, request.args.get("ppid", "").strip() or None)
    resp = send_file(io.BytesIO(RENDER[fmt](report)), mimetype=reports.MEDIA_TYPES[fmt], as_attachment=True,
                     download_name=reports.filename(year, report.slug, fmt))
    resp.headers["Cache-Control"] = "no-cache"  # the figures move until the year's requests are all decided
    return resp


def signed_in() -> Any:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()


def _default_year(years: range) -> int:
    """Last year's report is the one being written (it is due by the end of March)."""
    last = services.today().year - 1
    return last if last in years else years.stop - 1


@bp.route("/kelola/ppid/laporan", methods=["GET", "POST"])
def narrative() -> Any:
    """An officer writes the policy, resources, obstacles and recommendations of their PPID's
    annual service report; the service checks they may (``ppid.policy.write_report``)."""
    user = signed_in()
    units = reports.narrative_units(user)
    if not units:
        raise Forbidden(_("Halaman ini untuk petugas PPID yang menyusun laporan tahunan."))
    source = request.form if request.method == "POST" else request.args
    years = reports.report_years()
    year = source.get("tahun", type=int) or _default_year(years)
    slug = source.get("ppid", "") or units[0].slug
    org, written = reports.narrative_for(user, slug, year)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            reports.update_narrative(user, org, year, request.form)
        except DomainError as err:
            roll_back_refused(err)
            errors = {"_form": [err.message], **{k: v for k, v in (err.details or {}).items() if k != "_form"}}
        else:
            flash(_("Laporan layanan %(ppid)s tahun %(year)s tersimpan.", ppid=org.name, year=year), "success")
            return redirect(url_for("ppid_reports.narrative", ppid=org.slug, tahun=year))
    form = request.form if errors else {key: getattr(written, key, "") or "" for key, _t, _h in reports.NARRATIVE_FIELDS}
    return render_template("ppid/report_narrative.html", units=units, org=org, year=year,
                           years=list(reversed(years)), form=form, errors=errors, written=written,
                           fields=reports.NARRATIVE_FIELDS), 400 if errors else 200
