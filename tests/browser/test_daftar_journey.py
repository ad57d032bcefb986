"""The Daftar Data in a real browser: the walidata adds an item to the year's list, and the public
release calendar shows it in its month, at desktop and phone widths; axe-core checks every page
(WCAG 2.1 AA) and the calendar fits a phone's width."""

from __future__ import annotations

import re
from typing import Any

import pytest

from satudata.review.daftar.status import local_today
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.mark.parametrize("width", WIDTHS)
def test_walidata_adds_an_item_and_the_public_calendar_shows_it(browser: Any, scratch_live_url: str,
                                                                users: Any, width: str) -> None:  # noqa: F811
    base = scratch_live_url
    year = local_today().year
    title = f"Jumlah Puskesmas menurut Kecamatan ({width})"
    with checked_context(browser, locale="id-ID", **WIDTHS[width]) as context:
        page = context.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "walidata")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(base + "/kelola/")  # a walidata lands on "Kelola data"

        page.goto(base + "/kelola/daftar-data")
        assert page.locator("h1").inner_text() == f"Daftar Data {year}"
        page.click("text=+ Tambah butir")
        page.wait_for_url(re.compile(r".*/kelola/daftar-data/baru.*"))
        page.select_option("#f-organization", label="Dinas Kesehatan Provinsi Riau")
        page.fill("#f-year", str(year))
        page.fill("#f-title", title)
        page.select_option("#f-standard", "tenaga_kesehatan@1")
        page.select_option("#f-frequency", "tahunan")
        page.fill("#f-release", f"{year}-12-15")
        page.check("#f-priority")
        page.fill("#f-notes", "Disepakati Forum Satu Data")
        page.click("form.daftar-form button[type=submit]")
        page.wait_for_url(re.compile(rf".*/kelola/daftar-data\?tahun={year}$"))
        assert f'"{title}" ditambahkan' in page.locator(".flash").inner_text()
        row = page.locator("table.daftar-table tbody tr", has_text=title)
        assert "Dinas Kesehatan Provinsi Riau" in row.inner_text()
        assert "15 Desember" in row.inner_text()
        # The OPD's calendar (where producers link datasets) and the import page pass axe too.
        row.locator("a", has_text="Dinas Kesehatan Provinsi Riau").click()
        page.wait_for_url(re.compile(r".*/kelola/daftar-data/opd/dinkes-riau.*"))
        assert page.locator("li.daftar-item", has_text=title).count() == 1
        page.goto(base + "/kelola/daftar-data/impor")
        assert page.locator("h1").inner_text() == "Impor Daftar Data dari XLSX"

        page.goto(base + "/kalender-rilis")
        month = page.locator("section.daftar-month", has_text=f"Desember {year}")
        item = month.locator("li.daftar-item", has_text=title)
        assert item.count() == 1
        text = item.inner_text()
        assert f"15 Desember {year}" in text and "Data Prioritas" in text
        assert "Dijadwalkan" in text or "Terlambat" in text  # words, not only a colour
        assert "Disepakati Forum Satu Data" not in page.content()  # internal notes stay internal
        page.select_option("#f-opd", "dinkes-riau")
        page.click("form.daftar-filters button[type=submit]")
        page.wait_for_url(re.compile(r".*opd=dinkes-riau.*"))
        assert page.locator("li.daftar-item", has_text=title).count() == 1
        if width == "phone":  # the calendar itself fits (the site header is not this page's)
            overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
            assert overflow <= 0, f"the calendar is {overflow}px wider than a phone"
