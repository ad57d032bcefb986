"""The dataset listings of the public site (``/dataset``, an organisation's and a topic's
datasets): their query parameters, checked and refused with a 400 page that says what to fix;
the URLs of this page with parameters changed; the facets and active filters of a result; and
``find``, which asks the catalogue services for one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from satudata import search_limits as limits
from satudata.catalog import services as catalog
from satudata.catalog.models import Topic
from satudata.catalog.views.labels import facet_titles, sort_labels, topic_name
from satudata.errors import DomainError, Invalid

# Limits on what a query string may ask for. Past them the page answers 400 with a message
# instead of building an unbounded query. The search bounds every way in shares (words and
# characters of q, filter values, how deep a page) are the SEARCH_* settings, read through
# ``satudata.search_limits``; these two are the pages' own.
MAX_VALUE_CHARS = 100  # one filter value: a slug, tag, format, year or licence id
MAX_PAGE = 10_000  # page numbers past this count as past the end (404), never parsed further

# The filters of the dataset list, in the order the facets are shown.
LIST_FILTERS = ("topic", "wilayah", "organization", "tag", "format", "year", "licence")
# A dataset has one organisation (so one region), one year and one licence, so a second value
# of these would match nothing (or narrow to the one below): choosing another value replaces
# the first instead of adding to it.
SINGLE_VALUED = frozenset({"wilayah", "organization", "year", "licence"})
FACET_VISIBLE = 8

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PAGE = re.compile(r"^[0-9]+$")
_YEAR = re.compile(r"^[0-9]{4}$")


class QueryParameterError(DomainError):
    """A query parameter of a public page that cannot be used (answered with a 400 page)."""

    status = 400
    code = "bad_request"


# --------------------------------------------------------------------------- query parameters


def _clean(value: str, name: str, limit: int = MAX_VALUE_CHARS) -> str:
    """A query parameter value without control characters and within ``limit`` characters."""
    if CONTROL_CHARS.search(value):
        raise QueryParameterError(
            _("Parameter '%(name)s' berisi karakter yang tidak diizinkan.", name=name),
            details={name: [_("Hapus karakter kontrol dari nilai ini.")]},
        )
    value = value.strip()
    if len(value) > limit:
        raise QueryParameterError(
            _("Parameter '%(name)s' terlalu panjang (paling banyak %(limit)s karakter).", name=name, limit=limit),
            details={name: [_("Persingkat nilai ini lalu coba lagi.")]},
        )
    return value


def search_text() -> str:
    """The search words (``q``): at most what the search box holds (``SEARCH_BOX_MAX_CHARS``)
    and the search bound on words (``SEARCH_MAX_QUERY_WORDS``)."""
    text = _clean(request.args.get("q", ""), "q", limits.current().box_chars)
    limits.check_query_text(text)
    return text


def page_number(name: str = "page") -> int:
    """The page asked for: a positive integer. Very large numbers count as past the end."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return 1
    if not _PAGE.match(raw) or int(raw[:12]) < 1:
        raise QueryParameterError(
            _("Nomor halaman '%(value)s' tidak valid.", value=raw[:20]),
            details={name: [_("Gunakan bilangan bulat mulai dari 1, misalnya %(name)s=2.", name=name)]},
        )
    return MAX_PAGE + 1 if len(raw) > 9 else int(raw)


def list_filters() -> dict[str, list[str]]:
    """The dataset filters in the query string, checked: known keys, bounded values (together at
    most ``SEARCH_MAX_CLAUSES``, at most ``SEARCH_MAX_CLAUSE_VALUES`` different ones per key,
    what the search engines take for one key)."""
    # Counted as sent, before any value is read (SEARCH_MAX_CLAUSES): 20,000 ?tag= must not
    # cost 20,000 checks and a quadratic de-duplication.
    limits.check_filter_values({key: len(request.args.getlist(key)) for key in LIST_FILTERS})
    per_key = limits.current().clause_values
    filters: dict[str, list[str]] = {}
    for key in LIST_FILTERS:
        values: list[str] = []
        for raw in request.args.getlist(key):
            value = _clean(raw, key)
            if value and value not in values:
                values.append(value)
        if key == "year":
            for value in values:
                if not _YEAR.match(value):
                    raise QueryParameterError(
                        _("Tahun '%(value)s' tidak valid.", value=value[:20]),
                        details={"year": [_("Gunakan tahun empat angka, misalnya year=2024.")]},
                    )
        if len(values) > per_key:
            raise QueryParameterError(
                _("Terlalu banyak nilai untuk filter '%(name)s' (paling banyak %(limit)s).", name=key,
                  limit=per_key),
                details={key: [_("Hapus sebagian filter lalu coba lagi.")]},
            )
        if values:
            filters[key] = values
    return filters


def sort_order(default: str) -> str:
    """The sort order asked for, one of ``sort_labels()``."""
    raw = request.args.get("sort", "").strip()
    if not raw:
        return default
    if raw not in sort_labels():
        raise QueryParameterError(
            _("Urutan '%(value)s' tidak dikenal.", value=raw[:20]),
            details={"sort": [_("Pilih salah satu: %(choices)s.", choices=", ".join(sort_labels()))]},
        )
    return raw


# --------------------------------------------------------------------------- URLs of this page


def current_args() -> MultiDict[str, str]:
    """The query string of this request, without the language switch."""
    args = MultiDict(request.args)
    args.pop("lang", None)
    return args


def url_with(**changes: Any) -> str:
    """This page's URL with some query parameters changed; ``None`` removes one."""
    args = current_args()
    for key, value in changes.items():
        if value is None or value == []:
            args.pop(key, None)
        elif isinstance(value, list | tuple):
            args.setlist(key, [str(v) for v in value])
        else:
            args.setlist(key, [str(value)])
    query = urlencode(list(args.items(multi=True)))
    return quote(request.script_root + request.path) + (f"?{query}" if query else "")


def page_url(number: int) -> str:
    """This page's URL at page ``number`` (page 1 has no ``page`` parameter)."""
    return url_with(page=None if number <= 1 else number)


def hidden_args(*exclude: str) -> list[tuple[str, str]]:
    """This page's query parameters as (name, value) pairs, for hidden inputs of a form."""
    return [(k, v) for k, v in current_args().items(multi=True) if k not in exclude]


def lang_url(code: str) -> str:
    """This page's URL in language ``code`` (``?lang=`` sets it for the session)."""
    args = current_args()
    args.setlist("lang", [code])
    return quote(request.script_root + request.path) + "?" + urlencode(list(args.items(multi=True)))


# --------------------------------------------------------------------------- searching


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    active: bool
    url: str


@dataclass
class Facet:
    key: str
    title: str
    items: list[FacetItem] = field(default_factory=list)

    @property
    def visible(self) -> list[FacetItem]:
        active_hidden = [i for i in self.items[FACET_VISIBLE:] if i.active]
        return self.items[:FACET_VISIBLE] + active_hidden

    @property
    def more(self) -> list[FacetItem]:
        return [i for i in self.items[FACET_VISIBLE:] if not i.active]


@dataclass
class ActiveFilter:
    key: str
    title: str
    label: str
    remove_url: str


def _toggle_url(filters: dict[str, list[str]], key: str, value: str) -> str:
    """The list URL with ``key=value`` added (or replaced, or removed when already chosen)."""
    values = list(filters.get(key, []))
    if value in values:
        values.remove(value)
    elif key in SINGLE_VALUED:
        values = [value]
    else:
        values.append(value)
    return url_with(**{key: values, "page": None})


def _facet_label(key: str, value: str, label: str, topics: dict[str, Topic]) -> str:
    if key == "topic" and value in topics:
        return topic_name(topics[value])
    return label


def build_facets(result: catalog.DatasetPage, filters: dict[str, list[str]]) -> list[Facet]:
    """The facets of a result as clickable filters."""
    titles = facet_titles()
    topics = {t.slug: t for t in catalog.list_topics()}
    facets = []
    for key in LIST_FILTERS:
        facet = Facet(key=key, title=titles[key])
        chosen = filters.get(key, [])
        for value, label, count in result.facets.get(key, []):
            facet.items.append(FacetItem(value=value, label=_facet_label(key, value, label, topics), count=count,
                                         active=value in chosen, url=_toggle_url(filters, key, value)))
        if key == "year":
            facet.items.sort(key=lambda i: i.value, reverse=True)
        if facet.items:
            facets.append(facet)
    return facets


def active_filters(result: catalog.DatasetPage, filters: dict[str, list[str]]) -> list[ActiveFilter]:
    """The chosen filters, each with a link that removes it."""
    titles = facet_titles()
    topics = {t.slug: t for t in catalog.list_topics()}
    labels = {(k, v): label for k, rows in result.facets.items() for v, label, _n in rows}
    chips = []
    for key, values in filters.items():
        for value in values:
            label = _facet_label(key, value, labels.get((key, value), value), topics)
            chips.append(ActiveFilter(key=key, title=titles[key], label=label,
                                      remove_url=_toggle_url(filters, key, value)))
    return chips


@dataclass
class Listing:
    """A page of datasets, and whether the page asked for lies past the last one."""

    result: catalog.DatasetPage
    page: int
    out_of_range: bool
    degraded: bool = False  # the search engine was down; this is the simple database query


def find(
    text: str,
    filters: dict[str, list[str]],
    *,
    sort: str,
    page: int,
    facet_keys: tuple[str, ...] = (),
    per_page: int | None = None,
) -> Listing:
    """Run a catalogue query for a page; service refusals become 400 pages."""
    per_page = per_page or int(current_app.config["PAGE_SIZE"])
    # A page deeper than SEARCH_MAX_START is not fetched: the first page gives the total, then
    # the page is either past the end (404, as any) or refused as too deep (400).
    too_deep = (page - 1) * per_page > limits.current().start
    asked = page if page <= MAX_PAGE and not too_deep else 1
    try:
        # The site stays up when the search engine is down: the database answers (no
        # relevance ranking), and the page says so.
        result = catalog.find_public(catalog.DatasetQuery.of(
            text, filters, sort=sort, page=asked, per_page=per_page, facets=facet_keys, highlight=True))
        if too_deep and page <= result.pages:
            limits.check_start((page - 1) * per_page, "page", page=page, per_page=per_page)
    except Invalid as err:
        raise QueryParameterError(err.message, details=err.details) from err
    return Listing(result=result, page=page, out_of_range=page > result.pages, degraded=result.degraded)
