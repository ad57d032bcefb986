"""Low findings about requests themselves: huge integers in URLs, NUL and deep nesting in JSON
bodies, the audit log flooded by anonymous refusals, /readyz revealing paths, signed-in pages
left in caches."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from satudata import jobs
from satudata.accounts.models import AuditLog
from satudata.extensions import db
from tests.accounts.test_views import sign_in

HUGE = "9" * 25


@pytest.mark.parametrize("path", [
    f"/standar-data/kependudukan/v{HUGE}",
    f"/standar-data/kependudukan/v{HUGE}.json",
    f"/admin/pengguna/{HUGE}",
    f"/admin/pengguna/{2**31}",
])
def test_huge_integers_in_urls_are_not_found(scratch_client: Any, tokens: Any, path: str) -> None:
    """Finding: 500s on huge integers in URLs (the database cannot hold the number)."""
    sign_in(scratch_client, "admin")
    assert scratch_client.get(path).status_code == 404
    auth = {"Authorization": f"Bearer {tokens['admin']['write']}"}
    assert scratch_client.delete(f"/api/v1/tokens/{HUGE}", headers=auth).status_code == 404


def test_nul_in_json_bodies_is_refused(scratch_client: Any, tokens: Any) -> None:
    """Finding: NUL accepted in JSON bodies (PostgreSQL cannot store it; it fails later)."""
    auth = {"Authorization": f"Bearer {tokens['produsen']['write']}"}
    resp = scratch_client.post("/api/v1/workspace/datasets", headers=auth,
                               json={"title": "Jumlah penduduk\x00 2025", "description": "x"})
    assert resp.status_code == 422 and "NUL" in resp.get_json()["error"]["message"]
    resp = scratch_client.post("/api/3/action/package_search", json={"q": "penduduk\x00"})
    assert resp.status_code == 409
    assert "NUL" in resp.get_json()["error"]["message"]
    resp = scratch_client.post("/api/3/action/package_search", json={"fq_list": [{"a\x00": 1}]})
    assert resp.status_code == 409
    assert scratch_client.post("/api/3/action/package_search", json={"q": "penduduk"}).status_code == 200


def test_deeply_nested_json_bodies_are_refused_not_500(scratch_client: Any, tokens: Any) -> None:
    """Finding: deeply nested JSON → RecursionError 500."""
    auth = {"Authorization": f"Bearer {tokens['produsen']['write']}"}
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 70 + "1" + "}" * 70):
        resp = scratch_client.post("/api/v1/workspace/datasets", data=body, headers=auth,
                                   content_type="application/json")
        assert resp.status_code == 422, resp.status_code
        assert "bersarang" in resp.get_json()["error"]["message"]
    # The CKAN façade answers as CKAN does: a body it cannot decode is a 400 JSON Error.
    resp = scratch_client.post("/api/3/action/package_search", data="[" * 100_000 + "]" * 100_000,
                               content_type="application/json")
    assert resp.status_code == 400 and "JSON Error" in resp.get_json()["error"]["message"]


def _audit_rows() -> int:
    return int(db.session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def test_anonymous_refusals_do_not_flood_the_audit_log(scratch_client: Any, app: Any, users: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding: anonymous refused writes flood the audit log unthrottled."""
    monkeypatch.setitem(app.config, "AUDIT_ANONYMOUS_DENIALS_PER_MINUTE", 5)
    jobs.get_redis().delete("satudata:denials:127.0.0.1")
    before = _audit_rows()
    for _ in range(30):
        resp = scratch_client.post("/api/3/action/package_create", json={"name": "spam"})
        assert resp.status_code == 403  # still refused, every time
    assert _audit_rows() - before == 5
    # A signed-in actor's refusals are always written.
    sign_in(scratch_client, "produsen")
    after = _audit_rows()
    for _ in range(8):
        assert scratch_client.get("/admin/audit").status_code == 403
    assert _audit_rows() - after == 8
    jobs.get_redis().delete("satudata:denials:127.0.0.1")


def test_readyz_shows_no_paths(scratch_client: Any, app: Any) -> None:
    """Finding: /readyz shows the absolute instance path."""
    text = scratch_client.get("/readyz").get_data(as_text=True)
    assert app.instance_path not in text and "/tmp" not in text


def test_signed_in_pages_are_not_cached(scratch_client: Any, users: Any) -> None:
    """Finding: signed-in pages without Cache-Control: no-store."""
    public = scratch_client.get("/dataset")
    assert "no-store" not in public.headers.get("Cache-Control", "")
    sign_in(scratch_client, "produsen")
    for path in ("/kelola/", "/akun", "/dataset"):
        assert "no-store" in scratch_client.get(path).headers.get("Cache-Control", ""), path
