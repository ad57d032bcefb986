"""The demo's BPS statistical metadata: the MS-Keg, MS-Var and MS-Ind of two published
statistical datasets of Dinas Kesehatan Kabupaten Rokan Hilir, filled in as its data operator
would (over the prefill), complete under the forms' skip rules (neither is a survey, so Blok V is
not asked; the stunting census is recorded on paper by posyandu cadres, so 6.4–6.7 are), so the
public metadata page, its exports and the API show a complete example; the other statistical
datasets keep only the prefill.

Made through the statistical metadata services with the demo's system actor. Loading again
changes nothing once a dataset has its MS-Keg.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from satudata.authz import Actor
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.review.statistik import services as statistik
from satudata.review.statistik.models import MsKegiatan


def _jadwal(year: int, months: dict[str, tuple[int, int]]) -> dict[str, str]:
    """3.3's dates: each stage from the first of its first month to the 28th of its last."""
    found: dict[str, str] = {}
    for stage, (first, last) in months.items():
        found[f"jadwal_{stage}_awal"] = date(year, first, 1).isoformat()
        found[f"jadwal_{stage}_akhir"] = date(year, last, 28).isoformat()
    return found


_ADMIN_ROUND = {"perencanaan": (1, 1), "desain": (1, 2), "pengumpulan": (2, 3), "pengolahan": (3, 3),
                "analisis": (4, 4), "diseminasi": (4, 5), "evaluasi": (6, 6)}
_COMMON = {
    "sektor_kegiatan": "Kesehatan",
    "kegiatan_dilakukan": "Berulang",
    "frekuensi_penyelenggaraan": "Tahunan",
    "tipe_pengumpulan": "Cross sectional",
    "cakupan_wilayah": "Sebagian wilayah Indonesia",
    "wilayah_kegiatan": "Riau, Kabupaten Rokan Hilir",
    "uji_coba": "Tidak",
    "penyesuaian_nonrespon": "Tidak",
    "pengolahan_editing": "Ya",
    "pengolahan_coding": "Tidak",
    "pengolahan_entry": "Ya",
    "pengolahan_validasi": "Ya",
    "metode_analisis": "Deskriptif",
    "tingkat_penyajian": ["Kabupaten/Kota", "Kecamatan"],
    "produk_tercetak": "Tidak",
    "produk_digital": "Ya",
    "produk_mikro": "Tidak",
}

# What the operator adds to the prefill, per dataset slug: every part the form asks is answered.
FILLED = {
    "fasilitas-kesehatan-kecamatan-rokan-hilir-2025": {
        **_COMMON,
        **_jadwal(2025, _ADMIN_ROUND),
        "cara_pengumpulan": "Kompilasi produk administrasi",
        "pj_jabatan": "Kepala Seksi Sumber Daya Kesehatan",
        "latar_belakang": "Perencanaan pelayanan kesehatan dasar Kabupaten Rokan Hilir memerlukan data fasilitas "
                          "kesehatan per kecamatan yang mutakhir (Permenkes tentang Sistem Informasi Kesehatan).",
        "tujuan": "Menyediakan data jumlah dan kapasitas fasilitas kesehatan menurut kecamatan setiap tahun.",
        "metode_pengumpulan": ["Pengumpulan data sekunder"],
        "sarana_pengumpulan": ["Mail", "Lainnya (sebutkan)"],
        "sarana_pengumpulan_lainnya": "Laporan daring puskesmas (ASPAK)",
        "unit_pengumpulan": ["Lainnya (sebutkan)"],
        "unit_pengumpulan_lainnya": "Fasilitas kesehatan",
        "metode_pemeriksaan_kualitas": ["Supervisi", "Lainnya (sebutkan)"],
        "metode_pemeriksaan_kualitas_lainnya": "Pemeriksaan silang dengan data izin operasional",
        "unit_analisis": ["Lainnya (sebutkan)"],
        "unit_analisis_lainnya": "Fasilitas kesehatan",
        "rilis_digital": "2025-04-30",
    },
    "prevalensi-stunting-kecamatan-rokan-hilir-2024": {
        **_COMMON,
        **_jadwal(2024, {"perencanaan": (1, 1), "desain": (1, 1), "pengumpulan": (2, 2), "pengolahan": (3, 3),
                         "analisis": (3, 4), "diseminasi": (5, 5), "evaluasi": (6, 6)}),
        # Every balita is weighed and measured at the posyandu in bulan penimbangan: a census.
        "cara_pengumpulan": "Pencacahan lengkap",
        "pj_jabatan": "Kepala Seksi Kesehatan Keluarga dan Gizi",
        "latar_belakang": "Percepatan penurunan stunting (Perpres 72/2021) memerlukan data prevalensi per kecamatan "
                          "untuk menentukan lokus intervensi.",
        "tujuan": "Menyediakan prevalensi stunting balita menurut kecamatan dari hasil penimbangan di posyandu.",
        "metode_pengumpulan": ["Pengamatan (observasi)", "Pengumpulan data sekunder"],
        "sarana_pengumpulan": ["Paper-assisted Personal Interviewing (PAPI)", "Lainnya (sebutkan)"],
        "sarana_pengumpulan_lainnya": "Aplikasi e-PPGBM",
        "unit_pengumpulan": ["Individu"],
        "metode_pemeriksaan_kualitas": ["Kunjungan kembali (revisit)", "Supervisi"],
        "petugas_pengumpulan": "Staf instansi penyelenggara dan mitra/tenaga kontrak",
        "pendidikan_petugas": "SMA/SMK",
        "jumlah_supervisor": "18",
        "jumlah_enumerator": "1250",
        "pelatihan_petugas": "Ya",
        "unit_analisis": ["Individu"],
        "rilis_digital": "2024-05-31",
    },
}
INDICATOR = {
    "prevalensi-stunting-kecamatan-rokan-hilir-2024": {
        "interpretasi": "Semakin tinggi prevalensi, semakin banyak balita bertubuh pendek menurut umurnya; "
                        "target nasional 14 persen.",
        "rumus": "(balita dengan tinggi badan menurut umur < -2 SD / balita yang diukur) × 100",
        "ukuran": "persentase",
        "satuan": "persen",
        "klasifikasi_penyajian": "Menurut kecamatan",
        "indikator_komposit": "Tidak",
        "level_estimasi": "Kecamatan",
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
             "konsep": e.values.get("konsep") or e.values.get("alias") or e.column.name,
             "definisi": e.values.get("definisi") or e.values.get("alias") or e.column.name}
            for e in meta.variables])
        if slug in INDICATOR:
            first = statistik.prefill_indicator(dataset)
            statistik.update_indikator(actor, dataset, [{**first, **INDICATOR[slug]}])
        made += 1
    return made
