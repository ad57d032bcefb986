"""The validation job: validate a stored resource against its Table Schema, in the
``validation`` queue.

- :func:`enqueue_validation` marks a resource ``pending`` and enqueues the job once the
  transaction commits (call it after an upload, a re-upload or a schema change).
- :func:`validate_resource` (the job) reads the stored file and the Table Schema
  (``Resource.table_schema``, else ``Resource.schema_ref`` naming a schema of ``schemas/``),
  runs the engine, and writes ``validation_status`` (``valid``, ``invalid``, or ``error`` when
  the input cannot be validated at all), ``validation_report`` and ``row_count``. A result for
  a file or schema that changed while the job ran is dropped: the newer job will write its own.
- Progress (rows and bytes done) lives in Redis under :func:`progress_key`, where the resource
  page reads it with :func:`get_progress`; it expires a day after the last update.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from flask import current_app

from satudata import jobs
from satudata.accounts.services import audit
from satudata.authz import SystemActor
from satudata.catalog.models import Resource, ValidationStatus
from satudata.catalog.storage import get_store
from satudata.extensions import db

log = logging.getLogger(__name__)

ACTOR = SystemActor("validation")
PROGRESS_TTL = 24 * 3600
PROGRESS_EVERY = 0.5  # seconds between progress writes


def progress_key(resource_id: str) -> str:
    return f"satudata:validation:progress:{resource_id}"


def schema_fingerprint(resource: Resource) -> str:
    """A digest of what the resource is validated against (its inline schema or reference)."""
    basis = json.dumps({"schema": resource.table_schema, "ref": resource.schema_ref}, sort_keys=True)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def enqueue_validation(resource: Resource) -> None:
    """Mark ``resource`` pending and validate it after the current transaction commits."""
    resource.validation_status = ValidationStatus.PENDING
    jobs.enqueue(validate_resource, resource.id, resource.sha256, schema_fingerprint(resource), queue="validation")


def _set_progress(resource_id: str, **fields: Any) -> None:
    try:
        conn = jobs.get_redis()
        key = progress_key(resource_id)
        conn.hset(key, mapping={k: str(v) for k, v in fields.items()})
        conn.expire(key, PROGRESS_TTL)
    except Exception:  # progress is a courtesy; never fail the job for it
        log.warning("could not write validation progress for %s", resource_id, exc_info=True)


def get_progress(resource_id: str) -> dict[str, Any] | None:
    """``{"state", "rows", "bytes_done", "bytes_total", "updated"}`` of the latest run, or None."""
    raw: dict[Any, Any] = jobs.get_redis().hgetall(progress_key(resource_id))  # type: ignore[assignment]
    if not raw:
        return None
    data = {_text(k): _text(v) for k, v in raw.items()}
    result: dict[str, Any] = {"state": data.get("state", "")}
    for name in ("rows", "bytes_done", "bytes_total"):
        result[name] = int(data.get(name, 0) or 0)
    result["updated"] = float(data.get("updated", 0) or 0)
    return result


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _schema_of(resource: Resource) -> dict[str, Any] | str | None:
    if resource.table_schema:
        return resource.table_schema
    return resource.schema_ref or None


def _error_report(message: str) -> dict[str, Any]:
    """A report (frictionless shape) for input that could not be validated at all."""
    from frictionless import Report
    from frictionless import errors as ferrors

    return Report.from_validation(errors=[ferrors.SourceError(note=message)]).to_dict()


def validate_resource(resource_id: str, sha256: str | None = None, fingerprint: str | None = None) -> str:
    """The job. Returns the status written (or ``"stale"``/``"missing"`` when nothing was)."""
    from satudata.validation.engine import UnusableInput, validate_table_detailed

    resource = db.session.get(Resource, resource_id)
    if resource is None:
        return "missing"
    if (sha256 is not None and resource.sha256 != sha256) or (
            fingerprint is not None and schema_fingerprint(resource) != fingerprint):
        return "stale"
    config = current_app.config
    last = 0.0

    def progress(rows: int, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done >= total:
            last = now
            _set_progress(resource_id, state="running", rows=rows, bytes_done=done, bytes_total=total,
                          updated=time.time())

    _set_progress(resource_id, state="running", rows=0, bytes_done=0, bytes_total=resource.size or 0,
                  updated=time.time())
    expected = (resource.sha256, schema_fingerprint(resource))
    status = ValidationStatus.ERROR
    report: dict[str, Any]
    row_count: int | None = None
    engine_used = ""
    try:
        if not resource.sha256:
            raise UnusableInput("Sumber data ini berupa tautan, bukan berkas yang diunggah; tidak dapat divalidasi.")
        outcome = validate_table_detailed(
            get_store().path(resource.sha256), _schema_of(resource), fmt=(resource.format or "").lower() or None,
            engine=config.get("VALIDATION_ENGINE", "auto"), progress=progress,
            sheet=None, schemas_dir=config.get("SCHEMAS_PATH"),
            **({"xlsx_max_uncompressed": config["XLSX_MAX_UNCOMPRESSED_BYTES"]}
               if config.get("XLSX_MAX_UNCOMPRESSED_BYTES") else {}),
        )
        report = outcome.report
        status = ValidationStatus.VALID if outcome.valid else ValidationStatus.INVALID
        row_count = outcome.row_count
        engine_used = outcome.engine
    except UnusableInput as exc:
        report = _error_report(exc.message)
    except Exception as exc:
        log.exception("validation of resource %s failed", resource_id)
        report = _error_report(f"Validasi gagal karena kesalahan sistem: {type(exc).__name__}.")
        _write(resource_id, expected, ValidationStatus.ERROR, report, None, "")
        raise
    return _write(resource_id, expected, status, report, row_count, engine_used)


def _write(resource_id: str, expected: tuple[str | None, str], status: ValidationStatus, report: dict[str, Any],
           row_count: int | None, engine_used: str) -> str:
    db.session.rollback()  # re-read: the resource may have changed while we worked
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        return "missing"
    if (resource.sha256, schema_fingerprint(resource)) != expected:
        return "stale"
    for task in report.get("tasks", []):
        # Name the uploaded file, not the server path of its stored copy.
        task["place"] = resource.filename or resource.name
    resource.validation_status = status
    resource.validation_report = report
    if row_count is not None:
        resource.row_count = row_count
    audit(ACTOR, "resource.validate", "resource", resource.id,
          {"status": str(status), "errors": len((report.get("tasks") or [{}])[0].get("errors", []))
           if report.get("tasks") else len(report.get("errors", [])), "engine": engine_used})
    db.session.commit()
    _set_progress(resource_id, state=str(status), updated=time.time())
    return str(status)
