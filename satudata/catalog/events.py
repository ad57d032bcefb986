"""Signals the catalogue sends so that higher domains can react without the catalogue importing
them (DESIGN.md §2). Receivers are connected when the app starts, by the reacting domain's
``init_app``; work they start is enqueued, so it runs after the transaction commits."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A dataset's published version changed (sender: the ``Dataset``; search indexes it).
dataset_published = _signals.signal("dataset-published")

#: A stored table needs validating: a new or replaced file, a new Table Schema, or a producer's
#: request (sender: the ``Resource``, flushed; keyword ``actor``: who asked). Validation
#: marks it pending and validates it after commit.
table_changed = _signals.signal("table-changed")
