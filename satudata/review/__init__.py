"""The review domain: the dataset lifecycle as one transition table (draft → submitted →
changes requested → published → withdrawn → published again), who may make each move, the
guards, the side effects each move declares (versions, search, signals), the ReviewEvent each
move writes, the walidata's review queue, and the producer workspace that drives it."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    """Tell the catalogue why a withdrawn dataset was withdrawn (its old links answer 410 with
    the public reason, which lives in review's events)."""
    from satudata.catalog import services as catalog
    from satudata.review import events, notify

    catalog.use_withdrawal_notes(_withdrawal_notes)
    # Whom each move concerns hears of it (in-app and by mail, in the move's transaction).
    events.dataset_moved.connect(notify.on_dataset_moved)

    @app.context_processor
    def _quality() -> dict[str, Any]:
        from satudata.review.quality import quality_of

        return {"quality_of": quality_of}


def _withdrawal_notes(dataset: Any) -> Any:
    from satudata.catalog import services as catalog
    from satudata.review import services

    found = services.withdrawal_of(dataset)
    return catalog.Withdrawal(reason=found.reason, at=found.at) if found is not None else None
