"""Staff journeys in a real browser: an admin builds an OPD and a user with a role entirely in
the UI; a producer signs in, creates an API token and uses it against the REST API."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from satudata.accounts import services
from satudata.accounts.models import OrganizationKind
from satudata.extensions import db
from tests.factories import SYSTEM

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture()
def staff(app):
    prov = services.create_organization(SYSTEM, slug="pemprov-riau", name="Pemerintah Provinsi Riau",
                                        kind=OrganizationKind.PROVINSI, kode_wilayah="14")
    dinkes = services.create_organization(SYSTEM, slug="dinkes-riau", name="Dinas Kesehatan Provinsi Riau",
                                          kind=OrganizationKind.OPD, parent=prov)
    services.create_user(SYSTEM, username="admin.portal", email="admin@riau.go.id", full_name="Admin Portal",
                         password=PASSWORD, roles=[("admin", prov)])
    services.create_user(SYSTEM, username="produsen.dinkes", email="produsen@riau.go.id", full_name="Rina Produsen",
                         password=PASSWORD, roles=[("produsen", dinkes)])
    db.session.commit()


def sign_in(page, base, username):
    page.goto(base + "/masuk")
    page.fill("#login", username)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r".*/(kelola/|admin)$"))  # each role lands where its work is
    page.goto(base + "/akun")


def test_producer_creates_token_and_uses_it(page, scratch_live_url, staff):
    base = scratch_live_url
    sign_in(page, base, "produsen.dinkes")
    page.fill("#token-name", "Skrip unggah")
    page.select_option("#token-scope", "read")
    page.click("form[action$='/akun/token'] button[type=submit]")
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("sdp_")
    page.reload()  # shown once only
    assert page.locator("#new-token").count() == 0

    req = urllib.request.Request(base + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        me = json.load(resp)
    assert me["data"]["username"] == "produsen.dinkes"
    assert me["data"]["roles"][0]["role"] == "produsen"


def test_admin_creates_opd_and_user_with_role(page, scratch_live_url, staff):
    base = scratch_live_url
    sign_in(page, base, "admin.portal")
    page.goto(base + "/admin/organisasi/baru")
    page.fill("#name", "Dinas Sosial Provinsi Riau")
    page.fill("#slug", "dinsos-riau")
    page.select_option("#kind", "opd")
    page.select_option("#parent", "pemprov-riau")
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/admin/organisasi")
    assert page.locator("table td", has_text="Dinas Sosial Provinsi Riau").count() == 1

    page.goto(base + "/admin/pengguna/baru")
    page.fill("#full_name", "Sari Dinsos")
    page.fill("#username", "sari.dinsos")
    page.fill("#email", "sari@riau.go.id")
    page.fill("#password", "kata-sandi-sari-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/admin/pengguna/*")
    page.select_option("#role", "produsen")
    page.select_option("#organization", "dinsos-riau")
    # count() does not wait: read the list only once the page the form posts to has loaded
    # (it failed once in CI, counted on a half-parsed page)
    with page.expect_navigation():
        page.click("form[action$='/peran'] button[type=submit]")
    assert page.locator(".role-list li", has_text="Dinas Sosial Provinsi Riau").count() == 1

    # the new producer can sign in with the role the admin gave
    page.context.clear_cookies()  # a new person at the same browser
    page.goto(base + "/masuk")
    page.fill("#login", "sari.dinsos")
    page.fill("#password", "kata-sandi-sari-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/kelola/")
    assert page.locator("text=Dinas Sosial Provinsi Riau").count() >= 1
