"""``search_listing``: the public listings ask the search engine search registered, and the
database answers when there is none or it is down (saying so)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from satudata.catalog import services as catalog
from satudata.catalog.services import listing
from satudata.errors import Invalid
from tests.factories import make_dataset


@pytest.fixture()
def engine_slot(app: Any) -> Iterator[None]:
    """The registered engine (search's, from create_app) is put back after the test."""
    registered = listing._search_engine
    try:
        yield
    finally:
        catalog.use_search_engine(registered)


def test_the_registered_engine_answers_with_every_option(app: Any, engine_slot: None) -> None:
    calls: list[tuple[Any, ...]] = []
    answer = object()

    def engine(text: str, filters: Any, **options: Any) -> Any:
        calls.append((text, filters, options))
        return answer

    catalog.use_search_engine(engine)
    result, degraded = catalog.search_listing("penduduk", {"tag": ["penduduk"]}, sort="relevance", page=2,
                                              per_page=5, facet_keys=("tag",), highlight=False)
    assert (result, degraded) == (answer, False)
    assert calls == [("penduduk", {"tag": ["penduduk"]},
                      {"sort": "relevance", "page": 2, "per_page": 5, "facet_keys": ("tag",), "highlight": False})]


def test_an_engine_that_is_down_leaves_it_to_the_database(app: Any, engine_slot: None) -> None:
    make_dataset(title="Jumlah Penduduk Kota Dumai", tags=["penduduk"])
    make_dataset(title="Puskesmas Rokan Hilir", tags=["kesehatan"])
    catalog.use_search_engine(lambda text, filters, **options: None)
    result, degraded = catalog.search_listing("penduduk", {}, sort="relevance", page=1, per_page=20,
                                              facet_keys=("tag",))
    assert degraded is True
    assert [ds.title for ds in result.items] == ["Jumlah Penduduk Kota Dumai"]
    assert result.facets["tag"] == [("penduduk", "penduduk", 1)]


def test_without_an_engine_the_database_answers_and_nothing_is_degraded(app: Any, engine_slot: None) -> None:
    make_dataset(title="Jumlah Penduduk Kota Dumai")
    catalog.use_search_engine(None)
    result, degraded = catalog.search_listing("", {}, sort="newest", page=1, per_page=20)
    assert degraded is False
    assert result.total == 1 and result.facets == {}


def test_bad_input_is_refused_by_the_database_too(app: Any, engine_slot: None) -> None:
    catalog.use_search_engine(None)
    with pytest.raises(Invalid):
        catalog.search_listing("", {}, sort="bogus", page=1, per_page=20)


def test_search_registers_its_engine_at_start_up(app: Any) -> None:
    from satudata.search import _public_listing_search

    assert listing._search_engine is _public_listing_search
