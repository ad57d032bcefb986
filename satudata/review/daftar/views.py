"""The Daftar Data pages.

- ``/kelola/daftar-data``: the walidata's list for a year (filters by OPD and status, the
  count per status), the add/edit form, import and export.
- ``/kelola/daftar-data/opd/<slug>``: an OPD's release calendar, month by month, where its
  producers (and the walidata) name the dataset that fulfils each item.
- ``/kalender-rilis``: the public release calendar, by month, filtered by OPD and year; each
  published item links to its dataset.

Views are thin: every change goes through ``daftar.services``, which authorise and audit it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from satudata.accounts.models import Organization
from satudata.authz import Actor, Permission, can, require
from satudata.catalog.models import DatasetState
from satudata.errors import DomainError, Invalid, NotFound, Unauthenticated, roll_back_refused
from satudata.review.daftar import services
from satudata.review.daftar.models import YEAR_MAX, YEAR_MIN, DaftarDataItem
from satudata.review.daftar.serializers import load_item_form
from satudata.review.daftar.services import DaftarImportError
from satudata.review.daftar.status import STATUS_ORDER, ItemStatus, Row, Standing, local_today

bp = Blueprint("daftar", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in() -> Actor:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _actor() -> Actor:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def status_labels() -> dict[str, str]:
    return {"due": _("Dijadwalkan"), "submitted": _("Diajukan"), "published": _("Terbit"), "late": _("Terlambat")}


def status_detail(s: Standing) -> str:
    """The second half of a badge: on time or not, how late, with whom."""
    if s.status == ItemStatus.PUBLISHED:
        return _("tepat waktu") if s.on_time else _("terlambat")
    if s.status == ItemStatus.LATE:
        late = ngettext("lewat %(num)s hari", "lewat %(num)s hari", s.days_late)
        return late + (", " + _("sudah diajukan") if s.submitted else "")
    if s.status == ItemStatus.DUE:
        if s.days_left == 0:
            return _("hari ini")
        return ngettext("%(num)s hari lagi", "%(num)s hari lagi", s.days_left)
    return _("menunggu walidata")


def state_labels() -> dict[str, str]:
    return {"draft": _("Draf"), "submitted": _("Diajukan"), "changes_requested": _("Perlu perbaikan"),
            "published": _("Terbit"), "withdrawn": _("Ditarik")}


def month_label(day: Any) -> str:
    return str(format_date(day, "MMMM yyyy"))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"daftar_status_labels": status_labels, "daftar_status_detail": status_detail,
            "daftar_month": month_label, "daftar_frequency": frequency_label, "daftar_standard_url": standard_url}


def standard_url(ref: str) -> str:
    """The page of the standard version ``name@N`` (or of the standard, for a bare name)."""
    name, _at, version = ref.partition("@")
    if version.isdigit():
        return url_for("standards.detail_version", name=name, version=int(version))
    return url_for("standards.detail", name=name)


def frequency_label(value: Any) -> str:
    from satudata.catalog.views.labels import enum_labels

    return enum_labels()["frequency"].get(str(value), str(value))


def _year(default: int) -> int:
    raw = request.args.get("tahun", "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX):
        raise Invalid(_("Tahun tidak valid: pilih tahun %(a)s–%(b)s.", a=YEAR_MIN, b=YEAR_MAX),
                      details={"tahun": [_("Tahun 4 angka.")]})
    return int(raw)


def _status() -> ItemStatus | None:
    raw = request.args.get("status", "")
    found = ItemStatus.parse(raw) if raw else None
    if raw and found is None:
        raise Invalid(_("Status tidak dikenal."), details={"status": [", ".join(str(s) for s in STATUS_ORDER)]})
    return found  # type: ignore[return-value]


def _organization(choices: list[Organization], field: str = "opd") -> Organization | None:
    slug = request.args.get(field, "")
    if not slug:
        return None
    found = next((o for o in choices if o.slug == slug), None)
    if found is None:
        raise NotFound(_("OPD tidak ditemukan."))
    return found


def _years(organization_ids: Any, today_year: int, selected: int) -> list[int]:
    return sorted({*services.list_years(organization_ids), today_year, today_year + 1, selected}, reverse=True)


def _errors(err: DomainError) -> dict[str, Any]:
    return {"_form": [err.message], **{k: v for k, v in (err.details or {}).items() if k != "_form"}}


def _local_next(default: str) -> str:
    """Where to go back to: a path on this site from the form, never another host."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


# --------------------------------------------------------------------------- the walidata's list


@bp.get("/kelola/daftar-data")
def manage() -> Any:
    user = signed_in()
    require(user, Permission.REVIEW_DAFTAR_MANAGE)
    scope = services.managed_organization_ids(user)
    organizations = services.manageable_organizations(user)
    today = local_today()
    year = _year(today.year)
    org = _organization(organizations)
    status = _status()
    ids = [org.id] if org is not None else scope
    every = services.list_items(year=year, organization_ids=ids, today=today)
    counts = services.count_statuses(every)
    rows = [r for r in every if status is None or r.status == status]
    return render_template(
        "daftar/manage.html", rows=rows, counts=counts, total=len(every), year=year, years=_years(scope, today.year, year),
        organizations=organizations, organization=org, status=status, statuses=STATUS_ORDER, today=today)


def _form_choices(user: Actor) -> dict[str, Any]:
    from satudata.catalog.views.labels import enum_labels
    from satudata.validation.services import list_standards

    return {"organizations": services.manageable_organizations(user), "standards": list_standards(),
            "frequencies": enum_labels()["frequency"]}


def _item_values(item: DaftarDataItem) -> dict[str, Any]:
    return {"organization": str(item.organization_id), "year": str(item.year), "title": item.title,
            "standard_ref": item.standard_ref or "", "frequency": str(item.frequency),
            "release_date": item.release_date.isoformat(), "is_priority": "on" if item.is_priority else "",
            "notes": item.notes}


def _chosen(user: Actor, data: dict[str, Any]) -> Organization:
    org = services.organization_by_id(data.pop("organization", None))
    if org is None or not can(user, Permission.REVIEW_DAFTAR_MANAGE, org):
        raise Invalid(_("Pilih OPD produsen di wilayah Anda."), details={"organization": [_("Pilih OPD.")]})
    return org


@bp.route("/kelola/daftar-data/baru", methods=["GET", "POST"])
def item_new() -> Any:
    user = signed_in()
    require(user, Permission.REVIEW_DAFTAR_MANAGE)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = load_item_form(request.form)
            item = services.create_item(user, _chosen(user, data), **data)
            flash(_("Butir \"%(title)s\" ditambahkan ke Daftar Data %(year)s.", title=item.title, year=item.year),
                  "success")
            return redirect(url_for("daftar.manage", tahun=item.year))
        except DomainError as err:
            roll_back_refused(err)
            errors = _errors(err)
        form: Any = request.form
    else:
        form = {"year": request.args.get("tahun") or str(local_today().year),
                "organization": str(getattr(_organization(services.manageable_organizations(user)), "id", ""))}
    return render_template("daftar/form.html", item=None, form=form, errors=errors, **_form_choices(user)), \
        400 if errors else 200


@bp.route("/kelola/daftar-data/<int:item_id>/ubah", methods=["GET", "POST"])
def item_edit(item_id: int) -> Any:
    user = signed_in()
    item = services.get_item(item_id)
    require(user, Permission.REVIEW_DAFTAR_MANAGE, item)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            data = load_item_form(request.form)
            changed = services.update_item(user, item, organization=_chosen(user, data), **data)
            flash(_("Perubahan disimpan.") if changed else _("Tidak ada perubahan."), "success")
            return redirect(url_for("daftar.manage", tahun=item.year))
        except DomainError as err:
            roll_back_refused(err)
            errors = _errors(err)
            item = services.get_item(item_id)
        form: Any = request.form
    else:
        form = _item_values(item)
    return render_template("daftar/form.html", item=item, form=form, errors=errors, **_form_choices(user)), \
        400 if errors else 200


@bp.post("/kelola/daftar-data/<int:item_id>/hapus")
def item_delete(item_id: int) -> Any:
    user = signed_in()
    item = services.get_item(item_id)
    year, title = item.year, item.title
    services.delete_item(user, item)
    flash(_("Butir \"%(title)s\" dihapus dari Daftar Data.", title=title), "success")
    return redirect(url_for("daftar.manage", tahun=year))


@bp.post("/kelola/daftar-data/<int:item_id>/dataset")
def item_dataset(item_id: int) -> Any:
    """Link (or unlink) the dataset that fulfils an item; back to the page the form was on."""
    user = signed_in()
    item = services.get_item(item_id)
    back = _local_next(url_for("daftar.calendar", slug=item.organization.slug, tahun=item.year))
    try:
        if request.form.get("action") == "unlink":
            services.unlink_dataset(user, item)
            flash(_("Dataset dilepas dari \"%(title)s\".", title=item.title), "success")
        else:
            dataset = services.link_dataset(user, item, request.form.get("dataset", ""))
            flash(_("\"%(title)s\" dipenuhi oleh dataset \"%(dataset)s\".", title=item.title, dataset=dataset.title),
                  "success")
    except Invalid as err:
        roll_back_refused(err)
        flash(err.message + " " + " ".join(err.details.get("dataset", [])), "error")
    return redirect(back)


@bp.get("/kelola/daftar-data/ekspor.xlsx")
def export() -> Any:
    user = signed_in()
    require(user, Permission.REVIEW_DAFTAR_MANAGE)
    year = _year(local_today().year)
    org = _organization(services.manageable_organizations(user))
    body = services.export_xlsx(user, year=year, organization_ids=[org.id] if org is not None else None)
    name = f"daftar-data-{year}" + (f"-{org.slug}" if org is not None else "") + ".xlsx"
    resp = Response(body, mimetype=XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@bp.route("/kelola/daftar-data/impor", methods=["GET", "POST"])
def import_page() -> Any:
    user = signed_in()
    require(user, Permission.REVIEW_DAFTAR_MANAGE)
    report: DaftarImportError | None = None
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise Invalid(_("Pilih berkas XLSX Daftar Data."), details={"file": [_("Pilih berkas.")]})
            result = services.import_xlsx(user, upload.stream)
            flash(_("Impor selesai: %(created)s butir baru, %(updated)s diperbarui, %(unchanged)s tidak berubah.",
                    created=result.created, updated=result.updated, unchanged=result.unchanged), "success")
            if result.ignored_columns:
                flash(_("Kolom yang diabaikan: %(names)s.", names=", ".join(result.ignored_columns)), "info")
            return redirect(url_for("daftar.manage", tahun=request.args.get("tahun") or None))
        except DaftarImportError as err:
            roll_back_refused(err)
            report = err
        except DomainError as err:
            roll_back_refused(err)
            report = DaftarImportError(err.message, [])
    from flask import current_app

    return render_template(
        "daftar/import.html", report=report, max_bytes=int(current_app.config["DAFTAR_IMPORT_MAX_BYTES"]),
        max_rows=int(current_app.config["DAFTAR_IMPORT_MAX_ROWS"]), year=_year(local_today().year)), \
        400 if report is not None else 200


# --------------------------------------------------------------------------- per-OPD calendar


@bp.get("/kelola/daftar-data/kalender")
def calendars() -> Any:
    """Which OPD calendar to open: straight to it for a producer of one OPD."""
    user = signed_in()
    require(user, Permission.REVIEW_DAFTAR_READ)
    organizations = services.readable_organizations(user)
    if len(organizations) == 1:
        return redirect(url_for("daftar.calendar", slug=organizations[0].slug, tahun=request.args.get("tahun")))
    return render_template("daftar/calendars.html", organizations=organizations,
                           can_manage=can(user, Permission.REVIEW_DAFTAR_MANAGE))


@bp.get("/kelola/daftar-data/opd/<slug>")
def calendar(slug: str) -> Any:
    user = signed_in()
    org = services.organization_by_slug(slug[:100])
    if org is None:
        raise NotFound(_("OPD tidak ditemukan."))
    require(user, Permission.REVIEW_DAFTAR_READ, org)
    today = local_today()
    year = _year(today.year)
    rows = services.list_items(year=year, organization_ids=[org.id], today=today)
    linkable = {r.item.id: services.datasets_for_link(r.item) for r in rows
                if can(user, Permission.REVIEW_DAFTAR_LINK, r.item)}
    return render_template(
        "daftar/calendar.html", organization=org, months=services.months(rows), counts=services.count_statuses(rows),
        total=len(rows), year=year, years=_years([org.id], today.year, year), linkable=linkable,
        state_labels=state_labels(), can_manage=can(user, Permission.REVIEW_DAFTAR_MANAGE, org), today=today,
        statuses=STATUS_ORDER)


# --------------------------------------------------------------------------- public calendar


@bp.get("/kalender-rilis")
def public_calendar() -> Any:
    today = local_today()
    year = _year(today.year)
    organizations = services.organizations_with_items(year)
    org = None
    if request.args.get("opd"):
        org = services.organization_by_slug(request.args["opd"][:100])
        if org is None:
            raise NotFound(_("OPD tidak ditemukan."))
        if org not in organizations:  # chosen for another year: keep it, with nothing to show
            organizations = sorted([*organizations, org], key=lambda o: o.name)
    status = _status()
    every = services.list_items(year=year, organization_ids=[org.id] if org is not None else None, today=today)
    rows: list[Row] = [r for r in every if status is None or r.status == status]
    actor = _actor()
    return render_template(
        "daftar/public.html", months=services.months(rows), counts=services.count_statuses(every), total=len(every),
        shown=len(rows), year=year, years=_years(None, today.year, year), organizations=organizations,
        organization=org, status=status, statuses=STATUS_ORDER, today=today,
        can_manage=can(actor, Permission.REVIEW_DAFTAR_MANAGE), published=DatasetState.PUBLISHED)
