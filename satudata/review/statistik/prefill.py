"""What the portal already knows of a dataset's BPS statistical metadata (the *prefill*), from
its Satu Data metadata, its OPD and its tables' Table Schemas, in the forms' choices
(:mod:`satudata.review.statistik.spec`). Computed on each read: a field the producer has not
saved shows the prefill, so it follows the dataset when its metadata changes.

- MS-Keg: judul, tahun, cara pengumpulan data (the dataset's collection method), sektor (its
  urusan or topic, matched to the 22 sectors), instansi and its address, phone and e-mail, the
  eselon units (the region's government and the OPD), the penanggung jawab teknis (the
  dataset's contact), the variables (column titles), 4.1/4.2 from the frequency, 4.4/4.5 from
  the OPD's region, 4.6 for administrative records, 7.1 penyahihan when the tables validated,
  7.4 from the presentation level (a village level as "Lainnya: Desa/Kelurahan"), 8.1/8.2 digital
  with the release date of a public dataset.
- MS-Var: one per column of each table, from its Table Schema field (a unit is written into the
  definisi: MS-Var has no unit column).
- The first MS-Ind, from the dataset's Standar Data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from satudata import reference
from satudata.accounts.models import Organization
from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    Dataset,
    Frequency,
    PresentationLevel,
    Resource,
    ValidationStatus,
)
from satudata.review.statistik import spec

__all__ = ["ColumnRef", "NUMERIC", "columns", "prefill_indicator", "prefill_kegiatan", "prefill_variabel",
           "readable_constraints"]

_CARA = {CollectionMethod.SENSUS: "Pencacahan lengkap", CollectionMethod.SURVEI: spec.SURVEI,
         CollectionMethod.ADMINISTRASI: "Kompilasi produk administrasi",
         CollectionMethod.KOMPILASI: "Kompilasi produk administrasi",
         CollectionMethod.LAINNYA: "Cara lain sesuai dengan perkembangan TI"}
# Frequency.TIDAK_TENTU has no option on the form (4.2 lists fixed periods only): left to the producer.
_FREKUENSI = {Frequency.TAHUNAN: "Tahunan", Frequency.SEMESTERAN: "Semesteran", Frequency.TRIWULANAN: "Triwulanan",
              Frequency.BULANAN: "Bulanan", Frequency.MINGGUAN: "Mingguan", Frequency.HARIAN: "Harian"}
# 7.4 (several choices) and its "Lainnya (sebutkan)" text: the form has no village level.
_TINGKAT = {PresentationLevel.NASIONAL: ("Nasional", ""), PresentationLevel.PROVINSI: ("Provinsi", ""),
            PresentationLevel.KABUPATEN_KOTA: ("Kabupaten/Kota", ""), PresentationLevel.KECAMATAN: ("Kecamatan", ""),
            PresentationLevel.DESA: (spec.LAINNYA, "Desa/Kelurahan")}
_LEVEL = {PresentationLevel.NASIONAL: "Nasional", PresentationLevel.PROVINSI: "Provinsi",
          PresentationLevel.KABUPATEN_KOTA: "Kabupaten/Kota", PresentationLevel.KECAMATAN: "Kecamatan",
          PresentationLevel.DESA: "Desa/Kelurahan"}
# Table Schema types as the regulation's data types (Integer, Float, Char/Karakter, String, Array).
_TIPE = {"integer": "Integer", "year": "Integer", "number": "Float", "array": "Array"}
# The urusan (or topic) of a dataset as one of the form's sectors: the first word found decides,
# so the more specific come first ("Unsur Penunjang ... — Keuangan" is Keuangan).
_SEKTOR = (
    ("kesehatan", "Kesehatan"), ("pendidikan", "Pendidikan dan Pelatihan"),
    ("kependudukan", "Demografi dan Kependudukan"), ("pencatatan sipil", "Demografi dan Kependudukan"),
    ("pertanian", "Pertanian dan Perikanan"), ("perikanan", "Pertanian dan Perikanan"),
    ("kelautan", "Pertanian dan Perikanan"), ("pangan", "Pertanian dan Perikanan"),
    ("perkebunan", "Pertanian dan Perikanan"), ("peternakan", "Pertanian dan Perikanan"),
    ("lingkungan", "Lingkungan"), ("kehutanan", "Lingkungan"), ("keuangan", "Keuangan"),
    ("tenaga kerja", "Ketenagakerjaan"), ("ketenagakerjaan", "Ketenagakerjaan"),
    ("sosial", "Perlindungan Sosial dan Kesejahteraan"), ("perhubungan", "Transportasi"),
    ("transportasi", "Transportasi"), ("komunikasi", "Teknologi Informasi dan Komunikasi"),
    ("informatika", "Teknologi Informasi dan Komunikasi"), ("perindustrian", "Industri dan Jasa"),
    ("industri", "Industri dan Jasa"), ("pariwisata", "Industri dan Jasa"), ("koperasi", "Industri dan Jasa"),
    ("pekerjaan umum", "Pembangunan"), ("perencanaan", "Pembangunan"),
    ("penataan ruang", "Perwilayahan dan Perkotaan"), ("perumahan", "Perwilayahan dan Perkotaan"),
    ("pertanahan", "Perwilayahan dan Perkotaan"), ("penelitian", "Ilmu Pengetahuan dan Hak Paten"),
    ("pendapatan", "Sektor Publik, Perpajakan, dan Regulasi Pasar"),
    ("pemerintahan", "Sektor Publik, Perpajakan, dan Regulasi Pasar"),
)
NUMERIC = ("integer", "number")


@dataclass(frozen=True)
class ColumnRef:
    """One column of one table: the table as the dataset holds it, the key MS-Var rows use
    for it, the column's name and its Table Schema field."""

    resource: Resource
    resource_key: str
    name: str
    field: Mapping[str, Any]


def columns(dataset: Dataset) -> list[ColumnRef]:
    """Every column of ``dataset``'s tables, from each table's Table Schema, in order."""
    from satudata.validation.services import resolved_schema

    found: list[ColumnRef] = []
    for res in dataset.resources:
        if not res.is_tabular:
            continue
        schema = resolved_schema(res) or {}
        seen: set[str] = set()
        for f in schema.get("fields") or []:
            name = str(f.get("name") or "").strip() if isinstance(f, Mapping) else ""
            if name and name not in seen:
                seen.add(name)
                # The MS-Var row names the table itself (a revision's own copy of it).
                found.append(ColumnRef(res, res.id, name[:255], f))
    return found


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def readable_constraints(f: Mapping[str, Any]) -> str:
    """A Table Schema field's constraints in plain Indonesian: "wajib diisi; 0 sampai 100"."""
    c = f.get("constraints") or {}
    if not isinstance(c, Mapping):
        return ""
    parts: list[str] = []
    if c.get("required"):
        parts.append("wajib diisi")
    if c.get("unique"):
        parts.append("tidak boleh berulang (unik)")
    low, high = c.get("minimum"), c.get("maximum")
    if low is not None and high is not None:
        parts.append(f"{_number(low)} sampai {_number(high)}")
    elif low is not None:
        parts.append(f"paling kecil {_number(low)}")
    elif high is not None:
        parts.append(f"paling besar {_number(high)}")
    if c.get("exclusiveMinimum") is not None:
        parts.append(f"lebih dari {_number(c['exclusiveMinimum'])}")
    if c.get("exclusiveMaximum") is not None:
        parts.append(f"kurang dari {_number(c['exclusiveMaximum'])}")
    short, long_ = c.get("minLength"), c.get("maxLength")
    if short is not None and long_ is not None:
        parts.append(f"panjang {short} sampai {long_} karakter")
    elif short is not None:
        parts.append(f"paling sedikit {short} karakter")
    elif long_ is not None:
        parts.append(f"paling panjang {long_} karakter")
    if c.get("pattern"):
        parts.append(f"mengikuti pola {c['pattern']}")
    if isinstance(c.get("enum"), list) and c["enum"]:
        values = [str(v) for v in c["enum"]]
        parts.append("salah satu dari: " + ", ".join(values[:30]) + (", ..." if len(values) > 30 else ""))
    return "; ".join(parts)


def sektor(dataset: Dataset) -> str | None:
    """The form's sector of ``dataset``, from its urusan, else its topics (None: no match)."""
    for text in (dataset.urusan, *(t.name for t in dataset.topics)):
        words = (text or "").casefold()
        found = next((sector for word, sector in _SEKTOR if word in words), None)
        if found:
            return found
    return None


def wilayah(dataset: Dataset) -> str | None:
    """4.5 for ``dataset``: its OPD's region (the nearest one up the OPD's tree that has a
    Kemendagri code, else the dataset's own), as "provinsi, kabupaten/kota"; None: not known."""
    org: Organization | None = dataset.organization
    kode: str | None = None
    while org is not None and not kode:
        kode, org = org.kode_wilayah, org.parent
    parts = (kode or dataset.kode_wilayah or "").split(".")
    provinsi = reference.name(parts[0]) if parts[0] else None
    if provinsi is None:
        return None
    if len(parts) == 1:
        return f"{provinsi}, seluruh kabupaten/kota"
    kabupaten = reference.name(".".join(parts[:2]))
    return f"{provinsi}, {kabupaten}" if kabupaten else provinsi


def _join(*parts: Any) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


def prefill_kegiatan(dataset: Dataset) -> dict[str, str]:
    """MS-Keg as the portal knows it from ``dataset``'s Satu Data metadata and tables."""
    ds = dataset
    org = ds.organization
    region = wilayah(ds)
    tingkat, tingkat_lain = _TINGKAT.get(ds.presentation_level, ("", "")) if ds.presentation_level else ("", "")
    valid = any(r.is_tabular and r.validation_status == ValidationStatus.VALID for r in ds.resources)
    public = ds.access_class == AccessClass.PUBLIK
    values: dict[str, Any] = {
        "judul_kegiatan": ds.title,
        "cara_pengumpulan": _CARA.get(ds.collection_method) if ds.collection_method else None,
        "sektor_kegiatan": sektor(ds),
        "tahun_kegiatan": str(ds.year) if ds.year else None,
        "instansi_penyelenggara": org.name + (f", {org.parent.name}" if org.parent is not None else ""),
        "alamat_penyelenggara": _join(org.address),
        "telepon_penyelenggara": org.phone,
        "email_penyelenggara": org.email,
        "unit_eselon_1": org.parent.name if org.parent is not None else org.name,
        "unit_eselon_2": org.name if org.parent is not None else None,
        "pj_jabatan": ds.contact_name,
        "pj_alamat": org.address,
        "pj_telepon": org.phone,
        "pj_email": ds.contact_email or org.email,
        "variabel_dikumpulkan": spec.MULTI_SEPARATOR.join(
            dict.fromkeys(str(c.field.get("title") or c.name) for c in columns(ds))),
        "kegiatan_dilakukan": spec.BERULANG if ds.frequency in _FREKUENSI else None,
        "frekuensi_penyelenggaraan": _FREKUENSI.get(ds.frequency) if ds.frequency else None,
        "cakupan_wilayah": spec.SEBAGIAN_WILAYAH if region else None,
        "wilayah_kegiatan": region,
        "metode_pengumpulan": ("Pengumpulan data sekunder" if ds.collection_method in (
            CollectionMethod.ADMINISTRASI, CollectionMethod.KOMPILASI) else None),
        "pengolahan_validasi": spec.YA if valid else None,
        "tingkat_penyajian": tingkat,
        "tingkat_penyajian_lainnya": tingkat_lain,
        "produk_digital": spec.YA if public else None,
        "rilis_digital": ds.release_date.isoformat() if public and ds.release_date else None,
    }
    return {k: str(v) for k, v in values.items() if v}


def prefill_variabel(dataset: Dataset, column: ColumnRef) -> dict[str, str]:
    """MS-Var of one column as its Table Schema field and the dataset say it."""
    f, ds = column.field, dataset
    kind = str(f.get("type") or "string")
    measure = kind in NUMERIC
    wilayah_ = f.get("x-kode-wilayah")
    enum = (f.get("constraints") or {}).get("enum") if isinstance(f.get("constraints"), Mapping) else None
    definisi = str(f.get("description") or (ds.definisi if measure else None) or "").strip()
    unit = f.get("satuan") or f.get("unit") or (ds.satuan if measure else None)
    if unit:  # MS-Var has no unit column: the definition says it
        definisi = f"{definisi}{'' if not definisi or definisi.endswith('.') else '.'} Satuan: {unit}.".strip()
    values: dict[str, Any] = {
        "nama": column.name,
        "alias": f.get("title"),
        "konsep": f.get("konsep") or (ds.konsep if measure else None) or f.get("title"),
        "definisi": definisi,
        "referensi_pemilihan": (f"Kode wilayah Kemendagri ({wilayah_.get('daftar')})"
                                if isinstance(wilayah_, Mapping) and wilayah_.get("daftar") else None),
        "referensi_waktu": ds.period or (str(ds.year) if ds.year else None),
        "tipe_data": _TIPE.get(kind, "String"),
        "klasifikasi_isian": spec.MULTI_SEPARATOR.join(str(v) for v in enum) if isinstance(enum, list) else None,
        "aturan_validasi": readable_constraints(f),
        "akses_umum": spec.YA if ds.access_class == AccessClass.PUBLIK else spec.TIDAK,
    }
    return {k: str(v) for k, v in values.items() if v}


def prefill_indicator(dataset: Dataset) -> dict[str, str]:
    """A first MS-Ind from the dataset's Standar Data (konsep, definisi, ukuran, satuan,
    klasifikasi) and its measure columns, as an indicator computed from this activity's own
    variables (not composite); offered until the producer saves indicators."""
    ds = dataset
    measures = [c.name for c in columns(dataset) if str(c.field.get("type")) in NUMERIC]
    values: dict[str, Any] = {
        "nama": ds.title, "konsep": ds.konsep, "definisi": ds.definisi, "ukuran": ds.ukuran, "satuan": ds.satuan,
        "klasifikasi_penyajian": ds.klasifikasi, "indikator_komposit": spec.TIDAK,
        "kegiatan_penghasil": ds.title, "variabel_pembangun": spec.MULTI_SEPARATOR.join(measures),
        "level_estimasi": _LEVEL.get(ds.presentation_level) if ds.presentation_level else None,
        "akses_umum": spec.YA if ds.access_class == AccessClass.PUBLIK else spec.TIDAK,
    }
    return {k: str(v) for k, v in values.items() if v}
