"""The demo's Daftar Data: this year's list of data each OPD promised, as a walidata keeps it.

Each published demo dataset with a release frequency fulfils an item of its OPD (released on
its jadwal rilis, or when it was published); a few promised tables are still due, one is late,
so the calendar and the reminders have something to show. Made through the Daftar Data
services with the demo's system actor, like everything else of the demo.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from satudata.accounts.models import Organization
from satudata.authz import Actor
from satudata.catalog.models import Dataset, DatasetState, Frequency
from satudata.demo.organizations import DUMAI, ROKAN_HILIR, opd_slug
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from satudata.review.daftar.status import local_today

# Promised, not yet delivered: (OPD slug, title, frequency, days from today, Data Prioritas).
PROMISED = (
    (opd_slug(ROKAN_HILIR, "kesehatan"), "Cakupan Imunisasi Dasar Lengkap menurut Puskesmas", Frequency.TAHUNAN, 45,
     True),
    (opd_slug(ROKAN_HILIR, "kependudukan"), "Jumlah Akta Kelahiran yang Diterbitkan menurut Kecamatan",
     Frequency.SEMESTERAN, 20, False),
    (opd_slug(DUMAI, "sosial"), "Jumlah Penerima Bantuan Sosial menurut Kecamatan", Frequency.TRIWULANAN, -12, True),
)


def create_daftar(actor: Actor, today: date | None = None) -> int:
    """This year's Daftar Data of the demo OPD; how many items were created (0 when present)."""
    today = today or local_today()
    if db.session.scalar(select(DaftarDataItem.id).where(DaftarDataItem.year == today.year).limit(1)) is not None:
        return 0
    made = 0
    datasets = db.session.scalars(select(Dataset).where(Dataset.state == DatasetState.PUBLISHED,
                                                        Dataset.frequency.is_not(None),
                                                        Dataset.harvest_source_id.is_(None))
                                  .order_by(Dataset.title)).all()
    seen: set[tuple[int, str]] = set()
    for ds in datasets:
        key = (ds.organization_id, ds.title.lower())
        if key in seen:
            continue
        seen.add(key)
        released = ds.release_date or (ds.published_at.date() if ds.published_at else today)
        item = daftar.create_item(actor, ds.organization, year=today.year, title=ds.title,
                                  frequency=ds.frequency or Frequency.TAHUNAN, release_date=released,
                                  is_priority=ds.is_priority)
        daftar.link_dataset(actor, item, ds.slug)
        made += 1
    for slug, title, frequency, days, priority in PROMISED:
        org = db.session.scalar(select(Organization).where(Organization.slug == slug))
        if org is None:
            continue
        daftar.create_item(actor, org, year=today.year, title=title, frequency=frequency,
                           release_date=today + timedelta(days=days), is_priority=priority)
        made += 1
    return made
