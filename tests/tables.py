"""Shared helpers of the tabular and validation tests: writing tables, and the reference report
of plain ``frictionless.validate()`` that the validation engine must reproduce (the tabular
tests use it too: a converted XLSX or JSON table, or a kode wilayah list, must be judged as
frictionless judges it)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import frictionless
from frictionless import Package, Resource, Schema, system

from satudata.tabular import reference
from satudata.validation import engine


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8",
              lineterminator: str = "\n") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def frictionless_report(path: Path, descriptor: dict[str, Any] | None, fmt: str = "csv") -> dict[str, Any]:
    """What plain frictionless says (reference lists as a package of reference resources)."""
    with system.use_context(trusted=True):
        if descriptor is None:
            return frictionless.validate(str(path), format=fmt).to_dict()
        expanded = reference.expand(descriptor)
        schema = Schema.from_descriptor(expanded.descriptor)
        if not expanded.references:
            return frictionless.validate(str(path), schema=schema, format=fmt).to_dict()
        resource = Resource(str(path), schema=schema, format=fmt)
        Package(resources=[resource, *(reference.reference_resource(s) for s in expanded.resources.values())])
        return frictionless.validate(resource).to_dict()


def normalise(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its timings (the only fields allowed to differ)."""
    report = json.loads(json.dumps(report))
    report["stats"].pop("seconds", None)
    for task in report.get("tasks", []):
        task["stats"].pop("seconds", None)
    return report


def outcome_or_error(run: Any) -> tuple[str, Any]:
    """("report", normalised report) or ("error", exception type name) of a run."""
    try:
        result = run()
    except Exception as exc:  # both engines must fail the same way on what frictionless cannot do
        return "error", type(exc).__name__
    report = result.report if isinstance(result, engine.ValidationOutcome) else result
    return "report", normalise(report)


def assert_same(path: Path, descriptor: dict[str, Any] | None, *, fmt: str = "csv", tuning: Any = None,
                expect_fast: bool | None = None) -> engine.ValidationOutcome | None:
    """The engine's report equals frictionless's, for this file and schema."""
    ours: dict[str, Any] = {}

    def run_ours() -> engine.ValidationOutcome:
        outcome = engine.validate_csv(path, descriptor, fmt=fmt, tuning=tuning)
        ours["outcome"] = outcome
        return outcome

    a = outcome_or_error(run_ours)
    b = outcome_or_error(lambda: frictionless_report(path, descriptor, fmt))
    assert a == b, _diff(a, b)
    outcome = ours.get("outcome")
    if expect_fast is not None and outcome is not None:
        assert (outcome.engine == "fast") is expect_fast, outcome.fallback_reason
    return outcome


def _diff(a: tuple[str, Any], b: tuple[str, Any]) -> str:
    import difflib

    left = json.dumps(b, indent=1, ensure_ascii=False, default=str).splitlines()
    right = json.dumps(a, indent=1, ensure_ascii=False, default=str).splitlines()
    return "\n".join(list(difflib.unified_diff(left, right, "frictionless", "engine", lineterm=""))[:60])
