"""Datasets, resources, versions, topics, tags and licences."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from satudata.db import Base, StrEnum, UTCDateTime, new_id, str_enum, utcnow

if TYPE_CHECKING:
    from satudata.accounts.models import Organization


class DatasetState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class AccessClass(StrEnum):
    PUBLIK = "publik"
    TERBATAS = "terbatas"
    DIKECUALIKAN = "dikecualikan"


class Frequency(StrEnum):
    TAHUNAN = "tahunan"
    SEMESTERAN = "semesteran"
    TRIWULANAN = "triwulanan"
    BULANAN = "bulanan"
    MINGGUAN = "mingguan"
    HARIAN = "harian"
    TIDAK_TENTU = "tidak_tentu"


class PresentationLevel(StrEnum):
    NASIONAL = "nasional"
    PROVINSI = "provinsi"
    KABUPATEN_KOTA = "kabupaten_kota"
    KECAMATAN = "kecamatan"
    DESA = "desa"


class DataKind(StrEnum):
    STATISTIK_SEKTORAL = "statistik_sektoral"
    GEOSPASIAL = "geospasial"
    KEUANGAN = "keuangan"


class DataStatus(StrEnum):
    SEMENTARA = "sementara"
    TETAP = "tetap"


class CollectionMethod(StrEnum):
    ADMINISTRASI = "administrasi"
    SURVEI = "survei"
    SENSUS = "sensus"
    KOMPILASI = "kompilasi"
    LAINNYA = "lainnya"


class ValidationStatus(StrEnum):
    UNVALIDATED = "unvalidated"
    PENDING = "pending"
    VALID = "valid"
    INVALID = "invalid"
    ERROR = "error"


dataset_topic = Table(
    "dataset_topic",
    Base.metadata,
    Column("dataset_id", ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)

dataset_tag = Table(
    "dataset_tag",
    Base.metadata,
    Column("dataset_id", ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(Base):
    """A theme (CKAN group): Kependudukan, Kesehatan, Pendidikan, ..."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)  # CKAN's group id
    slug: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    icon: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Valid for CKAN (``catalog.tags.tag_name``); ``display_name`` is the text as written.
    name: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(100), default="", server_default="")

    @property
    def label(self) -> str:
        return self.display_name or self.name


class Licence(Base):
    """A licence, keyed by its CKAN/Open Definition id (``cc-by-4.0``)."""

    __tablename__ = "licence"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(255))
    od_conformance: Mapped[str] = mapped_column(String(20), default="approved")
    osd_conformance: Mapped[str] = mapped_column(String(20), default="not reviewed")
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)


class Dataset(Base):
    """A dataset with the Satu Data metadata of rules/SATU_DATA.md."""

    __tablename__ = "dataset"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised on render
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    walidata_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    licence_id: Mapped[str | None] = mapped_column(ForeignKey("licence.id"))
    state: Mapped[DatasetState] = mapped_column(
        str_enum(DatasetState, "dataset_state"), default=DatasetState.DRAFT, index=True
    )
    access_class: Mapped[AccessClass] = mapped_column(
        str_enum(AccessClass, "access_class"), default=AccessClass.PUBLIK
    )
    # Satu Data metadata
    urusan: Mapped[str | None] = mapped_column(String(255))  # government affair (SIPD bidang)
    konsep: Mapped[str | None] = mapped_column(Text)
    definisi: Mapped[str | None] = mapped_column(Text)
    klasifikasi: Mapped[str | None] = mapped_column(Text)
    ukuran: Mapped[str | None] = mapped_column(String(255))
    satuan: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer, index=True)  # tahun data
    period: Mapped[str | None] = mapped_column(String(100))  # periode data, e.g. "2020-2025"
    frequency: Mapped[Frequency | None] = mapped_column(str_enum(Frequency, "frequency"))
    release_date: Mapped[date | None] = mapped_column(Date)  # jadwal rilis
    presentation_level: Mapped[PresentationLevel | None] = mapped_column(
        str_enum(PresentationLevel, "presentation_level")
    )
    kode_wilayah: Mapped[str | None] = mapped_column(String(20), index=True)  # cakupan wilayah
    coverage: Mapped[str | None] = mapped_column(String(255))  # name of the covered region
    data_source: Mapped[str | None] = mapped_column(String(255))  # sumber data
    collection_method: Mapped[CollectionMethod | None] = mapped_column(
        str_enum(CollectionMethod, "collection_method")
    )
    data_kind: Mapped[DataKind | None] = mapped_column(str_enum(DataKind, "data_kind"))
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    data_status: Mapped[DataStatus | None] = mapped_column(str_enum(DataStatus, "data_status"))
    contact_name: Mapped[str | None] = mapped_column(String(255))
    contact_email: Mapped[str | None] = mapped_column(String(255))
    # Harvest provenance
    harvest_source_id: Mapped[int | None] = mapped_column(Integer, index=True)
    remote_id: Mapped[str | None] = mapped_column(String(255))
    remote_url: Mapped[str | None] = mapped_column(String(1000))
    # Counters and stamps
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # A revision: the draft of changes to a published dataset (``revision_of``), edited,
    # validated and reviewed like any draft while the published one stays public; publishing
    # it merges it into the published row (``catalog.services.revisions``). One per dataset.
    revision_of_id: Mapped[str | None] = mapped_column(
        ForeignKey("dataset.id", ondelete="CASCADE"), unique=True, index=True)

    organization: Mapped[Organization] = relationship(foreign_keys=[organization_id])
    walidata: Mapped[Organization | None] = relationship(foreign_keys=[walidata_id])
    licence: Mapped[Licence | None] = relationship()
    topics: Mapped[list[Topic]] = relationship(secondary=dataset_topic, order_by="Topic.name")
    tags: Mapped[list[Tag]] = relationship(secondary=dataset_tag, order_by="Tag.name")
    resources: Mapped[list[Resource]] = relationship(
        back_populates="dataset", order_by="Resource.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list[DatasetVersion]] = relationship(
        back_populates="dataset", order_by="DatasetVersion.number.desc()", cascade="all, delete-orphan"
    )
    revision_of: Mapped[Dataset | None] = relationship(
        remote_side=[id], foreign_keys=[revision_of_id], back_populates="revision")
    revision: Mapped[Dataset | None] = relationship(
        foreign_keys=[revision_of_id], back_populates="revision_of", uselist=False, passive_deletes=True)

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    @property
    def is_public(self) -> bool:
        return self.state == DatasetState.PUBLISHED and self.access_class == AccessClass.PUBLIK

    @property
    def formats(self) -> list[str]:
        return sorted({r.format for r in self.resources if r.format})

    def __repr__(self) -> str:
        return f"<Dataset {self.slug}>"


class Resource(Base):
    """A table or document of a dataset: a stored file or an external URL."""

    __tablename__ = "resource"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str | None] = mapped_column(String(20))  # CSV, XLSX, JSON, PDF ...
    media_type: Mapped[str | None] = mapped_column(String(120))
    # A stored file (content-addressed) or an external link; exactly one of them.
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(BigInteger)
    filename: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(1000))
    table_schema: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    schema_ref: Mapped[str | None] = mapped_column(String(255))
    sheet: Mapped[str | None] = mapped_column(String(255))  # the XLSX sheet to read (None: the first)
    # The sheet row holding the column titles, as the producer set it (None: found under the
    # title block by ``tabular.convert.find_header``).
    header_row: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the current file came
    validation_status: Mapped[ValidationStatus] = mapped_column(
        str_enum(ValidationStatus, "validation_status"), default=ValidationStatus.UNVALIDATED
    )
    validation_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    row_count: Mapped[int | None] = mapped_column(Integer)
    columns: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # column summary
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # In a revision: the published resource this one changes (None: added by the revision).
    revision_of_id: Mapped[str | None] = mapped_column(ForeignKey("resource.id", ondelete="SET NULL"))

    dataset: Mapped[Dataset] = relationship(back_populates="resources")
    revisions: Mapped[list[ResourceRevision]] = relationship(
        back_populates="resource", order_by="ResourceRevision.number.desc()", cascade="all, delete-orphan"
    )

    @property
    def is_stored(self) -> bool:
        return self.sha256 is not None

    @property
    def is_tabular(self) -> bool:
        return (self.format or "").upper() in {"CSV", "XLSX", "JSON", "TSV"}

    @property
    def is_queryable(self) -> bool:
        """A stored table that passed validation: it has a typed copy (satudata/datastore), which
        previews, the rows and data APIs, charts and maps read."""
        return self.is_stored and self.is_tabular and self.validation_status == ValidationStatus.VALID


class DatasetVersion(Base):
    """An immutable snapshot of a dataset's metadata and resources, written at each publish."""

    __tablename__ = "dataset_version"
    __table_args__ = (UniqueConstraint("dataset_id", "number", name="uq_dataset_version_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="versions")


class ResourceRevision(Base):
    """A file a resource held before it was replaced by a re-upload (its history).

    The stored file stays in content-addressed storage, so an earlier upload can still be
    downloaded by the producer and compared.
    """

    __tablename__ = "resource_revision"
    __table_args__ = (UniqueConstraint("resource_id", "number", name="uq_resource_revision_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)
    filename: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(1000))
    format: Mapped[str | None] = mapped_column(String(20))
    sheet: Mapped[str | None] = mapped_column(String(255))
    header_row: Mapped[int | None] = mapped_column(Integer)
    validation_status: Mapped[str] = mapped_column(String(32))
    row_count: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when this file was uploaded
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    resource: Mapped[Resource] = relationship(back_populates="revisions")
