"""The Elasticsearch backend's index lifecycle, timeouts and failure handling, against
``es_double`` (a double of the Elasticsearch 8 server on 127.0.0.1, driven by the real
``elasticsearch`` client over HTTP). Each case reproduces a behaviour Elasticsearch documents
and the production failure it caused (issue #19)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from satudata.search import elasticsearch as es
from satudata.search.backend import SearchQuery, SearchUnavailable
from tests.search.conftest import corpus
from tests.search.es_double import ElasticsearchDouble

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


@pytest.fixture()
def double() -> Iterator[ElasticsearchDouble]:
    made = ElasticsearchDouble().start()
    yield made
    made.stop()


def make(double: ElasticsearchDouble, alias: str | None = None, **kw: object) -> es.ElasticsearchBackend:
    kw.setdefault("bulk_backoff", 0.01)
    return es.ElasticsearchBackend(double.url, index=alias or f"sd-{uuid.uuid4().hex[:8]}", **kw)  # type: ignore[arg-type]


def raw_client(double: ElasticsearchDouble) -> Elasticsearch:
    return Elasticsearch(double.url, request_timeout=5, max_retries=0)


def ids(backend: es.ElasticsearchBackend, **kw: object) -> set[str]:
    return {h.id for h in backend.search(SearchQuery(facets=(), per_page=100, **kw)).hits}  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the double is faithful


def test_double_auto_creates_on_a_write_without_require_alias_and_faceting_then_fails(double):
    client = raw_client(double)
    client.index(index="portal", id="a", document={"organization": "dinkes", "title": "Rumah Sakit"})
    assert double.indices["portal"].auto_created
    with pytest.raises(Exception) as caught:
        client.search(index="portal", aggs={"o": {"terms": {"field": "organization"}}}, size=0)
    assert "Fielddata" in str(caught.value) or "Text fields" in str(caught.value)
    with pytest.raises(Exception) as caught:  # an alias may not take an index's name
        client.indices.update_aliases(actions=[{"add": {"index": "portal", "alias": "portal"}}])
    assert "invalid_alias_name_exception" in str(caught.value)
    with pytest.raises(Exception) as caught:
        client.index(index="nothing", id="a", document={"x": 1}, require_alias=True)
    assert "require_alias" in str(caught.value) and "nothing" not in double.indices


# --------------------------------------------------------------------------- creation before the first write


def test_first_write_creates_the_mapped_index_behind_the_alias_and_never_auto_creates(double):
    backend = make(double, "satudata-datasets")
    backend.index(corpus()[0])
    writes = [i for i, r in enumerate(double.requests) if "/_doc/" in r[1]]
    creates = [i for i, r in enumerate(double.requests) if r[0] == "PUT" and r[1].startswith("/satudata-datasets-")]
    assert creates and writes and creates[0] < writes[0]
    assert all(double.requests[i][2].get("require_alias") == ["true"] for i in writes)
    (name,) = double.aliases["satudata-datasets"]
    index = double.indices[name]
    assert not index.auto_created and "satudata-datasets" not in double.indices
    assert index.mappings["_meta"]["satudata_mapping_version"] == es.MAPPING_VERSION
    assert double.aliases["satudata-datasets"][name] == {"is_write_index": True}
    # once per process: the next writes do not look again
    checks = len(double.calls("GET", "/satudata-datasets"))
    backend.index(corpus()[1])
    backend.delete("p01")
    assert len(double.calls("GET", "/satudata-datasets")) == checks
    assert backend.count() == 1
    assert backend.search(SearchQuery(text="kepadatan")).facets["organization"] == [("disdukcapil-dumai", 1)]


def test_bulk_writes_require_the_alias_too(double):
    backend = make(double)
    assert backend.bulk_index(corpus()[:3]) == 3
    bulk = double.calls("POST", "/_bulk") + double.calls("PUT", "/_bulk")
    assert bulk and all(r[2].get("require_alias") == ["true"] for r in bulk)
    assert not any(i.auto_created for i in double.indices.values())


def test_two_processes_creating_at_once_keep_one_index(double):
    first, second = make(double, "shared"), make(double, "shared")
    first.create_index()
    second._create_behind_alias()  # found nothing a moment ago, creates as well
    assert len(double.aliases["shared"]) == 1 and len(double.indices) == 1
    second.index(corpus()[0])
    assert first.count() == 1


def test_alias_removed_by_hand_is_created_again_on_the_next_write(double):
    backend = make(double, "gone")
    backend.index(corpus()[0])
    for name in list(double.aliases["gone"]):
        raw_client(double).indices.delete(index=name)
    backend.index(corpus()[1])  # the process thought it was there: 404, create, write again
    assert backend.count() == 1 and not double.indices.get("gone")


# --------------------------------------------------------------------------- an index squatting on the alias's name


def test_squatter_stops_writes_shows_in_health_and_rebuild_replaces_it(double):
    raw_client(double).index(index="squat", id="old", document={"title": "Dibuat otomatis"})  # the old bug
    backend = make(double, "squat")
    with pytest.raises(SearchUnavailable):
        backend.index(corpus()[0])
    assert set(double.indices) == {"squat"}  # nothing written into the dynamic index
    health = backend.health()
    assert health["status"] == "ok" and health["rebuild_needed"] and "bukan alias" in health["problem"]
    assert backend.rebuild(corpus()) == 12
    assert "squat" not in double.indices and len(double.aliases["squat"]) == 1
    assert backend.health()["rebuild_needed"] is False
    assert backend.search(SearchQuery(text="kesehatan", facets=("organization",))).facets["organization"]
    backend.index(corpus()[0])  # writes work again


# --------------------------------------------------------------------------- rebuild


def test_rebuild_swaps_the_alias_atomically_and_drops_the_old_index(double):
    backend = make(double, "swap")
    backend.rebuild(corpus()[:2])
    (old,) = double.aliases["swap"]
    backend.rebuild(corpus()[2:5])
    (new,) = double.aliases["swap"]
    assert new != old and old not in double.indices and ids(backend) == {"p03", "p04", "p05"}
    swap = double.calls("POST", "/_aliases")[-1][3]["actions"]
    assert {"add": {"index": new, "alias": "swap", "is_write_index": True}} in swap
    assert {"remove": {"index": old, "alias": "swap"}} in swap
    assert "swap-rebuild-lock" not in double.indices  # the lock is released


@pytest.mark.parametrize("broken", ["/_aliases", "/_bulk"])
def test_failed_rebuild_deletes_the_new_index_and_keeps_the_old(double, broken):
    backend = make(double, "fail")
    backend.rebuild(corpus()[:2])
    (old,) = double.aliases["fail"]
    double.fail(broken, status=400 if broken == "/_aliases" else 503, times=20)
    with pytest.raises(SearchUnavailable):
        backend.rebuild(corpus())
    assert set(double.indices) == {old} and list(double.aliases["fail"]) == [old]  # nothing leaked
    assert ids(backend) == {"p01", "p02"}


def test_refused_document_does_not_abort_the_rebuild(double):
    double.refuse_ids = {"p03"}
    backend = make(double, "refuse")
    assert backend.rebuild(corpus()) == 11
    assert backend.refused == ["p03"] and backend.count() == 11
    with pytest.raises(es.DocumentRefused) as caught:
        backend.index(corpus()[2])
    assert caught.value.ids == ["p03"]


def test_bulk_items_rejected_for_load_are_retried(double):
    double.reject_once_ids = {"p04", "p07"}  # 429 on the item the first time
    backend = make(double, "busy")
    assert backend.rebuild(corpus()) == 12 and backend.refused == []


def test_overlapping_rebuilds_do_not_race(double):
    first, second = make(double, "lock"), make(double, "lock")
    first.rebuild(corpus()[:1])
    with first._rebuild_lock(), pytest.raises(es.RebuildInProgress):
        second.rebuild(corpus())
    assert ids(first) == {"p01"} and len(double.indices) == 1
    assert second.rebuild(corpus()[:2]) == 2


def test_a_stale_rebuild_lock_is_taken_over(double):
    holder = make(double, "stale")
    with holder._rebuild_lock():
        successor = make(double, "stale", rebuild_lock_ttl=0)  # the holder died long ago
        assert successor.rebuild(corpus()[:3]) == 3
    assert "stale-rebuild-lock" not in double.indices


# --------------------------------------------------------------------------- timeouts and load


def test_search_retries_a_429_once_then_gives_up(double):
    backend = make(double)
    backend.rebuild(corpus())
    double.fail("/_search", status=429, times=1)
    assert len(ids(backend)) == 12
    before = len(double.calls(path_contains="/_search"))
    double.fail("/_search", status=429, times=5)
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery())
    assert len(double.calls(path_contains="/_search")) - before == 2  # one attempt and one retry


def test_hung_cluster_fails_fast_without_retrying_the_timeout(double):
    backend = make(double, timeout=0.3, health_timeout=0.2)
    backend.rebuild(corpus())
    double.hang_paths = ["/_search", "/_cluster/health"]
    double.hang_seconds = 3
    before = len(double.calls(path_contains="/_search"))
    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="penduduk"))
    with pytest.raises(SearchUnavailable):
        backend.suggest("pen")
    assert backend.health()["status"] == "error"
    assert time.monotonic() - started < 1.5
    assert len(double.calls(path_contains="/_search")) - before == 2  # one each: a timeout is not retried


def test_default_timeouts_are_short_for_reads_and_long_for_writes(double):
    backend = make(double)
    assert backend.timeout <= 2 and backend.max_retries <= 1 and backend.health_timeout <= 1
    assert min(backend.write_timeout, backend.bulk_timeout, backend.admin_timeout) >= 30
    assert es.ElasticsearchBackend("http://x", max_retries=5).max_retries == 1


# --------------------------------------------------------------------------- results


def test_typo_tolerance_only_for_unknown_words(double):
    backend = make(double)
    backend.rebuild(corpus())
    assert "p05" not in ids(backend, text="sawit")  # "sawit" is indexed: "sakit" is no typo of it
    assert ids(backend, text="sawit") == {"p09"}
    assert "p03" in ids(backend, text="kesehatam")  # unknown: one typo allowed, first letters too
    assert "p09" in ids(backend, text="kelapa sawti")


def test_deep_pages_walk_with_search_after(double, monkeypatch):
    monkeypatch.setattr(es, "RESULT_WINDOW", 5)  # the window, made small enough for a dozen documents
    backend = make(double)
    backend.rebuild(corpus())
    newest = [d.id for d in sorted(corpus(), key=lambda d: d.published_at, reverse=True)]
    r = backend.search(SearchQuery(offset=7, per_page=3, facets=("year",)))
    assert [h.id for h in r.hits] == newest[7:10] and r.total == 12 and r.facets["year"]
    assert any("search_after" in (c[3] or {}) for c in double.calls(path_contains="/_search"))
    assert backend.search(SearchQuery(offset=11, per_page=3)).hits[0].id == newest[11]
    assert backend.search(SearchQuery(offset=12, per_page=3)).hits == []
