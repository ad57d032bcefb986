"""Datastore: typed columnar copies of validated tables and the queries over them.

After validation passes a table (validation sends ``table_validated``), this domain writes its
Parquet copy once, typed by its Table Schema (``copies.py``, the job in ``tasks.py``); the CKAN
DataStore actions (``datastore_search``, ``datastore_info``, ``datastore_search_sql``), the REST
``/api/v1/resources/<id>/data`` route (``api.py``) and the public previews, charts and maps
read that copy through ``services.py``, with DuckDB sandboxed to the copy (``engine.py``).
``satudata data rebuild`` (``cli.py``) writes every copy again.
"""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    """Write a table's copy after validation passes it (the job runs after commit), then its
    converted downloads, which read the copy; lend the catalogue the reader of the copies
    (previews, charts, maps and the XLSX/JSON downloads)."""
    from satudata.catalog import tables
    from satudata.datastore import preview, services
    from satudata.validation import events as validation_events

    validation_events.table_validated.connect(_table_validated)
    tables.use_reader(preview.read_page, preview.default_chart, map=preview.default_map, views=services.saved_views,
                      rows=services.whole_table)


def _table_validated(resource: Any, *, status: Any = None, **_: Any) -> None:
    from satudata.catalog import tasks as catalog_tasks
    from satudata.catalog.models import ValidationStatus
    from satudata.datastore import tasks

    if status == ValidationStatus.VALID and resource.sha256:
        tasks.enqueue_copy(resource)
        catalog_tasks.enqueue_build(resource)  # after the copy: the XLSX and JSON read it
