"""The PPID officers' REST API (/api/v1/ppid/inbox, .../moves/..., /api/v1/ppid/objections)
with real API tokens: a request filed through the public API is routed by the PPID Utama,
extended and granted in part (a redaction, a linked published dataset) by the PPID Pelaksana,
delivered; a refusal's keberatan is decided by the Atasan PPID. Also who may (scopes, roles,
another OPD's officer), refused moves (409) and bad bodies (422), and that no identity number
ever leaves. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog, OrganizationKind, OutboxMessage
from satudata.api.openapi import operations
from satudata.extensions import db
from satudata.ppid import officer_api, services, transitions
from satudata.ppid.models import InformationRequest, RequestState
from tests.accounts.conftest import PASSWORD, orgs, tokens, users  # noqa: F401  (fixtures)
from tests.api.test_workspace_api import Api, document  # noqa: F401  (fixture)
from tests.factories import SYSTEM, make_dataset
from tests.ppid.test_requests import NIK, REQUEST
from tests.workspace.conftest import vocab  # noqa: F401  (fixture)

INBOX, DETAIL = "/ppid/inbox", "/ppid/inbox/{number}"
MOVE = "/ppid/requests/{number}/moves/{move}"
OBJECTIONS, OBJECTION_MOVE = "/ppid/objections", "/ppid/objections/{number}/moves/{move}"
# What identifies the applicant beyond the name and contact the officers may see.
IDENTITY = (NIK, "1471 0245 0390 0007", "1407011201850003")


@pytest.fixture()
def api(scratch_client: Any, document: dict[str, Any], request: Any) -> Api:  # noqa: F811
    return Api(scratch_client, document, request)


class Officers:
    """The calls of this test, each answer checked against the document and kept, so the test
    can say that none of them carried an identity number."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.answers: list[Any] = []

    def __call__(self, method: str, template: str, status: int, token: str | None, **kwargs: Any) -> Any:
        body = self.api(method, template, status, token=token, **kwargs)
        self.answers.append(body)
        return body

    def move(self, number: str, move: str, status: int, token: str, body: Any = None, **kwargs: Any) -> Any:
        if body is not None:
            kwargs["json"] = body
        return self("post", MOVE, status, token, path=f"/ppid/requests/{number}/moves/{move}", **kwargs)

    def detail(self, number: str, status: int, token: str) -> Any:
        return self("get", DETAIL, status, token, path=f"/ppid/inbox/{number}")

    def objection_move(self, number: str, move: str, status: int, token: str, body: Any = None) -> Any:
        kwargs = {"json": body} if body is not None else {}
        return self("post", OBJECTION_MOVE, status, token, path=f"/ppid/objections/{number}/moves/{move}", **kwargs)

    def assert_no_identity(self) -> None:
        text = json.dumps(self.answers, ensure_ascii=False)
        assert not [secret for secret in IDENTITY if secret in text]
        assert "identity_number" not in text and '"nik"' not in text


@pytest.fixture()
def officers(api: Api) -> Officers:
    return Officers(api)


def _file(client: Any, **overrides: Any) -> tuple[str, str]:
    """A request through the public API: (number, tracking code)."""
    resp = client.post("/api/v1/ppid/requests", json={**REQUEST, **overrides})
    assert resp.status_code == 201, resp.get_json()
    data = resp.get_json()["data"]
    return data["number"], data["tracking_url"].split("kode=")[1]


def _state(number: str) -> RequestState:
    db.session.expire_all()
    return db.session.scalars(select(InformationRequest.state).where(InformationRequest.number == number)).one()


def test_utama_routes_and_pelaksana_extends_grants_in_part_and_delivers(
        scratch_client: Any, officers: Officers, tokens: Any, orgs: Any) -> None:  # noqa: F811
    utama, pelaksana = tokens["ppid_utama"], tokens["ppid_pelaksana"]
    number, _code = _file(scratch_client)
    dataset = make_dataset(orgs["dinkes"], title="Jumlah Tenaga Kesehatan menurut Puskesmas")
    draft = make_dataset(orgs["dinkes"], publish=False, title="Tenaga Honorer per Puskesmas")

    # The PPID Utama's inbox: the request, its clock, its applicant's name and contact.
    inbox = officers("get", INBOX, 200, utama["read"])
    [item] = inbox["data"]
    assert inbox["meta"] == {"total": 1, "page": 1, "per_page": 50, "pages": 1}
    assert (item["number"], item["state"], item["status"]) == (number, "registered", "Terdaftar, sedang diproses")
    assert (item["channel"], item["applicant_type"], item["working_days_allowed"]) == ("web", "perorangan", 10)
    assert item["handler"]["slug"] == item["filed_with"]["slug"] == "diskominfotik-riau"
    assert item["applicant"]["name"] == REQUEST["name"] and item["applicant"]["email"] == REQUEST["email"]
    assert item["applicant"]["identity_on_file"] is True
    assert {"route", "extend", "grant", "grant_in_part", "refuse", "mark_spam"} <= set(item["moves"])
    assert item["links"]["page"].endswith(f"/kelola/ppid/{number}")
    assert officers("get", INBOX, 200, utama["read"], query="?channel=surat")["data"] == []
    assert officers("get", INBOX, 200, utama["read"], query="?organization=dinkes-riau")["data"] == []
    # The Dinkes PPID Pelaksana does not handle it yet.
    assert officers("get", INBOX, 200, pelaksana["read"])["data"] == []
    officers.detail(number, 403, pelaksana["read"])

    # Routed to Dinas Kesehatan: the clock runs on; the applicant is told.
    routed = officers.move(number, "route", 200, utama["write"], {"to": "dinkes-riau"})["data"]
    assert routed["handler"]["slug"] == "dinkes-riau" and routed["filed_with"]["slug"] == "diskominfotik-riau"
    assert (routed["state"], routed["due_date"]) == ("registered", item["due_date"])
    assert [e["action"] for e in routed["events"]] == ["file", "route"]
    assert "Dinas Kesehatan Provinsi Riau" in routed["events"][-1]["note"]
    assert [i["number"] for i in officers("get", INBOX, 200, pelaksana["read"])["data"]] == [number]

    # Extended once, with written reasons; a second extension is no move from "extended".
    no_reason = officers.move(number, "extend", 422, pelaksana["write"], {"days": 7})["error"]
    assert "reason" in no_reason["details"]
    extended = officers.move(number, "extend", 200, pelaksana["write"],
                             {"days": 7, "reason": "Data honorer dihimpun dari 20 puskesmas."})["data"]
    assert (extended["state"], extended["extension_days"], extended["working_days_allowed"]) == ("extended", 7, 17)
    assert extended["due_date"] > item["due_date"] and "extend" not in extended["moves"]
    assert extended["extension_reason"] == "Data honorer dihimpun dari 20 puskesmas."
    assert [n["kind"] for n in extended["notices"]] == ["receipt", "extension"]
    assert all(len(n["sha256"]) == 64 and n["number"].startswith(number) for n in extended["notices"])
    again = officers.move(number, "extend", 409, pelaksana["write"], {"days": 2, "reason": "Lagi."})["error"]
    assert again["code"] == "conflict" and 'sudah berstatus "Diperpanjang"' in again["message"]

    # Granted in part: each redaction needs its Pasal 17 letter and reason; only published datasets.
    grant = {"given": "Rekap jumlah tenaga kesehatan per puskesmas tahun 2025", "form": "Salinan PDF",
             "delivery": "Surel, 2 hari kerja", "cost": 0, "datasets": [dataset.slug],
             "redactions": [{"part": "Nama tenaga honorer", "exemptions": ["h"],
                             "reason": "Rahasia pribadi tenaga honorer."}],
             "note": "Nama tenaga honorer dihitamkan."}
    bad = officers.move(number, "grant_in_part", 422, pelaksana["write"],
                        {**grant, "redactions": [{"part": "Nama", "exemptions": ["z"], "reason": "x"}]})["error"]
    assert "huruf pengecualian Pasal 17" in bad["details"]["redactions"][0]
    unpublished = officers.move(number, "grant_in_part", 422, pelaksana["write"],
                                {**grant, "datasets": [draft.slug]})["error"]
    assert "belum terbit" in unpublished["details"]["datasets"][0]
    answered = officers.move(number, "grant_in_part", 200, pelaksana["write"], grant)["data"]
    assert (answered["state"], answered["status"]) == ("granted_in_part", "Dikabulkan sebagian")
    assert answered["decided_date"] is not None and answered["moves"] == ["record_delivery"]
    assert answered["decision"]["datasets"] == [{"slug": dataset.slug, "title": dataset.title}]
    assert answered["decision"]["redactions"] == grant["redactions"]
    assert answered["events"][-1]["note"] == "Nama tenaga honorer dihitamkan."
    assert [n["kind"] for n in answered["notices"]] == ["receipt", "extension", "written_notice"]

    # The delivery is recorded; a second decision is refused with the reason.
    delivered = officers.move(number, "record_delivery", 200, pelaksana["write"], {
        "means": "Surel", "delivered_on": services.today().isoformat(), "cost": 0})["data"]
    assert delivered["delivery"] == {"means": "Surel", "delivered_on": services.today().isoformat(), "cost": 0}
    refused = officers.move(number, "grant", 409, pelaksana["write"], {k: grant[k] for k in (
        "given", "form", "delivery", "cost")})["error"]
    assert 'sudah berstatus "Dikabulkan sebagian"' in refused["message"]

    # Closed requests leave the inbox unless asked for; the register lists the dataset.
    assert officers("get", INBOX, 200, pelaksana["read"])["data"] == []
    closed = officers("get", INBOX, 200, pelaksana["read"], query="?include_closed=1")["data"]
    assert [i["number"] for i in closed] == [number]
    assert officers("get", INBOX, 200, utama["read"], query="?state=granted_in_part")["meta"]["total"] == 1
    register = scratch_client.get("/api/v1/ppid/register").get_json()["data"]
    assert register[0]["datasets"] == [dataset.slug]

    # What the applicant was mailed, and what was audited: the moves, never an identity reading.
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == REQUEST["email"]).order_by(OutboxMessage.id))]
    assert subjects[1:] == [f"Permohonan {number}: Diteruskan ke PPID Pelaksana",
                            f"Permohonan {number}: Jangka waktu diperpanjang",
                            f"Permohonan {number}: Dikabulkan sebagian",
                            f"Permohonan {number}: Informasi disampaikan"]
    actions = [a for (a,) in db.session.execute(select(AuditLog.action).where(AuditLog.action.like("ppid.%"))
                                                .order_by(AuditLog.id))]
    assert actions == ["ppid.file", "ppid.route", "ppid.extend", "ppid.grant_in_part", "ppid.record_delivery"]
    officers.assert_no_identity()


def test_who_may_call_and_what_is_refused(scratch_client: Any, officers: Officers, tokens: Any,  # noqa: F811
                                          orgs: Any) -> None:  # noqa: F811
    utama = tokens["ppid_utama"]
    number, _code = _file(scratch_client)
    # Tokens: none is 401; a read token cannot move; people who are no PPID officer are refused.
    officers("get", INBOX, 401, None)
    assert officers.move(number, "mark_spam", 403, utama["read"], {"reason": "Iklan"})["error"]["code"] == "forbidden"
    for role in ("produsen", "walidata", "admin", "atasan_ppid"):
        officers("get", INBOX, 403, tokens[role]["read"])
        officers.detail(number, 403, tokens[role]["read"])
        officers.move(number, "mark_spam", 403, tokens[role]["write"], {"reason": "Iklan"})
    # Another OPD's PPID Pelaksana sees nothing and may do nothing (the services say 403).
    dumai = accounts.create_organization(SYSTEM, slug="dinkes-dumai", name="Dinas Kesehatan Kota Dumai",
                                         kind=OrganizationKind.OPD, parent=orgs["other"])
    stranger = accounts.create_user(SYSTEM, username="ppid.dumai", email="ppid@dumaikota.go.id",
                                    full_name="PPID Dinkes Dumai", password=PASSWORD,
                                    roles=[("ppid_pelaksana", dumai)])
    _, theirs = accounts.create_api_token(stranger, stranger, "skrip", "write")
    db.session.commit()
    assert officers("get", INBOX, 200, theirs)["data"] == []
    officers.detail(number, 403, theirs)
    officers.move(number, "mark_spam", 403, theirs, {"reason": "Iklan"})
    officers.move(number, "route", 403, theirs, {"to": "dinkes-dumai"})
    # Unknown things are 404: a number, a move, a page past the end.
    officers.detail("PPID-999-2026-0001", 404, utama["read"])
    unknown = officers.move(number, "approve", 404, utama["write"], {})["error"]
    assert 'Langkah "approve" tidak dikenal' in unknown["message"] and "grant_in_part" in unknown["message"]
    officers.move("PPID-999-2026-0001", "grant", 404, utama["write"], {})
    officers("get", INBOX, 404, utama["read"], query="?page=2")
    # Bad queries and bodies are 422 with details per field.
    for query, field in (("?state=selesai", "state"), ("?channel=fax", "channel"), ("?per_page=0", "per_page"),
                         ("?include_closed=mungkin", "include_closed")):
        assert field in officers("get", INBOX, 422, utama["read"], query=query)["error"]["details"]
    for body, field in (({"days": "tujuh", "reason": "x"}, "days"), ({"days": 3.5, "reason": "x"}, "days"),
                        ({"days": 3, "reason": "x", "given": "y"}, "given"), ({"days": 3, "kolom": 1}, "kolom"),
                        ({"days": 3, "reason": ["x"]}, "reason")):
        assert field in officers.move(number, "extend", 422, utama["write"], body)["error"]["details"], body
    for move, body, field in (("route", {"to": "dinkes-dumai"}, "to"), ("route", {}, "to"),
                              ("grant_in_part", {"redactions": "semua"}, "redactions"),
                              ("grant_in_part", {"redactions": [{"part": "x"}]}, "redactions.exemptions"),
                              ("not_documented", {"available_on": "besok"}, "available_on"),
                              ("not_documented", {"available_on": services.today().isoformat()}, "available_on"),
                              ("refuse", {"exemptions": ["h"]}, "consequence_test"),
                              ("grant", {"given": "x", "form": "y", "delivery": "z", "cost": -1}, "cost")):
        assert field in officers.move(number, move, 422, utama["write"], body)["error"]["details"], (move, body)
    officers.move(number, "extend", 422, utama["write"], data="bukan json", content_type="application/json")
    assert _state(number) == RequestState.REGISTERED
    # A move without fields takes no body at all: returned for completion, then completed.
    back = officers.move(number, "return_for_completion", 200, utama["write"],
                         {"reason": "Lengkapi rincian: puskesmas mana saja?"})["data"]
    assert back["state"] == "incomplete" and back["closing_reason"].startswith("Lengkapi rincian")
    assert officers.move(number, "complete", 200, utama["write"])["data"]["state"] == "registered"
    # Not held: the holder, or that it is unknown.
    officers.move(number, "not_held", 422, utama["write"], {})
    held = officers.move(number, "not_held", 200, utama["write"], {"holder_unknown": True})["data"]
    assert held["state"] == "not_held" and held["decision"] == {"holder_unknown": True}
    assert not db.session.scalars(select(AuditLog).where(AuditLog.action.like("ppid.identity%"))).all()
    officers.assert_no_identity()


def test_the_atasan_decides_a_keberatan(scratch_client: Any, api: Api, officers: Officers, tokens: Any) -> None:  # noqa: F811
    utama, atasan = tokens["ppid_utama"], tokens["atasan_ppid"]
    number, code = _file(scratch_client)
    officers.move(number, "refuse", 200, utama["write"], {
        "exemptions": ["h"], "consequence_test": "Membuka nama tenaga honorer mengungkap data pribadi mereka."})
    objection = services.file_objection(number, code, {"grounds": ["a"], "case_summary": "Yang saya minta data "
                                                       "agregat, bukan nama orang."})
    db.session.commit()
    # Only the Atasan PPID: PPID officers are refused, as are read tokens for decisions.
    officers("get", OBJECTIONS, 403, utama["read"])
    officers.objection_move(objection.number, "reject", 403, utama["write"], {"reasons": "x"})
    officers.objection_move(objection.number, "reject", 403, atasan["read"], {"reasons": "x"})
    listed = officers("get", OBJECTIONS, 200, atasan["read"])
    [item] = listed["data"]
    assert listed["meta"]["total"] == 1 and item["number"] == objection.number
    assert item["state"] == "registered" and item["grounds"][0]["letter"] == "a"
    assert (item["request"]["number"], item["request"]["state"]) == (number, "refused")
    assert item["request"]["decision"]["exemptions"] == ["h"] and item["request"]["applicant_name"] == REQUEST["name"]
    assert set(item["moves"]) == set(transitions.OBJECTION_MOVES)
    assert item["due_date"] == objection.due_on.isoformat() and item["late"] is False
    [waiting] = officers("get", INBOX, 200, utama["read"], query="?include_closed=1")["data"]
    assert (waiting["number"], waiting["open_objection"], waiting["moves"]) == (number, objection.number, [])

    # What the law requires, and what the move takes.
    officers.objection_move(objection.number, "decide", 404, atasan["write"], {})
    officers.objection_move("KEB-999-2026-0001-1", "reject", 404, atasan["write"], {})
    settle = officers.objection_move(objection.number, "settle", 422, atasan["write"], {"reasons": "Sepakat."})
    assert "musyawarah" in settle["error"]["details"]["grounds"][0]
    empty = officers.objection_move(objection.number, "reject", 422, atasan["write"], {"reasons": "Ditolak."})
    assert {"decider_name", "decider_position"} <= set(empty["error"]["details"])
    other = officers.objection_move(objection.number, "reject", 422, atasan["write"], {
        "reasons": "x", "decider_name": "y", "decider_position": "z", "register_number": "1"})
    assert "register_number" in other["error"]["details"]
    officers.objection_move(objection.number, "record_dispute", 422, atasan["write"], {
        "filed_on": "kemarin", "register_number": "001"})
    rejected = officers.objection_move(objection.number, "reject", 200, atasan["write"], {
        "reasons": "Nama tenaga honorer adalah data pribadi (Pasal 17 huruf h).",
        "decider_name": "Sekretaris Daerah", "decider_position": "Atasan PPID Provinsi Riau"})["data"]
    assert (rejected["state"], rejected["status"]) == ("rejected", "Keberatan ditolak (keputusan PPID dikuatkan)")
    assert rejected["decision"]["decider_name"] == "Sekretaris Daerah" and rejected["decided_date"]
    assert rejected["moves"] == ["record_dispute"]
    again = officers.objection_move(objection.number, "accept", 409, atasan["write"], {
        "reasons": "x", "decider_name": "y", "decider_position": "z"})["error"]
    assert 'sudah berstatus "Keberatan ditolak' in again["message"]
    disputed = officers.objection_move(objection.number, "record_dispute", 200, atasan["write"], {
        "filed_on": services.today().isoformat(), "register_number": "001/KI-RIAU/PS/2026",
        "status": "mediasi"})["data"]
    assert disputed["dispute"] == {"filed_on": services.today().isoformat(), "register_number": "001/KI-RIAU/PS/2026",
                                   "status": "mediasi"}
    assert officers("get", OBJECTIONS, 200, atasan["read"])["data"] == []
    assert [o["number"] for o in officers("get", OBJECTIONS, 200, atasan["read"],
                                           query="?include_closed=true")["data"]] == [objection.number]

    # The officers see the objection and the Atasan's signed answer on the request.
    detail = officers.detail(number, 200, utama["read"])["data"]
    assert detail["objections"] == [{"number": objection.number, "state": "rejected",
                                     "status": "Keberatan ditolak (keputusan PPID dikuatkan)",
                                     "due_date": objection.due_on.isoformat()}]
    assert [n["kind"] for n in detail["notices"]] == ["receipt", "written_notice", "refusal", "objection_receipt",
                                                      "objection_answer"]
    assert [e["action"] for e in detail["events"]][-3:] == ["objection_file", "objection_reject",
                                                            "objection_record_dispute"]
    officers.assert_no_identity()
    # Every operation of the officers' API was called in this test and matched the document.
    assert {(m, p) for m, p in api.exercised} >= {
        (op.method, op.path) for op in operations(current_app) if op.endpoint.startswith("ppid_officer_api.")}


def test_a_late_request_is_on_top(scratch_client: Any, officers: Officers, tokens: Any) -> None:  # noqa: F811
    first, _ = _file(scratch_client)
    late, _ = _file(scratch_client, information="Daftar puskesmas dan alamatnya di Kota Pekanbaru")
    req = db.session.scalars(select(InformationRequest).where(InformationRequest.number == late)).one()
    req.received_on = services.today() - timedelta(days=40)  # as if recorded from a letter long ago
    req.due_on = services.today() - timedelta(days=20)
    db.session.commit()
    rows = officers("get", INBOX, 200, tokens["ppid_utama"]["read"], query="?per_page=1")
    assert [r["number"] for r in rows["data"]] == [late] and rows["data"][0]["late"] is True
    assert rows["data"][0]["days_left"] < 0 and rows["meta"]["pages"] == 2
    assert rows["links"]["next"].endswith("page=2") and rows["links"]["prev"] is None
    second = officers("get", INBOX, 200, tokens["ppid_utama"]["read"], query="?per_page=1&page=2")
    assert [r["number"] for r in second["data"]] == [first] and second["data"][0]["late"] is False


@pytest.mark.nodb
def test_every_move_has_its_fields() -> None:
    assert set(officer_api.MOVE_FIELDS) == set(transitions.TRANSITIONS)
    assert set(officer_api.OBJECTION_FIELDS) == set(transitions.OBJECTION_MOVES)
    declared = set(officer_api.PpidMoveInput().fields) - {"note"}
    assert set().union(*officer_api.MOVE_FIELDS.values()) == declared
    assert set().union(*officer_api.OBJECTION_FIELDS.values()) == set(officer_api.PpidObjectionMoveInput().fields)
