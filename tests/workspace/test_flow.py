"""The producer's flow through the web workspace, with a real validation worker."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts.models import AuditLog
from satudata.catalog.models import Dataset, DatasetState, Resource, ResourceRevision
from satudata.extensions import db
from satudata.review.models import ReviewEvent
from satudata.validation.models import ValidationRun
from tests.conftest import run_worker
from tests.workspace.conftest import COMPLETE, csrf_of

SCHEMA = {
    "fields": [
        {"name": "puskesmas", "type": "string", "constraints": {"required": True}},
        {"name": "dokter", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "perawat", "type": "integer", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["puskesmas"],
}
BAD = "puskesmas,dokter,perawat\nBagan Siapiapi,4,20\nBangko,-1,x\n,2,3\n"
GOOD = "puskesmas,dokter,perawat\nBagan Siapiapi,4,20\nBangko,1,7\nKubu,2,3\n"


def _create(client: Any, **overrides: Any) -> Dataset:
    token = csrf_of(client, "/kelola/dataset/baru")
    data = {**COMPLETE, **overrides, "csrf_token": token}
    resp = client.post("/kelola/dataset/baru", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    slug = resp.headers["Location"].split("/")[3]
    return db.session.scalars(select(Dataset).where(Dataset.slug == slug)).one()


def _upload(client: Any, ds: Dataset, content: str | bytes, filename: str = "nakes.csv", **form: Any) -> Any:
    token = csrf_of(client, f"/kelola/dataset/{ds.slug}/unggah")
    body = content.encode() if isinstance(content, str) else content
    return client.post(f"/kelola/dataset/{ds.slug}/unggah", data={
        "csrf_token": token, "kind": "file", "file": (io.BytesIO(body), filename), **form},
        content_type="multipart/form-data", headers={"X-Requested-With": "XMLHttpRequest"})


def test_dashboard_needs_sign_in(scratch_client: Any) -> None:
    resp = scratch_client.get("/kelola/")
    assert resp.status_code in (302, 401)


def test_create_shows_marshmallow_errors_in_indonesian(produsen: Any) -> None:
    token = csrf_of(produsen, "/kelola/dataset/baru")
    resp = produsen.post("/kelola/dataset/baru", data={**COMPLETE, "year": "dua ribu", "contact_email": "x",
                                                        "csrf_token": token})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Tahun harus angka" in page and "Alamat email tidak valid" in page
    assert db.session.scalar(select(Dataset).where(Dataset.title == COMPLETE["title"])) is None


def test_upload_report_fix_and_submit(app: Any, produsen: Any, queue: Any) -> None:
    ds = _create(produsen)
    assert ds.state == DatasetState.DRAFT and ds.organization.slug == "dinkes-riau"
    board = produsen.get("/kelola/").get_data(as_text=True)
    assert ds.title in board and "state-draft" in board and "Belum ada sumber data" in board
    assert ds.title not in produsen.get("/kelola/?status=submitted").get_data(as_text=True)
    assert produsen.get("/kelola/?status=bukan").status_code == 404
    edit = produsen.get(f"/kelola/dataset/{ds.slug}/ubah").get_data(as_text=True)
    assert 'value="orang"' in edit and "Kelengkapan metadata" in edit
    resp = _upload(produsen, ds, BAD)
    assert resp.status_code == 200 and resp.get_json()["ok"] is True, resp.get_data(as_text=True)
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    # Inferred from the file by the validation job, not in the upload request (issue #16).
    assert res.table_schema is None and str(res.validation_status) == "pending"
    # The producer tightens the inferred Table Schema to the real standard (a copy of SCHEMA).
    from satudata.accounts.models import User
    from satudata.catalog import services as catalog

    user = db.session.scalars(select(User).where(User.username == "produsen")).one()
    catalog.set_resource_schema(user, res, descriptor=SCHEMA)
    db.session.commit()
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)
    assert "sedang divalidasi" in page and "data-status-url" in page
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert str(res.validation_status) == "invalid"
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)
    assert "Tabel belum lolos validasi" in page
    assert "cell-error" in page and "kolom <code>dokter</code>" in page
    status = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/status.json").get_json()
    assert status["status"] == "invalid" and status["finished"] is True
    report = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/laporan.json")
    assert report.status_code == 200 and report.get_json()["valid"] is False
    page = produsen.get(f"/kelola/dataset/{ds.slug}")
    assert page.status_code == 200, page.get_data(as_text=True)[-3000:]
    assert "belum lolos validasi" in page.get_data(as_text=True)
    # Submitting is refused while the table is invalid.
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}")
    produsen.post(f"/kelola/dataset/{ds.slug}/ajukan", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Dataset, ds.id).state == DatasetState.DRAFT
    # Fix and re-upload: the old file goes to the history.
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    resp = produsen.post(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/ganti", data={
        "csrf_token": token, "file": (io.BytesIO(GOOD.encode()), "nakes-perbaikan.csv")},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert str(res.validation_status) == "valid" and res.filename == "nakes-perbaikan.csv"
    revs = db.session.scalars(select(ResourceRevision).where(ResourceRevision.resource_id == res.id)).all()
    assert [(r.number, r.filename, r.validation_status) for r in revs] == [(1, "nakes.csv", "invalid")]
    old = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/riwayat/1/unduh")
    assert old.status_code == 200 and old.data == BAD.encode()
    old.close()
    runs = db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == res.id)
                              .order_by(ValidationRun.id)).all()
    assert [str(r.status) for r in runs][-1] == "valid"
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}")
    produsen.post(f"/kelola/dataset/{ds.slug}/ajukan", data={"csrf_token": token, "note": "Mohon diperiksa"})
    db.session.expire_all()
    assert db.session.get(Dataset, ds.id).state == DatasetState.SUBMITTED
    event = db.session.scalars(select(ReviewEvent).where(ReviewEvent.dataset_id == ds.id)).one()
    assert (event.action, event.from_state, event.to_state, event.note) == ("submit", "draft", "submitted",
                                                                             "Mohon diperiksa")
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "dataset.submit")) is not None
    # Submitted: locked for the producer.
    resp = _upload(produsen, db.session.get(Dataset, ds.id), GOOD)
    assert resp.status_code == 400 and "diperiksa walidata" in str(resp.get_json())


@pytest.mark.parametrize(("content", "filename", "expect"), [
    (b"", "kosong.csv", "Berkas kosong"),
    (b"puskesmas,dokter,perawat\n", "judul.csv", "hanya berisi baris judul"),
    (b"%PDF-1.4\x00\x01\x02", "laporan.csv", "bukan teks CSV"),
    (b'{"a": 1}', "satu.json", "bukan array record"),
    (b"[1, 2]", "angka.json", "bukan objek"),
    (b"PK\x03\x04rusak", "rusak.xlsx", "bukan XLSX"),
    (b"a,b\n1,2\n", "lama.xls", "Excel lama"),
])
def test_bad_uploads_are_refused_and_nothing_is_saved(produsen: Any, content: bytes, filename: str,
                                                      expect: str) -> None:
    ds = _create(produsen)
    resp = _upload(produsen, ds, content, filename=filename)
    assert resp.status_code == 400
    assert expect in str(resp.get_json()["errors"])
    assert db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).first() is None


def test_bad_reupload_keeps_the_previous_good_file(produsen: Any, queue: Any) -> None:
    ds = _create(produsen)
    assert _upload(produsen, ds, GOOD).status_code == 200
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    sha = res.sha256
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    resp = produsen.post(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/ganti", data={
        "csrf_token": token, "file": (io.BytesIO(b"puskesmas,dokter\n"), "baru.csv")},
        content_type="multipart/form-data", headers={"X-Requested-With": "XMLHttpRequest"})
    assert resp.status_code == 400 and "baris judul" in str(resp.get_json()["errors"])
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert res.sha256 == sha and res.filename == "nakes.csv" and not res.revisions


def test_oversized_upload_is_refused(app: Any, produsen: Any) -> None:
    ds = _create(produsen)
    app.config["UPLOAD_MAX_BYTES"] = 100
    try:
        resp = _upload(produsen, ds, GOOD * 10)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 500 * 1024 * 1024
    assert resp.status_code == 400 and "melebihi batas" in str(resp.get_json())
    assert not db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).first()


def test_links_only_for_documents(produsen: Any) -> None:
    ds = _create(produsen)
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/unggah")
    resp = produsen.post(f"/kelola/dataset/{ds.slug}/unggah", data={
        "csrf_token": token, "kind": "link", "url": "https://dinkes.go.id/data.csv", "name": "Tabel"})
    assert resp.status_code == 400 and "harus diunggah" in resp.get_data(as_text=True)
    resp = produsen.post(f"/kelola/dataset/{ds.slug}/unggah", data={
        "csrf_token": token, "kind": "link", "url": "https://dinkes.go.id/profil-2025.pdf", "name": "Profil"})
    assert resp.status_code == 302
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    assert res.format == "PDF" and res.url.endswith(".pdf")


def test_other_opd_cannot_see_the_draft(produsen: Any, scratch_client: Any, users: Any) -> None:
    ds = _create(produsen)
    produsen.post("/keluar", data={"csrf_token": csrf_of(produsen, "/kelola/")})
    from tests.workspace.conftest import sign_in

    sign_in(scratch_client, "ppid.pelaksana")  # same OPD, but not a producer
    assert scratch_client.get(f"/kelola/dataset/{ds.slug}").status_code == 404
    page = scratch_client.get("/kelola/").get_data(as_text=True)
    assert ds.title not in page and re.search("belum terdaftar sebagai produsen", page)


def test_nul_in_a_form_post_with_a_valid_csrf_token_is_refused(produsen: Any) -> None:
    token = csrf_of(produsen, "/kelola/dataset/baru")
    resp = produsen.post("/kelola/dataset/baru", data={**COMPLETE, "title": "Judul\x00jahat", "csrf_token": token})
    assert resp.status_code == 400 and "NUL" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Dataset).where(Dataset.title.like("Judul%"))) is None


def test_a_dataset_titled_saran_gets_an_address_of_its_own(produsen: Any) -> None:
    ds = _create(produsen, title="Saran")
    assert ds.slug == "saran-2"  # /dataset/saran is the suggestions endpoint


def test_rename_revalidate_and_delete_a_resource(produsen: Any, queue: Any) -> None:
    ds = _create(produsen)
    assert _upload(produsen, ds, GOOD).status_code == 200
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    base = f"/kelola/dataset/{ds.slug}/sumber/{res.id}"
    token = csrf_of(produsen, base)
    resp = produsen.post(base + "/ubah", data={"csrf_token": token, "name": "  ", "description": ""})
    assert resp.status_code == 302 and "Nama wajib diisi" in produsen.get(base).get_data(as_text=True)
    produsen.post(base + "/ubah", data={"csrf_token": token, "name": "Nakes per puskesmas", "description": "x"})
    db.session.expire_all()
    assert db.session.get(Resource, res.id).name == "Nakes per puskesmas"
    queue.empty()
    produsen.post(base + "/validasi-ulang", data={"csrf_token": token})
    assert queue.count == 1
    resp = produsen.post(base + "/hapus", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/kelola/dataset/{ds.slug}")
    assert db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).first() is None
    actions = [a.action for a in db.session.scalars(select(AuditLog).where(AuditLog.object_id == res.id))]
    assert {"resource.create", "resource.update", "resource.revalidate", "resource.delete"} <= set(actions)


def test_an_unknown_standard_is_a_form_error(produsen: Any) -> None:
    ds = _create(produsen)
    resp = _upload(produsen, ds, GOOD, schema="standar_yang_tidak_ada")
    assert resp.status_code == 400 and "schema" in resp.get_json()["errors"]
    assert "tidak ditemukan" in str(resp.get_json()["errors"]["schema"])
    assert db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).first() is None


def test_a_table_failing_the_same_way_everywhere_offers_a_fresh_inference(app: Any, produsen: Any,
                                                                         queue: Any) -> None:
    """A clerk's first file made the inferred Table Schema read "tanggal" as text-free dates;
    the next month's file writes them dd/mm/yyyy and every row fails. The report says the Table
    Schema is the likelier culprit and offers to infer it again from the new file (#14)."""
    ds = _create(produsen)
    first = "puskesmas;tanggal;kunjungan\nKubu;2025-01-31;120\nBangko;2025-02-28;98\nPujud;2025-03-31;77\n"
    _upload(produsen, ds, first, filename="kunjungan.csv")
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    assert str(res.validation_status) == "valid" and res.table_schema["fields"][1]["type"] == "date"
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    new = "puskesmas;tanggal;kunjungan\nKubu;30/04/2025;101\nBangko;31/05/2025;88\nPujud;30/06/2025;79\nSinaboi;31/07/2025;64\n"
    produsen.post(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/ganti", data={
        "csrf_token": token, "file": (io.BytesIO(new.encode()), "kunjungan-baru.csv")},
        content_type="multipart/form-data")
    assert run_worker(app, "validation").returncode == 0
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)
    assert "Hampir semua baris gagal dengan cara yang sama" in page and "4 dari 4 baris" in page
    assert "Simpulkan ulang dari berkas ini" in page
    assert "Type error in the cell" not in page  # no English validator message in the Indonesian page
    # The clerk takes the offer: the Table Schema now reads the new file, which passes.
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    resp = produsen.post(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/skema",
                         data={"csrf_token": token, "action": "infer"})
    assert resp.status_code == 302
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert str(res.validation_status) == "valid"
    assert res.table_schema["fields"][1] == {"name": "tanggal", "type": "date", "format": "%d/%m/%Y",
                                             "title": "Tanggal"}
    assert "Hampir semua baris" not in produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)


def test_the_schema_page_asks_about_numbers_that_read_both_ways(app: Any, produsen: Any, queue: Any) -> None:
    """"34.645" in every row: thousands (as inferred) or three decimals? The schema page shows
    both readings with the file's examples and the choice that gives the other (#14)."""
    ds = _create(produsen)
    _upload(produsen, ds, "kecamatan,jumlah,luas\nKubu,34.645,\"1,5\"\nBangko,12.100,\"2,25\"\n", filename="amb.csv")
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    assert res.table_schema["fields"][1]["groupChar"] == "."
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}/skema").get_data(as_text=True)
    assert "Periksa cara membaca angka" in page
    question = page.split('id="baca-angka"')[1].split("</section>")[0]
    assert "<code>jumlah</code>" in question and "<strong>34645; 12100</strong>" in question
    assert "Bila maksudnya 34,645; 12,1" in question and "1250.5: titik desimal" in question
    assert "<code>luas</code>" not in question  # "1,5" reads one way only
    assert 'name="fields-1-numbers"' in page


def test_the_sheet_is_chosen_from_the_workbook_s_list(app: Any, produsen: Any, queue: Any) -> None:
    """A workbook's first sheet is validated; the page lists its sheets and validates another
    one chosen there (#14: before, a sheet had to be typed by name at upload)."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "Ringkasan"
    first.append(["keterangan", "nilai"])
    first.append(["jumlah kecamatan", 18])
    data = book.create_sheet("Penduduk 2025")
    data.append(["kecamatan", "penduduk"])
    data.append(["Kubu", 34645])
    data.append(["Bangko", 56336])
    book.create_sheet("Kosong")
    buf = io.BytesIO()
    book.save(buf)
    ds = _create(produsen)
    _upload(produsen, ds, buf.getvalue(), filename="penduduk.xlsx")
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    assert [f["name"] for f in res.table_schema["fields"]] == ["keterangan", "nilai"]
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)
    assert 'id="sheet-choice"' in page and ">Penduduk 2025</option>" in page and ">Kosong</option>" in page
    url = f"/kelola/dataset/{ds.slug}/sumber/{res.id}/lembar"
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    refused = produsen.post(url, data={"csrf_token": token, "sheet": "Kosong"}, follow_redirects=True)
    assert "Kosong&#34; kosong. Pilih lembar yang berisi tabel." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Resource, res.id).sheet == "Ringkasan"
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    assert produsen.post(url, data={"csrf_token": token, "sheet": "Penduduk 2025"}).status_code == 302
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert res.sheet == "Penduduk 2025" and str(res.validation_status) == "pending"
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "resource.layout")).one().summary == {
        "before": {"sheet": "Ringkasan", "header_row": None}, "after": {"sheet": "Penduduk 2025", "header_row": None},
        "header_found": 1, "schema_inferred_again": True}
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert str(res.validation_status) == "valid"
    assert [f["name"] for f in res.table_schema["fields"]] == ["kecamatan", "penduduk"]


def _title_block_book() -> bytes:
    """A workbook as offices make them: a merged title block, a source line, then the table;
    its first data row is one the portal cannot tell from a header (all text)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    sheet.append(["REKAPITULASI PUSKESMAS KABUPATEN ROKAN HILIR"])
    sheet.append(["Sumber: Dinas Kesehatan"])
    sheet.append([])
    sheet.append(["puskesmas", "kecamatan"])
    sheet.append(["Bagan Siapiapi", "Bangko"])
    sheet.append(["Kubu", "Kubu"])
    sheet.merge_cells("A1:B1")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_the_producer_sees_and_changes_the_header_row(app: Any, produsen: Any, queue: Any) -> None:
    """#14: the upload form reads a workbook's sheets and the header row found (nothing stored),
    the producer may name another row at upload or later on the resource page, and the preview
    starts under the header, not in the title block."""
    ds = _create(produsen)
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/unggah")
    overview = produsen.post(f"/kelola/dataset/{ds.slug}/unggah/lembar", data={
        "csrf_token": token, "file": (io.BytesIO(_title_block_book()), "rekap.xlsx")},
        content_type="multipart/form-data")
    assert overview.status_code == 200
    data = overview.get_json()
    # All-text rows under the title: the first wide text row is taken as the header.
    assert (data["sheets"], data["sheet"], data["header_row"], data["header"]) == (
        ["Rekap"], "Rekap", 4, ["puskesmas", "kecamatan"])
    assert [r["number"] for r in data["rows"]] == [1, 2, 3, 4, 5, 6, 7][:len(data["rows"])]
    assert data["rows"][0]["cells"][0] == "REKAPITULASI PUSKESMAS KABUPATEN ROKAN HILIR"
    # Asking about a blank row says so, and nothing was stored.
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/unggah")
    blank = produsen.post(f"/kelola/dataset/{ds.slug}/unggah/lembar", data={
        "csrf_token": token, "file": (io.BytesIO(_title_block_book()), "rekap.xlsx"), "header_row": "3"},
        content_type="multipart/form-data")
    assert blank.status_code == 400
    assert "Baris 3 lembar \"Rekap\" kosong" in blank.get_json()["errors"]["header_row"][0]
    assert db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).all() == []
    # A row number that is no number is a form error.
    resp = _upload(produsen, ds, _title_block_book(), filename="rekap.xlsx", header_row="empat")
    assert resp.status_code == 400 and "header_row" in resp.get_json()["errors"]
    # Uploaded with the header found; then the producer says the table starts at row 5 with
    # its own titles (as if row 4 were a title): the layout is kept and validated again.
    assert _upload(produsen, ds, _title_block_book(), filename="rekap.xlsx").status_code == 200
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.scalars(select(Resource).where(Resource.dataset_id == ds.id)).one()
    assert res.header_row is None and [f["name"] for f in res.table_schema["fields"]] == ["puskesmas", "kecamatan"]
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)
    assert "Judul kolom dibaca dari baris 4 lembar \"Rekap\"" in page
    assert "ditemukan portal di bawah blok judul laporan" in page
    assert "REKAPITULASI PUSKESMAS" not in page.split('id="laporan"')[1]  # the preview starts under the header
    token = csrf_of(produsen, f"/kelola/dataset/{ds.slug}/sumber/{res.id}")
    url = f"/kelola/dataset/{ds.slug}/sumber/{res.id}/lembar"
    assert produsen.post(url, data={"csrf_token": token, "sheet": "Rekap", "header_row": "5"}).status_code == 302
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert res.header_row == 5 and str(res.validation_status) == "pending" and res.table_schema is None
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "resource.layout")).one()
    assert entry.summary["after"] == {"sheet": "Rekap", "header_row": 5}
    assert run_worker(app, "validation").returncode == 0
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert [f["name"] for f in res.table_schema["fields"]] == ["Bagan Siapiapi", "Bangko"]
    assert res.row_count == 1
    page = produsen.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").get_data(as_text=True)
    assert "Judul kolom dibaca dari baris 5 lembar \"Rekap\" (dipilih produsen)" in page
    # Back to the row the portal finds: an empty field, from the Table Schema page (which shows
    # the same layout, and is where the producer comes back to).
    schema_page = f"/kelola/dataset/{ds.slug}/sumber/{res.id}/skema"
    html = produsen.get(schema_page).get_data(as_text=True)
    assert "Judul kolom dibaca dari baris 5 lembar \"Rekap\" (dipilih produsen)" in html
    token = csrf_of(produsen, schema_page)
    back = produsen.post(url, data={"csrf_token": token, "sheet": "Rekap", "header_row": "", "next": schema_page})
    assert back.status_code == 302 and back.headers["Location"].endswith(schema_page)
    db.session.expire_all()
    assert db.session.get(Resource, res.id).header_row is None
