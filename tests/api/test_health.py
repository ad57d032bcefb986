import socket

from tests.conftest import make_app


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


def test_readyz_says_which_component_is_down(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    app = make_app(tmp_path, "redisdown", REDIS_URL=f"redis://127.0.0.1:{dead}/0")
    resp = app.test_client().get("/readyz")
    assert resp.status_code == 503
    assert resp.json["status"] == "error"
    assert resp.json["checks"]["redis"]["status"] == "error"
    assert "Connection" in resp.json["checks"]["redis"]["error"]
    assert resp.json["checks"]["database"]["status"] == "ok"
