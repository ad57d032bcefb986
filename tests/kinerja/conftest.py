"""A small real world for the kinerja figures, made through the services (catalogue, validation,
review, Daftar Data, PPID) and then moved to the days of a fixed year (2025), as the demo loader
moves its history: only timestamps change afterwards, never a state or a verdict.

Dinas Kesehatan Provinsi Riau (``dinkes-riau``) in 2025:

- Daftar Data: A (31 Mar) published on 20 Mar, on time; B (15 May) published 2 Jun, late;
  C (1 Aug) never published, overdue; D (24 Dec) still ahead on "today" (20 Dec); E (2026)
  outside the year.
- Tables: A's (uploaded 1 Feb) and B's (10 Apr) passed at once; C's (1 Jul) failed its first
  validation and passed after a re-upload: failed at first.
- Review: A submitted 10 Mar, published 16 Mar (6 days); B submitted 1 May, changes requested
  5 May (4 days), submitted again 20 May, published 22 May (2 days); C submitted 5 Jul and
  taken back 6 Jul (no decision).
- PPID (its PPID Pelaksana): one request answered on time in February, one answered late in
  April, one left open past its deadline in September.

Diskominfotik Provinsi Riau has nothing: every share is "—". Kota Dumai is another region, with
its own Dinas Kesehatan and walidata.

``add_first_quarter_records`` (for the tests of the lists a quarter shows) gives Dinkes one more
record of each list in T1, where the world above has one in T3 (or T2, for reviews): an item due
14 Feb never published, a table uploaded 10 Feb that failed, a request answered late in January;
and a review in T3 (submitted 1 Sep, sent back 4 Sep) beside A's in T1.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind
from satudata.authz import AnonymousActor
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.ppid import services as ppid
from satudata.ppid.models import Channel, InformationRequest
from satudata.review import services as review
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from satudata.review.models import ReviewEvent
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.factories import SYSTEM, make_dataset, validate
from tests.ppid.test_requests import REQUEST
from tests.workspace.conftest import vocab  # noqa: F401  (fixtures)

YEAR = 2025
TODAY = date(YEAR, 12, 20)
WIB = ZoneInfo("Asia/Jakarta")
GRANT = {"given": "Rekap data", "form": "Salinan PDF", "delivery": "Surel", "cost": 0}
SECRET_NOTE = "Catatan internal walidata: jangan diumumkan"


def wib(day: date, hour: int = 9) -> datetime:
    """``day`` at ``hour`` WIB, as the UTC moment the database keeps."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=WIB).astimezone(UTC)


@dataclass
class World:
    orgs: dict[str, Organization]
    users: dict[str, Any]
    items: dict[str, DaftarDataItem]
    datasets: dict[str, Dataset]
    requests: dict[str, InformationRequest]


def _events(ds: Dataset) -> list[ReviewEvent]:
    return sorted(review.list_events(ds), key=lambda e: e.id)


def _date_events(ds: Dataset, moments: list[datetime]) -> None:
    events = _events(ds)
    assert len(events) == len(moments), [e.action for e in events]
    for event, moment in zip(events, moments, strict=True):
        event.created_at = moment


def _published(org: Organization, title: str, *, uploaded: datetime, published: datetime,
               moments: list[datetime]) -> Dataset:
    ds = make_dataset(org, title=title)
    ds.published_at = published
    for res in ds.resources:
        res.created_at = uploaded
    _date_events(ds, moments)
    db.session.commit()
    return ds


def _file(actor: Any, day: date, monkeypatch: pytest.MonkeyPatch, **fields: Any) -> InformationRequest:
    monkeypatch.setattr(ppid, "today", lambda: day)
    form = {**REQUEST, "target": "dinkes-riau", **fields}
    return ppid.file_request(actor, form, channel=Channel.WEB, received_on=day).request


def _answer(officer: Any, request: InformationRequest, day: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ppid, "today", lambda: day)
    ppid.act(officer, request, "grant", dict(GRANT))


@pytest.fixture()
def world(app: Any, orgs: dict[str, Any], users: dict[str, Any], vocab: Any,  # noqa: F811
          monkeypatch: pytest.MonkeyPatch) -> World:
    dinkes = orgs["dinkes"]
    dumai_dinkes = accounts.create_organization(SYSTEM, slug="dinkes-dumai", name="Dinas Kesehatan Kota Dumai",
                                                kind=OrganizationKind.OPD, parent=orgs["other"])
    walidata_dumai = accounts.create_user(SYSTEM, username="walidata.dumai", email="walidata@dumai.go.id",
                                          full_name="Walidata Kota Dumai", password=PASSWORD,
                                          roles=[("walidata", orgs["other"])])
    db.session.commit()

    ds_a = _published(dinkes, "Jumlah Puskesmas menurut Kecamatan", uploaded=wib(date(YEAR, 2, 1)),
                      published=wib(date(YEAR, 3, 16), 0),
                      moments=[wib(date(YEAR, 3, 10), 0), wib(date(YEAR, 3, 16), 0)])

    ds_b = make_dataset(dinkes, title="Jumlah Tenaga Kesehatan menurut Puskesmas", publish=False)
    review.submit_dataset(SYSTEM, ds_b)
    review.request_changes(SYSTEM, ds_b, message="Lengkapi satuan.")
    review.submit_dataset(SYSTEM, ds_b)
    review.publish_dataset(SYSTEM, ds_b)
    db.session.commit()
    ds_b.published_at = wib(date(YEAR, 6, 2))
    for res in ds_b.resources:
        res.created_at = wib(date(YEAR, 4, 10))
    _date_events(ds_b, [wib(date(YEAR, 5, 1), 0), wib(date(YEAR, 5, 5), 0), wib(date(YEAR, 5, 20), 0),
                        wib(date(YEAR, 5, 22), 0)])

    # C: the first upload fails its Table Schema, the re-upload passes; submitted and taken back.
    ds_c = make_dataset(dinkes, title="Kasus Demam Berdarah menurut Kecamatan", publish=False, csv=None)
    table = catalog.upload_resource(SYSTEM, ds_c, io.BytesIO(b"kecamatan,kasus\nKubu,dua belas\n"),
                                    filename="dbd.csv", name="Kasus DBD",
                                    table_schema={"fields": [{"name": "kecamatan", "type": "string"},
                                                             {"name": "kasus", "type": "integer"}]})
    db.session.commit()
    assert validate(table) == "invalid"
    catalog.replace_resource_file(SYSTEM, table, io.BytesIO(b"kecamatan,kasus\nKubu,12\n"), filename="dbd.csv")
    db.session.commit()
    assert validate(table) == "valid"
    review.submit_dataset(SYSTEM, ds_c)
    review.retract_submission(SYSTEM, ds_c)
    db.session.commit()
    table.created_at = wib(date(YEAR, 7, 1))
    _date_events(ds_c, [wib(date(YEAR, 7, 5)), wib(date(YEAR, 7, 6))])

    items = {}
    for key, title, release, ds in (("A", ds_a.title, date(YEAR, 3, 31), ds_a),
                                    ("B", ds_b.title, date(YEAR, 5, 15), ds_b),
                                    ("C", ds_c.title, date(YEAR, 8, 1), ds_c),
                                    ("D", "Jumlah Posyandu Aktif", date(YEAR, 12, 24), None),
                                    ("E", "Angka Harapan Hidup", date(YEAR + 1, 1, 10), None)):
        item = daftar.create_item(SYSTEM, dinkes, year=release.year, title=title, frequency="tahunan",
                                  release_date=release, notes=SECRET_NOTE)
        if ds is not None:
            daftar.link_dataset(SYSTEM, item, ds.slug)
        items[key] = item
    db.session.commit()

    officer = users["ppid_pelaksana"]  # Dinkes' PPID Pelaksana
    web = AnonymousActor()
    on_time = _file(web, date(YEAR, 2, 3), monkeypatch, information="Daftar puskesmas dan alamatnya")
    _answer(officer, on_time, date(YEAR, 2, 5), monkeypatch)
    late = _file(web, date(YEAR, 4, 7), monkeypatch, information="Jumlah bidan desa per kecamatan")
    _answer(officer, late, late.due_on + timedelta(days=3), monkeypatch)
    still_open = _file(web, date(YEAR, 9, 1), monkeypatch, information="Cakupan imunisasi per puskesmas")
    db.session.commit()
    assert late.decided_on is not None and late.decided_on > late.due_on
    assert still_open.due_on < TODAY
    return World(orgs={**orgs, "dumai_dinkes": dumai_dinkes}, users={**users, "walidata_dumai": walidata_dumai},
                 items=items, datasets={"A": ds_a, "B": ds_b, "C": ds_c},
                 requests={"on_time": on_time, "late": late, "open": still_open})


@dataclass
class FirstQuarterRecords:
    """What ``add_first_quarter_records`` made: one record per list of the OPD's page."""

    item: DaftarDataItem  # T1, overdue
    table_name: str  # T1, failed its first validation
    request: InformationRequest  # T1, answered late
    sent_back: Dataset  # T3, a review decided (changes requested)


def add_first_quarter_records(world: World, monkeypatch: pytest.MonkeyPatch) -> FirstQuarterRecords:
    """A record in T1 for each list where the world has one in T3 only, and a review decided in T3
    (the world's decisions are in T1 and T2); committed."""
    dinkes = world.orgs["dinkes"]
    item = daftar.create_item(SYSTEM, dinkes, year=YEAR, title="Jumlah Kader Posyandu menurut Puskesmas",
                              frequency="tahunan", release_date=date(YEAR, 2, 14))
    draft = make_dataset(dinkes, title="Jumlah Ibu Hamil menurut Puskesmas", publish=False, csv=None)
    table = catalog.upload_resource(SYSTEM, draft, io.BytesIO(b"puskesmas,ibu_hamil\nBagan Siapiapi,sebelas\n"),
                                    filename="bumil.csv", name="Ibu hamil per puskesmas",
                                    table_schema={"fields": [{"name": "puskesmas", "type": "string"},
                                                             {"name": "ibu_hamil", "type": "integer"}]})
    db.session.commit()
    assert validate(table) == "invalid"
    table.created_at = wib(date(YEAR, 2, 10))

    sent_back = make_dataset(dinkes, title="Jumlah Kunjungan Puskesmas menurut Bulan", publish=False)
    review.submit_dataset(SYSTEM, sent_back)
    review.request_changes(SYSTEM, sent_back, message="Pisahkan kunjungan rawat jalan dan rawat inap.")
    db.session.commit()
    _date_events(sent_back, [wib(date(YEAR, 9, 1), 0), wib(date(YEAR, 9, 4), 0)])

    request = _file(AnonymousActor(), date(YEAR, 1, 6), monkeypatch, information="Jumlah kader posyandu aktif")
    _answer(world.users["ppid_pelaksana"], request, request.due_on + timedelta(days=2), monkeypatch)
    db.session.commit()
    assert request.decided_on is not None and request.due_on < request.decided_on <= date(YEAR, 3, 31)
    return FirstQuarterRecords(item, table.name, request, sent_back)
