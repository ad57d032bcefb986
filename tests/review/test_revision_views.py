"""Revisions through the web pages: the producer opens a revision from the published dataset's
page (its edit and upload pages lead there), sees what it changes, discards or submits it; the
walidata's review page compares metadata and tables with the published version, row by row;
publishing it leaves the old revision address leading to the published dataset."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import select

from satudata.catalog.models import Dataset, DatasetState, Resource
from satudata.extensions import db
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.factories import CSV, make_dataset, validate
from tests.review.test_walidata_views import _client
from tests.workspace.conftest import csrf_of, sign_in, vocab  # noqa: F401  (fixtures)


@pytest.fixture()
def published(app: Any, orgs: Any, users: Any, vocab: Any) -> Dataset:  # noqa: F811
    ds = make_dataset(orgs["dinkes"], title="Penduduk Rokan Hilir", satuan="jiwa")
    table = ds.resources[0]
    table.table_schema = {**table.table_schema, "primaryKey": ["kode_wilayah"]}
    db.session.commit()
    return ds


def _signed(app: Any, username: str) -> Any:
    client = _client(app)
    sign_in(client, username)
    return client


def _text(resp: Any) -> str:
    return re.sub(r"\s+", " ", resp.get_data(as_text=True))


def test_the_producer_opens_submits_and_the_walidata_compares_and_publishes_a_revision(
        app: Any, published: Dataset) -> None:
    producer = _signed(app, "produsen")
    page = f"/kelola/dataset/{published.slug}"
    # The edit page of a published dataset leads to its page, where "Buat revisi" is.
    resp = producer.get(page + "/ubah")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(page)
    html = _text(producer.get(page))
    assert "Buat revisi" in html and "Publik tetap melihat versi terbit" in html
    resp = producer.post(page + "/revisi", data={"csrf_token": csrf_of(producer, page)})
    revision_page = page + "~revisi"
    assert resp.status_code == 302 and resp.headers["Location"].endswith(revision_page)
    html = _text(producer.get(revision_page))
    assert "Revisi dataset terbit" in html and "versi 1" in html and "Revisi ini belum mengubah apa pun" in html
    # A second click on "Buat revisi" (an old page) says a revision is open, and where.
    resp = producer.post(page + "/revisi", data={"csrf_token": csrf_of(producer, page)}, follow_redirects=True)
    assert "sudah dibuka" in _text(resp)
    # The edit page of the published dataset now leads to the revision's.
    assert producer.get(page + "/ubah").headers["Location"].endswith(revision_page + "/ubah")

    revision = db.session.scalars(select(Dataset).where(Dataset.slug == published.slug + "~revisi")).one()
    copy = revision.resources[0]
    token = csrf_of(producer, revision_page)
    fixed = CSV.replace("14.07.02,Bangko,45012", "14.07.02,Bangko,45100") + "14.07.04,Sinaboi,9120,8790\n"
    resp = producer.post(f"{revision_page}/sumber/{copy.id}/ganti",
                         data={"csrf_token": token, "file": (io.BytesIO(fixed.encode()), "penduduk-2025.csv")},
                         content_type="multipart/form-data")
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:300]
    assert validate(db.session.get(Resource, copy.id)) == "valid"
    html = _text(producer.get(revision_page))
    assert "Perubahan dibanding versi terbit" in html and "Berkas diganti" in html
    producer.post(revision_page + "/ajukan", data={"csrf_token": csrf_of(producer, revision_page)})
    db.session.expire_all()
    assert revision.state == DatasetState.SUBMITTED

    walidata = _signed(app, "walidata")
    queue = _text(walidata.get("/kelola/pemeriksaan"))
    assert "Penduduk Rokan Hilir" in queue and "Revisi" in queue
    review_page = f"/kelola/periksa/{revision.slug}"
    html = _text(walidata.get(review_page))
    assert "Pengajuan ini revisi dari dataset terbit" in html
    assert "Baris: 1 ditambah, 0 dihapus, 1 diubah" in html and "dicocokkan menurut kunci kode_wilayah" in html
    assert "<del>45012</del> → <ins>45100</ins>" in html and "Setujui dan terbitkan revisi" in html
    resp = walidata.post(review_page + "/terbitkan", data={"csrf_token": csrf_of(walidata, review_page),
                                                           "publish_note": "Angka Bangko diperbaiki"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dataset, revision.id) is None
    assert [v.number for v in published.versions] == [2, 1]
    public = _text(app.test_client().get(f"/dataset/{published.slug}"))
    assert "Angka Bangko diperbaiki" in public
    # The revision's old address (a notification link) leads to the published dataset.
    resp = walidata.get(review_page, follow_redirects=True)
    assert resp.request.path == f"/kelola/periksa/{published.slug}" and "sudah tidak dibuka" in _text(resp)
    resp = producer.get(revision_page, follow_redirects=True)
    assert resp.request.path == page and "sudah tidak dibuka" in _text(resp)


def test_the_producer_discards_a_revision(app: Any, published: Dataset) -> None:
    producer = _signed(app, "produsen")
    page = f"/kelola/dataset/{published.slug}"
    producer.post(page + "/revisi", data={"csrf_token": csrf_of(producer, page)})
    revision_page = page + "~revisi"
    resp = producer.post(revision_page + "/buang-revisi", data={"csrf_token": csrf_of(producer, revision_page)})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(page)
    db.session.expire_all()
    assert published.revision is None and published.state == DatasetState.PUBLISHED
    assert "Revisi dibuang" in _text(producer.get(page))
