"""An item's status, derived from its release date, today's date in the portal's zone and the
state of the dataset that fulfils it. Nothing here is stored; every page, the API, the export
and the reminders ask :func:`standing`, so they cannot disagree.

- ``published``: the fulfilling dataset is published; on time when it was first published on
  or before the release date (in the portal's zone), late otherwise.
- ``late``: the release date has passed and the item is not published (whether or not a
  dataset was submitted: ``submitted`` then says it is with the walidata).
- ``submitted``: the fulfilling dataset is with the walidata (submitted, or returned with
  changes requested) and the release date has not passed.
- ``due``: anything else: no dataset yet, or a draft, and the release date is today or ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from satudata.catalog.models import DatasetState
from satudata.db import StrEnum
from satudata.review.daftar.models import DaftarDataItem

DEFAULT_ZONE = "Asia/Jakarta"  # WIB


class ItemStatus(StrEnum):
    DUE = "due"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    LATE = "late"


# The order the summaries and filters list them in.
STATUS_ORDER = (ItemStatus.DUE, ItemStatus.SUBMITTED, ItemStatus.PUBLISHED, ItemStatus.LATE)


def zone() -> ZoneInfo:
    """The portal's display zone (``DISPLAY_TIMEZONE``, WIB by default)."""
    name = current_app.config.get("DISPLAY_TIMEZONE") if has_app_context() else None
    return ZoneInfo(str(name or DEFAULT_ZONE))


def local_today() -> date:
    """Today's date where the portal's region is (WIB by default), not on the server's clock."""
    return datetime.now(zone()).date()


def local_date(stamp: datetime) -> date:
    """The calendar date of a UTC timestamp in the portal's zone."""
    return stamp.astimezone(zone()).date()


@dataclass(frozen=True)
class Standing:
    """Where an item stands on a given day."""

    status: ItemStatus
    days_left: int  # release date minus today: 0 on the day, negative once past
    published_on: date | None = None  # the day (local) the item's data became public (see fulfilled_at)
    on_time: bool | None = None  # published: on or before the release date
    submitted: bool = False  # the fulfilling dataset is with the walidata

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def standing(item: DaftarDataItem, today: date) -> Standing:
    """The status of ``item`` on ``today`` (pass the date: tests freeze time this way)."""
    days_left = (item.release_date - today).days
    dataset = item.dataset
    if dataset is not None and dataset.state == DatasetState.PUBLISHED:
        stamp = item.fulfilled_at or dataset.published_at or dataset.updated_at
        published_on = local_date(stamp) if stamp is not None else today
        return Standing(ItemStatus.PUBLISHED, days_left, published_on=published_on,
                        on_time=published_on <= item.release_date)
    submitted = dataset is not None and dataset.state in (DatasetState.SUBMITTED, DatasetState.CHANGES_REQUESTED)
    if days_left < 0:
        return Standing(ItemStatus.LATE, days_left, submitted=submitted)
    if submitted:
        return Standing(ItemStatus.SUBMITTED, days_left, submitted=True)
    return Standing(ItemStatus.DUE, days_left)


@dataclass(frozen=True)
class Row:
    """An item with where it stands (what the listings, the export and the reminders pass on)."""

    item: DaftarDataItem
    standing: Standing

    @property
    def status(self) -> ItemStatus:
        return self.standing.status


# Labels in Bahasa Indonesia for the spreadsheet and the mails, which are always Indonesian
# (the pages translate their own, see views.status_labels).
STATUS_TEXT = {
    ItemStatus.DUE: "Dijadwalkan",
    ItemStatus.SUBMITTED: "Diajukan",
    ItemStatus.PUBLISHED: "Terbit",
    ItemStatus.LATE: "Terlambat",
}


def status_text(s: Standing) -> str:
    """The status in one short Indonesian phrase, e.g. "Terbit (terlambat)"."""
    text = STATUS_TEXT[s.status]
    if s.status == ItemStatus.PUBLISHED:
        return f"{text} ({'tepat waktu' if s.on_time else 'terlambat'})"
    if s.status == ItemStatus.LATE and s.submitted:
        return f"{text} (sudah diajukan)"
    return text
