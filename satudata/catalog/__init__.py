"""Catalogue: datasets and their Satu Data metadata, resources and stored files, versions,
topics, tags and licences, and the public pages that show them."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Answer what the accounts domain asks of the catalogue: its public datasets per
    organisation, for the Organization shape of the REST API."""
    from satudata import generations
    from satudata.accounts import serializers as account_shapes
    from satudata.accounts.models import Organization
    from satudata.catalog import services
    from satudata.catalog.models import Dataset, Licence, Resource, Tag, Topic

    # What the catalogue's per-process caches are made of (CKAN dataset dicts, facet labels).
    generations.watch(generations.CATALOG, Dataset, Resource, Topic, Tag, Licence, Organization)

    account_shapes.count_datasets_with(services.organization_counts)
