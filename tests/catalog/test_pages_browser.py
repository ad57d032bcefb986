"""The public pages in headless Chromium over the demo catalogue: on a phone nothing scrolls
sideways and the filters fold away, the charts draw (d3 SVG, under the strict
Content-Security-Policy) with their numbers still on the page and their PNG/SVG download
buttons, and no script fails.

Chromium is driven from a child process: tests/browser keeps one sync Playwright session open
for the whole run, and a second one cannot start in the same thread.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import serve_live

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

SCRIPT = r"""
import json, re, sys, urllib.request
from playwright.sync_api import sync_playwright

base, chromium = sys.argv[1], sys.argv[2]
html = urllib.request.urlopen(base + "/dataset?sort=name", timeout=10).read().decode()
slugs = re.findall(r'class="dataset-card-title"><a href="/dataset/([^"]+)"', html)
out = {"slugs": len(slugs), "widths": {}, "problems": [], "charts": [], "filters": {}, "copy": None}
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                 args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                       "--disable-component-update"])
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.on("pageerror", lambda e: out["problems"].append(str(e)))
    phone.goto(f"{base}/dataset/{slugs[0]}")
    resource = phone.locator("a.button-download").first.get_attribute("href").removesuffix("/download")
    for path in ("/", "/dataset", "/dataset?q=penduduk", f"/dataset/{slugs[0]}", resource, "/organization",
                 "/group", "/dataset/tidak-ada", "/dataset?page=abc"):
        phone.goto(base + path)
        out["widths"][path] = phone.evaluate("document.documentElement.scrollWidth")
    phone.goto(base + "/dataset")
    out["filters"]["folded"] = phone.locator("details.filter-panel").get_attribute("open") is None
    phone.locator("details.filter-panel > summary").click()
    out["filters"]["opens"] = phone.locator(".facet-link").first.is_visible()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.on("pageerror", lambda e: out["problems"].append(str(e)))
    desk.on("console", lambda m: out["problems"].append(m.text) if m.type == "error" else None)
    for slug in slugs[:8]:
        desk.goto(f"{base}/dataset/{slug}")
        desk.wait_for_load_state("load")
        hosts = desk.locator("div[data-viz]")
        for i in range(hosts.count()):
            host = hosts.nth(i)
            figure = host.locator("xpath=ancestor::figure")
            desk.wait_for_function("h => h.getAttribute('data-drawn') === 'true'", arg=host.element_handle(),
                                   timeout=5000)
            out["charts"].append({
                "slug": slug,
                "visible": host.is_visible(),
                "drawn": host.locator("svg[role=img]").count() == 1,
                "downloads": figure.locator("button[data-download]").count(),
                "numbers": figure.locator("details[data-chart-table] tbody tr").count(),
            })
    desk.goto(f"{base}/dataset/{slugs[0]}")
    out["copy"] = desk.locator("button[data-copy='api-ckan']").is_visible()
    browser.close()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def demo_url(demo_app: Flask) -> Iterator[str]:
    yield from serve_live(demo_app)


@pytest.fixture(scope="module")
def seen(demo_url: str) -> dict[str, Any]:
    """What Chromium saw of the pages (one browser run for all the checks below)."""
    proc = subprocess.run([sys.executable, "-c", SCRIPT, demo_url, CHROMIUM], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_pages_fit_a_phone(seen: dict[str, Any]) -> None:
    assert seen["slugs"] > 0
    wide = {path: width for path, width in seen["widths"].items() if width > 390}
    assert wide == {}


def test_filters_fold_away_on_a_phone(seen: dict[str, Any]) -> None:
    assert seen["filters"] == {"folded": True, "opens": True}


def test_charts_draw_under_the_csp(seen: dict[str, Any]) -> None:
    assert seen["charts"]
    for chart in seen["charts"]:
        assert chart["visible"] and chart["drawn"], chart
        assert chart["downloads"] == 2, chart  # SVG and PNG
        assert chart["numbers"] > 0, chart  # the numbers stay on the page, folded under their summary


def test_no_script_errors_and_copy_buttons_appear(seen: dict[str, Any]) -> None:
    assert seen["problems"] == []
    assert seen["copy"] is True
