"""The Table Schema editor: a Table Schema descriptor as plain form values, and back.

The editor (macro ``schema_editor`` in ``templates/validation/_schema_editor.html``) posts one
group of inputs per field row, named ``fields-<i>-<property>``:

``name``, ``title``, ``description``, ``type``, ``format``, ``satuan`` (unit), ``example``,
``required`` and ``unique`` (checkboxes), ``minimum``, ``maximum``, ``minLength``,
``maxLength``, ``enum`` (one value per line, or comma-separated on one line), ``pattern``, and
``extra`` (hidden JSON of every property the editor does not show, such as ``x-kode-wilayah``);

plus the table-level ``title``, ``description``, ``primaryKey`` (multi-select whose values are
row numbers, so a renamed field stays in the key), ``missingValues`` (comma-separated),
``missingEmpty`` (checkbox: an empty cell is missing), and hidden ``extra`` (table-level
properties the editor does not show: ``name``, ``foreignKeys``, ``x-satudata``, ...),
``primaryKey-original`` and ``missingValues-implicit`` (so an unchanged key keeps its order
and an absent ``missingValues`` stays absent).

A value the editor cannot show faithfully (a ``required: false``, an enum of mixed types, a
bound of an odd type) stays in the hidden ``extra`` JSON, so an unchanged form gives back the
descriptor it was made from. Rows with nothing filled in are ignored (the editor always offers
a few empty rows, for browsers without JavaScript).
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from satudata.errors import Invalid
from satudata.limits import JsonTooDeep, check_json_depth
from satudata.tabular import patterns, reference
from satudata.tabular.schema import check_schema

# Field types of the Table Schema spec, with their Bahasa Indonesia labels for the editor.
TYPES: dict[str, str] = {
    "string": "Teks",
    "integer": "Bilangan bulat",
    "number": "Angka (boleh desimal)",
    "boolean": "Ya/tidak (boolean)",
    "date": "Tanggal",
    "datetime": "Tanggal dan jam",
    "time": "Jam",
    "year": "Tahun",
    "yearmonth": "Tahun-bulan",
    "duration": "Durasi",
    "geopoint": "Titik koordinat",
    "geojson": "GeoJSON",
    "object": "Objek JSON",
    "array": "Array JSON",
    "any": "Bebas (apa saja)",
}
BOUNDED_TYPES = ("integer", "number", "year", "date", "datetime", "time", "yearmonth", "duration")
ROW_KEYS = ("name", "title", "description", "type", "format", "satuan", "example", "required", "unique", "minimum", "maximum",
            "minLength", "maxLength", "enum", "pattern", "numbers", "extra")
# How a number column writes its numbers (``numbers`` of a row): the separators each choice
# sets. A field with other separators keeps them in the hidden ``extra`` (choice "").
NUMBER_WRITING: dict[str, dict[str, str]] = {
    "plain": {},  # 1250.5: the Table Schema default
    "id": {"groupChar": ".", "decimalChar": ","},  # 1.250,5: Indonesian spreadsheets
    "en": {"groupChar": ",", "decimalChar": "."},  # 1,250.5: English spreadsheets
}


def _number_writing(spec: Mapping[str, Any]) -> str:
    """The editor's choice for a number field's ``groupChar``/``decimalChar`` ("" for none of them)."""
    written = {k: spec[k] for k in ("groupChar", "decimalChar") if k in spec}
    if written.get("decimalChar") == ".":
        written.pop("decimalChar")
    for choice, props in NUMBER_WRITING.items():
        wanted = dict(props)
        if wanted.get("decimalChar") == ".":
            wanted.pop("decimalChar")
        if written == wanted:
            return choice
    return ""
TEXT_KEYS = ("title", "description", "format", "satuan", "example")
CONSTRAINT_KEYS = ("required", "unique", "minimum", "maximum", "minLength", "maxLength", "enum", "pattern")
TABLE_KEYS = ("fields", "title", "description", "primaryKey", "missingValues")
_ROW = re.compile(r"^fields-(\d{1,4})-(\w+)$")
_INT = re.compile(r"^[+-]?[0-9]+$")
MAX_ROWS = 1000

_BOUND_NAMES = {"minimum": "Batas bawah", "maximum": "Batas atas"}
_LENGTH_NAMES = {"minLength": "Panjang minimum", "maxLength": "Panjang maksimum"}


class _Bad(ValueError):
    """A form value that cannot be read; the message is for the clerk."""


# --------------------------------------------------------------------------- parsing one value


def _parse_int(text: str, what: str) -> int:
    text = text.strip()
    if not _INT.match(text):
        raise _Bad(f"{what} harus bilangan bulat, misalnya 0 atau 100.")
    return int(text)


def _parse_number(text: str, what: str) -> int | float:
    text = text.strip()
    if _INT.match(text):
        return int(text)
    candidate = text.replace(",", ".") if "," in text and "." not in text else text
    try:
        value = float(candidate)
    except ValueError:
        raise _Bad(f"{what} harus angka, misalnya 0 atau 2,5.") from None
    if not math.isfinite(value):
        raise _Bad(f"{what} harus angka yang terhingga.")
    return value


def _parse_bound(text: str, ftype: str, key: str) -> Any:
    what = _BOUND_NAMES[key]
    if ftype not in BOUNDED_TYPES:
        raise _Bad(f"{what} hanya berlaku untuk tipe angka, tanggal, jam, tahun atau durasi; "
                   f"kosongkan atau ganti tipenya.")
    if ftype in ("integer", "year"):
        if ftype == "year" and not _INT.match(text.strip()):
            raise _Bad(f"{what} harus tahun berupa bilangan bulat, misalnya 2025.")
        return _parse_int(text, what)
    if ftype == "number":
        return _parse_number(text, what)
    return text.strip()  # dates, times, durations: the field's own reader checks them


def _parse_length(text: str, key: str) -> int:
    value = _parse_int(text, _LENGTH_NAMES[key])
    if value < 0:
        raise _Bad(f"{_LENGTH_NAMES[key]} tidak boleh negatif.")
    return value


def _split_enum(text: str) -> list[str]:
    parts = text.splitlines() if "\n" in text or "\r" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _parse_enum(text: str, ftype: str) -> list[Any]:
    values: list[Any] = []
    for item in _split_enum(text):
        if ftype in ("integer", "year"):
            if not _INT.match(item):
                raise _Bad(f'Pilihan "{item}" bukan bilangan bulat; kolom bertipe {TYPES[ftype].lower()}.')
            values.append(int(item))
        elif ftype == "number":
            values.append(_parse_number(item, f'Pilihan "{item}"'))
        elif ftype == "boolean" and item.lower() in ("true", "false"):
            values.append(item.lower() == "true")
        else:
            values.append(item)
    if len(set(map(repr, values))) != len(values):
        raise _Bad("Daftar pilihan berisi nilai ganda.")
    return values


def _parse_pattern(text: str, column: str = "") -> str:
    pattern = text.strip()
    reason = patterns.problem(pattern)  # Python's re must read it, and RE2 must run it
    if reason:
        named = f' kolom "{column}"' if column and not reason.startswith("tidak valid") else ""
        raise _Bad(f"Pola (regex){named} {reason}.")
    return pattern


def _loads(text: str) -> Any:
    """JSON of a hidden input; ``JsonTooDeep`` before parsing when it nests too deep (the
    parser would recurse until a server error), ``JSONDecodeError`` when it is not JSON."""
    check_json_depth(text)
    return json.loads(text)


# --------------------------------------------------------------------------- showing one value


def _render_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _render_enum(values: list[Any]) -> str:
    text = "\n".join(_render_scalar(v) for v in values)
    # One value holding a comma must not be split at it: a line break marks "one per line".
    return text + "\n" if len(values) == 1 and "," in text else text


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same JSON kind (``1`` and ``True`` differ, ``1`` and ``1.0`` differ)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _shows(value: Any, render: Callable[[Any], str], parse: Callable[[str], Any]) -> str | None:
    """The form text of ``value`` when reading it back gives the same value, else None."""
    try:
        text = render(value)
        return text if _same(parse(text), value) else None
    except (_Bad, TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- descriptor -> form


def _row_from_field(index: int, spec: Mapping[str, Any]) -> dict[str, Any]:
    extra = copy.deepcopy(dict(spec))
    ftype = spec.get("type", "string")
    if ftype not in TYPES:
        ftype = "string"
    else:
        extra.pop("type", None)
    row: dict[str, Any] = {"index": index, "name": str(spec.get("name", "")), "type": ftype,
                           "required": False, "unique": False}
    extra.pop("name", None)
    for key in TEXT_KEYS:
        value = spec.get(key)
        row[key] = ""
        if isinstance(value, str) and value.strip() == value and value:
            row[key] = value
            extra.pop(key)
    constraints = extra.get("constraints")
    if isinstance(constraints, dict):
        parsers: dict[str, Callable[[str], Any]] = {
            "minimum": lambda t: _parse_bound(t, ftype, "minimum"),
            "maximum": lambda t: _parse_bound(t, ftype, "maximum"),
            "minLength": lambda t: _parse_length(t, "minLength"),
            "maxLength": lambda t: _parse_length(t, "maxLength"),
            "enum": lambda t: _parse_enum(t, ftype),
            "pattern": _parse_pattern,
        }
        for key, parse in parsers.items():
            row[key] = ""
            if key in constraints:
                render = _render_enum if key == "enum" else _render_scalar
                text = _shows(constraints[key], render, parse) if constraints[key] != [] else None
                if text is not None and text.strip():
                    row[key] = text
                    constraints.pop(key)
        for key in ("required", "unique"):
            if constraints.get(key) is True:
                row[key] = True
                constraints.pop(key)
        if not constraints:
            extra.pop("constraints")
    for key in ("minimum", "maximum", "minLength", "maxLength", "enum", "pattern"):
        row.setdefault(key, "")
    row["numbers"] = ""
    if ftype == "number" and not {"bareNumber", "floatNumber"} & set(extra):
        row["numbers"] = _number_writing(extra)
        if row["numbers"]:
            extra.pop("groupChar", None)
            extra.pop("decimalChar", None)
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else ""
    return _decorate(row, extra)


def _decorate(row: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """What the editor shows with a row besides its inputs: its reference list, and whether
    its details start open."""
    row["reference"] = ""
    if reference.PROPERTY in extra:
        try:
            spec = reference.parse_spec(extra[reference.PROPERTY], field_name=row["name"])
            row["reference"] = spec.title
        except reference.ReferenceSpecError as exc:
            row["reference"] = str(exc)
    # A mark on the closed details when they hold a rule the row itself does not show.
    row["has_constraints"] = bool(row["unique"] or row["reference"] or any(
        str(row.get(k, "")).strip() for k in ("minimum", "maximum", "minLength", "maxLength", "enum", "pattern",
                                              "format")))
    return row


def form_from_descriptor(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """Plain values for the editor template (see the module docstring for their names).

    ``{"title", "description", "fields": [row, ...], "primary_key": [row numbers as text],
    "primary_key_original", "missing_values", "missing_empty", "missing_implicit", "extra"}``;
    a row is ``{"index", "name", "title", "description", "type", "format", "satuan", "example",
    "required", "unique", "minimum", "maximum", "minLength", "maxLength", "enum", "pattern",
    "extra", "reference", "has_constraints"}``.
    """
    extra = copy.deepcopy(dict(descriptor))
    specs = [f for f in (descriptor.get("fields") or []) if isinstance(f, Mapping)]
    if isinstance(descriptor.get("fields"), list) and len(specs) == len(descriptor["fields"]):
        extra.pop("fields", None)
    rows = [_row_from_field(i, spec) for i, spec in enumerate(specs)]
    values: dict[str, Any] = {"fields": rows}
    for key in ("title", "description"):
        value = descriptor.get(key)
        values[key] = ""
        if isinstance(value, str) and value and value.strip() == value:
            values[key] = value
            extra.pop(key)

    names = [r["name"] for r in rows]
    pk = descriptor.get("primaryKey")
    pk_list = [pk] if isinstance(pk, str) else pk
    values["primary_key"] = []
    values["primary_key_original"] = ""
    if isinstance(pk_list, list) and pk_list and all(isinstance(n, str) and names.count(n) == 1 for n in pk_list) \
            and len(set(pk_list)) == len(pk_list):
        values["primary_key"] = [str(rows[names.index(n)]["index"]) for n in pk_list]
        values["primary_key_original"] = json.dumps(pk, ensure_ascii=False)
        extra.pop("primaryKey")

    missing: Any = descriptor.get("missingValues")
    values.update(missing_values="", missing_empty=True, missing_implicit="missingValues" not in descriptor)
    if "missingValues" in descriptor:
        empty_first = isinstance(missing, list) and missing[:1] == [""]
        tokens = missing[1:] if empty_first else missing
        if isinstance(tokens, list) and all(isinstance(t, str) and t and t.strip() == t and "," not in t
                                            for t in tokens) and len(set(tokens)) == len(tokens):
            values["missing_values"] = ", ".join(tokens)
            values["missing_empty"] = empty_first
            extra.pop("missingValues")
        else:
            values["missing_empty"] = False
    values["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else ""
    return values


# --------------------------------------------------------------------------- posted form


def _checked(form: MultiDict[str, str], key: str) -> bool:
    return form.get(key, "") in ("on", "true", "1", "y", "yes")


def form_from_post(form: MultiDict[str, str]) -> dict[str, Any]:
    """The editor's values as posted (to show the form again, with its errors, unchanged).

    Rows keep their posted numbers (error keys name them); rows with nothing filled are left out.
    """
    indices = sorted({int(m.group(1)) for key in form for m in [_ROW.match(key)] if m})
    rows = []
    for index in indices[:MAX_ROWS]:
        prefix = f"fields-{index}-"
        row: dict[str, Any] = {"index": index}
        for key in ROW_KEYS:
            if key in ("required", "unique"):
                row[key] = _checked(form, prefix + key)
            else:
                row[key] = form.get(prefix + key, "")
        row["type"] = row["type"] or "string"
        if _blank(row):
            continue
        extra: Any = {}
        try:
            extra = _loads(row["extra"]) if row["extra"].strip() else {}
        except (json.JSONDecodeError, JsonTooDeep):
            extra = {}
        rows.append(_decorate(row, extra if isinstance(extra, dict) else {}))
    return {
        "fields": rows,
        "title": form.get("title", ""),
        "description": form.get("description", ""),
        "primary_key": form.getlist("primaryKey"),
        "primary_key_original": form.get("primaryKey-original", ""),
        "missing_values": form.get("missingValues", ""),
        "missing_empty": _checked(form, "missingEmpty"),
        "missing_implicit": _checked(form, "missingValues-implicit"),
        "extra": form.get("extra", ""),
    }


def _blank(row: Mapping[str, Any]) -> bool:
    texts = [row.get(k, "") for k in ROW_KEYS if k not in ("type", "required", "unique", "extra")]
    return not any(str(t).strip() for t in texts) and not row.get("required") and not row.get("unique") \
        and str(row.get("extra", "")).strip() in ("", "{}")


def _load_extra(text: str, key: str, errors: dict[str, list[str]]) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = _loads(text)
    except JsonTooDeep as exc:
        errors[key] = [exc.message]
        return {}
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        errors[key] = ["Data tersembunyi formulir rusak; muat ulang halaman lalu ulangi perubahan."]
        return {}
    return value


def _field_from_row(row: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    prefix = f"fields-{row['index']}-"
    spec = _load_extra(row["extra"], prefix + "extra", errors)
    name = str(row["name"]).strip()
    if not name:
        errors[prefix + "name"] = ["Nama kolom wajib diisi (sama persis dengan judul kolom di berkas)."]
    ftype = str(row["type"]).strip()
    known = ftype in TYPES
    if not known:
        errors[prefix + "type"] = [f'Tipe "{ftype}" tidak dikenal; pilih salah satu dari daftar.']
    field: dict[str, Any] = {"name": name, "type": ftype}
    for key in TEXT_KEYS:
        text = str(row[key]).strip()
        if text:
            field[key] = text
        elif key in spec:
            field[key] = spec[key]
    choice = str(row.get("numbers", "")).strip()
    if ftype == "number" and choice in NUMBER_WRITING:
        spec.pop("groupChar", None)
        spec.pop("decimalChar", None)
        field.update(NUMBER_WRITING[choice])
    elif choice and choice not in NUMBER_WRITING:
        errors[prefix + "numbers"] = ["Pilih cara menulis angka dari daftar."]
    constraints = spec.pop("constraints", {})
    if not isinstance(constraints, dict):
        errors[prefix + "extra"] = ["Data tersembunyi formulir rusak; muat ulang halaman lalu ulangi perubahan."]
        constraints = {}
    for key in ("required", "unique"):
        if row[key]:
            constraints[key] = True
        elif constraints.get(key) is True:
            constraints.pop(key)
    readers: dict[str, Callable[[str], Any]] = {
        "minimum": lambda t: _parse_bound(t, ftype, "minimum"),
        "maximum": lambda t: _parse_bound(t, ftype, "maximum"),
        "minLength": lambda t: _parse_length(t, "minLength"),
        "maxLength": lambda t: _parse_length(t, "maxLength"),
        "enum": lambda t: _parse_enum(t, ftype),
        "pattern": lambda t: _parse_pattern(t, name),
    }
    for key, parse in readers.items():
        text = str(row[key])
        if not text.strip() or (not known and key in ("minimum", "maximum", "enum")):
            continue  # bounds and choices are read by the type; an unknown type is reported alone
        try:
            value = parse(text)
        except _Bad as exc:
            errors[prefix + key] = [str(exc)]
            continue
        if key == "enum" and not value:
            continue
        constraints[key] = value
    for low, high, message in (("minimum", "maximum", "Batas atas tidak boleh lebih kecil dari batas bawah."),
                               ("minLength", "maxLength", "Panjang maksimum tidak boleh lebih kecil dari panjang "
                                                          "minimum.")):
        a, b = constraints.get(low), constraints.get(high)
        if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) \
                and not isinstance(b, bool) and b < a and prefix + high not in errors:
            errors[prefix + high] = [message]
    lengths = [k for k in ("minLength", "maxLength") if k in constraints]
    if lengths and ftype not in ("string", "array", "object", "any") \
            and not any(prefix + k in errors for k in lengths):
        errors[prefix + lengths[0]] = ["Panjang minimum/maksimum hanya berlaku untuk teks, array atau objek."]
    spec.pop("name", None)
    spec.pop("type", None)
    for key in TEXT_KEYS:
        spec.pop(key, None)
    result = {**field, **spec}
    if constraints:
        result["constraints"] = constraints
    return result


def descriptor_from_form(form: MultiDict[str, str]) -> dict[str, Any]:
    """Rebuild a Table Schema descriptor from the posted editor form.

    Raises ``Invalid`` with ``details`` keyed by the form input (``fields-2-minimum``,
    ``primaryKey``, ...) for values that cannot be read, then ``UnusableInput`` (an
    ``Invalid``, ``details={"schema": [...]}``) when the result is not a valid Table Schema.
    """
    values = form_from_post(form)
    errors: dict[str, list[str]] = {}
    descriptor = _load_extra(values["extra"], "extra", errors)
    rows = values["fields"]
    fields = [_field_from_row(row, errors) for row in rows]
    if not fields:
        errors["fields"] = ["Tambahkan paling sedikit satu kolom."]
    names = [f["name"] for f in fields]
    seen: set[str] = set()
    for row, name in zip(rows, names, strict=True):
        if name in seen:
            errors.setdefault(f"fields-{row['index']}-name", []).append(
                f'Nama kolom "{name}" sudah dipakai kolom lain di atasnya.')
        seen.add(name)

    for key in ("title", "description"):
        text = str(values[key]).strip()
        if text:
            descriptor[key] = text

    by_index = {str(row["index"]): name for row, name in zip(rows, names, strict=True)}
    chosen = [c for c in values["primary_key"] if c]
    unknown = [c for c in chosen if c not in by_index]
    if unknown:
        errors["primaryKey"] = ["Kunci utama memilih kolom yang tidak ada lagi; pilih ulang kolomnya."]
    key_names = [by_index[i] for i in sorted({c for c in chosen if c in by_index}, key=int)]
    if key_names:
        original: Any = None
        if values["primary_key_original"].strip():
            try:
                original = _loads(values["primary_key_original"])
            except (json.JSONDecodeError, JsonTooDeep):
                original = None
        original_list = [original] if isinstance(original, str) else original
        if isinstance(original_list, list) and sorted(map(str, original_list)) == sorted(key_names):
            descriptor["primaryKey"] = original  # unchanged: keep its order and shape
        else:
            descriptor["primaryKey"] = key_names

    tokens = [t.strip() for t in str(values["missing_values"]).split(",") if t.strip()]
    missing = ([""] if values["missing_empty"] else []) + list(dict.fromkeys(tokens))
    if missing == [""] and values["missing_implicit"]:
        descriptor.pop("missingValues", None)
    elif missing or "missingValues" not in descriptor:
        descriptor["missingValues"] = missing

    if errors:
        raise Invalid("Table Schema belum dapat disimpan; periksa isian yang ditandai.", details=errors)
    # The order of the library's files: who it is, what it holds, then the table-level rules.
    result: dict[str, Any] = {k: descriptor[k] for k in ("name", "title", "description", "version") if k in descriptor}
    result.update({k: v for k, v in descriptor.items() if k not in TABLE_KEYS and k not in result})
    result["fields"] = fields
    for key in ("primaryKey", "missingValues"):
        if key in descriptor:
            result[key] = descriptor[key]
    check_schema(result)
    return result
