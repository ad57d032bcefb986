"""Deterministic demo tables: a ``Table`` type that writes itself as CSV, seeded random number
generators, and per-region figures shared by several datasets.

Nothing here touches the database, the clock or the global ``random`` state: every generator
is a ``random.Random`` seeded with a string naming what it generates, so the same code always
writes the same bytes. Figures that several datasets use (population per kecamatan, palm-oil
area) are computed once per region, so the population table, the health-facility table and
the provincial table agree with each other.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from satudata import reference

Cell = str | int
SEED = "satudata-demo-v1"

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def rng(*parts: object) -> random.Random:
    """A generator seeded by ``parts`` (strings seed ``random.Random`` deterministically)."""
    return random.Random(":".join([SEED, *map(str, parts)]))


def dec(value: float, places: int = 2) -> str:
    """A decimal written with a dot and fixed places, as CSV and frictionless expect."""
    return f"{value:.{places}f}"


def angka(value: int) -> str:
    """An integer the Indonesian way, for prose: 681240 -> '681.240'."""
    return f"{value:,}".replace(",", ".")


def desimal(value: float, places: int = 2) -> str:
    """A decimal the Indonesian way, for prose: 1234.5 -> '1.234,50'."""
    return f"{value:,.{places}f}".replace(",", "#").replace(".", ",").replace("#", ".")


def pct(part: float, whole: float, places: int = 2) -> str:
    return dec(100.0 * part / whole if whole else 0.0, places)


@dataclass(frozen=True)
class Table:
    """One CSV resource: file name, display name, description, header and rows."""

    filename: str
    name: str
    description: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(f"{self.filename}: row {row!r} does not match header {self.header!r}")

    def to_csv(self) -> bytes:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buf.getvalue().encode("utf-8")


def table(filename: str, name: str, description: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Table:
    return Table(filename, name, description, tuple(header), tuple(tuple(r) for r in rows))


def spread(total: float, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that add up to it exactly
    (largest remainder), so a column always sums to the total quoted in the description."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in raw]
    short = round(total) - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for i in order[:short]:
        parts[i] += 1
    return parts


# --------------------------------------------------------------------------- region profiles


@dataclass(frozen=True)
class Kecamatan:
    kode: str
    nama: str
    laki_laki: int
    perempuan: int
    luas_km2: float
    desa: tuple[tuple[str, str], ...]  # (kode, nama) of its desa
    kelurahan: tuple[tuple[str, str], ...]  # (kode, nama) of its kelurahan
    weight: float  # how urban/populous: drives facilities, schools, roads

    @property
    def jumlah(self) -> int:
        return self.laki_laki + self.perempuan

    @property
    def villages(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.desa + self.kelurahan))


@dataclass(frozen=True)
class Profile:
    """Figures of one kabupaten/kota for the reference year 2025."""

    kode: str
    nama: str
    kecamatan: tuple[Kecamatan, ...]

    @property
    def laki_laki(self) -> int:
        return sum(k.laki_laki for k in self.kecamatan)

    @property
    def perempuan(self) -> int:
        return sum(k.perempuan for k in self.kecamatan)

    @property
    def jumlah(self) -> int:
        return self.laki_laki + self.perempuan

    @property
    def luas_km2(self) -> float:
        return sum(k.luas_km2 for k in self.kecamatan)

    def households(self) -> int:
        return round(self.jumlah / 3.9)


# Population (jiwa, 2025) and area (km2) of the demo kabupaten/kota: round figures of the
# size the official statistics publish, not the official numbers themselves.
POPULATION_2025 = {"14.07": 681_240, "14.05": 429_870, "14.72": 346_510}
AREA_KM2 = {"14.07": 8_881.59, "14.05": 13_924.94, "14.72": 1_623.38}

# Where people live: the seat of government and the plantation towns are the large kecamatan.
POPULATION_WEIGHT = {
    "14.07": {"Bangko": 2.4, "Bagansinembah": 2.6, "Bagan Sinembah Raya": 1.3, "Tanah Putih": 1.6,
              "Pujud": 1.1, "Sinaboi": 0.5, "Rantau Kopar": 0.3, "Batu Hampar": 0.5,
              "Tanah Putih Tanjung Melawan": 0.45, "Simpang Kanan": 0.7, "Tanjung Medan": 0.6,
              "Pekaitan": 0.7, "Pasir Limau Kapas": 0.9, "Kubu Babussalam": 0.9},
    "14.05": {"Pangkalan Kerinci": 3.0, "Pangkalan Kuras": 1.9, "Ukui": 1.2, "Bandar Sei Kijang": 1.1,
              "Pelalawan": 0.6, "Bunut": 0.6, "Teluk Meranti": 0.5, "Bandar Petalangan": 0.5,
              "Kuala Kampar": 0.7, "Pangkalan Lesung": 0.8, "Kerumutan": 0.8},
    "14.72": {"Dumai Timur": 1.4, "Dumai Selatan": 1.3, "Dumai Barat": 1.1, "Dumai Kota": 1.1,
              "Sungai Sembilan": 0.7, "Medang Kampai": 0.4},
}
# Dense town centres are small; rural kecamatan are large.
AREA_WEIGHT = {
    "14.07": {"Bangko": 0.4, "Bagansinembah": 0.5, "Kubu": 1.6, "Tanah Putih": 2.0, "Pekaitan": 1.4,
              "Rantau Kopar": 1.1, "Simpang Kanan": 0.9, "Batu Hampar": 0.9},
    "14.05": {"Pangkalan Kerinci": 0.15, "Teluk Meranti": 3.2, "Kuala Kampar": 1.5, "Langgam": 1.9,
              "Kerumutan": 1.0, "Pelalawan": 1.4, "Bandar Sei Kijang": 0.3},
    "14.72": {"Dumai Kota": 0.03, "Dumai Barat": 0.1, "Dumai Timur": 0.1, "Dumai Selatan": 0.25,
              "Bukit Kapur": 1.3, "Sungai Sembilan": 2.8, "Medang Kampai": 0.6},
}


@functools.cache
def profile(kode: str) -> Profile:
    """Population by kecamatan and sex, area, and the real desa/kelurahan of a kabupaten/kota."""
    r = rng("profile", kode)
    pop_weights = POPULATION_WEIGHT.get(kode, {})
    area_weights = AREA_WEIGHT.get(kode, {})
    codes = reference.children(kode)
    names = [reference.name(c) or c for c in codes]
    weights = [pop_weights.get(n, 1.0) * r.uniform(0.9, 1.1) for n in names]
    populations = spread(POPULATION_2025[kode], weights)
    areas = spread(AREA_KM2[kode] * 100, [area_weights.get(n, 1.0) * r.uniform(0.8, 1.2) for n in names])
    kecamatan = []
    for code, nama, weight, pop, area in zip(codes, names, weights, populations, areas, strict=True):
        male = round(pop * r.uniform(0.506, 0.521))
        villages = [(c, reference.name(c) or c) for c in reference.children(code)]
        # Kemendagri numbers kelurahan 1xxx and desa 2xxx.
        kelurahan = tuple(v for v in villages if v[0].rsplit(".", 1)[-1].startswith("1"))
        desa = tuple(v for v in villages if not v[0].rsplit(".", 1)[-1].startswith("1"))
        kecamatan.append(Kecamatan(code, nama, male, pop - male, area / 100, desa, kelurahan, weight))
    return Profile(kode, reference.name(kode) or kode, tuple(kecamatan))


# Smallholder oil-palm area (ha) and which kecamatan grow rice, per kabupaten/kota.
SAWIT_RAKYAT_HA = {"14.07": 201_450, "14.05": 148_320, "14.72": 34_860}
SAWIT_WEIGHT = {
    "14.07": {"Bangko": 0.3, "Sinaboi": 0.4, "Kubu": 0.5, "Pasir Limau Kapas": 0.4, "Bagansinembah": 1.8,
              "Bagan Sinembah Raya": 1.5, "Pujud": 1.6, "Tanah Putih": 1.8, "Balai Jaya": 1.4},
    "14.05": {"Pangkalan Kerinci": 0.3, "Ukui": 1.8, "Pangkalan Kuras": 1.7, "Pangkalan Lesung": 1.3,
              "Kuala Kampar": 0.5, "Teluk Meranti": 0.5},
    "14.72": {"Dumai Kota": 0.0, "Dumai Barat": 0.05, "Dumai Timur": 0.1, "Dumai Selatan": 0.3,
              "Bukit Kapur": 1.6, "Sungai Sembilan": 1.8, "Medang Kampai": 1.0},
}
PADI_WEIGHT = {
    "14.07": {"Kubu": 2.2, "Pasir Limau Kapas": 1.6, "Sinaboi": 1.2, "Bangko": 0.6, "Rimba Melintang": 1.8,
              "Kubu Babussalam": 2.0, "Pekaitan": 1.1, "Bangko Pusako": 0.9, "Batu Hampar": 0.8,
              "Rantau Kopar": 0.5},
    "14.05": {"Kuala Kampar": 1.6, "Teluk Meranti": 1.2, "Bunut": 0.9, "Langgam": 0.7, "Pelalawan": 0.8,
              "Kerumutan": 0.6, "Pangkalan Kuras": 0.3},
}
PADI_HARVEST_HA = {"14.07": 21_840, "14.05": 3_960}


@dataclass(frozen=True)
class Sawit:
    kode: str
    nama: str
    tbm_ha: int  # immature
    tm_ha: int  # producing
    ttm_ha: int  # damaged / not producing
    produksi_ton_tbs: int
    petani_kk: int

    @property
    def jumlah_ha(self) -> int:
        return self.tbm_ha + self.tm_ha + self.ttm_ha


@functools.cache
def sawit(kode: str) -> tuple[Sawit, ...]:
    """Smallholder oil palm per kecamatan in 2024 (the provincial table sums these)."""
    r = rng("sawit", kode)
    p = profile(kode)
    weights = [SAWIT_WEIGHT.get(kode, {}).get(k.nama, 1.0) * r.uniform(0.8, 1.2) for k in p.kecamatan]
    areas = spread(SAWIT_RAKYAT_HA[kode], weights)
    rows = []
    for k, area in zip(p.kecamatan, areas, strict=True):
        tbm = round(area * r.uniform(0.06, 0.12))
        ttm = round(area * r.uniform(0.02, 0.06))
        tm = area - tbm - ttm
        rows.append(Sawit(k.kode, k.nama, tbm, tm, ttm, round(tm * r.uniform(15.2, 19.8)), round(area / r.uniform(2.2, 2.9))))
    return tuple(rows)


def poverty_series(kode: str, start: float, end: float, years: Sequence[int], bump: int = 2021) -> list[float]:
    """A poverty-rate path from ``start`` to ``end`` with the pandemic rise in ``bump``."""
    r = rng("miskin", kode)
    n = len(years) - 1
    out = []
    for i, year in enumerate(years):
        value = start + (end - start) * i / n + r.uniform(-0.12, 0.12)
        if year in (bump - 1, bump):
            value += 0.35 if year == bump else 0.15
        out.append(round(value, 2))
    return out
