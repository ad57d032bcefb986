"""Per-process caches kept right across processes (satudata/generations.py, issue #17): a
commit that changes the catalogue raises its generation, and a cache that sees the number move
forgets what it held; warm, a CKAN package_search costs one small query."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from sqlalchemy import event, select

from satudata import generations
from satudata.accounts.models import AuditLog
from satudata.catalog import services as catalog
from satudata.extensions import db
from satudata.generations import Generation, ProcessCache
from tests.conftest import ROOT, satudata_env
from tests.factories import make_dataset, make_org, withdraw_dataset


def _number() -> int:
    db.session.commit()  # a fresh transaction reads the committed number
    value = db.session.scalar(select(Generation.value).where(Generation.name == generations.CATALOG))
    assert value is not None
    return value


def test_commits_that_change_the_catalogue_raise_the_generation(app: Any) -> None:
    start = _number()
    ds = make_dataset(title="Jumlah Sekolah Dasar")  # several commits: created, uploaded, published
    after_publish = _number()
    assert after_publish > start
    db.session.add(AuditLog(actor_label="uji", action="uji.generasi", object_type="uji", object_id="1"))  # no cache holds it
    db.session.commit()
    assert _number() == after_publish
    catalog.record_download(ds.resources[0])  # a counter no cached read shows
    db.session.commit()
    assert _number() == after_publish
    ds.organization.name = "Dinas Pendidikan (baru)"  # the name CKAN dicts and facets show
    db.session.commit()
    assert _number() == after_publish + 1


def test_a_rolled_back_change_raises_nothing(app: Any) -> None:
    ds = make_dataset()
    before = _number()
    ds.title = "Tidak jadi"
    db.session.flush()
    db.session.rollback()
    assert _number() == before


def _search(client: Any, q: str) -> dict[str, Any]:
    resp = client.get("/api/3/action/package_search", query_string={
        "q": q, "facet.field": '["organization","tags","groups"]'})
    assert resp.status_code == 200, resp.data
    return resp.get_json()["result"]


def test_a_warm_package_search_is_one_query(app: Any) -> None:
    for i in range(12):
        make_dataset(title=f"Jumlah Puskesmas Kecamatan {i}", tags=["kesehatan", f"wilayah-{i}"])
    client = app.test_client()
    db.session.commit()
    cold = _search(client, "puskesmas")
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.commit()
        warm = _search(client, "puskesmas")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert warm == cold and cold["count"] == 12 and len(cold["results"]) == 10
    assert len(statements) == 1 and "generations" in statements[0], statements


def test_a_change_committed_by_another_process_is_seen_at_once(app: Any) -> None:
    ds = make_dataset(title="Angka Partisipasi Sekolah")
    client = app.test_client()
    db.session.commit()
    shown = client.get(f"/api/3/action/package_show?id={ds.slug}").get_json()["result"]
    assert shown["title"] == "Angka Partisipasi Sekolah"
    assert _search(client, "partisipasi")["results"][0]["organization"]["title"] == ds.organization.name
    # Another process (a worker, another web process) renames the OPD and retitles the dataset.
    script = (
        "from satudata import create_app\n"
        "from satudata.extensions import db\n"
        "from satudata.catalog.models import Dataset\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    ds = db.session.get(Dataset, {ds.id!r})\n"
        "    ds.title = 'Angka Partisipasi Sekolah (revisi)'\n"
        "    ds.organization.name = 'Dinas Pendidikan Kabupaten'\n"
        "    db.session.commit()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=satudata_env(app), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.commit()
    shown = client.get(f"/api/3/action/package_show?id={ds.slug}").get_json()["result"]
    assert shown["title"] == "Angka Partisipasi Sekolah (revisi)"
    found = _search(client, "partisipasi")
    assert found["results"][0]["organization"]["title"] == "Dinas Pendidikan Kabupaten"
    labels = {i["name"]: i["display_name"] for i in found["search_facets"]["organization"]["items"]}
    assert labels[ds.organization.slug] == "Dinas Pendidikan Kabupaten"


def test_a_withdrawn_dataset_leaves_the_cached_answers(app: Any) -> None:
    ds = make_dataset(title="Jumlah Tenaga Kesehatan")
    client = app.test_client()
    db.session.commit()
    assert client.get(f"/api/3/action/package_show?id={ds.slug}").status_code == 200
    assert _search(client, "tenaga")["count"] == 1
    withdraw_dataset(ds, index=False)  # the index is still behind: the database decides
    assert client.get(f"/api/3/action/package_show?id={ds.slug}").status_code == 404
    assert _search(client, "tenaga")["results"] == []


def test_a_transaction_reads_its_own_changes_around_the_cache(app: Any) -> None:
    ds = make_dataset(title="Jumlah Posyandu")
    client = app.test_client()
    db.session.commit()
    client.get(f"/api/3/action/package_show?id={ds.slug}")  # cached
    ds.title = "Jumlah Posyandu Aktif"  # not committed: this transaction sees it, others not yet
    shown = client.get(f"/api/3/action/package_show?id={ds.slug}").get_json()["result"]
    assert shown["title"] == "Jumlah Posyandu Aktif"
    db.session.rollback()


def test_process_cache_keeps_the_most_recently_used(app: Any) -> None:
    cache: ProcessCache[str, int] = ProcessCache(generations.CATALOG, size=2)
    loads: list[list[str]] = []

    def load(keys: list[str]) -> dict[str, int]:
        loads.append(keys)
        return {k: len(k) for k in keys if k != "hilang"}

    db.session.commit()
    assert cache.get_many(["a", "bb"], load) == {"a": 1, "bb": 2}
    assert cache.get_many(["a"], load) == {"a": 1}  # from memory; "a" is now the most recent
    assert cache.get_many(["ccc", "hilang"], load) == {"ccc": 3}  # "bb" is dropped, "hilang" not kept
    assert cache.get_many(["a", "bb", "hilang"], load) == {"a": 1, "bb": 2}
    assert loads == [["a", "bb"], ["ccc", "hilang"], ["bb", "hilang"]]


def test_the_organisation_tree_follows_a_new_opd(app: Any) -> None:
    from satudata.review.regions import subtree

    government = make_org("pemkab-uji-pohon")
    db.session.commit()
    assert subtree({government.id}) == {government.id}
    assert subtree({government.id}) == {government.id}  # now from this process's memory
    opd = make_org("dinas-uji-pohon", parent=government)
    db.session.commit()
    assert subtree({government.id}) == {government.id, opd.id}


def test_objects_the_session_held_before_the_number_are_not_kept(app: Any) -> None:
    # A request loads an organisation early (a signed-in actor's memberships); another process
    # then renames it and commits. The session hands back its older object: what is built from
    # it is answered, but not kept for later requests under the new number.
    from sqlalchemy import update

    from satudata.accounts.models import Organization
    from satudata.api.ckan.packages import package_dicts

    ds = make_dataset(title="Jumlah Sekolah Menengah")
    ds_id, org_id = ds.id, ds.organization_id
    db.session.commit()
    held = db.session.get(Organization, org_id)
    assert held is not None and held.name != "Nama Baru"
    with db.engine.begin() as other:  # another process, with its commit's raised number
        other.execute(update(Organization.__table__).where(Organization.__table__.c.id == org_id)
                      .values(name="Nama Baru"))
        other.execute(update(Generation.__table__).values(value=Generation.__table__.c.value + 1))
    package_dicts([ds_id])
    db.session.commit()
    db.session.remove()
    assert package_dicts([ds_id])[0]["organization"]["title"] == "Nama Baru"


def test_a_transaction_that_wrote_much_still_reads_the_number(app: Any) -> None:
    # SQLite: a transaction that has written more than its page cache holds the file; the
    # number must then be read on its own connection, not wait for a second one.
    from satudata.review.regions import subtree

    ds = make_dataset(title="Jumlah Guru Honorer")
    db.session.commit()
    for i in range(3000):
        db.session.add(AuditLog(actor_label="uji", action="uji.besar", object_type="uji", object_id=str(i),
                                summary={"isi": "x" * 1000}))
    db.session.flush()
    try:
        assert subtree({ds.organization_id}) == {ds.organization_id}
    finally:
        db.session.rollback()
