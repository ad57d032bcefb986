"""Revisions: how a published dataset changes while the public keeps seeing it.

A revision is a draft ``Dataset`` row with ``revision_of`` pointing at the published one: its
metadata and resource rows are copies (the files are content-addressed, so a copy is a row, not
a file), each resource copy remembering the published resource it changes
(``Resource.revision_of_id``). The producer edits, uploads and validates it with the ordinary
workspace services, and it goes through review like any draft; nothing public reads it. When the
walidata publishes it, :func:`merge_revision` carries its metadata and resources onto the
published row (keeping the published dataset's slug, resource ids and download counters, and
each replaced file in the resource's history) and deletes the revision row.

The lifecycle moves that open, publish and discard a revision are the review domain's
(``review.transitions``); this module only copies, merges and compares rows. It never changes
a state.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb
from flask import current_app
from sqlalchemy import func, select

from satudata.catalog import tables
from satudata.catalog.models import Dataset, DatasetState, Resource, ResourceRevision
from satudata.catalog.services.workspace import METADATA_FIELDS, REVISION_SUFFIX
from satudata.catalog.storage import get_store
from satudata.db import utcnow
from satudata.errors import NotFound
from satudata.extensions import db
from satudata.tabular import convert

__all__ = [
    "FieldChange",
    "ResourceChange",
    "RevisionDiff",
    "copy_for_revision",
    "delete_revision",
    "TableComparison",
    "compare_tables",
    "diff_revision",
    "merge_revision",
    "metadata_values",
    "revision_counterpart",
    "revision_slug",
]

# What a resource copy carries over, and what merging carries back (identity, counters and
# stamps stay with the published row).
_RESOURCE_FIELDS = ("position", "name", "description", "format", "media_type", "sha256", "size", "filename",
                    "url", "table_schema", "schema_ref", "sheet", "uploaded_at", "validation_status",
                    "validation_report", "row_count", "columns")
_FILE_FIELDS = ("sha256", "url", "sheet")


def metadata_values(dataset: Dataset) -> dict[str, Any]:
    """The dataset's Satu Data metadata as plain values, in the shape of the metadata form and
    of the workspace API's PATCH (topics as slugs, tags as names, enums and dates as text)."""
    values: dict[str, Any] = {}
    for f in METADATA_FIELDS:
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


def revision_slug(dataset: Dataset) -> str:
    """The revision's slug: the published slug and ``~revisi`` (kept within the column)."""
    return dataset.slug[: 100 - len(REVISION_SUFFIX)] + REVISION_SUFFIX


def copy_for_revision(dataset: Dataset) -> Dataset:
    """A new revision of published ``dataset``: a draft with its metadata and a copy of every
    resource (same files, same Table Schemas and validation verdicts)."""
    with db.session.no_autoflush:
        revision = Dataset(slug=revision_slug(dataset), title=dataset.title, organization=dataset.organization,
                           walidata=dataset.walidata, state=DatasetState.DRAFT, access_class=dataset.access_class)
        db.session.add(revision)
        revision.revision_of = dataset
        for f in METADATA_FIELDS:
            if f.name in ("topics", "tags"):
                setattr(revision, f.name, list(getattr(dataset, f.name)))
            else:
                setattr(revision, f.name, getattr(dataset, f.name))
        for res in dataset.resources:
            revision.resources.append(
                Resource(revision_of_id=res.id, **{name: getattr(res, name) for name in _RESOURCE_FIELDS}))
    db.session.flush()
    return revision


def delete_revision(revision: Dataset) -> None:
    """Delete a revision's rows (its files stay in the store: the published dataset, versions
    or other rows may share them)."""
    published = revision.revision_of
    if published is not None:
        published.revision = None
    db.session.flush()
    db.session.delete(revision)
    db.session.flush()


def revision_counterpart(revision: Dataset, published_resource_id: str) -> Resource:
    """The revision's copy of a published resource (``NotFound`` once the revision removed it)."""
    for res in revision.resources:
        if res.revision_of_id == published_resource_id:
            return res
    raise NotFound("Sumber data ini sudah dihapus di revisi dataset ini.")


def _append_history(target: Resource, source: Resource) -> None:
    """Give ``target`` the file history ``source`` built up in the revision (its first entry
    is the published file, when the revision replaced it)."""
    number = db.session.scalar(select(func.max(ResourceRevision.number))
                               .where(ResourceRevision.resource_id == target.id)) or 0
    for entry in sorted(source.revisions, key=lambda r: r.number):
        number += 1
        entry.resource = target
        entry.number = number


def merge_revision(revision: Dataset) -> Dataset:
    """Carry ``revision`` onto the published dataset and delete it; the published dataset.

    Metadata is copied field by field; a resource the revision changed takes the revision's
    file, Table Schema, verdict and names under its published id (its download URL and counters
    stay), with the revision's file history appended; a resource the revision added moves to the
    published dataset; one the revision removed is deleted (its files stay in the store, where
    the versions that list them still download them).
    """
    published = revision.revision_of
    assert published is not None, "not a revision"
    for f in METADATA_FIELDS:
        value = getattr(revision, f.name)
        setattr(published, f.name, list(value) if f.name in ("topics", "tags") else value)
    kept: set[str] = set()
    by_id = {res.id: res for res in published.resources}
    for res in list(revision.resources):
        original = by_id.get(res.revision_of_id or "")
        if original is None:  # added by the revision: it moves over as it is
            res.revision_of_id = None
            res.dataset = published
            continue
        kept.add(original.id)
        changed = any(getattr(original, name) != getattr(res, name) for name in _RESOURCE_FIELDS)
        for name in _RESOURCE_FIELDS:
            setattr(original, name, getattr(res, name))
        _append_history(original, res)
        if changed:
            original.updated_at = utcnow()
    for original in list(published.resources):
        if original.id in by_id and original.id not in kept:
            published.resources.remove(original)  # removed by the revision (delete-orphan)
    published.updated_at = utcnow()
    delete_revision(revision)
    published.resources.sort(key=lambda r: (r.position, r.created_at))
    return published


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class FieldChange:
    """One metadata field the revision changes: its values as the form holds them."""

    name: str
    label: str
    published: Any
    revision: Any


@dataclass
class ResourceChange:
    """What the revision does to one resource: ``added``, ``removed``, ``changed`` (with what
    changed, in Bahasa Indonesia) or ``unchanged``."""

    kind: str
    name: str
    published: Resource | None
    revision: Resource | None
    details: list[str] = field(default_factory=list)


@dataclass
class RevisionDiff:
    """A revision against the published dataset it changes."""

    metadata: list[FieldChange]
    resources: list[ResourceChange]

    @property
    def changed(self) -> bool:
        return bool(self.metadata) or any(r.kind != "unchanged" for r in self.resources)


def _fields(schema: dict[str, Any] | None) -> dict[str, str]:
    if not isinstance(schema, dict):
        return {}
    return {str(f.get("name")): str(f.get("type", "any")) for f in schema.get("fields") or [] if isinstance(f, dict)}


def _number(value: int | None) -> str:
    return "?" if value is None else f"{value:,}".replace(",", ".")


def _resource_details(old: Resource, new: Resource) -> list[str]:
    details: list[str] = []
    if old.name != new.name:
        details.append(f'Nama: "{old.name}" → "{new.name}".')
    if (old.description or "") != (new.description or ""):
        details.append("Keterangan diubah.")
    if any(getattr(old, name) != getattr(new, name) for name in _FILE_FIELDS):
        what = f"Berkas diganti: {old.filename or old.url or '-'} → {new.filename or new.url or '-'}"
        if old.row_count is not None or new.row_count is not None:
            what += f" ({_number(old.row_count)} → {_number(new.row_count)} baris)"
        details.append(what + ".")
    old_fields, new_fields = _fields(old.table_schema), _fields(new.table_schema)
    added = [n for n in new_fields if n not in old_fields]
    removed = [n for n in old_fields if n not in new_fields]
    retyped = [f"{n} ({old_fields[n]} → {new_fields[n]})" for n in new_fields
               if n in old_fields and old_fields[n] != new_fields[n]]
    if added:
        details.append("Kolom baru: " + ", ".join(added) + ".")
    if removed:
        details.append("Kolom dihapus: " + ", ".join(removed) + ".")
    if retyped:
        details.append("Tipe kolom berubah: " + ", ".join(retyped) + ".")
    if (old.schema_ref or "") != (new.schema_ref or ""):
        details.append(f"Standar data: {old.schema_ref or '(disimpulkan)'} → {new.schema_ref or '(disimpulkan)'}.")
    return details


def diff_revision(revision: Dataset) -> RevisionDiff:
    """What ``revision`` changes against the published dataset: metadata field by field and
    every resource (from the rows alone; comparing the tables' rows is ``catalog.tables.diff``)."""
    published = revision.revision_of
    assert published is not None, "not a revision"
    old, new = metadata_values(published), metadata_values(revision)
    metadata = [FieldChange(f.name, f.label, old[f.name], new[f.name]) for f in METADATA_FIELDS
                if old[f.name] != new[f.name]]
    changes: list[ResourceChange] = []
    by_id = {res.id: res for res in published.resources}
    seen: set[str] = set()
    for res in revision.resources:
        original = by_id.get(res.revision_of_id or "")
        if original is None:
            changes.append(ResourceChange("added", res.name, None, res))
            continue
        seen.add(original.id)
        details = _resource_details(original, res)
        changes.append(ResourceChange("changed" if details else "unchanged", res.name, original, res, details))
    changes += [ResourceChange("removed", res.name, res, None) for res in published.resources if res.id not in seen]
    return RevisionDiff(metadata=metadata, resources=changes)


@dataclass
class TableComparison:
    """A changed table compared row by row with the published one, or why it was not."""

    diff: tables.TableDiff | None = None
    message: str = ""


def _primary_key(resource: Resource) -> list[str]:
    schema = resource.table_schema if isinstance(resource.table_schema, dict) else {}
    key = schema.get("primaryKey")
    if isinstance(key, str):
        return [key]
    return [str(k) for k in key] if isinstance(key, list) else []


def _as_csv(resource: Resource, workdir: Path, name: str) -> Path:
    """The resource's stored table as a CSV file DuckDB reads (XLSX and JSON converted)."""
    assert resource.sha256 is not None
    path = get_store().path(resource.sha256)
    fmt = (resource.format or "").upper()
    if fmt in ("CSV", "TSV"):
        return path
    target = workdir / f"{name}.csv"
    if fmt == "XLSX":
        convert.xlsx_to_csv(path, target, sheet=resource.sheet or None, header_row=resource.header_row,
                            max_uncompressed=int(current_app.config["XLSX_MAX_UNCOMPRESSED_BYTES"]))
    else:
        convert.json_to_csv(path, target)
    return target


def compare_tables(change: ResourceChange, *, limit: int = 10) -> TableComparison:
    """The rows a revision adds, removes and changes in a table whose file it replaced (keyed
    by the Table Schema's ``primaryKey`` when it has one); a message instead when the tables
    cannot be compared (a link, a missing or too large file, an unreadable table)."""
    old, new = change.published, change.revision
    if old is None or new is None or not (old.is_tabular and new.is_tabular):
        return TableComparison(message="")
    if not (old.sha256 and new.sha256):
        return TableComparison(message="Tabel berupa tautan tidak dibandingkan per baris.")
    if old.sha256 == new.sha256 and old.sheet == new.sheet and old.header_row == new.header_row:
        return TableComparison(message="Berkasnya sama dengan yang terbit.")
    limit_bytes = int(current_app.config["REVISION_DIFF_MAX_BYTES"])
    if max(old.size or 0, new.size or 0) > limit_bytes:
        return TableComparison(message=f"Berkas lebih besar dari {limit_bytes // 1024**2} MB; perbandingan per baris "
                                       "tidak dijalankan. Unduh kedua berkas untuk membandingkannya.")
    try:
        with tempfile.TemporaryDirectory(prefix="satudata-diff-") as tmp:
            workdir = Path(tmp)
            return TableComparison(diff=tables.diff(_as_csv(old, workdir, "lama"), _as_csv(new, workdir, "baru"),
                                                    key=_primary_key(new), limit=limit))
    except FileNotFoundError:
        return TableComparison(message="Berkas salah satu versi tidak ada di penyimpanan portal.")
    except (duckdb.Error, convert.ConversionError, ValueError) as exc:
        current_app.logger.warning("comparing resource %s with %s failed: %s", new.id, old.id, exc)
        return TableComparison(message="Kedua tabel tidak dapat dibandingkan per baris; bandingkan berkasnya "
                                       "secara langsung.")
