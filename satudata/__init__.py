"""Satu Data Portal: the open-data catalogue and PPID service for Indonesian regional
governments.

``create_app()`` assembles the Flask application from every domain. Importing the package
imports nothing else (every import of ``create_app`` is inside it), so the offline commands
(``satudata validate``, ``satudata infer``; ``satudata.cli.main``) start without Flask,
SQLAlchemy or any domain.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from satudata.version import __version__

if TYPE_CHECKING:
    from flask import Flask

    from satudata.portal import Portal

__all__ = ["Portal", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "Portal":
        from satudata.portal import Portal

        return Portal
    raise AttributeError(f"module 'satudata' has no attribute {name!r}")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application. ``config`` overrides defaults and environment (tests use it)."""
    from satudata import config as config_mod
    from satudata import errors, security, templating
    from satudata.authz import AnonymousActor
    from satudata.extensions import babel, csrf, db, login, migrate

    instance_path = (config or {}).get("INSTANCE_PATH") or config_mod.instance_path()
    from satudata.portal import Portal

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
    from satudata import accounts, catalog, datastore, harvest, kinerja, review, search, usulan, validation
    from satudata.accounts import policy as _accounts_policy  # noqa: F401
    from satudata.accounts import views as accounts_views
    from satudata.api import ckan, dcat, health, rest
    from satudata.catalog import policy as _catalog_policy  # noqa: F401
    from satudata.catalog import views as catalog_views
    from satudata.datastore import models as _datastore_models  # noqa: F401
    from satudata.datastore import views as datastore_views
    from satudata.harvest import models as _harvest_models  # noqa: F401
    from satudata.harvest import policy as _harvest_policy  # noqa: F401
    from satudata.harvest import views as harvest_views
    from satudata.kinerja import views as kinerja_views
    from satudata.ppid import calendar_views as ppid_calendar_views
    from satudata.ppid import models as _ppid_models  # noqa: F401
    from satudata.ppid import notice_views as ppid_notice_views
    from satudata.ppid import policy as _ppid_policy  # noqa: F401
    from satudata.ppid import report_views as ppid_report_views
    from satudata.ppid import views as ppid_views
    from satudata.review import models as _review_models  # noqa: F401
    from satudata.review import views as review_views
    from satudata.review.daftar import policy as _daftar_policy  # noqa: F401
    from satudata.review.daftar import views as daftar_views
    from satudata.review.statistik import views as statistik_views
    from satudata.search import views as search_views
    from satudata.usulan import views as usulan_views
    from satudata.validation import models as _validation_models  # noqa: F401
    from satudata.validation import policy as _validation_policy  # noqa: F401
    from satudata.validation import views as validation_views

    for domain in (accounts, catalog, validation, review, datastore, search, harvest, usulan, kinerja):
        domain.init_app(app)
    domains = (
        catalog_views.bp, datastore_views.bp, harvest_views.bp, review_views.bp, daftar_views.bp, statistik_views.bp,
        validation_views.bp, search_views.bp, accounts_views.bp, ppid_views.bp, ppid_notice_views.bp, ppid_calendar_views.bp,
        ppid_report_views.bp, usulan_views.bp, kinerja_views.bp, ckan.bp, dcat.bp, health.bp,
    )
    for blueprint in domains:
        app.register_blueprint(blueprint)
    # The REST API v1: each domain's api.py, the index, OpenAPI and the docs.
    rest.register(app)
    # JSON APIs take no cookies for writes (tokens only), so they need no CSRF token.
    for blueprint in (ckan.bp, health.bp):
        csrf.exempt(blueprint)
    return app
