"""The real indexing path: a publication schedules a sync, the transaction commits, a real
``satudata worker --burst`` process (the index's single writer) runs the ``search`` queue, and
the dataset is then searchable from this process; a withdrawal removes it the same way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from satudata import jobs
from satudata.review import services as review
from satudata.search import services
from tests.conftest import run_worker
from tests.factories import SYSTEM, make_dataset

pytestmark = pytest.mark.jobs

ROOT = Path(__file__).resolve().parents[2]


def run_search_worker(app) -> subprocess.CompletedProcess[str]:
    return run_worker(app, "search")


@pytest.fixture()
def search_queue(app):
    q = jobs.get_queue("search")
    q.empty()
    yield q
    q.empty()


def test_worker_indexes_after_commit_and_removes_after_withdrawal(app, db, app_backend, search_queue):
    failed_before = len(search_queue.failed_job_registry)
    ds = make_dataset(title="Produksi Kelapa Sawit Perkebunan Rakyat", index=False)
    # publishing scheduled it (other test runs may share this Redis database: look for ours)
    assert [j.args for j in search_queue.jobs if ds.id in j.args] == [("satudata.search.tasks.sync_dataset", ds.id)]
    assert services.search_datasets("sawit").total == 0  # nothing until the worker ran

    proc = run_search_worker(app)
    assert proc.returncode == 0, proc.stderr
    assert search_queue.count == 0
    assert len(search_queue.failed_job_registry) == failed_before, proc.stderr
    r = services.search_datasets("kelapa sawit")
    assert [d.id for d in r.items] == [ds.id]

    # The withdrawal's signal schedules the removal; it reaches the queue when it commits.
    review.withdraw_dataset(SYSTEM, ds, reason="Data ditarik untuk diperbaiki.")
    db.session.commit()
    assert [j.args for j in search_queue.jobs if ds.id in j.args] == [("satudata.search.tasks.sync_dataset", ds.id)]
    proc = run_search_worker(app)
    assert proc.returncode == 0, proc.stderr
    assert services.search_datasets("kelapa sawit").total == 0
