"""Issue #16, load suite: 200 concurrent searches against a real gunicorn on the demo data.

Every request is answered 200 (none lost, none a server error or a dropped connection), and
each API answer counts the same datasets as the same query asked alone.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from flask import Flask

from tests.fault.conftest import Processes, serve

pytestmark = pytest.mark.fault

REQUESTS = 200
THREADS = 32
WORDS = ("penduduk", "kesehatan", "sekolah", "jalan", "pekanbaru", "kemiskinan", "air", "padi", "zzzz-tidak-ada")


def _queries(base: str) -> list[str]:
    """A mix of the portal's search page, CKAN package_search (facets, fq, paging) and REST."""
    everything = requests.get(base + "/api/3/action/package_search", timeout=60, params={
        "rows": 0, "facet.field": json.dumps(["organization", "groups", "res_format", "tags"])}).json()["result"]
    orgs = sorted(everything["facets"]["organization"]) or [""]
    groups = sorted(everything["facets"]["groups"]) or [""]
    paths = []
    for i, word in enumerate(WORDS):
        org, group = orgs[i % len(orgs)], groups[i % len(groups)]
        paths += [
            "/dataset?" + urlencode({"q": word}),
            "/dataset?" + urlencode({"q": word, "organization": org, "format": "CSV"}),
            "/api/3/action/package_search?" + urlencode({
                "q": word, "rows": 5, "facet.field": json.dumps(["organization", "groups", "tags"])}),
            "/api/3/action/package_search?" + urlencode({"q": word, "fq": f"organization:{org}", "sort": "score desc"}),
            "/api/3/action/package_search?" + urlencode({"fq": f"groups:{group}", "start": 1, "rows": 3}),
            "/api/v1/datasets?" + urlencode({"q": word}),
            "/api/v1/datasets?" + urlencode({"q": word, "per_page": 5, "sort": "name"}),
        ]
    return [paths[i % len(paths)] for i in range(REQUESTS)]


def _count(path: str, body: bytes) -> Any:
    """What an answer found: the CKAN count or the REST total; None for an HTML page."""
    if path.startswith("/api/3/"):
        data = json.loads(body)
        assert data["success"] is True, data
        return data["result"]["count"]
    if path.startswith("/api/v1/"):
        return json.loads(body)["meta"]["total"]
    assert b"</html>" in body  # a whole page, not a cut-off one
    return None


def test_two_hundred_concurrent_searches_are_all_answered(demo_app: Flask, processes: Processes) -> None:
    """200 searches over 32 threads: all 200 answered 200, each with the count it has alone."""
    with serve(demo_app, processes, workers=2, threads=4) as base:
        paths = _queries(base)
        alone = {}
        for path in sorted(set(paths)):
            resp = requests.get(base + path, timeout=60)
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:500])
            alone[path] = _count(path, resp.content)
        assert any(alone.values()), "the demo data should match some of these searches"

        def fetch(path: str) -> tuple[str, int, bytes]:
            with requests.Session() as session:  # a client of its own, as many visitors are
                resp = session.get(base + path, timeout=90)
                return path, resp.status_code, resp.content

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            answers = list(pool.map(fetch, paths, timeout=300))

    assert len(answers) == REQUESTS
    failed = [(path, status) for path, status, _ in answers if status != 200]
    assert not failed, f"{len(failed)} of {REQUESTS} searches failed: {failed[:10]}"
    for path, _, body in answers:
        assert _count(path, body) == alone[path], path
