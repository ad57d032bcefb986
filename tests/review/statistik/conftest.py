"""Statistical metadata fixtures: the Daftar Data region (Provinsi Riau with Dinas Kesehatan, its
walidata; Kota Dumai with an OPD and a producer of its own) and statistical datasets of Dinas
Kesehatan with two tables each, made through the services."""

from __future__ import annotations

import io
from typing import Any

import pytest

from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, ValidationStatus
from satudata.catalog.serializers import DatasetFormSchema
from satudata.extensions import db
from satudata.review import services as review
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.factories import SYSTEM
from tests.review.daftar.conftest import PASSWORD, region  # noqa: F401  (fixtures)
from tests.workspace.conftest import (
    COMPLETE,
    vocab,  # noqa: F401  (fixtures)
)

__all__ = ["PASSWORD", "PUSKESMAS", "TENAGA", "statistical_dataset"]

# Two Table Schemas as a standard would write them: titles, descriptions, units, constraints.
TENAGA = {"fields": [
    {"name": "kode_wilayah", "type": "string", "title": "Kode wilayah (Kemendagri)",
     "description": "Kode kecamatan menurut Kemendagri.", "constraints": {"required": True},
     "x-kode-wilayah": {"daftar": "kemendagri_2025"}},
    {"name": "jenis_tenaga", "type": "string", "title": "Jenis tenaga kesehatan",
     "constraints": {"required": True, "enum": ["dokter", "perawat", "bidan"]}},
    {"name": "jumlah", "type": "integer", "title": "Jumlah tenaga kesehatan", "satuan": "orang",
     "description": "Banyaknya tenaga kesehatan yang bertugas.", "constraints": {"required": True, "minimum": 0}},
]}
PUSKESMAS = {"fields": [
    {"name": "nama_puskesmas", "type": "string", "title": "Nama puskesmas", "description": "Nama resmi puskesmas.",
     "constraints": {"maxLength": 100}},
    {"name": "rasio", "type": "number", "title": "Rasio nakes per puskesmas", "description": "Tenaga per puskesmas.",
     "constraints": {"minimum": 0, "maximum": 100}},
]}


def statistical_dataset(org: Any, title: str, *, state: str = "draft", kind: str = "statistik_sektoral",
                        tables: tuple[tuple[str, dict[str, Any]], ...] = (("Tenaga kesehatan", TENAGA),
                                                                           ("Puskesmas", PUSKESMAS))) -> Dataset:
    """A dataset of ``org`` with the Standar Data filled in and a table per ``tables`` (valid,
    with its Table Schema), in ``state`` (draft, submitted, published)."""
    data = DatasetFormSchema().load({**COMPLETE, "title": title, "data_kind": kind, "konsep": "Tenaga kesehatan",
                                     "definisi": "Setiap orang yang mengabdikan diri dalam bidang kesehatan.",
                                     "klasifikasi": "menurut kecamatan dan jenis tenaga", "ukuran": "jumlah",
                                     "period": "2025"})
    ds = catalog.create_workspace_dataset(SYSTEM, org, data)
    for name, schema in tables:
        res = catalog.add_resource_file(SYSTEM, ds, io.BytesIO(b"a\n1\n"), filename=f"{name}.csv", name=name)
        res.table_schema = schema
        res.validation_status = ValidationStatus.VALID
    db.session.flush()
    if state in ("submitted", "published"):
        review.submit_dataset(SYSTEM, ds)
    if state == "published":
        review.publish_dataset(SYSTEM, ds)
    db.session.commit()
    return ds


@pytest.fixture()
def stat(region: Any, users: Any) -> dict[str, Any]:  # noqa: F811
    """A draft and a published statistical dataset of Dinas Kesehatan, a geospatial one."""
    return {"draft": statistical_dataset(region["dinkes"], "Tenaga Kesehatan menurut Kecamatan"),
            "published": statistical_dataset(region["dinkes"], "Tenaga Kesehatan 2025", state="published"),
            "geo": statistical_dataset(region["dinkes"], "Peta Puskesmas", kind="geospasial"),
            **region, **{f"user_{k}": v for k, v in users.items()}}
