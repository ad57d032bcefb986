"""Revisions of a published dataset: the producer changes metadata and files in a draft copy
while the public keeps seeing the published version; review loops over it as over any draft;
publishing merges it into the published dataset as a new version (same slug, same resource
ids, old files in the history and downloadable through the old version); discarding drops it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from satudata.accounts.models import AuditLog
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, DatasetState, Resource, ResourceRevision
from satudata.errors import Conflict, Forbidden
from satudata.extensions import db
from satudata.review import services as review
from satudata.review.models import ReviewEvent
from tests.accounts.conftest import orgs, users  # noqa: F401  (fixtures)
from tests.factories import make_dataset, validate
from tests.workspace.conftest import vocab  # noqa: F401  (fixtures)

NEW_CSV = ("kode_wilayah,kecamatan,laki_laki,perempuan\n"
           "14.07.01,Kubu,20350,19410\n"
           "14.07.02,Bangko,45112,43988\n"
           "14.07.04,Sinaboi,9120,8790\n")


@pytest.fixture()
def published(app: Any, orgs: Any, users: Any, vocab: Any) -> Dataset:  # noqa: F811
    return make_dataset(orgs["dinkes"], title="Jumlah Penduduk Rokan Hilir", satuan="jiwa")


def _revise(users: Any, ds: Dataset) -> Dataset:  # noqa: F811
    revision = review.editable_version(users["produsen"], ds)
    db.session.commit()
    return revision


def test_editing_a_published_dataset_opens_a_revision_and_the_public_sees_the_published_one(
        published: Dataset, users: Any) -> None:  # noqa: F811
    published_table = published.resources[0]
    revision = _revise(users, published)
    assert revision.is_revision and revision.revision_of is published
    assert revision.state == DatasetState.DRAFT and published.state == DatasetState.PUBLISHED
    assert revision.slug == published.slug + "~revisi"
    copy = revision.resources[0]
    assert (copy.revision_of_id, copy.sha256, str(copy.validation_status)) == (
        published_table.id, published_table.sha256, "valid")
    # a second edit goes to the same revision
    assert review.editable_version(users["produsen"], published) is revision
    catalog.update_dataset(users["produsen"], revision, {"satuan": "orang", "title": "Penduduk Rohil"})
    db.session.commit()
    public = catalog.get_public_dataset(published.slug)
    assert (public.title, public.satuan) == ("Jumlah Penduduk Rokan Hilir", "jiwa")
    with pytest.raises(Exception):  # noqa: B017  (the revision is nobody's public page)
        catalog.get_public_dataset(revision.slug)
    event = db.session.scalars(select(ReviewEvent).where(ReviewEvent.dataset_id == published.id)
                               .order_by(ReviewEvent.id.desc())).first()
    assert (event.action, event.from_state, event.to_state) == ("open_revision", "published", "published")
    # a direct change to the published row is still refused
    with pytest.raises(Conflict, match="revisi"):
        catalog.update_dataset(users["produsen"], published, {"satuan": "orang"})


def test_one_revision_at_a_time_and_only_producers_open_it(published: Dataset, users: Any) -> None:  # noqa: F811
    with pytest.raises(Forbidden):
        review.open_revision(users["walidata"], published)
    review.open_revision(users["produsen"], published)
    db.session.commit()
    with pytest.raises(Conflict, match="sudah dibuka"):
        review.open_revision(users["produsen"], published)


def test_the_revision_goes_through_review_and_publishing_merges_it_as_a_new_version(
        published: Dataset, users: Any) -> None:  # noqa: F811
    table = published.resources[0]
    old_sha, old_url_id = table.sha256, table.id
    revision = _revise(users, published)
    with pytest.raises(Exception, match="belum mengubah"):
        review.submit_dataset(users["produsen"], revision)
    db.session.rollback()
    catalog.update_dataset(users["produsen"], revision, {"satuan": "orang"})
    copy = revision.resources[0]
    catalog.replace_resource_file(users["produsen"], copy, io.BytesIO(NEW_CSV.encode()), filename="penduduk-2.csv")
    added = catalog.upload_resource(users["produsen"], revision, io.BytesIO(NEW_CSV.encode()), filename="tambahan.csv",
                                    name="Tabel tambahan")
    db.session.commit()
    assert validate(copy) == "valid" and validate(added) == "valid"
    db.session.refresh(revision)

    diff = catalog.diff_revision(revision)
    assert [(c.name, c.published, c.revision) for c in diff.metadata] == [("satuan", "jiwa", "orang")]
    kinds = {c.name: c.kind for c in diff.resources}
    assert kinds == {"Penduduk per kecamatan": "changed", "Tabel tambahan": "added"}
    changed = next(c for c in diff.resources if c.kind == "changed")
    assert any(d.startswith("Berkas diganti") for d in changed.details)

    review.submit_dataset(users["produsen"], revision)
    db.session.commit()
    review.request_changes(users["walidata"], revision, field_notes={"satuan": "Tulis jiwa."})
    db.session.commit()
    assert revision.state == DatasetState.CHANGES_REQUESTED
    assert review.last_field_notes(revision) == {"satuan": "Tulis jiwa."}
    assert catalog.get_public_dataset(published.slug).satuan == "jiwa"
    catalog.update_dataset(users["produsen"], revision, {"satuan": "jiwa (orang)"})
    review.submit_dataset(users["produsen"], revision)
    db.session.commit()
    revision_id = revision.id

    event = review.publish_dataset(users["walidata"], revision, note="Revisi 2025")
    db.session.commit()
    assert event.dataset_id == published.id and event.action == "publish_revision"
    assert db.session.get(Dataset, revision_id) is None
    db.session.refresh(published)
    assert published.state == DatasetState.PUBLISHED and published.revision is None
    assert published.satuan == "jiwa (orang)"
    assert [r.name for r in published.resources] == ["Penduduk per kecamatan", "Tabel tambahan"]
    merged = published.resources[0]
    assert merged.id == old_url_id and merged.sha256 != old_sha and merged.row_count == 3 and merged.filename == "penduduk-2.csv"
    history = db.session.scalars(select(ResourceRevision).where(ResourceRevision.resource_id == merged.id)).all()
    assert old_sha in {h.sha256 for h in history}
    versions = catalog.list_versions(published)
    assert [v.number for v in versions] == [2, 1]
    assert versions[1].snapshot["satuan"] == "jiwa" and versions[1].snapshot["resources"][0]["sha256"] == old_sha
    assert versions[0].snapshot["satuan"] == "jiwa (orang)" and len(versions[0].snapshot["resources"]) == 2
    # the revision's conversation now belongs to the published dataset
    actions = [e.action for e in review.list_events(published)]
    assert actions[:5] == ["publish_revision", "submit", "request_changes", "submit", "open_revision"]
    assert db.session.scalar(select(func.count()).select_from(Resource).where(Resource.dataset_id == revision_id)) == 0
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "dataset.publish_revision")).one()
    assert audit.object_id == published.id and audit.summary["version"] == 2


def test_a_revision_can_remove_a_table_and_old_versions_still_list_its_file(
        published: Dataset, users: Any) -> None:  # noqa: F811
    old_sha = published.resources[0].sha256
    revision = _revise(users, published)
    catalog.add_workspace_link(users["produsen"], revision, url="https://example.go.id/profil.pdf",
                               name="Profil", format="PDF")
    catalog.delete_resource(users["produsen"], revision.resources[0])
    db.session.commit()
    review.submit_dataset(users["produsen"], revision)
    review.publish_dataset(users["walidata"], revision)
    db.session.commit()
    db.session.refresh(published)
    assert [r.name for r in published.resources] == ["Profil"]
    assert catalog.get_version(published, 1).snapshot["resources"][0]["sha256"] == old_sha


def test_discarding_a_revision_keeps_the_published_dataset(published: Dataset, users: Any) -> None:  # noqa: F811
    revision = _revise(users, published)
    catalog.update_dataset(users["produsen"], revision, {"satuan": "orang"})
    db.session.commit()
    revision_id = revision.id
    back = review.discard_revision(users["produsen"], revision, note="Tidak jadi")
    db.session.commit()
    assert back is published and db.session.get(Dataset, revision_id) is None
    db.session.refresh(published)
    assert published.satuan == "jiwa" and published.revision is None
    assert [e.action for e in review.list_events(published)][:2] == ["discard_revision", "open_revision"]
    # and a new one can be opened
    assert _revise(users, published).revision_of_id == published.id


def test_a_submitted_revision_is_not_discarded_and_a_withdrawn_dataset_blocks_its_publication(
        published: Dataset, users: Any) -> None:  # noqa: F811
    revision = _revise(users, published)
    catalog.update_dataset(users["produsen"], revision, {"satuan": "orang"})
    review.submit_dataset(users["produsen"], revision)
    db.session.commit()
    with pytest.raises(Conflict):
        review.discard_revision(users["produsen"], revision)
    db.session.rollback()
    review.withdraw_dataset(users["walidata"], published, reason="Angka keliru.")
    db.session.commit()
    with pytest.raises(Conflict, match="tidak lagi terbit"):
        review.publish_dataset(users["walidata"], revision)
    db.session.rollback()
    assert revision.state == DatasetState.SUBMITTED


def test_moves_named_on_the_published_dataset_reach_its_revision(published: Dataset, users: Any) -> None:  # noqa: F811
    assert review.move_target(published, "publish") is published
    revision = _revise(users, published)
    catalog.update_dataset(users["produsen"], revision, {"satuan": "orang"})
    assert review.move_target(published, "submit") is revision
    review.submit_dataset(users["produsen"], revision)
    assert review.move_target(published, "publish") is revision
    assert review.move_target(published, "request_changes") is revision
    assert review.move_target(published, "withdraw") is published


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_replaced_workbook_is_compared_row_by_row_and_a_large_one_by_summary(
        app: Any, orgs: Any, users: Any, vocab: Any) -> None:  # noqa: F811
    header = ["kode_wilayah", "kecamatan", "jumlah"]
    old = _xlsx([header, ["14.07.01", "Kubu", 10], ["14.07.02", "Bangko", 20]])
    ds = make_dataset(orgs["dinkes"], csv=None, publish=False, title="Sekolah per kecamatan")
    table = catalog.upload_resource(users["produsen"], ds, io.BytesIO(old), filename="sekolah.xlsx", name="Sekolah")
    db.session.commit()
    assert validate(table) == "valid"
    review.submit_dataset(users["produsen"], ds)
    review.publish_dataset(users["walidata"], ds)
    db.session.commit()
    revision = _revise(users, ds)
    new = _xlsx([header, ["14.07.01", "Kubu", 10], ["14.07.02", "Bangko", 21], ["14.07.03", "Tanah Putih", 7]])
    catalog.replace_resource_file(users["produsen"], revision.resources[0], io.BytesIO(new), filename="sekolah-2.xlsx")
    db.session.commit()
    [change] = catalog.diff_revision(revision).resources
    result = catalog.compare_tables(change).diff
    assert result is not None and result.key == []  # no primaryKey: an edit is one removed and one added
    assert (result.added, result.removed, result.changed) == (2, 1, 0)
    assert {tuple(dict(e["cells"]).values()) for e in result.examples if e["kind"] == "added"} == {
        ("14.07.02", "Bangko", "21"), ("14.07.03", "Tanah Putih", "7")}
    app.config["REVISION_DIFF_MAX_BYTES"] = 10
    try:
        comparison = catalog.compare_tables(change)
    finally:
        app.config["REVISION_DIFF_MAX_BYTES"] = 64 * 1024**2
    assert comparison.diff is None and "perbandingan per baris tidak dijalankan" in comparison.message


def test_a_daftar_data_item_is_fulfilled_by_the_published_dataset_not_its_revision(
        published: Dataset, users: Any) -> None:  # noqa: F811
    from datetime import date

    from satudata.authz import SystemActor
    from satudata.review.daftar import services as daftar

    revision = _revise(users, published)
    actor = SystemActor("tests")
    item = daftar.create_item(actor, published.organization, year=2026, title="Jumlah Penduduk",
                              frequency="tahunan", release_date=date(2026, 6, 30))
    assert revision not in daftar.datasets_for_link(item) and published in daftar.datasets_for_link(item)
    assert daftar.link_dataset(actor, item, revision.slug) is published
