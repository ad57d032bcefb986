"""Satu Data performance per OPD (kinerja): the walidata's and the leadership's dashboard
(``/kelola/kinerja``, per OPD and per region, with each OPD's quarterly trends and the records
behind its numbers), the public summary (``/kinerja``), their XLSX exports and the REST summary
(``GET /api/v1/kinerja``).

The figures the regional SPBE evaluations ask about (Daftar Data items on time and late, quality
scores, validation at first upload, time in review, PPID requests answered on time) are computed
on request from the rows the other domains keep (``services``: what each figure means); nothing
is stored here. The highest domain: it reads the others, and nothing imports it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the permission rule (``policy``); nothing to connect."""
    from satudata.kinerja import policy  # noqa: F401  (registers its rule)
