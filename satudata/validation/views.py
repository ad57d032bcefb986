"""The data-standards library in the UI: everyone browses the standard Table Schemas and
downloads any version as JSON; walidata and admins add standards (from a JSON file, from a
sample table, or in the editor) and new versions."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from satudata.authz import Actor, Permission, can, require
from satudata.errors import Conflict, DomainError, Invalid, Unauthenticated
from satudata.extensions import db
from satudata.tabular import reference
from satudata.validation import schema_form, services
from satudata.validation.models import SchemaVersion

bp = Blueprint("standards", __name__)

JSON_UPLOAD_MAX = 2 * 1024 * 1024  # a Table Schema is a few kilobytes
SAMPLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}


def _actor() -> Actor:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def signed_in() -> Actor:
    """The signed-in user, or (through the error handler) a redirect to the sign-in page."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return _actor()


def _can_manage() -> bool:
    return can(_actor(), Permission.VALIDATION_SCHEMA_MANAGE)


def _status(err: DomainError) -> int:
    return 409 if isinstance(err, Conflict) else 400


def _errors(err: DomainError) -> dict[str, Any]:
    return {"_form": [err.message], **err.details}


def field_rows(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of a Table Schema as the public page shows them (with their reference list)."""
    rows = []
    for spec in descriptor.get("fields") or []:
        if not isinstance(spec, dict):
            continue
        ref = ""
        if reference.PROPERTY in spec:
            try:
                ref = reference.parse_spec(spec[reference.PROPERTY], field_name=str(spec.get("name"))).title
            except reference.ReferenceSpecError as exc:
                ref = str(exc)
        constraints = spec.get("constraints") if isinstance(spec.get("constraints"), dict) else {}
        rows.append({**spec, "type": spec.get("type", "string"), "constraints": constraints, "reference": ref})
    return rows


def _page(version: SchemaVersion) -> Any:
    versions = services.list_versions(version.name)
    descriptor = version.descriptor or {}
    pk = descriptor.get("primaryKey") or []
    return render_template(
        "validation/standard.html", version=version, versions=versions, newest=versions[0],
        descriptor=descriptor, fields=field_rows(descriptor), primary_key=[pk] if isinstance(pk, str) else pk,
        meta=descriptor.get("x-satudata") if isinstance(descriptor.get("x-satudata"), dict) else {},
        ref=services.schema_ref_of(version), can_manage=_can_manage(),
    )


# --------------------------------------------------------------------------- public


@bp.get("/standar-data")
def index() -> Any:
    standards = services.list_standards()  # what a lazy first sync adds, the request commits
    return render_template("validation/standards.html", standards=standards, can_manage=_can_manage())


@bp.get("/standar-data/<name>")
def detail(name: str) -> Any:
    return _page(services.get_standard(name))


@bp.get("/standar-data/<name>/v<int:version>")
def detail_version(name: str, version: int) -> Any:
    return _page(services.get_standard(name, version))


@bp.get("/standar-data/<name>/v<int:version>.json")
def download(name: str, version: int) -> Any:
    found = services.get_standard(name, version)
    body = json.dumps(found.descriptor, ensure_ascii=False, indent=2) + "\n"
    resp = Response(body, mimetype="application/json")
    resp.headers["Content-Disposition"] = f'attachment; filename="{found.name}-v{found.version}.json"'
    return resp


# --------------------------------------------------------------------------- walidata and admins


def _json_upload(file: FileStorage | None) -> dict[str, Any]:
    if file is None or not file.filename:
        raise Invalid(_("Pilih berkas JSON Table Schema yang akan diunggah."),
                      details={"file": [_("Pilih berkas JSON.")]})
    data = file.stream.read(JSON_UPLOAD_MAX + 1)
    if len(data) > JSON_UPLOAD_MAX:
        raise Invalid(_("Berkas JSON terlalu besar untuk sebuah Table Schema (batas 2 MB)."),
                      details={"file": [_("Berkas terlalu besar.")]})
    return services.descriptor_from_json(data)


def _suggested_name(filename: str) -> str:
    stem = Path(filename).stem.lower()
    return re.sub(r"[^a-z0-9]+", "_", stem).strip("_")[:100]


def _infer_upload(file: FileStorage | None, sheet: str) -> dict[str, Any]:
    if file is None or not file.filename:
        raise Invalid(_("Pilih contoh tabel (CSV, XLSX atau JSON) untuk dibaca."),
                      details={"sample": [_("Pilih berkas tabel.")]})
    suffix = Path(file.filename).suffix.lower()
    fmt = SAMPLE_SUFFIXES.get(suffix)
    with tempfile.TemporaryDirectory(prefix="satudata-sample-") as tmp:
        path = Path(tmp) / "contoh"
        file.save(path)
        return services.infer_schema(path, fmt, sheet=sheet.strip() or None)


def _blank_values() -> dict[str, Any]:
    return schema_form.form_from_descriptor({"fields": [], "missingValues": [""]})


@bp.route("/standar-data/baru", methods=["GET", "POST"])
def new() -> Any:
    """Add a standard: upload a JSON Table Schema, read a sample table, or fill in the editor."""
    actor = signed_in()
    require(actor, Permission.VALIDATION_SCHEMA_MANAGE)
    mode = request.form.get("mode", "editor")
    values = _blank_values()
    errors: dict[str, Any] = {}
    upload_errors: dict[str, Any] = {}
    sample_errors: dict[str, Any] = {}
    name = request.form.get("name", "")
    note = request.form.get("note", "")
    status = 200
    if request.method == "POST":
        try:
            if mode == "upload":
                descriptor = _json_upload(request.files.get("file"))
                version = services.save_standard(actor, name, descriptor, note, new=True)
            elif mode == "infer":
                # Nothing is saved: the proposal opens in the editor, to be checked and named.
                file = request.files.get("sample")
                values = schema_form.form_from_descriptor(_infer_upload(file, request.form.get("sheet", "")))
                if file is not None and not name:
                    name = _suggested_name(file.filename or "")
                return render_template("validation/standard_new.html", values=values, errors={}, name=name,
                                       note=note, upload_errors={}, sample_errors={}, inferred=True)
            else:
                values = schema_form.form_from_post(request.form)
                descriptor = schema_form.descriptor_from_form(request.form)
                version = services.save_standard(actor, name, descriptor, note, new=True)
            flash(_("Standar data %(title)s disimpan sebagai versi %(n)s.", title=version.title, n=version.version),
                  "success")
            return redirect(url_for("standards.detail", name=version.name))
        except DomainError as err:
            if err.status in (401, 403, 404):
                raise
            db.session.rollback()
            status = _status(err)
            if mode == "upload":
                upload_errors = _errors(err)
            elif mode == "infer":
                sample_errors = _errors(err)
            else:
                errors = _errors(err)
    return render_template("validation/standard_new.html", values=values, errors=errors, name=name, note=note,
                           upload_errors=upload_errors, sample_errors=sample_errors, inferred=False), status


@bp.route("/standar-data/<name>/versi-baru", methods=["GET", "POST"])
def new_version(name: str) -> Any:
    """A new version of a standard: edit the newest version, or upload a JSON Table Schema."""
    actor = signed_in()
    require(actor, Permission.VALIDATION_SCHEMA_MANAGE)
    newest = services.get_standard(name)
    mode = request.form.get("mode", "editor")
    values = schema_form.form_from_descriptor(newest.descriptor or {})
    errors: dict[str, Any] = {}
    upload_errors: dict[str, Any] = {}
    note = request.form.get("note", "")
    status = 200
    if request.method == "POST":
        try:
            if mode == "upload":
                descriptor = _json_upload(request.files.get("file"))
            else:
                values = schema_form.form_from_post(request.form)
                descriptor = schema_form.descriptor_from_form(request.form)
            version = services.save_standard(actor, name, descriptor, note)
            flash(_("Versi %(n)s standar data %(title)s disimpan.", n=version.version, title=version.title), "success")
            return redirect(url_for("standards.detail", name=name))
        except DomainError as err:
            if err.status in (401, 403, 404):
                raise
            db.session.rollback()
            status = _status(err)
            if mode == "upload":
                upload_errors = _errors(err)
            else:
                errors = _errors(err)
    return render_template("validation/standard_version.html", newest=newest, values=values, errors=errors,
                           upload_errors=upload_errors, note=note), status
