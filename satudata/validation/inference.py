"""Inferring a table's Table Schema and frictionless Resource descriptor from its file: types,
number writing (``groupChar``/``decimalChar``), day-first dates, missing-value tokens, the
header row of a spreadsheet. Pure: no application, no database, so ``satudata infer`` starts
without the web stack (``satudata.cli.main``); the upload job and the schema page call it through
``validation.services``."""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from satudata.tabular import convert, numbers
from satudata.tabular.patterns import MONTH_NAME_DATE_PATTERN
from satudata.tabular.schema import UnusableInput, check_schema
from satudata.validation import engine

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
    elif spec.get("type") == "string" and values and all(_MONTH_NAME_DATE.match(v.strip()) for v in values):
        spec = {**spec, **month_name_dates()}
    spec["title"] = humanise(name)
    return spec


_MONTH_NAME_DATE = re.compile(rf"^{MONTH_NAME_DATE_PATTERN}$")  # as frictionless anchors it


def month_name_dates() -> dict[str, Any]:
    """The field properties of a column of dates written with Indonesian month names. A Table
    Schema ``date`` reads months by the strptime ``%B`` of the reader's locale (English almost
    everywhere), so frictionless would refuse "17 Agustus 2025": the column stays text, checked
    to be such a date by a ``pattern``, and its description says how to make it a date column."""
    return {"type": "string", "constraints": {"pattern": MONTH_NAME_DATE_PATTERN},
            "description": "Tanggal dengan nama bulan (misalnya 17 Agustus 2025). Agar dibaca sebagai tanggal "
                           "(untuk grafik dan penyaringan), tulis sebagai 2025-08-17 atau 17/08/2025."}


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
def _as_delimited(path: Path, fmt: str | None, sheet: str | int | None, xlsx_max_uncompressed: int | None,
                  header_row: int | None = None) -> Iterator[tuple[Path, str, convert.Converted | None]]:
    """``path`` as a delimited table: itself for CSV/TSV, else its conversion (XLSX: one sheet
    from its header row on; JSON records) in a temporary folder, with what the conversion did."""
    kind = engine.detect_format(path, fmt)
    if kind in ("csv", "tsv"):
        yield path, kind, None
        return
    with tempfile.TemporaryDirectory(prefix="satudata-infer-") as tmp:
        target = Path(tmp) / "tabel.csv"
        try:
            converted = convert.xlsx_to_csv(path, target, sheet=sheet, header_row=header_row,
                                            max_uncompressed=_xlsx_limit(xlsx_max_uncompressed)) \
                if kind == "xlsx" else convert.json_to_csv(path, target)
        except convert.ConversionError as exc:
            raise UnusableInput(str(exc)) from exc
        yield target, "csv", converted


def _xlsx_limit(explicit: int | None) -> int:
    if explicit:
        return explicit
    flask = sys.modules.get("flask")  # an application only where Flask is loaded: not imported here
    if flask is not None and flask.has_app_context() and flask.current_app.config.get("XLSX_MAX_UNCOMPRESSED_BYTES"):
        return int(flask.current_app.config["XLSX_MAX_UNCOMPRESSED_BYTES"])
    return convert.DEFAULT_XLSX_MAX_UNCOMPRESSED


def infer_schema(path: str | Path, fmt: str | None = None, *, sheet: str | int | None = None,
                 xlsx_max_uncompressed: int | None = None, header_row: int | None = None) -> dict[str, Any]:
    """A Table Schema inferred from the table at ``path`` (CSV/TSV in any encoding and
    delimiter, XLSX (``sheet``: name or 1-based number, the first by default), JSON array of
    records), from its first ~10,000 rows.

    Every sampled value passes the result (types are inferred with full confidence); code and
    identifier columns stay text; titles are the humanised column names; ``"-"`` and ``"NA"``
    become missing values only when the sample has them. Rows past the sample may still
    break the inferred types. Raises :class:`UnusableInput` for a file that is not a table.
    """
    path = _readable(path)
    with _as_delimited(path, fmt, sheet, xlsx_max_uncompressed, header_row) as (table, kind, _converted):
        return _infer_delimited(_sample(table, kind, INFER_SAMPLE_ROWS))


def number_questions(path: str | Path, descriptor: dict[str, Any] | None, fmt: str | None = None, *,
                     sheet: str | int | None = None, header_row: int | None = None) -> list[dict[str, Any]]:
    """The number columns of ``descriptor`` whose values in the file read both ways ("34.645":
    thirty-four thousand, or thirty-four point six four five): what the schema editor asks the
    producer about, with examples from the file and what each reading makes of them. Empty
    when there are none, or the file cannot be sampled."""
    fields = [f for f in (descriptor or {}).get("fields") or []
              if isinstance(f, dict) and f.get("type") == "number" and (f.get("groupChar") or f.get("decimalChar"))]
    if not fields:
        return []
    try:
        with _as_delimited(Path(path), fmt, sheet, None, header_row) as (table, kind, _converted):
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
                   xlsx_max_uncompressed: int | None = None, header_row: int | None = None) -> dict[str, Any]:
    """A frictionless Resource descriptor of the table at ``path``: its format, encoding and
    dialect (delimiter, header rows; the sheet of a spreadsheet) as validation reads them, and
    the Table Schema :func:`infer_schema` infers. ``frictionless validate`` takes it as it is,
    and so does ``satudata validate FILE --resource``."""
    path = _readable(path)
    descriptor: dict[str, Any] = {"name": _resource_name(path), "type": "table", "path": str(path),
                                  "scheme": "file"}
    with _as_delimited(path, fmt, sheet, xlsx_max_uncompressed, header_row) as (table, kind, converted):
        sample = _sample(table, kind, INFER_SAMPLE_ROWS)
        schema = _infer_delimited(sample)
    if converted is None:
        descriptor.update(format=kind, encoding=sample.encoding, mediatype=sample.mediatype,
                          dialect={"headerRows": [1], **sample.dialect})
    elif engine.detect_format(path, fmt) == "xlsx":
        descriptor.update(format="xlsx",
                          mediatype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          dialect={"headerRows": list(converted.header_rows),
                                   "excel": {"sheet": converted.sheet, "fillMergedCells": True}})
    else:
        descriptor.update(format="json", mediatype="application/json")
    descriptor["schema"] = schema
    return descriptor


def _resource_name(path: Path) -> str:
    """A frictionless resource name from a file name (lower case, ``[a-z0-9._-]``)."""
    name = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._")
    return name or "tabel"
