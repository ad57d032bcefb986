"""Fault and load suite (issue #16): the portal as it runs in production, hurt on purpose.

- ``private_redis``: a redis-server of this suite's own on a free port, which tests may stop
  and start again (the machine's shared Redis is never touched).
- ``app`` (and every fixture built on it: ``db``, the accounts users and tokens): the usual
  empty migrated database, on the private Redis, with a short ``VALIDATION_STALE_AFTER``.
- :func:`serve`: a real gunicorn (``wsgi:app``) on a free 127.0.0.1 port, started with the
  app's ``SATUDATA_*`` settings, so requests cross real processes, sockets and the database.
- :class:`Processes`: real ``satudata worker`` processes that a test may SIGKILL mid-job.

Every process and thread here is bounded in time and ended in a ``finally``; waits poll with a
hang guard (:func:`wait_for`), never a timing assertion.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest
import redis
import requests
from flask import Flask

from tests.accounts.conftest import PASSWORD, orgs, tokens, users  # noqa: F401  (fixtures)
from tests.conftest import ROOT, drop_schema, make_app, satudata_env
from tests.workspace.conftest import vocab  # noqa: F401  (fixture)

T = TypeVar("T")

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
HANG_GUARD = 90  # seconds any single wait may take before the test fails as hung
# Settings of this suite's app that its server and workers must share (they read the
# environment). A running validation silent for 2 s counts as stale, so a killed worker's run
# is found without waiting minutes; frictionless (the reference engine) is slow enough that a
# 150,000-row table is still running when the test kills its worker.
SETTINGS: dict[str, Any] = {
    "VALIDATION_STALE_AFTER": 2,
    "VALIDATION_ENGINE": "frictionless",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "AUDIT_ANONYMOUS_DENIALS_PER_MINUTE": 1_000_000,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], T], what: str, timeout: float = HANG_GUARD, every: float = 0.05) -> T:
    """Poll ``check`` until it returns something truthy; fail (as hung) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting ({timeout:.0f} s) for {what}")
        time.sleep(every)


# --------------------------------------------------------------------------- processes


def kill_family(proc: subprocess.Popen[Any]) -> list[psutil.Process]:
    """SIGKILL ``proc``, everything it forked and their process groups (RQ's work horse puts
    itself in a group of its own), as the OOM killer or a pulled plug would. Returns what is
    still alive afterwards (nothing, normally)."""
    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    groups = set()
    for member in family:
        with suppress(psutil.NoSuchProcess, ProcessLookupError):
            groups.add(os.getpgid(member.pid))
    for group in groups - {os.getpgid(0)}:
        with suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    for member in family:
        with suppress(psutil.NoSuchProcess):
            member.kill()
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    _, alive = psutil.wait_procs(family, timeout=10)
    return list(alive)


class Processes:
    """Subprocesses of one test, each in a session of its own, all killed at teardown."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[Any]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[Any]:
        log = (self.logs / f"{name}-{len(self.started)}.log").open("wb")
        try:
            proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        finally:
            log.close()  # the child holds its own copy
        proc.log_path = log.name  # type: ignore[attr-defined]
        self.started.append(proc)
        return proc

    def worker(self, app: Flask, *queues: str, burst: bool = False) -> subprocess.Popen[Any]:
        """A real ``satudata worker`` on ``queues`` with the app's database, Redis and storage."""
        args = [sys.executable, "-m", "satudata.cli", "worker"]
        for queue in queues:
            args += ["--queue", queue]
        return self.start("worker", args + (["--burst"] if burst else []), satudata_env(app))

    def run_burst(self, app: Flask, *queues: str, timeout: float = HANG_GUARD) -> None:
        """Run a burst worker on ``queues`` to the end (every job there done)."""
        proc = self.worker(app, *queues, burst=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_family(proc)
            raise AssertionError(f"burst worker on {queues} still running after {timeout:.0f} s: "
                                 + log_tail(proc)) from None
        assert code == 0, log_tail(proc)

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                kill_family(proc)


def log_tail(proc: subprocess.Popen[Any], chars: int = 4000) -> str:
    path = getattr(proc, "log_path", None)
    return Path(path).read_text(errors="replace")[-chars:] if path else ""


@pytest.fixture()
def processes(tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()


@contextmanager
def serve(app: Flask, processes: Processes, *, workers: int = 2, threads: int = 4, **settings: Any) -> Iterator[str]:
    """A real gunicorn serving ``wsgi:app`` configured like ``app``, with the portal's server
    settings (``satudata/server.py``: preloaded, recycled; ``settings`` are more ``SATUDATA_*``
    for it); yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = processes.start("gunicorn", [
        gunicorn, "-c", "python:satudata.server", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--threads", str(threads),
        # Generous: a request that builds a large download on the spot must not be cut off.
        "--timeout", "120", "--graceful-timeout", "5", "wsgi:app",
    ], satudata_env(app, BASE_URL=url, **settings))
    try:
        def up() -> bool:
            assert proc.poll() is None, "gunicorn ended: " + log_tail(proc)
            try:
                # The socket accepts before a worker has loaded the app: give it a moment.
                return requests.get(url + "/healthz", timeout=5).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                return False

        wait_for(up, "gunicorn to answer /healthz", every=0.2)
        yield url
    finally:
        if proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill_family(proc)


def enqueue_periodic(name: str) -> None:
    """Queue the periodic job ``name`` the way ``satudata scheduler`` does when it is due."""
    from satudata import jobs

    queue = next(q for job, q, _ in jobs.PERIODIC if job == name)
    jobs.get_queue(queue).enqueue(jobs.run_job, name)


def csrf_token(session: requests.Session, url: str) -> str:
    resp = session.get(url, timeout=30)
    assert resp.status_code == 200, (url, resp.status_code)
    match = re.search(r'name="csrf_token" value="([^"]+)"', resp.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A browser-like session signed in through the real /masuk form."""
    session = requests.Session()
    token = csrf_token(session, base + "/masuk")
    resp = session.post(base + "/masuk", data={"login": username, "password": password, "csrf_token": token},
                        allow_redirects=False, timeout=30)
    assert resp.status_code == 302, (resp.status_code, resp.text[:1000])
    return session


# --------------------------------------------------------------------------- Redis and the app


class RedisServer:
    """A private redis-server (no persistence) that a test may stop and start again."""

    def __init__(self, logs: Path) -> None:
        self.port = free_port()
        self.logs = logs
        self.proc: subprocess.Popen[Any] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "already running"
        log = (self.logs / "redis.log").open("ab")
        try:
            self.proc = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--daemonize", "no"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        conn = redis.Redis(port=self.port, socket_connect_timeout=1)

        def answers() -> bool:
            assert self.proc is not None and self.proc.poll() is None, "redis-server ended"
            try:
                return bool(conn.ping())
            except redis.ConnectionError:
                return False

        try:
            wait_for(answers, "the private redis-server to start", timeout=30)
        finally:
            conn.close()

    def stop(self) -> None:
        """Stop the server (what it held is gone: no persistence, as after a crash)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@pytest.fixture(scope="session")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _scratch_app(tmp_path_factory: pytest.TempPathFactory, private_redis: RedisServer) -> Iterator[Flask]:
    """This suite's database (it overrides the scratch app of tests/conftest.py, so the ``app``
    fixture and everything built on it use it): on the private Redis, with :data:`SETTINGS`."""
    app = make_app(tmp_path_factory.mktemp("fault"), "fault", REDIS_URL=private_redis.url, **SETTINGS)
    try:
        yield app
    finally:
        drop_schema(app)


@pytest.fixture(autouse=True)
def _fresh_redis(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with the private Redis running and empty (a test may have stopped it)."""
    if "private_redis" not in request.fixturenames and "app" not in request.fixturenames:
        yield
        return
    server: RedisServer = request.getfixturevalue("private_redis")
    if not server.running:
        server.start()
    redis.Redis.from_url(server.url).flushdb()
    try:
        yield
    finally:
        if not server.running:
            server.start()
