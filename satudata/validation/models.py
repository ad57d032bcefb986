"""Validation runs (one row per validation of a resource, with its progress and outcome) and
the versioned library of standard Table Schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from satudata.db import Base, StrEnum, UTCDateTime, str_enum, utcnow


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    VALID = "valid"
    INVALID = "invalid"
    ERROR = "error"
    SUPERSEDED = "superseded"  # the file or Table Schema changed before the run finished

    @property
    def finished(self) -> bool:
        return self not in (RunStatus.QUEUED, RunStatus.RUNNING)


class ValidationRun(Base):
    """One validation of a resource's stored file against its Table Schema.

    The job updates ``rows_done``/``bytes_done`` while it reads, so the resource page can show
    a progress bar from any web process; the outcome (status, error count, engine) stays as the
    resource's validation history.
    """

    __tablename__ = "validation_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    schema_fingerprint: Mapped[str] = mapped_column(String(16))
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "run_status"), default=RunStatus.QUEUED)
    engine: Mapped[str] = mapped_column(String(20), default="")
    rows_done: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_done: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_total: Mapped[int] = mapped_column(BigInteger, default=0)
    error_count: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Last sign of life of the job running it; a ``running`` run silent for longer than
    # VALIDATION_STALE_AFTER had its worker die, and the sweep ends it and runs it again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def percent(self) -> int:
        if self.status.finished:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))


class SchemaVersion(Base):
    """One version of a standard Table Schema of the regional data-standards library.

    The files in ``schemas/`` are the built-in first versions; walidata and admins add new
    schemas and new versions in the UI. A resource copies the descriptor it is validated
    against (and records ``name@version`` in ``Resource.schema_ref``), so a new version never
    changes the verdict on data already checked.
    """

    __tablename__ = "schema_version"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_schema_version_name_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    descriptor: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
