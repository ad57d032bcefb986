"""Usulan fixtures: the accounts' small tree (Provinsi Riau with its walidata Diskominfotik and
Dinas Kesehatan; Kota Dumai, another region, with an OPD and a walidata of its own), one user
per role, and suggestions filed through the services."""

from __future__ import annotations

from typing import Any

import pytest

from satudata.accounts import services as accounts
from satudata.accounts.models import OrganizationKind
from satudata.authz import AnonymousActor
from satudata.extensions import db
from satudata.usulan import services as usulan
from satudata.usulan.models import Suggestion
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.factories import SYSTEM

__all__ = ["NAME", "EMAIL", "PASSWORD", "file"]

NAME = "Rahmat Hidayatullah Pengusul"
EMAIL = "rahmat.pengusul@contoh.id"


@pytest.fixture()
def region(orgs: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """The accounts fixtures plus Dinas Kesehatan Kota Dumai and the walidata of Kota Dumai."""
    dumai_dinkes = accounts.create_organization(SYSTEM, slug="dinkes-dumai", name="Dinas Kesehatan Kota Dumai",
                                                kind=OrganizationKind.OPD, parent=orgs["other"])
    walidata_dumai = accounts.create_user(SYSTEM, username="walidata.dumai", email="walidata@dumai.go.id",
                                          full_name="Walidata Dumai", password=PASSWORD,
                                          roles=[("walidata", orgs["other"])])
    db.session.commit()
    return {**orgs, "dumai_dinkes": dumai_dinkes, "walidata_dumai": walidata_dumai, **users}


def file(region: Any, title: str = "Jumlah nelayan dan kapal menurut kecamatan", *, supporter: str | None = "s1",
         **form: Any) -> Suggestion:
    """A suggestion for Provinsi Riau (unless ``form`` says otherwise), filed by a citizen."""
    values = {"title": title, "description": "Untuk penelitian ekonomi pesisir: jumlah nelayan, kapal dan alat "
                                             "tangkap per kecamatan, lima tahun terakhir.",
              "region": region.slug if hasattr(region, "slug") else region, "name": NAME, "email": EMAIL, **form}
    made = usulan.file_suggestion(AnonymousActor(), values, supporter=supporter)
    db.session.commit()
    return made
