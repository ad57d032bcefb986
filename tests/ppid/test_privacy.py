"""The applicant's personal data under UU PDP (#12): the identity scan checked by its content,
kept encrypted and opened only by the officers of the request (each opening audited); personal
data blanked when the retention period ends; and an answer made into open data without
anything of the applicant in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, text

from satudata.accounts.models import AuditLog, Notification, User
from satudata.catalog.models import Dataset, DatasetState
from satudata.extensions import db
from satudata.ppid import retention, services, tasks
from satudata.ppid.models import PURGED_NAME, InformationRequest, RequestState
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.ppid.test_requests import KTP_JPEG, NIK, REQUEST, ktp_scan
from tests.workspace.conftest import csrf_of, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def services_officer() -> User:
    return db.session.scalars(select(User).where(User.username == "ppid.utama")).one()


def _post_form(client: Any, scan: Any = None, **overrides: Any) -> Any:
    token = csrf_of(client, "/ppid/permohonan")
    data = {**REQUEST, "csrf_token": token, **overrides}
    if scan is not None:
        data["identity_scan"] = scan
    return client.post("/ppid/permohonan", data=data, content_type="multipart/form-data")


def test_the_web_form_takes_a_scan_by_its_content_and_keeps_it_encrypted(scratch_client: Any, users: Any) -> None:  # noqa: F811
    # No scan, a GIF named .jpg, and a file over the limit: each refused with what to do.
    missing = _post_form(scratch_client)
    assert missing.status_code == 400 and "Unggah pindaian identitas" in missing.get_data(as_text=True)
    disguised = _post_form(scratch_client, ktp_scan("ktp.jpg", b"GIF89a" + b"\x00" * 64))
    assert disguised.status_code == 400 and "JPG atau PNG, atau PDF" in disguised.get_data(as_text=True)
    scratch_client.application.config["PPID_SCAN_MAX_BYTES"] = 1024
    try:
        big = _post_form(scratch_client, ktp_scan("ktp.jpg", KTP_JPEG[:3] + b"\x00" * 2048))
        assert big.status_code == 400 and "lebih besar dari batas 1 KB" in big.get_data(as_text=True)
    finally:
        scratch_client.application.config["PPID_SCAN_MAX_BYTES"] = 5 * 1024 * 1024
    assert db.session.scalar(select(func.count(InformationRequest.id))) == 0  # nothing half-filed
    # A NIK copied in groups and a name with stray spaces are the same applicant.
    filed = _post_form(scratch_client, ktp_scan("KTP Siti.png", PNG), nik="1471 0245 0390 0007",
                       name="  Siti   Aminah Lubis ")
    assert filed.status_code == 200, filed.get_data(as_text=True)[:2000]
    req = db.session.scalars(select(InformationRequest)).one()
    assert req.identity_scan_type == "image/png" and req.identity_scan_name == "KTP Siti.png"
    assert req.name == "Siti Aminah Lubis"
    assert services.identity_number(services_officer(), req) == NIK
    stored = db.session.execute(text("SELECT identity_scan FROM ppid_request")).scalar_one()
    assert PNG not in bytes(stored) and b"PNG" not in bytes(stored)  # encrypted at rest


def test_only_the_officers_of_the_request_open_the_scan_and_each_opening_is_logged(
        scratch_client: Any, users: Any) -> None:  # noqa: F811
    assert _post_form(scratch_client, ktp_scan("ktp.pdf", PDF)).status_code == 200
    number = db.session.scalars(select(InformationRequest.number)).one()
    path = f"/kelola/ppid/{number}/identitas"
    assert scratch_client.get(path).status_code in (302, 401)  # anonymous: sign in first
    for other in ("produsen", "ppid.pelaksana"):  # the request is still with the PPID Utama, not Dinkes
        sign_in(scratch_client, other)
        assert scratch_client.get(path).status_code == 403
        scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "ppid.utama")
    assert f'href="{path}"' in scratch_client.get(f"/kelola/ppid/{number}").get_data(as_text=True)
    opened = scratch_client.get(path)
    assert opened.status_code == 200 and opened.data == PDF and opened.mimetype == "application/pdf"
    assert "no-store" in opened.headers["Cache-Control"] and opened.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in opened.headers["Content-Security-Policy"]
    views = db.session.scalars(select(AuditLog).where(AuditLog.action == "ppid.identity_scan_view")).all()
    assert len(views) == 1 and views[0].summary == {"number": number}


def test_the_api_and_an_officers_record_go_without_a_scan(scratch_client: Any, users: Any) -> None:  # noqa: F811
    assert scratch_client.post("/api/v1/ppid/requests", json=REQUEST).status_code == 201
    req = db.session.scalars(select(InformationRequest)).one()
    assert req.identity_scan is None and req.identity_scan_type == ""


def _decided(client: Any, **overrides: Any) -> InformationRequest:
    number = client.post("/api/v1/ppid/requests", json={**REQUEST, **overrides}).get_json()["data"]["number"]
    req = db.session.scalars(select(InformationRequest).where(InformationRequest.number == number)).one()
    officer = db.session.scalars(select(User).where(User.username == "ppid.utama")).one()
    services.act(officer, req, "grant", {"given": "Rekap", "form": "PDF", "delivery": "Surel", "cost": 0})
    db.session.commit()
    return req


def test_personal_data_is_blanked_when_the_retention_period_ends(scratch_client: Any, users: Any) -> None:  # noqa: F811
    done = _decided(scratch_client, information=f"Data untuk NIK {NIK} dan keluarganya")
    still_open = scratch_client.post("/api/v1/ppid/requests", json={**REQUEST, "information": "Data lain sekali"}
                                     ).get_json()["data"]["number"]
    today = services.today()
    days = scratch_client.application.config["PPID_RETENTION_DAYS"]
    assert retention.purge_personal_data(today + timedelta(days=days - 1)) == []  # not yet
    # The daily job (a unit of work of its own, committed).
    assert tasks.purge_personal_data((today + timedelta(days=days + 1)).isoformat()) == {
        "purged": 1, "numbers": [done.number]}
    db.session.expire_all()
    gone = db.session.get(InformationRequest, done.id)
    assert gone.name == PURGED_NAME and gone.identity_encrypted is None
    assert (gone.email, gone.phone, gone.address) == ("", "", "")
    assert NIK not in gone.information and gone.personal_data_purged_at is not None
    assert gone.state == RequestState.GRANTED and gone.decided_on is not None  # the outcome stays
    kept = db.session.scalars(select(InformationRequest).where(InformationRequest.number == still_open)).one()
    assert kept.name == REQUEST["name"] and kept.identity_encrypted  # an open request is never purged
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "ppid.personal_data_purge")) == 1
    register = scratch_client.get("/api/v1/ppid/register").get_json()["data"]
    assert {e["number"] for e in register} == {done.number, still_open}  # the register still lists it
    # Running again purges nothing more.
    assert retention.purge_personal_data(today + timedelta(days=days + 5)) == []


def test_an_answer_becomes_a_draft_dataset_and_is_linked_once_published(
        scratch_client: Any, users: Any, orgs: Any) -> None:  # noqa: F811
    import io

    from satudata.catalog import services as catalog
    from tests.factories import CSV, METADATA, SYSTEM, _default_topic, make_licence, publish_dataset, validate

    number = scratch_client.post("/api/v1/ppid/requests", json={**REQUEST, "target": "dinkes-riau",
                                                                "information": f"Rekap nakes, NIK saya {NIK}"}
                                 ).get_json()["data"]["number"]
    sign_in(scratch_client, "ppid.pelaksana")
    detail = f"/kelola/ppid/{number}"
    token = csrf_of(scratch_client, detail)
    short = scratch_client.post(detail, data={"csrf_token": token, "action": "propose_open_data", "title": "Rek"})
    assert short.status_code == 400 and "judul dataset" in short.get_data(as_text=True)
    made = scratch_client.post(detail, data={"csrf_token": token, "action": "propose_open_data",
                                             "title": "Jumlah Tenaga Kesehatan per Puskesmas 2025"})
    assert made.status_code == 302
    dataset = db.session.scalars(select(Dataset)).one()
    assert dataset.state == DatasetState.DRAFT and dataset.organization.slug == "dinkes-riau"
    assert NIK not in dataset.description and number in dataset.description
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "ppid.open_data")) == 1
    # Nothing public before the walidata publishes it.
    entry = next(e for e in scratch_client.get("/api/v1/ppid/register").get_json()["data"] if e["number"] == number)
    assert entry["datasets"] == []
    # The producer completes the draft and the walidata publishes it.
    for key, value in {**METADATA, "year": 2025, "licence_id": make_licence().id}.items():
        if key != "description":
            setattr(dataset, key, value)
    dataset.topics = [_default_topic()]
    validate(catalog.upload_resource(SYSTEM, dataset, io.BytesIO(CSV.encode()), filename="nakes.csv", name="Nakes"))
    publish_dataset(dataset)
    entry = next(e for e in scratch_client.get("/api/v1/ppid/register").get_json()["data"] if e["number"] == number)
    assert entry["datasets"] == [dataset.slug]
    assert "Diusulkan menjadi data terbuka" in scratch_client.get(detail).get_data(as_text=True)
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action == "ppid.propose_open_data")).all()
    assert actions == ["ppid.propose_open_data"]


def test_the_register_leaves_out_the_applicants_name_and_contact_written_into_the_text(
        scratch_client: Any, users: Any) -> None:  # noqa: F811
    text_with_self = ("Saya SITI AMINAH LUBIS (NIK 1471024503900007, HP 0812-7700-1122, siti.aminah@contoh.id) "
                      "meminta rekap nakes 2025")
    number = scratch_client.post("/api/v1/ppid/requests", json={**REQUEST, "information": text_with_self}
                                 ).get_json()["data"]["number"]
    entry = next(e for e in scratch_client.get("/api/v1/ppid/register").get_json()["data"] if e["number"] == number)
    shown = entry["information"]
    assert "rekap nakes 2025" in shown and "•••" in shown
    for private in ("SITI AMINAH", "Siti Aminah", NIK, "0812-7700-1122", "siti.aminah@contoh.id"):
        assert private not in shown, private


def test_officers_ask_the_clock_on_the_portals_calendar(scratch_client: Any, users: Any) -> None:  # noqa: F811
    assert scratch_client.get("/kelola/ppid/tenggat").status_code in (302, 401)
    sign_in(scratch_client, "produsen")
    assert scratch_client.get("/kelola/ppid/tenggat").status_code == 403
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "ppid.pelaksana")
    assert "/kelola/ppid/tenggat" in scratch_client.get("/kelola/ppid").get_data(as_text=True)
    # Ten working days from Monday 16 March 2026 pass Nyepi, Idul Fitri and its cuti bersama.
    page = scratch_client.get("/kelola/ppid/tenggat?dari=2026-03-16&hari=10")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Jatuh tempo" in text
    assert services.calendar().add_working_days(date(2026, 3, 16), 10) == date(2026, 4, 7)
    assert "7 April 2026" in text or "7 Apr 2026" in text
    assert "Cuti Bersama Hari Raya Idul Fitri" in text and "Hari Suci Nyepi" in text
    bad = scratch_client.get("/kelola/ppid/tenggat?dari=2026-03-16&hari=99")
    assert bad.status_code == 400 and "1 sampai 60" in bad.get_data(as_text=True)


def test_a_form_over_the_rate_limit_keeps_what_was_typed(scratch_client: Any, users: Any) -> None:  # noqa: F811
    from satudata.ppid.views import FILE_LIMIT

    token = csrf_of(scratch_client, "/ppid/permohonan")
    for _ in range(int(FILE_LIMIT.split()[0])):
        assert scratch_client.post("/ppid/permohonan", data={"csrf_token": token, "name": "x"}).status_code == 400
    over = scratch_client.post("/ppid/permohonan", data={**REQUEST, "csrf_token": token,
                                                         "information": "Rekap nakes per puskesmas 2025, honorer"})
    html = over.get_data(as_text=True)
    assert over.status_code == 429 and "Terlalu banyak permohonan" in html
    assert "Rekap nakes per puskesmas 2025, honorer" in html and 'name="identity_scan"' in html
