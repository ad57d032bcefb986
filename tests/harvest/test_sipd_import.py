"""SIPD e-Walidata runs end to end: an SIPD-shaped API on 127.0.0.1 (tests/harvesters/test_sipd.py's
FakeSipd), the real ``sipd`` plug-in, the runner in a real RQ worker process, the Daftar Data,
catalogue, review and validation services. Each DSSD indicator becomes a Daftar Data item per
year for the OPD its bidang urusan maps to; final values become a dataset with a validated CSV in
the walidata's review queue, fulfilling the items of the years it holds; a run again changes
nothing; a source that goes down or changes shape fails readably and loses nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from satudata.accounts.models import Organization, OrganizationKind
from satudata.catalog.models import Dataset, DatasetState
from satudata.catalog.storage import get_store
from satudata.extensions import db
from satudata.harvest import services, tasks
from satudata.harvest.models import HarvestJob, HarvestSource, JobStatus, PublishMode
from satudata.review.daftar import services as daftar
from satudata.review.daftar.models import DaftarDataItem
from tests.conftest import ROOT, run_worker, satudata_env
from tests.factories import SYSTEM, make_org
from tests.harvesters.test_sipd import KODEPEMDA, TOKEN, FakeSipd, final_row


@pytest.fixture()
def sipd(app: Flask) -> Iterator[FakeSipd]:
    app.config.update(HARVEST_ALLOW_PRIVATE_NETWORKS=True, SIPD_ALLOWED_HOSTS="127.0.0.1", SIPD_TOKEN=TOKEN,
                      SIPD_KODEPEMDA=KODEPEMDA,
                      SIPD_HTTP_TIMEOUT=5.0)
    fake = FakeSipd()
    yield fake
    fake.close()
    app.config.update(HARVEST_ALLOW_PRIVATE_NETWORKS=False, SIPD_ALLOWED_HOSTS=None, SIPD_TOKEN=None,
                      SIPD_KODEPEMDA=None)


def region() -> dict[str, Organization]:
    pemda = make_org(slug="kab-uji", name="Kabupaten Uji", kind=OrganizationKind.KABUPATEN)
    return {"pemda": pemda,
            "diskominfo": make_org(slug="diskominfo-uji", name="Diskominfo Uji", parent=pemda, is_walidata=True),
            "dinkes": make_org(slug="dinkes-uji", name="Dinas Kesehatan Uji", parent=pemda),
            "disdik": make_org(slug="disdik-uji", name="Dinas Pendidikan Uji", parent=pemda)}


def new_source(url: str, orgs: dict[str, Organization], **config: Any) -> HarvestSource:
    config = {"tahun": [2023, 2024], "organization_map": {"1.02": "dinkes-uji", "1.01": "disdik-uji"}, **config}
    source = services.add_source(SYSTEM, name="sipd-uji", type="sipd", url=url, organization=orgs["diskominfo"],
                                 title="SIPD e-Walidata Kabupaten Uji", config=config)
    db.session.commit()
    return source


def run(source: HarvestSource) -> HarvestJob:
    job = services.request_run(SYSTEM, source)
    db.session.commit()
    tasks.run_harvest(job.id)
    db.session.commit()
    db.session.expire_all()
    found = db.session.get(HarvestJob, job.id)
    assert found is not None
    return found


def items(source: HarvestSource) -> dict[str, DaftarDataItem]:
    return {i.remote_id or "": i for i in daftar.harvested_items(source.id)}


def test_a_run_in_a_worker_fills_daftar_data_and_queues_datasets_for_review(app: Flask, sipd: FakeSipd) -> None:
    orgs = region()
    source = new_source(sipd.url, orgs)
    assert source.publish_mode == PublishMode.REVIEW  # SIPD's default: the walidata checks the values
    assert "token" not in str(source.config).lower()  # the token is the portal's setting only
    job = services.request_run(SYSTEM, source)
    db.session.commit()
    # The real worker path: `satudata worker --queue harvest --burst` in its own process, given
    # the token and region code as an operator would (SATUDATA_SIPD_*).
    env = satudata_env(app, HARVEST_ALLOW_PRIVATE_NETWORKS="true", SIPD_ALLOWED_HOSTS="127.0.0.1",
                       SIPD_TOKEN=TOKEN, SIPD_KODEPEMDA=KODEPEMDA)
    proc = subprocess.run([sys.executable, "-m", "satudata.cli", "worker", "--queue", "harvest", "--burst"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    job = db.session.get(HarvestJob, job.id)
    assert job is not None and job.status == JobStatus.FINISHED, job.errors
    assert job.counts == {"new": 3}
    assert {auth for _, _, auth in sipd.calls} == {f"Bearer {TOKEN}"}

    found = items(source)
    assert sorted(found) == ["1.01.01@2023", "1.01.01@2024", "1.02.01@2023", "1.02.01@2024", "1.02.02@2023",
                             "1.02.02@2024"]
    puskesmas = found["1.02.01@2024"]
    assert (puskesmas.year, puskesmas.title, puskesmas.unit, puskesmas.indicator_code) == (
        2024, "Jumlah puskesmas", "Unit", "1.02.01")
    assert puskesmas.element == "1.02 - URUSAN PEMERINTAHAN BIDANG KESEHATAN"
    assert puskesmas.organization.slug == "dinkes-uji" and puskesmas.walidata is not None
    assert puskesmas.walidata.slug == "diskominfo-uji"
    assert str(puskesmas.frequency) == "tahunan" and puskesmas.release_date.isoformat() == "2024-12-31"
    assert found["1.01.01@2024"].organization.slug == "disdik-uji" and found["1.01.01@2024"].dataset is None
    # The Daftar Data listing of the year shows them, for the right OPD.
    rows = daftar.list_items(year=2024, organization_ids=[orgs["dinkes"].id])
    assert sorted(r.item.title for r in rows) == ["Angka kematian bayi", "Jumlah puskesmas"]

    # Values: a dataset per indicator with values, submitted into the walidata's queue, with one
    # stored CSV, fulfilling the items of the years it holds.
    dataset = puskesmas.dataset
    assert dataset is not None and dataset.state == DatasetState.SUBMITTED
    assert dataset.organization.slug == "dinkes-uji" and dataset.harvest_source_id == source.id
    assert found["1.02.01@2023"].dataset_id == dataset.id
    assert found["1.02.02@2023"].dataset is None and found["1.02.02@2024"].dataset is not None
    assert dataset.satuan == "Unit" and dataset.year == 2024 and str(dataset.frequency) == "tahunan"
    (resource,) = dataset.resources
    assert resource.format == "CSV" and resource.sha256
    text = get_store().path(resource.sha256).read_text(encoding="utf-8")
    assert text.splitlines() == ["tahun,kode_wilayah,kode_indikator,uraian_indikator,nilai,satuan",
                                 "2023,1407,1.02.01,Jumlah puskesmas,24,Unit",
                                 "2024,1407,1.02.01,Jumlah puskesmas,25,Unit"]
    bayi = found["1.02.02@2024"].dataset
    assert bayi is not None and "12.5" in get_store().path(bayi.resources[0].sha256 or "").read_text()

    # The table validates against its Table Schema (the validation worker).
    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr
    db.session.expire_all()
    for ds in db.session.scalars(select(Dataset).where(Dataset.harvest_source_id == source.id)):
        assert [str(r.validation_status) for r in ds.resources] == ["valid"], ds.resources[0].validation_report

    # Again, nothing changed at the source: nothing changes here.
    before = {k: (i.id, i.updated_at) for k, i in items(source).items()}
    again = run(source)
    assert again.status == JobStatus.FINISHED and again.counts == {"unchanged": 3}
    assert {k: (i.id, i.updated_at) for k, i in items(source).items()} == before


def test_new_values_and_renamed_indicators_update_and_dropped_items_stay(app: Flask, sipd: FakeSipd) -> None:
    orgs = region()
    source = new_source(sipd.url, orgs)
    first = run(source)
    assert first.status == JobStatus.FINISHED, first.errors
    # The walidata's own changes to an item stay theirs (release date, notes).
    item = items(source)["1.01.01@2024"]
    daftar.update_item(SYSTEM, item, notes="Dikumpulkan Dinas Pendidikan", release_date=item.release_date.replace(month=6, day=30))
    db.session.commit()
    # At the source: schools get a 2024 value, the infant-mortality unit is renamed, and the
    # 2023 puskesmas indicator disappears from the reference list (its values too).
    sipd.final[2024].append(final_row("1.01.01", "Jumlah sekolah dasar negeri", 2024, "312"))
    sipd.ref[1]["satuan"] = "per 1000 kelahiran hidup"
    dropped = sipd.ref.pop(0)
    sipd.final = {y: [r for r in rows if r["kodeindikator"] != dropped["kodeindikator"]] for y, rows in sipd.final.items()}
    job = run(source)
    assert job.status == JobStatus.FINISHED, job.errors
    assert job.counts == {"new": 1, "updated": 1, "withdrawn": 1}
    found = items(source)
    assert found["1.01.01@2024"].dataset is not None  # the new dataset fulfils it
    assert found["1.01.01@2024"].notes == "Dikumpulkan Dinas Pendidikan"
    assert found["1.01.01@2024"].release_date.isoformat() == "2024-06-30"
    assert found["1.02.02@2024"].unit == "per 1000 kelahiran hidup"
    # An item the source dropped is not deleted (its dataset leaves the queue, never deleted).
    assert "1.02.01@2023" in found and "1.02.01@2024" in found
    assert found["1.02.01@2024"].dataset is not None
    assert found["1.02.01@2024"].dataset.state == DatasetState.DRAFT


def test_the_walidatas_own_item_is_adopted_not_duplicated(app: Flask, sipd: FakeSipd) -> None:
    from datetime import date

    orgs = region()
    own = daftar.create_item(SYSTEM, orgs["disdik"], year=2024, title="Jumlah Sekolah Dasar  Negeri",
                             frequency="tahunan", release_date=date(2024, 9, 1), notes="Dari Forum Satu Data")
    db.session.commit()
    source = new_source(sipd.url, orgs)
    job = run(source)
    assert job.status == JobStatus.FINISHED, job.errors
    adopted = items(source)["1.01.01@2024"]
    assert adopted.id == own.id and adopted.unit == "Unit" and adopted.indicator_code == "1.01.01"
    assert adopted.title == "Jumlah sekolah dasar negeri"  # the source spells it
    assert adopted.notes == "Dari Forum Satu Data" and adopted.release_date == date(2024, 9, 1)
    assert len(daftar.list_items(year=2024, organization_ids=[orgs["disdik"].id])) == 1


def test_a_source_that_fails_or_changes_shape_loses_nothing(app: Flask, sipd: FakeSipd) -> None:
    orgs = region()
    source = new_source(sipd.url, orgs)
    assert run(source).status == JobStatus.FINISHED
    kept = {k: i.id for k, i in items(source).items()}
    datasets = set(db.session.scalars(select(Dataset.id).where(Dataset.harvest_source_id == source.id)))

    sipd.mode = "shape"
    job = run(source)
    assert job.status == JobStatus.FAILED
    assert any("kodeindikator, uraian_indikator" in e and "Tidak ada yang diubah" in e for e in job.errors), job.errors
    sipd.mode = "html"
    job = run(source)
    assert job.status == JobStatus.FAILED and any("HTML" in e for e in job.errors)
    url = sipd.url
    sipd.close()
    job = run(source)
    assert job.status == JobStatus.FAILED and any("tidak dapat dihubungi" in e for e in job.errors), job.errors

    assert {k: i.id for k, i in items(source).items()} == kept  # every item stays
    states = {d.id: d.state for d in db.session.scalars(select(Dataset).where(Dataset.harvest_source_id == source.id))}
    assert set(states) == datasets and set(states.values()) == {DatasetState.SUBMITTED}  # nothing withdrawn
    assert url  # (the address the source had)


def test_without_the_token_the_run_fails_saying_what_to_set(app: Flask, sipd: FakeSipd) -> None:
    app.config["SIPD_TOKEN"] = None
    source = new_source(sipd.url, region())
    job = run(source)
    assert job.status == JobStatus.FAILED and any("SATUDATA_SIPD_TOKEN" in e for e in job.errors)
    assert not items(source)


def test_a_changed_value_of_a_published_dataset_goes_through_a_revision(app: Flask, sipd: FakeSipd) -> None:
    from satudata.review import services as review

    orgs = region()
    source = new_source(sipd.url, orgs)
    assert run(source).status == JobStatus.FINISHED
    dataset = items(source)["1.02.01@2024"].dataset
    assert dataset is not None
    review.publish_dataset(SYSTEM, dataset, note="Diperiksa walidata")
    db.session.commit()
    published_sha = dataset.resources[0].sha256
    sipd.final[2024][0]["data"] = "26"  # corrected at SIPD
    job = run(source)
    assert job.status == JobStatus.FINISHED, job.errors
    assert job.counts == {"updated": 1, "unchanged": 2}
    dataset = db.session.get(Dataset, dataset.id)
    assert dataset is not None and dataset.state == DatasetState.PUBLISHED
    assert dataset.resources[0].sha256 == published_sha  # the public keeps the published values meanwhile
    revision = dataset.revision
    assert revision is not None and revision.state == DatasetState.SUBMITTED  # in the walidata's queue
    text = get_store().path(revision.resources[0].sha256 or "").read_text(encoding="utf-8")
    assert "2024,1407,1.02.01,Jumlah puskesmas,26,Unit" in text
    assert run(source).counts == {"unchanged": 3}


def test_the_token_never_goes_to_a_host_the_operator_did_not_name(app: Flask, sipd: FakeSipd) -> None:
    # A walidata types the address of their own listener (here: 127.0.0.1, which the operator
    # has not named) as a SIPD source: a trial run, saving it, or changing a source to it is
    # refused on the URL field, and the listener never receives a request, let alone the token.
    from satudata.accounts import services as accounts
    from satudata.errors import Invalid
    from tests.conftest import FreshGlobalsClient
    from tests.security.conftest import PASSWORD, csrf, sign_in

    orgs = region()
    source = new_source(sipd.url, orgs)  # named by the operator (the fixture): saved
    app.config["SIPD_ALLOWED_HOSTS"] = "sipd-lain.example"
    listener = sipd.url.replace("/ewalidata/serv", "/penyadap")
    with pytest.raises(Invalid) as tried:
        services.dry_run("sipd", listener, {"tahun": [2024]})
    said = tried.value.message
    assert tried.value.details and "url" in tried.value.details
    assert "Token SIPD tidak dikirim ke 127.0.0.1" in said and "SATUDATA_SIPD_ALLOWED_HOSTS" in said
    assert "sipd.go.id, *.sipd.go.id, sipd-lain.example" in said
    with pytest.raises(Invalid, match="tidak dikirim ke 127.0.0.1"):
        services.add_source(SYSTEM, name="sipd-penyadap", type="sipd", url=listener, organization=orgs["diskominfo"])
    db.session.rollback()
    with pytest.raises(Invalid, match="tidak dikirim ke 127.0.0.1"):
        services.update_source(SYSTEM, source, {"url": listener})
    db.session.rollback()
    # Another type keeps its own rules (a CKAN source has no token to lose).
    assert services._check_url(listener, "ckan") == listener
    # The source saved before the operator took the host off the list: its run stops, readably.
    job = run(source)
    assert job.status == JobStatus.FAILED and any("tidak dikirim ke 127.0.0.1" in e for e in job.errors)
    # The form's trial run: the field says what is wrong and what was typed stays.
    accounts.create_user(SYSTEM, username="walidata.sipd", email="ws@uji.go.id", full_name="Walidata SIPD",
                         password=PASSWORD, roles=[("walidata", orgs["diskominfo"])])
    db.session.commit()
    app.test_client_class = FreshGlobalsClient
    client = app.test_client()
    sign_in(client, "walidata.sipd")
    token = csrf(client, "/kelola/harvest/baru?jenis=sipd")
    form = {"title": "SIPD", "name": "sipd-penyadap", "type": "sipd", "url": listener, "organization": "diskominfo-uji",
            "schedule": "manual", "publish_mode": "review", "config": '{"tahun": [2024]}', "active": "1"}
    for action in ("trial", "save"):
        answer = client.post("/kelola/harvest/baru", data={**form, "action": action, "csrf_token": token})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 409  # the pages' answer to an Invalid (the API's is 422)
        assert "<li>Token SIPD tidak dikirim ke 127.0.0.1. Alamat sumber SIPD harus" in page
        assert re.search(r'<p class="field-error" id="url-error">Bukan alamat yang diizinkan', page)
        assert f'value="{listener}"' in page and 'aria-invalid="true"' in page
    assert sipd.calls == []
    # Named by the operator, the same listener is a SIPD host like any other.
    app.config["SIPD_ALLOWED_HOSTS"] = "127.0.0.1"
    found = services.dry_run("sipd", sipd.url, {"tahun": [2024]})
    assert found["errors"] == [] and found["records"]
    assert {auth for _, _, auth in sipd.calls} == {f"Bearer {TOKEN}"}


def test_a_year_new_at_sipd_is_fulfilled_by_the_revision_until_it_is_published(app: Flask, sipd: FakeSipd) -> None:
    # Values for 2026 published; SIPD then adds 2027. The 2027 values wait in a revision for the
    # walidata: the 2027 item is "submitted", not "Terbit, tepat waktu" on the strength of the
    # 2026 publication. Once the revision is published, it is published on that day.
    from datetime import date

    from satudata.review import services as review
    from satudata.review.daftar.status import ItemStatus, local_date, standing

    orgs = region()
    sipd.final = {2026: [final_row("1.02.01", "Jumlah puskesmas", 2026, "27")]}
    source = new_source(sipd.url, orgs, tahun=[2026, 2027])
    assert run(source).status == JobStatus.FINISHED
    dataset = items(source)["1.02.01@2026"].dataset
    assert dataset is not None and items(source)["1.02.01@2027"].dataset is None
    review.publish_dataset(SYSTEM, dataset, note="Diperiksa walidata")
    first_published = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # months before the 2027 values came
    dataset.published_at = first_published
    db.session.commit()
    sipd.final[2027] = [final_row("1.02.01", "Jumlah puskesmas", 2027, "28")]
    job = run(source)
    assert job.status == JobStatus.FINISHED, job.errors
    dataset = db.session.get(Dataset, dataset.id)
    assert dataset is not None and dataset.state == DatasetState.PUBLISHED
    revision = dataset.revision
    assert revision is not None and revision.state == DatasetState.SUBMITTED
    found = items(source)
    assert found["1.02.01@2026"].dataset_id == dataset.id  # its values are the published ones
    assert found["1.02.01@2027"].dataset_id == revision.id
    mid_2027 = date(2027, 6, 1)
    assert standing(found["1.02.01@2027"], mid_2027).status == ItemStatus.SUBMITTED
    assert standing(found["1.02.01@2026"], mid_2027).status == ItemStatus.PUBLISHED
    # A run again changes nothing, and keeps the links.
    assert run(source).counts == {"unchanged": 3}
    assert items(source)["1.02.01@2027"].dataset_id == revision.id
    review.publish_dataset(SYSTEM, revision, note="Nilai 2027 diperiksa")
    db.session.commit()
    db.session.expire_all()
    item = items(source)["1.02.01@2027"]
    assert item.dataset_id == dataset.id
    published = db.session.get(Dataset, dataset.id)
    assert published is not None and published.revision is None
    now = standing(item, mid_2027)
    assert now.status == ItemStatus.PUBLISHED and now.on_time
    last = max(v.created_at for v in published.versions)
    assert now.published_on == local_date(last) == local_date(item.fulfilled_at)  # the revision's day,
    assert now.published_on != local_date(first_published)  # not the dataset's first publication
    assert standing(found["1.02.01@2026"], mid_2027).published_on == local_date(first_published)


def test_a_discarded_revision_leaves_the_new_years_item_unfulfilled(app: Flask, sipd: FakeSipd) -> None:
    # The harvest's revision holding 2027 is sent back and given up: the published dataset does not
    # hold 2027, so the 2027 item is fulfilled by nothing (not "Terbit"); new 2027 values from
    # SIPD come in a new revision, which fulfils it again.
    from datetime import date

    from satudata.review import services as review
    from satudata.review.daftar.status import ItemStatus, standing

    orgs = region()
    sipd.final = {2026: [final_row("1.02.01", "Jumlah puskesmas", 2026, "27")]}
    source = new_source(sipd.url, orgs, tahun=[2026, 2027])
    assert run(source).status == JobStatus.FINISHED
    dataset = items(source)["1.02.01@2026"].dataset
    assert dataset is not None
    review.publish_dataset(SYSTEM, dataset, note="Diperiksa walidata")
    db.session.commit()
    sipd.final[2027] = [final_row("1.02.01", "Jumlah puskesmas", 2027, "28")]
    assert run(source).status == JobStatus.FINISHED
    revision = db.session.get(Dataset, dataset.id).revision
    assert revision is not None and items(source)["1.02.01@2027"].dataset_id == revision.id
    review.request_changes(SYSTEM, revision, message="Nilai 2027 belum final di SIPD.")
    review.discard_revision(SYSTEM, revision, note="Nilai 2027 belum final")
    db.session.commit()
    db.session.expire_all()
    found = items(source)
    assert found["1.02.01@2027"].dataset_id is None and found["1.02.01@2027"].fulfilled_at is None
    assert standing(found["1.02.01@2027"], date(2027, 6, 1)).status == ItemStatus.DUE
    assert found["1.02.01@2026"].dataset_id == dataset.id  # the published year keeps its link
    # The same values are not proposed again (the walidata turned them down); changed ones are.
    assert run(source).status == JobStatus.FINISHED
    assert db.session.get(Dataset, dataset.id).revision is None
    assert items(source)["1.02.01@2027"].dataset_id is None
    sipd.final[2027] = [final_row("1.02.01", "Jumlah puskesmas", 2027, "29")]
    assert run(source).status == JobStatus.FINISHED
    again = db.session.get(Dataset, dataset.id).revision
    assert again is not None and items(source)["1.02.01@2027"].dataset_id == again.id
