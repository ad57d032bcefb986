"""The datastore's rows: the named views (charts and maps) producers save for a table.

The copies themselves need no row: a copy's name is its content address (the stored file and
the resolved Table Schema), so the file is its own record (``copies.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satudata.catalog.models import Resource
from satudata.db import Base, UTCDateTime, utcnow

VIEW_KINDS = ("bar", "line", "stacked", "pie", "map")
AGGREGATES = ("sum", "mean", "count")


class ChartView(Base):
    """A named chart or map of a published table, shown to everyone on the dataset page and
    embeddable: the builder's choices (x column, y columns, aggregation, kind), not the numbers,
    so it follows the table when a new version is published."""

    __tablename__ = "chart_view"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # VIEW_KINDS
    x: Mapped[str] = mapped_column(String(300))  # the label column (the kode_wilayah column of a map)
    ys: Mapped[list[str]] = mapped_column(JSON)  # the value columns (one for a map or a pie)
    aggregate: Mapped[str] = mapped_column(String(10))  # AGGREGATES
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resource: Mapped[Resource] = relationship()

    def choices(self) -> dict[str, Any]:
        return {"kind": self.kind, "x": self.x, "ys": list(self.ys), "aggregate": self.aggregate}
