"""The Flask application: ``create_app()`` assembles every domain into one :class:`Portal`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

__all__ = ["Portal", "create_app"]


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


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. ``config`` overrides defaults and environment (tests use it)."""
    from satudata import config as config_mod
    from satudata import errors, security, templating
    from satudata.authz import AnonymousActor
    from satudata.extensions import babel, csrf, db, login, migrate

    instance_path = (config or {}).get("INSTANCE_PATH") or config_mod.instance_path()
    app = Portal(__name__, instance_path=instance_path, instance_relative_config=True)
    config_mod.load(app, config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=templating.select_locale, timezone_selector=templating.select_timezone)
    csrf.init_app(app)
    login.init_app(app)
    login.anonymous_user = AnonymousActor
    errors.register(app)
    security.init_app(app)
    templating.register(app)

    # The domains, in one explicit list, lowest first (docs/architecture.md): policies register
    # their rules on import; each domain's ``init_app`` connects what it does for the kernel or
    # in answer to a lower domain's signals; then the blueprints are mounted.
    from satudata import accounts, catalog, review, search, validation
    from satudata.accounts import policy as _accounts_policy  # noqa: F401
    from satudata.accounts import views as accounts_views
    from satudata.api import ckan, dcat, health, rest
    from satudata.catalog import policy as _catalog_policy  # noqa: F401
    from satudata.catalog import views as catalog_views
    from satudata.ppid import models as _ppid_models  # noqa: F401
    from satudata.ppid import policy as _ppid_policy  # noqa: F401
    from satudata.ppid import views as ppid_views
    from satudata.review import models as _review_models  # noqa: F401
    from satudata.review import views as review_views
    from satudata.review.daftar import policy as _daftar_policy  # noqa: F401
    from satudata.review.daftar import views as daftar_views
    from satudata.search import views as search_views
    from satudata.validation import models as _validation_models  # noqa: F401
    from satudata.validation import policy as _validation_policy  # noqa: F401
    from satudata.validation import views as validation_views

    for domain in (accounts, catalog, validation, review, search):
        domain.init_app(app)
    domains = (
        catalog_views.bp, review_views.bp, daftar_views.bp, validation_views.bp, search_views.bp,
        accounts_views.bp, ppid_views.bp, ckan.bp, dcat.bp, health.bp,
    )
    for blueprint in domains:
        app.register_blueprint(blueprint)
    # The REST API v1: each domain's api.py, the index, OpenAPI and the docs.
    rest.register(app)
    # JSON APIs take no cookies for writes (tokens only), so they need no CSRF token.
    for blueprint in (ckan.bp, health.bp):
        csrf.exempt(blueprint)
    return app
