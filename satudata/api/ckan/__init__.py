"""The CKAN-compatible Action API: ``/api/3/action/<name>`` and ``/api/action/<name>``.

The read actions CKAN clients and harvesters use (ckanapi, ckanext-harvest's CKAN harvester,
national aggregators), with CKAN's envelope::

    {"help": "<site>/api/3/action/help_show?name=<action>", "success": true, "result": ...}

and CKAN's error shape (``success: false``, ``error: {__type, message, <field>: [...]}``) with
404 Not Found Error, 409 Validation Error, 403 Authorization Error. Parameters come from the
query string (GET) or a JSON or form body (POST), as in CKAN's ``ckan/views/api.py``. Only
published, ``publik`` datasets are visible: every read goes through ``catalog.services``.

Domain errors raised here (``NotFound``, ``Invalid``, ``Forbidden``) are formatted by the
handler in ``satudata.errors``; only request-level problems CKAN answers with a plain 400
(unknown action, undecodable body) are answered here.

The package: ``endpoint`` (the route, the envelope, ``Params`` and the ``ACTIONS`` registry),
``query`` (fq, q and sort syntax, and what the search engine can answer), and the actions by
kind: ``packages`` (datasets and resources), ``groups`` (organisations, topics, tags,
licences), ``site`` (``status_show``, ``help_show``) and ``datastore`` (CKAN DataStore's
read actions over the datastore's typed copies).
"""

from satudata.api.ckan import datastore, groups, packages, site  # noqa: F401  (importing registers the actions)
from satudata.api.ckan.endpoint import ACTIONS, bp

__all__ = ["ACTIONS", "bp"]
