"""The staff pages in the Flask test client, with CSRF protection on as in production."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from satudata.accounts.models import AuditLog, Organization, User
from satudata.extensions import db
from tests.accounts.conftest import PASSWORD


def csrf(client, path="/masuk"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, username, password=PASSWORD, next_url=""):
    token = csrf(client)
    return client.post("/masuk", data={"login": username, "password": password, "csrf_token": token,
                                       "next": next_url})


def test_sign_in_and_out(scratch_client, users):
    resp = sign_in(scratch_client, "produsen")
    assert resp.status_code == 302 and resp.headers["Location"] == "/kelola/"  # where a producer's work is
    page = scratch_client.get("/akun").get_data(as_text=True)
    assert "Pengguna produsen" in page and "Token API" in page
    token = csrf(scratch_client, "/akun")
    resp = scratch_client.post("/keluar", data={"csrf_token": token})
    assert resp.status_code == 302
    assert scratch_client.get("/akun").status_code == 302


def test_the_chosen_language_survives_signing_in_and_out(scratch_client, users):
    scratch_client.get("/?lang=en")
    sign_in(scratch_client, "produsen")
    assert "Manage data" in scratch_client.get("/kelola/").get_data(as_text=True)  # not "Kelola data"
    token = csrf(scratch_client, "/akun")
    scratch_client.post("/keluar", data={"csrf_token": token})
    assert 'lang="en"' in scratch_client.get("/").get_data(as_text=True)[:300]


def test_wrong_password_says_so_and_keeps_login(scratch_client, users):
    resp = sign_in(scratch_client, "produsen", "salah-sekali")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "nama pengguna atau kata sandi salah" in html
    assert 'value="produsen"' in html


def test_lockout_message(scratch_client, users):
    for _ in range(5):
        resp = sign_in(scratch_client, "produsen", "salah-sekali")
    assert resp.status_code == 400  # the same answer as a wrong password (issue #16)
    assert "dikunci 15 menit" in resp.get_data(as_text=True)


def test_missing_csrf_token_is_refused_and_changes_nothing(scratch_client, users):
    resp = scratch_client.post("/masuk", data={"login": "produsen", "password": PASSWORD})
    assert resp.status_code == 400
    assert "<html" in resp.get_data(as_text=True)
    assert db.session.scalar(select(User.last_login_at).where(User.username == "produsen")) is None


def test_no_open_redirect_after_sign_in(scratch_client, users):
    resp = sign_in(scratch_client, "produsen", next_url="https://jahat.example/")
    assert resp.headers["Location"] == "/kelola/"
    scratch_client.post("/keluar", data={"csrf_token": csrf(scratch_client, "/akun")})
    resp = sign_in(scratch_client, "produsen", next_url="/dataset?q=x")
    assert resp.headers["Location"] == "/dataset?q=x"


def test_anonymous_is_sent_to_sign_in(scratch_client):
    resp = scratch_client.get("/admin/pengguna")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/masuk?next=")


@pytest.mark.parametrize("role", ["produsen", "walidata", "ppid_utama", "atasan_ppid"])
def test_admin_pages_are_admin_only(scratch_client, users, role):
    sign_in(scratch_client, role.replace("_", "."))
    for path in ("/admin/organisasi", "/admin/pengguna", "/admin/audit", "/admin/organisasi/baru"):
        resp = scratch_client.get(path)
        assert resp.status_code == 403, path
        assert "izin" in resp.get_data(as_text=True).lower() or "tidak diizinkan" in resp.get_data(as_text=True).lower()


def test_producer_cannot_post_admin_form(scratch_client, users):
    sign_in(scratch_client, "produsen")
    token = csrf(scratch_client, "/akun")
    resp = scratch_client.post("/admin/organisasi/baru", data={"csrf_token": token, "slug": "x-y", "name": "Dinas X",
                                                              "kind": "opd"})
    assert resp.status_code == 403
    assert db.session.scalar(select(Organization).where(Organization.slug == "x-y")) is None
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).first() is not None


def test_admin_creates_organisation_and_user_in_ui(scratch_client, users):
    sign_in(scratch_client, "admin")
    token = csrf(scratch_client, "/admin/organisasi/baru")
    resp = scratch_client.post("/admin/organisasi/baru", data={
        "csrf_token": token, "slug": "dinsos-riau", "name": "Dinas Sosial Provinsi Riau", "kind": "opd",
        "parent": "pemprov-riau", "kode_wilayah": "", "email": ""})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = scratch_client.post("/admin/organisasi/baru", data={
        "csrf_token": token, "slug": "dinsos-riau", "name": "Dinas Sosial Provinsi Riau", "kind": "opd"})
    assert resp.status_code == 400 and "sudah ada" in resp.get_data(as_text=True)
    resp = scratch_client.post("/admin/pengguna/baru", data={
        "csrf_token": token, "full_name": "Sari", "username": "sari.dinsos", "email": "sari@riau.go.id",
        "role": "produsen", "organization": "dinsos-riau", "password": ""})
    assert resp.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "sari.dinsos"))
    assert [(str(m.role), m.organization.slug) for m in user.memberships] == [("produsen", "dinsos-riau")]
    assert user.password_hash is None  # she sets her own, from the mailed link


def test_deactivated_users_session_ends_with_message(scratch_client, users):
    sign_in(scratch_client, "produsen")
    users["produsen"].active = False
    db.session.commit()
    resp = scratch_client.get("/dataset", follow_redirects=True)
    assert "dinonaktifkan" in resp.get_data(as_text=True)
    assert scratch_client.get("/akun").status_code == 302
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "user.session_refused")).first()


def test_reset_flow_in_pages(scratch_client, users, app):
    token = csrf(scratch_client, "/akun/lupa-kata-sandi")
    resp = scratch_client.post("/akun/lupa-kata-sandi", data={"csrf_token": token, "email": "produsen@riau.go.id"})
    assert resp.status_code == 200 and "Periksa email" in resp.get_data(as_text=True)
    from satudata.accounts.models import OutboxMessage

    body = db.session.scalars(select(OutboxMessage)).one().body
    link = re.search(r"http://localhost(/akun/atur-ulang/\S+)", body).group(1)
    token = csrf(scratch_client, link)
    resp = scratch_client.post(link, data={"csrf_token": token, "new_password": "kata-sandi-baru-456",
                                           "confirm_password": "kata-sandi-baru-456"})
    assert resp.status_code == 302
    resp = scratch_client.post(link, data={"csrf_token": token, "new_password": "kata-sandi-lagi-789",
                                           "confirm_password": "kata-sandi-lagi-789"})
    assert resp.status_code == 400 and "sudah dipakai" in resp.get_data(as_text=True)


def test_audit_csv_export(scratch_client, users):
    sign_in(scratch_client, "admin")
    resp = scratch_client.get("/admin/audit.csv?action=user.")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "user:admin,user.login" in resp.get_data(as_text=True)
    assert scratch_client.get("/admin/audit?since=kemarin").status_code == 400
    assert scratch_client.get("/admin/audit?page=x").status_code == 400


def test_security_headers(scratch_client):
    resp = scratch_client.get("/masuk")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    cookie = resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_is_rate_limited(scratch_client, users, app):
    from satudata.extensions import limiter

    limiter.reset()
    codes = [sign_in(scratch_client, "nobody", "x").status_code for _ in range(11)]
    limiter.reset()
    assert codes[-1] == 429 and set(codes[:10]) == {400}


def test_organisation_form_with_empty_optional_fields(scratch_client, users):
    """A browser sends every field, empty ones as ''; that must not read as 'may not be null'."""
    sign_in(scratch_client, "admin")
    token = csrf(scratch_client, "/admin/organisasi/baru")
    fields = {k: "" for k in ("acronym", "kode_wilayah", "parent", "email", "phone", "website", "address",
                              "description")}
    resp = scratch_client.post("/admin/organisasi/baru", data={
        **fields, "csrf_token": token, "slug": "bpbd-riau", "name": "BPBD Provinsi Riau", "kind": "opd"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    org = db.session.scalar(select(Organization).where(Organization.slug == "bpbd-riau"))
    assert org.description == "" and org.is_walidata is False
