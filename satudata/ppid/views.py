"""PPID pages: the public service (how to ask, the request form, its receipt, tracking a request,
the register) and the officers' inbox with the moves of ``transitions``."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from satudata.authz import AnonymousActor, Permission, can
from satudata.errors import DomainError, Invalid, Unauthenticated, roll_back_refused
from satudata.extensions import limiter
from satudata.ppid import attachments, open_data, services, transitions
from satudata.ppid.models import Channel, CopyMethod, ObtainMethod, RequestState
from satudata.ppid.policy import is_atasan, is_officer
from satudata.ppid.serializers import RequestInput

bp = Blueprint("ppid", __name__)

FILE_LIMIT = "10 per hour"  # filings per client address: a citizen files a few, a script many
HONEYPOT = "website"
OPEN_DATA = "propose_open_data"  # not a move of the request: a draft dataset made from it
NO_OPEN_DATA = frozenset({RequestState.SPAM, RequestState.NOT_ENTITLED, RequestState.WITHDRAWN, RequestState.REFUSED})  # a field people never see; a form that fills it is a bot's


def _form_errors(err: DomainError) -> dict[str, Any]:
    return {"_form": [err.message], **{k: v for k, v in (err.details or {}).items() if k != "_form"}}


def _load_request(form: Any) -> dict[str, Any]:
    data = {key: form.get(key, "") for key in RequestInput().fields}
    try:
        return RequestInput().load(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_form": exc.messages}
        raise Invalid(_("Periksa isian yang ditandai."), details=messages) from exc


def _scan() -> services.Scan | None:
    upload = request.files.get("identity_scan")
    if upload is None or not upload.filename:
        return None
    limit = int(current_app.config["PPID_SCAN_MAX_BYTES"])
    data = upload.stream.read(limit + 1)  # never more than one byte past the limit
    return services.Scan(data=data, filename=upload.filename)


def _file_from_form(actor: Any, *, scan_required: bool, **options: Any) -> services.Filed:
    """File the form's request; every problem of the form and of the scan is reported at once."""
    scan = _scan()
    try:
        form = _load_request(request.form)
    except Invalid as err:
        problem = services.scan_problem(scan, scan_required)
        if problem:
            err.details = {**(err.details or {}), "identity_scan": [problem]}
        elif scan is not None:
            err.details = {**(err.details or {}), "identity_scan": [
                _("Berkas pindaian tidak ikut tersimpan selama isian lain belum benar: pilih berkasnya lagi.")]}
        raise
    return services.file_request(actor, form, scan=scan, scan_required=scan_required, **options)


def _choices() -> dict[str, Any]:
    return {"targets": services.targets(), "utama": services.ppid_utama(),
            "scan_max_mb": int(current_app.config["PPID_SCAN_MAX_BYTES"]) // 1_048_576,
            "obtain_methods": ObtainMethod.values(), "copy_methods": CopyMethod.values()}


# --------------------------------------------------------------------------- public


@bp.route("/ppid")
def home() -> Any:
    entries, total = services.public_register(1, 5)
    return render_template("ppid/home.html", recent=entries, total=total, utama=services.ppid_utama())


@bp.route("/ppid/permohonan", methods=["GET", "POST"])
@limiter.limit(FILE_LIMIT, methods=["POST"])
def new_request() -> Any:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if request.form.get(HONEYPOT):
            abort(400)
        try:
            filed = _file_from_form(AnonymousActor(), scan_required=True)
        except DomainError as err:
            roll_back_refused(err)
            errors = _form_errors(err)
        else:
            # Shown once, on this answer (not a redirect: the code must not sit in a URL the
            # browser keeps in its history for a page anyone could reload).
            return render_template("ppid/filed.html", filed=filed, req=filed.request,
                                   clock=services.clock_of(filed.request))
    return render_template("ppid/request_form.html", form=request.form, errors=errors, **_choices()), \
        400 if errors else 200


@bp.errorhandler(429)
def _too_many(err: Any) -> Any:
    """The request form over its limit keeps what the applicant typed and says when to send it
    (an office or a school behind one address can reach the limit together)."""
    if request.endpoint != "ppid.new_request" or request.method != "POST":
        return err
    message = _("Terlalu banyak permohonan dikirim dari alamat jaringan ini dalam satu jam. Isian Anda masih di "
                "bawah; kirim lagi nanti, atau ajukan lewat surel atau datang langsung ke PPID.")
    return render_template("ppid/request_form.html", form=request.form, errors={"_form": [message]},
                           **_choices()), 429


@bp.route("/ppid/lacak", methods=["GET"])
def track_form() -> Any:
    number, code = request.args.get("nomor", "").strip(), request.args.get("kode", "").strip()
    if number and code:
        return redirect(url_for("ppid.track", number=number, kode=code))
    return render_template("ppid/track_form.html", number=number)


@bp.route("/ppid/lacak/<number>", methods=["GET"])
def track(number: str) -> Any:
    code = request.args.get("kode", "")
    return _track_page(services.for_applicant(number, code), code)


def _track_page(req: Any, code: str, objection_errors: dict[str, Any] | None = None,
                objection_form: Any = None) -> str:
    grounds = services.objection_grounds(req)
    return render_template("ppid/track.html", req=req, code=code, clock=services.clock_of(req),
                           open_data=open_data.open_data_of(req), files=attachments.for_request(req),
                           timeline=services.timeline(req), labels=transitions.STATE_LABELS,
                           can_withdraw=req.state in transitions.TRANSITIONS["withdraw"].sources,
                           grounds=grounds, can_object=any(g.available for g in grounds)
                           and services.open_objection(req) is None,
                           objection_labels=transitions.OBJECTION_LABELS, open_objection=services.open_objection(req),
                           objection_errors=objection_errors or {}, objection_form=objection_form or {})


@bp.route("/ppid/lacak/<number>/cabut", methods=["POST"])
def track_withdraw(number: str) -> Any:
    code = request.form.get("kode", "")
    try:
        services.withdraw(number, code, request.form.get("reason", ""))
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
    else:
        flash(_("Permohonan dicabut."), "success")
    return redirect(url_for("ppid.track", number=number, kode=code))


@bp.route("/ppid/lacak/<number>/keberatan", methods=["POST"])
def track_objection(number: str) -> Any:
    """The applicant files a keberatan from their tracking page."""
    code = request.form.get("kode", "")
    form = {"grounds": request.form.getlist("grounds"), "case_summary": request.form.get("case_summary", ""),
            "proxy_name": request.form.get("proxy_name", ""), "proxy_letter": request.form.get("proxy_letter", "")}
    try:
        objection = services.file_objection(number, code, form)
    except DomainError as err:
        roll_back_refused(err)
        req = services.for_applicant(number, code)
        return _track_page(req, code, objection_errors=_form_errors(err), objection_form=request.form), 400
    flash(_("Keberatan terdaftar dengan nomor %(number)s.", number=objection.number), "success")
    return redirect(url_for("ppid.track", number=number, kode=code))


@bp.route("/ppid/lacak/<number>/keberatan/cabut", methods=["POST"])
def track_objection_withdraw(number: str) -> Any:
    code = request.form.get("kode", "")
    try:
        services.withdraw_objection(number, code)
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
    else:
        flash(_("Keberatan dicabut."), "success")
    return redirect(url_for("ppid.track", number=number, kode=code))


@bp.route("/ppid/register")
def register() -> Any:
    page = max(request.args.get("halaman", 1, type=int) or 1, 1)
    entries, total = services.public_register(page)
    pages = max(1, -(-total // services.REGISTER_PAGE))
    return render_template("ppid/register.html", entries=entries, total=total, page=min(page, pages), pages=pages)


OUTCOME_SERIES = (("granted", "Dikabulkan seluruhnya"), ("granted_in_part", "Dikabulkan sebagian"),
                  ("refused", "Ditolak"), ("not_held", "Informasi tidak dikuasai"),
                  ("not_documented", "Informasi belum didokumentasikan"))


@bp.route("/ppid/statistik")
def statistics() -> Any:
    years = services.statistics_years()
    year = request.args.get("tahun", type=int) or years[0]
    if year not in years:
        year = years[0]
    per_ppid, total = services.statistics(year)
    chart = {"type": "bar", "label_title": _("PPID"), "labels": [s.name for s in per_ppid],
             "series": [{"name": key, "label": _(label), "values": [(s.outcomes or {}).get(key, 0) for s in per_ppid]}
                        for key, label in OUTCOME_SERIES]} if per_ppid else None
    return render_template("ppid/statistics.html", year=year, years=years, per_ppid=per_ppid, total=total,
                           chart=chart, outcomes=OUTCOME_SERIES, labels=transitions.STATE_LABELS,
                           exemptions=transitions.EXEMPTIONS)


# --------------------------------------------------------------------------- officers


def ppid_officer() -> Any:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    user = current_user._get_current_object()
    if not is_officer(user):
        from satudata.errors import Forbidden

        raise Forbidden(_("Halaman ini untuk petugas PPID."))
    return user


@bp.route("/kelola/ppid")
def inbox() -> Any:
    user = ppid_officer()
    state, org, channel = (request.args.get(k, "") for k in ("status", "opd", "kanal"))
    if state and state not in RequestState.values():
        state = ""
    if channel and channel not in Channel.values():
        channel = ""
    requests = services.inbox(user, state=state, organization=org, channel=channel,
                              include_closed=request.args.get("semua") == "1")
    cal, today = services.calendar(), services.today()
    rows = [(r, services.clock_of(r, today, cal)) for r in requests]
    return render_template("ppid/inbox.html", rows=rows, state=state, org=org, channel=channel,
                           labels=transitions.STATE_LABELS, targets=services.targets(), channels=Channel.values(),
                           show_all=request.args.get("semua") == "1",
                           keeps_calendar=can(user, Permission.PPID_CALENDAR_MANAGE))


@bp.route("/kelola/ppid/tenggat")
def due_date() -> Any:
    """Ask the clock: the date ``hari`` working days after ``dari`` (day 0) on the portal's
    calendar, and the days off it passes (what ``satudata ppid due`` prints)."""
    from satudata.ppid.deadlines import CalendarRangeError

    ppid_officer()
    start_text, days_text = request.args.get("dari", "").strip(), request.args.get("hari", "10").strip()
    errors: dict[str, list[str]] = {}
    answer = None
    if start_text:
        try:
            start = _date(start_text, "dari")
            days = _int(days_text, "hari", _("Tulis jumlah hari kerja, 1 sampai 60."))
            if start is None or days is None or not 1 <= days <= 60:
                raise Invalid(_("Tulis jumlah hari kerja, 1 sampai 60."),
                              details={"hari": [_("Tulis jumlah hari kerja, 1 sampai 60.")]})
            cal = services.calendar()
            due = cal.add_working_days(start, days)
            passed = cal.days_off(start, due)
            answer = {"start": start, "days": days, "due": due,
                      "skipped": [d for d in passed if not d.is_plain_weekend],
                      "weekends": sum(1 for d in passed if d.is_plain_weekend)}
        except (CalendarRangeError, Invalid) as err:
            errors = _form_errors(err)
    return render_template("ppid/due.html", start=start_text, days=days_text, answer=answer, errors=errors), \
        400 if errors else 200


@bp.route("/kelola/ppid/catat", methods=["GET", "POST"])
def record() -> Any:
    """An officer records a request received by mail, letter, phone or in person."""
    user = ppid_officer()
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            channel = Channel.parse(request.form.get("channel"))
            if channel is None or channel == Channel.WEB:
                raise Invalid(_("Pilih saluran permohonan."), details={"channel": [_("Pilih saluran permohonan.")]})
            received = _date(request.form.get("received_on", ""), "received_on")
            filed = _file_from_form(user, scan_required=False, channel=channel, received_on=received)
        except DomainError as err:
            roll_back_refused(err)
            errors = _form_errors(err)
        else:
            return render_template("ppid/filed.html", filed=filed, req=filed.request,
                                   clock=services.clock_of(filed.request), recorded=True)
    return render_template("ppid/request_form.html", form=request.form, errors=errors, officer=True,
                           channels=[c for c in Channel.values() if c != "web"], **_choices()), 400 if errors else 200


def _date(text: str, field: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(_("Tanggal tidak valid."), details={field: [_("Tulis tanggal yang valid (TTTT-BB-HH).")]}) from exc


def _int(text: str, field: str, message: str) -> int | None:
    text = (text or "").strip().replace(".", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise Invalid(message, details={field: [message]}) from exc


def _move_data(action: str, form: Any) -> dict[str, Any]:
    """The typed input of a move from its form (``transitions`` checks what the law requires)."""
    data: dict[str, Any] = {k: form.get(k, "") for k in (
        "reason", "given", "form", "delivery", "consequence_test", "holder", "means", "to")}
    data["holder_unknown"] = form.get("holder_unknown") == "1"
    data["exemptions"] = form.getlist("exemptions")
    if action == "extend":
        data["days"] = _int(form.get("days", ""), "days", _("Tulis jumlah hari kerja perpanjangan (1 sampai 7)."))
    if action in ("grant", "grant_in_part"):
        data["datasets"] = [x.strip().rstrip("/").rsplit("/", 1)[-1] for x in form.get("datasets", "").replace(
            "\n", ",").split(",") if x.strip()]
    if action in ("grant", "grant_in_part", "record_delivery"):
        data["cost"] = _int(form.get("cost", ""), "cost", _("Tulis biaya dalam rupiah, angka saja (0 bila tanpa biaya)."))
    if action == "not_documented":
        data["available_on"] = _date(form.get("available_on", ""), "available_on")
    if action == "record_delivery":
        data["delivered_on"] = _date(form.get("delivered_on", ""), "delivered_on")
    if action == "grant_in_part":
        data["redactions"] = [
            {"part": part, "exemptions": [letter] if letter else [], "reason": reason}
            for part, letter, reason in zip(form.getlist("redaction_part"), form.getlist("redaction_exemption"),
                                            form.getlist("redaction_reason"), strict=False)
            if part.strip() or reason.strip()]
    return {k: v for k, v in data.items() if v not in ("", None, [])}


@bp.route("/kelola/ppid/<number>", methods=["GET", "POST"])
def detail(number: str) -> Any:
    user = ppid_officer()
    req = services.get_for_officer(user, number)
    errors: dict[str, Any] = {}
    action = request.form.get("action", "")
    if request.method == "POST":
        try:
            if action == OPEN_DATA:
                dataset = open_data.propose_open_data(user, req, title=request.form.get("title", ""),
                                                     description=request.form.get("description", ""))
            else:
                services.act(user, req, action, _move_data(action, request.form), note=request.form.get("note", ""))
        except DomainError as err:
            roll_back_refused(err)
            errors = _form_errors(err)
            req = services.get_for_officer(user, number)
        else:
            if action == OPEN_DATA:
                flash(_("Draf dataset \"%(title)s\" dibuat di ruang kerja %(org)s dan produsennya diberi tahu; "
                        "dataset terbit setelah ditinjau walidata.", title=dataset.title, org=req.handler.name),
                      "success")
            else:
                flash(_("Tersimpan: %(label)s.", label=_(transitions.TRANSITIONS[action].label)), "success")
            return redirect(url_for("ppid.detail", number=number))
    identity = services.identity_number(user, req) if request.args.get("identitas") == "1" else None
    return render_template("ppid/detail.html", req=req, clock=services.clock_of(req), errors=errors,
                           failed_action=action if errors else "", moves=transitions.available(req),
                           labels=transitions.STATE_LABELS, timeline=services.timeline(req),
                           exemptions=transitions.EXEMPTIONS, routing_targets=services.routing_targets(req),
                           identity=identity, form=request.form, open_data=open_data.open_data_of(req, published_only=False),
                           files=attachments.for_request(req), can_attach=req.state in attachments.ANSWERED,
                           attachment_types=", ".join(e.upper() for e in attachments.EXTENSIONS),
                           attachment_max_mb=int(current_app.config["PPID_ATTACHMENT_MAX_BYTES"]) // 1_048_576,
                           can_propose=req.state not in NO_OPEN_DATA), 400 if errors else 200


def _send_attachment(attachment: Any) -> Any:
    from flask import send_file

    response = send_file(attachments.path_of(attachment), mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.filename, conditional=True, etag=attachment.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/ppid/lacak/<number>/lampiran/<int:attachment_id>")
def applicant_attachment(number: str, attachment_id: int) -> Any:
    """A file of the answer, for the applicant (the tracking code opens it, as the page)."""
    req = services.for_applicant(number, request.args.get("kode", ""))
    return _send_attachment(attachments.get(req, attachment_id))


@bp.route("/kelola/ppid/<number>/lampiran", methods=["POST"])
def add_attachment(number: str) -> Any:
    user = ppid_officer()
    req = services.get_for_officer(user, number)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise Invalid(_("Pilih berkas jawaban yang akan dilampirkan."),
                          details={"file": [_("Pilih berkas jawaban yang akan dilampirkan.")]})
        added = attachments.add(user, req, upload.stream, upload.filename)
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
    else:
        flash(_("Lampiran \"%(name)s\" ditambahkan; pemohon dapat mengunduhnya dari halaman pelacakan.",
                name=added.filename), "success")
    return redirect(url_for("ppid.detail", number=number) + "#lampiran")


@bp.route("/kelola/ppid/<number>/lampiran/<int:attachment_id>", methods=["GET"])
def officer_attachment(number: str, attachment_id: int) -> Any:
    user = ppid_officer()
    return _send_attachment(attachments.get(services.get_for_officer(user, number), attachment_id))


@bp.route("/kelola/ppid/<number>/lampiran/<int:attachment_id>/hapus", methods=["POST"])
def remove_attachment(number: str, attachment_id: int) -> Any:
    user = ppid_officer()
    try:
        attachments.remove(user, services.get_for_officer(user, number), attachment_id)
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
    else:
        flash(_("Lampiran ditarik dari jawaban."), "success")
    return redirect(url_for("ppid.detail", number=number) + "#lampiran")


@bp.route("/kelola/ppid/<number>/identitas")
def identity_scan(number: str) -> Any:
    """The applicant's identity scan, for the officers handling the request (each opening is
    audited); never cached, never guessed as another type, never run as a page."""
    user = ppid_officer()
    data, media_type, filename = services.identity_scan(user, services.get_for_officer(user, number))
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    return response


# --------------------------------------------------------------------------- Atasan PPID


def ppid_atasan() -> Any:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    user = current_user._get_current_object()
    if not is_atasan(user):
        from satudata.errors import Forbidden

        raise Forbidden(_("Halaman ini untuk Atasan PPID."))
    return user


@bp.route("/kelola/keberatan")
def objection_inbox() -> Any:
    user = ppid_atasan()
    show_all = request.args.get("semua") == "1"
    objections = services.objection_inbox(user, include_closed=show_all)
    cal, today = services.calendar(), services.today()
    rows = [(o, (cal.working_days_between(today, o.due_on) if today <= o.due_on
                 else -cal.working_days_between(o.due_on, today))) for o in objections]
    return render_template("ppid/objection_inbox.html", rows=rows, labels=transitions.OBJECTION_LABELS,
                           show_all=show_all)


@bp.route("/kelola/keberatan/<number>", methods=["GET", "POST"])
def objection_detail(number: str) -> Any:
    user = ppid_atasan()
    objection = services.get_objection(user, number)
    errors: dict[str, Any] = {}
    action = request.form.get("action", "")
    if request.method == "POST":
        data: dict[str, Any] = {k: request.form.get(k, "") for k in (
            "reasons", "decider_name", "decider_position", "register_number", "status")}
        try:
            if action == "record_dispute":
                data["filed_on"] = _date(request.form.get("filed_on", ""), "filed_on")
            services.decide_objection(user, objection, action, {k: v for k, v in data.items() if v not in ("", None)})
        except DomainError as err:
            roll_back_refused(err)
            errors = _form_errors(err)
            objection = services.get_objection(user, number)
        else:
            flash(_("Tersimpan: %(label)s.", label=_(transitions.OBJECTION_MOVES[action].label)), "success")
            return redirect(url_for("ppid.objection_detail", number=number))
    moves = [m for m in transitions.OBJECTION_MOVES.values() if objection.state in m.sources]
    return render_template("ppid/objection_detail.html", objection=objection, req=objection.request, moves=moves,
                           errors=errors, failed_action=action if errors else "", form=request.form,
                           grounds=transitions.GROUNDS, labels=transitions.OBJECTION_LABELS,
                           request_labels=transitions.STATE_LABELS, timeline=services.timeline(objection.request),
                           user=user), 400 if errors else 200


# --------------------------------------------------------------------------- Daftar Informasi Publik

N_ = transitions.N_
DIP_LABELS = {"berkala": N_("Informasi berkala"), "serta_merta": N_("Informasi serta merta"),
              "setiap_saat": N_("Informasi tersedia setiap saat"), "dikecualikan": N_("Informasi yang dikecualikan")}


@bp.route("/ppid/dip")
def dip() -> Any:
    q, category = request.args.get("q", "").strip()[:200], request.args.get("kategori", "")
    entries = services.dip_entries(q=q, category=category)
    return render_template("ppid/dip.html", entries=entries, q=q, category=category, labels=DIP_LABELS,
                           categories=services.DIP_CATEGORIES, exemptions=transitions.EXEMPTIONS)


@bp.route("/ppid/dip/saran")
def dip_suggestions() -> Any:
    """DIP lines matching what an applicant is typing (JSON for the request form's suggestions):
    public and periodic information they may open without asking; exempt lines are left out."""
    from flask import jsonify

    q = request.args.get("q", "").strip()[:200]
    entries = [e for e in services.dip_entries(q=q) if e.category != "dikecualikan"][:5] if len(q) >= 3 else []
    return jsonify({"data": [{"title": e.title, "holder": e.organization.name,
                              "url": e.url or url_for("ppid.dip", q=e.title)} for e in entries]})


def _load_dip(form: Any) -> dict[str, Any]:
    from satudata.ppid.serializers import DipEntryInput

    data = {key: form.get(key, "") for key in DipEntryInput().fields}
    try:
        return DipEntryInput().load(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_form": exc.messages}
        raise Invalid(_("Periksa isian yang ditandai."), details=messages) from exc


@bp.route("/kelola/ppid/dip", methods=["GET", "POST"])
def dip_manage() -> Any:
    user = ppid_officer()
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            services.create_dip_entry(user, _load_dip(request.form))
        except DomainError as err:
            roll_back_refused(err)
            errors = _form_errors(err)
        else:
            flash(_("Baris DIP ditambahkan."), "success")
            return redirect(url_for("ppid.dip_manage"))
    units = services.dip_units(user)
    entries = [e for e in services.dip_entries() if e.organization in units]
    return render_template("ppid/dip_manage.html", entries=entries, units=units, errors=errors,
                           form=request.form if errors else {}, labels=DIP_LABELS, categories=services.DIP_CATEGORIES,
                           entry=None), 400 if errors else 200


@bp.route("/kelola/ppid/dip/<int:entry_id>", methods=["GET", "POST"])
def dip_edit(entry_id: int) -> Any:
    user = ppid_officer()
    entry = services.get_dip_entry(entry_id)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            if request.form.get("action") == "delete":
                services.delete_dip_entry(user, entry)
                flash(_("Baris DIP dihapus."), "success")
                return redirect(url_for("ppid.dip_manage"))
            services.update_dip_entry(user, entry, _load_dip(request.form))
        except DomainError as err:
            roll_back_refused(err)
            errors = _form_errors(err)
            entry = services.get_dip_entry(entry_id)
        else:
            flash(_("Baris DIP disimpan."), "success")
            return redirect(url_for("ppid.dip_manage"))
    form = request.form if errors else {
        "organization": entry.organization.slug, "category": str(entry.category), "title": entry.title,
        "responsible": entry.responsible, "made": entry.made, "form": entry.form, "retention": entry.retention,
        "url": entry.url, "exemption": entry.exemption, "consequence_test": entry.consequence_test}
    return render_template("ppid/dip_manage.html", entries=[], units=services.dip_units(user), errors=errors,
                           form=form, labels=DIP_LABELS, categories=services.DIP_CATEGORIES,
                           entry=entry), 400 if errors else 200
