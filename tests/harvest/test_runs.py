"""Harvest runs end to end: a CKAN-shaped source on a real HTTP server on 127.0.0.1, the real
``ckan`` plug-in, the runner, the catalogue and review services. New records are created and
published (or queued for review), unchanged ones cost nothing, changed ones go through a
revision and a new version, vanished ones are withdrawn (never deleted); broken sources fail
readably and lose nothing; one run per source; cancel; a dead worker's run is detected."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from satudata.catalog.models import Dataset, DatasetState, DatasetVersion
from satudata.db import utcnow
from satudata.errors import Conflict, Forbidden, Invalid
from satudata.extensions import db
from satudata.harvest import services, tasks
from satudata.harvest.models import HarvestJob, HarvestObject, HarvestRecord, JobStatus, ObjectStatus
from tests.conftest import ROOT, satudata_env
from tests.factories import SYSTEM, make_dataset, make_licence, make_org, make_topic
from tests.harvesters.test_ckan import FakeCkan, package


def packages(n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        p = package(i)
        p["groups"] = [{"name": "kesehatan", "title": "Kesehatan"}]
        p["license_id"] = "cc-by-4.0"
        out.append(p)
    return out


@pytest.fixture()
def ckan(app: Flask) -> Iterator[FakeCkan]:
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    fake = FakeCkan(packages(30))
    yield fake
    fake.close()
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False


def new_source(url: str, **options: Any) -> Any:
    from satudata.catalog.models import Topic

    if db.session.scalar(select(Topic).where(Topic.slug == "kesehatan")) is None:
        make_topic("kesehatan", "Kesehatan")
    make_licence()
    org = make_org()
    source = services.add_source(SYSTEM, name=options.pop("name", "ckan-uji"), type="ckan", url=url, organization=org,
                                 title="Portal Uji", **options)
    db.session.commit()
    return source


def run(source: Any) -> HarvestJob:
    job = services.request_run(SYSTEM, source)
    db.session.commit()
    tasks.run_harvest(job.id)
    db.session.expire_all()
    found = db.session.get(HarvestJob, job.id)
    assert found is not None
    return found


def harvested(source: Any) -> list[Dataset]:
    return list(db.session.scalars(select(Dataset).where(Dataset.harvest_source_id == source.id,
                                                         Dataset.revision_of_id.is_(None)).order_by(Dataset.remote_id)))


def test_full_run_publishes_every_record_then_an_unchanged_run_changes_nothing(ckan: FakeCkan) -> None:
    source = new_source(ckan.url)
    job = run(source)
    assert job.status == JobStatus.FINISHED, job.errors
    assert job.counts == {"new": 30} and job.gathered == 30
    datasets = harvested(source)
    assert len(datasets) == 30
    first = datasets[0]
    assert first.state == DatasetState.PUBLISHED and first.remote_id == "id-0000"
    assert first.remote_url == f"{ckan.url}/dataset/dataset-0000"
    assert first.slug == "dataset-0000" and first.title == "Dataset 0"
    assert [t.slug for t in first.topics] == ["kesehatan"] and [t.name for t in first.tags] == ["kesehatan"]
    assert first.licence_id == "cc-by-4.0" and first.data_source == "Portal Uji"
    assert [(r.url, r.format) for r in first.resources] == [("https://contoh.go.id/0.csv", "CSV")]
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)
                             .where(DatasetVersion.dataset_id == first.id)) == 1
    record = services.record_of(first.id)
    assert record is not None and record.raw["name"] == "dataset-0000"  # the raw record, kept

    again = run(source)
    assert again.status == JobStatus.FINISHED and again.counts == {"unchanged": 30}
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)
                             .where(DatasetVersion.dataset_id == first.id)) == 1


def test_changed_records_get_a_new_version_and_vanished_ones_are_withdrawn(ckan: FakeCkan) -> None:
    source = new_source(ckan.url)
    run(source)
    ckan.packages[3] = copy.deepcopy(ckan.packages[3])
    ckan.packages[3]["title"] = "Dataset 3 (revisi)"
    ckan.packages[3]["metadata_modified"] = "2026-02-01T00:00:00.000000"
    gone = ckan.packages.pop(7)
    job = run(source)
    assert job.status == JobStatus.FINISHED, job.errors
    assert job.counts == {"updated": 1, "unchanged": 28, "withdrawn": 1}
    changed = db.session.scalar(select(Dataset).where(Dataset.remote_id == "id-0003"))
    assert changed is not None and changed.title == "Dataset 3 (revisi)" and changed.state == DatasetState.PUBLISHED
    assert changed.revision is None  # the revision was published and merged
    assert len(changed.versions) == 2
    withdrawn = db.session.scalar(select(Dataset).where(Dataset.remote_id == gone["id"]))
    assert withdrawn is not None and withdrawn.state == DatasetState.WITHDRAWN  # never deleted
    # It comes back: published again.
    ckan.packages.append(gone)
    back = run(source)
    assert back.counts.get("updated") == 1
    db.session.refresh(withdrawn)
    assert withdrawn.state == DatasetState.PUBLISHED


def test_review_mode_puts_records_in_the_walidata_queue(ckan: FakeCkan) -> None:
    from satudata.accounts import services as accounts
    from satudata.accounts.models import Notification, User
    from satudata.review import services as review

    source = new_source(ckan.url, publish_mode="review")
    walidata = accounts.create_user(SYSTEM, username="walidata.antrean", email="wa@contoh.go.id", full_name="Walidata",
                                    roles=[("walidata", source.organization)])
    accounts.create_user(SYSTEM, username="produsen.antrean", email="pa@contoh.go.id", full_name="Produsen",
                         roles=[("produsen", source.organization)])
    db.session.commit()
    job = run(source)
    assert job.counts == {"new": 30}
    assert {d.state for d in harvested(source)} == {DatasetState.SUBMITTED}
    assert len(review.review_queue(walidata)) == 30
    # One message for the run, not one per record; producers hear nothing of a harvest.
    told = list(db.session.scalars(select(Notification).join(User, User.id == Notification.user_id)))
    assert [(n.user_id, n.kind) for n in told] == [(walidata.id, "harvest.job")]
    assert "30 dataset menunggu pemeriksaan" in told[0].title and told[0].url == f"/kelola/harvest/panen/{job.id}"


def test_a_broken_source_fails_readably_and_loses_nothing(ckan: FakeCkan) -> None:
    source = new_source(ckan.url)
    run(source)
    ckan.mode = "html"
    job = run(source)
    assert job.status == JobStatus.FAILED
    assert job.errors and "Pengumpulan daftar dataset terhenti" in job.errors[0]
    summary = services.job_summary(job)
    assert summary["status"] == "failed" and summary["errors"] == job.errors
    assert {d.state for d in harvested(source)} == {DatasetState.PUBLISHED}  # nothing withdrawn
    ckan.mode = "ok"
    ckan.packages.clear()  # a source that suddenly lists nothing withdraws nothing either
    empty = run(source)
    assert empty.status == JobStatus.FAILED and "penarikan dilewati" in " ".join(empty.errors)
    assert {d.state for d in harvested(source)} == {DatasetState.PUBLISHED}


def test_a_source_that_is_down(app: Flask) -> None:
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    try:
        source = new_source("http://127.0.0.1:9")  # nothing listens there
        job = run(source)
    finally:
        app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False
    assert job.status == JobStatus.FAILED and job.errors
    assert job.counts == {}


def test_private_addresses_are_refused_unless_allowed(ckan: FakeCkan, app: Flask) -> None:
    source = new_source(ckan.url)
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False
    job = run(source)
    assert job.status == JobStatus.FAILED
    assert "127.0.0.1" in " ".join(job.errors) and not harvested(source)


def test_name_clashes_and_bad_records_are_per_record(ckan: FakeCkan) -> None:
    local = make_dataset(title="Dataset lokal", slug="dataset-0001", publish=False)
    ckan.packages[2]["license_id"] = "lisensi-aneh"
    ckan.packages[4] = {"id": "id-0004", "metadata_modified": "2026-01-05T00:00:00"}  # no name, no title
    source = new_source(ckan.url)
    job = run(source)
    assert job.status in (JobStatus.FINISHED, JobStatus.FINISHED_WITH_ERRORS)
    clash = db.session.scalar(select(Dataset).where(Dataset.remote_id == "id-0001"))
    assert clash is not None and clash.slug != "dataset-0001" and local.slug == "dataset-0001"
    odd = db.session.scalar(select(HarvestObject).where(HarvestObject.job_id == job.id,
                                                        HarvestObject.remote_id == "id-0002"))
    assert odd is not None and odd.status == ObjectStatus.NEW and "lisensi-aneh" in (odd.message or "")
    lic = db.session.scalar(select(Dataset).where(Dataset.remote_id == "id-0002"))
    assert lic is not None and lic.licence_id is None
    objects, total = services.list_objects(job, status="error")
    assert total == job.count("error") and all(o.message for o in objects)


def test_one_run_per_source_cancel_and_a_dead_worker(ckan: FakeCkan) -> None:
    source = new_source(ckan.url)
    job = services.request_run(SYSTEM, source)
    db.session.commit()
    with pytest.raises(Conflict, match="masih antre"):
        services.request_run(SYSTEM, source)
    db.session.rollback()
    services.cancel_job(SYSTEM, job)
    db.session.commit()
    assert tasks.run_harvest(job.id) == "cancelled"
    assert not harvested(source)
    # A run whose worker died: "running" with no heartbeat and no RQ job. The sweep fails it and
    # the next run goes normally.
    dead = services.request_run(SYSTEM, source)
    dead.status = JobStatus.RUNNING
    dead.started_at = dead.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert tasks.sweep()["failed"] == 1
    db.session.expire_all()
    assert dead.status == JobStatus.FAILED and "Pekerja berhenti" in dead.errors[-1]
    assert run(source).status == JobStatus.FINISHED


def test_the_sweep_starts_scheduled_sources(ckan: FakeCkan) -> None:
    daily = new_source(ckan.url, schedule="daily")
    manual = new_source(ckan.url, name="manual-uji")
    assert tasks.sweep()["started"] == 1
    db.session.expire_all()
    assert daily.last_job_id is not None and manual.last_job_id is None
    started = db.session.get(HarvestJob, daily.last_job_id)
    assert started is not None and started.trigger == "schedule"
    started.created_at = utcnow() - timedelta(days=2)
    started.status = JobStatus.FINISHED
    db.session.commit()
    assert tasks.sweep()["started"] == 1


def test_sources_are_checked_and_only_walidata_manage_them(ckan: FakeCkan) -> None:
    org = make_org()
    with pytest.raises(Invalid, match="Konfigurasi sumber tidak valid"):
        services.add_source(SYSTEM, name="salah", type="ckan", url=ckan.url, organization=org,
                            config={"page_size": 0})
    with pytest.raises(Invalid, match="tidak dikenal"):
        services.add_source(SYSTEM, name="salah", type="siputih", url=ckan.url, organization=org)
    with pytest.raises(Invalid, match="http"):
        services.add_source(SYSTEM, name="salah", type="ckan", url="ftp://contoh", organization=org)
    from satudata.accounts import services as accounts
    from satudata.authz import Role

    producer = accounts.create_user(SYSTEM, username="produsen.harvest", email="p@contoh.go.id",
                                    full_name="Produsen", roles=[(Role.PRODUSEN, org)])
    walidata = accounts.create_user(SYSTEM, username="walidata.harvest", email="w@contoh.go.id",
                                    full_name="Walidata", roles=[(Role.WALIDATA, org)])
    assert services.add_source(walidata, name="milik-walidata", type="ckan", url=ckan.url, organization=org)
    with pytest.raises(Forbidden):
        services.add_source(producer, name="milik-produsen", type="ckan", url=ckan.url, organization=org)


def test_the_cli_runs_a_source_and_prints_the_json_contract(ckan: FakeCkan, app: Flask) -> None:
    org = make_org()
    db.session.commit()
    env = satudata_env(app, HARVEST_ALLOW_PRIVATE_NETWORKS="true")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "satudata.cli", "harvest", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    added = cli("source", "add", "--name", "ckan-cli", "--type", "ckan", "--url", ckan.url, "--org", org.slug,
                "--config", json.dumps({"page_size": 10}))
    assert added.returncode == 0, added.stderr
    done = cli("run", "ckan-cli", "--wait", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "finished" and summary["errors"] == []
    assert summary["counts"] == {"new": 30, "updated": 0, "unchanged": 0, "withdrawn": 0, "error": 0}
    assert isinstance(summary["job"], int) and summary["seconds"] > 0
    listed = cli("sources")
    assert "ckan-cli" in listed.stdout and "30 dataset" in listed.stdout
    history = cli("jobs", "ckan-cli")
    assert f"#{summary['job']}" in history.stdout and "finished" in history.stdout
    assert cli("run", "tidak-ada").returncode != 0
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HarvestRecord)) == 30


def test_the_dataset_page_says_where_it_was_harvested_from(ckan: FakeCkan, app: Flask) -> None:
    from tests.conftest import FreshGlobalsClient

    source = new_source(ckan.url)
    run(source)
    first = harvested(source)[0]
    app.test_client_class = FreshGlobalsClient
    page = app.test_client().get(f"/dataset/{first.slug}").get_data(as_text=True)
    host = ckan.url.split("/")[2]
    assert "Dipanen dari" in page and f'href="{ckan.url}/dataset/dataset-0000" rel="nofollow noopener">{host}</a>' in page


def test_harvested_datasets_keep_their_source_fields_but_local_ones_are_editable(ckan: FakeCkan) -> None:
    from satudata.accounts import services as accounts
    from satudata.authz import Role
    from satudata.catalog import services as catalog
    from satudata.review import services as review

    source = new_source(ckan.url, publish_mode="review")
    run(source)
    ds = harvested(source)[0]
    producer = accounts.create_user(SYSTEM, username="produsen.panen", email="pp@contoh.go.id", full_name="Produsen",
                                    roles=[(Role.PRODUSEN, ds.organization)])
    review.retract_submission(SYSTEM, ds)  # back to a draft, which its producer may edit
    db.session.commit()
    with pytest.raises(Invalid, match="title") as refused:
        catalog.update_dataset(producer, ds, {"title": "Judul lokal", "urusan": "Kesehatan"})
    assert "title" in refused.value.details
    db.session.rollback()
    db.session.refresh(ds)
    assert ds.title == "Dataset 0" and ds.urusan is None
    assert catalog.update_dataset(producer, ds, {"title": "Dataset 0", "urusan": "Kesehatan"}) == ["urusan"]
    with pytest.raises(Conflict, match="dipanen"):
        catalog.add_workspace_link(producer, ds, url="https://contoh.go.id/lain.pdf", name="Lain")
    db.session.rollback()


def test_an_opd_listing_with_a_duplicated_id_and_a_bad_row(app: Flask) -> None:
    """The listing plug-in (an OPD's plain JSON list): a duplicated id is an error on its second
    row, the first one is harvested; the run finishes with errors and the rest is published."""
    from tests.harvesters.test_dcat import Served

    rows = [{"id": "sipd-1", "judul": "Jumlah Puskesmas", "url": "https://opd.contoh.go.id/puskesmas.csv",
             "format": "CSV", "tag": "kesehatan, puskesmas", "diperbarui": "2026-03-01"},
            {"id": "sipd-2", "judul": "Jumlah Sekolah", "url": "https://opd.contoh.go.id/sekolah.xlsx", "format": "XLSX"},
            {"id": "sipd-1", "judul": "Jumlah Puskesmas (salinan)", "url": "https://opd.contoh.go.id/x.csv"}]
    served = Served()
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    try:
        url = served.put("/daftar.json", json.dumps(rows), "application/json")
        make_licence()
        source = services.add_source(SYSTEM, name="sipd-opd", type="listing", url=url, organization=make_org())
        db.session.commit()
        job = run(source)
    finally:
        app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False
        served.server.shutdown()
        served.server.server_close()
    assert job.status == JobStatus.FINISHED_WITH_ERRORS
    assert job.counts == {"new": 2, "error": 1}
    error = db.session.scalar(select(HarvestObject).where(HarvestObject.job_id == job.id,
                                                          HarvestObject.status == ObjectStatus.ERROR))
    assert error is not None and error.remote_id == "sipd-1" and "lebih dari sekali" in (error.message or "")
    first = db.session.scalar(select(Dataset).where(Dataset.remote_id == "sipd-1"))
    assert first is not None and first.title == "Jumlah Puskesmas" and first.state == DatasetState.PUBLISHED
    assert services.job_summary(job)["status"] == "finished"


def test_the_sources_page_stays_a_few_queries_with_hundreds_of_sources(app: Flask) -> None:
    """CKAN's status pages time out with hundreds of sources; ours reads them in a fixed number of queries."""
    from sqlalchemy import event


    org = make_org()
    for i in range(300):
        source = services.add_source(SYSTEM, name=f"sumber-{i:03d}", type="ckan", url=f"https://ckan{i}.contoh.go.id",
                                     organization=org)
        job = HarvestJob(source=source, status=JobStatus.FINISHED, counts={"new": i}, errors=[])
        db.session.add(job)
        db.session.flush()
        source.last_job_id = job.id
    db.session.commit()
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2])[:60])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        rows = services.list_sources()
        assert len(rows) == 300 and all(r.last_job is not None for r in rows)
        names = [r.source.organization.name for r in rows]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(names) == 300 and len(statements) <= 5, statements


def test_incremental_runs_ask_only_for_changes_and_still_learn_deletions(ckan: FakeCkan) -> None:
    source = new_source(ckan.url, config={"incremental": True})
    first = run(source)
    assert first.counts == {"new": 30}
    assert not any("metadata_modified:[" in params.get("fq", [""])[0] for _, params in ckan.calls)  # a full run
    ckan.calls.clear()
    ckan.packages[3] = {**ckan.packages[3], "title": "Dataset 3 (revisi)", "metadata_modified": "2099-01-01T00:00:00"}
    gone = ckan.packages.pop(9)
    second = run(source)
    assert second.status == JobStatus.FINISHED, second.errors
    # Only the changed record was gathered; the light id list (fl=id,name) told what was deleted.
    assert second.counts == {"updated": 1, "withdrawn": 1} and second.gathered == 1
    searches = [params for action, params in ckan.calls if action == "package_search"]
    assert any("metadata_modified:[" in p.get("fq", [""])[0] for p in searches)
    assert any(p.get("fl") == ["id,name"] for p in searches)
    withdrawn = db.session.scalar(select(Dataset).where(Dataset.remote_id == gone["id"]))
    assert withdrawn is not None and withdrawn.state == DatasetState.WITHDRAWN
    # A source whose id list cannot be read withdraws nothing.
    ckan.packages.pop(0)
    ckan.mode = "html"
    third = run(source)
    assert third.status == JobStatus.FAILED
    assert db.session.scalar(select(func.count()).select_from(Dataset).where(
        Dataset.harvest_source_id == source.id, Dataset.state == DatasetState.WITHDRAWN)) == 1


def test_people_decisions_stand_and_one_broken_record_does_not_stop_a_run(ckan: FakeCkan) -> None:
    from satudata.review import services as review

    other_region = make_org(slug="walidata-lain-uji", is_walidata=True)
    db.session.commit()
    source = new_source(ckan.url)
    # An organisation map is no way into another region: refused when saved ...
    with pytest.raises(Invalid, match="di luar wilayah"):
        services.update_source(_walidata_of(source), source, {"config": {"organization_map": {"dinkes": other_region.slug}}})
    db.session.rollback()
    # ... and, set by the system regardless, ignored with a note when the records are imported.
    source.config = {**source.config, "organization_map": {"dinkes": other_region.slug}}
    ckan.packages[1]["resources"] = [{"url": 12345}]  # a record the plug-in cannot map: a bug of its own
    ckan.packages[2]["name"] = ""
    ckan.packages[2]["url"] = "javascript:alert(1)"
    db.session.commit()
    job = run(source)
    assert job.status == JobStatus.FINISHED_WITH_ERRORS and job.count("new") == 29 and job.count("error") == 1
    broken = db.session.scalar(select(HarvestObject).where(HarvestObject.job_id == job.id,
                                                           HarvestObject.status == ObjectStatus.ERROR))
    assert broken is not None and broken.remote_id == "id-0001" and "Kesalahan sistem" in (broken.message or "")
    placed = harvested(source)
    assert {d.organization_id for d in placed} == {source.organization_id}
    note = db.session.scalar(select(HarvestObject.message).where(HarvestObject.job_id == job.id,
                                                                 HarvestObject.remote_id == "id-0000"))
    assert "wilayah walidata lain" in (note or "")
    odd = db.session.scalar(select(Dataset).where(Dataset.remote_id == "id-0002"))
    assert odd is not None and odd.remote_url is None  # never a javascript: link
    # A dataset the walidata withdrew stays withdrawn when its record changes at the source.
    chosen = db.session.scalar(select(Dataset).where(Dataset.remote_id == "id-0005"))
    assert chosen is not None
    review.withdraw_dataset(SYSTEM, chosen, reason="Data ini keliru; ditarik walidata.")
    db.session.commit()
    ckan.packages[5] = {**ckan.packages[5], "title": "Dataset 5 (diubah)", "metadata_modified": "2026-03-01T00:00:00"}
    again = run(source)
    assert again.count("updated") >= 1
    db.session.refresh(chosen)
    assert chosen.state == DatasetState.WITHDRAWN and chosen.title == "Dataset 5 (diubah)"


def _walidata_of(source: Any) -> Any:
    from satudata.accounts import services as accounts
    from satudata.authz import Role

    user = accounts.create_user(SYSTEM, username=f"walidata.{source.name}", email=f"w.{source.name}@contoh.go.id",
                                full_name="Walidata", roles=[(Role.WALIDATA, source.organization)])
    db.session.commit()
    return user


def test_run_wait_does_not_hang_on_a_dead_worker(ckan: FakeCkan, app: Flask) -> None:
    """A harvest worker killed without unregistering stays listed in Redis; `run --wait` sees its
    heartbeat is old and runs the job itself rather than wait forever."""
    from rq import Queue, Worker
    from rq.utils import utcformat

    from satudata import jobs

    source = new_source(ckan.url, name="cli-mati")
    connection = jobs.get_redis()
    dead = Worker([Queue("harvest", connection=connection)], connection=connection, name="pekerja-mati-uji")
    dead.register_birth()
    connection.hset(dead.key, "last_heartbeat", utcformat(utcnow() - timedelta(hours=2)))
    try:
        env = satudata_env(app, HARVEST_ALLOW_PRIVATE_NETWORKS="true")
        done = subprocess.run([sys.executable, "-m", "satudata.cli", "harvest", "run", source.name, "--wait", "--json"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        dead.register_death()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["new"] == 30  # --json: quiet, the note is not printed
