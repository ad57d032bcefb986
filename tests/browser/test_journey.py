"""A citizen's journey in a real browser: home → search → dataset page → preview → download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.conftest import checked_context

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_find_preview_and_download_a_table(page, live_url):
    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.fill("input[name=q]", "penduduk")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dataset?**q=penduduk**")
    results = page.locator("main a[href^='/dataset/']")
    assert results.count() > 0
    first_title = results.first.inner_text().strip()
    assert "enduduk" in first_title
    results.first.click()
    page.wait_for_url("**/dataset/*")
    assert page.locator("h1").inner_text().strip() == first_title

    # the preview shows real rows of the table
    preview = page.locator("table").first
    assert preview.locator("tbody tr").count() > 0
    header = [h.strip() for h in preview.locator("thead th").all_inner_texts()]
    assert header

    # the download is the stored CSV, byte for byte a table with the previewed columns
    link = page.locator("a[href$='/download']").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = download.path()
    rows = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert len(rows) > 1
    assert download.suggested_filename.endswith(".csv")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dataset-page.png"), full_page=True)


def test_english_switch(page, live_url):
    page.goto(live_url + "/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_url + "/dataset")
    assert page.locator("html").get_attribute("lang") == "en"  # the choice sticks


def test_phone_layout_has_no_horizontal_scroll(browser, live_url):
    with checked_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True) as context:
        pg = context.new_page()
        for path in ("/", "/dataset", "/topik", "/organisasi", "/api/docs"):
            pg.goto(live_url + path)
            assert pg.evaluate("document.documentElement.scrollWidth") <= 390, path
        pg.goto(live_url + "/dataset")
        pg.locator("a[href^='/dataset/']").first.click()  # a dataset page: tables and code blocks
        pg.wait_for_load_state("load")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
