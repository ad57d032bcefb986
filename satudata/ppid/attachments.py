"""Files given as the answer: when a request is granted (in full or in part), the handling
officers attach the information itself (a PDF, a spreadsheet, a scan). Each file is kept in the
portal's file store under its SHA-256; the applicant downloads it through their tracking link,
and the officers from the request page. Adding and removing are audited and on the timeline."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from flask import current_app
from sqlalchemy import select

from satudata.accounts.services import audit, queue_mail
from satudata.authz import Actor, Permission, actor_label, require
from satudata.catalog.storage import FileTooLarge, get_store
from satudata.db import utcnow
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.ppid.models import Attachment, InformationRequest, RequestEvent, RequestState

# What an answer is usually made of; anything else is refused with this list.
EXTENSIONS = ("pdf", "csv", "xlsx", "xls", "ods", "docx", "doc", "odt", "txt", "jpg", "jpeg", "png", "zip")
ANSWERED = frozenset({RequestState.GRANTED, RequestState.GRANTED_IN_PART})
MAX_PER_REQUEST = 20


def _clean_name(filename: str) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    return "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')[-200:]


def add(actor: Actor, request: InformationRequest, stream: Any, filename: str) -> Attachment:
    """Attach a file to the answer of ``request`` (granted in full or in part)."""
    require(actor, Permission.PPID_REQUEST_HANDLE, request)
    if request.state not in ANSWERED:
        raise Conflict("Lampiran jawaban ditambahkan setelah permohonan dikabulkan (seluruhnya atau sebagian). "
                       "Putuskan permohonan lebih dulu.")
    name = _clean_name(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not name or extension not in EXTENSIONS:
        message = ("Pilih berkas jawaban: " + ", ".join(e.upper() for e in EXTENSIONS) + ". Berkas lain dikemas "
                   "dalam ZIP.")
        raise Invalid(message, details={"file": [message]})
    if len(for_request(request)) >= MAX_PER_REQUEST:
        raise Conflict(f"Satu jawaban paling banyak {MAX_PER_REQUEST} lampiran; kemas berkas lain dalam ZIP.")
    store = get_store()
    limit = int(current_app.config["PPID_ATTACHMENT_MAX_BYTES"])
    try:
        with store.staging(stream, limit) as staged:
            if staged.size == 0:
                raise Invalid("Berkas itu kosong.", details={"file": ["Berkas itu kosong."]})
            stored = store.keep(staged)
    except FileTooLarge as err:
        message = (f"Lampiran melebihi batas {limit // 1_048_576} MB. Pecah menjadi beberapa berkas, atau "
                   "berikan sebagai dataset terbuka.")
        raise Invalid(message, details={"file": [message]}) from err
    attachment = Attachment(request_id=request.id, filename=name,
                            media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                            size=stored.size, sha256=stored.sha256, created_by_id=getattr(actor, "id", None))
    db.session.add(attachment)
    db.session.add(RequestEvent(request_id=request.id, action="attach", from_state=str(request.state),
                                to_state=str(request.state), actor_id=getattr(actor, "id", None),
                                actor_label=actor_label(actor), note=f"Lampiran jawaban: {name}.",
                                data={"file": name}, notice_sent=bool(request.email), created_at=utcnow()))
    db.session.flush()
    audit(actor, "ppid.attachment_add", "ppid_request", request.id,
          {"number": request.number, "file": name, "sha256": stored.sha256, "size": stored.size})
    if request.email:
        queue_mail(request.email, f"Permohonan {request.number}: lampiran jawaban",
                   f"Yth. {request.name},\n\nPPID menambahkan lampiran jawaban atas permohonan {request.number}: "
                   f"{name}.\n\nUnduh melalui tautan pelacakan yang Anda terima saat mengajukan permohonan.\n")
    return attachment


def remove(actor: Actor, request: InformationRequest, attachment_id: int) -> None:
    """Take a wrongly attached file off the answer (the timeline and the audit log keep that it was)."""
    require(actor, Permission.PPID_REQUEST_HANDLE, request)
    attachment = get(request, attachment_id)
    db.session.delete(attachment)
    db.session.add(RequestEvent(request_id=request.id, action="detach", from_state=str(request.state),
                                to_state=str(request.state), actor_id=getattr(actor, "id", None),
                                actor_label=actor_label(actor), note=f"Lampiran ditarik: {attachment.filename}.",
                                data={"file": attachment.filename}, created_at=utcnow()))
    audit(actor, "ppid.attachment_remove", "ppid_request", request.id,
          {"number": request.number, "file": attachment.filename, "sha256": attachment.sha256})
    db.session.flush()


def for_request(request: InformationRequest) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.request_id == request.id)
                                   .order_by(Attachment.id)))


def get(request: InformationRequest, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.request_id != request.id:
        raise NotFound("Lampiran tidak ditemukan.")
    return attachment


def path_of(attachment: Attachment) -> Any:
    path = get_store().path(attachment.sha256)
    if not path.is_file():
        raise NotFound("Berkas lampiran tidak lagi tersimpan; minta PPID mengirimnya kembali.")
    return path
