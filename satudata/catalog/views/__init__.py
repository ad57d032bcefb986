"""The catalogue's HTML views: the public site (``public``: its routes, dataset pages and
organisation tree; ``listing``: the search, filter and facet logic of its dataset listings;
``labels``: how values read). The producer's workspace, which also drives validation and
review, is ``review.views`` (a higher domain)."""

from satudata.catalog.views.public import bp, chart_spec, table_view

__all__ = ["bp", "chart_spec", "table_view"]
