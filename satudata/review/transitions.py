"""The dataset lifecycle as data: every allowed move, who may make it, and its guard.

``draft → submitted → (changes_requested → submitted)* → published → withdrawn (→ published)``,
plus the producer's ``retract`` (take a submission back to draft). :func:`apply` is the only
code that changes ``Dataset.state``: it checks the move exists from the current state, asks
the policy (``require``), runs the guard (which explains in Bahasa Indonesia what is still
missing), changes the state, writes a :class:`~satudata.review.models.ReviewEvent` and the
audit row. Anything not in the table is refused with a clear error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, actor_label, require
from satudata.catalog.models import Dataset, DatasetState
from satudata.errors import Conflict, Invalid
from satudata.extensions import db
from satudata.review.models import ReviewEvent

Guard = Callable[[Dataset], list[str]]


def submission_problems(dataset: Dataset) -> list[str]:
    """What keeps ``dataset`` from being submitted, in Bahasa Indonesia (empty: nothing)."""
    problems: list[str] = []
    if not dataset.resources:
        problems.append("Belum ada sumber data: unggah minimal satu tabel atau dokumen.")
    for res in dataset.resources:
        if not res.is_tabular:
            continue
        status = str(res.validation_status)
        if status == "valid":
            continue
        label = {
            "unvalidated": "belum divalidasi",
            "pending": "masih divalidasi; tunggu sampai selesai",
            "invalid": "belum lolos validasi; perbaiki kesalahan di laporan validasi lalu unggah ulang",
            "error": "tidak dapat divalidasi; baca pesan di laporan validasi",
        }.get(status, status)
        problems.append(f'Tabel "{res.name}" {label}.')
        if status != "pending" and not (res.table_schema or res.schema_ref):  # pending: the job infers one
            problems.append(f'Tabel "{res.name}" belum punya Table Schema (standar data).')
    from satudata.catalog.services import missing_required_metadata

    problems += [f"Metadata wajib belum diisi: {label}." for label in missing_required_metadata(dataset)]
    return problems


def _no_guard(dataset: Dataset) -> list[str]:
    return []


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[DatasetState, ...]
    target: DatasetState
    permission: Permission
    guard: Guard = _no_guard
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("submit", (DatasetState.DRAFT, DatasetState.CHANGES_REQUESTED), DatasetState.SUBMITTED,
               Permission.REVIEW_DATASET_SUBMIT, guard=submission_problems),
    Transition("retract", (DatasetState.SUBMITTED,), DatasetState.DRAFT, Permission.REVIEW_DATASET_SUBMIT),
    Transition("request_changes", (DatasetState.SUBMITTED,), DatasetState.CHANGES_REQUESTED,
               Permission.REVIEW_DATASET_PUBLISH, note_required=True),
)}

STATE_LABELS = {
    DatasetState.DRAFT: "Draf",
    DatasetState.SUBMITTED: "Diajukan",
    DatasetState.CHANGES_REQUESTED: "Perlu perbaikan",
    DatasetState.PUBLISHED: "Terbit",
    DatasetState.WITHDRAWN: "Ditarik",
}


def _moved_on(state: DatasetState) -> Conflict:
    current = STATE_LABELS.get(state, str(state))
    return Conflict(f'Dataset berstatus "{current}"; langkah ini tidak dapat dilakukan dari status itu. '
                    "Muat ulang halaman untuk melihat status terbaru.")


def available(dataset: Dataset) -> list[Transition]:
    """The moves the table allows from the dataset's current state (before policy and guard)."""
    return [t for t in TRANSITIONS.values() if dataset.state in t.sources]


def apply(actor: Actor, dataset: Dataset, name: str, *, note: str = "",
          field_notes: dict[str, Any] | None = None) -> ReviewEvent:
    """Make move ``name`` on ``dataset`` for ``actor``; the caller commits."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Invalid(f'Perpindahan status "{name}" tidak dikenal.')
    require(actor, transition.permission, dataset)
    if dataset.state not in transition.sources:
        raise _moved_on(dataset.state)
    if transition.note_required and not note.strip():
        raise Invalid("Catatan wajib diisi untuk langkah ini.", details={"note": ["Catatan wajib diisi."]})
    problems = transition.guard(dataset)
    if problems:
        raise Invalid("Dataset belum dapat diajukan: " + " ".join(problems), details={"dataset": problems})
    source = dataset.state
    # Compare and set in one statement: of two requests making the same move at once (a double
    # click, two tabs), exactly one changes the row; the other is told the state moved on.
    # PostgreSQL re-checks the condition after the first commits; SQLite's one write lock makes
    # the second wait and then match nothing.
    moved = db.session.execute(
        update(Dataset).where(Dataset.id == dataset.id, Dataset.state == source)
        .values(state=transition.target).execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        current = db.session.scalar(select(Dataset.state).where(Dataset.id == dataset.id))
        raise _moved_on(current or source)
    set_committed_value(dataset, "state", transition.target)
    db.session.expire(dataset, ["updated_at"])  # the statement stamped it (the column's onupdate)
    event = ReviewEvent(dataset_id=dataset.id, action=name, from_state=str(source), to_state=str(transition.target),
                        actor_id=getattr(actor, "id", None), actor_label=actor_label(actor), note=note.strip(),
                        field_notes=field_notes)
    db.session.add(event)
    db.session.flush()
    audit(actor, f"dataset.{name}", "dataset", dataset.id,
          {"from": str(source), "to": str(transition.target), "note": note.strip()[:500]})
    return event
