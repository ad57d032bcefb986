"""``GET /api/v1/daftar-data`` against its own OpenAPI description: every field it sends is
documented (no undocumented property allowed), for items in every status."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator

from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.status import local_today
from tests.factories import SYSTEM
from tests.review.daftar.conftest import make_item, new_dataset


def _validator(document: dict[str, Any], ref: str) -> Draft202012Validator:
    components = copy.deepcopy(document["components"])
    for schema in components["schemas"].values():
        if "properties" in schema:
            schema["additionalProperties"] = False
    return Draft202012Validator({"$ref": ref, "components": components})


def test_planned_releases_match_the_document(scratch_client: Any, region: Any) -> None:
    year = local_today().year
    make_item(region["dinkes"], "Dijadwalkan", release=date(year, 12, 31), standard_ref="tenaga_kesehatan",
              is_priority=True)
    make_item(region["dinkes"], "Terlambat", release=date(year, 1, 2))
    submitted = make_item(region["dinkes"], "Diajukan", release=date(year, 12, 30))
    published = make_item(region["dinkes"], "Terbit", release=date(year, 12, 29))
    daftar.link_dataset(SYSTEM, submitted, new_dataset(region["dinkes"], "Nakes A", state="submitted").slug)
    daftar.link_dataset(SYSTEM, published, new_dataset(region["dinkes"], "Nakes B", state="published").slug)
    db.session.commit()

    document = scratch_client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/daftar-data"]["get"]
    assert operation["security"] == [] and {p["name"] for p in operation["parameters"]} == {
        "year", "organization", "status"}
    assert {"404", "422"} <= set(operation["responses"])
    resp = scratch_client.get(f"/api/v1/daftar-data?year={year}")
    assert sorted(d["status"] for d in resp.json["data"]) == ["due", "late", "published", "submitted"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    errors = sorted(_validator(document, ref).iter_errors(resp.json), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    bad = scratch_client.get("/api/v1/daftar-data?status=hilang")
    assert bad.status_code == 422 and "status" in bad.json["error"]["details"]
