"""The CKAN-compatible Action API: ``/api/3/action/<name>`` and ``/api/action/<name>``.

The read actions CKAN clients and harvesters use (ckanapi, ckanext-harvest's CKAN harvester,
national aggregators), with CKAN's envelope::

    {"help": "<site>/api/3/action/help_show?name=<action>", "success": true, "result": ...}

and CKAN's error shape (``success: false``, ``error: {__type, message, <field>: [...]}``) with
404 Not Found Error, 409 Validation Error, 403 Authorization Error. Parameters come from the
query string (GET) or a JSON or form body (POST), as in CKAN's ``ckan/views/api.py``. Only
published, ``publik`` datasets are visible: every read goes through ``catalog.services``.

Domain errors raised here (``NotFound``, ``Invalid``, ``Forbidden``) are formatted by the
handler in ``satudata.errors``; only request-level problems CKAN answers with a plain 400
(unknown action, undecodable body) are answered here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from satudata import search_limits as limits
from satudata.accounts import services as accounts
from satudata.accounts.models import Organization
from satudata.api.ckan_dicts import (
    group_dict,
    licence_dict,
    organization_dict,
    package_dict,
    resource_dict,
    site_url,
    tag_dict,
)
from satudata.catalog import services as catalog
from satudata.catalog.models import Frequency, Topic
from satudata.catalog.services import DatasetFilter
from satudata.db import utcnow
from satudata.errors import Forbidden, Invalid, NotFound, ckan_error
from satudata.search import services as search
from satudata.search.backend import MAX_FILTER_VALUES, SearchUnavailable
from satudata.version import __version__

bp = Blueprint("ckan", __name__)

# The CKAN release whose Action API this one follows (what ``status_show`` reports).
CKAN_COMPAT_VERSION = "2.10.4"
# What ``status_show`` lists as installed "extensions".
EXTENSIONS = ("satudata",)
# Request bodies above this are refused (413) before they are read: actions take small dicts.
MAX_BODY_BYTES = 1024 * 1024
DEFAULT_ROWS = 10
# No count or offset is larger; keeps every number inside SQLite's and PostgreSQL's integers.
MAX_INTEGER = 10**12
DEFAULT_FACET_LIMIT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"

# ``package_search`` fq fields and the catalogue filter key each one maps to.
FQ_FIELDS = {
    "organization": "organization",
    "owner_org": "organization",
    "groups": "topic",
    "tags": "tag",
    "res_format": "format",
    "license_id": "licence",
    "name": "slug",
    "id": "id",
    "tahun": "year",
    "kode_wilayah": "kode_wilayah",
    "frekuensi": "frequency",
    "metadata_modified": "modified",
    "metadata_created": "created",
}
# Fields CKAN itself puts in fq; we only ever hold the first value of each, so they either
# match everything or nothing.
FQ_CONSTANT_FIELDS = {"dataset_type": "dataset", "type": "dataset", "state": "active",
                      "capacity": "public", "private": "false"}
RANGE_FIELDS = ("metadata_modified", "metadata_created")
# ``facet.field`` names and the catalogue facet each one maps to.
FACET_FIELDS = {"organization": "organization", "groups": "topic", "tags": "tag",
                "res_format": "format", "license_id": "licence", "tahun": "year"}
# ``sort`` fields and the catalogue sort key (``None``: no relevance score here, skipped).
SORT_FIELDS: dict[str, str | None] = {
    "score": None,
    "metadata_modified": "modified",
    "metadata_created": "created",
    "title_string": "title",
    "title": "title",
    "name": "slug",
    "id": "id",
    "views_recent": "views",
    "views_total": "views",
    "downloads": "downloads",
    "download_count": "downloads",
}
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


@bp.route("/api/3")
def api_version() -> Response:
    """CKAN's API root answers with its version; some clients probe it."""
    return jsonify({"version": 3})


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


def _invalid(name: str, message: str) -> Invalid:
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
            raise _invalid(name, "Harus berupa teks.")
        text = str(value)
        if "\x00" in text:  # PostgreSQL text cannot hold NUL; refuse it here, not with a 500 there
            raise _invalid(name, "Tidak boleh berisi karakter NUL.")
        if max_chars is not None and len(text) > max_chars:
            raise _invalid(name, f"Paling banyak {max_chars} karakter.")
        return text

    def required(self, *names: str) -> str:
        """The first of ``names`` given (CKAN accepts ``id`` or ``name_or_id``), required."""
        for name in names:
            value = self.string(name)
            if value is not None and value.strip():
                return value.strip()
        raise _invalid(names[0], "Wajib diisi.")

    def integer(self, name: str, default: int | None, *, minimum: int = 0, maximum: int | None = None) -> int | None:
        """A whole number in ``[minimum, maximum]``."""
        value = self.data.get(name)
        if value is None or value == "":
            return default
        number: int
        if isinstance(value, bool):
            raise _invalid(name, "Harus bilangan bulat.")
        whole_float = isinstance(value, float) and value.is_integer() and abs(value) <= MAX_INTEGER
        digits = isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,30}\s*", value) is not None
        if isinstance(value, int):
            number = value
        elif whole_float or digits:
            number = int(value)
        else:
            raise _invalid(name, "Harus bilangan bulat.")
        if number < minimum:
            raise _invalid(name, f"Tidak boleh kurang dari {minimum}.")
        limit = MAX_INTEGER if maximum is None else maximum
        if number > limit:
            raise _invalid(name, f"Paling banyak {limit}.")
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
        raise _invalid(name, "Harus true atau false.")

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
                    raise _invalid(name, "Bukan daftar JSON yang valid, contoh: [\"organization\", \"tags\"].") from None
            else:
                value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _invalid(name, "Harus daftar teks, contoh: [\"organization\", \"tags\"].")
        if any("\x00" in v for v in value):
            raise _invalid(name, "Tidak boleh berisi karakter NUL.")
        return [v for v in value if v.strip()]


def _limit_offset(p: Params, *, default_limit: int | None, maximum: int | None) -> tuple[int | None, int]:
    limit = p.integer("limit", default_limit, maximum=maximum)
    offset = p.integer("offset", 0) or 0
    return limit, offset


# --------------------------------------------------------------------------- fq, q and sort

_VALUE = r"""
    "(?:[^"\\]|\\.)*"                    # "quoted value"
  | \[[^\]]*\] | \{[^}]*\}               # [range TO range]
  | \((?:[^()"]|"(?:[^"\\]|\\.)*")*\)    # (a OR b)
  | (?:[^\s()"\\\[\]{}]|\\.)+            # bare, with \-escapes
"""
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>AND|OR|NOT|&&|\|\|)(?=[\s(+\-]|$)
      | (?P<sign>[+\-!]?)(?P<field>\*|[A-Za-z_][\w.]*):(?P<value>""" + _VALUE + r"""))\s*""",
    re.VERBOSE,
)
_Q_CLAUSE = re.compile(
    r"""(?<!\S)(?P<sign>[+\-]?)(?P<field>[A-Za-z_][\w.]*):(?P<value>""" + _VALUE + r""")(?!\S)""",
    re.VERBOSE,
)
_NOW = re.compile(r"NOW(?:(?P<sign>[+-])(?P<n>\d{1,6})(?P<unit>DAY|HOUR|MINUTE|SECOND)S?)?(?:/DAY)?")


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _values(field: str, raw: str, param: str = "fq") -> list[str]:
    """The values of one clause: ``"quoted"``, ``(a OR b)`` or bare. ``param`` names the
    parameter the clause came from, for messages."""
    if raw.startswith('"'):
        return [_unescape(raw[1:-1])]
    if raw.startswith("("):
        inner = raw[1:-1]
        parts = [part for part in re.findall(r'"(?:[^"\\]|\\.)*"|[^\s"]+', inner) if part.upper() not in ("OR", "||")]
        limits.check_clause_values(param, f"{field}:{raw}", len(parts))
        if not parts or any(part.upper() in ("AND", "&&", "NOT") for part in parts):
            raise Invalid(f"{param} tidak valid: '{field}:{raw}'",
                          details={param: [f"Di dalam tanda kurung hanya nilai yang dipisah OR: {field}:(a OR b)."]})
        return [_values(field, part, param)[0] for part in parts]
    return [_unescape(raw)]


def _parse_time(text: str, clause: str, param: str = "fq") -> datetime | None:
    """A bound of a date range: ``*``, ``NOW``, ``NOW-7DAYS``, ``NOW/DAY`` or ISO 8601 (UTC
    when no zone is given)."""
    text = text.strip()
    if text == "*":
        return None
    now = _NOW.fullmatch(text)
    try:
        if now:
            moment = utcnow()
            if now.group("n"):
                delta = timedelta(**{now.group("unit").lower() + "s": int(now.group("n"))})
                moment = moment - delta if now.group("sign") == "-" else moment + delta
            if text.endswith("/DAY"):
                moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
            return moment
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Invalid(f"{param} tidak valid: '{clause}'",
                      details={param: [f"Waktu '{text}' tidak dikenal; gunakan ISO 8601 (2024-01-31T00:00:00Z), NOW atau *."]}) from None


def _clause(sign: str, field: str, raw: str, param: str = "fq") -> DatasetFilter:
    """One ``[+-]field:value`` clause of parameter ``param`` as a catalogue filter."""
    negate = sign in ("-", "!")
    text = f"{sign}{field}:{raw}"
    if field == "*" and raw == "*":
        return DatasetFilter("id", (), negate=not negate)  # *:* matches everything
    if field in FQ_CONSTANT_FIELDS:
        matches = all(v == FQ_CONSTANT_FIELDS[field] for v in _values(field, raw, param))
        return DatasetFilter("id", (), negate=matches != negate)
    key = FQ_FIELDS.get(field)
    if key is None:
        known = ", ".join([*FQ_FIELDS, *FQ_CONSTANT_FIELDS])
        raise Invalid(f"{param} tidak valid: kolom '{field}' tidak dikenal.",
                      details={param: [f"Kolom yang dapat dipakai: {known}."]})
    if raw.startswith(("[", "{")):
        if field not in RANGE_FIELDS:
            raise Invalid(f"{param} tidak valid: '{text}'",
                          details={param: [f"Rentang [a TO b] hanya untuk {', '.join(RANGE_FIELDS)}."]})
        bounds = re.fullmatch(r"[\[{]\s*(\S+)\s+TO\s+(\S+)\s*[\]}]", raw)
        if bounds is None:
            raise Invalid(f"{param} tidak valid: '{text}'", details={param: ["Tulis rentang sebagai [awal TO akhir]."]})
        return DatasetFilter(key, negate=negate, since=_parse_time(bounds.group(1), text, param),
                             until=_parse_time(bounds.group(2), text, param))
    values = _values(field, raw, param)
    if field == "tahun" and not all(v.isdigit() and len(v) <= 4 for v in values):
        raise Invalid(f"{param} tidak valid: '{text}'", details={param: ["Tahun ditulis dengan angka, misalnya tahun:2024."]})
    if field == "frekuensi" and not all(v in Frequency.values() for v in values):
        raise Invalid(f"{param} tidak valid: '{text}'",
                      details={param: [f"Frekuensi yang dikenal: {', '.join(Frequency.values())}."]})
    if field in RANGE_FIELDS:
        if len(values) != 1:
            raise Invalid(f"{param} tidak valid: '{text}'", details={param: ["Satu waktu atau satu rentang."]})
        moment = _parse_time(values[0], text, param)
        return DatasetFilter(key, negate=negate, since=moment, until=moment)
    if "*" in values:
        raise Invalid(f"{param} tidak valid: '{text}'", details={param: ["Karakter pengganti (*) tidak didukung di sini."]})
    return DatasetFilter(key, tuple(values), negate=negate)


def parse_fq(fq: str, param: str = "fq") -> list[list[DatasetFilter]]:
    """CKAN/Solr filter-query syntax as groups of catalogue filters (AND of ORs); ``param``
    names the parameter it came from (``fq`` or ``fq_list``) in messages.

    Understands ``field:value``, ``field:"quoted value"``, ``+field:value``, ``-field:value``,
    ``NOT field:value``, ``field:(a OR b)``, ``a:x OR b:y``, ``AND``, and date ranges
    ``metadata_modified:[2024-01-01T00:00:00Z TO *]``. Anything else is a Validation Error.
    """
    groups: list[list[DatasetFilter]] = []
    pos, pending_or, pending_not = 0, False, False
    while pos < len(fq):
        if not fq[pos:].strip():
            break
        m = _TOKEN.match(fq, pos)
        if m is None or m.end() == pos:
            snippet = fq[pos:pos + 40].strip()
            raise Invalid(f"{param} tidak valid di dekat '{snippet}'.",
                          details={param: ["Gunakan bentuk kolom:nilai, misalnya organization:dinkes tags:\"air bersih\"."]})
        pos = m.end()
        op = m.group("op")
        if op in ("OR", "||"):
            if not groups or pending_or:
                raise Invalid(f"{param} tidak valid: OR harus di antara dua syarat.", details={param: ["OR harus di antara dua syarat."]})
            pending_or = True
            continue
        if op in ("AND", "&&"):
            continue
        if op == "NOT":
            pending_not = True
            continue
        negated = (m.group("sign") in ("-", "!")) != pending_not
        flt = _clause("-" if negated else "", m.group("field"), m.group("value"), param)
        if pending_or:
            groups[-1].append(flt)
        else:
            groups.append([flt])
        pending_or = pending_not = False
    if pending_or or pending_not:
        raise Invalid(f"{param} tidak valid: operator di akhir.", details={param: ["Ada OR/NOT tanpa syarat sesudahnya."]})
    return groups


def split_query(q: str) -> tuple[str, list[list[DatasetFilter]]]:
    """Split ``q`` into free text and the ``field:value`` clauses on known fields it holds
    (CKAN passes ``q`` to Solr, so clients write ``q=tags:kesehatan`` too). ``*:*`` means all."""
    filters: list[list[DatasetFilter]] = []

    def take(m: re.Match[str]) -> str:
        field = m.group("field")
        if field in FQ_FIELDS or field in FQ_CONSTANT_FIELDS:
            filters.append([_clause(m.group("sign"), field, m.group("value"), "q")])
            return " "
        return m.group(0)

    text = q.replace("*:*", " ")
    text = _Q_CLAUSE.sub(take, text)
    return " ".join(text.split()), filters


def parse_sort(sort: str) -> list[tuple[str, bool]]:
    """``"metadata_modified desc, name asc"`` as ``[(key, descending), ...]``."""
    keys: list[tuple[str, bool]] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        field, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        if field not in SORT_FIELDS:
            raise _invalid("sort", f"Kolom urutan '{field}' tidak dikenal; pilih dari: {', '.join(SORT_FIELDS)}.")
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise _invalid("sort", f"Tulis urutan sebagai 'kolom asc' atau 'kolom desc', bukan '{part.strip()}'.")
        key = SORT_FIELDS[field]
        if key is not None:
            keys.append((key, direction == "desc"))
    return keys or [("modified", True)]


# Filters and sorts the search engine answers; anything else (negation, OR, ranges, ids,
# several sort keys) is answered by the database query, which understands all of CKAN's fq.
ENGINE_FILTERS = {"organization", "topic", "tag", "format", "licence", "year", "frequency", "kode_wilayah"}
ENGINE_SORTS = {("modified", True): "modified", ("created", True): "newest", ("title", False): "name"}


def engine_plan(text: str, filters: list[list[DatasetFilter]], raw_sort: str,
                sort_keys: list[tuple[str, bool]]) -> tuple[dict[str, list[str]], str] | None:
    """The search-engine form of a package_search, or ``None`` when only the database can
    answer it exactly."""
    plain: dict[str, list[str]] = {}
    for clause in filters:
        if len(clause) != 1:
            return None
        f = clause[0]
        if f.key == "id" and not f.values and f.negate:
            continue  # *:* matches everything
        if f.negate or f.since or f.until or len(f.values) != 1 or f.key not in ENGINE_FILTERS:
            return None
        if f.key == "organization" and f.values[0].isdigit():
            return None  # owner_org by numeric id
        plain.setdefault(f.key, []).append(f.values[0])
    if any(len(set(values)) > MAX_FILTER_VALUES for values in plain.values()):
        return None  # more values of one key than an engine takes; the database takes them all
    if raw_sort.strip().lower().startswith("score") and text:
        return plain, "relevance"
    if len(sort_keys) != 1 or tuple(sort_keys[0]) not in ENGINE_SORTS:
        return None
    return plain, ENGINE_SORTS[tuple(sort_keys[0])]  # type: ignore[index]


# --------------------------------------------------------------------------- lookups


def _find_organization(key: str) -> Organization:
    for org in accounts.list_organizations():
        if key in (org.slug, str(org.id)):
            return org
    raise NotFound(f"Organisasi '{key}' tidak ditemukan.")


def _find_topic(key: str) -> Topic:
    for topic in catalog.list_topics():
        if key in (topic.slug, str(topic.id)):
            return topic
    raise NotFound(f"Grup (topik) '{key}' tidak ditemukan.")


def _max_rows() -> int:
    return int(current_app.config["API_MAX_ROWS"])


def _datasets_of(flt: DatasetFilter) -> list[dict[str, Any]]:
    found = catalog.query_public_datasets(filters=[[flt]], sort=[("title", False)], limit=_max_rows())
    return [package_dict(ds) for ds in found.items]


def _sort_list(p: Params, items: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Sort organisation or group dicts by CKAN's ``sort`` (``name asc``, ``package_count desc``)."""
    sort = p.string("sort", "title asc", max_chars=limits.current().sort_chars) or "title asc"
    words = sort.split()
    field, direction = (words[0] if words else "name"), (words[1].lower() if len(words) > 1 else "asc")
    if field == "packages":
        field = "package_count"
    if field not in fields or direction not in ("asc", "desc") or len(words) > 2:
        raise _invalid("sort", f"Pilih salah satu kolom: {', '.join(fields)}, lalu asc atau desc.")
    return sorted(items, key=lambda d: (d[field].lower() if isinstance(d[field], str) else d[field], d["name"]),
                  reverse=direction == "desc")


# --------------------------------------------------------------------------- actions


@action
def package_search(p: Params) -> dict[str, Any]:
    """Search the public datasets.

    :param q: free text, optionally with ``field:value`` clauses (``*:*`` for all)
    :param fq: filter query: ``organization:``, ``groups:``, ``tags:``, ``res_format:``,
        ``license_id:``, ``name:``, ``id:``, ``owner_org:``, ``tahun:``, ``kode_wilayah:``,
        ``frekuensi:``, ``metadata_modified:[a TO b]``; ``+``/``-``/``NOT``, ``OR``,
        ``"quoted values"``
    :param fq_list: a list of further fq strings, all of which must match
    :param sort: e.g. ``score desc, metadata_modified desc`` (default), ``name asc``,
        ``title_string asc``, ``metadata_created desc``, ``id asc``, ``views_recent desc``
    :param rows: datasets to return (default 10, at most ``API_MAX_ROWS``)
    :param start: offset of the first dataset (default 0, at most ``SEARCH_MAX_START``)
    :param facet.field: JSON list of fields to count: organization, groups, tags, res_format,
        license_id, tahun
    :param facet.limit: values per facet (default 50, at most ``SEARCH_MAX_FACET_LIMIT``,
        which -1 means)
    :param facet.mincount: least count a facet value needs (default 1)
    :param include_private: accepted and ignored; private datasets are never shown

    Bounds (``SEARCH_MAX_*`` settings): at most 50 clauses in fq and fq_list together and 4000
    characters of them, 20 values in one ``field:(a OR b)``, 1000 characters and 50 words of q,
    10 facet fields, sort of 200 characters and 5 keys. Past one, a Validation Error names it.

    :rtype: dict with ``count``, ``results``, ``facets``, ``search_facets``, ``sort``
    """
    rows = p.integer("rows", DEFAULT_ROWS)
    start = p.integer("start", 0) or 0
    q = p.string("q", "") or ""
    fq = p.string("fq", "") or ""
    fq_list = p.string_list("fq_list")
    sort = p.string("sort", DEFAULT_SORT) or DEFAULT_SORT
    facet_fields = p.string_list("facet.field") if p.boolean("facet", True) else []
    facet_limit = p.integer("facet.limit", DEFAULT_FACET_LIMIT, minimum=-1)
    mincount = p.integer("facet.mincount", 1) or 0
    # Every size is checked before anything is parsed or queried (issue #16: 20,000 clauses).
    limit = DEFAULT_ROWS if rows is None else rows
    limits.check_rows(limit)
    limits.check_start(start)
    limits.check_query_text(q)
    limits.check_filter_queries([("fq", fq), *(("fq_list", extra) for extra in fq_list)])
    limits.check_sort(sort)
    facet_limit = limits.check_facets(facet_fields, facet_limit)
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise _invalid("facet.field", f"Facet '{name}' tidak dikenal; pilih dari: {', '.join(FACET_FIELDS)}.")
    text, filters = split_query(q)
    filters += parse_fq(fq)
    for extra in fq_list:
        filters += parse_fq(extra, "fq_list")
    facet_keys = tuple(dict.fromkeys(FACET_FIELDS[f] for f in facet_fields))
    sort_keys = parse_sort(sort)
    found: Any = None
    plan = engine_plan(text, filters, sort, sort_keys)
    if plan is not None:
        engine_filters, engine_sort = plan
        try:
            found = search.search_datasets(
                text, engine_filters, sort=engine_sort, offset=start, per_page=max(limit, 1),
                facet_keys=facet_keys, facet_limit=max(facet_limit or 0, 1), highlight=False,
            )
            if limit == 0:
                found.items = []
        except SearchUnavailable:
            found = None  # the database answers while the engine is down
    if found is None:
        found = catalog.query_public_datasets(
            text, filters, sort=sort_keys, offset=start, limit=limit, facet_keys=facet_keys, facet_limit=facet_limit,
        )
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    for name in facet_fields:
        values = [v for v in found.facets[FACET_FIELDS[name]] if v[2] >= mincount]
        facets[name] = {value: count for value, _label, count in values}
        search_facets[name] = {
            "title": name,
            "items": [{"name": value, "display_name": label, "count": count} for value, label, count in values],
        }
    return {
        "count": found.total,
        "facets": facets,
        "results": [package_dict(ds) for ds in found.items],
        "sort": sort,
        "search_facets": search_facets,
    }


AUTOCOMPLETE_DEFAULT = 10
AUTOCOMPLETE_MAX = 20  # what the engines complete at most; a larger limit is accepted and capped


@action
def package_autocomplete(p: Params) -> list[dict[str, str]]:
    """Public datasets whose title completes the given text (for search boxes).

    Answered by the search engine's title completion (the words typed so far, the last one
    possibly unfinished; abbreviations of the synonym list are understood). While the engine
    is down, the database answers with titles containing the text.

    :param q: the text typed so far (required)
    :param limit: how many datasets (default 10; at most 20 are returned)
    :rtype: list of dicts with ``name``, ``title``, ``match_field`` (``name`` when the text is
        part of the name, else ``title``) and ``match_displayed``
    """
    if p.data.get("q") is None:
        raise _invalid("q", "Wajib diisi.")
    raw = p.string("q", "") or ""
    limits.check_suggest_text(raw)
    q = " ".join(raw.split())
    limit = min(p.integer("limit", AUTOCOMPLETE_DEFAULT) or 0, AUTOCOMPLETE_MAX)
    if not limit or not any(ch.isalnum() for ch in q):
        return []
    try:
        found = [(s.slug, s.title) for s in search.suggest_titles(q, limit) if s.slug]
    except SearchUnavailable:
        rows = catalog.query_public_datasets(q, sort=[("title", False)], limit=limit)
        found = [(ds.slug, ds.title) for ds in rows.items]
    lowered = q.lower()
    as_name = lowered.replace(" ", "-")
    out = []
    for name, title in found:
        # CKAN's rule: the text found in the name shows the name, otherwise "title (name)";
        # typed words are also looked for as the name writes them (joined by hyphens).
        if lowered in name or as_name in name:
            out.append({"name": name, "title": title, "match_field": "name", "match_displayed": name})
        else:
            out.append({"name": name, "title": title, "match_field": "title", "match_displayed": f"{title} ({name})"})
    return out


@action
def package_show(p: Params) -> dict[str, Any]:
    """A public dataset by name (slug) or id.

    :param id: the dataset's name or id (``name_or_id`` is accepted too)
    """
    return package_dict(catalog.get_public_dataset(p.required("id", "name_or_id")))


@action
def package_list(p: Params) -> list[str]:
    """Names of all public datasets, in name order.

    :param limit: how many names (optional, default all)
    :param offset: skip this many (optional)
    """
    limit, offset = _limit_offset(p, default_limit=None, maximum=None)
    return catalog.list_public_dataset_slugs(offset=offset, limit=limit)


@action
def current_package_list_with_resources(p: Params) -> list[dict[str, Any]]:
    """Public datasets with their resources, most recently modified first.

    :param limit: how many (default and maximum ``API_MAX_ROWS``)
    :param offset: skip this many
    :param page: the page of ``limit`` datasets (1-based), instead of ``offset``
    """
    limit, offset = _limit_offset(p, default_limit=_max_rows(), maximum=_max_rows())
    limit = _max_rows() if limit is None else limit
    page = p.integer("page", None, minimum=1)
    if page is not None:
        offset = (page - 1) * limit
    found = catalog.query_public_datasets(sort=[("modified", True)], offset=offset, limit=limit)
    return [package_dict(ds) for ds in found.items]


@action
def organization_list(p: Params) -> list[Any]:
    """The organisations (OPD and regional governments): names, or dicts with ``all_fields``.

    :param all_fields: return dicts with ``package_count`` instead of names
    :param sort: ``title asc`` (default, as CKAN 2.10), ``name``, ``package_count``, with asc/desc
    :param limit: how many (optional); :param offset: skip this many
    :param organizations: only these names (a list)
    :param q: only those whose name or title contains this text
    """
    all_fields = p.boolean("all_fields")
    limit, offset = _limit_offset(p, default_limit=None, maximum=_max_rows())
    wanted = set(p.string_list("organizations"))
    q = (p.string("q", "", max_chars=limits.current().query_chars) or "").strip().lower()
    counts = catalog.organization_counts()
    orgs = [o for o in accounts.list_organizations()
            if (not wanted or o.slug in wanted) and (not q or q in o.slug.lower() or q in o.name.lower())]
    dicts = _sort_list(p, [organization_dict(o, package_count=counts.get(o.id, 0)) for o in orgs],
                       ("name", "title", "package_count"))
    page = dicts[offset:] if limit is None else dicts[offset:offset + limit]
    return page if all_fields else [d["name"] for d in page]


@action
def organization_show(p: Params) -> dict[str, Any]:
    """One organisation by name (slug) or id.

    :param id: the organisation's name or id
    :param include_datasets: add its public datasets as ``packages`` (default false)
    """
    org = _find_organization(p.required("id"))
    include = p.boolean("include_datasets")
    out = organization_dict(org, package_count=catalog.organization_counts().get(org.id, 0), full=True)
    if include:
        out["packages"] = _datasets_of(DatasetFilter("organization", (org.slug,)))
    return out


@action
def group_list(p: Params) -> list[Any]:
    """The topics (tema) as CKAN groups: names, or dicts with ``all_fields``.

    :param all_fields: return dicts with ``package_count`` instead of names
    :param sort: ``title asc`` (default, as CKAN 2.10), ``name``, ``package_count``, with asc/desc
    :param limit: how many (optional); :param offset: skip this many
    :param groups: only these names (a list)
    """
    all_fields = p.boolean("all_fields")
    limit, offset = _limit_offset(p, default_limit=None, maximum=_max_rows())
    wanted = set(p.string_list("groups"))
    counts = catalog.topic_counts()
    topics = [t for t in catalog.list_topics() if not wanted or t.slug in wanted]
    dicts = _sort_list(p, [group_dict(t, package_count=counts.get(t.id, 0)) for t in topics],
                       ("name", "title", "package_count"))
    page = dicts[offset:] if limit is None else dicts[offset:offset + limit]
    return page if all_fields else [d["name"] for d in page]


@action
def group_show(p: Params) -> dict[str, Any]:
    """One topic (CKAN group) by name (slug) or id.

    :param id: the group's name or id
    :param include_datasets: add its public datasets as ``packages`` (default false)
    """
    topic = _find_topic(p.required("id"))
    include = p.boolean("include_datasets")
    out = group_dict(topic, package_count=catalog.topic_counts().get(topic.id, 0), full=True)
    if include:
        out["packages"] = _datasets_of(DatasetFilter("topic", (topic.slug,)))
    return out


@action
def tag_list(p: Params) -> list[Any]:
    """The tags of public datasets: names, or dicts with ``all_fields``.

    :param query: only tags containing this text
    :param all_fields: return tag dicts instead of names
    :param vocabulary_id: tags of a vocabulary; there are none here, so any id is not found
    """
    vocabulary = p.string("vocabulary_id")
    if vocabulary:
        raise NotFound(f"Kosakata tag '{vocabulary}' tidak ditemukan.")
    query = p.string("query", "", max_chars=limits.current().query_chars) or ""
    tags = catalog.list_public_tags(query)
    if p.boolean("all_fields"):
        return [tag_dict(tag) for tag, _n in tags]
    return [tag.name for tag, _n in tags]


@action
def license_list(p: Params) -> list[dict[str, Any]]:
    """The licences datasets here may carry."""
    return [licence_dict(lic) for lic in catalog.list_licences()]


@action
def resource_show(p: Params) -> dict[str, Any]:
    """A resource of a public dataset, by id.

    :param id: the resource's id
    """
    res = catalog.get_public_resource(p.required("id"))
    return resource_dict(res, res.dataset.slug)


@action
def status_show(p: Params) -> dict[str, Any]:
    """The site's name and address and the CKAN version this API follows."""
    config = current_app.config
    return {
        "site_title": config["SITE_NAME"],
        "site_description": f"Portal Satu Data {config['SITE_REGION']}",
        "site_url": site_url(),
        "ckan_version": CKAN_COMPAT_VERSION,
        "error_emails_to": None,
        "locale_default": config["BABEL_DEFAULT_LOCALE"],
        "extensions": list(EXTENSIONS),
        "satudata_version": __version__,
    }


@action
def help_show(p: Params) -> str:
    """The documentation of an action.

    :param name: the action's name
    """
    name = p.required("name")
    fn = ACTIONS.get(name)
    if fn is None:
        raise NotFound(f"Action '{name}' tidak dikenal.")
    return fn.__doc__ or ""
