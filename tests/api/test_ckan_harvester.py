"""ckanext-harvest's CKAN harvester against the live demo portal, call for call.

``CKANHarvester`` (ckanext/harvest/harvesters/ckanharvester.py) gathers with
``GET /api/3/action/package_search?rows=100&start=0&sort=id asc`` and ``fq`` built from its
config (``organization:a OR organization:b`` to include, ``-organization:x`` to exclude, the same
with ``groups:``), and after a successful job only ``metadata_modified:[<last gather - 1h>Z TO *]``
(Python's ``isoformat()`` of a naive UTC time, with microseconds); it pages by adding ``rows`` to
``start`` until a page is empty, and gives up when a page repeats the previous one. Importing
with ``remote_orgs``/``remote_groups`` it asks ``organization_show?id=<owner_org>`` and
``group_show?id=<group id>``. Every dataset must then pass CKAN's own validators."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlencode

import requests

from tests.api.test_ckan_demo import _ckan_problems, demo_url  # noqa: F401  (fixture)


def _get(url: str) -> dict[str, Any]:
    resp = requests.get(url, timeout=30)
    assert resp.status_code == 200, (url, resp.text[:300])
    body = json.loads(resp.text)
    assert body["success"] is True
    return body["result"]


def _search_for_datasets(base: str, fq_terms: list[str] | None = None, rows: str = "100") -> list[dict[str, Any]]:
    """``CKANHarvester._search_for_datasets``, step for step."""
    params = {"rows": rows, "start": "0", "sort": "id asc"}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    found: list[dict[str, Any]] = []
    ids: set[str] = set()
    previous = None
    while True:
        url = base + "/api/3/action/package_search?" + urlencode(params)
        content = requests.get(url, timeout=30).text
        assert content != previous, f"the paging doesn't seem to work: {url}"
        previous = content
        page = json.loads(content)["result"]["results"]
        assert not ({p["id"] for p in page} & ids), "a dataset came twice while nothing changed"
        ids |= {p["id"] for p in page}
        found.extend(page)
        if not page:
            return found
        params["start"] = str(int(params["start"]) + int(params["rows"]))


def test_a_ckan_harvester_gathers_everything_then_only_what_changed(demo_url: str) -> None:  # noqa: F811
    names = _get(demo_url + "/api/3/action/package_list")
    everything = _search_for_datasets(demo_url)
    assert sorted(p["name"] for p in everything) == names and len(names) >= 40
    assert [p["id"] for p in everything] == sorted(p["id"] for p in everything)  # sort=id asc
    assert sorted(p["name"] for p in _search_for_datasets(demo_url, rows="7")) == names  # smaller pages agree
    bad = {p["name"]: problems for p in everything if (problems := _ckan_problems(p))}
    assert bad == {}

    # The next job: only what changed since the last gather (an hour earlier, to be safe).
    newest = max(datetime.datetime.fromisoformat(p["metadata_modified"]) for p in everything)
    since = (newest + datetime.timedelta(seconds=1) - datetime.timedelta(hours=1)).isoformat()
    changed = _search_for_datasets(demo_url, [f"metadata_modified:[{since}Z TO *]"])
    expected = {p["name"] for p in everything
                if datetime.datetime.fromisoformat(p["metadata_modified"]) >= datetime.datetime.fromisoformat(since)}
    assert {p["name"] for p in changed} == expected
    future = (datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(days=1)).isoformat()
    assert _search_for_datasets(demo_url, [f"metadata_modified:[{future}Z TO *]"]) == []


def test_organisation_and_group_filters_and_the_remote_orgs_lookups(demo_url: str) -> None:  # noqa: F811
    everything = _search_for_datasets(demo_url)
    by_org: dict[str, set[str]] = {}
    for p in everything:
        by_org.setdefault(p["organization"]["name"], set()).add(p["name"])
    two = sorted(by_org)[:2]
    included = _search_for_datasets(demo_url, [" OR ".join(f"organization:{o}" for o in two)])
    assert {p["name"] for p in included} == by_org[two[0]] | by_org[two[1]]
    excluded = _search_for_datasets(demo_url, [f"-organization:{two[0]}"])
    assert {p["name"] for p in excluded} == {p["name"] for p in everything} - by_org[two[0]]
    group = everything[0]["groups"][0]["name"]
    in_group = _search_for_datasets(demo_url, [f"groups:{group}"])
    assert {p["name"] for p in in_group} == {p["name"] for p in everything if group in {g["name"] for g in p["groups"]}}

    # remote_orgs / remote_groups = create: the harvester looks each one up by the id it was given.
    for p in everything[:10]:
        org = _get(demo_url + "/api/3/action/organization_show?id=" + p["owner_org"])
        assert org["id"] == p["owner_org"] and org["name"] == p["organization"]["name"]
        for g in p["groups"]:
            assert _get(demo_url + "/api/3/action/group_show?id=" + g["id"])["name"] == g["name"]
