"""Table Schemas as such: whether a descriptor is one the portal can use (``check_schema``), and
finding the descriptor a name or a mapping stands for (``resolve_schema``). Both the catalogue
(attaching a Table Schema to a resource, typed exports) and validation (running one) need
this, and it needs no domain, so it sits in the kernel."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from satudata.errors import Invalid
from satudata.limits import JsonTooDeep, check_json_depth
from satudata.tabular import patterns, reference, standards


class UnusableInput(Invalid):
    """The file or the Table Schema cannot be validated at all (the message says why)."""


def resolve_schema(schema: Mapping[str, Any] | str | Path | None,
                   schemas_dir: str | Path | None = None) -> dict[str, Any] | None:
    """The Table Schema descriptor to validate against, checked; ``None`` infers one.

    Raises :class:`UnusableInput` when it cannot be found or is not a valid Table Schema.
    """
    if schema is None:
        return None
    if isinstance(schema, Mapping):
        descriptor = copy.deepcopy(dict(schema))
    else:
        try:
            descriptor = standards.load_schema(schema, schemas_dir)
        except (standards.SchemaNotFound, ValueError) as exc:
            raise UnusableInput(str(exc)) from exc
    check_schema(descriptor)
    return descriptor


def check_schema(descriptor: Mapping[str, Any]) -> None:
    """Raise :class:`UnusableInput` listing what makes ``descriptor`` an invalid Table Schema."""
    from frictionless import Schema

    problems: list[str] = []
    try:
        check_json_depth(descriptor, field="schema")  # before anything walks it recursively
    except JsonTooDeep as exc:
        raise UnusableInput(f"Table Schema tidak valid: {exc.message}", details={"schema": [exc.message]}) from exc
    if not isinstance(descriptor, Mapping) or not isinstance(descriptor.get("fields"), list):
        raise UnusableInput("Table Schema tidak valid: harus berupa objek dengan daftar \"fields\".")
    try:
        report = Schema.validate_descriptor(dict(descriptor))
        problems += [e.message for e in report.errors]
    except Exception as exc:  # frictionless raises for descriptors it cannot even read
        problems.append(str(exc))
    if not problems:
        problems += _unreadable_bounds(descriptor)
    for fld in descriptor["fields"]:
        if not isinstance(fld, Mapping):
            continue
        constraints = fld.get("constraints")
        pattern = constraints.get("pattern") if isinstance(constraints, Mapping) else None
        if isinstance(pattern, str):
            # Refused unless a linear-time engine runs it (see satudata.tabular.patterns).
            reason = patterns.problem(pattern)
            if reason:
                problems.append(f'Kolom "{fld.get("name")}": pola (pattern) "{pattern}" {reason}.')
    try:
        reference.expand(descriptor)
    except reference.ReferenceSpecError as exc:
        problems.append(str(exc))
    if problems:
        raise UnusableInput("Table Schema tidak valid: " + " ".join(problems), details={"schema": problems})


def _unreadable_bounds(descriptor: Mapping[str, Any]) -> list[str]:
    """Bounds the field's own type cannot read (frictionless would crash comparing to None)."""
    from frictionless import Field

    problems = []
    for spec in descriptor["fields"]:
        constraints = spec.get("constraints") or {}
        bounds = {k: v for k, v in constraints.items()
                  if k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")}
        if not bounds:
            continue
        reader = Field.from_descriptor(dict(spec)).create_value_reader()
        for name, value in bounds.items():
            if reader(value) is None:
                problems.append(f'Kolom "{spec.get("name")}": batas {name} {value!r} tidak sesuai tipe '
                                f'"{spec.get("type", "string")}".')
    return problems
