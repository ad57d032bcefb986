"""The whole demo catalogue as plain values (no database), with a stable history: when each
dataset was released and published, and how often it was viewed and downloaded.

``build_catalogue()`` is pure and deterministic: two calls give byte-identical tables and equal
metadata, whatever the clock or the global ``random`` state, so "newest" and "most downloaded"
are the same on every machine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from satudata.catalog.models import DatasetState
from satudata.demo import drafts, kabupaten, provinsi
from satudata.demo.organizations import KABUPATEN_KOTA
from satudata.demo.specs import DatasetSpec
from satudata.demo.tables import rng

# The demo history ends here; nothing is published after it.
LAST_PUBLICATION = datetime(2026, 10, 31, tzinfo=UTC)


def _schedule(spec: DatasetSpec) -> None:
    """Release data of year Y in Y+1 (2019–2025 series in 2026), publish a few days after the
    planned release date (jadwal rilis), and give it a deterministic audience."""
    r = rng("jadwal", spec.slug)
    year = int(spec.fields["year"])
    release_year = year + 1
    month = r.randint(1, 9) if release_year >= 2026 else r.randint(2, 11)
    release = date(release_year, month, r.randint(1, 28))
    if spec.fields.get("release_date") is None:
        spec.fields["release_date"] = release
    published = datetime(release.year, release.month, release.day, tzinfo=UTC) + timedelta(
        days=r.randint(0, 6), hours=r.randint(1, 9), minutes=r.randint(0, 59))
    spec.published_at = min(published, LAST_PUBLICATION)
    spec.download_count = round(spec.popularity * r.uniform(250, 520))
    spec.view_count = spec.download_count * r.randint(3, 8) + r.randint(0, 99)


def _plan(spec: DatasetSpec) -> None:
    """Work in progress gets a planned release date in the future of the demo history."""
    r = rng("rencana", spec.slug)
    year = int(spec.fields["year"])
    if spec.fields.get("release_date") is None:
        spec.fields["release_date"] = (date(2026, 12, r.randint(1, 20)) if year < 2026
                                       else date(year + 1, r.randint(1, 6), r.randint(1, 28)))


def build_catalogue() -> list[DatasetSpec]:
    """Every demo dataset: the published ones (province first, then each kabupaten/kota) and
    the unpublished ones (drafts and a submission) last."""
    specs = provinsi.published()
    for region in KABUPATEN_KOTA:
        specs += kabupaten.published(region)
    stamps: set[datetime] = set()
    for spec in specs:
        _schedule(spec)
        assert spec.published_at is not None
        while spec.published_at in stamps:  # distinct stamps keep "newest" a total order
            spec.published_at -= timedelta(minutes=1)
        stamps.add(spec.published_at)
    pending = drafts.unpublished()
    for spec in pending:
        _plan(spec)
        if spec.state == DatasetState.PUBLISHED:
            raise AssertionError(f"{spec.slug} is in the unpublished list")
    specs += pending
    slugs = [s.slug for s in specs]
    if len(slugs) != len(set(slugs)):
        raise AssertionError("demo dataset slugs must be unique")
    return specs
