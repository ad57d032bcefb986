"""The walidata's harvest pages: add a source (a dry run first, then saved), run it, read the
run's objects and errors, the source's history and chart, the raw record; producers and other
regions' walidata are refused; the dataset page says where it came from."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from satudata.accounts import services as accounts
from satudata.extensions import db
from satudata.harvest import services, tasks
from satudata.harvest.models import HarvestJob, HarvestSource
from tests.conftest import FreshGlobalsClient
from tests.factories import SYSTEM, make_licence, make_org, make_topic
from tests.harvest.test_runs import packages
from tests.harvesters.test_ckan import FakeCkan
from tests.security.conftest import PASSWORD, csrf, sign_in


@pytest.fixture()
def setup(app: Flask) -> Iterator[dict[str, Any]]:
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    fake = FakeCkan(packages(12))
    make_topic("kesehatan", "Kesehatan")
    make_licence()
    org = make_org(slug="diskominfo-uji", is_walidata=True)
    other = make_org(slug="dinas-lain")
    accounts.create_user(SYSTEM, username="walidata.uji", email="w@uji.go.id", full_name="Walidata Uji",
                         password=PASSWORD, roles=[("walidata", org)])
    accounts.create_user(SYSTEM, username="produsen.uji", email="p@uji.go.id", full_name="Produsen Uji",
                         password=PASSWORD, roles=[("produsen", org)])
    accounts.create_user(SYSTEM, username="walidata.lain", email="l@uji.go.id", full_name="Walidata Lain",
                         password=PASSWORD, roles=[("walidata", other)])
    db.session.commit()
    app.test_client_class = FreshGlobalsClient
    yield {"ckan": fake, "org": org}
    fake.close()
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False


def client_for(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, username)
    return client


def test_a_walidata_adds_a_source_runs_it_and_reads_the_results(app: Flask, setup: dict[str, Any]) -> None:
    client = client_for(app, "walidata.uji")
    assert "Sumber harvest" in client.get("/kelola/").get_data(as_text=True)
    assert client.get("/kelola/harvest/").status_code == 200
    form = {"title": "Portal Uji", "name": "portal-uji", "type": "ckan", "url": setup["ckan"].url,
            "organization": "diskominfo-uji", "schedule": "daily", "publish_mode": "direct",
            "config": '{"default_tags": ["panen"]}', "active": "1"}
    token = csrf(client, "/kelola/harvest/baru")
    # A broken config is refused with what to fix, and everything typed stays.
    bad = client.post("/kelola/harvest/baru", data={**form, "config": "{oops", "action": "save", "csrf_token": token})
    page = bad.get_data(as_text=True)
    assert bad.status_code in (400, 409, 422) and "bukan JSON yang sah" in page and 'value="portal-uji"' in page
    # The dry run shows what would happen and writes nothing.
    trial = client.post("/kelola/harvest/baru", data={**form, "action": "trial", "csrf_token": token})
    page = trial.get_data(as_text=True)
    assert trial.status_code == 200 and "Hasil uji coba" in page and page.count("<code>id-00") == 5 and "Baru" in page
    assert db.session.query(HarvestSource).count() == 0
    saved = client.post("/kelola/harvest/baru", data={**form, "action": "save", "csrf_token": token})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/kelola/harvest/portal-uji")
    source = services.get_source("portal-uji")
    assert source.config["default_tags"] == ["panen"] and str(source.schedule) == "daily"
    # Run it: queued, then the worker's job (run here) finishes it.
    page_html = client.get("/kelola/harvest/portal-uji").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)  # type: ignore[union-attr]
    started = client.post("/kelola/harvest/portal-uji/jalankan", data={"csrf_token": token})
    assert started.status_code == 302
    job = db.session.query(HarvestJob).one()
    running = client.get(f"/kelola/harvest/panen/{job.id}").get_data(as_text=True)
    assert "Antre" in running and "data-refresh" in running and "Batalkan panen" in running
    # A second click while it is queued does not start a second run.
    again = client.post("/kelola/harvest/portal-uji/jalankan", data={"csrf_token": token}, follow_redirects=True)
    assert "masih antre" in again.get_data(as_text=True) and db.session.query(HarvestJob).count() == 1
    tasks.run_harvest(job.id)
    done = client.get(f"/kelola/harvest/panen/{job.id}").get_data(as_text=True)
    assert "Selesai" in done and "data-refresh" not in done and "Dataset 11" in done
    listing = client.get(f"/kelola/harvest/panen/{job.id}?status=error").get_data(as_text=True)
    assert "0 dataset" in listing
    history = client.get("/kelola/harvest/portal-uji").get_data(as_text=True)
    assert 'data-viz="grafik-panen-data"' in history and f"#{job.id}" in history
    # The raw record behind a dataset.
    from satudata.catalog.models import Dataset

    ds = db.session.query(Dataset).filter(Dataset.remote_id == "id-0003").one()
    raw = client.get(f"/kelola/harvest/rekaman/{ds.id}").get_data(as_text=True)
    assert "&#34;dataset-0003&#34;" in raw or '"dataset-0003"' in raw
    assert "panen" in [t.name for t in ds.tags]
    # Sources list shows the last run.
    assert "Selesai" in client.get("/kelola/harvest/").get_data(as_text=True)
    # And in English, nothing Indonesian leaks from the pages' own words.
    english = client.get(f"/kelola/harvest/panen/{job.id}?lang=en").get_data(as_text=True)
    assert f"Harvest #{job.id}" in english and "Finished" in english and "Datasets in this harvest" in english
    assert "Selesai" not in english and "Galat" not in english
    english = client.get("/kelola/harvest/portal-uji").get_data(as_text=True)
    assert "Harvest history" in english and "Harvest now" in english and "Riwayat panen" not in english
    english = client.get("/kelola/harvest/baru").get_data(as_text=True)
    assert "Add a harvest source" in english and "Trial run" in english and "Jadwal" not in english


def test_producers_and_other_regions_are_refused(app: Flask, setup: dict[str, Any]) -> None:
    source = services.add_source(SYSTEM, name="milik-uji", type="ckan", url=setup["ckan"].url,
                                 organization=setup["org"])
    db.session.commit()
    producer = client_for(app, "produsen.uji")
    assert producer.get("/kelola/harvest/").status_code == 403
    other = client_for(app, "walidata.lain")
    assert other.get("/kelola/harvest/").status_code == 200
    assert "milik-uji" not in other.get("/kelola/harvest/").get_data(as_text=True)
    assert other.get(f"/kelola/harvest/{source.name}").status_code == 403
    token = csrf(other, "/kelola/harvest/baru")
    assert other.post(f"/kelola/harvest/{source.name}/jalankan", data={"csrf_token": token}).status_code == 403
    assert db.session.query(HarvestJob).count() == 0
    anonymous = app.test_client()
    assert anonymous.get("/kelola/harvest/").status_code in (302, 401)
