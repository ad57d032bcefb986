"""The public catalogue's read path as the catalogue's own pages and REST API reach it.

Every public listing goes through ``search.services.find_public_datasets`` (the search engine
when it can answer, else ``query.query_database``). The search engine belongs to search, a
higher domain, so it hands the catalogue that function when the app starts
(``search.init_app`` calls ``use_finder``); without it the database answers.
"""

from __future__ import annotations

from collections.abc import Callable

from satudata.catalog.services.query import DatasetPage, DatasetQuery, query_database

__all__ = ["Finder", "use_finder", "find_public"]

Finder = Callable[[DatasetQuery], DatasetPage]
_finder: Finder | None = None


def use_finder(finder: Finder | None) -> None:
    """Let the public listings read through ``finder`` (search registers
    ``find_public_datasets`` at start-up; ``None`` leaves them to the database)."""
    global _finder
    _finder = finder


def find_public(query: DatasetQuery) -> DatasetPage:
    """A page of public datasets matching ``query`` (see ``DatasetPage.degraded`` for a search
    engine that was down). Bad input raises ``Invalid``."""
    return _finder(query) if _finder is not None else query_database(query)
