"""Domain errors and the one place that maps them to HTTP.

Services raise these, never HTTP exceptions. ``register(app)`` turns them (and Werkzeug's own
HTTP errors) into an HTML page or a JSON body, depending on where the request was going:
the CKAN Action API gets CKAN's error shape, the REST API gets ``{"error": {...}}``, pages get
a template that looks like the site and says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask, Response

# Flask is imported where a request is answered, not here: the offline commands
# (``satudata validate``) raise these errors without ever building the application.


class DomainError(Exception):
    """A refusal. The unit of work it escapes is rolled back (``db.unit_of_work``), unless
    ``keep_changes``: a refusal that is itself an outcome (a failed sign-in, which counts towards
    the lockout and is audited) keeps what the unit wrote, and still refuses."""

    status = 400
    ckan_type = "Validation Error"
    code = "invalid"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None, keep_changes: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.keep_changes = keep_changes


class NotFound(DomainError):
    status = 404
    ckan_type = "Not Found Error"
    code = "not_found"


class Unauthenticated(DomainError):
    """No valid credentials were given where they are needed."""

    status = 401
    ckan_type = "Authorization Error"
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    ckan_type = "Authorization Error"
    code = "forbidden"


class Invalid(DomainError):
    """Input that breaks a rule. ``details`` maps field names to lists of messages."""

    status = 409  # CKAN answers validation errors with 409; REST maps it to 422 below
    ckan_type = "Validation Error"
    code = "invalid"


class Conflict(DomainError):
    status = 409
    ckan_type = "Validation Error"
    code = "conflict"


class Gone(DomainError):
    """What was public here has been taken off on purpose (a withdrawn dataset): the message
    says so and why, where a ``NotFound`` would leave an old link's reader guessing."""

    status = 410
    ckan_type = "Not Found Error"
    code = "gone"


def _wants(prefixes: tuple[str, ...]) -> bool:
    from flask import request

    return request.path.startswith(prefixes)


def is_ckan_request() -> bool:
    return _wants(("/api/3/", "/api/action/"))


def is_rest_request() -> bool:
    from flask import request

    return _wants(("/api/v1/",)) or request.path in ("/healthz", "/readyz")


def ckan_error(status: int, err_type: str, message: str, fields: dict[str, Any] | None = None) -> Response:
    from flask import current_app, jsonify

    error: dict[str, Any] = {"__type": err_type, "message": message}
    if fields:
        error.update(fields)
    body = {
        "help": str(current_app.config["BASE_URL"]) + "/api/3/action/help_show?name=" + _action_name(),
        "success": False,
        "error": error,
    }
    resp = jsonify(body)
    resp.status_code = status
    return resp


def _action_name() -> str:
    from flask import request

    return request.path.rstrip("/").rsplit("/", 1)[-1]


def rest_error(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    from flask import jsonify

    resp = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    resp.status_code = status
    return resp


_CKAN_TYPES = {400: "Validation Error", 401: "Authorization Error", 403: "Authorization Error", 404: "Not Found Error",
               405: "Validation Error", 409: "Validation Error", 410: "Not Found Error", 413: "Validation Error"}


def _http_message(status: int) -> str:
    from flask_babel import gettext as _

    messages = {
        400: _("Permintaan tidak dapat diproses. Periksa kembali parameter yang dikirim."),
        403: _("Anda tidak memiliki izin untuk membuka halaman ini."),
        404: _("Halaman atau data yang Anda cari tidak ditemukan."),
        405: _("Metode HTTP ini tidak didukung untuk alamat ini."),
        413: _("Permintaan terlalu besar. Kirim berkas yang lebih kecil."),
        429: _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."),
        500: _("Terjadi kesalahan pada server. Tim kami sudah dicatat; coba lagi nanti."),
    }
    return messages.get(status, _("Terjadi kesalahan."))


def roll_back_refused(err: DomainError) -> None:
    """A refused action changes nothing and a forbidden one leaves a trace: roll back the unit
    of work (unless the refusal keeps its changes), then audit a :class:`Forbidden` as
    ``access.denied``. Views that catch a domain error to show it in their own page call this,
    as the error handler does; the request's unit then commits only what follows."""
    from satudata.extensions import db

    if not err.keep_changes:
        db.session.rollback()
    if isinstance(err, Forbidden):
        _record_denial(err)


# Writes the ``access.denied`` audit row: ``(actor, action, target_type, target_id, data)``.
# The audit log belongs to accounts, which registers its writer when the app starts (the
# kernel imports no domain); until then a refusal is not recorded.
DenialRecorder = Callable[[Any, str, str, str, dict[str, Any]], Any]
_denial_recorder: DenialRecorder | None = None


def record_denials_with(recorder: DenialRecorder) -> None:
    """Register the function that writes a refusal to the audit log (accounts does, at start-up)."""
    global _denial_recorder
    _denial_recorder = recorder


def _record_denial(err: DomainError) -> None:
    """Write ``access.denied`` for a refusal whose unit of work was rolled back already
    (:func:`roll_back_refused` is the one caller)."""
    from flask import g, request
    from flask_login import current_user

    from satudata.extensions import db

    if _denial_recorder is None:
        return
    # Flask-Login's anonymous user is ``authz.AnonymousActor`` (set in create_app).
    actor = getattr(g, "api_user", None) or current_user._get_current_object()
    if not getattr(actor, "is_authenticated", False) and not _anonymous_denial_allowed():
        return  # the refusal stands; only its audit row is skipped (see _anonymous_denial_allowed)
    _denial_recorder(actor, "access.denied", "request", f"{request.method} {request.path}"[:64],
          {"message": err.message})
    # The refusal's own unit of work: the request's was rolled back just before (or is one
    # whose refusal keeps its changes), and the audit row stands whatever the request does next.
    db.session.commit()


def _anonymous_denial_allowed() -> bool:
    """Anonymous refusals are audited up to ``AUDIT_ANONYMOUS_DENIALS_PER_MINUTE`` per client
    address, so a script hammering write endpoints cannot flood the audit log; a signed-in
    actor's refusals are always written. When Redis cannot count, the row is written."""
    from flask import current_app, request

    from satudata import jobs
    from satudata.extensions import client_network

    limit = int(current_app.config["AUDIT_ANONYMOUS_DENIALS_PER_MINUTE"])
    key = f"satudata:denials:{client_network()}"
    try:
        conn = jobs.get_redis()
        count = int(conn.incr(key))
        if count == 1:
            conn.expire(key, 60)
    except Exception:  # a counter outage must not hide refusals
        return True
    if count == limit + 1:
        current_app.logger.warning("Audit of anonymous refusals from %s paused for a minute (over %d)",
                                   request.remote_addr, limit)
    return count <= limit


def register(app: Flask) -> None:
    """Install the error handlers on the app."""
    from flask import current_app, render_template, request
    from flask_babel import gettext as _
    from werkzeug.exceptions import HTTPException

    @app.errorhandler(DomainError)
    def _domain(err: DomainError) -> Any:
        roll_back_refused(err)
        resp = current_app.make_response(_answer(err))
        if resp.status_code == 410:
            # What was taken off may come back (a withdrawn dataset republished): without this, a
            # browser keeps a 410 as fresh and shows the withdrawal after the dataset returned.
            resp.headers["Cache-Control"] = "no-cache"
        return resp

    def _answer(err: DomainError) -> Any:
        if is_ckan_request():
            return ckan_error(err.status, err.ckan_type, err.message, err.details or None)
        if is_rest_request():
            status = 422 if isinstance(err, Invalid) else err.status
            resp = rest_error(status, err.code, err.message, err.details)
            if status == 401:
                resp.headers["WWW-Authenticate"] = 'Bearer realm="satudata"'
            return resp
        if isinstance(err, Unauthenticated):
            from flask import redirect, url_for

            return redirect(url_for("accounts.login", next=request.full_path))
        status = 400 if isinstance(err, Invalid) else err.status
        return render_template("errors/error.html", status=status, message=err.message,
                               details=err.details), status

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> Any:
        from flask_wtf.csrf import CSRFError

        status = err.code or 500
        message = _http_message(status)
        if isinstance(err, CSRFError):
            app.logger.warning("CSRF refused on %s %s: %s", request.method, request.path, err.description)
            message = _("Formulir ini kedaluwarsa atau tidak lengkap (token keamanan tidak cocok). "
                        "Muat ulang halaman, lalu kirim lagi. Tidak ada yang berubah.")
        if is_ckan_request():
            return ckan_error(status, _CKAN_TYPES.get(status, "Error"), message)
        resp = err.get_response()
        keep = {k: v for k, v in resp.headers.items() if k.lower() in ("allow", "retry-after")}
        if is_rest_request():
            out = rest_error(status, (err.name or "error").lower().replace(" ", "_"), message)
            out.headers.update(keep)
            return out
        body = render_template("errors/error.html", status=status, message=message, details={})
        return body, status, keep

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> Any:
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        from satudata.extensions import db

        # A failed flush leaves the session unusable until it rolls back, and the error page
        # reads through it (the signed-in user): without this the page itself fails.
        db.session.rollback()
        message = _http_message(500)
        if is_ckan_request():
            return ckan_error(500, "Internal Server Error", message)
        if is_rest_request():
            return rest_error(500, "internal_error", message)
        return render_template("errors/error.html", status=500, message=message, details={}), 500
