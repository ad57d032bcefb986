"""The walidata's review pages and the producer's side of review, through the web: who sees
what (anonymous, producer, the region's walidata, another region's walidata, admin), the queue,
the review page's moves, a stale page and a double click, and the walidata's field notes as
the producer reads them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from satudata.accounts import services as accounts
from satudata.catalog.models import Dataset, DatasetState, DatasetVersion, Topic
from satudata.db import utcnow
from satudata.extensions import db
from satudata.review import services as review
from satudata.review.models import ReviewEvent
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.factories import SYSTEM, make_dataset
from tests.workspace.conftest import csrf_of, sign_in, vocab  # noqa: F401  (fixtures)

# --------------------------------------------------------------------------- fixtures


def _client(app: Any) -> Any:
    from tests.conftest import FreshGlobalsClient

    app.test_client_class = FreshGlobalsClient
    return app.test_client()


@pytest.fixture()
def walidata(app: Any, users: Any, vocab: Any) -> Any:  # noqa: F811
    client = _client(app)
    sign_in(client, "walidata")
    return client


@pytest.fixture()
def producer(app: Any, users: Any, vocab: Any) -> Any:  # noqa: F811
    client = _client(app)
    sign_in(client, "produsen")
    return client


@pytest.fixture()
def other_walidata(app: Any, orgs: Any, users: Any, vocab: Any) -> Any:  # noqa: F811
    accounts.create_user(SYSTEM, username="walidata.dumai", email="walidata@dumaikota.go.id",
                         full_name="Walidata Kota Dumai", password=PASSWORD, roles=[("walidata", orgs["other"])])
    db.session.commit()
    client = _client(app)
    sign_in(client, "walidata.dumai")
    return client


def _kesehatan() -> Topic:
    return db.session.scalars(select(Topic).where(Topic.slug == "kesehatan")).one()


def _submitted(orgs: Any, title: str = "Jumlah Tenaga Kesehatan menurut Puskesmas", note: str = "",  # noqa: F811
               **fields: Any) -> Dataset:
    ds = make_dataset(orgs["dinkes"], publish=False, title=title, topics=[_kesehatan()],
                      contact_email="data@dinkes.riau.go.id", **fields)
    review.submit_dataset(SYSTEM, ds, note=note)
    db.session.commit()
    return ds


def _state(ds: Dataset) -> DatasetState:
    db.session.expire_all()
    return db.session.get(Dataset, ds.id).state


def _event_id(html: str) -> str:
    match = re.search(r'name="expected_event_id" value="(\d*)"', html)
    assert match, "no expected_event_id on the page"
    return match.group(1)


def _page(client: Any, ds: Dataset) -> str:
    resp = client.get(f"/kelola/periksa/{ds.slug}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:1000]
    return resp.get_data(as_text=True)


def _post(client: Any, ds: Dataset, action: str, **data: Any) -> Any:
    html = _page(client, ds)
    form = {"csrf_token": csrf_of(client, f"/kelola/periksa/{ds.slug}"), "expected_event_id": _event_id(html), **data}
    return client.post(f"/kelola/periksa/{ds.slug}/{action}", data=form)


# --------------------------------------------------------------------------- who sees what


def test_anonymous_is_sent_to_sign_in(scratch_client: Any, orgs: Any, vocab: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    for path in ("/kelola/pemeriksaan", f"/kelola/periksa/{ds.slug}", "/kelola/pemeriksaan/dataset"):
        resp = scratch_client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/masuk?next="), path
    resp = scratch_client.post(f"/kelola/periksa/{ds.slug}/terbitkan", data={})
    assert resp.status_code in (302, 400) and _state(ds) == DatasetState.SUBMITTED


def test_a_producer_cannot_see_the_queue_nor_review_their_own_dataset(producer: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    assert producer.get("/kelola/pemeriksaan").status_code == 403
    assert producer.get("/kelola/pemeriksaan/dataset?status=published").status_code == 403
    assert producer.get(f"/kelola/periksa/{ds.slug}").status_code == 403
    token = csrf_of(producer, "/kelola/")
    resp = producer.post(f"/kelola/periksa/{ds.slug}/terbitkan", data={"csrf_token": token})
    assert resp.status_code == 403 and _state(ds) == DatasetState.SUBMITTED
    # Their own "Kelola data" has no review work and no queue link.
    board = producer.get("/kelola/").get_data(as_text=True)
    assert "Pemeriksaan walidata" not in board and "/kelola/pemeriksaan" not in board


def test_another_regions_walidata_does_not_see_the_submission(other_walidata: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    queue = other_walidata.get("/kelola/pemeriksaan")
    assert queue.status_code == 200 and ds.title not in queue.get_data(as_text=True)
    assert "Tidak ada pengajuan yang menunggu pemeriksaan" in queue.get_data(as_text=True)
    assert other_walidata.get(f"/kelola/periksa/{ds.slug}").status_code == 404
    token = csrf_of(other_walidata, "/kelola/")
    resp = other_walidata.post(f"/kelola/periksa/{ds.slug}/terbitkan", data={"csrf_token": token})
    assert resp.status_code == 404 and _state(ds) == DatasetState.SUBMITTED
    board = other_walidata.get("/kelola/").get_data(as_text=True)
    assert re.search(r"<strong>0</strong> menunggu pemeriksaan", board)


# --------------------------------------------------------------------------- Kelola data and the queue


def test_walidata_lands_on_their_review_work(app: Any, walidata: Any, orgs: Any) -> None:  # noqa: F811
    _submitted(orgs)
    gone = make_dataset(orgs["dinkes"], title="Jumlah Puskesmas menurut Kecamatan", topics=[_kesehatan()])
    review.withdraw_dataset(SYSTEM, gone, reason="Angka tahun 2024 tertukar dengan tahun 2025.")
    db.session.commit()
    make_dataset(orgs["dinkes"], title="Jumlah Rumah Sakit menurut Kelas", topics=[_kesehatan()])
    board = walidata.get("/kelola/")
    html = board.get_data(as_text=True)
    assert board.status_code == 200
    assert "belum terdaftar sebagai produsen" not in html
    assert re.search(r"<strong>1</strong> menunggu pemeriksaan", html)
    assert re.search(r"<strong>1</strong> terbit", html) and re.search(r"<strong>1</strong> ditarik dari publik", html)
    assert 'href="/kelola/pemeriksaan"' in html
    assert ('href="/kelola/daftar-data"' in html) == ("daftar.manage" in app.view_functions)
    published = walidata.get("/kelola/pemeriksaan/dataset?status=published").get_data(as_text=True)
    assert "Jumlah Rumah Sakit menurut Kelas" in published and "Jumlah Puskesmas" not in published
    withdrawn = walidata.get("/kelola/pemeriksaan/dataset?status=withdrawn").get_data(as_text=True)
    assert "Jumlah Puskesmas menurut Kecamatan" in withdrawn
    assert walidata.get("/kelola/pemeriksaan/dataset?status=draft").status_code == 404


def test_queue_oldest_first_with_waiting_time_and_filters(walidata: Any, orgs: Any) -> None:  # noqa: F811
    older = _submitted(orgs, "Jumlah Bidan menurut Puskesmas", note="Data hasil pemutakhiran Januari.")
    newer = _submitted(orgs, "Jumlah Perawat menurut Puskesmas")
    db.session.execute(update(ReviewEvent).where(ReviewEvent.dataset_id == older.id)
                       .values(created_at=utcnow() - timedelta(days=3, hours=2)))
    db.session.commit()
    html = walidata.get("/kelola/pemeriksaan").get_data(as_text=True)
    assert html.index("Jumlah Bidan") < html.index("Jumlah Perawat")
    assert "menunggu 3 hari" in html and "menunggu kurang dari 1 jam" in html
    assert "Data hasil pemutakhiran Januari." in html and "Dinas Kesehatan Provinsi Riau" in html
    # The filters are a GET form with labelled selects.
    assert 'method="get"' in html and '<label for="f-opd">' in html and '<label for="f-topik">' in html
    by_opd = walidata.get("/kelola/pemeriksaan?opd=dinkes-riau").get_data(as_text=True)
    assert "Jumlah Bidan" in by_opd and "Jumlah Perawat" in by_opd
    elsewhere = walidata.get("/kelola/pemeriksaan?opd=diskominfotik-riau").get_data(as_text=True)
    assert newer.title not in elsewhere and "Tidak ada pengajuan yang cocok dengan filter ini" in elsewhere
    assert "Jumlah Bidan" in walidata.get("/kelola/pemeriksaan?topik=kesehatan").get_data(as_text=True)
    unknown = walidata.get("/kelola/pemeriksaan?opd=dinas-entah")
    assert unknown.status_code == 400 and "tidak dikenal" in unknown.get_data(as_text=True)


def test_empty_queue_says_what_happens_next(walidata: Any) -> None:
    html = walidata.get("/kelola/pemeriksaan").get_data(as_text=True)
    assert "Tidak ada pengajuan yang menunggu pemeriksaan" in html
    assert "Saat produsen data di wilayah Anda mengajukan dataset" in html


# --------------------------------------------------------------------------- the review page


def test_review_page_shows_metadata_tables_and_conversation(walidata: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs, note="Mohon diperiksa sebelum rapat Forum Satu Data.")
    html = _page(walidata, ds)
    assert "Metadata Satu Data" in html and "Satuan" in html and ">jiwa<" in html.replace("\n", "").replace(" ", "")
    # A verdict per field: accepted by default, "perlu perbaikan" with a labelled note box.
    assert 'id="ok-satuan" name="verdict-satuan" value="ok" checked' in html
    assert '<label for="note-satuan">Catatan untuk kolom Satuan</label>' in html
    assert html.count('value="ok"') == 26 and html.count('value="fix"') == 26
    # Every table with its validation status and a link to its report.
    res = ds.resources[0]
    assert "lolos validasi" in html and f"/kelola/dataset/{ds.slug}/sumber/{res.id}" in html
    assert walidata.get(f"/kelola/dataset/{ds.slug}/sumber/{res.id}").status_code == 200
    # The conversation, newest first, with the producer's note; times in WIB.
    assert "Riwayat pemeriksaan" in html and "Mohon diperiksa sebelum rapat Forum Satu Data." in html
    assert "WIB" in html
    # Every form carries the page's last step.
    last = db.session.scalar(select(func.max(ReviewEvent.id)).where(ReviewEvent.dataset_id == ds.id))
    assert html.count(f'name="expected_event_id" value="{last}"') == 2


def test_review_pages_in_english(walidata: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    html = walidata.get(f"/kelola/periksa/{ds.slug}?lang=en").get_data(as_text=True)
    assert "Approve and publish" in html and "Request changes" in html and "Note on the field Unit" in html
    queue = walidata.get("/kelola/pemeriksaan").get_data(as_text=True)
    assert "Review queue" in queue and "waiting less than 1 hour" in queue


def test_request_changes_needs_a_message_or_a_field_note(walidata: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    resp = _post(walidata, ds, "minta-perbaikan", message="")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "Tulis pesan untuk produsen data" in html
    assert _state(ds) == DatasetState.SUBMITTED
    # A field marked "perlu perbaikan" without its note: said beside the box; the rest is kept.
    resp = _post(walidata, ds, "minta-perbaikan", message="Mohon lengkapi.", **{"verdict-satuan": "fix"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="note-satuan-error"' in html
    assert 'id="fix-satuan" name="verdict-satuan" value="fix" checked' in html
    assert ">Mohon lengkapi.</textarea>" in html
    assert _state(ds) == DatasetState.SUBMITTED


def test_field_notes_reach_the_producer_beside_their_fields(walidata: Any, producer: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    resp = _post(walidata, ds, "minta-perbaikan", message="Satuan dan kontak perlu disesuaikan.",
                 **{"verdict-satuan": "fix", "note-satuan": "Tulis “orang”, sesuai standar data tenaga kesehatan.",
                    "verdict-contact_name": "fix", "note-contact_name": "Tulis jabatan, bukan nama seksi.",
                    "note-title": "diabaikan: kolom ini dinilai sesuai"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/kelola/pemeriksaan"
    assert _state(ds) == DatasetState.CHANGES_REQUESTED
    event = db.session.scalars(select(ReviewEvent).where(ReviewEvent.action == "request_changes")).one()
    assert event.field_notes == {"satuan": "Tulis “orang”, sesuai standar data tenaga kesehatan.",
                                 "contact_name": "Tulis jabatan, bukan nama seksi."}
    form = producer.get(f"/kelola/dataset/{ds.slug}/ubah").get_data(as_text=True)
    # The summary at the top links to each field; each note sits beside its field and describes it.
    assert "Walidata meminta perbaikan" in form and "Satuan dan kontak perlu disesuaikan." in form
    assert 'href="#f-satuan">Satuan</a>' in form and 'href="#f-contact_name">' in form
    assert 'id="wn-satuan"' in form and re.search(r'id="f-satuan"[^>]*aria-describedby="h-satuan wn-satuan"', form)
    assert form.index('id="wn-satuan"') < form.index('id="f-satuan"') < form.index('id="f-year"')
    assert 'id="wn-year"' not in form
    overview = producer.get(f"/kelola/dataset/{ds.slug}").get_data(as_text=True)
    assert "Walidata meminta perbaikan" in overview and f'/kelola/dataset/{ds.slug}/ubah#f-satuan' in overview
    assert "Ajukan ulang ke walidata" in overview
    # Fixed and submitted again with a note: the walidata sees it and their earlier note.
    token = csrf_of(producer, f"/kelola/dataset/{ds.slug}/ubah")
    data = {"csrf_token": token, "title": ds.title, "description": ds.description, "topics": "kesehatan",
            "satuan": "orang", "year": "2025", "frequency": "tahunan", "presentation_level": "kecamatan",
            "kode_wilayah": "14.07", "data_source": "Administrasi kependudukan", "collection_method": "administrasi",
            "data_kind": "statistik_sektoral", "data_status": "tetap", "access_class": "publik",
            "licence_id": "cc-by-4.0", "contact_name": "Kepala Seksi Data dan Informasi",
            "contact_email": "data@dinkes.riau.go.id"}
    assert producer.post(f"/kelola/dataset/{ds.slug}/ubah", data=data).status_code == 302
    page = producer.get(f"/kelola/dataset/{ds.slug}").get_data(as_text=True)
    resp = producer.post(f"/kelola/dataset/{ds.slug}/ajukan", data={
        "csrf_token": token, "expected_event_id": _event_id(page), "note": "Satuan dan kontak sudah diperbaiki."})
    assert resp.status_code == 302 and _state(ds) == DatasetState.SUBMITTED
    html = _page(walidata, ds)
    assert "Satuan dan kontak sudah diperbaiki." in html
    assert "Catatan Anda sebelumnya:" in html and "Tulis jabatan, bukan nama seksi." in html
    # While submitted the producer is offered no upload nor edit form, and told why.
    upload = producer.get(f"/kelola/dataset/{ds.slug}/unggah").get_data(as_text=True)
    assert "sedang diperiksa walidata" in upload and 'type="file"' not in upload
    edit = producer.get(f"/kelola/dataset/{ds.slug}/ubah").get_data(as_text=True)
    assert "sedang diperiksa walidata" in edit and 'name="satuan"' not in edit
    resource = producer.get(f"/kelola/dataset/{ds.slug}/sumber/{ds.resources[0].id}").get_data(as_text=True)
    assert "sedang diperiksa walidata" in resource and "Unggah ulang dan validasi" not in resource


def test_a_stale_page_is_refused_and_keeps_what_was_typed(walidata: Any, producer: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    stale = _event_id(_page(walidata, ds))
    token = csrf_of(walidata, f"/kelola/periksa/{ds.slug}")
    # Meanwhile the producer takes the submission back and submits it again.
    ptoken = csrf_of(producer, f"/kelola/dataset/{ds.slug}")
    assert producer.post(f"/kelola/dataset/{ds.slug}/tarik", data={"csrf_token": ptoken}).status_code == 302
    assert producer.post(f"/kelola/dataset/{ds.slug}/ajukan", data={"csrf_token": ptoken}).status_code == 302
    resp = walidata.post(f"/kelola/periksa/{ds.slug}/terbitkan", data={
        "csrf_token": token, "expected_event_id": stale, "publish_note": "Angka tetap tahun 2025."})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Pengajuan ini sudah berubah sejak Anda membukanya" in html
    assert "sudah berubah sejak halaman Anda dimuat" in html  # the service's own words
    assert ">Angka tetap tahun 2025.</textarea>" in html
    assert _event_id(html) != stale  # the page is the current one now
    assert _state(ds) == DatasetState.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)) == 0
    # The request for changes from a stale page too: its notes and message come back.
    resp = walidata.post(f"/kelola/periksa/{ds.slug}/minta-perbaikan", data={
        "csrf_token": token, "expected_event_id": stale, "message": "Periksa kode wilayah.",
        "verdict-kode_wilayah": "fix", "note-kode_wilayah": "Gunakan 14.07 untuk Rokan Hilir."})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and ">Gunakan 14.07 untuk Rokan Hilir.</textarea>" in html
    assert 'id="fix-kode_wilayah" name="verdict-kode_wilayah" value="fix" checked' in html


def test_a_double_click_publishes_once(walidata: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    html = _page(walidata, ds)
    form = {"csrf_token": csrf_of(walidata, f"/kelola/periksa/{ds.slug}"), "expected_event_id": _event_id(html),
            "publish_note": "Terbit untuk rapat Forum Satu Data."}
    first = walidata.post(f"/kelola/periksa/{ds.slug}/terbitkan", data=form)
    second = walidata.post(f"/kelola/periksa/{ds.slug}/terbitkan", data=form)
    assert first.status_code == 302 and second.status_code == 409
    assert "sudah berubah sejak Anda membukanya" in second.get_data(as_text=True)
    assert _state(ds) == DatasetState.PUBLISHED
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)) == 1
    assert db.session.scalar(select(func.count()).where(ReviewEvent.action == "publish")) == 1


def test_withdraw_needs_a_public_reason_then_republish(walidata: Any, scratch_client: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    assert _post(walidata, ds, "terbitkan").status_code == 302
    html = _page(walidata, ds)
    assert "Tarik dari katalog publik" in html and 'name="reason"' in html
    resp = _post(walidata, ds, "tarik", reason="  ")
    assert resp.status_code == 400 and "Tulis alasan penarikan" in resp.get_data(as_text=True)
    assert _state(ds) == DatasetState.PUBLISHED
    reason = "Angka tenaga kesehatan tahun 2025 sedang dikoreksi Dinas Kesehatan."
    resp = _post(walidata, ds, "tarik", reason=reason)
    assert resp.status_code == 302 and _state(ds) == DatasetState.WITHDRAWN
    public = scratch_client.get(f"/dataset/{ds.slug}")
    assert public.status_code == 410 and reason in public.get_data(as_text=True)
    html = _page(walidata, ds)
    assert reason in html and "Terbitkan kembali" in html
    resp = _post(walidata, ds, "terbitkan-kembali", republish_note="Koreksi selesai.")
    assert resp.status_code == 302 and _state(ds) == DatasetState.PUBLISHED
    assert scratch_client.get(f"/dataset/{ds.slug}").status_code == 200


def test_bulk_publish_reports_each_dataset(walidata: Any, producer: Any, orgs: Any) -> None:  # noqa: F811
    one = _submitted(orgs, "Jumlah Dokter Gigi menurut Puskesmas")
    two = _submitted(orgs, "Jumlah Apoteker menurut Puskesmas")
    queue = walidata.get("/kelola/pemeriksaan").get_data(as_text=True)
    values = re.findall(r'name="dataset" value="([^"]+)"', queue)
    assert len(values) == 2
    # The second changes after the queue was shown.
    ptoken = csrf_of(producer, f"/kelola/dataset/{two.slug}")
    producer.post(f"/kelola/dataset/{two.slug}/tarik", data={"csrf_token": ptoken})
    producer.post(f"/kelola/dataset/{two.slug}/ajukan", data={"csrf_token": ptoken})
    resp = walidata.post("/kelola/pemeriksaan/terbitkan-sekaligus", data={
        "csrf_token": csrf_of(walidata, "/kelola/pemeriksaan"), "dataset": values}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "Diterbitkan (1): Jumlah Dokter Gigi menurut Puskesmas" in html
    assert f"Tidak diterbitkan, {two.slug}" in html
    assert _state(one) == DatasetState.PUBLISHED and _state(two) == DatasetState.SUBMITTED


# --------------------------------------------------------------------------- sign-in lands where the work is


@pytest.mark.parametrize(("username", "landing"), [
    ("produsen", "/kelola/"), ("walidata", "/kelola/"), ("admin", "/admin"), ("ppid.utama", "/kelola/ppid"),
    ("atasan.ppid", "/kelola/keberatan")])
def test_sign_in_lands_each_role_where_its_work_is(scratch_client: Any, users: Any, username: str,  # noqa: F811
                                                   landing: str) -> None:
    token = csrf_of(scratch_client, "/masuk")
    resp = scratch_client.post("/masuk", data={"login": username, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"] == landing
    assert scratch_client.get(landing).status_code == 200


def test_admin_home_lists_the_admin_tools(scratch_client: Any, users: Any) -> None:  # noqa: F811
    sign_in(scratch_client, "admin")
    html = scratch_client.get("/admin").get_data(as_text=True)
    for href in ("/admin/pengguna", "/admin/organisasi", "/admin/audit", "/kelola/pemeriksaan"):
        assert f'href="{href}"' in html, href
    assert 'class="account-link" href="/admin"' in html  # the header links to it
    scratch_client.post("/keluar", data={"csrf_token": csrf_of(scratch_client, "/admin")})
    sign_in(scratch_client, "walidata")
    assert scratch_client.get("/admin").status_code == 403
    assert 'href="/admin"' not in scratch_client.get("/kelola/").get_data(as_text=True)


def test_a_withdrawal_page_is_not_kept_by_browsers(walidata: Any, scratch_client: Any, orgs: Any) -> None:  # noqa: F811
    ds = _submitted(orgs)
    assert _post(walidata, ds, "terbitkan").status_code == 302
    assert _post(walidata, ds, "tarik", reason="Data sedang dikoreksi.").status_code == 302
    gone = scratch_client.get(f"/dataset/{ds.slug}")
    assert gone.status_code == 410
    assert re.search(r"no-cache|no-store|max-age=0", gone.headers.get("Cache-Control", ""))
