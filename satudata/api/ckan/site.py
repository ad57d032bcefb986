"""The actions of the CKAN Action API about the site and the API itself: ``status_show``,
``site_read`` and ``help_show``.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from satudata.api.ckan.endpoint import ACTIONS, Params, action
from satudata.api.ckan_dicts import site_url
from satudata.errors import NotFound
from satudata.version import __version__

# The CKAN release whose Action API this one follows (what ``status_show`` reports).
CKAN_COMPAT_VERSION = "2.10.4"
# What ``status_show`` lists as installed "extensions".
EXTENSIONS = ("satudata",)


@action
def status_show(p: Params) -> dict[str, Any]:
    """The site's name and address and the CKAN version this API follows."""
    config = current_app.config
    return {
        "site_title": config["SITE_NAME"],
        "site_description": f"Portal Satu Data {config['SITE_REGION']}",
        "site_url": site_url(),
        "ckan_version": CKAN_COMPAT_VERSION,
        "error_emails_to": None,
        "locale_default": config["BABEL_DEFAULT_LOCALE"],
        "extensions": list(EXTENSIONS),
        "satudata_version": __version__,
    }


@action
def site_read(p: Params) -> bool:
    """Whether the caller may read the site: always ``True`` (the catalogue is public)."""
    return True


@action
def help_show(p: Params) -> str:
    """The documentation of an action.

    :param name: the action's name
    """
    name = p.required("name")
    fn = ACTIONS.get(name)
    if fn is None:
        raise NotFound(f"Action '{name}' tidak dikenal.")
    return fn.__doc__ or ""
