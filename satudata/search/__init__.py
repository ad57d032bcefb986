"""Search: the full-text index of the public catalogue.

This domain owns the search index and nothing else. The database stays the source of truth:
the index holds one document per *published*, *publik* dataset (built from its published
version by ``documents.py``) and can be rebuilt from the database at any time
(``satudata search reindex``).

- ``protocol.py``: the ``SearchBackend`` protocol every engine implements, the query and
  response types, and input normalisation shared by all engines.
- ``backend.py``: ``get_backend(app)`` (the engine ``SEARCH_BACKEND`` names), re-exporting
  the protocol's names for callers.
- ``embedded.py``: tantivy in ``<instance>/search/`` (the single-machine default).
- ``elasticsearch.py``: Elasticsearch 8 behind a versioned index and an alias (production).
- ``text.py`` / ``synonyms.py`` / ``query.py`` / ``highlight.py``: Indonesian analysis
  (Sastrawi stems, stop words), the synonym list, the engine-neutral parsed query, and
  the highlighter of the embedded engine.
- ``services.py``: what the rest of the portal calls (``find_public_datasets``,
  ``schedule_reindex``, ``reindex_all``, ``search_status``, ...).
- ``tasks.py``: the RQ jobs of the ``search`` queue, the only writer of the index.
- ``cli.py``: ``satudata search reindex|status``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    """Follow the lower domains' changes (they send signals; search reindexes after commit) and
    answer the public catalogue's listings."""
    from satudata.accounts import events as accounts_events
    from satudata.catalog import events as catalog_events
    from satudata.catalog import services as catalog
    from satudata.review import events as review_events
    from satudata.search import services

    accounts_events.organization_renamed.connect(_organization_renamed)
    catalog_events.dataset_published.connect(_dataset_published)
    review_events.dataset_withdrawn.connect(_dataset_withdrawn)
    catalog.use_finder(services.find_public_datasets)
    warm_ups = getattr(app, "warm_ups", None)
    if warm_ups is not None:
        warm_ups.append(_warm_up)


def _organization_renamed(organization: Any, **_: Any) -> None:
    from satudata.search import services

    services.schedule_organization_reindex(organization)


def _dataset_published(dataset: Any, **_: Any) -> None:
    from satudata.search import services

    services.schedule_reindex(dataset)


def _dataset_withdrawn(dataset: Any, **_: Any) -> None:
    from satudata.search import services

    services.schedule_removal(dataset)


def _warm_up() -> None:
    """Load the Indonesian stemmer's dictionary and the embedded engine's module, which a web
    process would otherwise load on its first search."""
    import tantivy  # noqa: F401

    from satudata.search import text

    text.stem("kependudukan")
