"""Token authentication, scopes, and the permission matrix of the account API endpoints."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from satudata.accounts.models import AuditLog, Organization
from satudata.extensions import db
from tests.accounts.conftest import ROLES, bearer


def test_me_needs_a_token(scratch_client, tokens):
    resp = scratch_client.get("/api/v1/me")
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in resp.json["error"]["message"]
    resp = scratch_client.get("/api/v1/me", headers={"Authorization": "Basic abc"})
    assert resp.status_code == 401
    resp = scratch_client.get("/api/v1/me", headers=bearer("sdp_bukan-token"))
    assert resp.status_code == 401
    resp = scratch_client.get("/api/v1/me", headers=bearer(tokens["produsen"]["read"]))
    assert resp.status_code == 200
    [role] = resp.json["data"]["roles"]
    assert role["role"] == "produsen" and role["organization"]["slug"] == "dinkes-riau"
    assert role["organization"]["url"] == "http://localhost/api/v1/organizations/dinkes-riau"


def test_read_token_cannot_write_and_changes_nothing(scratch_client, tokens):
    body = {"slug": "dinsos-riau", "name": "Dinas Sosial", "kind": "opd"}
    resp = scratch_client.post("/api/v1/organizations", json=body, headers=bearer(tokens["admin"]["read"]))
    assert resp.status_code == 403
    assert "read" in resp.json["error"]["message"]
    assert db.session.scalar(select(Organization).where(Organization.slug == "dinsos-riau")) is None
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert denied and denied[-1].actor_label == "user:admin"


def test_token_never_signs_in_html(scratch_client, tokens):
    resp = scratch_client.get("/akun", headers=bearer(tokens["admin"]["write"]))
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]


def test_session_cookie_never_authorises_api_write(scratch_client, users):
    with scratch_client.session_transaction() as sess:
        sess["_user_id"] = users["admin"].get_id()  # a valid signed-in session
        sess["_fresh"] = True
    assert scratch_client.get("/kelola/").status_code == 200
    resp = scratch_client.post("/api/v1/organizations", json={"slug": "x-y", "name": "XY", "kind": "opd"})
    assert resp.status_code == 401


def test_revoked_token_stops_working(scratch_client, tokens):
    h = bearer(tokens["produsen"]["write"])
    mine = scratch_client.get("/api/v1/tokens", headers=h).json["data"]
    write_id = next(t["id"] for t in mine if t["scope"] == "write")
    assert scratch_client.delete(f"/api/v1/tokens/{write_id}", headers=h).status_code == 200
    assert scratch_client.get("/api/v1/me", headers=h).status_code == 401


def test_deactivated_users_tokens_stop_working(scratch_client, tokens, users):
    admin = bearer(tokens["admin"]["write"])
    resp = scratch_client.post(f"/api/v1/users/{users['produsen'].id}/deactivate", headers=admin)
    assert resp.status_code == 200 and resp.json["data"]["active"] is False
    assert scratch_client.get("/api/v1/me", headers=bearer(tokens["produsen"]["read"])).status_code == 401


def test_admin_creates_org_and_user_with_role(scratch_client, tokens):
    h = bearer(tokens["admin"]["write"])
    resp = scratch_client.post("/api/v1/organizations", headers=h, json={
        "slug": "dinsos-riau", "name": "Dinas Sosial Provinsi Riau", "kind": "opd", "parent": "pemprov-riau"})
    assert resp.status_code == 201, resp.json
    assert resp.json["data"]["parent"]["slug"] == "pemprov-riau"
    resp = scratch_client.post("/api/v1/users", headers=h, json={
        "username": "sari.dinsos", "email": "sari@riau.go.id", "full_name": "Sari", "role": "produsen",
        "organization": "dinsos-riau", "password": "kata-sandi-sari-1"})
    assert resp.status_code == 201, resp.json
    assert resp.json["data"]["roles"][0]["organization"]["slug"] == "dinsos-riau"
    # the same again is a conflict, not a 500
    resp = scratch_client.post("/api/v1/organizations", headers=h, json={
        "slug": "dinsos-riau", "name": "Dinas Sosial Provinsi Riau", "kind": "opd"})
    assert resp.status_code == 409


@pytest.mark.parametrize("body,field", [
    ({"name": "Dinas", "kind": "opd"}, "slug"),
    ({"slug": "Bad Slug", "name": "Dinas", "kind": "opd"}, "slug"),
    ({"slug": "ok-slug", "name": "Dinas", "kind": "planet"}, "kind"),
    ({"slug": "ok-slug", "name": "X", "kind": "opd"}, "name"),
    ({"slug": "ok-slug", "name": "Xy", "kind": "opd", "kode_wilayah": "14.7"}, "kode_wilayah"),
])
def test_bad_organisation_input(scratch_client, tokens, body, field):
    resp = scratch_client.post("/api/v1/organizations", json=body, headers=bearer(tokens["admin"]["write"]))
    assert resp.status_code == 422
    assert field in resp.json["error"]["details"]


def test_malformed_json_body(scratch_client, tokens):
    resp = scratch_client.post("/api/v1/organizations", data="{not json", content_type="application/json",
                               headers=bearer(tokens["admin"]["write"]))
    assert resp.status_code == 422
    assert "JSON" in resp.json["error"]["message"]


# Every mutating account endpoint, as every role and anonymous: only admin may.
MUTATIONS = [
    ("post", "/api/v1/organizations", {"slug": "baru-{role}", "name": "Organisasi Baru", "kind": "opd"}),
    ("patch", "/api/v1/organizations/dinkes-riau", {"name": "Dinas Kesehatan"}),
    ("post", "/api/v1/users", {"username": "baru.{role}", "email": "baru.{role}@riau.go.id", "full_name": "Baru"}),
    ("post", "/api/v1/users/{produsen_id}/roles", {"role": "produsen", "organization": "pemkot-dumai"}),
    ("post", "/api/v1/users/{produsen_id}/deactivate", None),
    ("post", "/api/v1/users/{produsen_id}/activate", None),
]


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize("method,path,body", MUTATIONS)
def test_permission_matrix(scratch_client, tokens, users, role, method, path, body):
    fill = {"role": role.replace("_", "-"), "produsen_id": users["produsen"].id}
    url = path.format(**fill)
    payload = {k: v.format(**fill) if isinstance(v, str) else v for k, v in (body or {}).items()}
    headers = {} if role == "anonymous" else bearer(tokens[role]["write"])
    before = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    resp = getattr(scratch_client, method)(url, json=payload, headers=headers)
    if role == "admin":
        assert resp.status_code in (200, 201), resp.json
    else:
        assert resp.status_code == (401 if role == "anonymous" else 403), resp.json
        after = db.session.scalars(select(AuditLog.action).where(AuditLog.id > (before or 0))).all()
        assert set(after) <= {"access.denied"}  # nothing changed, only the refusal was logged
