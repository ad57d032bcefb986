"""Satu Data Portal: the open-data catalogue and PPID service for Indonesian regional
governments. ``create_app()`` builds the Flask application (``satudata.app``).

Importing the package imports nothing else: the offline commands (``satudata validate``,
``satudata infer``) start without Flask, SQLAlchemy and the domains; ``create_app`` and
``Portal`` are read from ``satudata.app`` when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from satudata.version import __version__

if TYPE_CHECKING:
    from satudata.app import Portal, create_app

__all__ = ["Portal", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    if name in ("Portal", "create_app"):
        from satudata import app

        return getattr(app, name)
    raise AttributeError(f"module 'satudata' has no attribute {name!r}")
