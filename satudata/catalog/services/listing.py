"""The public listings' query: a page of public datasets from the search engine when there is
one and it answers, else from the database (``find_datasets``).

The search engine belongs to search, a higher domain, so it hands the catalogue its query
function when the app starts (``search.init_app`` calls ``use_search_engine``). The public
pages and the REST listing both ask ``search_listing``, so they fall back the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from satudata.catalog.services.catalogue import find_datasets

__all__ = ["SearchEngine", "use_search_engine", "search_listing"]

# ``engine(text, filters, *, sort, page, per_page, facet_keys, highlight)``: a result with
# ``items``, ``total``, ``page``, ``per_page``, ``pages`` and ``facets`` like ``SearchResult``
# (its own may add ``highlights`` and ``suggestion``), or ``None`` when the engine is down.
SearchEngine = Callable[..., Any]
_search_engine: SearchEngine | None = None


def use_search_engine(engine: SearchEngine | None) -> None:
    """Let the public listings search with ``engine`` (search registers it at start-up;
    ``None`` leaves them to the database)."""
    global _search_engine
    _search_engine = engine


def search_listing(
    text: str,
    filters: dict[str, list[str]],
    *,
    sort: str,
    page: int,
    per_page: int,
    facet_keys: tuple[str, ...] = (),
    highlight: bool = True,
) -> tuple[Any, bool]:
    """A page of public datasets matching ``text`` and ``filters``, and whether it is
    *degraded*: the search engine is registered but down, so the database answered (no
    relevance ranking, no highlights), which a page should say. With no engine registered the
    database answers and nothing is degraded. Bad input raises ``Invalid`` either way.
    """
    if _search_engine is not None:
        result = _search_engine(text, filters, sort=sort, page=page, per_page=per_page, facet_keys=facet_keys,
                                highlight=highlight)
        if result is not None:
            return result, False
    found = find_datasets(text, filters, sort=sort, page=page, per_page=per_page, facet_keys=facet_keys)
    return found, _search_engine is not None
