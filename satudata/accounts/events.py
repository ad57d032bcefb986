"""Signals accounts sends so that higher domains can react without accounts importing them
(DESIGN.md §2). Receivers are connected when the app starts, by the reacting domain's
``init_app``; work they start is enqueued, so it runs after the transaction commits."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: An organisation's name or region changed (its ``kode_wilayah``, its parent's for an OPD
#: without one, or its parent) (sender: the ``Organization``, flushed). Its datasets' search
#: documents carry the name and the region (search reindexes them).
organization_renamed = _signals.signal("organization-renamed")
