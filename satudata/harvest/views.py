"""The walidata's harvest pages ("Kelola data" › "Sumber harvest"):

- the sources they manage, each with its last run, its datasets and a button to run it;
- a form to add or change a source, with a dry run ("Uji coba": the first records gathered and
  mapped, what a run would do with each; nothing written);
- a source's page: its settings, its runs (counts, a chart over time, a progress bar while one
  runs), run and cancel;
- a run's page: its counts, every job-level error, and its objects filtered by status, each error
  in full;
- the raw record a harvested dataset came from.

Every page needs a walidata over the source's organisation (or an admin); every change goes
through ``harvest.services``, which authorises it again and audits it.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from satudata.accounts.models import Organization, User
from satudata.authz import Permission, can
from satudata.errors import DomainError, Forbidden, Invalid, roll_back_refused
from satudata.extensions import db
from satudata.harvest import services
from satudata.harvest.models import (
    COUNT_KEYS,
    HarvestJob,
    HarvestSource,
    JobStatus,
    PublishMode,
    Schedule,
)
from satudata.review.views.common import form_errors, signed_in

bp = Blueprint("harvest", __name__, url_prefix="/kelola/harvest")


def local_year() -> int:
    """This year in WIB (a form's suggestion)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Jakarta")).year

OBJECTS_PER_PAGE = 50
CHART_JOBS = 20


def manager(user: User) -> User:
    """``user`` when a walidata or an admin (403 for anyone else)."""
    if not can(user, Permission.HARVEST_SOURCE_MANAGE, None):
        raise Forbidden(_("Halaman ini untuk walidata dan admin."))
    return user


def _source(user: User, name: str) -> HarvestSource:
    source = services.get_source(name)
    if not can(user, Permission.HARVEST_SOURCE_MANAGE, source.organization):
        raise Forbidden(_("Sumber ini milik wilayah lain."))
    return source


def _organizations(user: User) -> list[Organization]:
    orgs = db.session.scalars(select(Organization).order_by(Organization.name))
    return [o for o in orgs if can(user, Permission.HARVEST_SOURCE_MANAGE, o)]


def _labels() -> dict[str, Any]:
    """The Indonesian (or English) names of statuses, schedules and publish modes."""
    return {
        "status_labels": {"queued": _("Antre"), "running": _("Berjalan"), "finished": _("Selesai"),
                          "finished_with_errors": _("Selesai dengan galat"), "failed": _("Gagal"),
                          "cancelled": _("Dibatalkan")},
        "object_labels": {"new": _("Baru"), "updated": _("Berubah"), "unchanged": _("Tetap"),
                          "withdrawn": _("Ditarik"), "error": _("Galat")},
        "schedule_labels": {"manual": _("Manual"), "daily": _("Harian"), "weekly": _("Mingguan")},
        "mode_labels": {"direct": _("Langsung terbit"), "review": _("Lewat pemeriksaan walidata")},
    }


@bp.get("/")
def sources() -> Any:
    user = manager(signed_in())
    return render_template("harvest/sources.html", rows=services.list_sources(user), **_labels())


# --------------------------------------------------------------------------- the form


def _form_values(source: HarvestSource | None = None) -> dict[str, Any]:
    if request.method == "POST":
        return request.form.to_dict()
    if source is None:
        kind = request.args.get("jenis", "")
        if kind not in services.plugins():
            kind = "ckan"
        values = {"type": kind, "schedule": "manual", "publish_mode": services.default_publish_mode(kind),
                  "config": "{}", "active": "1"}
        if kind == "sipd":  # the official address and a starting config; the token is the portal's setting
            from flask import current_app

            values.update(url=current_app.config.get("SIPD_BASE_URL") or "", title=_("SIPD e-Walidata (DSSD)"),
                          name="sipd", config=json.dumps({"tahun": [local_year() - 1], "organization_map": {}}))
        return values
    return {"name": source.name, "title": source.title, "type": source.type, "url": source.url,
            "organization": source.organization.slug, "schedule": str(source.schedule),
            "publish_mode": str(source.publish_mode), "config": json.dumps(source.config, indent=2, ensure_ascii=False),
            "active": "1" if source.active else ""}


def _config(form: dict[str, Any]) -> Any:
    text = (form.get("config") or "").strip() or "{}"
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(_("Konfigurasi bukan JSON yang sah (baris %(line)s): %(why)s", line=exc.lineno, why=exc.msg),
                      details={"config": [_("Tulis objek JSON, misalnya {\"organizations\": [\"dinkes\"]}.")]}) \
            from exc


def _render_form(user: User, source: HarvestSource | None, form: dict[str, Any], errors: dict[str, Any] | None = None,
                 trial: dict[str, Any] | None = None, status: int = 200) -> Any:
    kinds = {name: getattr(cls, "title", name) for name, cls in sorted(services.plugins().items())}
    from flask import current_app

    sipd = {"base_url": current_app.config.get("SIPD_BASE_URL") or "",
            "kodepemda": current_app.config.get("SIPD_KODEPEMDA") or "",
            "token_set": bool(current_app.config.get("SIPD_TOKEN"))}
    return render_template("harvest/form.html", source=source, form=form, errors=errors or {}, trial=trial, sipd=sipd,
                           kinds=kinds, organizations=_organizations(user), schedules=[s.value for s in Schedule],
                           modes=[m.value for m in PublishMode], **_labels()), status


@bp.route("/baru", methods=["GET", "POST"])
def add() -> Any:
    user = manager(signed_in())
    form = _form_values()
    if request.method == "GET":
        return _render_form(user, None, form)
    try:
        config = _config(form)
        if request.form.get("action") == "trial":
            return _render_form(user, None, form, trial=services.dry_run(form.get("type", ""), form.get("url", ""), config))
        org = db.session.scalar(select(Organization).where(Organization.slug == form.get("organization", "")))
        source = services.add_source(user, name=form.get("name", ""), title=form.get("title"), type=form.get("type", ""),
                                     url=form.get("url", ""), organization=org or form.get("organization", ""),
                                     config=config, schedule=form.get("schedule", "manual"),
                                     publish_mode=form.get("publish_mode", "direct"), active=bool(form.get("active")))
    except DomainError as err:
        roll_back_refused(err)
        return _render_form(user, None, form, errors=form_errors(err), status=err.status)
    flash(_("Sumber \"%(name)s\" ditambahkan. Jalankan panen pertama dari halaman ini.", name=source.title), "success")
    return redirect(url_for("harvest.source", name=source.name))


@bp.route("/<name>/ubah", methods=["GET", "POST"])
def edit(name: str) -> Any:
    user = manager(signed_in())
    source = _source(user, name)
    form = _form_values(source)
    if request.method == "GET":
        return _render_form(user, source, form)
    try:
        config = _config(form)
        if request.form.get("action") == "trial":
            return _render_form(user, source, form,
                                trial=services.dry_run(source.type, form.get("url", ""), config, source=source))
        changed = services.update_source(user, source, {
            "title": form.get("title"), "url": form.get("url", ""), "config": config,
            "schedule": form.get("schedule", "manual"), "publish_mode": form.get("publish_mode", "direct"),
            "active": bool(form.get("active")), "organization": form.get("organization", "")})
    except DomainError as err:
        roll_back_refused(err)
        return _render_form(user, source, form, errors=form_errors(err), status=err.status)
    flash(_("Sumber disimpan.") if changed else _("Tidak ada yang berubah."), "success")
    return redirect(url_for("harvest.source", name=source.name))


# --------------------------------------------------------------------------- a source and its runs


def _chart(jobs: list[HarvestJob]) -> dict[str, Any] | None:
    """A stacked bar of the last runs' counts, oldest first (the figure macro of the data pages)."""
    shown = [j for j in reversed(jobs[:CHART_JOBS]) if j.counts]
    if not shown:
        return None
    keys = COUNT_KEYS
    labels = _labels()["object_labels"]
    return {"type": "stacked", "label_column": "panen", "label_title": _("Panen"),
            "labels": [f"#{j.id}" for j in shown],
            "series": [{"name": k, "label": labels[k], "values": [j.count(k) for j in shown]} for k in keys],
            "aggregate": "sum", "percent": False, "unit": None, "truncated": False,
            "title": _("Hasil %(n)s panen terakhir", n=len(shown))}


@bp.get("/<name>")
def source(name: str) -> Any:
    user = manager(signed_in())
    src = _source(user, name)
    page = max(1, request.args.get("halaman", 1, type=int) or 1)
    jobs = services.list_jobs(src, limit=50, offset=(page - 1) * 50)
    total = services.count_jobs(src)
    active = services.active_job(src)
    return render_template("harvest/source.html", count_keys=COUNT_KEYS, source=src, jobs=jobs, total=total, page=page, per_page=50,
                           active=active, chart=_chart(jobs) if page == 1 else None,
                           datasets=services.dataset_count(src),
                           **_labels())


@bp.post("/<name>/jalankan")
def run(name: str) -> Any:
    user = manager(signed_in())
    src = _source(user, name)
    try:
        job = services.request_run(user, src, trigger="manual")
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
        return redirect(url_for("harvest.source", name=src.name))
    flash(_("Panen #%(id)s diantrekan; halaman ini menunjukkan kemajuannya.", id=job.id), "success")
    return redirect(url_for("harvest.job", job_id=job.id))


@bp.post("/panen/<int:job_id>/batalkan")
def cancel(job_id: int) -> Any:
    user = manager(signed_in())
    job = services.get_job(job_id)
    _source(user, job.source.name)
    try:
        services.cancel_job(user, job)
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
        return redirect(url_for("harvest.job", job_id=job_id))
    flash(_("Panen dibatalkan.") if not job.is_active else _("Panen diminta berhenti; berhenti setelah record yang "
                                                            "sedang diproses."), "success")
    return redirect(url_for("harvest.job", job_id=job_id))


@bp.get("/panen/<int:job_id>")
def job(job_id: int) -> Any:
    user = manager(signed_in())
    found = services.get_job(job_id)
    _source(user, found.source.name)
    status = request.args.get("status") or None
    if status and status not in COUNT_KEYS:
        status = None
    page = max(1, request.args.get("halaman", 1, type=int) or 1)
    objects, total = services.list_objects(found, status=status, limit=OBJECTS_PER_PAGE,
                                           offset=(page - 1) * OBJECTS_PER_PAGE)
    # A SIPD run fills the Daftar Data of its years: the page links to the latest of them.
    years = [int(y) for y in (found.source.config or {}).get("tahun") or [] if str(y).isdigit()]
    daftar_year = (max(years) if years else local_year() - 1) if found.source.type == "sipd" else None
    return render_template("harvest/job.html", job=found, objects=objects, total=total, status=status, page=page,
                           per_page=OBJECTS_PER_PAGE, statuses=COUNT_KEYS, daftar_year=daftar_year,
                           running=found.status in (JobStatus.QUEUED, JobStatus.RUNNING), **_labels())


@bp.get("/rekaman/<dataset_id>")
def record(dataset_id: str) -> Any:
    user = manager(signed_in())
    found = services.record_of(dataset_id[:36])
    if found is None:
        abort(404)
    src = db.session.get(HarvestSource, found.source_id)
    assert src is not None
    _source(user, src.name)
    from satudata.catalog.models import Dataset

    dataset = db.session.get(Dataset, dataset_id[:36])
    return render_template("harvest/record.html", record=found, source=src, dataset=dataset,
                           raw=json.dumps(found.raw, indent=2, ensure_ascii=False, sort_keys=True))
