"""Who hears about a lifecycle move, and what they are told.

The walidata of the dataset's region hear of a submission (and of its retraction); the producers
of the dataset's OPD, and whoever submitted it, hear of a request for changes, a publication
(of a dataset or of a revision), a withdrawal and a republication. Opening or discarding a
revision tells nobody (the producers' own work). Each gets a row in their in-app list and, but for the
retraction, the same text by e-mail (the outbox, in the move's own transaction: a move that rolls
back tells nobody). Connected to ``review.events.dataset_moved`` by ``review.init_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, User
from satudata.authz import Role
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset
from satudata.review import services
from satudata.review.models import ReviewEvent


def reviewers_of(dataset: Dataset) -> list[User]:
    """The walidata who review ``dataset``: those holding the walidata role in its OPD or any
    organisation above it (the region's government)."""
    return reviewers_over(dataset.organization)


def reviewers_over(org: Organization | None) -> list[User]:
    """The walidata over ``org``: the walidata role in it or any organisation above it."""
    ids: set[int] = set()
    node = org
    while node is not None and node.id not in ids:
        ids.add(node.id)
        node = node.parent
    return accounts.users_with_role(Role.WALIDATA, ids)


def producers_of(dataset: Dataset) -> list[User]:
    """The producers of ``dataset``'s OPD, and whoever last submitted it (even from elsewhere)."""
    users = accounts.users_with_role(Role.PRODUSEN, {dataset.organization_id})
    submitter = next((e for e in services.list_events(dataset) if e.action == "submit" and e.actor_id), None)
    if submitter is not None and all(u.id != submitter.actor_id for u in users):
        found = accounts.get_user(submitter.actor_id) if submitter.actor_id else None
        if found is not None and found.active:
            users.append(found)
    return users


def _path(endpoint: str, **values: Any) -> str:
    """The path of ``endpoint`` on this portal, inside a request or not (a move made by the
    CLI or a job tells people too)."""
    return str(current_app.url_map.bind("localhost").build(endpoint, values))


def _review_path(ds: Dataset) -> str:
    """Where the walidata reviews ``ds``: its review page, or their workspace home."""
    if "workspace.review_dataset" in current_app.view_functions:
        return _path("workspace.review_dataset", slug=ds.slug)
    return _path("workspace.dashboard")


def _field_notes_text(notes: dict[str, str]) -> str:
    labels = {f.name: f.label for f in catalog.METADATA_FIELDS}
    return "\n".join(f"- {labels.get(name, name)}: {note}" for name, note in notes.items())


def _with_note(text: str, note: str, label: str = "Catatan") -> str:
    return f"{text}\n\n{label}: {note}" if note.strip() else text


def _submitted(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    if ds.revision_of is not None:
        body = _with_note(f'{ds.organization.name} mengajukan revisi dataset terbit "{ds.revision_of.title}" untuk '
                          "diperiksa. Halaman pemeriksaan menunjukkan perubahannya dibanding versi terbit.", event.note)
        return reviewers_of(ds), f'Revisi untuk diperiksa: "{ds.title}"', body, _review_path(ds), True
    body = _with_note(f'{ds.organization.name} mengajukan dataset "{ds.title}" untuk diperiksa.', event.note)
    return reviewers_of(ds), f'Pengajuan baru untuk diperiksa: "{ds.title}"', body, _review_path(ds), True


def _retracted(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    body = _with_note(f'{ds.organization.name} menarik kembali pengajuan dataset "{ds.title}"; '
                      "dataset ini tidak perlu diperiksa sampai diajukan lagi.", event.note)
    return reviewers_of(ds), f'Pengajuan ditarik: "{ds.title}"', body, _review_path(ds), False


def _changes_requested(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    body = f'Walidata meminta perbaikan pada dataset "{ds.title}" sebelum diterbitkan.'
    body = _with_note(body, event.note, "Pesan walidata")
    if event.field_notes:
        body += "\n\nPerbaikan per kolom:\n" + _field_notes_text(dict(event.field_notes))
    body += "\n\nPerbaiki lalu ajukan kembali dari ruang kerja."
    return (producers_of(ds), f'Perlu perbaikan: "{ds.title}"', body,
            _path("workspace.dataset", slug=ds.slug), True)


def _published(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    body = _with_note(f'Walidata menerbitkan dataset "{ds.title}"; kini tampil di katalog publik.', event.note)
    return producers_of(ds), f'Dataset terbit: "{ds.title}"', body, _path("catalog.dataset", slug=ds.slug), True


def _revision_published(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    body = _with_note(f'Walidata menerbitkan revisi dataset "{ds.title}"; versi barunya kini tampil di katalog '
                      "publik, versi sebelumnya tetap dapat diunduh dari riwayat versi.", event.note)
    return (producers_of(ds), f'Revisi terbit: "{ds.title}"', body, _path("catalog.dataset", slug=ds.slug), True)


def _withdrawn(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    body = _with_note(f'Walidata menarik dataset "{ds.title}" dari katalog publik.', event.note, "Alasan")
    return producers_of(ds), f'Dataset ditarik: "{ds.title}"', body, _path("workspace.dataset", slug=ds.slug), True


def _republished(ds: Dataset, event: ReviewEvent) -> tuple[list[User], str, str, str, bool]:
    body = _with_note(f'Walidata menerbitkan kembali dataset "{ds.title}".', event.note)
    return producers_of(ds), f'Dataset terbit kembali: "{ds.title}"', body, _path("catalog.dataset", slug=ds.slug), True


MESSAGES: dict[str, Callable[[Dataset, ReviewEvent], tuple[list[User], str, str, str, bool]]] = {
    "submit": _submitted,
    "retract": _retracted,
    "request_changes": _changes_requested,
    "publish": _published,
    "publish_revision": _revision_published,
    "withdraw": _withdrawn,
    "republish": _republished,
}


def on_dataset_moved(dataset: Dataset, *, transition: str, actor: Any, event: ReviewEvent, **_: Any) -> None:
    """Tell whom ``transition`` concerns (not the actor, who knows). A harvested dataset's moves
    are told once per harvest run instead (``harvest.tasks``): a run of 10,000 records must not
    send the walidata 10,000 mails."""
    message = MESSAGES.get(transition)
    if message is None or catalog.is_harvested(dataset):
        return
    users, title, body, url, mail = message(dataset, event)
    users = [u for u in users if u.id != getattr(actor, "id", None)]
    if users:
        accounts.notify(users, kind=f"dataset.{transition}", title=title, body=body, url=url, mail=mail)
