"""A walidata hears of a submission in the header, opens the list and follows the notification,
on a desktop and on a phone: the signed-in header fits the phone's width (no sideways scroll),
and every page passes axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from satudata.extensions import db
from satudata.review import services as review
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context
from tests.factories import make_dataset

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}

NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"


@pytest.mark.parametrize("width", WIDTHS)
def test_walidata_follows_a_submission_notification(browser: Any, scratch_live_url: str, users: Any,  # noqa: F811
                                                    orgs: Any, width: str) -> None:  # noqa: F811
    ds = make_dataset(orgs["dinkes"], publish=False, title="Jumlah Bidan menurut Puskesmas")
    review.submit_dataset(users["produsen"], ds, note="Mohon diperiksa sebelum akhir bulan.")
    db.session.commit()
    base = scratch_live_url
    with checked_context(browser, locale="id-ID", **WIDTHS[width]) as context:
        page = context.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "walidata")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_load_state("load")
        badge = page.locator("header a.account-link", has_text="Pemberitahuan")
        assert re.search(r"Pemberitahuan\s*1\s*belum dibaca", badge.inner_text())
        assert page.evaluate(NO_SIDEWAYS_SCROLL), "the signed-in header scrolls sideways"

        badge.click()
        page.wait_for_url(base + "/akun/pemberitahuan")
        item = page.locator("li.notification-unread")
        assert "Jumlah Bidan menurut Puskesmas" in item.inner_text()
        assert "Mohon diperiksa sebelum akhir bulan." in item.inner_text()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        item.locator("button", has_text="Buka").click()
        page.wait_for_load_state("load")
        assert "/kelola" in page.url
        page.goto(base + "/akun/pemberitahuan")
        assert page.locator("li.notification-unread").count() == 0
        assert "badge-count" not in page.locator("header").inner_html()
