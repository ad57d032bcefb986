from datetime import timedelta

import pytest
from sqlalchemy import select

from satudata.accounts import services
from satudata.accounts.models import AuditLog, OutboxMessage
from satudata.db import unit_of_work, utcnow
from satudata.errors import Conflict, Forbidden, Invalid
from satudata.extensions import db
from tests.accounts.conftest import PASSWORD


def _actions():
    return [a.action for a in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_sign_in_and_wrong_password(users):
    assert services.authenticate("produsen", PASSWORD).username == "produsen"
    assert services.authenticate("produsen@riau.go.id", PASSWORD).username == "produsen"
    with pytest.raises(Invalid, match="salah"):
        services.authenticate("produsen", "nope")
    with pytest.raises(Invalid, match="salah"):  # same message for an unknown user
        services.authenticate("nobody", "nope")
    assert _actions().count("user.login") == 2
    assert _actions().count("user.login_failed") == 2


def test_lockout_after_five_failures_then_expires(users):
    for _ in range(4):
        with pytest.raises(Invalid):
            services.authenticate("produsen", "salah")
    # The locking failure and a locked account answer as a wrong password does (issue #16:
    # a different answer told attackers which usernames exist).
    with pytest.raises(Invalid, match="dikunci"):
        services.authenticate("produsen", "salah")
    assert users["produsen"].locked_until is not None
    with pytest.raises(Invalid, match="dikunci"):  # even the right password, while locked
        services.authenticate("produsen", PASSWORD)
    users["produsen"].locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert services.authenticate("produsen", PASSWORD).failed_logins == 0


def test_deactivated_user_cannot_sign_in_but_history_stays(users):
    admin = users["admin"]
    services.set_user_active(admin, users["produsen"], False)
    db.session.commit()
    with pytest.raises(Forbidden, match="dinonaktifkan"):
        services.authenticate("produsen", PASSWORD)
    assert db.session.get(type(users["produsen"]), users["produsen"].id) is not None
    with pytest.raises(Conflict):
        services.set_user_active(admin, admin, False)


def test_reset_link_is_single_use_and_mailed(users):
    services.request_password_reset("produsen@riau.go.id", "http://x/reset/{token}")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == "produsen@riau.go.id"
    token = mail.body.split("http://x/reset/")[1].split()[0]
    services.reset_password(token, "kata-sandi-baru-456")
    assert services.authenticate("produsen", "kata-sandi-baru-456")
    with pytest.raises(Invalid, match="sudah dipakai"):
        services.reset_password(token, "kata-sandi-lain-789")


def test_reset_for_unknown_email_sends_nothing(users):
    services.request_password_reset("siapa@contoh.id", "http://x/{token}")
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_reset_token_tampered_or_expired(app, users):
    with pytest.raises(Invalid, match="tidak valid"):
        services.reset_password("bukan-token", "kata-sandi-baru-456")
    token = services.make_reset_token(users["produsen"])
    from itsdangerous import URLSafeTimedSerializer

    assert URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset").loads(token)["u"]
    old = services.RESET_MAX_AGE
    services.RESET_MAX_AGE = -1
    try:
        with pytest.raises(Invalid, match="kedaluwarsa"):
            services.reset_password(token, "kata-sandi-baru-456")
    finally:
        services.RESET_MAX_AGE = old


def test_password_rules(users):
    u = users["produsen"]
    with pytest.raises(Invalid, match="minimal"):
        services.change_password(u, u, PASSWORD, "pendek")
    with pytest.raises(Invalid, match="saat ini salah"):
        services.change_password(u, u, "bukan", "kata-sandi-baru-456")
    with pytest.raises(Forbidden):
        services.change_password(users["admin"], u, PASSWORD, "kata-sandi-baru-456")


def test_tokens_hashed_shown_once_revocable(users):
    u = users["produsen"]
    token, secret = services.create_api_token(u, u, "skrip", "write")
    db.session.commit()
    assert secret.startswith("sdp_") and secret not in (token.token_hash, token.prefix)
    assert services.authenticate_token(secret) == (u, token)
    assert token.last_used_at is not None
    services.revoke_api_token(u, token)
    db.session.commit()
    assert services.authenticate_token(secret) is None
    with pytest.raises(Invalid):
        services.create_api_token(u, u, "x", "admin")


def test_role_assignment_is_idempotent_and_audited(users, orgs):
    admin, u = users["admin"], users["produsen"]
    m1 = services.assign_role(admin, u, "produsen", orgs["other"])
    m2 = services.assign_role(admin, u, "produsen", orgs["other"])
    assert m1 is m2
    services.remove_role(admin, m1)
    db.session.commit()
    assert _actions().count("membership.create") == 1 and "membership.delete" in _actions()
    with pytest.raises(Forbidden):
        services.assign_role(users["walidata"], u, "admin", orgs["prov"])


def test_organisation_hierarchy_cannot_loop(users, orgs):
    with pytest.raises(Invalid, match="Induk"):
        services.update_organization(users["admin"], orgs["prov"], parent=orgs["dinkes"])


def test_audit_filters_and_csv(users):
    admin = users["admin"]
    with unit_of_work():  # what the sign-in request does: its audit row is committed
        services.authenticate("produsen", PASSWORD)
    rows, total = services.list_audit(admin, {"action": "user.login"})
    assert total == 1 and rows[0].actor_label == "user:produsen"
    with pytest.raises(Invalid):
        services.list_audit(admin, {"since": "kemarin"})
    with pytest.raises(Forbidden):
        services.list_audit(users["walidata"], {})
    text = "".join(services.export_audit_csv(admin, {"action": "user."}))
    assert text.splitlines()[0].startswith("waktu_utc,aktor,aksi")
    assert "user:produsen,user.login" in text
