"""Test fixtures: real databases (SQLite always, PostgreSQL when SATUDATA_TEST_DATABASE_URL is
set), a real Redis, and two apps:

- ``demo_app`` / ``client``: a database with the demo data loaded once per run; read-only use.
- ``app`` / ``db``: an empty migrated database; every test's rows are deleted afterwards.

On PostgreSQL each app gets its own schema of the test database (search_path), so the two never
see each other's rows.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from satudata import create_app
from satudata.config import normalise_database_url

TEST_DATABASE_URL = os.environ.get("SATUDATA_TEST_DATABASE_URL", "")


def worker_redis_url(base: str, worker: str) -> str:
    """Each pytest-xdist worker gets a Redis database of its own (gw0 the base URL's, gw1 the one
    below, ...): tests empty the queues and run ``--burst`` workers that would take another
    process's jobs."""
    if not worker.startswith("gw"):
        return base
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    number = (int(parts.path.strip("/") or 0) - int(worker[2:])) % 16
    return urlunsplit(parts._replace(path=f"/{number}"))


TEST_REDIS_URL = worker_redis_url(os.environ.get("SATUDATA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
                                  os.environ.get("PYTEST_XDIST_WORKER", ""))


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
        # PPID notices are signed with the self-signed demo certificate, as on `make run`.
        "PPID_SIGNING_DEMO": True,
        **database_config(tmp, name),
        **overrides,
    }
    app = create_app(config)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app


# Fixtures that reach a database; a test marked ``nodb`` (left out of the PostgreSQL pass) uses none.
DATABASE_FIXTURES = {"app", "db", "demo_app", "_scratch_app", "client", "scratch_client", "queue"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("nodb") and used:
            raise pytest.UsageError(f"{item.nodeid} is marked nodb but uses {sorted(used)}")


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
        _write_query_copies()  # and what the default queue's worker does after each valid verdict
    yield app
    drop_schema(app)


def _write_query_copies() -> None:
    from satudata.datastore import services as datastore
    from satudata.datastore.tasks import wanted
    from satudata.extensions import db as _db

    for resource in _db.session.scalars(wanted()).all():
        datastore.build_copy(resource)
    _db.session.rollback()


@pytest.fixture()
def client(demo_app: Flask) -> Iterator[FlaskClient]:
    """A test client of the demo portal addressed as http://localhost. The browser journeys'
    live server (session-scoped, ``serve_live``) sets ``BASE_URL`` to its own address for as
    long as it serves; a test after one in the same worker must not see that address."""
    before = demo_app.config["BASE_URL"]
    demo_app.config["BASE_URL"] = "http://localhost"
    try:
        yield demo_app.test_client()
    finally:
        demo_app.config["BASE_URL"] = before


@pytest.fixture(scope="session")
def _scratch_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("scratch")
    app = make_app(tmp, "scratch")
    yield app
    drop_schema(app)


def fresh_app(scratch: Flask) -> Iterator[Flask]:
    """The body of the ``app`` fixture, for fixtures that choose between it and a shared app."""
    from satudata.extensions import db as _db
    from satudata.extensions import limiter

    ctx = scratch.app_context()
    ctx.push()
    limiter.reset()  # rate-limit counters are per test, not per run
    try:
        yield scratch
    finally:
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            if table.name != "generations":
                _db.session.execute(table.delete())
        # The rows went without the session noticing: the caches' generation moves on by hand.
        from satudata.generations import bump_all

        bump_all()
        _db.session.commit()
        _db.session.remove()
        from satudata.search.backend import get_backend

        backend = get_backend(scratch)  # the index follows the emptied database
        backend.drop_index()
        backend.create_index()
        ctx.pop()


@pytest.fixture()
def app(_scratch_app: Flask) -> Iterator[Flask]:
    """An app on an empty database, inside an app context; rows are removed after the test."""
    yield from fresh_app(_scratch_app)


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
                  "ELASTICSEARCH_URL", "ELASTICSEARCH_INDEX", "HARVEST_ALLOW_PRIVATE_NETWORKS")


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
        # A test enqueues the periodic jobs it means to run (tests/fault enqueue_periodic); a
        # worker it starts does not enqueue them all on its own.
        "SCHEDULER_IN_WORKER": False,
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
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "satudata.cli", "worker", "--queue", queue, "--burst"]
    # PYTHONFAULTHANDLER: a worker still running at the timeout is sent SIGABRT and prints every
    # thread's stack, so a hang says where it hangs (CI once saw one end silent after 180 s).
    env = {**satudata_env(app), "PYTHONFAULTHANDLER": "1"}
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            try:
                out, err = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
            raise AssertionError(f"satudata worker --queue {queue} --burst still running after {timeout} s; "
                                 f"its output:\n{out[-4000:]}\n{err[-12000:]}") from None
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


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


# --------------------------------------------------------------------------- shared, read-only data


def fingerprint() -> str:
    """A digest of every row of the current app's database, to prove a test left it unchanged."""
    from sqlalchemy import select

    from satudata.extensions import db as _db

    digest = hashlib.sha256()
    for table in _db.metadata.sorted_tables:
        rows = sorted(repr(tuple(row)) for row in _db.session.execute(select(table)))
        digest.update(f"{table.name}:{len(rows)}:{rows}".encode())
    _db.session.rollback()
    return digest.hexdigest()


class SharedData:
    """One module's shared database and what ``build()`` made in it, app context pushed."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[], Any]) -> None:
        self.tmp_path_factory, self.name, self.build, self.builds = tmp_path_factory, name, build, 0
        self.start()

    def start(self) -> None:
        from satudata.extensions import db as _db

        self.builds += 1
        name = f"shared_{self.name}_{self.builds}"
        self.app = make_app(self.tmp_path_factory.mktemp(name), name)
        self.ctx = self.app.app_context()
        self.ctx.push()
        self.data = self.build()
        _db.session.commit()
        self.fingerprint = fingerprint()

    def stop(self) -> None:
        from satudata.extensions import db as _db

        _db.session.remove()
        self.ctx.pop()
        drop_schema(self.app)


def shared_data(name: str, build: Callable[[], Any]) -> tuple[Any, Any, Any]:
    """Fixtures ``(app, data, _shared)`` for a test module whose tests read what ``build()`` makes.

    ``build()`` runs once per module, on a database of the module's own, whose app context stays
    pushed for the module (so the objects it returns stay usable). ``app``/``db``/
    ``scratch_client`` then mean that app, and ``data`` what ``build()`` returned. After each
    test the session is rolled back and the database must be exactly as ``build()`` left it,
    or the test fails: a test that changes rows is marked ``@pytest.mark.writes`` and gets the
    ordinary empty ``app`` and a fresh ``build()`` instead. Rows only: a test that changes stored
    files, the search index or the app's config (without restoring it) must be marked too. Assign the three to module names:
    ``app, cat, _shared = shared_data("rest", build_catalogue)``.
    """

    @pytest.fixture(scope="module")
    def _shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedData]:
        shared = SharedData(tmp_path_factory, name, build)
        try:
            yield shared
        finally:
            shared.stop()

    @pytest.fixture()
    def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
        if request.node.get_closest_marker("writes"):
            yield from fresh_app(request.getfixturevalue("_scratch_app"))
            return
        from satudata.extensions import db as _db
        from satudata.extensions import limiter

        shared: SharedData = request.getfixturevalue("_shared")
        limiter.reset()
        try:
            yield shared.app
        finally:
            _db.session.rollback()
            if fingerprint() != shared.fingerprint:
                shared.stop()  # the next test gets an intact copy; this one fails
                shared.start()
                pytest.fail(f"{request.node.nodeid} changed the shared data of this module: "
                            "mark it @pytest.mark.writes")

    @pytest.fixture()
    def data(request: pytest.FixtureRequest, app: Flask) -> Any:
        if request.node.get_closest_marker("writes"):
            return build()
        return request.getfixturevalue("_shared").data

    return app, data, _shared
