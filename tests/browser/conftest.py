"""A live server on 127.0.0.1 over the demo app, and Debian's headless Chromium via Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import serve_live

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="id-ID")
    pg = context.new_page()
    yield pg
    context.close()
