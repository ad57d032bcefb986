"""``/healthz`` (the process is up) and ``/readyz`` (database, Redis and search reachable)."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from satudata import jobs
from satudata.extensions import db
from satudata.search import services as search_services

bp = Blueprint("health", __name__)


@bp.get("/.well-known/security.txt")
def security_txt() -> Any:
    """Where to report a vulnerability (RFC 9116); valid for a year from each answer."""
    from datetime import UTC, datetime, timedelta

    from flask import Response, current_app

    expires = (datetime.now(UTC) + timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
    body = (f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
            f"Expires: {expires}\n"
            "Preferred-Languages: id, en\n"
            f"Canonical: {current_app.config['BASE_URL']}/.well-known/security.txt\n")
    return Response(body, mimetype="text/plain")


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


def _check(fn: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = fn()
        result: dict[str, Any] = {"status": "ok"}
        if detail:
            result.update(detail)
    except Exception as exc:  # a readiness probe reports every failure, whatever its type
        result = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@bp.get("/readyz")
def readyz() -> Any:
    def database() -> dict[str, Any]:
        db.session.execute(text("SELECT 1"))
        return {"backend": db.engine.dialect.name}

    def redis() -> dict[str, Any]:
        jobs.get_redis().ping()
        return {"queued": {q: jobs.get_queue(q).count for q in jobs.QUEUES}}

    def search() -> dict[str, Any]:
        health = search_services.search_health()
        if health.get("status") != "ok":
            raise RuntimeError(health.get("error") or "search engine unavailable")
        # Public probe: no file-system paths (they tell an attacker about the machine).
        return {k: v for k, v in health.items() if k not in ("status", "path")}

    checks = {"database": _check(database), "redis": _check(redis), "search": _check(search)}
    ok = all(c["status"] == "ok" for c in checks.values())
    return jsonify({"status": "ok" if ok else "error", "checks": checks}), 200 if ok else 503
