"""The producer's workspace over the REST API (``/api/v1/workspace/...``), authenticated by
API tokens: "Dataset saya", drafts and their metadata, uploads and links, re-uploads, Table
Schemas, validation reports, and submitting to the walidata.

These are the operations of the web workspace (``satudata/review/views.py``) and go
through the same services (``catalog.services``, ``review.services``), which authorise and
audit every change, so the UI and the API cannot disagree. As everywhere under ``/api/``, only
a bearer token authenticates (a session cookie never does); reads need the ``read`` scope,
changes ``write``. Bodies are loaded with the serializers of ``satudata/api/serializers.py``;
domain errors become ``{"error": {...}}`` in ``errors.py`` (Invalid → 422, Conflict → 409,
Forbidden → 403, NotFound → 404).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from typing import Any, BinaryIO, cast

from flask import Blueprint, jsonify, request
from werkzeug.datastructures import FileStorage

from satudata.accounts import services as accounts
from satudata.accounts.api import api_actor
from satudata.accounts.models import Organization, TokenScope
from satudata.api import serializers as s
from satudata.authz import Actor, Permission, can
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, Resource
from satudata.errors import DomainError, Forbidden, Invalid, NotFound
from satudata.extensions import db
from satudata.review import services as review
from satudata.validation import services as standards

bp = Blueprint("workspace_api", __name__, url_prefix=s.API_PREFIX + "/workspace")

# Longer keys than this are never slugs or ids; refuse them before they reach the database.
MAX_KEY = 300


# --------------------------------------------------------------------------- helpers


@contextmanager
def _change() -> Iterator[None]:
    """Commit what the services did, or roll all of it back when one of them refuses."""
    try:
        yield
    except DomainError as err:
        db.session.rollback()
        err.details = {key: value if isinstance(value, list) else [str(value)]
                       for key, value in (err.details or {}).items()}
        raise
    db.session.commit()


def _key(value: str, message: str) -> str:
    """A path key as given, or ``NotFound`` when it cannot name anything (NUL bytes, which
    PostgreSQL refuses, or absurd lengths)."""
    if "\x00" in value or len(value) > MAX_KEY:
        raise NotFound(message)
    return value


def _dataset(actor: Actor, slug: str) -> Dataset:
    slug = _key(slug, "Dataset itu tidak ada di ruang kerja Anda.")
    return catalog.get_workspace_dataset(actor, slug)


def _resource(actor: Actor, resource_id: str) -> Resource:
    """A resource of a dataset in the actor's workspace. Another OPD's resource is answered
    like one that does not exist (its dataset's slug is not echoed)."""
    message = "Sumber data itu tidak ada di ruang kerja Anda (mungkin sudah dihapus)."
    found = db.session.get(Resource, _key(resource_id, message))
    if found is None:
        raise NotFound(message)
    try:
        dataset = catalog.get_workspace_dataset(actor, found.dataset.slug)
    except NotFound:
        raise NotFound(message) from None
    return catalog.get_workspace_resource(actor, dataset, resource_id)


def _json_body(*, optional: bool = False) -> Any:
    """The JSON body (``None`` when it is not JSON). ``optional``: no body at all is ``{}``."""
    if optional and not request.get_data(cache=True):
        return {}
    return request.get_json(silent=True)


def _upload_file() -> FileStorage:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("Pilih berkas untuk diunggah: kirim multipart/form-data dengan kolom file.",
                      details={"file": ["Pilih berkas."]})
    return upload


def _stream(upload: FileStorage) -> BinaryIO:
    return cast(BinaryIO, upload.stream)


def _is_multipart() -> bool:
    return request.mimetype == "multipart/form-data"


def _current_metadata(dataset: Dataset) -> dict[str, Any]:
    """The dataset's metadata in the shape of the metadata form (what a PATCH merges into)."""
    values: dict[str, Any] = {}
    for f in catalog.METADATA_FIELDS:
        value = getattr(dataset, f.name)
        if f.name == "topics":
            value = [t.slug for t in value]
        elif f.name == "tags":
            value = [t.name for t in value]
        elif isinstance(value, Enum):
            value = str(value)
        elif isinstance(value, date):
            value = value.isoformat()
        values[f.name] = value
    return values


def _organization_for_new(actor: Actor, slug: str | None) -> Organization:
    """The OPD a new draft belongs to: the one named, or the only one the actor produces for."""
    if slug:
        try:
            return accounts.get_organization(_key(slug, "Organisasi tidak dikenal."))
        except NotFound as err:
            raise Invalid(err.message, details={"organization": ["Organisasi tidak dikenal."]}) from None
    mine = [o for o in catalog.workspace_organizations(actor) if can(actor, Permission.CATALOG_DATASET_CREATE, o)]
    if not mine:
        raise Forbidden("Anda belum terdaftar sebagai produsen data OPD mana pun. Hubungi walidata atau admin.")
    if len(mine) > 1:
        choices = ", ".join(o.slug for o in mine)
        raise Invalid("Anda produsen data di beberapa OPD; sebutkan OPD-nya di kolom organization.",
                      details={"organization": [f"Pilih salah satu: {choices}."]})
    return mine[0]


def _dataset_response(dataset: Dataset, status: int = 200, **extra: Any) -> Any:
    return jsonify({"data": s.WorkspaceDatasetDetailSchema().dump(dataset), **extra}), status


def _resource_response(resource: Resource, status: int = 200) -> Any:
    return jsonify({"data": s.WorkspaceResourceSchema().dump(resource)}), status


# --------------------------------------------------------------------------- datasets


@bp.get("/datasets")
def list_datasets() -> Any:
    """The caller's datasets ("Dataset saya"), most recently changed first."""
    actor = api_actor()
    args = s.load_query(s.WorkspaceListArgs(), request.args)
    state = DatasetState(args["state"]) if args["state"] else None
    datasets = catalog.list_workspace_datasets(actor, state=state)
    return jsonify({"data": s.WorkspaceDatasetSchema(many=True).dump(datasets),
                    "meta": {"total": len(datasets), "counts": catalog.workspace_counts(actor)}})


@bp.post("/datasets")
def create_dataset() -> Any:
    """A new draft from the metadata form (JSON)."""
    actor = api_actor(TokenScope.WRITE)
    data = s.load_body(s.WorkspaceDatasetInput(), _json_body())
    organization = _organization_for_new(actor, data.pop("organization", None))
    with _change():
        dataset = catalog.create_workspace_dataset(actor, organization, data)
    return _dataset_response(dataset, 201)


@bp.get("/datasets/<slug>")
def get_dataset(slug: str) -> Any:
    """A dataset of the workspace with its resources, what blocks submission, and its history."""
    actor = api_actor()
    return _dataset_response(_dataset(actor, slug))


@bp.patch("/datasets/<slug>")
def update_dataset(slug: str) -> Any:
    """Change some metadata of a draft; the fields not sent keep their values."""
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    body = s.json_object(_json_body())
    # The web form always sends every field; merging first gives the API the same rules.
    data = s.load_body(s.WorkspaceDatasetPatchInput(), {**_current_metadata(dataset), **body})
    with _change():
        changed = catalog.update_dataset(actor, dataset, data)
    return _dataset_response(dataset, meta={"changed": changed})


@bp.post("/datasets/<slug>/submit")
def submit_dataset(slug: str) -> Any:
    """Hand the dataset to the walidata (draft or changes requested → submitted)."""
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    note = s.load_body(s.WorkspaceNoteInput(), _json_body(optional=True))["note"]
    with _change():
        review.submit_dataset(actor, dataset, note=note)
    return _dataset_response(dataset)


@bp.post("/datasets/<slug>/retract")
def retract_dataset(slug: str) -> Any:
    """Take a submission back to draft."""
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    note = s.load_body(s.WorkspaceNoteInput(), _json_body(optional=True))["note"]
    with _change():
        review.retract_submission(actor, dataset, note=note)
    return _dataset_response(dataset)


# --------------------------------------------------------------------------- resources


@bp.post("/datasets/<slug>/resources")
def add_resource(slug: str) -> Any:
    """Upload a file (multipart) or add a link to a document (JSON)."""
    actor = api_actor(TokenScope.WRITE)
    dataset = _dataset(actor, slug)
    if _is_multipart():
        form = s.load_form(s.WorkspaceUploadInput(exclude=("file",)), request.form)
        upload = _upload_file()
        schema, ref = standards.standard_choice(form["schema"])
        with _change():
            resource = catalog.upload_resource(
                actor, dataset, _stream(upload), filename=upload.filename or "", name=form["name"],
                description=form["description"], sheet=form["sheet"] or None, table_schema=schema, schema_ref=ref)
    else:
        body = _json_body()
        if body is None:
            raise Invalid("Kirim berkas sebagai multipart/form-data (kolom file), atau tautan dokumen sebagai JSON "
                          '{"url", "name"}.', details={"file": ["Pilih berkas."]})
        link = s.load_body(s.WorkspaceLinkInput(), body)
        with _change():
            resource = catalog.add_workspace_link(actor, dataset, url=link["url"], name=link["name"],
                                                  format=link["format"] or None, description=link["description"])
    return _resource_response(resource, 201)


@bp.get("/resources/<resource_id>")
def get_resource(resource_id: str) -> Any:
    """One resource with its Table Schema and validation status."""
    actor = api_actor()
    return _resource_response(_resource(actor, resource_id))


@bp.patch("/resources/<resource_id>")
def update_resource(resource_id: str) -> Any:
    """Change the name or description of a resource."""
    actor = api_actor(TokenScope.WRITE)
    resource = _resource(actor, resource_id)
    data = s.load_body(s.WorkspaceResourcePatchInput(), _json_body())
    with _change():
        catalog.update_resource_details(actor, resource, name=data.get("name", resource.name),
                                        description=data.get("description", resource.description))
    return _resource_response(resource)


@bp.delete("/resources/<resource_id>")
def delete_resource(resource_id: str) -> Any:
    """Remove a resource from a draft; answers with the dataset that remains."""
    actor = api_actor(TokenScope.WRITE)
    resource = _resource(actor, resource_id)
    dataset = resource.dataset
    with _change():
        catalog.delete_resource(actor, resource)
    return _dataset_response(dataset)


@bp.put("/resources/<resource_id>/file")
def replace_file(resource_id: str) -> Any:
    """Re-upload: the new file becomes current, the old one goes to the history."""
    actor = api_actor(TokenScope.WRITE)
    resource = _resource(actor, resource_id)
    if not _is_multipart():
        raise Invalid("Kirim berkas pengganti sebagai multipart/form-data dengan kolom file.",
                      details={"file": ["Pilih berkas."]})
    form = s.load_form(s.WorkspaceReplaceInput(exclude=("file",)), request.form)
    upload = _upload_file()
    with _change():
        catalog.replace_resource_file(actor, resource, _stream(upload), filename=upload.filename or "",
                                      sheet=form["sheet"] or None)
    return _resource_response(resource)


@bp.put("/resources/<resource_id>/schema")
def set_schema(resource_id: str) -> Any:
    """Attach a Table Schema: a standard of the library, or a descriptor; validates again."""
    actor = api_actor(TokenScope.WRITE)
    resource = _resource(actor, resource_id)
    data = s.load_body(s.WorkspaceSchemaInput(), _json_body())
    if ("schema" in data) == ("table_schema" in data):
        raise Invalid("Isi tepat salah satu: schema (nama standar data) atau table_schema (Table Schema lengkap).",
                      details={"schema": ["Isi schema atau table_schema, tidak keduanya."]})
    if "schema" in data:
        picked, ref = standards.standard_choice(data["schema"])
        if picked is None:
            raise Invalid("Sebut nama standar data, misalnya sekolah atau sekolah@2.",
                          details={"schema": ["Sebut nama standar data."]})
        descriptor: dict[str, Any] = picked
        ref_or_none: str | None = ref
    else:
        descriptor = data["table_schema"]
        # As the web editor does: an edited copy of a standard says which one it came from.
        ref_or_none = None if resource.schema_ref is None else f"{resource.schema_ref.split('+')[0]}+ubahan"
    try:
        with _change():
            catalog.set_resource_schema(actor, resource, descriptor, ref_or_none)
    except Invalid as err:
        if "table_schema" in data and "schema" in err.details:
            err.details = {"table_schema": err.details.pop("schema"), **err.details}
        raise
    return _resource_response(resource)


@bp.post("/resources/<resource_id>/validate")
def revalidate(resource_id: str) -> Any:
    """Validate the current file again; answers 202 while the job waits in the queue."""
    actor = api_actor(TokenScope.WRITE)
    resource = _resource(actor, resource_id)
    with _change():
        catalog.revalidate_resource(actor, resource)
    return _resource_response(resource, 202)


@bp.get("/resources/<resource_id>/validation")
def validation(resource_id: str) -> Any:
    """Status, progress and the report of a table's validation, as the workspace page shows it."""
    from satudata.validation import report, tasks

    actor = api_actor()
    args = s.load_query(s.ValidationArgs(), request.args)
    resource = _resource(actor, resource_id)
    presented = report.present(resource.validation_report)
    return jsonify({"data": s.WorkspaceValidationSchema().dump({
        "resource": resource.id,
        "status": resource.validation_status,
        "schema_ref": resource.schema_ref,
        "progress": tasks.get_progress(resource.id),
        "summary": presented,
        "report": resource.validation_report if args["full"] else None,
    })})
