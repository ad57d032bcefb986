"""The working-day calendar kept by the PPID Utama (#12): a regional holiday or a withdrawn cuti
bersama changes the calendar, and every open deadline is counted again in the same unit of
work (requests still on the clock, with their extension; registered keberatan), while decided
requests keep their dates; refusals say what is wrong; only the PPID Utama and admins may change
it; everything is audited; ``satudata ppid recompute`` does the same after a package upgrade;
reminders follow a moved deadline without being sent twice."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts.models import AuditLog, OutboxMessage
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.ppid import calendar, deadlines, services
from satudata.ppid.models import HolidayOverride, InformationRequest, Objection, RequestState
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.ppid.test_requests import REQUEST
from tests.workspace.conftest import csrf_of, sign_in

PAGE = "/kelola/ppid/kalender"
MONDAY = date(2026, 7, 6)  # a July without national holidays: 10 working days end on Monday 20 July
REGIONAL = date(2026, 7, 10)  # a Friday inside the window


@pytest.fixture()
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Moves the portal's "today" (``services.today``, which every service and job asks)."""
    def move(day: date) -> date:
        monkeypatch.setattr(services, "today", lambda: day)
        return day
    move(MONDAY)
    return move


def _file(client: Any, information: str) -> tuple[InformationRequest, str]:
    """A web request filed today (through the API), and its tracking code."""
    resp = client.post("/api/v1/ppid/requests", json={**REQUEST, "information": information})
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()["data"]
    request = db.session.scalars(select(InformationRequest).where(InformationRequest.number == data["number"])).one()
    return request, data["tracking_url"].split("kode=")[1]


@pytest.fixture()
def clock(scratch_client: Any, users: Any, today: Any) -> dict[str, Any]:  # noqa: F811
    """Filed on Monday 6 July 2026: an open request with a keberatan (ground b), an extended one,
    and one refused the same day with a keberatan on the refusal (ground a)."""
    officer = users["ppid_utama"]
    open_req, open_code = _file(scratch_client, "Jumlah tenaga kesehatan per puskesmas tahun 2025")
    extended, _ = _file(scratch_client, "Daftar puskesmas beserta alamat dan jam layanannya")
    services.act(officer, extended, "extend", {"days": 3, "reason": "Data dihimpun dari 20 puskesmas."})
    refused, refused_code = _file(scratch_client, "Salinan kontrak pengadaan alat kesehatan 2025")
    services.act(officer, refused, "refuse", {"exemptions": ["b"], "consequence_test": "Membuka harga penawaran "
                                              "mengganggu persaingan usaha yang sehat."})
    on_open = services.file_objection(open_req.number, open_code, {
        "grounds": ["b"], "case_summary": "Profil kesehatan tahunan tidak diumumkan di situs."})
    on_refusal = services.file_objection(refused.number, refused_code, {
        "grounds": ["a"], "case_summary": "Kontrak yang sudah selesai bukan rahasia dagang."})
    db.session.commit()
    return {"open": open_req, "extended": extended, "refused": refused, "on_open": on_open,
            "on_refusal": on_refusal, "officer": officer}


def _dates(clock: dict[str, Any]) -> dict[str, date]:
    db.session.expire_all()
    return {key: db.session.get(type(row), row.id).due_on for key, row in clock.items() if key != "officer"}


def _audits(prefix: str = "ppid.calendar") -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action.like(prefix + "%")).order_by(AuditLog.id)))


def test_a_regional_holiday_moves_open_deadlines_and_removing_it_moves_them_back(
        scratch_client: Any, clock: dict[str, Any]) -> None:
    plain = deadlines.WorkingCalendar()
    before = _dates(clock)
    assert before["open"] == date(2026, 7, 20) and before["on_open"] == date(2026, 8, 18)
    assert before["extended"] == deadlines.extended_due(plain, MONDAY, 3).due == date(2026, 7, 23)
    refused = db.session.get(InformationRequest, clock["refused"].id)
    assert refused.state == RequestState.REFUSED and refused.decided_on == MONDAY

    sign_in(scratch_client, "ppid.utama")
    resp = scratch_client.post(PAGE, data={"csrf_token": csrf_of(scratch_client, PAGE), "kind": "libur",
                                           "day": REGIONAL.isoformat(), "name": "Libur daerah HUT Kabupaten"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("?tahun=2026")
    page = scratch_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "2 tenggat permohonan dan 2 tenggat keberatan dihitung ulang" in page
    assert "Libur daerah HUT Kabupaten" in page and "Penyesuaian daerah" in page
    assert clock["open"].number in page  # the list of what moved

    after = _dates(clock)
    # One working day later each: the open request, the extended one (10 + 3), both keberatan.
    assert after["open"] == date(2026, 7, 21)
    assert after["extended"] == date(2026, 7, 24)
    assert after["on_open"] == date(2026, 8, 19) and after["on_refusal"] == date(2026, 8, 19)
    # The decided request keeps the dates it was decided against.
    assert after["refused"] == before["refused"] == date(2026, 7, 20)
    override = db.session.scalars(select(HolidayOverride)).one()
    assert (override.day, override.is_holiday, override.name) == (REGIONAL, True, "Libur daerah HUT Kabupaten")

    resp = scratch_client.post(f"{PAGE}/{override.id}/hapus", data={"csrf_token": csrf_of(scratch_client, PAGE)})
    assert resp.status_code == 302
    flashes = scratch_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "kembali mengikuti kalender nasional" in flashes
    assert "2 tenggat permohonan dan 2 tenggat keberatan dihitung ulang" in flashes
    assert _dates(clock) == before
    assert db.session.scalars(select(HolidayOverride)).all() == []

    # Audited: the change, one summary of what it moved (with the numbers), and the removal.
    actions = [(a.action, a.actor_label) for a in _audits()]
    assert actions == [("ppid.calendar.add", "user:ppid.utama"), ("ppid.calendar.recompute", "user:ppid.utama"),
                       ("ppid.calendar.remove", "user:ppid.utama"), ("ppid.calendar.recompute", "user:ppid.utama")]
    add, recompute = _audits()[:2]
    assert add.summary == {"day": "2026-07-10", "is_holiday": True, "name": "Libur daerah HUT Kabupaten"}
    assert recompute.summary["requests"] == 2 and recompute.summary["objections"] == 2
    assert [clock["open"].number, "2026-07-20", "2026-07-21"] in recompute.summary["moved_requests"]
    assert recompute.summary["cause"] == "ppid.calendar.add 2026-07-10"
    assert clock["refused"].number not in json.dumps(recompute.summary["moved_requests"])


def test_a_cuti_bersama_made_a_working_day_moves_deadlines_earlier(
        scratch_client: Any, users: Any, today: Any) -> None:  # noqa: F811
    today(date(2026, 12, 14))
    christmas_eve = date(2026, 12, 24)  # Cuti Bersama Hari Raya Natal (the package's "government")
    assert [h.category for h in deadlines.national_holidays(2026) if h.day == christmas_eve] == ["government"]
    req, code = _file(scratch_client, "Realisasi anggaran dinas kesehatan triwulan III 2026")
    objection = services.file_objection(req.number, code, {"grounds": ["b"], "case_summary": "Tidak diumumkan."})
    db.session.commit()
    assert (req.due_on, objection.due_on) == (date(2026, 12, 30), date(2027, 1, 29))

    change = calendar.add_override(users["admin"], christmas_eve, is_holiday=False,
                                   name="SKB perubahan: cuti bersama 24 Desember dibatalkan")
    db.session.commit()
    assert [(m.number, m.old, m.new) for m in change.recomputed.requests] == [
        (req.number, date(2026, 12, 30), date(2026, 12, 29))]
    assert [(m.old, m.new) for m in change.recomputed.objections] == [(date(2027, 1, 29), date(2027, 1, 28))]
    db.session.expire_all()
    assert db.session.get(InformationRequest, req.id).due_on == date(2026, 12, 29)
    assert db.session.get(Objection, objection.id).due_on == date(2027, 1, 28)
    assert services.calendar().is_working_day(christmas_eve)

    # The page lists it as a cuti bersama that is a working day here, with the reason.
    sign_in(scratch_client, "admin")
    html = scratch_client.get(PAGE).get_data(as_text=True)
    assert "Cuti Bersama Hari Raya Natal" in html and "Cuti bersama" in html
    assert "disesuaikan: SKB perubahan: cuti bersama 24 Desember dibatalkan" in html
    assert "Libur nasional" in html and "Hari Raya Natal" in html


@pytest.mark.parametrize(("day", "kind", "name", "field", "message"), [
    (date(2026, 7, 11), "libur", "Kerja bakti", "day", "jatuh pada hari Sabtu"),
    (date(2026, 7, 12), "libur", "Kerja bakti", "day", "bukan hari kerja"),
    (date(2026, 7, 10), "libur", "  ", "name", "Tulis nama hari libur"),
    (date(2026, 8, 25), "kerja", "", "name", "Tulis alasan"),
    (date(2026, 8, 17), "libur", "Upacara", "day", "sudah hari libur nasional atau cuti bersama"),
    (date(2026, 7, 7), "kerja", "Salah pilih", "day", "bukan hari libur nasional atau cuti bersama"),
    (date(2026, 5, 31), "kerja", "Waisak", "day", "jatuh pada hari Sabtu/Minggu"),
    (date(2031, 7, 7), "libur", "Salah ketik tahun", "day", "terlalu jauh"),
    (date(2023, 12, 29), "libur", "Terlalu lama", "day", "2024–2028"),
])
def test_pointless_or_incomplete_overrides_are_refused(app: Any, users: Any, today: Any, day: date, kind: str,  # noqa: F811
                                                       name: str, field: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        calendar.add_override(users["ppid_utama"], day, is_holiday=kind == "libur", name=name)
    assert message in " ".join(refused.value.details[field]) and message in refused.value.message
    db.session.rollback()
    assert db.session.scalars(select(HolidayOverride)).all() == []


def test_a_day_is_corrected_once_and_the_form_says_why_not(scratch_client: Any, users: Any, today: Any) -> None:  # noqa: F811
    sign_in(scratch_client, "ppid.utama")
    form = {"csrf_token": csrf_of(scratch_client, PAGE), "kind": "libur", "day": "2026-07-10",
            "name": "Libur daerah HUT Kabupaten"}
    assert scratch_client.post(PAGE, data=form).status_code == 302
    again = scratch_client.post(PAGE, data={**form, "name": "Cuti daerah"})
    html = again.get_data(as_text=True)
    assert again.status_code == 400
    assert "sudah disesuaikan (hari libur tambahan: Libur daerah HUT Kabupaten)" in html
    assert 'value="Cuti daerah"' in html  # what was typed stays
    weekend = scratch_client.post(PAGE, data={**form, "day": "2026-07-11"})
    assert weekend.status_code == 400 and "jatuh pada hari Sabtu" in weekend.get_data(as_text=True)
    nameless = scratch_client.post(PAGE, data={**form, "day": "2026-07-13", "name": ""})
    assert nameless.status_code == 400 and "Tulis nama hari libur" in nameless.get_data(as_text=True)
    nonsense = scratch_client.post(PAGE, data={**form, "day": "10/07/2026", "kind": "lain"})
    text = nonsense.get_data(as_text=True)
    assert nonsense.status_code == 400 and "Tulis tanggal yang valid" in text and "Pilih jenis penyesuaian" in text
    assert len(db.session.scalars(select(HolidayOverride)).all()) == 1
    assert [a.action for a in _audits()] == ["ppid.calendar.add", "ppid.calendar.recompute"]
    # Without the CSRF token nothing happens.
    assert scratch_client.post(PAGE, data={**form, "csrf_token": "", "day": "2026-07-14"}).status_code == 400


@pytest.mark.parametrize("username", ["produsen", "ppid.pelaksana", "atasan.ppid", "walidata"])
def test_only_the_ppid_utama_and_admins_keep_the_calendar(scratch_client: Any, users: Any, today: Any,  # noqa: F811
                                                          username: str) -> None:
    row = HolidayOverride(day=REGIONAL, is_holiday=True, name="Libur daerah")
    db.session.add(row)
    db.session.commit()
    sign_in(scratch_client, username)
    token = csrf_of(scratch_client, "/ppid")
    assert scratch_client.get(PAGE).status_code == 403
    assert scratch_client.post(PAGE, data={"csrf_token": token, "kind": "libur", "day": "2026-07-13",
                                           "name": "Libur"}).status_code == 403
    assert scratch_client.post(f"{PAGE}/{row.id}/hapus", data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert [o.day for o in db.session.scalars(select(HolidayOverride))] == [REGIONAL]
    assert _audits() == [] and _audits("access.denied")


def test_visitors_sign_in_first_and_keepers_find_the_page(scratch_client: Any, users: Any, today: Any) -> None:  # noqa: F811
    resp = scratch_client.get(PAGE)
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    sign_in(scratch_client, "ppid.utama")
    assert 'href="/kelola/ppid/kalender"' in scratch_client.get("/kelola/ppid").get_data(as_text=True)
    html = scratch_client.get(f"{PAGE}?tahun=2027").get_data(as_text=True)
    assert "Hari libur dan penyesuaian tahun 2027" in html and "Tahun Baru Masehi" in html
    assert scratch_client.get(f"{PAGE}?tahun=abc").status_code == 200  # this year instead
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "ppid.pelaksana")  # an officer without the calendar: no link to a 403
    assert 'href="/kelola/ppid/kalender"' not in scratch_client.get("/kelola/ppid").get_data(as_text=True)
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "admin")
    assert 'href="/kelola/ppid/kalender"' in scratch_client.get("/admin").get_data(as_text=True)
    assert scratch_client.get(PAGE).status_code == 200


def test_the_cli_recomputes_after_the_calendar_changed_under_it(app: Any, clock: dict[str, Any]) -> None:
    from satudata.ppid.cli import ppid_group

    # What a new ``holidays`` release does: the calendar changes and nothing recomputed yet.
    db.session.add(HolidayOverride(day=REGIONAL, is_holiday=True, name="Cuti bersama tambahan (SKB baru)"))
    db.session.commit()
    before = _dates(clock)
    runner = app.test_cli_runner()
    dry = runner.invoke(ppid_group, ["recompute", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{clock['open'].number}: 2026-07-20 -> 2026-07-21" in dry.output and "tidak ada yang diubah" in dry.output
    assert _dates(clock) == before and _audits() == []

    result = runner.invoke(ppid_group, ["recompute"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert f"{clock['open'].number}: 2026-07-20 -> 2026-07-21 (Senin, 20 Juli 2026 menjadi Selasa, 21 Juli 2026)" \
        in lines
    assert lines[-1] == "2 tenggat permohonan dan 2 tenggat keberatan dihitung ulang."
    after = _dates(clock)
    assert after["open"] == date(2026, 7, 21) and after["refused"] == before["refused"]
    assert [(a.action, a.actor_label, a.summary["requests"]) for a in _audits()] == [
        ("ppid.calendar.recompute", "system:cli", 2)]

    again = runner.invoke(ppid_group, ["recompute", "--json"])  # nothing left to move
    assert json.loads(again.output) == {"dry_run": False, "requests": [], "objections": []}


def test_reminders_follow_a_moved_deadline_once(app: Any, clock: dict[str, Any]) -> None:
    from satudata.ppid.tasks import send_reminders

    number = clock["open"].number
    keeper = clock["officer"]

    def reminded_on(day: str) -> list[str]:
        """The requests of the mails sent when the job runs on ``day``."""
        before = {m.id for m in db.session.scalars(select(OutboxMessage))}
        send_reminders(day)
        db.session.commit()
        new = [m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Pengingat%")))
               if m.id not in before]
        return sorted(n for m in new for n in (clock["open"].number, clock["extended"].number) if n in m.body)

    # Added before any reminder: working day 7 is now Thursday 16 July, not Wednesday 15.
    calendar.add_override(keeper, REGIONAL, is_holiday=True, name="Libur daerah HUT Kabupaten")
    db.session.commit()
    assert reminded_on("2026-07-15") == []
    assert number in reminded_on("2026-07-16")
    assert db.session.get(InformationRequest, clock["open"].id).reminders_sent == ["2026-07-16"]

    # Taken back after that reminder went out: day 7 is the 15th again (already reminded, not
    # again), day 10 is Monday 20 July (reminded then, not on the 21st).
    calendar.remove_override(keeper, db.session.scalars(select(HolidayOverride.id)).one())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(InformationRequest, clock["open"].id).reminders_sent == ["2026-07-15"]
    assert number not in reminded_on("2026-07-16")
    assert number in reminded_on("2026-07-20")
    assert number not in reminded_on("2026-07-21")
    assert db.session.get(InformationRequest, clock["open"].id).reminders_sent == ["2026-07-15", "2026-07-20"]
    mails = [m.body for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Pengingat%")))]
    assert sum(number in body for body in mails) == 2  # day 7 and day 10, each once


def test_reminders_are_not_repeated_while_a_recompute_is_pending(app: Any, clock: dict[str, Any]) -> None:
    """The job counts the reminders sent, so a calendar that changed under it (a package
    upgrade before ``satudata ppid recompute``) moves the next reminder, never repeats one."""
    from satudata.ppid.tasks import send_reminders

    number = clock["open"].number

    def mails() -> int:
        return sum(number in m.body for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject.like("Pengingat%"))))

    send_reminders("2026-07-15")  # working day 7
    db.session.add(HolidayOverride(day=REGIONAL, is_holiday=True, name="Cuti bersama tambahan (SKB baru)"))
    db.session.commit()
    assert mails() == 1
    send_reminders("2026-07-16")  # day 7 on the new calendar: already reminded
    send_reminders("2026-07-20")  # day 10 on the old one: not yet
    assert mails() == 1
    send_reminders("2026-07-21")  # day 10 on the new calendar
    assert mails() == 2
    assert db.session.get(InformationRequest, clock["open"].id).reminders_sent == ["2026-07-16", "2026-07-21"]


@pytest.mark.nodb
def test_reminders_sent_before_a_change_are_not_sent_again() -> None:
    """The rule the job and the recomputation share: the first reminders were sent, whatever
    their dates were."""
    days = [date(2026, 7, 16), date(2026, 7, 21)]
    assert calendar.carried_reminders(["2026-07-15"], days) == ["2026-07-16"]
    assert calendar.carried_reminders(["2026-07-15", "2026-07-20"], days) == ["2026-07-16", "2026-07-21"]
    assert calendar.carried_reminders([], days) == [] and calendar.carried_reminders(None, days) is None
