"""ReviewEvent: one row per lifecycle transition or review comment of a dataset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from satudata.db import Base, UTCDateTime, utcnow


class ReviewEvent(Base):
    """Who moved a dataset from one state to another, when, and why."""

    __tablename__ = "review_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))  # the transition's name: submit, publish, ...
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    field_notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # per-field verdicts of a review
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


# The Daftar Data's models live in their own package; importing them here maps them with the
# rest of the review domain (create_app imports this module).
from satudata.review.daftar.models import DaftarDataItem, DaftarReminder  # noqa: E402

__all__ = ["DaftarDataItem", "DaftarReminder", "ReviewEvent"]
