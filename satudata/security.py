"""Web security baseline: security headers on every response, secure session cookies, and
rate limits (Flask-Limiter on the portal's Redis).

The Content-Security-Policy allows no inline script and no third-party origin: pages load
their JavaScript from /static only, and data for scripts travels in
``<script type="application/json">`` elements, which browsers never execute.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.sansio.utils import host_is_trusted

from satudata.errors import Invalid, NotFound, is_ckan_request
from satudata.extensions import limiter

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Pages made to be embedded in other sites (the datastore's charts, ``/embed/...``): the same
# policy without ``frame-ancestors``, so any page may frame them (``*`` would still refuse
# parents whose scheme is not a network one).
EMBED_CSP = "; ".join(part for part in CSP.split("; ") if not part.startswith("frame-ancestors"))

# Limits on the forms that attackers aim at. Exceeding one answers 429 with a clear message.
LOGIN_LIMIT = "10 per minute; 100 per hour"
RESET_LIMIT = "5 per minute; 20 per hour"
PUBLIC_FORM_LIMIT = "10 per minute; 60 per hour"


def _storage_uri(app: Flask) -> str:
    # `satudata run` exports the embedded Redis URL before starting the web server; a
    # one-off command (db upgrade, demo load) serves no requests and counts in memory.
    url = app.config.get("REDIS_URL")
    if not url:
        return "memory://"
    if url.startswith("unix://"):
        return "redis+unix://" + url[len("unix://"):]
    return url


def public_url(path: str = "") -> str:
    """The absolute public address of ``path`` (a path on this portal, e.g. ``/api/v1``).

    Built from ``BASE_URL``, never from the request's Host header, which the client chooses.
    """
    return str(current_app.config["BASE_URL"]) + path


PROBES = ("/healthz", "/readyz")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, limited to what an integer key column holds (PostgreSQL's
    ``integer``): a larger number names no record and is a 404, not a database overflow."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=2**31 - 1 if max is None else max,
                         signed=signed)


class TrustedHosts:
    """WSGI middleware: answer 400 to a request whose Host (after the configured proxies) is
    not one of ``ALLOWED_HOSTS``, before Flask routes it.

    Flask's own ``TRUSTED_HOSTS`` check (left unset) fails inside routing, where even the error page cannot
    build its links; a plain answer here is simpler and says what an operator must change.
    """

    def __init__(self, wsgi_app: Any, trusted: list[str]) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = trusted

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        from werkzeug.sansio.utils import get_host
        from werkzeug.wrappers import Response as WResponse

        host = get_host(environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST"),
                        (environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT")))
        # Health probes come from orchestrators by IP address and build no links.
        if host_is_trusted(host, self.trusted) or environ.get("PATH_INFO") in PROBES:
            return self.wsgi_app(environ, start_response)
        body = ("400 Permintaan ditolak: alamat host tidak dikenal portal ini.\n"
                "Buka portal melalui alamat resminya. Operator: atur SATUDATA_BASE_URL "
                "(dan SATUDATA_ALLOWED_HOSTS bila portal punya nama lain).\n")
        return WResponse(body, status=400, mimetype="text/plain")(environ, start_response)


def _json_body_has_nul() -> bool:
    """Refuse a JSON body nested deeper than ``JSON_MAX_DEPTH`` (read as text, before Python's
    recursive parser sees it), then parse it once (Flask caches it for the view) and look for
    NUL in any key or string."""
    from satudata.limits import check_json_depth

    check_json_depth(request.get_data(cache=True), field="body")
    stack: list[Any] = [request.get_json(silent=True)]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            if any("\x00" in key for key in value):
                return True
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _signed_in() -> bool:
    from flask import g
    from flask_login import current_user

    if "Authorization" in request.headers or getattr(g, "api_user", None) is not None:
        return True
    return bool(getattr(current_user, "is_authenticated", False))


def init_app(app: Flask) -> None:
    """Install the host check, the proxy headers, cookie flags, rate limits and headers. Called
    before the blueprints are registered (the URL converter must be in place first)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.wsgi_app = TrustedHosts(app.wsgi_app, list(app.config["ALLOWED_HOSTS"]))  # type: ignore[method-assign]
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Believe exactly that many proxies' X-Forwarded-* headers (client address for rate
        # limits and the audit log, https for secure cookies); Host stays checked below.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,  # type: ignore[method-assign]
                                x_prefix=proxies)
    base_https = str(app.config.get("BASE_URL", "")).startswith("https://")
    app.config.setdefault("SESSION_COOKIE_SECURE", base_https)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", base_https)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("RATELIMIT_STORAGE_URI", _storage_uri(app))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Redis down must not turn sign-in and password resets into server errors: the limits are
    # then counted in this process's memory until Redis answers again (Flask-Limiter checks).
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)

    @app.before_request
    def _refuse_nul() -> None:
        # PostgreSQL cannot store NUL in text and no form or query has a use for it; refuse it
        # at the door rather than let it reach a query and fail as a server error.
        if "\x00" in request.path:
            raise NotFound("Alamat ini tidak ditemukan.")  # no record's key contains NUL
        fields = [k for k, v in request.args.items(multi=True) if "\x00" in v]
        bad = bool(fields)
        parsed = "form" in request.__dict__  # the CSRF check may have parsed the form already
        if (not bad and not parsed and request.mimetype == "application/x-www-form-urlencoded"
                and (request.content_length or 0) <= 1024 * 1024):
            # Read the raw body (cached, so form parsing or a JSON reader still sees it).
            raw = request.get_data(cache=True)
            bad = b"\x00" in raw or b"%00" in raw
        elif not bad and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            # The parsed form; file parts are checked by the upload services.
            fields = [k for k, v in request.form.items(multi=True) if "\x00" in v or "\x00" in k]
            bad = bool(fields)
        # The CKAN façade reads its bodies itself, with CKAN's own answers (1 MB, JSON Error,
        # NUL named per field); every other JSON body is checked here.
        if not bad and request.is_json and (request.content_length or 0) > 0 and not is_ckan_request():
            bad = _json_body_has_nul()
        if bad:
            what = f"Parameter '{fields[0]}'" if fields else "Permintaan"
            message = f"{what} berisi karakter NUL (\\x00) yang tidak diizinkan. Hapus karakter itu lalu kirim lagi."
            raise Invalid(message, details={fields[0]: [message]} if fields else {})

    @app.after_request
    def _headers(resp: Response) -> Response:
        embeddable = bool(getattr(g, "embeddable", False))
        resp.headers.setdefault("Content-Security-Policy", EMBED_CSP if embeddable else CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not embeddable:
            resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if "Cache-Control" not in resp.headers and request.endpoint != "static" and _signed_in():
            # Pages for a signed-in user (or a token) must not stay in a shared or back-button
            # cache after sign-out.
            resp.headers["Cache-Control"] = "no-store"
            resp.vary.add("Cookie")
        if request.is_secure or base_https:
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return resp
