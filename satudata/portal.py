"""The Flask application class of the portal (the kernel's: it knows the unit of work and the
public address, no domain). ``satudata.create_app`` builds one with every domain mounted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import orjson
from flask import Flask
from flask.json.provider import DefaultJSONProvider

__all__ = ["Portal", "PortalJSON"]


class PortalJSON(DefaultJSONProvider):
    """Flask's JSON answers, written by orjson: the same document (keys sorted, compact, dates
    as Flask writes them) in a tenth of the time, which on the APIs' large answers (a
    package_search page is about 50 kB) is a fifth of a request's work (issue #17). Not
    identical bytes in two respects, both still JSON readers take the same: text is UTF-8 rather
    than ``\\u`` escapes, and NaN or infinity (never valid JSON) is written null."""

    _OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                | orjson.OPT_PASSTHROUGH_DATACLASS)

    def response(self, *args: Any, **kwargs: Any) -> Any:
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)  # indented, for people reading it
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=self._OPTIONS)
        except TypeError:  # what orjson cannot write (an integer past 64 bits): as Flask would
            return super().response(*args, **kwargs)
        return cast(Flask, self._app).response_class(body + b"\n", mimetype=self.mimetype)


class Portal(Flask):
    """Flask, with one unit of work per request and every absolute URL built from ``BASE_URL``.

    A view that returns is committed, one that raises is rolled back before the error handlers
    run (``db.unit_of_work``); the commit happens before the answer is made, so a commit that
    fails becomes an error answer. Views never commit. What a before-request hook writes joins
    the view's unit, unless the hook opens a unit of its own (the ended-session audit does, so
    that it stands whatever the view then does).

    ``url_for(..., _external=True)`` would otherwise take the scheme and host from the request,
    that is from the client's ``Host`` header: a forged header would then reach reset-mail
    links, API links and canonical URLs (issue #16).
    """

    json_provider_class = PortalJSON

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What each process would otherwise load on its first requests; a domain adds its own
        # (the search engine, its stemmer). The web server runs them before it forks.
        self.warm_ups: list[Callable[[], None]] = []

    def warm_up(self) -> None:
        """Load, in this process, what requests would load lazily: every template compiled and
        each domain's warm-ups (``satudata/server.py`` calls it before forking the web processes,
        so that they share it)."""
        with self.app_context():
            for warm in self.warm_ups:
                warm()
            for name in self.jinja_env.list_templates(extensions=("html", "txt", "xml")):
                self.jinja_env.get_template(name)

    def dispatch_request(self) -> Any:
        from satudata.db import unit_of_work

        with unit_of_work():
            return super().dispatch_request()

    def url_for(self, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: Any) -> str:
        from flask import has_request_context, request

        if not _external or not has_request_context():
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root):]
        return str(self.config["BASE_URL"]) + path
