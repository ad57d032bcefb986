"""Daftar Data fixtures: the accounts' small OPD tree (Provinsi Riau with its walidata
Diskominfotik and Dinas Kesehatan; Kota Dumai, another region, with an OPD of its own), one user
per role, and datasets of Dinas Kesehatan in each state, made through the services."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest

from satudata.accounts import services as accounts
from satudata.accounts.models import OrganizationKind
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, ValidationStatus
from satudata.catalog.serializers import DatasetFormSchema
from satudata.extensions import db
from satudata.review import services as review
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.factories import SYSTEM
from tests.workspace.conftest import COMPLETE, vocab  # noqa: F401  (fixtures)

__all__ = ["PASSWORD", "make_item", "new_dataset", "request_changes"]


@pytest.fixture()
def region(orgs: dict[str, Any], users: dict[str, Any], vocab: Any) -> dict[str, Any]:  # noqa: F811
    """The accounts fixtures (and the topic and licence datasets need) plus an OPD of Kota Dumai
    and a producer there."""
    dumai_dinkes = accounts.create_organization(SYSTEM, slug="dinkes-dumai", name="Dinas Kesehatan Kota Dumai",
                                                kind=OrganizationKind.OPD, parent=orgs["other"])
    producer_dumai = accounts.create_user(SYSTEM, username="produsen.dumai", email="produsen@dumai.go.id",
                                          full_name="Produsen Dumai", password=PASSWORD,
                                          roles=[("produsen", dumai_dinkes)])
    db.session.commit()
    return {**orgs, "dumai_dinkes": dumai_dinkes, "producer_dumai": producer_dumai}


def new_dataset(org: Any, title: str, *, state: str = "draft", producer: Any = None) -> Dataset:
    """A dataset of ``org`` in ``state`` (draft, submitted, published), through the services."""
    data = DatasetFormSchema().load({**COMPLETE, "title": title})
    ds = catalog.create_workspace_dataset(producer or SYSTEM, org, data)
    res = catalog.add_resource_file(SYSTEM, ds, io.BytesIO(b"a\n1\n"), filename="t.csv")
    res.table_schema = {"fields": [{"name": "a", "type": "integer"}]}
    res.validation_status = ValidationStatus.VALID
    if state in ("submitted", "published"):
        review.submit_dataset(SYSTEM, ds)
    if state == "published":
        # The walidata's publish move (review.services; catalog.services before the lifecycle
        # moved into the transition table).
        publish = getattr(review, "publish_dataset", None) or catalog.publish_dataset
        publish(SYSTEM, ds)
    db.session.commit()
    return ds


def request_changes(ds: Dataset, text: str) -> None:
    """The walidata returns ``ds`` with a note (the keyword is ``message`` in the rewritten
    lifecycle, ``note`` before it)."""
    import inspect

    key = "message" if "message" in inspect.signature(review.request_changes).parameters else "note"
    review.request_changes(SYSTEM, ds, **{key: text})
    db.session.commit()


def make_item(org: Any, title: str = "Jumlah Tenaga Kesehatan menurut Puskesmas", *, release: date,
              year: int | None = None, **fields: Any) -> DaftarDataItem:
    item = daftar.create_item(SYSTEM, org, year=year or release.year, title=title,
                              frequency=fields.pop("frequency", "tahunan"), release_date=release, **fields)
    db.session.commit()
    return item
