"""The data journey of issue #13 in Chromium, with axe on every page: a citizen sorts,
filters and searches a large published table on the server, builds a bar chart and a map of
Riau by kabupaten/kota and downloads the chart as PNG and SVG, on a desktop and a phone; a
producer saves the chart as a view everyone sees, and another site embeds it in an iframe.

The table has ``SATUDATA_JOURNEY_ROWS`` rows (200,000 by default, so CI stays quick; the issue's
walk used 1,000,000), written as a real CSV and typed into its Parquet copy by the same code the
job runs.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from satudata.accounts import services as accounts
from satudata.extensions import db
from tests.datastore.conftest import typed_table
from tests.factories import SYSTEM

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-uji-123"
ROWS = int(os.environ.get("SATUDATA_JOURNEY_ROWS", "200000"))
KABUPATEN = [("14.01", "Kabupaten Kampar"), ("14.02", "Kabupaten Indragiri Hulu"), ("14.03", "Kabupaten Bengkalis"),
             ("14.04", "Kabupaten Indragiri Hilir"), ("14.05", "Kabupaten Pelalawan"), ("14.06", "Kabupaten Rokan Hulu"),
             ("14.07", "Kabupaten Rokan Hilir"), ("14.08", "Kabupaten Siak"), ("14.09", "Kabupaten Kuantan Singingi"),
             ("14.10", "Kabupaten Kepulauan Meranti"), ("14.71", "Kota Pekanbaru"), ("14.72", "Kota Dumai")]
SCHEMA = {"fields": [
    {"name": "kode_wilayah", "type": "string", "title": "Kode wilayah"},
    {"name": "nama_wilayah", "type": "string", "title": "Kabupaten/kota"},
    {"name": "tahun", "type": "year", "title": "Tahun"},
    {"name": "jenis_kelamin", "type": "string", "title": "Jenis kelamin"},
    {"name": "jumlah", "type": "integer", "title": "Jumlah penduduk", "unit": "jiwa"},
]}


def big_table(rows: int) -> bytes:
    rnd = random.Random(13)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kode_wilayah", "nama_wilayah", "tahun", "jenis_kelamin", "jumlah"])
    for i in range(rows):
        kode, nama = KABUPATEN[i % len(KABUPATEN)]
        writer.writerow([kode, nama, 2015 + i % 10, "Laki-laki" if i % 2 else "Perempuan", rnd.randint(10, 99_999)])
    return out.getvalue().encode()


@pytest.fixture()
def table(app: Flask) -> Any:
    ds, res = typed_table(big_table(ROWS), schema=SCHEMA, filename="penduduk_riau.csv", ukuran="Jumlah penduduk",
                          satuan="jiwa", klasifikasi="Kabupaten/kota")
    accounts.create_user(SYSTEM, username="produsen.data", email="data@riau.go.id", full_name="Produsen Data",
                         password=PASSWORD, roles=[("produsen", ds.organization)])
    db.session.commit()
    return ds, res


def first_cells(page: Any, column: int) -> list[str]:
    return [c.strip() for c in page.locator(f"table.data-preview tbody tr td:nth-child({column})").all_inner_texts()]


def test_citizen_sorts_filters_charts_maps_and_downloads(browser: Any, scratch_live_url: str, table: Any) -> None:
    from tests.browser.conftest import checked_context

    ds, res = table
    base = scratch_live_url
    with checked_context(browser, accept_downloads=True, locale="id-ID", viewport={"width": 1280, "height": 900}) as ctx:
        page = ctx.new_page()
        page.goto(f"{base}/dataset/{ds.slug}/resource/{res.id}")
        assert page.locator("table.data-preview caption").inner_text().count(".") >= 1  # 200.000 rows, id format
        # Sort by the count, largest first: two clicks on its header.
        page.click("th a.sort-link:has-text('Jumlah penduduk')")
        with page.expect_navigation():
            page.click("th a.sort-link:has-text('Jumlah penduduk')")
        assert page.locator("th[aria-sort=descending]").inner_text().startswith("Jumlah penduduk")
        top = [int(v.replace(".", "")) for v in first_cells(page, 5)]
        assert top == sorted(top, reverse=True) and top[0] >= 99_000
        # Filter one kabupaten and search a word: the server does both, the sort stays.
        page.select_option("#tabel-kolom", "kode_wilayah")
        page.fill("#tabel-nilai", "14.07")
        page.click("form.table-filter button[type=submit]")
        assert set(first_cells(page, 1)) == {"14.07"}
        assert "disaring dari" in page.locator("table.data-preview caption").inner_text()
        page.fill("#tabel-q", "perempuan")
        page.click("form.table-filter button[type=submit]")
        assert set(first_cells(page, 4)) == {"Perempuan"}
        # Build a bar chart of the population by kabupaten/kota and download it.
        page.click("a:has-text('Buat grafik atau peta dari tabel ini')")
        page.check("input[name=jenis][value=bar]")
        page.select_option("#pilih-x", "nama_wilayah")
        page.check("input[name=y][value=jumlah]")
        page.select_option("#pilih-agregasi", "sum")
        page.click("form.builder-form button[type=submit]")
        page.wait_for_selector("#grafik-bangun[data-drawn=true] svg[role=img]")
        assert page.locator("#grafik-bangun svg rect title").count() == len(KABUPATEN)
        with page.expect_download() as got:
            page.click("button[data-download=png]")
        png = got.value
        assert png.suggested_filename.endswith(".png")
        assert Path(png.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with page.expect_download() as got:
            page.click("button[data-download=svg]")
        svg = Path(got.value.path()).read_text(encoding="utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg and "Kota Pekanbaru" in svg
        # A map of Riau by kabupaten/kota: the portal's own boundaries, no tiles.
        page.check("input[name=jenis][value=map]")
        page.select_option("#pilih-x", "kode_wilayah")
        page.click("form.builder-form button[type=submit]")
        page.wait_for_selector("#grafik-bangun[data-drawn=true] svg[role=img]")
        paths = page.locator("#grafik-bangun svg path title").evaluate_all("els => els.map(e => e.textContent)")
        assert len(paths) == 12 and any(t.startswith("Kota Dumai (14.72)") for t in paths)
        assert "tidak ada data" not in " ".join(paths)

    with checked_context(browser, locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True) as ctx:
        phone = ctx.new_page()
        phone.goto(f"{base}/dataset/{ds.slug}/resource/{res.id}")
        expect(phone.locator(".scroll-hint")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        sticky = phone.evaluate("getComputedStyle(document.querySelector('table.data-preview td')).position")
        assert sticky == "sticky"
        phone.goto(f"{base}/dataset/{ds.slug}/resource/{res.id}/visualisasi?x=nama_wilayah&y=jumlah")
        phone.wait_for_selector("#grafik-bangun[data-drawn=true] svg[role=img]")
        labels = phone.locator("#grafik-bangun svg .tick text").evaluate_all("els => els.map(e => e.textContent)")
        assert any("Pekanbaru" in t for t in labels)  # the phone chart keeps its labels


def test_producer_saves_a_view_and_another_site_embeds_it(browser: Any, scratch_live_url: str, table: Any) -> None:
    from tests.browser.conftest import checked_context

    ds, res = table
    base = scratch_live_url
    with checked_context(browser, locale="id-ID") as ctx:
        page = ctx.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "produsen.data")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(re.compile(r".*/kelola/?$"))
        page.goto(f"{base}/dataset/{ds.slug}/resource/{res.id}/visualisasi?jenis=line&x=tahun&y=jumlah")
        page.fill("#nama-tampilan", "Penduduk Riau per tahun")
        page.click("form.builder-save button[type=submit]")
        page.wait_for_selector(".saved-view h3:has-text('Penduduk Riau per tahun')")
        page.wait_for_selector(".saved-view [data-drawn=true] svg path")
        embed = page.locator(".saved-view code").first.text_content() or ""
        src = re.search(r'src="([^"]+)"', embed).group(1)
    with checked_context(browser, locale="id-ID") as ctx:
        other = ctx.new_page()
        other.set_content(f'<html lang="id"><head><title>Situs lain</title></head><body><main>'
                          f'<iframe src="{src}" width="800" height="480" title="Grafik penduduk"></iframe></main></body></html>')
        frame = other.frame_locator("iframe")
        frame.locator("[data-drawn=true] svg[role=img]").wait_for()
        assert "Penduduk Riau per tahun" in frame.locator("h1").inner_text()
