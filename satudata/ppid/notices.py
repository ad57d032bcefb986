"""The PPID's official documents as signed PDFs, in the shape of the forms of Perki SLIP 1/2021:
the tanda bukti of a request, the extension notice, the written notice of every decision, the
surat keputusan of a refusal, and the receipt and answer of a keberatan.

Each is built with reportlab (kop surat of the PPID, number, date in WIB, addressee, the body
the law asks for, the signature block, and a footer with the number and the verification
address), signed by ``signing`` and kept as a :class:`~satudata.ppid.models.Notice` with the
SHA-256 of the signed bytes, so the public verification page can tell whether a PDF is one of
ours, unaltered. Every text that reaches a PDF goes through ``identity.mask_numbers`` and the
applicant's NIK or SK number is printed masked: a notice is handed around, the NIK is not.

The services call one function per event: :func:`issue_receipt` after filing,
:func:`issue_for_event` after an officer's move, :func:`issue_for_objection` after a keberatan
is filed or answered. None of them ever raises: a document that cannot be built or stored is
logged and the move it belongs to goes through all the same (the law's clock does not wait for
a PDF); its savepoint keeps the caller's unit of work clean.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from satudata.accounts.models import Organization, User
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, can, require
from satudata.errors import NotFound
from satudata.extensions import db
from satudata.ppid import clock, deadlines, identity, signing, transitions
from satudata.ppid.models import (
    ApplicantType,
    Channel,
    CopyMethod,
    InformationRequest,
    Notice,
    NoticeKind,
    Objection,
    ObtainMethod,
    RequestEvent,
    RequestState,
)
from satudata.ppid.policy import government_of

log = logging.getLogger(__name__)
N_ = transitions.N_

VERIFY_PATH = "/ppid/verifikasi"

SUFFIXES = {
    NoticeKind.RECEIPT: "TB",
    NoticeKind.EXTENSION: "PP",
    NoticeKind.WRITTEN_NOTICE: "PT",
    NoticeKind.REFUSAL: "SKP",
    NoticeKind.OBJECTION_RECEIPT: "KB",
    NoticeKind.OBJECTION_ANSWER: "TK",
}
# What pages call each kind (translated when shown); the PDFs carry the legal titles below.
TITLES = {
    NoticeKind.RECEIPT: N_("Tanda bukti pendaftaran permohonan"),
    NoticeKind.EXTENSION: N_("Pemberitahuan perpanjangan jangka waktu"),
    NoticeKind.WRITTEN_NOTICE: N_("Pemberitahuan tertulis"),
    NoticeKind.REFUSAL: N_("Surat keputusan penolakan"),
    NoticeKind.OBJECTION_RECEIPT: N_("Tanda bukti pengajuan keberatan"),
    NoticeKind.OBJECTION_ANSWER: N_("Tanggapan atasan PPID atas keberatan"),
}
PDF_TITLES = {
    NoticeKind.RECEIPT: "TANDA BUKTI PENERIMAAN PERMOHONAN INFORMASI PUBLIK",
    NoticeKind.EXTENSION: "PEMBERITAHUAN PERPANJANGAN JANGKA WAKTU",
    NoticeKind.WRITTEN_NOTICE: "PEMBERITAHUAN TERTULIS",
    NoticeKind.REFUSAL: "SURAT KEPUTUSAN PPID TENTANG PENOLAKAN PERMOHONAN INFORMASI",
    NoticeKind.OBJECTION_RECEIPT: "TANDA BUKTI PENERIMAAN KEBERATAN ATAS PERMOHONAN INFORMASI",
    NoticeKind.OBJECTION_ANSWER: "TANGGAPAN ATASAN PPID ATAS KEBERATAN",
}
DECISIONS = ("grant", "grant_in_part", "refuse", "not_held", "not_documented")
OBJECTION_ANSWERS = ("accept", "reject", "settle")

APPLICANT_TYPES = {ApplicantType.PERORANGAN: "Perorangan", ApplicantType.BADAN_HUKUM: "Badan hukum",
                   ApplicantType.KELOMPOK: "Kelompok orang"}
OBTAIN_METHODS = {ObtainMethod.MELIHAT: "Melihat, membaca, mendengarkan, mencatat",
                  ObtainMethod.SALINAN_SOFTCOPY: "Mendapatkan salinan informasi (softcopy)",
                  ObtainMethod.SALINAN_HARDCOPY: "Mendapatkan salinan informasi (hardcopy)"}
COPY_METHODS = {CopyMethod.LANGSUNG: "Mengambil langsung", CopyMethod.KURIR: "Kurir", CopyMethod.POS: "Pos",
                CopyMethod.FAKSIMILI: "Faksimili", CopyMethod.EMAIL: "Surat elektronik (e-mail)"}
CHANNELS = {Channel.WEB: "Laman web", Channel.EMAIL: "Surat elektronik", Channel.LETTER: "Surat",
            Channel.PHONE: "Telepon", Channel.IN_PERSON: "Datang langsung"}
PPID_ROLE = "Pejabat Pengelola Informasi dan Dokumentasi (PPID)"
RIGHT_TO_OBJECT = ("Apabila Saudara tidak puas dengan keputusan ini, Saudara dapat mengajukan keberatan kepada "
                   "Atasan PPID paling lambat 30 (tiga puluh) hari kerja sejak pemberitahuan ini diterima "
                   "(Pasal 35 dan Pasal 36 ayat 1 UU 14/2008), melalui tautan pelacakan permohonan Saudara.")


# --------------------------------------------------------------------------- the hooks


def issue_receipt(request: InformationRequest) -> list[Notice]:
    """The tanda bukti of a request just filed (Pasal 22(4)-(6))."""
    def build() -> list[Notice]:
        event = db.session.scalar(select(RequestEvent).where(RequestEvent.request_id == request.id,
                                                             RequestEvent.action == "file"))
        return [_issue(NoticeKind.RECEIPT, request, event=event)]
    return _safely(f"receipt of {request.number}", build)


def issue_for_event(request: InformationRequest, event: RequestEvent) -> list[Notice]:
    """The documents an officer's move sends: the extension notice (Pasal 22(8)); the written
    notice of a decision (Pasal 22(7)); with a refusal also the surat keputusan penolakan."""
    kinds: list[NoticeKind] = []
    if event.action == "extend":
        kinds = [NoticeKind.EXTENSION]
    elif event.action in DECISIONS:
        kinds = [NoticeKind.WRITTEN_NOTICE]
        if event.action == "refuse":
            kinds.append(NoticeKind.REFUSAL)
    if not kinds:
        return []

    def build() -> list[Notice]:
        numbers = {kind: _free_number(f"{request.number}/{SUFFIXES[kind]}") for kind in kinds}
        return [_issue(kind, request, event=event, number=numbers[kind], related=numbers) for kind in kinds]
    return _safely(f"{event.action} notice of {request.number}", build)


def issue_for_objection(objection: Objection, event_kind: str) -> list[Notice]:
    """The receipt of a keberatan (``event_kind`` "file") or the Atasan PPID's answer ("accept",
    "reject", "settle"); other moves (a dispute recorded, a withdrawal) send no document."""
    if event_kind == "file":
        kind = NoticeKind.OBJECTION_RECEIPT
    elif event_kind in OBJECTION_ANSWERS:
        kind = NoticeKind.OBJECTION_ANSWER
    else:
        return []

    def build() -> list[Notice]:
        request = objection.request
        event = db.session.scalar(select(RequestEvent).where(
            RequestEvent.request_id == request.id, RequestEvent.action == f"objection_{event_kind}")
            .order_by(RequestEvent.id.desc()).limit(1))
        return [_issue(kind, request, objection=objection, event=event)]
    return _safely(f"{event_kind} document of objection {objection.number}", build)


def _safely(what: str, build: Callable[[], list[Notice]]) -> list[Notice]:
    try:
        with db.session.begin_nested():
            return build()
    except Exception:
        log.exception("PPID document (%s) could not be made; the move it belongs to stands without it.", what)
        return []


# --------------------------------------------------------------------------- reading them


def for_request(request: InformationRequest) -> list[Notice]:
    """The documents sent for ``request``, oldest first (their PDFs are not loaded)."""
    return list(db.session.scalars(select(Notice).where(Notice.request_id == request.id).order_by(Notice.id)))


def notice_of(request: InformationRequest, notice_id: int) -> Notice:
    """One document of ``request``; ``NotFound`` when it is not one of its own."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.request_id != request.id:
        raise NotFound("Dokumen tidak ditemukan.")
    if not notice.pdf:  # blanked with the applicant's personal data (retention.purge_personal_data)
        raise NotFound("Berkas dokumen ini dihapus setelah masa retensi data pribadi; nomor dan sidiknya tetap "
                       "tercatat, sehingga salinan yang Anda simpan masih dapat diverifikasi.")
    return notice


def may_read(actor: Actor, request: InformationRequest) -> bool:
    """The officers handling the request, and the Atasan PPID deciding one of its objections."""
    return can(actor, Permission.PPID_REQUEST_HANDLE, request) or any(
        can(actor, Permission.PPID_OBJECTION_DECIDE, o) for o in request.objections)


def officer_notice(actor: Actor, number: str, notice_id: int) -> Notice:
    """One document for the officers who may see the request (each opening audited: it
    carries the applicant's name and address)."""
    request = db.session.scalar(select(InformationRequest).where(InformationRequest.number == number))
    if request is None:
        raise NotFound("Permohonan tidak ditemukan.")
    if not may_read(actor, request):
        require(actor, Permission.PPID_REQUEST_HANDLE, request)
    notice = notice_of(request, notice_id)
    audit(actor, "ppid.notice_view", "ppid_notice", notice.id, {"number": notice.number, "request": request.number})
    return notice


def file_name(notice: Notice) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", notice.number) + ".pdf"


def verify_url() -> str:
    from satudata.security import public_url

    return public_url(VERIFY_PATH)


# --------------------------------------------------------------------------- verification


@dataclass
class Verification:
    """What the verification page answers about a PDF shown to it.

    ``outcome``: ``genuine`` (the bytes are a document we sent), ``altered`` (our signature is
    in it, but the file is not what we signed), ``unknown`` (none of ours), ``not_pdf``."""

    outcome: str
    notice: Notice | None = None  # the document (genuine), or the one it was made from (altered)
    reasons: list[str] = field(default_factory=list)
    foreign_signers: list[str] = field(default_factory=list)


def find_by_number(number: str) -> Notice | None:
    return db.session.scalar(select(Notice).where(Notice.number == (number or "").strip()[:80]))


def find_by_sha256(digest: str) -> Notice | None:
    return db.session.scalar(select(Notice).where(Notice.sha256 == digest).order_by(Notice.id).limit(1))


def looks_like_pdf(data: bytes) -> bool:
    """A PDF starts with ``%PDF-`` (readers accept it within the first kilobyte)."""
    return b"%PDF-" in data[:1024]


def verify(data: bytes) -> Verification:
    """Whether ``data`` is, byte for byte, a document the portal sent; if not, whether it
    carries our signature over something that changed since."""
    if not looks_like_pdf(data):
        return Verification("not_pdf")
    notice = find_by_sha256(hashlib.sha256(data).hexdigest())
    if notice is not None:
        return Verification("genuine", notice)
    checks = signing.inspect(data)
    if checks is None:
        return Verification("unknown", reasons=[N_("Berkas tidak dapat dibaca sebagai PDF yang utuh.")])
    ours = [c for c in checks if c.ours]
    foreign = [c.subject for c in checks if not c.ours]
    if not ours:
        return Verification("unknown", foreign_signers=foreign)
    original = next((n for n in (find_by_sha256(c.signed_revision_sha256) for c in ours
                                 if c.signed_revision_sha256) if n is not None), None)
    if any(not c.intact for c in ours):
        return Verification("altered", original, [N_(
            "Berkas ini memuat tanda tangan elektronik portal ini, tetapi isinya diubah setelah ditandatangani: "
            "tanda tangan tidak lagi cocok dengan isinya.")], foreign)
    if any(not c.whole_file for c in ours):
        return Verification("altered", original, [N_(
            "Tanda tangan elektronik portal ini utuh untuk versi yang ditandatangani, tetapi ada perubahan yang "
            "ditambahkan sesudahnya (misalnya disimpan ulang, diberi anotasi atau diisi).")], foreign)
    return Verification("unknown", None, [N_(
        "Berkas ini bertanda tangan dengan sertifikat portal ini, tetapi tidak tercatat di register dokumen.")],
        foreign)


# --------------------------------------------------------------------------- making one


def _free_number(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… when a document of that kind was already sent for
    the same request (a decision, an objection, another answer)."""
    taken = set(db.session.scalars(select(Notice.number).where(Notice.number.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _issue(kind: NoticeKind, request: InformationRequest, *, objection: Objection | None = None,
           event: RequestEvent | None = None, number: str | None = None,
           related: dict[NoticeKind, str] | None = None) -> Notice:
    """Build, sign and store one document (a second try with the next number when another
    process took this one meanwhile)."""
    base = f"{objection.number if objection is not None else request.number}/{SUFFIXES[kind]}"
    key = signing.current()
    for attempt in range(3):
        number = number if (number and attempt == 0) else _free_number(base)
        issued = clock.now()
        letter = _Letter(kind=kind, number=number, request=request, objection=objection, event=event,
                         issued=issued, key=key, related=related or {})
        pdf = signing.sign(letter.render(), key, reason=PDF_TITLES[kind].capitalize(), location=letter.org.name,
                           name=letter.signatory_name)
        notice = Notice(number=number, kind=kind, request_id=request.id,
                        objection_id=objection.id if objection is not None else None,
                        event_id=event.id if event is not None else None, pdf=pdf,
                        sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), signer=key.subject[:300],
                        demo_certificate=key.demo, created_at=issued)
        try:
            with db.session.begin_nested():
                db.session.add(notice)
                db.session.flush()
        except IntegrityError:
            continue
        return notice
    raise RuntimeError(f"no free document number after {base}")


# --------------------------------------------------------------------------- the PDF


def _x(value: Any) -> str:
    """Text for a reportlab paragraph: NIK-like numbers masked, markup escaped, lines kept."""
    return escape(identity.mask_numbers(str(value if value is not None else ""))).replace("\n", "<br/>")


def _rupiah(amount: Any) -> str:
    try:
        return "Rp" + f"{int(amount):,}".replace(",", ".")
    except (TypeError, ValueError):
        return "–"


def _day(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return deadlines.long_date(value) if isinstance(value, date) else "–"


def _masked_identity(request: InformationRequest) -> str:
    """The NIK as its region only (``147102••••••••••``), another identity number as its first
    characters: never the whole number."""
    if not request.identity_encrypted:
        return "–"
    config = current_app.config
    try:
        value = identity.decrypt(request.identity_encrypted, key=config.get("PPID_IDENTITY_KEY") or None,
                                 secret=str(config["SECRET_KEY"]))
    except ValueError:
        return "(tersimpan terenkripsi)"
    compact = re.sub(r"[\s.-]", "", value)
    if compact.isdigit() and len(compact) == identity.NIK_LENGTH:
        return compact[:6] + "•" * 10
    keep = min(4, len(value) // 3)
    return value[:keep] + "•" * max(len(value) - keep, 6)


class _Letter:
    """One document's content, laid out as an Indonesian official letter."""

    def __init__(self, *, kind: NoticeKind, number: str, request: InformationRequest, objection: Objection | None,
                 event: RequestEvent | None, issued: datetime, key: signing.SigningKey,
                 related: dict[NoticeKind, str]) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        self.kind, self.number, self.request, self.objection, self.event = kind, number, request, objection, event
        self.key, self.related = key, related
        self.local_issued = issued.astimezone(ZoneInfo(str(current_app.config["DISPLAY_TIMEZONE"])))
        answer = kind == NoticeKind.OBJECTION_ANSWER
        if kind == NoticeKind.RECEIPT:
            self.org: Organization = request.filed_with
        elif answer:
            self.org = government_of(request.handler)
        else:
            self.org = request.handler
        self.signatory_position = ""
        self.signatory_name, self.signatory_role = self._signatory()
        base = getSampleStyleSheet()["Normal"]
        self.styles = {
            "body": ParagraphStyle("body", parent=base, fontName="Helvetica", fontSize=10, leading=13.5,
                                   alignment=TA_JUSTIFY, spaceAfter=5),
            "cell": ParagraphStyle("cell", parent=base, fontName="Helvetica", fontSize=9.5, leading=12.5),
            "label": ParagraphStyle("label", parent=base, fontName="Helvetica-Bold", fontSize=9.5, leading=12.5),
            "title": ParagraphStyle("title", parent=base, fontName="Helvetica-Bold", fontSize=12, leading=15,
                                    alignment=TA_CENTER, spaceAfter=2),
            "center": ParagraphStyle("center", parent=base, fontName="Helvetica", fontSize=10, leading=13,
                                     alignment=TA_CENTER, spaceAfter=10),
            "kop1": ParagraphStyle("kop1", parent=base, fontName="Helvetica", fontSize=11, leading=14,
                                   alignment=TA_CENTER),
            "kop2": ParagraphStyle("kop2", parent=base, fontName="Helvetica-Bold", fontSize=13, leading=16,
                                   alignment=TA_CENTER),
            "kop3": ParagraphStyle("kop3", parent=base, fontName="Helvetica", fontSize=8.5, leading=11,
                                   alignment=TA_CENTER),
            "heading": ParagraphStyle("heading", parent=base, fontName="Helvetica-Bold", fontSize=10, leading=13,
                                      spaceBefore=6, spaceAfter=4),
            "sign": ParagraphStyle("sign", parent=base, fontName="Helvetica", fontSize=10, leading=13),
            "small": ParagraphStyle("small", parent=base, fontName="Helvetica-Oblique", fontSize=8, leading=10),
            "demo": ParagraphStyle("demo", parent=base, fontName="Helvetica-Bold", fontSize=9, leading=11.5,
                                   alignment=TA_CENTER),
        }
        self.story: list[Any] = []

    # ---- who signs

    def _signatory(self) -> tuple[str, str]:
        if self.kind == NoticeKind.OBJECTION_ANSWER:
            decision = (self.objection.decision if self.objection is not None else None) or {}
            self.signatory_position = str(decision.get("decider_position") or "").strip()
            return str(decision.get("decider_name") or "").strip(), "Atasan PPID"
        if self.kind in (NoticeKind.RECEIPT, NoticeKind.OBJECTION_RECEIPT):
            name = self._actor_name() if self.kind == NoticeKind.RECEIPT else ""
            return name, "Petugas Pelayanan Informasi" if self.kind == NoticeKind.RECEIPT else \
                "Petugas Penerima Keberatan"
        return self._actor_name(), PPID_ROLE

    def _actor_name(self) -> str:
        if self.event is None or self.event.actor_id is None:
            return ""
        user = db.session.get(User, self.event.actor_id)
        return user.full_name if user is not None else ""

    # ---- building blocks

    def p(self, text: str, style: str = "body") -> None:
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(text, self.styles[style]))

    def heading(self, text: str) -> None:
        self.p(_x(text), "heading")

    def rows(self, rows: list[tuple[str, Any]]) -> None:
        """A two-column table of label and value (values escaped and masked here)."""
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, Table, TableStyle

        data = [[Paragraph(_x(label), self.styles["label"]), Paragraph(_x(value) or "–", self.styles["cell"])]
                for label, value in rows]
        table = Table(data, colWidths=[52 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
        self.story.append(table)
        self.spacer(2)

    def grid(self, header: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        """A ruled table (the parts blacked out, the grounds)."""
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, Table, TableStyle

        data = [[Paragraph(_x(h), self.styles["label"]) for h in header]]
        data += [[Paragraph(_x(c), self.styles["cell"]) for c in row] for row in rows]
        table = Table(data, colWidths=[w * mm for w in widths], hAlign="LEFT", repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))]))
        self.story.append(table)
        self.spacer(2)

    def spacer(self, height: float = 4) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height * mm))

    # ---- the letter

    def render(self) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        self._kop()
        self.p(_x(PDF_TITLES[self.kind]), "title")
        self.p(_x(f"Nomor: {self.number}"), "center")
        if self.key.demo:
            self._demo_box()
        self._addressee()
        getattr(self, f"_body_{self.kind.value}")()
        self._signature()
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm, topMargin=15 * mm,
                                bottomMargin=24 * mm, title=f"{PDF_TITLES[self.kind].title()} {self.number}",
                                author=self.org.name, subject=f"Permohonan informasi {self.request.number}",
                                creator=str(current_app.config.get("SITE_NAME") or "Satu Data"),
                                producer="Satu Data Portal (reportlab, pyHanko)")
        doc.build(self.story, onFirstPage=self._page, onLaterPages=self._page)
        return buffer.getvalue()

    def _kop(self) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import HRFlowable

        government = government_of(self.org)
        if government is not None and government.id != self.org.id:
            self.p(_x(government.name.upper()), "kop1")
        self.p(_x(self.org.name.upper()), "kop2")
        self.p(_x("ATASAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI" if self.kind == NoticeKind.OBJECTION_ANSWER
                  else "PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI (PPID)"), "kop1")
        contact = " · ".join(x for x in (self.org.address, self.org.phone and f"Telp. {self.org.phone}",
                                         self.org.email, self.org.website) if x)
        if contact:
            self.p(_x(contact), "kop3")
        self.story.append(HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=4, spaceAfter=1))
        self.story.append(HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceBefore=0, spaceAfter=10))

    def _demo_box(self) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        table = Table([[Paragraph(_x(
            f"{signing.DEMO_MARK}: dokumen ini ditandatangani dengan sertifikat demo buatan portal sendiri, "
            "BUKAN tanda tangan elektronik resmi BSrE, dan tidak berlaku sebagai dokumen resmi."),
            self.styles["demo"])]], colWidths=["100%"])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor("#B00020")),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        self.story.append(table)
        self.spacer(3)

    def _addressee(self) -> None:
        request = self.request
        lines = ["Kepada Yth.", request.name or "Pemohon informasi"]
        if self.objection is not None and self.objection.proxy_name:
            lines[1] += f" (melalui kuasa: {self.objection.proxy_name})"
        if request.address:
            lines.append(request.address)
        self.p("<br/>".join(_x(line) for line in lines))
        self.spacer(2)

    def _applicant_rows(self) -> list[tuple[str, Any]]:
        request = self.request
        contact = " / ".join(x for x in (request.phone, request.email) if x)
        return [("Nama", request.name), ("Alamat", request.address), ("Nomor telepon / surel", contact)]

    def _signature(self) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

        style = self.styles["sign"]
        lines = [Paragraph(_x(deadlines.long_date(self.local_issued.date())), style),
                 Paragraph(_x(f"{self.signatory_role},"), style), Paragraph(_x(self.org.name), style)]
        if self.key.signer is not None:
            mark = "Ditandatangani secara elektronik"
            if self.key.demo:
                mark += f" dengan {signing.DEMO_MARK} (bukan sertifikat BSrE)"
            lines.append(Paragraph(f"<i>[{_x(mark)}]</i>", style))
        else:
            lines.append(Paragraph(_x("[Dokumen elektronik tanpa tanda tangan elektronik; periksa keasliannya di "
                                      f"{verify_url()}]"), self.styles["small"]))
        if self.signatory_name:
            lines.append(Paragraph(f"<b>{_x(self.signatory_name)}</b>", style))
        if self.signatory_position:
            lines.append(Paragraph(_x(self.signatory_position), style))
        table = Table([[None, lines]], colWidths=[80 * mm, None])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.spacer(6)
        self.story.append(KeepTogether([table]))

    def _page(self, canvas: Any, doc: Any) -> None:
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        canvas.saveState()
        width = doc.pagesize[0]
        canvas.setFont("Helvetica", 7.5)
        canvas.setStrokeColor(colors.grey)
        canvas.line(doc.leftMargin, 17 * mm, width - doc.rightMargin, 17 * mm)
        canvas.drawString(doc.leftMargin, 13 * mm, f"Nomor dokumen: {self.number} · Halaman {doc.page}")
        canvas.drawString(doc.leftMargin, 9.5 * mm, f"Periksa keaslian dokumen ini di {verify_url()}: unggah berkas "
                          "PDF ini atau masukkan nomor dokumennya.")
        if self.key.demo:
            canvas.setFont("Helvetica-Bold", 7.5)
            canvas.setFillColor(colors.HexColor("#B00020"))
            canvas.drawString(doc.leftMargin, 6 * mm,
                              f"{signing.DEMO_MARK}: bukan tanda tangan elektronik resmi BSrE.")
        canvas.restoreState()

    # ---- the bodies, by kind

    def _body_receipt(self) -> None:
        request = self.request
        self.p(_x(f"Permohonan informasi publik Saudara telah diterima dan terdaftar dengan nomor pendaftaran "
                  f"{request.number} (Pasal 22 ayat 4 UU 14/2008), dengan rincian sebagai berikut."))
        identity_label = "NIK" if request.applicant_type == ApplicantType.PERORANGAN else \
            "Nomor akta / SK pengesahan / surat kuasa"
        self.rows([
            ("Nomor pendaftaran", request.number),
            ("Tanggal diterima", _day(request.received_on)),
            ("Saluran", CHANNELS.get(request.channel, str(request.channel))),
            ("Jenis pemohon", APPLICANT_TYPES.get(request.applicant_type, str(request.applicant_type))),
            ("Nama", request.name),
            (f"{identity_label} (disamarkan)", _masked_identity(request)),
            ("Alamat", request.address),
            ("Pekerjaan", request.occupation),
            ("Nomor telepon", request.phone),
            ("Surel", request.email),
            ("Rincian informasi yang dibutuhkan", request.information),
            ("Tujuan penggunaan informasi", request.purpose),
            ("Cara memperoleh informasi", OBTAIN_METHODS.get(request.obtain_method, str(request.obtain_method))),
            ("Cara mendapatkan salinan informasi", COPY_METHODS.get(request.copy_method, str(request.copy_method))),
            ("Ditujukan kepada", request.filed_with.name),
            ("Pemberitahuan tertulis paling lambat",
             f"{deadlines.long_date(request.due_on, weekday=True)} (10 hari kerja, Pasal 22 ayat 7 UU 14/2008)"),
        ])
        self.p(_x("Informasi publik diberikan tanpa biaya; biaya penyalinan dan/atau pengiriman, bila ada, "
                  "disebutkan dalam pemberitahuan tertulis. Jangka waktu pemberitahuan tertulis dapat diperpanjang "
                  "satu kali paling lama 7 hari kerja dengan alasan tertulis (Pasal 22 ayat 8). Simpan tanda bukti "
                  "ini dan tautan pelacakan yang Saudara terima untuk mengikuti permohonan."))

    def _body_extension(self) -> None:
        request = self.request
        self.p(_x(f"Sehubungan dengan permohonan informasi publik Saudara yang diterima pada tanggal "
                  f"{_day(request.received_on)} dengan nomor pendaftaran {request.number}, dengan ini kami "
                  "memberitahukan bahwa jangka waktu pemberian pemberitahuan tertulis diperpanjang (Pasal 22 ayat 8 "
                  "UU 14/2008)."))
        self.rows([
            ("Rincian informasi yang dibutuhkan", request.information),
            ("Perpanjangan", f"{request.extension_days} hari kerja"),
            ("Alasan perpanjangan", request.extension_reason),
            ("Pemberitahuan tertulis paling lambat", deadlines.long_date(request.due_on, weekday=True)),
            *([("Keterangan", self.event.note)] if self.event is not None and self.event.note else []),
        ])
        self.p(_x("Perpanjangan hanya dapat diberikan satu kali. Apabila pemberitahuan tertulis tidak diterima "
                  "sampai tanggal tersebut, Saudara dapat mengajukan keberatan kepada Atasan PPID (Pasal 35 ayat 1 "
                  "huruf c dan g UU 14/2008)."))

    def _decision(self) -> dict[str, Any]:
        return dict(self.request.decision or {})

    def _body_written_notice(self) -> None:
        request, decision = self.request, self._decision()
        state = request.state
        self.p(_x(f"Berdasarkan permohonan informasi pada tanggal {_day(request.received_on)} dengan nomor "
                  f"pendaftaran {request.number}, kami menyampaikan kepada Saudara:"))
        self.rows([*self._applicant_rows(), ("Rincian informasi yang dibutuhkan", request.information),
                   ("Tanggal keputusan", _day(request.decided_on))])
        self.p(_x("PPID memutuskan bahwa informasi yang dimohon adalah:"))
        if state in (RequestState.GRANTED, RequestState.GRANTED_IN_PART):
            self.heading("INFORMASI DAPAT DIBERIKAN SELURUHNYA" if state == RequestState.GRANTED else
                         "INFORMASI DAPAT DIBERIKAN SEBAGIAN")
            datasets = decision.get("datasets") or []
            from satudata.security import public_url
            self.rows([
                ("Informasi yang diberikan", decision.get("given")),
                ("Penguasaan informasi", f"Kami ({request.handler.name})"),
                ("Bentuk informasi yang tersedia", decision.get("form")),
                ("Biaya yang dibutuhkan", f"{_rupiah(decision.get('cost'))} (penyalinan dan/atau pengiriman)"),
                ("Cara dan waktu penyampaian", decision.get("delivery")),
                *([("Dataset terbuka", "\n".join(f"{d.get('title')}: {public_url('/dataset/' + str(d.get('slug')))}"
                                                  for d in datasets))] if datasets else []),
            ])
            if state == RequestState.GRANTED_IN_PART:
                self.heading("Penjelasan penghitaman/pengaburan informasi yang dimohon")
                self.grid(["Bagian yang dihitamkan", "Dasar pengecualian", "Alasan"],
                          [[r.get("part"), "; ".join(f"Pasal 17 huruf {x} UU 14/2008 ({transitions.EXEMPTIONS.get(x, '')})"
                                                     for x in r.get("exemptions") or []), r.get("reason")]
                           for r in decision.get("redactions") or []], [45, 60, 60])
        elif state == RequestState.REFUSED:
            self.heading("INFORMASI TIDAK DAPAT DIBERIKAN: INFORMASI YANG DIKECUALIKAN")
            self.rows([("Dasar pengecualian", self._exemption_text(decision)),
                       ("Uji konsekuensi", decision.get("consequence_test"))])
            refusal = self.related.get(NoticeKind.REFUSAL)
            if refusal:
                self.p(_x(f"Keputusan penolakan ini dituangkan dalam Surat Keputusan PPID tentang Penolakan Permohonan "
                          f"Informasi nomor {refusal}, yang disampaikan bersama pemberitahuan ini."))
        elif state == RequestState.NOT_HELD:
            self.heading("INFORMASI TIDAK DAPAT DIBERIKAN: INFORMASI YANG DIMINTA TIDAK DIKUASAI")
            holder = str(decision.get("holder") or "").strip()
            self.rows([("Badan publik yang menguasai informasi",
                        holder or "Tidak diketahui oleh PPID kami.")])
            if holder:
                self.p(_x(f"Saudara dapat mengajukan permohonan informasi tersebut kepada {holder} (Pasal 22 ayat 7 "
                          "huruf d UU 14/2008)."))
        elif state == RequestState.NOT_DOCUMENTED:
            self.heading("INFORMASI TIDAK DAPAT DIBERIKAN: INFORMASI YANG DIMINTA BELUM DIDOKUMENTASIKAN")
            self.rows([("Penyediaan informasi yang belum didokumentasikan dilakukan pada",
                        _day(decision.get("available_on")))])
        else:
            self.heading(transitions.STATE_LABELS.get(state, str(state)).upper())
        if self.event is not None and self.event.note:
            self.rows([("Keterangan", self.event.note)])
        self.p(_x(RIGHT_TO_OBJECT))

    def _exemption_text(self, decision: dict[str, Any]) -> str:
        return "\n".join(f"Pasal 17 huruf {x} UU 14/2008: informasi yang apabila dibuka dapat "
                         f"{transitions.EXEMPTIONS.get(x, '')}" if x not in ("i", "j") else
                         f"Pasal 17 huruf {x} UU 14/2008: {transitions.EXEMPTIONS.get(x, '')}"
                         for x in decision.get("exemptions") or [])

    def _body_refusal(self) -> None:
        request, decision = self.request, self._decision()
        self.rows([("Nomor pendaftaran", request.number), *self._applicant_rows(),
                   ("Rincian informasi yang dibutuhkan", request.information)])
        self.p(_x("PPID memutuskan bahwa informasi yang dimohon adalah:"))
        self.heading("INFORMASI YANG DIKECUALIKAN")
        self.p(_x("Pengecualian informasi didasarkan pada alasan:"))
        self.p(_x(self._exemption_text(decision)))
        self.p(_x("Bahwa berdasarkan pasal-pasal di atas, membuka informasi tersebut dapat menimbulkan konsekuensi "
                  "sebagai berikut (uji konsekuensi, Pasal 2 ayat 4 dan Pasal 19 UU 14/2008):"))
        self.p(_x(decision.get("consequence_test")))
        self.p(_x("Dengan demikian menyatakan bahwa:"))
        self.heading("PERMOHONAN INFORMASI DITOLAK")
        written = self.related.get(NoticeKind.WRITTEN_NOTICE)
        if written:
            self.p(_x(f"Surat keputusan ini disampaikan bersama pemberitahuan tertulis nomor {written}."))
        self.p(_x("Apabila Saudara keberatan atas penolakan ini, Saudara dapat mengajukan keberatan kepada Atasan "
                  "PPID paling lambat 30 (tiga puluh) hari kerja sejak diterimanya surat keputusan ini (Pasal 35 "
                  "ayat 1 huruf a dan Pasal 36 ayat 1 UU 14/2008)."))

    def _grounds(self) -> str:
        grounds = self.objection.grounds if self.objection is not None else []
        return "\n".join(f"{g}. {transitions.GROUNDS.get(g, '')}" for g in grounds)

    def _body_objection_receipt(self) -> None:
        objection, request = self.objection, self.request
        assert objection is not None
        self.p(_x(f"Keberatan Saudara atas permohonan informasi nomor {request.number} telah diterima dan terdaftar "
                  "untuk ditanggapi oleh Atasan PPID (Pasal 35 dan 36 UU 14/2008)."))
        self.heading("A. Informasi pengaju keberatan")
        self.rows([
            ("Nomor registrasi keberatan", objection.number),
            ("Nomor pendaftaran permohonan informasi", request.number),
            ("Tujuan penggunaan informasi", request.purpose),
            ("Nama pemohon", request.name),
            ("Alamat", request.address),
            ("Pekerjaan", request.occupation),
            ("Nomor telepon / surel", " / ".join(x for x in (request.phone, request.email) if x)),
            ("Identitas kuasa pemohon", f"{objection.proxy_name} (surat kuasa nomor {objection.proxy_letter})"
             if objection.proxy_name else "–"),
        ])
        self.heading("B. Alasan pengajuan keberatan (Pasal 35 ayat 1 UU 14/2008)")
        self.p(_x(self._grounds()))
        self.heading("C. Kasus posisi")
        self.p(_x(objection.case_summary))
        self.heading("D. Tanggapan atas keberatan")
        self.rows([("Tanggal keberatan diterima", _day(objection.registered_on)),
                   ("Tanggapan Atasan PPID paling lambat",
                    f"{deadlines.long_date(objection.due_on, weekday=True)} (30 hari kerja, Pasal 36 ayat 2)")])

    def _body_objection_answer(self) -> None:
        objection, request = self.objection, self.request
        assert objection is not None
        decision = objection.decision or {}
        outcome = {
            "accepted": "KEBERATAN DITERIMA: informasi yang dimohon wajib diberikan kepada pemohon.",
            "rejected": "KEBERATAN DITOLAK: keputusan PPID dikuatkan.",
            "settled": "KEBERATAN DISELESAIKAN SECARA MUSYAWARAH.",
        }.get(str(objection.state), transitions.OBJECTION_LABELS.get(objection.state, str(objection.state)).upper())
        self.p(_x(f"Menanggapi keberatan Saudara nomor {objection.number} yang diterima pada tanggal "
                  f"{_day(objection.registered_on)} atas permohonan informasi nomor {request.number}, Atasan PPID "
                  "menyampaikan tanggapan sebagai berikut (Pasal 36 ayat 2 UU 14/2008)."))
        self.rows([
            ("Nomor registrasi keberatan", objection.number),
            ("Nomor pendaftaran permohonan", request.number),
            ("Rincian informasi yang dibutuhkan", request.information),
            ("Alasan keberatan", self._grounds()),
            ("Kasus posisi", objection.case_summary),
            ("Tanggal tanggapan", _day(objection.decided_on)),
        ])
        self.heading("Keputusan Atasan PPID")
        self.p(_x(outcome))
        self.heading("Pertimbangan dan alasan")
        self.p(_x(decision.get("reasons")))
        if decision.get("decider_name") or decision.get("decider_position"):
            self.rows([("Diputuskan oleh", ", ".join(x for x in (decision.get("decider_name"),
                                                                  decision.get("decider_position")) if x))])
        self.p(_x("Apabila Saudara tidak puas dengan tanggapan ini, Saudara dapat mengajukan penyelesaian sengketa "
                  "informasi kepada Komisi Informasi paling lambat 14 (empat belas) hari kerja sejak tanggapan ini "
                  "diterima (Pasal 37 UU 14/2008)."))
