"""The producer's workspace ("Kelola data"): "Dataset saya" by state, the metadata forms with
their completeness meter and the walidata's notes beside the fields they concern, uploads (with a
progress bar) and links, the Table Schema of each table, the validation report, and submitting
for review (again, after fixing, with a note). A walidata signing in lands here too: the top of
"Kelola data" is their review work (see ``walidata``).

Views are thin: every change goes through ``catalog.services`` / ``review.services``, which
authorise and audit it. Pages need a signed-in user; what they may see and do is decided by
the services and the policy.
"""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _

from satudata.authz import Permission, can
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, Resource
from satudata.catalog.storage import get_store
from satudata.errors import Conflict, DomainError, Invalid, NotFound, roll_back_refused
from satudata.review import services as review
from satudata.review.models import ReviewEvent
from satudata.review.regions import is_reviewer
from satudata.review.views.common import (
    bp,
    expected_event_id,
    field_labels,
    form_errors,
    load_metadata,
    signed_in,
    wants_json,
)
from satudata.review.views.region import region_counts
from satudata.review.views.walidata import revision_context
from satudata.validation import services as validation

PREVIEW_ROWS = 25
STATE_ORDER = (DatasetState.DRAFT, DatasetState.CHANGES_REQUESTED, DatasetState.SUBMITTED,
               DatasetState.PUBLISHED, DatasetState.WITHDRAWN)


def next_step(dataset: Dataset) -> str:
    """What the dataset needs next, in one line, for "Dataset saya"."""
    if dataset.state == DatasetState.SUBMITTED:
        return _("Menunggu pemeriksaan walidata.")
    if dataset.state == DatasetState.PUBLISHED:
        if dataset.revision is not None:
            return _("Terbit di katalog publik; revisinya sedang dibuka.")
        return _("Terbit di katalog publik.")
    if dataset.state == DatasetState.WITHDRAWN:
        return _("Ditarik dari katalog publik oleh walidata.")
    problems = review.submission_problems(dataset)
    if not problems:
        return _("Siap diajukan ke walidata.")
    prefix = _("Perbaiki sesuai catatan walidata: ") if dataset.state == DatasetState.CHANGES_REQUESTED else ""
    return prefix + problems[0] + (_(" (dan %(n)s hal lain)", n=len(problems) - 1) if len(problems) > 1 else "")


# --------------------------------------------------------------------------- Dataset saya


@bp.route("/")
def dashboard() -> Any:
    """"Kelola data": a walidata's review work first (what waits, what is published or withdrawn
    in their region), then the producer's own datasets by state."""
    user = signed_in()
    state = DatasetState.parse(request.args.get("status"))
    if request.args.get("status") and state is None:
        raise NotFound(_("Status tidak dikenal."))
    organizations = catalog.workspace_organizations(user)
    reviewing = is_reviewer(user)
    producing = bool(organizations)
    datasets = catalog.list_workspace_datasets(user, state=state) if producing else []  # type: ignore[arg-type]
    review_work = None
    if reviewing:
        review_work = {"waiting": len(review.review_queue(user)), "counts": region_counts(user),
                       "daftar": "daftar.manage" in current_app.view_functions}
    return render_template(
        "workspace/dashboard.html", datasets=datasets, counts=catalog.workspace_counts(user), state=state,
        states=STATE_ORDER, organizations=organizations, next_step=next_step,
        completeness=catalog.completeness, producing=producing, review_work=review_work,
        can_create=any(can(user, Permission.CATALOG_DATASET_CREATE, o) for o in organizations),
        walidata_tools=can(user, Permission.VALIDATION_SCHEMA_MANAGE))


def changes_request(dataset: Dataset) -> ReviewEvent | None:
    """The walidata's request the producer is answering: the last one, while the dataset is
    back with the producer (``changes_requested``); None otherwise."""
    if dataset.state != DatasetState.CHANGES_REQUESTED:
        return None
    return next((e for e in review.list_events(dataset) if e.action == "request_changes"), None)


def _form_context(dataset: Dataset | None, form: Any, errors: dict[str, Any], organizations: list[Any]) -> dict[str, Any]:
    from satudata.catalog.views.public import enum_labels

    request_event = changes_request(dataset) if dataset is not None else None
    return {"dataset": dataset, "form": form, "errors": errors, "organizations": organizations,
            "topics": catalog.list_topics(), "licences": catalog.list_licences(), "labels": enum_labels(),
            "fields": {f.name: f for f in catalog.METADATA_FIELDS}, "field_labels": field_labels(),
            "meter": catalog.completeness(dataset) if dataset is not None else None,
            "request_event": request_event,
            "field_notes": dict(request_event.field_notes or {}) if request_event is not None else {},
            "editable": dataset is None or dataset.state in catalog.EDITABLE_STATES}


@bp.route("/dataset/baru", methods=["GET", "POST"])
def dataset_new() -> Any:
    user = signed_in()
    organizations = [o for o in catalog.workspace_organizations(user)
                     if can(user, Permission.CATALOG_DATASET_CREATE, o)]
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            org_id = request.form.get("organization", type=int)
            org = next((o for o in organizations if o.id == org_id), None) if org_id else (
                organizations[0] if len(organizations) == 1 else None)
            if org is None:
                raise Invalid(_("Pilih OPD produsen data."), details={"organization": [_("Pilih OPD.")]})
            dataset = catalog.create_workspace_dataset(user, org, load_metadata(request.form))
            flash(_("Dataset dibuat sebagai draf. Sekarang unggah tabelnya."), "success")
            return redirect(url_for("workspace.upload", slug=dataset.slug))
        except DomainError as err:
            roll_back_refused(err)
            errors = form_errors(err)
    elif not organizations:
        abort(403)
    form = _FormView(request.form) if request.method == "POST" else {
        "access_class": "publik", "licence_id": "cc-by-4.0",
        "contact_name": user.full_name if hasattr(user, "full_name") else "", "contact_email": user.email}
    return render_template("workspace/dataset_form.html", **_form_context(None, form, errors, organizations)), \
        400 if errors else 200


def _form_values(dataset: Dataset) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in catalog.METADATA_FIELDS:
        value = getattr(dataset, f.name)
        if f.name == "topics":
            values[f.name] = [t.slug for t in value]
        elif f.name == "tags":
            values[f.name] = ", ".join(t.label for t in value)
        elif value is None:
            values[f.name] = ""
        elif isinstance(value, bool):
            values[f.name] = "on" if value else ""
        else:
            values[f.name] = str(value)
    return values


class _FormView:
    """``request.form`` with list access for topics, as the template reads it."""

    def __init__(self, form: Any) -> None:
        self._form = form

    def get(self, key: str, default: Any = "") -> Any:
        if key == "topics":
            return self._form.getlist("topics")
        return self._form.get(key, default)


def _to_revision(dataset: Dataset, endpoint: str) -> Any:
    """A published dataset's edit and upload pages lead to its revision's (or, with none open,
    to its page, where "Buat revisi" is); ``None`` for any other dataset."""
    if dataset.state != DatasetState.PUBLISHED or dataset.is_revision:
        return None
    if dataset.revision is not None:
        return redirect(url_for(endpoint, slug=dataset.revision.slug))
    flash(_("Dataset ini sudah terbit. Buat revisi untuk mengubah metadata atau berkasnya; publik tetap melihat "
            "versi terbit sampai revisi diterbitkan walidata."), "info")
    return redirect(url_for("workspace.dataset", slug=dataset.slug))


@bp.route("/dataset/<slug>/ubah", methods=["GET", "POST"])
def dataset_edit(slug: str) -> Any:
    user = signed_in()
    dataset = catalog.get_workspace_dataset(user, slug)
    if (elsewhere := _to_revision(dataset, "workspace.dataset_edit")) is not None:
        return elsewhere
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            changed = catalog.update_dataset(user, dataset, load_metadata(request.form))
            flash(_("Metadata disimpan.") if changed else _("Tidak ada perubahan."), "success")
            return redirect(url_for("workspace.dataset", slug=dataset.slug))
        except DomainError as err:
            roll_back_refused(err)
            errors = form_errors(err)
            dataset = catalog.get_workspace_dataset(user, slug)
    form = _FormView(request.form) if request.method == "POST" else _form_values(dataset)
    return render_template("workspace/dataset_form.html", **_form_context(dataset, form, errors, [])), \
        400 if errors else 200


@bp.route("/dataset/<slug>")
def dataset(slug: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    request_event = changes_request(ds)
    return render_template(
        "workspace/dataset.html", dataset=ds, meter=catalog.completeness(ds), problems=review.submission_problems(ds),
        **revision_context(ds, compare=False),
        can_revise=ds.state == DatasetState.PUBLISHED and not ds.is_revision and ds.revision is None
        and can(user, Permission.REVIEW_DATASET_SUBMIT, ds),
        versions=catalog.list_versions(ds.revision_of or ds),
        events=review.list_events(ds), editable=ds.state in catalog.EDITABLE_STATES
        and can(user, Permission.CATALOG_DATASET_EDIT, ds),
        can_submit=can(user, Permission.REVIEW_DATASET_SUBMIT, ds), next_step=next_step(ds),
        progress={r.id: _progress(r) for r in ds.resources if r.is_tabular},
        last_event_id=review.last_event_id(ds), request_event=request_event, field_labels=field_labels(),
        reviewing=can(user, Permission.REVIEW_DATASET_PUBLISH, ds))


def _act(change: Any, done: str, ok_url: str, fail_url: str | None = None) -> Any:
    """Run one change from a small form (a service call) and say how it went (the request's
    unit of work commits it; a refusal is rolled back here and shown)."""
    try:
        change()
        flash(done, "success")
        return redirect(ok_url)
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
        return redirect(fail_url or ok_url)


@bp.route("/dataset/<slug>/ajukan", methods=["POST"])
def submit(slug: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    again = ds.state == DatasetState.CHANGES_REQUESTED
    return _act(lambda: review.submit_dataset(user, ds, note=request.form.get("note", "")[:2000],
                                              expected_event_id=expected_event_id()),
                _("Perbaikan diajukan ulang ke walidata untuk diperiksa.") if again
                else _("Dataset diajukan ke walidata untuk diperiksa."), url_for("workspace.dataset", slug=slug))


@bp.route("/dataset/<slug>/tarik", methods=["POST"])
def retract(slug: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    return _act(lambda: review.retract_submission(user, ds, note=request.form.get("note", "")[:2000],
                                                  expected_event_id=expected_event_id()),
                _("Pengajuan ditarik; dataset kembali menjadi draf."), url_for("workspace.dataset", slug=slug))


@bp.route("/dataset/<slug>/revisi", methods=["POST"])
def revise(slug: str) -> Any:
    """Open the revision of a published dataset and go to it."""
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    try:
        revision = review.open_revision(user, ds, expected_event_id=expected_event_id())
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
        return redirect(url_for("workspace.dataset", slug=slug))
    flash(_("Revisi dibuka. Ubah metadata atau berkasnya di sini lalu ajukan ke walidata; publik tetap melihat "
            "versi terbit sampai revisi ini diterbitkan."), "success")
    return redirect(url_for("workspace.dataset", slug=revision.slug))


@bp.route("/dataset/<slug>/buang-revisi", methods=["POST"])
def discard(slug: str) -> Any:
    """Give up a revision; back to the published dataset, unchanged."""
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    if ds.revision_of is None:
        flash(_("Ini bukan revisi."), "error")
        return redirect(url_for("workspace.dataset", slug=slug))
    published_slug = ds.revision_of.slug
    return _act(lambda: review.discard_revision(user, ds, expected_event_id=expected_event_id()),
                _("Revisi dibuang; dataset terbit tidak berubah."), url_for("workspace.dataset", slug=published_slug),
                url_for("workspace.dataset", slug=slug))


# --------------------------------------------------------------------------- uploads


def _standards() -> list[Any]:
    return list(validation.list_standards())


def _upload_response(ok_url: str, errors: dict[str, Any], template: str, **context: Any) -> Any:
    if wants_json():
        if errors:
            return jsonify({"ok": False, "errors": errors}), 400
        return jsonify({"ok": True, "redirect": ok_url})
    if errors:
        return render_template(template, errors=errors, **context), 400
    return redirect(ok_url)


@bp.route("/dataset/<slug>/unggah/lembar", methods=["POST"])
def upload_workbook(slug: str) -> Any:
    """The sheets of the workbook chosen in the upload form and where its table starts (JSON
    for the form's script; nothing is stored): the form then offers the sheets as a list and
    shows the header row found, which the producer may change before sending."""
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    upload_file = request.files.get("file")
    try:
        if upload_file is None or not upload_file.filename:
            raise Invalid(_("Pilih berkas XLSX."), details={"file": [_("Pilih berkas.")]})
        overview = catalog.inspect_workbook(user, ds, upload_file.stream, sheet=request.form.get("sheet"),
                                            header_row=request.form.get("header_row"))
    except DomainError as err:
        roll_back_refused(err)
        return jsonify({"ok": False, "errors": form_errors(err)}), 400
    return jsonify({"ok": True, **overview})


@bp.route("/dataset/<slug>/unggah", methods=["GET", "POST"])
def upload(slug: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    if (elsewhere := _to_revision(ds, "workspace.upload")) is not None:
        return elsewhere
    errors: dict[str, Any] = {}
    context = {"dataset": ds, "standards": _standards(), "form": request.form,
               "max_bytes": current_app.config["UPLOAD_MAX_BYTES"],
               "editable": ds.state in catalog.EDITABLE_STATES and can(user, Permission.CATALOG_DATASET_EDIT, ds)}
    if request.method == "GET":
        return render_template("workspace/upload.html", errors=errors, **context)
    kind = request.form.get("kind", "file")
    try:
        if kind == "link":
            res = catalog.add_workspace_link(user, ds, url=request.form.get("url", ""), name=request.form.get("name", ""),
                                             format=request.form.get("format") or None,
                                             description=request.form.get("description", ""))
        else:
            upload_file = request.files.get("file")
            if upload_file is None or not upload_file.filename:
                raise Invalid(_("Pilih berkas untuk diunggah."), details={"file": [_("Pilih berkas.")]})
            schema, ref = validation.standard_choice(request.form.get("schema"))
            res = catalog.upload_resource(
                user, ds, upload_file.stream, filename=upload_file.filename, name=request.form.get("name", ""),
                description=request.form.get("description", ""), sheet=request.form.get("sheet") or None,
                table_schema=schema, schema_ref=ref, header_row=request.form.get("header_row") or None)
    except DomainError as err:
        roll_back_refused(err)
        errors = form_errors(err)
        ds = catalog.get_workspace_dataset(user, slug)
        context["dataset"] = ds
        return _upload_response("", errors, "workspace/upload.html", **context)
    flash(_("Berkas diunggah. Validasi berjalan; hasilnya tampil di halaman ini.") if res.is_tabular
          else _("Sumber data ditambahkan."), "success")
    return _upload_response(url_for("workspace.resource", slug=slug, resource_id=res.id), {}, "")


# --------------------------------------------------------------------------- one resource


def _progress(res: Resource) -> dict[str, Any] | None:
    from satudata.validation import tasks

    return tasks.get_progress(res.id)


def _preview(res: Resource, first_row: int, cells: dict[int, set[int | str]]) -> Any:
    from satudata.validation import report

    if not (res.is_tabular and res.sha256):
        return None
    try:
        rows = report.raw_rows(get_store().path(res.sha256), res.format or "csv", first_row=first_row,
                               count=PREVIEW_ROWS, sheet=res.sheet, header_row=res.header_row)
    except Exception as exc:  # a file the preview cannot read: the report says why
        current_app.logger.info("workspace preview of %s failed: %s", res.id, exc)
        return None
    return {"header": rows.header, "rows": rows.rows, "first_row": first_row, "cells": cells,
            "per_page": PREVIEW_ROWS}


@bp.route("/dataset/<slug>/sumber/<resource_id>")
def resource(slug: str, resource_id: str) -> Any:
    from satudata.validation import report

    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    res = catalog.get_workspace_resource(user, ds, resource_id)
    # While a new file (or Table Schema) is being validated, the last report is about the old
    # one: it is not shown, nor its marks on the new file's preview (#14).
    pending = str(res.validation_status) == "pending"
    presented = None if pending else report.present(res.validation_report, numbers=catalog.written_numbers(res))
    cells = presented.cells if presented else {}
    first_row = request.args.get("baris", type=int) or report.around(presented.rows_with_errors if presented else [],
                                                                     PREVIEW_ROWS)
    return render_template(
        "workspace/resource.html", dataset=ds, res=res, report=presented, progress=_progress(res),
        same_failure=report.same_failure(presented), layout=catalog.workbook_layout(res),
        preview=_preview(res, first_row, cells), editable=ds.state in catalog.EDITABLE_STATES
        and can(user, Permission.CATALOG_DATASET_EDIT, ds), standards=_standards(),
        max_bytes=current_app.config["UPLOAD_MAX_BYTES"], errors={}, reviewing=_reviewing_only(user, ds))


def _reviewing_only(user: Any, ds: Dataset) -> bool:
    """Whether ``user`` opens this page as the dataset's walidata rather than its producer (the
    breadcrumb leads back to the review, not to "Dataset saya")."""
    return can(user, Permission.REVIEW_DATASET_PUBLISH, ds) and not can(user, Permission.CATALOG_DATASET_EDIT, ds)


@bp.route("/dataset/<slug>/sumber/<resource_id>/status.json")
def resource_status(slug: str, resource_id: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    res = catalog.get_workspace_resource(user, ds, resource_id)
    progress = _progress(res) or {}
    return jsonify({"status": str(res.validation_status), **progress})


@bp.route("/dataset/<slug>/sumber/<resource_id>/laporan.json")
def report_json(slug: str, resource_id: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    res = catalog.get_workspace_resource(user, ds, resource_id)
    if not res.validation_report:
        raise NotFound(_("Sumber data ini belum punya laporan validasi."))
    body = json.dumps(res.validation_report, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="laporan-validasi-{res.id[:8]}.json"'})


@bp.route("/dataset/<slug>/sumber/<resource_id>/ganti", methods=["POST"])
def replace(slug: str, resource_id: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    res = catalog.get_workspace_resource(user, ds, resource_id)
    ok_url = url_for("workspace.resource", slug=slug, resource_id=resource_id)
    try:
        upload_file = request.files.get("file")
        if upload_file is None or not upload_file.filename:
            raise Invalid(_("Pilih berkas pengganti."), details={"file": [_("Pilih berkas.")]})
        catalog.replace_resource_file(user, res, upload_file.stream, filename=upload_file.filename,
                                      sheet=request.form.get("sheet") or None,
                                      header_row=request.form.get("header_row") or None)
    except DomainError as err:
        roll_back_refused(err)
        if wants_json():  # 409: another request was replacing this file (or the dataset is locked)
            return jsonify({"ok": False, "errors": form_errors(err)}), 409 if isinstance(err, Conflict) else 400
        flash(_("Berkas tidak diganti: %(msg)s", msg=err.message), "error")
        return redirect(ok_url)
    flash(_("Berkas diganti; berkas lama disimpan di riwayat. Validasi berjalan."), "success")
    return jsonify({"ok": True, "redirect": ok_url}) if wants_json() else redirect(ok_url)


@bp.route("/dataset/<slug>/sumber/<resource_id>/ubah", methods=["POST"])
def resource_edit(slug: str, resource_id: str) -> Any:
    user = signed_in()
    res = catalog.get_workspace_resource(user, catalog.get_workspace_dataset(user, slug), resource_id)
    here = url_for("workspace.resource", slug=slug, resource_id=resource_id)
    return _act(lambda: catalog.update_resource_details(user, res, name=request.form.get("name", ""),
                                                        description=request.form.get("description", "")),
                _("Keterangan sumber data disimpan."), here)


@bp.route("/dataset/<slug>/sumber/<resource_id>/hapus", methods=["POST"])
def resource_delete(slug: str, resource_id: str) -> Any:
    user = signed_in()
    res = catalog.get_workspace_resource(user, catalog.get_workspace_dataset(user, slug), resource_id)
    return _act(lambda: catalog.delete_resource(user, res), _("Sumber data dihapus."),
                url_for("workspace.dataset", slug=slug),
                url_for("workspace.resource", slug=slug, resource_id=resource_id))


@bp.route("/dataset/<slug>/sumber/<resource_id>/lembar", methods=["POST"])
def resource_sheet(slug: str, resource_id: str) -> Any:
    user = signed_in()
    res = catalog.get_workspace_resource(user, catalog.get_workspace_dataset(user, slug), resource_id)
    here = url_for("workspace.resource", slug=slug, resource_id=resource_id)
    if request.form.get("next") == url_for("workspace.resource_schema", slug=slug, resource_id=resource_id):
        here = request.form["next"]  # back to the Table Schema page the layout was changed from
    return _act(lambda: catalog.change_resource_layout(user, res, sheet=request.form.get("sheet"),
                                                       header_row=request.form.get("header_row")),
                _("Letak tabel disimpan; validasi berjalan."), here)


@bp.route("/dataset/<slug>/sumber/<resource_id>/validasi-ulang", methods=["POST"])
def revalidate(slug: str, resource_id: str) -> Any:
    user = signed_in()
    res = catalog.get_workspace_resource(user, catalog.get_workspace_dataset(user, slug), resource_id)
    return _act(lambda: catalog.revalidate_resource(user, res), _("Validasi dijalankan ulang."),
                url_for("workspace.resource", slug=slug, resource_id=resource_id))


@bp.route("/dataset/<slug>/sumber/<resource_id>/unduh")
@bp.route("/dataset/<slug>/sumber/<resource_id>/riwayat/<int:number>/unduh")
def resource_file(slug: str, resource_id: str, number: int | None = None) -> Any:
    """The producer's own copy of the current file or of an earlier upload (drafts included)."""
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    res = catalog.get_workspace_resource(user, ds, resource_id)
    sha, filename = res.sha256, res.filename
    if number is not None:
        rev = next((r for r in res.revisions if r.number == number), None)
        if rev is None:
            raise NotFound(_("Versi berkas itu tidak ada."))
        sha, filename = rev.sha256, rev.filename
    if not sha or not get_store().exists(sha):
        raise NotFound(_("Berkas tidak tersedia di penyimpanan."))
    return send_file(get_store().path(sha), as_attachment=True, download_name=filename or "berkas",
                     mimetype=res.media_type or "application/octet-stream")


@bp.route("/dataset/<slug>/sumber/<resource_id>/skema", methods=["GET", "POST"])
def resource_schema(slug: str, resource_id: str) -> Any:
    user = signed_in()
    ds = catalog.get_workspace_dataset(user, slug)
    res = catalog.get_workspace_resource(user, ds, resource_id)
    if not res.is_tabular:
        raise NotFound(_("Table Schema hanya untuk tabel."))
    from satudata.validation import schema_form

    errors: dict[str, Any] = {}
    ok_url = url_for("workspace.resource", slug=slug, resource_id=resource_id)
    if request.method == "POST":
        action = request.form.get("action", "save")
        try:
            if action == "standard":
                catalog.set_resource_schema(user, res, standard=request.form.get("schema", ""))
                message = _("Standar data %(ref)s dipasang; validasi berjalan.", ref=res.schema_ref)
            elif action == "infer":
                if not res.sha256:
                    raise Invalid(_("Belum ada berkas untuk disimpulkan skemanya."))
                inferred = validation.infer_schema(get_store().path(res.sha256), (res.format or "csv").lower(),
                                                   sheet=res.sheet, header_row=res.header_row)
                catalog.set_resource_schema(user, res, descriptor=inferred, inferred=True)
                message = _("Table Schema disimpulkan dari berkas; periksa dan lengkapi aturannya.")
            else:
                edited = schema_form.descriptor_from_form(request.form)
                catalog.set_resource_schema(user, res, descriptor=edited)
                message = _("Table Schema disimpan; validasi berjalan.")
            flash(message, "success")
            return redirect(ok_url if action != "infer" else url_for("workspace.resource_schema", slug=slug,
                                                                     resource_id=resource_id))
        except DomainError as err:
            roll_back_refused(err)
            errors = form_errors(err)
            ds = catalog.get_workspace_dataset(user, slug)
            res = catalog.get_workspace_resource(user, ds, resource_id)
    if errors and request.form.get("action", "save") == "save":
        form_values = schema_form.form_from_post(request.form)
    else:
        form_values = schema_form.form_from_descriptor(res.table_schema or {"fields": []})
    editable = ds.state in catalog.EDITABLE_STATES and can(user, Permission.CATALOG_DATASET_EDIT, ds)
    questions = validation.number_questions(get_store().path(res.sha256), res.table_schema,
                                            (res.format or "csv").lower(), sheet=res.sheet,
                                            header_row=res.header_row) \
        if editable and res.sha256 and res.table_schema else []
    return render_template("workspace/schema.html", dataset=ds, res=res, form_values=form_values, errors=errors,
                           layout=catalog.workbook_layout(res),
                           standards=_standards(), editable=editable, questions=questions), 400 if errors else 200
