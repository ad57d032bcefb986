"""A public information request in a real browser (#12): a citizen on a phone files it without an
account and gets a number and a private link; the PPID Utama routes it to an OPD; the OPD's PPID
Pelaksana extends it and grants it in part; the citizen sees the answer; the public register
shows the request and nothing of who asked. axe checks every page (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import checked_context

pytestmark = pytest.mark.browser

NIK = "1471024503900007"
KTP_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 512 + b"\xff\xd9"


def _sign_in(page: Any, base: str, username: str, lands: str = r".*/kelola/ppid$") -> None:
    page.goto(base + "/masuk")
    page.fill("#login", username)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(lands))  # a PPID officer lands in the inbox, the Atasan PPID on objections


def test_a_request_from_filing_to_a_partial_grant(browser: Any, scratch_live_url: str, users: Any,  # noqa: F811
                                                   orgs: Any) -> None:  # noqa: F811
    from tests.factories import make_dataset

    base = scratch_live_url
    answer_dataset = make_dataset(orgs["dinkes"], title="Jumlah Tenaga Kesehatan per Puskesmas 2025")
    with checked_context(browser, viewport={"width": 390, "height": 844}, locale="id-ID") as phone:
        citizen = phone.new_page()
        citizen.goto(base + "/")
        citizen.click("header >> text=PPID")
        citizen.click("text=Ajukan permohonan informasi")
        citizen.fill("#name", "Siti Aminah Lubis")
        citizen.fill("#nik", "14710245")  # too short: the form says so and keeps what was typed
        citizen.fill("#address", "Jl. Sudirman 12, Pekanbaru")
        citizen.fill("#email", "siti.aminah@contoh.id")
        citizen.fill("#information", "Jumlah tenaga kesehatan per puskesmas tahun 2025, termasuk honorer")
        citizen.fill("#purpose", "Penelitian skripsi")
        citizen.click("form.form button[type=submit]")
        assert "NIK harus 16 angka" in citizen.locator(".alert-error").inner_text()
        assert "Unggah pindaian identitas" in citizen.locator("#identity_scan-error").inner_text()
        assert citizen.input_value("#information").startswith("Jumlah tenaga kesehatan")
        citizen.fill("#nik", NIK)
        citizen.set_input_files("#identity_scan", files=[{"name": "ktp-siti.jpg", "mimeType": "image/jpeg",
                                                          "buffer": KTP_JPEG}])
        citizen.click("form.form button[type=submit]")
        receipt = citizen.locator(".alert-success").inner_text()
        number = re.search(r"PPID-\d+-\d{4}-\d{4}", receipt).group(0)  # type: ignore[union-attr]
        link = citizen.locator(".ppid-link a").get_attribute("href")
        assert link and "kode=" in link
        # The signed receipt downloads, and the public verification page recognises it unaltered.
        with citizen.expect_download() as download:
            citizen.click("text=Unduh tanda bukti (PDF)")
        receipt_pdf = download.value.path()
        assert Path(receipt_pdf).read_bytes()[:5] == b"%PDF-"
        citizen.goto(base + "/ppid/verifikasi")
        citizen.set_input_files("input[type=file]", receipt_pdf)
        with citizen.expect_navigation():
            citizen.click("main form button[type=submit] >> nth=0")
        verdict = citizen.locator("main").inner_text()
        assert "asli dan utuh" in verdict.lower() and number in verdict and "Siti Aminah" not in verdict
        assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
        assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
        citizen.goto(link)
        assert "Hari kerja ke-0 dari 10" in citizen.locator("main").inner_text()

    with checked_context(browser, viewport={"width": 1280, "height": 900}, locale="id-ID") as desk:
        utama = desk.new_page()
        _sign_in(utama, base, "ppid.utama")
        utama.click(f"text={number}")
        utama.click("summary:has-text('Diteruskan ke PPID Pelaksana')")
        utama.select_option("#route-to", "dinkes-riau")
        utama.click("details[open] button[type=submit]")
        assert "Tersimpan: Diteruskan ke PPID Pelaksana" in utama.locator(".flash, .alert").first.inner_text()

    with checked_context(browser, viewport={"width": 1280, "height": 900}, locale="id-ID") as desk:
        pelaksana = desk.new_page()
        _sign_in(pelaksana, base, "ppid.pelaksana")
        # The officer asks the clock first: 10 working days from 16 March 2026 skip Idul Fitri.
        pelaksana.click("text=Hitung tenggat")
        pelaksana.fill("#dari", "2026-03-16")
        pelaksana.fill("#hari", "10")
        pelaksana.click("main form button[type=submit]")
        assert "7 April 2026" in pelaksana.locator("#hasil").inner_text()
        pelaksana.goto(base + "/kelola/ppid")
        pelaksana.click(f"text={number}")
        pelaksana.click("summary:has-text('Jangka waktu diperpanjang')")
        pelaksana.fill("#extend-days", "3")
        pelaksana.fill("#extend-reason", "Data honorer dihimpun dari 20 puskesmas.")
        with pelaksana.expect_navigation():
            pelaksana.click("details[open] button[type=submit]")
        assert "Hari kerja ke-0 dari 13" in pelaksana.locator("main").inner_text()
        pelaksana.click("summary:has-text('Dikabulkan sebagian')")
        pelaksana.fill("#grant_in_part-given", "Rekap tenaga kesehatan per puskesmas")
        pelaksana.fill("#grant_in_part-form", "Salinan PDF")
        pelaksana.fill("#grant_in_part-delivery", "Surel, hari ini")
        pelaksana.fill("#grant_in_part-cost", "0")
        pelaksana.fill("#grant_in_part-datasets", answer_dataset.slug)
        pelaksana.fill("#rp-0", "Nama tenaga honorer")
        pelaksana.select_option("#re-0", "h")
        pelaksana.fill("#rr-0", "Rahasia pribadi")
        with pelaksana.expect_navigation():
            pelaksana.click("details[open] button[type=submit]")
        assert "Dikabulkan sebagian" in pelaksana.locator("h1 + p .badge").first.inner_text()
        # The information itself goes with the answer.
        pelaksana.set_input_files("#attachment-file", files=[{
            "name": "rekap-nakes-2025.csv", "mimeType": "text/csv",
            "buffer": b"puskesmas,nakes\nBagansiapiapi,54\nBangko Jaya,31\n"}])
        with pelaksana.expect_navigation():
            pelaksana.click("text=Lampirkan >> nth=-1")
        assert "rekap-nakes-2025.csv" in pelaksana.locator("#lampiran + ul").inner_text()
        # The rekap becomes a line of the DIP, so the next citizen finds it without asking.
        pelaksana.goto(base + "/kelola/ppid/dip")
        pelaksana.fill("#title", "Rekapitulasi tenaga kesehatan per puskesmas 2025")
        pelaksana.fill("#responsible", "Sekretaris Dinas Kesehatan")
        pelaksana.fill("#form", "Elektronik (PDF)")
        pelaksana.click("form.form button[type=submit] >> nth=0")
        assert "Baris DIP ditambahkan" in pelaksana.locator(".flash").inner_text()

    with checked_context(browser, viewport={"width": 390, "height": 844}, locale="id-ID") as phone:
        citizen = phone.new_page()
        citizen.goto(link)
        answer = citizen.locator("main").inner_text()
        assert "Dikabulkan sebagian" in answer and "Pasal 17 huruf h" in answer and "Nama tenaga honorer" in answer
        assert "Jumlah Tenaga Kesehatan per Puskesmas 2025" in answer  # the linked dataset
        with citizen.expect_download() as download:
            citizen.click("#lampiran + ul >> text=rekap-nakes-2025.csv")
        assert Path(download.value.path()).read_bytes().startswith(b"puskesmas,nakes")
        assert "Pemberitahuan tertulis" in citizen.locator("#dokumen-resmi + ul").inner_text()
        # The citizen objects to the redaction (ground a) with a case summary.
        citizen.check("input[name=grounds][value=a]")
        citizen.fill("#case_summary", "Yang saya minta jumlah, bukan nama; tidak ada data pribadi di dalamnya.")
        citizen.click("text=Ajukan keberatan >> nth=-1")
        objection = re.search(r"KEB-[\d-]+", citizen.locator(".flash").inner_text()).group(0)  # type: ignore[union-attr]
        assert "Keberatan terdaftar, menunggu tanggapan Atasan PPID" in citizen.locator("main").inner_text()
        citizen.goto(base + "/ppid/register")
        register = citizen.locator("main").inner_text()
        assert number in register and "Siti Aminah" not in register and NIK not in register
        assert citizen.evaluate("document.documentElement.scrollWidth") <= 390

    with checked_context(browser, viewport={"width": 1280, "height": 900}, locale="id-ID") as desk:
        atasan = desk.new_page()
        _sign_in(atasan, base, "atasan.ppid", r".*/kelola/keberatan$")
        atasan.click(f"text={objection}")
        atasan.click("summary:has-text('Keberatan diterima')")
        atasan.fill("#accept-reasons", "Jumlah per puskesmas bukan data pribadi; berikan tanpa penghitaman.")
        atasan.fill("#accept-decider_position", "Sekretaris Daerah Provinsi Riau")
        with atasan.expect_navigation():
            atasan.click("details[open] button[type=submit]")
        assert "Keberatan diterima" in atasan.locator("h1 + p .badge").inner_text()

    with checked_context(browser, viewport={"width": 390, "height": 844}, locale="id-ID") as phone:
        citizen = phone.new_page()
        citizen.goto(link)
        assert "Keberatan diterima" in citizen.locator("main").inner_text()
        citizen.goto(base + "/ppid")
        citizen.click("text=Statistik layanan")
        citizen.wait_for_selector("canvas#grafik-hasil")  # the chart is drawn (Chart.js) above its table
        stats = citizen.locator("main").inner_text()
        assert "Dinas Kesehatan Provinsi Riau" in stats and "Siti Aminah" not in stats
        assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
        # The annual report downloads (Pasal 12 figures and the service report).
        with citizen.expect_download() as download:
            citizen.click("#laporan-tahunan ~ p >> text=Unduh XLSX")
        assert download.value.suggested_filename.startswith("laporan-ppid-") and \
            Path(download.value.path()).read_bytes()[:2] == b"PK"
        citizen.goto(base + "/ppid")
        citizen.click("text=Daftar Informasi Publik")
        citizen.fill("#dip-q", "tenaga kesehatan")
        with citizen.expect_navigation():
            citizen.click("form[role=search] button[type=submit]")
        assert "Rekapitulasi tenaga kesehatan per puskesmas 2025" in citizen.locator("main").inner_text()
        assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
        # The next citizen asking for it is shown the DIP line while typing the request.
        citizen.goto(base + "/ppid/permohonan")
        citizen.fill("#information", "Rekapitulasi tenaga kesehatan")
        suggestion = citizen.wait_for_selector("[data-ppid-suggest] li")
        assert "Rekapitulasi tenaga kesehatan per puskesmas 2025" in suggestion.inner_text()
