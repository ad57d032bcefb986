"""The portal configured for Elasticsearch (``SEARCH_BACKEND=elasticsearch``) against
``es_double``, the double of the Elasticsearch server: the production shape (a publication,
a real worker process, no manual reindex), the database fallback when the cluster hangs, the
catch-up job with a refused document, and ``satudata search status``."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from satudata import jobs
from satudata.search import services, tasks
from satudata.search.backend import EXTENSION_KEY, get_backend
from satudata.search.cli import search_group
from satudata.search.elasticsearch import MAPPING_VERSION
from tests.conftest import ROOT, satudata_env
from tests.factories import make_dataset
from tests.search.es_double import ElasticsearchDouble

KEYS = ("SEARCH_BACKEND", "ELASTICSEARCH_URL", "ELASTICSEARCH_INDEX", "ELASTICSEARCH_TIMEOUT")


@pytest.fixture()
def es_app(app: Flask, es_double: ElasticsearchDouble) -> Iterator[Flask]:
    """The scratch app searching a fresh alias on the double; restored afterwards."""
    saved = {k: app.config[k] for k in KEYS if k in app.config}
    live = app.extensions.pop(EXTENSION_KEY, None)
    app.config.update(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL=es_double.url,
                      ELASTICSEARCH_INDEX=f"sd-app-{uuid.uuid4().hex[:8]}")
    redis = jobs.get_redis()
    redis.delete(tasks.PENDING_KEY, tasks.REFUSED_KEY)
    yield app
    redis.delete(tasks.PENDING_KEY, tasks.REFUSED_KEY)
    es_double.hang_paths = []
    es_double.refuse_ids = set()
    app.extensions.pop(EXTENSION_KEY, None)
    for key in KEYS:
        app.config.pop(key, None)
    app.config.update(saved)
    if live is not None:
        app.extensions[EXTENSION_KEY] = live


def status(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(search_group, ["status"])
    return result.exit_code, result.output


@pytest.mark.jobs
def test_first_publication_lands_in_a_mapped_index_behind_the_alias(es_app, es_double):
    """Compose's shape: a walidata publishes, a real worker process runs the sync job; nobody
    ran `satudata search reindex`. The mapped index and alias exist before the first write."""
    queue = jobs.get_queue("search")
    queue.empty()
    alias = es_app.config["ELASTICSEARCH_INDEX"]
    ds = make_dataset(title="Produksi Kelapa Sawit Perkebunan Rakyat", index=False)
    assert not es_double.calls(path_contains=alias)  # nothing written yet
    proc = subprocess.run([sys.executable, "-m", "satudata.cli", "worker", "--queue", "search", "--burst"],
                          env=satudata_env(es_app), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    mine = [r for r in es_double.requests if alias in r[1]]
    first_write = next(i for i, r in enumerate(mine) if "/_doc/" in r[1] or r[1].endswith("_bulk"))
    created = next(i for i, r in enumerate(mine) if r[0] == "PUT" and r[1] == f"/{alias}-" + r[1].split("-")[-1])
    assert created < first_write and mine[first_write][2].get("require_alias") == ["true"]
    (index,) = es_double.aliases[alias]
    assert es_double.indices[index].mappings["_meta"]["satudata_mapping_version"] == MAPPING_VERSION
    assert alias not in es_double.indices and ds.id in es_double.indices[index].docs
    r = services.search_datasets("kelapa sawit")  # through the alias, with facets
    assert [d.id for d in r.items] == [ds.id] and r.facets["organization"]
    code, out = status(es_app)
    assert code == 0 and "Sinkron         : ya" in out


def test_hung_cluster_falls_back_to_the_database_within_seconds(es_app, es_double, scratch_client):
    make_dataset(title="Jumlah Penduduk Kota Dumai", index=False)
    es_app.config["ELASTICSEARCH_TIMEOUT"] = 0.5  # production: 2 s; a test need not wait that long
    es_double.hang_paths = ["/_search", "/_cluster/health"]
    es_double.hang_seconds = 10
    started = time.monotonic()
    resp = scratch_client.get("/dataset?q=penduduk")
    elapsed = time.monotonic() - started
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Jumlah Penduduk Kota Dumai" in body
    assert "Mesin pencarian sedang tidak tersedia" in body
    assert elapsed < 3, elapsed


def test_refused_document_is_not_retried_for_ever_nor_rebuilt_every_time(es_app, es_double):
    good = make_dataset(title="Kunjungan Wisatawan", index=False)
    bad = make_dataset(title="Data Rusak", index=False)
    es_double.refuse_ids = {bad.id}
    assert tasks.sync_dataset(good.id) is True
    assert tasks.sync_dataset(bad.id) is False  # refused for good: logged, not queued again
    redis = jobs.get_redis()
    assert redis.scard(tasks.PENDING_KEY) == 0 and redis.sismember(tasks.REFUSED_KEY, bad.id)
    rebuilds = len(es_double.calls("PUT", "-rebuild-lock"))
    assert tasks.catch_up() == 0
    assert len(es_double.calls("PUT", "-rebuild-lock")) == rebuilds  # 1 indexed + 1 refused = 2 public
    code, out = status(es_app)
    assert code == 0 and "kecuali 1 dataset yang ditolak" in out
    es_double.refuse_ids = set()
    assert tasks.sync_dataset(bad.id) is True and not redis.sismember(tasks.REFUSED_KEY, bad.id)


def test_status_names_alias_index_mapping_and_what_to_run(es_app, es_double):
    make_dataset(title="Jumlah Penduduk Kota Dumai", index=False)
    alias = es_app.config["ELASTICSEARCH_INDEX"]
    code, out = status(es_app)
    assert code == 1
    assert f"Alias           : {alias}" in out and "belum ada" in out
    assert "jalankan `satudata search reindex`" in out
    result = es_app.test_cli_runner().invoke(search_group, ["reindex"])
    assert result.exit_code == 0 and "1 dataset terindeks" in result.output
    code, out = status(es_app)
    (index,) = es_double.aliases[alias]
    assert code == 0, out
    assert f"Indeks          : {index}" in out and f"{index}: v{MAPPING_VERSION}" in out
    assert "Terindeks       : 1" in out and "Dataset publik  : 1" in out and "Sinkron         : ya" in out
    # an index squatting on the alias's name (what writes without require_alias made)
    get_backend().drop_index()
    from elasticsearch import Elasticsearch

    Elasticsearch(es_double.url).index(index=alias, id="x", document={"title": "otomatis"})
    code, out = status(es_app)
    assert code == 1 and "bukan alias" in out and "jalankan `satudata search reindex`" in out
    assert tasks.catch_up() == 1  # the periodic job repairs it by itself
    assert alias not in es_double.indices and status(es_app)[0] == 0
