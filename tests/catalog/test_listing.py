"""The public catalogue's one read path: ``search.find_public_datasets`` (registered with the
catalogue as ``find_public``) asks the engine whether it can answer a ``DatasetQuery`` and
otherwise runs the one SQL translator; an engine that is down leaves it to the database,
which says so (``degraded``). Engine and database agree on what they both answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from satudata.accounts.models import OrganizationKind
from satudata.catalog import services as catalog
from satudata.catalog.services import Clause, DatasetQuery, listing
from satudata.errors import Invalid
from satudata.search import services as search
from satudata.search.backend import EXTENSION_KEY
from satudata.search.elasticsearch import ElasticsearchBackend
from tests.factories import make_dataset, make_org


@pytest.fixture()
def engine_down(app: Any) -> Iterator[None]:
    """Elasticsearch on a port nobody listens on: every search is SearchUnavailable."""
    app.extensions[EXTENSION_KEY] = ElasticsearchBackend("http://127.0.0.1:9", timeout=1, max_retries=0)
    try:
        yield
    finally:
        app.extensions.pop(EXTENSION_KEY, None)


@pytest.fixture()
def riau(app: Any) -> dict[str, Any]:
    """Rokan Hilir's government with one OPD, Dumai's OPD, and a dataset each."""
    pemkab = make_org("pemkab-rohil", name="Pemerintah Kabupaten Rokan Hilir", kind=OrganizationKind.KABUPATEN,
                      kode_wilayah="14.07")
    dinkes = make_org("dinkes-rohil", name="Dinas Kesehatan Rokan Hilir", kode_wilayah="14.07", parent=pemkab)
    dumai = make_org("dinkes-dumai", name="Dinas Kesehatan Kota Dumai", kode_wilayah="14.72")
    return {
        "rohil": make_dataset(dinkes, title="Jumlah Puskesmas Rokan Hilir", tags=["kesehatan"]),
        "dumai": make_dataset(dumai, title="Jumlah Puskesmas Kota Dumai", tags=["kesehatan", "dumai"]),
    }


def test_search_registers_the_read_path_at_start_up(app: Any) -> None:
    assert listing._finder is search.find_public_datasets


def test_the_engine_answers_what_it_can_and_the_database_the_rest(riau: dict[str, Any]) -> None:
    plain = search.find_public_datasets(DatasetQuery.of("puskesmas", {"tag": ["kesehatan"]}, facets=("tag",)))
    assert plain.answered_by == "embedded" and not plain.degraded
    assert {d.slug for d in plain.items} == {riau["rohil"].slug, riau["dumai"].slug}
    # Negation is not something the engines are asked: the database answers, exactly.
    negated = search.find_public_datasets(DatasetQuery(groups=((Clause("tag", ("dumai",), negate=True),),)))
    assert negated.answered_by == "database" and not negated.degraded
    assert [d.slug for d in negated.items] == [riau["rohil"].slug]
    # Alternatives in one clause (tags:(a OR b)) and two sort keys: the database too.
    either = search.find_public_datasets(DatasetQuery(groups=((Clause("tag", ("dumai", "tidak-ada")),),),
                                                      sort=(("title", False), ("id", False))))
    assert either.answered_by == "database" and [d.slug for d in either.items] == [riau["dumai"].slug]


def test_engine_and_database_agree_on_filters_facets_and_totals(riau: dict[str, Any]) -> None:
    for filters in ({}, {"wilayah": ["14"]}, {"wilayah": ["14.07"]}, {"tag": ["kesehatan"], "wilayah": ["14.72"]},
                    {"organization": ["dinkes-rohil"]}):
        query = DatasetQuery.of("", filters, sort="name", facets=("wilayah", "tag", "organization", "year"))
        engine, database = search.find_public_datasets(query), catalog.query_database(query)
        assert engine.answered_by == "embedded", filters
        assert [d.slug for d in engine.items] == [d.slug for d in database.items], filters
        assert engine.total == database.total, filters
        assert engine.facets == database.facets, filters


def test_the_region_filter_takes_a_government_with_its_opd(riau: dict[str, Any]) -> None:
    found = search.find_public_datasets(DatasetQuery.of("", {"wilayah": ["14.07"]}, facets=("wilayah",)))
    assert [d.slug for d in found.items] == [riau["rohil"].slug]
    province = search.find_public_datasets(DatasetQuery.of("", {"wilayah": ["14"]}, facets=("wilayah",)))
    assert province.total == 2
    assert province.facets["wilayah"] == [("14", "Provinsi Riau", 2), ("14.07", "Kabupaten Rokan Hilir", 1),
                                          ("14.72", "Kota Dumai", 1)]
    with pytest.raises(Invalid, match="Kode wilayah"):
        search.find_public_datasets(DatasetQuery.of("", {"wilayah": ["rohil"]}))


def test_an_organisation_named_by_its_uuid_is_the_engine_s_too(riau: dict[str, Any]) -> None:
    org = riau["rohil"].organization
    for key in (org.uuid, str(org.id), org.slug):
        found = search.find_public_datasets(DatasetQuery(groups=((Clause("organization", (key,)),),)))
        assert found.answered_by == "embedded" and [d.slug for d in found.items] == [riau["rohil"].slug], key


def test_an_engine_that_is_down_leaves_it_to_the_database_which_says_so(riau: dict[str, Any],
                                                                        engine_down: None) -> None:
    found = catalog.find_public(DatasetQuery.of("rokan", {}, facets=("tag",)))
    assert found.degraded is True and found.answered_by == "database"
    assert [d.slug for d in found.items] == [riau["rohil"].slug]
    assert found.facets["tag"] == [("kesehatan", "kesehatan", 1)]


def test_bad_input_is_refused_whoever_answers(app: Any, engine_down: None) -> None:
    for query in (DatasetQuery.of("", {"nope": ["x"]}), DatasetQuery(sort=(("bogus", True),)),
                  DatasetQuery(facets=("nope",)), DatasetQuery(offset=-1), DatasetQuery.of("", {"year": ["20x4"]})):
        with pytest.raises(Invalid):
            search.find_public_datasets(query)
    with pytest.raises(Invalid):
        DatasetQuery.of(sort="bogus")


def test_without_a_registered_finder_the_database_answers(app: Any) -> None:
    make_dataset(title="Jumlah Penduduk Kota Dumai")
    registered = listing._finder
    catalog.use_finder(None)
    try:
        found = catalog.find_public(DatasetQuery.of(sort="newest"))
    finally:
        catalog.use_finder(registered)
    assert found.total == 1 and found.answered_by == "database" and not found.degraded


def test_moving_an_opd_to_another_region_moves_its_datasets(riau: dict[str, Any]) -> None:
    """The documents carry the region: changing an OPD's code (or a government's, which its OPD
    without a code share) queues the re-sync of its datasets."""
    from satudata import jobs
    from satudata.accounts import services as accounts
    from satudata.extensions import db
    from satudata.search import tasks
    from tests.factories import SYSTEM

    dumai = riau["dumai"].organization
    queue = jobs.get_queue("search")
    queue.empty()
    accounts.update_organization(SYSTEM, dumai, kode_wilayah="14.07")
    db.session.commit()
    queued = [job.args[1:] for job in queue.jobs if job.args[0] == search.SYNC_ORGANIZATION_JOB]
    queue.empty()
    assert queued == [(dumai.id,)]
    before = search.find_public_datasets(DatasetQuery.of("", {"wilayah": ["14.07"]}))
    assert before.total == 1  # the index still holds the old region until the job runs
    tasks.sync_organization(dumai.id)
    after = search.find_public_datasets(DatasetQuery.of("", {"wilayah": ["14.07"]}))
    assert after.answered_by == "embedded" and after.total == 2
    assert catalog.query_database(DatasetQuery.of("", {"wilayah": ["14.07"]})).total == 2
