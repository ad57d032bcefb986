"""The regional data-standards library (versioned standard Table Schemas) and Table Schema
inference. Other domains use validation only through this module.

- The files in ``schemas/`` (``SCHEMAS_PATH``) are the built-in standards:
  :func:`sync_builtin_schemas` copies each into the database as a built-in version, and adds
  a new version when a file changes. Reading the library syncs lazily when it is still empty.
- Walidata and admins add standards and new versions (:func:`save_standard`); a version is
  never changed afterwards, so a resource that recorded ``name@version``
  (:func:`schema_ref_of`) keeps the verdict it was validated with.
- :func:`infer_schema` proposes a Table Schema for an uploaded table (CSV, TSV, XLSX, JSON);
  it lives in ``validation.inference`` (no application needed) and is offered here.

Nothing here commits: the caller (a view, the CLI, the demo loader) owns the transaction.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, SystemActor, require
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.limits import check_json_depth
from satudata.tabular import standards
from satudata.tabular.schema import UnusableInput, check_schema
from satudata.validation.inference import humanise as humanise
from satudata.validation.inference import infer_resource as infer_resource
from satudata.validation.inference import infer_schema as infer_schema
from satudata.validation.inference import number_questions as number_questions
from satudata.validation.models import SchemaVersion

SYNC_ACTOR = SystemActor("schemas")
NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")
NAME_MAX = 100
RESERVED_NAMES = {"baru"}  # /standar-data/baru is the page that adds a standard
REF = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_\-]*)(?:@(?P<version>[1-9][0-9]{0,8}))?$")
NOTE_FIRST = "Versi awal dari berkas schemas/."
NOTE_UPDATED = "Diperbarui dari berkas schemas/."


# --------------------------------------------------------------------------- library


@dataclass(frozen=True)
class StandardSummary:
    """The newest version of one standard, with what a list needs to show."""

    name: str
    version: int
    title: str
    description: str
    field_count: int
    builtin: bool
    updated_at: datetime

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


def _schemas_dir() -> Path:
    configured = current_app.config.get("SCHEMAS_PATH") if has_app_context() else None
    return standards.schema_dir(configured)


def _newest(name: str, *, builtin: bool | None = None) -> SchemaVersion | None:
    query = select(SchemaVersion).where(SchemaVersion.name == name)
    if builtin is not None:
        query = query.where(SchemaVersion.builtin.is_(builtin))
    return db.session.scalar(query.order_by(SchemaVersion.version.desc()).limit(1))


def _next_version(name: str) -> int:
    current = db.session.scalar(select(func.max(SchemaVersion.version)).where(SchemaVersion.name == name))
    return int(current or 0) + 1


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def sync_builtin_schemas(actor: Actor = SYNC_ACTOR) -> int:
    """Make every file of ``schemas/`` a built-in version in the database; returns how many
    versions were added.

    A file with no built-in version yet becomes one (version 1, or the next number when
    walidata already made a standard of that name); a file whose content differs from the
    newest built-in version of its name becomes a new version. Running it again adds nothing.
    ``actor`` (a system actor: the demo loader, the start-up) is who the audit log names.
    Flushes, never commits.
    """
    require(actor, Permission.VALIDATION_SCHEMA_MANAGE)
    added = 0
    for item in standards.list_schemas(_schemas_dir()):
        if not NAME.match(item.name) or len(item.name) > NAME_MAX:
            current_app.logger.warning("schemas/%s.json: name not usable in the library; skipped", item.name)
            continue
        newest = _newest(item.name, builtin=True)
        if newest is not None and newest.descriptor == item.descriptor:
            continue
        version = SchemaVersion(
            name=item.name, version=_next_version(item.name), title=item.title[:300] or item.name,
            description=item.description, descriptor=copy.deepcopy(item.descriptor),
            note=NOTE_UPDATED if newest is not None else NOTE_FIRST, builtin=True, created_by_id=None,
        )
        db.session.add(version)
        db.session.flush()
        audit(actor, "schema.version" if newest is not None else "schema.create", "schema_version",
              version.id, {"name": version.name, "version": version.version, "builtin": True})
        added += 1
    return added


def _ensure_synced() -> None:
    """Fill an empty library from ``schemas/`` (in a savepoint; the caller's transaction keeps
    the rows, and a second process doing the same at once is harmless)."""
    if db.session.scalar(select(SchemaVersion.id).limit(1)) is not None:
        return
    try:
        with db.session.begin_nested():
            sync_builtin_schemas()
    except IntegrityError:
        pass  # another request synced at the same moment; its rows are there now


def list_standards() -> list[StandardSummary]:
    """The newest version of every standard, by title."""
    _ensure_synced()
    newest = (
        select(SchemaVersion.name, func.max(SchemaVersion.version).label("version"))
        .group_by(SchemaVersion.name).subquery()
    )
    rows = db.session.scalars(
        select(SchemaVersion).join(
            newest, (SchemaVersion.name == newest.c.name) & (SchemaVersion.version == newest.c.version))
    ).all()
    result = [
        StandardSummary(
            name=v.name, version=v.version, title=v.title, description=v.description,
            field_count=len((v.descriptor or {}).get("fields") or []), builtin=v.builtin, updated_at=v.created_at,
        )
        for v in rows
    ]
    return sorted(result, key=lambda s: (s.title.casefold(), s.name))


def get_standard(name: str, version: int | None = None) -> SchemaVersion:
    """A version of a standard (the newest when ``version`` is None); ``NotFound`` if none."""
    _ensure_synced()
    if version is None:
        found = _newest(name)
        if found is None:
            raise NotFound(f'Standar data "{name}" tidak ditemukan di pustaka standar data.')
        return found
    found = db.session.scalar(
        select(SchemaVersion).where(SchemaVersion.name == name, SchemaVersion.version == version))
    if found is None:
        if _newest(name) is None:
            raise NotFound(f'Standar data "{name}" tidak ditemukan di pustaka standar data.')
        raise NotFound(f'Standar data "{name}" tidak punya versi {version}.')
    return found


def list_versions(name: str) -> list[SchemaVersion]:
    """Every version of a standard, newest first; ``NotFound`` if there is no such standard."""
    _ensure_synced()
    versions = list(db.session.scalars(
        select(SchemaVersion).where(SchemaVersion.name == name).order_by(SchemaVersion.version.desc())))
    if not versions:
        raise NotFound(f'Standar data "{name}" tidak ditemukan di pustaka standar data.')
    return versions


def _check(descriptor: dict[str, Any]) -> None:
    """``tabular.schema.check_schema``, with the problems always under ``details["schema"]``."""
    try:
        check_schema(descriptor)
    except UnusableInput as exc:
        if exc.details:
            raise
        raise UnusableInput(exc.message, details={"schema": [exc.message]}) from exc


def save_standard(actor: Actor, name: str, descriptor: Mapping[str, Any], note: str, *,
                  new: bool = False) -> SchemaVersion:
    """Add a standard (``new=True``: version 1, the name must be free) or a new version of an
    existing one (a note saying what changed is required). Flushes, never commits (on a
    name-and-version race it rolls the session back and raises ``Conflict``).

    Raises ``Forbidden`` unless walidata or admin, ``Invalid`` for a bad name, title or Table
    Schema (``details`` keyed ``name``, ``title``, ``note``, ``schema``), ``NotFound`` for a new
    version of an unknown standard, ``Conflict`` when the name is taken or nothing changed.
    """
    require(actor, Permission.VALIDATION_SCHEMA_MANAGE)
    _ensure_synced()
    name = _text(name)
    note = _text(note)
    details: dict[str, list[str]] = {}
    if not NAME.match(name) or len(name) > NAME_MAX:
        details["name"] = ["Nama standar hanya boleh huruf kecil, angka dan garis bawah (_), diawali huruf atau "
                           f"angka, paling panjang {NAME_MAX} karakter; misalnya penduduk_kecamatan."]
    elif name in RESERVED_NAMES:
        details["name"] = [f'Nama "{name}" dipakai alamat halaman portal; pilih nama lain.']
    if not isinstance(descriptor, Mapping):
        raise Invalid("Table Schema harus berupa objek JSON.", details={"schema": ["Harus berupa objek JSON."]})
    check_json_depth(descriptor, field="schema")  # before deepcopy recurses into it
    schema: dict[str, Any] = copy.deepcopy(dict(descriptor))
    title = _text(schema.get("title"))
    if not title:
        details["title"] = ["Judul standar wajib diisi."]
    elif len(title) > 300:
        details["title"] = ["Judul standar paling panjang 300 karakter."]
    if not new and not note:
        details["note"] = ["Tuliskan catatan perubahan: apa yang berbeda dari versi sebelumnya."]
    if details:
        raise Invalid("Standar data belum dapat disimpan; periksa isian yang ditandai.", details=details)
    schema["name"] = name
    schema["title"] = title
    _check(schema)
    newest = _newest(name)
    if new and newest is not None:
        raise Conflict(f'Sudah ada standar data bernama "{name}". Pilih nama lain, atau buat versi baru standar itu.',
                       details={"name": ["Nama ini sudah dipakai."]})
    if not new:
        if newest is None:
            raise NotFound(f'Standar data "{name}" tidak ditemukan di pustaka standar data.')
        if newest.descriptor == schema:
            raise Conflict(f"Tidak ada perubahan dibanding versi {newest.version}; versi baru tidak dibuat.")
    version = SchemaVersion(
        name=name, version=_next_version(name), title=title, description=_text(schema.get("description")),
        descriptor=schema, note=note, builtin=False, created_by_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same name and version saved at the same moment
        db.session.rollback()
        raise Conflict("Standar ini baru saja diubah orang lain. Muat ulang halaman, lalu coba lagi.") from exc
    audit(actor, "schema.create" if new else "schema.version", "schema_version", version.id,
          {"name": name, "version": version.version, "note": note})
    return version


def schema_ref_of(version: SchemaVersion) -> str:
    """``name@version``: how a resource records the standard it is validated against."""
    return f"{version.name}@{version.version}"


def parse_schema_ref(ref: str) -> tuple[str, int | None]:
    """``"sekolah@2"`` -> ``("sekolah", 2)``; ``"sekolah"`` -> ``("sekolah", None)`` (newest)."""
    match = REF.match((ref or "").strip())
    if match is None:
        raise Invalid(f'Rujukan standar data "{ref}" tidak sah; bentuknya nama atau nama@versi, misalnya sekolah@2.',
                      details={"schema_ref": ["Bentuknya nama atau nama@versi."]})
    version = match.group("version")
    return match.group("name"), int(version) if version else None


NO_STANDARD = ("", "infer")  # the upload form's "no standard: infer one from the file"


def standard_choice(choice: str | None, field: str = "schema") -> tuple[dict[str, Any] | None, str | None]:
    """The Table Schema (a copy) and ``name@version`` of the standard a producer picked by
    ``name`` or ``name@version``; ``(None, None)`` for "no standard". An unknown or malformed
    choice is a bad value of ``field`` (a form error), not a missing page."""
    choice = (choice or "").strip()
    if choice in NO_STANDARD:
        return None, None
    try:
        name, version = parse_schema_ref(choice)
        standard = get_standard(name, version)
    except (Invalid, NotFound) as err:
        raise Invalid(err.message, details={field: [err.message]}) from None
    return copy.deepcopy(dict(standard.descriptor)), schema_ref_of(standard)


def descriptor_of(ref: str) -> dict[str, Any]:
    """A copy of the Table Schema a ``name`` or ``name@version`` reference names."""
    return standard_of(ref)[0]


def standard_of(ref: str) -> tuple[dict[str, Any], str]:
    """A copy of the Table Schema a ``name`` or ``name@version`` reference names, and the
    ``name@version`` it is (the newest version for a bare name): the catalogue's library
    (``catalog.services.use_schema_library``). ``Invalid``/``NotFound`` when there is none."""
    version = get_standard(*parse_schema_ref(ref))
    return copy.deepcopy(dict(version.descriptor)), schema_ref_of(version)


# --------------------------------------------------------------------------- inference

def descriptor_from_json(data: bytes | str) -> dict[str, Any]:
    """A Table Schema read from an uploaded JSON file (``Invalid`` when it is not one object)."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        check_json_depth(text, field="file")  # the parser would recurse until a server error
        value = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"Berkas bukan JSON yang sah: {exc}", details={"file": ["Berkas bukan JSON yang sah."]}) from exc
    if not isinstance(value, dict):
        raise Invalid("Berkas JSON harus berisi satu objek Table Schema (dengan daftar \"fields\").",
                      details={"file": ["Harus berisi satu objek Table Schema."]})
    return value


# --------------------------------------------------------------------------- the resolved schema

def resolved_schema(resource: Any) -> dict[str, Any] | None:
    """The Table Schema ``resource`` is validated against, resolved as the validation job
    resolves it (its own descriptor, else the library's or ``schemas/``'s standard it names);
    ``None`` when it has none or it cannot be resolved (the table then has no typed copy).

    Not checked again here: it was checked when it was attached, and this runs on every read of
    a table's copy (checking costs frictionless, a millisecond and more per call)."""
    from satudata.catalog import services as catalog

    try:
        schema = catalog.resource_schema(resource)
        if schema is None:
            return None
        if isinstance(schema, Mapping):
            return copy.deepcopy(dict(schema))
        return standards.load_schema(schema, current_app.config.get("SCHEMAS_PATH"))
    except (standards.SchemaNotFound, ValueError, UnusableInput, Invalid, NotFound):
        return None
