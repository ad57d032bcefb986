"""Signals the validation domain sends, so that higher domains can react to a verdict without
validation importing them (DESIGN.md §2). Receivers are connected by the reacting domain's
``init_app``; work they start is enqueued, so it runs after the verdict commits."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by the validation job once a verdict is written (flushed, about to be committed).
#: Sender: the ``Resource``; keyword ``status`` (the ``ValidationStatus``). The datastore builds
#: the table's columnar copy after a ``valid`` verdict.
table_validated = _signals.signal("table-validated")
