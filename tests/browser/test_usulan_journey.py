"""Data suggestions in a real browser (issue #18), with axe-core checking every page (WCAG 2.1
AA): a citizen on a phone (390 px) files a suggestion, first without saying what it is for and
reading the message, then complete; another citizen supports it; the walidata accepts it into
next year's Daftar Data; the public suggestion page then links to the item on the release
calendar. The proposer's name and e-mail never appear on a public page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from satudata.review.daftar.status import local_today
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "id-ID"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "id-ID"}
TITLE = "Jumlah nelayan dan kapal perikanan menurut kecamatan"
WHY = ("Untuk kajian koperasi nelayan: jumlah nelayan penuh dan sambilan, kapal menurut ukuran GT dan alat tangkap "
       "per kecamatan, lima tahun terakhir.")
NAME, EMAIL = "Siti Nurhaliza Pengusul", "siti.pengusul@contoh.id"


def _fits(page: Any) -> None:
    """No sideways scroll on a phone: nothing is out of reach."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_a_citizens_suggestion_becomes_a_daftar_data_item(browser: Any, scratch_live_url: str, users: Any) -> None:  # noqa: F811
    base = scratch_live_url
    year = local_today().year + 1
    with checked_context(browser, **PHONE) as citizen_ctx, checked_context(browser, **PHONE) as other_ctx, \
            checked_context(browser, **DESKTOP) as walidata_ctx:
        citizen, other, walidata = citizen_ctx.new_page(), other_ctx.new_page(), walidata_ctx.new_page()

        # A citizen files a suggestion, forgetting at first to say what it is for.
        citizen.goto(base + "/usulan-data")
        assert citizen.locator("h1").inner_text() == "Usulan data"
        _fits(citizen)
        citizen.click("text=Usulkan data >> nth=0")
        citizen.wait_for_url(re.compile(r".*/usulan-data/baru.*"))
        citizen.fill("#title", TITLE)
        citizen.select_option("#region", label="Pemerintah Provinsi Riau (14)")
        citizen.fill("#name", NAME)
        citizen.fill("#email", EMAIL)
        citizen.click("form.usulan-form button[type=submit]")
        error = citizen.locator("#description-error")
        assert "untuk apa data ini" in error.inner_text()
        assert citizen.locator("#description").get_attribute("aria-invalid") == "true"
        assert citizen.input_value("#title") == TITLE and citizen.input_value("#email") == EMAIL  # nothing lost
        _fits(citizen)
        citizen.fill("#description", WHY)
        citizen.select_option("#organization", label="Dinas Kesehatan Provinsi Riau")
        citizen.click("form.usulan-form button[type=submit]")
        citizen.wait_for_url(re.compile(r".*/usulan-data/\d+$"))
        number = int(citizen.url.rsplit("/", 1)[1])
        assert "terkirim sebagai #" in citizen.locator(".flash").inner_text()
        assert citizen.locator("h1").inner_text() == TITLE
        assert citizen.locator(".usulan-votes strong").inner_text() == "1"
        assert "Anda sudah mendukung" in citizen.content()  # the proposer's browser counts as a supporter
        _fits(citizen)

        # Another citizen finds it in the list and supports it, once.
        other.goto(base + "/usulan-data?urut=dukungan")
        other.click(f"text=#{number} {TITLE}")
        other.wait_for_url(base + f"/usulan-data/{number}")
        other.click("button:has-text('Dukung')")
        other.wait_for_url(base + f"/usulan-data/{number}")
        assert "dukungan Anda tercatat" in other.locator(".flash").inner_text()
        assert other.locator(".usulan-votes strong").inner_text() == "2"
        assert other.locator("button:has-text('Dukung')").count() == 0
        for secret in (NAME, EMAIL):
            assert secret not in other.content()

        # The walidata accepts it into next year's Daftar Data.
        walidata.goto(base + "/masuk")
        walidata.fill("#login", "walidata")
        walidata.fill("#password", PASSWORD)
        walidata.click("form.form button[type=submit]")
        walidata.wait_for_url(base + "/kelola/")
        walidata.goto(base + "/kelola/usulan-data")
        assert "Menunggu tanggapan: 1" in walidata.locator(".usulan-counts").inner_text()
        walidata.click(f"text=#{number} {TITLE}")
        walidata.wait_for_url(base + f"/kelola/usulan-data/{number}")
        assert EMAIL not in walidata.content()  # the address is kept for the decision mail only
        walidata.select_option("#accept-organization", label="Dinas Kesehatan Provinsi Riau")
        assert walidata.input_value("#accept-year") == str(year)
        walidata.fill("#accept-release", f"{year}-09-30")
        walidata.check("#accept-priority")
        walidata.click("button:has-text('Terima ke Daftar Data')")
        walidata.wait_for_url(base + f"/kelola/usulan-data/{number}")
        assert f"masuk Daftar Data {year}" in walidata.locator(".flash").inner_text()
        assert "Masuk Daftar Data" in walidata.locator(".usulan-state").first.inner_text()

        # The public page now links the item on the release calendar.
        citizen.reload()
        decision = citizen.locator(".usulan-decision")
        assert f"Diterima ke Daftar Data {year}" in decision.inner_text()
        assert "30 September" in decision.inner_text()
        _fits(citizen)
        citizen.click(f"text=Lihat di kalender rilis {year}")
        citizen.wait_for_url(re.compile(rf".*/kalender-rilis\?tahun={year}&opd=dinkes-riau#butir-\d+$"))
        item = citizen.locator(citizen.url.rsplit("#", 1)[1].join(["li#", ""]))
        assert TITLE in item.inner_text() and "Data Prioritas" in item.inner_text()
        for secret in (NAME, EMAIL):
            assert secret not in citizen.content()


def test_the_demo_suggestions_in_every_state_read_well_on_a_phone(browser: Any, live_url: str) -> None:
    """The demo's suggestions (waiting, accepted, pointed to a dataset, redirected to PPID,
    declined, merged) each say what became of them, pass axe and fit a phone."""
    with checked_context(browser, **PHONE) as context:
        page = context.new_page()
        page.goto(live_url + "/usulan-data?urut=dukungan")
        first = page.locator("li.usulan-item").first
        assert "Prevalensi balita stunting" in first.inner_text()  # the most supported
        assert "Data honor" not in page.content()  # held for moderation: not public
        _fits(page)
        seen = set()
        for link in page.locator("li.usulan-item h2 a").all():
            seen.add(link.get_attribute("href"))
        expected = {"Diterima ke Daftar Data": "Lihat di kalender rilis", "Datanya sudah tersedia": "/dataset/",
                    "permohonan informasi publik": "/ppid/permohonan", "Alasan:": "data pribadi",
                    "Digabung ke usulan #": "/usulan-data/"}
        found: set[str] = set()
        for href in sorted(seen):
            page.goto(live_url + str(href))
            _fits(page)
            html = page.content()
            for words, evidence in expected.items():
                if words in html:
                    assert evidence in html, (href, words)
                    found.add(words)
        assert found == set(expected)
