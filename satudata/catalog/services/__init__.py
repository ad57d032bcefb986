"""Catalogue services: the only way other domains and the views touch datasets and resources.

``catalogue`` creates and publishes datasets, stores resources and answers the public
catalogue's queries (HTML views, the CKAN Action API and the REST API all call it, so they
never disagree about what is public); ``workspace`` is the producer's side: editing metadata,
replacing files with history, attaching Table Schemas, and the "Dataset saya" listing;
``revisions`` copies a published dataset into a draft revision, compares and merges it back;
``query`` is the public catalogue's one query (``DatasetQuery``, the filter registry, the SQL
translator ``query_database``); ``listing.find_public`` is how the catalogue's pages reach the
read path search registers (``use_finder``).
"""

from satudata.catalog.services.catalogue import *  # noqa: F403
from satudata.catalog.services.catalogue import __all__ as _catalogue_all
from satudata.catalog.services.listing import *  # noqa: F403
from satudata.catalog.services.listing import __all__ as _listing_all
from satudata.catalog.services.query import *  # noqa: F403
from satudata.catalog.services.query import __all__ as _query_all
from satudata.catalog.services.revisions import *  # noqa: F403
from satudata.catalog.services.revisions import __all__ as _revisions_all
from satudata.catalog.services.workspace import *  # noqa: F403
from satudata.catalog.services.workspace import __all__ as _workspace_all

__all__ = [*_catalogue_all, *_listing_all, *_query_all, *_revisions_all, *_workspace_all]
