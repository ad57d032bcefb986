"""REST API v1 (``/api/v1/...``): mounts each domain's ``api.py``, and serves what belongs to
no domain: the index, the OpenAPI document assembled from the routes, and the browsable docs at
``/api/docs``.

The domains' endpoints live with their domains (``accounts/api.py``: organisations, accounts,
audit; ``catalog/api.py``: datasets, resources, versions, rows, topics, licences;
``review/api.py``: the producer's workspace; ``review/review_api.py``: the walidata's review;
``harvest/api.py``: harvest sources, their runs and results),
each with its serializers and its OpenAPI metadata on the route. Domain errors become
``{"error": {...}}`` in ``errors.py``; the request commits what the services did.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from marshmallow import Schema, fields

from satudata.accounts import api as accounts_api
from satudata.api import openapi
from satudata.catalog import api as catalog_api
from satudata.catalog import services as catalog
from satudata.datastore import api as datastore_api
from satudata.datastore import services as datastore
from satudata.extensions import csrf
from satudata.harvest import api as harvest_api
from satudata.kinerja import api as kinerja_api
from satudata.ppid import api as ppid_api
from satudata.ppid import officer_api as ppid_officer_api
from satudata.rest.docs import doc_of, documented
from satudata.rest.envelope import API_PREFIX, absolute, api_url, envelope, response_schema
from satudata.rest.fields import URI
from satudata.review import api as workspace_api
from satudata.review import review_api
from satudata.review.daftar import api as daftar_api
from satudata.review.statistik import api as statistik_api
from satudata.search import services as search
from satudata.security import public_url
from satudata.usulan import api as usulan_api
from satudata.usulan import services as usulan

bp = Blueprint("rest", __name__)

# Each domain's REST endpoints, in the order the document lists them.
DOMAIN_APIS = (catalog_api.bp, accounts_api.bp, workspace_api.bp, review_api.bp, daftar_api.bp, statistik_api.bp,
               datastore_api.bp, ppid_api.bp, ppid_officer_api.bp, harvest_api.bp, usulan_api.bp, kinerja_api.bp)


def register(app: Flask) -> None:
    """Mount the REST API: this blueprint and every domain's. They take no cookies for writes
    (bearer tokens only), so they need no CSRF token."""
    for blueprint in (bp, *DOMAIN_APIS):
        app.register_blueprint(blueprint)
        csrf.exempt(blueprint)


@bp.after_app_request
def _allow_cross_origin_reads(resp: Response) -> Response:
    """Public open data: any web page may read it (no cookies are involved in reads). Only the
    public operations: account and workspace reads need a token and stay same-origin."""
    if request.path.startswith(API_PREFIX + "/") and request.method in ("GET", "HEAD"):
        doc = doc_of(current_app.view_functions.get(request.endpoint or ""))
        if doc is not None and doc.token is None:
            resp.headers.setdefault("Access-Control-Allow-Origin", "*")
    return resp


CONDITIONAL_PREFIXES = (API_PREFIX + "/", "/api/3/action/")


@bp.after_app_request
def _conditional_reads(resp: Response) -> Response:
    """An ETag on every whole JSON read of the REST and CKAN APIs, so a client that asks again
    with ``If-None-Match`` (harvesters, dashboards, caches) gets ``304 Not Modified`` and no body
    when nothing changed (the DCAT feeds do the same in ``api/dcat.py``). Streamed downloads keep
    none: their body is not at hand to hash."""
    if (request.method in ("GET", "HEAD") and resp.status_code == 200 and not resp.is_streamed
            and resp.mimetype == "application/json" and request.path.startswith(CONDITIONAL_PREFIXES)
            and "ETag" not in resp.headers):
        resp.add_etag()
        resp.make_conditional(request)
    return resp


class IndexDataSchema(Schema):
    """Where to start."""

    class Meta:
        description = "Titik awal API."

    name = fields.String(metadata={"description": "Nama portal."})
    version = fields.String(metadata={"description": "Versi API."})
    openapi = fields.String(metadata={**URI, "description": "Dokumen OpenAPI."})
    docs = fields.String(metadata={**URI, "description": "Dokumentasi yang dapat dibaca."})
    datasets = fields.String(metadata={**URI, "description": "Daftar dataset."})
    organizations = fields.String(metadata={**URI, "description": "Daftar organisasi."})
    topics = fields.String(metadata={**URI, "description": "Daftar topik."})
    licences = fields.String(metadata={**URI, "description": "Daftar lisensi."})


IndexResponse = response_schema("IndexResponse", "Respons GET /api/v1/.",
                                fields.Nested(IndexDataSchema, metadata={"description": "Alamat bagian-bagian API."}))


@bp.get(API_PREFIX + "/")
@documented(operation_id="getIndex", tag="Umum", summary="Titik awal API",
            description="Alamat daftar-daftar utama, dokumen OpenAPI dan dokumentasi.",
            response=IndexResponse, response_description="Tautan ke bagian-bagian API.")
def index() -> Any:
    return envelope(IndexDataSchema().dump({
        "name": str(current_app.config["SITE_NAME"]),
        "version": "v1",
        "openapi": api_url("/openapi.json"),
        "docs": absolute("/api/docs"),
        "datasets": api_url("/datasets"),
        "organizations": api_url("/organizations"),
        "topics": api_url("/topics"),
        "licences": api_url("/licences"),
    }))


@bp.get(API_PREFIX + "/openapi.json")
@documented(operation_id="getOpenApi", tag="Umum", summary="Dokumen OpenAPI",
            description="Dokumen OpenAPI 3.1 ini: semua endpoint, parameter, respons dan galat.",
            response=None, response_description="Dokumen OpenAPI (JSON).")
def openapi_document() -> Any:
    return jsonify(openapi.build_spec(current_app, public_url()))


def _doc_samples() -> dict[str, str]:
    """Real slugs and ids for the curl examples of the docs page, when there are any."""
    samples: dict[str, str] = {}
    suggestions, _total = usulan.list_public(per_page=1)
    if suggestions:
        samples["suggestion_id:Usulan data"] = str(suggestions[0].id)
    found = search.find_public_datasets(catalog.DatasetQuery.of(sort="newest", per_page=20))
    if not found.items:
        return samples
    first = found.items[0]
    samples["key:Dataset"] = samples["key:Sumber data"] = first.slug
    # The statistical metadata's example needs a statistik sektoral dataset (review/statistik).
    samples["slug:Dataset"] = next((ds.slug for ds in found.items if ds.data_kind == "statistik_sektoral"), first.slug)
    samples["slug:Organisasi"] = first.organization.slug
    topic = next((t for ds in found.items for t in ds.topics), None)
    if topic is not None:
        samples["slug:Topik"] = topic.slug
    # The resource examples include /rows and /data, so prefer a table both can page through.
    resources = [r for ds in found.items for r in ds.resources]
    readable = ([r for r in resources if r.is_queryable and datastore.has_copy(r)]
                or [r for r in resources if r.is_queryable] or resources)
    if readable:
        samples["resource_id:Sumber data"] = readable[0].id
    return samples


@bp.get("/api/docs")
def docs() -> Any:
    """Browsable documentation, rendered from the OpenAPI document (no scripts)."""
    document = openapi.build_spec(current_app, public_url())
    context = openapi.docs_context(current_app, document, public_url("/"), _doc_samples())
    return render_template("api/docs.html", **context)
