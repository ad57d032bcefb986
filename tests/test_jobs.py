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


def test_worker_enqueues_the_periodic_jobs_while_it_holds_the_lease(app):
    # SCHEDULER_IN_WORKER: the RQ worker enqueues jobs.PERIODIC itself (no scheduler process);
    # of two workers only the one holding the lease does, so running several never doubles them.
    conn = jobs.get_redis(app)
    conn.delete(jobs.CRON_LEASE_KEY, jobs.CRON_LAST_KEY)
    _empty_all_queues()
    first = jobs.make_worker(app, periodic=True, name="satu")
    second = jobs.make_worker(app, periodic=True, name="dua")
    try:
        assert first.dequeue_timeout <= jobs.CRON_TICK_SECONDS  # an idle worker wakes to tick
        assert first.cron_tick() is True
        queued = [job.args[0] for name in jobs.QUEUES for job in jobs.get_queue(name).jobs]
        # All at once, but the daily ones (the full reindex): `satudata prepare` just did their work.
        expected = [name for name, _queue, interval in jobs.PERIODIC if interval < jobs.CRON_NOT_AT_FIRST_START]
        assert "satudata.search.tasks.rebuild_index" not in expected
        assert sorted(queued) == sorted(expected)
        assert conn.get(jobs.CRON_LEASE_KEY) == b"satu"
        assert second.cron_tick() is False  # the lease is taken: nothing enqueued twice
        assert first.cron_tick() is True  # nothing is due yet: no job more
        assert sum(jobs.get_queue(name).count for name in jobs.QUEUES) == len(expected)
        first.teardown()  # a worker that stops gives the lease back ...
        assert conn.get(jobs.CRON_LEASE_KEY) is None
        assert second.cron_tick() is True  # ... and the other takes it over,
        assert conn.get(jobs.CRON_LEASE_KEY) == b"dua"
        # going on from when each job was last enqueued: nothing is due again yet.
        assert sum(jobs.get_queue(name).count for name in jobs.QUEUES) == len(expected)
    finally:
        conn.delete(jobs.CRON_LEASE_KEY, jobs.CRON_LAST_KEY)
        _empty_all_queues()


def test_a_worker_without_the_periodic_jobs_never_enqueues_them(app):
    plain = jobs.make_worker(app, name="polos")
    assert plain.cron is None
    assert plain.dequeue_timeout > jobs.CRON_TICK_SECONDS
