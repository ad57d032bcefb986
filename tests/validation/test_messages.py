"""Every error a table validation can give has a Bahasa Indonesia explanation."""

from __future__ import annotations

from pathlib import Path

import pytest
from frictionless.checks import baseline

from satudata.validation import messages
from satudata.validation.engine import validate_table
from tests.tables import write_csv

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out


@pytest.mark.parametrize("error_class", baseline.Errors, ids=lambda c: c.type)
def test_every_baseline_error_type_is_explained(error_class: type) -> None:
    kind = error_class.type  # type: ignore[attr-defined]
    assert kind in messages.ERRORS, kind
    text = messages.ERRORS[kind]
    assert text.judul and text.masalah.endswith(".") and text.perbaikan.endswith(".")


def test_encoding_source_and_format_errors_are_explained() -> None:
    for kind in ("encoding-error", "source-error", "format-error", "scheme-error", "schema-error"):
        assert kind in messages.ERRORS


def test_specific_advice(tmp_path: Path) -> None:
    schema = {"fields": [
        {"name": "jk", "type": "string", "constraints": {"enum": ["L", "P"]}},
        {"name": "umur", "type": "integer", "constraints": {"required": True, "maximum": 120}},
        {"name": "tanggal", "type": "date"},
        {"name": "npsn", "type": "string", "constraints": {"pattern": "[0-9]{8}", "minLength": 8}},
    ], "primaryKey": ["jk", "npsn"]}
    rows = [["jk", "umur", "tanggal", "npsn"], ["X", "130", "31/12/2020", "1234"], ["", "", "2020-01-01", ""]]
    report = validate_table(write_csv(tmp_path / "t.csv", rows), schema)
    explained: dict[tuple[str, str | None], dict[str, str]] = {}
    for error in report["tasks"][0]["errors"]:  # the first error of each kind and column
        explained.setdefault((error["type"], error.get("fieldName")), messages.explain(error))
    assert "L, P" in explained[("constraint-error", "jk")]["perbaikan"]
    assert "120" in explained[("constraint-error", "umur")]["masalah"]
    assert "TTTT-BB-HH" in explained[("type-error", "tanggal")]["perbaikan"]
    assert "8 karakter" in explained[("constraint-error", "npsn")]["masalah"]  # minLength comes first
    assert "kunci utama" in explained[("primary-key", None)]["masalah"]
    summary = messages.summarise(report)
    assert summary["valid"] is False and summary["errors"] == len(report["tasks"][0]["errors"])
    assert summary["by_type"][0]["type"] == "constraint-error" and summary["by_type"][0]["judul"]


def test_unknown_type_gets_the_generic_explanation() -> None:
    assert messages.explain({"type": "something-new", "note": ""}) == messages.GENERIC.to_dict()
