"""Test fixtures: real databases (SQLite always, PostgreSQL when SATUDATA_TEST_DATABASE_URL is
set), a real Redis, and two apps:

- ``demo_app`` / ``client``: a database with the demo data loaded once per run; read-only use.
- ``app`` / ``db``: an empty migrated database; every test's rows are deleted afterwards.

On PostgreSQL each app gets its own schema of the test database (search_path), so the two never
see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from satudata import create_app
from satudata.config import normalise_database_url

TEST_DATABASE_URL = os.environ.get("SATUDATA_TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("SATUDATA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def database_config(tmp: Path, name: str) -> dict[str, Any]:
    """Config keys for a fresh database called ``name``."""
    if not TEST_DATABASE_URL:
        return {"DATABASE_URL": f"sqlite:///{tmp / (name + '.db')}"}
    url = normalise_database_url(TEST_DATABASE_URL)
    schema = f"t_{name}_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return {
        "DATABASE_URL": url,
        "TEST_SCHEMA": schema,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


def drop_schema(app: Flask) -> None:
    schema = app.config.get("TEST_SCHEMA")
    if not schema:
        return
    from satudata.extensions import db

    with app.app_context():
        db.engine.dispose()
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def make_app(tmp: Path, name: str, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp / f"instance_{name}"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "REDIS_URL": TEST_REDIS_URL,
        # Permission tests count on every refusal being audited; the throttle has its own test.
        "AUDIT_ANONYMOUS_DENIALS_PER_MINUTE": 1_000_000,
        # Flask's test client addresses "localhost"; absolute links come from BASE_URL.
        "BASE_URL": "http://localhost",
        # Cheap password hashing keeps fixtures fast; production keeps argon2's defaults.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        **database_config(tmp, name),
        **overrides,
    }
    app = create_app(config)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app whose database holds the demo data. Tests must not change it."""
    tmp = tmp_path_factory.mktemp("demo")
    app = make_app(tmp, "demo")
    from satudata.demo import load_demo
    from satudata.search import services as search

    with app.app_context():
        load_demo()
        search.reindex_all()  # what the search queue's worker does after each publication
    yield app
    drop_schema(app)


@pytest.fixture()
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


@pytest.fixture(scope="session")
def _scratch_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("scratch")
    app = make_app(tmp, "scratch")
    yield app
    drop_schema(app)


@pytest.fixture()
def app(_scratch_app: Flask) -> Iterator[Flask]:
    """An app on an empty database, inside an app context; rows are removed after the test."""
    from satudata.extensions import db as _db
    from satudata.extensions import limiter

    ctx = _scratch_app.app_context()
    ctx.push()
    limiter.reset()  # rate-limit counters are per test, not per run
    try:
        yield _scratch_app
    finally:
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()
        from satudata.search.backend import get_backend

        backend = get_backend(_scratch_app)  # the index follows the emptied database
        backend.drop_index()
        backend.create_index()
        ctx.pop()


@pytest.fixture()
def db(app: Flask) -> Any:
    from satudata.extensions import db as _db

    return _db


class FreshGlobalsClient(FlaskClient):
    """The ``app`` fixture keeps an app context pushed for the whole test, and Flask reuses it
    for the client's requests, so ``g`` (where Flask-Login and Flask-WTF cache the user and
    the CSRF token) would leak from one request into the next. Each request starts with an
    empty ``g`` here, as it does in production."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        from flask import g

        g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            g.__dict__.clear()


@pytest.fixture()
def scratch_client(app: Flask) -> FlaskClient:
    app.test_client_class = FreshGlobalsClient
    return app.test_client()


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def queue(app: Flask) -> Iterator[Any]:
    """The validation queue, empty at the start and at the end. Use it only in tests that run
    a worker: an ``empty()`` elsewhere could drop that test's job. Jobs other tests leave
    behind name rows that are gone by then; a worker skips them."""
    from satudata import jobs

    q = jobs.get_queue("validation")
    q.empty()
    yield q
    q.empty()


# Settings a test app may change that its child processes (workers, servers) must share.
CHILD_SETTINGS = ("VALIDATION_STALE_AFTER", "VALIDATION_ENGINE", "VALIDATION_JOB_TIMEOUT", "EXPORT_JOB_TIMEOUT",
                  "ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "AUDIT_ANONYMOUS_DENIALS_PER_MINUTE",
                  "ELASTICSEARCH_URL", "ELASTICSEARCH_INDEX")


def satudata_env(app: Flask, **extra: Any) -> dict[str, str]:
    """The environment of a worker or server process configured like ``app`` (its database,
    schema, Redis, storage, search index and the settings a test may have changed)."""
    import json

    settings: dict[str, Any] = {
        "INSTANCE_PATH": app.instance_path,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": app.config["REDIS_URL"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "BASE_URL": app.config["BASE_URL"],
        "STORAGE_PATH": app.config["STORAGE_PATH"],
        "SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
        **{key: app.config[key] for key in CHILD_SETTINGS if app.config.get(key) is not None},
        **extra,
    }
    if app.config.get("TEST_SCHEMA"):
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.update({f"SATUDATA_{key}": value if isinstance(value, str) else json.dumps(value)
                for key, value in settings.items()})
    return env


def run_worker(app: Flask, queue: str, timeout: int = 180) -> Any:
    """Run a real ``satudata worker --burst`` process on ``queue`` with this test app's
    database, Redis, storage and search index; returns the finished process."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "satudata.cli", "worker", "--queue", queue, "--burst"],
        env=satudata_env(app), cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )


def serve_live(app: Flask, name: str = "live-server") -> Iterator[str]:
    """Serve ``app`` over real HTTP on a free 127.0.0.1 port in a thread and yield its URL.

    While it serves, ``BASE_URL`` is that address, as an operator would configure it, so the
    absolute links the portal writes (API, CKAN resource URLs, mails) lead back to it.
    """
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    before = app.config["BASE_URL"]
    app.config["BASE_URL"] = url
    try:
        yield url
    finally:
        app.config["BASE_URL"] = before
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
