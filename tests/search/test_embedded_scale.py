"""The embedded engine at a million datasets (issue #17).

- The format and wilayah facets are counted on single-valued companion fields (a multi-valued
  facet over a million documents cost 25-45 ms). The counts must be the true ones, whichever
  way they are computed: on the companion, or on the plain field when it cannot answer exactly.
- Answers to queries without text (listings) are kept per process for as long as the commit
  they were read at is current: a commit, by this process or another, shows on the next query.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from satudata.search import embedded
from satudata.search.backend import SearchQuery, sort_facet
from satudata.search.documents import SearchDocument
from satudata.search.embedded import EmbeddedBackend

pytestmark = pytest.mark.nodb

FORMATS = ["CSV", "XLSX", "JSON", "PDF", "GEOJSON", "SHP"]
GOVERNMENTS = ["14", "14.07", "14.71", "14.07.01", "13", "13.05", None]


def _documents(n: int = 120) -> list[SearchDocument]:
    rnd = random.Random(17)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [SearchDocument(
        id=f"d{i:03d}", slug=f"d-{i}", title=f"Data penduduk {i}", organization=f"org-{i % 7}",
        formats=sorted(rnd.sample(FORMATS, rnd.randint(0, 3))), wilayah=rnd.choice(GOVERNMENTS),
        year=rnd.choice([2023, 2024]), published_at=start + timedelta(hours=i),
    ) for i in range(n)]


def _truth(docs: list[SearchDocument], key: str, limit: int) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(set(doc.formats if key == "format" else doc.wilayah_levels()))
    return sort_facet(counts.items(), limit)


def _check(backend: EmbeddedBackend, docs: list[SearchDocument]) -> None:
    for limit in (2, 50):
        for filters, kept in (({}, docs), ({"year": ["2024"]}, [d for d in docs if d.year == 2024]),
                              ({"format": ["CSV"]}, [d for d in docs if "CSV" in d.formats])):
            r = backend.search(SearchQuery(filters=filters, facets=("format", "wilayah", "organization"),
                                           facet_limit=limit))
            assert r.total == len(kept)
            for key in ("format", "wilayah"):
                assert r.facets[key] == _truth(kept, key, limit), (key, filters, limit)


def test_companion_facets_are_the_true_counts(tmp_path):
    docs = _documents()
    backend = EmbeddedBackend(tmp_path / "search")
    backend.rebuild(docs)
    _check(backend, docs)
    # A deleted document counts nowhere, and the total of everything is the live documents.
    backend.delete(docs[0].id)
    _check(backend, docs[1:])


def test_the_plain_field_answers_when_the_companion_cannot(tmp_path, monkeypatch):
    docs = _documents()
    # A format with the separator in it cannot be held in a set: its documents' facets are
    # counted on the plain field.
    docs[3].formats = ["CSV", "X\x1fY"]
    backend = EmbeddedBackend(tmp_path / "search")
    backend.rebuild(docs)
    _check(backend, docs)
    # More sets than the companion's buckets: the plain field again.
    monkeypatch.setattr(embedded, "COMPANION_BUCKETS", 2)
    _check(backend, docs)


def _browse(backend: EmbeddedBackend, **filters: list[str]) -> tuple[int, list[str], dict[str, list[tuple[str, int]]]]:
    r = backend.search(SearchQuery(filters=filters, facets=("format", "wilayah", "organization", "year")))
    return r.total, [h.id for h in r.hits], r.facets


def test_listings_are_kept_until_the_next_commit(tmp_path, monkeypatch):
    docs = _documents(40)
    writer = EmbeddedBackend(tmp_path / "search")  # the worker process
    reader = EmbeddedBackend(tmp_path / "search")  # a web process
    writer.rebuild(docs[:30])
    monkeypatch.setattr(embedded, "BROWSE_CACHE_SIZE", 0)
    uncached = [_browse(reader), _browse(reader, year=["2024"]), _browse(reader, format=["CSV"])]
    monkeypatch.setattr(embedded, "BROWSE_CACHE_SIZE", 128)
    for _ in range(2):  # read, then kept
        assert [_browse(reader), _browse(reader, year=["2024"]), _browse(reader, format=["CSV"])] == uncached
    assert len(reader._browse_cache) == 3
    # Commits in quick succession, each seen by the next query.
    for n, doc in enumerate(docs[30:], 31):
        writer.index(doc)
        total, hits, facets = _browse(reader)
        assert total == n and hits[0] == doc.id  # newest first
        assert facets["format"] == _truth(docs[:n], "format", 50)
    writer.delete(docs[-1].id)
    assert _browse(reader)[0] == 39
    writer.rebuild(docs[:5])
    assert _browse(reader)[0] == 5


def test_the_kept_answers_are_bounded_and_not_shared(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "BROWSE_CACHE_SIZE", 3)
    backend = EmbeddedBackend(tmp_path / "search")
    backend.rebuild(_documents(40))
    for org in range(7):
        _browse(backend, organization=[f"org-{org}"])
    assert len(backend._browse_cache) == 3
    backend.search(SearchQuery(text="penduduk"))  # text: asked once, not kept
    assert len(backend._browse_cache) == 3
    first = backend.search(SearchQuery(facets=("format",)))
    first.hits.clear()
    first.facets["format"].clear()
    again = backend.search(SearchQuery(facets=("format",)))
    assert again.hits and again.facets["format"]
