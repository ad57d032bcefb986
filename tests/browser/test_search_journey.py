"""A citizen searches in a real browser: suggestions appear while typing on the home page
(an accessible combobox), the form submits, the results have facet counts, and narrowing by
OPD and by year shrinks the result count to what the facets said."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import checked_context

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def result_count(page: Any) -> int:
    text = page.locator("#hasil-judul").inner_text()
    found = re.match(r"\s*([\d.]+)", text)
    assert found, text
    return int(found.group(1).replace(".", ""))


def facet_links(page: Any, key: str) -> Any:
    return page.locator(f"section[aria-labelledby='facet-{key}'] a.facet-link")


def choose_facet(page: Any, key: str) -> tuple[str, int]:
    """Choose the first value of a facet (the most frequent); return its label and count."""
    link = facet_links(page, key).first
    label = link.locator(".facet-label").inner_text().strip()
    count = int(link.locator(".facet-count").inner_text().replace(".", ""))
    with page.expect_navigation():
        link.click()
    return label, count


def test_suggestions_search_and_narrowing(page: Any, live_url: str) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(live_url + "/")

    box = page.locator("#home-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"

    # Typing: suggestions come while the words are unfinished, and stay for the finished
    # abbreviation the synonym list knows ("rohil" = Rokan Hilir).
    box.click()
    box.press_sequentially("penduduk ro", delay=40)
    options = listbox.locator("[role=option]")
    options.first.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    box.press_sequentially("hil", delay=40)
    page.locator("[role=listbox][data-suggest-for='penduduk rohil']").wait_for(state="visible")
    titles = options.all_inner_texts()
    assert titles and all("Rokan Hilir" in t for t in titles)
    assert titles and any("Penduduk" in t for t in titles)
    assert page.locator("[role=status]", has_text="saran tersedia").count() == 1

    # The keyboard moves through the options and Escape closes the list without leaving.
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator("#" + active).get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "penduduk rohil"
    ARTIFACTS.mkdir(exist_ok=True)

    # Enter with no option chosen submits the form as usual.
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/dataset\?q=penduduk\+rohil$", page.url), page.url
    total = result_count(page)
    assert total >= 3
    cards = page.locator(".dataset-card")
    assert cards.count() == total
    assert all("Rokan Hilir" in t or "Riau" in t for t in cards.all_inner_texts())
    org_counts = [int(c.replace(".", "")) for c in
                  facet_links(page, "organization").locator(".facet-count").all_inner_texts()]
    assert org_counts and sum(org_counts) == total  # one organisation per dataset
    assert facet_links(page, "year").count() >= 1

    # Narrow by OPD: the count becomes the facet's count, and shrinks.
    org, org_count = choose_facet(page, "organization")
    assert "organization=" in page.url
    assert result_count(page) == org_count < total
    assert all(t.strip() == org for t in page.locator(".dataset-card-org").all_inner_texts())
    assert page.locator(".chip", has_text=org).count() == 1

    # And by year, within that OPD.
    year, year_count = choose_facet(page, "year")
    assert "year=" in page.url and "organization=" in page.url
    assert result_count(page) == year_count <= org_count
    assert all(f"Tahun {year}" in t for t in page.locator(".dataset-card-meta").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "search-narrowed.png"), full_page=True)
    assert problems == []


def test_choosing_a_suggestion_opens_the_dataset(page: Any, live_url: str) -> None:
    page.goto(live_url + "/dataset")
    box = page.locator("#list-q")
    box.click()
    box.press_sequentially("jumlah pendu", delay=30)
    page.locator("[role=listbox][data-suggest-for='jumlah pendu']").wait_for(state="visible")
    option = page.locator("[role=option]").first
    title = option.inner_text()
    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/dataset/[a-z0-9-]+$", page.url), page.url
    assert page.locator("h1").inner_text().strip() == title


def test_suggestions_fit_a_phone(browser: Any, live_url: str) -> None:
    with checked_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                         locale="id-ID") as context:
        page = context.new_page()
        page.goto(live_url + "/")
        box = page.locator("#home-q")
        box.tap()
        box.press_sequentially("penduduk", delay=30)
        listbox = page.locator("[role=listbox][data-suggest-for='penduduk']")
        listbox.wait_for(state="visible")
        box_area, list_area = box.bounding_box(), listbox.bounding_box()
        assert list_area["x"] >= 0 and list_area["x"] + list_area["width"] <= 390
        assert list_area["y"] >= box_area["y"] + box_area["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        heights = [page.locator("[role=option]").nth(i).bounding_box()["height"]
                   for i in range(page.locator("[role=option]").count())]
        assert min(heights) >= 44  # touch targets
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "suggest-phone.png"))
        # A tap on a suggestion opens it.
        title = page.locator("[role=option]").first.inner_text()
        with page.expect_navigation():
            page.locator("[role=option]").first.tap()
        assert page.locator("h1").inner_text().strip() == title


@pytest.mark.parametrize("width", [1280, 390])
def test_a_regional_government_lists_its_region(browser: Any, live_url: str, width: int) -> None:
    """A citizen of Rokan Hilir opens the government's page from the organisation list: it lists
    what every OPD of the kabupaten publishes, and "search this region" keeps that filter."""
    with checked_context(browser, viewport={"width": width, "height": 900}, locale="id-ID") as context:
        page = context.new_page()
        page.goto(live_url + "/organization")
        with page.expect_navigation():
            page.get_by_role("link", name=re.compile(r"^Pemerintah Kabupaten Rokan Hilir")).first.click()
        heading = page.locator("#dataset-org-judul").inner_text()
        region_total = int(re.match(r"\s*([\d.]+)", heading).group(1).replace(".", ""))
        assert region_total > 0
        assert page.get_by_text("seluruh perangkat daerah di wilayahnya").is_visible()
        with page.expect_navigation():
            page.get_by_role("link", name="Cari dan saring dataset wilayah ini").click()
        assert "wilayah=14.07" in page.url
        assert result_count(page) == region_total
        assert page.locator(".chip", has_text="Kabupaten Rokan Hilir").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The region facet offers the kabupaten's OPD through the organisation facet.
        org_counts = [int(c.replace(".", "")) for c in
                      facet_links(page, "organization").locator(".facet-count").all_text_contents()]
        assert sum(org_counts) == region_total
