"""An item's status over time: due, submitted, published (on time or late), late. "Today" is
frozen by passing the date, never by mocking the clock; the published day is the WIB date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from satudata.catalog.models import DatasetState
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.status import ItemStatus, local_date, local_today, standing, status_text
from tests.factories import SYSTEM
from tests.review.daftar.conftest import make_item, new_dataset, request_changes

RELEASE = date(2026, 3, 31)


def _at(item: Any, day: date) -> Any:
    return standing(item, day)


def test_without_a_dataset_an_item_is_due_until_its_date_then_late(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    month_before = _at(item, date(2026, 3, 1))
    assert (month_before.status, month_before.days_left) == (ItemStatus.DUE, 30)
    on_the_day = _at(item, RELEASE)
    assert (on_the_day.status, on_the_day.days_left) == (ItemStatus.DUE, 0)
    day_after = _at(item, date(2026, 4, 1))
    assert (day_after.status, day_after.days_late, day_after.submitted) == (ItemStatus.LATE, 1, False)
    assert status_text(day_after) == "Terlambat"


def test_a_draft_dataset_does_not_change_the_status(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    daftar.link_dataset(SYSTEM, item, new_dataset(region["dinkes"], "Draf Nakes").slug)
    assert _at(item, date(2026, 3, 1)).status == ItemStatus.DUE
    assert _at(item, date(2026, 4, 2)).status == ItemStatus.LATE


def test_submitted_until_the_date_then_late_but_with_the_walidata(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    ds = new_dataset(region["dinkes"], "Nakes 2026", state="submitted")
    daftar.link_dataset(SYSTEM, item, ds.slug)
    before = _at(item, date(2026, 3, 30))
    assert (before.status, before.submitted) == (ItemStatus.SUBMITTED, True)
    after = _at(item, date(2026, 4, 5))
    assert (after.status, after.submitted, after.days_late) == (ItemStatus.LATE, True, 5)
    assert status_text(after) == "Terlambat (sudah diajukan)"
    # Returned with changes requested: still with the walidata's process, still "submitted".
    request_changes(ds, "Satuan belum diisi")
    assert _at(item, date(2026, 3, 30)).status == ItemStatus.SUBMITTED


def test_published_on_time_or_late_whatever_today_is(region: Any) -> None:
    today = local_today()
    early = make_item(region["dinkes"], "Terbit lebih awal", release=today + timedelta(days=5))
    late = make_item(region["dinkes"], "Terbit terlambat", release=today - timedelta(days=3))
    for item, title in ((early, "Nakes A"), (late, "Nakes B")):
        daftar.link_dataset(SYSTEM, item, new_dataset(region["dinkes"], title, state="published").slug)
    for day in (today - timedelta(days=30), today, today + timedelta(days=30)):
        on_time, behind = _at(early, day), _at(late, day)
        assert (on_time.status, on_time.on_time, on_time.published_on) == (ItemStatus.PUBLISHED, True, today)
        assert (behind.status, behind.on_time) == (ItemStatus.PUBLISHED, False)
    assert status_text(_at(early, today)) == "Terbit (tepat waktu)"
    assert status_text(_at(late, today)) == "Terbit (terlambat)"


def test_the_published_day_is_the_day_in_wib(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    ds = new_dataset(region["dinkes"], "Nakes 2026", state="published")
    daftar.link_dataset(SYSTEM, item, ds.slug)
    # 31 March, 18:00 UTC is 1 April, 01:00 WIB: a day after the release date.
    ds.published_at = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)
    assert local_date(ds.published_at) == date(2026, 4, 1)
    assert _at(item, date(2026, 6, 1)).on_time is False
    ds.published_at = datetime(2026, 3, 31, 16, 59, tzinfo=UTC)  # 23:59 WIB on the day
    assert _at(item, date(2026, 6, 1)).on_time is True


def test_withdrawn_is_not_published(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    ds = new_dataset(region["dinkes"], "Nakes 2026", state="published")
    daftar.link_dataset(SYSTEM, item, ds.slug)
    # What the walidata's "withdraw" move will leave (not in the transition table yet); never saved.
    ds.state = DatasetState.WITHDRAWN
    assert _at(item, date(2026, 3, 1)).status == ItemStatus.DUE
    assert _at(item, date(2026, 4, 1)).status == ItemStatus.LATE
    db.session.rollback()


def test_today_is_the_date_in_wib(app: Any) -> None:
    assert local_today() == datetime.now(ZoneInfo("Asia/Jakarta")).date()
    app.config["DISPLAY_TIMEZONE"] = "Asia/Makassar"  # Sulawesi Barat: WITA
    try:
        assert local_today() == datetime.now(ZoneInfo("Asia/Makassar")).date()
    finally:
        app.config["DISPLAY_TIMEZONE"] = "Asia/Jakarta"
