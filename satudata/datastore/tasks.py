"""Datastore jobs: write a table's columnar copy once it has passed validation, and write
again, periodically, the copies that are missing (a new deployment, a worker killed midway, a
cleared folder)."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy import select

from satudata import jobs
from satudata.catalog.models import Resource, ValidationStatus
from satudata.datastore import copies, services
from satudata.errors import DomainError
from satudata.extensions import db

log = logging.getLogger(__name__)

SWEEP_MAX = 100  # copies one sweep enqueues at most; the next sweep takes the rest


def enqueue_copy(resource: Resource) -> None:
    """Write ``resource``'s copy after the current transaction commits."""
    jobs.enqueue(build_copy, resource.id, resource.sha256, queue="default",
                 job_timeout=int(current_app.config["EXPORT_JOB_TIMEOUT"]))


@jobs.job
def build_copy(resource_id: str, sha256: str | None = None) -> str | None:
    """The job (queue ``default``): write the copy of a valid table; returns its file name (None
    when there is nothing to write: the file changed since, or the table is not valid)."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or (sha256 is not None and resource.sha256 != sha256):
        return None
    try:
        path = services.build_copy(resource)
    except (copies.CopyFailed, DomainError) as exc:
        log.warning("datastore copy of resource %s failed: %s", resource_id, getattr(exc, "message", exc))
        return None
    finally:
        db.session.rollback()  # read-only: end the transaction
    return path.name if path is not None else None


def wanted() -> Any:
    """Every valid stored table, oldest first."""
    return (select(Resource)
            .where(Resource.validation_status == ValidationStatus.VALID, Resource.sha256.is_not(None),
                   Resource.format.in_(services.SOURCE_FORMATS))
            .order_by(Resource.created_at, Resource.id))


@jobs.job
def sweep_copies() -> int:
    """Periodic: enqueue the copy of every valid stored table that has none, at most
    ``SWEEP_MAX`` per run. Safe at any time: a copy being written makes the extra job a no-op."""
    enqueued = 0
    for resource in db.session.scalars(wanted()):
        if enqueued >= SWEEP_MAX:
            break
        path = services.copy_path(resource)
        if path is not None and not path.is_file():
            enqueue_copy(resource)
            enqueued += 1
    return enqueued
