"""What the rest of the portal asks of the datastore.

- ``query``: the copy of a table (:func:`build_copy`, :func:`copy_path`, :func:`has_copy`,
  :func:`queryable`), the gate of every public read (:func:`public_table`: a resource of a
  published, ``publik`` dataset with a written copy, else ``NotFound``), searches
  (:class:`Query` -> :class:`Result`), :func:`search_sql` (one checked read-only ``SELECT``) and
  :func:`fields_of` (the columns with their Table Schema titles and units).
- ``views``: the saved views (named charts and maps) of published tables.

The CKAN DataStore actions, the REST ``/data`` route and the pages are façades over these.
"""

from satudata.datastore.services.query import *  # noqa: F403
from satudata.datastore.services.query import __all__ as _query_all
from satudata.datastore.services.views import (
    MAX_VIEWS_PER_RESOURCE,
    delete_view,
    get_public_view,
    list_views,
    save_view,
    saved_views,
)

__all__ = [*_query_all, "MAX_VIEWS_PER_RESOURCE", "delete_view", "get_public_view", "list_views", "save_view", "saved_views"]
