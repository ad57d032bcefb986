"""The dataset lifecycle as data: every allowed move, who may make it, its guard, and what it
does besides changing the state.

``draft → submitted → (changes_requested → submitted)* → published → withdrawn (→ published)``,
plus the producer's ``retract`` (take a submission back to draft). A published dataset changes
through a revision (``catalog.services.revisions``): ``open_revision`` makes a draft copy, which
goes through submit / request_changes / retract like any draft, and ``publish_revision`` merges
it into the published dataset (a new version), or ``discard_revision`` drops it; the public sees
the published dataset all along. :func:`apply` is the only
code that changes ``Dataset.state`` (``tests/test_architecture.py`` fails on any other
assignment outside ``satudata/review/``): it checks the move exists from the current state,
asks the policy (``require``), checks what the actor wrote (a reason, field notes), runs the
guard (which explains in Bahasa Indonesia what is still missing), changes the state with a
compare-and-set, refuses a move made from a stale page (``expected_event_id``), writes a
:class:`~satudata.review.models.ReviewEvent`, runs the move's side effects as the table
declares them, writes the audit row and sends ``review.events.dataset_moved``. Anything not in
the table is refused with a clear error. The caller's unit of work commits (or, on a refusal,
rolls back all of it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, actor_label, require
from satudata.catalog import events as catalog_events
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, DatasetVersion
from satudata.db import utcnow
from satudata.errors import Conflict, DomainError, Invalid
from satudata.extensions import db
from satudata.review import events
from satudata.review.models import ReviewEvent
from satudata.review.regions import walidata_of
from satudata.review.statistik import services as statistik

Guard = Callable[[Dataset], list[str]]
# What the actor wrote with the move (the note, the field notes), checked before anything
# changes: problems by the name the request used for them.
InputCheck = Callable[[str, dict[str, str] | None], dict[str, list[str]]]

NOTE_MAX = 2000  # a note, a reason, a message, one field note


def submission_problems(dataset: Dataset, *, ms_started: bool | None = None) -> list[str]:
    """What keeps ``dataset`` from being submitted (and, still at that moment, published), in
    Bahasa Indonesia (empty: nothing). ``ms_started``: whether its BPS statistical metadata was
    started, when a listing read that for all its rows at once (``statistik.started_ids``)."""
    problems: list[str] = []
    if catalog.is_harvested(dataset):
        # A record of another catalogue, as that catalogue publishes it (links, its metadata):
        # the Satu Data production rules are its producer's, not ours (DESIGN.md §8).
        if not dataset.title.strip():
            problems.append("Judul kosong di sumber harvest.")
        if dataset.revision_of is not None and not catalog.diff_revision(dataset).changed:
            problems.append("Revisi ini belum mengubah apa pun dibanding versi yang terbit.")
        return problems
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
    problems += [f"Metadata wajib belum diisi: {label}." for label in catalog.missing_required_metadata(dataset)]
    problems += statistik.submission_problems(dataset, started=ms_started)
    if (dataset.revision_of is not None and not catalog.diff_revision(dataset).changed
            and not statistik.revision_changed_parts(dataset)):
        problems.append("Revisi ini belum mengubah apa pun dibanding versi yang terbit.")
    return problems


def revision_problems(dataset: Dataset) -> list[str]:
    """What keeps revision ``dataset`` from being published: what blocks any submission, and a
    published dataset that is no longer published (withdrawn meanwhile)."""
    problems = submission_problems(dataset)
    published = dataset.revision_of
    if published is not None and published.state != DatasetState.PUBLISHED:
        problems.append(f'Dataset "{published.title}" tidak lagi terbit (status: '
                        f'{STATE_LABELS.get(published.state, str(published.state))}); terbitkan kembali dahulu, '
                        "atau minta produsen membuang revisi ini.")
    return problems


def no_open_revision(dataset: Dataset) -> list[str]:
    """A published dataset has one revision at a time."""
    if dataset.revision is not None:
        return [f'Revisi dataset ini sudah dibuka ("{dataset.revision.slug}"); lanjutkan revisi itu.']
    return []


def _no_guard(dataset: Dataset) -> list[str]:
    return []


def _any_input(note: str, field_notes: dict[str, str] | None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if len(note) > NOTE_MAX:
        problems["note"] = [f"Catatan paling panjang {NOTE_MAX} karakter."]
    if field_notes:
        problems["field_notes"] = ["Catatan per kolom hanya untuk permintaan perbaikan."]
    return problems


def _reason_required(note: str, field_notes: dict[str, str] | None) -> dict[str, list[str]]:
    """A withdrawal says why, publicly: the dataset's page shows the reason to everyone."""
    problems = _any_input(note, field_notes)
    if not note:
        problems["reason"] = ["Tulis alasan penarikan; alasan ini ditampilkan kepada publik di halaman dataset."]
    elif "note" in problems:
        problems["reason"] = problems.pop("note")
    return problems


METADATA_FIELD_NAMES = tuple(f.name for f in catalog.METADATA_FIELDS)


def _message_or_field_notes(note: str, field_notes: dict[str, str] | None) -> dict[str, list[str]]:
    """A request for changes says what to fix: a message, a note on at least one metadata
    field, or both; notes only on real metadata fields (``catalog.METADATA_FIELDS``)."""
    problems: dict[str, list[str]] = {}
    notes = field_notes or {}
    if len(note) > NOTE_MAX:
        problems["message"] = [f"Pesan paling panjang {NOTE_MAX} karakter."]
    unknown = sorted(name for name in notes if name not in METADATA_FIELD_NAMES)
    if unknown:
        problems["field_notes"] = [f"Kolom metadata tidak dikenal: {', '.join(unknown)}. Kolom yang dapat diberi "
                                   f"catatan: {', '.join(METADATA_FIELD_NAMES)}."]
    too_long = sorted(name for name, text in notes.items() if len(text) > NOTE_MAX)
    if too_long:
        problems.setdefault("field_notes", []).append(
            f"Catatan per kolom paling panjang {NOTE_MAX} karakter: {', '.join(too_long)}.")
    if not note and not any(text for text in notes.values()):
        problems["message"] = ["Tulis pesan untuk produsen data, atau catatan pada minimal satu kolom metadata "
                               "yang perlu diperbaiki."]
    return problems


# --------------------------------------------------------------------------- side effects


@dataclass
class Move:
    """One move being made, as its side effects see it; ``summary`` joins the audit row."""

    actor: Actor
    dataset: Dataset
    transition: Transition
    source: DatasetState
    event: ReviewEvent
    summary: dict[str, Any] = field(default_factory=dict)


Effect = Callable[[Move], None]


def stamp_publication(move: Move) -> None:
    """The first publication's time stays the dataset's ``published_at``; the custodian named
    is the walidata organisation of the dataset's region (kept as it is when the region has
    none marked)."""
    dataset = move.dataset
    if dataset.published_at is None:
        dataset.published_at = move.event.created_at
    custodian = walidata_of(dataset.organization)
    if custodian is not None:
        dataset.walidata = custodian
    db.session.flush()


def _next_version(dataset: Dataset, note: str, actor: Actor) -> DatasetVersion:
    number = (db.session.scalar(select(func.max(DatasetVersion.number))
                                .where(DatasetVersion.dataset_id == dataset.id)) or 0) + 1
    version = DatasetVersion(dataset=dataset, number=number, snapshot=catalog.snapshot(dataset), note=note,
                             created_by_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(version)
    db.session.flush()
    return version


def write_version(move: Move) -> None:
    """An immutable DatasetVersion: the metadata and the exact files (by sha256) published now."""
    version = _next_version(move.dataset, move.event.note, move.actor)
    move.summary["version"] = version.number


def restore_version(move: Move) -> None:
    """Republishing brings the last version back; a new version only when what is published
    now differs from it (or there is none)."""
    dataset = move.dataset
    last = db.session.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
                              .order_by(DatasetVersion.number.desc()).limit(1)).first()
    if last is not None and last.snapshot == catalog.snapshot(dataset):
        move.summary["version"] = last.number
        return
    write_version(move)


def start_revision(move: Move) -> None:
    """The draft copy the producer edits (``catalog.copy_for_revision``)."""
    revision = catalog.copy_for_revision(move.dataset)
    statistik.copy_to_revision(move.dataset, revision)  # its BPS metadata, keyed by the copied tables
    move.summary["revision"] = revision.slug


def _hand_over(revision: Dataset, published: Dataset, *, merged: bool) -> None:
    """The revision's conversation (its ReviewEvents) joins the published dataset before the
    revision row goes. Its Daftar Data links (a harvest's new year of values, which the
    published dataset does not hold) join it only when the revision is published, stamped with
    that moment (``DaftarDataItem.fulfilled_at``: the data became public now, not at the
    dataset's first publication); a discarded revision leaves those items unfulfilled."""
    from satudata.review.daftar.models import DaftarDataItem

    db.session.execute(update(ReviewEvent).where(ReviewEvent.dataset_id == revision.id)
                       .values(dataset_id=published.id).execution_options(synchronize_session=False))
    linked = update(DaftarDataItem).where(DaftarDataItem.dataset_id == revision.id)
    values = ({"dataset_id": published.id, "fulfilled_at": utcnow()} if merged
              else {"dataset_id": None, "fulfilled_at": None})
    db.session.execute(linked.values(**values).execution_options(synchronize_session="fetch"))


def merge_into_published(move: Move) -> None:
    """The revision becomes the published dataset (``catalog.merge_revision``); later effects,
    the audit row and the signal concern the published dataset."""
    revision = move.dataset
    published = revision.revision_of
    assert published is not None
    _hand_over(revision, published, merged=True)
    statistik.carry_onto_published(revision)  # its BPS metadata replaces the published one's
    move.summary["revision"] = revision.slug
    move.dataset = catalog.merge_revision(revision)
    move.event.dataset_id = move.dataset.id


def drop_revision(move: Move) -> None:
    """The revision is given up: its conversation joins the published dataset; its files stay
    in the store (other rows or versions may use them)."""
    revision = move.dataset
    published = revision.revision_of
    assert published is not None
    _hand_over(revision, published, merged=False)
    statistik.drop_rows(revision)
    move.summary["revision"] = revision.slug
    catalog.delete_revision(revision)
    move.dataset = published
    move.event.dataset_id = published.id


def announce_published(move: Move) -> None:
    """Search indexes the published version after commit (``catalog.events.dataset_published``)."""
    catalog_events.dataset_published.send(move.dataset)


def announce_withdrawn(move: Move) -> None:
    """Search forgets the dataset after commit (``review.events.dataset_withdrawn``)."""
    events.dataset_withdrawn.send(move.dataset, reason=move.event.note)


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Transition:
    """One allowed move: from which states to which, the permission it needs, what the actor
    must write with it (``inputs``), what must hold of the dataset (``guard``; refused with
    ``refusal`` and ``guard_error``), and its side effects, run in order after the state
    changed and the ReviewEvent was written."""

    name: str
    sources: tuple[DatasetState, ...]
    target: DatasetState
    permission: Permission
    label: str
    guard: Guard = _no_guard
    refusal: str = ""
    guard_error: type[DomainError] = Invalid
    inputs: InputCheck = _any_input
    effects: tuple[Effect, ...] = ()
    # Which datasets the move is for: "any", "published" (not a revision) or "revision".
    applies_to: str = "any"


TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("submit", (DatasetState.DRAFT, DatasetState.CHANGES_REQUESTED), DatasetState.SUBMITTED,
               Permission.REVIEW_DATASET_SUBMIT, "Ajukan ke walidata", guard=submission_problems,
               refusal="Dataset belum dapat diajukan"),
    Transition("retract", (DatasetState.SUBMITTED,), DatasetState.DRAFT, Permission.REVIEW_DATASET_SUBMIT,
               "Tarik pengajuan"),
    Transition("request_changes", (DatasetState.SUBMITTED,), DatasetState.CHANGES_REQUESTED,
               Permission.REVIEW_DATASET_PUBLISH, "Minta perbaikan", inputs=_message_or_field_notes),
    Transition("publish", (DatasetState.SUBMITTED,), DatasetState.PUBLISHED, Permission.REVIEW_DATASET_PUBLISH,
               "Terbitkan", guard=submission_problems, refusal="Dataset belum dapat diterbitkan",
               guard_error=Conflict, effects=(stamp_publication, write_version, announce_published),
               applies_to="published"),
    Transition("withdraw", (DatasetState.PUBLISHED,), DatasetState.WITHDRAWN, Permission.REVIEW_DATASET_PUBLISH,
               "Tarik dari publik", inputs=_reason_required, effects=(announce_withdrawn,), applies_to="published"),
    Transition("republish", (DatasetState.WITHDRAWN,), DatasetState.PUBLISHED, Permission.REVIEW_DATASET_PUBLISH,
               "Terbitkan kembali", guard=submission_problems, refusal="Dataset belum dapat diterbitkan kembali",
               guard_error=Conflict, effects=(stamp_publication, restore_version, announce_published),
               applies_to="published"),
    Transition("open_revision", (DatasetState.PUBLISHED,), DatasetState.PUBLISHED, Permission.REVIEW_DATASET_SUBMIT,
               "Buka revisi", guard=no_open_revision, refusal="Revisi tidak dapat dibuka", guard_error=Conflict,
               effects=(start_revision,), applies_to="published"),
    Transition("publish_revision", (DatasetState.SUBMITTED,), DatasetState.PUBLISHED,
               Permission.REVIEW_DATASET_PUBLISH, "Terbitkan revisi", guard=revision_problems,
               refusal="Revisi belum dapat diterbitkan", guard_error=Conflict,
               effects=(merge_into_published, stamp_publication, write_version, announce_published),
               applies_to="revision"),
    Transition("discard_revision", (DatasetState.DRAFT, DatasetState.CHANGES_REQUESTED), DatasetState.DRAFT,
               Permission.REVIEW_DATASET_SUBMIT, "Buang revisi", effects=(drop_revision,), applies_to="revision"),
)}

STATE_LABELS = {
    DatasetState.DRAFT: "Draf",
    DatasetState.SUBMITTED: "Diajukan",
    DatasetState.CHANGES_REQUESTED: "Perlu perbaikan",
    DatasetState.PUBLISHED: "Terbit",
    DatasetState.WITHDRAWN: "Ditarik",
}

ACTION_LABELS = {name: t.label for name, t in TRANSITIONS.items()}

_WIB = ZoneInfo("Asia/Jakarta")


def _moved_on(state: DatasetState) -> Conflict:
    current = STATE_LABELS.get(state, str(state))
    return Conflict(f'Dataset berstatus "{current}"; langkah ini tidak dapat dilakukan dari status itu. '
                    "Muat ulang halaman untuk melihat status terbaru.")


def _when(moment: datetime) -> str:
    return moment.astimezone(_WIB).strftime("%d-%m-%Y %H.%M WIB")


def _stale(latest: ReviewEvent | None) -> Conflict:
    if latest is None:
        what = "riwayatnya berbeda dari yang Anda lihat"
    else:
        what = (f'langkah terakhirnya kini "{ACTION_LABELS.get(latest.action, latest.action)}" oleh '
                f"{latest.actor_label} pada {_when(latest.created_at)}")
    return Conflict(f"Dataset ini sudah berubah sejak halaman Anda dimuat ({what}). Muat ulang halaman, periksa "
                    "perubahannya, lalu ulangi langkah Anda.", details={"expected_event_id": [
                        "Bukan langkah terakhir dataset ini lagi."]})


def latest_event(dataset: Dataset) -> ReviewEvent | None:
    """The dataset's most recent ReviewEvent (what a page acting on it was built from)."""
    return db.session.scalars(select(ReviewEvent).where(ReviewEvent.dataset_id == dataset.id)
                              .order_by(ReviewEvent.id.desc()).limit(1)).first()


def _applies(transition: Transition, dataset: Dataset) -> bool:
    if transition.applies_to == "revision":
        return dataset.revision_of_id is not None
    if transition.applies_to == "published":
        return dataset.revision_of_id is None
    return True


def available(dataset: Dataset) -> list[Transition]:
    """The moves the table allows from the dataset's current state (before policy and guard)."""
    return [t for t in TRANSITIONS.values() if dataset.state in t.sources and _applies(t, dataset)]


def apply(actor: Actor, dataset: Dataset, name: str, *, note: str = "",
          field_notes: dict[str, str] | None = None, expected_event_id: int | None = None) -> ReviewEvent:
    """Make move ``name`` on ``dataset`` for ``actor``; the caller's unit of work commits.

    ``expected_event_id``: the id of the latest ReviewEvent the actor saw (the page they act
    from); when the dataset has moved since, even back to the same state (the producer
    retracted and submitted again), the move is refused with ``Conflict``. Two actors making a
    move at once: the compare-and-set lets exactly one through; the other gets ``Conflict``.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Invalid(f'Perpindahan status "{name}" tidak dikenal.')
    require(actor, transition.permission, dataset)
    if not _applies(transition, dataset):
        raise Conflict("Langkah ini hanya untuk revisi dataset yang sudah terbit." if transition.applies_to == "revision"
                       else "Langkah ini tidak berlaku untuk revisi; revisi diterbitkan dengan menerbitkan revisinya.")
    if dataset.state not in transition.sources:
        raise _moved_on(dataset.state)
    note = (note or "").strip()
    problems = transition.inputs(note, field_notes)
    if problems:
        raise Invalid(" ".join(message for messages in problems.values() for message in messages),
                      details=problems)
    guarded = transition.guard(dataset)
    if guarded:
        raise transition.guard_error(f"{transition.refusal}: " + " ".join(guarded), details={"dataset": guarded})
    source = dataset.state
    # Compare and set in one statement: of two requests making a move at once (a double click,
    # two tabs, two walidata), exactly one changes the row; the other is told the state moved
    # on. PostgreSQL re-checks the condition after the first commits; SQLite's one write lock
    # makes the second wait and then match nothing.
    values: dict[str, Any] = {"state": transition.target}
    if transition.target == source:  # a move that keeps the state (a revision opened) is no edit
        values["updated_at"] = Dataset.updated_at
    moved = db.session.execute(
        update(Dataset).where(Dataset.id == dataset.id, Dataset.state == source)
        .values(**values).execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        current = db.session.scalar(select(Dataset.state).where(Dataset.id == dataset.id))
        raise _moved_on(current or source)
    if expected_event_id is not None:
        # Read after the compare-and-set, which waited for any move committing meanwhile, so
        # its events are seen here; a refusal rolls the state back with the unit of work.
        latest = latest_event(dataset)
        if latest is None or latest.id != expected_event_id:
            raise _stale(latest)
    set_committed_value(dataset, "state", transition.target)
    db.session.expire(dataset, ["updated_at"])  # the statement stamped it (the column's onupdate)
    event = ReviewEvent(dataset_id=dataset.id, action=name, from_state=str(source), to_state=str(transition.target),
                        actor_id=getattr(actor, "id", None), actor_label=actor_label(actor), note=note,
                        field_notes=field_notes or None, created_at=utcnow())
    db.session.add(event)
    db.session.flush()
    move = Move(actor=actor, dataset=dataset, transition=transition, source=source, event=event)
    for effect in transition.effects:
        effect(move)
    # A revision's moves that end it hand over to the published dataset (``move.dataset``).
    audit(actor, f"dataset.{name}", "dataset", move.dataset.id,
          {"from": str(source), "to": str(transition.target), "note": note[:500], **move.summary})
    events.dataset_moved.send(move.dataset, transition=name, actor=actor, event=event)
    return event
