"""The harvest journey of issue #11 in Chromium, with axe on every page: a walidata adds a CKAN
source (a trial run first), runs it with a real RQ worker, reads the run (counts, a status
filter, an error in full, the raw record), runs it again with nothing changed; then, on a
phone, adds a DCAT source (a real-world DCAT-AP catalogue) and runs it. The source is messy:
an unknown licence, a record without an id, a link that is not http(s)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from satudata.accounts import services as accounts
from satudata.extensions import db
from tests.conftest import run_worker
from tests.factories import SYSTEM, make_licence, make_org, make_topic
from tests.harvest.test_runs import packages
from tests.harvesters.test_ckan import FakeCkan
from tests.harvesters.test_dcat import Served

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-uji-123"
DCAT = Path(__file__).resolve().parent.parent / "data" / "dcat"


@pytest.fixture()
def sources(app: Flask) -> Any:
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = True
    records = packages(40)
    records[5]["license_id"] = "lisensi-daerah-khusus"
    records[6] = {"id": "", "name": "", "title": "Tanpa id", "metadata_modified": "2026-01-07T00:00:00"}
    records[7]["resources"].append({"id": "r-ftp", "name": "arsip", "url": "ftp://arsip.contoh.go.id/7.zip"})
    ckan = FakeCkan(records)
    dcat = Served()
    dcat.put_file("catalog.rdf")
    make_topic("kesehatan", "Kesehatan")
    make_licence()
    org = make_org(slug="diskominfo-panen", name="Diskominfo Panen", is_walidata=True)
    accounts.create_user(SYSTEM, username="walidata.panen", email="wp@riau.go.id", full_name="Walidata Panen",
                         password=PASSWORD, roles=[("walidata", org)])
    db.session.commit()
    yield ckan, dcat
    ckan.close()
    dcat.server.shutdown()
    dcat.server.server_close()
    app.config["HARVEST_ALLOW_PRIVATE_NETWORKS"] = False


def sign_in(page: Any, base: str) -> None:
    page.goto(base + "/masuk")
    page.fill("#login", "walidata.panen")
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kelola/?$"))


def run_and_wait(page: Any, app: Flask) -> None:
    """On a source's page: start a run, let a real worker take the harvest queue, and wait for
    the run's page (which reloads itself) to say it is done."""
    page.click("button:has-text('Panen sekarang')")
    page.wait_for_selector("progress#kemajuan")
    proc = run_worker(app, "harvest")
    assert proc.returncode == 0, proc.stderr
    page.wait_for_selector("h1 .status-finished, h1 .status-finished_with_errors", timeout=20000)


def test_walidata_harvests_a_ckan_and_a_dcat_source(browser: Any, scratch_live_url: str, app: Flask,
                                                    sources: Any) -> None:
    from tests.browser.conftest import checked_context

    ckan, dcat = sources
    base = scratch_live_url
    with checked_context(browser, locale="id-ID", viewport={"width": 1280, "height": 900}) as ctx:
        page = ctx.new_page()
        sign_in(page, base)
        page.click("a:has-text('Sumber harvest')")
        page.click("a:has-text('Tambah sumber')")
        page.fill("#f-title", "Portal Data Kabupaten Uji")
        page.fill("#f-name", "ckan-uji")
        page.select_option("#f-type", "ckan")
        page.fill("#f-url", ckan.url)
        page.select_option("#f-organization", "diskominfo-panen")
        page.fill("#f-config", '{"default_topics": ["kesehatan"]}')
        page.click("button:has-text('Uji coba')")
        page.wait_for_selector("#uji-judul")
        assert page.locator("section.notice table tbody tr").count() == 5
        assert page.input_value("#f-name") == "ckan-uji"  # what was typed stays
        page.click("button:has-text('Simpan')")
        page.wait_for_url(re.compile(r".*/kelola/harvest/ckan-uji$"))
        run_and_wait(page, app)
        tiles = page.locator("ul.count-tiles").inner_text()
        assert "39 Baru" in tiles and "1 Galat" in tiles  # the record without an id is an error
        page.click("ul.count-tiles a:has-text('Galat')")
        errors = page.locator("table tbody").inner_text()
        assert "(tanpa id)" in errors and "tidak punya id" in errors
        with page.expect_navigation():
            page.click("ul.count-tiles a:has-text('Baru')")
        assert "lisensi-daerah-khusus" in page.locator("table tbody").inner_text()
        page.click("table tbody a >> nth=0")
        page.wait_for_selector("pre code")
        assert '"metadata_modified"' in page.locator("pre code").inner_text()
        # The dataset page says where it came from.
        with page.expect_navigation():
            page.click(".facts a >> nth=0")
        assert "Dipanen dari" in page.locator(".harvested").inner_text()
        # Again, nothing changed at the source: every record unchanged.
        page.goto(f"{base}/kelola/harvest/ckan-uji")
        run_and_wait(page, app)
        assert "39" in page.locator("ul.count-tiles li:has-text('Tetap')").inner_text()
        page.goto(f"{base}/kelola/harvest/ckan-uji")
        page.wait_for_selector("#grafik-panen[data-drawn=true] svg[role=img]")
        assert page.locator("table tbody tr").count() >= 2
    with checked_context(browser, locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True) as ctx:
        page = ctx.new_page()
        sign_in(page, base)
        page.goto(f"{base}/kelola/harvest/baru")
        page.fill("#f-title", "Katalog DCAT-AP contoh")
        page.fill("#f-name", "dcat-contoh")
        page.select_option("#f-type", "dcat")
        page.fill("#f-url", dcat.url + "/catalog.rdf")
        page.select_option("#f-organization", "diskominfo-panen")
        page.fill("#f-config", "{}")
        page.click("button:has-text('Simpan')")
        page.wait_for_url(re.compile(r".*/kelola/harvest/dcat-contoh$"))
        run_and_wait(page, app)
        assert page.locator("h1 .status-finished").count() == 1
        page.goto(f"{base}/kelola/harvest/")
        assert "Katalog DCAT-AP contoh" in page.locator("table").inner_text()
