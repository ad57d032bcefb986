"""The life of an information request as data: every move, who may make it, what the law wants
written with it, and what it does besides changing the state (UU 14/2008, Perki SLIP 1/2021;
``../shared/rules/PPID.md``).

``registered`` is where every request starts (a web request is registered the moment it is
filed, Pasal 22(4)); from there an officer returns it for completion, closes it as not entitled,
routes it to an OPD's PPID Pelaksana (the clock runs on), extends it once by up to 7 working days
with written reasons (Pasal 22(8)), or answers it with one of the decisions of Pasal 22(7); the
applicant may withdraw it while it is open. Missing the deadline never refuses anything: the
request is only shown as late (``services.is_late``).

:func:`apply` is the only code that changes ``InformationRequest.state``: it checks the move
exists from the current state, who is making it, what they wrote (each decision's legally
required parts, in Bahasa Indonesia), changes the state with a compare-and-set (a double click
or two officers at once: exactly one goes through), writes a :class:`RequestEvent` (the
applicant's timeline), the audit row, and the notice to the applicant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, actor_label, require
from satudata.db import utcnow
from satudata.errors import Conflict, Invalid
from satudata.extensions import db
from satudata.ppid import deadlines
from satudata.ppid.models import InformationRequest, Objection, RequestEvent
from satudata.ppid.models import ObjectionState as O
from satudata.ppid.models import RequestState as S

TEXT_MAX = 5000


def N_(text: str) -> str:
    """Marks a label for translation (pybabel extracts ``N_``); pages translate it when shown."""
    return text
# Pasal 17: the exemptions a refusal (or a redaction) may rest on, by letter.
EXEMPTIONS = {
    "a": "menghambat proses penegakan hukum",
    "b": "mengganggu perlindungan hak atas kekayaan intelektual dan persaingan usaha tidak sehat",
    "c": "membahayakan pertahanan dan keamanan negara",
    "d": "mengungkapkan kekayaan alam Indonesia",
    "e": "merugikan ketahanan ekonomi nasional",
    "f": "merugikan kepentingan hubungan luar negeri",
    "g": "mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir atau wasiat seseorang",
    "h": "mengungkap rahasia pribadi",
    "i": "memorandum atau surat antar/intra Badan Publik yang menurut sifatnya dirahasiakan",
    "j": "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
}

Problems = dict[str, list[str]]
InputCheck = Callable[[InformationRequest, dict[str, Any], date], Problems]
Effect = Callable[["Step"], None]


@dataclass
class Step:
    """One move being made: what the effects read and write."""

    actor: Actor
    request: InformationRequest
    data: dict[str, Any]
    today: date
    calendar: deadlines.WorkingCalendar
    summary: dict[str, Any]


@dataclass(frozen=True)
class Move:
    name: str
    label: str  # what the timeline calls it, in Bahasa Indonesia
    sources: frozenset[S]
    target: S | None  # None: the state stays (routing, recording a delivery)
    permission: Permission
    inputs: InputCheck
    effects: tuple[Effect, ...] = ()
    notice: bool = True  # the applicant is told (tracking page, and mail when they gave an address)


# --------------------------------------------------------------------------- what must be written


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _required(data: dict[str, Any], problems: Problems, key: str, message: str) -> str:
    value = _text(data, key)
    if not value:
        problems.setdefault(key, []).append(message)
    elif len(value) > TEXT_MAX:
        problems.setdefault(key, []).append(f"Paling panjang {TEXT_MAX} karakter.")
    return value


def _nothing(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    return {}


def _reason(message: str) -> InputCheck:
    def check(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
        problems: Problems = {}
        _required(data, problems, "reason", message)
        return problems
    return check


def _route_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    if not isinstance(data.get("to"), int):
        problems["to"] = ["Pilih PPID Pelaksana (OPD) tujuan."]
    elif data["to"] == request.handler_id:
        problems["to"] = ["Permohonan sudah ditangani PPID itu."]
    return problems


def _extend_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    if request.extension_days is not None:
        problems["days"] = ["Perpanjangan hanya boleh sekali (Pasal 22 ayat 8)."]
    days = data.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= deadlines.EXTENSION_MAX_DAYS:
        problems.setdefault("days", []).append(
            f"Perpanjangan 1 sampai {deadlines.EXTENSION_MAX_DAYS} hari kerja (Pasal 22 ayat 8).")
    _required(data, problems, "reason", "Tulis alasan perpanjangan secara tertulis; alasan ini dikirim kepada pemohon.")
    return problems


def _linked_datasets(data: dict[str, Any], problems: Problems) -> None:
    """Published datasets given as (part of) the answer: the answered request becomes open data,
    and the notice links them. Each must be public; kept as ``[{"slug", "title"}]``."""
    from satudata.catalog import services as catalog
    from satudata.errors import DomainError

    slugs = data.get("datasets")
    if not slugs:
        data.pop("datasets", None)
        return
    found = []
    for slug in slugs if isinstance(slugs, list) else []:
        try:
            dataset = catalog.get_public_dataset(str(slug))
        except DomainError:
            problems.setdefault("datasets", []).append(
                f'Dataset "{slug}" tidak ada atau belum terbit; terbitkan dahulu lewat walidata, lalu tautkan.')
            continue
        found.append({"slug": dataset.slug, "title": dataset.title})
    data["datasets"] = found


def _grant_parts(data: dict[str, Any], problems: Problems) -> None:
    """What a written notice granting information must say (Pasal 22(7))."""
    _required(data, problems, "given", "Sebutkan informasi yang diberikan.")
    _required(data, problems, "form", "Sebutkan bentuk informasi (misalnya salinan PDF, cetak, tautan dataset).")
    _required(data, problems, "delivery", "Sebutkan cara dan waktu penyampaian informasi.")
    _linked_datasets(data, problems)
    cost = data.get("cost")
    if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
        problems.setdefault("cost", []).append("Tulis biaya penggandaan/pengiriman dalam rupiah (0 bila tanpa biaya).")


def _grant_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    _grant_parts(data, problems)
    return problems


def _exemption_letters(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _grant_in_part_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    _grant_parts(data, problems)
    redactions = data.get("redactions")
    if not isinstance(redactions, list) or not redactions:
        problems["redactions"] = ["Sebutkan bagian yang dihitamkan beserta alasannya (pasal pengecualian)."]
        return problems
    for i, item in enumerate(redactions, start=1):
        part = _text(item, "part") if isinstance(item, dict) else ""
        letters = _exemption_letters(item.get("exemptions")) if isinstance(item, dict) else []
        reason = _text(item, "reason") if isinstance(item, dict) else ""
        if not part or not reason or not letters or any(x not in EXEMPTIONS for x in letters):
            problems.setdefault("redactions", []).append(
                f"Bagian ke-{i}: tulis bagian yang dihitamkan, huruf pengecualian Pasal 17 (a–j) dan alasannya.")
    return problems


def _refuse_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    letters = _exemption_letters(data.get("exemptions"))
    if not letters or any(x not in EXEMPTIONS for x in letters):
        problems["exemptions"] = ["Pilih dasar pengecualian Pasal 17 (huruf a–j) yang menjadi alasan penolakan."]
    _required(data, problems, "consequence_test",
              "Tuliskan uji konsekuensi: akibat yang timbul bila informasi dibuka (Pasal 19).")
    return problems


def _not_held_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    if not _text(data, "holder") and data.get("holder_unknown") is not True:
        problems["holder"] = ["Sebutkan badan publik yang menguasai informasi itu, atau tandai bahwa tidak diketahui."]
    return problems


def _not_documented_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    available = data.get("available_on")
    if not isinstance(available, date) or available <= today:
        problems["available_on"] = ["Tulis tanggal informasi akan tersedia (sesudah hari ini)."]
    return problems


def _delivery_inputs(request: InformationRequest, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    _required(data, problems, "means", "Sebutkan cara penyampaian (diambil langsung, pos, surel, ...).")
    delivered = data.get("delivered_on")
    if not isinstance(delivered, date) or delivered > today or delivered < request.received_on:
        problems["delivered_on"] = ["Tulis tanggal penyampaian (antara tanggal permohonan dan hari ini)."]
    cost = data.get("cost")
    if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
        problems["cost"] = ["Tulis biaya yang dibayar pemohon dalam rupiah (0 bila tanpa biaya)."]
    return problems


# --------------------------------------------------------------------------- what a move does


def _route(step: Step) -> None:
    step.summary["handler"] = {"from": step.request.handler_id, "to": step.data["to"]}
    step.request.handler_id = step.data["to"]


def _extend(step: Step) -> None:
    request = step.request
    request.extension_days = int(step.data["days"])
    request.extension_reason = _text(step.data, "reason")
    request.due_on = deadlines.extended_due(step.calendar, request.received_on, request.extension_days).due
    step.summary["due_on"] = request.due_on.isoformat()


def _decide(step: Step) -> None:
    keep = ("given", "form", "delivery", "cost", "redactions", "exemptions", "consequence_test", "holder",
            "holder_unknown", "available_on", "datasets", "note")
    step.request.decision = {k: (v.isoformat() if isinstance(v, date) else v)
                             for k, v in step.data.items() if k in keep}
    step.request.decided_on = step.today


def _close(step: Step) -> None:
    step.request.closing_reason = _text(step.data, "reason")


def _deliver(step: Step) -> None:
    data = step.data
    step.request.delivery = {"means": _text(data, "means"), "delivered_on": data["delivered_on"].isoformat(),
                             "cost": int(data["cost"])}


OPEN = frozenset({S.REGISTERED, S.EXTENDED})
HANDLE = Permission.PPID_REQUEST_HANDLE

TRANSITIONS: dict[str, Move] = {m.name: m for m in (
    Move("return_for_completion", N_("Dikembalikan untuk dilengkapi"), frozenset({S.REGISTERED}), S.INCOMPLETE, HANDLE,
         _reason("Tulis apa yang perlu dilengkapi pemohon."), (_close,)),
    Move("complete", N_("Dilengkapi pemohon"), frozenset({S.INCOMPLETE}), S.REGISTERED, HANDLE, _nothing),
    Move("close_not_entitled", N_("Ditutup: pemohon tidak memenuhi syarat"), frozenset({S.REGISTERED, S.INCOMPLETE}),
         S.NOT_ENTITLED, HANDLE, _reason("Tulis alasan pemohon tidak memenuhi syarat (Pasal 1 angka 12)."), (_close,)),
    Move("route", N_("Diteruskan ke PPID Pelaksana"), OPEN | {S.INCOMPLETE}, None, HANDLE, _route_inputs, (_route,)),
    Move("extend", N_("Jangka waktu diperpanjang"), frozenset({S.REGISTERED}), S.EXTENDED, HANDLE, _extend_inputs,
         (_extend,)),
    Move("grant", N_("Dikabulkan seluruhnya"), OPEN, S.GRANTED, HANDLE, _grant_inputs, (_decide,)),
    Move("grant_in_part", N_("Dikabulkan sebagian"), OPEN, S.GRANTED_IN_PART, HANDLE, _grant_in_part_inputs, (_decide,)),
    Move("refuse", N_("Ditolak"), OPEN, S.REFUSED, HANDLE, _refuse_inputs, (_decide,)),
    Move("not_held", N_("Informasi tidak dikuasai"), OPEN, S.NOT_HELD, HANDLE, _not_held_inputs, (_decide,)),
    Move("not_documented", N_("Informasi belum didokumentasikan"), OPEN, S.NOT_DOCUMENTED, HANDLE,
         _not_documented_inputs, (_decide,)),
    Move("record_delivery", N_("Informasi disampaikan"), frozenset({S.GRANTED, S.GRANTED_IN_PART}), None, HANDLE,
         _delivery_inputs, (_deliver,)),
    Move("mark_spam", N_("Ditandai spam (tidak diproses)"), frozenset({S.REGISTERED, S.INCOMPLETE}), S.SPAM, HANDLE,
         _reason("Tulis mengapa permohonan ini spam; tanda ini bukan keputusan atas permohonan."), (_close,),
         notice=False),
    Move("withdraw", N_("Dicabut pemohon"), OPEN | {S.INCOMPLETE}, S.WITHDRAWN, Permission.PPID_REQUEST_WITHDRAW,
         _nothing, (_close,)),
)}

STATE_LABELS = {
    S.REGISTERED: N_("Terdaftar, sedang diproses"),
    S.INCOMPLETE: N_("Dikembalikan untuk dilengkapi"),
    S.EXTENDED: N_("Diperpanjang"),
    S.GRANTED: N_("Dikabulkan seluruhnya"),
    S.GRANTED_IN_PART: N_("Dikabulkan sebagian"),
    S.REFUSED: N_("Ditolak"),
    S.NOT_HELD: N_("Informasi tidak dikuasai"),
    S.NOT_DOCUMENTED: N_("Informasi belum didokumentasikan"),
    S.WITHDRAWN: N_("Dicabut pemohon"),
    S.NOT_ENTITLED: N_("Tidak memenuhi syarat"),
    S.SPAM: N_("Tidak diproses"),
}


def available(request: InformationRequest) -> list[Move]:
    """The moves that exist from the request's state (whoever may make them)."""
    return [m for m in TRANSITIONS.values() if request.state in m.sources]


def _checked(actor: Actor, moves: dict[str, Any], name: str, row: Any, labels: dict[Any, str], what: str,
             data: dict[str, Any] | None, today: date) -> tuple[Any, dict[str, Any], Problems]:
    """The move ``name`` of ``moves`` for ``row`` (a request or an objection), once it exists,
    ``actor`` may make it and it starts from ``row``'s state: (move, data, input problems)."""
    move = moves.get(name)
    if move is None:
        raise Invalid(f'Langkah "{name}" tidak dikenal.')
    require(actor, move.permission, row)
    if row.state not in move.sources:
        raise Conflict(f"{what} {row.number} sudah berstatus \"{labels[row.state]}\"; muat ulang halaman untuk "
                       "melihat keadaannya sekarang.")
    data = dict(data or {})
    return move, data, move.inputs(row, data, today)


def _swap_state(model: Any, row: Any, source: Any, target: Any, labels: dict[Any, str], what: str) -> None:
    """Compare and set in one statement: of two moves made at once (a double click, two
    officers), exactly one changes the row; the other is told it moved on."""
    moved = db.session.execute(
        update(model).where(model.id == row.id, model.state == source)
        .values(state=target, updated_at=utcnow()).execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        current = db.session.scalar(select(model.state).where(model.id == row.id))
        raise Conflict(f"{what} {row.number} baru saja diubah (status sekarang: "
                       f"\"{labels.get(current or source, str(current))}\"). Muat ulang halaman.")
    set_committed_value(row, "state", target)


def apply(actor: Actor, request: InformationRequest, name: str, data: dict[str, Any] | None = None, *,
          today: date, calendar: deadlines.WorkingCalendar, note: str = "") -> RequestEvent:
    """Make move ``name`` on ``request`` for ``actor``; the caller's unit of work commits.

    ``data``: what the move needs, already typed (dates as ``date``, amounts as ``int``);
    ``note``: what the applicant is told with it. Refused with ``Invalid`` (what is missing, by
    field), ``Forbidden`` or ``Conflict`` (the request moved on meanwhile).
    """
    move, data, problems = _checked(actor, TRANSITIONS, name, request, STATE_LABELS, "Permohonan", data, today)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        problems.setdefault("note", []).append(f"Paling panjang {TEXT_MAX} karakter.")
    if problems:
        raise Invalid(" ".join(m for messages in problems.values() for m in messages), details=problems)
    source = request.state
    target = move.target or source
    _swap_state(InformationRequest, request, source, target, STATE_LABELS, "Permohonan")
    step = Step(actor=actor, request=request, data=data, today=today, calendar=calendar, summary={})
    for effect in move.effects:
        effect(step)
    event = RequestEvent(request_id=request.id, action=name, from_state=str(source), to_state=str(target),
                         actor_id=getattr(actor, "id", None), actor_label=actor_label(actor), note=note,
                         data=_jsonable(data), created_at=utcnow())
    db.session.add(event)
    db.session.flush()
    audit(actor, f"ppid.{name}", "ppid_request", request.id,
          {"number": request.number, "from": str(source), "to": str(target), **step.summary})
    return event


def _jsonable(data: dict[str, Any]) -> dict[str, Any] | None:
    out = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    return out or None


# --------------------------------------------------------------------------- objections (keberatan)

# Pasal 35(1): the grounds of an objection, by letter. b-g may be settled by agreement (musyawarah).
GROUNDS = {
    "a": N_("Permohonan ditolak berdasarkan alasan pengecualian Pasal 17"),
    "b": N_("Informasi berkala (Pasal 9) tidak disediakan"),
    "c": N_("Permintaan informasi tidak ditanggapi"),
    "d": N_("Permintaan informasi ditanggapi tidak sebagaimana yang diminta"),
    "e": N_("Permintaan informasi tidak dipenuhi"),
    "f": N_("Pengenaan biaya yang tidak wajar"),
    "g": N_("Penyampaian informasi melebihi waktu yang diatur undang-undang"),
}
SETTLEABLE = frozenset("bcdefg")

OBJECTION_LABELS = {
    O.REGISTERED: N_("Keberatan terdaftar, menunggu tanggapan Atasan PPID"),
    O.ACCEPTED: N_("Keberatan diterima"),
    O.REJECTED: N_("Keberatan ditolak (keputusan PPID dikuatkan)"),
    O.SETTLED: N_("Diselesaikan secara musyawarah"),
    O.WITHDRAWN: N_("Keberatan dicabut"),
}


@dataclass(frozen=True)
class ObjectionMove:
    name: str
    label: str
    sources: frozenset[O]
    target: O | None
    permission: Permission
    inputs: Callable[[Objection, dict[str, Any], date], Problems]


def _decision_inputs(objection: Objection, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    _required(data, problems, "reasons", "Tuliskan pertimbangan dan alasan tanggapan atas keberatan.")
    _required(data, problems, "decider_name", "Tulis nama Atasan PPID yang memutuskan.")
    _required(data, problems, "decider_position", "Tulis jabatan Atasan PPID yang memutuskan.")
    return problems


def _settle_inputs(objection: Objection, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    if not set(objection.grounds) <= SETTLEABLE:
        problems["grounds"] = ["Keberatan atas penolakan berdasarkan Pasal 17 (alasan a) tidak dapat diselesaikan "
                               "secara musyawarah; putuskan dengan tanggapan tertulis."]
    _required(data, problems, "reasons", "Tuliskan kesepakatan musyawarahnya.")
    return problems


def _dispute_inputs(objection: Objection, data: dict[str, Any], today: date) -> Problems:
    problems: Problems = {}
    filed = data.get("filed_on")
    if not isinstance(filed, date) or filed > today or filed < objection.registered_on:
        problems["filed_on"] = ["Tulis tanggal sengketa didaftarkan di Komisi Informasi."]
    _required(data, problems, "register_number", "Tulis nomor register sengketa di Komisi Informasi.")
    return problems


def _objection_withdraw_inputs(objection: Objection, data: dict[str, Any], today: date) -> Problems:
    return {}


OBJECTION_MOVES: dict[str, ObjectionMove] = {m.name: m for m in (
    ObjectionMove("accept", N_("Keberatan diterima"), frozenset({O.REGISTERED}), O.ACCEPTED,
                  Permission.PPID_OBJECTION_DECIDE, _decision_inputs),
    ObjectionMove("reject", N_("Keberatan ditolak"), frozenset({O.REGISTERED}), O.REJECTED,
                  Permission.PPID_OBJECTION_DECIDE, _decision_inputs),
    ObjectionMove("settle", N_("Diselesaikan secara musyawarah"), frozenset({O.REGISTERED}), O.SETTLED,
                  Permission.PPID_OBJECTION_DECIDE, _settle_inputs),
    ObjectionMove("record_dispute", N_("Sengketa di Komisi Informasi dicatat"),
                  frozenset({O.REGISTERED, O.ACCEPTED, O.REJECTED}), None, Permission.PPID_OBJECTION_DECIDE,
                  _dispute_inputs),
    ObjectionMove("withdraw", N_("Keberatan dicabut"), frozenset({O.REGISTERED}), O.WITHDRAWN,
                  Permission.PPID_OBJECTION_WITHDRAW, _objection_withdraw_inputs),
)}


def apply_objection(actor: Actor, objection: Objection, name: str, data: dict[str, Any] | None = None, *,
                    today: date) -> None:
    """Make move ``name`` on ``objection`` (the only code that changes its state); the request's
    timeline records it, and the audit log."""
    move, data, problems = _checked(actor, OBJECTION_MOVES, name, objection, OBJECTION_LABELS, "Keberatan", data,
                                    today)
    if problems:
        raise Invalid(" ".join(m for messages in problems.values() for m in messages), details=problems)
    source = objection.state
    target = move.target or source
    _swap_state(Objection, objection, source, target, OBJECTION_LABELS, "Keberatan")
    recorded = _jsonable(data) or {}
    if name == "record_dispute":
        objection.dispute = recorded
    elif name != "withdraw":
        objection.decision = recorded
        objection.decided_on = today
    request = objection.request
    note = _text(data, "reasons") or _text(data, "reason")
    db.session.add(RequestEvent(request_id=request.id, action=f"objection_{name}", from_state=str(request.state),
                                to_state=str(request.state), actor_id=getattr(actor, "id", None),
                                actor_label=actor_label(actor), note=note, data={"objection": objection.number},
                                created_at=utcnow()))
    db.session.flush()
    audit(actor, f"ppid.objection.{name}", "ppid_objection", objection.id,
          {"number": objection.number, "request": request.number, "from": str(source), "to": str(target)})
