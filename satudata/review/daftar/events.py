"""Signals the Daftar Data sends so that higher domains can react without the Daftar Data
importing them (DESIGN.md §2). Receivers are connected when the app starts, by the reacting
domain's ``init_app``; they run in the sender's unit of work."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: An item is about to be deleted (sender: the ``DaftarDataItem``, still in the database;
#: keyword ``actor``: who deletes it). Rows that point at it forget it (SQLite does not
#: enforce ``ON DELETE SET NULL`` and reuses ids).
item_deleted = _signals.signal("daftar-item-deleted")
