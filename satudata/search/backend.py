"""Choosing the search engine: ``get_backend(app)`` makes the one ``SEARCH_BACKEND`` names, once
per app, and ``synonym_store(app)`` the deployment's synonym list. The interface the engines
implement is ``protocol.py`` (re-exported here, so callers need one import)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from satudata.search.protocol import (
    DEFAULT_FACETS,
    EXTENSION_KEY,
    FACET_KEYS,
    FILTER_KEYS,
    KEY_ALIASES,
    MAX_FACET_LIMIT,
    MAX_OFFSET,
    MAX_PER_PAGE,
    SORTS,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResponse,
    SearchUnavailable,
    Suggestion,
    batched,
    epoch_if_missing,
    normalise_filters,
    normalise_query,
    sort_facet,
)
from satudata.search.synonyms import SynonymStore

__all__ = ['DEFAULT_FACETS', 'EXTENSION_KEY', 'FACET_KEYS', 'FILTER_KEYS', 'KEY_ALIASES', 'MAX_FACET_LIMIT', 'MAX_OFFSET', 'MAX_PER_PAGE', 'SORTS', 'SearchBackend', 'SearchHit', 'SearchQuery', 'SearchResponse', 'SearchUnavailable', 'Suggestion', 'batched', 'epoch_if_missing', 'normalise_filters', 'normalise_query', 'sort_facet', "get_backend", "synonym_store"]


def synonym_store(app: Flask) -> SynonymStore:
    """The deployment's synonym list (one per app)."""
    store = app.extensions.get(EXTENSION_KEY + "_synonyms")
    if store is None:
        configured = app.config.get("SEARCH_SYNONYMS_PATH")
        path = Path(configured) if configured else Path(app.instance_path) / "search" / "synonyms.txt"
        store = SynonymStore(path)
        app.extensions[EXTENSION_KEY + "_synonyms"] = store
    return store


def get_backend(app: Flask | None = None) -> SearchBackend:
    """The configured backend of ``app`` (``SEARCH_BACKEND``), made once per app."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    backend: SearchBackend | None = app.extensions.get(EXTENSION_KEY)
    if backend is not None:
        return backend
    name = app.config.get("SEARCH_BACKEND", "embedded")
    if name == "embedded":
        from satudata.search.embedded import EmbeddedBackend

        backend = EmbeddedBackend(Path(app.instance_path) / "search", synonyms=synonym_store(app))
    elif name == "elasticsearch":
        from satudata.search.elasticsearch import ElasticsearchBackend

        url = app.config.get("ELASTICSEARCH_URL")
        if not url:
            app.logger.error("SEARCH_BACKEND is elasticsearch but ELASTICSEARCH_URL is not set")
            raise SearchUnavailable()
        # Timeouts in seconds. A search or completion waits ELASTICSEARCH_TIMEOUT at most twice
        # (one retry, never after a timeout), so a hung cluster falls back to the database in
        # about two seconds; writes, bulk loads and index administration wait longer.
        config = app.config
        backend = ElasticsearchBackend(
            str(url), index=config.get("ELASTICSEARCH_INDEX") or "satudata-datasets",
            synonyms=synonym_store(app),
            timeout=float(config.get("ELASTICSEARCH_TIMEOUT") or 2.0),
            health_timeout=float(config.get("ELASTICSEARCH_HEALTH_TIMEOUT") or 1.0),
            write_timeout=float(config.get("ELASTICSEARCH_WRITE_TIMEOUT") or 30.0),
            bulk_timeout=float(config.get("ELASTICSEARCH_BULK_TIMEOUT") or 120.0),
            admin_timeout=float(config.get("ELASTICSEARCH_ADMIN_TIMEOUT") or 60.0),
        )
    else:
        raise ValueError(f"SEARCH_BACKEND must be 'embedded' or 'elasticsearch', not {name!r}")
    app.extensions[EXTENSION_KEY] = backend
    return backend
