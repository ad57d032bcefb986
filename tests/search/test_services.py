"""Search documents and services on a real database: what is indexed (published versions of
public datasets only), how results come back as rows, scheduling, rebuild, status, the CLI,
synonyms, and what happens when the engine is down."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from satudata import jobs
from satudata.accounts.models import AuditLog
from satudata.authz import AnonymousActor
from satudata.catalog.models import AccessClass, Frequency
from satudata.errors import Forbidden, Invalid
from satudata.review import services as review
from satudata.search import services, tasks
from satudata.search.backend import EXTENSION_KEY, SearchQuery, SearchUnavailable, get_backend
from satudata.search.cli import search_group
from satudata.search.documents import build_document, iter_documents, searchable_count
from satudata.search.elasticsearch import ElasticsearchBackend
from satudata.search.embedded import EmbeddedBackend
from tests.factories import SYSTEM, make_dataset, make_licence, make_org, make_topic, submit_dataset, withdraw_dataset


@pytest.fixture()
def search_queue(app):
    q = jobs.get_queue("search")
    q.empty()
    yield q
    q.empty()


def _rohil(**fields):
    org = make_org(slug="disdukcapil-rohil", name="Disdukcapil Rokan Hilir")
    topic = make_topic()
    make_licence()
    fields.setdefault("title", "Jumlah Penduduk Rokan Hilir")
    return make_dataset(org, topics=[topic], tags=["Penduduk"], licence_id="cc-by-4.0", kode_wilayah="14.07",
                        frequency=Frequency.TAHUNAN,
                        description="**Data** penduduk per kecamatan.\n\n<script>alert(1)</script>", **fields)


# --------------------------------------------------------------------------- documents


def test_document_holds_the_published_version(app, db):
    ds = _rohil()
    doc = build_document(ds)
    assert doc is not None
    assert doc.title == "Jumlah Penduduk Rokan Hilir" and doc.slug == ds.slug
    assert doc.description == "Data penduduk per kecamatan."  # Markdown and scripts removed
    assert doc.tags == ["penduduk"] and doc.topics == ["kependudukan"] and doc.topic_names == ["Kependudukan"]
    assert doc.organization == "disdukcapil-rohil" and doc.organization_name == "Disdukcapil Rokan Hilir"
    assert doc.licence == "cc-by-4.0" and doc.licence_title.startswith("Creative Commons")
    assert doc.formats == ["CSV"] and {"kecamatan", "laki_laki"} <= set(doc.columns)
    assert doc.year == 2025 and doc.frequency == "tahunan" and doc.kode_wilayah == "14.07"
    assert doc.published_at is not None and doc.published_at.tzinfo is not None

    # Edits not yet published (a draft revision) stay out of search ...
    ds.title = "Judul yang masih draf"
    db.session.flush()
    assert build_document(ds).title == "Jumlah Penduduk Rokan Hilir"
    # ... until the walidata publishes them (here: withdrawn and published again, which
    # writes a new version when what is published changed).
    review.withdraw_dataset(SYSTEM, ds, reason="Judul diperbaiki")
    assert build_document(ds) is None
    review.republish_dataset(SYSTEM, ds)
    db.session.flush()
    assert build_document(ds).title == "Judul yang masih draf"
    # An organisation's new name shows at once (it is not part of the version).
    ds.organization.name = "Dinas Kependudukan Rokan Hilir"
    db.session.flush()
    assert build_document(ds).organization_name == "Dinas Kependudukan Rokan Hilir"


def test_only_published_public_datasets_have_documents(app, db):
    draft = make_dataset(publish=False, title="Draf Rahasia")
    submitted = submit_dataset(make_dataset(publish=False, title="Diajukan"))
    withdrawn = withdraw_dataset(make_dataset(title="Ditarik"))
    restricted = make_dataset(title="Terbatas", access_class=AccessClass.TERBATAS)
    public = make_dataset(title="Terbuka")
    db.session.commit()
    for ds in (draft, submitted, withdrawn, restricted):
        assert build_document(ds) is None, ds.title
    assert build_document(public) is not None
    assert [d.id for d in iter_documents()] == [public.id]
    assert searchable_count() == 1


def test_drafts_never_reach_any_backend(app, db, backend):
    make_dataset(publish=False, title="Draf Statistik Rahasia")
    make_dataset(title="Statistik Terbuka", access_class=AccessClass.DIKECUALIKAN)
    public = make_dataset(title="Statistik Publik")
    assert backend.rebuild(iter_documents()) == 1
    r = backend.search(SearchQuery(text="statistik"))
    assert [h.id for h in r.hits] == [public.id] and r.total == 1
    assert backend.suggest("draf") == []


# --------------------------------------------------------------------------- services


def test_search_datasets_returns_rows_facets_labels_and_highlights(app, db, app_backend):
    ds = _rohil()
    other = make_dataset(title="Kepadatan Penduduk Dumai", year=2024)
    make_dataset(title="Produksi Kelapa Sawit")
    assert services.reindex_all() == 3
    r = services.search_datasets("kependudukan", facet_keys=("organization", "topic", "licence", "kode_wilayah",
                                                             "frequency", "year"))
    assert {d.id for d in r.items} == {ds.id, other.id} and r.total == 2 and r.pages == 1
    assert r.items[0].organization is not None  # real rows, relations loaded
    assert r.facets["organization"][0][2] == 1
    assert ("disdukcapil-rohil", "Disdukcapil Rokan Hilir", 1) in r.facets["organization"]
    # The other dataset has the test factory's metadata (topic "umum", region 76, frequency not fixed).
    assert sorted(r.facets["topic"]) == [("kependudukan", "Kependudukan", 1), ("umum", "Umum", 1)]
    assert r.facets["licence"] == [("cc-by-4.0", "Creative Commons Attribution 4.0", 2)]
    assert sorted(r.facets["kode_wilayah"]) == [("14.07", "Kabupaten Rokan Hilir", 1), ("76", "Sulawesi Barat", 1)]
    assert sorted(r.facets["frequency"]) == [("tahunan", "Tahunan", 1), ("tidak_tentu", "Tidak tentu", 1)]
    assert dict((v, n) for v, _label, n in r.facets["year"]) == {"2025": 1, "2024": 1}
    assert "<mark>Penduduk</mark>" in r.highlights[ds.id]["title"]
    r = services.search_datasets(filters={"organization": ["disdukcapil-rohil"]}, sort="name", page=1, per_page=1)
    assert [d.id for d in r.items] == [ds.id]
    r = services.search_datasets(page=5)
    assert r.items == [] and r.total == 3
    r = services.search_datasets(offset=2, per_page=5, sort="name")
    assert len(r.items) == 1 and r.offset == 2
    with pytest.raises(Invalid):
        services.search_datasets(filters={"warna": ["x"]})
    assert [s.title for s in services.suggest_titles("kepad")] == ["Kepadatan Penduduk Dumai"]


def test_rows_no_longer_public_are_never_shown(app, db, app_backend):
    ds = make_dataset(title="Produksi Kelapa Sawit")
    services.reindex_all()
    withdraw_dataset(ds, index=False)  # the search job that removes it has not run yet
    r = services.search_datasets("sawit")
    assert r.items == []  # the index is a moment behind; the database decides


def test_result_rows_load_in_a_few_queries_by_primary_key(app, db, app_backend):
    """Loading a page of hits costs the same few queries however many datasets and walidata
    there are (no lazy load per row), and never reads the catalogue through the index on
    ``state`` (on SQLite, without statistics, that read every published dataset)."""
    from sqlalchemy import event

    from satudata.api.ckan_dicts import package_dict

    topic = make_topic()
    make_licence()
    for n in range(12):
        walidata = make_org(name=f"Diskominfo Uji {n}", is_walidata=True)
        make_dataset(make_org(), title=f"Jumlah Penduduk Kecamatan {n}", walidata=walidata, topics=[topic],
                     tags=[f"tag-{n}", "penduduk"], licence_id="cc-by-4.0")
    services.reindex_all()
    db.session.expunge_all()
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        r = services.search_datasets("penduduk", facet_keys=("organization",), per_page=20)
        dicts = [package_dict(d) for d in r.items]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(dicts) == 12 and all(d["walidata"].startswith("Diskominfo Uji") for d in dicts)
    assert len(statements) <= 6, [s for s, _p in statements]
    if db.engine.dialect.name == "sqlite":
        for statement, parameters in statements:
            plan = " ".join(str(row) for row in db.session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))
            assert "ix_dataset_state" not in plan, (statement, plan)


def test_schedule_reindex_enqueues_after_commit(app, db, search_queue):
    ds = make_dataset(index=False)
    # Publishing schedules the index update itself.
    assert [j.args for j in search_queue.jobs] == [("satudata.search.tasks.sync_dataset", ds.id)]
    search_queue.empty()
    services.schedule_reindex(ds)
    assert search_queue.count == 0
    db.session.commit()
    assert search_queue.count == 1
    assert search_queue.jobs[0].args == ("satudata.search.tasks.sync_dataset", ds.id)
    services.schedule_reindex(ds.id)
    db.session.rollback()
    db.session.commit()
    assert search_queue.count == 1
    services.schedule_organization_reindex(ds.organization)
    db.session.commit()
    assert search_queue.jobs[-1].args == ("satudata.search.tasks.sync_organization", ds.organization_id)


def test_sync_jobs_index_and_remove(app, db, app_backend):
    ds = make_dataset(title="Produksi Kelapa Sawit")
    assert tasks.sync_dataset(ds.id) is True
    assert services.search_datasets("sawit").total == 1
    withdraw_dataset(ds, index=False)
    assert tasks.sync_dataset(ds.id) is False
    assert services.search_datasets("sawit").total == 0
    assert tasks.sync_dataset("no-such-dataset") is False
    review.republish_dataset(SYSTEM, ds)
    ds.organization.name = "Dinas Perkebunan Pelalawan"
    db.session.commit()
    assert tasks.sync_organization(ds.organization_id) == 1
    assert services.search_datasets("perkebunan pelalawan").total == 1


def test_reindex_status_and_catch_up(app, db, app_backend):
    make_dataset(index=False)
    make_dataset(index=False)
    status = services.search_status()
    assert status.backend == "embedded" and status.indexed == 0 and status.published == 2 and not status.in_sync
    assert services.reindex_all() == 2
    assert services.search_status().in_sync
    make_dataset(index=False)
    assert not services.search_status().in_sync
    assert tasks.catch_up() == 3
    assert services.search_status().in_sync
    assert services.search_health()["status"] == "ok"


def test_cli_status_and_reindex(app, db, app_backend):
    make_dataset(index=False)
    runner = app.test_cli_runner()
    result = runner.invoke(search_group, ["status"])
    assert result.exit_code == 1 and "Dataset publik  : 1" in result.output and "reindex" in result.output
    result = runner.invoke(search_group, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "1 dataset terindeks" in result.output
    result = runner.invoke(search_group, ["status"])
    assert result.exit_code == 0 and "Sinkron         : ya" in result.output


def test_synonyms_are_edited_by_walidata_and_apply_at_once(app, db, app_backend):
    make_dataset(title="Produksi Tandan Buah Segar")
    services.reindex_all()
    assert services.search_datasets("tbs").total == 0
    with pytest.raises(Forbidden):
        services.update_synonyms(AnonymousActor(), "tbs, tandan buah segar")
    with pytest.raises(Invalid, match="baris 2"):
        services.update_synonyms(SYSTEM, "faskes, fasilitas kesehatan\nhanya satu kata\n")
    try:
        assert services.update_synonyms(SYSTEM, services.synonyms_text() + "tbs, tandan buah segar\n") > 1
        db.session.commit()
        assert services.search_datasets("tbs").total == 1
        assert "tbs, tandan buah segar" in services.synonyms_text()
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "search.synonyms.update"))
    finally:
        (app_backend.root / "synonyms.txt").unlink(missing_ok=True)


def test_suggestions_read_the_synonym_list(app, db, app_backend):
    rohil = _rohil()  # "Jumlah Penduduk Rokan Hilir"
    dumai = make_dataset(title="Jumlah Penduduk Kota Dumai")
    services.reindex_all()
    assert app_backend.suggest("penduduk rohil") == []  # no title has the abbreviation
    assert [s.id for s in services.suggest_titles("penduduk rohil")] == [rohil.id]
    assert [s.id for s in services.suggest_titles("rohil ")] == [rohil.id]
    assert [s.id for s in services.suggest_titles("jumlah penduduk rokan")] == [rohil.id]
    # What matches as typed comes first; the synonyms only fill up to the limit.
    assert {s.id for s in services.suggest_titles("jumlah penduduk")} == {rohil.id, dumai.id}
    assert len(services.suggest_titles("jumlah penduduk", limit=1)) == 1
    assert services.suggest_titles("") == [] and services.suggest_titles('"*:(') == []


# --------------------------------------------------------------------------- engine down


def test_engine_down_is_search_unavailable(app, db):
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    try:
        make_dataset(index=False)
        with pytest.raises(SearchUnavailable) as caught:
            services.search_datasets("penduduk")
        assert caught.value.status == 503
        assert services.search_health()["status"] == "error"
        status = services.search_status()
        assert status.indexed is None and status.published == 1 and not status.in_sync
        with pytest.raises(SearchUnavailable):
            tasks.sync_dataset("some-id")
        assert jobs.get_redis().sismember(tasks.PENDING_KEY, "some-id")
    finally:
        app.extensions.pop(EXTENSION_KEY, None)
        jobs.get_redis().delete(tasks.PENDING_KEY)


def test_values_of_one_filter_follow_the_shared_bound(app, monkeypatch):
    from satudata.search.backend import normalise_filters

    assert normalise_filters({"tag": [f"t{i}" for i in range(20)]})["tag"][-1] == "t19"
    monkeypatch.setitem(app.config, "SEARCH_MAX_CLAUSE_VALUES", 2)
    assert normalise_filters({"tag": ["a", "b", "a"]}) == {"tag": ["a", "b"]}
    with pytest.raises(Invalid, match="Terlalu banyak nilai untuk filter 'tag'") as refused:
        normalise_filters({"tag": ["a", "b", "c"]})
    assert "Paling banyak 2 nilai" in refused.value.details["tag"][0]


@pytest.mark.nodb
def test_an_engine_on_its_own_takes_the_default_bound():
    from satudata.config import Defaults
    from satudata.search.backend import normalise_filters

    most = Defaults.SEARCH_MAX_CLAUSE_VALUES
    assert len(normalise_filters({"tag": [f"t{i}" for i in range(most)]})["tag"]) == most
    with pytest.raises(Invalid):
        normalise_filters({"tag": [f"t{i}" for i in range(most + 1)]})


@pytest.mark.nodb
def test_unreadable_embedded_index_is_search_unavailable(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    backend = EmbeddedBackend(blocker)
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="x"))
    assert backend.health()["status"] == "error"


def test_get_backend_is_chosen_by_config_and_cached(app):
    app.extensions.pop(EXTENSION_KEY, None)
    try:
        first = get_backend(app)
        assert isinstance(first, EmbeddedBackend) and get_backend(app) is first
        assert first.root == type(first.root)(app.instance_path) / "search"
        app.extensions.pop(EXTENSION_KEY)
        app.config["SEARCH_BACKEND"] = "solr"
        with pytest.raises(ValueError, match="SEARCH_BACKEND"):
            get_backend(app)
    finally:
        app.config["SEARCH_BACKEND"] = "embedded"
        app.extensions.pop(EXTENSION_KEY, None)
