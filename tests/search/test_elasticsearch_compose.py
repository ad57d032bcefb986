"""The compose shape end to end, against ``es_double`` (the double of the Elasticsearch
server): the web process is gunicorn serving ``wsgi:app`` as docker/Dockerfile runs it, the
walidata publishes through its REST API, a separate ``satudata worker`` process on the same
Redis runs the sync job, and the public then searches through gunicorn: nobody ran
``satudata search reindex`` or created an index by hand. The mapped index and its alias exist
before the first document is written, and every write says ``require_alias``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from sqlalchemy import select

from satudata import jobs
from satudata.catalog.models import Dataset, Topic
from satudata.extensions import db
from satudata.search.elasticsearch import MAPPING_VERSION
from tests.accounts.conftest import orgs, tokens, users  # noqa: F401  (fixtures)
from tests.conftest import ROOT, satudata_env
from tests.factories import make_dataset, submit_dataset
from tests.search.test_elasticsearch_app import es_app  # noqa: F401  (fixture)
from tests.workspace.conftest import vocab  # noqa: F401  (fixture)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(url: str, *, method: str = "GET", token: str | None = None, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


@pytest.mark.jobs
def test_publish_through_gunicorn_index_by_the_worker_search_through_gunicorn(
        es_app: Any, es_double: Any, orgs: Any, tokens: Any, vocab: Any, tmp_path: Any) -> None:  # noqa: F811
    jobs.get_queue("search").empty()  # only this test's jobs for the worker below
    topic = db.session.scalars(select(Topic).where(Topic.slug == "kesehatan")).one()
    ds = submit_dataset(make_dataset(orgs["dinkes"], publish=False, title="Produksi Kelapa Sawit Perkebunan Rakyat",
                                     topics=[topic]))
    alias = es_app.config["ELASTICSEARCH_INDEX"]
    env = satudata_env(es_app, ELASTICSEARCH_URL=es_double.url, ELASTICSEARCH_INDEX=alias)
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                                "wsgi:app"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _call(base + "/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
        assert not es_double.calls(path_contains=alias)  # nothing written, nothing created yet

        status, body = _call(f"{base}/api/v1/review/datasets/{ds.slug}/publish", method="POST",
                             token=tokens["walidata"]["write"], body={"note": "Rilis 2025"})
        assert status == 200 and body["data"]["state"] == "published", (body, log.read_text()[-2000:])
        worker = subprocess.run([sys.executable, "-m", "satudata.cli", "worker", "--queue", "search", "--burst"],
                                env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert worker.returncode == 0, worker.stderr

        mine = [r for r in es_double.requests if alias in r[1]]
        writes = [i for i, r in enumerate(mine) if r[0] in ("PUT", "POST") and ("/_doc/" in r[1] or r[1].endswith("_bulk"))]
        created = [i for i, r in enumerate(mine) if r[0] == "PUT" and r[1].startswith(f"/{alias}-")]
        assert writes and created and created[0] < writes[0]
        assert all(mine[i][2].get("require_alias") == ["true"] for i in writes), [mine[i][:3] for i in writes]
        (index,) = es_double.aliases[alias]
        assert es_double.indices[index].mappings["_meta"]["satudata_mapping_version"] == MAPPING_VERSION
        assert ds.id in es_double.indices[index].docs and alias not in es_double.indices

        searched = len(es_double.calls(path_contains="_search"))
        status, body = _call(f"{base}/api/3/action/package_search?q=kelapa%20sawit")
        assert status == 200 and [p["name"] for p in body["result"]["results"]] == [ds.slug]
        assert len(es_double.calls(path_contains="_search")) > searched  # the engine answered, not the database
    finally:
        web.terminate()
        try:
            web.wait(timeout=20)
        except subprocess.TimeoutExpired:
            web.kill()
    db.session.expire_all()
    assert db.session.get(Dataset, ds.id).state == "published"
