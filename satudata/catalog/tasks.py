"""Catalogue jobs: build the converted downloads (CSV, XLSX, JSON) of a table once it has
passed validation, so the first citizen to click "XLSX" does not wait for the conversion."""

from __future__ import annotations

import logging

from satudata.catalog.models import Resource, ValidationStatus
from satudata.errors import DomainError
from satudata.extensions import db

log = logging.getLogger(__name__)


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
