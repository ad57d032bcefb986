"""REST API v1: every read endpoint, pagination, filters, facets, and the rule that only
published + publik datasets are visible. Bad input is in test_rest_bad_input.py, the OpenAPI
document and the docs page in test_rest_openapi.py."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from satudata.accounts.models import Organization, OrganizationKind
from satudata.catalog import services as catalog
from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    DataKind,
    Dataset,
    DataStatus,
    Frequency,
    PresentationLevel,
    Resource,
    Topic,
)
from satudata.extensions import db
from satudata.review import services as review
from tests import factories as f
from tests.conftest import shared_data

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

SCHOOLS_CSV = (
    "kode_wilayah,kecamatan,tahun,sd,smp\n"
    "14.72.01,Dumai Barat,2024,21,7\n"
    "14.72.02,Dumai Timur,2024,25,8\n"
)


@dataclass
class Catalogue:
    """What ``build_catalogue`` made: three public datasets and four that must stay hidden."""

    province: Organization
    dinkes: Organization
    disdik: Organization
    kependudukan: Topic
    kesehatan: Topic
    penduduk: Dataset  # public, CSV, every Satu Data field
    sekolah: Dataset  # public, CSV
    laporan: Dataset  # public, a stored PDF and an external link
    draft: Dataset
    submitted: Dataset
    withdrawn: Dataset
    terbatas: Dataset
    pdf: Resource
    link: Resource

    @property
    def hidden(self) -> list[Dataset]:
        return [self.draft, self.submitted, self.withdrawn, self.terbatas]


def build_catalogue() -> Catalogue:
    """A small catalogue made through the services (call inside the ``app`` fixture)."""
    province = f.make_org("pemprov-riau-uji", name="Pemerintah Provinsi Riau", kind=OrganizationKind.PROVINSI,
                          kode_wilayah="14")
    dinkes = f.make_org("dinkes-riau-uji", name="Dinas Kesehatan", parent=province, acronym="Dinkes",
                        email="dinkes@riau.go.id")
    disdik = f.make_org("disdik-dumai-uji", name="Dinas Pendidikan Kota Dumai", kode_wilayah="14.72")
    kependudukan = f.make_topic("kependudukan", "Kependudukan")
    kesehatan = f.make_topic("kesehatan", "Kesehatan")
    f.make_topic("pertanian", "Pertanian")  # a topic without datasets
    cc_by = f.make_licence()
    odbl = f.make_licence("odc-odbl", "Open Data Commons Open Database License")

    penduduk = f.make_dataset(
        dinkes, title="Jumlah Penduduk menurut Kecamatan di Rokan Hilir", topics=[kependudukan],
        tags=["penduduk", "kecamatan"], licence=cc_by, year=2024, frequency=Frequency.TAHUNAN,
        description="Jumlah penduduk laki-laki dan perempuan per kecamatan.",
        urusan="Administrasi Kependudukan", konsep="Penduduk", definisi="Orang yang berdomisili",
        klasifikasi="Jenis kelamin", ukuran="Jumlah", satuan="jiwa", period="2024",
        release_date=date(2025, 3, 31), presentation_level=PresentationLevel.KECAMATAN,
        kode_wilayah="14.07", coverage="Kabupaten Rokan Hilir", data_source="Disdukcapil",
        collection_method=CollectionMethod.ADMINISTRASI, data_kind=DataKind.STATISTIK_SEKTORAL,
        is_priority=True, data_status=DataStatus.TETAP, contact_name="Budi", contact_email="budi@riau.go.id",
        walidata=province,
    )
    sekolah = f.make_dataset(disdik, title="Jumlah Sekolah di Kota Dumai", topics=[kesehatan, kependudukan],
                             tags=["sekolah"], licence=odbl, year=2025, csv=SCHOOLS_CSV, kode_wilayah="14.72",
                             frequency=Frequency.SEMESTERAN)
    # Documents only: a stored PDF and a link to an archive kept elsewhere (a table could not be
    # a link: only a stored table can be validated, and only valid tables are published).
    laporan = f.make_dataset(dinkes, title="Profil Kesehatan Provinsi Riau", topics=[kesehatan], tags=["penduduk"],
                             year=2023, csv=None, publish=False, licence=odbl, kode_wilayah="14")
    pdf = catalog.add_resource_file(f.SYSTEM, laporan, io.BytesIO(b"%PDF-1.4 uji"), filename="profil.pdf",
                                    name="Profil (PDF)")
    link = catalog.add_resource_link(f.SYSTEM, laporan, url="https://data.example.go.id/profil.zip",
                                     name="Salinan di portal lain", format="ZIP")
    f.publish_dataset(laporan, index=False)

    draft = f.make_dataset(dinkes, title="Draf Penduduk Rahasia", topics=[kependudukan], tags=["penduduk"],
                           licence=cc_by, year=2024, publish=False)
    submitted = f.submit_dataset(f.make_dataset(dinkes, title="Penduduk Diajukan", topics=[kependudukan], year=2024,
                                                publish=False))
    withdrawn = f.withdraw_dataset(f.make_dataset(disdik, title="Penduduk Ditarik", topics=[kependudukan],
                                                  tags=["penduduk"], year=2024, index=False),
                                   "Angka sekolah keliru.", index=False)
    terbatas = f.make_dataset(disdik, title="Penduduk Terbatas", topics=[kependudukan], tags=["penduduk"],
                              year=2024, access_class=AccessClass.TERBATAS)
    db.session.commit()

    # Distinct download counts and modification stamps, so sorts are deterministic.
    penduduk.download_count, sekolah.download_count, laporan.download_count = 5, 50, 0
    db.session.commit()
    from satudata.search import services as search

    search.reindex_all()  # what the search worker (and the nightly rebuild) does after those commits
    return Catalogue(province, dinkes, disdik, kependudukan, kesehatan, penduduk, sekolah, laporan, draft,
                     submitted, withdrawn, terbatas, pdf, link)


# Built once for the module; a test that changes rows is marked ``writes`` (tests/conftest.py).
app, cat, _shared = shared_data("rest", build_catalogue)


def slugs(resp: Any) -> list[str]:
    return [d["slug"] for d in resp.json["data"]]


# --------------------------------------------------------------------------- index


def test_index_links_to_everything(scratch_client):
    resp = scratch_client.get("/api/v1/")
    assert resp.status_code == 200
    data = resp.json["data"]
    assert data["openapi"] == "http://localhost/api/v1/openapi.json"
    assert data["docs"] == "http://localhost/api/docs"
    for key in ("datasets", "organizations", "topics", "licences"):
        assert scratch_client.get(data[key]).status_code == 200


# --------------------------------------------------------------------------- dataset list


def test_list_shows_only_public_datasets(scratch_client, cat):
    resp = scratch_client.get("/api/v1/datasets")
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    assert sorted(slugs(resp)) == sorted([cat.penduduk.slug, cat.sekolah.slug, cat.laporan.slug])
    assert resp.json["meta"] == {"total": 3, "page": 1, "per_page": 20, "pages": 1}
    assert resp.json["links"]["next"] is None and resp.json["links"]["prev"] is None
    assert resp.json["links"]["self"].startswith("http://localhost/api/v1/datasets?")


def test_list_item_fields(scratch_client, cat):
    item = next(d for d in scratch_client.get("/api/v1/datasets").json["data"] if d["slug"] == cat.penduduk.slug)
    assert item["id"] == cat.penduduk.id
    assert item["title"] == "Jumlah Penduduk menurut Kecamatan di Rokan Hilir"
    assert item["organization"] == {"slug": "dinkes-riau-uji", "name": "Dinas Kesehatan", "kind": "opd",
                                    "url": "http://localhost/api/v1/organizations/dinkes-riau-uji"}
    assert item["topics"] == [{"slug": "kependudukan", "name": "Kependudukan",
                               "url": "http://localhost/api/v1/topics/kependudukan"}]
    assert item["tags"] == ["kecamatan", "penduduk"]
    assert item["licence"]["id"] == "cc-by-4.0"
    assert item["formats"] == ["CSV"]
    assert item["year"] == 2024
    assert item["frequency"] == "tahunan"
    assert item["resource_count"] == 1
    assert item["download_count"] == 5
    assert ISO_UTC.match(item["published_at"]) and ISO_UTC.match(item["updated_at"])
    assert item["published_at"].endswith("Z")
    assert item["url"] == f"http://localhost/api/v1/datasets/{cat.penduduk.slug}"
    assert item["web_url"] == f"http://localhost/dataset/{cat.penduduk.slug}"


def test_facets_count_public_datasets_only(scratch_client, cat):
    facets = scratch_client.get("/api/v1/datasets").json["facets"]
    assert set(facets) == {"organization", "topic", "tag", "format", "year", "licence", "wilayah"}

    def counts(key: str) -> dict[str, int]:
        return {v["value"]: v["count"] for v in facets[key]}

    assert counts("organization") == {"dinkes-riau-uji": 2, "disdik-dumai-uji": 1}
    assert counts("topic") == {"kependudukan": 2, "kesehatan": 2}
    assert counts("tag") == {"penduduk": 2, "kecamatan": 1, "sekolah": 1}
    assert counts("format") == {"CSV": 2, "PDF": 1, "ZIP": 1}
    assert counts("year") == {"2023": 1, "2024": 1, "2025": 1}
    assert counts("licence") == {"cc-by-4.0": 1, "odc-odbl": 2}
    # The producing government's region at every level: Dinkes (no code of its own) is in its
    # province's, Disdik Dumai in Dumai's and so in Riau.
    assert counts("wilayah") == {"14": 3, "14.72": 1}
    org = next(v for v in facets["organization"] if v["value"] == "dinkes-riau-uji")
    assert org == {"value": "dinkes-riau-uji", "label": "Dinas Kesehatan", "count": 2}
    # Most frequent first.
    assert facets["tag"][0]["value"] == "penduduk"


def test_facets_follow_the_filters(scratch_client, cat):
    facets = scratch_client.get("/api/v1/datasets?organization=disdik-dumai-uji").json["facets"]
    assert [v["value"] for v in facets["organization"]] == ["disdik-dumai-uji"]
    assert {v["value"] for v in facets["year"]} == {"2025"}


def test_pagination_walks_every_page_once(scratch_client, cat):
    seen: list[str] = []
    url: str | None = "/api/v1/datasets?per_page=1&sort=name"
    pages = 0
    while url:
        resp = scratch_client.get(url)
        assert resp.status_code == 200
        meta = resp.json["meta"]
        assert meta["per_page"] == 1 and meta["total"] == 3 and meta["pages"] == 3
        pages += 1
        assert meta["page"] == pages
        assert (resp.json["links"]["prev"] is None) == (pages == 1)
        seen += slugs(resp)
        url = resp.json["links"]["next"]
    assert pages == 3
    assert seen == sorted(seen, key=lambda s: {cat.penduduk.slug: cat.penduduk.title, cat.sekolah.slug:
                                               cat.sekolah.title, cat.laporan.slug: cat.laporan.title}[s])
    assert len(set(seen)) == 3


def test_links_keep_the_filters(scratch_client, cat):
    links = scratch_client.get("/api/v1/datasets?per_page=1&tag=penduduk&page=2").json["links"]
    for key in ("self", "prev"):
        assert "tag=penduduk" in links[key] and "per_page=1" in links[key]
    assert links["self"].endswith("page=2") and links["prev"].endswith("page=1")
    assert links["next"] is None


def test_page_past_the_end_is_404_with_the_last_page(scratch_client, cat):
    resp = scratch_client.get("/api/v1/datasets?per_page=2&page=3")
    assert resp.status_code == 404
    assert resp.json["error"]["code"] == "not_found"
    assert "2 halaman" in resp.json["error"]["message"]
    assert resp.json["error"]["details"]["page"] == ["Pilih halaman 1 sampai 2."]


def test_empty_result_is_an_empty_first_page(scratch_client, cat):
    resp = scratch_client.get("/api/v1/datasets?q=tidakadasamasekali")
    assert resp.status_code == 200
    assert resp.json["data"] == []
    assert resp.json["meta"] == {"total": 0, "page": 1, "per_page": 20, "pages": 1}
    assert all(values == [] for values in resp.json["facets"].values())


@pytest.mark.parametrize(("query", "expected"), [
    # title or tag, or the topic Kependudukan (same stem); the hidden "Penduduk ..." never match
    ("q=penduduk", {"penduduk", "laporan", "sekolah"}),
    ("q=KECAMATAN", {"penduduk", "sekolah"}),  # case-insensitive; description, tags, column names
    ("q=sekolah dumai", {"sekolah"}),  # every word must match
    ("organization=dinkes-riau-uji", {"penduduk", "laporan"}),
    ("topic=kesehatan", {"sekolah", "laporan"}),
    ("topic=kesehatan&topic=kependudukan", {"sekolah"}),  # repeated filters narrow
    ("tag=penduduk", {"penduduk", "laporan"}),
    ("format=csv", {"penduduk", "sekolah"}),
    ("format=PDF", {"laporan"}),
    ("year=2025", {"sekolah"}),
    ("licence=cc-by-4.0", {"penduduk"}),
    ("kode_wilayah=14.07", {"penduduk"}),
    ("kode_wilayah=14", {"penduduk", "sekolah", "laporan"}),  # a region includes the regions below it
    ("kode_wilayah=14.7", set()),  # ... but not codes that merely start with the same digits
    ("frequency=semesteran", {"sekolah"}),
    ("organization=tidak-ada", set()),
    ("q=penduduk&year=2024&organization=dinkes-riau-uji&tag=kecamatan", {"penduduk"}),
])
def test_filters(scratch_client, cat, query, expected):
    resp = scratch_client.get(f"/api/v1/datasets?{query}")
    assert resp.status_code == 200, resp.json
    names = {"penduduk": cat.penduduk.slug, "sekolah": cat.sekolah.slug, "laporan": cat.laporan.slug}
    assert set(slugs(resp)) == {names[n] for n in expected}
    assert resp.json["meta"]["total"] == len(expected)


def test_sorts(scratch_client, cat):
    by_name = slugs(scratch_client.get("/api/v1/datasets?sort=name"))
    titles = {cat.penduduk.slug: cat.penduduk.title, cat.sekolah.slug: cat.sekolah.title,
              cat.laporan.slug: cat.laporan.title}
    assert [titles[s] for s in by_name] == sorted(titles.values())
    assert slugs(scratch_client.get("/api/v1/datasets?sort=downloads")) == [
        cat.sekolah.slug, cat.penduduk.slug, cat.laporan.slug]
    newest = scratch_client.get("/api/v1/datasets?sort=newest").json["data"]
    stamps = [d["published_at"] for d in newest]
    assert stamps == sorted(stamps, reverse=True)
    for sort in ("relevance", "modified"):
        assert scratch_client.get(f"/api/v1/datasets?sort={sort}").status_code == 200


def test_per_page_defaults_to_page_size(scratch_client, cat, app):
    app.config["PAGE_SIZE"] = 2
    try:
        resp = scratch_client.get("/api/v1/datasets")
        assert resp.json["meta"]["per_page"] == 2 and len(resp.json["data"]) == 2
        assert resp.json["meta"]["pages"] == 2
    finally:
        app.config["PAGE_SIZE"] = 20


def test_per_page_may_reach_api_max_rows(scratch_client, cat, app):
    app.config["API_MAX_ROWS"] = 3
    try:
        assert scratch_client.get("/api/v1/datasets?per_page=3").status_code == 200
        assert scratch_client.get("/api/v1/datasets?per_page=4").status_code == 422
    finally:
        app.config["API_MAX_ROWS"] = 1000


def test_unknown_query_parameters_are_ignored(scratch_client, cat):
    resp = scratch_client.get("/api/v1/datasets?_=12345&lang=en")
    assert resp.status_code == 200 and resp.json["meta"]["total"] == 3


# --------------------------------------------------------------------------- dataset detail


def test_dataset_by_slug_has_every_satu_data_field(scratch_client, cat):
    resp = scratch_client.get(f"/api/v1/datasets/{cat.penduduk.slug}")
    assert resp.status_code == 200
    d = resp.json["data"]
    expected = {
        "id": cat.penduduk.id, "slug": cat.penduduk.slug, "title": cat.penduduk.title,
        "description": "Jumlah penduduk laki-laki dan perempuan per kecamatan.",
        "access_class": "publik", "urusan": "Administrasi Kependudukan", "konsep": "Penduduk",
        "definisi": "Orang yang berdomisili", "klasifikasi": "Jenis kelamin", "ukuran": "Jumlah",
        "satuan": "jiwa", "year": 2024, "period": "2024", "frequency": "tahunan", "release_date": "2025-03-31",
        "presentation_level": "kecamatan", "kode_wilayah": "14.07", "coverage": "Kabupaten Rokan Hilir",
        "data_source": "Disdukcapil", "collection_method": "administrasi", "data_kind": "statistik_sektoral",
        "is_priority": True, "data_status": "tetap", "contact_name": "Budi", "contact_email": "budi@riau.go.id",
        "tags": ["kecamatan", "penduduk"], "remote_url": None, "download_count": 5, "view_count": 0,
        "resource_count": 1, "formats": ["CSV"],
    }
    for key, value in expected.items():
        assert d[key] == value, key
    assert d["organization"]["slug"] == "dinkes-riau-uji"
    assert d["walidata"]["slug"] == "pemprov-riau-uji" and d["walidata"]["kind"] == "provinsi"
    assert d["licence"] == {"id": "cc-by-4.0", "title": "Creative Commons Attribution 4.0",
                            "url": "https://creativecommons.org/licenses/by/4.0/", "is_open": True,
                            "od_conformance": "approved", "osd_conformance": "not reviewed"}
    assert [t["slug"] for t in d["topics"]] == ["kependudukan"]
    for key in ("created_at", "updated_at", "published_at"):
        assert ISO_UTC.match(d[key]), key
    assert len(d["resources"]) == 1 and d["resources"][0]["format"] == "CSV"
    assert d["versions"] == [{"number": 1, "created_at": d["versions"][0]["created_at"], "note": ""}]
    assert ISO_UTC.match(d["versions"][0]["created_at"])


def test_dataset_by_id_is_the_same(scratch_client, cat):
    by_slug = scratch_client.get(f"/api/v1/datasets/{cat.penduduk.slug}").json
    by_id = scratch_client.get(f"/api/v1/datasets/{cat.penduduk.id}").json
    assert by_slug == by_id


@pytest.mark.writes
def test_versions_newest_first(scratch_client, cat):
    # Withdrawn, corrected by the system and published again: what is published changed.
    review.withdraw_dataset(f.SYSTEM, cat.sekolah, reason="Angka SD keliru")
    catalog.update_dataset(f.SYSTEM, cat.sekolah, {"description": "Angka SD sudah diperbaiki."})
    review.republish_dataset(f.SYSTEM, cat.sekolah, note="Perbaikan angka SD")
    db.session.commit()
    versions = scratch_client.get(f"/api/v1/datasets/{cat.sekolah.slug}").json["data"]["versions"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["note"] == "Perbaikan angka SD"


def test_dataset_without_optional_fields(scratch_client, cat):
    """What may be empty in a published dataset (required metadata never is: see the lifecycle)."""
    d = scratch_client.get(f"/api/v1/datasets/{cat.laporan.slug}").json["data"]
    assert d["walidata"] is None  # its region has no walidata organisation
    assert d["release_date"] is None and d["urusan"] is None and d["konsep"] is None and d["period"] is None
    assert d["formats"] == ["PDF", "ZIP"]


# --------------------------------------------------------------------------- hidden datasets


def test_hidden_datasets_are_404_everywhere(scratch_client, cat):
    """Never published or not public: 404. Withdrawn after it was public: 410, saying why."""
    for ds in cat.hidden:
        status, code = (410, "gone") if ds is cat.withdrawn else (404, "not_found")
        for key in (ds.slug, ds.id):
            resp = scratch_client.get(f"/api/v1/datasets/{key}")
            assert resp.status_code == status, (ds.title, key)
            assert resp.json["error"]["code"] == code
            assert scratch_client.get(f"/api/v1/datasets/{key}/resources").status_code == status
            assert scratch_client.get(f"/api/v1/datasets/{key}/versions").status_code == status
        for res in ds.resources:
            assert scratch_client.get(f"/api/v1/resources/{res.id}").status_code == status
            assert scratch_client.get(f"/api/v1/resources/{res.id}/rows").status_code == status
    error = scratch_client.get(f"/api/v1/datasets/{cat.withdrawn.slug}").json["error"]
    assert "telah ditarik" in error["message"] and error["details"]["reason"] == ["Angka sekolah keliru."]


def test_hidden_datasets_never_in_lists_counts_or_facets(scratch_client, cat):
    hidden_slugs = {ds.slug for ds in cat.hidden}
    for query in ("", "q=penduduk", "year=2024", "tag=penduduk", "organization=disdik-dumai-uji", "per_page=1000"):
        body = scratch_client.get(f"/api/v1/datasets?{query}").json
        assert not hidden_slugs & set(d["slug"] for d in body["data"]), query
    orgs = {o["slug"]: o["dataset_count"] for o in scratch_client.get("/api/v1/organizations").json["data"]}
    assert orgs == {"pemprov-riau-uji": 0, "dinkes-riau-uji": 2, "disdik-dumai-uji": 1}
    topics = {t["slug"]: t["dataset_count"] for t in scratch_client.get("/api/v1/topics").json["data"]}
    assert topics == {"kependudukan": 2, "kesehatan": 2, "pertanian": 0}


@pytest.mark.writes
def test_withdrawing_hides_a_dataset_at_once(scratch_client, cat):
    assert scratch_client.get(f"/api/v1/datasets/{cat.sekolah.slug}").status_code == 200
    review.withdraw_dataset(f.SYSTEM, cat.sekolah, reason="Angka SD keliru")
    db.session.commit()
    assert scratch_client.get(f"/api/v1/datasets/{cat.sekolah.slug}").status_code == 410
    assert cat.sekolah.slug not in slugs(scratch_client.get("/api/v1/datasets"))


# --------------------------------------------------------------------------- resources


def test_dataset_resources_in_order(scratch_client, cat):
    resp = scratch_client.get(f"/api/v1/datasets/{cat.laporan.slug}/resources")
    assert resp.status_code == 200
    data = resp.json["data"]
    assert [r["id"] for r in data] == [cat.pdf.id, cat.link.id]
    assert [r["position"] for r in data] == [0, 1]
    by_id = scratch_client.get(f"/api/v1/datasets/{cat.laporan.id}/resources").json
    assert by_id == resp.json


def test_stored_csv_resource(scratch_client, cat):
    res = cat.penduduk.resources[0]
    resp = scratch_client.get(f"/api/v1/resources/{res.id}")
    assert resp.status_code == 200
    r = resp.json["data"]
    assert r["id"] == res.id and r["name"] == "Penduduk per kecamatan"
    assert r["dataset"] == {"id": cat.penduduk.id, "slug": cat.penduduk.slug, "title": cat.penduduk.title,
                            "url": f"http://localhost/api/v1/datasets/{cat.penduduk.slug}"}
    assert r["format"] == "CSV" and r["media_type"] == "text/csv"
    assert r["filename"] == "penduduk.csv" and r["size"] == len(f.CSV.encode())
    assert len(r["sha256"]) == 64 and r["url"] is None
    assert r["download_url"] == (f"http://localhost/dataset/{cat.penduduk.slug}/resource/{res.id}/download")
    assert r["rows_url"] == f"http://localhost/api/v1/resources/{res.id}/rows"
    assert r["row_count"] == 3
    assert [c["name"] for c in r["columns"]] == ["kode_wilayah", "kecamatan", "laki_laki", "perempuan"]
    assert r["validation_status"] == "valid"  # published tables passed validation
    assert ISO_UTC.match(r["created_at"]) and ISO_UTC.match(r["updated_at"])


def test_download_url_follows_base_url_not_the_host_the_client_used(scratch_client, cat, app, monkeypatch):
    # The Host header is the client's to choose; links come from the configured address (#16).
    monkeypatch.setitem(app.config, "BASE_URL", "https://data.riau.go.id")
    res = cat.penduduk.resources[0]
    resp = scratch_client.get(f"/api/v1/resources/{res.id}", base_url="http://127.0.0.1:5000")
    assert resp.json["data"]["download_url"].startswith("https://data.riau.go.id/dataset/")


def test_pdf_and_link_resources(scratch_client, cat):
    pdf = scratch_client.get(f"/api/v1/resources/{cat.pdf.id}").json["data"]
    assert pdf["format"] == "PDF" and pdf["media_type"] == "application/pdf"
    assert pdf["download_url"].endswith(f"/resource/{cat.pdf.id}/download")
    assert pdf["rows_url"] is None and pdf["row_count"] is None and pdf["columns"] is None
    link = scratch_client.get(f"/api/v1/resources/{cat.link.id}").json["data"]
    assert link["url"] == link["download_url"] == "https://data.example.go.id/profil.zip"
    assert link["sha256"] is None and link["size"] is None and link["rows_url"] is None


# --------------------------------------------------------------------------- rows


def test_rows_first_page(scratch_client, cat):
    res = cat.penduduk.resources[0]
    resp = scratch_client.get(f"/api/v1/resources/{res.id}/rows")
    assert resp.status_code == 200
    body = resp.json
    assert body["data"]["columns"] == [
        {"name": "kode_wilayah", "type": "string"}, {"name": "kecamatan", "type": "string"},
        {"name": "laki_laki", "type": "number"}, {"name": "perempuan", "type": "number"}]
    # Region codes stay text: "14.07.01", not the number 14.07.
    assert body["data"]["rows"][0] == ["14.07.01", "Kubu", 20350, 19410]
    assert len(body["data"]["rows"]) == 3
    assert body["meta"] == {"total": 3, "offset": 0, "limit": 100}
    assert body["links"]["next"] is None and body["links"]["prev"] is None


def test_rows_paging(scratch_client, cat):
    res = cat.penduduk.resources[0]
    first = scratch_client.get(f"/api/v1/resources/{res.id}/rows?limit=2").json
    assert [r[1] for r in first["data"]["rows"]] == ["Kubu", "Bangko"]
    assert first["meta"] == {"total": 3, "offset": 0, "limit": 2}
    second = scratch_client.get(first["links"]["next"]).json
    assert [r[1] for r in second["data"]["rows"]] == ["Tanah Putih"]
    assert second["meta"]["offset"] == 2 and second["links"]["next"] is None
    back = scratch_client.get(second["links"]["prev"]).json
    assert back["meta"]["offset"] == 0


def test_rows_offset_past_the_end_is_empty(scratch_client, cat):
    res = cat.penduduk.resources[0]
    resp = scratch_client.get(f"/api/v1/resources/{res.id}/rows?offset=10")
    assert resp.status_code == 200
    assert resp.json["data"]["rows"] == [] and resp.json["meta"]["total"] == 3
    assert resp.json["links"]["next"] is None


def test_rows_limit_defaults_to_api_max_rows_when_smaller(scratch_client, cat, app):
    res = cat.penduduk.resources[0]
    app.config["API_MAX_ROWS"] = 2
    try:
        body = scratch_client.get(f"/api/v1/resources/{res.id}/rows").json
        assert body["meta"]["limit"] == 2 and len(body["data"]["rows"]) == 2
    finally:
        app.config["API_MAX_ROWS"] = 1000


def test_rows_of_other_tables(scratch_client, cat):
    res = cat.sekolah.resources[0]
    body = scratch_client.get(f"/api/v1/resources/{res.id}/rows").json
    assert body["data"]["rows"] == [["14.72.01", "Dumai Barat", 2024, 21, 7], ["14.72.02", "Dumai Timur", 2024, 25, 8]]


# --------------------------------------------------------------------------- organisations


def test_organization_list(scratch_client, cat):
    resp = scratch_client.get("/api/v1/organizations")
    assert resp.status_code == 200
    data = resp.json["data"]
    assert [o["name"] for o in data] == sorted(o["name"] for o in data)
    assert resp.json["meta"] == {"total": 3}
    dinkes = next(o for o in data if o["slug"] == "dinkes-riau-uji")
    assert dinkes["acronym"] == "Dinkes" and dinkes["email"] == "dinkes@riau.go.id"
    assert dinkes["kind"] == "opd" and dinkes["dataset_count"] == 2
    assert dinkes["parent"]["slug"] == "pemprov-riau-uji"
    assert dinkes["datasets_url"] == "http://localhost/api/v1/datasets?organization=dinkes-riau-uji"
    assert ISO_UTC.match(dinkes["created_at"])
    # The link really lists that organisation's datasets.
    listed = scratch_client.get(dinkes["datasets_url"]).json["meta"]["total"]
    assert listed == dinkes["dataset_count"]


def test_organization_detail_with_parent_and_children(scratch_client, cat):
    province = scratch_client.get("/api/v1/organizations/pemprov-riau-uji").json["data"]
    assert province["kind"] == "provinsi" and province["kode_wilayah"] == "14"
    assert province["parent"] is None
    assert [c["slug"] for c in province["children"]] == ["dinkes-riau-uji"]
    assert province["dataset_count"] == 0
    dinkes = scratch_client.get("/api/v1/organizations/dinkes-riau-uji").json["data"]
    assert dinkes["parent"] == {"slug": "pemprov-riau-uji", "name": "Pemerintah Provinsi Riau", "kind": "provinsi",
                                "url": "http://localhost/api/v1/organizations/pemprov-riau-uji"}
    assert dinkes["children"] == [] and dinkes["dataset_count"] == 2


# --------------------------------------------------------------------------- topics and licences


def test_topic_list_and_detail(scratch_client, cat):
    resp = scratch_client.get("/api/v1/topics")
    assert resp.status_code == 200
    assert [t["slug"] for t in resp.json["data"]] == ["kependudukan", "kesehatan", "pertanian"]
    assert resp.json["meta"] == {"total": 3}
    topic = scratch_client.get("/api/v1/topics/kesehatan").json["data"]
    assert topic["name"] == "Kesehatan" and topic["dataset_count"] == 2
    assert topic["url"] == "http://localhost/api/v1/topics/kesehatan"
    assert scratch_client.get(topic["datasets_url"]).json["meta"]["total"] == 2


def test_licence_list(scratch_client, cat):
    resp = scratch_client.get("/api/v1/licences")
    assert resp.status_code == 200
    assert [lic["id"] for lic in resp.json["data"]] == ["cc-by-4.0", "odc-odbl"]  # by title
    assert resp.json["meta"] == {"total": 2}
    assert resp.json["data"][0]["is_open"] is True


@pytest.mark.writes
def test_empty_catalogue(scratch_client):
    for path in ("/api/v1/datasets", "/api/v1/organizations", "/api/v1/topics", "/api/v1/licences"):
        resp = scratch_client.get(path)
        assert resp.status_code == 200 and resp.json["data"] == [], path


# --------------------------------------------------------------------------- headers


def test_public_reads_allow_any_origin(scratch_client, cat):
    resp = scratch_client.get("/api/v1/datasets")
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_head_works_like_get(scratch_client, cat):
    resp = scratch_client.head(f"/api/v1/datasets/{cat.penduduk.slug}")
    assert resp.status_code == 200 and resp.get_data() == b""
