"""Harvesting over the REST API (/api/v1/harvest): a walidata adds a CKAN-shaped source (on a
real HTTP server on 127.0.0.1), is refused what is wrong with a message per field, changes it,
tries it without writing anything, runs it (one run at a time), reads the run, its objects and
the raw record behind a dataset, and cancels; producers, other regions' walidata and callers
without a token are refused; every change is audited. Every answer is checked against the
OpenAPI document, and every harvest operation is called."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select

from satudata import jobs
from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog
from satudata.api.openapi import operations
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.harvest import services, tasks
from satudata.harvest.models import HarvestJob, HarvestSource, JobStatus
from tests.accounts.conftest import PASSWORD, orgs, tokens, users  # noqa: F401  (fixtures)
from tests.api.test_workspace_api import Api, document  # noqa: F401  (fixture)
from tests.factories import SYSTEM
from tests.harvest.test_runs import packages
from tests.harvesters.test_ckan import FakeCkan
from tests.workspace.conftest import vocab  # noqa: F401  (fixture)

SOURCES = "/harvest/sources"
SOURCE = "/harvest/sources/{name}"
JOB = "/harvest/jobs/{job_id}"


@pytest.fixture()
def ckan(app: Flask) -> Iterator[FakeCkan]:
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    fake = FakeCkan(packages(12))
    queue = jobs.get_queue("harvest")
    queue.empty()
    yield fake
    fake.close()
    queue.empty()  # the runs queued here were run in-process
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False


@pytest.fixture()
def api(scratch_client: Any, document: dict[str, Any], request: Any) -> Api:  # noqa: F811
    return Api(scratch_client, document, request)


def source_body(base: str, **changes: Any) -> dict[str, Any]:
    return {"name": "ckan-uji", "title": "Portal Uji", "type": "ckan", "url": base, "organization": "dinkes-riau",
            "config": {"default_tags": ["panen"]}, "schedule": "daily", "publish_mode": "direct", **changes}


def other_walidata(orgs: dict[str, Any]) -> str:  # noqa: F811
    """A write token of the walidata of another region (Kota Dumai)."""
    dumai = accounts.create_user(SYSTEM, username="walidata.dumai", email="w@dumai.go.id", full_name="Walidata Dumai",
                                 password=PASSWORD, roles=[("walidata", orgs["other"])])
    _, secret = accounts.create_api_token(SYSTEM, dumai, "uji", "write")
    db.session.commit()
    return secret


def details(answer: dict[str, Any]) -> dict[str, list[str]]:
    assert answer["error"]["code"] in ("invalid", "conflict", "forbidden", "not_found"), answer
    return dict(answer["error"]["details"])


def test_a_walidata_manages_and_runs_a_source_through_the_api(api: Api, ckan: FakeCkan) -> None:
    write, read = api.tokens["walidata"]["write"], api.tokens["walidata"]["read"]
    assert api("get", SOURCES, 200, token=read) == {"data": [], "meta": {"total": 0}}

    # Refused with what to fix, field by field; nothing is written.
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"config": {"page_size": "banyak"}}, "config", "page_size"),
        ({"config": {"page_size": 0}}, "config", "page_size"),
        ({"config": ["dinkes"]}, "config", "objek JSON"),
        ({"type": "siputih"}, "type", "ckan"),
        ({"url": "ftp://contoh.go.id"}, "url", "URL"),
        ({"url": ""}, "url", "URL"),
        ({"organization": "tidak-ada"}, "organization", "tidak ada"),
        ({"name": "Bukan Nama!"}, "name", "Huruf kecil"),
        ({"schedule": "hourly"}, "schedule", "manual, daily, weekly"),
        ({"publish_mode": "langsung"}, "publish_mode", "direct, review"),
        ({"active": "mungkin"}, "active", "true"),
        ({"nama": "x"}, "nama", "tidak dikenal"),
    ]
    for change, field, part in cases:
        found = details(api("post", SOURCES, 422, token=write, json=source_body(ckan.url, **change)))
        assert field in found and any(part in m for m in found[field]), (change, found)
    missing = details(api("post", SOURCES, 422, token=write, json={}))
    assert {"name", "type", "url", "organization"} <= set(missing)
    api("post", SOURCES, 422, token=write, data="bukan json", content_type="application/json")
    assert db.session.scalar(select(func.count()).select_from(HarvestSource)) == 0

    # Added.
    added = api("post", SOURCES, 201, token=write, json=source_body(ckan.url))["data"]
    assert (added["name"], added["title"], added["type"], added["url"]) == ("ckan-uji", "Portal Uji", "ckan", ckan.url)
    assert added["organization"]["slug"] == "dinkes-riau"
    assert (added["schedule"], added["publish_mode"], added["active"]) == ("daily", "direct", True)
    assert added["config"]["default_tags"] == ["panen"] and added["config"]["page_size"] == 100  # the plug-in's defaults
    assert added["datasets"] == 0 and added["last_job"] is None
    assert added["links"]["self"].endswith("/api/v1/harvest/sources/ckan-uji")
    assert added["links"]["page"].endswith("/kelola/harvest/ckan-uji")
    taken = details(api("post", SOURCES, 409, token=write, json=source_body(ckan.url, title="Lagi")))
    assert "name" in taken
    api("post", SOURCES, 403, token=read, json=source_body(ckan.url, name="baca-saja"))  # a read token
    listed = api("get", SOURCES, 200, token=read)
    assert [s["name"] for s in listed["data"]] == ["ckan-uji"] and listed["meta"] == {"total": 1}
    assert api("get", SOURCE, 200, path="/harvest/sources/ckan-uji", token=read)["data"] == added

    # Changed: only what is sent; name and type cannot change.
    path = "/harvest/sources/ckan-uji"
    patched = api("patch", SOURCE, 200, path=path, token=write,
                  json={"schedule": "weekly", "title": "Portal Uji Baru", "url": ckan.url})
    assert sorted(patched["meta"]["changed"]) == ["schedule", "title"]
    assert (patched["data"]["schedule"], patched["data"]["title"]) == ("weekly", "Portal Uji Baru")
    assert api("patch", SOURCE, 200, path=path, token=write, json={})["meta"] == {"changed": []}
    for body, field in (({"name": "lain"}, "name"), ({"type": "dcat"}, "type"), ({"config": {"page_size": -1}}, "config"),
                        ({"url": "bukan-url"}, "url"), ({"schedule": None}, "schedule"),
                        ({"organization": "tidak-ada"}, "organization")):
        assert field in details(api("patch", SOURCE, 422, path=path, token=write, json=body)), body
    api("patch", SOURCE, 403, path=path, token=write, json={"organization": "pemkot-dumai"})  # another region
    assert services.get_source("ckan-uji").organization.slug == "dinkes-riau"

    # A dry run: the first records gathered and mapped; nothing written.
    trial = api("post", SOURCE + "/dry-run", 200, path=path + "/dry-run", token=write)["data"]
    assert trial["url"] == ckan.url and trial["errors"] == [] and trial["config"]["default_tags"] == ["panen"]
    assert [r["action"] for r in trial["records"]] == ["new"] * 5
    assert all(r["title"] and r["resources"] == 1 and r["error"] is None for r in trial["records"])
    two = api("post", SOURCE + "/dry-run", 200, path=path + "/dry-run", token=write,
              json={"limit": 2, "config": {"page_size": 10}})["data"]
    assert len(two["records"]) == 2 and two["config"]["page_size"] == 10
    broken = api("post", SOURCE + "/dry-run", 200, path=path + "/dry-run", token=write,
                 json={"url": "http://127.0.0.1:9"})["data"]  # nothing listens there: the error is in the answer
    assert broken["records"] == [] and broken["errors"]
    bad_trials: list[tuple[dict[str, Any], str]] = [
        ({"url": "ftp://x"}, "url"), ({"config": {"organizations": "dinkes"}}, "config"), ({"limit": 0}, "limit"),
        ({"limit": 21}, "limit"), ({"nama": 1}, "nama")]
    for body, field in bad_trials:
        assert field in details(api("post", SOURCE + "/dry-run", 422, path=path + "/dry-run", token=write,
                                    json=body)), body
    assert db.session.scalar(select(func.count()).select_from(HarvestJob)) == 0
    assert db.session.scalar(select(func.count()).select_from(Dataset)) == 0
    assert services.get_source("ckan-uji").config["page_size"] == 100  # the override was for the trial only

    # A run: not while the source is inactive; queued (202), and only one at a time.
    jobs_path = path + "/jobs"
    assert api("patch", SOURCE, 200, path=path, token=write, json={"active": False})["meta"] == {"changed": ["active"]}
    assert "nonaktif" in api("post", SOURCE + "/jobs", 409, path=jobs_path, token=write)["error"]["message"]
    api("patch", SOURCE, 200, path=path, token=write, json={"active": True})
    queued = api("post", SOURCE + "/jobs", 202, path=jobs_path, token=write)["data"]
    assert (queued["status"], queued["trigger"], queued["active"]) == ("queued", "api", True)
    assert queued["counts"] == {"new": 0, "updated": 0, "unchanged": 0, "withdrawn": 0, "error": 0}
    assert queued["source"]["name"] == "ckan-uji" and queued["errors"] == [] and queued["started_at"] is None
    assert queued["requested_by"] == "user:walidata"
    conflict = api("post", SOURCE + "/jobs", 409, path=jobs_path, token=write)["error"]
    assert "masih antre" in conflict["message"]
    assert db.session.scalar(select(func.count()).select_from(HarvestJob)) == 1

    # The worker's job, run here; then the run, its objects and a dataset's raw record.
    job_id = queued["id"]
    assert tasks.run_harvest(job_id) == "finished"
    db.session.expire_all()
    job_path = f"/harvest/jobs/{job_id}"
    done = api("get", JOB, 200, path=job_path, token=read)["data"]
    assert (done["status"], done["active"], done["gathered"], done["errors"]) == ("finished", False, 12, [])
    assert done["counts"] == {"new": 12, "updated": 0, "unchanged": 0, "withdrawn": 0, "error": 0}
    assert done["started_at"] and done["finished_at"] and done["seconds"] is not None and done["stage"] is None
    objects = api("get", JOB + "/objects", 200, path=job_path + "/objects", token=read)
    assert objects["meta"] == {"total": 12, "offset": 0, "limit": 100, "status": None}
    assert {o["status"] for o in objects["data"]} == {"new"} and objects["links"]["next"] is None
    page = api("get", JOB + "/objects", 200, path=job_path + "/objects", query="?status=new&limit=5&offset=5",
               token=read)
    assert page["meta"] == {"total": 12, "offset": 5, "limit": 5, "status": "new"} and len(page["data"]) == 5
    assert "offset=10" in page["links"]["next"] and "offset=0" in page["links"]["prev"]
    first = page["data"][0]
    assert first["dataset_id"] == first["dataset"]["id"] and first["dataset"]["state"] == "published"
    assert first["dataset"]["url"].endswith(f"/api/v1/workspace/datasets/{first['dataset']['slug']}")
    errors = api("get", JOB + "/objects", 200, path=job_path + "/objects", query="?status=error", token=read)
    assert errors["data"] == [] and errors["meta"]["total"] == 0
    for query, field in (("?status=aneh", "status"), ("?limit=0", "limit"), ("?limit=1001", "limit"),
                         ("?offset=-1", "offset")):
        assert field in details(api("get", JOB + "/objects", 422, path=job_path + "/objects", query=query,
                                    token=read)), query

    ds = db.session.scalars(select(Dataset).where(Dataset.remote_id == "id-0003")).one()
    record_template = "/harvest/datasets/{dataset_id}/record"
    record = api("get", record_template, 200, path=f"/harvest/datasets/{ds.id}/record", token=read)["data"]
    assert record["raw"]["name"] == "dataset-0003" and record["remote_id"] == "id-0003"
    assert record["dataset"]["slug"] == ds.slug and record["source"]["name"] == "ckan-uji"
    assert record["last_job_id"] == job_id and record["withdrawn"] is False
    api("get", record_template, 404, path="/harvest/datasets/tidak-ada/record", token=read)

    after = api("get", SOURCE, 200, path=path, token=read)["data"]
    assert after["datasets"] == 12 and after["last_job"]["id"] == job_id and after["last_job"]["status"] == "finished"
    history = api("get", SOURCE + "/jobs", 200, path=jobs_path, token=read)
    assert [j["id"] for j in history["data"]] == [job_id]
    assert history["meta"] == {"total": 1, "page": 1, "per_page": 20, "pages": 1}
    api("get", SOURCE + "/jobs", 404, path=jobs_path, query="?page=2", token=read)
    api("get", SOURCE + "/jobs", 422, path=jobs_path, query="?per_page=101", token=read)

    # Cancel: a finished run cannot be; a queued one is at once; a running one is asked to stop.
    api("post", JOB + "/cancel", 409, path=job_path + "/cancel", token=write)
    second = api("post", SOURCE + "/jobs", 202, path=jobs_path, token=write)["data"]
    cancelled = api("post", JOB + "/cancel", 200, path=f"/harvest/jobs/{second['id']}/cancel", token=write)["data"]
    assert (cancelled["status"], cancelled["active"]) == ("cancelled", False) and cancelled["finished_at"]
    assert "Dibatalkan sebelum mulai." in cancelled["errors"]
    third = api("post", SOURCE + "/jobs", 202, path=jobs_path, token=write)["data"]
    running = db.session.get(HarvestJob, third["id"])
    assert running is not None
    running.status = JobStatus.RUNNING
    db.session.commit()
    asked = api("post", JOB + "/cancel", 200, path=f"/harvest/jobs/{third['id']}/cancel", token=write)["data"]
    assert (asked["status"], asked["cancel_requested"]) == ("running", True)
    newest = api("get", SOURCE + "/jobs", 200, path=jobs_path, query="?per_page=2", token=read)
    assert [j["id"] for j in newest["data"]] == [third["id"], second["id"]] and newest["meta"]["pages"] == 2
    assert newest["links"]["next"] and newest["links"]["prev"] is None

    # Every change was audited, as the walidata; the refused ones left nothing.
    walidata = api.users["walidata"]
    rows = db.session.scalars(select(AuditLog).where(AuditLog.action.like("harvest_%")).order_by(AuditLog.id)).all()
    assert [(r.action, r.actor_id) for r in rows] == [
        ("harvest_source.create", walidata.id), ("harvest_source.update", walidata.id),
        ("harvest_source.update", walidata.id), ("harvest_source.update", walidata.id),
        ("harvest_job.create", walidata.id), ("harvest_job.create", walidata.id),
        ("harvest_job.cancel", walidata.id), ("harvest_job.create", walidata.id), ("harvest_job.cancel", walidata.id)]
    assert sorted(rows[1].summary["fields"]) == ["schedule", "title"]

    # Every harvest operation was called above and every answer matched the document.
    assert {(m, p) for m, p in api.exercised if p.startswith("/harvest")} == {
        (op.method, op.path) for op in operations(current_app) if op.endpoint.startswith("harvest_api.")}


def test_producers_other_regions_and_anonymous_callers_are_refused(api: Api, ckan: FakeCkan) -> None:
    source = services.add_source(SYSTEM, name="milik-riau", type="ckan", url=ckan.url, organization=api.orgs["dinkes"])
    db.session.commit()
    job = services.request_run(SYSTEM, source)
    db.session.commit()
    tasks.run_harvest(job.id)
    db.session.expire_all()
    ds = db.session.scalars(select(Dataset).where(Dataset.remote_id == "id-0001")).one()
    path, job_path = "/harvest/sources/milik-riau", f"/harvest/jobs/{job.id}"
    record_path = f"/harvest/datasets/{ds.id}/record"
    record_template = "/harvest/datasets/{dataset_id}/record"
    calls: list[tuple[str, str, str, dict[str, Any]]] = [
        ("get", SOURCE, path, {}),
        ("patch", SOURCE, path, {"json": {"schedule": "weekly"}}),
        ("post", SOURCE + "/dry-run", path + "/dry-run", {}),
        ("post", SOURCE + "/jobs", path + "/jobs", {}),
        ("get", SOURCE + "/jobs", path + "/jobs", {}),
        ("get", JOB, job_path, {}),
        ("post", JOB + "/cancel", job_path + "/cancel", {}),
        ("get", JOB + "/objects", job_path + "/objects", {}),
        ("get", record_template, record_path, {}),
    ]

    # A producer's token: nothing here is theirs, whatever the source.
    producer = api.tokens["produsen"]["write"]
    forbidden = api("get", SOURCES, 403, token=producer)["error"]
    assert forbidden["code"] == "forbidden" and "walidata" in forbidden["message"]
    api("post", SOURCES, 403, token=producer, json=source_body(ckan.url, name="milik-produsen"))
    for method, template, url, kwargs in calls:
        api(method, template, 403, path=url, token=producer, **kwargs)

    # Another region's walidata: sees none of this region's sources and may touch none.
    dumai = other_walidata(api.orgs)
    assert api("get", SOURCES, 200, token=dumai)["data"] == []
    for method, template, url, kwargs in calls:
        error = api(method, template, 403, path=url, token=dumai, **kwargs)["error"]
        assert "wilayah lain" in error["message"], (method, url)
    api("post", SOURCES, 403, token=dumai, json=source_body(ckan.url, name="milik-dumai"))

    # No token at all.
    api("get", SOURCES, 401, token=None)
    api("post", SOURCES, 401, token=None, json=source_body(ckan.url, name="tanpa-token"))
    for method, template, url, kwargs in calls:
        api(method, template, 401, path=url, token=None, **kwargs)

    # Unknown things are 404, for those who could see them.
    walidata = api.tokens["walidata"]["read"]
    api("get", SOURCE, 404, path="/harvest/sources/tidak-ada", token=walidata)
    api("get", JOB, 404, path="/harvest/jobs/999999", token=walidata)
    api("get", JOB, 404, path="/harvest/jobs/99999999999999999999", token=walidata)
    api("get", JOB + "/objects", 404, path="/harvest/jobs/999999/objects", token=walidata)
    api("post", JOB + "/cancel", 404, path="/harvest/jobs/999999/cancel", token=api.tokens["walidata"]["write"])
    api("get", record_template, 404, path="/harvest/datasets/" + "x" * 400 + "/record", token=walidata)

    # An admin manages every region's sources.
    admin = api.tokens["admin"]["read"]
    assert [s["name"] for s in api("get", SOURCES, 200, token=admin)["data"]] == ["milik-riau"]
    assert api("get", SOURCE, 200, path=path, token=admin)["data"]["datasets"] == 12

    # Nothing changed, and each refusal of a signed caller left a trace.
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HarvestJob)) == 1
    assert [s.name for s in db.session.scalars(select(HarvestSource))] == ["milik-riau"]
    assert str(services.get_source("milik-riau").schedule) == "manual"
    assert not db.session.scalars(select(AuditLog).where(AuditLog.action.like("harvest_%"),
                                                         AuditLog.actor_id.is_not(None))).all()
    denied = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access.denied"))
    assert denied and denied >= 2 * len(calls)
