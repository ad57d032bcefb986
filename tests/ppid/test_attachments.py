"""Files given as the answer (#12, "the answer and its attachments"): attached by the handling
officers once the request is granted, downloaded by the applicant with the tracking code, kept
in the file store (safe from the sweep), audited and on the timeline."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from satudata.accounts.models import AuditLog, OutboxMessage
from satudata.catalog.storage import referenced_files
from satudata.extensions import db
from satudata.ppid.models import Attachment, InformationRequest
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.ppid.test_requests import REQUEST
from tests.workspace.conftest import csrf_of, sign_in

ANSWER = b"kode_puskesmas,nama,nakes\n1407001,Bagansiapiapi,54\n1407002,Bangko Jaya,31\n"


def _filed(client: Any) -> tuple[str, str]:
    number = client.post("/api/v1/ppid/requests", json={**REQUEST, "target": "dinkes-riau"}).get_json()["data"]["number"]
    secret = db.session.scalars(select(OutboxMessage)).first().body.split("kode=")[1].split()[0]
    return number, secret


def _attach(client: Any, number: str, name: str, data: bytes) -> Any:
    detail = f"/kelola/ppid/{number}"
    return client.post(detail + "/lampiran", data={"csrf_token": csrf_of(client, detail),
                                                    "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_the_answer_carries_its_files_to_the_applicant(scratch_client: Any, users: Any) -> None:  # noqa: F811
    number, secret = _filed(scratch_client)
    sign_in(scratch_client, "ppid.pelaksana")
    # Not before the request is granted.
    early = _attach(scratch_client, number, "rekap-nakes.csv", ANSWER).get_data(as_text=True)
    assert "setelah permohonan dikabulkan" in early
    detail = f"/kelola/ppid/{number}"
    assert scratch_client.post(detail, data={"csrf_token": csrf_of(scratch_client, detail), "action": "grant",
                                             "given": "Rekap nakes per puskesmas", "form": "CSV",
                                             "delivery": "Unduh dari halaman pelacakan", "cost": "0"}
                               ).status_code == 302
    wrong = _attach(scratch_client, number, "virus.exe", b"MZ\x90\x00").get_data(as_text=True)
    assert "Pilih berkas jawaban: PDF, CSV" in wrong
    empty = _attach(scratch_client, number, "kosong.csv", b"").get_data(as_text=True)
    assert "Berkas itu kosong" in empty
    scratch_client.application.config["PPID_ATTACHMENT_MAX_BYTES"] = 16
    try:
        assert "melebihi batas" in _attach(scratch_client, number, "besar.csv", ANSWER).get_data(as_text=True)
    finally:
        scratch_client.application.config["PPID_ATTACHMENT_MAX_BYTES"] = 50 * 1024 * 1024
    page = _attach(scratch_client, number, "../../rekap-nakes.csv", ANSWER).get_data(as_text=True)
    assert 'ditambahkan' in page and "rekap-nakes.csv" in page
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.filename == "rekap-nakes.csv" and attachment.size == len(ANSWER)
    assert referenced_files([attachment.sha256]) == {attachment.sha256}  # the storage sweep keeps it
    officer = scratch_client.get(f"/kelola/ppid/{number}/lampiran/{attachment.id}")
    assert officer.status_code == 200 and officer.data == ANSWER
    officer.close()
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    # The applicant: the tracking page lists it and the code opens it; without the code, 404.
    tracked = scratch_client.get(f"/ppid/lacak/{number}?kode={secret}").get_data(as_text=True)
    assert "Lampiran jawaban" in tracked and "rekap-nakes.csv" in tracked
    got = scratch_client.get(f"/ppid/lacak/{number}/lampiran/{attachment.id}?kode={secret}")
    assert got.status_code == 200 and got.data == ANSWER
    assert "attachment" in got.headers["Content-Disposition"] and got.headers["X-Content-Type-Options"] == "nosniff"
    got.close()
    assert scratch_client.get(f"/ppid/lacak/{number}/lampiran/{attachment.id}").status_code == 404
    listed = scratch_client.get(f"/api/v1/ppid/requests/{number}?secret={secret}").get_json()["data"]["attachments"]
    assert [(a["name"], a["size"]) for a in listed] == [("rekap-nakes.csv", len(ANSWER))]
    assert listed[0]["url"].endswith(f"/ppid/lacak/{number}/lampiran/{attachment.id}?kode={secret}")
    assert scratch_client.get(f"/ppid/lacak/{number}/lampiran/{attachment.id}?kode=salah").status_code == 404
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    assert f"Permohonan {number}: lampiran jawaban" in subjects
    # Only the request's officers attach or take back: the PPID Utama of another government, no.
    sign_in(scratch_client, "produsen")
    assert scratch_client.get(f"/kelola/ppid/{number}/lampiran/{attachment.id}").status_code == 403
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/ppid")})
    sign_in(scratch_client, "ppid.pelaksana")
    removed = scratch_client.post(f"/kelola/ppid/{number}/lampiran/{attachment.id}/hapus",
                                  data={"csrf_token": csrf_of(scratch_client, detail)}, follow_redirects=True)
    assert "Lampiran ditarik" in removed.get_data(as_text=True)
    assert db.session.scalars(select(Attachment)).all() == []
    req = db.session.scalars(select(InformationRequest)).one()
    assert [e.action for e in req.events if e.action in ("attach", "detach")] == ["attach", "detach"]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("ppid.attachment%"))
                                 .order_by(AuditLog.id)).all()
    assert actions == ["ppid.attachment_add", "ppid.attachment_remove"]
