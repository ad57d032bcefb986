"""Producers act only for their own OPD; walidata only for their region; admins everywhere."""

import pytest

from satudata.accounts import services as accounts
from satudata.accounts.models import OrganizationKind
from satudata.authz import AnonymousActor, Permission, can
from satudata.extensions import db
from tests.factories import SYSTEM, make_dataset


@pytest.fixture()
def region(app):
    prov = accounts.create_organization(SYSTEM, slug="pemprov-riau", name="Pemprov Riau", kind=OrganizationKind.PROVINSI)
    rohil = accounts.create_organization(SYSTEM, slug="pemkab-rohil", name="Pemkab Rohil",
                                         kind=OrganizationKind.KABUPATEN, parent=prov)
    dumai = accounts.create_organization(SYSTEM, slug="pemkot-dumai", name="Pemkot Dumai", kind=OrganizationKind.KOTA)
    dinkes_rohil = accounts.create_organization(SYSTEM, slug="dinkes-rohil", name="Dinkes Rohil",
                                                kind=OrganizationKind.OPD, parent=rohil)
    dinkes_dumai = accounts.create_organization(SYSTEM, slug="dinkes-dumai", name="Dinkes Dumai",
                                                kind=OrganizationKind.OPD, parent=dumai)
    mk = lambda name, role, org: accounts.create_user(  # noqa: E731
        SYSTEM, username=name, email=f"{name}@x.go.id", full_name=name, password="kata-sandi-uji-1", roles=[(role, org)])
    people = {
        "produsen_rohil": mk("p.rohil", "produsen", dinkes_rohil),
        "walidata_rohil": mk("w.rohil", "walidata", rohil),
        "walidata_prov": mk("w.prov", "walidata", prov),
        "walidata_dumai": mk("w.dumai", "walidata", dumai),
        "ppid": mk("ppid", "ppid_pelaksana", dinkes_rohil),
        "admin": mk("admin", "admin", prov),
    }
    db.session.commit()
    ds_rohil = make_dataset(dinkes_rohil, publish=False)
    ds_dumai = make_dataset(dinkes_dumai, publish=False)
    return people, dinkes_rohil, dinkes_dumai, ds_rohil, ds_dumai


def test_producer_only_for_own_opd(region):
    people, dinkes_rohil, dinkes_dumai, ds_rohil, ds_dumai = region
    p = people["produsen_rohil"]
    assert can(p, Permission.CATALOG_DATASET_CREATE, dinkes_rohil)
    assert not can(p, Permission.CATALOG_DATASET_CREATE, dinkes_dumai)
    assert can(p, Permission.CATALOG_DATASET_EDIT, ds_rohil)
    assert not can(p, Permission.CATALOG_DATASET_EDIT, ds_dumai)
    assert not can(p, Permission.REVIEW_DATASET_PUBLISH, ds_rohil)  # producers never publish


def test_walidata_only_for_own_region(region):
    people, _, _, ds_rohil, ds_dumai = region
    assert can(people["walidata_rohil"], Permission.REVIEW_DATASET_PUBLISH, ds_rohil)
    assert not can(people["walidata_rohil"], Permission.REVIEW_DATASET_PUBLISH, ds_dumai)
    assert can(people["walidata_prov"], Permission.REVIEW_DATASET_PUBLISH, ds_rohil)  # the province is above
    assert not can(people["walidata_prov"], Permission.REVIEW_DATASET_PUBLISH, ds_dumai)  # Dumai is not under it here
    assert can(people["walidata_dumai"], Permission.REVIEW_DATASET_PUBLISH, ds_dumai)
    assert not can(people["walidata_rohil"], Permission.CATALOG_DATASET_EDIT, ds_rohil)  # walidata review, not edit


def test_walidata_of_the_custodian_a_dataset_names(region):
    """A dataset from outside the region that names the region's walidata organisation as its
    custodian is the region walidata's to review (their queue shows it)."""
    people, dinkes_rohil, _, _, _ = region
    bps = accounts.create_organization(SYSTEM, slug="bps", name="BPS", kind=OrganizationKind.OPD)
    ds = make_dataset(bps, publish=False, walidata=dinkes_rohil.parent)
    assert can(people["walidata_rohil"], Permission.REVIEW_DATASET_PUBLISH, ds)
    assert can(people["walidata_rohil"], Permission.CATALOG_DATASET_READ, ds)
    assert not can(people["walidata_dumai"], Permission.REVIEW_DATASET_PUBLISH, ds)
    assert not can(people["walidata_dumai"], Permission.CATALOG_DATASET_READ, ds)


def test_others_and_anonymous(region):
    people, dinkes_rohil, _, ds_rohil, ds_dumai = region
    for who in (people["ppid"], AnonymousActor()):
        for perm, obj in ((Permission.CATALOG_DATASET_CREATE, dinkes_rohil), (Permission.CATALOG_DATASET_EDIT, ds_rohil),
                          (Permission.REVIEW_DATASET_PUBLISH, ds_rohil)):
            assert not can(who, perm, obj)
    assert not can(AnonymousActor(), Permission.CATALOG_DATASET_READ, ds_rohil)  # a draft
    assert can(people["produsen_rohil"], Permission.CATALOG_DATASET_READ, ds_rohil)
    for perm, obj in ((Permission.CATALOG_DATASET_EDIT, ds_dumai), (Permission.REVIEW_DATASET_PUBLISH, ds_dumai)):
        assert can(people["admin"], perm, obj)
