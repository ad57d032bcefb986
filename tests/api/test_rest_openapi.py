"""The OpenAPI document of the REST API v1 and the browsable docs page: the document is valid
OpenAPI 3.1, names every /api/v1 route (the catalogue reads and the token-authenticated account
endpoints), parameter and error, and every real response matches the schema it documents."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from flask import current_app
from jsonschema import Draft202012Validator

from satudata.accounts import services as accounts
from satudata.accounts.models import OrganizationKind
from satudata.api.openapi import operations, type_label
from satudata.extensions import db
from tests.api.test_rest import build_catalogue
from tests.conftest import shared_data
from tests.factories import SYSTEM


# Built once for the module; a test that changes rows is marked ``writes`` (tests/conftest.py).
def _catalogue_with_copies() -> Any:
    """The REST tests' catalogue, its tables' query copies written (what the datastore's job
    does after validation), so /data and the docs page's examples read real tables."""
    from satudata.datastore import services as datastore
    from tests.usulan.conftest import file as file_suggestion

    built = build_catalogue()
    for resource in built.penduduk.resources + built.sekolah.resources:
        datastore.build_copy(resource)
    file_suggestion("pemprov-riau-uji")  # a citizen's data suggestion, for the usulan examples
    return built


app, cat, _shared = shared_data("rest_openapi", _catalogue_with_copies)



# The operations, as the routes declare them (there is no other table).
def _all() -> tuple[Any, ...]:
    return operations(current_app)


def _public() -> tuple[Any, ...]:
    return tuple(op for op in _all() if op.token is None)


@pytest.fixture()
def document(scratch_client: Any) -> dict[str, Any]:
    resp = scratch_client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return dict(resp.json)


def _rest_routes(app: Any) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every /api/v1 route of this API."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routes.add((method.lower(), path))
    return routes


# --------------------------------------------------------------------------- the document itself


def test_document_is_valid_openapi(document):
    from openapi_spec_validator import validate

    validate(document)


def test_document_is_openapi_3_1_with_server_and_info(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert "publik" in document["info"]["description"]
    assert document["servers"] == [{"url": "http://localhost", "description": "Server ini"}]


def test_every_route_is_documented_and_nothing_else(app, document):
    documented = {(method, path) for path, item in document["paths"].items() for method in item}
    assert documented == _rest_routes(app)


def test_every_path_parameter_is_documented(document):
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, op in item.items():
            params = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert params == names, (method, path)
            for p in op.get("parameters", []):
                assert p["description"], (path, p["name"])
                if p["in"] == "path":
                    assert p["required"] is True


def test_query_parameters_are_documented_with_limits(document):
    params = {p["name"]: p for p in document["paths"]["/api/v1/datasets"]["get"]["parameters"]}
    assert set(params) == {"q", "organization", "topic", "tag", "format", "year", "licence", "kode_wilayah",
                           "wilayah", "frequency", "sort", "page", "per_page"}
    assert params["per_page"]["schema"]["maximum"] == 1000
    assert params["per_page"]["schema"]["default"] == 20
    assert params["page"]["schema"]["minimum"] == 1
    assert params["sort"]["schema"]["enum"] == ["relevance", "newest", "modified", "name", "downloads"]
    assert params["sort"]["schema"]["default"] == "relevance"
    assert params["tag"]["schema"]["type"] == "array" and params["tag"]["explode"] is True
    assert "tahunan" in params["frequency"]["schema"]["items"]["enum"]
    rows = {p["name"]: p for p in document["paths"]["/api/v1/resources/{resource_id}/rows"]["get"]["parameters"]
            if p["in"] == "query"}
    assert set(rows) == {"offset", "limit"}
    assert rows["limit"]["schema"]["maximum"] == 1000 and rows["offset"]["schema"]["minimum"] == 0


def test_limits_follow_config(scratch_client, app):
    app.config["API_MAX_ROWS"] = 50
    app.config["PAGE_SIZE"] = 10
    try:
        doc = scratch_client.get("/api/v1/openapi.json").json
        params = {p["name"]: p for p in doc["paths"]["/api/v1/datasets"]["get"]["parameters"]}
        assert params["per_page"]["schema"]["maximum"] == 50
        assert params["per_page"]["schema"]["default"] == 10
    finally:
        app.config["API_MAX_ROWS"] = 1000
        app.config["PAGE_SIZE"] = 20


def test_every_operation_documents_its_errors(document):
    responses = document["components"]["responses"]
    success = {op.operation_id: op.status for op in _all()}
    for path, item in document["paths"].items():
        for op in item.values():
            codes = set(op["responses"])
            assert success[op["operationId"]] in codes and "default" in codes, path
            if op["security"]:
                assert "401" in codes, path
            if "{" in path:
                assert "404" in codes, path
            if any(p["in"] == "query" for p in op.get("parameters", [])):
                assert "422" in codes, path
            for code, resp in op["responses"].items():
                if code != success[op["operationId"]]:
                    name = resp["$ref"].rsplit("/", 1)[-1]
                    schema = responses[name]["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}
            assert op["summary"] and op["description"] and op["operationId"]
    assert "409" in document["paths"]["/api/v1/resources/{resource_id}/rows"]["get"]["responses"]


def test_bearer_security_scheme(document):
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    public = {op.operation_id for op in _public()}
    for item in document["paths"].values():
        for op in item.values():
            if op["operationId"] in public:
                assert op["security"] == []  # catalogue reads need no token
            else:
                assert op["security"] == [{"bearerAuth": []}]
                assert "token API" in op["description"]


def test_request_bodies_are_documented(document):
    create = document["paths"]["/api/v1/organizations"]["post"]["requestBody"]
    assert create["required"] is True
    body = create["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/OrganizationInput"}
    schema = document["components"]["schemas"]["OrganizationInput"]
    assert set(schema["required"]) == {"name", "kind"}
    assert "provinsi" in schema["properties"]["kind"]["enum"]
    assert "required" not in document["components"]["schemas"]["OrganizationPatch"]


def test_every_schema_and_field_is_described(document):
    for name, schema in document["components"]["schemas"].items():
        assert schema.get("description"), name
        if name in {op.body.name for op in _all() if op.body is not None}:  # the domains' form serializers
            continue
        for field, prop in schema.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field}"


def test_operation_table_matches_document(document):
    ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert ids == {op.operation_id for op in _all()}
    assert len(ids) == len(_all())


def test_type_labels():
    assert type_label({"type": ["integer", "null"]}) == ("integer | null", None)
    assert type_label({"type": "array", "items": {"$ref": "#/components/schemas/Topic"}}) == ("array<Topic>", "Topic")
    assert type_label({"anyOf": [{"$ref": "#/components/schemas/Licence"}, {"type": "null"}]}) == (
        "Licence | null", "Licence")
    assert type_label({"type": "string", "format": "date-time"}) == ("string (date-time)", None)
    assert type_label({"enum": ["a", "b", None]})[0] == "string: a, b | null"
    assert type_label({"enum": ["a"]})[0] == "string: a"


# --------------------------------------------------------------------------- real responses match the document


def _validator(document: dict[str, Any], ref: str) -> Draft202012Validator:
    """A JSON Schema validator for ``ref``; stricter than the document in one way: no
    undocumented property is allowed, so every field we send is documented."""
    components = copy.deepcopy(document["components"])
    for schema in components["schemas"].values():
        if "properties" in schema:
            schema["additionalProperties"] = False
    return Draft202012Validator({"$ref": ref, "components": components})


def _response_schema_ref(document: dict[str, Any], path: str, status: str, method: str = "get") -> str:
    op = document["paths"][path][method]
    resp = op["responses"].get(status) or op["responses"]["default"]
    if "$ref" in resp:
        resp = document["components"]["responses"][resp["$ref"].rsplit("/", 1)[-1]]
    return str(resp["content"]["application/json"]["schema"]["$ref"])


def _check(client: Any, document: dict[str, Any], template: str, url: str, status: int = 200) -> None:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.get_data(as_text=True)[:300])
    ref = _response_schema_ref(document, template, str(status))
    errors = sorted(_validator(document, ref).iter_errors(resp.json), key=str)
    assert not errors, f"{url}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.writes  # files an information request
def test_responses_match_their_schemas(scratch_client, cat, document):
    res = cat.penduduk.resources[0]
    cases = [
        ("/api/v1/", "/api/v1/"),
        ("/api/v1/datasets", "/api/v1/datasets"),
        ("/api/v1/datasets", "/api/v1/datasets?per_page=1&page=2&tag=penduduk"),
        ("/api/v1/datasets/{key}", f"/api/v1/datasets/{cat.penduduk.slug}"),
        ("/api/v1/datasets/{key}", f"/api/v1/datasets/{cat.laporan.id}"),
        ("/api/v1/datasets/{key}/resources", f"/api/v1/datasets/{cat.laporan.slug}/resources"),
        ("/api/v1/datasets/{key}/versions", f"/api/v1/datasets/{cat.penduduk.slug}/versions"),
        ("/api/v1/datasets/{key}/versions/{number}", f"/api/v1/datasets/{cat.laporan.slug}/versions/1"),
        ("/api/v1/resources/{resource_id}", f"/api/v1/resources/{res.id}"),
        ("/api/v1/resources/{resource_id}", f"/api/v1/resources/{cat.link.id}"),
        ("/api/v1/resources/{resource_id}/rows", f"/api/v1/resources/{res.id}/rows?limit=1&offset=1"),
        ("/api/v1/resources/{resource_id}/data", f"/api/v1/resources/{res.id}/data?limit=1&offset=1&sort=_id%20desc"),
        ("/api/v1/organizations", "/api/v1/organizations"),
        ("/api/v1/organizations/{slug}", "/api/v1/organizations/pemprov-riau-uji"),
        ("/api/v1/organizations/{slug}", "/api/v1/organizations/dinkes-riau-uji"),
        ("/api/v1/topics", "/api/v1/topics"),
        ("/api/v1/topics/{slug}", "/api/v1/topics/kesehatan"),
        ("/api/v1/licences", "/api/v1/licences"),
        ("/api/v1/daftar-data", "/api/v1/daftar-data?year=2026"),
        ("/api/v1/kinerja", "/api/v1/kinerja?year=2026"),
        ("/api/v1/datasets/{slug}/metadata-statistik", f"/api/v1/datasets/{cat.penduduk.slug}/metadata-statistik"),
        ("/api/v1/ppid/register", "/api/v1/ppid/register"),
    ]
    filed = scratch_client.post("/api/v1/ppid/requests", json={
        "applicant_type": "perorangan", "name": "Siti Aminah", "nik": "1471024503900007", "email": "s@contoh.id",
        "address": "Pekanbaru", "information": "Daftar puskesmas dan alamatnya", "purpose": "Penelitian",
        "obtain_method": "salinan_softcopy", "copy_method": "email"})
    assert filed.status_code == 201, filed.json
    ref = _response_schema_ref(document, "/api/v1/ppid/requests", "201", "post")
    assert not list(_validator(document, ref).iter_errors(filed.json))
    tracking = filed.json["data"]["tracking_url"]
    cases.append(("/api/v1/ppid/requests/{number}", "/api/v1/ppid/requests/" + filed.json["data"]["number"]
                  + "?secret=" + tracking.split("kode=")[1]))
    cases.append(("/api/v1/ppid/requests", ""))
    from satudata.usulan.services import list_public

    suggestion = list_public(per_page=1)[0][0]  # the catalogue's data suggestion (usulan)
    cases += [("/api/v1/usulan-data", "/api/v1/usulan-data"),
              ("/api/v1/usulan-data/{suggestion_id}", f"/api/v1/usulan-data/{suggestion.id}")]
    for template, url in cases:
        if url:
            _check(scratch_client, document, template, url)
    public = {op.full_path for op in _public()}
    assert {t for t, _ in cases} == public - {"/api/v1/openapi.json"}


def test_error_responses_match_their_schemas(scratch_client, cat, document):
    _check(scratch_client, document, "/api/v1/datasets", "/api/v1/datasets?page=0", 422)
    _check(scratch_client, document, "/api/v1/datasets", "/api/v1/datasets?page=9", 404)
    _check(scratch_client, document, "/api/v1/datasets/{key}", "/api/v1/datasets/tidak-ada", 404)
    _check(scratch_client, document, "/api/v1/datasets/{key}", f"/api/v1/datasets/{cat.withdrawn.slug}", 410)
    _check(scratch_client, document, "/api/v1/datasets/{key}/versions/{number}",
           f"/api/v1/datasets/{cat.penduduk.slug}/versions/9", 404)
    _check(scratch_client, document, "/api/v1/resources/{resource_id}/rows",
           f"/api/v1/resources/{cat.pdf.id}/rows", 409)
    resp = scratch_client.post("/api/v1/datasets")
    assert resp.status_code == 405
    assert not list(_validator(document, "#/components/schemas/Error").iter_errors(resp.json))


# --------------------------------------------------------------------------- the docs page


def test_docs_page_lists_every_endpoint(scratch_client, cat, document):
    resp = scratch_client.get("/api/docs")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "Dokumentasi API" in html
    for path, item in document["paths"].items():
        for method, op in item.items():
            assert f'id="{op["operationId"]}"' in html
            assert f"{method.upper()}</span> <code class=\"api-path\">{path}</code>" in html
            for p in op.get("parameters", []):
                assert f"<code>{p['name']}</code>" in html
    # Response fields, with their descriptions, and the schemas they refer to.
    for field in ("download_url", "rows_url", "konsep", "jadwal rilis".capitalize(), "dataset_count"):
        assert field in html
    assert 'href="#skema-datasetsummary"' in html and 'id="skema-datasetsummary"' in html
    # Errors and the bearer scheme are explained.
    assert "422" in html and "409" in html and "bearerAuth" in html


def test_docs_page_curl_examples_use_real_public_objects(scratch_client, cat):
    html = scratch_client.get("/api/docs").get_data(as_text=True)
    examples = re.findall(r"<code>curl -s &#39;(http://localhost[^&]*?(?:&amp;[^&]*?)*)&#39;</code>", html)
    # A public read's example runs as it is; one needing what only its user has (an applicant's
    # tracking code) shows a placeholder, and a write shows its -X method: neither is run here.
    assert len(examples) == len([op for op in _public() if op.method == "get" and op.example_runs])
    hidden = {ds.slug for ds in cat.hidden}
    for example in examples:
        url = example.replace("&amp;", "&").removeprefix("http://localhost")
        assert not any(slug in url for slug in hidden)
        resp = scratch_client.get(url)
        assert resp.status_code == 200, url


def test_docs_page_without_any_dataset_still_renders(scratch_client):
    resp = scratch_client.get("/api/docs")
    assert resp.status_code == 200
    assert "curl -s" in resp.get_data(as_text=True)


def test_docs_page_has_no_inline_script_or_style(scratch_client, cat):
    html = scratch_client.get("/api/docs").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert "http://cdn" not in html and "https://cdn" not in html


# --------------------------------------------------------------------------- account endpoints


@pytest.fixture()
def admin_token(app: Any) -> tuple[Any, str]:
    home = accounts.create_organization(SYSTEM, slug="diskominfotik-uji", name="Diskominfotik Uji",
                                        kind=OrganizationKind.OPD, is_walidata=True)
    admin = accounts.create_user(SYSTEM, username="admin.uji", email="admin@uji.go.id", full_name="Admin Uji",
                                 password="kata-sandi-uji-123", roles=[("admin", home)])
    _, secret = accounts.create_api_token(admin, admin, "uji", "write")
    db.session.commit()
    return admin, secret


def _check_call(client: Any, document: dict[str, Any], method: str, template: str, url: str, status: int,
                token: str | None, body: dict[str, Any] | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = client.open(url, method=method.upper(), headers=headers, json=body)
    assert resp.status_code == status, (method, url, resp.get_data(as_text=True)[:300])
    ref = _response_schema_ref(document, template, str(status), method)
    errors = sorted(_validator(document, ref).iter_errors(resp.json), key=str)
    assert not errors, f"{method} {url}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return resp.json


@pytest.mark.writes
def test_account_responses_match_their_schemas(scratch_client, document, admin_token):
    admin, token = admin_token
    c, d = scratch_client, document
    _check_call(c, d, "get", "/api/v1/me", "/api/v1/me", 200, token)
    tokens = _check_call(c, d, "get", "/api/v1/tokens", "/api/v1/tokens", 200, token)["data"]
    _check_call(c, d, "get", "/api/v1/users", "/api/v1/users", 200, token)
    _check_call(c, d, "get", "/api/v1/audit", "/api/v1/audit?action=user.", 200, token)
    _check_call(c, d, "post", "/api/v1/organizations", "/api/v1/organizations", 201, token,
                {"slug": "dinkes-dumai-uji", "name": "Dinas Kesehatan Kota Dumai", "kind": "opd",
                 "parent": "diskominfotik-uji"})
    _check_call(c, d, "patch", "/api/v1/organizations/{slug}", "/api/v1/organizations/dinkes-dumai-uji", 200, token,
                {"email": "dinkes@dumaikota.go.id"})
    user = _check_call(c, d, "post", "/api/v1/users", "/api/v1/users", 201, token,
                       {"username": "budi.uji", "email": "budi@uji.go.id", "full_name": "Budi Santoso",
                        "role": "produsen", "organization": "dinkes-dumai-uji"})["data"]
    uid = user["id"]
    roles = _check_call(c, d, "post", "/api/v1/users/{user_id}/roles", f"/api/v1/users/{uid}/roles", 201, token,
                        {"role": "ppid_pelaksana", "organization": "dinkes-dumai-uji"})["data"]["roles"]
    _check_call(c, d, "delete", "/api/v1/users/{user_id}/roles/{membership_id}",
                f"/api/v1/users/{uid}/roles/{roles[-1]['id']}", 200, token)
    _check_call(c, d, "post", "/api/v1/users/{user_id}/deactivate", f"/api/v1/users/{uid}/deactivate", 200, token)
    _check_call(c, d, "post", "/api/v1/users/{user_id}/activate", f"/api/v1/users/{uid}/activate", 200, token)
    # Errors have the documented shape too.
    _check_call(c, d, "get", "/api/v1/me", "/api/v1/me", 401, None)
    _check_call(c, d, "post", "/api/v1/users", "/api/v1/users", 422, token, {"username": "x"})
    _check_call(c, d, "delete", "/api/v1/tokens/{token_id}", f"/api/v1/tokens/{tokens[0]['id']}", 200, token)


def test_every_account_operation_is_exercised_above(app):
    exercised = {"getMe", "listTokens", "listUsers", "listAudit", "createOrganization", "updateOrganization",
                 "createUser", "assignRole", "removeRole", "deactivateUser", "activateUser", "revokeToken"}
    public_reads = {"listOrganizations", "getOrganization"}  # checked with the catalogue reads above
    assert exercised | public_reads == {op.operation_id for op in _all() if op.endpoint.startswith("accounts_api.")}


def test_docs_page_shows_token_endpoints_with_curl(scratch_client):
    html = scratch_client.get("/api/docs").get_data(as_text=True)
    assert "Perlu token API (cakupan write)" in html
    assert "-X POST &#39;http://localhost/api/v1/organizations&#39;" in html
    assert "-H &#39;Authorization: Bearer &lt;token&gt;&#39;" in html
    assert 'href="#skema-organizationinput"' in html


# --------------------------------------------------------------------------- one shape per resource

Z_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _timestamps(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every ``*_at`` / ``at`` string in a JSON value, with its key."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if (k == "at" or k.endswith("_at")) and isinstance(v, str):
                found.append((k, v))
            else:
                found.extend(_timestamps(v, k))
    elif isinstance(value, list):
        for item in value:
            found.extend(_timestamps(item, key))
    return found


@pytest.mark.writes
def test_one_organization_shape_for_reads_and_writes(scratch_client, admin_token):
    _admin, token = admin_token
    auth = {"Authorization": f"Bearer {token}"}
    created = scratch_client.post("/api/v1/organizations", headers=auth, json={
        "slug": "bapenda-uji", "name": "Badan Pendapatan Uji", "kind": "opd", "parent": "diskominfotik-uji"})
    assert created.status_code == 201, created.json
    patched = scratch_client.patch("/api/v1/organizations/bapenda-uji", headers=auth, json={"acronym": "Bapenda"})
    read = scratch_client.get("/api/v1/organizations/bapenda-uji")
    listed = next(o for o in scratch_client.get("/api/v1/organizations").json["data"] if o["slug"] == "bapenda-uji")
    shapes = [created.json["data"], patched.json["data"], read.json["data"], listed]
    assert all(set(s) == set(shapes[0]) for s in shapes)
    assert all(s["parent"]["slug"] == "diskominfotik-uji" and s["parent"]["url"].endswith("/diskominfotik-uji")
               for s in shapes)
    assert patched.json["data"]["acronym"] == read.json["data"]["acronym"] == "Bapenda"
    parent = scratch_client.get("/api/v1/organizations/diskominfotik-uji").json["data"]
    assert [c["slug"] for c in parent["children"]] == ["bapenda-uji"]
    # The slug is the organisation's address: a PATCH cannot change it silently.
    moved = scratch_client.patch("/api/v1/organizations/bapenda-uji", headers=auth, json={"slug": "lain"})
    assert moved.status_code == 422 and "slug" in moved.json["error"]["details"]


@pytest.mark.writes
def test_every_timestamp_is_utc_with_z(scratch_client, admin_token):
    _admin, token = admin_token
    auth = {"Authorization": f"Bearer {token}"}
    scratch_client.post("/api/v1/organizations", headers=auth, json={"slug": "uji-waktu", "name": "Uji Waktu",
                                                                     "kind": "opd"})
    seen = []
    for url in ("/api/v1/me", "/api/v1/tokens", "/api/v1/users", "/api/v1/audit", "/api/v1/organizations"):
        body = scratch_client.get(url, headers=auth).json
        seen.extend(_timestamps(body))
    assert {k for k, _ in seen} >= {"created_at", "updated_at", "last_used_at", "at"}
    assert all(Z_TIMESTAMP.match(v) for _, v in seen), [s for s in seen if not Z_TIMESTAMP.match(s[1])]


def test_public_reads_are_open_to_every_origin_and_token_reads_are_not(scratch_client, cat):
    assert scratch_client.get("/api/v1/datasets").headers.get("Access-Control-Allow-Origin") == "*"
    assert scratch_client.get("/api/v1/organizations").headers.get("Access-Control-Allow-Origin") == "*"
    assert "Access-Control-Allow-Origin" not in scratch_client.get("/api/v1/me").headers
    assert "Access-Control-Allow-Origin" not in scratch_client.get("/api/v1/workspace/datasets").headers


def test_each_domain_declares_its_own_routes(app):
    """The REST API's routes live in the domains' api.py; satudata/api/ only mounts them and
    serves the index and the OpenAPI document."""
    homes = {op.endpoint.split(".")[0] for op in _all()}
    assert homes == {"catalog_api", "accounts_api", "workspace_api", "review_api", "daftar_api", "statistik_api", "datastore_api", "ppid_api",
                     "ppid_officer_api", "harvest_api", "usulan_api", "kinerja_api", "rest"}
    assert {op.operation_id for op in _all() if op.endpoint.startswith("rest.")} == {"getIndex", "getOpenApi"}
    for op in _all():
        view = app.view_functions[op.endpoint]
        # A domain's api.py, or a second API module of it named <something>_api.py (review_api.py).
        assert view.__module__.endswith((".api", "_api")) or view.__module__ == "satudata.api.rest", op.endpoint
