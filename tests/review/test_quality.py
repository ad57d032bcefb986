"""The quality score: each part earns what the dataset shows, says what to do for the rest, and
parts that do not apply (standards, validation of a dataset without tables) are left out."""

from __future__ import annotations

from datetime import timedelta

from satudata.catalog.models import Frequency, ValidationStatus
from satudata.db import utcnow
from satudata.review.quality import quality_of
from tests.accounts.conftest import orgs, tokens, users  # noqa: F401  (fixtures)
from tests.factories import make_dataset
from tests.review.test_walidata_views import _submitted, producer, walidata  # noqa: F401  (fixtures)
from tests.workspace.conftest import vocab  # noqa: F401  (fixtures)


def _part(quality, key):
    return next(p for p in quality.parts if p.key == key)


def test_a_fresh_valid_csv_without_a_standard(app):
    ds = make_dataset(publish=False)
    q = quality_of(ds)
    assert [p.key for p in q.parts] == ["metadata", "standards", "valid", "formats", "fresh"]
    assert _part(q, "valid").points == 20 and _part(q, "formats").points == 15 and _part(q, "fresh").points == 15
    standards = _part(q, "standards")
    assert standards.points == 0 and "Penduduk per kecamatan" in standards.advice
    assert 0 < q.score < 100 and q.grade in ("Baik", "Cukup", "Sangat baik")


def test_standards_count_an_edited_copy_half(app):
    ds = make_dataset(publish=False)
    [table] = ds.resources
    table.schema_ref = "penduduk_kecamatan@1"
    assert _part(quality_of(ds), "standards").points == 20
    table.schema_ref = "penduduk_kecamatan@1+ubahan"
    assert _part(quality_of(ds), "standards").points == 10


def test_an_invalid_table_and_a_closed_format_cost_points(app):
    ds = make_dataset(publish=False)
    [table] = ds.resources
    table.validation_status = ValidationStatus.INVALID
    table.format = "XLSX"
    q = quality_of(ds)
    assert _part(q, "valid").points == 0 and "lolos validasi" in _part(q, "valid").advice
    assert _part(q, "formats").points == 8 and "CSV" in _part(q, "formats").advice


def test_old_data_is_late_against_its_frequency(app):
    ds = make_dataset(publish=False, frequency=Frequency.BULANAN)
    assert _part(quality_of(ds), "fresh").points == 15
    later = utcnow() + timedelta(days=60)
    late = _part(quality_of(ds, now=later), "fresh")
    assert late.points == 8 and "terlambat" in late.detail
    assert _part(quality_of(ds, now=utcnow() + timedelta(days=400)), "fresh").points == 0
    ds.frequency = Frequency.TIDAK_TENTU
    assert _part(quality_of(ds, now=utcnow() + timedelta(days=4000)), "fresh").points == 15


def test_a_dataset_of_documents_is_scored_on_the_parts_that_apply(app):
    ds = make_dataset(publish=False, csv=None, document="https://dinkes.riau.go.id/profil-2025.pdf")
    q = quality_of(ds)
    assert [p.key for p in q.parts] == ["metadata", "formats", "fresh"]
    assert _part(q, "formats").points == 0
    assert q.score == round(100 * sum(p.points for p in q.parts) / sum(p.maximum for p in q.parts))


def test_missing_metadata_is_named(app):
    ds = make_dataset(publish=False, contact_email=None, satuan=None)
    metadata = _part(quality_of(ds), "metadata")
    assert metadata.points < 30 and "Satuan" in metadata.advice


# --------------------------------------------------------------------------- where people see it



def test_the_producer_and_the_walidata_see_the_same_score(producer, walidata, orgs):  # noqa: F811
    ds = _submitted(orgs)
    score = quality_of(ds).score
    mine = producer.get(f"/kelola/dataset/{ds.slug}").get_data(as_text=True)
    theirs = walidata.get(f"/kelola/periksa/{ds.slug}").get_data(as_text=True)
    for html in (mine, theirs):
        assert f"Skor kualitas: <strong>{score}/100</strong>" in html
        assert "Standar data" in html and "Pasang standar data dari pustaka" in html


def test_the_workspace_api_gives_the_score_with_its_parts(app, orgs, tokens, vocab):  # noqa: F811
    ds = _submitted(orgs)
    client = app.test_client()
    body = client.get(f"/api/v1/workspace/datasets/{ds.slug}",
                      headers={"Authorization": f"Bearer {tokens['produsen']['read']}"}).json["data"]
    assert body["quality"]["score"] == quality_of(ds).score
    assert [p["key"] for p in body["quality"]["parts"]] == ["metadata", "standards", "valid", "formats", "fresh"]
