"""Issue #16, finding "Sessions survive sign-out, password change and password reset (a saved
cookie still opens /kelola/)".

Each test saves the session cookie of a signed-in browser, does the thing that must end the
session, then replays the saved cookie in a fresh client: it must be sent to the sign-in page.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from satudata.accounts import services
from satudata.accounts.models import AuditLog, OutboxMessage
from satudata.extensions import db
from tests.accounts.conftest import PASSWORD
from tests.factories import SYSTEM
from tests.security.conftest import csrf, sign_in

NEW_PASSWORD = "kata-sandi-baru-456"




def saved_cookie(client: FlaskClient, name: str = "session") -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def replay(app: Flask, value: str, name: str = "session") -> Any:
    """GET /kelola/ in a fresh browser that holds only the saved cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other.get("/kelola/")


def is_sent_to_sign_in(resp: Any) -> bool:
    return resp.status_code == 302 and resp.headers["Location"].startswith("/masuk")


def test_saved_cookie_dies_at_sign_out(app, scratch_client, users):
    """Finding: a session cookie saved before sign-out still opened /kelola/ afterwards."""
    sign_in(scratch_client, "produsen")
    cookie = saved_cookie(scratch_client)
    assert replay(app, cookie).status_code == 200  # the saved cookie works while signed in
    resp = scratch_client.post("/keluar", data={"csrf_token": csrf(scratch_client, "/akun")})
    assert resp.status_code == 302
    assert is_sent_to_sign_in(replay(app, cookie))


def test_sign_out_is_a_post_with_csrf(app, scratch_client, users):
    """Sign-out cannot be triggered by a link or a cross-site form: GET is refused and a POST
    without the CSRF token changes nothing."""
    sign_in(scratch_client, "produsen")
    cookie = saved_cookie(scratch_client)
    assert scratch_client.get("/keluar").status_code == 405
    assert scratch_client.post("/keluar").status_code == 400
    assert scratch_client.get("/kelola/").status_code == 200
    assert replay(app, cookie).status_code == 200


def test_saved_cookie_dies_at_password_change_but_this_session_stays(app, scratch_client, users):
    """Finding: a session cookie saved before a password change still opened /kelola/."""
    sign_in(scratch_client, "produsen")
    cookie = saved_cookie(scratch_client)
    token = csrf(scratch_client, "/akun/kata-sandi")
    resp = scratch_client.post("/akun/kata-sandi", data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    assert scratch_client.get("/kelola/").status_code == 200  # whoever changed it stays signed in
    assert is_sent_to_sign_in(replay(app, cookie))


def test_saved_cookie_dies_at_password_reset(app, scratch_client, users):
    """Finding: a session cookie saved before a password reset still opened /kelola/ (the
    reset is what a user does after losing a device or a cookie)."""
    sign_in(scratch_client, "produsen")
    cookie = saved_cookie(scratch_client)
    stranger = app.test_client()
    resp = stranger.post("/akun/lupa-kata-sandi", data={"csrf_token": csrf(stranger, "/akun/lupa-kata-sandi"),
                                                        "email": "produsen@riau.go.id"})
    assert resp.status_code == 200
    body = db.session.scalars(select(OutboxMessage)).one().body
    link = re.search(r"http://localhost(/akun/atur-ulang/\S+)", body).group(1)
    resp = stranger.post(link, data={"csrf_token": csrf(stranger, link), "new_password": NEW_PASSWORD,
                                     "confirm_password": NEW_PASSWORD})
    assert resp.status_code == 302
    assert is_sent_to_sign_in(replay(app, cookie))
    assert is_sent_to_sign_in(scratch_client.get("/kelola/"))


def test_saved_cookie_dies_at_deactivation_even_after_reactivation(app, scratch_client, users):
    """A deactivated account's sessions end for good: reactivating it does not revive them."""
    sign_in(scratch_client, "produsen")
    cookie = saved_cookie(scratch_client)
    user = users["produsen"]
    services.set_user_active(SYSTEM, user, False)
    db.session.commit()
    services.set_user_active(SYSTEM, user, True)
    db.session.commit()
    assert is_sent_to_sign_in(replay(app, cookie))


def test_remember_cookie_dies_at_sign_out(app, scratch_client, users):
    """Remember-me cookies carry the same identity as the session, so they die the same way."""
    from flask_login.utils import encode_cookie

    user = users["produsen"]
    with app.test_request_context():
        remember = encode_cookie(str(user.get_id()))
    assert replay(app, remember, "remember_token").status_code == 200
    sign_in(scratch_client, "produsen")
    scratch_client.post("/keluar", data={"csrf_token": csrf(scratch_client, "/akun")})
    assert is_sent_to_sign_in(replay(app, remember, "remember_token"))


def test_old_style_identity_is_refused(app, scratch_client, users):
    """A cookie made before session stamps existed (the bare user id) no longer signs in, and
    the refusal is audited."""
    user = users["produsen"]
    with scratch_client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
    assert is_sent_to_sign_in(scratch_client.get("/kelola/"))
    refused = db.session.scalars(select(AuditLog).where(AuditLog.action == "user.session_refused")).all()
    assert [(r.actor_id, r.summary.get("reason")) for r in refused] == [(user.id, "ended")]
