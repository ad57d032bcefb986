"""A full reindex reads the database in batches: the same documents as building them one by
one, a fixed number of queries per batch whatever the batch holds, and one batch read at a
time (issue #17: a million datasets in bounded memory)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, select

from satudata.catalog.models import AccessClass, Dataset, DatasetVersion
from satudata.review import services as review
from satudata.search import embedded, services
from satudata.search.backend import SearchQuery
from satudata.search.documents import build_document, iter_documents
from tests.factories import SYSTEM, make_dataset, make_org, make_topic, withdraw_dataset
from tests.search.conftest import corpus


@contextmanager
def recorded(db) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _catalogue(db) -> list[Dataset]:
    """Published datasets of every shape a document is built from, with datasets that must not
    be indexed between them (ids are random, so they interleave in id order)."""
    topic = make_topic()
    parent = make_org(name="Pemerintah Kabupaten Rokan Hilir", kode_wilayah="14.07")
    opd = make_org(name="Dinas Kesehatan Rokan Hilir", parent=parent)  # region from its parent
    datasets = [make_dataset(opd if n % 2 else None, title=f"Jumlah Penduduk Kecamatan {n}", topics=[topic],
                             tags=["Penduduk", f"Kabupaten/Kota {n}"]) for n in range(5)]
    # A second published version: the latest one is what search shows.
    edited = datasets[0]
    review.withdraw_dataset(SYSTEM, edited, reason="Judul diperbaiki")
    edited.title = "Jumlah Penduduk Menurut Umur"
    review.republish_dataset(SYSTEM, edited)
    # Published before versions existed: the live row is what search shows.
    legacy = datasets[1]
    db.session.execute(delete(DatasetVersion).where(DatasetVersion.dataset_id == legacy.id))
    # A renamed organisation shows its new name (it is not part of the version).
    datasets[2].organization.name = "Disdukcapil Rokan Hilir (baru)"
    # Not indexed: a draft, a withdrawn dataset, a restricted one.
    make_dataset(publish=False, title="Draf Penduduk")
    withdraw_dataset(make_dataset(title="Ditarik"))
    make_dataset(title="Terbatas", access_class=AccessClass.TERBATAS)
    db.session.commit()
    return list(db.session.scalars(select(Dataset)))


@pytest.mark.parametrize("batch_size", [1, 2, 3, 1000])
def test_batches_give_the_documents_built_one_by_one(app, db, batch_size):
    datasets = _catalogue(db)
    expected = {ds.id: doc for ds in datasets if (doc := build_document(ds)) is not None}
    assert len(expected) == 5
    assert any(d.title == "Jumlah Penduduk Menurut Umur" for d in expected.values())
    assert any(d.organization_name == "Disdukcapil Rokan Hilir (baru)" for d in expected.values())
    assert any(d.wilayah == "14.07" for d in expected.values())
    db.session.expunge_all()
    docs = list(iter_documents(batch_size=batch_size))
    assert [d.id for d in docs] == sorted(expected)  # by id, each once
    assert {d.id: d for d in docs} == expected


def test_queries_per_batch_are_bounded_and_batches_are_read_one_at_a_time(app, db):
    datasets = _catalogue(db)  # 8 datasets, 5 of them public, one without a version
    # Ids are random: the first batches (2 by id) may hold only the 3 datasets that are not
    # public, and then the first document comes from a later batch.
    public = [build_document(ds) is not None for ds in sorted(datasets, key=lambda ds: ds.id)]
    first_batch = next(i for i, is_public in enumerate(public) if is_public) // 2 + 1
    db.session.expunge_all()
    with recorded(db) as statements:
        docs = iter_documents(batch_size=2)
        first = next(docs)
        pages = [s for s, _p in statements if "LIMIT" in s.upper()]
        assert first is not None and len(pages) == first_batch  # nothing read past the batch that held it
        rest = list(docs)
    assert len(rest) == 4
    batches = 4  # 8 datasets, 2 a batch; then one empty page ends the walk
    # Names (organisations, topics, licences) once; per batch the page of datasets, their
    # latest versions and their resources; the dataset without a version costs one ORM load
    # with its relations (at most 5) in its batch.
    assert len(statements) <= 3 + (batches + 1) + 2 * batches + 5, [s for s, _p in statements]
    assert not any("WHERE dataset.id = " in s for s, _p in statements)  # nothing per dataset
    if db.engine.dialect.name == "sqlite":
        # Keyset pagination on the primary key: never the walk of every published dataset
        # through the index on ``state`` for each batch.
        for statement, parameters in statements:
            plan = " ".join(str(row) for row in db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))
            assert "ix_dataset_state" not in plan, (statement, plan)


def test_reindex_all_indexes_every_batch(app, db, app_backend, monkeypatch):
    monkeypatch.setattr("satudata.search.documents.BATCH_SIZE", 2)
    datasets = _catalogue(db)
    assert services.reindex_all() == 5
    public = {ds.id for ds in datasets if ds.is_public}
    assert set(app_backend.ids()) == public


def test_keyword_stems_are_cached_within_bounds(tmp_path, monkeypatch):
    """Keywords repeat across datasets (organisation names, tags, columns), so their stems are
    kept; the cache is emptied when it is full and the index is the same either way."""
    monkeypatch.setattr(embedded, "STEM_CACHE_SIZE", 3)
    small = embedded.EmbeddedBackend(tmp_path / "small")
    assert small.rebuild(corpus()) == 12
    assert len(small._stem_cache) <= 3
    monkeypatch.setattr(embedded, "STEM_CACHE_SIZE", 50_000)
    large = embedded.EmbeddedBackend(tmp_path / "large")
    assert large.rebuild(corpus()) == 12
    for text in ("kependudukan", "demografi", "kecamatan laki", "kesehatan pelalawan", "perkebunan"):
        found = [h.id for h in small.search(SearchQuery(text=text)).hits]
        assert found and found == [h.id for h in large.search(SearchQuery(text=text)).hits], text
    for doc in corpus():
        assert small._document(doc).to_dict() == large._document(doc).to_dict()
