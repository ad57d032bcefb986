"""Search pages that are not the public catalogue listing: suggestions while typing and the
walidata's synonym list.

- ``GET /dataset/saran?q=...`` answers the search boxes' completions as JSON:
  ``{"q": ..., "suggestions": [{"title", "url"}], "available": true}``. Text that cannot be
  completed gives an empty list; text longer than a search box holds, a bad ``limit`` or a NUL
  character give a 400 with a JSON message; an unreachable engine gives an empty list with
  ``"available": false`` (the box then behaves as a plain form).
- ``GET/POST /admin/sinonim`` shows and replaces the synonym list (walidata and admins).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from satudata import search_limits as limits
from satudata.authz import Permission, require
from satudata.errors import Invalid, Unauthenticated
from satudata.extensions import db
from satudata.search import services as search
from satudata.search.backend import SearchUnavailable
from satudata.search.synonyms import MAX_LINE_CHARS, MAX_LINES, SynonymSet, SynonymSyntaxError

bp = Blueprint("search", __name__)

DEFAULT_SUGGESTIONS = 8
MAX_SUGGESTIONS = 20


def signed_in() -> Any:
    """The signed-in user, or a redirect to the sign-in page."""
    if not current_user.is_authenticated:
        raise Unauthenticated(_("Silakan masuk terlebih dahulu."))
    return current_user._get_current_object()


@bp.errorhandler(Invalid)
def _invalid(err: Invalid) -> Any:
    """Refused input: JSON for the suggestion endpoint (its caller is a script), the site's
    error page elsewhere (as the app-wide handler renders it). The NUL check of
    ``security.py`` runs before the view, so it lands here too."""
    if request.endpoint == "search.suggest":
        resp = jsonify({"error": {"code": err.code, "message": err.message, "details": err.details},
                        "suggestions": []})
        resp.status_code = 400
        return resp
    return render_template("errors/error.html", status=400, message=err.message, details=err.details), 400


def _limit() -> int:
    raw = request.args.get("limit", "").strip()
    if not raw:
        return DEFAULT_SUGGESTIONS
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_SUGGESTIONS:
        message = _("Parameter 'limit' harus bilangan bulat antara 1 dan %(n)s.", n=MAX_SUGGESTIONS)
        raise Invalid(message, details={"limit": [message]})
    return int(raw)


@bp.get("/dataset/saran")
def suggest() -> Response:
    """Dataset titles that complete what is typed in a search box, best first."""
    text = request.args.get("q", "")
    limits.check_suggest_text(text)  # SEARCH_MAX_SUGGEST_CHARS, as package_autocomplete
    limit = _limit()
    text = " ".join(text.split())
    available = True
    found = []
    if any(ch.isalnum() for ch in text):
        try:
            found = search.suggest_titles(text, limit)
        except SearchUnavailable:
            available = False  # the box falls back to a plain form; the listing has its own fallback
    resp = jsonify({
        "q": text,
        "suggestions": [{"title": s.title, "url": url_for("catalog.dataset", slug=s.slug)} for s in found if s.slug],
        "available": available,
    })
    # The same few letters are typed by many people; a minute is short enough for new titles
    # and synonym edits to show soon.
    resp.headers["Cache-Control"] = "public, max-age=60" if available else "no-store"
    return resp


# --------------------------------------------------------------------------- synonyms


def _group_count(text: str) -> int | None:
    try:
        return len(SynonymSet.parse(text).groups)
    except SynonymSyntaxError:
        return None


@bp.route("/admin/sinonim", methods=["GET", "POST"])
def synonyms() -> Any:
    """The synonym list of the search: shown, explained and replaced as one text."""
    user = signed_in()
    require(user, Permission.CATALOG_TOPIC_MANAGE)
    errors: dict[str, list[str]] = {}
    text: str | None = None
    if request.method == "POST":
        if "synonyms" not in request.form:
            # A form without the field must not wipe the list.
            errors = {"_form": [_("Isian daftar padanan kata tidak terkirim; tidak ada yang diubah.")]}
        else:
            text = request.form["synonyms"].replace("\r\n", "\n")
            try:
                groups = search.update_synonyms(user, text)
                flash(_("Daftar padanan kata disimpan (%(n)s kelompok). Berlaku mulai pencarian berikutnya.",
                        n=groups), "success")
                return redirect(url_for("search.synonyms"))
            except Invalid as err:
                db.session.rollback()
                errors = {"_form": [err.message]}
    current = search.synonyms_text()
    shown = current if text is None else text
    return render_template(
        "search/synonyms.html",
        text=shown,
        groups=_group_count(current),
        errors=errors,
        max_lines=MAX_LINES,
        max_line_chars=MAX_LINE_CHARS,
        max_chars=search.MAX_SYNONYMS_CHARS,
        is_admin=bool(getattr(user, "is_admin", False)),
    ), 400 if errors else 200
