"""Test data made through the services (so their rules apply), with the system actor."""

from __future__ import annotations

import io
from typing import Any

from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind
from satudata.authz import SystemActor
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Licence, Topic
from satudata.extensions import db

SYSTEM = SystemActor("tests")

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_org(slug: str | None = None, **fields: Any) -> Organization:
    n = _next()
    fields.setdefault("name", f"Dinas Uji {n}")
    fields.setdefault("kind", OrganizationKind.OPD)
    return accounts.create_organization(SYSTEM, slug=slug or f"dinas-uji-{n}", **fields)


def make_topic(slug: str = "kependudukan", name: str = "Kependudukan") -> Topic:
    topic = Topic(slug=slug, name=name)
    db.session.add(topic)
    db.session.flush()
    return topic


def make_licence(id: str = "cc-by-4.0", title: str = "Creative Commons Attribution 4.0") -> Licence:
    lic = db.session.get(Licence, id)
    if lic is None:
        lic = Licence(id=id, title=title, url="https://creativecommons.org/licenses/by/4.0/")
        db.session.add(lic)
        db.session.flush()
    return lic


CSV = (
    "kode_wilayah,kecamatan,laki_laki,perempuan\n"
    "14.07.01,Kubu,20350,19410\n"
    "14.07.02,Bangko,45012,43988\n"
    "14.07.03,Tanah Putih,38120,36790\n"
)


def make_dataset(
    org: Organization | None = None,
    *,
    publish: bool = True,
    index: bool = True,
    csv: str | None = CSV,
    **fields: Any,
) -> Dataset:
    org = org or make_org()
    fields.setdefault("title", f"Jumlah Penduduk Uji {_next()}")
    fields.setdefault("year", 2025)
    ds = catalog.create_dataset(SYSTEM, org, **fields)
    if csv is not None:
        catalog.add_resource_file(SYSTEM, ds, io.BytesIO(csv.encode()), filename="penduduk.csv",
                                  name="Penduduk per kecamatan")
    if publish:
        catalog.publish_dataset(SYSTEM, ds)
    db.session.commit()
    if publish and index:
        # What the search queue's worker does after the commit (tests/search covers the worker);
        # index=False leaves the job queued, for tests about the queue itself.
        from satudata.search.tasks import sync_dataset

        sync_dataset(ds.id)
    return ds
