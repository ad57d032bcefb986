"""Keeping the Daftar Data: who may add, change, delete and link, the rules each change keeps,
and the audit row each writes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog
from satudata.authz import AnonymousActor
from satudata.errors import Conflict, Forbidden, Invalid
from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from satudata.review.daftar.status import ItemStatus
from tests.factories import SYSTEM
from tests.review.daftar.conftest import make_item, new_dataset

RELEASE = date(2026, 3, 31)


def _audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_walidata_adds_an_item_for_an_opd_of_the_region(region: Any, users: Any) -> None:
    item = daftar.create_item(users["walidata"], region["dinkes"], year=2026, title="  Jumlah   Puskesmas ",
                              frequency="tahunan", release_date=RELEASE, standard_ref="tenaga_kesehatan",
                              is_priority=True, notes="Disepakati Forum Satu Data")
    db.session.commit()
    assert item.title == "Jumlah Puskesmas"
    assert item.walidata == region["kominfo"]  # the region's walidata organisation, found from the OPD
    assert item.standard_ref == "tenaga_kesehatan@1"  # a bare name pins the newest version
    assert item.is_priority and str(item.frequency) == "tahunan"
    row = _audit("daftar.create")[0]
    assert (row.actor_label, row.object_type, row.object_id) == ("user:walidata", "daftar_data_item", str(item.id))
    assert row.summary["organization"] == "dinkes-riau" and row.summary["release_date"] == "2026-03-31"


def test_admin_adds_items_anywhere(region: Any, users: Any) -> None:
    item = daftar.create_item(users["admin"], region["dumai_dinkes"], year=2026, title="Jumlah Posyandu",
                              frequency="bulanan", release_date=RELEASE)
    assert item.walidata is None  # Kota Dumai has no walidata organisation in these fixtures


@pytest.mark.parametrize("who", ["produsen", "ppid_pelaksana", "ppid_utama", "atasan_ppid", "anonymous"])
def test_only_walidata_and_admins_add_items(region: Any, users: Any, who: str) -> None:
    actor = AnonymousActor() if who == "anonymous" else users[who]
    with pytest.raises(Forbidden):
        daftar.create_item(actor, region["dinkes"], year=2026, title="Jumlah Puskesmas", frequency="tahunan",
                           release_date=RELEASE)
    assert db.session.scalars(select(DaftarDataItem)).all() == []


def test_walidata_of_one_region_cannot_plan_for_another(region: Any, users: Any) -> None:
    # The province's walidata is not over Kota Dumai here (Dumai has no parent in these fixtures).
    with pytest.raises(Forbidden):
        daftar.create_item(users["walidata"], region["dumai_dinkes"], year=2026, title="Jumlah Posyandu",
                           frequency="bulanan", release_date=RELEASE)
    assert region["dumai_dinkes"] not in daftar.manageable_organizations(users["walidata"])
    assert region["dinkes"] in daftar.manageable_organizations(users["walidata"])


def test_one_title_per_opd_and_year_whatever_the_case_and_spaces(region: Any, users: Any) -> None:
    make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    with pytest.raises(Conflict) as err:
        daftar.create_item(users["walidata"], region["dinkes"], year=2026, title="jumlah  PUSKESMAS",
                           frequency="tahunan", release_date=RELEASE)
    assert "sudah memuat" in err.value.message
    db.session.rollback()
    # Another year, or another OPD, is another item.
    daftar.create_item(users["walidata"], region["dinkes"], year=2027, title="Jumlah Puskesmas",
                       frequency="tahunan", release_date=date(2027, 3, 31))
    daftar.create_item(users["walidata"], region["kominfo"], year=2026, title="Jumlah Puskesmas",
                       frequency="tahunan", release_date=RELEASE)


def test_every_field_problem_is_named_at_once(region: Any, users: Any) -> None:
    with pytest.raises(Invalid) as err:
        daftar.create_item(users["walidata"], region["dinkes"], year=1999, title="  ", frequency="sekali",
                           release_date="31/03/2026", notes="x" * 2001)  # type: ignore[arg-type]
    assert set(err.value.details) == {"year", "title", "frequency", "release_date", "notes"}
    with pytest.raises(Invalid) as err:
        daftar.create_item(users["walidata"], region["dinkes"], year=2026, title="Jumlah", frequency="tahunan",
                           release_date=RELEASE, standard_ref="tidak_ada@9")
    assert "pustaka standar" in err.value.message and "standard_ref" in err.value.details


def test_walidata_edits_an_item_and_the_audit_says_what_changed(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    changed = daftar.update_item(users["walidata"], item, release_date=date(2026, 4, 30), title="Jumlah Puskesmas",
                                 is_priority=True)
    db.session.commit()
    assert sorted(changed) == ["is_priority", "release_date"]
    row = _audit("daftar.update")[0]
    assert row.summary["before"]["release_date"] == "2026-03-31"
    assert row.summary["after"]["release_date"] == "2026-04-30"
    assert daftar.update_item(users["walidata"], item, release_date=date(2026, 4, 30)) == []
    assert len(_audit("daftar.update")) == 1  # nothing changed, nothing audited
    with pytest.raises(Forbidden):
        daftar.update_item(users["produsen"], item, title="Lain")


def test_moving_an_item_to_another_opd(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    with pytest.raises(Forbidden):  # the walidata does not keep Dumai's list
        daftar.update_item(users["walidata"], item, organization=region["dumai_dinkes"])
    db.session.rollback()
    ds = new_dataset(region["dinkes"], "Puskesmas Riau")
    daftar.link_dataset(users["walidata"], item, ds.slug)
    with pytest.raises(Conflict):  # its dataset belongs to the old OPD
        daftar.update_item(users["walidata"], item, organization=region["kominfo"])
    db.session.rollback()
    daftar.unlink_dataset(users["walidata"], item)
    assert daftar.update_item(users["walidata"], item, organization=region["kominfo"]) == ["organization"]
    assert item.organization == region["kominfo"] and item.walidata == region["kominfo"]


def test_producer_links_their_opds_dataset_to_their_opds_item(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    ds = new_dataset(region["dinkes"], "Puskesmas Riau 2026")
    linked = daftar.link_dataset(users["produsen"], item, f"https://data.riau.go.id/dataset/{ds.slug}")
    db.session.commit()
    assert linked == ds and item.dataset == ds
    assert _audit("daftar.link")[0].summary == {"dataset": ds.slug, "before": None}
    daftar.unlink_dataset(users["produsen"], item)
    db.session.commit()
    assert item.dataset is None and _audit("daftar.unlink")[0].summary == {"dataset": ds.slug}


def test_the_dataset_must_belong_to_the_items_opd(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    theirs = new_dataset(region["kominfo"], "Menara Telekomunikasi")
    with pytest.raises(Invalid) as err:
        daftar.link_dataset(users["walidata"], item, theirs.slug)
    assert "bukan milik Dinas Kesehatan Provinsi Riau" in err.value.message
    with pytest.raises(Invalid):
        daftar.link_dataset(users["walidata"], item, "tidak-ada")
    assert item.dataset is None


def test_producers_of_other_opds_and_citizens_cannot_link(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    ds = new_dataset(region["dinkes"], "Puskesmas Riau 2026")
    for actor in (region["producer_dumai"], AnonymousActor(), users["ppid_pelaksana"]):
        with pytest.raises(Forbidden):
            daftar.link_dataset(actor, item, ds.slug)
        with pytest.raises(Forbidden):
            daftar.unlink_dataset(actor, item)
    assert item.dataset is None


def test_walidata_deletes_an_item_and_its_dataset_stays(region: Any, users: Any) -> None:
    item = make_item(region["dinkes"], "Jumlah Puskesmas", release=RELEASE)
    ds = new_dataset(region["dinkes"], "Puskesmas Riau 2026")
    daftar.link_dataset(SYSTEM, item, ds.slug)
    db.session.commit()
    with pytest.raises(Forbidden):
        daftar.delete_item(users["produsen"], item)
    db.session.rollback()
    item_id = item.id
    daftar.delete_item(users["walidata"], item)
    db.session.commit()
    assert db.session.get(DaftarDataItem, item_id) is None
    assert _audit("daftar.delete")[0].summary["dataset"] == ds.slug
    assert db.session.get(type(ds), ds.id) is not None


def test_region_walidata_is_found_above_the_opd(region: Any) -> None:
    kec = accounts.create_organization(SYSTEM, slug="kec-uji", name="Kecamatan Uji", kind="kecamatan",
                                       parent=region["dinkes"])
    assert daftar.region_walidata(kec) == region["kominfo"]
    assert daftar.region_walidata(region["kominfo"]) == region["kominfo"]
    assert daftar.region_walidata(region["other"]) is None


def test_listing_filters_by_year_opd_status_and_priority(region: Any) -> None:
    a = make_item(region["dinkes"], "A", release=date(2026, 2, 1), is_priority=True)
    b = make_item(region["dinkes"], "B", release=date(2026, 1, 15))
    c = make_item(region["kominfo"], "C", release=date(2026, 6, 1))
    make_item(region["dinkes"], "D", release=date(2027, 1, 1))
    today = date(2026, 1, 20)
    assert [r.item for r in daftar.list_items(year=2026, today=today)] == [b, a, c]  # by release date
    assert [r.item for r in daftar.list_items(year=2026, organization_ids=[region["dinkes"].id], today=today)] == [b, a]
    assert [r.item for r in daftar.list_items(year=2026, status=ItemStatus.LATE, today=today)] == [b]
    assert [r.item for r in daftar.list_items(year=2026, priority_only=True, today=today)] == [a]
    assert daftar.list_years() == [2027, 2026]
    counts = daftar.count_statuses(daftar.list_items(year=2026, today=today))
    assert (counts[ItemStatus.DUE], counts[ItemStatus.LATE]) == (2, 1)
    months = daftar.months(daftar.list_items(year=2026, today=today))
    assert [(m.isoformat(), [r.item.title for r in rows]) for m, rows in months] == [
        ("2026-01-01", ["B"]), ("2026-02-01", ["A"]), ("2026-06-01", ["C"])]
