"""Issue #16, fault suite: a worker killed (SIGKILL: the OOM killer, a pulled plug) in the middle
of a job, with a real gunicorn serving the portal meanwhile.

- Mid-validation: the run it left ``running`` is ended ``error`` with a message by the periodic
  sweep once its heartbeat is older than ``VALIDATION_STALE_AFTER``, a fresh run is queued, and
  a new worker finishes it ``valid``.
- Mid-export: no half-written download is ever served (a request gets the whole file, or a
  clear "being prepared" answer), and the periodic export sweep builds what is missing.
"""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from satudata import jobs
from satudata.catalog import services as catalog
from satudata.catalog.models import Resource, ValidationStatus
from satudata.extensions import db
from satudata.validation import tasks as validation_tasks
from satudata.validation.models import RunStatus, ValidationRun
from tests.accounts.conftest import bearer
from tests.factories import SYSTEM, make_dataset, publish_dataset
from tests.fault.conftest import Processes, enqueue_periodic, kill_family, log_tail, serve, wait_for

pytestmark = [pytest.mark.fault, pytest.mark.jobs]

HEADER = "kode,kecamatan,laki_laki,perempuan,tahun\n"
SCHEMA = {"fields": [{"name": "kode", "type": "string"}, {"name": "kecamatan", "type": "string"},
                     {"name": "laki_laki", "type": "integer"}, {"name": "perempuan", "type": "integer"},
                     {"name": "tahun", "type": "year"}]}


def _table(rows: int) -> bytes:
    return (HEADER + "".join(f"14.{i:06d},Kecamatan {i},{i},{i + 1},2025\n" for i in range(rows))).encode()


# --------------------------------------------------------------------------- validation

VALIDATION_ROWS = 150_000  # seconds of the frictionless engine (tests/fault/conftest.py)


def test_worker_killed_mid_validation_is_redone_by_the_sweep(
        app: Flask, users: dict[str, Any], tokens: dict[str, Any], orgs: dict[str, Any],
        processes: Processes) -> None:
    """Finding: a worker killed mid-validation left its run ``running`` for ever; now the sweep
    ends it ``error`` with a message and a fresh run (a new worker) gives the verdict."""
    draft = make_dataset(orgs["dinkes"], publish=False, csv=None, title="Penduduk menurut Kecamatan")
    db.session.commit()
    slug = draft.slug
    with serve(app, processes) as base:
        resp = requests.post(f"{base}/api/v1/workspace/datasets/{slug}/resources",
                             headers=bearer(tokens["produsen"]["write"]), timeout=120,
                             files={"file": ("penduduk.csv", _table(VALIDATION_ROWS), "text/csv")},
                             data={"name": "Penduduk per kecamatan"})
        assert resp.status_code == 201, resp.text[:1000]
    resource_id = resp.json()["data"]["id"]
    db.session.rollback()
    first = db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == resource_id)).one()
    first_id = first.id
    db.session.rollback()

    worker = processes.worker(app, "validation")

    def running() -> bool:
        assert worker.poll() is None, "the worker ended: " + log_tail(worker)
        run = db.session.get(ValidationRun, first_id, populate_existing=True)
        assert run is not None and not run.status.finished, f"validation ended ({run.status}) before the kill"
        # Well into the table, and its heartbeat beating (what the sweep watches).
        busy = run.status == RunStatus.RUNNING and run.rows_done > 0 and run.heartbeat_at is not None
        db.session.rollback()
        return busy

    wait_for(running, "the worker to be validating the table")
    assert not kill_family(worker)  # the worker and its work horse are gone

    def swept() -> bool:
        validation_tasks.sweep_runs()  # what the periodic job runs
        db.session.rollback()
        run = db.session.get(ValidationRun, first_id, populate_existing=True)
        assert run is not None
        done = run.status != RunStatus.RUNNING
        db.session.rollback()
        return done

    wait_for(swept, "the sweep to end the run of the killed worker", every=0.5)
    runs = list(db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == resource_id)
                                   .order_by(ValidationRun.id)))
    assert [r.status for r in runs] == [RunStatus.ERROR, RunStatus.QUEUED]
    assert runs[0].message and runs[0].finished_at is not None
    resource = db.session.get(Resource, resource_id)
    assert resource is not None and resource.validation_status == ValidationStatus.PENDING
    assert jobs.get_queue("validation").count >= 1  # the fresh run's job
    fresh_id = runs[1].id
    db.session.rollback()

    processes.run_burst(app, "validation")
    fresh = db.session.get(ValidationRun, fresh_id, populate_existing=True)
    assert fresh is not None and fresh.status == RunStatus.VALID
    resource = db.session.get(Resource, resource_id, populate_existing=True)
    assert resource is not None and resource.validation_status == ValidationStatus.VALID
    assert resource.row_count == VALIDATION_ROWS
    killed = db.session.get(ValidationRun, first_id, populate_existing=True)
    assert killed is not None and killed.status == RunStatus.ERROR  # the killed run's outcome stands


# --------------------------------------------------------------------------- exports

EXPORT_ROWS = 60_000  # seconds of XlsxWriter


def _check_download(fmt: str, resp: requests.Response) -> bool:
    """A download answer is the whole file (True) or a clear "being prepared" (False); never
    half a file, never a server error."""
    if resp.status_code in (202, 503):
        assert "text/html" in resp.headers.get("Content-Type", "") or resp.headers.get("Retry-After"), resp.headers
        assert resp.text.strip(), "a 'being prepared' answer says so"
        return False
    assert resp.status_code == 200, (fmt, resp.status_code, resp.text[:500])
    body = resp.content
    if fmt == "csv":
        assert body.count(b"\r\n") == EXPORT_ROWS + 1 and body.endswith(b"\r\n")
    elif fmt == "json":
        assert len(json.loads(body)) == EXPORT_ROWS
    else:
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            assert book.testzip() is None
            sheet = book.read("xl/worksheets/sheet1.xml")
        assert sheet.rstrip().endswith(b"</worksheet>")
        assert re.search(rb'<row r="%d"' % (EXPORT_ROWS + 1), sheet)
    return True


def _building_xlsx(exports_dir: Path) -> bool:
    """Whether a build of an XLSX is under way (its temporary files are in ``exports/tmp``)."""
    tmp = exports_dir / "tmp"
    try:
        return tmp.exists() and any(".xlsx" in str(p.relative_to(tmp)) and not p.name.endswith((".lock", ".failed"))
                                    for p in tmp.rglob("*"))
    except FileNotFoundError:  # a build directory renamed away while it was being listed
        return False


def test_worker_killed_mid_export_serves_no_half_file_and_the_sweep_rebuilds(
        app: Flask, processes: Processes) -> None:
    """Finding: a worker killed mid-export; downloads meanwhile are whole files (or "being
    prepared"), and the periodic export sweep builds the downloads it did not finish."""
    dataset = make_dataset(csv=None, publish=False, title="Penduduk menurut Kecamatan dan Jenis Kelamin")
    resource = catalog.add_resource_file(SYSTEM, dataset, io.BytesIO(_table(EXPORT_ROWS)), filename="penduduk.csv",
                                         name="Penduduk")
    resource.table_schema = SCHEMA
    db.session.commit()
    assert validation_tasks.validate_resource(resource.id) == "valid"  # its commit queues the build
    publish_dataset(dataset, index=False)
    slug, resource_id, sha = dataset.slug, resource.id, resource.sha256
    exports_dir = Path(app.config["STORAGE_PATH"]) / "exports"
    assert jobs.get_queue("default").count >= 1

    with serve(app, processes) as base:
        link = f"{base}/dataset/{slug}/resource/{resource_id}/unduh"
        worker = processes.worker(app, "default")

        def building() -> bool:
            assert worker.poll() is None, "the worker ended: " + log_tail(worker)
            return _building_xlsx(exports_dir)

        wait_for(building, "the worker to be writing the XLSX", every=0.01)
        # A citizen asks for the XLSX while the worker writes it, and the worker dies.
        answers: list[requests.Response | BaseException] = []

        def download() -> None:
            try:
                answers.append(requests.get(link + ".xlsx", timeout=120))
            except BaseException as exc:  # reported below
                answers.append(exc)

        citizen = threading.Thread(target=download, name="download-during-kill")
        citizen.start()
        try:
            assert not kill_family(worker)  # the worker and its work horse are gone
        finally:
            citizen.join(timeout=150)
        assert not citizen.is_alive(), "the download never ended"
        assert len(answers) == 1 and isinstance(answers[0], requests.Response), answers
        _check_download("xlsx", answers[0])

        # What is in place is whole: each format is complete or not there yet.
        for path in exports_dir.glob(f"{sha}-*.csv"):
            assert path.read_bytes().count(b"\r\n") == EXPORT_ROWS + 1
        assert not list(exports_dir.glob(f"{sha}-*.json")), "the JSON was never built: it cannot be in place"

        # The periodic sweep (queued as the scheduler queues it) builds what is missing.
        enqueue_periodic("satudata.catalog.tasks.sweep_exports")
        processes.run_burst(app, "default")
        for ext in ("csv", "xlsx", "json"):
            assert len(list(exports_dir.glob(f"{sha}-*.{ext}"))) == 1, f"no {ext} after the sweep"
        for fmt in ("csv", "xlsx", "json"):
            assert _check_download(fmt, requests.get(f"{link}.{fmt}", timeout=120)), fmt
