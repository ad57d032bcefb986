"""The CKAN-compatible Action API on a small catalogue built with the factories: envelope,
dataset dicts, every action, and bad input (each action's errors are CKAN-shaped, never 500)."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from satudata.accounts.models import Organization
from satudata.api.ckan import ACTIONS
from satudata.api.ckan_dicts import SATU_DATA_FIELDS
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    DataKind,
    Dataset,
    DataStatus,
    Frequency,
    PresentationLevel,
    Topic,
)
from tests.conftest import shared_data
from tests.factories import SYSTEM, make_dataset, make_licence, make_org, make_topic, publish_dataset

CKAN_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$")  # CKAN always writes %f
REFERENCE = Path(__file__).resolve().parents[1] / "data" / "ckan"


@dataclass
class Catalogue:
    walidata: Organization
    dukcapil: Organization
    dinkes: Organization
    kependudukan: Topic
    kesehatan: Topic
    penduduk: Dataset
    faskes: Dataset
    air: Dataset
    draft: Dataset
    terbatas: Dataset


def build_catalogue() -> Catalogue:
    """A small catalogue made through the services (inside an app context)."""
    from satudata.extensions import db
    walidata = make_org(slug="diskominfotik-riau", name="Diskominfotik Provinsi Riau", is_walidata=True)
    dukcapil = make_org(slug="disdukcapil-rohil", name="Disdukcapil Kabupaten Rokan Hilir",
                        kode_wilayah="14.07", email="dukcapil@rokanhilirkab.go.id")
    dinkes = make_org(slug="dinkes-dumai", name="Dinas Kesehatan Kota Dumai")
    kependudukan = make_topic("kependudukan", "Kependudukan")
    kesehatan = make_topic("kesehatan", "Kesehatan")
    make_licence()
    make_licence("odc-odbl", "Open Data Commons Open Database License")
    penduduk = make_dataset(
        dukcapil, title="Jumlah Penduduk menurut Kecamatan", slug="jumlah-penduduk-rohil",
        description="Jumlah penduduk per kecamatan di Rokan Hilir.", topics=[kependudukan],
        tags=["penduduk", "air bersih"], licence_id="cc-by-4.0", walidata=walidata,
        urusan="Administrasi Kependudukan", konsep="Penduduk", definisi="Orang yang berdomisili",
        klasifikasi="Jenis kelamin", ukuran="Jumlah", satuan="jiwa", year=2024, period="2024",
        frequency=Frequency.TAHUNAN, release_date=date(2025, 3, 31),
        presentation_level=PresentationLevel.KECAMATAN, kode_wilayah="14.07",
        coverage="Kabupaten Rokan Hilir", data_source="Data administrasi kependudukan",
        collection_method=CollectionMethod.ADMINISTRASI, data_kind=DataKind.STATISTIK_SEKTORAL,
        is_priority=True, data_status=DataStatus.TETAP, contact_name="Bidang Dafduk",
        contact_email="dafduk@rokanhilirkab.go.id",
    )
    faskes = make_dataset(dinkes, title="Fasilitas Kesehatan Kota Dumai", slug="fasilitas-kesehatan-dumai",
                          topics=[kesehatan], tags=["kesehatan", "puskesmas"], licence_id="odc-odbl", year=2023,
                          kode_wilayah="14.72", frequency=Frequency.TAHUNAN)
    air = make_dataset(dinkes, title="Akses Air Bersih Rumah Tangga", slug="akses-air-bersih", csv=None,
                       publish=False, topics=[kesehatan, kependudukan], tags=["air bersih"], year=2024)
    catalog.add_resource_link(SYSTEM, air, url="https://example.go.id/laporan.pdf", name="Laporan", format="PDF")
    publish_dataset(air, index=False)
    draft = make_dataset(dinkes, title="Penduduk Draf Rahasia", slug="penduduk-draf", publish=False, tags=["penduduk"],
                         topics=[kependudukan])
    terbatas = make_dataset(dinkes, title="Penduduk Terbatas", slug="penduduk-terbatas",
                            access_class=AccessClass.TERBATAS, tags=["penduduk"], topics=[kependudukan])
    # Distinct, known modification times for sorting and metadata_modified ranges.
    for ds, year in ((penduduk, 2024), (faskes, 2022), (air, 2023)):
        ds.updated_at = datetime(year, 6, 1, 8, 30, tzinfo=UTC)
    db.session.commit()
    from satudata.search import services as search

    search.reindex_all()  # what the search worker does after those commits
    return Catalogue(walidata, dukcapil, dinkes, kependudukan, kesehatan, penduduk, faskes, air, draft, terbatas)


# Built once for the module; a test that changes rows is marked ``writes`` (tests/conftest.py).
app, cat, _shared = shared_data("ckan", build_catalogue)


def call(client: FlaskClient, action: str, /, *, status: int = 200, **params: Any) -> Any:
    """GET an action; assert the status and CKAN's envelope; return the body."""
    resp = client.get(f"/api/3/action/{action}", query_string=params)
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["help"] == f"http://localhost/api/3/action/help_show?name={action}"
    assert body["success"] is (status == 200)
    return body


def result(client: FlaskClient, action: str, /, **params: Any) -> Any:
    return call(client, action, **params)["result"]


def error(client: FlaskClient, action: str, status: int, err_type: str, /, **params: Any) -> dict[str, Any]:
    body = call(client, action, status=status, **params)
    assert "result" not in body
    assert body["error"]["__type"] == err_type
    assert body["error"]["message"]
    return body["error"]


def names(datasets: list[dict[str, Any]]) -> list[str]:
    return [d["name"] for d in datasets]


# --------------------------------------------------------------------------- envelope and transport


def test_envelope_on_both_paths_and_methods(cat: Catalogue, scratch_client: FlaskClient) -> None:
    slug = cat.penduduk.slug
    for path in ("/api/3/action/package_show", "/api/action/package_show"):
        got = scratch_client.get(path, query_string={"id": slug}).get_json()
        assert got["success"] is True and got["result"]["name"] == slug
        assert got["help"] == "http://localhost/api/3/action/help_show?name=package_show"
        assert scratch_client.post(path, json={"id": slug}).get_json()["result"]["name"] == slug
        assert scratch_client.post(path, data={"id": slug}).get_json()["result"]["name"] == slug
    # curl -d '{"id": ...}' sends JSON as a form body; CKAN reads it as JSON.
    resp = scratch_client.post("/api/3/action/package_show", data=json.dumps({"id": slug}),
                               content_type="application/x-www-form-urlencoded")
    assert resp.get_json()["result"]["name"] == slug
    # A POST without a body takes the query string.
    assert scratch_client.post(f"/api/3/action/package_show?id={slug}").get_json()["result"]["name"] == slug
    assert scratch_client.get("/api/3").get_json() == {"version": 3}


def test_unknown_action_is_a_400_like_ckan(scratch_client: FlaskClient) -> None:
    err = error(scratch_client, "package_frobnicate", 400, "Bad Request")
    assert err["message"] == "Bad request - Action name not known: package_frobnicate"
    resp = scratch_client.post("/api/action/no_such_thing", json={})
    assert resp.status_code == 400 and resp.get_json()["success"] is False


@pytest.mark.writes
def test_write_actions_are_refused_with_authorization_error(scratch_client: FlaskClient) -> None:
    for name in ("package_create", "package_update", "package_patch", "resource_delete", "dataset_purge"):
        resp = scratch_client.post(f"/api/3/action/{name}", json={"name": "x"})
        assert resp.status_code == 403
        assert resp.get_json()["error"]["__type"] == "Authorization Error"


@pytest.mark.parametrize("body, content_type, fragment", [
    ("{not json", "application/json", "JSON Error"),
    ('{"id": ', "text/plain", "JSON Error"),
    ("[1, 2]", "application/json", "needs to be a dictionary"),
    ('"just a string"', "application/json", "JSON Error"),
    ("\xff\xfe", "application/json", "JSON Error"),
    ("[" * 100_000, "application/json", "JSON Error"),
])
def test_malformed_body_is_a_clear_400(scratch_client: FlaskClient, body: str, content_type: str, fragment: str) -> None:
    resp = scratch_client.post("/api/3/action/package_search", data=body.encode("latin-1"), content_type=content_type)
    assert resp.status_code == 400
    got = resp.get_json()
    assert got["success"] is False and got["error"]["__type"] == "Bad Request"
    assert fragment in got["error"]["message"] or "Bad request data" in got["error"]["message"]


def test_oversized_body_is_413(scratch_client: FlaskClient) -> None:
    big = json.dumps({"q": "x" * (2 * 1024 * 1024)})
    resp = scratch_client.post("/api/3/action/package_search", data=big, content_type="application/json")
    assert resp.status_code == 413
    assert resp.get_json()["success"] is False


def test_other_methods_get_a_ckan_error(scratch_client: FlaskClient) -> None:
    resp = scratch_client.put("/api/3/action/package_show", json={"id": "x"})
    assert resp.status_code == 405
    assert resp.get_json()["success"] is False


# --------------------------------------------------------------------------- package_show and the dataset dict


def test_package_show_by_name_and_id(cat: Catalogue, scratch_client: FlaskClient) -> None:
    by_name = result(scratch_client, "package_show", id=cat.penduduk.slug)
    by_id = result(scratch_client, "package_show", id=cat.penduduk.id)
    assert by_name == by_id
    assert result(scratch_client, "package_show", name_or_id=cat.penduduk.slug)["id"] == cat.penduduk.id


def test_dataset_dict_has_ckan_fields(cat: Catalogue, scratch_client: FlaskClient) -> None:
    pkg = result(scratch_client, "package_show", id=cat.penduduk.slug)
    assert pkg["id"] == cat.penduduk.id and pkg["name"] == "jumlah-penduduk-rohil"
    assert pkg["title"] == "Jumlah Penduduk menurut Kecamatan"
    assert pkg["notes"] == "Jumlah penduduk per kecamatan di Rokan Hilir."
    assert pkg["state"] == "active" and pkg["private"] is False and pkg["type"] == "dataset"
    assert pkg["license_id"] == "cc-by-4.0" and pkg["isopen"] is True
    assert pkg["license_title"].startswith("Creative Commons") and pkg["license_url"].startswith("https://")
    assert pkg["maintainer"] == "Bidang Dafduk" and pkg["maintainer_email"] == "dafduk@rokanhilirkab.go.id"
    assert pkg["author"] == "Disdukcapil Kabupaten Rokan Hilir"
    assert pkg["author_email"] == "dukcapil@rokanhilirkab.go.id"
    assert pkg["url"] == "http://localhost/dataset/jumlah-penduduk-rohil"
    assert CKAN_TIME.match(pkg["metadata_created"]) and CKAN_TIME.match(pkg["metadata_modified"])
    assert pkg["metadata_modified"] == "2024-06-01T08:30:00.000000"  # CKAN always writes the microseconds
    assert pkg["num_tags"] == 2 and pkg["num_resources"] == 1

    org = pkg["organization"]
    assert pkg["owner_org"] == org["id"] == cat.dukcapil.uuid  # a UUID: unique across harvested portals
    assert uuid.UUID(org["id"]) and uuid.UUID(pkg["groups"][0]["id"])
    assert org["name"] == "disdukcapil-rohil" and org["title"] == "Disdukcapil Kabupaten Rokan Hilir"
    assert org["is_organization"] is True and org["type"] == "organization" and org["state"] == "active"
    assert {"id", "name", "title", "description", "image_url", "created", "is_organization", "state",
            "type", "approval_status"} <= set(org)

    assert pkg["groups"] == [{"id": cat.kependudukan.uuid, "name": "kependudukan", "title": "Kependudukan",
                              "display_name": "Kependudukan", "description": "", "image_display_url": ""}]
    assert [t["name"] for t in pkg["tags"]] == ["air bersih", "penduduk"]
    assert all(set(t) == {"id", "name", "display_name", "state", "vocabulary_id"} for t in pkg["tags"])

    (res,) = pkg["resources"]
    stored = cat.penduduk.resources[0]
    assert res["id"] == stored.id and res["package_id"] == cat.penduduk.id
    assert res["url"] == f"http://localhost/dataset/jumlah-penduduk-rohil/resource/{stored.id}/download"
    assert res["url_type"] == "upload" and res["format"] == "CSV" and res["mimetype"] == "text/csv"
    assert res["hash"] == f"sha256:{stored.sha256}" and res["size"] == stored.size
    assert res["position"] == 0 and res["datastore_active"] is True and res["state"] == "active"  # a valid table
    assert CKAN_TIME.match(res["created"]) and CKAN_TIME.match(res["last_modified"])


def test_satu_data_fields_as_extras_and_top_level(cat: Catalogue, scratch_client: FlaskClient) -> None:
    pkg = result(scratch_client, "package_show", id=cat.penduduk.slug)
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert all(set(e) == {"key", "value"} and isinstance(e["value"], str) for e in pkg["extras"])
    assert list(extras) == list(SATU_DATA_FIELDS)
    expected = {
        "urusan": "Administrasi Kependudukan", "konsep": "Penduduk", "definisi": "Orang yang berdomisili",
        "klasifikasi": "Jenis kelamin", "ukuran": "Jumlah", "satuan": "jiwa", "tahun": 2024, "periode": "2024",
        "frekuensi": "tahunan", "jadwal_rilis": "2025-03-31", "tingkat_penyajian": "kecamatan",
        "kode_wilayah": "14.07", "cakupan_wilayah": "Kabupaten Rokan Hilir",
        "sumber_data": "Data administrasi kependudukan", "cara_pengumpulan": "administrasi",
        "jenis_data": "statistik_sektoral", "data_prioritas": True, "status_data": "tetap",
        "klasifikasi_akses": "publik", "produsen_data": "Disdukcapil Kabupaten Rokan Hilir",
        "walidata": "Diskominfotik Provinsi Riau",
    }
    for key, value in expected.items():
        assert pkg[key] == value, key
        assert extras[key] == ("true" if value is True else str(value)), key


def test_external_link_resource(cat: Catalogue, scratch_client: FlaskClient) -> None:
    pkg = result(scratch_client, "package_show", id="akses-air-bersih")
    (res,) = pkg["resources"]
    assert res["url"] == "https://example.go.id/laporan.pdf"
    assert res["url_type"] is None and res["hash"] == "" and res["format"] == "PDF"
    assert pkg["license_id"] == "cc-by-4.0" and pkg["isopen"] is True  # a licence is required to publish
    assert [g["name"] for g in pkg["groups"]] == ["kependudukan", "kesehatan"]


# Keys CKAN 2.10's package_show returns (core schema).
CKAN_PACKAGE_KEYS = {
    "author", "author_email", "creator_user_id", "extras", "groups", "id", "isopen", "license_id",
    "license_title", "license_url", "maintainer", "maintainer_email", "metadata_created",
    "metadata_modified", "name", "notes", "num_resources", "num_tags", "organization", "owner_org",
    "private", "relationships_as_object", "relationships_as_subject", "resources", "state", "tags",
    "title", "type", "url", "version",
}
CKAN_RESOURCE_KEYS = {
    "cache_last_updated", "cache_url", "created", "datastore_active", "description", "format", "hash",
    "id", "last_modified", "metadata_modified", "mimetype", "mimetype_inner", "name", "package_id",
    "position", "resource_type", "size", "state", "url", "url_type",
}
# Keys of the reference dicts that CKAN itself dropped (revisions went in 2.9, webstore and
# resource groups long before) or returns only with page-view tracking switched on.
CKAN_DROPPED = {"revision_id", "revision_timestamp", "tracking_summary", "resource_group_id",
                "webstore_url", "webstore_last_updated", "__extras"}


def test_keys_match_ckan(cat: Catalogue, scratch_client: FlaskClient) -> None:
    pkg = result(scratch_client, "package_show", id=cat.penduduk.slug)
    assert set(pkg) >= CKAN_PACKAGE_KEYS
    assert set(pkg["resources"][0]) >= CKAN_RESOURCE_KEYS


@pytest.mark.parametrize("reference", ["ckan_dataset.json", "full_ckan_dataset_legacy.json"])
def test_keys_match_real_ckan_package_dicts(cat: Catalogue, scratch_client: FlaskClient, reference: str) -> None:
    """The real package_show dicts of ckanext-dcat's examples: every key they carry (bar the
    ones CKAN dropped), we carry, at every level. (``dataset.json`` beside them is a DCAT/POD
    record, not a package dict.)"""
    ref = json.loads((REFERENCE / reference).read_text())
    ours = result(scratch_client, "package_show", id=cat.penduduk.slug)
    assert set(ref) - CKAN_DROPPED <= set(ours)
    assert set(ref["resources"][0]) - CKAN_DROPPED - {"resource_locator_function", "resource_locator_protocol"} \
        <= set(ours["resources"][0])
    assert set(ref["tags"][0]) - CKAN_DROPPED <= set(ours["tags"][0])
    assert set(ref["extras"][0]) - CKAN_DROPPED <= set(ours["extras"][0])
    for key in set(ref) & set(ours):
        if ref[key] is not None:
            assert type(ours[key]) is type(ref[key]) or ours[key] is None, key


@pytest.mark.parametrize("key", ["penduduk-draf", "penduduk-terbatas", "tidak-ada", "../../etc/passwd", "x" * 500])
def test_package_show_not_found(cat: Catalogue, scratch_client: FlaskClient, key: str) -> None:
    err = error(scratch_client, "package_show", 404, "Not Found Error", id=key)
    assert "tidak ditemukan" in err["message"]


def test_package_show_needs_an_id(cat: Catalogue, scratch_client: FlaskClient) -> None:
    assert "id" in error(scratch_client, "package_show", 409, "Validation Error")
    assert "id" in error(scratch_client, "package_show", 409, "Validation Error", id="  ")
    resp = scratch_client.post("/api/3/action/package_show", json={"id": ["a", "b"]})
    assert resp.status_code == 409 and resp.get_json()["error"]["id"]
    resp = scratch_client.post("/api/3/action/package_show", json={"id": {"x": 1}})
    assert resp.status_code == 409


# --------------------------------------------------------------------------- package_search


def test_package_search_defaults(cat: Catalogue, scratch_client: FlaskClient) -> None:
    got = result(scratch_client, "package_search")
    assert set(got) == {"count", "results", "facets", "search_facets", "sort"}
    assert got["count"] == 3
    assert got["sort"] == "score desc, metadata_modified desc"
    # score is not computed, so the order is by metadata_modified
    assert names(got["results"]) == ["jumlah-penduduk-rohil", "akses-air-bersih", "fasilitas-kesehatan-dumai"]
    assert got["facets"] == {} and got["search_facets"] == {}
    assert got["results"][0] == result(scratch_client, "package_show", id="jumlah-penduduk-rohil")


@pytest.mark.writes
def test_package_search_default_rows_is_ten(app: Any, scratch_client: FlaskClient) -> None:
    org = make_org()
    for i in range(12):
        make_dataset(org, title=f"Data Uji {i:02d}", csv=None, document="https://example.org/laporan.pdf")
    got = result(scratch_client, "package_search")
    assert got["count"] == 12 and len(got["results"]) == 10
    page2 = result(scratch_client, "package_search", start=10)
    assert len(page2["results"]) == 2
    assert not set(names(got["results"])) & set(names(page2["results"]))
    assert result(scratch_client, "package_search", rows=0)["results"] == []


def test_package_search_text(cat: Catalogue, scratch_client: FlaskClient) -> None:
    # The title match first; "Akses Air Bersih" follows through its topic Kependudukan (same stem).
    assert names(result(scratch_client, "package_search", q="penduduk")["results"]) == [
        "jumlah-penduduk-rohil", "akses-air-bersih"]
    # Both belong to Dinas Kesehatan Kota Dumai; the organisation's name is searched too.
    assert names(result(scratch_client, "package_search", q="KESEHATAN Dumai")["results"])[0] == \
        "fasilitas-kesehatan-dumai"
    assert result(scratch_client, "package_search", q="tidakadasamasekali")["count"] == 0
    assert result(scratch_client, "package_search", q="*:*")["count"] == 3
    # Solr-style clauses in q are filters.
    assert names(result(scratch_client, "package_search", q="tags:puskesmas")["results"]) == ["fasilitas-kesehatan-dumai"]
    assert result(scratch_client, "package_search", q="name:akses-air-bersih")["count"] == 1


@pytest.mark.parametrize("fq, expected", [
    ("organization:dinkes-dumai", {"fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("+organization:dinkes-dumai", {"fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("-organization:dinkes-dumai", {"jumlah-penduduk-rohil"}),
    ("NOT organization:dinkes-dumai", {"jumlah-penduduk-rohil"}),
    ('tags:"air bersih"', {"jumlah-penduduk-rohil", "akses-air-bersih"}),
    (r"tags:air\ bersih", {"jumlah-penduduk-rohil", "akses-air-bersih"}),
    ('tags:"air bersih" groups:kesehatan', {"akses-air-bersih"}),
    ('+tags:"air bersih" +res_format:CSV', {"jumlah-penduduk-rohil"}),
    ("res_format:csv", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai"}),
    ("res_format:PDF", {"akses-air-bersih"}),
    ("groups:kependudukan", {"jumlah-penduduk-rohil", "akses-air-bersih"}),
    ("license_id:odc-odbl", {"fasilitas-kesehatan-dumai"}),
    ("-license_id:odc-odbl", {"jumlah-penduduk-rohil", "akses-air-bersih"}),
    ("organization:disdukcapil-rohil OR organization:dinkes-dumai",
     {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("tags:(puskesmas OR penduduk)", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai"}),
    ("tags:puskesmas OR res_format:PDF", {"fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("organization:dinkes-dumai AND tags:puskesmas", {"fasilitas-kesehatan-dumai"}),
    ("tahun:2024", {"jumlah-penduduk-rohil", "akses-air-bersih"}),
    ("kode_wilayah:14", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai"}),
    ("kode_wilayah:14.72", {"fasilitas-kesehatan-dumai"}),
    ("frekuensi:tahunan", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai"}),
    ("name:akses-air-bersih", {"akses-air-bersih"}),
    ("+dataset_type:dataset +state:active +capacity:public",
     {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("state:draft", set()),
    ("capacity:private", set()),
    ("metadata_modified:[2023-01-01T00:00:00Z TO *]", {"jumlah-penduduk-rohil", "akses-air-bersih"}),
    ("metadata_modified:[2023-01-01T00:00:00.000000Z TO 2023-12-31T23:59:59Z]", {"akses-air-bersih"}),
    ("metadata_modified:[* TO 2022-12-31]", {"fasilitas-kesehatan-dumai"}),
    ("metadata_modified:[NOW-1DAY TO NOW]", set()),
    ("metadata_created:[NOW-1DAY TO *]", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("*:*", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    # Any field CKAN's index has: text fields match what they hold, word by word.
    ("title:penduduk", {"jumlah-penduduk-rohil"}),
    ('title:"air bersih"', {"akses-air-bersih"}),
    ("notes:pengujian", {"fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("text:puskesmas", {"fasilitas-kesehatan-dumai"}),
    ("res_name:laporan", {"akses-air-bersih"}),
    ("maintainer:dafduk", {"jumlah-penduduk-rohil"}),
    ("author:dumai", {"fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("num_resources:1", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("num_tags:[2 TO *]", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai"}),
    ("num_tags:[* TO 1]", {"akses-air-bersih"}),
    ("extras_satuan:jiwa", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("extras_urusan:kependudukan", {"jumlah-penduduk-rohil"}),
    ("extras_data_prioritas:true", {"jumlah-penduduk-rohil"}),
    ("-title:penduduk", {"fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    # A field no dataset has matches nothing, as in CKAN (not an error).
    ("foo:bar", set()),
    ("extras_tidak_ada:x", set()),
    ("-foo:bar", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    # Solr date math: years, months, weeks, rounding.
    ("metadata_modified:[NOW-100YEARS TO NOW+1YEAR]",
     {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"}),
    ("metadata_modified:[NOW/YEAR-5YEARS TO NOW/YEAR-3YEARS]", {"fasilitas-kesehatan-dumai"}),  # 2021-2023
    ("metadata_created:[NOW/DAY-1MONTH TO *]", {"jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai",
                                                "akses-air-bersih"}),
    ("metadata_modified:[NOW-2WEEKS TO *]", set()),
])
def test_package_search_fq(cat: Catalogue, scratch_client: FlaskClient, fq: str, expected: set[str]) -> None:
    got = result(scratch_client, "package_search", fq=fq, rows=100)
    assert set(names(got["results"])) == expected
    assert got["count"] == len(expected)


def test_package_search_fq_by_owner_org_id_and_fq_list(cat: Catalogue, scratch_client: FlaskClient) -> None:
    got = result(scratch_client, "package_search", fq=f"owner_org:{cat.dukcapil.uuid}")
    assert names(got["results"]) == ["jumlah-penduduk-rohil"]
    old_link = result(scratch_client, "package_search", fq=f"owner_org:{cat.dukcapil.id}")  # the number still works
    assert names(old_link["results"]) == ["jumlah-penduduk-rohil"]
    shown = result(scratch_client, "organization_show", id=cat.dukcapil.uuid)
    assert shown["name"] == cat.dukcapil.slug and shown["id"] == cat.dukcapil.uuid
    resp = scratch_client.post("/api/3/action/package_search",
                               json={"fq_list": ["organization:dinkes-dumai", "tags:puskesmas"]})
    assert names(resp.get_json()["result"]["results"]) == ["fasilitas-kesehatan-dumai"]


@pytest.mark.parametrize("fq", [
    "organization",                          # no value
    "organization:",                         # empty value
    "(organization:a OR tags:b)",            # grouping at top level
    "organization:a OR",                     # dangling operator
    "OR organization:a",
    "tags:*",                                # wildcards
    'tags:"unterminated',
    "tahun:[2020 TO 2024]",                  # range on a non-date field
    "metadata_modified:[kemarin TO *]",      # not a time
    "metadata_modified:[2020-01-01]",        # no TO
    "metadata_modified:[NOW-999999DAYS TO *]",                 # before year 1
    "metadata_modified:[0001-01-01T00:00:00+14:00 TO *]",
    "metadata_modified:2024-13-45",
    "tahun:dua-ribu",                        # not a year
    "frekuensi:kadang",                      # not a frequency
    "tags:(a AND b)",
    "num_tags:dua",                          # not a number
    "num_resources:[1 TO banyak]",
    "metadata_modified:[NOW-1FORTNIGHT TO *]",  # not a unit of Solr's date math
    "x" * 5000,                              # too long
])
def test_package_search_bad_fq(cat: Catalogue, scratch_client: FlaskClient, fq: str) -> None:
    err = error(scratch_client, "package_search", 409, "Validation Error", fq=fq)
    assert err["fq"] and isinstance(err["fq"], list)


def test_more_values_of_one_key_than_the_engines_take_go_to_the_database(app: Any,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The engines take SEARCH_MAX_CLAUSE_VALUES values of one key; past it the database answers."""
    from satudata.api.ckan.query import parse_fq
    from satudata.catalog.services import DatasetQuery, check_query
    from satudata.search.backend import get_backend

    monkeypatch.setitem(app.config, "SEARCH_MAX_CLAUSE_VALUES", 2)

    def query(fq: str) -> DatasetQuery:
        groups = tuple(tuple(group) for group in parse_fq(fq))
        return check_query(DatasetQuery(groups=groups, sort=(("modified", True),)))

    assert get_backend().can_answer(query("tags:a tags:b"))
    assert not get_backend().can_answer(query("tags:a tags:b tags:c"))


def test_package_search_facets(cat: Catalogue, scratch_client: FlaskClient) -> None:
    fields = ["organization", "groups", "tags", "res_format", "license_id", "tahun"]
    got = result(scratch_client, "package_search", **{"facet.field": json.dumps(fields)})
    assert set(got["facets"]) == set(got["search_facets"]) == set(fields)
    assert got["facets"]["organization"] == {"dinkes-dumai": 2, "disdukcapil-rohil": 1}
    assert got["facets"]["tags"]["air bersih"] == 2
    assert got["facets"]["res_format"] == {"CSV": 2, "PDF": 1}
    assert got["facets"]["groups"] == {"kependudukan": 2, "kesehatan": 2}
    assert got["facets"]["license_id"] == {"cc-by-4.0": 2, "odc-odbl": 1}
    assert got["facets"]["tahun"] == {"2024": 2, "2023": 1}
    org_facet = got["search_facets"]["organization"]
    assert org_facet["title"] == "organization"
    assert org_facet["items"][0] == {"name": "dinkes-dumai", "display_name": "Dinas Kesehatan Kota Dumai", "count": 2}
    # facets follow the filters
    filtered = result(scratch_client, "package_search", fq="organization:dinkes-dumai", **{"facet.field": '["organization"]'})
    assert filtered["facets"] == {"organization": {"dinkes-dumai": 2}}
    # facet.limit, facet.mincount, and facet.field as a POSTed list
    limited = result(scratch_client, "package_search", **{"facet.field": '["tags"]', "facet.limit": 1})
    assert limited["facets"]["tags"] == {"air bersih": 2}
    assert len(result(scratch_client, "package_search", **{"facet.field": '["tags"]', "facet.limit": -1})
               ["search_facets"]["tags"]["items"]) == 4
    mincount = result(scratch_client, "package_search", **{"facet.field": '["tags"]', "facet.mincount": 2})
    assert mincount["facets"]["tags"] == {"air bersih": 2}
    resp = scratch_client.post("/api/3/action/package_search", json={"facet.field": ["organization"], "rows": 0})
    assert resp.get_json()["result"]["facets"]["organization"]["dinkes-dumai"] == 2
    # repeated query parameters work as a list too
    resp = scratch_client.get("/api/3/action/package_search?facet.field=tags&facet.field=groups")
    assert set(resp.get_json()["result"]["facets"]) == {"tags", "groups"}


@pytest.mark.parametrize("sort, expected", [
    ("name asc", ["akses-air-bersih", "fasilitas-kesehatan-dumai", "jumlah-penduduk-rohil"]),
    ("name desc", ["jumlah-penduduk-rohil", "fasilitas-kesehatan-dumai", "akses-air-bersih"]),
    ("title_string asc", ["akses-air-bersih", "fasilitas-kesehatan-dumai", "jumlah-penduduk-rohil"]),
    ("metadata_modified desc", ["jumlah-penduduk-rohil", "akses-air-bersih", "fasilitas-kesehatan-dumai"]),
    ("metadata_modified asc", ["fasilitas-kesehatan-dumai", "akses-air-bersih", "jumlah-penduduk-rohil"]),
    ("score desc, metadata_modified desc", ["jumlah-penduduk-rohil", "akses-air-bersih", "fasilitas-kesehatan-dumai"]),
    ("views_recent desc, name asc", ["akses-air-bersih", "fasilitas-kesehatan-dumai", "jumlah-penduduk-rohil"]),
    ("downloads desc, name asc", ["akses-air-bersih", "fasilitas-kesehatan-dumai", "jumlah-penduduk-rohil"]),
    ("name", ["akses-air-bersih", "fasilitas-kesehatan-dumai", "jumlah-penduduk-rohil"]),
])
def test_package_search_sort(cat: Catalogue, scratch_client: FlaskClient, sort: str, expected: list[str]) -> None:
    got = result(scratch_client, "package_search", sort=sort)
    assert names(got["results"]) == expected
    assert got["sort"] == sort


def test_package_search_sort_by_id_pages_stably(cat: Catalogue, scratch_client: FlaskClient) -> None:
    """ckanext-harvest pages with ``sort=id asc``."""
    seen = []
    for start in range(3):
        seen += [d["id"] for d in result(scratch_client, "package_search", sort="id asc", rows=1, start=start)["results"]]
    assert seen == sorted([cat.penduduk.id, cat.faskes.id, cat.air.id])


@pytest.mark.parametrize("params, field", [
    ({"rows": "ten"}, "rows"),
    ({"rows": "-1"}, "rows"),
    ({"rows": "1.5"}, "rows"),
    ({"rows": "99999999999999999999999"}, "rows"),
    ({"start": "99999999999999999999999"}, "start"),
    ({"start": "9" * 40}, "start"),
    ({"start": "-5"}, "start"),
    ({"start": "x"}, "start"),
    ({"sort": "popularity desc"}, "sort"),
    ({"sort": "name sideways"}, "sort"),
    ({"sort": "name asc extra"}, "sort"),
    ({"facet.field": '["organization", "nope"]'}, "facet.field"),
    ({"facet.field": "[not json"}, "facet.field"),
    ({"facet.field": '{"a": 1}'}, "facet.field"),
    ({"facet.limit": "-2"}, "facet.limit"),
    ({"facet.limit": "many"}, "facet.limit"),
    ({"facet.mincount": "-1"}, "facet.mincount"),
    ({"facet": "maybe"}, "facet"),
    ({"q": "x" * 1001}, "q"),
])
def test_package_search_bad_parameters(cat: Catalogue, scratch_client: FlaskClient, params: dict[str, str], field: str) -> None:
    err = error(scratch_client, "package_search", 409, "Validation Error", **params)
    assert err[field] and isinstance(err[field], list)


def test_package_search_bad_json_types(cat: Catalogue, scratch_client: FlaskClient) -> None:
    for body, field in (({"rows": True}, "rows"), ({"rows": [1]}, "rows"), ({"q": {"a": 1}}, "q"),
                        ({"start": 2.5}, "start"), ({"start": 10**30}, "start"), ({"start": 1e300}, "start"),
                        ({"facet.field": [1, 2]}, "facet.field"),
                        ({"fq_list": "organization:x"}, None)):
        resp = scratch_client.post("/api/3/action/package_search", json=body)
        if field is None:  # one string is a one-item list
            assert resp.status_code == 200
            continue
        assert resp.status_code == 409, body
        assert field in resp.get_json()["error"]
    resp = scratch_client.post("/api/3/action/package_search", json={"rows": 2, "start": 1})
    assert resp.status_code == 200 and len(resp.get_json()["result"]["results"]) == 2


def test_rows_limit_follows_config(cat: Catalogue, app: Any, scratch_client: FlaskClient) -> None:
    app.config["API_MAX_ROWS"] = 2
    try:
        # As CKAN's ckan.search.rows_max: more rows than the limit are lowered to it, no error.
        found = result(scratch_client, "package_search", rows=3)
        assert len(found["results"]) == 2 and found["count"] == 3
        assert len(result(scratch_client, "package_search", rows=2)["results"]) == 2
        assert len(result(scratch_client, "current_package_list_with_resources", limit=3)) == 2
    finally:
        app.config["API_MAX_ROWS"] = 1000


def test_package_search_ignores_private_flags(cat: Catalogue, scratch_client: FlaskClient) -> None:
    got = result(scratch_client, "package_search", include_private="true", include_drafts="true", q="penduduk")
    assert names(got["results"]) == ["jumlah-penduduk-rohil", "akses-air-bersih"]  # no draft, no terbatas


# --------------------------------------------------------------------------- lists


def test_package_list(cat: Catalogue, scratch_client: FlaskClient) -> None:
    assert result(scratch_client, "package_list") == ["akses-air-bersih", "fasilitas-kesehatan-dumai", "jumlah-penduduk-rohil"]
    assert result(scratch_client, "package_list", limit=1, offset=1) == ["fasilitas-kesehatan-dumai"]
    assert result(scratch_client, "package_list", offset=10) == []
    assert len(result(scratch_client, "package_list", limit=0)) == 3  # CKAN: a limit of 0 is no limit
    for params in ({"limit": "x"}, {"limit": -1}, {"offset": "-1"}, {"offset": "1e3"}, {"offset": str(10**20)}):
        assert set(params) <= set(error(scratch_client, "package_list", 409, "Validation Error", **params))


def test_current_package_list_with_resources(cat: Catalogue, scratch_client: FlaskClient) -> None:
    got = result(scratch_client, "current_package_list_with_resources")
    assert names(got) == ["jumlah-penduduk-rohil", "akses-air-bersih", "fasilitas-kesehatan-dumai"]
    assert got[0]["resources"][0]["url_type"] == "upload"
    assert names(result(scratch_client, "current_package_list_with_resources", limit=1, offset=1)) == ["akses-air-bersih"]
    assert names(result(scratch_client, "current_package_list_with_resources", limit=1, page=3)) == [
        "fasilitas-kesehatan-dumai"]
    # CKAN: no limit is package_search's default of 10 rows; a limit past rows_max is lowered.
    assert len(result(scratch_client, "current_package_list_with_resources", limit=5000)) == 3
    assert names(result(scratch_client, "current_package_list_with_resources", limit=1, page=3, offset=0)) == [
        "jumlah-penduduk-rohil"]  # an offset wins over the deprecated page
    for params in ({"limit": "x"}, {"offset": -1}, {"page": 0}):
        assert set(params) <= set(error(scratch_client, "current_package_list_with_resources", 409,
                                        "Validation Error", **params))


def test_organization_list(cat: Catalogue, scratch_client: FlaskClient) -> None:
    # CKAN 2.10 sorts by title by default
    assert result(scratch_client, "organization_list") == ["dinkes-dumai", "disdukcapil-rohil", "diskominfotik-riau"]
    assert result(scratch_client, "organization_list", sort="name desc") == [
        "diskominfotik-riau", "disdukcapil-rohil", "dinkes-dumai"]
    full = result(scratch_client, "organization_list", all_fields="true", sort="package_count desc")
    assert [(o["name"], o["package_count"]) for o in full] == [
        ("dinkes-dumai", 2), ("disdukcapil-rohil", 1), ("diskominfotik-riau", 0)]
    assert full[0]["type"] == "organization" and full[0]["is_organization"] is True
    assert full[0]["display_name"] == "Dinas Kesehatan Kota Dumai"
    assert result(scratch_client, "organization_list", limit=1, offset=1) == ["disdukcapil-rohil"]
    assert result(scratch_client, "organization_list", q="rohil") == ["disdukcapil-rohil"]
    resp = scratch_client.post("/api/3/action/organization_list", json={"organizations": ["dinkes-dumai"]})
    assert resp.get_json()["result"] == ["dinkes-dumai"]
    assert len(result(scratch_client, "organization_list", limit=100000)) == 3  # lowered to the maximum, as CKAN
    for params in ({"limit": "x"}, {"offset": -1}, {"all_fields": "perhaps"}, {"sort": "age asc"}):
        assert set(params) <= set(error(scratch_client, "organization_list", 409, "Validation Error", **params))


def test_organization_show(cat: Catalogue, scratch_client: FlaskClient) -> None:
    org = result(scratch_client, "organization_show", id="disdukcapil-rohil")
    assert org["name"] == "disdukcapil-rohil" and org["package_count"] == 1
    assert org["kode_wilayah"] == "14.07"
    assert {"key": "kode_wilayah", "value": "14.07"} in org["extras"]
    assert "packages" not in org
    assert result(scratch_client, "organization_show", id=str(cat.dukcapil.id))["name"] == "disdukcapil-rohil"
    with_ds = result(scratch_client, "organization_show", id="dinkes-dumai", include_datasets="true")
    # Drafts and restricted datasets of the organisation stay hidden.
    assert names(with_ds["packages"]) == ["akses-air-bersih", "fasilitas-kesehatan-dumai"]
    error(scratch_client, "organization_show", 404, "Not Found Error", id="dinas-hantu")
    assert "id" in error(scratch_client, "organization_show", 409, "Validation Error")
    assert "include_datasets" in error(scratch_client, "organization_show", 409, "Validation Error",
                                       id="dinkes-dumai", include_datasets="sometimes")


def test_group_list_and_show(cat: Catalogue, scratch_client: FlaskClient) -> None:
    assert result(scratch_client, "group_list") == ["kependudukan", "kesehatan"]
    full = result(scratch_client, "group_list", all_fields=True)
    assert [(g["name"], g["package_count"], g["type"], g["is_organization"]) for g in full] == [
        ("kependudukan", 2, "group", False), ("kesehatan", 2, "group", False)]
    assert result(scratch_client, "group_list", limit=1, sort="name desc") == ["kesehatan"]
    group = result(scratch_client, "group_show", id="kesehatan", include_datasets=True)
    assert group["title"] == "Kesehatan" and group["package_count"] == 2
    assert names(group["packages"]) == ["akses-air-bersih", "fasilitas-kesehatan-dumai"]
    assert result(scratch_client, "group_show", id=str(cat.kependudukan.id))["name"] == "kependudukan"
    error(scratch_client, "group_show", 404, "Not Found Error", id="olahraga")
    assert "id" in error(scratch_client, "group_show", 409, "Validation Error")
    for params in ({"limit": "x"}, {"offset": "-3"}, {"all_fields": "2"}):
        assert set(params) <= set(error(scratch_client, "group_list", 409, "Validation Error", **params))


def test_tag_list(cat: Catalogue, scratch_client: FlaskClient) -> None:
    # only tags of public datasets
    assert result(scratch_client, "tag_list") == ["air bersih", "kesehatan", "penduduk", "puskesmas"]
    assert result(scratch_client, "tag_list", query="SEHAT") == ["kesehatan"]
    full = result(scratch_client, "tag_list", all_fields="true")
    assert full[0]["name"] == "air bersih" and full[0]["vocabulary_id"] is None
    error(scratch_client, "tag_list", 404, "Not Found Error", vocabulary_id="genre")
    assert "all_fields" in error(scratch_client, "tag_list", 409, "Validation Error", all_fields="kadang")


def test_license_list(cat: Catalogue, scratch_client: FlaskClient) -> None:
    got = result(scratch_client, "license_list")
    by_id = {lic["id"]: lic for lic in got}
    assert set(by_id) == {"cc-by-4.0", "odc-odbl"}
    assert by_id["cc-by-4.0"]["url"].startswith("https://") and by_id["cc-by-4.0"]["is_okd_compliant"] is True
    assert {"id", "title", "url", "status", "od_conformance", "osd_conformance"} <= set(by_id["odc-odbl"])


def test_resource_show(cat: Catalogue, scratch_client: FlaskClient) -> None:
    res = cat.penduduk.resources[0]
    got = result(scratch_client, "resource_show", id=res.id)
    assert got == result(scratch_client, "package_show", id=cat.penduduk.slug)["resources"][0]
    error(scratch_client, "resource_show", 404, "Not Found Error", id="00000000-0000-0000-0000-000000000000")
    error(scratch_client, "resource_show", 404, "Not Found Error", id=cat.draft.resources[0].id)
    error(scratch_client, "resource_show", 404, "Not Found Error", id=cat.terbatas.resources[0].id)
    assert "id" in error(scratch_client, "resource_show", 409, "Validation Error")


def test_status_show(scratch_client: FlaskClient) -> None:
    from satudata import __version__

    got = result(scratch_client, "status_show")
    assert got["ckan_version"] == "2.10.4"
    assert got["site_url"] == "http://localhost" and got["site_title"]
    assert isinstance(got["extensions"], list) and got["satudata_version"] == __version__


def test_help_show(scratch_client: FlaskClient) -> None:
    assert "fq" in result(scratch_client, "help_show", name="package_search")
    error(scratch_client, "help_show", 404, "Not Found Error", name="package_frobnicate")
    assert "name" in error(scratch_client, "help_show", 409, "Validation Error")


@pytest.mark.writes
def test_empty_catalogue(scratch_client: FlaskClient) -> None:
    assert result(scratch_client, "package_search")["count"] == 0
    assert result(scratch_client, "package_list") == []
    assert result(scratch_client, "organization_list") == []
    assert result(scratch_client, "group_list") == []
    assert result(scratch_client, "tag_list") == []
    assert result(scratch_client, "current_package_list_with_resources") == []


# --------------------------------------------------------------------------- every action, hostile input

NASTY_PARAMS: list[dict[str, Any]] = [
    {"id": ["a", "b"], "name": {"x": 1}, "limit": "many", "offset": -1},
    {"id": None, "rows": None, "q": None, "all_fields": None},
    {"id": 12345, "name": 3.5, "limit": 1e308, "offset": "9" * 50, "query": ["x"]},
    {"id": "x" * 10_000, "q": "\x00\u202e%_'\"; DROP TABLE dataset;--", "fq": "tags:'", "sort": ",,,"},
    {"all_fields": "ya", "include_datasets": [], "facet.field": "[[[", "vocabulary_id": 7},
    {"organizations": "not-a-list", "groups": [1, 2], "fq_list": [None], "page": "0"},
]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_survives_hostile_input(cat: Catalogue, scratch_client: FlaskClient, action: str) -> None:
    """No parameter combination makes an action fail with a 500: each answer is CKAN-shaped."""
    for params in NASTY_PARAMS:
        resp = scratch_client.post(f"/api/3/action/{action}", json=params)
        assert resp.status_code in (200, 400, 404, 409), (params, resp.get_data(as_text=True)[:500])
        body = resp.get_json()
        assert body["success"] is (resp.status_code == 200)
        assert body["help"].endswith(f"help_show?name={action}")
        if resp.status_code != 200:
            assert body["error"]["__type"] in ("Validation Error", "Not Found Error", "Bad Request")
    resp = scratch_client.post(f"/api/3/action/{action}", data=b"{oops", content_type="application/json")
    assert resp.status_code == 400 and resp.get_json()["error"]["message"].startswith("Bad request - JSON Error")


@pytest.mark.parametrize("action, params", [
    ("package_search", {"q": "a\x00b"}),
    ("package_search", {"fq": "tags:a\x00"}),
    ("package_search", {"fq_list": ["tags:\x00"]}),
    ("package_show", {"id": "\x00"}),
    ("organization_list", {"organizations": ["\x00"]}),
    ("tag_list", {"query": "\x00"}),
])
def test_nul_characters_are_a_validation_error(cat: Catalogue, scratch_client: FlaskClient, action: str,
                                               params: dict[str, Any]) -> None:
    """PostgreSQL text cannot hold NUL; the API refuses it as bad input instead of failing."""
    resp = scratch_client.post(f"/api/3/action/{action}", json=params)
    assert resp.status_code == 409
    assert set(params) <= set(resp.get_json()["error"])


@pytest.mark.writes
def test_resource_url_downloads_the_file(cat: Catalogue, app: Any, scratch_client: FlaskClient) -> None:
    """The absolute ``url`` of a stored resource is the public download route and serves the
    bytes whose sha256 the ``hash`` gives."""
    import hashlib
    from urllib.parse import urlsplit

    res = result(scratch_client, "package_show", id=cat.penduduk.slug)["resources"][0]
    with scratch_client.get(urlsplit(res["url"]).path) as resp:
        assert resp.status_code == 200
        body = resp.get_data()
    assert "sha256:" + hashlib.sha256(body).hexdigest() == res["hash"]
    assert len(body) == res["size"]


# --------------------------------------------------------------------------- package_autocomplete


def test_package_autocomplete_has_ckans_shape(cat: Catalogue, scratch_client: FlaskClient) -> None:
    got = result(scratch_client, "package_autocomplete", q="jumlah pend")
    assert got == [{"name": "jumlah-penduduk-rohil", "title": "Jumlah Penduduk menurut Kecamatan",
                    "match_field": "name", "match_displayed": "jumlah-penduduk-rohil"}]
    got = result(scratch_client, "package_autocomplete", q="Fasilitas Keseh")
    assert got[0]["match_field"] == "name"  # typed words are looked for hyphen-joined in the name
    got = result(scratch_client, "package_autocomplete", q="Air Bersih Rum")
    assert got == [{"name": "akses-air-bersih", "title": "Akses Air Bersih Rumah Tangga",
                    "match_field": "title", "match_displayed": "Akses Air Bersih Rumah Tangga (akses-air-bersih)"}]


def test_package_autocomplete_shows_public_datasets_only(cat: Catalogue, scratch_client: FlaskClient) -> None:
    # "Penduduk Draf Rahasia" and "Penduduk Terbatas" are not public.
    assert names(result(scratch_client, "package_autocomplete", q="pendu")) == ["jumlah-penduduk-rohil"]
    assert result(scratch_client, "package_autocomplete", q="rahasia") == []


def test_package_autocomplete_limit_and_post(cat: Catalogue, scratch_client: FlaskClient) -> None:
    assert len(result(scratch_client, "package_autocomplete", q="a")) <= 10
    both = scratch_client.post("/api/3/action/package_autocomplete", json={"q": "akses", "limit": 5}).get_json()
    assert both["success"] and names(both["result"]) == ["akses-air-bersih"]
    assert result(scratch_client, "package_autocomplete", q="akses", limit=0) == []
    assert len(result(scratch_client, "package_autocomplete", q="s", limit=1000)) <= 20


@pytest.mark.parametrize("params, field", [
    ({}, "q"),
    ({"limit": "banyak", "q": "air"}, "limit"),
    ({"limit": "-1", "q": "air"}, "limit"),
    ({"q": "x" * 1001}, "q"),
])
def test_package_autocomplete_bad_parameters(cat: Catalogue, scratch_client: FlaskClient, params: dict[str, str],
                                             field: str) -> None:
    assert field in error(scratch_client, "package_autocomplete", 409, "Validation Error", **params)


@pytest.mark.parametrize("q", ["", "   ", '"*:(', "((((", "\u202e", "tags:penduduk"])
def test_package_autocomplete_odd_text_is_an_answer(cat: Catalogue, scratch_client: FlaskClient, q: str) -> None:
    assert isinstance(result(scratch_client, "package_autocomplete", q=q), list)


def test_package_autocomplete_while_the_engine_is_down(cat: Catalogue, app: Any, scratch_client: FlaskClient) -> None:
    from satudata.search.backend import EXTENSION_KEY
    from satudata.search.elasticsearch import ElasticsearchBackend

    live = app.extensions.pop(EXTENSION_KEY, None)
    # Nothing listens on port 9: the engine cannot be reached, so the database answers.
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    try:
        got = result(scratch_client, "package_autocomplete", q="fasilitas")
    finally:
        app.extensions.pop(EXTENSION_KEY, None)
        if live is not None:
            app.extensions[EXTENSION_KEY] = live
    assert names(got) == ["fasilitas-kesehatan-dumai"]


def test_site_read_api_roots_and_field_lists(cat: Catalogue, scratch_client: FlaskClient) -> None:
    """What CKAN 2.10 answers and harvesters probe: ``site_read`` is true, ``/api`` is version 1
    (``/api/3``: 3), and ``fl`` limits each search result to the named fields (extras too)."""
    assert result(scratch_client, "site_read") is True
    for path, version in (("/api", 1), ("/api/", 1), ("/api/1", 1), ("/api/2", 2), ("/api/3", 3)):
        resp = scratch_client.get(path)
        assert resp.status_code == 200 and resp.json == {"version": version}, path
    assert scratch_client.get("/api/4").status_code == 404
    found = result(scratch_client, "package_search", fl="name,metadata_modified", sort="name asc")
    assert found["count"] == 3 and [sorted(r) for r in found["results"]] == [["metadata_modified", "name"]] * 3
    assert [r["name"] for r in found["results"]] == ["akses-air-bersih", "fasilitas-kesehatan-dumai",
                                                     "jumlah-penduduk-rohil"]
    assert all(CKAN_TIME.match(r["metadata_modified"]) for r in found["results"])
    listed = result(scratch_client, "package_search", fl=["id", "satuan", "tidak_ada"], rows=1)
    assert set(listed["results"][0]) == {"id", "satuan"}
    resp = scratch_client.post("/api/3/action/package_search", json={"fl": [{"a": 1}]})
    assert resp.status_code == 409 and "fl" in resp.json["error"]


def test_q_with_a_field_clause_searches_that_field(cat: Catalogue, scratch_client: FlaskClient) -> None:
    """``q=title:x`` is a clause on the title, as CKAN passes q to Solr (it used to find 0)."""
    got = result(scratch_client, "package_search", q="title:penduduk")
    assert names(got["results"]) == ["jumlah-penduduk-rohil"]
    assert result(scratch_client, "package_search", q="title:penduduk notes:rokan")["count"] == 1


def test_date_math_steps() -> None:
    from datetime import datetime

    from satudata.api.ckan.query import _date_math

    now = datetime(2026, 12, 3, 13, 45, 10, 123456, tzinfo=UTC)
    assert _date_math(now, "/DAY") == datetime(2026, 12, 3, tzinfo=UTC)
    assert _date_math(now, "/YEAR-5YEARS") == datetime(2021, 1, 1, tzinfo=UTC)
    assert _date_math(now, "-1MONTH/MONTH") == datetime(2026, 11, 1, tzinfo=UTC)
    assert _date_math(now, "-2WEEKS") == datetime(2026, 11, 19, 13, 45, 10, 123456, tzinfo=UTC)
    assert _date_math(datetime(2024, 3, 31, tzinfo=UTC), "-1MONTH") == datetime(2024, 2, 29, tzinfo=UTC)
