"""Reference code lists usable from a Table Schema (Satu Data's *Kode Referensi*).

A field says which list its values must come from with the custom property
``"x-kode-wilayah"``::

    {"name": "kode_wilayah", "type": "string", "x-kode-wilayah": "kemendagri_2025"}
    {"name": "kode_kecamatan", "type": "string",
     "x-kode-wilayah": {"daftar": "kemendagri_2025", "tingkat": ["kecamatan"]}}

``tingkat`` (optional) narrows the list to some levels (``provinsi``, ``kabupaten_kota``,
``kecamatan``, ``desa_kelurahan``). A 10,000-entry ``enum`` would bloat every schema; instead
the property is expressed to frictionless as a foreign key to a reference resource holding
the codes (:func:`expand`), so plain ``frictionless.validate()`` and our fast engine (which
checks the same set natively) report an unknown code with the same ``foreign-key`` error::

    Row at position "5" violates the foreign key: for "kode_wilayah": values "14.99" not
    found in the lookup table "kode_wilayah_kemendagri_2025" as "kode"
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from satudata import reference as kode_wilayah

PROPERTY = "x-kode-wilayah"
REFERENCE_FIELD = "kode"
RESOURCE_PREFIX = "kode_wilayah_"

# The lists a schema may name, with their titles.
LISTS: dict[str, str] = {
    "kemendagri_2025": f"Kode wilayah Kemendagri ({kode_wilayah.KODE_WILAYAH_SOURCE})",
}


class ReferenceSpecError(ValueError):
    """A field's ``x-kode-wilayah`` property names no list we ship, or is malformed."""


@dataclass(frozen=True)
class ReferenceSpec:
    """One reference list as a field asks for it: the list and (optionally) some levels."""

    daftar: str
    tingkat: tuple[str, ...] = ()

    @property
    def resource_name(self) -> str:
        """Name of the frictionless reference resource that holds these codes."""
        suffix = "__" + "_".join(self.tingkat) if self.tingkat else ""
        return f"{RESOURCE_PREFIX}{self.daftar}{suffix}"

    @property
    def title(self) -> str:
        base = LISTS[self.daftar]
        if self.tingkat:
            return f"{base}, tingkat {', '.join(self.tingkat)}"
        return base


def parse_spec(value: Any, *, field_name: str = "?") -> ReferenceSpec:
    """Read a field's ``x-kode-wilayah`` value; raise :class:`ReferenceSpecError` if invalid."""
    daftar: Any
    tingkat: tuple[Any, ...]
    if isinstance(value, str):
        daftar, tingkat = value, ()
    elif isinstance(value, Mapping):
        daftar = value.get("daftar")
        raw = value.get("tingkat", ())
        tingkat = (raw,) if isinstance(raw, str) else tuple(raw or ())
        unknown = set(value) - {"daftar", "tingkat"}
        if unknown:
            raise ReferenceSpecError(
                f'Kolom "{field_name}": properti {PROPERTY} tidak mengenal {", ".join(sorted(unknown))}.'
            )
    else:
        raise ReferenceSpecError(f'Kolom "{field_name}": {PROPERTY} harus berupa teks atau objek.')
    if daftar not in LISTS:
        raise ReferenceSpecError(
            f'Kolom "{field_name}": daftar kode "{daftar}" tidak dikenal; pilih salah satu dari '
            f'{", ".join(sorted(LISTS))}.'
        )
    bad = [t for t in tingkat if t not in kode_wilayah.LEVELS]
    if bad:
        raise ReferenceSpecError(
            f'Kolom "{field_name}": tingkat {", ".join(bad)} tidak dikenal; pilih dari '
            f'{", ".join(kode_wilayah.LEVELS)}.'
        )
    ordered = tuple(t for t in kode_wilayah.LEVELS if t in tingkat)
    return ReferenceSpec(daftar=str(daftar), tingkat=ordered)


@functools.cache
def codes(spec: ReferenceSpec) -> frozenset[str]:
    """Every code of the list (restricted to the spec's levels, if any)."""
    table = kode_wilayah.regions()
    if spec.tingkat:
        return frozenset(k for k, r in table.items() if r.tingkat in spec.tingkat)
    return frozenset(table)


@dataclass(frozen=True)
class Expanded:
    """A Table Schema with its reference properties turned into foreign keys.

    ``references`` maps each reference field to its spec; ``resources`` are the reference
    resources the foreign keys point at (name -> spec).
    """

    descriptor: dict[str, Any]
    references: dict[str, ReferenceSpec]

    @property
    def resources(self) -> dict[str, ReferenceSpec]:
        return {spec.resource_name: spec for spec in self.references.values()}


def expand(descriptor: Mapping[str, Any]) -> Expanded:
    """Add a foreign key for every field with ``x-kode-wilayah`` (the input is not changed).

    Raises :class:`ReferenceSpecError` for an unknown list or a reference field that is not
    of type ``string`` (a code such as ``14.07`` read as a number would be a different code).
    """
    result = copy.deepcopy(dict(descriptor))
    references: dict[str, ReferenceSpec] = {}
    for field in result.get("fields") or []:
        if not isinstance(field, dict) or PROPERTY not in field:
            continue
        name = str(field.get("name"))
        spec = parse_spec(field[PROPERTY], field_name=name)
        if field.get("type", "string") != "string":
            raise ReferenceSpecError(
                f'Kolom "{name}" memakai {PROPERTY} dan harus bertipe "string" '
                f'(kode seperti "14.07" adalah teks, bukan angka).'
            )
        references[name] = spec
    if references:
        fks = list(result.get("foreignKeys") or [])
        for name, spec in references.items():
            fks.append({"fields": [name], "reference": {"resource": spec.resource_name, "fields": [REFERENCE_FIELD]}})
        result["foreignKeys"] = fks
    return Expanded(descriptor=result, references=references)


@functools.lru_cache(maxsize=32)
def _sorted_codes(spec: ReferenceSpec) -> tuple[list[str], ...]:
    """The list's codes as one-cell rows, sorted once per process (each job builds its own
    resource around them; frictionless does not change the rows)."""
    return tuple([code] for code in sorted(codes(spec)))


def reference_resource(spec: ReferenceSpec) -> Any:
    """The frictionless resource holding a list's codes (inline data, one string column)."""
    from frictionless import Resource, Schema

    rows = [[REFERENCE_FIELD], *_sorted_codes(spec)]
    schema = Schema.from_descriptor({"fields": [{"name": REFERENCE_FIELD, "type": "string"}]})
    return Resource(name=spec.resource_name, data=rows, schema=schema, title=spec.title)


def describe(spec: ReferenceSpec) -> str:
    """A one-line Bahasa Indonesia description for the report page."""
    return f"Nilai harus ada di {spec.title} ({len(codes(spec))} kode)."
