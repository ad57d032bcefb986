"""Catalogue jobs: build the converted downloads (CSV, XLSX, JSON) of a table once it has
passed validation, so the first citizen to click "XLSX" does not wait for the conversion, and
build again, periodically, the downloads that are missing (a worker killed mid-export)."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy import select

from satudata import jobs
from satudata.catalog.models import Resource, ValidationStatus
from satudata.errors import DomainError
from satudata.extensions import db

log = logging.getLogger(__name__)

SWEEP_MAX = 100  # builds one sweep enqueues at most; the next sweep takes the rest


def enqueue_build(resource: Resource) -> None:
    """Build ``resource``'s downloads after the current transaction commits."""
    jobs.enqueue(build_exports, resource.id, resource.sha256, queue="default",
                 job_timeout=int(current_app.config["EXPORT_JOB_TIMEOUT"]))


@jobs.job
def build_exports(resource_id: str, sha256: str | None = None) -> list[str]:
    """The job (queue ``default``): convert a valid table to every download format; returns
    the formats built. A resource whose file changed since the job was queued is skipped."""
    from satudata.catalog import exports

    resource = db.session.get(Resource, resource_id)
    if resource is None or (sha256 is not None and resource.sha256 != sha256):
        return []
    if resource.validation_status != ValidationStatus.VALID:
        return []
    built = []
    for fmt in exports.FORMATS:
        try:
            exports.export_resource(resource, fmt)
            built.append(fmt)
        except DomainError as exc:  # the download route will show the same message on demand
            log.warning("export %s of resource %s failed: %s", fmt, resource_id, exc.message)
    db.session.rollback()  # read-only: end the transaction
    return built


@jobs.job
def sweep_exports() -> int:
    """Periodic: enqueue the build of every valid stored table whose downloads are missing (a
    worker killed mid-export, an ``exports/`` folder emptied), at most ``SWEEP_MAX`` per run,
    after clearing what killed builds left. Returns how many builds it enqueued.

    Safe to run at any time: a build already queued or running makes the extra one a no-op
    (it finds the files, or waits for the lock and then finds them).
    """
    from satudata.catalog import exports

    exports.sweep_leftovers()
    query: Any = (select(Resource)
                  .where(Resource.validation_status == ValidationStatus.VALID, Resource.sha256.is_not(None),
                         Resource.format.in_(exports.SOURCE_FORMATS))
                  .order_by(Resource.created_at, Resource.id))
    enqueued = 0
    for resource in db.session.scalars(query):
        if enqueued >= SWEEP_MAX:
            break
        if exports.missing_exports(resource):
            enqueue_build(resource)
            enqueued += 1
    return enqueued  # the builds are enqueued once the job's unit of work commits
