"""The demo's BPS statistical metadata: the MS-Keg, MS-Var and MS-Ind of two published
statistical datasets of Dinas Kesehatan Kabupaten Rokan Hilir, filled in as its data operator
would (over the prefill), so the public metadata page, its exports and the API show a complete
example; the other statistical datasets keep only the prefill.

Made through the statistical metadata services with the demo's system actor. Loading again
changes nothing once a dataset has its MS-Keg.
"""

from __future__ import annotations

from sqlalchemy import select

from satudata.authz import Actor
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.review.statistik import services as statistik
from satudata.review.statistik.models import MsKegiatan

# What the operator adds to the prefill, per dataset slug.
FILLED = {
    "fasilitas-kesehatan-kecamatan-rokan-hilir-2025": {
        "latar_belakang": "Perencanaan pelayanan kesehatan dasar Kabupaten Rokan Hilir memerlukan data fasilitas "
                          "kesehatan per kecamatan yang mutakhir (Permenkes tentang Sistem Informasi Kesehatan).",
        "tujuan": "Menyediakan data jumlah dan kapasitas fasilitas kesehatan menurut kecamatan setiap tahun.",
        "rencana_jadwal": "Perencanaan Januari; pengumpulan data Februari; pengolahan Maret; diseminasi April.",
        "unit_pengumpulan": ["Instansi/unit kerja"],
        "metode_pemeriksaan_kualitas": ["Supervisi", "Pemeriksaan silang dengan sumber lain"],
        "metode_analisis": "Deskriptif",
        "unit_analisis": "Fasilitas kesehatan",
        "petugas_pengumpulan": ["Staf instansi penyelenggara"],
        "pelatihan_petugas": "Ya",
        "alamat_penyelenggara": "Jl. Lintas Riau–Sumut, Bagansiapiapi, Rokan Hilir\nEmail: dinkes@rohilkab.go.id",
    },
    "prevalensi-stunting-kecamatan-rokan-hilir-2024": {
        "latar_belakang": "Percepatan penurunan stunting (Perpres 72/2021) memerlukan data prevalensi per kecamatan "
                          "untuk menentukan lokus intervensi.",
        "tujuan": "Menyediakan prevalensi stunting balita menurut kecamatan dari hasil penimbangan di posyandu.",
        "unit_pengumpulan": ["Individu"],
        "metode_pengumpulan": ["Pengamatan (observasi)", "Pengumpulan data sekunder"],
        "metode_pemeriksaan_kualitas": ["Supervisi"],
        "metode_analisis": "Deskriptif",
        "alamat_penyelenggara": "Jl. Lintas Riau–Sumut, Bagansiapiapi, Rokan Hilir\nEmail: dinkes@rohilkab.go.id",
    },
}
INDICATOR = {
    "prevalensi-stunting-kecamatan-rokan-hilir-2024": {
        "interpretasi": "Semakin tinggi prevalensi, semakin banyak balita bertubuh pendek menurut umurnya; "
                        "target nasional 14 persen.",
        "rumus": "(balita dengan tinggi badan menurut umur < -2 SD / balita yang diukur) × 100",
        "ukuran": "persentase",
        "satuan": "persen",
    },
}


def create_statistik(actor: Actor) -> int:
    """Fill in the MS metadata of the demo datasets named above; how many were filled."""
    made = 0
    for slug, extra in FILLED.items():
        dataset = db.session.scalar(select(Dataset).where(Dataset.slug == slug))
        if dataset is None or not statistik.applies(dataset):
            continue
        if db.session.scalar(select(MsKegiatan.id).where(MsKegiatan.dataset_id == dataset.id)) is not None:
            continue
        meta = statistik.load(dataset)
        statistik.update_kegiatan(actor, dataset, {**meta.keg, **extra})
        statistik.update_variabel(actor, dataset, [
            {"resource": e.resource.id, "column": e.column.name, **e.values,
             "definisi": e.values.get("definisi") or e.values.get("alias") or e.column.name}
            for e in meta.variables])
        if slug in INDICATOR:
            first = statistik.prefill_indicator(dataset)
            statistik.update_indikator(actor, dataset, [{**first, **INDICATOR[slug]}])
        made += 1
    return made
