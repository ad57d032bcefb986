"""The walidata's side of the lifecycle through the review services: publish, request changes
per field, withdraw, republish; the side effects each move declares (version, stamps, signals,
search), optimistic locking on the page's last event, and the review queue. Real database,
real validation (the job runs inline, as the worker would)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog, OrganizationKind
from satudata.catalog import services as catalog
from satudata.catalog.models import DatasetState, DatasetVersion, ValidationStatus
from satudata.db import utcnow
from satudata.errors import Conflict, Forbidden, Gone, Invalid, NotFound
from satudata.extensions import db
from satudata.review import events, transitions
from satudata.review import services as review
from satudata.review.models import ReviewEvent
from tests.accounts.conftest import PASSWORD, orgs, users  # noqa: F401  (fixtures)
from tests.factories import SYSTEM, make_dataset, make_topic, submit_dataset, validate


@pytest.fixture()
def submitted(app: Any, orgs: Any, users: Any) -> Any:  # noqa: F811
    """A Dinkes (province) dataset with a validated table, submitted by the system actor."""
    topic = make_topic("kesehatan", "Kesehatan")
    ds = make_dataset(orgs["dinkes"], publish=False, title="Jumlah Puskesmas", topics=[topic])
    return submit_dataset(ds, note="Mohon diperiksa")


@pytest.fixture()
def moves() -> Any:
    """Every ``dataset_moved`` signal sent during the test: (dataset slug, transition, actor, event)."""
    seen: list[tuple[str, str, Any, Any]] = []

    def receiver(dataset: Any, *, transition: str, actor: Any, event: Any, **_: Any) -> None:
        seen.append((dataset.slug, transition, actor, event))

    events.dataset_moved.connect(receiver)
    yield seen
    events.dataset_moved.disconnect(receiver)


def _walidata_of(org: Any, name: str) -> Any:
    return accounts.create_user(SYSTEM, username=name, email=f"{name}@example.go.id", full_name=name,
                                password=PASSWORD, roles=[("walidata", org)])


def test_publish_writes_version_stamps_and_event(submitted: Any, users: Any, orgs: Any, moves: Any) -> None:  # noqa: F811
    expected = review.last_event_id(submitted)
    event = review.publish_dataset(users["walidata"], submitted, note="Rilis 2025", expected_event_id=expected)
    db.session.commit()
    assert submitted.state == DatasetState.PUBLISHED
    assert (event.action, event.from_state, event.to_state, event.actor_label, event.note) == (
        "publish", "submitted", "published", "user:walidata", "Rilis 2025")
    assert submitted.published_at == event.created_at
    assert submitted.walidata_id == orgs["kominfo"].id  # the region's walidata organisation
    [version] = submitted.versions
    assert (version.number, version.note, version.created_by_id) == (1, "Rilis 2025", users["walidata"].id)
    snap = version.snapshot
    assert snap["title"] == "Jumlah Puskesmas" and snap["walidata"] == "diskominfotik-riau"
    assert snap["topics"] == ["kesehatan"]
    table = submitted.resources[0]
    assert snap["resources"][0]["sha256"] == table.sha256 and snap["resources"][0]["row_count"] == 3
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "dataset.publish")).one()
    assert audit.object_id == submitted.id and audit.summary["version"] == 1
    assert [(slug, name) for slug, name, _actor, _event in moves] == [(submitted.slug, "publish")]
    assert moves[0][2] is users["walidata"] and moves[0][3] is event
    assert catalog.get_public_dataset(submitted.slug).id == submitted.id


def test_publish_refused_when_the_submission_no_longer_holds(submitted: Any, users: Any) -> None:  # noqa: F811
    # The system replaces the table while it is with the walidata: validation is pending again.
    table = submitted.resources[0]
    catalog.replace_resource_file(SYSTEM, table, io.BytesIO(b"kode_wilayah,jumlah\n14.07.01,satu\n"),
                                  filename="penduduk.csv")
    db.session.commit()
    with pytest.raises(Conflict) as err:
        review.publish_dataset(users["walidata"], submitted)
    assert err.value.message.startswith("Dataset belum dapat diterbitkan:")
    assert any("masih divalidasi" in p for p in err.value.details["dataset"])
    db.session.rollback()
    table.table_schema = {"fields": [{"name": "kode_wilayah", "type": "string"},
                                     {"name": "jumlah", "type": "integer"}]}
    catalog.revalidate_resource(SYSTEM, table)
    assert validate(table) == "invalid"
    catalog.update_dataset(SYSTEM, submitted, {"satuan": None})
    with pytest.raises(Conflict) as err:
        review.publish_dataset(users["walidata"], submitted)
    assert any("belum lolos validasi" in p for p in err.value.details["dataset"])
    assert "Metadata wajib belum diisi: Satuan." in err.value.details["dataset"]
    db.session.rollback()
    db.session.refresh(submitted)
    assert submitted.state == DatasetState.SUBMITTED and submitted.versions == []


def test_only_the_regions_walidata_and_admins_decide(submitted: Any, users: Any, orgs: Any) -> None:  # noqa: F811
    dumai = _walidata_of(orgs["other"], "walidata.dumai")
    db.session.commit()
    for actor in (users["produsen"], users["ppid_utama"], dumai):
        with pytest.raises(Forbidden):
            review.publish_dataset(actor, submitted)
        with pytest.raises(Forbidden):
            review.request_changes(actor, submitted, message="Perbaiki")
    assert submitted.state == DatasetState.SUBMITTED
    review.publish_dataset(users["admin"], submitted)
    db.session.commit()
    for actor in (users["produsen"], dumai):
        with pytest.raises(Forbidden):
            review.withdraw_dataset(actor, submitted, reason="Salah")
    assert submitted.state == DatasetState.PUBLISHED


def test_request_changes_per_field(submitted: Any, users: Any) -> None:  # noqa: F811
    walidata = users["walidata"]
    with pytest.raises(Invalid) as err:
        review.request_changes(walidata, submitted, message=" ", field_notes={"satuan": "  "})
    assert "message" in err.value.details  # neither a message nor a note
    with pytest.raises(Invalid) as err:
        review.request_changes(walidata, submitted, field_notes={"jumlah_kolom": "Tidak ada kolom ini",
                                                                 "satuan": "Tulis unit"})
    assert "jumlah_kolom" in err.value.details["field_notes"][0]
    with pytest.raises(Invalid):
        review.request_changes(walidata, submitted, field_notes={"satuan": 5})  # type: ignore[dict-item]
    with pytest.raises(Invalid):
        review.request_changes(walidata, submitted, field_notes={"satuan": "x" * 2001})
    assert review.last_field_notes(submitted) == {}
    event = review.request_changes(walidata, submitted, field_notes={
        "satuan": " Tulis jiwa, bukan orang. ", "kode_wilayah": "", "description": "Sebutkan sumbernya."})
    db.session.commit()
    assert submitted.state == DatasetState.CHANGES_REQUESTED
    assert event.note == "" and event.field_notes == {"satuan": "Tulis jiwa, bukan orang.",
                                                       "description": "Sebutkan sumbernya."}
    assert review.last_field_notes(submitted) == event.field_notes
    # The producer fixes and resubmits; the walidata asks again, with a message only.
    catalog.update_dataset(users["produsen"], submitted, {"satuan": "jiwa"})
    review.submit_dataset(users["produsen"], submitted)
    review.request_changes(walidata, submitted, message="Satu lagi: periode data.")
    db.session.commit()
    assert review.last_field_notes(submitted) == {}
    with pytest.raises(Invalid) as err:  # only a request for changes carries field notes
        transitions.apply(SYSTEM, submitted, "submit", field_notes={"satuan": "x"})
    assert "field_notes" in err.value.details


def test_withdraw_needs_a_public_reason_and_republish_brings_the_version_back(
        submitted: Any, users: Any, moves: Any) -> None:  # noqa: F811
    walidata = users["walidata"]
    withdrawn_signals: list[tuple[str, str]] = []

    def on_withdrawn(dataset: Any, *, reason: str, **_: Any) -> None:
        withdrawn_signals.append((dataset.slug, reason))

    events.dataset_withdrawn.connect(on_withdrawn)
    try:
        review.publish_dataset(walidata, submitted)
        db.session.commit()
        with pytest.raises(Invalid) as err:
            review.withdraw_dataset(walidata, submitted, reason="   ")
        assert "reason" in err.value.details
        review.withdraw_dataset(walidata, submitted, reason="Angka 2024 keliru; perbaikan menyusul.")
        db.session.commit()
    finally:
        events.dataset_withdrawn.disconnect(on_withdrawn)
    assert withdrawn_signals == [(submitted.slug, "Angka 2024 keliru; perbaikan menyusul.")]
    assert submitted.state == DatasetState.WITHDRAWN
    found = review.withdrawal_of(submitted)
    assert found is not None and found.reason == "Angka 2024 keliru; perbaikan menyusul." and found.by == "user:walidata"
    with pytest.raises(NotFound):
        catalog.get_public_dataset(submitted.slug)  # what the CKAN API asks
    with pytest.raises(Gone) as gone:
        catalog.get_public_dataset(submitted.slug, explain_withdrawn=True)
    assert "telah ditarik" in gone.value.message and "Angka 2024 keliru" in gone.value.message
    assert gone.value.details["reason"] == ["Angka 2024 keliru; perbaikan menyusul."]
    with pytest.raises(Gone):
        catalog.get_public_resource(submitted.resources[0].id, explain_withdrawn=True)
    first_published = submitted.published_at

    review.republish_dataset(walidata, submitted, note="Sudah diperiksa ulang")
    db.session.commit()
    assert submitted.state == DatasetState.PUBLISHED and submitted.published_at == first_published
    assert [v.number for v in submitted.versions] == [1]  # nothing changed: version 1 is back
    assert review.withdrawal_of(submitted) is None
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "dataset.republish")).one()
    assert audit.summary["version"] == 1

    # Changed while withdrawn (only the system may): republishing writes version 2.
    review.withdraw_dataset(walidata, submitted, reason="Judul diperbaiki")
    catalog.update_dataset(SYSTEM, submitted, {"title": "Jumlah Puskesmas (perbaikan)"})
    review.republish_dataset(walidata, submitted)
    db.session.commit()
    assert [(v.number, v.snapshot["title"]) for v in submitted.versions] == [
        (2, "Jumlah Puskesmas (perbaikan)"), (1, "Jumlah Puskesmas")]
    assert [name for _slug, name, _a, _e in moves] == ["publish", "withdraw", "republish", "withdraw", "republish"]


def test_moves_from_the_wrong_state_are_conflicts(submitted: Any, users: Any) -> None:  # noqa: F811
    walidata = users["walidata"]
    for move in (lambda: review.withdraw_dataset(walidata, submitted, reason="x"),
                 lambda: review.republish_dataset(walidata, submitted)):
        with pytest.raises(Conflict) as err:
            move()
        assert 'berstatus "Diajukan"' in err.value.message
    review.publish_dataset(walidata, submitted)
    db.session.commit()
    with pytest.raises(Conflict):
        review.publish_dataset(walidata, submitted)  # a double click: published already
    with pytest.raises(Conflict):
        review.request_changes(walidata, submitted, message="Terlambat")
    assert {t.name for t in transitions.available(submitted)} == {"withdraw", "open_revision"}


def test_a_move_from_a_stale_page_is_refused_and_nothing_is_lost(submitted: Any, users: Any) -> None:  # noqa: F811
    seen = review.last_event_id(submitted)  # the walidata opens the submission
    # Meanwhile the producer takes it back, changes it and submits it again.
    review.retract_submission(users["produsen"], submitted)
    catalog.update_dataset(users["produsen"], submitted, {"satuan": "unit"})
    review.submit_dataset(users["produsen"], submitted, note="Satuan diganti")
    db.session.commit()
    with pytest.raises(Conflict) as err:
        review.publish_dataset(users["walidata"], submitted, expected_event_id=seen)
    assert "sudah berubah sejak halaman Anda dimuat" in err.value.message
    assert '"Ajukan ke walidata" oleh user:produsen' in err.value.message
    db.session.rollback()
    db.session.refresh(submitted)
    assert submitted.state == DatasetState.SUBMITTED and submitted.satuan == "unit"
    assert [e.action for e in review.list_events(submitted)] == ["submit", "retract", "submit"]
    assert db.session.scalar(select(DatasetVersion.id)) is None
    # Acting on what is there now goes through.
    review.publish_dataset(users["walidata"], submitted, expected_event_id=review.last_event_id(submitted))
    db.session.commit()
    assert submitted.state == DatasetState.PUBLISHED


def test_every_move_writes_an_event_and_an_audit_row(submitted: Any, users: Any) -> None:  # noqa: F811
    walidata = users["walidata"]
    review.request_changes(walidata, submitted, message="Lengkapi")
    review.submit_dataset(users["produsen"], submitted)
    review.publish_dataset(walidata, submitted)
    review.withdraw_dataset(walidata, submitted, reason="Ditarik")
    review.republish_dataset(walidata, submitted)
    db.session.commit()
    actions = ["submit", "request_changes", "submit", "publish", "withdraw", "republish"]
    assert [e.action for e in reversed(review.list_events(submitted))] == actions
    audited = db.session.scalars(select(AuditLog.action).where(AuditLog.object_id == submitted.id,
                                                              AuditLog.action.like("dataset.%"))
                                 .order_by(AuditLog.id)).all()
    assert audited == ["dataset.create"] + [f"dataset.{a}" for a in actions]


def test_review_queue_is_the_regions_submissions_oldest_first(app: Any, orgs: Any, users: Any) -> None:  # noqa: F811
    kesehatan = make_topic("kesehatan", "Kesehatan")
    bidan = make_dataset(orgs["dinkes"], publish=False, title="Jumlah Bidan", topics=[kesehatan])
    sekolah = make_dataset(orgs["kominfo"], publish=False, title="Jumlah Sekolah")
    dumai = make_dataset(orgs["other"], publish=False, title="Penduduk Dumai")
    draft = make_dataset(orgs["dinkes"], publish=False, title="Masih Draf")
    for ds in (sekolah, bidan, dumai):
        submit_dataset(ds)
    # The submissions' ages: Sekolah three days, Bidan one.
    now = utcnow()
    for ds, days in ((sekolah, 3), (bidan, 1)):
        for event in review.list_events(ds):
            event.created_at = now - timedelta(days=days)
    db.session.commit()

    queue = review.review_queue(users["walidata"], now=now)
    assert [item.dataset.title for item in queue] == ["Jumlah Sekolah", "Jumlah Bidan"]
    assert queue[0].waiting == timedelta(days=3) and queue[0].waiting_label == "3 hari"
    assert queue[1].submitted_by == "system:tests" and queue[1].last_event_id == review.last_event_id(bidan)
    assert draft.id not in {item.dataset.id for item in queue}
    assert [i.dataset.title for i in review.review_queue(users["walidata"], topic="kesehatan")] == ["Jumlah Bidan"]
    assert [i.dataset.title for i in review.review_queue(users["walidata"], organization="dinkes-riau")] == [
        "Jumlah Bidan"]
    assert [i.dataset.title for i in review.review_queue(users["admin"])] == [
        "Jumlah Sekolah", "Jumlah Bidan", "Penduduk Dumai"]
    dumai_walidata = _walidata_of(orgs["other"], "walidata.dumai")
    assert [i.dataset.title for i in review.review_queue(dumai_walidata)] == ["Penduduk Dumai"]
    with pytest.raises(Invalid) as err:
        review.review_queue(users["walidata"], organization="tidak-ada")
    assert "organization" in err.value.details
    with pytest.raises(Invalid):
        review.review_queue(users["walidata"], topic="tidak-ada")
    for role in ("produsen", "ppid_utama"):
        with pytest.raises(Forbidden):
            review.review_queue(users[role])
    # A dataset that names the region's walidata as custodian reaches it from anywhere.
    elsewhere = accounts.create_organization(SYSTEM, slug="bps-riau", name="BPS Riau", kind=OrganizationKind.OPD)
    ds = make_dataset(elsewhere, publish=False, title="Inflasi", walidata=orgs["kominfo"])
    submit_dataset(ds)
    assert "Inflasi" in [i.dataset.title for i in review.review_queue(users["walidata"])]
    assert review.review_queue(users["walidata"], organization="pemkot-dumai") == []
    review.publish_dataset(users["walidata"], ds)  # what their queue shows is theirs to decide
    assert ds.walidata_id == orgs["kominfo"].id  # BPS's own region has no walidata: the named one stays


def test_the_table_declares_every_move() -> None:
    table = transitions.TRANSITIONS
    assert {name: ([str(s) for s in t.sources], str(t.target)) for name, t in table.items()} == {
        "submit": (["draft", "changes_requested"], "submitted"),
        "retract": (["submitted"], "draft"),
        "request_changes": (["submitted"], "changes_requested"),
        "publish": (["submitted"], "published"),
        "withdraw": (["published"], "withdrawn"),
        "republish": (["withdrawn"], "published"),
        "open_revision": (["published"], "published"),
        "publish_revision": (["submitted"], "published"),
        "discard_revision": (["draft", "changes_requested"], "draft"),
    }
    assert [e.__name__ for e in table["publish"].effects] == ["stamp_publication", "write_version",
                                                              "announce_published"]
    assert [e.__name__ for e in table["publish_revision"].effects] == [
        "merge_into_published", "stamp_publication", "write_version", "announce_published"]
    assert {name for name, t in table.items() if t.applies_to == "revision"} == {"publish_revision",
                                                                                "discard_revision"}
    assert [e.__name__ for e in table["withdraw"].effects] == ["announce_withdrawn"]
    assert table["publish"].guard is transitions.submission_problems
    assert all(t.label for t in table.values())


def test_validation_status_is_what_the_job_wrote(submitted: Any) -> None:
    """The factory's tables pass validation for real: the run, the report and the verdict."""
    from satudata.validation.models import RunStatus, ValidationRun

    table = submitted.resources[0]
    assert table.validation_status == ValidationStatus.VALID and table.table_schema  # inferred by the job
    run = db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == table.id)).one()
    assert run.status == RunStatus.VALID and run.engine
    assert db.session.scalars(select(ReviewEvent.action).where(ReviewEvent.dataset_id == submitted.id)).all() == [
        "submit"]
