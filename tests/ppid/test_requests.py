"""Public information requests end to end (#12): filing without an account (web form and API),
the legal clock, the applicant's tracking, the officers' moves with what the law requires of
each, and a public register that never shows who asked."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from satudata.accounts.models import AuditLog, OutboxMessage
from satudata.extensions import db
from satudata.ppid import deadlines, services
from satudata.ppid.identity import mask_numbers, nik_problem
from satudata.ppid.models import InformationRequest, RequestState
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.workspace.conftest import csrf_of, sign_in

NIK = "1471024503900007"  # Pekanbaru (14.71), a woman born 5 March 1990
REQUEST = {
    "applicant_type": "perorangan", "name": "Siti Aminah Lubis", "nik": NIK, "email": "siti.aminah@contoh.id",
    "phone": "081277001122", "address": "Jl. Sudirman 12, Pekanbaru", "occupation": "Mahasiswa",
    "information": "Jumlah tenaga kesehatan per puskesmas tahun 2025, termasuk yang berstatus honorer",
    "purpose": "Penelitian skripsi", "obtain_method": "salinan_softcopy", "copy_method": "email",
    "target": "ppid-utama",
}

# The first bytes of a JPEG (what the portal reads to know a scan's type) and its end marker.
KTP_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 512 + b"\xff\xd9"


def ktp_scan(name: str = "ktp.jpg", data: bytes = KTP_JPEG) -> tuple[Any, str]:
    """An identity scan for a multipart form."""
    import io

    return (io.BytesIO(data), name)


def _file(client: Any, **overrides: Any) -> Any:
    return client.post("/api/v1/ppid/requests", json={**REQUEST, **overrides})


@pytest.mark.parametrize(("nik", "fragment"), [
    (NIK, None),
    ("1471020503900007", None),  # a man's date part
    ("147102450390007", "16 angka"),
    ("14710245039000AB", "tidak semuanya angka"),
    ("9971024503900007", "bukan kode provinsi"),
    ("1499024503900007", "bukan kode kabupaten/kota"),
    ("1471027313900007", "tanggal lahir"),
    ("1471024503900000", "0000"),
])
def test_nik_plausibility(app: Any, nik: str, fragment: str | None) -> None:
    problem = nik_problem(nik)
    assert (problem is None) if fragment is None else (fragment in (problem or ""))


@pytest.mark.nodb
def test_nik_like_numbers_are_masked() -> None:
    assert mask_numbers(f"NIK saya {NIK}, atau 1471 0245 0390 0007.") == \
        "NIK saya 147102••••••••••, atau 147102••••••••••."
    assert mask_numbers("anggaran 12345678901234567 rupiah") == "anggaran 12345678901234567 rupiah"  # 17 digits


def test_filing_through_the_api_starts_the_legal_clock(scratch_client: Any, users: Any) -> None:  # noqa: F811
    resp = _file(scratch_client)
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()["data"]
    req = db.session.scalars(select(InformationRequest)).one()
    assert data["number"] == req.number and re.fullmatch(r"PPID-\d+-\d{4}-0001", req.number)
    received = date.fromisoformat(data["received_date"])
    assert data["due_date"] == deadlines.notice_due(deadlines.WorkingCalendar(), received).due.isoformat()
    assert data["tracking_url"].startswith("http") and "kode=" in data["tracking_url"]
    secret = data["tracking_url"].split("kode=")[1]
    # The NIK is stored encrypted, never as written.
    assert NIK not in (req.identity_encrypted or "") and req.identity_encrypted
    # With the code the applicant follows it; without it, or with another, the same 404.
    tracked = scratch_client.get(f"/api/v1/ppid/requests/{req.number}?secret={secret}")
    assert tracked.status_code == 200 and tracked.get_json()["data"]["status"] == "Terdaftar, sedang diproses"
    assert scratch_client.get(f"/api/v1/ppid/requests/{req.number}").status_code == 404
    assert scratch_client.get(f"/api/v1/ppid/requests/{req.number}?secret=salah").status_code == 404
    assert scratch_client.get(f"/api/v1/ppid/requests/PPID-999-2026-0001?secret={secret}").status_code == 404
    # The receipt mail carries the tracking link; the audit log has the filing.
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == REQUEST["email"])).one()
    assert req.number in mail.subject and data["tracking_url"] in mail.body
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "ppid.file")).one().summary["number"] == \
        req.number
    # A second request of the same PPID in the same year gets the next number.
    second = _file(scratch_client, information="Daftar puskesmas beserta alamatnya di Kota Pekanbaru")
    assert second.get_json()["data"]["number"].endswith("-0002")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"nik": "123"}, "nik"),
    ({"name": "  "}, "name"),
    ({"email": "", "phone": ""}, "email"),
    ({"email": "bukan-surel"}, "email"),
    ({"applicant_type": "badan_hukum", "identity_number": ""}, "identity_number"),
    ({"obtain_method": "minta"}, "obtain_method"),
    ({"information": "data"}, "information"),
    ({"target": "dinas-yang-tidak-ada"}, "target"),
    ({"copy_method": "email", "email": "", "phone": "0812"}, "email"),
])
def test_bad_requests_are_refused_with_what_to_fix(scratch_client: Any, users: Any, overrides: dict[str, Any],  # noqa: F811
                                                   field: str) -> None:
    resp = _file(scratch_client, **overrides)
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["error"]["details"]
    assert db.session.scalar(select(func.count(InformationRequest.id))) == 0


def test_a_double_submission_is_one_request(scratch_client: Any, users: Any) -> None:  # noqa: F811
    first = _file(scratch_client).get_json()["data"]["number"]
    again = _file(scratch_client)
    assert again.status_code == 409 and first in again.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(InformationRequest.id))) == 1


def test_the_web_form_shows_the_number_and_the_private_link_once(scratch_client: Any, users: Any) -> None:  # noqa: F811
    home = scratch_client.get("/").get_data(as_text=True)
    assert 'href="/ppid"' in home
    page = scratch_client.get("/ppid/permohonan")
    assert page.status_code == 200 and "Rincian informasi yang dibutuhkan" in page.get_data(as_text=True)
    token = csrf_of(scratch_client, "/ppid/permohonan")
    resp = scratch_client.post("/ppid/permohonan", data={**REQUEST, "csrf_token": token,
                                                         "identity_scan": ktp_scan()})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html[:3000]
    req = db.session.scalars(select(InformationRequest)).one()
    assert f"Permohonan terdaftar dengan nomor {req.number}" in html
    link = re.search(r'href="(http[^"]+/ppid/lacak/[^"]+)"', html)
    assert link
    path = link.group(1).split("://", 1)[1].split("/", 1)[1]
    tracked = scratch_client.get("/" + path.replace("&amp;", "&")).get_data(as_text=True)
    assert "Hari kerja ke-0 dari 10" in tracked and REQUEST["information"] in tracked
    # A form a bot filled (the hidden field) is refused; a form with errors keeps what was typed.
    token = csrf_of(scratch_client, "/ppid/permohonan")
    assert scratch_client.post("/ppid/permohonan", data={**REQUEST, "website": "x", "csrf_token": token}
                               ).status_code == 400
    bad = scratch_client.post("/ppid/permohonan", data={**REQUEST, "nik": "1234", "information": "Data lain sekali",
                                                        "csrf_token": token})
    assert bad.status_code == 400
    assert "NIK harus 16 angka" in bad.get_data(as_text=True) and "Data lain sekali" in bad.get_data(as_text=True)
    assert "Unggah pindaian identitas" in bad.get_data(as_text=True)  # every problem at once


def test_officers_route_extend_and_answer_in_part(app: Any, scratch_client: Any, users: Any, orgs: Any) -> None:  # noqa: F811
    number = _file(scratch_client).get_json()["data"]["number"]
    secret = db.session.scalars(select(OutboxMessage)).one().body.split("kode=")[1].split()[0]
    req = db.session.scalars(select(InformationRequest)).one()
    received = req.received_on
    # Only the PPID officers of the request see it: the produsen is refused.
    sign_in(scratch_client, "produsen")
    assert scratch_client.get(f"/kelola/ppid/{number}").status_code == 403
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    # PPID Utama (Diskominfotik, the province) routes it to Dinas Kesehatan; the clock runs on.
    sign_in(scratch_client, "ppid.utama")
    inbox = scratch_client.get("/kelola/ppid").get_data(as_text=True)
    assert number in inbox and "Hari kerja ke-0 dari 10" in inbox
    detail = f"/kelola/ppid/{number}"
    token = csrf_of(scratch_client, detail)
    assert scratch_client.post(detail, data={"csrf_token": token, "action": "route", "to": "dinkes-riau"}
                               ).status_code == 302
    db.session.expire_all()
    req = db.session.get(InformationRequest, req.id)
    assert req.handler.slug == "dinkes-riau" and req.received_on == received
    assert req.due_on == deadlines.notice_due(services.calendar(), received).due
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    # The PPID Pelaksana of Dinkes extends it once, with reasons, by up to 7 working days.
    sign_in(scratch_client, "ppid.pelaksana")
    token = csrf_of(scratch_client, detail)
    refused = scratch_client.post(detail, data={"csrf_token": token, "action": "extend", "days": "9", "reason": ""})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "1 sampai 7 hari kerja" in text and "alasan perpanjangan" in text
    assert scratch_client.post(detail, data={"csrf_token": token, "action": "extend", "days": "7",
                                             "reason": "Data honorer dihimpun dari 20 puskesmas."}).status_code == 302
    db.session.expire_all()
    req = db.session.get(InformationRequest, req.id)
    assert req.state == RequestState.EXTENDED and req.extension_days == 7
    assert req.due_on == deadlines.extended_due(services.calendar(), received, 7).due
    token = csrf_of(scratch_client, detail)
    twice = scratch_client.post(detail, data={"csrf_token": token, "action": "extend", "days": "2", "reason": "lagi"})
    assert twice.status_code == 400  # extend is no move from "extended": once only
    # Granted in part: each blacked-out part needs its Pasal 17 ground and reason.
    grant = {"csrf_token": token, "action": "grant_in_part", "given": "Rekap tenaga kesehatan per puskesmas",
             "form": "Salinan PDF", "delivery": "Surel, 2 hari kerja", "cost": "0"}
    missing = scratch_client.post(detail, data={**grant, "redaction_part": "Nama tenaga honorer",
                                                "redaction_exemption": "", "redaction_reason": ""})
    assert missing.status_code == 400 and "huruf pengecualian Pasal 17" in missing.get_data(as_text=True)
    assert scratch_client.post(detail, data={**grant, "redaction_part": "Nama tenaga honorer",
                                             "redaction_exemption": "h",
                                             "redaction_reason": "Rahasia pribadi tenaga honorer"}).status_code == 302
    db.session.expire_all()
    req = db.session.get(InformationRequest, req.id)
    assert req.state == RequestState.GRANTED_IN_PART and req.decided_on is not None
    assert req.decision["redactions"] == [{"part": "Nama tenaga honorer", "exemptions": ["h"],
                                           "reason": "Rahasia pribadi tenaga honorer"}]
    # The applicant sees the answer and every step; notices were mailed.
    tracked = scratch_client.get(f"/ppid/lacak/{number}?kode={secret}").get_data(as_text=True)
    assert "Dikabulkan sebagian" in tracked and "Diteruskan ke PPID Pelaksana" in tracked
    assert "Pasal 17 huruf h" in tracked
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert subjects[1:] == [f"Permohonan {number}: Diteruskan ke PPID Pelaksana",
                            f"Permohonan {number}: Jangka waktu diperpanjang",
                            f"Permohonan {number}: Dikabulkan sebagian"]
    actions = [a for (a,) in db.session.execute(select(AuditLog.action).where(AuditLog.action.like("ppid.%"))
                                                .order_by(AuditLog.id))]
    assert actions == ["ppid.file", "ppid.route", "ppid.extend", "ppid.grant_in_part"]


def test_a_refusal_states_its_ground_and_consequence_test(app: Any, scratch_client: Any, users: Any) -> None:  # noqa: F811
    number = _file(scratch_client).get_json()["data"]["number"]
    sign_in(scratch_client, "ppid.utama")
    detail = f"/kelola/ppid/{number}"
    token = csrf_of(scratch_client, detail)
    resp = scratch_client.post(detail, data={"csrf_token": token, "action": "refuse", "consequence_test": ""})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Pasal 17" in text and "uji konsekuensi" in text
    assert scratch_client.post(detail, data={"csrf_token": token, "action": "refuse", "exemptions": ["h"],
                                             "consequence_test": "Membuka nama tenaga honorer mengungkap data "
                                                                 "pribadi mereka."}).status_code == 302
    db.session.expire_all()
    req = db.session.scalars(select(InformationRequest)).one()
    assert req.state == RequestState.REFUSED and req.decision["exemptions"] == ["h"]
    # A decided request takes no second decision.
    token = csrf_of(scratch_client, detail)
    again = scratch_client.post(detail, data={"csrf_token": token, "action": "grant", "given": "x", "form": "y",
                                              "delivery": "z", "cost": "0"})
    assert again.status_code == 400 and "sudah berstatus" in again.get_data(as_text=True)


def test_the_applicant_withdraws_with_the_code_only(scratch_client: Any, users: Any) -> None:  # noqa: F811
    number = _file(scratch_client).get_json()["data"]["number"]
    secret = db.session.scalars(select(OutboxMessage)).one().body.split("kode=")[1].split()[0]
    token = csrf_of(scratch_client, f"/ppid/lacak/{number}?kode={secret}")
    wrong = scratch_client.post(f"/ppid/lacak/{number}/cabut", data={"csrf_token": token, "kode": "tebakan"})
    assert wrong.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(InformationRequest)).one().state == RequestState.REGISTERED
    scratch_client.post(f"/ppid/lacak/{number}/cabut", data={"csrf_token": token, "kode": secret,
                                                             "reason": "Sudah saya temukan di katalog."})
    db.session.expire_all()
    assert db.session.scalars(select(InformationRequest)).one().state == RequestState.WITHDRAWN
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "ppid.withdraw")).one()
    assert entry.actor_label == f"pemohon:{number}"


def test_an_officer_records_a_letter_on_the_same_clock(scratch_client: Any, users: Any) -> None:  # noqa: F811
    sign_in(scratch_client, "ppid.pelaksana")
    received = services_today_minus(3)
    token = csrf_of(scratch_client, "/kelola/ppid/catat")
    resp = scratch_client.post("/kelola/ppid/catat", data={
        **REQUEST, "email": "", "copy_method": "pos", "target": "dinkes-riau", "channel": "surat",
        "received_on": received.isoformat(), "csrf_token": token})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:3000]
    req = db.session.scalars(select(InformationRequest)).one()
    assert str(req.channel) == "surat" and req.received_on == received
    assert req.due_on == deadlines.notice_due(services.calendar(), received).due
    # Revealing the NIK to the officer is written to the audit log.
    page = scratch_client.get(f"/kelola/ppid/{req.number}?identitas=1").get_data(as_text=True)
    assert NIK in page
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "ppid.identity_view")).one()


def services_today_minus(days: int) -> date:
    from satudata.ppid.services import today

    return today() - timedelta(days=days)


def test_the_public_register_never_shows_who_asked(scratch_client: Any, users: Any) -> None:  # noqa: F811
    first = _file(scratch_client, information=f"Salinan KTP saya dengan NIK {NIK} yang hilang di kantor").get_json()
    second = _file(scratch_client, name="Budi Santoso", email="budi@contoh.id", nik="1407011201850003",
                   information="Anggaran dinas kesehatan 2025").get_json()
    numbers = {first["data"]["number"], second["data"]["number"]}
    register = scratch_client.get("/api/v1/ppid/register").get_json()
    assert {e["number"] for e in register["data"]} == numbers and register["meta"]["total"] == 2
    pages = [scratch_client.get(p).get_data(as_text=True) for p in ("/ppid", "/ppid/register", "/api/v1/ppid/register")]
    for text in pages:
        for secret in (NIK, "1407011201850003", "Siti Aminah", "Budi Santoso", "siti.aminah@contoh.id",
                       "budi@contoh.id", "081277001122", "Jl. Sudirman"):
            assert secret not in text
    assert "147102••••••••••" in pages[1]


def _refused(scratch_client: Any) -> tuple[str, str]:
    """A request refused by the PPID Utama (signed out again); (number, tracking code)."""
    number = _file(scratch_client).get_json()["data"]["number"]
    secret = db.session.scalars(select(OutboxMessage)).first().body.split("kode=")[1].split()[0]  # type: ignore[union-attr]
    sign_in(scratch_client, "ppid.utama")
    detail = f"/kelola/ppid/{number}"
    token = csrf_of(scratch_client, detail)
    assert scratch_client.post(detail, data={"csrf_token": token, "action": "refuse", "exemptions": ["h"],
                                             "consequence_test": "Mengungkap data pribadi."}).status_code == 302
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    return number, secret


def test_a_keberatan_on_a_refusal_is_decided_by_the_atasan(scratch_client: Any, users: Any) -> None:  # noqa: F811
    from satudata.ppid.models import Objection, ObjectionState

    number, secret = _refused(scratch_client)
    track = f"/ppid/lacak/{number}?kode={secret}"
    page = scratch_client.get(track).get_data(as_text=True)
    assert "Ajukan keberatan kepada Atasan PPID" in page
    assert 'value="a"' in page and 'value="c" disabled' in page  # refused: (a) exists, (c) not answered does not
    token = csrf_of(scratch_client, track)
    url = f"/ppid/lacak/{number}/keberatan"
    # Without a ground, without the case summary, on a ground that does not exist: refused, nothing filed.
    bad = scratch_client.post(url, data={"csrf_token": token, "kode": secret, "case_summary": ""})
    assert bad.status_code == 400 and "Pilih alasan keberatan" in bad.get_data(as_text=True)
    late = scratch_client.post(url, data={"csrf_token": token, "kode": secret, "grounds": ["c"],
                                          "case_summary": "Tidak dijawab"})
    assert late.status_code == 400 and "belum ada atau batas 30 hari kerjanya sudah lewat" in late.get_data(as_text=True)
    proxy = scratch_client.post(url, data={"csrf_token": token, "kode": secret, "grounds": ["a"],
                                           "case_summary": "Data agregat tidak memuat data pribadi.",
                                           "proxy_name": "LBH Pekanbaru"})
    assert proxy.status_code == 400 and "surat kuasa" in proxy.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Objection.id))) == 0
    # With a wrong code, nothing either.
    assert scratch_client.post(url, data={"csrf_token": token, "kode": "salah", "grounds": ["a"],
                                          "case_summary": "x"}).status_code == 404
    ok = scratch_client.post(url, data={"csrf_token": token, "kode": secret, "grounds": ["a", "d"],
                                        "case_summary": "Yang saya minta data agregat, bukan nama orang."})
    assert ok.status_code == 302
    objection = db.session.scalars(select(Objection)).one()
    assert objection.grounds == ["a", "d"] and objection.number.startswith("KEB-")
    assert objection.due_on == deadlines.objection_answer_due(services.calendar(), objection.registered_on).due
    # The Atasan PPID lands on the objections, and must give reasons, name and position.
    sign_in(scratch_client, "atasan.ppid")
    inbox = scratch_client.get("/kelola/keberatan").get_data(as_text=True)
    assert objection.number in inbox
    detail = f"/kelola/keberatan/{objection.number}"
    token = csrf_of(scratch_client, detail)
    settle = scratch_client.post(detail, data={"csrf_token": token, "action": "settle", "reasons": "Sepakat."})
    assert settle.status_code == 400 and "musyawarah" in settle.get_data(as_text=True)  # ground (a) cannot be
    empty = scratch_client.post(detail, data={"csrf_token": token, "action": "reject", "reasons": "",
                                              "decider_name": "", "decider_position": ""})
    assert empty.status_code == 400 and "pertimbangan" in empty.get_data(as_text=True)
    assert scratch_client.post(detail, data={
        "csrf_token": token, "action": "reject", "reasons": "Nama tenaga honorer adalah data pribadi (Pasal 17 h).",
        "decider_name": "Sekretaris Daerah", "decider_position": "Atasan PPID Provinsi Riau"}).status_code == 302
    db.session.expire_all()
    objection = db.session.scalars(select(Objection)).one()
    assert objection.state == ObjectionState.REJECTED and objection.decision["decider_name"] == "Sekretaris Daerah"
    # A dispute before the Komisi Informasi is recorded when it happens.
    token = csrf_of(scratch_client, detail)
    assert scratch_client.post(detail, data={"csrf_token": token, "action": "record_dispute",
                                             "filed_on": services_today_minus(0).isoformat(),
                                             "register_number": "001/KI-RIAU/PS/2026"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Objection)).one().dispute["register_number"] == "001/KI-RIAU/PS/2026"
    # The applicant sees the answer and where to go next; the audit log has each step.
    page = scratch_client.get(track).get_data(as_text=True)
    assert "Keberatan ditolak" in page and "Komisi Informasi" in page and "001/KI-RIAU/PS/2026" in page
    actions = [a for (a,) in db.session.execute(select(AuditLog.action).where(AuditLog.action.like("ppid.objection%")).order_by(AuditLog.id))]
    assert actions == ["ppid.objection.file", "ppid.objection.reject", "ppid.objection.record_dispute"]


def test_only_the_atasan_of_the_request_decides(scratch_client: Any, users: Any) -> None:  # noqa: F811
    number, secret = _refused(scratch_client)
    track = f"/ppid/lacak/{number}?kode={secret}"
    token = csrf_of(scratch_client, track)
    scratch_client.post(f"/ppid/lacak/{number}/keberatan", data={"csrf_token": token, "kode": secret,
                                                                 "grounds": ["a"], "case_summary": "Keberatan."})
    from satudata.ppid.models import Objection

    objection = db.session.scalars(select(Objection)).one()
    sign_in(scratch_client, "ppid.utama")  # a PPID officer is not the Atasan PPID
    assert scratch_client.get(f"/kelola/keberatan/{objection.number}").status_code == 403
    assert scratch_client.get("/kelola/keberatan").status_code == 403


def test_statistics_count_outcomes_time_and_grounds(scratch_client: Any, users: Any) -> None:  # noqa: F811
    import json

    number, _secret = _refused(scratch_client)
    other = _file(scratch_client, information="Daftar puskesmas dan alamatnya di Kota Pekanbaru").get_json()
    sign_in(scratch_client, "ppid.utama")
    detail = f"/kelola/ppid/{other['data']['number']}"
    token = csrf_of(scratch_client, detail)
    assert scratch_client.post(detail, data={"csrf_token": token, "action": "grant", "given": "Daftar puskesmas",
                                             "form": "PDF", "delivery": "Surel", "cost": "0"}).status_code == 302
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    _file(scratch_client, information="Iklan obat kuat murah sekali hubungi kami", name="Spammer",
          email="spam@contoh.id")
    sign_in(scratch_client, "ppid.utama")
    spam = db.session.scalars(select(InformationRequest).where(InformationRequest.name == "Spammer")).one()
    token = csrf_of(scratch_client, f"/kelola/ppid/{spam.number}")
    assert scratch_client.post(f"/kelola/ppid/{spam.number}", data={"csrf_token": token, "action": "mark_spam",
                                                                      "reason": "Iklan"}).status_code == 302
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    html = scratch_client.get("/ppid/statistik").get_data(as_text=True)
    chart = json.loads(re.search(r'id="grafik-hasil-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert chart["labels"] == ["Diskominfotik Provinsi Riau"]
    values = {s["name"]: s["values"] for s in chart["series"]}
    assert values["granted"] == [1] and values["refused"] == [1]  # spam is no outcome and is not counted
    assert "100%" in html.replace("100,0%", "100%")  # both answered on their first day
    assert "huruf h" in html and "Siti Aminah" not in html and "Iklan obat" not in html
    # The register still lists the spam request by its number, without its text.
    register = scratch_client.get("/ppid/register").get_data(as_text=True)
    assert spam.number in register and "Iklan obat" not in register and number in register


def test_the_dip_is_kept_by_officers_and_searched_by_everyone(scratch_client: Any, users: Any) -> None:  # noqa: F811
    from satudata.ppid.models import DipEntry

    assert scratch_client.get("/kelola/ppid/dip").status_code in (302, 401)  # officers only
    sign_in(scratch_client, "ppid.pelaksana")  # Dinas Kesehatan's PPID Pelaksana
    page = "/kelola/ppid/dip"
    token = csrf_of(scratch_client, page)
    line = {"csrf_token": token, "organization": "dinkes-riau", "category": "berkala",
            "title": "Profil Kesehatan Provinsi Riau 2025", "responsible": "Sekretaris Dinas Kesehatan",
            "made": "Pekanbaru, Maret 2026", "form": "Elektronik (PDF)", "retention": "Permanen",
            "url": "https://dinkes.riau.go.id/profil-2025.pdf"}
    assert scratch_client.post(page, data=line).status_code == 302
    # An exempt line needs its Pasal 17 letter and the consequence test; another OPD's line is refused.
    exempt = scratch_client.post(page, data={**line, "category": "dikecualikan", "title": "Rekam medis pasien"})
    text = exempt.get_data(as_text=True)
    assert exempt.status_code == 400 and "huruf Pasal 17" in text and "uji konsekuensi" in text
    other = scratch_client.post(page, data={**line, "organization": "diskominfotik-riau"})
    assert other.status_code == 400 and "tidak mengelola DIP Diskominfotik" in other.get_data(as_text=True)
    assert scratch_client.post(page, data={**line, "category": "dikecualikan", "title": "Rekam medis pasien",
                                           "exemption": "h", "consequence_test": "Membuka rekam medis melanggar "
                                                                                 "rahasia pribadi pasien."}
                               ).status_code == 302
    assert db.session.scalar(select(func.count(DipEntry.id))) == 2
    public = scratch_client.get("/ppid/dip?q=profil").get_data(as_text=True)
    assert "Profil Kesehatan Provinsi Riau 2025" in public and "Rekam medis" not in public
    everything = scratch_client.get("/ppid/dip").get_data(as_text=True)
    assert "Informasi yang dikecualikan" in everything and "Pasal 17 huruf h" in everything
    # While an applicant types, the form suggests open lines of the DIP (never the exempt ones).
    suggested = scratch_client.get("/ppid/dip/saran?q=kesehatan").get_json()["data"]
    assert [d["title"] for d in suggested] == ["Profil Kesehatan Provinsi Riau 2025"]
    assert suggested[0]["url"] == "https://dinkes.riau.go.id/profil-2025.pdf"
    assert scratch_client.get("/ppid/dip/saran?q=rekam").get_json()["data"] == []
    assert scratch_client.get("/ppid/dip/saran?q=ab").get_json()["data"] == []
    entry = db.session.scalars(select(DipEntry).where(DipEntry.category == "berkala")).one()
    token = csrf_of(scratch_client, f"/kelola/ppid/dip/{entry.id}")
    assert scratch_client.post(f"/kelola/ppid/dip/{entry.id}", data={"csrf_token": token, "action": "delete"}
                               ).status_code == 302
    actions = [a for (a,) in db.session.execute(select(AuditLog.action).where(AuditLog.action.like("ppid.dip%"))
                                                .order_by(AuditLog.id))]
    assert actions == ["ppid.dip.create", "ppid.dip.create", "ppid.dip.delete"]


def test_officers_are_reminded_on_working_days_7_and_10_once(scratch_client: Any, users: Any) -> None:  # noqa: F811
    from satudata.ppid.tasks import send_reminders

    number = _file(scratch_client).get_json()["data"]["number"]
    req = db.session.scalars(select(InformationRequest)).one()
    cal = services.calendar()

    def on(day: int) -> str:
        return cal.add_working_days(req.received_on, day).isoformat()

    def reminders() -> list[OutboxMessage]:
        return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Pengingat PPID%"))))

    assert send_reminders(on(6))["mails"] == 0
    assert send_reminders(on(7)) == {"date": on(7), "requests": 1, "mails": 1}
    assert send_reminders(on(7))["mails"] == 0  # once
    mail = reminders()[0]
    assert mail.recipient == users["ppid_utama"].email  # the PPID Utama of the province handles it
    assert number in mail.body and "hari kerja ke-7 dari 10" in mail.body
    assert send_reminders(on(12))["mails"] == 1  # day 10 was missed: one mail, which says it is late
    assert "TERLAMBAT" in reminders()[-1].body
    db.session.expire_all()
    assert db.session.get(InformationRequest, req.id).state == RequestState.REGISTERED  # never a refusal


def test_an_answer_can_be_a_published_dataset(scratch_client: Any, users: Any, orgs: Any) -> None:  # noqa: F811
    from tests.factories import make_dataset

    published = make_dataset(orgs["dinkes"], title="Jumlah Tenaga Kesehatan per Puskesmas 2025")
    draft = make_dataset(orgs["dinkes"], publish=False, title="Draf tenaga kesehatan")
    number = _file(scratch_client).get_json()["data"]["number"]
    sign_in(scratch_client, "ppid.utama")
    detail = f"/kelola/ppid/{number}"
    token = csrf_of(scratch_client, detail)
    grant = {"csrf_token": token, "action": "grant", "given": "Dataset tenaga kesehatan", "form": "Dataset terbuka",
             "delivery": "Tautan, hari ini", "cost": "0"}
    refused = scratch_client.post(detail, data={**grant, "datasets": draft.slug})
    assert refused.status_code == 400 and "belum terbit" in refused.get_data(as_text=True)
    assert scratch_client.post(detail, data={**grant, "datasets": f"http://localhost/dataset/{published.slug}"}
                               ).status_code == 302
    db.session.expire_all()
    req = db.session.scalars(select(InformationRequest)).one()
    assert req.decision["datasets"] == [{"slug": published.slug, "title": published.title}]
    entry = next(e for e in scratch_client.get("/api/v1/ppid/register").get_json()["data"] if e["number"] == number)
    assert entry["datasets"] == [published.slug]
    assert f'href="/dataset/{published.slug}"' in scratch_client.get("/ppid/register").get_data(as_text=True)
