"""Tag names CKAN harvesters accept: what a producer writes is kept for display, the name is
made valid (catalog.tags), filters find a tag by either, and a tag too short is refused."""

from __future__ import annotations

from typing import Any

import pytest

from satudata.catalog import services as catalog
from satudata.catalog.tags import TagTooShort, is_valid, lookup_key, tag_name
from satudata.errors import Invalid
from satudata.extensions import db
from tests.factories import find_in_database, make_dataset


@pytest.mark.nodb
@pytest.mark.parametrize(("written", "name"), [
    ("kabupaten/kota", "kabupaten-kota"),
    ("Air Bersih", "air bersih"),
    ("  APBD   2025 ", "apbd 2025"),
    ("IPM (indeks)", "ipm -indeks"),
    ("k3/k4//k5", "k3-k4-k5"),
    ("sekolah.dasar", "sekolah.dasar"),
    ("kesehatan_ibu", "kesehatan_ibu"),
    ("pendidikan & kebudayaan", "pendidikan - kebudayaan"),
    ("Pulau Rupat ✓", "pulau rupat"),
    ("x" * 150, "x" * 100),
])
def test_written_tags_become_ckan_valid_names(written: str, name: str) -> None:
    assert tag_name(written) == name and is_valid(name)


@pytest.mark.nodb
def test_too_short_and_lookup() -> None:
    for text in ("x", "//", " - ", "✓"):
        with pytest.raises(TagTooShort):
            tag_name(text)
    assert lookup_key("Kabupaten/Kota") == "kabupaten-kota" and lookup_key("x") == "x"
    assert not is_valid("kabupaten/kota") and not is_valid("Air") and not is_valid("a")


def test_a_dataset_keeps_what_was_written_and_is_found_by_either(app: Any) -> None:
    ds = make_dataset(tags=["kabupaten/kota", "Kabupaten-Kota", "Air Bersih"], title="Air Bersih per Kabupaten")
    assert sorted((t.name, t.label) for t in ds.tags) == [("air bersih", "Air Bersih"),
                                                          ("kabupaten-kota", "kabupaten/kota")]
    for value in ("kabupaten/kota", "kabupaten-kota"):
        query = catalog.DatasetQuery(groups=((catalog.Clause("tag", (value,)),),))
        assert [d.slug for d in catalog.query_database(query).items] == [ds.slug], value
        assert [d.slug for d in find_in_database(filters={"tag": [value]}).items] == [ds.slug], value
    with pytest.raises(Invalid) as err:
        catalog.get_or_create_tags(["penduduk", "x"])
    assert "terlalu pendek" in err.value.details["tags"][0]
    db.session.rollback()


def test_ckan_shows_the_name_and_the_written_text(app: Any, scratch_client: Any) -> None:
    ds = make_dataset(tags=["kabupaten/kota"], title="Jumlah Desa per Kabupaten/Kota")
    pkg = scratch_client.get(f"/api/3/action/package_show?id={ds.slug}").get_json()["result"]
    assert [(t["name"], t["display_name"]) for t in pkg["tags"]] == [("kabupaten-kota", "kabupaten/kota")]
    page = scratch_client.get(f"/dataset/{ds.slug}").get_data(as_text=True)
    assert ">kabupaten/kota</a>" in page and "tag=kabupaten-kota" in page

