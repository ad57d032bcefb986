"""Issue #17: the hot read paths do a bounded number of queries. The dataset page, the
search page and CKAN's package_show and package_search cost as many queries for a dataset with
one resource and one tag as for one with many, and for a page of a few results as for a full
one (no query per row, resource, tag or facet value)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from satudata.catalog import services as catalog
from satudata.extensions import db
from tests.factories import SYSTEM, make_dataset, make_org, make_topic, publish_dataset


@contextmanager
def counting() -> Iterator[list[str]]:
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _dataset(word: str, resources: int, tags: int) -> Any:
    ds = make_dataset(title=f"Jumlah {word} per Kecamatan", tags=[f"{word}-{i}" for i in range(tags)],
                      topics=[make_topic(f"topik-{word}-{i}", f"Topik {word} {i}") for i in range(min(tags, 3))],
                      publish=False)
    for i in range(resources - 1):
        catalog.add_workspace_link(SYSTEM, ds, url=f"https://data.example.go.id/{word}/{i}.pdf",
                                   name=f"Dokumen {i}", format="PDF")
    db.session.commit()
    return publish_dataset(ds)


def _queries(app: Any, url: str) -> int:
    client = app.test_client()
    client.get(url)  # warm what is per process (templates, labels), then count a cold read
    from satudata.generations import bump_all

    bump_all()
    with counting() as statements:
        resp = client.get(url)
    assert resp.status_code == 200, resp.data[-2000:]
    return len(statements)


def test_a_dataset_page_costs_the_same_few_queries_however_much_it_shows(app) -> None:
    small = _dataset("sekolah", resources=1, tags=1)
    large = _dataset("puskesmas", resources=7, tags=9)
    for url in ("/dataset/{}", "/api/3/action/package_show?id={}"):
        few, many = _queries(app, url.format(small.slug)), _queries(app, url.format(large.slug))
        assert few == many, (url, few, many)


def test_a_search_page_costs_the_same_few_queries_for_a_full_page(app) -> None:
    for i in range(2):
        make_dataset(make_org(f"dinas-a-{i}"), title=f"Jumlah Guru Sekolah {i}", tags=[f"guru-{i}"])
    for i in range(14):
        make_dataset(make_org(f"dinas-b-{i}"), title=f"Jumlah Ternak Sapi {i}", tags=[f"ternak-{i}", "sapi"])
    facets = '["organization","tags","groups","res_format","license_id"]'
    for url in ("/dataset?q={}", "/api/3/action/package_search?q={}&facet.field=" + facets):
        few, many = _queries(app, url.format("guru")), _queries(app, url.format("ternak"))
        assert few == many, (url, few, many)
