"""The producer's journey in a real browser (issue 4's "done when"): create a dataset, upload a
CSV with errors, read the report, fix and re-upload, see it pass, and submit it for review. A
real RQ worker validates each upload while the page shows the progress."""

from __future__ import annotations

import re

import pytest

from satudata.extensions import db
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.conftest import run_worker
from tests.factories import make_licence, make_topic

pytestmark = pytest.mark.browser

HEADER = "kode_wilayah,nama_wilayah,tahun,jenis_tenaga,jumlah\n"
BAD = HEADER + (
    "14.07.01,Kubu,2025,Perawat,41\n"
    "14.07.02,Bangko,2025,perawat,38\n"        # enum: lower-case
    "14.07.99,Entah,2025,Bidan,12\n"            # unknown kode wilayah
    "14.07.03,Tanah Putih,2025,Bidan,-3\n"      # below the minimum
)
GOOD = HEADER + (
    "14.07.01,Kubu,2025,Perawat,41\n"
    "14.07.02,Bangko,2025,Perawat,38\n"
    "14.07.04,Pujud,2025,Bidan,12\n"
    "14.07.03,Tanah Putih,2025,Bidan,3\n"
)


@pytest.fixture()
def vocab(app):
    make_topic("kesehatan", "Kesehatan")
    make_licence()
    db.session.commit()


def test_producer_creates_uploads_fixes_and_submits(page, scratch_live_url, app, users, vocab):  # noqa: F811
    base = scratch_live_url
    page.goto(base + "/masuk")
    page.fill("#login", "produsen")
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/kelola/")  # a producer lands on "Kelola data"

    page.click("text=Kelola data")
    page.wait_for_url(base + "/kelola/")
    page.click("text=+ Dataset baru")
    page.fill("#f-title", "Jumlah Tenaga Kesehatan menurut Kecamatan")
    page.fill("#f-description", "Tenaga kesehatan di puskesmas Kabupaten Rokan Hilir.")
    page.check("input[name=topics][value=kesehatan]")
    page.fill("#f-satuan", "orang")
    page.fill("#f-year", "2025")
    page.select_option("#f-frequency", "tahunan")
    page.select_option("#f-presentation_level", "kecamatan")
    page.fill("#f-kode_wilayah", "14.07")
    page.fill("#f-data_source", "Profil Kesehatan Kabupaten")
    page.select_option("#f-collection_method", "administrasi")
    page.select_option("#f-data_kind", "statistik_sektoral")
    page.select_option("#f-data_status", "tetap")
    page.select_option("#f-licence_id", "cc-by-4.0")
    page.fill("#f-contact_name", "Seksi Data dan Informasi")
    page.click("form.dataset-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/kelola/dataset/[^/]+/unggah$"))
    assert "Dataset dibuat sebagai draf" in page.content()

    # Upload the faulty CSV against the regional standard for health workers.
    page.set_input_files("#file", files=[{"name": "nakes-2025.csv", "mimeType": "text/csv",
                                          "buffer": BAD.encode()}])
    page.select_option("#schema", "tenaga_kesehatan")
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/sumber/[^/]+$"))
    assert page.locator(".validation-progress").count() == 1  # the job has not run yet

    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    page.wait_for_selector(".report-summary", timeout=15000)  # the page reloads itself when done
    summary = page.locator(".report-summary").inner_text()
    assert "belum lolos validasi" in summary and "3 kesalahan" in summary
    report = page.locator(".report").inner_text()
    assert "jenis_tenaga" in report and "kode_wilayah" in report and "Dokter Umum" in report
    assert page.locator("td.cell-error").count() == 3
    assert page.locator("td.cell-error").first.inner_text() == "perawat"

    # Fix the file and upload it again: the old file goes to the history.
    page.set_input_files("#file", files=[{"name": "nakes-2025-perbaikan.csv", "mimeType": "text/csv",
                                          "buffer": GOOD.encode()}])
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_selector(".validation-progress")
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    page.wait_for_selector(".report-summary.alert-success", timeout=15000)
    assert "Tabel lolos validasi" in page.locator(".report-summary").inner_text()
    assert "nakes-2025.csv" in page.locator("text=Riwayat berkas >> xpath=..").inner_text()

    # Submit for review.
    page.click(".breadcrumb a >> nth=1")
    page.wait_for_selector(".submit-section")
    page.click(".submit-section button[type=submit]")
    page.wait_for_selector(".flash")
    assert "diajukan ke walidata" in page.locator(".flash").inner_text()
    assert page.locator(".page-header .state").inner_text() == "Diajukan"
