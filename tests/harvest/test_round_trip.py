"""The round trip with ourselves: one Satu Data portal harvests another, over CKAN and over DCAT.

The SOURCE is a second portal of its own (instance path, SQLite database or PostgreSQL schema,
search index) holding the demo catalogue, served over real HTTP on 127.0.0.1; the TARGET is the
test's ``app``, set up as a walidata would (licences, topics but one, its own organisations
mapped by the source's ``organization_map``). The target harvests the source with the real
plug-in (``ckan`` on the Action API, ``dcat`` on ``/catalog.jsonld``) and runner, then the two
catalogues are compared through their CKAN API (the source's over HTTP, the target's through
its test client): ``package_show`` of every public source dataset against the dataset harvested
from it (matched by remote id), field by field, for everything the importer maps. A second run
changes nothing; a dataset withdrawn at the source is withdrawn on the target (never deleted).
What a plug-in or feed cannot carry yet is listed in ``KNOWN_LOSSES`` with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from satudata.catalog.models import Dataset, DatasetState, DatasetVersion, Licence, Topic
from satudata.extensions import db
from satudata.harvest import services, tasks
from satudata.harvest.models import HarvestJob, HarvestRecord, HarvestSource, JobStatus
from tests.conftest import FreshGlobalsClient, drop_schema, make_app, serve_live
from tests.factories import SYSTEM, make_org

OWNER = "diskominfo-provinsi"  # the target organisation that owns what no map entry places elsewhere
TARGET_SUFFIX = "-prov"  # the target's organisations: the source's slugs with this suffix


@dataclass
class SourcePortal:
    app: Flask
    url: str
    http: requests.Session  # straight to 127.0.0.1, whatever proxy the environment names

    def action(self, name: str, **params: Any) -> Any:
        """``name`` of the source's CKAN Action API, over HTTP."""
        answer = self.http.get(f"{self.url}/api/3/action/{name}", params=params, timeout=30)
        answer.raise_for_status()
        body = answer.json()
        assert body["success"] is True, body
        return body["result"]

    def published(self) -> list[dict[str, Any]]:
        """``package_show`` of every public dataset of the source, by name."""
        return [self.action("package_show", id=name) for name in self.action("package_list")]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SourcePortal]:
    """A portal of its own holding the demo catalogue (indexed, as its search worker would),
    served on 127.0.0.1. Tests may withdraw a dataset and must put it back."""
    from satudata.demo import load_demo
    from satudata.search import services as search

    app = make_app(tmp_path_factory.mktemp("round_trip_source"), "rtsource", DCAT_PAGE_SIZE=20)
    try:
        with app.app_context():
            load_demo()
            search.reindex_all()
            db.session.remove()
        serving = serve_live(app, "round-trip-source")
        url = next(serving)
        http = requests.Session()
        http.trust_env = False
        try:
            yield SourcePortal(app, url, http)
        finally:
            http.close()
            next(serving, None)  # shuts the server down
    finally:
        drop_schema(app)


@contextmanager
def withdrawn_at_source(source: SourcePortal, name: str) -> Iterator[None]:
    """Withdraw ``name`` on the source as its walidata would (and the search worker after the
    commit); published again afterwards, so the module's other tests see the whole demo."""
    from satudata.review import services as review
    from satudata.search.tasks import sync_dataset

    def move(withdraw: bool) -> None:
        with source.app.app_context():
            ds = db.session.scalar(select(Dataset).where(Dataset.slug == name))
            assert ds is not None
            if withdraw:
                review.withdraw_dataset(SYSTEM, ds, reason="Diperbaiki oleh produsen data.")
            else:
                review.republish_dataset(SYSTEM, ds, note="Diterbitkan kembali.")
            db.session.commit()
            sync_dataset(ds.id)
            db.session.remove()

    move(True)
    try:
        yield
    finally:
        move(False)


@pytest.fixture()
def target(app: Flask) -> Iterator[FlaskClient]:
    """The target portal (the test's ``app``) allowed to harvest 127.0.0.1; its CKAN API client."""
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    app.test_client_class = FreshGlobalsClient
    try:
        yield app.test_client()
    finally:
        app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False


def target_action(client: FlaskClient, name: str, **params: Any) -> Any:
    answer = client.get(f"/api/3/action/{name}", query_string=params)
    body = answer.get_json()
    return body["result"] if body.get("success") else None


@dataclass
class Setup:
    topics: set[str]  # the source's topics the target has (one is left out on purpose)
    organization_map: dict[str, str]
    unmapped: str  # the source organisation left out of the map


def prepare_target(source: SourcePortal, packages: list[dict[str, Any]]) -> Setup:
    """The target as a walidata would set it up: the licences, the topics but one (its datasets
    keep their other topics), and organisations for all the source's OPD but one, mapped in the
    source's ``organization_map`` (the one left out lands in the source's own organisation)."""
    for lic in source.action("license_list"):
        db.session.add(Licence(id=lic["id"], title=lic["title"], url=lic["url"] or None, is_open=True))
    groups = source.action("group_list", all_fields=True)
    used = sorted((g for g in groups if g["package_count"]), key=lambda g: (g["package_count"], g["name"]))
    left_out = used[0]["name"]
    for g in groups:
        if g["name"] != left_out:
            db.session.add(Topic(slug=g["name"], name=g["title"]))
    orgs = sorted({p["organization"]["name"]: p["organization"]["title"] for p in packages}.items())
    unmapped = orgs[0][0]
    mapping = {}
    for slug, title in orgs[1:]:
        make_org(slug + TARGET_SUFFIX, name=title)
        mapping[slug] = slug + TARGET_SUFFIX
    make_org(OWNER, name="Dinas Komunikasi dan Informatika Provinsi")
    db.session.commit()
    return Setup(topics={g["name"] for g in groups} - {left_out}, organization_map=mapping, unmapped=unmapped)


def run(source: HarvestSource) -> HarvestJob:
    job = services.request_run(SYSTEM, source)
    db.session.commit()
    tasks.run_harvest(job.id)
    db.session.commit()
    db.session.expire_all()
    found = db.session.get(HarvestJob, job.id)
    assert found is not None
    return found


def _names(items: list[dict[str, Any]]) -> list[str]:
    return sorted(i["name"] for i in items)


def _resources(pkg: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((r["url"], r["name"], r["format"], r["description"]) for r in pkg["resources"])


# Satu Data fields the importer maps, as both portals' package_show write them.
MAPPED_SATU_DATA = ("tahun", "periode", "frekuensi", "cakupan_wilayah", "sumber_data")
# The local-only Satu Data fields a new harvested dataset starts with (importer.local_start).
LOCAL_SATU_DATA = ("urusan", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "tingkat_penyajian",
                   "kode_wilayah", "cara_pengumpulan", "jenis_data", "status_data", "jadwal_rilis", "data_prioritas")


# What a plug-in still loses, with the reason; the round trip over that plug-in does not compare it.
KNOWN_LOSSES: dict[str, set[str]] = {
    "ckan": set(),
    # satudata/api/dcat.py writes a tag's name as its dcat:keyword, not the text as written, and
    # no sumber_data (DCAT-AP has no plain "data source" property); DCAT has no order of
    # distributions (the plug-in sorts them by id).
    # Nor the local-only Satu Data fields (DCAT-AP has no terms for them).
    "dcat": {"tag display names", "sumber_data", "resource order", "satu data (local)"},
}


def differences(src: dict[str, Any], got: dict[str, Any] | None, setup: Setup, source_url: str,
                tolerated: set[str]) -> list[str]:
    """What the target's ``package_show`` says differently from the source's, for every field the
    importer maps but ``tolerated`` (empty: nothing lost)."""
    if got is None:
        return ["not public on the target"]
    want: dict[str, Any] = {
        "title": src["title"],
        "notes": src["notes"],
        "url": f"{source_url}/dataset/{src['name']}",  # the source's page ...
        "tags": _names(src["tags"]),
        "tag display names": sorted(t["display_name"] for t in src["tags"]),
        "groups": sorted(n for n in _names(src["groups"]) if n in setup.topics),
        "license": (src["license_id"], src["license_title"], src["license_url"]),
        "organization": setup.organization_map.get(src["organization"]["name"], OWNER),
        "resources": _resources(src),
        "resource order": [r["url"] for r in src["resources"]],
        "contact": (src["maintainer"], src["maintainer_email"]),
        **{key: src[key] for key in MAPPED_SATU_DATA if src.get(key) not in (None, "")},
        "satu data (local)": [src.get(key) for key in LOCAL_SATU_DATA],
    }
    have: dict[str, Any] = {
        "title": got["title"],
        "notes": got["notes"],
        "url": got["url"],
        "tags": _names(got["tags"]),
        "tag display names": sorted(t["display_name"] for t in got["tags"]),
        "groups": _names(got["groups"]),
        "license": (got["license_id"], got["license_title"], got["license_url"]),
        "organization": got["organization"]["name"],
        "resources": _resources(got),
        "resource order": [r["url"] for r in got["resources"]],
        "contact": (got["maintainer"], got["maintainer_email"]),
        **{key: got.get(key) for key in MAPPED_SATU_DATA if src.get(key) not in (None, "")},
        "satu data (local)": [got.get(key) for key in LOCAL_SATU_DATA],
    }
    out = [f"{key}: {want[key]!r} became {have[key]!r}" for key in want
           if want[key] != have[key] and key not in tolerated]
    if src["url"] != got["url"]:  # ... which is also what the source itself calls its page
        out.append(f"url: the source's own {src['url']!r} is not the target's {got['url']!r}")
    return out


# How the target reaches the source with each plug-in: the base URL of its CKAN API, its DCAT
# feed (satudata/api/dcat.py); both read in pages of 20 (the source has 53 public datasets).
PLUGINS = {
    "ckan": (lambda url: url, {"page_size": 20}),
    "dcat": (lambda url: f"{url}/catalog.jsonld", {}),
}


@pytest.mark.parametrize("kind", sorted(PLUGINS))
def test_a_portal_harvests_another_without_losing_a_mapped_field(kind: str, source: SourcePortal,
                                                                 target: FlaskClient) -> None:
    assert kind in services.plugins(), f"the {kind} plug-in is not installed (make setup: pip install -e .)"
    packages = source.published()
    assert len(packages) >= 40
    setup = prepare_target(source, packages)
    address, config = PLUGINS[kind]
    harvest = services.add_source(SYSTEM, name=f"satudata-{kind}", type=kind, url=address(source.url),
                                  organization=OWNER, title="Satu Data Kabupaten",
                                  config={"organization_map": setup.organization_map, **config})
    db.session.commit()

    job = run(harvest)
    assert job.status == JobStatus.FINISHED, job.errors
    assert job.counts == {"new": len(packages)} and job.gathered == len(packages)

    # Every public source dataset is a published dataset on the target, the record of its
    # source dataset (remote id = the source's id), public as the source shows it.
    harvested = {str(ds.remote_id): ds for ds in db.session.scalars(select(Dataset).where(
        Dataset.harvest_source_id == harvest.id, Dataset.revision_of_id.is_(None)))}
    assert sorted(harvested) == sorted(src["id"] for src in packages)
    assert {ds.state for ds in harvested.values()} == {DatasetState.PUBLISHED}
    if kind == "ckan":  # CKAN names travel; DCAT has only the id (a UUID) and the title, slugged
        assert {src["id"]: src["name"] for src in packages} == {rid: ds.slug for rid, ds in harvested.items()}
    lost = {}
    for src in packages:
        shown = target_action(target, "package_show", id=harvested[src["id"]].slug)
        found = differences(src, shown, setup, source.url, KNOWN_LOSSES[kind])
        if found:
            lost[src["name"]] = found
    assert not lost, "\n".join(f"{name}: {'; '.join(d)}" for name, d in sorted(lost.items()))
    # What the test set up was exercised: a topic the target lacks, an organisation not mapped.
    assert any(set(_names(p["groups"])) - setup.topics for p in packages)
    assert any(p["organization"]["name"] == setup.unmapped for p in packages)
    versions = db.session.scalar(select(func.count()).select_from(DatasetVersion))

    # Nothing changed at the source: nothing changes on the target.
    again = run(harvest)
    assert again.status == JobStatus.FINISHED, again.errors
    assert again.counts == {"unchanged": len(packages)}
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)) == versions

    # A dataset withdrawn at the source is withdrawn on the target, not deleted.
    gone = packages[len(packages) // 2]
    with withdrawn_at_source(source, gone["name"]):
        assert gone["name"] not in source.action("package_list")
        third = run(harvest)
        assert third.status == JobStatus.FINISHED, third.errors
        assert third.counts == {"unchanged": len(packages) - 1, "withdrawn": 1}
        ds = harvested[gone["id"]]
        db.session.refresh(ds)
        assert ds.state == DatasetState.WITHDRAWN
        assert target_action(target, "package_show", id=ds.slug) is None
        record = db.session.scalar(select(HarvestRecord).where(HarvestRecord.remote_id == gone["id"]))
        assert record is not None and record.withdrawn
        assert sorted(target_action(target, "package_list")) == sorted(
            d.slug for rid, d in harvested.items() if rid != gone["id"])


def test_the_importer_keeps_what_the_round_trips_cannot_show(app: Flask) -> None:
    """Tags as a plug-in writes them (both plug-ins above hand over tag names), the EU
    frequency codes our own feed writes for semesteran and tidak tentu, and the Satu Data
    extras only when the plug-in's own field is empty."""
    from harvesters.base import RemoteDataset
    from satudata.catalog.models import Frequency
    from satudata.harvest import importer

    org = make_org()
    harvest = services.add_source(SYSTEM, name="uji-impor", type="ckan", url="https://data.contoh.go.id",
                                  organization=org, title="Portal Contoh")
    remote = RemoteDataset(remote_id="x", name="x", title="X", tags=["Kabupaten/Kota", "kabupaten-kota", "IPM"],
                           frequency="http://publications.europa.eu/resource/authority/frequency/ANNUAL_2",
                           period="2020-2025",
                           extras={"tahun": "2025", "periode": "2025", "cakupan_wilayah": "Kota Dumai",
                                   "frekuensi": "bulanan", "sumber_data": "BPS"})
    notes: list[str] = []
    values = importer.metadata(remote, harvest, notes)
    assert values["tags"] == ["Kabupaten/Kota", "IPM"] and not notes
    assert values["frequency"] == Frequency.SEMESTERAN and values["period"] == "2020-2025"
    assert (values["year"], values["coverage"], values["data_source"]) == (2025, "Kota Dumai", "BPS")
    assert importer.frequency_of("IRREG") == Frequency.TIDAK_TENTU
    remote.extras = {"tahun": "dua ribu"}
    values = importer.metadata(remote, harvest, notes)
    assert values["year"] is None and values["data_source"] == "Portal Contoh"
    dataset = importer.create(harvest, RemoteDataset(remote_id="y", name="y", title="Y", tags=["Kabupaten/Kota"])).dataset
    assert dataset is not None and [(t.name, t.display_name) for t in dataset.tags] == [("kabupaten-kota",
                                                                                         "Kabupaten/Kota")]
