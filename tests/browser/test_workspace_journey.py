"""The producer's journey in a real browser (issue 4's "done when"): create a dataset, upload a
CSV with errors, read the report, fix and re-upload, see it pass, and submit it for review. A
real RQ worker validates each upload while the page shows the progress."""

from __future__ import annotations

import re

import pytest

from satudata.extensions import db
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.browser.conftest import XLSX_TYPE, upload_and_validate
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


def new_dataset(page, base: str, title: str) -> None:
    """Sign in as the producer and create a draft dataset; ends on its upload page."""
    page.goto(base + "/masuk")
    page.fill("#login", "produsen")
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/kelola/")  # a producer lands on "Kelola data"

    page.click("text=Kelola data")
    page.wait_for_url(base + "/kelola/")
    page.click("text=+ Dataset baru")
    page.fill("#f-title", title)
    page.fill("#f-description", "Data Kabupaten Rokan Hilir.")
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


def test_producer_creates_uploads_fixes_and_submits(page, scratch_live_url, app, users, vocab):  # noqa: F811
    base = scratch_live_url
    new_dataset(page, base, "Jumlah Tenaga Kesehatan menurut Kecamatan")

    # Upload the faulty CSV against the regional standard for health workers.
    upload_and_validate(page, app, "nakes-2025.csv", BAD.encode(), schema="tenaga_kesehatan")
    assert re.search(r"/sumber/[^/]+$", page.url)
    summary = page.locator(".report-summary").inner_text()
    assert "belum lolos validasi" in summary and "3 kesalahan" in summary
    report = page.locator(".report").inner_text()
    assert "jenis_tenaga" in report and "kode_wilayah" in report and "Dokter Umum" in report
    assert page.locator("td.cell-error").count() == 3
    assert page.locator("td.cell-error").first.inner_text() == "perawat"

    # Fix the file and upload it again: the old file goes to the history.
    upload_and_validate(page, app, "nakes-2025-perbaikan.csv", GOOD.encode(), result=".report-summary.alert-success")
    assert "Tabel lolos validasi" in page.locator(".report-summary").inner_text()
    assert "nakes-2025.csv" in page.locator("text=Riwayat berkas >> xpath=..").inner_text()

    # Submit for review.
    page.click(".breadcrumb a >> nth=1")
    page.wait_for_selector(".submit-section")
    page.click(".submit-section button[type=submit]")
    page.wait_for_selector(".flash")
    assert "diajukan ke walidata" in page.locator(".flash").inner_text()
    assert page.locator(".page-header .state").inner_text() == "Diajukan"


# Files as regional offices make them (#14): a CSV from Indonesian Excel (semicolons, "." for
# thousands, "," for decimals) with the JUMLAH line under the data, and a workbook with a title
# block and a two-row header above the table.
INDONESIAN_CSV = (
    "kecamatan;laki_laki;perempuan;jumlah;rasio_jenis_kelamin\n"
    "Kubu;17.210;17.435;34.645;98,71\n"
    "Bangko;28.406;27.930;56.336;101,70\n"
    "Tanah Putih;20.100;19.900;40.000;101,01\n"
)
JUMLAH_ROW = "JUMLAH;65.716;65.265;130.981;100,69\n"


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Penduduk"
    for row in (["REKAPITULASI JUMLAH PENDUDUK MENURUT KECAMATAN"], ["KABUPATEN ROKAN HILIR 2025"], [],
                ["No", "Kecamatan", "Jenis Kelamin", None, "Jumlah"], [None, None, "Laki-laki", "Perempuan", None],
                [1, "Kubu", 17210, 17435, 34645], [2, "Bangko", 28406, 27930, 56336]):
        sheet.append(row)
    for cells in ("A1:E1", "A2:E2", "C4:D4", "A4:A5", "B4:B5", "E4:E5"):
        sheet.merge_cells(cells)
    notes = book.create_sheet("Catatan")
    notes.append(["Data dari Disdukcapil, semester II."])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_clerk_uploads_files_as_offices_make_them(browser, scratch_live_url, app, users, vocab,  # noqa: F811
                                                    width: int) -> None:
    from satudata.catalog.models import Resource
    from tests.browser.conftest import checked_context

    base = scratch_live_url
    with checked_context(browser, viewport={"width": width, "height": 900}, locale="id-ID") as context:
        page = context.new_page()
        new_dataset(page, base, f"Penduduk menurut Kecamatan dan Jenis Kelamin {width}")
        upload_and_validate(page, app, "penduduk-2025.csv", (INDONESIAN_CSV + JUMLAH_ROW).encode())
        assert "1 kesalahan" in page.locator(".report-summary").inner_text()
        report = page.locator(".report").inner_text()
        assert "Baris jumlah" in report and "Hapus baris jumlah; portal menjumlahkan sendiri." in report
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # The clerk deletes the JUMLAH line and uploads again: it passes, with the right numbers.
        upload_and_validate(page, app, "penduduk-2025-tanpa-jumlah.csv", INDONESIAN_CSV.encode(),
                            result=".report-summary.alert-success")
        resource_id = page.url.rsplit("/", 1)[1]
        db.session.expire_all()
        columns = {c["name"]: c for c in db.session.get(Resource, resource_id).columns}
        assert (columns["jumlah"]["min"], columns["jumlah"]["max"]) == (34645, 56336)  # not 34.645
        assert columns["rasio_jenis_kelamin"]["max"] == pytest.approx(101.70)

        # A workbook with a title block and a two-row header: the table under it passes.
        page.click(".breadcrumb a >> nth=1")
        page.click("text=+ Unggah tabel atau dokumen")
        # Choosing the file shows its sheets as a list and the row the titles are read from.
        page.set_input_files("#file", files=[{"name": "penduduk-2025.xlsx", "mimeType": XLSX_TYPE,
                                              "buffer": _workbook()}])
        page.wait_for_selector("[data-workbook-overview] tr.header-found")
        found = page.locator("[data-workbook-overview] tr.header-found").all_inner_texts()
        assert [row.split(" ·")[0] for row in found] == ["Baris 4", "Baris 5"]  # both rows of the header
        assert "dibaca dari baris 4–5 lembar “Penduduk”" in page.locator("[data-workbook-overview]").inner_text()
        assert page.eval_on_selector("#sheet", "e => e.tagName") == "SELECT"
        assert page.eval_on_selector_all("#sheet option", "os => os.map(o => o.value)") == ["Penduduk", "Catatan"]
        assert page.get_attribute("#header_row", "placeholder") == "otomatis (baris 5)"
        page.evaluate("window.__checkWcag()")  # the overview is drawn after the page loaded
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        upload_and_validate(page, app, "penduduk-2025.xlsx", _workbook(), mime=XLSX_TYPE,
                            result=".report-summary.alert-success")
        assert "Judul kolom dibaca dari baris 4–5 lembar \"Penduduk\"" in page.locator(".layout-box").inner_text()
        xlsx = db.session.get(Resource, page.url.rsplit("/", 1)[1])
        db.session.refresh(xlsx)
        assert [f["name"] for f in xlsx.table_schema["fields"]] == [
            "No", "Kecamatan", "Jenis Kelamin Laki-laki", "Jenis Kelamin Perempuan", "Jumlah"]
