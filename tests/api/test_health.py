import socket

import redis


def test_healthz(scratch_client):
    resp = scratch_client.get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok"}


def test_readyz_reports_each_component(scratch_client):
    resp = scratch_client.get("/readyz")
    assert resp.status_code == 200
    checks = resp.json["checks"]
    assert set(checks) == {"database", "redis", "search"}
    assert checks["database"]["status"] == "ok"
    assert checks["redis"]["status"] == "ok" and "default" in checks["redis"]["queued"]


def test_readyz_says_which_component_is_down(app, scratch_client):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    # Point this app's Redis connection at the dead port (a second app would rebind the
    # process-wide rate limiter to it).
    live = app.extensions.pop("satudata_redis", None)
    app.extensions["satudata_redis"] = redis.Redis(port=dead, socket_connect_timeout=0.5)
    try:
        resp = scratch_client.get("/readyz")
    finally:
        app.extensions.pop("satudata_redis")
        if live is not None:
            app.extensions["satudata_redis"] = live
    assert resp.status_code == 503
    assert resp.json["status"] == "error"
    assert resp.json["checks"]["redis"]["status"] == "error"
    assert "Connection" in resp.json["checks"]["redis"]["error"]
    assert resp.json["checks"]["database"]["status"] == "ok"


def test_security_txt_names_the_contact_at_the_public_address(client, demo_app, monkeypatch):
    monkeypatch.setitem(demo_app.config, "SECURITY_CONTACT", "mailto:csirt@riau.go.id")
    body = client.get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: mailto:csirt@riau.go.id" in body
    assert "Canonical: http://localhost/.well-known/security.txt" in body
    assert "Expires: 20" in body
