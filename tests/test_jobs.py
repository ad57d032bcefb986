"""enqueue() holds jobs until commit, drops them on rollback, and a real RQ worker process runs
them with an app context and the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import AuditLog
from tests.conftest import run_worker

pytestmark = pytest.mark.jobs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def queue(app):
    q = jobs.get_queue("default")
    q.empty()
    yield q
    q.empty()


def test_job_waits_for_commit(app, db, queue):
    jobs.enqueue("tests.jobs_probe.write_trace", "a")
    assert queue.count == 0  # not before the transaction commits
    db.session.commit()
    assert queue.count == 1
    job = queue.jobs[0]
    assert job.args == ("tests.jobs_probe.write_trace", "a")


def test_rollback_drops_job(app, db, queue):
    jobs.enqueue("tests.jobs_probe.write_trace", "b")
    db.session.rollback()
    db.session.commit()
    assert queue.count == 0


def test_savepoints_neither_send_jobs_early_nor_lose_the_outer_ones(app, db, queue):
    jobs.enqueue("tests.jobs_probe.write_trace", "outer")
    with db.session.begin_nested():
        jobs.enqueue("tests.jobs_probe.write_trace", "released")
    assert queue.count == 0  # a released savepoint is no commit
    try:
        with db.session.begin_nested():
            jobs.enqueue("tests.jobs_probe.write_trace", "rolled back")
            raise RuntimeError
    except RuntimeError:
        pass
    assert queue.count == 0
    db.session.commit()
    assert [j.args[1] for j in queue.jobs] == ["outer", "released"]


def test_unknown_queue_is_refused(app):
    with pytest.raises(ValueError):
        jobs.enqueue("tests.jobs_probe.write_trace", "c", queue="nope")


def test_real_worker_runs_job(app, db, queue):
    jobs.enqueue("tests.jobs_probe.write_trace", "from-worker")
    db.session.commit()
    proc = run_worker(app, "default")
    assert proc.returncode == 0, proc.stderr
    assert queue.count == 0
    db.session.expire_all()
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == "probe.ran")).all()
    assert [r.object_id for r in rows] == ["from-worker"]
    assert rows[0].actor_label == "system:jobs-probe"


def _empty_all_queues() -> None:
    for name in jobs.QUEUES:
        jobs.get_queue(name).empty()


def _queued() -> list[str]:
    return sorted(job.args[0] for name in jobs.QUEUES for job in jobs.get_queue(name).jobs)


@pytest.fixture()
def periodic_clean(app):
    conn = jobs.get_redis(app)
    conn.delete(jobs.CRON_LEASE_KEY, jobs.CRON_LAST_KEY)
    _empty_all_queues()
    yield conn
    conn.delete(jobs.CRON_LEASE_KEY, jobs.CRON_LAST_KEY)
    _empty_all_queues()


def test_worker_enqueues_the_periodic_jobs_while_it_holds_the_lease(app, periodic_clean):
    # SCHEDULER_IN_WORKER: the RQ worker enqueues jobs.PERIODIC itself (no scheduler process);
    # of two workers only the one holding the lease does, so running several never doubles them.
    conn = periodic_clean
    first = jobs.make_worker(app, periodic=True, name="satu")
    second = jobs.make_worker(app, periodic=True, name="dua")
    assert first.dequeue_timeout <= jobs.CRON_TICK_SECONDS  # an idle worker wakes to tick
    assert first.cron_tick() is True
    # All at once, but the full reindex: `satudata prepare` has just done its work.
    expected = sorted(name for name, _queue, _interval in jobs.PERIODIC if name not in jobs.NOT_AT_FIRST_START)
    assert "satudata.search.tasks.rebuild_index" not in expected
    assert _queued() == expected
    assert conn.get(jobs.CRON_LEASE_KEY) == b"satu"
    assert second.cron_tick() is False  # the lease is taken: nothing enqueued twice
    assert first.cron_tick() is True  # nothing is due yet: no job more
    assert _queued() == expected
    first.teardown()  # a worker that stops gives the lease back ...
    assert conn.get(jobs.CRON_LEASE_KEY) is None
    assert second.cron_tick() is True  # ... and the other takes it over,
    assert conn.get(jobs.CRON_LEASE_KEY) == b"dua"
    # going on from when each job was last enqueued (the reindex's period started at the
    # first start, and is remembered): nothing is due again yet.
    assert _queued() == expected
    assert conn.hexists(jobs.CRON_LAST_KEY, "satudata.search.tasks.rebuild_index")


def test_a_worker_that_gets_the_lease_back_goes_on_from_the_others_times(app, periodic_clean):
    # A worker busy with a long job stops ticking; its lease lapses, another worker takes
    # over and enqueues; when the first has the lease again it must not repeat that.
    conn = periodic_clean
    busy = jobs.make_worker(app, periodic=True, name="sibuk")
    other = jobs.make_worker(app, periodic=True, name="lain")
    assert busy.cron_tick() is True
    conn.delete(jobs.CRON_LEASE_KEY)  # the lease lapsed during a long job
    _empty_all_queues()
    conn.hset(jobs.CRON_LAST_KEY, "satudata.accounts.tasks.sweep_outbox", "2000-01-01T00:00:00+00:00")
    assert other.cron_tick() is True  # takes it over; only the outbox sweep was due
    assert _queued() == ["satudata.accounts.tasks.sweep_outbox"]
    other.teardown()
    _empty_all_queues()
    assert busy.cron_tick() is True  # back: the other's times, so nothing again
    assert _queued() == []


def test_the_scheduler_takes_the_same_lease(app, periodic_clean):
    conn = periodic_clean
    worker = jobs.make_worker(app, periodic=True, name="pekerja")
    assert worker.cron_tick() is True
    _empty_all_queues()
    jobs.run_scheduler(app, every=0, ticks=1)  # an old deployment's `satudata scheduler` beside it
    assert _queued() == []
    worker.teardown()
    conn.delete(jobs.CRON_LAST_KEY)
    jobs.run_scheduler(app, every=0, ticks=1)  # alone, it enqueues them
    assert len(_queued()) == len(jobs.PERIODIC) - len(jobs.NOT_AT_FIRST_START)
    assert conn.get(jobs.CRON_LEASE_KEY) is None  # and gives the lease back when it stops


def test_a_worker_without_the_periodic_jobs_never_enqueues_them(app):
    plain = jobs.make_worker(app, name="polos")
    assert plain.periodic is None
    assert plain.dequeue_timeout > jobs.CRON_TICK_SECONDS
