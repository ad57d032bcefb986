"""The Daftar Data's rows: one item per planned dataset, and one row per reminder mailed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satudata.catalog.models import Frequency
from satudata.db import Base, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from satudata.accounts.models import Organization
    from satudata.catalog.models import Dataset

TITLE_MAX = 300
NOTES_MAX = 2000
YEAR_MIN, YEAR_MAX = 2000, 2100  # the years a Daftar Data may be for


def title_key(title: str) -> str:
    """What makes two titles the same item: case and runs of spaces do not count, so a clerk's
    re-typed title in next month's spreadsheet still updates the item it names."""
    return " ".join(title.split()).casefold()[:TITLE_MAX]


class DaftarDataItem(Base):
    """One item of a year's Daftar Data: what data, which OPD produces it, to which standard,
    how often, and when it is to be released. ``dataset`` is the dataset that fulfils it."""

    __tablename__ = "daftar_data_item"
    __table_args__ = (
        UniqueConstraint("year", "organization_id", "title_key", name="uq_daftar_data_item_year_org_title"),
        # An item a harvest source brought (SIPD e-Walidata's DSSD) is that source's remote item:
        # a later run updates it instead of adding another.
        UniqueConstraint("harvest_source_id", "remote_id", name="uq_daftar_data_item_harvest_remote"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # tahun rencana
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    title_key: Mapped[str] = mapped_column(String(TITLE_MAX))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)  # OPD produsen
    walidata_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))  # the region's walidata
    standard_ref: Mapped[str | None] = mapped_column(String(255))  # a standard Table Schema, name@version
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "frequency"))
    release_date: Mapped[date] = mapped_column(Date, index=True)  # jadwal rilis
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)  # Data Prioritas
    notes: Mapped[str] = mapped_column(Text, default="")  # internal: never on public pages or the API
    dataset_id: Mapped[str | None] = mapped_column(ForeignKey("dataset.id", ondelete="SET NULL"), index=True)
    # When ``dataset`` began to hold this item's data publicly, where that is not the dataset's
    # first publication: a year a revision (a harvest's new year of SIPD values) added to a
    # published dataset, stamped when the revision is published. Empty: the dataset's
    # ``published_at`` (see ``status.standing``). Cleared when the item is linked elsewhere.
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What a statistic is, as the region's data plan at Kemendagri (SIPD e-Walidata) names it.
    element: Mapped[str | None] = mapped_column(String(300))  # the group (SIPD: bidang urusan)
    indicator_code: Mapped[str | None] = mapped_column(String(100))  # kode indikator
    unit: Mapped[str | None] = mapped_column(String(100))  # satuan
    # Provenance of an item a harvest source brought (no foreign key: the harvest domain is above
    # this one; as ``Dataset.harvest_source_id``).
    harvest_source_id: Mapped[int | None] = mapped_column(Integer, index=True)
    remote_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(foreign_keys=[organization_id])
    walidata: Mapped[Organization | None] = relationship(foreign_keys=[walidata_id])
    dataset: Mapped[Dataset | None] = relationship()

    def __repr__(self) -> str:
        return f"<DaftarDataItem {self.year} {self.title!r}>"


class DaftarReminder(Base):
    """A reminder mailed for an item: ``before_<N>`` (N days before its release date) or
    ``late``. Keyed by the release date it was about, so a reminder is mailed once per date,
    and again when the walidata moves the date."""

    __tablename__ = "daftar_data_reminder"
    __table_args__ = (
        UniqueConstraint("item_id", "kind", "release_date", name="uq_daftar_data_reminder_item_kind_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("daftar_data_item.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    release_date: Mapped[date] = mapped_column(Date)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
