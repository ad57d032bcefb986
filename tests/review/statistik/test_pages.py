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
    assert var[0] == VAR_HEADERS and var[0][3] == "1. Nama variabel *"
    assert [(r[1], r[2]) for r in var[1:]] == [
        ("Tenaga kesehatan", "kode_wilayah"), ("Tenaga kesehatan", "jenis_tenaga"), ("Tenaga kesehatan", "jumlah"),
        ("Puskesmas", "nama_puskesmas"), ("Puskesmas", "rasio")]
    jumlah = var[3]
    assert jumlah[VAR_HEADERS.index("9. Satuan")] == "orang"
    assert jumlah[VAR_HEADERS.index("10. Aturan validasi")] == "wajib diisi; paling kecil 0"
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
    assert body["ms_var"][2]["satuan"] == "orang"
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
    assert datasets == {"Tenaga Kesehatan menurut Kecamatan", "Tenaga Kesehatan 2025"}


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
