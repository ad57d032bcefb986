"""The workspace pages ("Kelola data", blueprint ``workspace`` under ``/kelola``). They live in
review, the highest of the three domains they drive (catalog, validation, review), so none of
them imports a higher one.

- ``producer``: "Dataset saya", the metadata forms (with the walidata's notes beside the fields),
  uploads, the Table Schema and validation report of each table, submitting and retracting;
- ``walidata``: the review queue, the region's datasets by state, and the review page of one
  dataset with its moves (request changes, publish, withdraw, republish);
- ``common``: the blueprint and what both share; ``region``: read-only counts and lists of a
  walidata's region.
"""

from satudata.review.views import producer, walidata  # noqa: F401  (their routes join the blueprint)
from satudata.review.views.common import bp

__all__ = ["bp"]
