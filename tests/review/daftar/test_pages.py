"""The Daftar Data pages and the public API: the walidata's list, form, import and export; an
OPD's calendar where its producer links a dataset; the public release calendar; and what a
visitor without an account may not do."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from satudata.extensions import db
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from satudata.review.daftar.status import local_today
from tests.factories import SYSTEM
from tests.review.daftar.conftest import make_item, new_dataset
from tests.workspace.conftest import csrf_of, sign_in

YEAR = local_today().year


@pytest.fixture(scope="module", autouse=True)
def _english_catalogue() -> None:
    """The English catalogue compiled, as ``make translations`` leaves it."""
    from tests.catalog.test_views import compile_translations

    compile_translations()


def _count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(DaftarDataItem)) or 0)


@pytest.fixture()
def plan(region: Any) -> dict[str, Any]:
    """Three items of this year: one due in December, one late, one published (Dinkes), plus
    one of Diskominfotik."""
    due = make_item(region["dinkes"], "Jumlah Puskesmas", release=date(YEAR, 12, 31), is_priority=True,
                    notes="Catatan internal walidata", standard_ref="tenaga_kesehatan")
    late = make_item(region["dinkes"], "Jumlah Bidan Desa", release=date(YEAR, 1, 15))
    published = make_item(region["dinkes"], "Jumlah Tenaga Kesehatan", release=date(YEAR, 12, 30))
    bts = make_item(region["kominfo"], "Jumlah Menara BTS", release=date(YEAR, 12, 29))
    ds = new_dataset(region["dinkes"], "Tenaga Kesehatan Riau", state="published")
    draft = new_dataset(region["dinkes"], "Puskesmas Riau (draf)")
    daftar.link_dataset(SYSTEM, published, ds.slug)
    db.session.commit()
    return {"due": due, "late": late, "published": published, "bts": bts, "dataset": ds, "draft": draft}


# --------------------------------------------------------------------------- walidata


def test_walidata_list_with_counts_filters_and_actions(scratch_client: Any, plan: Any) -> None:
    sign_in(scratch_client, "walidata")
    html = scratch_client.get(f"/kelola/daftar-data?tahun={YEAR}").get_data(as_text=True)
    assert f"Daftar Data {YEAR}" in html
    for title in ("Jumlah Puskesmas", "Jumlah Bidan Desa", "Jumlah Tenaga Kesehatan", "Jumlah Menara BTS"):
        assert title in html
    assert "Dijadwalkan: <strong>2</strong>" in html and "Terlambat: <strong>1</strong>" in html
    assert "Terbit: <strong>1</strong>" in html
    assert "Catatan internal walidata" in html  # the walidata sees the notes
    assert "Impor XLSX" in html and "Ekspor XLSX" in html and "+ Tambah butir" in html
    only_late = scratch_client.get(f"/kelola/daftar-data?tahun={YEAR}&status=late").get_data(as_text=True)
    assert "Jumlah Bidan Desa" in only_late and "Jumlah Puskesmas" not in only_late
    kominfo = scratch_client.get(f"/kelola/daftar-data?tahun={YEAR}&opd=diskominfotik-riau").get_data(as_text=True)
    assert "Jumlah Menara BTS" in kominfo and "Jumlah Bidan Desa" not in kominfo
    assert scratch_client.get("/kelola/daftar-data?tahun=abc").status_code == 400
    assert scratch_client.get("/kelola/daftar-data?opd=dinkes-dumai").status_code == 404  # not their region


def test_walidata_adds_edits_and_deletes_an_item(scratch_client: Any, region: Any, users: Any) -> None:
    sign_in(scratch_client, "walidata")
    token = csrf_of(scratch_client, "/kelola/daftar-data/baru")
    form = {"csrf_token": token, "organization": str(region["dinkes"].id), "year": "2027",
            "title": "Jumlah Rumah Sakit", "standard_ref": "", "frequency": "tahunan",
            "release_date": "2027-06-30", "is_priority": "on", "notes": "Usulan Bappeda"}
    resp = scratch_client.post("/kelola/daftar-data/baru", data=form)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/kelola/daftar-data?tahun=2027")
    item = db.session.scalars(select(DaftarDataItem)).one()
    assert (item.title, item.release_date, item.is_priority, item.notes) == (
        "Jumlah Rumah Sakit", date(2027, 6, 30), True, "Usulan Bappeda")

    again = scratch_client.post("/kelola/daftar-data/baru", data=form)
    assert again.status_code == 400 and "sudah memuat" in again.get_data(as_text=True)
    bad = scratch_client.post("/kelola/daftar-data/baru", data={**form, "title": "", "release_date": "31/06/2027"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Judul data wajib diisi." in html and "aria-invalid=\"true\"" in html
    outside = scratch_client.post("/kelola/daftar-data/baru", data={**form, "organization": str(region["dumai_dinkes"].id),
                                                                     "title": "Lain"})
    assert outside.status_code == 400 and _count() == 1

    edit = f"/kelola/daftar-data/{item.id}/ubah"
    assert "Jumlah Rumah Sakit" in scratch_client.get(edit).get_data(as_text=True)
    resp = scratch_client.post(edit, data={**form, "release_date": "2027-07-31", "is_priority": ""})
    assert resp.status_code == 302
    db.session.refresh(item)
    assert item.release_date == date(2027, 7, 31) and not item.is_priority

    resp = scratch_client.post(f"/kelola/daftar-data/{item.id}/hapus", data={"csrf_token": token})
    assert resp.status_code == 302 and _count() == 0


def test_walidata_imports_a_workbook_and_sees_the_row_report(scratch_client: Any, region: Any) -> None:
    sign_in(scratch_client, "walidata")
    token = csrf_of(scratch_client, "/kelola/daftar-data/impor")
    book = Workbook()
    ws = book.active
    ws.title = "Daftar Data"
    ws.append(["Tahun", "Judul data", "OPD produsen", "Frekuensi", "Jadwal rilis"])
    ws.append([2027, "Jumlah Puskesmas", "dinkes-riau", "Tahunan", "30/06/2027"])
    ws.append([2027, "Jumlah Bidan", "Dinas Kesehatan", "Tahunan", "31/06/2027"])
    bad = io.BytesIO()
    book.save(bad)
    resp = scratch_client.post("/kelola/daftar-data/impor", data={"csrf_token": token,
                                                                 "file": (io.BytesIO(bad.getvalue()), "daftar.xlsx")})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Tidak ada yang disimpan: 1 baris perlu diperbaiki." in html
    assert "<td class=\"num\">3</td><td>OPD produsen</td>" in html and "Jadwal rilis" in html
    assert _count() == 0
    ws.delete_rows(3)
    good = io.BytesIO()
    book.save(good)
    resp = scratch_client.post("/kelola/daftar-data/impor", data={"csrf_token": token,
                                                                 "file": (io.BytesIO(good.getvalue()), "daftar.xlsx")})
    assert resp.status_code == 302 and _count() == 1


def test_walidata_exports_the_year(scratch_client: Any, plan: Any) -> None:
    sign_in(scratch_client, "walidata")
    resp = scratch_client.get(f"/kelola/daftar-data/ekspor.xlsx?tahun={YEAR}&opd=dinkes-riau")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    assert f'filename="daftar-data-{YEAR}-dinkes-riau.xlsx"' in resp.headers["Content-Disposition"]
    titles = [r[1] for r in load_workbook(io.BytesIO(resp.data))["Daftar Data"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Jumlah Bidan Desa", "Jumlah Tenaga Kesehatan", "Jumlah Puskesmas"]


# --------------------------------------------------------------------------- producer


def test_producer_opens_their_opds_calendar_and_links_a_dataset(scratch_client: Any, plan: Any) -> None:
    sign_in(scratch_client, "produsen")
    assert scratch_client.get("/kelola/daftar-data").status_code == 403  # the list is the walidata's
    resp = scratch_client.get("/kelola/daftar-data/kalender")
    assert resp.status_code == 302 and "/kelola/daftar-data/opd/dinkes-riau" in resp.headers["Location"]
    page = f"/kelola/daftar-data/opd/dinkes-riau?tahun={YEAR}"
    html = scratch_client.get(page).get_data(as_text=True)
    assert "Kalender rilis" in html and "Dinas Kesehatan Provinsi Riau" in html
    assert f"Desember {YEAR}" in html and f"Januari {YEAR}" in html
    assert html.index(f"Januari {YEAR}") < html.index(f"Desember {YEAR}")
    assert "Catatan internal walidata" in html
    assert "Dataset yang memenuhi butir ini" in html and "Jumlah Menara BTS" not in html

    token = csrf_of(scratch_client, page)
    due = plan["due"]
    resp = scratch_client.post(f"/kelola/daftar-data/{due.id}/dataset",
                               data={"csrf_token": token, "dataset": plan["draft"].slug, "next": page})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(page)
    db.session.refresh(due)
    assert due.dataset == plan["draft"]
    # Another OPD's dataset is refused with a message, and a link elsewhere is not followed.
    theirs = new_dataset(db.session.merge(plan["bts"]).organization, "Menara")
    resp = scratch_client.post(f"/kelola/daftar-data/{due.id}/dataset",
                               data={"csrf_token": token, "dataset": theirs.slug, "next": "https://evil.example/"})
    assert resp.headers["Location"].endswith(f"/kelola/daftar-data/opd/dinkes-riau?tahun={YEAR}")
    assert "bukan milik" in scratch_client.get(page).get_data(as_text=True)
    resp = scratch_client.post(f"/kelola/daftar-data/{due.id}/dataset",
                               data={"csrf_token": token, "action": "unlink", "next": page})
    db.session.refresh(due)
    assert due.dataset is None
    # Another OPD's calendar and items are not theirs.
    assert scratch_client.get("/kelola/daftar-data/opd/diskominfotik-riau").status_code == 403
    resp = scratch_client.post(f"/kelola/daftar-data/{plan['bts'].id}/dataset",
                               data={"csrf_token": token, "dataset": theirs.slug})
    assert resp.status_code == 403
    assert scratch_client.post(f"/kelola/daftar-data/{due.id}/hapus", data={"csrf_token": token}).status_code == 403


# --------------------------------------------------------------------------- citizens


def test_public_calendar_by_month_with_status_and_dataset_links(scratch_client: Any, plan: Any) -> None:
    resp = scratch_client.get("/kalender-rilis")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert f"Kalender rilis data {YEAR}" in html
    assert f"Januari {YEAR}" in html and f"Desember {YEAR}" in html
    assert "Terlambat" in html and "Dijadwalkan" in html and "Terbit" in html
    assert f'href="/dataset/{plan["dataset"].slug}">Jumlah Tenaga Kesehatan</a>' in html
    assert "Catatan internal walidata" not in html  # internal notes never reach the public
    assert "Data Prioritas" in html
    assert 'href="/kalender-rilis"' in html  # the footer links here
    dinkes = scratch_client.get(f"/kalender-rilis?tahun={YEAR}&opd=dinkes-riau").get_data(as_text=True)
    assert "Jumlah Menara BTS" not in dinkes and "Jumlah Puskesmas" in dinkes
    late = scratch_client.get(f"/kalender-rilis?status=late&tahun={YEAR}").get_data(as_text=True)
    assert "Jumlah Bidan Desa" in late and "Jumlah Puskesmas" not in late
    empty = scratch_client.get(f"/kalender-rilis?tahun={YEAR + 5}").get_data(as_text=True)
    assert "Belum ada data yang dijadwalkan" in empty
    assert scratch_client.get("/kalender-rilis?opd=tidak-ada").status_code == 404
    english = scratch_client.get("/kalender-rilis?lang=en").get_data(as_text=True)
    assert "Release calendar" in english and "Late" in english


def test_public_api_lists_planned_releases_without_notes(scratch_client: Any, plan: Any) -> None:
    resp = scratch_client.get(f"/api/v1/daftar-data?year={YEAR}")
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    body = resp.json
    assert body["meta"]["total"] == 4 and body["meta"]["counts"] == {"due": 2, "submitted": 0, "published": 1,
                                                                     "late": 1}
    titles = {d["title"]: d for d in body["data"]}
    published = titles["Jumlah Tenaga Kesehatan"]
    assert published["status"] == "published" and published["on_time"] is True
    assert published["dataset"]["slug"] == plan["dataset"].slug
    assert published["dataset_page"] == f"http://localhost/dataset/{plan['dataset'].slug}"
    assert titles["Jumlah Puskesmas"]["standard"] == "tenaga_kesehatan@1"
    assert titles["Jumlah Puskesmas"]["dataset"] is None and titles["Jumlah Puskesmas"]["is_priority"] is True
    assert all("notes" not in d for d in body["data"]) and "Catatan internal" not in resp.get_data(as_text=True)
    one = scratch_client.get(f"/api/v1/daftar-data?year={YEAR}&organization=diskominfotik-riau&status=due").json
    assert [d["title"] for d in one["data"]] == ["Jumlah Menara BTS"]
    assert scratch_client.get("/api/v1/daftar-data?organization=tidak-ada").status_code == 404
    assert scratch_client.get("/api/v1/daftar-data?year=99").status_code == 422


@pytest.mark.parametrize("path", [
    "/kelola/daftar-data", "/kelola/daftar-data/baru", "/kelola/daftar-data/impor", "/kelola/daftar-data/ekspor.xlsx",
    "/kelola/daftar-data/kalender", "/kelola/daftar-data/opd/dinkes-riau",
])
def test_anonymous_visitors_are_sent_to_sign_in(scratch_client: Any, plan: Any, path: str) -> None:
    resp = scratch_client.get(path)
    assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]


def test_anonymous_visitors_change_nothing(app: Any, scratch_client: Any, plan: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = False  # no token to hide behind: the refusal is the permission's
    try:
        item = plan["due"]
        book = io.BytesIO()
        Workbook().save(book)
        for path, data in (("/kelola/daftar-data/baru", {"organization": str(item.organization_id), "year": "2027",
                                                          "title": "Baru", "frequency": "tahunan",
                                                          "release_date": "2027-01-31"}),
                           ("/kelola/daftar-data/impor", {"file": (io.BytesIO(book.getvalue()), "daftar.xlsx")}),
                           (f"/kelola/daftar-data/{item.id}/ubah", {"title": "Diubah"}),
                           (f"/kelola/daftar-data/{item.id}/hapus", {}),
                           (f"/kelola/daftar-data/{item.id}/dataset", {"dataset": plan["draft"].slug})):
            resp = scratch_client.post(path, data=data)
            assert resp.status_code == 302 and "/masuk" in resp.headers["Location"]
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    db.session.refresh(item)
    assert item.title == "Jumlah Puskesmas" and item.dataset is None and _count() == 4
