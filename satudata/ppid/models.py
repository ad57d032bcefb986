"""Public information requests (UU 14/2008): the register, its timeline and the calendar.

- :class:`InformationRequest`: one permohonan informasi, from filing (the web form, the API, or
  an officer recording a letter, an email, a call or a visit) to its answer. Its state changes
  only through ``ppid.transitions`` (``tests/test_architecture.py`` says so).
- :class:`RequestEvent`: every transition and every notice sent, in order: the applicant's
  tracking page and the officer's page both read it.
- :class:`RequestCounter`: the last number given per PPID and year (numbers are never reused).
- :class:`RequestDataset`: a dataset proposed from a request (the answer becoming open data).
- :class:`Notice`: a signed PDF the portal sent (tanda bukti, pemberitahuan tertulis, perpanjangan,
  keputusan penolakan, keberatan receipt and answer): kept byte for byte with its SHA-256, so the
  public verification page can say whether a PDF shown to it is one of ours, unaltered.
- :class:`HolidayOverride`: the admin's corrections to the national calendar (a regional
  closure, a revised cuti bersama decree); the clock reads them (``services.calendar``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from satudata.accounts.models import Organization
from satudata.catalog.models import Dataset
from satudata.db import Base, StrEnum, UTCDateTime, str_enum, utcnow


class RequestState(StrEnum):
    REGISTERED = "registered"  # terdaftar: on the clock, waiting for the written notice
    INCOMPLETE = "incomplete"  # dikembalikan untuk dilengkapi
    EXTENDED = "extended"  # diperpanjang (Pasal 22(8)), still on the clock
    GRANTED = "granted"  # dikabulkan seluruhnya
    GRANTED_IN_PART = "granted_in_part"  # dikabulkan sebagian
    REFUSED = "refused"  # ditolak (Pasal 17)
    NOT_HELD = "not_held"  # informasi tidak dikuasai
    NOT_DOCUMENTED = "not_documented"  # informasi belum didokumentasikan
    WITHDRAWN = "withdrawn"  # dicabut oleh pemohon
    NOT_ENTITLED = "not_entitled"  # tidak memenuhi syarat (Pasal 1 angka 12)
    SPAM = "spam"  # set aside by an officer: no legal outcome, out of the statistics


OPEN_STATES = frozenset({RequestState.REGISTERED, RequestState.INCOMPLETE, RequestState.EXTENDED})
DECIDED_STATES = frozenset({RequestState.GRANTED, RequestState.GRANTED_IN_PART, RequestState.REFUSED,
                            RequestState.NOT_HELD, RequestState.NOT_DOCUMENTED})


PURGED_NAME = "(data pribadi dihapus)"  # an applicant's name once the retention period ended


class ApplicantType(StrEnum):
    PERORANGAN = "perorangan"  # a citizen: NIK
    BADAN_HUKUM = "badan_hukum"  # a legal entity: deed / SK pengesahan number
    KELOMPOK = "kelompok"  # a group of people: surat kuasa


class Channel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    LETTER = "surat"
    PHONE = "telepon"
    IN_PERSON = "langsung"


class ObtainMethod(StrEnum):
    MELIHAT = "melihat"  # see, read, listen, take notes
    SALINAN_SOFTCOPY = "salinan_softcopy"
    SALINAN_HARDCOPY = "salinan_hardcopy"


class CopyMethod(StrEnum):
    LANGSUNG = "langsung"
    KURIR = "kurir"
    POS = "pos"
    FAKSIMILI = "faksimili"
    EMAIL = "email"


class RequestCounter(Base):
    """The last sequence number given to a request of one PPID in one year."""

    __tablename__ = "ppid_request_counter"
    __table_args__ = (UniqueConstraint("organization_id", "year", name="uq_ppid_counter_org_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)


class InformationRequest(Base):
    """A permohonan informasi publik and where it stands on the legal clock."""

    __tablename__ = "ppid_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # nomor pendaftaran
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the applicant's tracking code
    state: Mapped[RequestState] = mapped_column(str_enum(RequestState, "ppid_request_state"),
                                                default=RequestState.REGISTERED, index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "ppid_channel"), default=Channel.WEB)
    # The PPID the request was filed with (numbers count per this PPID) and the one handling it
    # now (PPID Utama may route it to an OPD's PPID Pelaksana; the clock runs on).
    filed_with_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    handler_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)

    applicant_type: Mapped[ApplicantType] = mapped_column(str_enum(ApplicantType, "ppid_applicant_type"))
    name: Mapped[str] = mapped_column(String(200))
    identity_encrypted: Mapped[str | None] = mapped_column(Text)  # NIK or SK number, encrypted (identity.py)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    occupation: Mapped[str] = mapped_column(String(120), default="")

    information: Mapped[str] = mapped_column(Text)  # rincian informasi yang dibutuhkan
    purpose: Mapped[str] = mapped_column(Text)  # tujuan penggunaan informasi
    obtain_method: Mapped[ObtainMethod] = mapped_column(str_enum(ObtainMethod, "ppid_obtain_method"))
    copy_method: Mapped[CopyMethod] = mapped_column(str_enum(CopyMethod, "ppid_copy_method"))

    received_on: Mapped[date] = mapped_column(Date)  # day 0 of the clock (registration)
    due_on: Mapped[date] = mapped_column(Date, index=True)  # the written notice is due (10 or 10+k working days)
    extension_days: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    # What the written notice says (the decision's legally required parts, by decision type).
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    delivery: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # means, date, cost
    closing_reason: Mapped[str] = mapped_column(Text, default="")  # not entitled, returned, spam

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    reminders_sent: Mapped[list[str] | None] = mapped_column(JSON)  # ISO dates already reminded
    duplicate_key: Mapped[str | None] = mapped_column(String(64), index=True)  # a double submission
    # The applicant's identity document (KTP, akta/SK, surat kuasa): Fernet-encrypted bytes, read
    # only by the officers handling the request (every view audited), never loaded with the row.
    identity_scan: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    identity_scan_type: Mapped[str] = mapped_column(String(40), default="")  # image/jpeg, image/png, application/pdf
    identity_scan_name: Mapped[str] = mapped_column(String(200), default="")
    # Set when the retention period ended and the personal data was blanked (name, identity,
    # contact, scan); the register row, dates and outcome stay.
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    filed_with: Mapped[Organization] = relationship(foreign_keys=[filed_with_id])
    handler: Mapped[Organization] = relationship(foreign_keys=[handler_id])
    events: Mapped[list[RequestEvent]] = relationship(back_populates="request", order_by="RequestEvent.id",
                                                      cascade="all, delete-orphan")
    objections: Mapped[list[Objection]] = relationship(back_populates="request", order_by="Objection.id",
                                                       cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ObjectionState(StrEnum):
    REGISTERED = "registered"  # with the Atasan PPID, on its own 30-working-day clock (Pasal 36(2))
    ACCEPTED = "accepted"  # the Atasan PPID decides for the objector: the information is to be given
    REJECTED = "rejected"  # the PPID's answer stands (with the reasons)
    SETTLED = "settled"  # settled by agreement (musyawarah; grounds b-g only)
    WITHDRAWN = "withdrawn"


class Objection(Base):
    """A keberatan to the Atasan PPID (UU 14/2008 Pasal 35-36) about one request: its grounds
    (Pasal 35(1) letters a-g), the case summary, the objector or their proxy, and the decision."""

    __tablename__ = "ppid_objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(48), unique=True)  # its own registration number
    request_id: Mapped[int] = mapped_column(ForeignKey("ppid_request.id", ondelete="CASCADE"), index=True)
    state: Mapped[ObjectionState] = mapped_column(str_enum(ObjectionState, "ppid_objection_state"),
                                                  default=ObjectionState.REGISTERED, index=True)
    grounds: Mapped[list[str]] = mapped_column(JSON)
    case_summary: Mapped[str] = mapped_column(Text)  # kasus posisi
    proxy_name: Mapped[str] = mapped_column(String(200), default="")  # kuasa pemohon, if any
    proxy_letter: Mapped[str] = mapped_column(String(120), default="")  # the surat kuasa's number
    registered_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # reasons, decider's name and position
    # Sengketa informasi before the Komisi Informasi, when the objector takes it there (Pasal 37).
    dispute: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[InformationRequest] = relationship(back_populates="objections")


class RequestEvent(Base):
    """One step of a request: a transition (``action``, from and to state) and what was sent to
    the applicant with it (``notice``), or a note."""

    __tablename__ = "ppid_request_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("ppid_request.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")  # what the applicant is told (public to them)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    notice_sent: Mapped[bool] = mapped_column(Boolean, default=False)  # mailed to the applicant
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[InformationRequest] = relationship(back_populates="events")


class RequestDataset(Base):
    """A dataset an officer proposed to make from a request (the answer as open data): a draft in
    the holding OPD's workspace that goes through walidata review like any other; once published,
    the register and the applicant's page link it."""

    __tablename__ = "ppid_request_dataset"
    __table_args__ = (UniqueConstraint("request_id", "dataset_id", name="uq_ppid_request_dataset"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("ppid_request.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship()


class Attachment(Base):
    """A file given as (part of) the answer to a granted request: the information itself, sent
    with the written notice. The bytes live in the file store under their SHA-256 (which keeps
    them from the storage sweep); the applicant downloads them through the tracking link."""

    __tablename__ = "ppid_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("ppid_request.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeKind(StrEnum):
    RECEIPT = "receipt"  # tanda bukti pendaftaran permohonan (Pasal 22(4))
    EXTENSION = "extension"  # pemberitahuan perpanjangan waktu (Pasal 22(8))
    WRITTEN_NOTICE = "written_notice"  # pemberitahuan tertulis (Pasal 22(7)), any decision
    REFUSAL = "refusal"  # surat keputusan penolakan, with the uji konsekuensi
    OBJECTION_RECEIPT = "objection_receipt"  # tanda bukti pengajuan keberatan
    OBJECTION_ANSWER = "objection_answer"  # tanggapan atasan PPID atas keberatan (Pasal 36(2))


class Notice(Base):
    """One official document sent to an applicant: its own number, the request (and objection)
    it belongs to, the signed PDF and its digest."""

    __tablename__ = "ppid_notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, "ppid_notice_kind"))
    request_id: Mapped[int] = mapped_column(ForeignKey("ppid_request.id", ondelete="CASCADE"), index=True)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("ppid_objection.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ppid_request_event.id", ondelete="SET NULL"))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    signer: Mapped[str] = mapped_column(String(300), default="")  # the certificate's subject
    demo_certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[InformationRequest] = relationship()
    objection: Mapped[Objection | None] = relationship()


class ReportNarrative(Base):
    """The written parts of one PPID's annual service report (Perki SLIP 1/2021) for one year:
    what the figures cannot say (policy, resources, obstacles, recommendations)."""

    __tablename__ = "ppid_report_narrative"
    __table_args__ = (UniqueConstraint("organization_id", "year", name="uq_ppid_report_narrative_org_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    policy: Mapped[str] = mapped_column(Text, default="")  # kebijakan (SK PPID, SOP, standar layanan)
    staff: Mapped[str] = mapped_column(Text, default="")  # sumber daya manusia
    facilities: Mapped[str] = mapped_column(Text, default="")  # sarana dan prasarana
    budget: Mapped[str] = mapped_column(Text, default="")  # anggaran
    obstacles: Mapped[str] = mapped_column(Text, default="")  # kendala
    recommendations: Mapped[str] = mapped_column(Text, default="")  # rekomendasi dan rencana tindak lanjut
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class HolidayOverride(Base):
    """A correction to the national calendar: a day off that is not in it (``is_holiday``), or a
    listed holiday that is a working day here after all."""

    __tablename__ = "ppid_holiday_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    is_holiday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DipCategory(StrEnum):
    BERKALA = "berkala"  # published at least every six months (Pasal 9)
    SERTA_MERTA = "serta_merta"  # immediately, when life or public order is at stake (Pasal 10)
    SETIAP_SAAT = "setiap_saat"  # available on request at any time (Pasal 11)
    DIKECUALIKAN = "dikecualikan"  # exempt (Pasal 17), only with a documented uji konsekuensi


class DipEntry(Base):
    """One line of the Daftar Informasi Publik in its legal columns (Perki SLIP 1/2021): what the
    information is, which unit holds it, who answers for it, when and where it was made, its form
    and how long it is kept; an exempt line carries its Pasal 17 ground and uji konsekuensi."""

    __tablename__ = "ppid_dip_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)  # the holding unit
    category: Mapped[DipCategory] = mapped_column(str_enum(DipCategory, "ppid_dip_category"), index=True)
    title: Mapped[str] = mapped_column(String(300))  # ringkasan isi informasi
    responsible: Mapped[str] = mapped_column(String(200))  # penanggung jawab pembuatan/penerbitan
    made: Mapped[str] = mapped_column(String(200), default="")  # waktu dan tempat pembuatan
    form: Mapped[str] = mapped_column(String(120), default="")  # bentuk informasi (cetak, elektronik)
    retention: Mapped[str] = mapped_column(String(120), default="")  # jangka waktu penyimpanan
    url: Mapped[str] = mapped_column(String(1000), default="")  # where the document is (or the dataset page)
    exemption: Mapped[str] = mapped_column(String(10), default="")  # Pasal 17 letters, for an exempt line
    consequence_test: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
