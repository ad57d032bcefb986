"""Signals the review domain sends, so that higher domains (search, later notifications) can
react to the lifecycle without review importing them (DESIGN.md §2). Receivers are connected
when the app starts, by the reacting domain's ``init_app``; work they start is enqueued, so it
runs after the transaction commits (and not at all when it rolls back)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent by ``transitions.apply`` after every lifecycle move, once the move's ReviewEvent and
#: audit row are written (flushed, not committed). Sender: the ``Dataset``; keywords
#: ``transition`` (the move's name: ``submit``, ``publish``, ``withdraw``, ...), ``actor``
#: (who made it) and ``event`` (the ``ReviewEvent``).
dataset_moved = _signals.signal("dataset-moved")

#: A published dataset was withdrawn (sender: the ``Dataset``; keyword ``reason``: the public
#: reason). Search removes it from the index after commit.
dataset_withdrawn = _signals.signal("dataset-withdrawn")
