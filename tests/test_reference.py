"""The shipped Kemendagri code list and boundary files, and their loader."""

from __future__ import annotations

import csv
import json

import pytest

from satudata import reference

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


def test_regions_are_keyed_by_string_codes_with_parents():
    regions = reference.regions()
    assert regions["14"] == ("Riau", "provinsi", None)
    assert regions["14.07"] == ("Kabupaten Rokan Hilir", "kabupaten_kota", "14")
    assert regions["14.07.03"].nama == "Tanah Putih" and regions["14.07.03"].kode_induk == "14.07"
    assert all(isinstance(k, str) for k in regions)
    # "14.10" would be 14.1 as a number: the zero must survive
    assert regions["14.10"].nama == "Kabupaten Kepulauan Meranti"
    for kode, region in regions.items():
        assert region.tingkat in reference.LEVELS
        if region.tingkat == "provinsi":
            assert region.kode_induk is None and "." not in kode
        else:
            assert region.kode_induk in regions and kode.startswith(region.kode_induk + ".")
            parent_level = reference.LEVELS.index(regions[region.kode_induk].tingkat)
            assert reference.LEVELS.index(region.tingkat) == parent_level + 1


def test_regions_are_cached_and_read_only():
    assert reference.regions() is reference.regions()
    with pytest.raises(TypeError):
        reference.regions()["99"] = reference.Region("X", "provinsi", None)  # type: ignore[index]


def test_children_in_code_order():
    kecamatan = reference.children("14.07")
    assert len(kecamatan) == 18
    assert kecamatan[0] == "14.07.01" and kecamatan[-1] == "14.07.18"
    assert [reference.name(k) for k in reference.children("14.72")][:3] == ["Dumai Barat", "Dumai Timur", "Bukit Kapur"]
    assert "14" in reference.children(None) and "76" in reference.children(None)
    assert len(reference.children(None)) == 38
    assert len(reference.children("14")) == 12
    # desa/kelurahan are included for Riau only (and Sulawesi Barat), not for Aceh
    assert reference.children("14.07.01")
    assert reference.children("11.01.01") == ()
    assert reference.children("99.99") == ()


def test_name_get_exists():
    assert reference.name("14.05") == "Kabupaten Pelalawan"
    assert reference.name(" 14.72 ") == "Kota Dumai"
    assert reference.name("14.99") is None
    assert reference.exists("76") and not reference.exists("14.07.99")
    assert reference.get("14.71") == ("Kota Pekanbaru", "kabupaten_kota", "14")


@pytest.mark.parametrize("bad", [14.07, 14, None])
def test_numbers_are_refused(bad):
    with pytest.raises(TypeError, match="string"):
        reference.name(bad)  # type: ignore[arg-type]
    if bad is not None:
        with pytest.raises(TypeError):
            reference.children(bad)  # type: ignore[arg-type]


def test_the_shipped_csv_is_the_kepmendagri_list_with_its_attribution():
    with reference.KODE_WILAYAH_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["kode", "nama", "tingkat", "kode_induk"]
    assert len(rows) - 1 == len(reference.regions()) == 10347
    readme = (reference.HERE / "README.md").read_text(encoding="utf-8")
    for words in ("Kepmendagri No. 300.2.2-2430 Tahun 2025", "cahyadsn/wilayah", "cahyadsn/wilayah_boundaries",
                  "MIT", "cahya dsn"):
        assert words in readme


@pytest.mark.parametrize(("key", "count", "level"), [
    ("riau_kabupaten_kota", 12, "kabupaten_kota"),
    ("riau_kecamatan", 172, "kecamatan"),
    ("sulawesi_barat_kabupaten_kota", 6, "kabupaten_kota"),
    ("sulawesi_barat_kecamatan", 69, "kecamatan"),
])
def test_boundaries_match_the_code_list(key, count, level):
    data = json.loads(reference.boundary_path(key).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == count
    for feature in data["features"]:
        props = feature["properties"]
        assert isinstance(props["kode"], str)
        region = reference.get(props["kode"])
        assert region is not None and region.tingkat == level
        # same names; the boundary source title-cases roman numerals ("Rokan Iv Koto")
        assert region.nama.casefold() == props["nama"].casefold()
        # WGS84 [lng, lat]: Riau and Sulawesi Barat lie east of 100°E, near the equator
        assert 95 < props["lng"] < 141 and -11 < props["lat"] < 6


def test_unknown_boundary_names_the_choices():
    with pytest.raises(KeyError, match="riau_kecamatan"):
        reference.boundary_path("jawa")
