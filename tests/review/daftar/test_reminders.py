"""The reminder job: mails before a release date and when an item is late, through the outbox,
in Bahasa Indonesia, each reminder once. "Today" is the job's date parameter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import OutboxMessage
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarReminder
from satudata.review.daftar.tasks import send_reminders
from tests.factories import SYSTEM
from tests.review.daftar.conftest import make_item, new_dataset

RELEASE = date(2026, 3, 31)


def _run(day: date) -> dict[str, Any]:
    return send_reminders(day.isoformat())


def _mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _kinds() -> list[tuple[str, str]]:
    return [(r.kind, r.release_date.isoformat()) for r in
            db.session.scalars(select(DaftarReminder).order_by(DaftarReminder.id))]


def test_the_job_is_periodic() -> None:
    assert any(name == "satudata.review.daftar.tasks.send_reminders" for name, _q, _i in jobs.PERIODIC)


def test_fourteen_and_three_days_before_then_late_each_once(region: Any, users: Any) -> None:
    make_item(region["dinkes"], "Jumlah Tenaga Kesehatan", release=RELEASE, is_priority=True)
    assert _run(RELEASE - timedelta(days=15))["reminders"] == 0

    assert _run(RELEASE - timedelta(days=14)) == {"date": "2026-03-17", "reminders": 1, "mails": 2}
    mails = _mails()
    assert sorted(m.recipient for m in mails) == ["produsen@riau.go.id", "walidata@riau.go.id"]
    body = mails[0].body
    assert mails[0].subject == "Pengingat Daftar Data: 1 data mendekati jadwal rilis"
    assert "Jumlah Tenaga Kesehatan [Data Prioritas]" in body
    assert "Jadwal rilis: 31 Maret 2026 (14 hari lagi); belum ada dataset yang diajukan." in body
    assert "http://localhost/kelola/daftar-data/opd/dinkes-riau?tahun=2026" in body

    assert _run(RELEASE - timedelta(days=14))["mails"] == 0  # the same day again: sent already
    assert _run(RELEASE - timedelta(days=10))["mails"] == 0  # between thresholds: nothing new
    assert _run(RELEASE - timedelta(days=3))["reminders"] == 1
    assert _run(RELEASE)["reminders"] == 0
    late = _run(RELEASE + timedelta(days=1))
    assert late["reminders"] == 1 and late["mails"] == 2
    last = _mails()[-1]
    assert last.subject == "Daftar Data: 1 data melewati jadwal rilis"
    assert "(sudah lewat 1 hari); belum ada dataset yang diajukan." in last.body
    assert _run(RELEASE + timedelta(days=2))["reminders"] == 0
    assert _kinds() == [("before_14", "2026-03-31"), ("before_3", "2026-03-31"), ("late", "2026-03-31")]
    assert len(_mails()) == 6


def test_an_item_added_late_gets_only_the_nearest_reminder(region: Any) -> None:
    make_item(region["dinkes"], release=RELEASE)
    assert _run(RELEASE - timedelta(days=2))["reminders"] == 1
    assert _run(RELEASE - timedelta(days=1))["reminders"] == 0
    assert _kinds() == [("before_3", "2026-03-31")]


def test_one_mail_per_person_lists_all_their_items(region: Any) -> None:
    make_item(region["dinkes"], "Data A", release=RELEASE)
    make_item(region["dinkes"], "Data B", release=RELEASE - timedelta(days=20))  # late by 6 days
    result = _run(RELEASE - timedelta(days=14))
    assert (result["reminders"], result["mails"]) == (2, 2)
    mail = next(m for m in _mails() if m.recipient == "produsen@riau.go.id")
    assert mail.subject == "Daftar Data: 1 data mendekati jadwal rilis, 1 terlambat"
    assert "- Data A" in mail.body and "- Data B" in mail.body and "sudah lewat 6 hari" in mail.body


def test_a_submitted_item_is_not_reminded_and_its_late_notice_goes_to_the_walidata(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    daftar.link_dataset(SYSTEM, item, new_dataset(region["dinkes"], "Nakes", state="submitted").slug)
    db.session.commit()
    assert _run(RELEASE - timedelta(days=14))["reminders"] == 0
    assert _run(RELEASE + timedelta(days=1))["mails"] == 1
    mail = _mails()[-1]
    assert mail.recipient == "walidata@riau.go.id"
    assert "dataset sudah diajukan dan menunggu pemeriksaan walidata" in mail.body


def test_published_items_need_no_reminder(region: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    daftar.link_dataset(SYSTEM, item, new_dataset(region["dinkes"], "Nakes", state="published").slug)
    db.session.commit()
    for offset in (-14, -3, 1):
        assert _run(RELEASE + timedelta(days=offset))["reminders"] == 0


def test_a_new_release_date_makes_the_reminders_due_again(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], release=RELEASE)
    _run(RELEASE - timedelta(days=3))
    daftar.update_item(users["walidata"], item, release_date=RELEASE + timedelta(days=30))
    db.session.commit()
    assert _run(RELEASE + timedelta(days=16))["reminders"] == 1
    assert _kinds()[-1] == ("before_14", "2026-04-30")


def test_items_late_for_long_get_no_late_notice(region: Any) -> None:
    make_item(region["dinkes"], release=RELEASE)
    assert _run(RELEASE + timedelta(days=45))["reminders"] == 0  # imported long after its date


def test_the_days_are_a_setting(app: Any, region: Any) -> None:
    make_item(region["dinkes"], release=RELEASE)
    app.config["DAFTAR_REMINDER_DAYS"] = [7]
    try:
        assert _run(RELEASE - timedelta(days=14))["reminders"] == 0
        assert _run(RELEASE - timedelta(days=7))["reminders"] == 1
    finally:
        app.config["DAFTAR_REMINDER_DAYS"] = (14, 3)
    assert _kinds() == [("before_7", "2026-03-31")]


def test_inactive_accounts_are_not_mailed(region: Any, users: Any) -> None:
    users["produsen"].active = False
    db.session.commit()
    make_item(region["dinkes"], release=RELEASE)
    _run(RELEASE - timedelta(days=3))
    assert [m.recipient for m in _mails()] == ["walidata@riau.go.id"]
