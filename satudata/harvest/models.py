"""The harvest domain's rows (DESIGN.md §8).

- :class:`HarvestSource`: another catalogue we pull in (a plug-in type, its URL and config, the
  local organisation that owns what it brings, a schedule and a publish mode).
- :class:`HarvestJob`: one run of a source, with its stage, its counts and every job-level error.
- :class:`HarvestObject`: what one run did with one remote record (``new``, ``updated``,
  ``unchanged``, ``withdrawn``, ``error``), with the error text in full.
- :class:`HarvestRecord`: the current state of one remote record of a source (keyed by source +
  remote id, so an import is idempotent): the dataset it became, the content hash that lets an
  unchanged record cost nothing, and the raw record as last harvested.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satudata.accounts.models import Organization
from satudata.db import Base, UTCDateTime, str_enum, utcnow


class Schedule(StrEnum):
    MANUAL = "manual"
    DAILY = "daily"
    WEEKLY = "weekly"


class PublishMode(StrEnum):
    DIRECT = "direct"  # published by the harvest actor
    REVIEW = "review"  # submitted into the walidata's queue


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FINISHED_WITH_ERRORS = "finished_with_errors"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ObjectStatus(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    WITHDRAWN = "withdrawn"
    ERROR = "error"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
COUNT_KEYS = tuple(s.value for s in ObjectStatus)


class HarvestSource(Base):
    __tablename__ = "harvest_source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, index=True)  # a slug, the CLI's NAME
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(50))  # the plug-in (entry point) name
    url: Mapped[str] = mapped_column(String(1000))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # as the plug-in's schema loaded it
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    schedule: Mapped[Schedule] = mapped_column(str_enum(Schedule, "harvest_schedule"), default=Schedule.MANUAL)
    publish_mode: Mapped[PublishMode] = mapped_column(str_enum(PublishMode, "harvest_publish_mode"),
                                                      default=PublishMode.DIRECT)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_job_id: Mapped[int | None] = mapped_column(Integer)  # the latest run (no FK: jobs reference sources)

    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<HarvestSource {self.name}>"


ACTIVE_WHERE = "status IN ('queued', 'running')"


class HarvestJob(Base):
    __tablename__ = "harvest_job"
    # At most one queued or running job per source, held by the database itself (two clicks, two
    # workers, the scheduler beside a person: one of them gets the job, the others a Conflict).
    __table_args__ = (Index("uq_harvest_job_active_source", "source_id", unique=True,
                            sqlite_where=text(ACTIVE_WHERE), postgresql_where=text(ACTIVE_WHERE)),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_source.id", ondelete="CASCADE"), index=True)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "harvest_job_status"), default=JobStatus.QUEUED,
                                              index=True)
    stage: Mapped[str | None] = mapped_column(String(20))  # gather, fetch, import, withdraw
    trigger: Mapped[str] = mapped_column(String(20), default="manual")  # manual, schedule, cli, api
    requested_by: Mapped[str | None] = mapped_column(String(120))  # the actor's label
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    gathered: Mapped[int] = mapped_column(Integer, default=0)  # remote records seen so far
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # COUNT_KEYS -> n
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)  # job-level errors, readable, all of them
    gather_complete: Mapped[bool] = mapped_column(Boolean, default=False)  # withdrawals only after a whole listing

    source: Mapped[HarvestSource] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def seconds(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or utcnow()
        return round((end - self.started_at).total_seconds(), 3)

    def count(self, key: str) -> int:
        return int((self.counts or {}).get(key, 0))

    def all_counts(self) -> dict[str, int]:
        """All five counts (``COUNT_KEYS``), zero where nothing happened."""
        return {key: self.count(key) for key in COUNT_KEYS}


class HarvestObject(Base):
    __tablename__ = "harvest_object"
    __table_args__ = (Index("ix_harvest_object_job_status", "job_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("harvest_job.id", ondelete="CASCADE"))
    remote_id: Mapped[str] = mapped_column(String(500))
    status: Mapped[ObjectStatus] = mapped_column(str_enum(ObjectStatus, "harvest_object_status"))
    dataset_id: Mapped[str | None] = mapped_column(String(36))
    title: Mapped[str | None] = mapped_column(String(300))
    message: Mapped[str | None] = mapped_column(Text)  # the error, or a note on what was done


class HarvestRecord(Base):
    __tablename__ = "harvest_record"
    __table_args__ = (UniqueConstraint("source_id", "remote_id", name="uq_harvest_record_source_remote"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_source.id", ondelete="CASCADE"), index=True)
    remote_id: Mapped[str] = mapped_column(String(500))
    dataset_id: Mapped[str | None] = mapped_column(ForeignKey("dataset.id", ondelete="SET NULL"), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    modified: Mapped[str | None] = mapped_column(String(50))
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    harvested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_job_id: Mapped[int | None] = mapped_column(Integer)
