"""The working-day calendar in a real browser (#12): at 390 px, with axe on every page, the PPID
Utama adds a regional holiday, sees which deadlines moved, and takes it back. Kept with the other
browser journeys: they share one Playwright session per test process."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context
from tests.ppid.test_calendar import REGIONAL, _file, today  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


# What sticks out past the phone's width, when the page scrolls sideways (the assertion's message).
WIDER = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_the_calendar_page_on_a_phone(browser: Any, scratch_live_url: str, scratch_client: Any, users: Any,  # noqa: F811
                                      today: Any) -> None:  # noqa: F811
    """At 390 px, with axe checking every page: the PPID Utama goes from the inbox to the
    calendar, adds a regional holiday, sees what moved, and takes it back."""
    import re

    from tests.accounts.conftest import PASSWORD

    number = _file(scratch_client, "Jumlah tenaga kesehatan per puskesmas tahun 2025")[0].number
    base = scratch_live_url
    with checked_context(browser, viewport={"width": 390, "height": 844}, locale="id-ID") as phone:
        page = phone.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "ppid.utama")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(re.compile(r".*/kelola/ppid$"))
        with page.expect_navigation():
            page.click("text=Kalender hari kerja")
        assert "Cuti Bersama Hari Raya Idul Fitri" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(WIDER)
        page.check("input[name=kind][value=libur]")
        page.fill("#day", REGIONAL.isoformat())
        page.fill("#name", "Libur daerah HUT Kabupaten")
        # Measured only once the page has loaded: before its stylesheet applies, the table is wider
        # than the phone (CI once read 415 px here on a half-loaded page).
        with page.expect_navigation():
            page.click("section[aria-labelledby=override-form] button[type=submit]")
        flashes = page.locator(".flashes").inner_text()
        assert "1 tenggat permohonan dan 0 tenggat keberatan dihitung ulang" in flashes and number in flashes
        assert "Libur daerah HUT Kabupaten" in page.locator("table").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(WIDER)
        page.on("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.click("button:has-text('Hapus penyesuaian')")
        assert "kembali mengikuti kalender nasional" in page.locator(".flashes").inner_text()
        page.fill("#day", "2026-07-13")
        page.fill("#name", "")
        with page.expect_navigation():  # the errors page passes axe too
            page.click("section[aria-labelledby=override-form] button[type=submit]")
        assert "Tulis nama hari libur" in page.locator(".alert-error").inner_text()
        assert "Tulis nama hari libur" in page.locator("#name-error").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(WIDER)
