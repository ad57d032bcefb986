"""Review services: the lifecycle moves other domains, the views and the API call, and what
the walidata reads to review (the queue, the last request's field notes).

Each move goes through :func:`satudata.review.transitions.apply` (policy, what the actor wrote,
guard, compare-and-set, ReviewEvent, side effects, audit, ``review.events.dataset_moved``).
Every move takes ``expected_event_id``: the id of the latest ReviewEvent of the page the actor
acts from (``last_event_id``); when the dataset moved since, the move is refused (``Conflict``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from satudata.accounts.models import Organization
from satudata.authz import Actor, Permission, require
from satudata.catalog.models import Dataset, DatasetState, Topic, dataset_topic
from satudata.db import utcnow
from satudata.errors import Forbidden, Invalid
from satudata.extensions import db
from satudata.review import transitions
from satudata.review.models import ReviewEvent
from satudata.review.regions import is_reviewer, review_scope, subtree

__all__ = [
    "QueueItem",
    "discard_revision",
    "editable_version",
    "move_target",
    "open_revision",
    "Withdrawal",
    "last_event_id",
    "last_field_notes",
    "list_events",
    "publish_dataset",
    "republish_dataset",
    "request_changes",
    "retract_submission",
    "review_queue",
    "submission_problems",
    "submit_dataset",
    "withdraw_dataset",
    "withdrawal_of",
]

submission_problems = transitions.submission_problems


# --------------------------------------------------------------------------- the producer's moves


def submit_dataset(actor: Actor, dataset: Dataset, *, note: str = "",
                   expected_event_id: int | None = None) -> ReviewEvent:
    """The producer hands a dataset to the walidata (draft or changes requested → submitted).

    Refused while a tabular resource is unvalidated or invalid, or required metadata is empty.
    """
    require(actor, Permission.REVIEW_DATASET_SUBMIT, dataset)
    return transitions.apply(actor, dataset, "submit", note=note, expected_event_id=expected_event_id)


def retract_submission(actor: Actor, dataset: Dataset, *, note: str = "",
                       expected_event_id: int | None = None) -> ReviewEvent:
    """The producer takes a submission back to draft (to change it before the review)."""
    require(actor, Permission.REVIEW_DATASET_SUBMIT, dataset)
    return transitions.apply(actor, dataset, "retract", note=note, expected_event_id=expected_event_id)


# --------------------------------------------------------------------------- revisions


def open_revision(actor: Actor, dataset: Dataset, *, note: str = "",
                  expected_event_id: int | None = None) -> Dataset:
    """Open the revision of published ``dataset`` (a draft copy the producer edits while the
    published one stays public); the revision. Refused when one is open already."""
    require(actor, Permission.REVIEW_DATASET_SUBMIT, dataset)
    transitions.apply(actor, dataset, "open_revision", note=note, expected_event_id=expected_event_id)
    assert dataset.revision is not None
    return dataset.revision


def editable_version(actor: Actor, dataset: Dataset) -> Dataset:
    """Where a change to ``dataset`` goes: a published dataset's revision (opened now when there
    is none; the public keeps seeing the published one), otherwise the dataset itself (whose
    own rules then accept or refuse the change)."""
    if dataset.state != DatasetState.PUBLISHED or dataset.revision_of_id is not None:
        return dataset
    if dataset.revision is not None:
        return dataset.revision
    return open_revision(actor, dataset)


def discard_revision(actor: Actor, revision: Dataset, *, note: str = "",
                     expected_event_id: int | None = None) -> Dataset:
    """Give up a revision that is with the producer (draft or changes requested); the published
    dataset, which stays as it is."""
    require(actor, Permission.REVIEW_DATASET_SUBMIT, revision)
    published = revision.revision_of
    transitions.apply(actor, revision, "discard_revision", note=note, expected_event_id=expected_event_id)
    assert published is not None
    return published


def move_target(dataset: Dataset, name: str) -> Dataset:
    """The dataset move ``name`` is meant for, when a client names a published dataset: its open
    revision if the move is not one the published dataset can make but the revision can
    (submit, retract, request changes, publish). Otherwise ``dataset`` itself."""
    revision = dataset.revision if dataset.revision_of_id is None else None
    if revision is None:
        return dataset
    names = {name, "publish_revision"} if name == "publish" else {name}
    if any(t.name in names for t in transitions.available(dataset)):
        return dataset
    if any(t.name in names for t in transitions.available(revision)):
        return revision
    return dataset


# --------------------------------------------------------------------------- the walidata's moves


def _clean_field_notes(field_notes: Mapping[str, Any] | None) -> dict[str, str]:
    """Notes per metadata field as the form or the API sends them, blank ones left out (a form
    sends a box for every field); anything but text is refused."""
    if field_notes is None:
        return {}
    if not isinstance(field_notes, Mapping):
        raise Invalid("Catatan per kolom harus berupa objek {kolom: catatan}.",
                      details={"field_notes": ["Harus berupa objek {kolom: catatan}."]})
    cleaned: dict[str, str] = {}
    for name, note in field_notes.items():
        if not isinstance(name, str) or not isinstance(note, str):
            raise Invalid("Catatan per kolom harus berupa teks.", details={"field_notes": [
                "Setiap catatan berupa teks, dengan nama kolom metadata sebagai kuncinya."]})
        if note.strip():
            cleaned[name] = note.strip()
    return cleaned


def publish_dataset(actor: Actor, dataset: Dataset, *, note: str = "",
                    expected_event_id: int | None = None) -> ReviewEvent:
    """The walidata publishes a submission (submitted → published); a revision's submission is
    merged into its published dataset (``publish_revision``), and the event then belongs to it.

    Refused (``Conflict``) when what blocks a submission holds again (a table no longer valid,
    required metadata emptied). Writes an immutable DatasetVersion (the metadata and the exact
    files by sha256), stamps ``published_at`` the first time and names the region's walidata
    organisation; search indexes it after commit.
    """
    require(actor, Permission.REVIEW_DATASET_PUBLISH, dataset)
    name = "publish_revision" if dataset.revision_of_id is not None else "publish"
    return transitions.apply(actor, dataset, name, note=note, expected_event_id=expected_event_id)


def request_changes(actor: Actor, dataset: Dataset, *, message: str = "",
                    field_notes: Mapping[str, str] | None = None,
                    expected_event_id: int | None = None) -> ReviewEvent:
    """The walidata returns a submission with what does not conform (submitted → changes
    requested): a message, notes per metadata field (``{"satuan": "Tulis jiwa, bukan orang."}``,
    names from ``catalog.METADATA_FIELDS``), or both; at least one of them."""
    require(actor, Permission.REVIEW_DATASET_PUBLISH, dataset)
    return transitions.apply(actor, dataset, "request_changes", note=message,
                             field_notes=_clean_field_notes(field_notes), expected_event_id=expected_event_id)


def withdraw_dataset(actor: Actor, dataset: Dataset, *, reason: str,
                     expected_event_id: int | None = None) -> ReviewEvent:
    """The walidata takes a published dataset off the public catalogue (published → withdrawn).

    ``reason`` is required and public: the dataset's page (answered 410) and every old link to
    its files say it was withdrawn and why. Search forgets it after commit; its versions and
    files are kept.
    """
    require(actor, Permission.REVIEW_DATASET_PUBLISH, dataset)
    return transitions.apply(actor, dataset, "withdraw", note=reason, expected_event_id=expected_event_id)


def republish_dataset(actor: Actor, dataset: Dataset, *, note: str = "",
                      expected_event_id: int | None = None) -> ReviewEvent:
    """The walidata puts a withdrawn dataset back (withdrawn → published): its last version
    comes back (a new one only if what is published differs from it); search indexes it."""
    require(actor, Permission.REVIEW_DATASET_PUBLISH, dataset)
    return transitions.apply(actor, dataset, "republish", note=note, expected_event_id=expected_event_id)


# --------------------------------------------------------------------------- reads


def list_events(dataset: Dataset) -> list[ReviewEvent]:
    """The dataset's lifecycle history, newest first."""
    return list(db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.dataset_id == dataset.id).order_by(ReviewEvent.id.desc())
    ))


def last_event_id(dataset: Dataset) -> int | None:
    """The id of the dataset's latest ReviewEvent: what a page that acts on it sends back as
    ``expected_event_id`` (None: it never moved)."""
    latest = transitions.latest_event(dataset)
    return latest.id if latest is not None else None


def last_field_notes(dataset: Dataset) -> dict[str, str]:
    """The notes per metadata field of the walidata's last request for changes (``{}``: none,
    or the request had only a message)."""
    event = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.dataset_id == dataset.id, ReviewEvent.action == "request_changes")
        .order_by(ReviewEvent.id.desc()).limit(1)).first()
    return dict(event.field_notes or {}) if event is not None else {}


@dataclass(frozen=True)
class Withdrawal:
    """Why and when a dataset was withdrawn (public: its page says so)."""

    reason: str
    at: datetime
    by: str


def withdrawal_of(dataset: Dataset) -> Withdrawal | None:
    """The withdrawal of a withdrawn dataset (None for any other state)."""
    if dataset.state != DatasetState.WITHDRAWN:
        return None
    event = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.dataset_id == dataset.id, ReviewEvent.action == "withdraw")
        .order_by(ReviewEvent.id.desc()).limit(1)).first()
    if event is None:
        return None
    return Withdrawal(reason=event.note, at=event.created_at, by=event.actor_label)


@dataclass(frozen=True)
class QueueItem:
    """A submission waiting for the walidata."""

    dataset: Dataset
    submitted_at: datetime
    submitted_by: str
    note: str  # the producer's note with the submission
    last_event_id: int
    waiting: timedelta

    @property
    def waiting_label(self) -> str:
        """How long it has waited, in Bahasa Indonesia ("3 hari", "5 jam", "kurang dari 1 jam")."""
        days = self.waiting.days
        if days >= 1:
            return f"{days} hari"
        hours = self.waiting.seconds // 3600
        return f"{hours} jam" if hours >= 1 else "kurang dari 1 jam"


def _organization_ids(slug: str) -> set[int]:
    org_id = db.session.scalar(select(Organization.id).where(Organization.slug == slug))
    if org_id is None:
        raise Invalid(f'Organisasi "{slug[:80]}" tidak dikenal.', details={"organization": ["Organisasi tidak dikenal."]})
    return subtree({org_id})


def _topic_id(slug: str) -> int:
    topic_id = db.session.scalar(select(Topic.id).where(Topic.slug == slug))
    if topic_id is None:
        raise Invalid(f'Topik "{slug[:80]}" tidak dikenal.', details={"topic": ["Topik tidak dikenal."]})
    return topic_id


def review_queue(actor: Actor, *, organization: str | None = None, topic: str | None = None,
                 now: datetime | None = None) -> list[QueueItem]:
    """The submissions ``actor`` reviews, the one waiting longest first.

    A walidata sees the submissions of their region (every organisation below the one where
    they hold the walidata role), and those naming their region's walidata organisation as
    custodian; admins see all. ``organization`` (a slug: that organisation and everything below
    it) and ``topic`` (a slug) narrow it. Anyone else is refused (``Forbidden``).
    """
    if not is_reviewer(actor):
        raise Forbidden("Antrean pemeriksaan hanya untuk walidata.")
    q = select(Dataset).where(Dataset.state == DatasetState.SUBMITTED)
    scope = review_scope(actor)
    if scope is not None:
        region = sorted(scope) or [-1]
        q = q.where(Dataset.organization_id.in_(region) | Dataset.walidata_id.in_(region))
    if organization:
        q = q.where(Dataset.organization_id.in_(sorted(_organization_ids(organization))))
    if topic:
        q = q.where(Dataset.id.in_(select(dataset_topic.c.dataset_id).where(
            dataset_topic.c.topic_id == _topic_id(topic))))
    datasets = list(db.session.scalars(q.options(selectinload(Dataset.organization), selectinload(Dataset.topics))))
    if not datasets:
        return []
    ids = [d.id for d in datasets]
    # The current submission of each: its latest "submit" event; and its latest event of all.
    submits = {e.dataset_id: e for e in db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.id.in_(
            select(func.max(ReviewEvent.id)).where(ReviewEvent.dataset_id.in_(ids), ReviewEvent.action == "submit")
            .group_by(ReviewEvent.dataset_id))))}
    latest: dict[str, int] = {dataset_id: event_id for dataset_id, event_id in db.session.execute(
        select(ReviewEvent.dataset_id, func.max(ReviewEvent.id)).where(ReviewEvent.dataset_id.in_(ids))
        .group_by(ReviewEvent.dataset_id))}
    now = now or utcnow()
    items = []
    for ds in datasets:
        submit = submits.get(ds.id)
        at = submit.created_at if submit is not None else ds.updated_at
        items.append(QueueItem(dataset=ds, submitted_at=at, submitted_by=submit.actor_label if submit else "",
                               note=submit.note if submit else "", last_event_id=latest.get(ds.id, 0),
                               waiting=max(now - at, timedelta(0))))
    items.sort(key=lambda item: (item.submitted_at, item.dataset.title))
    return items
