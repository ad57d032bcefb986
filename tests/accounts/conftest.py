"""Accounts fixtures: one user per role in a small OPD tree, and bearer tokens for them."""

from __future__ import annotations

from typing import Any

import pytest

from satudata.accounts import services
from satudata.accounts.models import OrganizationKind
from satudata.authz import Role
from satudata.extensions import db
from tests.factories import SYSTEM

PASSWORD = "kata-sandi-uji-123"
ROLES = [r.value for r in Role]


@pytest.fixture()
def orgs(app: Any) -> dict[str, Any]:
    prov = services.create_organization(SYSTEM, slug="pemprov-riau", name="Pemerintah Provinsi Riau",
                                        kind=OrganizationKind.PROVINSI, kode_wilayah="14")
    kominfo = services.create_organization(SYSTEM, slug="diskominfotik-riau", name="Diskominfotik Provinsi Riau",
                                           kind=OrganizationKind.OPD, parent=prov, is_walidata=True)
    dinkes = services.create_organization(SYSTEM, slug="dinkes-riau", name="Dinas Kesehatan Provinsi Riau",
                                          kind=OrganizationKind.OPD, parent=prov)
    other = services.create_organization(SYSTEM, slug="pemkot-dumai", name="Pemerintah Kota Dumai",
                                         kind=OrganizationKind.KOTA, kode_wilayah="14.72")
    db.session.commit()
    return {"prov": prov, "kominfo": kominfo, "dinkes": dinkes, "other": other}


@pytest.fixture()
def users(orgs: dict[str, Any]) -> dict[str, Any]:
    """One user per role: produsen in Dinkes, walidata in the province, the rest at Kominfo."""
    where = {"produsen": orgs["dinkes"], "walidata": orgs["prov"], "ppid_pelaksana": orgs["dinkes"]}
    made = {}
    for role in ROLES:
        made[role] = services.create_user(SYSTEM, username=role.replace("_", "."), email=f"{role}@riau.go.id",
                                          full_name=f"Pengguna {role}", password=PASSWORD,
                                          roles=[(role, where.get(role, orgs["kominfo"]))])
    db.session.commit()
    return made


@pytest.fixture()
def tokens(users: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{role: {"read": secret, "write": secret}}"""
    out: dict[str, dict[str, str]] = {}
    for role, user in users.items():
        out[role] = {}
        for scope in ("read", "write"):
            _, secret = services.create_api_token(user, user, f"{role}-{scope}", scope)
            out[role][scope] = secret
    db.session.commit()
    return out


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
