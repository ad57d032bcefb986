"""Catalogue services: the only way other domains and the views touch datasets and resources.

``catalogue`` creates and publishes datasets, stores resources and answers the public
catalogue's queries (HTML views, the CKAN Action API and the REST API all call it, so they
never disagree about what is public); ``workspace`` is the producer's side: editing metadata,
replacing files with history, attaching Table Schemas, and the "Dataset saya" listing.
"""

from satudata.catalog.services.catalogue import *  # noqa: F403
from satudata.catalog.services.catalogue import __all__ as _catalogue_all
from satudata.catalog.services.workspace import *  # noqa: F403
from satudata.catalog.services.workspace import __all__ as _workspace_all

__all__ = [*_catalogue_all, *_workspace_all]
