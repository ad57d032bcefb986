"""Issue #16, the account findings of the outside security test (other than sessions, which
are in test_sessions.py): a new token's secret in the cookie, username enumeration at sign-in
and password reset, the audit CSV export, ids in account URLs, and refusals being audited."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

import argon2
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.serving import make_server

from satudata.accounts import services
from satudata.accounts.models import ApiToken, AuditLog, User
from satudata.extensions import db
from tests.accounts.conftest import PASSWORD, bearer
from tests.factories import SYSTEM
from tests.security.conftest import csrf, sign_in

HUGE = "9" * 30




def without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


# --------------------------------------------------------------------------- token secret


def session_cookies(app: Flask, resp: Any) -> list[Any]:
    """The decoded contents of every session cookie the response sets."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    out = []
    for header in resp.headers.getlist("Set-Cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if app.config["SESSION_COOKIE_NAME"] in jar and jar[app.config["SESSION_COOKIE_NAME"]].value:
            out.append(serializer.loads(jar[app.config["SESSION_COOKIE_NAME"]].value))
    return out


def test_new_token_secret_never_travels_in_the_cookie(app, scratch_client, users):
    """Finding: "A new token's secret travels in the cookie and can be replayed". The secret is
    shown in the answer to the form itself (never cached), and no cookie carries it."""
    sign_in(scratch_client, "produsen")
    page = scratch_client.get("/akun").get_data(as_text=True)
    hidden = dict(re.findall(r'type="hidden" name="(csrf_token|token_form)" value="([^"]*)"', page))
    form = {**hidden, "name": "Skrip unggah", "scope": "read"}
    resp = scratch_client.post("/akun/token", data=form)
    for content in session_cookies(app, resp):
        assert "sdp_" not in repr(content)
    assert resp.status_code == 200
    assert "no-store" in resp.headers["Cache-Control"]
    html = resp.get_data(as_text=True)
    secret = re.search(r'id="new-token">(sdp_[^<]+)<', html).group(1)
    assert html.count(secret) == 1
    assert scratch_client.get("/api/v1/me", headers=bearer(secret)).json["data"]["username"] == "produsen"
    assert secret not in scratch_client.get("/akun").get_data(as_text=True)  # shown once
    # A reload sends the same form again: no second token, no second secret.
    again = scratch_client.post("/akun/token", data=form)
    assert again.status_code == 303 and again.headers["Location"].startswith("/akun")
    assert "sdp_" not in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_token_form_in_an_older_tab_still_works_once(scratch_client, users):
    """The one-time form id must not make a second tab's (older) form fail."""
    sign_in(scratch_client, "produsen")
    forms = []
    for _ in range(2):  # two tabs
        page = scratch_client.get("/akun").get_data(as_text=True)
        forms.append(dict(re.findall(r'type="hidden" name="(csrf_token|token_form)" value="([^"]*)"', page)))
    first = scratch_client.post("/akun/token", data={**forms[0], "name": "Tab satu", "scope": "read"})
    assert first.status_code == 200 and "sdp_" in first.get_data(as_text=True)
    second = scratch_client.post("/akun/token", data={**forms[1], "name": "Tab dua", "scope": "read"})
    assert second.status_code == 200 and "sdp_" in second.get_data(as_text=True)
    assert scratch_client.post("/akun/token", data={**forms[0], "name": "Lagi", "scope": "read"}).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 2


# --------------------------------------------------------------------------- enumeration


def attempt(client: FlaskClient, login: str, password: str) -> tuple[int, str]:
    resp = client.post("/masuk", data={"login": login, "password": password, "csrf_token": csrf(client)})
    html = without_csrf(resp.get_data(as_text=True)).replace(f'value="{login}"', 'value=""')
    return resp.status_code, html


def test_sign_in_answer_is_the_same_for_unknown_wrong_and_locked(scratch_client, users):
    """Finding: "Username enumeration through the lockout answer": an unknown username, a
    wrong password, the failure that locks the account and an attempt on a locked account
    (even with the right password) all get the same answer, which says what to do."""
    unknown = attempt(scratch_client, "hantu.riau", "salah-sekali-123")
    wrong = attempt(scratch_client, "produsen", "salah-sekali-123")
    for _ in range(3):
        attempt(scratch_client, "produsen", "salah-sekali-123")
    locking = attempt(scratch_client, "produsen", "salah-sekali-123")  # the fifth failure
    user = db.session.scalar(select(User).where(User.username == "produsen"))
    db.session.refresh(user)
    assert user.locked_until is not None  # the 5-failure lockout still holds
    locked = attempt(scratch_client, "produsen", PASSWORD)
    assert unknown == wrong == locking == locked
    status, html = unknown
    assert status == 400
    assert "15 menit" in html and "Lupa kata sandi" in html


def test_every_sign_in_answer_costs_one_argon2_verify(scratch_client, users, monkeypatch):
    """Finding: "... and timing": an unknown username, a locked account and an account without
    a password must spend the same argon2 verification as a wrong password. Counted, not timed."""
    services.create_user(SYSTEM, username="tanpa.sandi", email="tanpa@riau.go.id", full_name="Tanpa Sandi")
    db.session.commit()
    calls: list[str] = []
    original = argon2.PasswordHasher.verify

    def counting(self: Any, hash: Any, password: Any) -> Any:
        calls.append("verify")
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    logins = {"unknown": "hantu.riau", "wrong": "produsen", "no_password": "tanpa.sandi"}
    counts = {}
    for case, login in logins.items():
        calls.clear()
        attempt(scratch_client, login, "salah-sekali-123")
        counts[case] = len(calls)
    for _ in range(4):
        attempt(scratch_client, "produsen", "salah-sekali-123")
    calls.clear()
    attempt(scratch_client, "produsen", PASSWORD)
    counts["locked"] = len(calls)
    assert counts == {"unknown": 1, "wrong": 1, "no_password": 1, "locked": 1}


def test_password_reset_request_answer_is_the_same_for_known_and_unknown(scratch_client, users):
    """Finding: the password-reset request must not tell who has an account: known, unknown
    and deactivated addresses get byte-identical answers."""
    services.set_user_active(SYSTEM, users["ppid_utama"], False)
    db.session.commit()
    answers = []
    for email in ("produsen@riau.go.id", "tidak.ada@riau.go.id", "ppid_utama@riau.go.id"):
        resp = scratch_client.post("/akun/lupa-kata-sandi", data={
            "csrf_token": csrf(scratch_client, "/akun/lupa-kata-sandi"), "email": email})
        answers.append((resp.status_code, without_csrf(resp.get_data(as_text=True))))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200


# --------------------------------------------------------------------------- audit CSV


@pytest.fixture()
def live_url(app: Flask) -> Iterator[str]:
    """The app served on 127.0.0.1 from another thread, as in production: no test app context
    is around the requests, so whatever a streamed answer needs must outlive the view."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


DANGEROUS = ["=HYPERLINK(\"http://jahat.example\",\"klik\")", "+1+2", "-2+3", "@SUM(A1:A9)"]


def test_audit_csv_streams_every_row_safe_from_formulas(app, live_url, users):
    """Finding: "/admin/audit.csv fails with a 500 every time". The export streams more rows
    than one page, parses as CSV, and no cell starts with = + - @ (formula injection)."""
    for i in range(1234):
        db.session.add(AuditLog(actor_label=DANGEROUS[i % 4], action=DANGEROUS[(i + 1) % 4], object_type="uji",
                                object_id=f"{DANGEROUS[(i + 2) % 4][:50]}", summary={"i": i, "teks": "a,b\n\"c\""},
                                ip=DANGEROUS[(i + 3) % 4]))
    db.session.commit()
    browser = requests.Session()
    page = browser.get(live_url + "/masuk", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = browser.post(live_url + "/masuk", data={"login": "admin", "password": PASSWORD, "csrf_token": token},
                        allow_redirects=False, timeout=30)
    assert resp.status_code == 302
    resp = browser.get(live_url + "/admin/audit.csv", timeout=60)
    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["waktu_utc", "aktor", "aksi"]
    db.session.expire_all()
    assert len(body) == db.session.scalar(select(func.count()).select_from(AuditLog))
    ours = [r for r in body if r[3] == "uji"]
    assert len(ours) == 1234
    for row in body:
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row), row
    first = ours[0]
    assert first[1] == "'" + DANGEROUS[0] and first[2] == "'" + DANGEROUS[1] and first[6] == "'" + DANGEROUS[3]
    assert '"teks": "a,b\\n\\"c\\""' in first[5]  # the JSON survives CSV quoting
    assert [int(r[5].split('"i": ')[1].split(",")[0]) for r in ours] == list(range(1234))  # in order, once each


# --------------------------------------------------------------------------- ids in URLs


def test_huge_ids_in_account_urls_are_not_found(scratch_client, users, tokens):
    """Finding: a huge integer in an id URL answered 500. Account pages and API routes that
    take ids answer 404 instead."""
    sign_in(scratch_client, "admin")
    token = csrf(scratch_client, "/akun")
    assert scratch_client.get(f"/admin/pengguna/{HUGE}").status_code == 404
    uid = users["produsen"].id
    assert scratch_client.post(f"/admin/pengguna/{uid}/peran/{HUGE}/hapus",
                               data={"csrf_token": token}).status_code == 404
    assert scratch_client.post(f"/admin/pengguna/{HUGE}/status", data={"csrf_token": token,
                                                                      "active": "0"}).status_code == 404
    assert scratch_client.post(f"/akun/token/{HUGE}/cabut", data={"csrf_token": token}).status_code == 404
    h = bearer(tokens["admin"]["write"])
    assert scratch_client.post(f"/api/v1/users/{HUGE}/deactivate", headers=h).status_code == 404
    assert scratch_client.delete(f"/api/v1/users/{uid}/roles/{HUGE}", headers=h).status_code == 404


# --------------------------------------------------------------------------- refusals


def test_every_refused_admin_action_is_audited(app, scratch_client, users):
    """Every account page or action a producer is refused writes one access.denied row."""
    sign_in(scratch_client, "produsen")
    token = csrf(scratch_client, "/akun")
    target = users["walidata"]
    values = {"user_id": target.id, "membership_id": target.memberships[0].id, "slug": "dinkes-riau"}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("accounts.admin")]
    assert len(rules) >= 10
    for rule in rules:
        path = rule.build(values, append_unknown=False)[1]
        before = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access.denied"))
        if "POST" in (rule.methods or ()):
            resp = scratch_client.post(path, data={"csrf_token": token, "role": "admin", "organization": "dinkes-riau",
                                                   "active": "0", "name": "X", "kind": "opd", "slug": "x"})
        else:
            resp = scratch_client.get(path)
        assert resp.status_code == 403, (rule.rule, resp.status_code)
        after = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access.denied"))
        assert after == before + 1, rule.rule
    db.session.expire_all()
    assert [str(m.role) for m in db.session.get(User, target.id).memberships] == ["walidata"]
    assert db.session.get(User, target.id).active


def test_reset_link_of_a_deactivated_account_is_refused_and_audited(scratch_client, users):
    """A refusal shown on the form's own page is still audited as access.denied."""
    user = users["produsen"]
    link = f"/akun/atur-ulang/{services.make_reset_token(user)}"
    services.set_user_active(SYSTEM, user, False)
    db.session.commit()
    resp = scratch_client.post(link, data={"csrf_token": csrf(scratch_client, link), "new_password": "kata-sandi-baru-456",
                                           "confirm_password": "kata-sandi-baru-456"})
    assert resp.status_code == 400 and "dinonaktifkan" in resp.get_data(as_text=True)
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert [d.object_id for d in denied] == [f"POST {link}"[:64]]


def test_token_help_shows_the_header_literally(scratch_client, users):
    """The help text's ``<token>`` placeholder is text, not an (invisible) HTML tag."""
    sign_in(scratch_client, "produsen")
    for lang in ("id", "en"):
        html = scratch_client.get(f"/akun?lang={lang}").get_data(as_text=True)
        assert "Authorization: Bearer &lt;token&gt;" in html, lang
