"""Table validation: checks a table (CSV, XLSX, JSON) against a frictionless Table Schema.

This domain owns the validation engine (a vectorised fast path with pyarrow and polars that
gives the same report as ``frictionless.validate()``, and falls back to it for anything it does
not cover), the library of standard Table Schemas, the Bahasa Indonesia explanations of each
error type, the RQ job that validates an uploaded resource, and the offline ``satudata
validate`` command. Reading the files and checking a Table Schema is the kernel's
``satudata.tabular`` (the catalogue needs it too).

Public entry points: ``engine.validate_table``, ``tasks.enqueue_validation`` /
``tasks.validate_resource`` / ``tasks.get_progress`` and ``messages.explain``. Nothing is
imported at module level here, so importing the package stays cheap (the engine pulls in
polars, pyarrow and frictionless).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Validate what the catalogue says needs it (it sends ``table_changed``; validation marks the
    resource pending and enqueues the job, which runs after commit), and lend the catalogue the
    library of standard Table Schemas."""
    from satudata.catalog import events as catalog_events
    from satudata.catalog import services as catalog
    from satudata.validation.services import standard_of

    catalog_events.table_changed.connect(_table_changed)
    catalog.use_schema_library(standard_of)


def _table_changed(resource: Any, *, actor: Any = None, **_: Any) -> None:
    from satudata.validation import tasks

    tasks.enqueue_validation(resource, requested_by=actor)
