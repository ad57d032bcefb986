"""Numbers as Indonesian offices write them (#14): "34.645" is thirty-four thousand. Inference
writes ``groupChar``/``decimalChar`` into the Table Schema, frictionless itself then reads
34645, the fast path gives the same report, and previews, charts and summaries read the same
numbers the schema does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from frictionless import Resource, Schema, system

from satudata.catalog import tables
from satudata.tabular import numbers
from satudata.validation.engine import validate_table_detailed
from satudata.validation.services import infer_schema
from tests.tables import assert_same, write_csv

pytestmark = pytest.mark.nodb

# A semicolon CSV saved by Indonesian Excel: thousands with ".", decimals with ",".
INDONESIAN = [
    ["kode_wilayah", "kecamatan", "jumlah_penduduk", "luas_km2", "kepadatan", "anggaran_rp"],
    ["14.07.01", "Kubu", "34.645", "1.120,5", "30,92", "1.250.000.000"],
    ["14.07.02", "Bangko", "812", "56,25", "14,44", "975.500.000"],
    ["14.07.03", "Tanah Putih", "1.234.567", "3", "411.522,33", "12.000.000"],
]


def _fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in schema["fields"]}


def _read(path: Path, schema: dict[str, Any], column: str) -> list[Any]:
    """What frictionless itself reads from the file with this schema."""
    with system.use_context(trusted=True):
        resource = Resource(str(path), schema=Schema.from_descriptor(schema))
        return [row[column] for row in resource.read_rows()]


@pytest.mark.parametrize(("values", "delimiter", "expected"), [
    (["34.645", "812", "1.234.567"], ";", ("id", False)),
    (["1.234,5", "12"], ",", ("id", False)),
    (["12,75", "0,5"], ";", ("id", False)),
    (["34.645", "12.100"], ",", ("id", True)),  # three decimals in every row is implausible: thousands
    (["34,645", "1,200"], ",", ("en", True)),  # quoted in a comma file: a spreadsheet grouping with commas
    (["34,645", "1,200"], ";", ("id", True)),  # from Indonesian Excel: the comma is the decimal mark
    (["1,234.5", "12"], ",", ("en", False)),
])
def test_the_convention_of_a_column(values: list[str], delimiter: str, expected: tuple[str, bool]) -> None:
    found = numbers.detect(values, delimiter)
    assert found is not None and (found.convention, found.ambiguous) == expected
    assert found.schema_properties() == ({"decimalChar": ",", "groupChar": "."} if expected[0] == "id"
                                         else {"decimalChar": ".", "groupChar": ","})


@pytest.mark.parametrize("values", [["12.75", "1.5"], ["812", "12"], ["1.2.3"], ["Rp 1.000"], ["", " "], ["a", "1"]])
def test_columns_that_need_no_separator_properties(values: list[str]) -> None:
    assert numbers.detect(values, ";") is None


def test_an_indonesian_table_reads_the_right_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "penduduk.csv", INDONESIAN, delimiter=";")
    schema = infer_schema(path, "csv")
    fields = _fields(schema)
    assert fields["kode_wilayah"]["type"] == "string"  # a code stays text
    for name in ("jumlah_penduduk", "luas_km2", "kepadatan", "anggaran_rp"):
        assert fields[name]["type"] == "number", name
        assert (fields[name]["groupChar"], fields[name]["decimalChar"]) == (".", ","), name
    # frictionless itself, with the inferred schema, reads the numbers the clerk meant.
    assert _read(path, schema, "jumlah_penduduk") == [Decimal(34645), Decimal(812), Decimal(1234567)]
    assert _read(path, schema, "luas_km2") == [Decimal("1120.5"), Decimal("56.25"), Decimal(3)]
    # The fast path takes it and says exactly what frictionless says.
    outcome = assert_same(path, schema, expect_fast=True)
    assert outcome is not None and outcome.valid
    # The column summary reads the same numbers.
    formats = numbers.number_formats(schema)
    summary = tables.summarise(path, formats)
    assert summary is not None
    columns = {c["name"]: c for c in summary.columns}
    assert (columns["jumlah_penduduk"]["min"], columns["jumlah_penduduk"]["max"]) == (812, 1234567)
    assert columns["anggaran_rp"]["max"] == 1_250_000_000
    assert columns["kode_wilayah"]["type"] == "string"
    # Previews and charts read the typed copy, cast by the same groupChar/decimalChar
    # (tests/datastore/test_copies.py: "637.161" is 637161 there).


def test_a_wrong_number_later_in_the_file_is_an_error_of_both_engines(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "penduduk.csv", INDONESIAN, delimiter=";")
    schema = infer_schema(path, "csv")
    # Words where a number belongs. (Where group characters stand is frictionless's business:
    # it drops every one, so "12.5" reads as 125, in both engines alike.)
    rows = [*INDONESIAN, ["14.07.04", "Sinaboi", "dua ribu", "4", "1,5", "1.000"]]
    bad = write_csv(tmp_path / "penduduk-baru.csv", rows, delimiter=";")
    outcome = assert_same(bad, schema, expect_fast=True)
    assert outcome is not None and not outcome.valid
    errors = outcome.report["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"], e["fieldName"]) for e in errors] == [("type-error", 5, "jumlah_penduduk")]


def test_an_english_export_reads_its_commas_as_thousands(tmp_path: Path) -> None:
    rows = [["district", "population", "area"], ["Kubu", "34,645", "1,120.5"], ["Bangko", "1,234,567", "56.25"]]
    path = write_csv(tmp_path / "english.csv", rows)
    schema = infer_schema(path, "csv")
    assert {k: (v.get("groupChar"), v.get("decimalChar")) for k, v in _fields(schema).items() if k != "district"} \
        == {"population": (",", "."), "area": (",", ".")}
    assert _read(path, schema, "population") == [Decimal(34645), Decimal(1234567)]
    assert validate_table_detailed(path, schema).valid


def test_numbers_in_a_big_table_stay_on_the_fast_path(tmp_path: Path) -> None:
    rows = [INDONESIAN[0]] + [["14.07.01", f"K{i}", f"{i:,}".replace(",", "."), f"{i}5,5", "1,5", f"{i * 1000:,}"
                                                   .replace(",", ".")] for i in range(1, 3000)]
    schema = infer_schema(write_csv(tmp_path / "besar.csv", rows, delimiter=";"), "csv")
    rows[1500][2] = "x"
    path = write_csv(tmp_path / "besar-salah.csv", rows, delimiter=";")
    outcome = assert_same(path, schema, expect_fast=True)
    assert outcome is not None
    assert [(e["rowNumber"], e["fieldName"]) for e in outcome.report["tasks"][0]["errors"]] == [(1501, "jumlah_penduduk")]
