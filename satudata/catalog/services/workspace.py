"""The producer's side of the catalogue: "Dataset saya", editing metadata, uploading and
replacing files (with history), links, and attaching Table Schemas.

Producers change a dataset only while it is theirs to change: ``draft`` or
``changes_requested``. A submitted dataset is with the walidata (retract it first); a published
one changes through its revision (``revisions``; the review domain opens it). Every upload is checked before it replaces
anything (``tabular.preflight``), so a bad file costs nothing: the resource keeps its
previous good file, and the clerk reads at once what to change.

An upload request only stores the file, runs that quick check, records the change and queues
validation; the slow readings of the whole file (Table Schema inference, the column summary)
are the validation job's (:func:`summarise_stored_table`, :func:`record_table_facts`). Two
re-uploads of one resource take turns (:func:`lock_resource`), so none is lost.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, Role, SystemActor, can, require
from satudata.catalog import events
from satudata.catalog.models import (
    AccessClass,
    Dataset,
    DatasetState,
    Licence,
    Resource,
    ResourceRevision,
    Topic,
    ValidationStatus,
)
from satudata.catalog.services.catalogue import MEDIA_TYPES, _unique_slug, get_or_create_tags, tag_names
from satudata.catalog.storage import StagedFile, StoredFile, get_store
from satudata.catalog.tables import TableSummary, summarise
from satudata.db import utcnow
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.tabular import preflight, standards
from satudata.tabular.numbers import number_formats
from satudata.tabular.schema import check_schema

__all__ = [
    "EDITABLE_STATES",
    "HARVESTED_FIELDS",
    "METADATA_FIELDS",
    "REVISION_SUFFIX",
    "RevisionClosed",
    "is_harvested",
    "Completeness",
    "MetadataField",
    "completeness",
    "create_workspace_dataset",
    "delete_resource",
    "get_workspace_dataset",
    "get_workspace_resource",
    "list_workspace_datasets",
    "lock_resource",
    "missing_required_metadata",
    "record_table_facts",
    "written_numbers",
    "WorkbookLayout",
    "workbook_layout",
    "change_resource_layout",
    "inspect_workbook",
    "header_row_of",
    "replace_resource_file",
    "revalidate_resource",
    "set_resource_schema",
    "resource_schema",
    "use_schema_library",
    "summarise_stored_table",
    "update_dataset",
    "update_resource_details",
    "upload_resource",
    "add_workspace_link",
    "workspace_counts",
    "workspace_organizations",
]

EDITABLE_STATES = (DatasetState.DRAFT, DatasetState.CHANGES_REQUESTED)
REVISION_SUFFIX = "~revisi"  # a revision's slug: its published dataset's slug and this


class RevisionClosed(NotFound):
    """A revision's address after the revision was published or discarded: ``published`` is
    the dataset it belonged to (the pages send the reader there)."""

    def __init__(self, message: str, published: Dataset) -> None:
        super().__init__(message)
        self.published = published


# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class MetadataField:
    """One Satu Data metadata field as the form and the completeness meter see it."""

    name: str
    label: str
    group: str
    required: bool = False


METADATA_FIELDS: tuple[MetadataField, ...] = (
    MetadataField("title", "Judul", "dasar", True),
    MetadataField("description", "Deskripsi", "dasar", True),
    MetadataField("topics", "Topik", "dasar", True),
    MetadataField("tags", "Kata kunci", "dasar"),
    MetadataField("urusan", "Urusan pemerintahan", "dasar"),
    MetadataField("konsep", "Konsep", "standar"),
    MetadataField("definisi", "Definisi", "standar"),
    MetadataField("klasifikasi", "Klasifikasi", "standar"),
    MetadataField("ukuran", "Ukuran", "standar"),
    MetadataField("satuan", "Satuan", "standar", True),
    MetadataField("year", "Tahun data", "cakupan", True),
    MetadataField("period", "Periode data", "cakupan"),
    MetadataField("frequency", "Frekuensi", "cakupan", True),
    MetadataField("release_date", "Jadwal rilis", "cakupan"),
    MetadataField("presentation_level", "Tingkat penyajian", "cakupan", True),
    MetadataField("kode_wilayah", "Kode wilayah", "cakupan", True),
    MetadataField("coverage", "Cakupan wilayah", "cakupan"),
    MetadataField("data_source", "Sumber data", "sumber", True),
    MetadataField("collection_method", "Cara pengumpulan", "sumber", True),
    MetadataField("data_kind", "Jenis data", "sumber", True),
    MetadataField("data_status", "Status data", "sumber", True),
    MetadataField("is_priority", "Data prioritas", "sumber"),
    MetadataField("access_class", "Klasifikasi akses", "akses", True),
    MetadataField("licence_id", "Lisensi", "akses", True),
    MetadataField("contact_name", "Nama kontak", "akses", True),
    MetadataField("contact_email", "Email kontak", "akses", True),
)
_BOOLEAN_FIELDS = {"is_priority"}


def _filled(dataset: Dataset, name: str) -> bool:
    if name in _BOOLEAN_FIELDS:
        return True  # a yes/no always has an answer
    value = getattr(dataset, name)
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


@dataclass
class Completeness:
    percent: int
    filled: int
    total: int
    missing_required: list[str] = field(default_factory=list)
    missing_recommended: list[str] = field(default_factory=list)


def completeness(dataset: Dataset) -> Completeness:
    """How much of the Satu Data metadata is filled in (the meter on the form)."""
    missing_required, missing_recommended = [], []
    filled = 0
    for f in METADATA_FIELDS:
        if _filled(dataset, f.name):
            filled += 1
        elif f.required:
            missing_required.append(f.label)
        else:
            missing_recommended.append(f.label)
    total = len(METADATA_FIELDS)
    return Completeness(percent=round(100 * filled / total), filled=filled, total=total,
                        missing_required=missing_required, missing_recommended=missing_recommended)


def missing_required_metadata(dataset: Dataset) -> list[str]:
    """Labels of required metadata fields still empty (the submission guard reads this)."""
    return completeness(dataset).missing_required


# --------------------------------------------------------------------------- listing


def workspace_organizations(actor: Actor) -> list[Organization]:
    """The organisations the actor produces data for (admins: every organisation)."""
    if getattr(actor, "is_admin", False) or isinstance(actor, SystemActor):
        return list(db.session.scalars(select(Organization).order_by(Organization.name)))
    ids = {m.organization_id for m in getattr(actor, "memberships", []) if m.role == Role.PRODUSEN}
    if not ids:
        return []
    return list(db.session.scalars(select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name)))


def _workspace_query(actor: Actor) -> Any:
    q = select(Dataset)
    if not (getattr(actor, "is_admin", False) or isinstance(actor, SystemActor)):
        ids = [o.id for o in workspace_organizations(actor)]
        q = q.where(Dataset.organization_id.in_(ids or [-1]))
    return q


def list_workspace_datasets(actor: Actor, *, state: DatasetState | None = None,
                            organization_id: int | None = None) -> list[Dataset]:
    """The datasets of the actor's OPDs, most recently changed first."""
    q = _workspace_query(actor).where(Dataset.harvest_source_id.is_(None))
    if state is not None:
        q = q.where(Dataset.state == state)
    if organization_id is not None:
        q = q.where(Dataset.organization_id == organization_id)
    # The list shows completeness and next steps, which read resources, topics and tags.
    q = q.options(selectinload(Dataset.resources), selectinload(Dataset.topics), selectinload(Dataset.tags),
                  selectinload(Dataset.organization))
    return list(db.session.scalars(q.order_by(Dataset.updated_at.desc(), Dataset.title)))


def workspace_counts(actor: Actor) -> dict[str, int]:
    """How many of the actor's datasets are in each state."""
    ids = _workspace_query(actor).where(Dataset.harvest_source_id.is_(None)).with_only_columns(Dataset.id)
    rows = db.session.execute(
        select(Dataset.state, func.count()).where(Dataset.id.in_(ids)).group_by(Dataset.state)
    ).all()
    counts = {str(s): 0 for s in DatasetState}
    counts.update({str(state): n for state, n in rows})
    return counts


def get_workspace_dataset(actor: Actor, slug: str) -> Dataset:
    """A dataset the actor may see in the workspace (its OPD's, its region's, or any for admins)."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None and slug.endswith(REVISION_SUFFIX):
        published = db.session.scalar(select(Dataset).where(Dataset.slug == slug.removesuffix(REVISION_SUFFIX)))
        if published is not None and _in_workspace(actor, published):
            raise RevisionClosed("Revisi ini sudah tidak dibuka: sudah diterbitkan walidata atau dibuang produsen. "
                                 f'Lihat dataset "{published.slug}".', published)
    if dataset is None or not _in_workspace(actor, dataset):
        raise NotFound(f'Dataset "{slug}" tidak ada di ruang kerja Anda.')
    return dataset


def _in_workspace(actor: Actor, dataset: Dataset) -> bool:
    return can(actor, Permission.CATALOG_DATASET_EDIT, dataset) or can(actor, Permission.REVIEW_DATASET_PUBLISH,
                                                                          dataset)


def get_workspace_resource(actor: Actor, dataset: Dataset, resource_id: str) -> Resource:
    for res in dataset.resources:
        if res.id == resource_id:
            return res
    raise NotFound("Sumber data itu tidak ada di dataset ini (mungkin sudah dihapus).")


# --------------------------------------------------------------------------- dataset writes


# The metadata a harvest source keeps up to date on the datasets it brought (satudata/harvest):
# people change them at the source; the other Satu Data fields stay local and editable here.
HARVESTED_FIELDS = frozenset({"title", "description", "topics", "tags", "licence_id", "year", "period", "coverage",
                              "frequency", "contact_name", "contact_email", "data_source"})


def is_harvested(dataset: Dataset) -> bool:
    """A dataset (or the revision of one) a harvest source brought in."""
    published = dataset.revision_of
    return dataset.harvest_source_id is not None or (published is not None and published.harvest_source_id is not None)


def _ensure_editable(actor: Actor, dataset: Dataset, *, metadata: bool = False) -> None:
    """Refuse a change ``actor`` may not make in the dataset's state. A harvested dataset's files
    and links come from its source: people (not the harvest) change only its local-only
    metadata (``metadata``: :func:`update_dataset` checks which fields)."""
    if not metadata and not isinstance(actor, SystemActor) and is_harvested(dataset):
        raise Conflict("Dataset ini dipanen dari katalog lain: sumber datanya diperbarui dari sana. Ubah di sumber "
                       "aslinya.")
    if isinstance(actor, SystemActor) or dataset.state in EDITABLE_STATES:
        return
    if dataset.state == DatasetState.SUBMITTED:
        raise Conflict("Dataset sedang diperiksa walidata dan tidak dapat diubah. Tarik kembali pengajuan "
                       "bila perlu mengubahnya.")
    if dataset.state == DatasetState.PUBLISHED:
        raise Conflict("Dataset ini sudah terbit; ubah melalui revisinya (tombol \"Buat revisi\" di halaman dataset). "
                       "Publik tetap melihat versi terbit sampai revisi diterbitkan walidata.")
    raise Conflict("Dataset ini ditarik dari publik dan tidak dapat diubah; walidata dapat menerbitkannya kembali.")


def _apply_metadata(dataset: Dataset, data: dict[str, Any]) -> list[str]:
    """Set the loaded form values on ``dataset``; the names of what changed."""
    changed: list[str] = []
    for key, value in data.items():
        if key == "topics":
            slugs = sorted(set(value or []))
            topics = list(db.session.scalars(select(Topic).where(Topic.slug.in_(slugs)))) if slugs else []
            unknown = set(slugs) - {t.slug for t in topics}
            if unknown:
                raise Invalid("Topik tidak dikenal.", details={"topics": [f"Topik tidak dikenal: {', '.join(sorted(unknown))}."]})
            if sorted(t.slug for t in dataset.topics) != slugs:
                dataset.topics = topics
                changed.append(key)
        elif key == "tags":
            written = list(value or [])
            if sorted(t.name for t in dataset.tags) != sorted(tag_names(written)):
                dataset.tags = get_or_create_tags(written)
                changed.append(key)
        elif key == "licence_id":
            if value and db.session.get(Licence, value) is None:
                raise Invalid("Lisensi tidak dikenal.", details={"licence_id": ["Pilih lisensi dari daftar."]})
            if dataset.licence_id != value:
                dataset.licence_id = value
                changed.append(key)
        elif key == "kode_wilayah":
            if value:
                from satudata import reference

                if not reference.exists(value):
                    raise Invalid("Kode wilayah tidak dikenal.", details={"kode_wilayah": [
                        f'Kode "{value}" tidak ada di daftar kode wilayah Kemendagri. Contoh: 14.07 (Rokan Hilir).']})
            if dataset.kode_wilayah != value:
                dataset.kode_wilayah = value
                changed.append(key)
        else:
            if key == "description" and value is None:
                value = ""
            if getattr(dataset, key) != value:
                setattr(dataset, key, value)
                changed.append(key)
    return changed


def create_workspace_dataset(actor: Actor, organization: Organization, data: dict[str, Any]) -> Dataset:
    """Create a draft dataset from the loaded metadata form (``DatasetFormSchema``)."""
    require(actor, Permission.CATALOG_DATASET_CREATE, organization)
    title = str(data.get("title") or "").strip()
    if not title:
        raise Invalid("Judul wajib diisi.", details={"title": ["Judul wajib diisi."]})
    dataset = Dataset(slug=_unique_slug(title), title=title, organization=organization,
                      access_class=AccessClass.PUBLIK, state=DatasetState.DRAFT)
    db.session.add(dataset)
    _apply_metadata(dataset, {k: v for k, v in data.items() if k != "title"})
    db.session.flush()
    audit(actor, "dataset.create", "dataset", dataset.id, {"slug": dataset.slug, "title": title})
    return dataset


def update_dataset(actor: Actor, dataset: Dataset, data: dict[str, Any]) -> list[str]:
    """Change a draft's metadata; returns the names of the fields that changed."""
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    _ensure_editable(actor, dataset, metadata=True)
    changed = _apply_metadata(dataset, data)
    locked = [name for name in changed if name in HARVESTED_FIELDS]
    if locked and not isinstance(actor, SystemActor) and is_harvested(dataset):
        message = "Diperbarui dari sumber harvest; ubah di sumber aslinya."
        raise Invalid("Dataset ini dipanen dari katalog lain; kolom ini diperbarui dari sana dan tidak dapat diubah "
                      f"di sini: {', '.join(locked)}.", details={name: [message] for name in locked})
    if changed:
        dataset.updated_at = utcnow()
        db.session.flush()
        audit(actor, "dataset.update", "dataset", dataset.id, {"fields": changed})
    return changed


# --------------------------------------------------------------------------- resources


def _store_checked(stream: IO[bytes], filename: str, fmt: str, sheet: str | None,
                   header_row: int | None = None) -> tuple[StoredFile, Any]:
    """Check the upload can be read as ``fmt`` and store it; a refused upload leaves nothing.

    The file is checked in a private temporary place and only an accepted one joins the shared
    store, so a refusal can never take away a file another request holds under the same digest
    (nothing is deleted here at all: ``storage.sweep_files`` removes what no row refers to).
    Text in UTF-16 (Excel's "Unicode Text") is stored as UTF-8, which every reader reads.
    """
    store = get_store()
    with store.staging(stream, max_bytes=current_app.config["UPLOAD_MAX_BYTES"]) as upload:
        encoding = preflight.utf16_encoding(upload.path) if fmt in ("CSV", "TSV") else None
        if encoding is None:
            return _keep_checked(upload, fmt, sheet, header_row)
        with preflight.utf8_text(upload.path, encoding) as text, store.staging(text) as recoded:
            return _keep_checked(recoded, fmt, sheet)


def _upload_limits() -> dict[str, Any]:
    """The bounds every uploaded table is checked within (``preflight.check_upload``)."""
    config = current_app.config
    return {"max_columns": config.get("UPLOAD_MAX_COLUMNS"), "json_max_depth": config.get("JSON_MAX_DEPTH"),
            **({"xlsx_max_uncompressed": config["XLSX_MAX_UNCOMPRESSED_BYTES"]}
               if config.get("XLSX_MAX_UNCOMPRESSED_BYTES") else {})}


def _keep_checked(staged: StagedFile, fmt: str, sheet: str | None,
                  header_row: int | None = None) -> tuple[StoredFile, Any]:
    try:
        checked = preflight.check_upload(staged.path, fmt, sheet=sheet, header_row=header_row if fmt == "XLSX" else None,
                                         **_upload_limits())
    except preflight.UnusableInput as exc:
        if header_row is not None and fmt == "XLSX" and "judul kolom" in exc.message:
            raise Invalid(exc.message, details={"header_row": [exc.message]}) from exc
        raise
    return get_store().keep(staged), checked


HEADER_ROW_HELP = "Baris judul kolom berupa nomor baris lembar kerja (1 sampai {max}); kosongkan agar portal menemukannya."


def header_row_of(value: int | str | None) -> int | None:
    """The header row a producer typed (``None``: let the portal find it under the title block);
    ``Invalid`` with ``details["header_row"]`` for anything but a row number."""
    from satudata.tabular.convert import HEADER_ROW_MAX

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if not 1 <= number <= HEADER_ROW_MAX:
        message = HEADER_ROW_HELP.format(max=HEADER_ROW_MAX)
        raise Invalid(message, details={"header_row": [message]})
    return number


def _after_file_change(actor: Actor, resource: Resource) -> None:
    """A tabular file is validated in the background (against its Table Schema; the job infers
    one when it has none, and summarises the columns)."""
    resource.row_count = None
    resource.columns = None
    if resource.is_tabular:
        events.table_changed.send(resource, actor=actor)
    else:
        resource.validation_status = ValidationStatus.UNVALIDATED
        resource.validation_report = None


REPLACE_CONFLICT = "Berkas tabel ini sedang diganti oleh permintaan lain; muat ulang halaman lalu coba lagi."


def lock_resource(resource_id: str) -> Resource | None:
    """Re-read a resource and hold it until the transaction ends, so changes of its file (two
    re-uploads, a re-upload and the validation job's verdict) happen one after the other, each
    seeing what the one before committed. PostgreSQL locks the row; SQLite has no row locks,
    so a write takes its one write lock (other writers wait for it, readers do not)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Resource).where(Resource.id == resource_id).values(updated_at=utcnow()))
    return db.session.scalars(select(Resource).where(Resource.id == resource_id).with_for_update()
                              .execution_options(populate_existing=True)).first()


def summarise_stored_table(sha256: str | None, fmt: str | None,
                           descriptor: dict[str, Any] | None = None) -> TableSummary | None:
    """Row count and column summary of a stored CSV/TSV (None for other formats, or a file
    DuckDB cannot read), its numbers read as the Table Schema ``descriptor`` writes them
    ("34.645" with ``groupChar`` "."). Reads the whole file: for the validation job, not a
    request."""
    if (fmt or "").upper() not in ("CSV", "TSV") or not sha256:
        return None
    return summarise(get_store().path(sha256), number_formats(descriptor))


def written_numbers(resource: Resource) -> dict[str, tuple[str, str]]:
    """The columns of ``resource``'s Table Schema that write numbers with separators (column ->
    group and decimal characters), for previews, charts and rows to read them as validation
    does; empty when there are none or the schema cannot be resolved."""
    try:
        schema = resource_schema(resource)
        if isinstance(schema, str):  # a standard of schemas/ by name: only its fields are read here
            schema = standards.load_schema(schema, current_app.config.get("SCHEMAS_PATH"))
    except (standards.SchemaNotFound, ValueError, Invalid, NotFound):
        return {}
    # No check of the Table Schema on this path (every preview and rows request): it was
    # checked when it was attached, and only its number fields are read.
    return number_formats(schema)


def record_table_facts(resource: Resource, *, inferred_schema: dict[str, Any] | None,
                       summary: TableSummary | None) -> None:
    """Write what the validation job worked out about the current file of ``resource`` (the
    caller holds it, :func:`lock_resource`, and has checked the file is still the one read):
    the column summary, and the inferred Table Schema unless the producer chose one meanwhile."""
    if inferred_schema is not None and not (resource.table_schema or resource.schema_ref):
        resource.table_schema = inferred_schema
    if summary is not None:
        resource.row_count = summary.row_count
        resource.columns = summary.columns


def upload_resource(actor: Actor, dataset: Dataset, stream: IO[bytes], *, filename: str, name: str = "",
                    description: str = "", sheet: str | None = None, format: str | None = None,
                    table_schema: dict[str, Any] | None = None, schema_ref: str | None = None,
                    header_row: int | str | None = None) -> Resource:
    """Add an uploaded file to ``dataset``; tables are then validated in the background. For a
    workbook, ``sheet`` and ``header_row`` say where the table is (``None``: the first sheet, and
    the header found under its title block)."""
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    _ensure_editable(actor, dataset)
    filename = _clean_filename(filename)
    fmt = preflight.upload_format(filename, format)
    if len(name or "") > 300:
        raise Invalid("Nama terlalu panjang.", details={"name": ["Nama sumber data paling banyak 300 karakter."]})
    if table_schema is not None:
        _check_schema(table_schema)
    chosen_row = header_row_of(header_row) if fmt == "XLSX" else None
    stored, checked = _store_checked(stream, filename, fmt, sheet, chosen_row)
    resource = Resource(
        dataset=dataset, position=len(dataset.resources), name=(name or "").strip() or _name_from(filename),
        description=description or "", format=fmt,
        media_type=MEDIA_TYPES.get(fmt) or mimetypes.guess_type(filename)[0] or "application/octet-stream",
        sha256=stored.sha256, size=stored.size, filename=filename, sheet=checked.sheet if fmt == "XLSX" else None,
        header_row=chosen_row, uploaded_at=utcnow(), table_schema=table_schema, schema_ref=schema_ref,
    )
    db.session.add(resource)
    db.session.flush()
    _after_file_change(actor, resource)
    dataset.updated_at = utcnow()
    audit(actor, "resource.create", "resource", resource.id,
          {"dataset": dataset.slug, "filename": filename, "sha256": stored.sha256, "size": stored.size})
    return resource


def replace_resource_file(actor: Actor, resource: Resource, stream: IO[bytes], *, filename: str,
                          sheet: str | None = None, header_row: int | str | None = None) -> Resource:
    """Re-upload: the new file becomes current, the old one goes to the resource's history.

    The new file is checked first; if it cannot be read, nothing changes. Its header row is
    found again unless ``header_row`` names it (a new file may be laid out differently).
    """
    dataset = resource.dataset
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    _ensure_editable(actor, dataset)
    filename = _clean_filename(filename)
    fmt = preflight.upload_format(filename)
    if resource.is_tabular != (fmt in preflight.TABULAR_FORMATS):
        raise Invalid("Jenis berkas pengganti harus sama dengan yang lama (tabel diganti tabel, dokumen diganti "
                      "dokumen). Untuk jenis lain, tambahkan sumber data baru.", details={"file": ["Jenis berkas berbeda."]})
    chosen_row = header_row_of(header_row) if fmt == "XLSX" else None
    stored, checked = _store_checked(stream, filename, fmt, sheet, chosen_row)
    try:
        # Another re-upload of this resource may be committing: wait for it, then read the
        # file it left as the one going to the history.
        if lock_resource(resource.id) is None:
            raise NotFound("Sumber data itu tidak ada di dataset ini (mungkin sudah dihapus).")
        number = (db.session.scalar(select(func.max(ResourceRevision.number))
                                    .where(ResourceRevision.resource_id == resource.id)) or 0) + 1
        _replace_current_file(actor, resource, stored, filename, fmt, checked.sheet if fmt == "XLSX" else None,
                              number, chosen_row)
    except IntegrityError as exc:  # the same number, committed by another request after all
        raise Conflict(REPLACE_CONFLICT) from exc
    except OperationalError as exc:
        if "locked" not in str(exc.orig):  # SQLite gave up waiting for the other request
            raise
        raise Conflict(REPLACE_CONFLICT) from exc
    audit(actor, "resource.replace", "resource", resource.id,
          {"dataset": dataset.slug, "filename": filename, "sha256": stored.sha256, "size": stored.size,
           "revision": number})
    return resource


def _replace_current_file(actor: Actor, resource: Resource, stored: StoredFile, filename: str, fmt: str,
                          sheet: str | None, number: int, header_row: int | None = None) -> None:
    db.session.add(ResourceRevision(
        resource=resource, number=number, sha256=resource.sha256, size=resource.size, filename=resource.filename,
        url=resource.url, format=resource.format, sheet=resource.sheet, header_row=resource.header_row,
        validation_status=str(resource.validation_status), row_count=resource.row_count,
        uploaded_at=resource.uploaded_at or resource.created_at, replaced_by_id=getattr(actor, "id", None),
    ))
    resource.sha256, resource.size, resource.filename = stored.sha256, stored.size, filename
    resource.format = fmt
    resource.media_type = MEDIA_TYPES.get(fmt) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    resource.sheet = sheet
    resource.header_row = header_row
    resource.uploaded_at = utcnow()
    resource.validation_report = None
    db.session.flush()
    _after_file_change(actor, resource)
    resource.dataset.updated_at = utcnow()
    db.session.flush()


_LINK_FORBIDDEN = {"CSV", "TSV", "XLSX", "JSON"}


def add_workspace_link(actor: Actor, dataset: Dataset, *, url: str, name: str, format: str | None = None,
                       description: str = "") -> Resource:
    """An external link, for documents that are not tables (tables must be uploaded to be validated)."""
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    _ensure_editable(actor, dataset)
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
        raise Invalid("Tautan tidak valid.", details={"url": ["Tulis alamat lengkap yang diawali https:// atau http://."]})
    fmt = (format or Path(parts.path).suffix.lstrip(".")).upper() or None
    if fmt in _LINK_FORBIDDEN:
        raise Invalid("Tabel harus diunggah.", details={"url": [
            "Tabel (CSV, XLSX, JSON) harus diunggah sebagai berkas agar dapat divalidasi; tautan hanya untuk dokumen."]})
    if not (name or "").strip():
        raise Invalid("Nama wajib diisi.", details={"name": ["Beri nama dokumen ini."]})
    resource = Resource(dataset=dataset, position=len(dataset.resources), name=name.strip(), url=url, format=fmt,
                        description=description or "", media_type=MEDIA_TYPES.get(fmt or ""))
    db.session.add(resource)
    db.session.flush()
    dataset.updated_at = utcnow()
    audit(actor, "resource.create", "resource", resource.id, {"dataset": dataset.slug, "url": url})
    return resource


def update_resource_details(actor: Actor, resource: Resource, *, name: str, description: str = "") -> None:
    require(actor, Permission.CATALOG_DATASET_EDIT, resource.dataset)
    _ensure_editable(actor, resource.dataset)
    if not name.strip():
        raise Invalid("Nama wajib diisi.", details={"name": ["Nama sumber data wajib diisi."]})
    if len(name) > 300:
        raise Invalid("Nama terlalu panjang.", details={"name": ["Paling banyak 300 karakter."]})
    resource.name, resource.description = name.strip(), description
    audit(actor, "resource.update", "resource", resource.id, {"name": resource.name})


def delete_resource(actor: Actor, resource: Resource) -> None:
    """Remove a resource from a draft (its stored files stay while anything else uses them)."""
    dataset = resource.dataset
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    _ensure_editable(actor, dataset)
    audit(actor, "resource.delete", "resource", resource.id, {"dataset": dataset.slug, "name": resource.name})
    dataset.resources.remove(resource)
    for position, res in enumerate(dataset.resources):
        res.position = position
    dataset.updated_at = utcnow()
    db.session.flush()


def _check_schema(descriptor: dict[str, Any]) -> None:
    check_schema(descriptor)


# The library of standard Table Schemas is validation's, a higher domain, so it hands its
# lookup to the catalogue when the app starts (``validation.init_app``): a ``name`` or
# ``name@N`` becomes a copy of that version's Table Schema and the ``name@N`` it resolved to
# (the newest version for a bare name); NotFound or Invalid when there is no such standard.
SchemaLibrary = Callable[[str], tuple[dict[str, Any], str]]
_schema_library: SchemaLibrary | None = None


def use_schema_library(lookup: SchemaLibrary) -> None:
    """Register how a standard's name becomes its Table Schema (validation does, at start-up)."""
    global _schema_library
    _schema_library = lookup


def _library() -> SchemaLibrary:
    if _schema_library is None:
        raise RuntimeError("no Table Schema library registered (validation.init_app)")
    return _schema_library


def resource_schema(resource: Resource) -> dict[str, Any] | str | None:
    """What ``resource`` is validated against: its own Table Schema, else the standard its
    ``schema_ref`` names (``name@N`` from the library, or a ``schemas/`` name); None infers."""
    if resource.table_schema:
        return resource.table_schema
    ref = resource.schema_ref or None
    if ref and "@" in ref:  # a version of the library: name@N
        return _library()(ref)[0]
    return ref


EDITED = "+ubahan"  # the ref of an edited copy of a standard: "sekolah@2+ubahan"
SCHEMA_CHOICE = ("Pilih satu sumber Table Schema: nama standar data dari pustaka (misalnya sekolah atau "
                 "sekolah@2), atau Table Schema lengkap; tidak keduanya.")
STANDARD_MISSING = ("Pilih standar data dari pustaka standar data, misalnya sekolah atau sekolah@2 "
                    "(nama standar, boleh dengan @versi).")
STANDARD_UNKNOWN = "{problem} Pilih standar yang ada di halaman Standar Data."


def set_resource_schema(actor: Actor, resource: Resource, *, standard: str | None = None,
                        descriptor: dict[str, Any] | None = None, inferred: bool = False) -> None:
    """Attach a Table Schema to a table and validate it again: the one place the rules of the
    schema editor live (the web editor and the REST API both call it).

    Exactly one of:

    - ``standard``: a standard of the library by name, ``"sekolah"`` (its newest version) or
      ``"sekolah@2"``; the table gets a copy of that version and ``schema_ref = "sekolah@2"``.
    - ``descriptor``: an edited Table Schema. If the table's Table Schema came from a standard
      (it has a ``schema_ref``), it is that standard's edited copy, ``"sekolah@2+ubahan"``;
      otherwise it has no ref. ``inferred=True``: the descriptor was inferred from the file,
      which makes it no standard's copy (ref None).

    Raises ``Invalid`` with ``details["schema"]`` when both or neither are given and for a blank
    or unknown standard; ``Invalid`` for a descriptor that is no valid Table Schema, or a
    resource that is no table; ``Conflict`` when the dataset is not editable; ``Forbidden``.
    Saving the same Table Schema and ref again changes nothing (and validates nothing).
    """
    require(actor, Permission.CATALOG_DATASET_EDIT, resource.dataset)
    _ensure_editable(actor, resource.dataset)
    if not resource.is_tabular:
        raise Invalid("Table Schema hanya untuk tabel (CSV, XLSX, JSON).")
    if (standard is None) == (descriptor is None):
        raise Invalid(SCHEMA_CHOICE, details={"schema": [SCHEMA_CHOICE]})
    if standard is not None:
        if inferred:
            raise ValueError("inferred=True goes with a descriptor, not a standard")
        descriptor, schema_ref = _standard(standard)
    elif inferred or not resource.schema_ref:
        schema_ref = None
    else:
        schema_ref = resource.schema_ref.split("+")[0] + EDITED
    assert descriptor is not None
    _check_schema(descriptor)
    if resource.table_schema == descriptor and resource.schema_ref == schema_ref:
        return
    resource.table_schema = descriptor
    resource.schema_ref = schema_ref
    if resource.sha256:
        events.table_changed.send(resource, actor=actor)
    audit(actor, "resource.schema", "resource", resource.id,
          {"schema_ref": schema_ref, "fields": len(descriptor.get("fields", []))})


def _standard(name: str) -> tuple[dict[str, Any], str]:
    """A standard's Table Schema (a copy) and its ``name@N``, by name or ``name@N``."""
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise Invalid(STANDARD_MISSING, details={"schema": [STANDARD_MISSING]})
    try:
        return _library()(name)
    except (Invalid, NotFound) as err:
        message = STANDARD_UNKNOWN.format(problem=err.message)
        raise Invalid(message, details={"schema": [message]}) from None


@dataclass(frozen=True)
class WorkbookLayout:
    """Where the table of an uploaded workbook is: its sheets, the one read, the row its column
    titles are on, and whether the producer chose that row (else the portal found it)."""

    sheets: list[str]
    sheet: str | None
    header_row: int | None
    header_chosen: bool
    header_first: int | None = None  # the group title row above a two-row header

    @property
    def two_rows(self) -> bool:
        return self.header_first is not None and self.header_row is not None and self.header_first < self.header_row


def workbook_layout(resource: Resource) -> WorkbookLayout | None:
    """The layout of an uploaded workbook (``None`` for other files); the header row is
    ``None`` when the file cannot be read as the resource says (the report then says why)."""
    if resource.format != "XLSX" or not resource.sha256:
        return None
    path = get_store().path(resource.sha256)
    limits = {k: v for k, v in _upload_limits().items() if k == "xlsx_max_uncompressed"}
    try:
        sheets = preflight.sheet_names(path, **limits)
    except preflight.UnusableInput:
        return WorkbookLayout([], resource.sheet, resource.header_row, resource.header_row is not None)
    try:
        checked = preflight.check_upload(path, "XLSX", sheet=resource.sheet, header_row=resource.header_row, **limits)
        row: int | None = checked.header_row
        first: int | None = checked.header_rows[0]
    except preflight.UnusableInput:
        row, first = resource.header_row, None
    return WorkbookLayout(sheets, resource.sheet or (sheets[0] if sheets else None), row,
                          resource.header_row is not None, first)


def inspect_workbook(actor: Actor, dataset: Dataset, stream: IO[bytes], *, sheet: str | None = None,
                     header_row: int | str | None = None) -> dict[str, Any]:
    """Read an XLSX the producer is about to upload (nothing is stored): its sheets and where
    the table of one of them starts (``preflight.workbook_overview``), for the upload form to
    offer the sheets as a list and show the header row found. ``Invalid`` with what to do when it
    cannot be read."""
    require(actor, Permission.CATALOG_DATASET_EDIT, dataset)
    chosen_row = header_row_of(header_row)
    limits = {k: v for k, v in _upload_limits().items() if k == "xlsx_max_uncompressed"}
    with get_store().staging(stream, max_bytes=current_app.config["UPLOAD_MAX_BYTES"]) as staged:
        try:
            return preflight.workbook_overview(staged.path, sheet=(sheet or "").strip() or None,
                                               header_row=chosen_row, **limits)
        except preflight.UnusableInput as exc:
            key = "header_row" if chosen_row is not None and "judul kolom" in exc.message else "file"
            raise Invalid(exc.message, details={key: [exc.message]}) from exc


def change_resource_layout(actor: Actor, resource: Resource, *, sheet: str | None = None,
                           header_row: int | str | None = None) -> None:
    """Read the table of an uploaded workbook from another sheet (chosen from its list) and/or
    another header row (``None``: found under the title block). The sheet must hold a table (a
    header row and data), as an upload's must; ``Invalid`` otherwise. A Table Schema that is no
    standard and names other columns than the new header's is dropped, so the job infers one."""
    require(actor, Permission.CATALOG_DATASET_EDIT, resource.dataset)
    _ensure_editable(actor, resource.dataset)
    if resource.format != "XLSX" or not resource.sha256:
        raise Invalid("Hanya berkas XLSX yang punya lembar dan baris judul.",
                      details={"sheet": ["Berkas ini bukan XLSX."]})
    chosen_row = header_row_of(header_row)
    sheet = (sheet if sheet is not None else resource.sheet or "").strip()
    try:
        checked = preflight.check_upload(get_store().path(resource.sha256), "XLSX", sheet=sheet or None,
                                         header_row=chosen_row, **_upload_limits())
    except preflight.UnusableInput as exc:
        key = "header_row" if chosen_row is not None and "judul kolom" in exc.message else "sheet"
        raise Invalid(exc.message, details={key: [exc.message]}) from exc
    if checked.sheet == resource.sheet and chosen_row == resource.header_row:
        return
    before = {"sheet": resource.sheet, "header_row": resource.header_row}
    resource.sheet = checked.sheet
    resource.header_row = chosen_row
    resource.validation_report = None
    # A Table Schema of the portal's or the producer's own (no standard) that names other
    # columns was made for the other layout: the job infers one from this one instead.
    names = [f.get("name") for f in (resource.table_schema or {}).get("fields") or [] if isinstance(f, dict)]
    reinfer = bool(resource.table_schema) and not resource.schema_ref and names != list(checked.header)
    if reinfer:
        resource.table_schema = None
    db.session.flush()
    _after_file_change(actor, resource)
    audit(actor, "resource.layout", "resource", resource.id,
          {"before": before, "after": {"sheet": resource.sheet, "header_row": resource.header_row},
           "header_found": checked.header_row, "schema_inferred_again": reinfer})


def revalidate_resource(actor: Actor, resource: Resource) -> None:
    """Validate the current file again (after the library or the engine changed)."""
    require(actor, Permission.CATALOG_DATASET_EDIT, resource.dataset)
    _ensure_editable(actor, resource.dataset)
    if not (resource.is_tabular and resource.sha256):
        raise Invalid("Hanya tabel yang diunggah yang dapat divalidasi.")
    events.table_changed.send(resource, actor=actor)
    audit(actor, "resource.revalidate", "resource", resource.id, {})


_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)
MAX_FILENAME = 200
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def _clean_filename(filename: str) -> str:
    """The upload's own name, made safe; a long one is shortened before its extension, which
    it keeps (the extension says the format)."""
    name = Path((filename or "").replace("\\", "/")).name.strip()
    name = _UNSAFE_NAME.sub("_", name)
    if len(name) > MAX_FILENAME:
        found = _EXTENSION.search(name)
        extension = found.group(0) if found else ""
        name = name[:MAX_FILENAME - len(extension)].rstrip(" ._-") + extension
    if not name or name.startswith("."):
        raise Invalid("Pilih berkas untuk diunggah.", details={"file": ["Pilih berkas untuk diunggah."]})
    return name


def _name_from(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0]
    return re.sub(r"[_\-]+", " ", stem).strip().capitalize() or filename
