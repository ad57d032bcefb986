"""The usulan pages.

- ``/usulan-data``: the public list (newest or most supported, by status, region, words);
  ``/usulan-data/<id>``: one suggestion, its supports ("Dukung") and the walidata's decision;
  ``/usulan-data/baru``: the form, which shows similar suggestions and datasets first. Filing
  and supporting need no account: rate limited per address, with a honeypot field, CSRF.
- ``/kelola/usulan-data``: the walidata's triage list (counts per state, filters) and each
  suggestion's decisions and moderation.

Views are thin: every change goes through ``usulan.services``, which authorise and audit it.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response as BaseResponse

from satudata.accounts.models import Organization
from satudata.authz import AnonymousActor, Permission, can, require
from satudata.catalog.models import Frequency
from satudata.errors import DomainError, Invalid, NotFound, Unauthenticated, roll_back_refused
from satudata.extensions import limiter
from satudata.review.daftar.models import YEAR_MAX
from satudata.usulan import services
from satudata.usulan.models import PUBLIC_STATES, Suggestion, SuggestionState

bp = Blueprint("usulan", __name__)

FILE_LIMIT = "10 per hour"  # suggestions per client address: a citizen files a few, a script many
SUPPORT_LIMIT = "30 per hour"  # supports per client address
HONEYPOT = "website"  # a field people never see; a form that fills it is a bot's
COOKIE = "usulan_pendukung"  # a random key, signed: one browser supports a suggestion once
COOKIE_AGE = 2 * 365 * 24 * 3600
ACTIONS = ("accept", "point", "redirect", "decline", "merge", "approve", "hide")


def signed_in() -> Any:
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()


def state_labels() -> dict[str, str]:
    return {"moderasi": _("Menunggu moderasi"), "baru": _("Menunggu tanggapan"), "diterima": _("Masuk Daftar Data"),
            "ada_dataset": _("Sudah ada datasetnya"), "ppid": _("Dialihkan ke permohonan PPID"),
            "ditolak": _("Ditolak"), "digabung": _("Digabung"), "disembunyikan": _("Disembunyikan")}


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"usulan_state_labels": state_labels}


def _errors(err: DomainError) -> dict[str, Any]:
    return {"_form": [err.message], **{k: v for k, v in (err.details or {}).items() if k != "_form"}}


# --------------------------------------------------------------------------- the supporter's browser key


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt="usulan-pendukung")


def _cookie_token() -> str | None:
    raw = request.cookies.get(COOKIE, "")
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) and 16 <= len(value) <= 64 else None


def _supporter(new_token: list[str]) -> str:
    """This browser's supporter key (a keyed hash of its cookie's random token); a browser
    without one gets a token, set on the answer (``new_token``)."""
    token = _cookie_token()
    if token is None:
        token = secrets.token_urlsafe(24)
        new_token.append(token)
    return services.client_hash(token, "pendukung")


def _known_supporter() -> str | None:
    token = _cookie_token()
    return services.client_hash(token, "pendukung") if token else None


def _with_cookie(resp: BaseResponse, new_token: list[str]) -> BaseResponse:
    if new_token:
        resp.set_cookie(COOKIE, _serializer().dumps(new_token[0]), max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return resp


# --------------------------------------------------------------------------- public


def _page_number() -> int:
    raw = request.args.get("halaman", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10_000 else 1


@bp.get("/usulan-data")
def index() -> Any:
    text = request.args.get("q", "").strip()[:200]
    raw_state = request.args.get("status", "")
    state = SuggestionState.parse(raw_state) if raw_state else None
    if raw_state and state not in PUBLIC_STATES:
        raise Invalid(_("Status tidak dikenal."), details={"status": [_("Pilih status dari daftar.")]})
    regions = services.region_choices()
    region = None
    if request.args.get("wilayah"):
        region = next((r for r in regions if r.slug == request.args["wilayah"]), None)
        if region is None:
            raise NotFound(_("Wilayah tidak ditemukan."))
    sort = request.args.get("urut", "terbaru")
    if sort not in services.SORTS:
        sort = "terbaru"
    page = _page_number()
    items, total = services.list_public(text=text, state=state, region=region, sort=sort, page=page)  # type: ignore[arg-type]
    pages = max(1, -(-total // services.PER_PAGE))
    return render_template("usulan/index.html", items=items, total=total, page=min(page, pages), pages=pages,
                           text=text, state=state, region=region, regions=regions, sort=sort,
                           counts=services.public_counts(region), states=PUBLIC_STATES,
                           can_triage=can(current_user, Permission.USULAN_TRIAGE))


def _form_choices() -> dict[str, Any]:
    return {"regions": services.region_choices(), "opds": services.opd_choices(), "topics": services.topic_choices()}


@bp.route("/usulan-data/baru", methods=["GET", "POST"])
@limiter.limit(FILE_LIMIT, methods=["POST"])
def new() -> Any:
    errors: dict[str, Any] = {}
    found: services.Similar | None = None
    if request.method == "POST":
        if request.form.get(HONEYPOT):
            abort(400)
        try:
            values = services.check_suggestion(request.form)
            if not request.form.get("lanjut"):
                found = services.similar(values["title"], values["region"])
            if not found:
                new_token: list[str] = []
                suggestion = services.file_suggestion(AnonymousActor(), request.form,
                                                      supporter=_supporter(new_token))
                if suggestion.state == SuggestionState.MODERATION:
                    return _with_cookie(Response(render_template("usulan/held.html", suggestion=suggestion)),
                                        new_token)
                flash(_("Terima kasih, usulan Anda terkirim sebagai #%(id)s dan tampil untuk publik. Ajak orang lain "
                        "mendukungnya.", id=suggestion.id), "success")
                return _with_cookie(redirect(url_for("usulan.detail", suggestion_id=suggestion.id)), new_token)
        except DomainError as err:
            roll_back_refused(err)
            errors = _errors(err)
    form = request.form if request.method == "POST" else {"region": request.args.get("wilayah", ""),
                                                          "title": request.args.get("judul", "")[:200]}
    if not services.FORM_KEY.fullmatch(str(form.get("form_key") or "")):
        # The form's one-time key: a second post of this form (a double click) finds the first.
        form = {**form, "form_key": secrets.token_urlsafe(24)}
    return render_template("usulan/form.html", form=form, errors=errors, similar=found, **_form_choices()), \
        400 if errors else 200


@bp.errorhandler(429)
def _too_many(err: Any) -> Any:
    """Over the limit: the form keeps what was typed and says when to send it again (an office
    or a school behind one address can reach the limit together)."""
    if request.method != "POST":
        return err
    if request.endpoint == "usulan.new":
        message = _("Terlalu banyak usulan dikirim dari alamat jaringan ini dalam satu jam. Isian Anda masih di "
                    "bawah; kirim lagi nanti.")
        return render_template("usulan/form.html", form=request.form, errors={"_form": [message]}, similar=None,
                               **_form_choices()), 429
    if request.endpoint == "usulan.support":
        flash(_("Terlalu banyak dukungan dari alamat jaringan ini dalam satu jam; coba lagi nanti."), "error")
        return redirect(url_for("usulan.detail", suggestion_id=request.view_args.get("suggestion_id", 0)
                                if request.view_args else 0)), 303
    return err


@bp.get("/usulan-data/<int:suggestion_id>")
def detail(suggestion_id: int) -> Any:
    suggestion = services.get_public_suggestion(suggestion_id)
    page = Response(render_template("usulan/detail.html", s=suggestion,
                                    supported=services.has_supported(suggestion, _known_supporter()),
                                    can_triage=can(current_user, Permission.USULAN_TRIAGE, suggestion)))
    # The browser's key is set with the page that shows "Dukung": two quick clicks then carry the
    # same key and count once (a key minted per click would count each).
    new_token: list[str] = []
    if suggestion.state in services.SUPPORTABLE:
        _supporter(new_token)
    if new_token:
        page.headers["Cache-Control"] = "private"  # carries this browser's key: never a shared cache's copy
    return _with_cookie(page, new_token)


@bp.post("/usulan-data/<int:suggestion_id>/dukung")
@limiter.limit(SUPPORT_LIMIT)
def support(suggestion_id: int) -> Any:
    if request.form.get(HONEYPOT):
        abort(400)
    suggestion = services.get_public_suggestion(suggestion_id)
    new_token: list[str] = []
    try:
        counted = services.support_suggestion(AnonymousActor(), suggestion, _supporter(new_token))
    except DomainError as err:
        roll_back_refused(err)
        flash(err.message, "error")
    else:
        if counted:
            flash(_("Terima kasih, dukungan Anda tercatat."), "success")
        else:
            flash(_("Dukungan dari peramban atau jaringan ini sudah tercatat; setiap pendukung dihitung sekali."),
                  "info")
    return _with_cookie(redirect(url_for("usulan.detail", suggestion_id=suggestion_id), 303), new_token)


# --------------------------------------------------------------------------- the walidata's triage


def _region(regions: list[Organization]) -> Organization | None:
    slug = request.args.get("wilayah", "")
    if not slug:
        return None
    found = next((r for r in regions if r.slug == slug), None)
    if found is None:
        raise NotFound(_("Wilayah tidak ditemukan."))
    return found


@bp.get("/kelola/usulan-data")
def triage() -> Any:
    user = signed_in()
    require(user, Permission.USULAN_TRIAGE)
    scope = services.triage_scope(user)
    regions = [r for r in services.region_choices() if scope is None or r.id in scope]
    region = _region(regions)
    raw_state = request.args.get("status", "")
    state = SuggestionState.parse(raw_state) if raw_state else None
    if raw_state and state is None:
        raise Invalid(_("Status tidak dikenal."), details={"status": [_("Pilih status dari daftar.")]})
    text = request.args.get("q", "").strip()[:200]
    page = _page_number()
    rows, total = services.triage_list(user, state=state, text=text, region=region, page=page)  # type: ignore[arg-type]
    pages = max(1, -(-total // services.TRIAGE_PER_PAGE))
    return render_template("usulan/triage.html", rows=rows, counts=services.count_states(user, region),
                           states=list(SuggestionState), state=state, regions=regions, region=region, text=text,
                           page=min(page, pages), pages=pages, total=total)


def _accept_defaults(user: Any, s: Suggestion) -> dict[str, Any]:
    year = services.next_year()
    return {"organization": str(s.organization_id or ""), "year": str(year), "title": s.title,
            "frequency": "tahunan", "release_date": f"{year}-12-31", "is_priority": ""}


def _triage_page(user: Any, s: Suggestion, *, errors: dict[str, Any] | None = None, action: str = "",
                 form: Any = None, existing: Any = None) -> str:
    from satudata.catalog.views.labels import enum_labels

    return render_template(
        "usulan/decide.html", s=s, errors=errors or {}, action=action, existing=existing,
        form=form if form is not None else {},
        accept_form=form if form is not None and action == "accept" else _accept_defaults(user, s),
        organizations=services.daftar_organizations(user, s), frequencies=enum_labels()["frequency"],
        datasets=services.similar(s.title, s.region, exclude=s.id).datasets if s.state == SuggestionState.NEW else [],
        targets=services.merge_targets(s)[:30] if s.state in services.TRANSITIONS["merge"].sources else [],
        moves={name: s.state in move.sources for name, move in services.TRANSITIONS.items()},
        year_min=services.this_year(), year_max=YEAR_MAX)


@bp.get("/kelola/usulan-data/<int:suggestion_id>")
def decide_page(suggestion_id: int) -> Any:
    user = signed_in()
    suggestion = services.get_suggestion(suggestion_id)
    require(user, Permission.USULAN_TRIAGE, suggestion)
    return _triage_page(user, suggestion)


def _int(value: str | None, name: str, message: str) -> int:
    raw = (value or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise Invalid(message, details={name: [message]})
    return int(raw)


def _date(value: str | None) -> Any:
    from datetime import date

    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise Invalid(_("Isi jadwal rilis (tanggal)."), details={"release_date": [
            _("Tanggal tidak valid; pilih tanggal, misalnya 2027-03-31.")]}) from None


def _apply(user: Any, s: Suggestion, action: str) -> str:
    """Make the decision ``action`` from the form; the message to flash."""
    form = request.form
    if action == "accept":
        org = next((o for o in services.daftar_organizations(user, s) if str(o.id) == form.get("organization")), None)
        if org is None:
            raise Invalid(_("Pilih OPD produsen di wilayah usulan."), details={"organization": [_("Pilih OPD.")]})
        year = _int(form.get("year"), "year", _("Tulis tahun Daftar Data %(a)s–%(b)s.", a=services.this_year(),
                                                b=YEAR_MAX))
        frequency = Frequency.parse(form.get("frequency", ""))
        if frequency is None:
            raise Invalid(_("Pilih frekuensi."), details={"frequency": [_("Pilih frekuensi.")]})
        item = services.accept_suggestion(user, s, org, year=year, title=form.get("title"), frequency=frequency,
                                          release_date=_date(form.get("release_date")),
                                          is_priority=bool(form.get("is_priority")),
                                          link_existing=form.get("link_existing") == "1")
        return _("Usulan #%(id)s masuk Daftar Data %(year)s sebagai \"%(title)s\".", id=s.id, year=item.year,
                 title=item.title)
    if action == "point":
        dataset = services.point_suggestion(user, s, form.get("dataset", ""), form.get("note", ""))
        return _("Usulan #%(id)s ditunjukkan ke dataset \"%(title)s\".", id=s.id, title=dataset.title)
    if action == "redirect":
        services.redirect_suggestion(user, s, form.get("note", ""))
        return _("Usulan #%(id)s dialihkan ke permohonan informasi PPID.", id=s.id)
    if action == "decline":
        services.decline_suggestion(user, s, form.get("reason", ""))
        return _("Usulan #%(id)s ditolak.", id=s.id)
    if action == "merge":
        target_id = _int(form.get("target"), "target", _("Pilih usulan tujuan."))
        services.merge_suggestion(user, s, services.get_suggestion(target_id))
        return _("Usulan #%(id)s digabung ke #%(target)s.", id=s.id, target=target_id)
    if action == "approve":
        services.approve_suggestion(user, s)
        return _("Usulan #%(id)s lolos moderasi dan tampil untuk publik.", id=s.id)
    services.hide_suggestion(user, s, form.get("reason", ""))
    return _("Usulan #%(id)s disembunyikan dari halaman publik.", id=s.id)


@bp.post("/kelola/usulan-data/<int:suggestion_id>/<action>")
def decide(suggestion_id: int, action: str) -> Any:
    user = signed_in()
    if action not in ACTIONS:
        raise NotFound(_("Tindakan tidak dikenal."))
    suggestion = services.get_suggestion(suggestion_id)
    require(user, Permission.USULAN_TRIAGE, suggestion)
    try:
        message = _apply(user, suggestion, action)
    except services.ExistingItem as err:
        roll_back_refused(err)
        suggestion = services.get_suggestion(suggestion_id)
        return _triage_page(user, suggestion, errors=_errors(err), action=action, form=request.form,
                            existing=err.item), 409
    except DomainError as err:
        roll_back_refused(err)
        suggestion = services.get_suggestion(suggestion_id)
        return _triage_page(user, suggestion, errors=_errors(err), action=action, form=request.form), \
            400 if isinstance(err, Invalid) else err.status
    flash(message, "success")
    return redirect(url_for("usulan.decide_page", suggestion_id=suggestion_id), 303)
