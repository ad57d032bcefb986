"""REST API v1 (``/api/v1/...``): JSON reads of the public catalogue, its OpenAPI document,
and the browsable docs at ``/api/docs``.

Views are thin: query parameters are loaded with the argument serializers of
``satudata/api/serializers.py`` (bad input raises ``Invalid``, answered 422), the catalogue and
account services decide what is public (published + ``publik`` only), and the response
serializers dump the result. Domain errors become ``{"error": {...}}`` in ``errors.py``.
Token-authenticated writes arrive with the accounts issue.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import duckdb
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from satudata import search_limits as limits
from satudata.accounts import services as accounts
from satudata.api import openapi
from satudata.api import serializers as s
from satudata.catalog import services as catalog
from satudata.catalog import tables
from satudata.catalog.storage import get_store
from satudata.errors import Conflict, NotFound
from satudata.search import services as search
from satudata.search.backend import SearchUnavailable
from satudata.security import public_url

bp = Blueprint("rest", __name__)

P = s.API_PREFIX
# Longer keys than this are never slugs or ids; refuse them before they reach the database.
MAX_KEY = 300


@bp.after_request
def _allow_cross_origin_reads(resp: Response) -> Response:
    """Public open data: any web page may read it (no cookies are involved in reads)."""
    if request.path.startswith(P + "/") and request.method in ("GET", "HEAD"):
        resp.headers.setdefault("Access-Control-Allow-Origin", "*")
    return resp


def _key(value: str, message: str) -> str:
    """A path key as given, or ``NotFound`` when it cannot name anything (NUL bytes, which
    PostgreSQL refuses, or absurd lengths)."""
    if "\x00" in value or len(value) > MAX_KEY:
        raise NotFound(message)
    return value


def _shown(value: str) -> str:
    """A client's key, safe and short enough to echo in a message."""
    return value.replace("\x00", "")[:80]


def _url_with(**replace: Any) -> str:
    """This request's absolute URL with some query parameters replaced."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in replace]
    items.extend((k, str(v)) for k, v in replace.items())
    query = urlencode(items)
    return public_url(request.path) + (f"?{query}" if query else "")


def _config_int(name: str) -> int:
    return int(current_app.config[name])


# --------------------------------------------------------------------------- meta


@bp.get(P + "/")
def index() -> Any:
    """Where to start: the main lists, the OpenAPI document and the docs."""
    return jsonify({"data": {
        "name": str(current_app.config["SITE_NAME"]),
        "version": "v1",
        "openapi": s.api_url("/openapi.json"),
        "docs": s.absolute("/api/docs"),
        "datasets": s.api_url("/datasets"),
        "organizations": s.api_url("/organizations"),
        "topics": s.api_url("/topics"),
        "licences": s.api_url("/licences"),
    }})


@bp.get(P + "/openapi.json")
def openapi_document() -> Any:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(openapi.build_spec(current_app.config, public_url()))


def _doc_samples() -> dict[str, str]:
    """Real slugs and ids for the curl examples of the docs page, when there are any."""
    samples: dict[str, str] = {}
    found = catalog.find_datasets(sort="newest", per_page=20, facet_keys=())
    if not found.items:
        return samples
    first = found.items[0]
    samples["key:Dataset"] = samples["key:Sumber data"] = first.slug
    samples["slug:Organisasi"] = first.organization.slug
    topic = next((t for ds in found.items for t in ds.topics), None)
    if topic is not None:
        samples["slug:Topik"] = topic.slug
    # The resource examples include /rows, so prefer a table the API can page through.
    resources = [r for ds in found.items for r in ds.resources]
    readable = [r for r in resources if s.is_row_readable(r)] or resources
    if readable:
        samples["resource_id:Sumber data"] = readable[0].id
    return samples


@bp.get("/api/docs")
def docs() -> Any:
    """Browsable documentation, rendered from the OpenAPI document (no scripts)."""
    document = openapi.build_spec(current_app.config, public_url())
    context = openapi.docs_context(document, public_url("/"), _doc_samples())
    return render_template("api/docs.html", **context)


# --------------------------------------------------------------------------- datasets


@bp.get(P + "/datasets")
def list_datasets() -> Any:
    """Search and list public datasets with filters, sort, pages and facets."""
    # Sizes first, on the raw query string (SEARCH_MAX_* settings), before anything is loaded.
    limits.check_filter_values({key: len(request.args.getlist(key)) for key in s.DATASET_FILTERS})
    limits.check_query_text(request.args.get("q", ""))
    args = s.load_query(
        s.DatasetListArgs(max_per_page=_config_int("API_MAX_ROWS"), default_per_page=_config_int("PAGE_SIZE")),
        request.args,
    )
    filters = {key: [str(v) for v in args[key]] for key in s.DATASET_FILTERS if args[key]}
    page, per_page = args["page"], args["per_page"]
    limits.check_start((page - 1) * per_page, "page", page=page, per_page=per_page)
    result: Any
    try:
        result = search.search_datasets(args["q"], filters, sort=args["sort"], page=page, per_page=per_page,
                                        highlight=False)
    except SearchUnavailable:  # the database answers while the search engine is down
        result = catalog.find_datasets(args["q"], filters, sort=args["sort"], page=page, per_page=per_page)
    if page > result.pages:
        raise NotFound(
            f"Halaman {page} tidak ada: hasil ini hanya {result.pages} halaman.",
            details={"page": [f"Pilih halaman 1 sampai {result.pages}."]},
        )
    return jsonify({
        "data": s.DatasetSummarySchema(many=True).dump(result.items),
        "meta": {"total": result.total, "page": page, "per_page": per_page, "pages": result.pages},
        "links": {
            "self": _url_with(page=page),
            "next": _url_with(page=page + 1) if page < result.pages else None,
            "prev": _url_with(page=page - 1) if page > 1 else None,
        },
        "facets": {
            key: [{"value": value, "label": label, "count": count} for value, label, count in values]
            for key, values in result.facets.items()
        },
    })


@bp.get(P + "/datasets/<key>")
def get_dataset(key: str) -> Any:
    """A public dataset by slug or id, with every metadata field, resources and versions."""
    ds = catalog.get_public_dataset(_key(key, f"Dataset '{_shown(key)}' tidak ditemukan."))
    return jsonify({"data": s.DatasetDetailSchema().dump(ds)})


@bp.get(P + "/datasets/<key>/resources")
def list_dataset_resources(key: str) -> Any:
    """The resources of a public dataset, in their order."""
    ds = catalog.get_public_dataset(_key(key, f"Dataset '{_shown(key)}' tidak ditemukan."))
    return jsonify({"data": s.ResourceSchema(many=True).dump(ds.resources)})


# --------------------------------------------------------------------------- resources


def _resource(resource_id: str) -> Any:
    return catalog.get_public_resource(
        _key(resource_id, f"Sumber data '{_shown(resource_id)}' tidak ditemukan."))


@bp.get(P + "/resources/<resource_id>")
def get_resource(resource_id: str) -> Any:
    """A resource of a public dataset, with its absolute download URL."""
    return jsonify({"data": s.ResourceSchema().dump(_resource(resource_id))})


@bp.get(P + "/resources/<resource_id>/rows")
def get_resource_rows(resource_id: str) -> Any:
    """A page of rows of a stored CSV resource."""
    res = _resource(resource_id)
    args = s.load_query(s.RowsArgs(max_limit=_config_int("API_MAX_ROWS")), request.args)
    if not s.is_row_readable(res):
        what = "tautan luar" if not res.is_stored else f"berformat {res.format or 'tidak dikenal'}"
        raise Conflict(
            f"Baris tabel hanya tersedia untuk berkas CSV yang disimpan di portal; sumber data ini {what}.",
            details={"format": ["Unduh berkasnya lewat download_url."]},
        )
    try:
        path = get_store().path(res.sha256 or "")
    except ValueError:
        path = None
    if path is None or not path.is_file():
        raise Conflict("Berkas tabel ini tidak tersedia di penyimpanan portal.")
    offset, limit = args["offset"], args["limit"]
    try:
        page = tables.page(path, offset=offset, limit=limit)
    except duckdb.Error as exc:
        current_app.logger.warning("rows of resource %s unreadable: %s", res.id, exc)
        raise Conflict("Berkas ini tidak dapat dibaca sebagai tabel CSV.") from exc
    return jsonify({
        "data": {
            "columns": [{"name": c["name"], "type": c["type"]} for c in page.columns],
            "rows": [[s.json_cell(v) for v in row] for row in page.rows],
        },
        "meta": {"total": page.total, "offset": offset, "limit": limit},
        "links": {
            "self": _url_with(offset=offset, limit=limit),
            "next": _url_with(offset=offset + limit, limit=limit) if offset + limit < page.total else None,
            "prev": _url_with(offset=max(0, offset - limit), limit=limit) if offset > 0 else None,
        },
    })


# --------------------------------------------------------------------------- organisations, topics, licences


@bp.get(P + "/organizations")
def list_organizations() -> Any:
    """Every organisation, by name, with its public dataset count."""
    orgs = accounts.list_organizations()
    return jsonify({"data": s.OrganizationSchema(many=True).dump(orgs), "meta": {"total": len(orgs)}})


@bp.get(P + "/organizations/<slug>")
def get_organization(slug: str) -> Any:
    """An organisation with its parent and children."""
    org = accounts.get_organization(_key(slug, f"Organisasi '{_shown(slug)}' tidak ditemukan."))
    return jsonify({"data": s.OrganizationDetailSchema().dump(org)})


@bp.get(P + "/topics")
def list_topics() -> Any:
    """Every topic, by name, with its public dataset count."""
    topics = catalog.list_topics()
    return jsonify({"data": s.TopicSchema(many=True).dump(topics), "meta": {"total": len(topics)}})


@bp.get(P + "/topics/<slug>")
def get_topic(slug: str) -> Any:
    """A topic with its public dataset count."""
    topic = catalog.get_topic(_key(slug, f"Topik '{_shown(slug)}' tidak ditemukan."))
    return jsonify({"data": s.TopicSchema().dump(topic)})


@bp.get(P + "/licences")
def list_licences() -> Any:
    """Every licence, by title."""
    licences = catalog.list_licences()
    return jsonify({"data": s.LicenceSchema(many=True).dump(licences), "meta": {"total": len(licences)}})
