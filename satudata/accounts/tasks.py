"""Mail delivery from the outbox, on the ``mail`` queue.

With SMTP configured (``MAIL_SERVER``) mails go out through it; without, each mail is written
as an ``.eml`` file under ``<instance>/mail/`` and named in the log, so a single machine with
no mail server still shows what would have been sent. A failed attempt is retried with
exponential backoff by the periodic sweep; after ``MAX_ATTEMPTS`` the mail is marked failed.
Each job is one unit of work (``jobs.job``): what it records is committed when it returns.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import OutboxMessage, OutboxStatus
from satudata.db import utcnow
from satudata.extensions import db

MAX_ATTEMPTS = 8


def _compose(message: OutboxMessage) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<outbox-{message.id}@satudata>"
    mail.set_content(message.body)
    return mail


def _send(mail: EmailMessage, message: OutboxMessage) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{message.id:06d}.eml"
        path.write_bytes(bytes(mail))
        current_app.logger.warning("No SMTP configured; mail %s to %s written to %s", message.id, message.recipient, path)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=20) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        smtp.send_message(mail)


@jobs.job
def deliver_mail(message_id: int) -> str:
    """Send one outbox message; safe to run twice (a sent message is skipped)."""
    message = db.session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.status != OutboxStatus.PENDING:
        db.session.rollback()
        return "skipped"
    message.attempts += 1
    try:
        _send(_compose(message), message)
    except (OSError, smtplib.SMTPException) as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
        else:
            message.next_attempt_at = utcnow() + timedelta(minutes=2 ** message.attempts)
        return "retry" if message.status == OutboxStatus.PENDING else "failed"
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.last_error = None
    return "sent"


@jobs.job
def sweep_outbox() -> int:
    """Queue every pending mail whose next attempt is due (periodic; catches mails whose
    enqueue was lost while Redis was down, and retries after backoff)."""
    due = list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING,
                                       OutboxMessage.next_attempt_at <= utcnow()).limit(500)
    ))
    for message_id in due:
        jobs.enqueue(deliver_mail, message_id, queue="mail")  # sent to the queue when the job commits
    return len(due)
