"""The endpoint of the CKAN Action API: routing ``/api/3/action/<name>`` to the registered
action, reading its parameters (query string, JSON or form body) and wrapping its result in
CKAN's envelope; ``Params``, the typed access every action reads its parameters through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from satudata.api.ckan_dicts import site_url
from satudata.errors import Forbidden, Invalid, ckan_error

bp = Blueprint("ckan", __name__)

# Request bodies above this are refused (413) before they are read: actions take small dicts.
MAX_BODY_BYTES = 1024 * 1024
# No count or offset is larger; keeps every number inside SQLite's and PostgreSQL's integers.
MAX_INTEGER = 10**12

# Write actions: CKAN answers an anonymous caller with 403, and so do we (this API is read-only).
_WRITE_ACTION = re.compile(r"_(create|update|patch|delete|purge|upsert|revise|reorder)$")

ActionFn = Callable[["Params"], Any]
ACTIONS: dict[str, ActionFn] = {}


def action(fn: ActionFn) -> ActionFn:
    """Register ``fn`` as the action of the same name."""
    ACTIONS[fn.__name__] = fn
    return fn


class BadRequestData(Exception):
    """A request CKAN answers with a plain 400 (``Bad request - ...``)."""


# --------------------------------------------------------------------------- the endpoint


@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
@bp.route("/api/action/<name>", methods=["GET", "POST"])
def call_action(name: str) -> Response:
    """Run one action and wrap its result in CKAN's envelope."""
    fn = ACTIONS.get(name)
    if fn is None:
        if _WRITE_ACTION.search(name):
            raise Forbidden(f"API CKAN di portal ini hanya-baca; '{name}' tidak tersedia. "
                            "Gunakan REST API /api/v1 dengan token untuk mengubah data.")
        return ckan_error(400, "Bad Request", f"Bad request - Action name not known: {name}")
    app_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(MAX_BODY_BYTES, app_limit) if app_limit else MAX_BODY_BYTES
    try:
        data = _request_data()
    except BadRequestData as err:
        return ckan_error(400, "Bad Request", f"Bad request - {err}")
    result = fn(Params(data))
    return jsonify({"help": help_url(name), "success": True, "result": result})


@bp.route("/api", strict_slashes=False)
@bp.route("/api/<int(min=1, max=3):version>", strict_slashes=False)
def api_version(version: int = 1) -> Response:
    """CKAN's API root answers with its version (``/api``: 1); some clients probe it."""
    return jsonify({"version": version})


def help_url(name: str) -> str:
    """The ``help`` link of CKAN's envelope."""
    return f"{site_url()}/api/3/action/help_show?name={quote(name)}"


def _mixed(multi: MultiDict[str, Any]) -> dict[str, Any]:
    """One value per key, or a list when the key repeats (as CKAN reads query strings)."""
    return {k: v[0] if len(v) == 1 else v for k, v in multi.to_dict(flat=False).items()}


def _decode_json(raw: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise BadRequestData(f"JSON Error: Error decoding JSON data. Error: {err}") from err
    if not isinstance(data, dict):
        raise BadRequestData(
            f"Bad request data: Request data JSON decoded to {repr(data)[:200]} but it needs to be a dictionary.")
    return data


def _request_data() -> dict[str, Any]:
    """The action's parameters: the query string of a GET; the JSON body of a POST (any
    content type, as ``curl -d '{...}'`` sends form-encoded JSON), else its form fields, else
    its query string."""
    data: dict[str, Any]
    if request.method != "POST":
        data = _mixed(request.args)
    else:
        raw = request.get_data(cache=True)
        stripped = raw.lstrip()
        if stripped.startswith((b"{", b"[")):
            data = _decode_json(raw)
        elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            data = _mixed(request.form) or _mixed(request.args)
        elif stripped:
            data = _decode_json(raw)
        else:
            data = _mixed(request.args)
    data.pop("callback", None)  # JSONP is not offered; CKAN drops the key too
    return data


# --------------------------------------------------------------------------- parameters


def invalid(name: str, message: str) -> Invalid:
    """A Validation Error naming parameter ``name``."""
    return Invalid(f"Parameter '{name}' tidak valid: {message}", details={name: [message]})


class Params:
    """Typed access to an action's parameters; a wrong type or range raises ``Invalid``
    (CKAN's 409 Validation Error) naming the field."""

    _TRUE = ("true", "1", "yes", "y", "t", "on")
    _FALSE = ("false", "0", "no", "n", "f", "off", "")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def string(self, name: str, default: str | None = None, *, max_chars: int | None = None) -> str | None:
        """A text parameter; numbers are taken as their text."""
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise invalid(name, "Harus berupa teks.")
        text = str(value)
        if "\x00" in text:  # PostgreSQL text cannot hold NUL; refuse it here, not with a 500 there
            raise invalid(name, "Tidak boleh berisi karakter NUL.")
        if max_chars is not None and len(text) > max_chars:
            raise invalid(name, f"Paling banyak {max_chars} karakter.")
        return text

    def required(self, *names: str) -> str:
        """The first of ``names`` given (CKAN accepts ``id`` or ``name_or_id``), required."""
        for name in names:
            value = self.string(name)
            if value is not None and value.strip():
                return value.strip()
        raise invalid(names[0], "Wajib diisi.")

    def integer(self, name: str, default: int | None, *, minimum: int = 0, maximum: int | None = None) -> int | None:
        """A whole number in ``[minimum, maximum]``."""
        value = self.data.get(name)
        if value is None or value == "":
            return default
        number: int
        if isinstance(value, bool):
            raise invalid(name, "Harus bilangan bulat.")
        whole_float = isinstance(value, float) and value.is_integer() and abs(value) <= MAX_INTEGER
        digits = isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,30}\s*", value) is not None
        if isinstance(value, int):
            number = value
        elif whole_float or digits:
            number = int(value)
        else:
            raise invalid(name, "Harus bilangan bulat.")
        if number < minimum:
            raise invalid(name, f"Tidak boleh kurang dari {minimum}.")
        limit = MAX_INTEGER if maximum is None else maximum
        if number > limit:
            raise invalid(name, f"Paling banyak {limit}.")
        return number

    def boolean(self, name: str, default: bool = False) -> bool:
        """A flag: JSON true/false, or true/false, 1/0, yes/no (any case)."""
        value = self.data.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in self._TRUE:
                return True
            if lowered in self._FALSE:
                return False
        raise invalid(name, "Harus true atau false.")

    def string_list(self, name: str) -> list[str]:
        """A list of strings: a JSON list (as text or in a JSON body), a repeated query
        parameter, or one bare value."""
        value = self.data.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise invalid(name, "Bukan daftar JSON yang valid, contoh: [\"organization\", \"tags\"].") from None
            else:
                value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid(name, "Harus daftar teks, contoh: [\"organization\", \"tags\"].")
        if any("\x00" in v for v in value):
            raise invalid(name, "Tidak boleh berisi karakter NUL.")
        return [v for v in value if v.strip()]


def limit_offset(p: Params, *, default_limit: int | None, maximum: int | None) -> tuple[int | None, int]:
    """The ``limit`` and ``offset`` of a list action; a ``limit`` above ``maximum`` is
    lowered to it, as CKAN's ``limit_to_configured_maximum`` does (no error)."""
    limit = p.integer("limit", default_limit)
    if limit is not None and maximum is not None:
        limit = min(limit, maximum)
    offset = p.integer("offset", 0) or 0
    return limit, offset


def capped_rows(p: Params, name: str, default: int) -> int:
    """A row count as CKAN reads it: ``default`` when absent, lowered to ``API_MAX_ROWS``
    (``ckan.search.rows_max``) when larger, so a script asking ``rows=10000`` gets the first
    1000 and a 200."""
    return min(p.integer(name, default) or 0, max_rows())


def max_rows() -> int:
    """The most rows one action returns (``API_MAX_ROWS``)."""
    return int(current_app.config["API_MAX_ROWS"])
