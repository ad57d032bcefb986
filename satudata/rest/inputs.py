"""Loading what a client sends: query strings, JSON bodies, multipart forms and path keys.

Bad input raises ``satudata.errors.Invalid`` with per-field messages in Bahasa Indonesia
(answered 422) or ``NotFound`` for a path key that cannot name anything; nothing here guesses.
"""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from satudata.errors import Invalid, NotFound
from satudata.rest.fields import Int, between

# Upper bounds that keep every value inside what SQLite, PostgreSQL and DuckDB accept.
MAX_PAGE = 1_000_000
# Longer path keys than this are never slugs or ids; refuse them before they reach the database.
MAX_KEY = 300
UNKNOWN_FIELD = "Kolom tidak dikenal."


class ArgsSchema(Schema):
    """Base of the query-argument serializers. Unknown parameters are ignored (clients add
    cache busters such as ``_=``; the site uses ``lang``)."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"unknown": "Parameter tidak dikenal.", "type": "Parameter tidak valid."}


class PagedArgs(ArgsSchema):
    """``page`` and ``per_page``; the upper bound of ``per_page`` is given by the route
    (``API_MAX_ROWS``)."""

    page = Int(load_default=1, validate=between(1, MAX_PAGE),
               metadata={"description": "Nomor halaman, mulai dari 1.", "example": 1})
    per_page = Int(load_default=20, validate=between(1),
                   metadata={"description": "Jumlah dataset per halaman (paling banyak API_MAX_ROWS).",
                             "example": 20})

    def __init__(self, *, max_per_page: int, default_per_page: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Instance fields are copies of the declared ones, so this does not leak between apps.
        field = self.fields["per_page"]
        field.validators = [between(1, max_per_page)]
        field.load_default = min(default_per_page, max_per_page)


class BodySchema(Schema):
    """Base of the JSON request bodies: an unknown key is an error (a typo in a field name must
    not be silently ignored)."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN_FIELD, "type": "Isi permintaan harus objek JSON."}


def flatten(messages: Any, field: str = "_schema", item: int | None = None) -> dict[str, list[str]]:
    """marshmallow's nested error dict as ``{parameter: [messages]}``. An error in one value of
    a repeated parameter stays under the parameter's name, saying which value (1-based)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                sub = flatten(value, field, key + 1)
            else:
                sub = flatten(value, str(key) if field == "_schema" else f"{field}.{key}", item)
            for k, v in sub.items():
                out.setdefault(k, []).extend(v)
        return out
    texts = messages if isinstance(messages, list) else [messages]
    prefix = f"Nilai ke-{item}: " if item is not None else ""
    out[field] = [prefix + str(m) for m in texts]
    return out


def load_query(schema: Schema, args: MultiDict[str, str] | None = None) -> dict[str, Any]:
    """Load query parameters (the request's unless ``args`` is given) with ``schema``; raise
    ``Invalid`` (422) with per-field messages.

    A repeatable parameter (a ``List`` field) takes every value; any other parameter may appear
    once, so ``?page=1&page=2`` is an error rather than a silent pick.
    """
    args = request.args if args is None else args
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key not in args:
            continue
        values = args.getlist(key)
        if isinstance(field, fields.List):
            data[key] = values
        elif len(values) > 1:
            errors[key] = ["Parameter ini hanya boleh diberikan sekali."]
        else:
            data[key] = values[0]
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as err:
        loaded = {}
        for key, msgs in flatten(err.messages).items():
            errors.setdefault(key, []).extend(msgs)
    if errors:
        fields_text = ", ".join(sorted(errors))
        raise Invalid(f"Parameter tidak valid: {fields_text}.", details=errors)
    return loaded


def json_body(*, optional: bool = False) -> Any:
    """The request's JSON body (``None`` when it is not JSON). ``optional``: no body at all is
    ``{}``."""
    if optional and not request.get_data(cache=True):
        return {}
    return request.get_json(silent=True)


def json_object(data: Any) -> dict[str, Any]:
    """``data`` when it is a JSON object; else ``Invalid`` (malformed JSON, an array, no body)."""
    if not isinstance(data, dict):
        raise Invalid("Isi permintaan harus objek JSON (Content-Type: application/json).",
                      details={"_schema": ["Harus berupa objek JSON."]})
    return data


def load_body(schema: Schema, data: Any) -> dict[str, Any]:
    """Load a request body with ``schema``; raise ``Invalid`` (422) with per-field messages."""
    data = json_object(data)
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as err:
        errors = flatten(err.messages)
        raise Invalid(f"Isi permintaan tidak valid: {', '.join(sorted(errors))}.", details=errors) from err
    return loaded


def load_form(schema: Schema, form: MultiDict[str, Any]) -> dict[str, Any]:
    """Load the text fields of a multipart form with ``schema`` (each field at most once;
    fields the schema does not name are ignored, as browsers add their own)."""
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        values = form.getlist(key)
        if len(values) > 1:
            errors[key] = ["Kolom ini hanya boleh dikirim sekali."]
        elif values:
            data[key] = values[0]
    if errors:
        raise Invalid(f"Isi permintaan tidak valid: {', '.join(sorted(errors))}.", details=errors)
    return load_body(schema, data)


def path_key(value: str, message: str) -> str:
    """A path key as given, or ``NotFound(message)`` when it cannot name anything (NUL bytes,
    which PostgreSQL refuses, or absurd lengths)."""
    if "\x00" in value or len(value) > MAX_KEY:
        raise NotFound(message)
    return value


def shown(value: str) -> str:
    """A client's key, safe and short enough to echo in a message."""
    return value.replace("\x00", "")[:80]
