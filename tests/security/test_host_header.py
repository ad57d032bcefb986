"""Finding (High): password-reset link poisoning through the Host header.

``POST /akun/lupa-kata-sandi`` with ``Host: evil.example`` mailed a genuine reset link on
``http://evil.example/...``; the forged host also reached ``/api/v1`` links, CKAN resource URLs
and ``rel=canonical``. Absolute URLs now come from ``BASE_URL`` only, and a request for a host
that is not trusted is answered 400 before it reaches the portal.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from satudata import create_app
from satudata.accounts.models import OutboxMessage
from satudata.extensions import db
from tests.accounts.test_views import csrf
from tests.conftest import TEST_REDIS_URL

PUBLIC = "https://data.riau.go.id"


def test_forged_host_gets_no_reset_mail(scratch_client: Any, users: Any) -> None:
    token = csrf(scratch_client, "/akun/lupa-kata-sandi")
    resp = scratch_client.post("/akun/lupa-kata-sandi", headers={"Host": "evil.example"},
                               data={"csrf_token": token, "email": "admin@riau.go.id"})
    assert resp.status_code == 400
    assert "host tidak dikenal" in resp.get_data(as_text=True)
    assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5000", "localhost.evil.example", "127.0.0.1.nip.io"])
def test_untrusted_hosts_are_refused_everywhere(scratch_client: Any, host: str) -> None:
    for path in ("/", "/api/3/action/package_search", "/api/v1/datasets", "/masuk"):
        assert scratch_client.get(path, headers={"Host": host}).status_code == 400, (host, path)


def test_health_probes_answer_any_host(scratch_client: Any) -> None:
    # Orchestrators probe by IP address; the probes build no links.
    assert scratch_client.get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200


def test_reset_link_uses_base_url_not_the_request_host(scratch_client: Any, users: Any, app: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "BASE_URL", PUBLIC)
    token = csrf(scratch_client, "/akun/lupa-kata-sandi")
    resp = scratch_client.post("/akun/lupa-kata-sandi", data={"csrf_token": token, "email": "admin@riau.go.id"})
    assert resp.status_code == 200
    body = db.session.scalars(select(OutboxMessage)).one().body
    assert re.search(r"https://data\.riau\.go\.id/akun/atur-ulang/\S+", body), body
    assert "localhost" not in body


def test_api_links_and_canonical_use_base_url(client: Any, demo_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(demo_app.config, "BASE_URL", PUBLIC)
    pkg = client.get("/api/3/action/package_search?rows=1").get_json()["result"]["results"][0]
    urls = [r["url"] for r in pkg["resources"] if r.get("url")]
    assert urls and all(u.startswith(PUBLIC + "/") for u in urls), urls
    err = client.get("/api/3/action/package_show?id=tidak-ada").get_json()
    assert err["help"].startswith(PUBLIC + "/api/3/action/help_show")
    listing = client.get("/api/v1/datasets?limit=1").get_json()
    assert PUBLIC + "/api/v1/" in str(listing) and "localhost" not in str(listing)
    page = client.get(f"/dataset/{pkg['name']}").get_data(as_text=True)
    assert f'<link rel="canonical" href="{PUBLIC}/dataset/{pkg["name"]}">' in page
    assert "http://localhost/" not in page
    assert client.get("/api/v1/openapi.json").get_json()["servers"][0]["url"].startswith(PUBLIC)


def test_forwarded_headers_are_ignored_without_a_configured_proxy(scratch_client: Any, users: Any) -> None:
    token = csrf(scratch_client, "/akun/lupa-kata-sandi")
    resp = scratch_client.post("/akun/lupa-kata-sandi", headers={"X-Forwarded-Host": "evil.example"},
                               data={"csrf_token": token, "email": "admin@riau.go.id"})
    assert resp.status_code == 200
    body = db.session.scalars(select(OutboxMessage)).one().body
    assert "evil.example" not in body


def _proxied_app(tmp_path: Path) -> Any:
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                       "REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
                       "BASE_URL": PUBLIC, "PROXY_COUNT": 1})


@pytest.mark.nodb
def test_behind_a_configured_proxy_the_forwarded_host_is_still_checked(tmp_path: Path) -> None:
    client = _proxied_app(tmp_path).test_client()
    assert client.get("/api/3/action/status_show", headers={"X-Forwarded-Host": "evil.example"}).status_code == 400
    ok = client.get("/api/3/action/status_show", headers={"X-Forwarded-Host": "data.riau.go.id", "X-Forwarded-Proto": "https"})
    assert ok.status_code == 200
    assert "Strict-Transport-Security" in ok.headers


@pytest.mark.nodb
def test_production_database_requires_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from satudata.config import ConfigurationError

    monkeypatch.delenv("SATUDATA_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="SATUDATA_BASE_URL is required"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                    "DATABASE_URL": "postgresql://nobody@127.0.0.1:5432/none"})
    with pytest.raises(ConfigurationError, match="absolute http"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "BASE_URL": "data.riau.go.id"})
