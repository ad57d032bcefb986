"""Reference lists the portal ships and validates against (Satu Data's *Kode Referensi*).

- ``kode_wilayah_kemendagri_2025.csv``: Kemendagri region codes per Kepmendagri
  No. 300.2.2-2430 Tahun 2025 (every province, kabupaten/kota and kecamatan; desa/kelurahan for
  Riau and Sulawesi Barat), from the public ``cahyadsn/wilayah`` dataset, MIT licence,
  © cahya dsn. ``regions()``, ``children()`` and ``name()`` read it.
- ``*.geojson``: simplified boundaries of Riau and Sulawesi Barat (kabupaten/kota and kecamatan)
  from ``cahyadsn/wilayah_boundaries``, MIT licence, © cahya dsn; ``boundary_path()`` finds them.

See README.md in this folder for the full attribution. Region codes are text written with dots
(``"14.07"``), never numbers: ``14.07`` as a float would be a different code from ``"14.07"``
and ``"14.10"`` would lose its zero, so every function here refuses a non-string code.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
KODE_WILAYAH_CSV = HERE / "kode_wilayah_kemendagri_2025.csv"
KODE_WILAYAH_SOURCE = "Kepmendagri No. 300.2.2-2430 Tahun 2025"

# tingkat values of the CSV, from the top of the hierarchy down
LEVELS = ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")

BOUNDARIES = {
    "riau_kabupaten_kota": "riau_kabupaten_kota.geojson",
    "riau_kecamatan": "riau_kecamatan.geojson",
    "sulawesi_barat_kabupaten_kota": "sulawesi_barat_kabupaten_kota.geojson",
    "sulawesi_barat_kecamatan": "sulawesi_barat_kecamatan.geojson",
}


class Region(NamedTuple):
    """One row of the code list (its ``kode`` is the key it is filed under)."""

    nama: str
    tingkat: str
    kode_induk: str | None


def _check(kode: object) -> str:
    if not isinstance(kode, str):
        raise TypeError(f"kode wilayah must be a string such as '14.07', not {type(kode).__name__} {kode!r}")
    return kode.strip()


@functools.cache
def regions() -> Mapping[str, Region]:
    """Every region of the Kemendagri list: ``kode -> Region(nama, tingkat, kode_induk)``.

    Read once per process and shared, so the mapping is read-only.
    """
    with KODE_WILAYAH_CSV.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        if next(rows) != ["kode", "nama", "tingkat", "kode_induk"]:
            raise ValueError(f"{KODE_WILAYAH_CSV.name}: unexpected columns")
        # Plain rows, not DictReader: validation pays this on every process start (the CLI).
        table = {kode: Region(nama, tingkat, induk or None) for kode, nama, tingkat, induk in rows}
    return MappingProxyType(table)


@functools.cache
def _children_index() -> Mapping[str | None, tuple[str, ...]]:
    index: dict[str | None, list[str]] = {}
    for kode, region in regions().items():
        index.setdefault(region.kode_induk, []).append(kode)
    return MappingProxyType({parent: tuple(sorted(codes)) for parent, codes in index.items()})


def children(kode: str | None) -> tuple[str, ...]:
    """Codes of the regions directly under ``kode``, in code order (``None``: the provinces).

    An unknown code, or one with nothing under it in the list (a desa, or a kecamatan outside
    Riau and Sulawesi Barat), has no children.
    """
    return _children_index().get(None if kode is None else _check(kode), ())


def get(kode: str) -> Region | None:
    """The region filed under ``kode``, or ``None`` when the list does not have it."""
    return regions().get(_check(kode))


def name(kode: str) -> str | None:
    """The region's name (``"14.07"`` -> ``"Kabupaten Rokan Hilir"``), ``None`` if unknown."""
    region = get(kode)
    return region.nama if region is not None else None


def exists(kode: str) -> bool:
    """Whether ``kode`` is in the Kemendagri list."""
    return get(kode) is not None


def boundary_path(key: str) -> Path:
    """Path of a shipped GeoJSON boundary file (a key of ``BOUNDARIES``)."""
    try:
        return HERE / BOUNDARIES[key]
    except KeyError:
        raise KeyError(f"no boundary file {key!r}; choose one of {', '.join(BOUNDARIES)}") from None
