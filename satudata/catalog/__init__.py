"""Catalogue: datasets and their Satu Data metadata, resources and stored files, versions,
topics, tags and licences, and the public pages that show them."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Answer what the accounts domain asks of the catalogue: its public datasets per
    organisation, for the Organization shape of the REST API."""
    from satudata.accounts import serializers as account_shapes
    from satudata.catalog import services

    account_shapes.count_datasets_with(services.organization_counts)
