"""Satu Data performance per OPD (issue #18) in Chromium, with axe-core on every page (WCAG 2.1 AA):
the walidata opens the dashboard, finds an OPD's figures, opens its page with the quarterly
trends and the records behind the numbers, and downloads the XLSX; a citizen reads the public
summary of the demo portal at phone and desktop widths, charts drawn and the table beside them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context
from tests.kinerja.conftest import YEAR, World, world  # noqa: F401  (fixtures)
from tests.workspace.conftest import vocab  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

WIDTHS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


def test_walidata_reads_an_opds_figures_and_downloads_the_xlsx(browser: Any, scratch_live_url: str,
                                                                world: World) -> None:  # noqa: F811
    base = scratch_live_url
    with checked_context(browser, locale="id-ID", accept_downloads=True, **WIDTHS["desktop"]) as context:
        page = context.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "walidata")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(base + "/kelola/")

        page.goto(f"{base}/kelola/kinerja?tahun={YEAR}")
        assert page.locator("h1").inner_text() == f"Kinerja Satu Data per OPD, {YEAR}"
        row = page.locator("#tabel-opd tbody tr", has=page.locator("th a", has_text="Dinas Kesehatan Provinsi Riau"))
        assert row.count() == 1
        text = row.inner_text()
        assert "66,7%" in text and "(2/3)" in text  # two of three tables passed their first validation
        assert "4,0 hari" in text  # median time in review
        assert "50,0%" in text  # PPID answered on time
        empty = page.locator("#tabel-opd tbody tr", has=page.locator("th a", has_text="Diskominfotik Provinsi Riau"))
        assert "—" in empty.inner_text() and "0,0%" not in empty.inner_text()
        page.wait_for_selector("#grafik-tren-daftar:visible")  # Chart.js drew it (the wrap is shown then)
        assert page.locator("#tabel-tren").count() == 1  # ... and its numbers are in a table

        page.click("#tabel-opd th a:has-text('Lolos validasi pertama')")  # sort by a figure, worst first
        page.wait_for_url(re.compile(r".*urut=validasi.*"))
        assert "Lolos validasi pertama" in page.locator("#tabel-opd caption").inner_text()

        page.locator("#tabel-opd th a", has_text="Dinas Kesehatan Provinsi Riau").click()
        page.wait_for_url(re.compile(rf".*/kelola/kinerja/dinkes-riau\?tahun={YEAR}.*"))
        assert "Dinas Kesehatan Provinsi Riau" in page.locator("h1").inner_text()
        trend = page.locator("#tabel-tren").inner_text()
        assert f"T1 {YEAR}" in trend and f"T4 {YEAR}" in trend and "Setahun" in trend
        late = page.locator("section[aria-labelledby=terlambat]").inner_text()
        assert world.items["B"].title in late and world.items["C"].title in late
        assert "Kasus DBD" in page.locator("section[aria-labelledby=validasi]").inner_text()
        page.locator("section[aria-labelledby=pemeriksaan] a", has_text=world.datasets["A"].title).click()
        page.wait_for_url(re.compile(rf".*/kelola/periksa/{world.datasets['A'].slug}$"))  # the record itself

        page.goto(f"{base}/kelola/kinerja?tahun={YEAR}")
        with page.expect_download() as got:
            page.click("a:has-text('Unduh XLSX')")
        download = got.value
        assert download.suggested_filename == f"kinerja-opd-{YEAR}.xlsx"
        book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        names = [r[1] for r in book["Ringkasan OPD"].iter_rows(min_row=2, values_only=True)]
        assert "Dinas Kesehatan Provinsi Riau" in names


@pytest.mark.parametrize("width", WIDTHS)
def test_citizen_reads_the_public_summary(browser: Any, live_url: str, width: str) -> None:
    with checked_context(browser, locale="id-ID", **WIDTHS[width]) as context:
        page = context.new_page()
        page.goto(live_url + "/kinerja")
        assert page.locator("h1").inner_text().startswith("Kinerja Satu Data, ")
        row = page.locator("#tabel-opd tbody tr", has=page.locator("th", has_text="Dinas Kesehatan Kabupaten Rokan Hilir"))
        assert row.count() == 1
        assert re.search(r"\d+,\d%", row.inner_text())  # a share, in Indonesian format
        assert page.locator("#tabel-opd a[href*='/kelola/']").count() == 0  # nothing internal
        page.wait_for_selector("#grafik-tren-persen:visible")
        assert page.locator("#tabel-tren tbody tr").count() == 4
        page.click("summary:has-text('Cara angka ini dihitung')")
        expect(page.locator("#definisi dd").first).to_be_visible()
        if width == "phone":
            overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
            assert overflow <= 0, f"the page is {overflow}px wider than a phone"
