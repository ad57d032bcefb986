"""The regional data-standards library (versioned standard Table Schemas) and Table Schema
inference. Other domains use validation only through this module.

- The files in ``schemas/`` (``SCHEMAS_PATH``) are the built-in standards:
  :func:`sync_builtin_schemas` copies each into the database as a built-in version, and adds
  a new version when a file changes. Reading the library syncs lazily when it is still empty.
- Walidata and admins add standards and new versions (:func:`save_standard`); a version is
  never changed afterwards, so a resource that recorded ``name@version``
  (:func:`schema_ref_of`) keeps the verdict it was validated with.
- :func:`infer_schema` proposes a Table Schema for an uploaded table (CSV, TSV, XLSX, JSON).

Nothing here commits: the caller (a view, the CLI, the demo loader) owns the transaction.
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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
from satudata.tabular import convert, numbers, standards
from satudata.tabular.schema import UnusableInput, check_schema
from satudata.validation import engine
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

INFER_SAMPLE_ROWS = 10_000
QUESTION_SAMPLE_ROWS = 1_000  # rows the schema page reads to ask about numbers that read both ways
MISSING_TOKENS = ("-", "NA")  # cells that mean "no value" in regional tables, added only when present
FIELD_CANDIDATES = [{"type": t} for t in ("datetime", "date", "time", "integer", "number", "boolean", "string")]
# Columns holding codes or identifiers stay text even when every value looks numeric
# ("14.07" is a region, not fourteen point zero seven; "01" keeps its zero).
_CODE_WORDS = {"kode", "kd", "id", "nik", "nip", "nisn", "npsn", "nib", "npwp", "telepon", "telp", "hp", "kodepos",
               "nomor_telepon", "no_hp", "no_telp"}
_LEADING_ZERO = re.compile(r"^[+-]?0[0-9]")
_ABBREVIATIONS = {"kk", "opd", "nik", "nip", "nisn", "npsn", "nib", "npwp", "rt", "rw", "ipm", "apbd", "apbn", "pad",
                  "dau", "dak", "dbh", "ppid", "bps", "umkm", "id", "sd", "smp", "sma", "smk", "paud", "rsud", "tk",
                  "km", "dpt", "pdrb", "ikm", "ump", "umk", "pns", "asn", "bpjs"}


def humanise(name: str) -> str:
    """A title for a column name: ``jumlah_kk`` -> ``Jumlah KK``, ``kodeWilayah`` -> ``Kode wilayah``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])", " ", name)
    text = re.sub(r"[_\s]+", " ", text).strip()
    shouting = text.upper() == text  # LUAS_WILAYAH: capitals say nothing about acronyms
    words = []
    for word in text.split(" "):
        if word.lower() in _ABBREVIATIONS:
            words.append(word.upper())
        elif len(word) > 1 and word.isupper() and not shouting:
            words.append(word)  # an acronym written as such
        else:
            words.append(word.lower())
    title = " ".join(words)
    return title[:1].upper() + title[1:] if title else name


def _looks_like_code(name: str) -> bool:
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    tokens = [t for t in re.split(r"[^a-z0-9]+", snake) if t]
    joined = "_".join(tokens)
    return (bool(tokens) and tokens[0].startswith("kode")) or any(t in _CODE_WORDS for t in tokens) \
        or any(w in joined for w in _CODE_WORDS if "_" in w)


def _reads_all(spec: dict[str, Any], values: list[str]) -> bool:
    from frictionless import Field

    reader = Field.from_descriptor(dict(spec)).create_cell_reader()
    return all(reader(v)[1] is None for v in values)


def _refine(spec: dict[str, Any], values: list[str], delimiter: str | None = None) -> dict[str, Any]:
    """Make one inferred field friendlier without making it refuse any sampled value: codes
    stay text, and numbers written with separators get the ``groupChar``/``decimalChar`` that
    read them (``tabular.numbers``: "34.645" is 34645 in an Indonesian file)."""
    name = str(spec["name"])
    ftype = spec.get("type")
    code = _looks_like_code(name) or any(_LEADING_ZERO.match(v) for v in values)
    if ftype == "any":
        spec["type"] = "string"  # an empty column: text accepts whatever comes later
    elif ftype in ("integer", "number") and code:
        spec["type"] = "string"
    elif ftype in ("integer", "number", "string") and values and not code:
        fmt = numbers.detect(values, delimiter)
        if fmt is not None:
            written = {"name": name, "type": "number", **fmt.schema_properties()}
            if _reads_all(written, values):
                spec = {**{k: v for k, v in spec.items() if k != "format"}, **written}

    if spec.get("type") == "string" and values and not _looks_like_code(name) \
            and (date_format := _day_first_dates(values)):
        dated = {"name": name, "type": "date", "format": date_format}
        if _reads_all(dated, values):
            spec = {**spec, **dated}
    spec["title"] = humanise(name)
    return spec


_SLASH_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")


def _day_first_dates(values: list[str]) -> str | None:
    """The strptime format of a column of dates written dd/mm/yyyy (or with "-" or "."), as
    Indonesian spreadsheets write them; mm/dd/yyyy when a second part above 12 shows an
    English export. ``None`` when not every value is such a date."""
    parts = [_SLASH_DATE.match(v.strip()) for v in values]
    if not values or not all(parts):
        return None
    separators = {m[2] for m in parts if m}
    if len(separators) != 1:
        return None
    sep = separators.pop()
    month_first = any(int(m[3]) > 12 for m in parts if m) and not any(int(m[1]) > 12 for m in parts if m)
    return f"%m{sep}%d{sep}%Y" if month_first else f"%d{sep}%m{sep}%Y"


def _delimiter(resource: Any) -> str | None:
    """The delimiter frictionless detected for a CSV resource (``None`` when it cannot say)."""
    try:
        return str(resource.dialect.get_control("csv").delimiter)
    except Exception:  # no CSV control: not a delimited file
        return None


@dataclass(frozen=True)
class _Sample:
    """The start of a delimited table as validation reads it: header, rows as text, and the
    encoding and dialect frictionless detects."""

    labels: list[str]
    rows: list[list[Any]]
    encoding: str
    mediatype: str
    dialect: dict[str, Any]
    delimiter: str | None


def _sample(path: Path, fmt: str, rows: int) -> _Sample:
    """Encoding and dialect exactly as validation will detect them (from frictionless's default
    sample), then ``rows`` rows as text; ``UnusableInput`` for what is no table."""
    from frictionless import Detector, FrictionlessException, Resource, system

    try:
        with system.use_context(trusted=True):
            quick = Resource(str(path), format=fmt)
            quick.infer()
            probe = Resource(str(path), format=fmt, encoding=quick.encoding, dialect=quick.dialect,
                             detector=Detector(sample_size=rows, field_type="string"))
            probe.infer()
            return _Sample(labels=list(getattr(probe, "labels", None) or []),
                           rows=[list(row) for row in (getattr(probe, "fragment", None) or [])],
                           encoding=str(quick.encoding), mediatype=str(quick.mediatype),
                           dialect={k: v for k, v in quick.dialect.to_descriptor().items() if k != "name"},
                           delimiter=_delimiter(quick))
    except FrictionlessException as exc:
        raise UnusableInput(f"Berkas tidak dapat dibaca sebagai tabel: {exc.error.message}") from exc
    except UnicodeError as exc:
        raise UnusableInput("Enkode teks berkas tidak dapat dikenali; simpan ulang sebagai CSV UTF-8.") from exc


def _infer_delimited(sample: _Sample) -> dict[str, Any]:
    from frictionless import Detector

    labels, fragment = sample.labels, sample.rows
    if not labels:
        raise UnusableInput("Berkas tidak punya baris judul kolom; baris pertama harus berisi nama kolom.")
    present = {cell for row in fragment for cell in row if isinstance(cell, str)}
    missing = ["", *(t for t in MISSING_TOKENS if t in present)]
    detector = Detector(field_confidence=1, field_missing_values=missing)
    schema = detector.detect_schema(fragment, labels=labels, field_candidates=FIELD_CANDIDATES)
    fields = []
    for index, spec in enumerate(schema.to_descriptor().get("fields", [])):
        values = [row[index] for row in fragment
                  if index < len(row) and isinstance(row[index], str) and row[index] not in missing]
        fields.append(_refine(spec, values, sample.delimiter))
    descriptor: dict[str, Any] = {"fields": fields, "missingValues": missing}
    check_schema(descriptor)
    return descriptor


@contextmanager
def _as_delimited(path: Path, fmt: str | None, sheet: str | int | None,
                  xlsx_max_uncompressed: int | None) -> Iterator[tuple[Path, str, convert.Converted | None]]:
    """``path`` as a delimited table: itself for CSV/TSV, else its conversion (XLSX: one sheet
    from its header row on; JSON records) in a temporary folder, with what the conversion did."""
    kind = engine.detect_format(path, fmt)
    if kind in ("csv", "tsv"):
        yield path, kind, None
        return
    with tempfile.TemporaryDirectory(prefix="satudata-infer-") as tmp:
        target = Path(tmp) / "tabel.csv"
        try:
            converted = convert.xlsx_to_csv(path, target, sheet=sheet,
                                            max_uncompressed=_xlsx_limit(xlsx_max_uncompressed)) \
                if kind == "xlsx" else convert.json_to_csv(path, target)
        except convert.ConversionError as exc:
            raise UnusableInput(str(exc)) from exc
        yield target, "csv", converted


def _xlsx_limit(explicit: int | None) -> int:
    if explicit:
        return explicit
    if has_app_context() and current_app.config.get("XLSX_MAX_UNCOMPRESSED_BYTES"):
        return int(current_app.config["XLSX_MAX_UNCOMPRESSED_BYTES"])
    return convert.DEFAULT_XLSX_MAX_UNCOMPRESSED


def infer_schema(path: str | Path, fmt: str | None = None, *, sheet: str | int | None = None,
                 xlsx_max_uncompressed: int | None = None) -> dict[str, Any]:
    """A Table Schema inferred from the table at ``path`` (CSV/TSV in any encoding and
    delimiter, XLSX (``sheet``: name or 1-based number, the first by default), JSON array of
    records), from its first ~10,000 rows.

    Every sampled value passes the result (types are inferred with full confidence); code and
    identifier columns stay text; titles are the humanised column names; ``"-"`` and ``"NA"``
    become missing values only when the sample has them. Rows past the sample may still
    break the inferred types. Raises :class:`UnusableInput` for a file that is not a table.
    """
    path = _readable(path)
    with _as_delimited(path, fmt, sheet, xlsx_max_uncompressed) as (table, kind, _converted):
        return _infer_delimited(_sample(table, kind, INFER_SAMPLE_ROWS))


def number_questions(path: str | Path, descriptor: dict[str, Any] | None, fmt: str | None = None, *,
                     sheet: str | int | None = None) -> list[dict[str, Any]]:
    """The number columns of ``descriptor`` whose values in the file read both ways ("34.645":
    thirty-four thousand, or thirty-four point six four five): what the schema editor asks the
    producer about, with examples from the file and what each reading makes of them. Empty
    when there are none, or the file cannot be sampled."""
    fields = [f for f in (descriptor or {}).get("fields") or []
              if isinstance(f, dict) and f.get("type") == "number" and (f.get("groupChar") or f.get("decimalChar"))]
    if not fields:
        return []
    try:
        with _as_delimited(Path(path), fmt, sheet, None) as (table, kind, _converted):
            sample = _sample(table, kind, QUESTION_SAMPLE_ROWS)
    except UnusableInput:
        return []
    labels, fragment, delimiter = sample.labels, sample.rows, sample.delimiter
    questions = []
    for spec in fields:
        if spec.get("name") not in labels:
            continue
        index = labels.index(spec["name"])
        values = [row[index] for row in fragment if index < len(row) and isinstance(row[index], str)]
        found = numbers.detect(values, delimiter)
        if found is None or not found.ambiguous:
            continue
        current = numbers.NumberFormat(convention="", group=str(spec.get("groupChar") or ""),
                                       decimal=str(spec.get("decimalChar") or "."), ambiguous=True,
                                       examples=found.examples)
        other = numbers.other_reading(found) if (found.group, found.decimal) == (current.group, current.decimal) \
            else found
        questions.append({
            "name": spec["name"], "examples": list(found.examples),
            "read_as": [_plain(numbers.read(v, current)) for v in found.examples],
            "other": [_plain(numbers.read(v, other)) for v in found.examples],
            # The editor's choice for the other reading ("1250.5" when no example holds a comma).
            "other_choice": other.convention if other.convention == "id" or "," in "".join(found.examples)
            else "plain",
        })
    return questions


def _plain(value: float | None) -> str:
    """A number without grouping and with a decimal comma ("34645", "34,645"), so the two
    readings of a value cannot be confused on the page."""
    if value is None:
        return "?"
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _readable(path: str | Path) -> Path:
    """``path``, or ``UnusableInput`` when there is no file or it is empty."""
    path = Path(path)
    if not path.is_file():
        raise UnusableInput(f"Berkas {path.name} tidak ditemukan.")
    if path.stat().st_size == 0:
        raise UnusableInput("Berkas kosong (0 byte): tidak ada tabel untuk dibaca.")
    return path


def infer_resource(path: str | Path, fmt: str | None = None, *, sheet: str | int | None = None,
                   xlsx_max_uncompressed: int | None = None) -> dict[str, Any]:
    """A frictionless Resource descriptor of the table at ``path``: its format, encoding and
    dialect (delimiter, header rows; the sheet of a spreadsheet) as validation reads them, and
    the Table Schema :func:`infer_schema` infers. ``frictionless validate`` takes it as it is,
    and so does ``satudata validate FILE --resource``."""
    path = _readable(path)
    descriptor: dict[str, Any] = {"name": _resource_name(path), "type": "table", "path": str(path),
                                  "scheme": "file"}
    with _as_delimited(path, fmt, sheet, xlsx_max_uncompressed) as (table, kind, converted):
        sample = _sample(table, kind, INFER_SAMPLE_ROWS)
        schema = _infer_delimited(sample)
    if converted is None:
        descriptor.update(format=kind, encoding=sample.encoding, mediatype=sample.mediatype,
                          dialect={"headerRows": [1], **sample.dialect})
    elif engine.detect_format(path, fmt) == "xlsx":
        descriptor.update(format="xlsx",
                          mediatype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          dialect={"headerRows": [converted.header_row], "excel": {"sheet": converted.sheet}})
    else:
        descriptor.update(format="json", mediatype="application/json")
    descriptor["schema"] = schema
    return descriptor


def _resource_name(path: Path) -> str:
    """A frictionless resource name from a file name (lower case, ``[a-z0-9._-]``)."""
    name = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    return name or "tabel"


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
