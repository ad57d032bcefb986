"""The REST API v1 over the demo catalogue (``client``): invariants that hold for any demo data,
and every response checked against the OpenAPI document."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.test_rest_openapi import _validator  # noqa: E402


@pytest.fixture(scope="module")
def document(demo_app: Any) -> dict[str, Any]:
    return dict(demo_app.test_client().get("/api/v1/openapi.json").json)


@pytest.fixture(scope="module")
def all_datasets(demo_app: Any) -> list[dict[str, Any]]:
    """Every public dataset, by walking the pages with the ``next`` links."""
    client = demo_app.test_client()
    items: list[dict[str, Any]] = []
    url: str | None = "/api/v1/datasets?per_page=25&sort=name"
    while url:
        body = client.get(url).json
        items += body["data"]
        url = body["links"]["next"]
    return items


def _valid(document: dict[str, Any], name: str, body: Any) -> None:
    errors = list(_validator(document, f"#/components/schemas/{name}").iter_errors(body))
    assert not errors, "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_demo_catalogue_is_listed_in_full(client: FlaskClient, all_datasets):
    total = client.get("/api/v1/datasets").json["meta"]["total"]
    assert total >= 40
    assert len(all_datasets) == total
    assert len({d["id"] for d in all_datasets}) == total


def test_demo_search_finds_penduduk(client: FlaskClient):
    body = client.get("/api/v1/datasets?q=penduduk").json
    assert body["meta"]["total"] >= 1
    assert all("penduduk" in (d["title"] + d["description"] + " ".join(d["tags"])).lower() for d in body["data"])


def test_demo_facets_and_counts_agree(client: FlaskClient, all_datasets):
    body = client.get("/api/v1/datasets").json
    assert len(body["facets"]["topic"]) >= 8
    orgs = client.get("/api/v1/organizations").json["data"]
    assert sum(o["dataset_count"] for o in orgs) == len(all_datasets)
    by_org = {v["value"]: v["count"] for v in body["facets"]["organization"]}
    assert by_org == {o["slug"]: o["dataset_count"] for o in orgs if o["dataset_count"]}
    topics = client.get("/api/v1/topics").json["data"]
    by_topic = {v["value"]: v["count"] for v in body["facets"]["topic"]}
    assert by_topic == {t["slug"]: t["dataset_count"] for t in topics if t["dataset_count"]}


def test_every_demo_dataset_and_resource_matches_the_document(client: FlaskClient, document, all_datasets):
    for item in all_datasets:
        resp = client.get(item["url"].removeprefix("http://localhost"))
        assert resp.status_code == 200, item["slug"]
        _valid(document, "DatasetResponse", resp.json)
        detail = resp.json["data"]
        assert detail["access_class"] == "publik"
        assert detail["versions"] and re.match(r"^\d{4}-\d\d-\d\dT.*Z$", detail["versions"][0]["created_at"])
        for res in detail["resources"]:
            assert res["download_url"].startswith("http")


def test_demo_tables_page_through_the_api(client: FlaskClient, document, all_datasets):
    checked = 0
    for item in all_datasets[:15]:
        for res in client.get(f"/api/v1/datasets/{item['slug']}/resources").json["data"]:
            if not res["rows_url"]:
                continue
            body = client.get(res["rows_url"].removeprefix("http://localhost") + "?limit=5").json
            _valid(document, "RowsResponse", body)
            assert body["meta"]["total"] == res["row_count"]
            assert [c["name"] for c in body["data"]["columns"]] == [c["name"] for c in res["columns"]]
            assert all(len(row) == len(body["data"]["columns"]) for row in body["data"]["rows"])
            checked += 1
    assert checked >= 5


def test_demo_organizations_topics_licences_match_the_document(client: FlaskClient, document):
    orgs = client.get("/api/v1/organizations").json
    _valid(document, "OrganizationList", orgs)
    for org in orgs["data"]:
        detail = client.get(f"/api/v1/organizations/{org['slug']}").json
        _valid(document, "OrganizationResponse", detail)
        for child in detail["data"]["children"]:
            assert client.get(child["url"].removeprefix("http://localhost")).json["data"]["parent"]["slug"] == org["slug"]
    topics = client.get("/api/v1/topics").json
    _valid(document, "TopicList", topics)
    for topic in topics["data"]:
        _valid(document, "TopicResponse", client.get(f"/api/v1/topics/{topic['slug']}").json)
    licences = client.get("/api/v1/licences").json
    _valid(document, "LicenceList", licences)
    assert licences["data"]


def test_demo_docs_examples_work(client: FlaskClient):
    html = client.get("/api/docs").get_data(as_text=True)
    examples = re.findall(r"<code>curl -s &#39;(http://localhost[^&]*?(?:&amp;[^&]*?)*)&#39;</code>", html)
    assert examples
    for example in examples:
        url = example.replace("&amp;", "&").removeprefix("http://localhost")
        assert client.get(url).status_code == 200, url
