"""The Table Schema editor's form: a descriptor shown as form values and posted back unchanged
gives the same descriptor; edits land where they should; bad input is refused per input."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from satudata.errors import Invalid
from satudata.tabular import standards
from satudata.tabular.schema import UnusableInput
from satudata.validation.schema_form import descriptor_from_form, form_from_descriptor, form_from_post

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

FILES = sorted(standards.SCHEMAS_DIR.glob("*.json"))
TEXT_INPUTS = ("name", "title", "description", "type", "format", "satuan", "example", "minimum", "maximum",
               "minLength", "maxLength", "enum", "pattern", "numbers", "extra")


def posted(values: dict[str, Any], *, blank_rows: int = 2) -> MultiDict[str, str]:
    """What a browser posts from the editor showing ``values`` (textareas send CRLF; unchecked
    boxes send nothing; the spare empty rows are sent empty)."""
    form: MultiDict[str, str] = MultiDict()
    form.add("title", values["title"])
    form.add("description", values["description"])
    form.add("extra", values["extra"])
    form.add("primaryKey-original", values["primary_key_original"])
    if values["missing_implicit"]:
        form.add("missingValues-implicit", "1")
    form.add("missingValues", values["missing_values"])
    if values["missing_empty"]:
        form.add("missingEmpty", "on")
    for index in values["primary_key"]:
        form.add("primaryKey", index)
    rows = list(values["fields"])
    start = max([int(r["index"]) for r in rows], default=-1) + 1
    rows += [{"index": start + n, **{k: "" for k in TEXT_INPUTS}, "type": "string", "required": False,
              "unique": False} for n in range(blank_rows)]
    for row in rows:
        for key in TEXT_INPUTS:
            value = str(row[key])
            form.add(f"fields-{row['index']}-{key}", value.replace("\n", "\r\n") if key in ("enum", "description")
                     else value)
        for key in ("required", "unique"):
            if row[key]:
                form.add(f"fields-{row['index']}-{key}", "on")
    return form


def _set(form: MultiDict[str, str], key: str, value: str) -> MultiDict[str, str]:
    form.setlist(key, [value])
    return form


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_round_trip_of_every_standard(path: Path) -> None:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    values = form_from_descriptor(descriptor)
    assert [r["name"] for r in values["fields"]] == [f["name"] for f in descriptor["fields"]]
    assert descriptor_from_form(posted(values)) == descriptor


TRICKY: dict[str, Any] = {
    "name": "uji",
    "version": "2.0",
    "fields": [
        {"name": "kode", "type": "string", "constraints": {"required": False, "enum": ["A, B"]},
         "x-kode-wilayah": {"daftar": "kemendagri_2025"}},
        {"name": "tanggal", "type": "date", "format": "%d/%m/%Y",
         "constraints": {"minimum": "01/01/2020", "unique": True}},
        {"name": "nilai", "type": "number", "decimalChar": ",", "bareNumber": False,
         "constraints": {"minimum": 0.5, "maximum": 10}},
        {"name": "kelas", "type": "integer", "example": 3, "constraints": {"enum": [1, 2, 3]}},
        {"name": "campur", "type": "string", "title": "", "constraints": {"enum": ["1", 2]}},
        {"name": "bebas", "type": "any"},
    ],
    "primaryKey": "kode",
    "foreignKeys": [{"fields": ["kelas"], "reference": {"resource": "", "fields": ["kelas"]}}],
    "x-satudata": {"frekuensi": "tahunan"},
}


def test_round_trip_keeps_what_the_editor_does_not_show() -> None:
    values = form_from_descriptor(TRICKY)
    rows = {r["name"]: r for r in values["fields"]}
    assert rows["kode"]["enum"] == "A, B\n" and "required" in rows["kode"]["extra"]
    assert rows["kode"]["reference"].startswith("Kode wilayah Kemendagri")
    assert rows["tanggal"]["minimum"] == "01/01/2020" and rows["tanggal"]["unique"] is True
    assert rows["nilai"]["minimum"] == "0.5" and rows["nilai"]["maximum"] == "10"
    assert json.loads(rows["nilai"]["extra"]) == {"bareNumber": False, "decimalChar": ","}
    assert rows["kelas"]["enum"] == "1\n2\n3" and rows["kelas"]["example"] == ""  # 3 is a number: kept aside
    assert rows["campur"]["enum"] == ""  # mixed kinds cannot be shown faithfully
    assert values["missing_implicit"] is True
    assert descriptor_from_form(posted(values)) == TRICKY


def test_edits_land_in_the_descriptor() -> None:
    original = json.loads((standards.SCHEMAS_DIR / "penduduk_kecamatan_jenis_kelamin.json").read_text("utf-8"))
    values = form_from_descriptor(original)
    form = posted(values)
    first_blank = len(original["fields"])
    _set(form, "fields-4-maximum", "1000000")
    _set(form, "fields-3-enum", "1, 2, 3")
    _set(form, "fields-0-name", "kode_kecamatan")  # renamed: stays in the primary key
    _set(form, f"fields-{first_blank}-name", "keterangan")
    _set(form, f"fields-{first_blank}-maxLength", "200")
    for key in [k for k in form if k.startswith("fields-7-")]:
        form.poplist(key)  # row 8 (jumlah_kk) removed
    _set(form, "missingValues", "-, NA, -")
    result = descriptor_from_form(form)

    names = [f["name"] for f in result["fields"]]
    assert names == ["kode_kecamatan", "nama_wilayah", "tahun", "semester", "laki_laki", "perempuan", "jumlah",
                     "keterangan"]
    assert result["fields"][4]["constraints"] == {"minimum": 0, "maximum": 1000000, "required": True}
    assert result["fields"][3]["constraints"]["enum"] == ["1", "2", "3"]
    assert result["fields"][0]["x-kode-wilayah"] == original["fields"][0]["x-kode-wilayah"]
    assert result["fields"][-1] == {"name": "keterangan", "type": "string", "constraints": {"maxLength": 200}}
    assert result["primaryKey"] == ["kode_kecamatan", "tahun", "semester"]
    assert result["missingValues"] == ["", "-", "NA"]


def test_primary_key_and_empty_cells_follow_the_form() -> None:
    values = form_from_descriptor(TRICKY)
    form = posted(values)
    form.setlist("primaryKey", ["3", "1"])
    form.poplist("missingEmpty")
    _set(form, "missingValues", "n/a")
    result = descriptor_from_form(form)
    assert result["primaryKey"] == ["tanggal", "kelas"]  # in field order
    assert result["missingValues"] == ["n/a"]
    form.poplist("primaryKey")
    assert "primaryKey" not in descriptor_from_form(form)


@pytest.mark.parametrize(("row", "key", "value", "message"), [
    (4, "minimum", "nol", "harus bilangan bulat"),
    (4, "maximum", "1.5", "harus bilangan bulat"),
    (2, "minimum", "abad 20", "harus tahun"),
    (1, "minimum", "5", "hanya berlaku untuk tipe angka"),
    (1, "maxLength", "-3", "tidak boleh negatif"),
    (1, "minLength", "dua", "harus bilangan bulat"),
    (4, "maxLength", "10", "hanya berlaku untuk teks"),
    (1, "pattern", "([a-z]", "Pola (regex) tidak valid"),
    (4, "enum", "1\nsatu", 'Pilihan "satu" bukan bilangan bulat'),
    (3, "enum", "1\n1", "nilai ganda"),
    (0, "name", "", "Nama kolom wajib diisi"),
    (1, "name", "kode_wilayah", "sudah dipakai kolom lain"),
    (2, "type", "teks", "tidak dikenal"),
    (0, "extra", "{rusak", "Data tersembunyi"),
    (4, "maximum", "-1", "Batas atas tidak boleh lebih kecil"),
])
def test_bad_input_is_reported_per_input(row: int, key: str, value: str, message: str) -> None:
    values = form_from_descriptor(json.loads(
        (standards.SCHEMAS_DIR / "penduduk_kecamatan_jenis_kelamin.json").read_text("utf-8")))
    form = _set(posted(values), f"fields-{row}-{key}", value)
    with pytest.raises(Invalid) as caught:
        descriptor_from_form(form)
    details = caught.value.details
    assert list(details) == [f"fields-{row}-{key}"], details
    assert message in " ".join(details[f"fields-{row}-{key}"])


def test_bad_number_bound_says_so_in_indonesian() -> None:
    form = MultiDict({"fields-0-name": "luas", "fields-0-type": "number", "fields-0-minimum": "sepuluh"})
    with pytest.raises(Invalid) as caught:
        descriptor_from_form(form)
    assert caught.value.details == {"fields-0-minimum": ["Batas bawah harus angka, misalnya 0 atau 2,5."]}
    form.setlist("fields-0-minimum", ["2,5"])  # a decimal comma is read as the clerk means it
    assert descriptor_from_form(form)["fields"][0]["constraints"] == {"minimum": 2.5}


def test_no_field_at_all_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        descriptor_from_form(MultiDict({"title": "Kosong", "fields-0-name": "", "fields-0-type": "string"}))
    assert set(caught.value.details) == {"fields"}


def test_an_unusable_result_is_refused_by_the_table_schema_check() -> None:
    values = form_from_descriptor(json.loads(
        (standards.SCHEMAS_DIR / "penduduk_kecamatan_jenis_kelamin.json").read_text("utf-8")))
    form = _set(posted(values), "fields-0-type", "integer")  # a kode-wilayah column must stay text
    with pytest.raises(UnusableInput) as caught:
        descriptor_from_form(form)
    assert "kode_wilayah" in " ".join(caught.value.details["schema"])


def test_enum_one_per_line_or_comma_separated() -> None:
    base = {"fields-0-name": "pilihan", "fields-0-type": "string"}
    lines = descriptor_from_form(MultiDict({**base, "fields-0-enum": "DAK Fisik\r\nDAK Non Fisik, lama\r\n\r\n"}))
    assert lines["fields"][0]["constraints"]["enum"] == ["DAK Fisik", "DAK Non Fisik, lama"]
    commas = descriptor_from_form(MultiDict({**base, "fields-0-enum": "PAD, DAU ,DBH"}))
    assert commas["fields"][0]["constraints"]["enum"] == ["PAD", "DAU", "DBH"]


def test_posted_form_is_shown_again_as_posted() -> None:
    values = form_from_descriptor(copy.deepcopy(TRICKY))
    form = _set(posted(values), "fields-2-minimum", "bukan angka")
    again = form_from_post(form)
    assert [r["name"] for r in again["fields"]] == [f["name"] for f in TRICKY["fields"]]  # blank rows dropped
    assert again["fields"][2]["minimum"] == "bukan angka"
    assert again["primary_key"] == values["primary_key"] and again["missing_implicit"] is True


def test_how_a_number_column_writes_its_numbers() -> None:
    """The editor shows groupChar/decimalChar as one choice, and writes the choice back (#14)."""
    descriptor = {"fields": [
        {"name": "penduduk", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "luas", "type": "number"},
        {"name": "anggaran", "type": "number", "groupChar": " ", "decimalChar": ","},  # not a choice: kept as is
        {"name": "kecamatan", "type": "string"},
    ]}
    values = form_from_descriptor(descriptor)
    assert [row["numbers"] for row in values["fields"]] == ["id", "plain", "", ""]
    assert "groupChar" not in values["fields"][0]["extra"] and "groupChar" in values["fields"][2]["extra"]
    assert descriptor_from_form(posted(values)) == descriptor
    form = _set(_set(posted(values), "fields-0-numbers", "plain"), "fields-1-numbers", "en")
    changed = descriptor_from_form(form)["fields"]
    assert changed[0] == {"name": "penduduk", "type": "number"}
    assert changed[1] == {"name": "luas", "type": "number", "groupChar": ",", "decimalChar": "."}
    with pytest.raises(Invalid) as refused:
        descriptor_from_form(_set(posted(values), "fields-0-numbers", "romawi"))
    assert "fields-0-numbers" in refused.value.details
