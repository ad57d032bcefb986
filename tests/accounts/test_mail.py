"""The outbox delivers through a real SMTP server on 127.0.0.1 (aiosmtpd), writes .eml files
when no SMTP is configured, and keeps mails pending with backoff while SMTP is down."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from satudata import jobs
from satudata.accounts import services, tasks
from satudata.accounts.models import OutboxMessage, OutboxStatus
from satudata.extensions import db


class Collect(Sink):
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture()
def smtp_server(app):
    handler = Collect()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    controller.stop()
    app.config.update(MAIL_SERVER=None, MAIL_PORT=25)


@pytest.fixture()
def mail_queue(app):
    q = jobs.get_queue("mail")
    q.empty()
    yield q
    q.empty()


def test_queue_mail_enqueues_after_commit(app, mail_queue):
    message = services.queue_mail("a@riau.go.id", "Uji", "Isi")
    assert mail_queue.count == 0
    db.session.commit()
    assert mail_queue.count == 1
    assert mail_queue.jobs[0].args == ("satudata.accounts.tasks.deliver_mail", message.id)


def test_delivery_through_real_smtp(app, smtp_server, mail_queue):
    message = services.queue_mail("a@riau.go.id", "Atur ulang kata sandi", "Tautan: http://x")
    db.session.commit()
    assert tasks.deliver_mail(message.id) == "sent"
    assert len(smtp_server.messages) == 1
    assert b"Subject: Atur ulang kata sandi" in smtp_server.messages[0]
    assert tasks.deliver_mail(message.id) == "skipped"  # a second run sends nothing twice
    assert len(smtp_server.messages) == 1


def test_without_smtp_mail_is_written_to_instance_folder(app, mail_queue):
    message = services.queue_mail("a@riau.go.id", "Halo", "Isi surat")
    db.session.commit()
    assert tasks.deliver_mail(message.id) == "sent"
    path = Path(app.instance_path) / "mail" / f"{message.id:06d}.eml"
    assert b"Isi surat" in path.read_bytes()


def test_smtp_down_keeps_mail_with_backoff_then_sweep_sends(app, mail_queue):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=dead)
    try:
        message = services.queue_mail("a@riau.go.id", "Halo", "Isi")
        db.session.commit()
        assert tasks.deliver_mail(message.id) == "retry"
        db.session.refresh(message)
        assert message.status == OutboxStatus.PENDING and message.attempts == 1
        assert "ConnectionRefused" in (message.last_error or "")
        assert message.next_attempt_at > message.created_at
        mail_queue.empty()
        assert tasks.sweep_outbox() == 0  # not due yet: backoff
        message.next_attempt_at = message.created_at
        db.session.commit()
        assert tasks.sweep_outbox() == 1 and mail_queue.count == 1
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)


def test_gives_up_after_max_attempts(app, mail_queue):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    try:
        message = services.queue_mail("a@riau.go.id", "Halo", "Isi")
        message.attempts = tasks.MAX_ATTEMPTS - 1
        db.session.commit()
        assert tasks.deliver_mail(message.id) == "failed"
        assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.FAILED
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)


def test_commit_survives_redis_down(app):
    app.extensions["satudata_redis"] = redis.Redis(port=1, socket_connect_timeout=0.2)
    try:
        message = services.queue_mail("a@riau.go.id", "Halo", "Isi")
        db.session.commit()  # must not raise: the row is kept and the sweep sends it later
        assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.PENDING
    finally:
        del app.extensions["satudata_redis"]
