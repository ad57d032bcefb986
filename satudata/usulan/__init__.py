"""Data suggestions (usulan data): anyone proposes a dataset the portal lacks (what, why, which
region and OPD); suggestions are public without the proposer's personal data, others support
them ("Dukung"), and the region's walidata triages them: into next year's Daftar Data, to an
existing dataset, to a formal PPID request, or declined with a reason; duplicates are merged and
abusive text waits for moderation. The public pages live at ``/usulan-data``, the walidata's at
``/kelola/usulan-data``, the API at ``/api/v1/usulan-data``."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the domain's rows and its permission rules (``usulan:propose``, ``usulan:triage``),
    and forget a Daftar Data item when it is deleted."""
    from satudata.review.daftar.events import item_deleted
    from satudata.usulan import models as _models  # noqa: F401
    from satudata.usulan import policy as _policy  # noqa: F401

    item_deleted.connect(_item_deleted)


def _item_deleted(item: Any, **kwargs: Any) -> None:
    from satudata.usulan.services import forget_item

    forget_item(item, kwargs["actor"])
