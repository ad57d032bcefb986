"""The validation job: validate a stored resource against its Table Schema, in the
``validation`` queue.

- :func:`enqueue_validation` marks a resource ``pending``, writes a queued
  :class:`~satudata.validation.models.ValidationRun` and enqueues the job once the transaction
  commits (call it after an upload, a re-upload or a schema change).
- :func:`validate_resource` (the job) reads the stored file and the Table Schema
  (``Resource.table_schema``, else ``Resource.schema_ref`` naming a schema of ``schemas/``),
  runs the engine, and writes ``validation_status`` (``valid``, ``invalid``, or ``error`` when
  the input cannot be validated at all), ``validation_report`` and ``row_count``. A result for
  a file or schema that changed while the job ran is dropped (its run is ``superseded``): the
  newer job writes its own.
- Progress (rows and bytes done) is written to the run's row about twice a second, so any web
  process can show it (:func:`get_progress`); the row stays as the resource's history. Each
  write is also the run's heartbeat (``heartbeat_at``).
- A job runs for at most ``VALIDATION_JOB_TIMEOUT`` seconds; past it the run ends ``error``
  with a message saying so and what to do. :func:`sweep_runs` (periodic) enqueues again runs
  whose job was lost, and ends the ``running`` runs whose worker died (silent for
  ``VALIDATION_STALE_AFTER``), validating the table again in a fresh run.
- A run is started only from ``queued`` and finished only from ``running``, each by a
  conditional update: a duplicate job, a superseded run or one the sweep ended changes nothing.
- Each job is one unit of work (``jobs.job``). The validation job commits early, through
  ``jobs.checkpoint()``, only what others must see before it ends: the run's start, its
  progress (the heartbeat), and its verdict, which stands even when the job then re-raises a
  timeout or a crash for RQ to record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from satudata import jobs
from satudata.accounts.services import audit
from satudata.authz import SystemActor
from satudata.catalog import services as catalog
from satudata.catalog.models import Resource, ValidationStatus
from satudata.catalog.storage import get_store
from satudata.db import utcnow
from satudata.extensions import db
from satudata.validation import events
from satudata.validation.models import RunStatus, ValidationRun

log = logging.getLogger(__name__)

ACTOR = SystemActor("validation")
PROGRESS_EVERY = 0.5  # seconds between progress writes
_OPEN = (RunStatus.QUEUED, RunStatus.RUNNING)
# Times the sweep validates again the same file and Table Schema after its worker died on it;
# past that, the table's verdict is "error" (a file that kills the worker would otherwise be
# retried for ever, holding the worker each time).
STALE_RETRIES = 2
STALE_MESSAGE = ("Validasi terhenti karena proses pekerja (worker) validasi berhenti di tengah jalan; "
                 "validasi diulang otomatis.")
GIVE_UP_MESSAGE = ("Validasi terhenti berulang kali karena proses pekerja (worker) validasi berhenti di tengah "
                   "jalan, biasanya karena tabelnya terlalu besar untuk server. Pecah tabel menjadi beberapa berkas "
                   "yang lebih kecil lalu unggah ulang; bila tetap gagal, hubungi pengelola portal.")


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} detik"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} menit" + (f" {rest} detik" if rest else "")


def timeout_message(seconds: int) -> str:
    """What a clerk reads when validation of their table ran out of time."""
    return (f"Validasi melebihi batas waktu {_duration(seconds)}; tabel ini terlalu besar atau aturan Table "
            "Schema-nya terlalu berat untuk diperiksa sekaligus. Pecah tabel menjadi beberapa berkas yang lebih "
            "kecil, atau sederhanakan aturannya (misalnya pola/pattern kolom), lalu unggah ulang. Bila tetap "
            "gagal, hubungi pengelola portal.")


def _job_timeout() -> int:
    """The time limit of the job running now (as it was enqueued), else the setting."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None and job.timeout and job.timeout > 0:
        return int(job.timeout)
    return int(current_app.config["VALIDATION_JOB_TIMEOUT"])


def _enqueue_job(resource_id: str, sha256: str | None, fingerprint: str, run_id: int) -> None:
    jobs.enqueue(validate_resource, resource_id, sha256, fingerprint, run_id, queue="validation",
                 job_timeout=int(current_app.config["VALIDATION_JOB_TIMEOUT"]))


def schema_fingerprint(resource: Resource) -> str:
    """A digest of what the resource is validated against (its inline schema or reference)."""
    # The header row counts only once a producer names one, so earlier runs keep their digest.
    chosen = {"header_row": resource.header_row} if resource.header_row else {}
    basis = json.dumps({"schema": resource.table_schema, "ref": resource.schema_ref,
                        "sheet": resource.sheet, **chosen}, sort_keys=True)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def enqueue_validation(resource: Resource, requested_by: Any = None) -> ValidationRun:
    """Mark ``resource`` pending and validate it after the current transaction commits."""
    db.session.execute(
        update(ValidationRun)
        .where(ValidationRun.resource_id == resource.id,
               ValidationRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]))
        .values(status=RunStatus.SUPERSEDED, finished_at=utcnow())
    )
    resource.validation_status = ValidationStatus.PENDING
    run = ValidationRun(resource_id=resource.id, sha256=resource.sha256,
                        schema_fingerprint=schema_fingerprint(resource), bytes_total=resource.size or 0,
                        requested_by_id=getattr(requested_by, "id", None))
    db.session.add(run)
    db.session.flush()
    _enqueue_job(resource.id, resource.sha256, run.schema_fingerprint, run.id)
    return run


def latest_run(resource_id: str) -> ValidationRun | None:
    return db.session.scalars(
        select(ValidationRun).where(ValidationRun.resource_id == resource_id)
        .order_by(ValidationRun.id.desc()).limit(1)
    ).first()


def get_progress(resource_id: str) -> dict[str, Any] | None:
    """The latest run of ``resource_id`` as ``{"state", "rows", "bytes_done", "bytes_total",
    "percent", "errors", "finished"}``, or None when it was never validated."""
    run = latest_run(resource_id)
    if run is None:
        return None
    return {"state": str(run.status), "rows": run.rows_done, "bytes_done": run.bytes_done,
            "bytes_total": run.bytes_total, "percent": run.percent, "errors": run.error_count,
            "finished": run.status.finished, "engine": run.engine, "run": run.id}


def _set_run(run_id: int | None, only_if: tuple[RunStatus, ...] = _OPEN, *, checkpoint: bool = False,
             **values: Any) -> bool:
    """Update a run that is still in one of ``only_if``; whether it was. ``checkpoint``: commit
    it at once (``jobs.checkpoint``), for a start or progress other processes must see while
    the job runs, or an end that must stand when the caller then re-raises."""
    if run_id is None:
        return False
    try:
        result: Any = db.session.execute(
            update(ValidationRun).where(ValidationRun.id == run_id, ValidationRun.status.in_(only_if))
            .values(**values))
        if checkpoint:
            jobs.checkpoint()
        return bool(result.rowcount)
    except Exception:  # progress is a courtesy; never fail the job for it
        db.session.rollback()
        log.warning("could not record validation progress of run %s", run_id, exc_info=True)
        return False


def _error_report(message: str) -> dict[str, Any]:
    """A report (frictionless shape) for input that could not be validated at all."""
    from frictionless import Report
    from frictionless import errors as ferrors

    return Report.from_validation(errors=[ferrors.SourceError(note=message)]).to_dict()


@dataclass(frozen=True)
class _Verdict:
    status: ValidationStatus
    report: dict[str, Any]
    row_count: int | None = None
    engine: str = ""


def _judge(path: Path | None, schema: dict[str, Any] | str | None, fmt: str | None, sheet: str | None,
           progress: Any = None, header_row: int | None = None) -> _Verdict:
    """Run the engine with the portal's settings; input it cannot read becomes an ``error``
    verdict with a frictionless-shaped report saying why."""
    from satudata.tabular.schema import UnusableInput
    from satudata.validation.engine import validate_table_detailed

    config = current_app.config
    try:
        if path is None:
            raise UnusableInput("Sumber data ini berupa tautan, bukan berkas yang diunggah; tidak dapat divalidasi.")
        outcome = validate_table_detailed(
            path, schema, fmt=fmt, engine=config.get("VALIDATION_ENGINE", "auto"), progress=progress,
            sheet=sheet, schemas_dir=config.get("SCHEMAS_PATH"), header_row=header_row,
            **({"xlsx_max_uncompressed": config["XLSX_MAX_UNCOMPRESSED_BYTES"]}
               if config.get("XLSX_MAX_UNCOMPRESSED_BYTES") else {}),
        )
    except UnusableInput as exc:
        return _Verdict(ValidationStatus.ERROR, _error_report(exc.message))
    status = ValidationStatus.VALID if outcome.valid else ValidationStatus.INVALID
    return _Verdict(status, outcome.report, outcome.row_count, outcome.engine)


def _record(resource: Resource, run: ValidationRun | None, verdict: _Verdict) -> int:
    """Write a verdict on the resource and its run (the caller commits); the error count."""
    report = verdict.report
    for task in report.get("tasks", []):
        # Name the uploaded file, not the server path of its stored copy.
        task["place"] = resource.filename or resource.name
    resource.validation_status = verdict.status
    resource.validation_report = report
    if verdict.row_count is not None:
        resource.row_count = verdict.row_count
    errors = _error_count(report)
    if run is not None:
        run.status = RunStatus(str(verdict.status))
        run.error_count = errors
        run.engine = verdict.engine
        run.finished_at = utcnow()
        if verdict.row_count is not None:
            run.rows_done = verdict.row_count
        run.bytes_done = run.bytes_total
        if verdict.status == ValidationStatus.ERROR:
            run.message = str((report.get("errors") or [{}])[0].get("note", ""))
    return errors


@dataclass
class _Claim:
    """The run a job works on, and whether the job started it (and so may finish it)."""

    run_id: int | None
    started: bool = False


@jobs.job
def validate_resource(resource_id: str, sha256: str | None = None, fingerprint: str | None = None,
                      run_id: int | None = None) -> str:
    """The job. Returns the status written (or ``"stale"``/``"missing"`` when nothing was).

    Out of time anywhere (``jobs.JobTimeout`` is no ``Exception``, so nothing on the way
    swallows it), the run ends ``error`` saying so, and RQ records the failure.
    """
    claim = _Claim(run_id)
    try:
        return _validate_resource(resource_id, sha256, fingerprint, claim)
    except jobs.TIMEOUTS:
        _time_is_up(resource_id, claim)
        raise


def _time_is_up(resource_id: str, claim: _Claim) -> None:
    """End the run of a job that ran out of time (if it is still the job's to end)."""
    jobs.acknowledge_timeout()
    log.warning("validation of resource %s ran out of time", resource_id)
    db.session.rollback()
    run = db.session.get(ValidationRun, claim.run_id) if claim.run_id is not None else None
    if run is None:
        return
    expected = (run.sha256, run.schema_fingerprint)
    if not claim.started:  # out of time before it started the run: start it now, if still queued
        now = utcnow()
        # Committed now: _write starts by rolling back what is not.
        claim.started = _set_run(run.id, (RunStatus.QUEUED,), checkpoint=True, status=RunStatus.RUNNING,
                                 started_at=now, heartbeat_at=now)
    if claim.started:
        report = _error_report(timeout_message(_job_timeout()))
        _write(resource_id, claim.run_id, expected, _Verdict(ValidationStatus.ERROR, report))


def _validate_resource(resource_id: str, sha256: str | None, fingerprint: str | None, claim: _Claim) -> str:
    run_id = claim.run_id
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        return "missing"
    if (sha256 is not None and resource.sha256 != sha256) or (
            fingerprint is not None and schema_fingerprint(resource) != fingerprint):
        _set_run(run_id, status=RunStatus.SUPERSEDED, finished_at=utcnow())
        return "stale"
    if run_id is None:  # called directly (CLI, tests): record a run all the same
        run = ValidationRun(resource_id=resource.id, sha256=resource.sha256,
                            schema_fingerprint=schema_fingerprint(resource), bytes_total=resource.size or 0)
        db.session.add(run)
        db.session.flush()
        claim.run_id = run_id = run.id
    expected = (resource.sha256, schema_fingerprint(resource))
    path = get_store().path(resource.sha256) if resource.sha256 else None
    schema, fmt, sheet = catalog.resource_schema(resource), (resource.format or "").lower() or None, resource.sheet
    header_row = resource.header_row
    # The slow readings of the whole file are the job's, not the upload request's (issue #16).
    infer = resource.is_tabular and not (resource.table_schema or resource.schema_ref)
    # Start only a queued run (a second job for it, or a run superseded or ended meanwhile, does
    # nothing). Committed at once, so the sweep and the pages see it running; this also ends
    # the read transaction before the long part: progress is committed as it goes, and a
    # SQLite reader held open here would block those writes.
    started = utcnow()
    claim.started = _set_run(run_id, (RunStatus.QUEUED,), checkpoint=True, status=RunStatus.RUNNING,
                             started_at=started, heartbeat_at=started, bytes_total=resource.size or 0)
    if not claim.started:
        return "stale"
    last = 0.0

    def progress(rows: int, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done >= total:
            last = now
            _set_run(run_id, (RunStatus.RUNNING,), checkpoint=True, rows_done=rows, bytes_done=done,
                     bytes_total=total, heartbeat_at=utcnow())

    try:
        inferred = _inferred_schema(path, fmt, sheet, header_row) if infer else None
        facts = _TableFacts(inferred, catalog.summarise_stored_table(expected[0], fmt,
                                                                     inferred or _resolved(schema)))
        verdict = _judge(path, facts.inferred_schema or schema, fmt, sheet, progress, header_row)
    except Exception as exc:
        if jobs.time_is_up():  # a library turned the timeout into an error of its own (DuckDB does)
            raise jobs.JobTimeout(str(exc)) from exc
        log.exception("validation of resource %s failed", resource_id)
        report = _error_report(f"Validasi gagal karena kesalahan sistem: {type(exc).__name__}.")
        _write(resource_id, run_id, expected, _Verdict(ValidationStatus.ERROR, report))
        raise
    return _write(resource_id, run_id, expected, verdict, facts)


@dataclass(frozen=True)
class _TableFacts:
    inferred_schema: dict[str, Any] | None = None
    summary: Any = None


def _resolved(schema: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """The Table Schema a resource names (a descriptor, or a ``schemas/`` name), or None."""
    from satudata.tabular.schema import UnusableInput, resolve_schema

    try:
        return resolve_schema(schema, current_app.config.get("SCHEMAS_PATH")) if schema else None
    except UnusableInput:
        return None


def _inferred_schema(path: Path | None, fmt: str | None, sheet: str | None,
                     header_row: int | None = None) -> dict[str, Any] | None:
    """The Table Schema inferred from the file, for a table that has none (the producer then
    checks it); None when the file cannot be read, and the report then says why."""
    from satudata.errors import Invalid
    from satudata.validation.inference import infer_schema

    if path is None:
        return None
    try:
        return infer_schema(path, fmt or "csv", sheet=sheet, header_row=header_row)
    except Invalid:
        return None


def _error_count(report: dict[str, Any]) -> int:
    return sum(len(t.get("errors", [])) for t in report.get("tasks", [])) + len(report.get("errors", []))


def _write(resource_id: str, run_id: int | None, expected: tuple[str | None, str], verdict: _Verdict,
           facts: _TableFacts | None = None) -> str:
    db.session.rollback()  # re-read: the resource may have changed while we worked
    if run_id is not None:
        # Is the run still ours? The sweep may have ended it (its worker looked dead) or a newer
        # run superseded it: then this result is dropped. The update holds the run's row until
        # the checkpoint below, so the sweep cannot end it in between.
        held: Any = db.session.execute(update(ValidationRun).where(
            ValidationRun.id == run_id, ValidationRun.status == RunStatus.RUNNING).values(heartbeat_at=utcnow()))
        if not held.rowcount:
            db.session.rollback()
            return "stale"
    resource = catalog.lock_resource(resource_id)  # a re-upload committing now waits, or goes first
    if resource is None:
        db.session.rollback()
        return "missing"
    if (resource.sha256, schema_fingerprint(resource)) != expected:
        db.session.rollback()
        _set_run(run_id, checkpoint=True, status=RunStatus.SUPERSEDED, finished_at=utcnow())
        return "stale"
    run = db.session.get(ValidationRun, run_id) if run_id is not None else None
    if facts is not None:
        catalog.record_table_facts(resource, inferred_schema=facts.inferred_schema, summary=facts.summary)
    errors = _record(resource, run, verdict)
    if run is not None:
        run.schema_fingerprint = schema_fingerprint(resource)  # the inferred Table Schema it was judged by
    audit(ACTOR, "resource.validate", "resource", resource.id,
          {"status": str(verdict.status), "errors": errors, "engine": verdict.engine})
    events.table_validated.send(resource, status=verdict.status)
    # The verdict stands now, even when the caller re-raises (a timeout, a crash) for RQ.
    jobs.checkpoint()
    return str(verdict.status)


SWEEP_AFTER = 600  # seconds a run may wait in the queue before the sweep enqueues it again


@jobs.job
def sweep_runs() -> int:
    """Periodic: runs whose job is gone. Returns how many runs it acted on.

    - Runs still ``queued`` long after they were requested (their job was lost: Redis was down
      at commit) are enqueued again.
    - Runs still ``running`` with no heartbeat for ``VALIDATION_STALE_AFTER`` seconds (their
      worker died: killed, out of memory, the machine restarted) end ``error`` saying so, and
      the table is validated again in a fresh run, if it still has that file and Table Schema
      (at most ``STALE_RETRIES`` times; then the table's verdict is ``error``).

    Idempotent, and safe beside live jobs and other sweeps: each run is ended by one
    conditional update, and a job finishes only a run that is still ``running``. One unit of
    work: the jobs it enqueues go to the queue when it commits.
    """
    cutoff = utcnow() - timedelta(seconds=SWEEP_AFTER)
    runs = db.session.scalars(select(ValidationRun).where(ValidationRun.status == RunStatus.QUEUED,
                                                          ValidationRun.created_at < cutoff)).all()
    for run in runs:
        run.created_at = utcnow()  # one retry per period; a duplicate job finds the run started
        _enqueue_job(run.resource_id, run.sha256, run.schema_fingerprint, run.id)
    acted = len(runs)
    silent_since = utcnow() - timedelta(seconds=int(current_app.config["VALIDATION_STALE_AFTER"]))
    stale = db.session.scalars(select(ValidationRun.id).where(
        ValidationRun.status == RunStatus.RUNNING, _last_sign_of_life() < silent_since)
        .order_by(ValidationRun.id)).all()
    for run_id in stale:
        acted += _end_stale_run(run_id, silent_since)
    return acted


def _last_sign_of_life() -> Any:
    return func.coalesce(ValidationRun.heartbeat_at, ValidationRun.started_at, ValidationRun.created_at)


def _end_stale_run(run_id: int, cutoff: Any) -> int:
    """End one run whose worker died and validate its table again; 0 when someone else (its
    job after all, another sweep) got to the run first."""
    ended: Any = db.session.execute(
        update(ValidationRun)
        .where(ValidationRun.id == run_id, ValidationRun.status == RunStatus.RUNNING, _last_sign_of_life() < cutoff)
        .values(status=RunStatus.ERROR, finished_at=utcnow(), message=STALE_MESSAGE))
    if not ended.rowcount:
        return 0
    run = db.session.get(ValidationRun, run_id)
    assert run is not None
    resource = db.session.get(Resource, run.resource_id)
    redo = give_up = False
    if (resource is not None and resource.sha256 == run.sha256 and resource.sha256
            and schema_fingerprint(resource) == run.schema_fingerprint and getattr(latest_run(resource.id), "id", None) == run.id):
        if _deaths(run) > STALE_RETRIES:
            give_up = True
            run.message = GIVE_UP_MESSAGE
            _record(resource, run, _Verdict(ValidationStatus.ERROR, _error_report(GIVE_UP_MESSAGE)))
        else:
            redo = True
            enqueue_validation(resource)
    log.warning("validation run %s had no heartbeat since before %s: ended (redo=%s)", run_id, cutoff, redo)
    audit(ACTOR, "validation.stale", "validation_run", run_id,
          {"resource": run.resource_id, "redo": redo, "give_up": give_up})
    return 1


def _deaths(run: ValidationRun) -> int:
    """How many runs in a row, up to this one, of the same file and Table Schema the sweep
    ended because their worker died."""
    count = 0
    for earlier in db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == run.resource_id,
                                                                  ValidationRun.id <= run.id)
                                      .order_by(ValidationRun.id.desc()).limit(STALE_RETRIES + 2)):
        if (earlier.status != RunStatus.ERROR or earlier.message not in (STALE_MESSAGE, GIVE_UP_MESSAGE)
                or (earlier.sha256, earlier.schema_fingerprint) != (run.sha256, run.schema_fingerprint)):
            break
        count += 1
    return count


def validate_in_session(resource: Resource) -> str:
    """Validate ``resource`` now, in the caller's transaction (no commit): for loaders that
    create tables and need them validated before they publish (the demo data). Web requests
    never call this; uploads go through :func:`enqueue_validation`.

    A run already queued for the current file (a re-upload through the catalogue queues one) is
    the run judged here, so the job queued with it finds it ended and does nothing (``stale``)
    instead of judging the same file again, and no run is left waiting."""
    fingerprint = schema_fingerprint(resource)
    run = db.session.scalars(
        select(ValidationRun).where(ValidationRun.resource_id == resource.id, ValidationRun.status == RunStatus.QUEUED,
                                    ValidationRun.sha256 == resource.sha256,
                                    ValidationRun.schema_fingerprint == fingerprint)
        .order_by(ValidationRun.id.desc()).limit(1)).first()
    if run is None:
        run = ValidationRun(resource_id=resource.id, sha256=resource.sha256, schema_fingerprint=fingerprint,
                            bytes_total=resource.size or 0)
        db.session.add(run)
    run.status, run.started_at = RunStatus.RUNNING, utcnow()
    path = get_store().path(resource.sha256) if resource.sha256 else None
    verdict = _judge(path, catalog.resource_schema(resource), (resource.format or "").lower() or None, resource.sheet,
                     header_row=resource.header_row)
    _record(resource, run, verdict)
    events.table_validated.send(resource, status=verdict.status)
    return str(verdict.status)
