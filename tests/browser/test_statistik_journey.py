"""BPS statistical metadata in a real browser: a producer opens the MS forms of a statistical
dataset, finds the MS-Var prefilled from the tables' Table Schemas, fills the MS-Keg parts still
missing (the fields a skip rule does not ask hide and show as the answers change; saving once
with one left out, to see the linked message), saves, downloads the XLSX,
reads it back, edits a copy and imports it (the flash, the changed values); at phone width the
import page refuses a file that is not a workbook; the public metadata page of a published
dataset at phone and desktop widths.
axe-core checks every page (WCAG 2.1 AA)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from satudata.review.statistik import spec
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import XLSX_TYPE, checked_context
from tests.review.daftar.conftest import region  # noqa: F401  (fixtures)
from tests.review.statistik.conftest import stat  # noqa: F401  (fixtures)
from tests.workspace.conftest import vocab  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_producer_fills_ms_keg_and_exports_xlsx_and_public_page(browser: Any, scratch_live_url: str,
                                                                   stat: Any) -> None:  # noqa: F811
    base = scratch_live_url
    slug = stat["draft"].slug
    with checked_context(browser, locale="id-ID", accept_downloads=True, **DESKTOP) as context:
        page = context.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "produsen")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(base + "/kelola/")

        page.goto(f"{base}/kelola/dataset/{slug}")
        page.click("text=Buka formulir metadata statistik")
        page.wait_for_url(re.compile(rf".*/kelola/dataset/{slug}/metadata-statistik$"))
        assert page.locator("h1").inner_text() == "Metadata statistik BPS"
        assert page.input_value("#keg-judul_kegiatan") == "Tenaga Kesehatan menurut Kecamatan"
        assert page.input_value("#keg-frekuensi_penyelenggaraan") == "Tahunan"

        # MS-Var: one block per column, prefilled from the Table Schemas.
        with page.expect_navigation():
            page.click("nav.ms-nav >> text=MS-Var: variabel")
        page.wait_for_url(re.compile(r".*/metadata-statistik/variabel$"))
        assert page.locator("details.ms-var").count() == 5
        jumlah = page.locator("details.ms-var", has=page.locator("summary code", has_text=re.compile("^jumlah$")))
        jumlah_id = jumlah.get_attribute("id")
        assert page.input_value(f"#{jumlah_id}-definisi") == "Banyaknya tenaga kesehatan yang bertugas. Satuan: orang."
        assert page.input_value(f"#{jumlah_id}-tipe_data") == "Integer"
        assert page.input_value(f"#{jumlah_id}-aturan_validasi") == "wajib diisi; paling kecil 0"
        # The one column without a description gets its definition.
        gap = page.locator("details.ms-var", has=page.locator(".ms-gap"))
        assert gap.count() == 1
        gap_id = gap.get_attribute("id")
        page.fill(f"#{gap_id}-definisi", "Jenis tenaga kesehatan menurut UU 36/2014.")
        page.click("button:has-text('Simpan MS-Var')")
        page.wait_for_url(re.compile(r".*/metadata-statistik/variabel(#kurang)?$"))

        # MS-Keg: the skip rules at work. Not a survey: block V is hidden; "Lainnya (sebutkan)"
        # shows its text field; PAPI shows 6.4–6.7.
        with page.expect_navigation():
            page.click("nav.ms-nav >> text=MS-Keg: kegiatan")
        assert page.input_value("#keg-cara_pengumpulan") == "Kompilasi produk administrasi"
        expect(page.locator("#keg-unit_sampel")).to_be_hidden()
        expect(page.locator("#keg-rekomendasi_bps")).to_be_hidden()
        page.select_option("#keg-cara_pengumpulan", "Survei")
        expect(page.locator("#keg-unit_sampel")).to_be_visible()
        expect(page.locator("#keg-kerangka_sampel")).to_be_hidden()
        page.select_option("#keg-metode_pemilihan_sampel", "Sampel probabilitas")
        expect(page.locator("#keg-kerangka_sampel")).to_be_visible()
        page.select_option("#keg-cara_pengumpulan", "Kompilasi produk administrasi")
        expect(page.locator("#keg-kerangka_sampel")).to_be_hidden()  # its parent (5.2) is no longer asked
        expect(page.locator("#keg-jumlah_enumerator")).to_be_hidden()
        page.check("#keg-sarana_pengumpulan >> label:has-text('(PAPI)')")
        expect(page.locator("#keg-jumlah_enumerator")).to_be_visible()
        page.uncheck("#keg-sarana_pengumpulan >> label:has-text('(PAPI)')")
        page.check("#keg-sarana_pengumpulan >> label:has-text('Mail')")
        expect(page.locator("#keg-unit_pengumpulan_lainnya")).to_be_hidden()
        page.check("#keg-unit_pengumpulan >> label:has-text('Lainnya (sebutkan)')")
        page.fill("#keg-unit_pengumpulan_lainnya", "Puskesmas")
        # Everything missing but the objective, saved: a draft, the gap named and linked.
        for key, text in (("alamat_penyelenggara", "Jl. Cut Nyak Dien, Pekanbaru"), ("telepon_penyelenggara", "(0761) 21000"),
                          ("email_penyelenggara", "dinkes@riau.go.id"), ("pj_alamat", "Jl. Cut Nyak Dien, Pekanbaru"),
                          ("pj_telepon", "(0761) 21001"), ("latar_belakang", "Perencanaan kebutuhan tenaga kesehatan.")):
            page.fill(f"#keg-{key}", text)
        for n, (stage, _label) in enumerate(spec.JADWAL_STAGES, start=1):
            page.fill(f"#keg-jadwal_{stage}_awal", f"2026-0{n}-01")
            page.fill(f"#keg-jadwal_{stage}_akhir", f"2026-0{n}-20")
        for key, choice in (("tipe_pengumpulan", "Cross sectional"), ("uji_coba", "Tidak"),
                            ("penyesuaian_nonrespon", "Tidak"), ("pengolahan_editing", "Ya"),
                            ("pengolahan_coding", "Tidak"), ("pengolahan_entry", "Ya"),
                            ("metode_analisis", "Deskriptif"), ("produk_tercetak", "Tidak"), ("produk_mikro", "Tidak")):
            page.select_option(f"#keg-{key}", choice)
        page.check("#keg-metode_pemeriksaan_kualitas >> label:has-text('Supervisi')")
        page.check("#keg-unit_analisis >> label:has-text('Individu')")
        page.fill("#keg-rilis_digital", "2026-03-31")
        page.click("button:has-text('Simpan MS-Keg')")
        page.wait_for_url(re.compile(r".*/metadata-statistik#kurang$"))
        assert "Draf disimpan" in page.locator(".flash").inner_text()
        missing = page.locator("#kurang li")
        assert missing.count() == 1 and missing.inner_text() == "MS-Keg 3.2. Tujuan kegiatan"
        missing.locator("a").click()
        assert page.evaluate("location.hash") == "#keg-tujuan"
        page.fill("#keg-tujuan", "Menyediakan data tenaga kesehatan per kecamatan.")
        with page.expect_navigation():
            page.click("button:has-text('Simpan MS-Keg')")
        assert page.url.endswith("/metadata-statistik"), (page.url, page.locator("#kurang").all_inner_texts())
        assert "disimpan dan lengkap" in page.locator(".flash").inner_text()
        assert page.locator("#kurang").count() == 0

        with page.expect_download() as got:
            page.click(".ms-downloads a:has-text('XLSX')")
        download = got.value
        assert download.suggested_filename == f"metadata-statistik-{slug}.xlsx"
        book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
        assert book.sheetnames == ["MS-Keg", "MS-Var", "MS-Ind", "Petunjuk"]
        keg = {row[3]: row[4] for row in book["MS-Keg"].iter_rows(min_row=2, values_only=True)}
        assert keg["Tujuan kegiatan *"] == "Menyediakan data tenaga kesehatan per kecamatan."
        assert len(list(book["MS-Var"].iter_rows(min_row=2, values_only=True))) == 5

        # The producer fills the workbook in offline and imports it back: the edited cells are
        # saved, the rest stays as it was.
        edited = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        keg_sheet = edited["MS-Keg"]
        latar = next(row for row in keg_sheet.iter_rows(min_row=2) if row[2].value == "3.1")
        latar[4].value = "Perencanaan kebutuhan tenaga kesehatan 2026 (diisi di Excel)."
        var_sheet = edited["MS-Var"]
        definisi = [c.value for c in var_sheet[1]].index("5. Definisi *")
        jumlah_row = next(row for row in var_sheet.iter_rows(min_row=2) if row[2].value == "jumlah")
        jumlah_row[definisi].value = "Tenaga kesehatan yang bertugas pada 31 Desember."
        buffer = io.BytesIO()
        edited.save(buffer)
        page.click("summary:has-text('Impor dari XLSX')")
        page.set_input_files("#ms-import-file", files=[{"name": f"metadata-statistik-{slug}.xlsx",
                                                         "mimeType": XLSX_TYPE, "buffer": buffer.getvalue()}])
        with page.expect_navigation():
            page.click(".ms-import button[type=submit]")
        assert page.url.endswith("/metadata-statistik"), page.url
        flashes = page.locator(".flash").all_inner_texts()
        assert any("Impor XLSX selesai. Berubah: 1 isian MS-Keg, 1 variabel MS-Var" in f for f in flashes), flashes
        assert page.input_value("#keg-latar_belakang") == "Perencanaan kebutuhan tenaga kesehatan 2026 (diisi di Excel)."
        assert page.input_value("#keg-tujuan") == "Menyediakan data tenaga kesehatan per kecamatan."
        with page.expect_navigation():
            page.click("nav.ms-nav >> text=MS-Var: variabel")
        assert page.input_value(f"#{jumlah_id}-definisi") == "Tenaga kesehatan yang bertugas pada 31 Desember."

        # MS-Ind starts from the dataset's Standar Data; the bulk page lists the OPD's datasets.
        with page.expect_navigation():
            page.click("nav.ms-nav >> text=MS-Ind: indikator")
        assert page.input_value("#ind-0-nama") == "Tenaga Kesehatan menurut Kecamatan"
        assert page.input_value("#ind-0-satuan") == "orang"
        page.goto(f"{base}/kelola/metadata-statistik")
        assert page.locator("table tbody tr").count() == 2
        # The workspace's dataset page shows it complete; nothing blocks the submission from it.
        page.goto(f"{base}/kelola/dataset/{slug}")
        assert "Metadata statistik BPS sudah mulai diisi" not in page.content()

    # At phone width: the import page, and a file that is not a workbook refused and explained.
    with checked_context(browser, locale="id-ID", **PHONE) as context:
        page = context.new_page()
        page.goto(base + "/masuk")
        page.fill("#login", "produsen")
        page.fill("#password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(base + "/kelola/")
        page.goto(f"{base}/kelola/dataset/{slug}/metadata-statistik/impor")
        assert page.locator("h2#impor").inner_text() == "Impor dari XLSX"
        page.set_input_files("#file", files=[{"name": "metadata.xlsx", "mimeType": XLSX_TYPE,
                                              "buffer": b"Dataset;No.;Isian\n;3.1;x\n"}])
        with page.expect_navigation():
            page.click("form.form button:has-text('Impor')")
        assert "Tidak ada yang diimpor" in page.locator("#laporan").inner_text()
        assert page.locator("table.import-report tbody tr").count() == 1
        assert page.get_attribute("#file", "aria-describedby") == "file-help file-error"
        overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
        assert overflow <= 0, f"the import page is {overflow}px wider than the phone"
        # The MS-Keg form at phone width: 3.3's dates and 5.3's long choices fit; 5.3 shown once asked.
        page.goto(f"{base}/kelola/dataset/{slug}/metadata-statistik")
        page.select_option("#keg-cara_pengumpulan", "Survei")
        expect(page.locator("#keg-metode_sampel")).to_be_visible()
        overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
        assert overflow <= 0, f"the MS-Keg form is {overflow}px wider than the phone"

    published = stat["published"].slug
    for options in (PHONE, DESKTOP):
        with checked_context(browser, locale="id-ID", **options) as context:
            page = context.new_page()
            page.goto(f"{base}/dataset/{published}")
            page.click("text=Metadata statistik BPS (MS-Keg, MS-Var, MS-Ind)")
            page.wait_for_url(re.compile(rf".*/dataset/{published}/metadata-statistik$"))
            assert page.locator("h1").inner_text() == "Metadata statistik BPS"
            assert page.locator("h3", has_text="Blok VIII. Diseminasi Hasil").count() == 1
            assert page.locator("table.ms-table-var tbody tr").count() == 5
            overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
            assert overflow <= 0, f"the page is {overflow}px wider than the window"
