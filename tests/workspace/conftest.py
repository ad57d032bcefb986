"""Workspace fixtures: the accounts users (produsen at Dinkes, walidata for the province), a
topic and a licence, and a signed-in client per role."""

from __future__ import annotations

import re
from typing import Any

import pytest

from satudata.extensions import db
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.factories import make_licence, make_topic

COMPLETE = {
    "title": "Jumlah Tenaga Kesehatan menurut Puskesmas",
    "description": "Jumlah tenaga kesehatan di setiap puskesmas.",
    "topics": ["kesehatan"],
    "tags": "nakes, puskesmas",
    "satuan": "orang",
    "year": "2025",
    "frequency": "tahunan",
    "presentation_level": "kecamatan",
    "kode_wilayah": "14.07",
    "data_source": "Profil Kesehatan",
    "collection_method": "administrasi",
    "data_kind": "statistik_sektoral",
    "data_status": "tetap",
    "access_class": "publik",
    "licence_id": "cc-by-4.0",
    "contact_name": "Seksi Data",
    "contact_email": "data@dinkes.riau.go.id",
}


@pytest.fixture()
def vocab(app: Any) -> None:
    make_topic("kesehatan", "Kesehatan")
    make_licence()
    db.session.commit()


def csrf_of(client: Any, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: Any, username: str) -> None:
    token = csrf_of(client, "/masuk")
    resp = client.post("/masuk", data={"login": username, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


@pytest.fixture()
def produsen(scratch_client: Any, users: Any, vocab: Any) -> Any:  # noqa: F811
    sign_in(scratch_client, "produsen")
    return scratch_client
