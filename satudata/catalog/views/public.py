"""The public catalogue pages: home, dataset search, dataset and resource pages, downloads,
organisations and topics.

Views are thin. Every read goes through ``satudata.catalog.services`` (and
``satudata.accounts.services`` for organisations); this module only checks query parameters,
refusing unusable ones with a 400 page that says what to fix, and shapes values for the
templates. Nothing here is visible unless the services say it is public.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import duckdb
from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from satudata import search_limits as limits
from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind
from satudata.catalog import exports, tables
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource, Topic
from satudata.catalog.storage import get_store
from satudata.errors import DomainError, Invalid, NotFound
from satudata.security import public_url
from satudata.templating import render_markdown

bp = Blueprint("catalog", __name__)

# Limits on what a query string may ask for. Past them the page answers 400 with a message
# instead of building an unbounded query.
MAX_QUERY_CHARS = 200
MAX_VALUE_CHARS = 100
MAX_FILTER_VALUES = 20
MAX_PAGE = 10_000
HOME_LIST_SIZE = 6

# The filters of the dataset list, in the order the facets are shown.
LIST_FILTERS = ("topic", "organization", "tag", "format", "year", "licence")
# A dataset has one organisation, one year and one licence, so a second value of these would
# match nothing: choosing another value replaces the first instead of adding to it.
SINGLE_VALUED = frozenset({"organization", "year", "licence"})
FACET_VISIBLE = 8
# A chart leaves out series whose largest value is this many times smaller than the largest
# series' (they would draw as a flat line on the shared axis).
CHART_SCALE_RATIO = 20
# Icons drawn in static/img/topics.svg; a topic whose ``icon`` is not one of them shows its
# initial instead.
TOPIC_ICONS = frozenset({"users", "heart-pulse", "school", "wheat", "chart-line", "road", "hand-heart", "wallet",
                         "leaf", "landmark"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PAGE = re.compile(r"^[0-9]+$")
_YEAR = re.compile(r"^[0-9]{4}$")


class QueryParameterError(DomainError):
    """A query parameter of a public page that cannot be used (answered with a 400 page)."""

    status = 400
    code = "bad_request"


# --------------------------------------------------------------------------- labels


def sort_labels() -> dict[str, str]:
    """The sort orders of dataset lists, with their labels in the current language."""
    return {
        "relevance": _("Paling relevan"),
        "newest": _("Terbaru"),
        "modified": _("Baru diperbarui"),
        "name": _("Judul (A–Z)"),
        "downloads": _("Paling banyak diunduh"),
    }


def facet_titles() -> dict[str, str]:
    """Headings of the facets (and names of the active filters)."""
    return {
        "topic": _("Topik"),
        "organization": _("Organisasi"),
        "tag": _("Kata kunci"),
        "format": _("Format"),
        "year": _("Tahun data"),
        "licence": _("Lisensi"),
    }


def enum_labels() -> dict[str, dict[str, str]]:
    """Readable labels for the values of the Satu Data enumerations."""
    return {
        "frequency": {
            "tahunan": _("Tahunan"), "semesteran": _("Semesteran"), "triwulanan": _("Triwulanan"),
            "bulanan": _("Bulanan"), "mingguan": _("Mingguan"), "harian": _("Harian"),
            "tidak_tentu": _("Tidak tentu"),
        },
        "presentation_level": {
            "nasional": _("Nasional"), "provinsi": _("Provinsi"), "kabupaten_kota": _("Kabupaten/kota"),
            "kecamatan": _("Kecamatan"), "desa": _("Desa/kelurahan"),
        },
        "data_kind": {
            "statistik_sektoral": _("Statistik sektoral"), "geospasial": _("Geospasial"), "keuangan": _("Keuangan"),
        },
        "data_status": {"sementara": _("Sementara"), "tetap": _("Tetap")},
        "collection_method": {
            "administrasi": _("Data administrasi"), "survei": _("Survei"), "sensus": _("Sensus"),
            "kompilasi": _("Kompilasi"), "lainnya": _("Lainnya"),
        },
        "access_class": {"publik": _("Publik"), "terbatas": _("Terbatas"), "dikecualikan": _("Dikecualikan")},
        "organization_kind": {
            "provinsi": _("Pemerintah provinsi"), "kabupaten": _("Pemerintah kabupaten"),
            "kota": _("Pemerintah kota"), "opd": _("Perangkat daerah"), "kecamatan": _("Kecamatan"),
        },
    }


def enum_label(kind: str, value: Any) -> str:
    """The label of one enumeration value; the raw value when unknown, '–' when empty."""
    if value is None or value == "":
        return "–"
    key = str(value)
    return enum_labels().get(kind, {}).get(key, key)


def topic_name(topic: Topic) -> str:
    """A topic's name in the current language."""
    if str(get_locale() or "") == "en" and topic.name_en:
        return topic.name_en
    return topic.name


def humanize(column: str) -> str:
    """A column name as a readable label: ``laki_laki`` becomes ``Laki laki``."""
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else column


def plain_excerpt(markdown_text: str | None, limit: int = 200) -> str:
    """The first ``limit`` characters of a Markdown text as plain text (rendered, sanitised,
    then stripped of tags, so no markup or script survives)."""
    text = render_markdown(markdown_text).striptags()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(" .,;:") + "…"


# --------------------------------------------------------------------------- query parameters


def _clean(value: str, name: str, limit: int = MAX_VALUE_CHARS) -> str:
    """A query parameter value without control characters and within ``limit`` characters."""
    if _CONTROL.search(value):
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
    """The search words (``q``), at most ``MAX_QUERY_CHARS`` characters and the search bound
    on words (``SEARCH_MAX_QUERY_WORDS``)."""
    text = _clean(request.args.get("q", ""), "q", MAX_QUERY_CHARS)
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
    """The dataset filters in the query string, checked: known keys, bounded values."""
    # Counted as sent, before any value is read (SEARCH_MAX_CLAUSES): 20,000 ?tag= must not
    # cost 20,000 checks and a quadratic de-duplication.
    limits.check_filter_values({key: len(request.args.getlist(key)) for key in LIST_FILTERS})
    filters: dict[str, list[str]] = {}
    count = 0
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
        if values:
            filters[key] = values
            count += len(values)
    if count > MAX_FILTER_VALUES:
        raise QueryParameterError(
            _("Terlalu banyak filter (paling banyak %(limit)s).", limit=MAX_FILTER_VALUES),
            details={"filter": [_("Hapus sebagian filter lalu coba lagi.")]},
        )
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


@bp.record_once
def _template_helpers(state: Any) -> None:
    """Helpers every template may use, imported macros included (the layout's language switch
    needs them on error pages too)."""
    state.app.jinja_env.globals.update(
        url_with=url_with,
        page_url=page_url,
        hidden_args=hidden_args,
        lang_url=lang_url,
        enum_label=enum_label,
        topic_name=topic_name,
        plain_excerpt=plain_excerpt,
        humanize=humanize,
        topic_icons=TOPIC_ICONS,
    )


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


def build_facets(result: catalog.SearchResult, filters: dict[str, list[str]]) -> list[Facet]:
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


def active_filters(result: catalog.SearchResult, filters: dict[str, list[str]]) -> list[ActiveFilter]:
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

    result: Any  # catalog.SearchResult or search DatasetSearchResult: same attributes
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
        result, degraded = catalog.search_listing(text, filters, sort=sort, page=asked, per_page=per_page,
                                                  facet_keys=facet_keys)
        if too_deep and page <= result.pages:
            limits.check_start((page - 1) * per_page, "page", page=page, per_page=per_page)
    except Invalid as err:
        raise QueryParameterError(err.message, details=err.details) from err
    return Listing(result=result, page=page, out_of_range=page > result.pages, degraded=degraded)


# --------------------------------------------------------------------------- home


@bp.get("/")
def home() -> Any:
    """The front page: search, topics, counts, newest and most downloaded datasets."""
    topics = catalog.list_topics()
    counts = catalog.topic_counts()
    return render_template(
        "home.html",
        counts=catalog.catalogue_counts(),
        topics=[(t, counts.get(t.id, 0)) for t in topics],
        newest=catalog.find_datasets(sort="newest", per_page=HOME_LIST_SIZE, facet_keys=()).items,
        popular=catalog.find_datasets(sort="downloads", per_page=HOME_LIST_SIZE, facet_keys=()).items,
        tags=catalog.tag_counts(limit=15),
    )


# --------------------------------------------------------------------------- datasets


@bp.get("/dataset")
def dataset_list() -> Any:
    """Search the catalogue with filters, facets, sort and pages."""
    text = search_text()
    filters = list_filters()
    sort = sort_order("relevance" if text else "newest")
    listing = find(text, filters, sort=sort, page=page_number(), facet_keys=LIST_FILTERS)
    status = 404 if listing.out_of_range else 200
    return render_template(
        "catalog/dataset_list.html",
        q=text,
        filters=filters,
        sort=sort,
        sorts=sort_labels(),
        listing=listing,
        facets=build_facets(listing.result, filters),
        chips=active_filters(listing.result, filters),
    ), status


def _find_resource(dataset: Dataset, resource_id: str) -> Resource:
    for res in dataset.resources:
        if res.id == resource_id:
            return res
    raise NotFound(_("Sumber data '%(id)s' tidak ditemukan pada dataset ini.", id=resource_id[:64]))


def _not_found(kind: str, key: str) -> NotFound:
    """A 'not found' in the reader's language, naming what was asked for (shortened)."""
    key = _CONTROL.sub("", key)
    shown = key if len(key) <= 80 else key[:79] + "…"
    messages = {
        "dataset": _("Dataset '%(key)s' tidak ditemukan atau belum diterbitkan.", key=shown),
        "organization": _("Organisasi '%(key)s' tidak ditemukan.", key=shown),
        "topic": _("Topik '%(key)s' tidak ditemukan.", key=shown),
    }
    return NotFound(messages[kind])


def _checked_slug(kind: str, slug: str) -> str:
    """A slug from the URL; one with control characters or absurd length names nothing."""
    if _CONTROL.search(slug) or len(slug) > 200:
        raise _not_found(kind, slug)
    return slug


def _public_dataset(slug: str) -> Dataset:
    try:
        return catalog.get_public_dataset(_checked_slug("dataset", slug))
    except NotFound as err:
        raise _not_found("dataset", slug) from err


def stored_path(res: Resource) -> Path | None:
    """Where a stored resource's file lies, or ``None`` when it is missing."""
    if not res.sha256:
        return None
    try:
        path = get_store().path(res.sha256)
    except ValueError:
        return None
    return path if path.is_file() else None


def is_previewable(res: Resource) -> bool:
    """A stored CSV/TSV file: DuckDB reads it page by page."""
    return res.is_stored and (res.format or "").upper() in ("CSV", "TSV")


@dataclass
class TableView:
    """What a page shows of one tabular resource: a page of rows and a chart."""

    resource: Resource
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    per_page: int = 25
    chart: dict[str, Any] | None = None
    error: str | None = None
    page_url: Callable[[int], str] | None = None

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.page * self.per_page)

    @property
    def chart_rows(self) -> list[tuple[str, list[Any]]]:
        if not self.chart:
            return []
        series = self.chart["series"]
        return [(label, [s["values"][i] for s in series]) for i, label in enumerate(self.chart["labels"])]


def _yearish(name: str) -> bool:
    return any(word in name.lower() for word in tables.YEARISH)


def table_view(dataset: Dataset, res: Resource, page: int = 1, *, with_chart: bool = True) -> TableView:
    """A page of rows (and a chart) of a tabular resource; problems become a message, not a 500."""
    per_page = int(current_app.config["PREVIEW_ROWS"])
    view = TableView(resource=res, page=page, per_page=per_page,
                     page_url=lambda n: url_for("catalog.resource", slug=dataset.slug, resource_id=res.id,
                                                page=n if n > 1 else None))
    path = stored_path(res)
    if path is None:
        view.error = _("Berkas tabel ini tidak tersedia di penyimpanan portal.")
        return view
    try:
        offset = (page - 1) * per_page if page <= MAX_PAGE else 0
        rows = tables.page(path, offset=offset, limit=per_page)
    except duckdb.Error as exc:
        current_app.logger.warning("preview of resource %s failed: %s", res.id, exc)
        view.error = _("Pratinjau tidak dapat ditampilkan karena berkas ini tidak terbaca sebagai tabel. "
                       "Anda tetap dapat mengunduhnya.")
        return view
    view.columns = [{**c, "yearish": _yearish(c["name"])} for c in rows.columns]
    view.rows = rows.rows
    view.total = rows.total
    view.pages = max(1, -(-rows.total // per_page))
    if with_chart:
        view.chart = chart_spec(tables.chart(path))
    return view


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def chart_spec(chart: dict[str, Any] | None) -> dict[str, Any] | None:
    """A chart from ``tables.chart`` made fit to draw: values as plain finite numbers (JSON has
    no NaN), readable labels, and only series on a comparable scale, so a percentage column is
    not drawn as a flat line beside counts in the tens of thousands."""
    if not chart or not chart.get("series"):
        return None
    series = [{**s, "values": [_finite(v) for v in s["values"]], "label": humanize(s["name"])}
              for s in chart["series"]]
    peaks = [max((abs(v) for v in s["values"] if v is not None), default=0.0) for s in series]
    top = max(peaks)
    if top == 0:
        return None
    kept = [s for s, peak in zip(series, peaks, strict=True) if peak >= top / CHART_SCALE_RATIO]
    return {**chart, "series": kept, "label_title": humanize(str(chart.get("label_column", "")))}


def dataset_jsonld(ds: Dataset) -> dict[str, Any]:
    """schema.org ``Dataset`` for search engines and Google Dataset Search."""
    page = url_for("catalog.dataset", slug=ds.slug, _external=True)
    org = ds.organization
    creator: dict[str, Any] = {"@type": "Organization", "name": org.name,
                               "url": url_for("catalog.organization", slug=org.slug, _external=True)}
    if org.email:
        creator["email"] = org.email
    publisher = creator
    if ds.walidata is not None:
        publisher = {"@type": "Organization", "name": ds.walidata.name,
                     "url": url_for("catalog.organization", slug=ds.walidata.slug, _external=True)}
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": page,
        "name": ds.title,
        "description": plain_excerpt(ds.description, 5000) or ds.title,
        "url": page,
        "identifier": [ds.id, ds.slug],
        "keywords": [t.name for t in ds.tags] + [t.name for t in ds.topics],
        "isAccessibleForFree": True,
        "inLanguage": "id",
        "creator": creator,
        "publisher": publisher,
        "dateCreated": ds.created_at.isoformat() if ds.created_at else None,
        "datePublished": ds.published_at.isoformat() if ds.published_at else None,
        "dateModified": ds.updated_at.isoformat() if ds.updated_at else None,
        "distribution": [],
    }
    if ds.licence is not None:
        doc["license"] = ds.licence.url or ds.licence.id
    if ds.period or ds.year:
        doc["temporalCoverage"] = str(ds.period or ds.year)
    if ds.coverage or ds.kode_wilayah:
        place: dict[str, Any] = {"@type": "Place", "name": ds.coverage or ds.kode_wilayah}
        if ds.kode_wilayah:
            place["identifier"] = {"@type": "PropertyValue", "propertyID": "kode_wilayah_kemendagri",
                                   "value": ds.kode_wilayah}
        doc["spatialCoverage"] = place
    for res in ds.resources:
        dist: dict[str, Any] = {
            "@type": "DataDownload",
            "name": res.name,
            "contentUrl": url_for("catalog.resource_download", slug=ds.slug, resource_id=res.id, _external=True),
            "encodingFormat": res.media_type or res.format,
        }
        if res.size is not None:
            dist["contentSize"] = f"{res.size} B"
        doc["distribution"].append(dist)
    return {k: v for k, v in doc.items() if v not in (None, [], "")}


@bp.get("/dataset/<slug>")
def dataset(slug: str) -> Any:
    """One dataset: metadata, resources, previews and charts, API use, versions, JSON-LD."""
    ds = _public_dataset(slug)
    views = [table_view(ds, res) for res in ds.resources if is_previewable(res)]
    base = public_url()
    return render_template(
        "catalog/dataset.html",
        ds=ds,
        tables=views,
        jsonld=dataset_jsonld(ds),
        api={
            "ckan": f"{base}/api/3/action/package_show?id={quote(ds.slug)}",
            "rest": f"{base}/api/v1/datasets/{quote(ds.slug)}",
            "rows": [(v.resource, f"{base}/api/v1/resources/{quote(v.resource.id)}/rows?limit=100")
                     for v in views],
            "root": base,
        },
    )


@bp.get("/dataset/<slug>/resource/<resource_id>")
def resource(slug: str, resource_id: str) -> Any:
    """One resource of a dataset, with its whole table previewable page by page."""
    ds = _public_dataset(slug)
    res = _find_resource(ds, resource_id)
    page = page_number()
    view = table_view(ds, res, page) if is_previewable(res) else None
    status = 200
    if view is not None and view.error is None and page > view.pages:
        status = 404
    return render_template("catalog/resource.html", ds=ds, res=res, view=view, out_of_range=status == 404), status


@bp.route("/dataset/<slug>/resource/<resource_id>/download", methods=["GET", "HEAD"])
def resource_download(slug: str, resource_id: str) -> Any:
    """Stream a stored file (Range and conditional requests allowed) or send to the external URL.

    A full GET counts as one download; HEAD and follow-up range requests do not.
    """
    ds = _public_dataset(slug)
    res = _find_resource(ds, resource_id)
    counted = request.method == "GET" and not request.range
    if not res.is_stored:
        if not res.url:
            raise NotFound(_("Sumber data ini tidak memiliki berkas untuk diunduh."))
        url = res.url
        if counted:
            catalog.record_download(res)
        return redirect(url, code=302)
    path = stored_path(res)
    if path is None:
        current_app.logger.error("stored file of resource %s (%s) is missing", res.id, res.sha256)
        raise NotFound(_("Berkas sumber data ini tidak tersedia saat ini. Hubungi pengelola portal."))
    filename = res.filename or f"{ds.slug}.{(res.format or 'bin').lower()}"
    mimetype = res.media_type or "application/octet-stream"
    if counted:
        catalog.record_download(res)
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=filename, conditional=True,
                     etag=res.sha256 or True)


@bp.route("/dataset/<slug>/resource/<resource_id>/unduh.<fmt>", methods=["GET", "HEAD"])
def resource_export(slug: str, resource_id: str, fmt: str) -> Any:
    """A validated table as CSV (UTF-8), XLSX or JSON, converted on first request and cached
    (see :mod:`satudata.catalog.exports`). Counted like the original: a full GET is a download."""
    fmt = fmt.lower()
    if fmt not in exports.FORMATS:
        raise NotFound(_("Format unduhan '%(fmt)s' tidak tersedia; pilih CSV, XLSX atau JSON.",
                         fmt=_CONTROL.sub("", fmt)[:20]))
    ds = _public_dataset(slug)
    res = _find_resource(ds, resource_id)
    path = exports.export_resource(res, fmt)
    if request.method == "GET" and not request.range:
        catalog.record_download(res)
    return send_file(path, mimetype=exports.FORMATS[fmt].mimetype, as_attachment=True,
                     download_name=exports.download_name(res, fmt, fallback=ds.slug), conditional=True,
                     etag=path.name)


# --------------------------------------------------------------------------- organisations


@dataclass
class OrgNode:
    """An organisation in the tree of governments and their OPDs, with dataset counts."""

    org: Organization
    count: int
    children: list[OrgNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.count + sum(c.total for c in self.children)


_KIND_ORDER = {OrganizationKind.PROVINSI: 0, OrganizationKind.KABUPATEN: 1, OrganizationKind.KOTA: 2}


def organization_tree(orgs: Iterable[Organization], counts: dict[int, int]) -> list[OrgNode]:
    """Organisations grouped under their parent government, governments first."""
    nodes = {o.id: OrgNode(org=o, count=counts.get(o.id, 0)) for o in orgs}
    roots: list[OrgNode] = []
    for node in nodes.values():
        parent = nodes.get(node.org.parent_id) if node.org.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)

    def order(node: OrgNode) -> tuple[int, str]:
        return (_KIND_ORDER.get(node.org.kind, 3), node.org.name.lower())

    def sort(level: list[OrgNode]) -> None:
        level.sort(key=order)
        for n in level:
            sort(n.children)

    sort(roots)
    return roots


@bp.get("/organization")
def organization_list() -> Any:
    """All organisations, grouped by parent government, with their public dataset counts."""
    orgs = accounts.list_organizations()
    counts = catalog.organization_counts()
    return render_template("catalog/organization_list.html", tree=organization_tree(orgs, counts),
                           total=len(orgs))


@bp.get("/organization/<slug>")
def organization(slug: str) -> Any:
    """One organisation: its details, its public datasets page by page, and its OPDs."""
    try:
        org = accounts.get_organization(_checked_slug("organization", slug))
    except NotFound as err:
        raise _not_found("organization", slug) from err
    sort = sort_order("newest")
    listing = find("", {"organization": [org.slug]}, sort=sort, page=page_number())
    counts = catalog.organization_counts()
    children = sorted(org.children, key=lambda o: o.name.lower())
    return render_template(
        "catalog/organization.html",
        org=org,
        listing=listing,
        sort=sort,
        sorts=sort_labels(),
        children=[(c, counts.get(c.id, 0)) for c in children],
    ), 404 if listing.out_of_range else 200


# --------------------------------------------------------------------------- topics (CKAN groups)


@bp.get("/group")
def group_list() -> Any:
    """All topics with their public dataset counts."""
    counts = catalog.topic_counts()
    return render_template("catalog/group_list.html",
                           topics=[(t, counts.get(t.id, 0)) for t in catalog.list_topics()])


@bp.get("/group/<slug>")
def group(slug: str) -> Any:
    """One topic and its public datasets, page by page."""
    try:
        topic = catalog.get_topic(_checked_slug("topic", slug))
    except NotFound as err:
        raise _not_found("topic", slug) from err
    sort = sort_order("newest")
    listing = find("", {"topic": [topic.slug]}, sort=sort, page=page_number(), facet_keys=("organization",))
    return render_template(
        "catalog/group.html",
        topic=topic,
        listing=listing,
        sort=sort,
        sorts=sort_labels(),
        organizations=listing.result.facets.get("organization", []),
    ), 404 if listing.out_of_range else 200

