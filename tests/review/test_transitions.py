"""The lifecycle transition table: who may make which move, the submission guard, and the
ReviewEvent and audit row each move writes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts.models import AuditLog
from satudata.catalog import services as catalog
from satudata.catalog.models import DatasetState, ValidationStatus
from satudata.errors import Conflict, Forbidden, Invalid
from satudata.extensions import db
from satudata.review import services as review
from satudata.review import transitions
from satudata.review.models import ReviewEvent
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.factories import validate
from tests.workspace.conftest import COMPLETE, vocab  # noqa: F401  (fixtures)

SCHEMA = {"fields": [{"name": "a", "type": "integer"}]}


@pytest.fixture()
def draft(app: Any, orgs: Any, users: Any, vocab: Any) -> Any:  # noqa: F811
    from satudata.catalog.serializers import DatasetFormSchema

    data = DatasetFormSchema().load(COMPLETE)
    ds = catalog.create_workspace_dataset(users["produsen"], orgs["dinkes"], data)
    res = catalog.add_resource_file(users["produsen"], ds, __import__("io").BytesIO(b"a\n1\n"), filename="t.csv")
    res.table_schema = SCHEMA
    db.session.commit()
    return ds


def _valid(ds: Any) -> None:
    """The validation job, run for real on each table (it passes its Table Schema)."""
    for res in ds.resources:
        assert validate(res) == "valid"
    db.session.refresh(ds)


def test_submit_is_guarded_until_every_table_passed(draft: Any, users: Any) -> None:  # noqa: F811
    with pytest.raises(Invalid) as err:
        review.submit_dataset(users["produsen"], draft)
    assert any("belum divalidasi" in p for p in err.value.details["dataset"])
    assert draft.state == DatasetState.DRAFT
    for status, words in (("invalid", "belum lolos validasi"), ("pending", "masih divalidasi"),
                          ("error", "tidak dapat divalidasi")):
        draft.resources[0].validation_status = ValidationStatus(status)
        assert any(words in p for p in review.submission_problems(draft))
    _valid(draft)
    event = review.submit_dataset(users["produsen"], draft, note="Siap")
    db.session.commit()
    assert draft.state == DatasetState.SUBMITTED
    assert (event.action, event.from_state, event.to_state, event.actor_label) == (
        "submit", "draft", "submitted", "user:produsen")
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "dataset.submit")).one().object_id == draft.id


def test_missing_metadata_blocks_submission(draft: Any, users: Any) -> None:  # noqa: F811
    _valid(draft)
    draft.satuan = None
    draft.contact_email = ""
    problems = review.submission_problems(draft)
    assert "Metadata wajib belum diisi: Satuan." in problems
    assert "Metadata wajib belum diisi: Email kontak." in problems
    with pytest.raises(Invalid):
        review.submit_dataset(users["produsen"], draft)


def test_a_dataset_without_resources_cannot_be_submitted(app: Any, orgs: Any, users: Any, vocab: Any) -> None:  # noqa: F811
    from satudata.catalog.serializers import DatasetFormSchema

    ds = catalog.create_workspace_dataset(users["produsen"], orgs["dinkes"], DatasetFormSchema().load(COMPLETE))
    assert review.submission_problems(ds)[0].startswith("Belum ada sumber data")


@pytest.mark.parametrize("role", ["walidata", "ppid_pelaksana", "ppid_utama", "atasan_ppid"])
def test_only_the_producer_or_admin_submits(draft: Any, users: Any, role: str) -> None:  # noqa: F811
    _valid(draft)
    with pytest.raises(Forbidden):
        review.submit_dataset(users[role], draft)
    assert draft.state == DatasetState.DRAFT


def test_admin_may_submit(draft: Any, users: Any) -> None:  # noqa: F811
    _valid(draft)
    review.submit_dataset(users["admin"], draft)
    assert draft.state == DatasetState.SUBMITTED


def test_retract_and_request_changes(draft: Any, users: Any) -> None:  # noqa: F811
    _valid(draft)
    review.submit_dataset(users["produsen"], draft)
    review.retract_submission(users["produsen"], draft)
    assert draft.state == DatasetState.DRAFT
    with pytest.raises(Conflict):
        review.retract_submission(users["produsen"], draft)  # not submitted any more
    review.submit_dataset(users["produsen"], draft)
    db.session.commit()
    with pytest.raises(Forbidden):
        review.request_changes(users["produsen"], draft, message="sendiri")
    db.session.rollback()
    db.session.refresh(draft)
    with pytest.raises(Invalid):
        review.request_changes(users["walidata"], draft, message="  ")
    review.request_changes(users["walidata"], draft, message="Satuan harus jiwa", field_notes={"satuan": "jiwa"})
    db.session.commit()
    assert draft.state == DatasetState.CHANGES_REQUESTED
    # The producer edits again, and resubmits from "changes requested".
    catalog.update_dataset(users["produsen"], draft, {"satuan": "jiwa"})
    review.submit_dataset(users["produsen"], draft)
    actions = [e.action for e in review.list_events(draft)]
    assert actions == ["submit", "request_changes", "submit", "retract", "submit"]
    notes = db.session.scalars(select(ReviewEvent).where(ReviewEvent.action == "request_changes")).one()
    assert notes.field_notes == {"satuan": "jiwa"}


def test_moves_outside_the_table_are_refused(draft: Any, users: Any) -> None:  # noqa: F811
    with pytest.raises(Invalid):
        transitions.apply(users["admin"], draft, "publish_everything")
    with pytest.raises(Conflict):
        transitions.apply(users["walidata"], draft, "request_changes", note="x")  # draft is not submitted
    assert {t.name for t in transitions.available(draft)} == {"submit"}


def test_submitted_drafts_are_locked_for_editing(draft: Any, users: Any) -> None:  # noqa: F811
    _valid(draft)
    review.submit_dataset(users["produsen"], draft)
    with pytest.raises(Conflict):
        catalog.update_dataset(users["produsen"], draft, {"title": "Judul lain sekali"})
    with pytest.raises(Conflict):
        catalog.delete_resource(users["produsen"], draft.resources[0])
