"""Public information requests: filing, the applicant's view, the officers' inbox and moves, the
public register. Views and the REST API call these; nothing here commits.

The clock is the law's (``deadlines``) on the portal's calendar (national holidays and cuti
bersama, plus :class:`~satudata.ppid.models.HolidayOverride` rows); "today" is the date in the
portal's time zone (WIB by default), since the law counts local working days.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from satudata.accounts.models import Organization, OrganizationKind
from satudata.accounts.services import audit, queue_mail
from satudata.authz import Actor, Permission, Role, require
from satudata.db import utcnow
from satudata.errors import Conflict, Forbidden, Invalid, NotFound
from satudata.extensions import db
from satudata.ppid import clock, deadlines, identity, notices, transitions
from satudata.ppid.models import (
    DECIDED_STATES,
    OPEN_STATES,
    PURGED_NAME,
    ApplicantType,
    Channel,
    DipEntry,
    HolidayOverride,
    InformationRequest,
    Objection,
    ObjectionState,
    RequestCounter,
    RequestEvent,
    RequestState,
)
from satudata.ppid.policy import ApplicantActor, decides_objection, government_of, handles, is_officer

UTAMA_TARGET = "ppid-utama"
DUPLICATE_WINDOW = timedelta(minutes=30)  # the same request again within this is a double submission


# --------------------------------------------------------------------------- the clock


def today() -> date:
    """The date in the portal's time zone (the law counts local working days)."""
    return clock.today()


def calendar() -> deadlines.WorkingCalendar:
    """The national calendar with the admin's overrides."""
    rows = db.session.scalars(select(HolidayOverride)).all()
    return deadlines.WorkingCalendar(
        extra_holidays={r.day: r.name or "Libur (ditetapkan admin)" for r in rows if r.is_holiday},
        extra_working_days=frozenset(r.day for r in rows if not r.is_holiday))


@dataclass(frozen=True)
class Clock:
    """Where a request stands on its clock, for pages: "hari kerja ke-4 dari 10"."""

    day: int  # working days since registration (0 on the day itself)
    of: int  # working days allowed (10, or 10 + the extension)
    days_left: int  # negative once late
    late: bool
    due_on: date


def clock_of(request: InformationRequest, on: date | None = None,
             cal: deadlines.WorkingCalendar | None = None) -> Clock:
    cal = cal or calendar()
    on = on or today()
    allowed = deadlines.NOTICE_DAYS + (request.extension_days or 0)
    end = request.decided_on if request.decided_on else on
    day = max(0, cal.working_days_between(request.received_on, end)) if end >= request.received_on else 0
    left = cal.working_days_between(on, request.due_on) if on <= request.due_on else \
        -cal.working_days_between(request.due_on, on)
    decided_late = request.decided_on is not None and request.decided_on > request.due_on
    late = decided_late or (request.state in OPEN_STATES and on > request.due_on)
    return Clock(day=day, of=allowed, days_left=left, late=late, due_on=request.due_on)


# --------------------------------------------------------------------------- where requests go


def ppid_utama() -> Organization:
    """The organisation of the portal's PPID Utama: ``PPID_UTAMA`` (a slug) when set, else the one
    holding a ``ppid_utama`` member, else the first government at the top of the tree."""
    from satudata.accounts.models import Membership

    slug = current_app.config.get("PPID_UTAMA")
    org = None
    if slug:
        org = db.session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        org = db.session.scalar(select(Organization).join(Membership, Membership.organization_id == Organization.id)
                                .where(Membership.role == Role.PPID_UTAMA).order_by(Organization.id))
    if org is None:
        org = db.session.scalar(select(Organization).where(Organization.parent_id.is_(None))
                                .order_by(Organization.id))
    if org is None:
        raise NotFound("Portal ini belum punya organisasi; PPID belum dapat menerima permohonan.")
    return org


def targets() -> list[Organization]:
    """The OPDs a request may be addressed to (besides the PPID Utama), by name."""
    return list(db.session.scalars(select(Organization).where(Organization.kind == OrganizationKind.OPD)
                                   .order_by(Organization.name)))


def target_of(value: str) -> Organization:
    if not value or value == UTAMA_TARGET:
        return ppid_utama()
    org = db.session.scalar(select(Organization).where(Organization.slug == value))
    if org is None or org.kind != OrganizationKind.OPD:
        raise Invalid("PPID tujuan tidak dikenal: pilih PPID Utama atau salah satu OPD dari daftar.",
                      details={"target": ["Pilih PPID Utama atau salah satu OPD dari daftar."]})
    return org


def routing_targets(request: InformationRequest) -> list[Organization]:
    """The OPDs of the request's government it may be routed to."""
    government = government_of(request.handler)
    return [o for o in targets() if government_of(o).id == government.id and o.id != request.handler_id]


# --------------------------------------------------------------------------- filing


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _next_number(org: Organization, year: int) -> str:
    """``PPID-<ppid>-<year>-<sequence>``: unique per PPID and year, never reused (the counter
    row is updated in the filing's own transaction, which serialises two filings at once)."""
    for _ in range(3):
        bumped = db.session.execute(update(RequestCounter)
                                    .where(RequestCounter.organization_id == org.id, RequestCounter.year == year)
                                    .values(last=RequestCounter.last + 1).execution_options(synchronize_session=False))
        if bumped.rowcount == 1:  # type: ignore[attr-defined]
            last = db.session.scalar(select(RequestCounter.last).where(RequestCounter.organization_id == org.id,
                                                                       RequestCounter.year == year))
            return f"PPID-{org.id}-{year}-{int(last or 0):04d}"
        try:
            with db.session.begin_nested():
                db.session.add(RequestCounter(organization_id=org.id, year=year, last=0))
        except IntegrityError:
            continue  # another filing created it: bump that one
    raise Conflict("Nomor pendaftaran belum dapat dibuat; kirim ulang sebentar lagi.")


def _identity_keys() -> dict[str, Any]:
    config = current_app.config
    return {"key": config.get("PPID_IDENTITY_KEY") or None, "secret": str(config["SECRET_KEY"])}


def identity_number(actor: Actor, request: InformationRequest) -> str | None:
    """The applicant's NIK or SK number, for the officers handling the request; every reading is
    written to the audit log (UU PDP)."""
    require(actor, Permission.PPID_REQUEST_HANDLE, request)
    if not request.identity_encrypted:
        return None
    audit(actor, "ppid.identity_view", "ppid_request", request.id, {"number": request.number})
    try:
        return identity.decrypt(request.identity_encrypted, **_identity_keys())
    except ValueError:
        return None


@dataclass(frozen=True)
class Scan:
    """An uploaded identity scan: its bytes and the name the applicant's file had."""

    data: bytes
    filename: str = ""


def scan_problem(scan: Scan | None, required: bool) -> str | None:
    """Why ``scan`` cannot be kept (``None``: it can, or there is none and none is required)."""
    if scan is None or not scan.data:
        return identity.scan_problem(b"", 1) if required else None
    return identity.scan_problem(scan.data, int(current_app.config["PPID_SCAN_MAX_BYTES"]))


def _checked_scan(scan: Scan | None, required: bool) -> Scan | None:
    problem = scan_problem(scan, required)
    if problem:
        raise Invalid("Periksa isian yang ditandai.", details={"identity_scan": [problem]})
    return scan if scan is not None and scan.data else None


def identity_scan(actor: Actor, request: InformationRequest) -> tuple[bytes, str, str]:
    """The applicant's identity scan (bytes, media type, a file name), for the officers handling
    the request; every opening is written to the audit log (UU PDP). ``NotFound`` when there is
    none (never uploaded, or purged at the end of the retention period)."""
    require(actor, Permission.PPID_REQUEST_HANDLE, request)
    if not request.identity_scan:
        raise NotFound("Permohonan ini tidak menyimpan pindaian identitas.")
    try:
        data = identity.decrypt_bytes(request.identity_scan, **_identity_keys())
    except ValueError as exc:
        raise Conflict("Pindaian identitas tidak dapat dibuka dengan kunci yang berlaku (PPID_IDENTITY_KEY "
                       "berubah?). Hubungi administrator.") from exc
    audit(actor, "ppid.identity_scan_view", "ppid_request", request.id, {"number": request.number})
    extension = identity.SCAN_EXTENSIONS.get(request.identity_scan_type, "bin")
    return data, request.identity_scan_type, f"identitas-{request.number}.{extension}"


@dataclass(frozen=True)
class Filed:
    request: InformationRequest
    secret: str  # shown once and mailed; only its hash is kept
    tracking_url: str


def tracking_url(number: str, secret: str) -> str:
    from satudata.security import public_url

    return public_url(f"/ppid/lacak/{number}?kode={secret}")


def file_request(actor: Actor, form: dict[str, Any], *, channel: Channel = Channel.WEB,
                 received_on: date | None = None, scan: Scan | None = None, scan_required: bool = False) -> Filed:
    """Register a request (``form``: checked by ``serializers.RequestInput``) with its number and
    the clock started: day 0 is the day it is received (today for the web). An officer records
    one that came by mail, letter, phone or in person with its own ``channel`` and day.

    ``scan``: the applicant's identity document (the web form requires one, ``scan_required``;
    an officer's record and the API may go without), checked by its content and kept encrypted."""
    require(actor, Permission.PPID_REQUEST_FILE)
    scan = _checked_scan(scan, scan_required)
    if channel != Channel.WEB and not is_officer(actor):
        raise Forbidden("Hanya petugas PPID yang mencatat permohonan dari surel, surat, telepon atau datang langsung.")
    org = target_of(form.get("target", ""))
    on = today()
    received = received_on or on
    if received > on or received < on - timedelta(days=366):
        raise Invalid("Tanggal diterima tidak boleh di masa depan atau lebih dari setahun lalu.",
                      details={"received_on": ["Tulis tanggal permohonan diterima."]})
    key_basis = "|".join(str(form.get(k) or "").strip().lower()
                         for k in ("name", "nik", "identity_number", "email", "information", "target"))
    duplicate_key = hashlib.sha256(key_basis.encode()).hexdigest()
    earlier = db.session.scalar(select(InformationRequest).where(
        InformationRequest.duplicate_key == duplicate_key, InformationRequest.created_at >= utcnow() - DUPLICATE_WINDOW))
    if earlier is not None:
        raise Conflict(f"Permohonan yang sama sudah tercatat dengan nomor {earlier.number}. Tautan pelacakannya "
                       "ditampilkan saat permohonan itu dikirim (dan dikirim ke surel Anda bila diisi); "
                       "permohonan tidak perlu dikirim dua kali.", details={"number": [earlier.number]})
    cal = calendar()
    secret = secrets.token_urlsafe(18)
    number = _next_number(org, received.year)
    applicant = ApplicantType(form["applicant_type"])
    raw_identity = (form.get("nik") if applicant == ApplicantType.PERORANGAN else form.get("identity_number")) or ""
    request = InformationRequest(
        number=number, secret_hash=_secret_hash(secret), state=RequestState.REGISTERED, channel=channel,
        filed_with_id=org.id, handler_id=org.id, applicant_type=applicant, name=form["name"].strip(),
        identity_encrypted=identity.encrypt(raw_identity.strip(), **_identity_keys()) if raw_identity.strip() else None,
        email=(form.get("email") or "").strip(), phone=(form.get("phone") or "").strip(),
        address=(form.get("address") or "").strip(), occupation=(form.get("occupation") or "").strip(),
        information=form["information"].strip(), purpose=form["purpose"].strip(),
        obtain_method=form["obtain_method"], copy_method=form["copy_method"], received_on=received,
        due_on=deadlines.notice_due(cal, received).due, duplicate_key=duplicate_key)
    if scan is not None:
        request.identity_scan = identity.encrypt_bytes(scan.data, **_identity_keys())
        request.identity_scan_type = identity.scan_type(scan.data) or ""
        request.identity_scan_name = (scan.filename or "")[-200:]
    db.session.add(request)
    db.session.flush()
    request.filed_with = org
    request.handler = org
    db.session.add(RequestEvent(request_id=request.id, action="file", from_state="", to_state=str(request.state),
                                actor_id=getattr(actor, "id", None), actor_label=_label(actor),
                                note=f"Permohonan terdaftar dengan nomor {number}.",
                                data={"channel": str(channel)}, notice_sent=bool(request.email)))
    audit(actor, "ppid.file", "ppid_request", request.id, {"number": number, "channel": str(channel),
                                                           "target": org.slug})
    notices.issue_receipt(request)  # the signed tanda bukti; never fails the filing
    url = tracking_url(number, secret)
    if request.email:
        queue_mail(request.email, f"Permohonan informasi {number} terdaftar", _filed_mail(request, url))
    return Filed(request=request, secret=secret, tracking_url=url)


def _label(actor: Actor) -> str:
    from satudata.authz import actor_label

    return actor_label(actor)


def _filed_mail(request: InformationRequest, url: str) -> str:
    return (f"Yth. {request.name},\n\n"
            f"Permohonan informasi Anda kepada {request.filed_with.name} terdaftar dengan nomor {request.number} "
            f"pada {deadlines.long_date(request.received_on)}.\n\n"
            f"Menurut UU 14/2008 Pasal 22 ayat 7, pemberitahuan tertulis atas permohonan ini paling lambat "
            f"{deadlines.long_date(request.due_on, weekday=True)} (10 hari kerja).\n\n"
            f"Ikuti permohonan Anda di:\n{url}\n\n"
            "Simpan tautan ini: tautan itu adalah kunci Anda untuk melihat jawaban, mencabut permohonan atau "
            "mengajukan keberatan. Jangan bagikan kepada orang lain.\n")


# --------------------------------------------------------------------------- the applicant


def for_applicant(number: str, secret: str) -> InformationRequest:
    """The request ``number`` when ``secret`` is its tracking code; ``NotFound`` otherwise (the
    same answer for a wrong code and a wrong number, so neither can be probed)."""
    request = db.session.scalar(select(InformationRequest).where(InformationRequest.number == (number or "").strip()))
    given = _secret_hash((secret or "").strip())
    expected = request.secret_hash if request is not None else "0" * 64
    if not hmac.compare_digest(given, expected) or request is None:
        raise NotFound("Permohonan tidak ditemukan. Periksa nomor pendaftaran dan kode pelacakan dari tanda "
                       "terima atau surel Anda.")
    return request


def withdraw(number: str, secret: str, reason: str = "") -> InformationRequest:
    """The applicant withdraws their open request (``dicabut``)."""
    request = for_applicant(number, secret)
    actor = ApplicantActor(request_id=request.id, number=request.number)
    transitions.apply(actor, request, "withdraw", {"reason": reason}, today=today(), calendar=calendar(),
                      note=reason.strip() or "Permohonan dicabut oleh pemohon.")
    return request


def timeline(request: InformationRequest) -> list[dict[str, Any]]:
    """What happened to the request, as the applicant may read it."""
    labels = {m.name: m.label for m in transitions.TRANSITIONS.values()}
    labels.update({f"objection_{m.name}": m.label for m in transitions.OBJECTION_MOVES.values()})
    labels["file"] = transitions.N_("Permohonan terdaftar")
    labels["objection_file"] = transitions.N_("Keberatan diajukan")
    labels["propose_open_data"] = transitions.N_("Diusulkan menjadi data terbuka")
    labels["attach"] = transitions.N_("Lampiran jawaban ditambahkan")
    labels["detach"] = transitions.N_("Lampiran jawaban ditarik")
    return [{"action": e.action, "label": labels.get(e.action, e.action), "at": e.created_at, "note": e.note,
             "state": e.to_state} for e in request.events if e.action != "mark_spam"]


# --------------------------------------------------------------------------- officers


def act(actor: Actor, request: InformationRequest, action: str, data: dict[str, Any] | None = None,
        note: str = "") -> RequestEvent:
    """Make a move on a request (``transitions``) and tell the applicant when the move says so."""
    if action == "route" and data and isinstance(data.get("to"), str):
        org = db.session.scalar(select(Organization).where(Organization.slug == data["to"]))
        allowed = {o.id for o in routing_targets(request)}
        if org is None or org.id not in allowed:
            raise Invalid("Pilih OPD tujuan dari daftar.", details={"to": ["Pilih OPD tujuan dari daftar."]})
        data = {**data, "to": org.id}
        note = note or f"Permohonan diteruskan ke PPID Pelaksana {org.name}; jangka waktu tetap berjalan."
    event = transitions.apply(actor, request, action, data, today=today(), calendar=calendar(), note=note)
    notices.issue_for_event(request, event)  # extension notice, written notice, keputusan penolakan
    move = transitions.TRANSITIONS[action]
    if move.notice and request.email and actor_is_officer(actor):
        label = move.label
        body = (f"Yth. {request.name},\n\nPermohonan informasi {request.number}: {label}.\n\n"
                + (f"{event.note}\n\n" if event.note else "")
                + "Rincian dan pemberitahuan tertulisnya dapat dilihat melalui tautan pelacakan yang Anda terima "
                  "saat mengajukan permohonan.\n")
        queue_mail(request.email, f"Permohonan {request.number}: {label}", body)
        event.notice_sent = True
    return event


def actor_is_officer(actor: Actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def get_for_officer(actor: Actor, number: str) -> InformationRequest:
    request = db.session.scalar(select(InformationRequest).where(InformationRequest.number == number))
    if request is None:
        raise NotFound("Permohonan tidak ditemukan.")
    require(actor, Permission.PPID_REQUEST_HANDLE, request)
    return request


def inbox(actor: Actor, *, state: str = "", organization: str = "", channel: str = "",
          include_closed: bool = False) -> list[InformationRequest]:
    """The requests ``actor`` handles, the nearest due first (overdue on top)."""
    query = select(InformationRequest).order_by(InformationRequest.due_on, InformationRequest.id)
    if state:
        query = query.where(InformationRequest.state == state)
    elif not include_closed:
        query = query.where(InformationRequest.state.in_(list(OPEN_STATES)))
    if channel:
        query = query.where(InformationRequest.channel == channel)
    if organization:
        query = query.join(Organization, Organization.id == InformationRequest.handler_id).where(
            Organization.slug == organization)
    return [r for r in db.session.scalars(query) if handles(actor, r)]


# --------------------------------------------------------------------------- objections (keberatan)


@dataclass(frozen=True)
class Ground:
    """One ground of Pasal 35(1) for this request today: whether it exists, since when, and the
    last day an objection on it may be filed (30 working days, Pasal 36(1))."""

    letter: str
    label: str
    available: bool
    arose_on: date | None
    until: date | None


def objection_grounds(request: InformationRequest, on: date | None = None,
                      cal: deadlines.WorkingCalendar | None = None) -> list[Ground]:
    """The grounds the applicant may object on now. A ground arises with the PPID's answer
    (a refusal, an answer other than asked, a request not fulfilled, a fee), or when the due date
    passes unanswered (not answered, late); periodic information (b) may be raised at any time."""
    cal = cal or calendar()
    on = on or today()
    decided = request.decided_on
    late_since = request.due_on + timedelta(days=1) if (request.state in OPEN_STATES and on > request.due_on) else None
    answered_late = decided is not None and decided > request.due_on
    cost = int((request.decision or {}).get("cost") or 0)
    arose = {
        "a": decided if request.state in (RequestState.REFUSED, RequestState.GRANTED_IN_PART) else None,
        "b": request.received_on,
        "c": late_since,
        "d": decided if request.state in DECIDED_STATES else None,
        "e": decided if request.state in DECIDED_STATES - {RequestState.GRANTED} else late_since,
        "f": decided if cost > 0 else None,
        "g": decided if answered_late else late_since,
    }
    out = []
    for letter, label in transitions.GROUNDS.items():
        start = arose[letter]
        until = deadlines.objection_filing_until(cal, start).due if start else None
        out.append(Ground(letter, label, start is not None and until is not None and on <= until, start, until))
    return out


def open_objection(request: InformationRequest) -> Objection | None:
    return next((o for o in request.objections if o.state == ObjectionState.REGISTERED), None)


def file_objection(number: str, secret: str, form: dict[str, Any]) -> Objection:
    """The applicant (or their proxy, with a surat kuasa) files a keberatan with the Atasan PPID:
    at least one ground that exists today, and the case summary. It gets its own number and
    its own clock: the Atasan PPID answers within 30 working days (Pasal 36(2))."""
    request = for_applicant(number, secret)
    actor = ApplicantActor(request_id=request.id, number=request.number)
    cal, on = calendar(), today()
    chosen = [g for g in form.get("grounds") or [] if isinstance(g, str)]
    available = {g.letter: g for g in objection_grounds(request, on, cal)}
    problems: dict[str, list[str]] = {}
    if not chosen:
        problems["grounds"] = ["Pilih alasan keberatan (Pasal 35 ayat 1)."]
    elif any(g not in available for g in chosen):
        problems["grounds"] = ["Alasan keberatan tidak dikenal."]
    else:
        closed = [g for g in chosen if not available[g].available]
        if closed:
            problems["grounds"] = [
                f"Alasan {', '.join(closed)} belum ada atau batas 30 hari kerjanya sudah lewat (Pasal 36 ayat 1)."]
    summary = str(form.get("case_summary") or "").strip()
    if not summary:
        problems["case_summary"] = ["Tuliskan kasus posisi: apa yang Anda minta, jawaban yang diterima, dan mengapa "
                                    "Anda keberatan."]
    elif len(summary) > transitions.TEXT_MAX:
        problems["case_summary"] = [f"Paling panjang {transitions.TEXT_MAX} karakter."]
    proxy_name, proxy_letter = (str(form.get(k) or "").strip() for k in ("proxy_name", "proxy_letter"))
    if proxy_name and not proxy_letter:
        problems["proxy_letter"] = ["Kuasa pemohon wajib menyebut nomor surat kuasanya."]
    if open_objection(request) is not None:
        problems["grounds"] = ["Keberatan atas permohonan ini sedang diproses Atasan PPID."]
    if problems:
        raise Invalid(" ".join(m for ms in problems.values() for m in ms), details=problems)
    require(actor, Permission.PPID_REQUEST_WITHDRAW, request)  # the applicant of this very request
    objection = Objection(
        number=f"KEB-{request.number.removeprefix('PPID-')}-{len(request.objections) + 1}", request_id=request.id,
        state=ObjectionState.REGISTERED, grounds=sorted(set(chosen)), case_summary=summary,
        proxy_name=proxy_name[:200], proxy_letter=proxy_letter[:120], registered_on=on,
        due_on=deadlines.objection_answer_due(cal, on).due)
    db.session.add(objection)
    db.session.flush()
    db.session.add(RequestEvent(request_id=request.id, action="objection_file", from_state=str(request.state),
                                to_state=str(request.state), actor_label=actor.label,
                                note=f"Keberatan {objection.number} diajukan kepada Atasan PPID; tanggapan paling "
                                     f"lambat {deadlines.long_date(objection.due_on)}.",
                                data={"objection": objection.number}, notice_sent=bool(request.email)))
    audit(actor, "ppid.objection.file", "ppid_objection", objection.id,
          {"number": objection.number, "request": request.number, "grounds": objection.grounds})
    notices.issue_for_objection(objection, "file")  # the signed receipt of the keberatan
    if request.email:
        queue_mail(request.email, f"Keberatan {objection.number} terdaftar",
                   f"Yth. {request.name},\n\nKeberatan Anda atas permohonan {request.number} terdaftar dengan nomor "
                   f"{objection.number}. Atasan PPID wajib menanggapi paling lambat "
                   f"{deadlines.long_date(objection.due_on, weekday=True)} (30 hari kerja, Pasal 36 ayat 2).\n")
    return objection


def withdraw_objection(number: str, secret: str) -> Objection:
    request = for_applicant(number, secret)
    objection = open_objection(request)
    if objection is None:
        raise Conflict("Tidak ada keberatan yang sedang diproses untuk permohonan ini.")
    actor = ApplicantActor(request_id=request.id, number=request.number)
    transitions.apply_objection(actor, objection, "withdraw", {}, today=today())
    return objection


def objection_inbox(actor: Actor, include_closed: bool = False) -> list[Objection]:
    """The objections ``actor`` (an Atasan PPID) decides, the nearest due first."""
    query = select(Objection).order_by(Objection.due_on, Objection.id)
    if not include_closed:
        query = query.where(Objection.state == ObjectionState.REGISTERED)
    return [o for o in db.session.scalars(query) if decides_objection(actor, o)]


def get_objection(actor: Actor, number: str) -> Objection:
    objection = db.session.scalar(select(Objection).where(Objection.number == number))
    if objection is None:
        raise NotFound("Keberatan tidak ditemukan.")
    require(actor, Permission.PPID_OBJECTION_DECIDE, objection)
    return objection


def decide_objection(actor: Actor, objection: Objection, action: str, data: dict[str, Any]) -> None:
    """The Atasan PPID's answer (or the record of a dispute before the Komisi Informasi); the
    objector is told."""
    require(actor, Permission.PPID_OBJECTION_DECIDE, objection)
    transitions.apply_objection(actor, objection, action, data, today=today())
    notices.issue_for_objection(objection, action)  # the Atasan PPID's signed answer
    request = objection.request
    if request.email and action != "withdraw":
        label = transitions.OBJECTION_MOVES[action].label
        queue_mail(request.email, f"Keberatan {objection.number}: {label}",
                   f"Yth. {request.name},\n\nKeberatan {objection.number} atas permohonan {request.number}: {label}."
                   f"\n\n{str(data.get('reasons') or '').strip()}\n\nBila tidak puas dengan tanggapan ini, Anda "
                   "dapat mengajukan sengketa informasi ke Komisi Informasi paling lambat 14 hari kerja sejak "
                   "tanggapan diterima (Pasal 37).\n")


# --------------------------------------------------------------------------- public register


REGISTER_PAGE = 50


def public_text(request: InformationRequest, text: str) -> str:
    """``text`` of ``request`` as the public may read it: NIK-like numbers, phone numbers and
    e-mail addresses masked (``identity.mask_numbers``), and the applicant's own name, when they
    wrote it into the text, left out."""
    masked = identity.mask_numbers(text)
    name = (request.name or "").strip()
    if len(name) >= 4 and name != PURGED_NAME:
        masked = re.sub(re.escape(name).replace(r"\ ", r"\s+"), "•••", masked, flags=re.IGNORECASE)
    return masked


def public_row(request: InformationRequest, cal: deadlines.WorkingCalendar, on: date,
               open_data: list[str]) -> dict[str, Any]:
    """One row of the public register: never the applicant's name, identity or contact; numbers
    that look like a NIK masked in the request's text; a request set aside as spam shows no text."""
    clock = clock_of(request, on, cal)
    shown = request.state != RequestState.SPAM
    return {
        "number": request.number,
        "received_on": request.received_on.isoformat(),
        "due_on": request.due_on.isoformat(),
        "decided_on": request.decided_on.isoformat() if request.decided_on else None,
        "state": str(request.state),
        "status": transitions.STATE_LABELS[request.state],
        "ppid": request.handler.name,
        "channel": str(request.channel),
        "applicant_type": str(request.applicant_type),
        "information": public_text(request, request.information) if shown else None,
        "working_days": clock.day if request.state in DECIDED_STATES else None,
        "late": clock.late,
        # Published datasets given as the answer, or made from it: the request became open data.
        "datasets": list(dict.fromkeys([d["slug"] for d in (request.decision or {}).get("datasets") or []]
                                       + open_data)),
    }


def public_register(page: int = 1, per_page: int = REGISTER_PAGE) -> tuple[list[dict[str, Any]], int]:
    """The anonymised register, newest first: (entries of the page, total)."""
    total = int(db.session.scalar(select(func.count(InformationRequest.id))) or 0)
    rows = db.session.scalars(select(InformationRequest).order_by(InformationRequest.id.desc())
                              .offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    cal, on = calendar(), today()
    from satudata.ppid.open_data import published_open_data

    published = published_open_data([r.id for r in rows])
    return [public_row(r, cal, on, published.get(r.id, [])) for r in rows], total


__all__ = [
    "UTAMA_TARGET", "Clock", "Filed", "Ground", "act", "decide_objection", "file_objection", "get_objection",
    "objection_grounds", "objection_inbox", "open_objection", "withdraw_objection", "calendar", "clock_of", "file_request", "for_applicant",
    "get_for_officer", "identity_number", "inbox", "ppid_utama", "public_register", "public_row",
    "routing_targets", "target_of", "targets", "timeline", "today", "tracking_url", "withdraw",
]


# --------------------------------------------------------------------------- statistics


@dataclass
class PpidStats:
    """The service figures of one PPID (or of all) for a year (UU 14/2008 Pasal 12). A PPID is
    known by its organisation's id and slug (names change; the annual reports match by id);
    the whole region has neither."""

    name: str
    organization_id: int | None = None
    slug: str = ""
    requests: int = 0
    open: int = 0
    outcomes: dict[str, int] | None = None
    working_days: list[int] | None = None
    on_time: int = 0
    decided: int = 0
    refusal_grounds: dict[str, int] | None = None
    objections: int = 0

    @property
    def median_days(self) -> float | None:
        days = sorted(self.working_days or [])
        if not days:
            return None
        middle = len(days) // 2
        return float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2

    @property
    def mean_days(self) -> float | None:
        days = self.working_days or []
        return round(sum(days) / len(days), 1) if days else None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


def statistics(year: int) -> tuple[list[PpidStats], PpidStats]:
    """Per PPID handling requests received in ``year`` (requests set aside as spam are no legal
    outcome and are left out), and the whole region."""
    from sqlalchemy.orm import selectinload

    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = db.session.scalars(select(InformationRequest).where(
        InformationRequest.received_on >= start, InformationRequest.received_on <= end,
        InformationRequest.state != RequestState.SPAM)
        .options(selectinload(InformationRequest.objections))).all()  # one query, not one per request
    cal = calendar()
    total = PpidStats(name="Seluruh PPID", outcomes={}, working_days=[], refusal_grounds={})
    by_ppid: dict[int, PpidStats] = {}
    for r in rows:
        stats = by_ppid.get(r.handler_id)
        if stats is None:
            stats = by_ppid[r.handler_id] = PpidStats(
                name=r.handler.name, organization_id=r.handler_id, slug=r.handler.slug, outcomes={},
                working_days=[], refusal_grounds={})
        for s in (stats, total):
            s.requests += 1
            s.objections += len(r.objections)
            assert s.outcomes is not None and s.working_days is not None and s.refusal_grounds is not None
            s.outcomes[str(r.state)] = s.outcomes.get(str(r.state), 0) + 1
            if r.state in OPEN_STATES:
                s.open += 1
            if r.state in DECIDED_STATES and r.decided_on is not None:
                s.decided += 1
                s.working_days.append(max(0, cal.working_days_between(r.received_on, r.decided_on)))
                s.on_time += r.decided_on <= r.due_on
            letters = list((r.decision or {}).get("exemptions") or []) + [
                x for red in (r.decision or {}).get("redactions") or [] for x in red.get("exemptions") or []]
            for letter in dict.fromkeys(letters):
                s.refusal_grounds[letter] = s.refusal_grounds.get(letter, 0) + 1
    return sorted(by_ppid.values(), key=lambda s: (-s.requests, s.name)), total


def statistics_years() -> list[int]:
    """The years with requests (newest first), and this year."""
    years = {d.year for (d,) in db.session.execute(select(InformationRequest.received_on).distinct())}
    years.add(today().year)
    return sorted(years, reverse=True)


# --------------------------------------------------------------------------- Daftar Informasi Publik


DIP_CATEGORIES = ("berkala", "serta_merta", "setiap_saat", "dikecualikan")


def dip_entries(*, q: str = "", category: str = "", organization: str = "") -> list[DipEntry]:
    """The DIP, by category then holding unit: every line matching ``q`` (in its summary,
    holding unit or person responsible)."""
    query = select(DipEntry).join(Organization, Organization.id == DipEntry.organization_id)
    if category in DIP_CATEGORIES:
        query = query.where(DipEntry.category == category)
    if organization:
        query = query.where(Organization.slug == organization)
    for word in (q or "").split()[:10]:
        like = f"%{word.lower()}%"
        query = query.where(func.lower(DipEntry.title).like(like) | func.lower(Organization.name).like(like)
                            | func.lower(DipEntry.responsible).like(like))
    return list(db.session.scalars(query.order_by(DipEntry.category, Organization.name, DipEntry.title)))


def _dip_values(actor: Actor, form: dict[str, Any]) -> tuple[Organization, dict[str, Any]]:
    from satudata.authz import can

    org = db.session.scalar(select(Organization).where(Organization.slug == form["organization"]))
    if org is None:
        raise Invalid("Unit yang menguasai tidak dikenal.", details={"organization": ["Pilih unit dari daftar."]})
    if not can(actor, Permission.PPID_DIP_MANAGE, org):
        raise Forbidden(f"Anda tidak mengelola DIP {org.name}; pilih unit Anda sendiri.",
                        details={"organization": ["Pilih unit yang DIP-nya Anda kelola."]})
    exempt = form["category"] == "dikecualikan"
    values = {k: str(form.get(k) or "").strip() for k in ("title", "responsible", "made", "form", "retention", "url")}
    values.update(category=form["category"],
                  exemption=" ".join(sorted(set(str(form.get("exemption") or "").replace(",", " ").split())))
                  if exempt else "",
                  consequence_test=str(form.get("consequence_test") or "").strip() if exempt else "")
    return org, values


def create_dip_entry(actor: Actor, form: dict[str, Any]) -> DipEntry:
    """Add a line (``form``: checked by ``serializers.DipEntryInput``)."""
    require(actor, Permission.PPID_DIP_MANAGE)
    org, values = _dip_values(actor, form)
    entry = DipEntry(organization_id=org.id, **values)
    db.session.add(entry)
    db.session.flush()
    audit(actor, "ppid.dip.create", "ppid_dip_entry", entry.id, {"title": entry.title, "category": entry.category})
    return entry


def update_dip_entry(actor: Actor, entry: DipEntry, form: dict[str, Any]) -> DipEntry:
    require(actor, Permission.PPID_DIP_MANAGE, entry.organization)
    org, values = _dip_values(actor, form)
    entry.organization_id = org.id
    for key, value in values.items():
        setattr(entry, key, value)
    db.session.flush()
    audit(actor, "ppid.dip.update", "ppid_dip_entry", entry.id, {"title": entry.title, "category": entry.category})
    return entry


def delete_dip_entry(actor: Actor, entry: DipEntry) -> None:
    require(actor, Permission.PPID_DIP_MANAGE, entry.organization)
    audit(actor, "ppid.dip.delete", "ppid_dip_entry", entry.id, {"title": entry.title})
    db.session.delete(entry)
    db.session.flush()


def get_dip_entry(entry_id: int) -> DipEntry:
    entry = db.session.get(DipEntry, entry_id)
    if entry is None:
        raise NotFound("Baris DIP tidak ditemukan.")
    return entry


def dip_units(actor: Actor) -> list[Organization]:
    """The organisations whose DIP lines ``actor`` keeps."""
    from satudata.authz import can

    orgs = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    return [o for o in orgs if can(actor, Permission.PPID_DIP_MANAGE, o)]
