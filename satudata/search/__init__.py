"""Search: the full-text index of the public catalogue.

This domain owns the search index and nothing else. The database stays the source of truth:
the index holds one document per *published*, *publik* dataset (built from its published
version by ``documents.py``) and can be rebuilt from the database at any time
(``satudata search reindex``).

- ``backend.py``: the ``SearchBackend`` protocol every engine implements, the query and
  response types, input normalisation shared by all engines, and ``get_backend(app)``.
- ``embedded.py``: tantivy in ``<instance>/search/`` (the single-machine default).
- ``elasticsearch.py``: Elasticsearch 8 behind a versioned index and an alias (production).
- ``text.py`` / ``synonyms.py`` / ``query.py`` / ``highlight.py``: Indonesian analysis
  (Sastrawi stems, stop words), the synonym list, the engine-neutral parsed query, and
  the highlighter of the embedded engine.
- ``services.py``: what the rest of the portal calls (``search_datasets``,
  ``schedule_reindex``, ``reindex_all``, ``search_status``, ...).
- ``tasks.py``: the RQ jobs of the ``search`` queue, the only writer of the index.
- ``cli.py``: ``satudata search reindex|status``.
"""
