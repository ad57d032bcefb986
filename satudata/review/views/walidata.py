"""The walidata's side of review ("Pemeriksaan", Perpres 39/2019: the walidata checks what
producers submit, returns what does not conform per field with a note, and publishes).

- the queue: the region's submissions, the one waiting longest first, filtered by OPD and topic;
- the region's datasets in one state (published ones to withdraw, withdrawn ones to republish);
- the review page of one dataset: its Satu Data metadata field by field with a verdict each, the
  validation status of every table (linking to the workspace's report), the conversation so far,
  and the moves its state allows: request changes, approve and publish, withdraw, republish.

Every form carries ``expected_event_id`` (the last step the page was built on): a move made from
a stale page, or sent twice, is refused by ``review.services`` (``Conflict``), and the page comes
back with what happened meanwhile and everything the walidata typed still in its boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from satudata.accounts.models import User
from satudata.authz import Permission, can
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState
from satudata.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, roll_back_refused
from satudata.extensions import db
from satudata.review import services as review
from satudata.review.models import ReviewEvent
from satudata.review.regions import is_reviewer
from satudata.review.statistik import services as statistik
from satudata.review.views.common import (
    bp,
    expected_event_id,
    field_labels,
    form_errors,
    signed_in,
    waiting_label,
)
from satudata.review.views.region import region_datasets, region_organizations
from satudata.templating import date_local, render_markdown

# The states a walidata lists from "Kelola data" (drafts stay the producer's own business).
LISTED_STATES = (DatasetState.SUBMITTED, DatasetState.CHANGES_REQUESTED, DatasetState.PUBLISHED,
                 DatasetState.WITHDRAWN)
BULK_MAX = 50


def reviewer(user: User) -> User:
    """``user`` (signed in) when they review submissions (a walidata, an admin); anyone else is
    refused (403)."""
    if not is_reviewer(user):
        raise Forbidden(_("Halaman pemeriksaan hanya untuk walidata."))
    return user


def reviewed_dataset(user: User, slug: str) -> Dataset:
    """A dataset of the walidata's region (404 outside it, as in the workspace); its producer
    who is not its walidata is refused (403)."""
    ds = catalog.get_workspace_dataset(user, slug)
    if not can(user, Permission.REVIEW_DATASET_PUBLISH, ds):
        raise Forbidden(_("Hanya walidata wilayah ini yang memeriksa dataset ini."))
    return ds


# --------------------------------------------------------------------------- the queue


@bp.get("/pemeriksaan")
def review_queue() -> Any:
    user = reviewer(signed_in())
    organization = (request.args.get("opd") or "").strip()[:100] or None
    topic = (request.args.get("topik") or "").strip()[:100] or None
    errors: dict[str, Any] = {}
    try:
        items = review.review_queue(user, organization=organization, topic=topic)
    except Invalid as err:  # an unknown OPD or topic in the address: say so, show the whole queue's filters
        roll_back_refused(err)
        errors = form_errors(err)
        items = []
    started = statistik.started_ids(item.dataset for item in items)  # one query for the BPS forms' guard
    rows = [{"item": item, "waiting": waiting_label(item.waiting.days, item.waiting.seconds // 3600),
             "problems": review.submission_problems(item.dataset, ms_started=item.dataset.id in started)}
            for item in items]
    return render_template(
        "review/queue.html", rows=rows, organizations=region_organizations(user), topics=catalog.list_topics(),
        organization=organization, topic=topic, errors=errors,
        bulk_ready=any(not row["problems"] for row in rows)), 400 if errors else 200


@bp.post("/pemeriksaan/terbitkan-sekaligus")
def review_bulk_publish() -> Any:
    """Publish several submissions at once, each on its own terms: one refused (it changed since
    the queue was shown, or a table is no longer valid) does not stop the others, and the
    walidata reads what happened to each."""
    user = reviewer(signed_in())
    chosen = request.form.getlist("dataset")[:BULK_MAX]
    if not chosen:
        flash(_("Pilih minimal satu pengajuan untuk diterbitkan."), "error")
        return redirect(url_for("workspace.review_queue"))
    published, refused = [], []
    for value in chosen:
        slug, _sep, event = value.partition(":")
        try:
            # Each publication in a savepoint of the request's unit of work: a refusal (raised
            # before the move's side effects) undoes only that dataset's move.
            with db.session.begin_nested():
                ds = reviewed_dataset(user, slug)
                review.publish_dataset(user, ds, expected_event_id=int(event) if event.isdigit() else None)
            published.append(ds.title)
        except DomainError as err:
            refused.append(_("%(slug)s: %(why)s", slug=slug[:100], why=err.message))
    if published:
        flash(_("Diterbitkan (%(n)s): %(titles)s.", n=len(published), titles="; ".join(published)), "success")
    for line in refused:
        flash(_("Tidak diterbitkan, %(why)s", why=line), "error")
    return redirect(url_for("workspace.review_queue"))


@bp.get("/pemeriksaan/dataset")
def review_datasets() -> Any:
    """The region's datasets in one state (default: published)."""
    user = reviewer(signed_in())
    state = DatasetState.parse(request.args.get("status") or "published")
    if state not in LISTED_STATES:
        raise NotFound(_("Status tidak dikenal."))
    if state == DatasetState.SUBMITTED:
        return redirect(url_for("workspace.review_queue"))
    return render_template("review/datasets.html", datasets=region_datasets(user, state),  # type: ignore[arg-type]
                           state=state, states=LISTED_STATES)


# --------------------------------------------------------------------------- one dataset


@dataclass
class ReviewForm:
    """What the walidata typed on the review page, kept across a refusal."""

    verdicts: dict[str, str] = field(default_factory=dict)  # field name: "ok" | "fix"
    notes: dict[str, str] = field(default_factory=dict)
    message: str = ""
    publish_note: str = ""
    reason: str = ""
    republish_note: str = ""

    @classmethod
    def from_request(cls, form: Any) -> ReviewForm:
        names = [f.name for f in catalog.METADATA_FIELDS]
        return cls(
            verdicts={n: "fix" if form.get(f"verdict-{n}") == "fix" else "ok" for n in names},
            notes={n: form.get(f"note-{n}", "") for n in names if form.get(f"note-{n}", "")},
            message=form.get("message", ""), publish_note=form.get("publish_note", ""),
            reason=form.get("reason", ""), republish_note=form.get("republish_note", ""))

    def field_notes(self) -> dict[str, str]:
        """The notes of the fields marked "perlu perbaikan"; a marked field without a note is
        refused here, beside its box (the service would only say that no note was written)."""
        missing = [n for n, v in self.verdicts.items() if v == "fix" and not self.notes.get(n, "").strip()]
        if missing:
            labels = field_labels()
            raise Invalid(_("Tulis catatan untuk setiap kolom yang ditandai perlu perbaikan: %(fields)s.",
                            fields=", ".join(labels.get(n, n) for n in missing)),
                          details={f"note-{n}": [_("Tulis apa yang perlu diperbaiki pada kolom ini.")]
                                   for n in missing})
        return {n: self.notes.get(n, "") for n, v in self.verdicts.items() if v == "fix"}

    def unsent(self, action: str) -> list[tuple[str, str]]:
        """What was typed for ``action``, as (label, text), to show when its form is gone."""
        labels = field_labels()
        if action == "request_changes":
            typed = [(_("Pesan untuk produsen"), self.message)]
            typed += [(labels.get(n, n), t) for n, t in self.notes.items() if self.verdicts.get(n) == "fix"]
        elif action == "publish":
            typed = [(_("Catatan penerbitan"), self.publish_note)]
        elif action == "withdraw":
            typed = [(_("Alasan penarikan"), self.reason)]
        else:
            typed = [(_("Catatan penerbitan kembali"), self.republish_note)]
        return [(label, text) for label, text in typed if text.strip()]


def _value(ds: Dataset, name: str, enum_labels: dict[str, dict[str, str]]) -> Any:
    """One metadata value as the walidata reads it ('' when empty)."""
    value = getattr(ds, name)
    if name == "topics":
        return ", ".join(t.name for t in value)
    if name == "tags":
        return ", ".join(t.label for t in value)
    if name == "licence_id":
        return ds.licence.title if ds.licence is not None else ""
    if name == "is_priority":
        return _("Ya") if value else _("Tidak")
    if name == "release_date":
        return date_local(value) if value else ""
    if name == "description":
        return render_markdown(value) if value else ""
    if value is None:
        return ""
    if name in enum_labels:
        return enum_labels[name].get(str(value), str(value))
    return str(value)


def metadata_rows(ds: Dataset) -> list[dict[str, Any]]:
    from satudata.catalog.views.public import enum_labels

    labels, enums = field_labels(), enum_labels()
    return [{"name": f.name, "label": labels.get(f.name, f.label), "required": f.required,
             "value": _value(ds, f.name, enums)} for f in catalog.METADATA_FIELDS]


def revision_rows(revision: Dataset) -> list[dict[str, Any]]:
    """The metadata fields a revision changes, as the walidata reads them: label, published
    value, revised value."""
    from satudata.catalog.views.public import enum_labels

    published = revision.revision_of
    if published is None:
        return []
    labels, enums = field_labels(), enum_labels()
    return [{"name": c.name, "label": labels.get(c.name, c.label), "published": _value(published, c.name, enums),
             "revision": _value(revision, c.name, enums)} for c in catalog.diff_revision(revision).metadata]


def revision_context(ds: Dataset, *, compare: bool) -> dict[str, Any]:
    """What the pages show of a revision: the fields and resources it changes, and (``compare``)
    each replaced table compared row by row with the published one."""
    if not ds.is_revision:
        return {"diff": None, "diff_rows": [], "comparisons": {}}
    diff = catalog.diff_revision(ds)
    comparisons = {c.revision.id: catalog.compare_tables(c) for c in diff.resources
                   if compare and c.kind == "changed" and c.revision is not None} if compare else {}
    return {"diff": diff, "diff_rows": revision_rows(ds), "comparisons": comparisons}


def _latest(events: list[ReviewEvent], action: str) -> ReviewEvent | None:
    return next((e for e in events if e.action == action), None)


def review_page(user: User, ds: Dataset, *, form: ReviewForm | None = None, errors: dict[str, Any] | None = None,
                conflict: str | None = None, attempted: str | None = None, status: int = 200) -> Any:
    events = review.list_events(ds)
    submission = _latest(events, "submit") if ds.state == DatasetState.SUBMITTED else None
    earlier = _latest(events, "request_changes") if ds.state == DatasetState.SUBMITTED else None
    form = form or ReviewForm()
    forms_here = {DatasetState.SUBMITTED: ("request_changes", "publish"), DatasetState.PUBLISHED: ("withdraw",),
                  DatasetState.WITHDRAWN: ("republish",)}.get(ds.state, ())  # type: ignore[call-overload]
    unsent = form.unsent(attempted) if attempted and attempted not in forms_here else []
    return render_template(
        "review/review.html", dataset=ds, rows=metadata_rows(ds), problems=review.submission_problems(ds),
        events=events, submission=submission, earlier=earlier,
        earlier_notes=dict(earlier.field_notes or {}) if earlier is not None else {},
        last_event_id=review.last_event_id(ds), withdrawal=review.withdrawal_of(ds), form=form,
        errors=errors or {}, conflict=conflict, attempted=attempted, unsent=unsent,
        field_labels=field_labels(), **revision_context(ds, compare=True)), status


@bp.get("/periksa/<slug>")
def review_dataset(slug: str) -> Any:
    user = reviewer(signed_in())
    return review_page(user, reviewed_dataset(user, slug))


_DONE = {
    "request_changes": lambda ds: _("Permintaan perbaikan dikirim ke %(opd)s; “%(title)s” kembali ke produsen.",
                                    opd=ds.organization.name, title=ds.title),
    "publish": lambda ds: _("“%(title)s” diterbitkan di katalog publik.", title=ds.title),
    "publish_revision": lambda ds: _("Revisi “%(title)s” diterbitkan sebagai versi baru; publik kini melihatnya.",
                                     title=ds.title),
    "withdraw": lambda ds: _("“%(title)s” ditarik dari katalog publik; alasannya tampil di halamannya.",
                             title=ds.title),
    "republish": lambda ds: _("“%(title)s” diterbitkan kembali.", title=ds.title),
}


def _stale_notice(action: str) -> str:
    if action in ("request_changes", "publish"):
        return _("Pengajuan ini sudah berubah sejak Anda membukanya, jadi langkah Anda tidak dijalankan.")
    return _("Dataset ini sudah berubah sejak Anda membukanya, jadi langkah Anda tidak dijalankan.")


def _move(user: User, slug: str, action: str) -> Any:
    ds = reviewed_dataset(user, slug)
    form = ReviewForm.from_request(request.form)
    expected = expected_event_id()
    was_revision = ds.is_revision
    try:
        if action == "request_changes":
            review.request_changes(user, ds, message=form.message, field_notes=form.field_notes(),
                                   expected_event_id=expected)
        elif action == "publish":
            review.publish_dataset(user, ds, note=form.publish_note, expected_event_id=expected)
        elif action == "withdraw":
            review.withdraw_dataset(user, ds, reason=form.reason, expected_event_id=expected)
        else:
            review.republish_dataset(user, ds, note=form.republish_note, expected_event_id=expected)
    except (Forbidden, NotFound):
        raise
    except DomainError as err:
        roll_back_refused(err)
        ds = reviewed_dataset(user, slug)
        if isinstance(err, Conflict):
            return review_page(user, ds, form=form, conflict=err.message, attempted=action, status=409,
                               errors={"_conflict": [_stale_notice(action)]})
        return review_page(user, ds, form=form, errors=form_errors(err), attempted=action, status=400)
    flash(_DONE["publish_revision" if action == "publish" and was_revision else action](ds), "success")
    if action in ("request_changes", "publish"):
        return redirect(url_for("workspace.review_queue"))
    return redirect(url_for("workspace.review_dataset", slug=ds.slug))


@bp.post("/periksa/<slug>/minta-perbaikan")
def review_request_changes(slug: str) -> Any:
    return _move(reviewer(signed_in()), slug, "request_changes")


@bp.post("/periksa/<slug>/terbitkan")
def review_publish(slug: str) -> Any:
    return _move(reviewer(signed_in()), slug, "publish")


@bp.post("/periksa/<slug>/tarik")
def review_withdraw(slug: str) -> Any:
    return _move(reviewer(signed_in()), slug, "withdraw")


@bp.post("/periksa/<slug>/terbitkan-kembali")
def review_republish(slug: str) -> Any:
    return _move(reviewer(signed_in()), slug, "republish")
