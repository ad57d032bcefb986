"""Harvesting (DESIGN.md §8): other catalogues pulled in on a schedule.

Sources, runs, per-record objects and the current record of each remote dataset
(``models.py``); sources and runs as services (``services.py``); a run streams gather → fetch →
import and withdraws what disappeared (``tasks.py``), importing through the catalogue and review
services as the harvest actor (``importer.py``). The plug-ins that read a source live outside
the package, in ``harvesters/`` (entry points ``satudata.harvesters``), and never touch the
database. ``satudata harvest ...`` (``cli.py``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to connect: harvest listens to no signal; its periodic sweep is in ``jobs.PERIODIC``."""
