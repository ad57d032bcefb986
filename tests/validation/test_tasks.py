"""The validation job writes the outcome to the resource; a real RQ worker runs it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import AuditLog
from satudata.catalog import services as catalog
from satudata.catalog.models import Resource, ValidationStatus
from satudata.validation import tasks
from tests.conftest import run_worker
from tests.factories import CSV, SYSTEM, make_dataset

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "x-kode-wilayah": "kemendagri_2025"},
        {"name": "kecamatan", "type": "string", "constraints": {"required": True}},
        {"name": "laki_laki", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "perempuan", "type": "integer", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["kode_wilayah"],
}
BAD_CSV = "kode_wilayah,kecamatan,laki_laki,perempuan\n14.07.01,Kubu,20350,19410\n14.07.99,,-5,x\n"


def _resource(db, csv: str | None = None, **fields) -> Resource:
    """A stored table of a draft, never validated (the catalogue's own store, which queues no job)."""
    dataset = make_dataset(publish=False, csv=None)
    resource = catalog.add_resource_file(SYSTEM, dataset, io.BytesIO((csv or CSV).encode()), filename="penduduk.csv",
                                         name="Penduduk per kecamatan")
    for key, value in fields.items():
        setattr(resource, key, value)
    db.session.commit()
    return resource


def _run(resource: Resource) -> str:
    return tasks.validate_resource(resource.id, resource.sha256, tasks.schema_fingerprint(resource))


def test_valid_table(app, db) -> None:
    resource = _resource(db, table_schema=SCHEMA)
    assert _run(resource) == "valid"
    db.session.expire_all()
    resource = db.session.get(Resource, resource.id)
    assert resource.validation_status == ValidationStatus.VALID
    assert resource.validation_report["valid"] is True
    assert resource.validation_report["tasks"][0]["place"] == "penduduk.csv"  # not the server path
    assert resource.row_count == 3
    progress = tasks.get_progress(resource.id)
    assert progress is not None and progress["state"] == "valid" and progress["rows"] == 3
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "resource.validate")).one()
    assert audit.object_id == resource.id and audit.actor_label == "system:validation"


def test_invalid_table(app, db) -> None:
    resource = _resource(db, BAD_CSV, table_schema=SCHEMA)
    assert _run(resource) == "invalid"
    db.session.expire_all()
    resource = db.session.get(Resource, resource.id)
    assert resource.validation_status == ValidationStatus.INVALID
    kinds = [e["type"] for e in resource.validation_report["tasks"][0]["errors"]]
    assert kinds == ["constraint-error", "constraint-error", "type-error", "foreign-key"]


def test_schema_from_the_library(app, db) -> None:
    resource = _resource(db, schema_ref="kemiskinan")
    assert _run(resource) == "invalid"  # the columns are not the standard's
    db.session.expire_all()
    report = db.session.get(Resource, resource.id).validation_report
    assert "missing-label" in {e["type"] for e in report["tasks"][0]["errors"]}


def test_unusable_input_is_an_error_status(app, db) -> None:
    resource = _resource(db, schema_ref="tidak_ada")
    assert _run(resource) == "error"
    db.session.expire_all()
    resource = db.session.get(Resource, resource.id)
    assert resource.validation_status == ValidationStatus.ERROR
    error = resource.validation_report["errors"][0]
    assert error["type"] == "source-error" and "tidak ditemukan" in error["note"]


def test_a_replaced_file_makes_the_result_stale(app, db) -> None:
    resource = _resource(db, table_schema=SCHEMA)
    old_sha = resource.sha256
    fingerprint = tasks.schema_fingerprint(resource)
    resource.table_schema = {"fields": [{"name": "x", "type": "string"}]}
    db.session.commit()
    assert tasks.validate_resource(resource.id, old_sha, fingerprint) == "stale"
    assert db.session.get(Resource, resource.id).validation_status == ValidationStatus.UNVALIDATED


def test_enqueue_waits_for_commit(app, db, queue) -> None:
    resource = _resource(db, table_schema=SCHEMA)
    tasks.enqueue_validation(resource)
    assert resource.validation_status == ValidationStatus.PENDING
    assert queue.count == 0
    db.session.commit()
    assert queue.count == 1
    assert queue.jobs[0].args[:2] == ("satudata.validation.tasks.validate_resource", resource.id)


@pytest.mark.jobs
def test_real_worker_validates_an_upload(app, db, queue) -> None:
    dataset = make_dataset(publish=False, csv=None)
    resource = catalog.add_resource_file(SYSTEM, dataset, io.BytesIO(BAD_CSV.encode()), filename="data.csv")
    resource.table_schema = SCHEMA
    tasks.enqueue_validation(resource)
    db.session.commit()
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    resource = db.session.get(Resource, resource.id)
    assert resource.validation_status == ValidationStatus.INVALID
    assert len(resource.validation_report["tasks"][0]["errors"]) == 4
    assert tasks.get_progress(resource.id)["state"] == "invalid"


def test_runs_record_progress_and_supersede(app, db, queue) -> None:
    from satudata.validation.models import RunStatus, ValidationRun

    resource = _resource(db, table_schema=SCHEMA)
    first = tasks.enqueue_validation(resource)
    db.session.commit()
    second = tasks.enqueue_validation(resource)  # a new schema or file before the first ran
    db.session.commit()
    assert db.session.get(ValidationRun, first.id).status == RunStatus.SUPERSEDED
    assert tasks.validate_resource(resource.id, resource.sha256, tasks.schema_fingerprint(resource),
                                   second.id) == "valid"
    db.session.expire_all()
    run = db.session.get(ValidationRun, second.id)
    assert run.status == RunStatus.VALID and run.rows_done == 3 and run.error_count == 0
    assert run.started_at is not None and run.finished_at is not None and run.percent == 100
    # A valid table gets its downloads built in the background.
    assert any(j.args[0] == "satudata.catalog.tasks.build_exports" for j in jobs.get_queue("default").jobs)


def test_sweep_requeues_lost_runs(app, db, queue) -> None:
    from datetime import timedelta

    from satudata.db import utcnow
    from satudata.validation.models import ValidationRun

    resource = _resource(db, table_schema=SCHEMA)
    run = tasks.enqueue_validation(resource)
    db.session.commit()
    queue.empty()  # the job is lost
    assert tasks.sweep_runs() == 0  # too young to be called lost
    db.session.get(ValidationRun, run.id).created_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert tasks.sweep_runs() == 1
    assert queue.count == 1 and queue.jobs[0].args[-1] == run.id


def test_validating_in_session_judges_the_run_a_reupload_queued(app, db, queue) -> None:
    """The demo loader re-uploads a corrected table and validates it in its own transaction: the
    run the re-upload queued gets the verdict, and its job, when a worker takes it, does nothing."""
    from satudata.validation.models import RunStatus, ValidationRun

    resource = _resource(db, BAD_CSV, table_schema=SCHEMA)
    assert tasks.validate_in_session(resource) == "invalid"
    catalog.replace_resource_file(SYSTEM, resource, io.BytesIO(CSV.encode()), filename="penduduk.csv")
    [queued] = db.session.scalars(select(ValidationRun).where(ValidationRun.status == RunStatus.QUEUED)).all()
    assert tasks.validate_in_session(resource) == "valid"
    db.session.commit()
    runs = db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == resource.id)
                              .order_by(ValidationRun.id)).all()
    assert [(r.status, r.sha256) for r in runs] == [(RunStatus.INVALID, runs[0].sha256),
                                                    (RunStatus.VALID, resource.sha256)]
    assert runs[1].id == queued.id and runs[1].finished_at is not None
    job = queue.jobs[-1]
    assert job.args[:2] == ("satudata.validation.tasks.validate_resource", resource.id) and job.args[-1] == queued.id
    assert tasks.validate_resource(*job.args[1:]) == "stale"  # what the worker does with it
    db.session.expire_all()
    assert db.session.get(ValidationRun, queued.id).status == RunStatus.VALID
    assert db.session.get(Resource, resource.id).validation_status == ValidationStatus.VALID
