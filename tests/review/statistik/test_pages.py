"""The statistical metadata pages, exports and API: the producer's forms (prefilled, a draft
saved with the missing parts listed and linked), the XLSX read back with openpyxl, the JSON
export and ``GET /api/v1/datasets/{slug}/metadata-statistik`` (one ``ms_var`` per column across
two tables; 404 for a draft), the public view, the walidata's review page and the bulk export."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook

from satudata.extensions import db
from satudata.review.statistik import services as ms
from satudata.review.statistik import spec
from satudata.review.statistik.xlsx import IND_HEADERS, KEG_HEADERS, VAR_HEADERS
from tests.factories import SYSTEM
from tests.review.statistik.conftest import statistical_dataset
from tests.workspace.conftest import csrf_of, sign_in


def _keg_form(client: Any, slug: str, **changes: Any) -> dict[str, Any]:
    """The MS-Keg form as the browser would send it, prefilled values included."""
    path = f"/kelola/dataset/{slug}/metadata-statistik"
    meta = ms.load(_dataset(slug))
    data: dict[str, Any] = {"csrf_token": csrf_of(client, path)}
    for f in spec.KEG_FIELDS:
        value = changes.get(f.key, meta.keg.get(f.key, ""))
        data[f"keg-{f.key}"] = spec.split_multi(value) if f.kind == spec.MULTI and isinstance(value, str) else value
    return data


def _dataset(slug: str) -> Any:
    from sqlalchemy import select

    from satudata.catalog.models import Dataset

    return db.session.scalar(select(Dataset).where(Dataset.slug == slug))


def test_producer_form_prefilled_then_draft_with_linked_missing_parts(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    sign_in(scratch_client, "produsen")
    page = scratch_client.get(f"/kelola/dataset/{slug}")
    assert f"/kelola/dataset/{slug}/metadata-statistik" in page.get_data(as_text=True)
    html = scratch_client.get(f"/kelola/dataset/{slug}/metadata-statistik").get_data(as_text=True)
    assert "Blok I. Penyelenggara" in html and "Blok VIII. Diseminasi Hasil" in html
    assert 'value="Tenaga Kesehatan menurut Kecamatan"' in html  # judul kegiatan, prefilled
    assert "Terisi dari metadata dataset" in html
    resp = scratch_client.post(f"/kelola/dataset/{slug}/metadata-statistik",
                               data=_keg_form(scratch_client, slug, latar_belakang="Untuk perencanaan."))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#kurang")
    html = scratch_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Draf disimpan" in html
    assert re.search(r'<a href="#keg-tujuan">MS-Keg 3\.2\. Tujuan kegiatan</a>', html)
    assert 'id="keg-tujuan"' in html and "Untuk perencanaan." in html
    # Submitting the dataset is refused with the missing parts named.
    page = scratch_client.get(f"/kelola/dataset/{slug}").get_data(as_text=True)
    assert "Metadata statistik BPS sudah mulai diisi tetapi belum lengkap" in page
    assert "3.2. Tujuan kegiatan" in page


def test_bad_choice_keeps_what_was_typed(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    sign_in(scratch_client, "produsen")
    data = _keg_form(scratch_client, slug, tujuan="Tujuan yang saya ketik", metode_analisis="Ramalan")
    resp = scratch_client.post(f"/kelola/dataset/{slug}/metadata-statistik", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "Tujuan yang saya ketik" in html and 'id="keg-metode_analisis-error"' in html
    assert 'aria-invalid="true"' in html


def test_variable_form_lists_every_column_and_saves(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    sign_in(scratch_client, "produsen")
    path = f"/kelola/dataset/{slug}/metadata-statistik/variabel"
    html = scratch_client.get(path).get_data(as_text=True)
    for column in ("kode_wilayah", "jenis_tenaga", "jumlah", "nama_puskesmas", "rasio"):
        assert 'name="var-' in html and f'value="{column}"' in html
    assert "wajib diisi; paling kecil 0" in html
    data: dict[str, Any] = {"csrf_token": csrf_of(scratch_client, path)}
    for i, e in enumerate(ms.load(stat["draft"]).variables):
        data[f"var-{i}-resource"], data[f"var-{i}-column"] = e.resource.id, e.column.name
        data.update({f"var-{i}-{k}": v for k, v in e.values.items()})
    data["var-1-definisi"] = "Jenis tenaga menurut UU 36/2014."
    resp = scratch_client.post(path, data=data)
    assert resp.status_code == 302
    assert ms.load(stat["draft"]).variables[1].values["definisi"] == "Jenis tenaga menurut UU 36/2014."


def test_other_opd_and_citizen_cannot_open_or_save(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    assert scratch_client.get(f"/kelola/dataset/{slug}/metadata-statistik").status_code in (302, 401)
    sign_in(scratch_client, "produsen.dumai")
    assert scratch_client.get(f"/kelola/dataset/{slug}/metadata-statistik").status_code == 404
    assert scratch_client.get(f"/kelola/dataset/{stat['geo'].slug}/metadata-statistik").status_code in (302, 404)


def test_xlsx_export_read_back(scratch_client: Any, stat: Any) -> None:
    ds = stat["draft"]
    ms.update_indikator(SYSTEM, ds, [ms.prefill_indicator(ds)])
    db.session.commit()
    sign_in(scratch_client, "produsen")
    resp = scratch_client.get(f"/kelola/dataset/{ds.slug}/metadata-statistik.xlsx")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(resp.data), read_only=True)
    assert book.sheetnames == ["MS-Keg", "MS-Var", "MS-Ind", "Petunjuk"]
    keg = list(book["MS-Keg"].iter_rows(values_only=True))
    assert keg[0] == KEG_HEADERS
    blocks = {r[1] for r in keg[1:]}
    assert {"Blok I. Penyelenggara", "Blok V. Desain Sampel", "Blok VIII. Diseminasi Hasil"} <= blocks
    judul = next(r for r in keg if r[3] == "Judul kegiatan *")
    assert judul[4] == "Tenaga Kesehatan menurut Kecamatan"
    assert any(r[2] == "3.2" and r[3] == "Tujuan kegiatan *" for r in keg)
    var = list(book["MS-Var"].iter_rows(values_only=True))
    assert var[0] == VAR_HEADERS and var[0][3] == "2. Nama variabel *"
    assert var[0][-1] == "12. Apakah kolom (2) dapat diakses umum? *"
    assert [(r[1], r[2]) for r in var[1:]] == [
        ("Tenaga kesehatan", "kode_wilayah"), ("Tenaga kesehatan", "jenis_tenaga"), ("Tenaga kesehatan", "jumlah"),
        ("Puskesmas", "nama_puskesmas"), ("Puskesmas", "rasio")]
    jumlah = var[3]
    assert jumlah[VAR_HEADERS.index("8. Tipe data *")] == "Integer"
    assert jumlah[VAR_HEADERS.index("10. Aturan validasi")] == "wajib diisi; paling kecil 0"
    # A field the form does not ask for this dataset: its Isian empty, the Keterangan says why.
    sample = next(r for r in keg if r[2] == "5.7")
    assert not sample[4] and sample[5].startswith("Tidak ditanyakan (dilewati). Diisi jika cara pengumpulan")
    assert next(r for r in keg if r[2] == "4.2")[5].startswith('Diisi jika 4.1 Kegiatan ini dilakukan dijawab "Berulang"')
    assert [r[2] for r in keg if r[1] == "Blok VI. Pengumpulan Data" and r[2]][:3] == ["6.1", "6.2", "6.2.a"]
    ind = list(book["MS-Ind"].iter_rows(values_only=True))
    assert ind[0] == IND_HEADERS and ind[1][2] == ds.title


def test_api_one_ms_var_per_column_and_404_for_a_draft(scratch_client: Any, stat: Any) -> None:
    slug = stat["published"].slug
    resp = scratch_client.get(f"/api/v1/datasets/{slug}/metadata-statistik")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    body = resp.json
    assert set(body) == {"ms_keg", "ms_var", "ms_ind"}
    assert isinstance(body["ms_keg"], dict) and isinstance(body["ms_ind"], list)
    assert body["ms_keg"]["judul_kegiatan"] == "Tenaga Kesehatan 2025"
    columns = [(v["resource"]["name"], v["column"]) for v in body["ms_var"]]
    assert columns == [("Tenaga kesehatan", "kode_wilayah"), ("Tenaga kesehatan", "jenis_tenaga"),
                       ("Tenaga kesehatan", "jumlah"), ("Puskesmas", "nama_puskesmas"), ("Puskesmas", "rasio")]
    assert body["ms_var"][2]["tipe_data"] == "Integer" and "satuan" not in body["ms_var"][2]
    # A field the form does not ask (block V: not a survey) is null; one asked and empty is "".
    assert body["ms_keg"]["unit_sampel"] is None and body["ms_keg"]["tujuan"] == ""
    for slug_ in (stat["draft"].slug, stat["geo"].slug, "tidak-ada"):
        missing = scratch_client.get(f"/api/v1/datasets/{slug_}/metadata-statistik")
        assert missing.status_code == 404 and "error" in missing.json
    # The JSON download of the public page is the same object.
    download = scratch_client.get(f"/dataset/{slug}/metadata-statistik.json")
    assert download.status_code == 200 and download.json == body
    assert scratch_client.get(f"/dataset/{stat['draft'].slug}/metadata-statistik.xlsx").status_code == 404


def test_public_view(scratch_client: Any, stat: Any) -> None:
    slug = stat["published"].slug
    page = scratch_client.get(f"/dataset/{slug}").get_data(as_text=True)
    assert f"/dataset/{slug}/metadata-statistik" in page
    geo = statistical_dataset(stat["dinkes"], "Peta Faskes", kind="geospasial", state="published")
    assert "/metadata-statistik" not in scratch_client.get(f"/dataset/{geo.slug}").get_data(as_text=True)
    html = scratch_client.get(f"/dataset/{slug}/metadata-statistik").get_data(as_text=True)
    assert "Metadata Statistik Kegiatan (MS-Keg)" in html and "Blok IV. Desain Kegiatan" in html
    assert 'tabindex="0" role="region"' in html
    assert "<code>jumlah</code>" in html and "wajib diisi; paling kecil 0" in html
    assert f"/dataset/{slug}/metadata-statistik.xlsx" in html
    assert scratch_client.get(f"/dataset/{stat['draft'].slug}/metadata-statistik").status_code == 404


def test_english_pages_show_the_forms_in_english_and_the_workbook_keeps_bps_wording(scratch_client: Any,
                                                                                     stat: Any) -> None:
    slug = stat["published"].slug
    html = scratch_client.get(f"/dataset/{slug}/metadata-statistik?lang=en").get_data(as_text=True)
    assert "Block IV. Activity design" in html and "Blok IV. Desain Kegiatan" not in html
    assert "Activity title" in html and "Judul kegiatan" not in html
    sign_in(scratch_client, "produsen")
    form = scratch_client.get(f"/kelola/dataset/{stat['draft'].slug}/metadata-statistik").get_data(as_text=True)
    assert "Data collection approach" in form and "Compilation of administrative records" in form
    assert 'value="Kompilasi produk administrasi"' in form  # what is stored stays the form's wording
    book = load_workbook(io.BytesIO(scratch_client.get(f"/dataset/{slug}/metadata-statistik.xlsx").data),
                         read_only=True)
    assert {r[1] for r in book["MS-Keg"].iter_rows(values_only=True)} >= {"Blok IV. Desain Kegiatan"}


def test_walidata_sees_metadata_in_review(scratch_client: Any, stat: Any) -> None:
    ds = statistical_dataset(stat["dinkes"], "Nakes diajukan")
    values = dict(ms.load(ds).keg, latar_belakang="Latar belakang uji.")
    ms.update_kegiatan(SYSTEM, ds, values)
    db.session.commit()
    sign_in(scratch_client, "walidata")
    from flask import url_for

    with scratch_client.application.test_request_context():
        path = url_for("workspace.review_dataset", slug=ds.slug)
    html = scratch_client.get(path).get_data(as_text=True)
    assert "Metadata statistik BPS" in html and "Latar belakang uji." in html
    assert "isian wajib" in html


def test_bulk_export_for_walidata(scratch_client: Any, stat: Any) -> None:
    statistical_dataset(stat["dumai_dinkes"], "Nakes Dumai")
    sign_in(scratch_client, "walidata")
    html = scratch_client.get("/kelola/metadata-statistik").get_data(as_text=True)
    assert "Tenaga Kesehatan 2025" in html and "Nakes Dumai" not in html
    resp = scratch_client.get("/kelola/metadata-statistik/ekspor.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data), read_only=True)
    datasets = {r[0] for r in list(book["MS-Var"].iter_rows(values_only=True))[1:]}
    assert datasets == {"Tenaga Kesehatan menurut Kecamatan (tenaga-kesehatan-menurut-kecamatan)",
                        "Tenaga Kesehatan 2025 (tenaga-kesehatan-2025)"}


def test_a_row_number_that_is_not_ascii_is_ignored_not_a_500(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    sign_in(scratch_client, "produsen")
    path = f"/kelola/dataset/{slug}/metadata-statistik/indikator"
    resp = scratch_client.post(path, data={"csrf_token": csrf_of(scratch_client, path), "ind-²-nama": "Superskrip",
                                           "ind-0-nama": "Rasio nakes"})
    assert resp.status_code in (200, 302, 400)
    assert [r.nama for r in ms.load(stat["draft"]).indicators] == ["Rasio nakes"]


def test_published_form_is_locked_and_points_to_the_revision(scratch_client: Any, stat: Any) -> None:
    from satudata.review import services as review

    published = stat["published"]
    sign_in(scratch_client, "produsen")
    path = f"/kelola/dataset/{published.slug}/metadata-statistik"
    html = scratch_client.get(path).get_data(as_text=True)
    assert "buat revisi untuk mengubahnya" in html
    data = _keg_form(scratch_client, published.slug, latar_belakang="Langsung terbit.")
    resp = scratch_client.post(path, data=data)
    assert resp.status_code == 409 or "buat revisi untuk mengubahnya" in resp.get_data(as_text=True)
    assert ms.load(published).keg.get("latar_belakang", "") == ""
    revision = review.open_revision(SYSTEM, published)
    db.session.commit()
    html = scratch_client.get(path).get_data(as_text=True)
    assert f"/kelola/dataset/{revision.slug}/metadata-statistik" in html
    resp = scratch_client.post(f"/kelola/dataset/{revision.slug}/metadata-statistik",
                               data=_keg_form(scratch_client, revision.slug, latar_belakang="Lewat revisi."))
    assert resp.status_code == 302
    assert ms.load(published).keg.get("latar_belakang", "") == ""
    # The walidata reviewing the revision reads what changed in the MS metadata.
    _complete_for_review(revision)
    review.submit_dataset(SYSTEM, revision)
    db.session.commit()
    walidata = scratch_client.application.test_client()
    sign_in(walidata, "walidata")
    from flask import url_for

    with scratch_client.application.test_request_context():
        review_path = url_for("workspace.review_dataset", slug=revision.slug)
    html = walidata.get(review_path).get_data(as_text=True)
    assert "Metadata statistik berubah dibanding versi terbit" in html and "Latar belakang kegiatan" in html
    changes = html[html.index('id="perubahan-revisi"'):]
    assert "Revisi ini belum mengubah apa pun" not in changes[:2000] and "Metadata statistik berubah" in changes


def _complete_for_review(ds: Any) -> None:
    from tests.review.statistik.test_services import _complete

    _complete(ds)
    meta = ms.load(ds)
    ms.update_kegiatan(SYSTEM, ds, dict(meta.keg, latar_belakang="Lewat revisi."))


def test_bulk_page_queries_do_not_grow_with_the_datasets(scratch_client: Any, stat: Any) -> None:
    from tests.catalog.test_query_counts import counting

    sign_in(scratch_client, "produsen")
    ms.update_kegiatan(SYSTEM, stat["draft"], dict(ms.load(stat["draft"]).keg, tujuan="Uji."))
    db.session.commit()

    def cost(url: str) -> int:
        scratch_client.get(url)
        with counting() as statements:
            assert scratch_client.get(url).status_code == 200
        return len(statements)

    urls = ("/kelola/metadata-statistik", "/kelola/metadata-statistik/ekspor.xlsx")
    few = [cost(url) for url in urls]
    for i in range(4):
        statistical_dataset(stat["dinkes"], f"Nakes tambahan {i}")
    many = [cost(url) for url in urls]
    assert many == few, (few, many)


def test_the_form_says_when_a_field_is_asked_and_groups_what_one_number_asks(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    sign_in(scratch_client, "produsen")
    html = scratch_client.get(f"/kelola/dataset/{slug}/metadata-statistik").get_data(as_text=True)
    assert "Blok VI. Pengumpulan Data" in html and "Penjaminan Kualitas" not in html
    # A field with a skip rule: its note, read with it (aria-describedby), and the rule for the script.
    assert re.search(r'<div class="field ms-field" data-ms-field="keg-frekuensi_penyelenggaraan" '
                     r'data-when="keg-kegiatan_dilakukan" data-when-values=\'\["Berulang"\]\'>', html)
    assert 'aria-describedby="keg-frekuensi_penyelenggaraan-help keg-frekuensi_penyelenggaraan-when"' in html
    assert '<p class="help ms-when" id="keg-frekuensi_penyelenggaraan-when">Diisi jika 4.1 Kegiatan ini dilakukan ' \
           'dijawab &#34;Berulang&#34;.</p>' in html
    assert 'id="keg-unit_sampel-when">Diisi jika cara pengumpulan data adalah survei.' in html
    assert 'data-when="keg-metode_pengumpulan" data-when-values=\'["Lainnya (sebutkan)"]\'' in html
    # 3.3 is one fieldset of date inputs; 5.3 lists its methods under the two kinds of sample.
    assert "<legend>3.3. Rencana jadwal kegiatan</legend>" in html
    assert '<input id="keg-jadwal_perencanaan_awal" name="keg-jadwal_perencanaan_awal" type="date"' in html
    assert "<legend>7.1. Tahapan pengolahan data</legend>" in html
    assert '<optgroup label="Sampel nonprobabilitas">' in html
    assert 'inputmode="numeric"' in html and "js/statistik.js" in html
    # Nothing but the options of the printed form.
    assert 'value="Tidak tetap"' not in html and 'value="Desa/Kelurahan"' not in html
    ind = scratch_client.get(f"/kelola/dataset/{slug}/metadata-statistik/indikator").get_data(as_text=True)
    assert 'data-when="ind-0-indikator_komposit" data-when-values=\'["Ya"]\'' in ind
    assert 'id="ind-0-kegiatan_penghasil-when">Diisi jika kolom (10) dijawab &#34;Tidak&#34;.' in ind


def test_a_method_of_the_other_kind_of_sample_is_refused_on_the_page(scratch_client: Any, stat: Any) -> None:
    slug = stat["draft"].slug
    sign_in(scratch_client, "produsen")
    data = _keg_form(scratch_client, slug, cara_pengumpulan="Survei", metode_pemilihan_sampel="Sampel probabilitas",
                     metode_sampel="Quota Sampling", jadwal_desain_awal="2026-03-01",
                     jadwal_desain_akhir="2026-02-01")
    resp = scratch_client.post(f"/kelola/dataset/{slug}/metadata-statistik", data=data)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="keg-metode_sampel-error"' in html and "metode sampel nonprobabilitas" in html
    assert 'id="keg-jadwal_desain_akhir-error"' in html and "Akhir tidak boleh sebelum awal" in html
    assert 'value="2026-02-01"' in html  # what was typed is shown again


def test_the_public_page_says_which_fields_were_not_asked(scratch_client: Any, stat: Any) -> None:
    html = scratch_client.get(f"/dataset/{stat['published'].slug}/metadata-statistik").get_data(as_text=True)
    row = html[html.index("<td>5.7</td>"):]
    assert row.index("tidak ditanyakan") < row.index("</tr>")
