"""Review services: the lifecycle moves other domains and the views call. Each one goes
through :func:`satudata.review.transitions.apply` (policy, guard, ReviewEvent, audit)."""

from __future__ import annotations

from sqlalchemy import select

from satudata.authz import Actor, Permission, require
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.review import transitions
from satudata.review.models import ReviewEvent

__all__ = ["list_events", "request_changes", "retract_submission", "submission_problems", "submit_dataset"]

submission_problems = transitions.submission_problems


def submit_dataset(actor: Actor, dataset: Dataset, *, note: str = "") -> ReviewEvent:
    """The producer hands a dataset to the walidata (draft or changes requested → submitted).

    Refused while a tabular resource is unvalidated or invalid, or required metadata is empty.
    """
    require(actor, Permission.REVIEW_DATASET_SUBMIT, dataset)
    return transitions.apply(actor, dataset, "submit", note=note)


def retract_submission(actor: Actor, dataset: Dataset, *, note: str = "") -> ReviewEvent:
    """The producer takes a submission back to draft (to change it before the review)."""
    require(actor, Permission.REVIEW_DATASET_SUBMIT, dataset)
    return transitions.apply(actor, dataset, "retract", note=note)


def request_changes(actor: Actor, dataset: Dataset, *, note: str,
                    field_notes: dict[str, str] | None = None) -> ReviewEvent:
    """The walidata returns a submission with what does not conform (per field, with a note)."""
    require(actor, Permission.REVIEW_DATASET_PUBLISH, dataset)
    return transitions.apply(actor, dataset, "request_changes", note=note, field_notes=field_notes)


def list_events(dataset: Dataset) -> list[ReviewEvent]:
    """The dataset's lifecycle history, newest first."""
    return list(db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.dataset_id == dataset.id).order_by(ReviewEvent.id.desc())
    ))
