"""Every public page over the demo catalogue renders, hides what is not public, and survives
bad input. Read-only: downloads here use HEAD and ``Range`` requests, which are not counted."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from satudata.accounts.models import Organization
from satudata.catalog.models import Dataset, Topic
from satudata.catalog.services import public_filter
from satudata.catalog.storage import get_store
from satudata.extensions import db
from tests.catalog.test_views import assert_error_page, jsonld, parse, text, translations_compiled  # noqa: F401


@pytest.fixture(scope="module")
def demo(demo_app: Flask) -> dict[str, Any]:
    """Plain values about the demo catalogue (no ORM objects outlive the context)."""
    with demo_app.app_context():
        public = list(db.session.scalars(select(Dataset).where(public_filter()).order_by(Dataset.slug)))
        hidden = list(db.session.scalars(select(Dataset).where(~public_filter())))
        return {
            "public": [(d.slug, d.title, [(r.id, r.sha256, r.filename, r.media_type, r.url, r.format)
                                          for r in d.resources]) for d in public],
            "hidden": [(d.slug, d.title, [r.id for r in d.resources]) for d in hidden],
            "orgs": list(db.session.scalars(select(Organization.slug))),
            "topics": list(db.session.scalars(select(Topic.slug))),
            "files": {r.sha256: get_store().path(r.sha256).read_bytes()
                      for d in public for r in d.resources if r.sha256},
        }


def test_demo_has_hidden_datasets_to_check(demo: dict[str, Any]) -> None:
    assert len(demo["public"]) >= 40 and demo["hidden"]


def test_home_and_lists_render(client: FlaskClient, demo: dict[str, Any]) -> None:
    for url in ("/", "/dataset", "/organization", "/group", "/dataset?sort=downloads", "/dataset?sort=name"):
        resp = client.get(url)
        assert resp.status_code == 200, url
    home = text(client.get("/"))
    assert home.count('class="dataset-card"') == 12  # six newest, six most downloaded
    assert home.count('class="topic-tile"') == len(demo["topics"])
    assert f'<span class="stat-number">{len(demo["public"])}</span>' in home


def test_every_public_dataset_page_renders(client: FlaskClient, demo: dict[str, Any]) -> None:
    for slug, title, resources in demo["public"]:
        resp = client.get(f"/dataset/{slug}")
        assert resp.status_code == 200, slug
        body = text(resp)
        assert f"<h1>{title}</h1>".replace("&", "&amp;") in body or title in body, slug
        doc = jsonld(body)
        assert doc["@type"] == "Dataset" and doc["name"] == title
        assert len(doc["distribution"]) == len(resources)
        for rid, *_ in resources:
            assert f'/dataset/{slug}/resource/{rid}/download"' in body
        csv = [r for r in resources if r[5] == "CSV" and r[1]]
        if csv:
            preview = body.split('class="data-table"')[1].split("</table>")[0]
            assert "<tbody>" in preview and "<td" in preview, slug
        for script in parse(body).scripts:
            if script["attrs"].get("type") == "application/json":
                spec = json.loads(script["text"])
                assert spec["type"] in ("bar", "line") and spec["labels"] and spec["series"]


def test_every_resource_page_renders(client: FlaskClient, demo: dict[str, Any]) -> None:
    for slug, _title, resources in demo["public"]:
        for rid, *_ in resources:
            assert client.get(f"/dataset/{slug}/resource/{rid}").status_code == 200, (slug, rid)


def test_every_organization_and_topic_page_renders(client: FlaskClient, demo: dict[str, Any]) -> None:
    for slug in demo["orgs"]:
        assert client.get(f"/organization/{slug}").status_code == 200, slug
    for slug in demo["topics"]:
        assert client.get(f"/group/{slug}").status_code == 200, slug


def test_hidden_datasets_never_appear(client: FlaskClient, demo: dict[str, Any]) -> None:
    pages = [text(client.get(url)) for url in ("/", "/dataset?sort=name", "/dataset?sort=name&page=2",
                                               "/dataset?sort=name&page=3")]
    pages += [text(client.get(f"/organization/{slug}")) for slug in demo["orgs"]]
    for slug, title, resource_ids in demo["hidden"]:
        assert_error_page(client.get(f"/dataset/{slug}"), 404)
        for rid in resource_ids:
            assert client.get(f"/dataset/{slug}/resource/{rid}").status_code == 404
            assert client.get(f"/dataset/{slug}/resource/{rid}/download").status_code == 404
        for page in pages:
            assert f'href="/dataset/{slug}"' not in page and title not in page
        found = text(client.get("/dataset", query_string={"q": title})).split("<main")[1]
        assert f'href="/dataset/{slug}"' not in found


def test_search_penduduk(client: FlaskClient) -> None:
    body = text(client.get("/dataset?q=penduduk"))
    # The search box holds the query, so look at the result cards only: each shows the word (in
    # its title or excerpt, highlighted), and the population tables of the demo regions are there.
    cards = re.findall(r'<article class="dataset-card">(.*?)</article>', body, re.S)
    assert cards and all("penduduk" in re.sub(r"</?mark>", "", card).lower() for card in cards), cards
    slugs = re.findall(r'class="dataset-card-title"><a href="/dataset/([^"]+)">', body)
    assert len(slugs) == len(cards) and any(slug.startswith("penduduk-kecamatan-jenis-kelamin-") for slug in slugs)
    assert 'class="facet-link' in body


def test_list_pages_through_the_whole_catalogue(client: FlaskClient, demo: dict[str, Any]) -> None:
    total = len(demo["public"])
    pages = -(-total // 20)
    seen: list[str] = []
    for n in range(1, pages + 1):
        body = text(client.get(f"/dataset?sort=name&page={n}"))
        seen += re.findall(r'class="dataset-card-title"><a href="/dataset/([^"]+)"', body)
    assert sorted(seen) == sorted(slug for slug, _, _ in demo["public"])
    past = client.get(f"/dataset?sort=name&page={pages + 1}")
    assert past.status_code == 404 and f"Ke halaman terakhir ({pages})" in text(past)


def test_download_headers_and_bytes(client: FlaskClient, demo: dict[str, Any]) -> None:
    slug, _title, resources = next(d for d in demo["public"] if any(r[1] for r in d[2]))
    rid, sha, filename, media_type, _url, _fmt = next(r for r in resources if r[1])
    url = f"/dataset/{slug}/resource/{rid}/download"
    data = demo["files"][sha]
    with client.head(url) as head:
        assert head.status_code == 200
        assert head.headers["Content-Length"] == str(len(data))
        assert head.headers["Content-Type"].startswith(media_type)
        assert head.headers["Content-Disposition"] == f"attachment; filename={filename}"
    with client.get(url, headers={"Range": "bytes=0-"}) as resp:
        assert resp.status_code == 206 and resp.get_data() == data


def test_english(client: FlaskClient, demo: dict[str, Any]) -> None:
    body = text(client.get("/?lang=en"))
    assert '<html lang="en">' in body and "Explore by topic" in body and "Population" in body
    slug = demo["public"][0][0]
    page = text(client.get(f"/dataset/{slug}"))
    assert "Data producer" in page and "Use the API" in page


@pytest.mark.parametrize("query", [
    "page=abc", "page=0", "page=-5", "page=1e3", "page=99999", "page=" + "9" * 40, "sort=%27", "year=20x5",
    "q=" + "a" * 5000, "q=%00", "q=%F0%9F%98%80", "organization=%27%3B--", "format=%25", "licence=" + "x" * 500,
    "tag=a&tag=b&tag=c", "topic=" + "%ff" * 10, "lang=xx",
])
@pytest.mark.parametrize("path", ["/dataset", "/organization/{org}", "/group/{topic}",
                                  "/dataset/{slug}/resource/{rid}", "/", "/dataset/{slug}"])
def test_bad_input_is_never_a_500(client: FlaskClient, demo: dict[str, Any], path: str, query: str) -> None:
    slug, _title, resources = demo["public"][0]
    url = path.format(org=demo["orgs"][0], topic=demo["topics"][0], slug=slug, rid=resources[0][0])
    resp = client.get(f"{url}?{query}")
    assert resp.status_code in (200, 400, 404), (url, query, resp.status_code)
    assert resp.mimetype == "text/html"
    if resp.status_code == 400:
        assert_error_page(resp, 400)
