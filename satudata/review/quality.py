"""The quality score of a dataset: how well it meets the Satu Data principles, 0 to 100.

Five parts, each with what earns its points and what to do to earn the rest (shown to the
producer before submitting and to the walidata while reviewing):

- **Kelengkapan metadata** (30): the share of Satu Data metadata fields filled in.
- **Standar data** (20): tables that use a standard of the library (an edited copy of one
  counts half; a Table Schema inferred from the file counts nothing).
- **Tabel valid** (20): tables that passed validation against their Table Schema.
- **Format terbuka** (15): resources in open, machine-readable formats (CSV, TSV, JSON, GeoJSON,
  XML, ODS count fully; XLSX half; PDF, Word and links to pages nothing).
- **Kemutakhiran** (15): the data is not older than its update frequency allows (with a grace
  period); data with no regular frequency is always up to date.

A dataset without tables has no standards or validation to judge: those parts are left out and
the score is taken over the parts that apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Frequency, Resource, ValidationStatus
from satudata.db import utcnow

OPEN_FORMATS = {"CSV": 1.0, "TSV": 1.0, "JSON": 1.0, "GEOJSON": 1.0, "XML": 1.0, "ODS": 1.0, "XLSX": 0.5,
                "XLS": 0.5}
# How old the data may be for each frequency: its period plus a grace period for the release.
ALLOWED_AGE = {
    Frequency.HARIAN: timedelta(days=1 + 2),
    Frequency.MINGGUAN: timedelta(days=7 + 3),
    Frequency.BULANAN: timedelta(days=31 + 14),
    Frequency.TRIWULANAN: timedelta(days=92 + 30),
    Frequency.SEMESTERAN: timedelta(days=183 + 45),
    Frequency.TAHUNAN: timedelta(days=365 + 90),
}


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    points: int
    maximum: int
    detail: str  # what earned the points
    advice: str  # what to do for the rest ("" when full)

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.maximum) if self.maximum else 100


@dataclass(frozen=True)
class Quality:
    score: int  # 0-100 over the parts that apply
    parts: list[Part]

    @property
    def grade(self) -> str:
        """A word for the score, for people who would rather not read numbers."""
        if self.score >= 85:
            return "Sangat baik"
        if self.score >= 70:
            return "Baik"
        if self.score >= 50:
            return "Cukup"
        return "Perlu ditingkatkan"


def _share(points: float, maximum: int) -> int:
    return round(points * maximum)


def _metadata(ds: Dataset) -> Part:
    meter = catalog.completeness(ds)
    advice = ""
    if meter.missing_required or meter.missing_recommended:
        missing = [*meter.missing_required, *meter.missing_recommended]
        advice = "Lengkapi: " + ", ".join(missing[:5]) + (" dan lainnya." if len(missing) > 5 else ".")
    return Part("metadata", "Kelengkapan metadata", _share(meter.filled / meter.total, 30), 30,
                f"{meter.filled} dari {meter.total} kolom metadata terisi.", advice)


def _standards(tables: list[Resource]) -> Part:
    def weight(res: Resource) -> float:
        if not res.schema_ref:
            return 0.0
        return 0.5 if res.schema_ref.endswith("+ubahan") else 1.0

    earned = sum(weight(r) for r in tables)
    lacking = [r.name for r in tables if weight(r) < 1]
    advice = ("Pasang standar data dari pustaka untuk tabel: " + ", ".join(f'"{n}"' for n in lacking[:3]) + "."
              if lacking else "")
    used = sum(1 for r in tables if r.schema_ref)
    return Part("standards", "Standar data", _share(earned / len(tables), 20), 20,
                f"{used} dari {len(tables)} tabel memakai standar data.", advice)


def _valid(tables: list[Resource]) -> Part:
    valid = [r for r in tables if r.validation_status == ValidationStatus.VALID]
    lacking = [r.name for r in tables if r.validation_status != ValidationStatus.VALID]
    advice = ("Perbaiki tabel sampai lolos validasi: " + ", ".join(f'"{n}"' for n in lacking[:3]) + "."
              if lacking else "")
    return Part("valid", "Tabel valid", _share(len(valid) / len(tables), 20), 20,
                f"{len(valid)} dari {len(tables)} tabel lolos validasi.", advice)


def _formats(resources: list[Resource]) -> Part:
    if not resources:
        return Part("formats", "Format terbuka", 0, 15, "Belum ada sumber data.",
                    "Unggah tabel dalam format terbuka, misalnya CSV.")
    earned = sum(OPEN_FORMATS.get((r.format or "").upper(), 0.0) for r in resources)
    closed = [r.name for r in resources if OPEN_FORMATS.get((r.format or "").upper(), 0.0) < 1]
    advice = ("Sediakan juga dalam format terbuka (CSV atau JSON): " + ", ".join(f'"{n}"' for n in closed[:3]) + "."
              if closed else "")
    full = sum(1 for r in resources if OPEN_FORMATS.get((r.format or "").upper(), 0.0) == 1)
    return Part("formats", "Format terbuka", _share(earned / len(resources), 15), 15,
                f"{full} dari {len(resources)} sumber data berformat terbuka.", advice)


def _data_date(ds: Dataset) -> datetime | None:
    """When the data was last renewed: the newest file, else the last publication, else the
    last change (a dataset of links to documents)."""
    stamps = [r.uploaded_at for r in ds.resources if r.uploaded_at is not None]
    return max(stamps) if stamps else (ds.published_at or ds.updated_at)


def _fresh(ds: Dataset, now: datetime) -> Part:
    allowed = ALLOWED_AGE.get(ds.frequency) if ds.frequency is not None else None
    if ds.frequency is None:
        return Part("fresh", "Kemutakhiran", 0, 15, "Frekuensi pemutakhiran belum diisi.",
                    "Isi frekuensi pemutakhiran agar kemutakhiran data dapat dinilai.")
    if allowed is None:  # tidak tentu: no schedule to be late against
        return Part("fresh", "Kemutakhiran", 15, 15, "Data tanpa jadwal pemutakhiran tetap.", "")
    renewed = _data_date(ds)
    if renewed is None:
        return Part("fresh", "Kemutakhiran", 0, 15, "Belum ada data.", "Unggah datanya.")
    age = now - renewed
    if age <= allowed:
        return Part("fresh", "Kemutakhiran", 15, 15, f"Diperbarui {age.days} hari lalu; sesuai frekuensi "
                    f"{ds.frequency.value}.", "")
    late = (age - allowed).days
    points = 8 if age <= allowed * 2 else 0
    return Part("fresh", "Kemutakhiran", points, 15, f"Diperbarui {age.days} hari lalu; terlambat {late} hari "
                f"menurut frekuensi {ds.frequency.value}.", "Unggah data periode terbaru.")


def quality_of(dataset: Dataset, *, now: datetime | None = None) -> Quality:
    """The quality score of ``dataset`` with its parts, as of ``now`` (default: now)."""
    now = now or utcnow()
    tables = [r for r in dataset.resources if r.is_tabular]
    parts = [_metadata(dataset)]
    if tables:
        parts += [_standards(tables), _valid(tables)]
    parts += [_formats(list(dataset.resources)), _fresh(dataset, now)]
    maximum = sum(p.maximum for p in parts)
    score = round(100 * sum(p.points for p in parts) / maximum) if maximum else 0
    return Quality(score=score, parts=parts)
