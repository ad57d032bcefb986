"""The catalogue's HTML views: the public site (``public``) and the producer's workspace
(``workspace``), each its own blueprint."""

from satudata.catalog.views.public import bp, chart_spec, table_view
from satudata.catalog.views.workspace import bp as workspace_bp

__all__ = ["bp", "chart_spec", "table_view", "workspace_bp"]
