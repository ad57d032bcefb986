"""The review lifecycle in a real browser (issue #9), at desktop and phone widths, with axe-core
checking every page (WCAG 2.1 AA): a producer submits a dataset, the walidata returns it with a
note on one field, the producer reads the note beside that field, fixes it and submits again,
the walidata publishes it, a citizen finds it in the catalogue search and opens its page with
the version history, the walidata withdraws it with a public reason (its page says so and why)
and publishes it again. Then a revision goes through the same loop: the producer opens it,
replaces the table and edits the description while the citizen still sees version 1; the
walidata reads what changed (metadata and rows) and publishes it as version 2."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from satudata.extensions import db
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context, upload_and_validate
from tests.conftest import run_worker
from tests.factories import make_dataset, make_licence, make_topic

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
TITLE = "Jumlah Tenaga Kesehatan menurut Puskesmas di Kabupaten Rokan Hilir"
CSV = (
    "kode_wilayah,puskesmas,dokter,perawat,bidan\n"
    "14.07.01,Puskesmas Kubu,4,21,18\n"
    "14.07.02,Puskesmas Bagan Siapiapi,9,44,31\n"
    "14.07.03,Puskesmas Tanah Putih,5,26,22\n"
)
NOTE_SATUAN = "Satuan ditulis “org”. Tulis lengkap “orang” sesuai standar data tenaga kesehatan."
FIXED_CSV = CSV.replace("14.07.01,Puskesmas Kubu,4,21,18", "14.07.01,Puskesmas Kubu,4,21,16")
REVISED = "Jumlah dokter, perawat dan bidan di setiap puskesmas, keadaan 31 Desember 2025 (angka bidan Kubu dikoreksi)."
REASON = "Jumlah bidan Puskesmas Kubu tertukar dengan data tahun 2024; sedang dikoreksi Dinas Kesehatan."


@pytest.fixture()
def draft(app: Any, orgs: Any, users: Any) -> Any:  # noqa: F811
    """A valid draft of Dinas Kesehatan: a validated table and its Satu Data metadata, with the
    unit written "org" (what the walidata will send back)."""
    topic = make_topic("kesehatan", "Kesehatan")
    make_licence()
    db.session.commit()
    return make_dataset(
        orgs["dinkes"], publish=False, csv=CSV, title=TITLE, topics=[topic], satuan="org",
        description="Jumlah dokter, perawat dan bidan yang bertugas di setiap puskesmas pada akhir tahun.",
        konsep="Tenaga kesehatan adalah setiap orang yang mengabdikan diri dalam bidang kesehatan.",
        data_source="Sistem Informasi Sumber Daya Manusia Kesehatan (SISDMK)",
        contact_name="Kepala Seksi Data dan Informasi", contact_email="data@dinkes.riau.go.id", year=2025)


def _fits(page: Any, width: str) -> None:
    """No sideways scroll on a phone: nothing is out of reach."""
    if width == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/masuk")
    page.fill("#login", username)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/kelola/")  # producers and walidata land on "Kelola data"


@pytest.mark.parametrize("width", WIDTHS)
def test_submit_review_fix_publish_find_withdraw_republish(browser: Any, scratch_live_url: str, app: Any,
                                                           draft: Any, width: str) -> None:
    base = scratch_live_url
    slug = draft.slug
    options = {"locale": "id-ID", **WIDTHS[width]}
    with checked_context(browser, **options) as producer_ctx, checked_context(browser, **options) as walidata_ctx, \
            checked_context(browser, **options) as citizen_ctx:
        producer, walidata, citizen = producer_ctx.new_page(), walidata_ctx.new_page(), citizen_ctx.new_page()

        # --- the producer submits the draft from the workspace
        _sign_in(producer, base, "produsen")
        producer.click(f"text={TITLE}")
        producer.wait_for_url(base + f"/kelola/dataset/{slug}")
        producer.fill("#note", "Data per puskesmas keadaan 31 Desember 2025, mohon diperiksa.")
        producer.click(".submit-section button[type=submit]")
        producer.wait_for_selector(".flash-success")
        assert "diajukan ke walidata" in producer.locator(".flash").inner_text()
        assert producer.locator(".page-header .state").inner_text() == "Diajukan"
        _fits(producer, width)
        producer.goto(base + f"/kelola/dataset/{slug}/unggah")  # no upload while it is with the walidata
        assert "sedang diperiksa walidata" in producer.locator(".locked-note").inner_text()
        assert producer.locator("input[type=file]").count() == 0

        # --- the walidata finds it in the queue and returns it with a note on one field
        _sign_in(walidata, base, "walidata")
        assert "1\nmenunggu pemeriksaan" in walidata.locator(".review-count-waiting").inner_text()
        _fits(walidata, width)
        walidata.click("text=Buka antrean pemeriksaan")
        walidata.wait_for_url(base + "/kelola/pemeriksaan")
        # The filters work from the keyboard: choose the OPD, move on, apply.
        walidata.focus("#f-opd")
        walidata.keyboard.press("ArrowDown")  # the region's first OPD by name: Dinas Kesehatan
        assert walidata.input_value("#f-opd") == "dinkes-riau"
        walidata.keyboard.press("Tab")
        walidata.keyboard.press("Tab")
        walidata.keyboard.press("Enter")
        walidata.wait_for_url(re.compile(r".*/kelola/pemeriksaan\?opd=dinkes-riau.*"))
        item = walidata.locator(".queue-item", has_text=TITLE)
        assert "menunggu kurang dari 1 jam" in item.inner_text()
        assert "mohon diperiksa" in item.inner_text()
        _fits(walidata, width)
        item.locator("a.button", has_text="Periksa").click()
        walidata.wait_for_url(base + f"/kelola/periksa/{slug}")
        expect(walidata.locator("#tabel")).to_be_visible()
        assert "lolos validasi" in walidata.locator(".review-resource").inner_text()
        expect(walidata.locator("#note-satuan")).to_be_hidden()  # accepted by default
        walidata.check("#fix-satuan")
        expect(walidata.locator("#note-satuan")).to_be_visible()
        walidata.fill("#note-satuan", NOTE_SATUAN)
        walidata.fill("#message", "Metadata sudah baik; hanya satuan yang perlu diperbaiki.")
        _fits(walidata, width)
        walidata.click("#minta-perbaikan button[type=submit]")
        walidata.wait_for_url(base + "/kelola/pemeriksaan")
        assert "Permintaan perbaikan dikirim" in walidata.locator(".flash").inner_text()
        assert "Tidak ada pengajuan yang menunggu pemeriksaan" in walidata.locator(".empty-state").inner_text()

        # --- the producer reads the note beside the field, fixes it and submits again
        producer.goto(base + f"/kelola/dataset/{slug}")
        request = producer.locator(".walidata-request")
        assert "Satuan" in request.inner_text() and "hanya satuan" in request.inner_text()
        request.locator("a", has_text="Satuan").click()
        producer.wait_for_url(re.compile(rf".*/kelola/dataset/{slug}/ubah#f-satuan$"))
        note = producer.locator("#wn-satuan")
        assert NOTE_SATUAN in note.inner_text() and note.is_visible()
        assert "wn-satuan" in producer.locator("#f-satuan").get_attribute("aria-describedby")
        _fits(producer, width)
        producer.fill("#f-satuan", "orang")
        producer.click("form.dataset-form button[type=submit]")
        producer.wait_for_url(re.compile(rf".*/kelola/dataset/{slug}(#.*)?$"))  # the redirect keeps the #f-satuan
        producer.fill("#note", "Satuan sudah diganti menjadi “orang”.")
        producer.click("text=Ajukan ulang ke walidata")
        producer.wait_for_selector(".flash-success")
        assert "diajukan ulang" in producer.locator(".flash").inner_text()

        # --- the walidata sees the fix and publishes
        walidata.goto(base + "/kelola/pemeriksaan")
        walidata.locator(".queue-item", has_text=TITLE).locator("a.button", has_text="Periksa").click()
        walidata.wait_for_url(base + f"/kelola/periksa/{slug}")
        assert "Catatan Anda sebelumnya" in walidata.locator("#v-satuan").inner_text()
        assert "orang" in walidata.locator("#val-satuan").inner_text()
        history = walidata.locator(".conversation").inner_text()
        assert history.index("Satuan sudah diganti") < history.index("hanya satuan")  # newest first
        assert "WIB" in history
        walidata.fill("#publish_note", "Data tenaga kesehatan akhir tahun 2025, angka tetap.")
        walidata.click(".publish-form button[type=submit]")
        walidata.wait_for_url(base + "/kelola/pemeriksaan")
        assert "diterbitkan di katalog publik" in walidata.locator(".flash").inner_text()
        proc = run_worker(app, "search")  # the search queue indexes the publication
        assert proc.returncode == 0, proc.stderr

        # --- a citizen finds it in the catalogue search and opens its page with the version history
        citizen.goto(base + "/")
        citizen.fill("#home-q", "tenaga kesehatan puskesmas")
        citizen.keyboard.press("Enter")
        citizen.wait_for_url(re.compile(r".*/dataset\?.*q=.*"))
        _fits(citizen, width)
        citizen.locator(f"a[href='/dataset/{slug}']").first.click()
        citizen.wait_for_url(base + f"/dataset/{slug}")
        assert citizen.locator("h1").inner_text() == TITLE
        versions = citizen.locator("section[aria-labelledby=versi-judul]").inner_text()
        assert "Versi 1" in versions and "angka tetap" in versions
        _fits(citizen, width)

        # --- the walidata withdraws it with a public reason
        walidata.goto(base + "/kelola/")
        walidata.click(".review-count >> text=terbit")
        walidata.wait_for_url(re.compile(r".*/kelola/pemeriksaan/dataset\?status=published$"))
        walidata.click(f".queue-title >> text={TITLE}")
        walidata.wait_for_url(base + f"/kelola/periksa/{slug}")
        walidata.click("text=Tarik dari publik")  # without a reason: refused beside the box
        assert "Tulis alasan penarikan" in walidata.locator("#reason-error").inner_text()
        assert walidata.locator("#reason").get_attribute("aria-invalid") == "true"
        _fits(walidata, width)
        walidata.fill("#reason", REASON)
        walidata.click("text=Tarik dari publik")
        walidata.wait_for_selector(".flash-success")
        assert "ditarik dari katalog publik" in walidata.locator(".flash").inner_text()
        assert REASON in walidata.locator("[aria-labelledby=alasan-tarik]").inner_text()
        _fits(walidata, width)
        response = citizen.goto(base + f"/dataset/{slug}")
        assert response.status == 410
        assert "Dataset sudah ditarik" in citizen.locator("h1").inner_text()
        assert REASON in citizen.content()

        # --- and publishes it again
        walidata.click("#republish_note")
        walidata.fill("#republish_note", "Koreksi jumlah bidan selesai.")
        walidata.click("text=Terbitkan kembali >> nth=-1")
        walidata.wait_for_selector(".flash-success")
        assert "diterbitkan kembali" in walidata.locator(".flash").inner_text()
        assert walidata.locator(".page-header .state").inner_text() == "Terbit"
        # A reload asks the server again. (A plain visit may not: the 410 page carries no
        # Cache-Control, and Chromium keeps a 410 fresh for ever; see the xfail test in
        # tests/review/test_walidata_views.py.)
        response = citizen.reload()
        assert response.status == 200 and citizen.locator("h1").inner_text() == TITLE

        # --- a revision: the producer changes the published dataset while the public sees version 1
        producer.goto(base + f"/kelola/dataset/{slug}")
        producer.click("text=Buat revisi")
        producer.wait_for_url(base + f"/kelola/dataset/{slug}~revisi")
        assert "Publik tetap melihat versi 1" in producer.locator(".revision-banner").inner_text()
        _fits(producer, width)
        producer.locator(".workspace-resources a.resource-name").first.click()
        upload_and_validate(producer, app, "nakes-2025-koreksi.csv", FIXED_CSV.encode(),
                            result=".report-summary.alert-success")
        producer.goto(base + f"/kelola/dataset/{slug}~revisi/ubah")
        producer.fill("#f-description", REVISED)
        producer.click("form.dataset-form button[type=submit]")
        producer.wait_for_url(re.compile(rf".*/kelola/dataset/{re.escape(slug)}~revisi(#.*)?$"))
        changes = producer.locator("section[aria-labelledby=perubahan-revisi]").inner_text()
        assert "Deskripsi" in changes and "Berkas diganti" in changes
        _fits(producer, width)
        producer.fill("#note", "Koreksi angka bidan Puskesmas Kubu.")
        producer.click(".submit-section button[type=submit]")
        producer.wait_for_selector(".flash-success")
        response = citizen.reload()
        assert response.status == 200 and "Versi 2" not in citizen.locator(
            "section[aria-labelledby=versi-judul]").inner_text()

        # --- the walidata reads what the revision changes and publishes it
        walidata.goto(base + "/kelola/pemeriksaan")
        item = walidata.locator(".queue-item", has_text=TITLE)
        assert "Revisi" in item.inner_text()
        item.locator("a.button", has_text="Periksa").click()
        walidata.wait_for_url(base + f"/kelola/periksa/{slug}~revisi")
        changes = walidata.locator("section[aria-labelledby=perubahan-revisi]").inner_text()
        assert "angka bidan Kubu dikoreksi" in changes and "1 ditambah, 1 dihapus" in changes
        _fits(walidata, width)
        walidata.fill("#publish_note", "Koreksi bidan Puskesmas Kubu.")
        walidata.click(".publish-form button[type=submit]")
        walidata.wait_for_url(base + "/kelola/pemeriksaan")
        assert "versi baru" in walidata.locator(".flash").inner_text()
        proc = run_worker(app, "search")
        assert proc.returncode == 0, proc.stderr
        response = citizen.reload()
        assert response.status == 200
        versions = citizen.locator("section[aria-labelledby=versi-judul]").inner_text()
        assert "Versi 2" in versions and "Koreksi bidan" in versions and "Versi 1" in versions
        assert "angka bidan Kubu dikoreksi" in citizen.locator("main").inner_text()
        _fits(citizen, width)
