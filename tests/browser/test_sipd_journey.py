"""The SIPD e-Walidata journey of issue #18 in Chromium, with axe on every page: the walidata
(walidata.rohil, as in the demo) adds a SIPD source from "Sumber harvest" (the form starts with
the SIPD type, the review publish mode and the config explained), tries it, saves it, runs it
with a real RQ worker against an SIPD-shaped API on 127.0.0.1, reads the run and opens the
Daftar Data it filled; then, on a phone, reads the Daftar Data and the run again."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
from flask import Flask

from satudata.accounts import services as accounts
from satudata.accounts.models import OrganizationKind
from satudata.extensions import db
from tests.conftest import ROOT, satudata_env
from tests.factories import SYSTEM, make_org
from tests.harvesters.test_sipd import KODEPEMDA, TOKEN, FakeSipd

pytestmark = pytest.mark.browser

USERNAME = "walidata.rohil"
PASSWORD = "demo-walidata-2026"


@pytest.fixture()
def sipd(app: Flask) -> Any:
    app.config.update(HARVEST_ALLOW_PRIVATE_NETWORKS=True, SIPD_ALLOWED_HOSTS="127.0.0.1", SIPD_TOKEN=TOKEN,
                      SIPD_KODEPEMDA=KODEPEMDA)
    fake = FakeSipd()
    pemda = make_org(slug="kab-rohil", name="Kabupaten Rokan Hilir", kind=OrganizationKind.KABUPATEN)
    make_org(slug="diskominfo-rohil", name="Diskominfo Rokan Hilir", parent=pemda, is_walidata=True)
    make_org(slug="dinkes-rohil", name="Dinas Kesehatan Rokan Hilir", parent=pemda)
    make_org(slug="disdik-rohil", name="Dinas Pendidikan Rokan Hilir", parent=pemda)
    accounts.create_user(SYSTEM, username=USERNAME, email="walidata@rohilkab.go.id", full_name="Walidata Rohil",
                         password=PASSWORD, roles=[("walidata", pemda)])  # as the demo: over the kabupaten
    db.session.commit()
    yield fake
    fake.close()
    app.config.update(HARVEST_ALLOW_PRIVATE_NETWORKS=False, SIPD_ALLOWED_HOSTS=None, SIPD_TOKEN=None,
                      SIPD_KODEPEMDA=None)


def sign_in(page: Any, base: str) -> None:
    page.goto(base + "/masuk")
    page.fill("#login", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kelola/?$"))


def test_walidata_fills_daftar_data_from_sipd(browser: Any, scratch_live_url: str, app: Flask, sipd: FakeSipd) -> None:
    from tests.browser.conftest import checked_context

    base = scratch_live_url
    with checked_context(browser, locale="id-ID", viewport={"width": 1280, "height": 900}) as ctx:
        page = ctx.new_page()
        sign_in(page, base)
        page.click("a:has-text('Sumber harvest')")
        page.click("a:has-text('Tambah sumber SIPD e-Walidata')")
        # The form starts as a SIPD source: type, the official address, review mode, the keys explained.
        assert page.input_value("#f-type") == "sipd"
        assert page.input_value("#f-url") == "https://sipd.go.id/ewalidata/serv"
        assert page.is_checked("input[name=publish_mode][value=review]")
        assert page.locator("details.sipd-help[open]").count() == 1
        assert "Token sudah diatur" in page.locator("details.sipd-help").inner_text()
        page.fill("#f-title", "SIPD e-Walidata Rokan Hilir")
        page.fill("#f-name", "sipd-rohil")
        page.fill("#f-url", sipd.url)
        page.select_option("#f-organization", "diskominfo-rohil")
        page.fill("#f-config", '{"tahun": [2023, 2024], "organization_map": {"1.02": "dinkes-rohil", '
                               '"1.01": "disdik-rohil"}}')
        page.click("button:has-text('Uji coba')")
        page.wait_for_selector("#uji-judul")
        trial = page.locator("section.notice table tbody").inner_text()
        assert page.locator("section.notice table tbody tr").count() == 3 and "Jumlah puskesmas" in trial
        assert page.input_value("#f-name") == "sipd-rohil"  # what was typed stays
        page.click("button:has-text('Simpan')")
        page.wait_for_url(re.compile(r".*/kelola/harvest/sipd-rohil$"))
        assert "Lewat pemeriksaan walidata" in page.locator("main").inner_text()

        page.click("button:has-text('Panen sekarang')")
        page.wait_for_selector("progress#kemajuan")
        env = satudata_env(app, HARVEST_ALLOW_PRIVATE_NETWORKS="true", SIPD_ALLOWED_HOSTS="127.0.0.1",
                       SIPD_TOKEN=TOKEN, SIPD_KODEPEMDA=KODEPEMDA)
        proc = subprocess.run([sys.executable, "-m", "satudata.cli", "worker", "--queue", "harvest", "--burst"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, proc.stderr
        page.wait_for_selector("h1 .status-finished", timeout=20000)
        job_url = page.url
        assert "3 Baru" in page.locator("ul.count-tiles").inner_text()
        rows = page.locator("table tbody").inner_text()
        assert "Jumlah sekolah dasar negeri" in rows and "Daftar Data: 2 butir baru" in rows

        page.click("a:has-text('Lihat Daftar Data hasil panen SIPD')")
        page.wait_for_url(re.compile(r".*/kelola/daftar-data\?tahun=2024$"))
        table = page.locator("table.daftar-table tbody").inner_text()
        for text in ("Jumlah puskesmas", "Angka kematian bayi", "Jumlah sekolah dasar negeri", "Satuan: Unit",
                     "Dinas Kesehatan Rokan Hilir", "Dinas Pendidikan Rokan Hilir", "1.02.01"):
            assert text in table, text
        assert page.locator("table.daftar-table tbody tr").count() == 3
        # The values wait in the walidata's queue, linked from their items.
        page.click("table.daftar-table a:has-text('Jumlah puskesmas') >> nth=0")
        page.wait_for_load_state("load")
        assert "Jumlah puskesmas" in page.locator("h1").inner_text()

    with checked_context(browser, locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True) as ctx:
        page = ctx.new_page()
        sign_in(page, base)
        page.goto(f"{base}/kelola/daftar-data?tahun=2023")
        assert page.locator("table.daftar-table tbody tr").count() == 3
        assert "Indikator" in page.locator("table.daftar-table tbody").inner_text()
        page.goto(job_url)
        assert page.locator("h1 .status-finished").count() == 1
        page.goto(f"{base}/kelola/harvest/baru")  # the general form points to the SIPD one
        assert page.locator("details.sipd-help").count() == 0
        page.click("a:has-text('formulir SIPD')")
        page.wait_for_url(re.compile(r".*/kelola/harvest/baru\?jenis=sipd$"))
        assert page.input_value("#f-type") == "sipd" and page.locator("details.sipd-help[open]").count() == 1
