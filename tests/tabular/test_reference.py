"""Kemendagri kode wilayah as a reference list of a Table Schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from satudata.tabular import reference
from satudata.validation.engine import validate_table_detailed
from satudata.validation.messages import explain
from tests.tables import assert_same, write_csv

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

SCHEMA = {
    "fields": [
        {"name": "kode_wilayah", "type": "string", "x-kode-wilayah": {"daftar": "kemendagri_2025", "tingkat": ["kecamatan"]}},
        {"name": "kode_kabupaten", "type": "string", "x-kode-wilayah": "kemendagri_2025"},
        {"name": "jumlah", "type": "integer"},
    ],
}


def test_parse_spec_and_codes() -> None:
    spec = reference.parse_spec({"daftar": "kemendagri_2025", "tingkat": ["kecamatan", "provinsi"]})
    assert spec.tingkat == ("provinsi", "kecamatan")  # list order
    assert spec.resource_name == "kode_wilayah_kemendagri_2025__provinsi_kecamatan"
    codes = reference.codes(spec)
    assert "14" in codes and "14.07.03" in codes and "14.07" not in codes
    everything = reference.codes(reference.parse_spec("kemendagri_2025"))
    assert {"14", "14.07", "14.07.03", "76.01"} <= everything
    assert "Kepmendagri" in reference.describe(spec)


def test_expand_adds_foreign_keys_without_changing_the_input() -> None:
    expanded = reference.expand(SCHEMA)
    assert "foreignKeys" not in SCHEMA
    assert expanded.descriptor["foreignKeys"] == [
        {"fields": ["kode_wilayah"], "reference": {"resource": "kode_wilayah_kemendagri_2025__kecamatan",
                                                    "fields": ["kode"]}},
        {"fields": ["kode_kabupaten"], "reference": {"resource": "kode_wilayah_kemendagri_2025", "fields": ["kode"]}},
    ]
    assert set(expanded.resources) == {"kode_wilayah_kemendagri_2025__kecamatan", "kode_wilayah_kemendagri_2025"}


@pytest.mark.parametrize("value", ["bps", {"daftar": "kemendagri_2025", "tingkat": ["rw"]}, 5,
                                   {"daftar": "kemendagri_2025", "level": "x"}])
def test_bad_specs(value: object) -> None:
    with pytest.raises(reference.ReferenceSpecError):
        reference.parse_spec(value)


def test_unknown_codes_are_foreign_key_errors_in_both_engines(tmp_path: Path) -> None:
    rows = [["kode_wilayah", "kode_kabupaten", "jumlah"],
            ["14.07.03", "14.07", "1"],
            ["14.07", "14.07", "2"],           # a kabupaten where a kecamatan is asked for
            ["14.7.3", "14.07", "3"],          # no zero padding
            ["14.07.03", "14.7", "4"],
            ["", "", "5"],                     # missing: not looked up
            ["14.07.99", "99.99", "x"]]
    path = write_csv(tmp_path / "t.csv", rows)
    outcome = assert_same(path, SCHEMA, expect_fast=True)
    assert outcome is not None
    errors = outcome.report["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"]) for e in errors] == [
        ("foreign-key", 3), ("foreign-key", 4), ("foreign-key", 5), ("type-error", 7),
        ("foreign-key", 7), ("foreign-key", 7)]
    assert errors[0]["message"] == (
        'Row at position "3" violates the foreign key: for "kode_wilayah": values "14.07" not found in the '
        'lookup table "kode_wilayah_kemendagri_2025__kecamatan" as "kode"')
    assert "14.07" in explain(errors[0])["masalah"] and "Kemendagri" in explain(errors[0])["masalah"]
    forced = validate_table_detailed(path, SCHEMA, engine="frictionless")
    assert forced.engine == "frictionless" and forced.fallback_reason == "frictionless engine requested"


def test_valid_codes_pass(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["kode_wilayah", "kode_kabupaten", "jumlah"],
                                          ["14.07.03", "14.07", "1"], ["76.01.01", "76", "2"]])
    outcome = assert_same(path, SCHEMA, expect_fast=True)
    assert outcome is not None and outcome.valid


def test_the_cached_code_list_is_not_changed_by_a_validation(tmp_path: Path) -> None:
    """The sorted codes are kept per process (issue #14, fixed costs): validating twice, with
    frictionless and with the fast path, gives the same verdict and leaves the list as it was."""
    from satudata.tabular.reference import ReferenceSpec, _sorted_codes, codes
    from satudata.validation.engine import validate_table_detailed

    schema = {"fields": [{"name": "kode", "type": "string", "x-kode-wilayah": "kemendagri_2025"},
                         {"name": "n", "type": "integer"}]}
    path = tmp_path / "t.csv"
    path.write_text("kode,n\n14.07,1\n99.99,2\n14.71,3\n")
    first = [validate_table_detailed(path, schema, engine=e).report for e in ("frictionless", "auto", "auto")]
    errors = [[(x["type"], x["rowNumber"]) for x in r["tasks"][0]["errors"]] for r in first]
    assert errors[0] == errors[1] == errors[2] == [("foreign-key", 3)]
    spec = ReferenceSpec("kemendagri_2025")
    assert [row[0] for row in _sorted_codes(spec)] == sorted(codes(spec))
