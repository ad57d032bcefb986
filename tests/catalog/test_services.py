import io

import pytest

from satudata.authz import AnonymousActor
from satudata.catalog import services as catalog
from satudata.catalog.models import DatasetState
from satudata.catalog.storage import get_store
from satudata.errors import Forbidden, Invalid, NotFound
from tests.factories import SYSTEM, find_in_database, make_dataset, make_org


def test_publish_writes_version_and_audit(app, db):
    ds = make_dataset()
    assert ds.state == DatasetState.PUBLISHED
    assert [v.number for v in ds.versions] == [1]
    assert ds.versions[0].snapshot["resources"][0]["row_count"] == 3
    from satudata.accounts.models import AuditLog

    actions = {a.action for a in db.session.scalars(db.select(AuditLog))}
    assert {"organization.create", "dataset.create", "resource.create", "dataset.publish"} <= actions


def test_resource_is_content_addressed_and_summarised(app):
    ds = make_dataset()
    res = ds.resources[0]
    assert res.format == "CSV" and res.media_type == "text/csv"
    assert get_store().path(res.sha256).read_bytes().startswith(b"kode_wilayah,")
    cols = {c["name"]: c for c in res.columns}
    assert cols["kode_wilayah"]["type"] == "string"  # region codes are text, never numbers
    assert cols["laki_laki"]["type"] == "number" and cols["laki_laki"]["max"] == 45012


def test_drafts_are_not_public(app):
    ds = make_dataset(publish=False)
    with pytest.raises(NotFound):
        catalog.get_public_dataset(ds.slug)
    assert find_in_database().total == 0


def test_anonymous_cannot_create(app):
    org = make_org()
    with pytest.raises(Forbidden):
        catalog.create_dataset(AnonymousActor(), org, title="x")


def test_upload_over_limit_keeps_nothing(app):
    app.config["UPLOAD_MAX_BYTES"] = 10
    try:
        ds = make_dataset(publish=False, csv=None)
        with pytest.raises(Invalid):
            catalog.add_resource_file(SYSTEM, ds, io.BytesIO(b"x" * 100), filename="a.csv")
        assert not list((get_store().root / "tmp").iterdir())
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 500 * 1024 * 1024


def test_find_datasets_filters_and_facets(app):
    org = make_org(slug="dinkes")
    make_dataset(org, title="Fasilitas Kesehatan", tags=["kesehatan"], year=2024)
    make_dataset(title="Jumlah Sekolah", tags=["pendidikan"], year=2025)
    res = find_in_database("kesehatan")
    assert [d.title for d in res.items] == ["Fasilitas Kesehatan"]
    res = find_in_database(filters={"organization": ["dinkes"]})
    assert res.total == 1
    res = find_in_database()
    assert dict((v, n) for v, _, n in res.facets["year"]) == {"2024": 1, "2025": 1}
    with pytest.raises(Invalid):
        find_in_database(filters={"nope": ["x"]})


def test_database_search_takes_percent_and_underscore_literally(app, db):
    """The database answers searches while the engine is down: a typed "%" or "_" is a
    character, not a wildcard that matches every dataset."""
    make_dataset(title="Cakupan Imunisasi 95% menurut Puskesmas", tags=["imunisasi_dasar"])
    make_dataset(title="Jumlah Penduduk")
    assert [d.title for d in find_in_database("95%").items] == ["Cakupan Imunisasi 95% menurut Puskesmas"]
    assert find_in_database("%").total == 1 and find_in_database("_").total == 1
    assert find_in_database("imunisasi_dasar").total == 1 and find_in_database("x_y").total == 0
    assert [t.name for t, _n in catalog.list_public_tags("_")] == ["imunisasi_dasar"]
