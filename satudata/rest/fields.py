"""Fields and validators of the REST API's serializers, with messages in Bahasa Indonesia."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from marshmallow import fields, validate

# Upper bound of a free text argument unless a field says otherwise.
MAX_TEXT = 200
# JSON-schema metadata of a field that holds an absolute URL.
URI = {"type": "string", "format": "uri"}

_BASE_MESSAGES = {
    "required": "Wajib diisi.",
    "null": "Tidak boleh kosong.",
    "validator_failed": "Nilai tidak valid.",
}


class Int(fields.Integer):
    """An integer whose errors read in Bahasa Indonesia."""

    default_error_messages = {
        **_BASE_MESSAGES,
        "invalid": "Harus berupa bilangan bulat, misalnya 1.",
        "too_large": "Angka terlalu besar.",
    }


class Text(fields.String):
    """A string whose errors read in Bahasa Indonesia; refuses NUL characters (PostgreSQL
    cannot store or compare them, and no real query contains one)."""

    default_error_messages = {
        **_BASE_MESSAGES,
        "invalid": "Harus berupa teks.",
        "invalid_utf8": "Harus berupa teks UTF-8 yang valid.",
        "nul": "Tidak boleh mengandung karakter NUL.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        result = super()._deserialize(value, attr, data, **kwargs)
        if isinstance(result, str) and "\x00" in result:
            raise self.make_error("nul")
        return result


class Many(fields.List):
    """A repeatable query parameter (``?tag=a&tag=b``)."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": "Harus berupa daftar nilai."}


class Bool(fields.Boolean):
    """A yes/no whose errors read in Bahasa Indonesia (``1``/``0``, ``true``/``false``)."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": "Harus 1 atau 0 (true atau false)."}


class JSONObject(fields.Dict):
    """A JSON object, refused with an Indonesian message when it is anything else."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": "Harus berupa objek JSON."}


class UTCDateTime(fields.DateTime):
    """The API's one timestamp format: ISO 8601 in UTC with the ``Z`` suffix, e.g.
    ``2025-03-31T02:15:00Z``."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:  # the model layer always gives aware UTC values; be safe
            value = value.replace(tzinfo=UTC)
        return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


class Computed(fields.Nested):
    """A nested object computed from the object being dumped (``fn(obj)``), not read from one
    of its attributes; documented like any ``Nested``."""

    def __init__(self, nested: Any, fn: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self._fn = fn

    def serialize(self, attr: str, obj: Any, accessor: Any = None, **kwargs: Any) -> Any:
        return self._serialize(self._fn(obj), attr, obj, **kwargs)


def length(maximum: int = MAX_TEXT) -> validate.Length:
    return validate.Length(max=maximum, error="Paling panjang {max} karakter.")


def between(minimum: int | None = None, maximum: int | None = None) -> validate.Range:
    if minimum is not None and maximum is not None:
        error = "Harus antara {min} dan {max}."
    elif minimum is not None:
        error = "Paling kecil {min}."
    else:
        error = "Paling besar {max}."
    return validate.Range(min=minimum, max=maximum, error=error)


def one_of(choices: list[str] | tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="Pilih salah satu: {choices}.")


def json_cell(value: Any) -> Any:
    """A table cell as a JSON value: dates in ISO 8601, decimals as numbers, no NaN/inf."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list | tuple):
        return [json_cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_cell(v) for k, v in value.items()}
    return str(value)
