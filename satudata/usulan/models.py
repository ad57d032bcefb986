"""The rows of the data suggestions: one per suggestion, one per support.

The proposer's name and e-mail are personal data: they are kept only to tell the proposer
what the walidata decided, never dumped by a serializer, shown on a public page or exported;
the e-mail is erased once the decision mail is queued.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satudata.db import Base, StrEnum, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from satudata.accounts.models import Organization, User
    from satudata.catalog.models import Dataset, Topic
    from satudata.review.daftar.models import DaftarDataItem

TITLE_MAX = 200
TITLE_MIN = 10
DESCRIPTION_MAX = 3000
DESCRIPTION_MIN = 20
NAME_MAX = 120
EMAIL_MAX = 254
NOTE_MAX = 2000


class SuggestionState(StrEnum):
    """Where a suggestion stands. Only ``transitions.TRANSITIONS`` moves it."""

    MODERATION = "moderasi"  # held: abusive words or many links; not public until approved
    NEW = "baru"  # public, waiting for the walidata
    ACCEPTED = "diterima"  # an item of (next year's) Daftar Data
    EXISTING = "ada_dataset"  # pointed to a published dataset
    PPID = "ppid"  # redirected to a formal information request
    DECLINED = "ditolak"  # declined with a public reason
    MERGED = "digabung"  # a duplicate, merged into another suggestion
    HIDDEN = "disembunyikan"  # taken off the public pages by moderation, with a reason


# A merged suggestion is public: only a public (``NEW``) one may be merged, and hiding the
# suggestion it was merged into hides it too.
PUBLIC_STATES = (SuggestionState.NEW, SuggestionState.ACCEPTED, SuggestionState.EXISTING, SuggestionState.PPID,
                 SuggestionState.DECLINED, SuggestionState.MERGED)
DECIDED_STATES = (SuggestionState.ACCEPTED, SuggestionState.EXISTING, SuggestionState.PPID, SuggestionState.DECLINED)


class Suggestion(Base):
    """A dataset someone asks the portal for: what data, why, for which region (and OPD, when
    they know it); its supports and the walidata's decision."""

    __tablename__ = "usulan_data"
    __table_args__ = (UniqueConstraint("form_key", name="uq_usulan_data_form_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text)
    region_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)  # the region's government
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))  # suggested OPD
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))
    state: Mapped[SuggestionState] = mapped_column(str_enum(SuggestionState, "usulan_state"), index=True)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    # Personal data: never public (see the module's docstring).
    proposer_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    proposer_email: Mapped[str] = mapped_column(String(EMAIL_MAX), default="")
    client_hash: Mapped[str] = mapped_column(String(64), default="")  # keyed hash of the filer's address
    held_because: Mapped[str] = mapped_column(String(200), default="")  # why moderation holds it (internal)
    # The outcome.
    decision_note: Mapped[str] = mapped_column(Text, default="")  # public: the PPID note, decline reason, point note
    hide_reason: Mapped[str] = mapped_column(Text, default="")  # public: why moderation hid it
    item_removed: Mapped[bool] = mapped_column(Boolean, default=False)  # its Daftar Data item was deleted later
    daftar_item_id: Mapped[int | None] = mapped_column(ForeignKey("daftar_data_item.id", ondelete="SET NULL"))
    dataset_id: Mapped[str | None] = mapped_column(ForeignKey("dataset.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("usulan_data.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The filing form's one-time key: a second post of the same form finds the first suggestion.
    form_key: Mapped[str | None] = mapped_column(String(64))
    # Title and description folded (lower case, no accents) for the word search, set on filing.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region: Mapped[Organization] = relationship(foreign_keys=[region_id])
    organization: Mapped[Organization | None] = relationship(foreign_keys=[organization_id])
    topic: Mapped[Topic | None] = relationship()
    daftar_item: Mapped[DaftarDataItem | None] = relationship()
    dataset: Mapped[Dataset | None] = relationship()
    merged_into: Mapped[Suggestion | None] = relationship(remote_side=[id])
    decided_by: Mapped[User | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    def __repr__(self) -> str:
        return f"<Suggestion {self.id} {self.state}>"


class Support(Base):
    """One supporter of a suggestion ("Dukung"): a browser (a random key in a signed cookie),
    or its network address when it keeps no cookie. Both are stored only as keyed hashes."""

    __tablename__ = "usulan_dukungan"
    __table_args__ = (UniqueConstraint("suggestion_id", "supporter_key", name="uq_usulan_dukungan_supporter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("usulan_data.id", ondelete="CASCADE"), index=True)
    supporter_key: Mapped[str] = mapped_column(String(64))
    address_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
