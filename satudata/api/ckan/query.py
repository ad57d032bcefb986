"""CKAN's search syntax, read into the catalogue's query (``catalog.DatasetQuery``): ``fq`` and
``fq_list`` (Solr filter queries) and the ``field:value`` clauses clients put in ``q`` become
clauses of the filter registry (``catalog.FILTERS``), ``sort`` its sort keys. Which of them
the search engine answers is the read path's business (``search.find_public_datasets``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from satudata import search_limits as limits
from satudata.api.ckan.endpoint import invalid
from satudata.catalog.models import Frequency
from satudata.catalog.services import Clause
from satudata.db import utcnow
from satudata.errors import Invalid

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
    "wilayah": "wilayah",
    "frekuensi": "frequency",
    "metadata_modified": "modified",
    "metadata_created": "created",
    # Solr text fields of CKAN's index, matched word by word (a value held in the text).
    **{name: name for name in ("title", "notes", "text", "author", "author_email", "maintainer",
                               "maintainer_email", "res_name", "res_description", "res_url", "url")},
    "num_resources": "num_resources",
    "num_tags": "num_tags",
    # CKAN indexes each extra as extras_<key>; ours are the Satu Data fields.
    **{f"extras_{name}": f"extra:{name}" for name in (
        "urusan", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "tahun", "periode", "frekuensi",
        "jadwal_rilis", "tingkat_penyajian", "kode_wilayah", "cakupan_wilayah", "sumber_data", "cara_pengumpulan",
        "jenis_data", "data_prioritas", "status_data", "klasifikasi_akses", "produsen_data", "walidata")},
}
NUMBER_FIELDS = ("num_resources", "num_tags")
# Fields CKAN itself puts in fq; we only ever hold the first value of each, so they either
# match everything or nothing.
FQ_CONSTANT_FIELDS = {"dataset_type": "dataset", "type": "dataset", "state": "active",
                      "capacity": "public", "private": "false"}
RANGE_FIELDS = ("metadata_modified", "metadata_created")
# ``facet.field`` names and the catalogue facet each one maps to.
FACET_FIELDS = {"organization": "organization", "groups": "topic", "tags": "tag",
                "res_format": "format", "license_id": "licence", "tahun": "year", "wilayah": "wilayah",
                "kode_wilayah": "kode_wilayah", "frekuensi": "frequency"}
# ``sort`` fields and the catalogue sort key (``None``: no relevance score here, skipped).
SORT_FIELDS: dict[str, str | None] = {
    "score": "relevance",
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
# Solr date math: NOW, then any steps of +N/-N UNIT(S) and /UNIT (round down), in order.
_DATE_MATH = re.compile(r"NOW(?P<steps>(?:[+-]\d{1,6}(?:YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?|"
                        r"/(?:YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?)*)")
_STEP = re.compile(r"(?P<sign>[+-])(?P<n>\d{1,6})(?P<unit>[A-Z]+?)S?(?=[+-/]|$)|/(?P<round>[A-Z]+?)S?(?=[+-/]|$)")


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
    now = _DATE_MATH.fullmatch(text)
    try:
        if now:
            return _date_math(utcnow(), now.group("steps"))
        moment = datetime.fromisoformat(text)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise Invalid(f"{param} tidak valid: '{clause}'",
                      details={param: [f"Waktu '{text}' tidak dikenal; gunakan ISO 8601 (2024-01-31T00:00:00Z), NOW atau *."]}) from None


_ROUND = ("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND")


def _date_math(moment: datetime, steps: str) -> datetime:
    """Solr's date math on ``moment``: ``-1YEAR``, ``+3MONTHS``, ``-2WEEKS``, ``/DAY``, ...
    applied left to right (``NOW/DAY-7DAYS`` is midnight a week ago)."""
    for step in _STEP.finditer(steps):
        if step.group("round"):
            unit = step.group("round")
            if unit == "WEEK":  # Solr has no /WEEK; rounding to the day is the nearest it means
                unit = "DAY"
            keep = _ROUND.index(unit)
            fields: dict[str, Any] = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
            moment = moment.replace(**dict(list(fields.items())[keep:]))
            continue
        n = int(step.group("n")) * (-1 if step.group("sign") == "-" else 1)
        unit = step.group("unit").lower()
        moment = moment + relativedelta(**{unit + "s": n})
    return moment


def _number_range(raw: str, text: str, param: str) -> tuple[int | None, int | None]:
    bounds = re.fullmatch(r"[\[{]\s*(\S+)\s+TO\s+(\S+)\s*[\]}]", raw)
    ends = [bounds.group(1), bounds.group(2)] if bounds else []
    if not ends or not all(e == "*" or e.isdigit() for e in ends):
        raise Invalid(f"{param} tidak valid: '{text}'",
                      details={param: ["Tulis rentang angka sebagai [awal TO akhir], misalnya [1 TO *]."]})
    low, high = (None if e == "*" else int(e) for e in ends)
    return low, high


def _clause(sign: str, field: str, raw: str, param: str = "fq") -> Clause:
    """One ``[+-]field:value`` clause of parameter ``param`` as a catalogue filter."""
    negate = sign in ("-", "!")
    text = f"{sign}{field}:{raw}"
    if field == "*" and raw == "*":
        return Clause("nothing", negate=not negate)  # *:* matches everything
    if field in FQ_CONSTANT_FIELDS:
        matches = all(v == FQ_CONSTANT_FIELDS[field] for v in _values(field, raw, param))
        return Clause("nothing", negate=matches != negate)
    key = FQ_FIELDS.get(field)
    if key is None:
        # CKAN hands any field to Solr; one our datasets do not have matches none of them.
        if not raw.startswith(("[", "{")):
            _values(field, raw, param)  # a clause too large is still refused
        return Clause("nothing", negate=negate)
    if field in NUMBER_FIELDS:
        if raw.startswith(("[", "{")):
            low, high = _number_range(raw, text, param)
            return Clause(key, negate=negate, low=low, high=high)
        numbers = _values(field, raw, param)
        if not all(v.isdigit() for v in numbers):
            raise Invalid(f"{param} tidak valid: '{text}'", details={param: [f"{field} berupa angka, misalnya {field}:2."]})
        return Clause(key, tuple(numbers), negate=negate)
    if raw.startswith(("[", "{")):
        if field not in RANGE_FIELDS:
            raise Invalid(f"{param} tidak valid: '{text}'",
                          details={param: [f"Rentang [a TO b] hanya untuk {', '.join(RANGE_FIELDS)}."]})
        bounds = re.fullmatch(r"[\[{]\s*(\S+)\s+TO\s+(\S+)\s*[\]}]", raw)
        if bounds is None:
            raise Invalid(f"{param} tidak valid: '{text}'", details={param: ["Tulis rentang sebagai [awal TO akhir]."]})
        return Clause(key, negate=negate, since=_parse_time(bounds.group(1), text, param),
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
        return Clause(key, negate=negate, since=moment, until=moment)
    if "*" in values:
        raise Invalid(f"{param} tidak valid: '{text}'", details={param: ["Karakter pengganti (*) tidak didukung di sini."]})
    return Clause(key, tuple(values), negate=negate)


def parse_fq(fq: str, param: str = "fq") -> list[list[Clause]]:
    """CKAN/Solr filter-query syntax as groups of catalogue filters (AND of ORs); ``param``
    names the parameter it came from (``fq`` or ``fq_list``) in messages.

    Understands ``field:value``, ``field:"quoted value"``, ``+field:value``, ``-field:value``,
    ``NOT field:value``, ``field:(a OR b)``, ``a:x OR b:y``, ``AND``, and date ranges
    ``metadata_modified:[2024-01-01T00:00:00Z TO *]``. Anything else is a Validation Error.
    """
    groups: list[list[Clause]] = []
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


def split_query(q: str) -> tuple[str, list[list[Clause]]]:
    """Split ``q`` into free text and the ``field:value`` clauses on known fields it holds
    (CKAN passes ``q`` to Solr, so clients write ``q=tags:kesehatan`` too). ``*:*`` means all."""
    filters: list[list[Clause]] = []

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
            raise invalid("sort", f"Kolom urutan '{field}' tidak dikenal; pilih dari: {', '.join(SORT_FIELDS)}.")
        if len(words) > 2 or direction not in ("asc", "desc"):
            raise invalid("sort", f"Tulis urutan sebagai 'kolom asc' atau 'kolom desc', bukan '{part.strip()}'.")
        key = SORT_FIELDS[field]
        if key is not None:
            keys.append((key, direction == "desc"))
    return keys or [("modified", True)]
