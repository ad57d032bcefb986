"""The demo data: enough of everything, real region codes, only published datasets in public,
and the same bytes on every run."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from satudata import reference
from satudata.accounts import services as accounts
from satudata.accounts.models import AuditLog, Organization, OrganizationKind, User
from satudata.authz import Role
from satudata.catalog import services as catalog
from satudata.catalog.models import AccessClass, Dataset, DatasetState, DatasetVersion, Resource, ResourceRevision
from satudata.catalog.storage import get_store
from satudata.datastore import preview
from satudata.demo import has_data, load_demo
from satudata.demo.catalogue import build_catalogue
from satudata.demo.organizations import USERS
from satudata.demo.setbacks import FLAWED_UPLOADS, SENT_BACK, first_upload
from satudata.errors import NotFound
from satudata.extensions import db
from satudata.review.models import ReviewEvent
from tests.factories import find_in_database

ROOT = Path(__file__).resolve().parent.parent
METADATA = ("description", "urusan", "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "year", "period",
            "frequency", "release_date", "presentation_level", "kode_wilayah", "coverage", "data_source",
            "collection_method", "data_kind", "data_status", "contact_name", "contact_email", "licence_id",
            "walidata_id")


@pytest.fixture()
def demo(demo_app: Flask):
    with demo_app.app_context():
        yield demo_app


def published() -> list[Dataset]:
    return list(db.session.scalars(select(Dataset).where(Dataset.state == DatasetState.PUBLISHED)
                                   .order_by(Dataset.slug)))


def stored_rows(resource: Resource) -> list[dict[str, str]]:
    assert resource.sha256 is not None
    text = get_store().path(resource.sha256).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_at_least_40_published_public_datasets_with_full_metadata(demo):
    datasets = published()
    assert len(datasets) >= 40
    assert find_in_database(per_page=1).total == len(datasets)
    for ds in datasets:
        assert ds.access_class == AccessClass.PUBLIK and ds.is_public
        missing = [f for f in METADATA if getattr(ds, f) in (None, "")]
        assert not missing, f"{ds.slug} lacks {missing}"
        assert ds.topics and ds.tags and ds.organization.kind == OrganizationKind.OPD
        assert ds.walidata is not None and ds.walidata.is_walidata
        assert ds.versions and ds.versions[0].number == 1
        assert len(ds.slug) <= 100 and ds.title.strip() == ds.title


def test_eight_or_more_topics_have_datasets(demo):
    counts = catalog.topic_counts()
    assert len([n for n in counts.values() if n > 0]) >= 8
    assert {t.slug for t in catalog.list_topics()} >= {"kependudukan", "kesehatan", "pendidikan", "pertanian",
                                                        "ekonomi", "keuangan-daerah"}
    assert {lic.id for lic in catalog.list_licences()} == {"cc-by-4.0", "cc-by-sa-4.0", "cc-zero", "odc-odbl",
                                                           "other-open"}


def test_every_role_has_a_user_whose_documented_password_works(demo):
    users = {u.username: u for u in db.session.scalars(select(User))}
    for role in Role:
        assert any(u.has_role(role) for u in users.values()), f"no demo user with role {role}"
    docs = (ROOT / "docs" / "demo-data.md").read_text(encoding="utf-8")
    for spec in USERS:
        user = users[spec.username]
        assert user.has_role(spec.role) and user.active
        assert accounts.verify_password(user, spec.password)
        assert user.email.endswith(".example")
        row = next(line for line in docs.splitlines() if line.startswith(f"| `{spec.username}` |"))
        assert f"`{spec.role}`" in row and f"`{spec.password}`" in row
    assert "demo only" in docs


def test_organisations_are_riau_with_its_walidata(demo):
    orgs = {o.slug: o for o in accounts.list_organizations()}
    walidata = orgs["diskominfotik-riau"]
    assert walidata.name == "Diskominfotik Provinsi Riau" and walidata.is_walidata
    assert walidata.parent is orgs["pemprov-riau"] and orgs["pemprov-riau"].kind == OrganizationKind.PROVINSI
    for slug, kode, kind in (("pemkab-rokan-hilir", "14.07", OrganizationKind.KABUPATEN),
                             ("pemkab-pelalawan", "14.05", OrganizationKind.KABUPATEN),
                             ("pemkot-dumai", "14.72", OrganizationKind.KOTA)):
        gov = orgs[slug]
        assert gov.kind == kind and gov.kode_wilayah == kode and gov.region_name == reference.name(kode)
        opds = [o for o in orgs.values() if o.parent is gov]
        assert len(opds) >= 9 and all(o.kind == OrganizationKind.OPD and o.kode_wilayah == kode for o in opds)
    assert "dinkes-rokan-hilir" in orgs and "disdukcapil-dumai" in orgs and "bappeda-pelalawan" in orgs
    for org in orgs.values():
        assert org.email and org.email.endswith(".go.id") and org.website and ".go.id" in org.website
        if org.kind == OrganizationKind.OPD:
            assert org.parent is not None and org.parent.kind != OrganizationKind.OPD


def test_every_published_dataset_has_a_summarised_csv(demo):
    for ds in published():
        csvs = [r for r in ds.resources if r.format == "CSV"]
        assert csvs, ds.slug
        for res in csvs:
            assert res.row_count and res.row_count > 0 and res.columns, res.filename
            assert res.media_type == "text/csv" and res.size and res.filename and res.filename.endswith(".csv")
            assert len(stored_rows(res)) == res.row_count


def test_region_codes_exist_in_the_reference_list(demo):
    regions = reference.regions()
    for org in accounts.list_organizations():
        assert org.kode_wilayah in regions
    for ds in db.session.scalars(select(Dataset)):
        assert ds.kode_wilayah in regions and ds.coverage
    seen = 0
    for res in db.session.scalars(select(Resource).where(Resource.format == "CSV")):
        for row in stored_rows(res):
            for column in ("kode_wilayah", "kode_kecamatan"):
                if column in row:
                    assert row[column] in regions, f"{res.filename}: {row[column]}"
                    seen += 1
            if "kode_wilayah" in row and "kecamatan" in row and regions[row["kode_wilayah"]].tingkat == "kecamatan":
                assert row["kecamatan"] == regions[row["kode_wilayah"]].nama
    assert seen > 500


def test_kode_wilayah_columns_are_read_as_text(demo):
    for res in db.session.scalars(select(Resource).where(Resource.format == "CSV")):
        types = {c["name"]: c["type"] for c in res.columns or []}
        for name, kind in types.items():
            if name.startswith("kode"):
                assert kind == "string", f"{res.filename}: {name}"
    # "14.10" (Kepulauan Meranti) and "14.07.10" would lose their zero as numbers
    ds = catalog.get_public_dataset("penduduk-kabupaten-kota-jenis-kelamin-riau-2025")
    assert ds.resources[0].sha256 is not None
    page = preview.read_page(ds.resources[0], offset=0, limit=50)  # the typed copy the pages read
    codes = [row[0] for row in page.rows]
    assert codes[:2] == ["14.01", "14.02"] and "14.10" in codes and all(isinstance(c, str) for c in codes)
    ds = catalog.get_public_dataset("penduduk-kecamatan-jenis-kelamin-rokan-hilir-2025")
    assert ds.resources[0].sha256 is not None
    rows = preview.read_page(ds.resources[0], offset=0, limit=50).rows
    assert rows[9][:2] == ["14.07.10", "Bangko Pusako"]
    # and no numeric column is mistaken for a code (the reader keeps kode*/id* columns as text)
    for res in db.session.scalars(select(Resource).where(Resource.format == "CSV")):
        for col in res.columns or []:
            assert not col["name"].lower().startswith("id"), f"{res.filename}: {col['name']}"


def test_drafts_and_submissions_never_show(demo):
    hidden = list(db.session.scalars(select(Dataset).where(Dataset.state != DatasetState.PUBLISHED)))
    states = sorted(str(d.state) for d in hidden)
    assert states.count("draft") >= 2 and "submitted" in states
    assert any(d.resources for d in hidden) and any("penduduk" in d.title.lower() for d in hidden)
    hidden_ids = {d.id for d in hidden}
    everything = find_in_database(per_page=1000)
    assert not hidden_ids & {d.id for d in everything.items}
    found = find_in_database("penduduk", per_page=1000)
    assert found.total >= 3 and not hidden_ids & {d.id for d in found.items}
    assert all(d.state == DatasetState.PUBLISHED for d in found.items)
    for ds in hidden:
        with pytest.raises(NotFound):
            catalog.get_public_dataset(ds.slug)
        assert ds.slug not in catalog.list_public_dataset_slugs()
        assert ds.published_at is None and not ds.versions
        for res in ds.resources:
            with pytest.raises(NotFound):
                catalog.get_public_resource(res.id)


def test_newest_and_most_downloaded_are_stable(demo):
    datasets = published()
    stamps = [d.published_at for d in datasets]
    assert all(s is not None for s in stamps) and len(set(stamps)) == len(stamps)
    assert all(datetime(2025, 1, 1, tzinfo=UTC) <= s <= datetime(2026, 11, 1, tzinfo=UTC) for s in stamps if s)
    downloads = [d.download_count for d in datasets]
    assert min(downloads) > 0 and len(set(downloads)) > len(downloads) // 2
    for ds in datasets:
        assert sum(r.download_count for r in ds.resources) == ds.download_count
        assert ds.release_date is not None and ds.published_at is not None
        assert ds.release_date <= ds.published_at.date()
        assert ds.created_at <= ds.published_at and ds.updated_at == ds.published_at
    newest = find_in_database(sort="newest", per_page=5).items
    assert [d.slug for d in newest] == [d.slug for d in sorted(datasets, key=lambda d: d.published_at, reverse=True)[:5]]
    top = find_in_database(sort="downloads", per_page=1).items[0]
    assert top.download_count == max(downloads)


def test_everything_went_through_the_services(demo):
    ppid = AuditLog.action.like("ppid.%")
    labels = set(db.session.scalars(select(AuditLog.actor_label).where(~ppid).distinct()))
    assert labels == {"system:demo"}
    # The PPID's requests were filed by anonymous visitors (web) or recorded by the demo's PPID
    # officers, answered by them and the Atasan PPID, withdrawn or objected to by the applicant.
    officers = {f"user:{u.username}" for u in USERS if u.role in (Role.PPID_UTAMA, Role.PPID_PELAKSANA,
                                                                  Role.ATASAN_PPID)}
    ppid_labels = set(db.session.scalars(select(AuditLog.actor_label).where(ppid).distinct()))
    assert {"anonymous"} | officers <= ppid_labels
    assert all(label in officers or label == "anonymous" or label.startswith("pemohon:PPID-") for label in ppid_labels)
    actions = dict(db.session.execute(select(AuditLog.action, func.count()).group_by(AuditLog.action)).all())
    n_published = len(published())
    assert actions["dataset.publish"] == n_published
    assert actions["dataset.create"] == db.session.scalar(select(func.count()).select_from(Dataset))
    assert actions["resource.create"] == db.session.scalar(select(func.count()).select_from(Resource))
    assert actions["organization.create"] == len(accounts.list_organizations())
    assert actions["user.create"] == len(USERS)
    # Every published dataset was submitted, then published, through the lifecycle; one more
    # waits for the walidata. Three of the published ones (SENT_BACK) the walidata first sent
    # back: each was asked for changes, corrected by its OPD (one metadata edit) and submitted a
    # second time, so three submissions more than datasets.
    assert len(SENT_BACK) == 3
    assert actions["dataset.submit"] == n_published + 1 + 3
    assert actions["dataset.request_changes"] == actions["dataset.update"] == 3
    events = dict(db.session.execute(select(ReviewEvent.action, func.count()).group_by(ReviewEvent.action)).all())
    assert events == {"submit": n_published + 1 + 3, "request_changes": 3, "publish": n_published}
    # Five tables (FLAWED_UPLOADS) failed validation at their first upload and were replaced by
    # the corrected file: one re-upload each, and no other file was ever replaced.
    assert len(FLAWED_UPLOADS) == 5
    assert actions["resource.replace"] == 5
    assert db.session.scalar(select(func.count()).select_from(ResourceRevision)) == 5
    assert db.session.scalar(select(func.count()).select_from(DatasetVersion)) == n_published
    assert has_data()


def _digest(specs) -> str:
    h = hashlib.sha256()
    for spec in specs:
        h.update(repr((spec.slug, spec.title, spec.organization, spec.topics, spec.tags, spec.description,
                       sorted(spec.fields.items()), spec.state, spec.published_at, spec.download_count,
                       spec.view_count)).encode())
        for t in spec.tables:
            h.update(t.filename.encode())
            h.update(t.to_csv())
    return h.hexdigest()


@pytest.mark.nodb
def test_generation_is_deterministic():
    random.seed(1)
    first = _digest(build_catalogue())
    random.seed(2)  # the generators must not use the global random state ...
    random.random()
    second = _digest(build_catalogue())  # ... nor the clock
    assert first == second


def test_loaded_files_are_the_generated_bytes(demo):
    generated = {t.filename: hashlib.sha256(t.to_csv()).hexdigest() for s in build_catalogue() for t in s.tables}
    stored = {r.filename: r.sha256 for r in db.session.scalars(select(Resource))}
    assert stored == generated


def test_penduduk_is_searchable_in_titles_and_descriptions(demo):
    found = find_in_database("penduduk", per_page=100).items
    titles = [d.title for d in found]
    assert "Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin Kabupaten Rokan Hilir 2025" in titles
    assert any(re.search(r"penduduk", d.description, re.I) for d in found)


def test_loading_again_creates_nothing_and_reports_progress(demo, capsys):
    """What ``satudata demo load --force`` does on a loaded database: nothing (so this test
    leaves the shared demo database as it was)."""
    before = {model: db.session.scalar(select(func.count()).select_from(model))
              for model in (Dataset, Resource, Organization, User, AuditLog)}
    again = load_demo(progress=True)
    assert set(again.values()) == {0}
    out = capsys.readouterr().out
    assert "• Organisasi" in out and "• Selesai: 0 organisasi, 0 pengguna, 0 dataset" in out
    after = {model: db.session.scalar(select(func.count()).select_from(model)) for model in before}
    assert after == before


def test_this_years_daftar_data_is_fulfilled_by_the_published_datasets_with_some_still_due(demo):
    from satudata.review.daftar import services as daftar
    from satudata.review.daftar.status import ItemStatus, local_today

    rows = daftar.list_items(year=local_today().year)
    counts = daftar.count_statuses(rows)
    linked = [r for r in rows if r.item.dataset is not None]
    assert len(linked) >= 30 and all(r.item.dataset.is_public for r in linked)
    assert counts[ItemStatus.DUE] >= 2 and counts[ItemStatus.LATE] >= 1
    assert counts[ItemStatus.PUBLISHED] >= 30


def test_a_few_tables_failed_at_first_and_a_few_submissions_were_sent_back(demo):
    """The demo is no perfect region: its kinerja figures show tables that failed their first
    validation and reviews the walidata sent back, each acted out through the services."""
    from satudata.authz import SystemActor
    from satudata.kinerja import services as kinerja
    from satudata.review import services as review
    from satudata.review.daftar.status import local_date
    from satudata.validation.models import RunStatus, ValidationRun

    assert not db.session.scalar(select(func.count()).select_from(ValidationRun)
                                 .where(ValidationRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING))))
    tables = {t.filename: t for spec in build_catalogue() for t in spec.tables}
    years: set[int] = set()
    for filename, flawed in FLAWED_UPLOADS.items():
        res = db.session.scalar(select(Resource).where(Resource.filename == filename))
        assert res is not None and res.dataset.state == DatasetState.PUBLISHED, filename
        assert str(res.validation_status) == "valid" and res.columns and res.row_count, filename
        [first] = res.revisions  # the failed file, kept in the table's history
        assert first.sha256 == hashlib.sha256(first_upload(tables[filename], flawed)).hexdigest()
        assert first.validation_status == "invalid"
        runs = db.session.scalars(select(ValidationRun).where(ValidationRun.resource_id == res.id)
                                  .order_by(ValidationRun.id)).all()
        assert [(r.status, r.sha256) for r in runs] == [(RunStatus.INVALID, first.sha256), (RunStatus.VALID, res.sha256)]
        assert runs[0].error_count
        submitted = min(e.created_at for e in review.list_events(res.dataset) if e.action == "submit")
        assert res.created_at == first.uploaded_at < first.replaced_at == res.uploaded_at < submitted, filename
        assert (runs[0].finished_at, runs[1].finished_at) == (first.uploaded_at, res.uploaded_at)
        years.add(local_date(res.created_at).year)
        details = kinerja.opd_detail(SystemActor("tests"), res.dataset.organization,
                                     kinerja.Period(local_date(res.created_at).year)).details
        assert res.name in {t.name for t in details.failed_tables}, filename  # on the OPD's kinerja page
    assert years == {2026}
    figures = kinerja.public_summary(kinerja.Period(2026))
    # Failed at first: 1 table first uploaded in T1 2026 (4 Feb), 2 in T2 (3 Apr, 9 Jun), 2 in T3 (18 Jul, 14 Aug).
    assert [q.validation.failed for q in figures.quarters] == [1, 2, 2, 0]
    assert figures.total.validation.failed == 5 and figures.total.validation.pass_rate < 100

    specs = {spec.slug: spec for spec in build_catalogue()}
    for slug, back in SENT_BACK.items():
        ds = catalog.get_public_dataset(slug)
        events = sorted(review.list_events(ds), key=lambda e: e.id)
        assert [e.action for e in events] == ["submit", "request_changes", "submit", "publish"], slug
        stamps = [e.created_at for e in events]
        assert ds.created_at < stamps[0] < stamps[1] < stamps[2] < stamps[3] == ds.published_at, slug
        assert events[1].field_notes == {back.field: back.note} and events[1].note == back.message
        assert getattr(ds, back.field) == specs[slug].fields[back.field] != back.first  # corrected
        details = kinerja.opd_detail(SystemActor("tests"), ds.organization,
                                     kinerja.Period(local_date(stamps[1]).year)).details
        assert (slug, "request_changes") in {(r.dataset_slug, r.decision) for r in details.slow_reviews}, slug
