"""What time it is for the PPID: "today" in the portal's time zone (the law counts local working
days) and the moment a notice is issued. Both can be pinned for a block (:func:`pinned`), which
the demo uses to file last year's requests on their own days; nothing else pins them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from satudata.db import utcnow

_pinned: ContextVar[tuple[date, datetime | None] | None] = ContextVar("ppid_pinned_clock", default=None)


def today() -> date:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned[0]
    return datetime.now(ZoneInfo(str(current_app.config["DISPLAY_TIMEZONE"]))).date()


def now() -> datetime:
    """When a document is issued (its date on the letter; a signature keeps the real time)."""
    pinned = _pinned.get()
    if pinned is not None and pinned[1] is not None:
        return pinned[1]
    return utcnow()


@contextmanager
def pinned(day: date, at: datetime | None = None) -> Iterator[None]:
    """``today()`` is ``day`` (and ``now()`` is ``at``, when given) while the block runs."""
    token = _pinned.set((day, at))
    try:
        yield
    finally:
        _pinned.reset(token)
