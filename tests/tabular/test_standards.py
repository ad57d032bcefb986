"""Every file in schemas/ is a valid Table Schema of the standards library, and a table made
from its own examples and constraints passes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Schema

from satudata import reference as kode_wilayah
from satudata.tabular import reference, standards
from satudata.tabular.schema import check_schema
from satudata.validation.engine import validate_table_detailed
from tests.tables import write_csv

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

FILES = sorted(standards.SCHEMAS_DIR.glob("*.json"))


def test_library_has_the_standards() -> None:
    names = {s.name for s in standards.list_schemas()}
    assert len(names) >= 10
    assert {"penduduk_kecamatan_jenis_kelamin", "sekolah", "fasilitas_kesehatan", "produksi_tanaman_pangan",
            "kemiskinan", "kondisi_jalan", "realisasi_anggaran", "statistik_layanan_ppid",
            "kelahiran_kematian_bulanan"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_schema_file_is_a_valid_table_schema(path: Path) -> None:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    report = Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["message"])
    check_schema(descriptor)
    assert descriptor["name"] == path.stem
    assert descriptor["title"] and descriptor["description"]
    for field in descriptor["fields"]:
        assert field.get("title") and field.get("description"), field["name"]
        if field["type"] in ("integer", "number") and field["name"] not in ("bulan",):
            assert field.get("satuan"), f"{path.stem}.{field['name']} has no satuan"
    kode = [f for f in descriptor["fields"] if f["name"] == "kode_wilayah"]
    for field in kode:
        reference.parse_spec(field[reference.PROPERTY], field_name="kode_wilayah")
    assert set(descriptor.get("primaryKey", [])) <= {f["name"] for f in descriptor["fields"]}


def _valid_value(field: dict[str, Any], row: int) -> str:
    c = field.get("constraints", {})
    if reference.PROPERTY in field:
        spec = reference.parse_spec(field[reference.PROPERTY])
        parents = {"provinsi": None, "kabupaten_kota": "14", "kecamatan": "14.07", "desa_kelurahan": "14.07.03"}
        return kode_wilayah.children(parents[spec.tingkat[-1]])[row]
    if "enum" in c:
        return str(c["enum"][row % len(c["enum"])])
    if "example" in field and not c.get("unique") and field["name"] != "tahun":
        return str(field["example"])
    match field["type"]:
        case "year":
            return str(2020 + row)
        case "integer":
            return str(max(int(c.get("minimum", 0)), min(int(c.get("maximum", 10**6)), 3 + row)))
        case "number":
            low, high = float(c.get("minimum", 0)), float(c.get("maximum", 10**6))
            return str(round(low + (high - low) / 3, 2))
        case "string":
            if "pattern" in c:
                return {"[0-9]{8}": f"1040410{row}", "[0-9]+(\\.[0-9]+)*": f"1.02.0.00.0.00.0{row}.0000"}.get(
                    c["pattern"], f"5.1.02.0{row}")
            return f"Nilai {row}"
    raise AssertionError(field)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_table_passes(tmp_path: Path, path: Path) -> None:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    fields = descriptor["fields"]
    rows = [[f["name"] for f in fields], *([_valid_value(f, r) for f in fields] for r in range(3))]
    outcome = validate_table_detailed(write_csv(tmp_path / "t.csv", rows), path.stem)
    assert outcome.valid, outcome.report["tasks"][0]["errors"][:3]
    assert outcome.engine == "fast", outcome.fallback_reason


def test_load_schema_by_name_or_path(tmp_path: Path) -> None:
    by_name = standards.load_schema("sekolah")
    own = tmp_path / "skema.json"
    own.write_text(json.dumps(by_name))
    assert standards.load_schema(str(own)) == by_name
    with pytest.raises(standards.SchemaNotFound):
        standards.load_schema("tidak_ada")
