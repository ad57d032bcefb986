"""A live server on 127.0.0.1 over the demo app, Debian's headless Chromium via Playwright, and
axe-core (npm, node_modules/axe-core) checking every page the journeys visit against WCAG 2.1 AA.

Every context made with :func:`checked_context` (the ``page`` fixture uses it) runs axe on each
page once it has loaded and reports back through a binding; when the context closes, any
violation fails the test with the page, the rule and the elements.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import serve_live

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs in every page (a DevTools init script: the portal's CSP does not apply to it) and reports
# the violations of each loaded page to the test through the ``reportAxe`` binding.
AXE_ON_LOAD = """
window.__axeQueue = Promise.resolve();
window.__checkWcag = () => (window.__axeQueue = window.__axeQueue.then(async () => {
  try {
    const r = await axe.run(document, {runOnly: {type: "tag", values: WCAG_TAGS}});
    await window.reportAxe(location.href, r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})));
  } catch (e) { await window.reportAxe(location.href, [{id: "axe-error", help: String(e), nodes: []}]); }
}));
window.addEventListener("load", () => setTimeout(window.__checkWcag, 50));
""".replace("WCAG_TAGS", json.dumps(WCAG))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="session")
def live_url(demo_app: Flask) -> Iterator[str]:
    """The demo portal, read-only."""
    yield from serve_live(demo_app)


@pytest.fixture()
def scratch_live_url(app: Flask) -> Iterator[str]:
    """The empty scratch portal; the test's rows are removed afterwards."""
    yield from serve_live(app)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@contextmanager
def checked_context(browser: Any, **options: Any) -> Iterator[Any]:
    """A browser context whose every loaded page is checked with axe; closing it fails on any
    violation (the last page is checked once more as it is left, after the test's actions)."""
    found: dict[str, list[dict[str, Any]]] = {}
    checked: list[str] = []

    def report(_source: Any, url: str, violations: list[dict[str, Any]]) -> None:
        checked.append(url)
        if violations:
            found.setdefault(url, []).extend(violations)

    context = browser.new_context(**options)
    context.expose_binding("reportAxe", report)
    context.add_init_script(AXE.read_text(encoding="utf-8") + AXE_ON_LOAD)
    try:
        yield context
        for pg in context.pages:  # the state the test left the page in
            if pg.url.startswith("http"):
                pg.wait_for_load_state("load")
                pg.evaluate("window.__checkWcag()")
    finally:
        context.close()
    assert checked, "axe checked no page"
    assert not found, "WCAG 2.1 AA violations (axe):\n" + json.dumps(found, indent=1, ensure_ascii=False)


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    with checked_context(browser, accept_downloads=True, locale="id-ID") as context:
        yield context.new_page()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_and_validate(page: Any, app: Flask, name: str, data: bytes, *, mime: str = "text/csv",
                        schema: str | None = None, result: str = ".report-summary") -> None:
    """On a workspace upload or resource page: send a file (a new upload or a replacement),
    see the page say it is being validated, let a real worker run the validation queue, and
    wait until the page shows ``result`` (it reloads itself when the run is done)."""
    from tests.conftest import run_worker

    page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    if schema is not None:
        page.select_option("#schema", schema)
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_selector(".validation-progress")  # the job has not run yet
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    page.wait_for_selector(result, timeout=15000)
