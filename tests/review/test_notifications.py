"""Who hears about a lifecycle move: the region's walidata of a submission, the OPD's producers
of a request for changes, a publication, a withdrawal; in-app (the header count, the list) and
by mail through the outbox, in the move's own transaction."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import Notification, OutboxMessage
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.review import services as review
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.factories import make_dataset
from tests.workspace.conftest import sign_in


def _notes(user: Any) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def _mails(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)
                                   .order_by(OutboxMessage.id)))


@pytest.fixture()
def draft(users: Any, orgs: Any) -> Any:  # noqa: F811
    return make_dataset(orgs["dinkes"], publish=False, title="Jumlah Tenaga Kesehatan menurut Puskesmas")


def test_the_whole_loop_tells_whom_it_concerns(users, draft):  # noqa: F811
    producer, walidata = users["produsen"], users["walidata"]
    review.submit_dataset(producer, draft, note="Data 2025 sudah lengkap.")
    db.session.commit()
    [told] = _notes(walidata)
    assert told.kind == "dataset.submit" and "Jumlah Tenaga Kesehatan" in told.title
    assert "Dinas Kesehatan Provinsi Riau" in told.body and "Data 2025 sudah lengkap." in told.body
    assert _notes(producer) == []  # the actor is not told of their own move
    [mail] = _mails(walidata.email)
    assert mail.subject == told.title and "Yth. Pengguna walidata" in mail.body

    review.request_changes(walidata, draft, message="Mohon dilengkapi.", field_notes={"satuan": "Tulis orang."})
    db.session.commit()
    [changes] = _notes(producer)
    assert changes.kind == "dataset.request_changes"
    assert "Mohon dilengkapi." in changes.body and re.search(r"- Satuan.*: Tulis orang\.", changes.body)
    assert changes.url == f"/kelola/dataset/{draft.slug}"

    review.submit_dataset(producer, draft)
    review.publish_dataset(walidata, draft)
    db.session.commit()
    published = _notes(producer)[-1]
    assert published.kind == "dataset.publish" and published.url == f"/dataset/{draft.slug}"
    assert len(_mails(producer.email)) == 2

    review.withdraw_dataset(walidata, draft, reason="Angka kecamatan Bangko keliru.")
    db.session.commit()
    withdrawn = _notes(producer)[-1]
    assert withdrawn.kind == "dataset.withdraw" and "Alasan: Angka kecamatan Bangko keliru." in withdrawn.body


def test_a_move_that_rolls_back_tells_nobody(users, draft):  # noqa: F811
    review.submit_dataset(users["produsen"], draft)
    db.session.rollback()
    assert _notes(users["walidata"]) == [] and _mails(users["walidata"].email) == []


def test_a_refused_move_tells_nobody(users, draft):  # noqa: F811
    review.submit_dataset(users["produsen"], draft)
    db.session.commit()
    with pytest.raises(Invalid):
        review.request_changes(users["walidata"], draft, message="", field_notes={})
    db.session.rollback()
    assert _notes(users["produsen"]) == []


def test_walidata_of_another_region_and_inactive_users_are_not_told(app, users, orgs, draft):  # noqa: F811
    from tests.factories import SYSTEM

    elsewhere = accounts.create_user(SYSTEM, username="walidata.dumai", email="walidata@dumaikota.go.id",
                                     full_name="Walidata Dumai", password="kata-sandi-uji-123",
                                     roles=[("walidata", orgs["other"])])
    retired = accounts.create_user(SYSTEM, username="walidata.lama", email="lama@riau.go.id",
                                   full_name="Walidata Lama", password="kata-sandi-uji-123",
                                   roles=[("walidata", orgs["prov"])])
    accounts.set_user_active(SYSTEM, retired, False)
    db.session.commit()
    review.submit_dataset(users["produsen"], draft)
    db.session.commit()
    assert len(_notes(users["walidata"])) == 1
    assert _notes(elsewhere) == [] and _notes(retired) == []


def test_the_header_counts_and_the_list_marks_read(app, scratch_client, users, draft):  # noqa: F811
    review.submit_dataset(users["produsen"], draft)
    db.session.commit()
    sign_in(scratch_client, "walidata")
    home = scratch_client.get("/").get_data(as_text=True)
    assert re.search(r'Pemberitahuan <span class="badge badge-count">1<span class="visually-hidden"> belum dibaca',
                     home)
    page = scratch_client.get("/akun/pemberitahuan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Pengajuan baru untuk diperiksa" in html and "WIB" in html
    [note] = _notes(users["walidata"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    opened = scratch_client.post(f"/akun/pemberitahuan/{note.id}", data={"csrf_token": token, "next": note.url})
    assert opened.status_code == 302 and opened.headers["Location"].endswith(note.url)
    db.session.expire_all()
    assert _notes(users["walidata"])[0].read_at is not None
    assert "badge-count" not in scratch_client.get("/").get_data(as_text=True)
    # An outside address in "next" is not followed (no open redirect).
    away = scratch_client.post(f"/akun/pemberitahuan/{note.id}",
                               data={"csrf_token": token, "next": "https://contoh.example/"})
    assert "contoh.example" not in away.headers["Location"]


def test_nobody_reads_or_marks_another_users_notifications(app, scratch_client, users, draft):  # noqa: F811
    review.submit_dataset(users["produsen"], draft)
    db.session.commit()
    [note] = _notes(users["walidata"])
    sign_in(scratch_client, "produsen")
    assert "Pengajuan baru" not in scratch_client.get("/akun/pemberitahuan").get_data(as_text=True)
    html = scratch_client.get("/akun/pemberitahuan").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert scratch_client.post(f"/akun/pemberitahuan/{note.id}", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert _notes(users["walidata"])[0].read_at is None


def test_anonymous_is_sent_to_sign_in(scratch_client, app):
    resp = scratch_client.get("/akun/pemberitahuan")
    assert resp.status_code in (302, 401) and "/masuk" in resp.headers.get("Location", "/masuk")
