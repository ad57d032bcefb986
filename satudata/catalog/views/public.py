"""The public catalogue pages: home, dataset search, dataset and resource pages, downloads,
organisations and topics.

Views are thin. Every read goes through ``satudata.catalog.services`` (and
``satudata.accounts.services`` for organisations); this module only checks query parameters
(with ``listing``, which also holds the search, filter and facet logic of the listings),
refusing unusable ones with a 400 page that says what to fix, and shapes values for the
templates (with ``labels``). Nothing here is visible unless the services say it is public.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flask import Blueprint, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind
from satudata.authz import Permission, can
from satudata.catalog import exports, tables
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource
from satudata.catalog.storage import get_store
from satudata.catalog.views.labels import (
    enum_label,
    enum_labels,
    humanize,
    plain_excerpt,
    sort_labels,
    topic_name,
)
from satudata.catalog.views.listing import (
    CONTROL_CHARS,
    LIST_FILTERS,
    MAX_PAGE,
    active_filters,
    build_facets,
    find,
    hidden_args,
    lang_url,
    list_filters,
    page_number,
    page_url,
    search_text,
    sort_order,
    url_with,
)
from satudata.errors import DomainError, Invalid, NotFound
from satudata.security import public_url

# ``enum_labels`` is read from here by the producer workspace (review.views) too.
__all__ = ["bp", "chart_spec", "dataset_jsonld", "enum_labels", "table_view"]

bp = Blueprint("catalog", __name__)

HOME_LIST_SIZE = 6
# A chart leaves out series whose largest value is this many times smaller than the largest
# series' (they would draw as a flat line on the shared axis).
CHART_SCALE_RATIO = 20
# Icons drawn in static/img/topics.svg; a topic whose ``icon`` is not one of them shows its
# initial instead.
TOPIC_ICONS = frozenset({"users", "heart-pulse", "school", "wheat", "chart-line", "road", "hand-heart", "wallet",
                         "leaf", "landmark"})


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
        newest=catalog.find_public(catalog.DatasetQuery.of(sort="newest", per_page=HOME_LIST_SIZE)).items,
        popular=catalog.find_public(catalog.DatasetQuery.of(sort="downloads", per_page=HOME_LIST_SIZE)).items,
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
    key = CONTROL_CHARS.sub("", key)
    shown = key if len(key) <= 80 else key[:79] + "…"
    messages = {
        "dataset": _("Dataset '%(key)s' tidak ditemukan atau belum diterbitkan.", key=shown),
        "organization": _("Organisasi '%(key)s' tidak ditemukan.", key=shown),
        "topic": _("Topik '%(key)s' tidak ditemukan.", key=shown),
    }
    return NotFound(messages[kind])


def _checked_slug(kind: str, slug: str) -> str:
    """A slug from the URL; one with control characters or absurd length names nothing."""
    if CONTROL_CHARS.search(slug) or len(slug) > 200:
        raise _not_found(kind, slug)
    return slug


def _public_dataset(slug: str) -> Dataset:
    """A public dataset for its page and its files; a withdrawn one answers 410 saying when and
    why (``errors.Gone``), so an old link's reader knows it was taken off on purpose."""
    try:
        return catalog.get_public_dataset(_checked_slug("dataset", slug), explain_withdrawn=True)
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


@dataclass
class TableQuery:
    """What a reader asked of a table on its page: a sort, exact-value filters and words."""

    sort: tuple[str, bool] | None = None
    filters: dict[str, str] = field(default_factory=dict)
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.filters or self.q)

    def args(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.q:
            out["q"] = self.q
        if self.sort:
            out["urut"] = self.sort[0]
            out["arah"] = "desc" if self.sort[1] else "asc"
        if self.filters:
            column, value = next(iter(self.filters.items()))
            out["kolom"], out["nilai"] = column, value
        return out


def table_query() -> TableQuery:
    """The sort, filter and search of the resource page's table (``urut``/``arah``,
    ``kolom``/``nilai``, ``q``); names the copy does not have are answered by the reader."""
    args = request.args
    sort_col = args.get("urut", "").strip()[:200]
    sort = (sort_col, args.get("arah", "asc") == "desc") if sort_col else None
    column, value = args.get("kolom", "").strip()[:200], args.get("nilai", "").strip()[:500]
    return TableQuery(sort=sort, filters={column: value} if column and value else {}, q=args.get("q", "").strip()[:200])


@dataclass
class TableView:
    """What a page shows of one tabular resource: a page of rows and a chart."""

    resource: Resource
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    total: int = 0
    unfiltered: int = 0
    page: int = 1
    pages: int = 1
    per_page: int = 25
    chart: dict[str, Any] | None = None
    map: dict[str, Any] | None = None
    error: str | None = None
    page_url: Callable[[int], str] | None = None
    query: TableQuery = field(default_factory=TableQuery)
    sort_url: Callable[[str], str] | None = None

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


def table_view(dataset: Dataset, res: Resource, page: int = 1, *, with_chart: bool = True,
               query: TableQuery | None = None) -> TableView:
    """A page of rows (and a chart) of a tabular resource, read from its typed copy; problems
    become a message, not a 500."""
    per_page = int(current_app.config["PREVIEW_ROWS"])
    query = query or TableQuery()
    args: dict[str, Any] = dict(query.args())

    def page_link(n: int) -> str:
        return url_for("catalog.resource", slug=dataset.slug, resource_id=res.id, page=n if n > 1 else None, **args)

    def sort_link(column: str) -> str:
        descending = query.sort is not None and query.sort[0] == column and not query.sort[1]
        changed: dict[str, Any] = {**args, "urut": column, "arah": "desc" if descending else "asc"}
        return url_for("catalog.resource", slug=dataset.slug, resource_id=res.id, **changed) + "#pratinjau-judul"

    view = TableView(resource=res, page=page, per_page=per_page, page_url=page_link, query=query, sort_url=sort_link)
    reader = tables.reader()
    if reader is None:
        view.error = _("Pratinjau tabel belum tersedia di portal ini.")
        return view
    try:
        offset = (page - 1) * per_page if page <= MAX_PAGE else 0
        rows = reader.page(res, offset=offset, limit=per_page, sort=query.sort, filters=query.filters,
                            q=query.q or None)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            view.error = _("Berkas tabel ini tidak tersedia di penyimpanan portal.")
        elif isinstance(exc, Invalid) and (query.active or query.sort):
            view.error = _("Pilihan urutan atau saringan tidak cocok dengan kolom tabel ini: %(why)s",
                           why=exc.message)
        else:
            current_app.logger.warning("preview of resource %s failed: %s", res.id, exc.message)
            view.error = _("Pratinjau tidak dapat ditampilkan karena berkas ini tidak terbaca sebagai tabel. "
                           "Anda tetap dapat mengunduhnya.")
        return view
    except Exception:  # a copy that cannot be written or read must not take the page down
        current_app.logger.exception("preview of resource %s failed", res.id)
        view.error = _("Pratinjau tidak dapat ditampilkan karena berkas ini tidak terbaca sebagai tabel. "
                       "Anda tetap dapat mengunduhnya.")
        return view
    view.columns = rows.columns
    view.rows = rows.rows
    view.total = rows.total
    view.unfiltered = rows.unfiltered
    view.pages = max(1, -(-rows.total // per_page))
    if with_chart:
        try:
            view.chart = chart_spec(reader.chart(res, dataset))
        except Exception:
            current_app.logger.exception("chart of resource %s failed", res.id)
    return view


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def chart_spec(chart: dict[str, Any] | None) -> dict[str, Any] | None:
    """A chart spec made fit to draw: values as plain finite numbers (JSON has no NaN), readable
    labels (the Table Schema's titles where the spec has them), and only series on a comparable
    scale, so a percentage column is not drawn as a flat line beside counts in the tens of
    thousands."""
    if not chart or not chart.get("series"):
        return None
    series = [{**s, "values": [_finite(v) for v in s["values"]], "label": s.get("label") or humanize(s["name"])}
              for s in chart["series"]]
    peaks = [max((abs(v) for v in s["values"] if v is not None), default=0.0) for s in series]
    top = max(peaks)
    if top == 0:
        return None
    kept = [s for s, peak in zip(series, peaks, strict=True) if peak >= top / CHART_SCALE_RATIO]
    return {**chart, "series": kept,
            "label_title": chart.get("label_title") or humanize(str(chart.get("label_column", "")))}


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
    views = [table_view(ds, res) for res in ds.resources if res.is_queryable]
    base = public_url()
    reader = tables.reader()
    saved = reader.views(ds) if reader is not None and reader.views is not None and views else []
    return render_template(
        "catalog/dataset.html",
        ds=ds,
        tables=views,
        saved_views=saved,
        can_edit=current_user.is_authenticated and can(current_user, Permission.CATALOG_DATASET_EDIT, ds),
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
    view = table_view(ds, res, page, query=table_query()) if res.is_queryable else None
    if view is not None and view.error is None and page == 1:
        reader = tables.reader()
        if reader is not None and reader.map is not None:
            try:
                view.map = reader.map(res, ds)
            except Exception:  # the map is a bonus: never a reason for the page to fail
                current_app.logger.exception("map of resource %s failed", res.id)
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


@bp.route("/dataset/<slug>/versi/<int:number>/berkas/<sha256>", methods=["GET", "HEAD"])
def version_file(slug: str, number: int, sha256: str) -> Any:
    """A file exactly as version ``number`` published it, by its SHA-256, from the store (which
    keeps every file a version names): old versions stay downloadable after the dataset moved
    on. A withdrawn dataset's versions answer 410 with the reason."""
    version = catalog.get_version(_public_dataset(slug), number)
    snap = catalog.version_file(version, sha256.lower()[:64])
    try:
        path = get_store().path(str(snap["sha256"]))
    except ValueError:
        path = None
    if path is None or not path.is_file():
        current_app.logger.error("stored file %s of %s version %s is missing", snap["sha256"], slug, number)
        raise NotFound(_("Berkas versi ini tidak tersedia saat ini. Hubungi pengelola portal."))
    filename = snap.get("filename") or f"{slug}-v{number}.{str(snap.get('format') or 'bin').lower()}"
    return send_file(path, mimetype=snap.get("media_type") or "application/octet-stream", as_attachment=True,
                     download_name=filename, conditional=True, etag=str(snap["sha256"]))


@bp.route("/dataset/<slug>/resource/<resource_id>/unduh.<fmt>", methods=["GET", "HEAD"])
def resource_export(slug: str, resource_id: str, fmt: str) -> Any:
    """A validated table as CSV (UTF-8), XLSX or JSON, converted on first request and cached
    (see :mod:`satudata.catalog.exports`). Counted like the original: a full GET is a download."""
    fmt = fmt.lower()
    if fmt not in exports.FORMATS:
        raise NotFound(_("Format unduhan '%(fmt)s' tidak tersedia; pilih CSV, XLSX atau JSON.",
                         fmt=CONTROL_CHARS.sub("", fmt)[:20]))
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
REGION_KINDS = frozenset(_KIND_ORDER)


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
    # A region's government stands for the region: its page lists what its OPD publish too.
    region = org.kode_wilayah if org.kind in REGION_KINDS and org.kode_wilayah else None
    filters = {"wilayah": [region]} if region else {"organization": [org.slug]}
    listing = find("", filters, sort=sort, page=page_number())
    counts = catalog.organization_counts()
    children = sorted(org.children, key=lambda o: o.name.lower())
    return render_template(
        "catalog/organization.html",
        org=org,
        region=region,
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

