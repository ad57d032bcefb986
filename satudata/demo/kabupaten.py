"""Demo datasets of the kabupaten/kota (Rokan Hilir, Pelalawan, Dumai): what their OPD publish
on a Satu Data portal, with figures generated from each region's profile."""

from __future__ import annotations

import functools
from collections.abc import Callable

from satudata.accounts.models import OrganizationKind
from satudata.catalog.models import (
    CollectionMethod,
    DataKind,
    DataStatus,
    Frequency,
    PresentationLevel,
)
from satudata.demo.organizations import DUMAI, OPDS, PELALAWAN, ROKAN_HILIR, Region
from satudata.demo.specs import DatasetSpec, make_spec
from satudata.demo.tables import (
    MONTHS,
    PADI_HARVEST_HA,
    PADI_WEIGHT,
    angka,
    dec,
    desimal,
    pct,
    poverty_series,
    profile,
    rng,
    sawit,
    spread,
    table,
)

KEC = PresentationLevel.KECAMATAN
KAB = PresentationLevel.KABUPATEN_KOTA
DUKCAPIL_SOURCE = "Data Konsolidasi Bersih (DKB) Semester II 2025, Sistem Informasi Administrasi Kependudukan (SIAK)"


def _tingkat(region: Region) -> str:
    return "kota" if region.kind == OrganizationKind.KOTA else "kabupaten"


# --------------------------------------------------------------------------- kependudukan


def penduduk(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("penduduk", region.kode)
    rows = []
    for k in p.kecamatan:
        rows.append((k.kode, k.nama, k.laki_laki, k.perempuan, k.jumlah, dec(100 * k.laki_laki / k.perempuan, 1),
                     dec(k.luas_km2), dec(k.jumlah / k.luas_km2, 1)))
    per_kecamatan = table(
        f"penduduk_kecamatan_jenis_kelamin_{region.file_key}_2025.csv",
        "Penduduk menurut kecamatan dan jenis kelamin",
        f"Jumlah penduduk per kecamatan {region.label}, Semester II 2025.",
        ("kode_wilayah", "kecamatan", "laki_laki", "perempuan", "jumlah", "rasio_jenis_kelamin",
         "luas_wilayah_km2", "kepadatan_jiwa_per_km2"), rows)
    groups = [f"{a}-{a + 4}" for a in range(0, 75, 5)] + ["75+"]
    shape = [9.6, 9.4, 9.0, 8.7, 8.6, 8.4, 8.0, 7.6, 7.0, 6.2, 5.2, 4.1, 3.1, 2.2, 1.5, 1.6]
    shape = [s * r.uniform(0.95, 1.05) for s in shape]
    male = spread(p.laki_laki, shape)
    female = spread(p.perempuan, [s * (1.08 if i > 12 else 1.0) for i, s in enumerate(shape)])
    per_umur = table(
        f"penduduk_kelompok_umur_{region.file_key}_2025.csv",
        "Penduduk menurut kelompok umur dan jenis kelamin",
        "Piramida penduduk: kelompok umur lima tahunan.",
        ("kelompok_umur", "laki_laki", "perempuan", "jumlah"),
        [(g, m, f, m + f) for g, m, f in zip(groups, male, female, strict=True)])
    largest = max(p.kecamatan, key=lambda k: k.jumlah)
    return make_spec(
        region, "kependudukan",
        slug=f"penduduk-kecamatan-jenis-kelamin-{region.key}-2025",
        title=f"Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin {region.label} 2025",
        topics=("kependudukan",),
        tags=("penduduk", "kependudukan", "jenis kelamin", "kecamatan", "dukcapil"),
        summary=(f"Jumlah penduduk {region.label} per kecamatan menurut jenis kelamin, hasil konsolidasi data "
                 f"kependudukan Semester II 2025: **{angka(p.jumlah)} jiwa** ({angka(p.laki_laki)} laki-laki dan "
                 f"{angka(p.perempuan)} perempuan) di {len(p.kecamatan)} kecamatan. Kecamatan dengan penduduk "
                 f"terbanyak adalah {largest.nama} ({angka(largest.jumlah)} jiwa)."),
        tables=(per_kecamatan, per_umur),
        year=2025, period="Semester II 2025", frequency=Frequency.SEMESTERAN,
        urusan="Administrasi Kependudukan dan Pencatatan Sipil",
        konsep="Penduduk",
        definisi=("Penduduk adalah Warga Negara Indonesia dan Orang Asing yang bertempat tinggal di Indonesia "
                  "(UU 24/2013) dan tercatat dalam database kependudukan."),
        klasifikasi="Kecamatan (Kemendagri); jenis kelamin; kelompok umur lima tahunan",
        ukuran="Jumlah penduduk", satuan="jiwa",
        source=DUKCAPIL_SOURCE, unit="Bidang Pengelolaan Informasi Administrasi Kependudukan",
        priority=True, popularity=3.2,
    )


def kelahiran_kematian(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("vital", region.kode)
    births = p.jumlah * 0.0172
    deaths = p.jumlah * 0.0043
    season = [1.02, 0.93, 1.0, 0.97, 1.01, 0.98, 1.03, 1.02, 1.05, 1.01, 0.97, 1.01]
    rows = []
    for i, month in enumerate(MONTHS):
        total = round(births / 12 * season[i] * r.uniform(0.93, 1.07))
        male = round(total * r.uniform(0.505, 0.53))
        died = round(deaths / 12 * r.uniform(0.85, 1.15))
        rows.append((f"2025-{i + 1:02d}", month, male, total - male, total, died, round(total * r.uniform(0.78, 0.96))))
    return make_spec(
        region, "kependudukan",
        slug=f"kelahiran-kematian-bulanan-{region.key}-2025",
        title=f"Jumlah Kelahiran dan Kematian Penduduk menurut Bulan {region.label} 2025",
        topics=("kependudukan", "kesehatan"),
        tags=("kelahiran", "kematian", "akta kelahiran", "penduduk", "statistik vital"),
        summary=(f"Peristiwa kelahiran dan kematian penduduk {region.label} yang dilaporkan ke Disdukcapil "
                 "setiap bulan sepanjang 2025, beserta jumlah akta kelahiran yang diterbitkan. Data bulanan "
                 "ini menunjukkan pola musiman pelaporan."),
        tables=(table(f"kelahiran_kematian_bulanan_{region.file_key}_2025.csv", "Kelahiran dan kematian per bulan",
                      "Peristiwa penting yang dilaporkan per bulan.",
                      ("bulan", "nama_bulan", "kelahiran_laki_laki", "kelahiran_perempuan", "jumlah_kelahiran",
                       "jumlah_kematian", "akta_kelahiran_terbit"), rows),),
        year=2025, period="Januari–Desember 2025", frequency=Frequency.BULANAN, level=KAB,
        urusan="Administrasi Kependudukan dan Pencatatan Sipil",
        konsep="Peristiwa penting (kelahiran dan kematian)",
        definisi="Kelahiran dan kematian penduduk yang dilaporkan dan dicatat oleh Disdukcapil pada bulan berjalan.",
        klasifikasi="Bulan; jenis kelamin bayi",
        ukuran="Jumlah peristiwa", satuan="peristiwa",
        source="Register pencatatan sipil (SIAK) Disdukcapil", unit="Bidang Pelayanan Pencatatan Sipil",
        popularity=1.4,
    )


def ktp_el(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("ktp", region.kode)
    rows = []
    for k in p.kecamatan:
        wajib = round(k.jumlah * r.uniform(0.68, 0.72))
        rekam = round(wajib * r.uniform(0.955, 0.995))
        anak = round(k.jumlah * r.uniform(0.3, 0.34))
        kia = round(anak * r.uniform(0.38, 0.71))
        rows.append((k.kode, k.nama, wajib, rekam, pct(rekam, wajib), anak, kia, pct(kia, anak)))
    return make_spec(
        region, "kependudukan",
        slug=f"ktp-el-kia-kecamatan-{region.key}-2025",
        title=f"Perekaman KTP Elektronik dan Kepemilikan Kartu Identitas Anak menurut Kecamatan {region.label} 2025",
        topics=("kependudukan", "pemerintahan"),
        tags=("ktp-el", "kia", "dokumen kependudukan", "penduduk", "kecamatan"),
        summary=(f"Capaian perekaman KTP elektronik (KTP-el) penduduk wajib KTP dan kepemilikan Kartu Identitas "
                 f"Anak (KIA) per kecamatan {region.label}, posisi akhir Semester II 2025."),
        tables=(table(f"ktp_el_kia_kecamatan_{region.file_key}_2025.csv", "KTP-el dan KIA per kecamatan",
                      "Wajib KTP, perekaman KTP-el, dan kepemilikan KIA.",
                      ("kode_wilayah", "kecamatan", "wajib_ktp", "sudah_rekam_ktp_el", "persentase_rekam_ktp_el",
                       "anak_0_17", "memiliki_kia", "persentase_kia"), rows),),
        year=2025, period="Semester II 2025", frequency=Frequency.SEMESTERAN,
        urusan="Administrasi Kependudukan dan Pencatatan Sipil",
        konsep="Dokumen kependudukan",
        definisi="Wajib KTP adalah penduduk berumur 17 tahun ke atas atau yang sudah/pernah kawin.",
        klasifikasi="Kecamatan; jenis dokumen (KTP-el, KIA)",
        ukuran="Jumlah penduduk dan persentase", satuan="jiwa; persen",
        source=DUKCAPIL_SOURCE, unit="Bidang Pelayanan Pendaftaran Penduduk", popularity=0.8,
    )


# --------------------------------------------------------------------------- kesehatan

ACCREDITATION = ("Paripurna", "Utama", "Utama", "Madya", "Madya", "Dasar")


def faskes(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("faskes", region.kode)
    rows = []
    puskesmas_rows = []
    for k in p.kecamatan:
        n_pusk = 1 + (1 if k.jumlah > 45_000 else 0) + (1 if k.jumlah > 80_000 else 0)
        rs = 2 if k.weight > 2.2 else 1 if k.weight > (1.05 if region is DUMAI else 1.5) else 0
        rows.append((k.kode, k.nama, rs, n_pusk, max(1, round(len(k.villages) * r.uniform(0.3, 0.6))),
                     round(k.jumlah / r.uniform(9_000, 16_000)), round(k.jumlah / r.uniform(6_000, 11_000)),
                     round(k.jumlah / r.uniform(850, 1_250))))
        homes = [k.nama] + [name for _, name in k.villages if name != k.nama][: n_pusk - 1]
        for j, name in enumerate(homes):
            inap = "Rawat Inap" if j == 0 and (k.jumlah > 30_000 or r.random() < 0.4) else "Non Rawat Inap"
            puskesmas_rows.append((k.kode, k.nama, f"Puskesmas {name}", inap, r.choice(ACCREDITATION),
                                   round(r.uniform(24, 68) * (1.4 if inap == "Rawat Inap" else 1.0))))
    return make_spec(
        region, "kesehatan",
        slug=f"fasilitas-kesehatan-kecamatan-{region.key}-2025",
        title=f"Jumlah Fasilitas Kesehatan menurut Kecamatan dan Jenis Fasilitas {region.label} 2025",
        topics=("kesehatan",),
        tags=("fasilitas kesehatan", "puskesmas", "rumah sakit", "posyandu", "kecamatan"),
        summary=(f"Sebaran fasilitas pelayanan kesehatan di {region.label}: rumah sakit, puskesmas, puskesmas "
                 "pembantu, klinik pratama, apotek dan posyandu aktif per kecamatan, serta daftar puskesmas "
                 "dengan jenis layanan dan status akreditasinya."),
        tables=(
            table(f"fasilitas_kesehatan_kecamatan_{region.file_key}_2025.csv", "Fasilitas kesehatan per kecamatan",
                  "Jumlah fasilitas menurut jenis.",
                  ("kode_wilayah", "kecamatan", "rumah_sakit", "puskesmas", "puskesmas_pembantu", "klinik_pratama",
                   "apotek", "posyandu"), rows),
            table(f"daftar_puskesmas_{region.file_key}_2025.csv", "Daftar puskesmas",
                  "Puskesmas, jenis layanan dan akreditasi.",
                  ("kode_wilayah", "kecamatan", "nama_puskesmas", "jenis_layanan", "akreditasi", "tenaga_kesehatan"),
                  puskesmas_rows),
        ),
        year=2025, urusan="Kesehatan", konsep="Fasilitas pelayanan kesehatan",
        definisi=("Fasilitas pelayanan kesehatan adalah tempat yang digunakan untuk menyelenggarakan upaya "
                  "pelayanan kesehatan (PP 47/2016)."),
        klasifikasi="Kecamatan; jenis fasilitas (rumah sakit, puskesmas, pustu, klinik pratama, apotek, posyandu)",
        ukuran="Jumlah fasilitas", satuan="unit",
        source="Profil Kesehatan dan data ASPAK/SISDMK Dinas Kesehatan", unit="Subbagian Perencanaan dan Pelaporan",
        popularity=2.1,
    )


def imunisasi(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("idl", region.kode)
    rows = []
    for k in p.kecamatan:
        target = round(k.jumlah * r.uniform(0.0165, 0.0178))
        share = r.uniform(0.74, 0.985)
        male = round(target * share * 0.51)
        female = round(target * share * 0.49)
        rows.append((k.kode, k.nama, target, male, female, pct(male + female, target)))
    return make_spec(
        region, "kesehatan",
        slug=f"imunisasi-dasar-lengkap-kecamatan-{region.key}-2024",
        title=f"Cakupan Imunisasi Dasar Lengkap menurut Kecamatan {region.label} 2024",
        topics=("kesehatan",),
        tags=("imunisasi", "bayi", "spm kesehatan", "kecamatan"),
        summary=(f"Jumlah bayi sasaran dan bayi yang mendapat imunisasi dasar lengkap (IDL) per kecamatan di "
                 f"{region.label} tahun 2024. IDL adalah indikator Standar Pelayanan Minimal bidang kesehatan."),
        tables=(table(f"imunisasi_dasar_lengkap_{region.file_key}_2024.csv", "Imunisasi dasar lengkap per kecamatan",
                      "Sasaran dan capaian IDL.",
                      ("kode_wilayah", "kecamatan", "sasaran_bayi", "bayi_idl_laki_laki", "bayi_idl_perempuan",
                       "cakupan_idl_persen"), rows),),
        year=2024, urusan="Kesehatan", konsep="Imunisasi dasar lengkap",
        definisi=("Bayi usia 0–11 bulan yang telah mendapat satu dosis Hepatitis B, BCG, empat dosis polio, "
                  "tiga dosis DPT-HB-Hib dan satu dosis campak-rubela."),
        klasifikasi="Kecamatan; jenis kelamin", ukuran="Cakupan", satuan="persen",
        source="Laporan rutin imunisasi puskesmas (ASIK)", unit="Bidang Pencegahan dan Pengendalian Penyakit",
        priority=True, popularity=0.9,
    )


def stunting(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("stunting", region.kode)
    rows = []
    for k in p.kecamatan:
        measured = round(k.jumlah * r.uniform(0.068, 0.082))
        stunted = round(measured * r.uniform(0.045, 0.19))
        rows.append((k.kode, k.nama, measured, stunted, pct(stunted, measured)))
    return make_spec(
        region, "kesehatan",
        slug=f"prevalensi-stunting-kecamatan-{region.key}-2024",
        title=f"Prevalensi Balita Stunting menurut Kecamatan {region.label} 2024",
        topics=("kesehatan", "sosial"),
        tags=("stunting", "gizi", "balita", "kecamatan", "data prioritas"),
        summary=(f"Hasil pengukuran tinggi badan balita di posyandu {region.label} (bulan timbang Agustus 2024): "
                 "jumlah balita diukur, balita stunting dan prevalensinya per kecamatan. Dipakai untuk "
                 "menentukan lokus intervensi percepatan penurunan stunting."),
        tables=(table(f"prevalensi_stunting_kecamatan_{region.file_key}_2024.csv", "Balita stunting per kecamatan",
                      "Hasil bulan timbang Agustus 2024.",
                      ("kode_wilayah", "kecamatan", "balita_diukur", "balita_stunting", "prevalensi_stunting_persen"),
                      rows),),
        year=2024, period="Agustus 2024", urusan="Kesehatan", konsep="Stunting",
        definisi="Balita dengan nilai z-score tinggi badan menurut umur (TB/U) kurang dari -2 standar deviasi.",
        klasifikasi="Kecamatan", ukuran="Prevalensi", satuan="persen",
        source="Elektronik Pencatatan dan Pelaporan Gizi Berbasis Masyarakat (e-PPGBM)",
        unit="Seksi Kesehatan Keluarga dan Gizi", priority=True, popularity=1.7,
    )


# --------------------------------------------------------------------------- pendidikan


SCHOOL_LEVELS = ("PAUD/TK", "SD", "SMP", "SMA", "SMK")


@functools.cache
def schools(kode: str) -> tuple[tuple[str, str, int, int, int, int, int], ...]:
    """Schools per kecamatan: (kode, kecamatan, PAUD/TK, SD, SMP, SMA, SMK), in ``SCHOOL_LEVELS`` order."""
    r = rng("sekolah", kode)
    rows = []
    for k in profile(kode).kecamatan:
        sd = max(3, round(k.jumlah / r.uniform(1_350, 1_750)))
        smp = max(1, round(sd / r.uniform(2.6, 3.6)))
        sma = max(1, round(smp / r.uniform(2.2, 3.2)))
        smk = round(sma * r.uniform(0.2, 0.9))
        tk = round(sd * r.uniform(0.7, 1.3))
        rows.append((k.kode, k.nama, tk, sd, smp, sma, smk))
    return tuple(rows)


def sekolah(region: Region) -> DatasetSpec:
    rows = schools(region.kode)
    return make_spec(
        region, "pendidikan",
        slug=f"sekolah-kecamatan-jenjang-{region.key}-2025",
        title=f"Jumlah Sekolah menurut Kecamatan dan Jenjang Pendidikan {region.label} Tahun Ajaran 2025/2026",
        topics=("pendidikan",),
        tags=("sekolah", "pendidikan", "dapodik", "kecamatan"),
        summary=(f"Jumlah satuan pendidikan di {region.label} per kecamatan menurut jenjang, dari PAUD/TK sampai "
                 "SMA dan SMK (negeri dan swasta), tahun ajaran 2025/2026."),
        tables=(table(f"sekolah_kecamatan_jenjang_{region.file_key}_2025.csv", "Sekolah per kecamatan dan jenjang",
                      "Negeri dan swasta.", ("kode_wilayah", "kecamatan", "paud_tk", "sd", "smp", "sma", "smk"),
                      rows),),
        year=2025, period="Tahun Ajaran 2025/2026", urusan="Pendidikan", konsep="Satuan pendidikan",
        definisi="Kelompok layanan pendidikan yang menyelenggarakan pendidikan formal dan nonformal.",
        klasifikasi="Kecamatan; jenjang pendidikan", ukuran="Jumlah sekolah", satuan="unit",
        source="Data Pokok Pendidikan (Dapodik), Kemendikdasmen", unit="Subbagian Program dan Data",
        method=CollectionMethod.KOMPILASI, popularity=1.8,
    )


def guru_murid(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("guru", region.kode)
    school_age = {"PAUD/TK": 0.045, "SD": 0.125, "SMP": 0.058, "SMA": 0.03, "SMK": 0.022}
    per_teacher = {"PAUD/TK": 11, "SD": 17, "SMP": 16, "SMA": 17, "SMK": 15}
    rows = []
    for i, level in enumerate(SCHOOL_LEVELS):
        n_schools = sum(int(row[2 + i]) for row in schools(region.kode))  # the same schools as the kecamatan table
        murid = round(p.jumlah * school_age[level] * r.uniform(0.93, 1.02))
        guru = round(murid / (per_teacher[level] * r.uniform(0.9, 1.1)))
        rows.append((level, n_schools, guru, murid, dec(murid / guru, 1)))
    return make_spec(
        region, "pendidikan",
        slug=f"sekolah-guru-murid-jenjang-{region.key}-2025",
        title=f"Jumlah Sekolah, Guru dan Murid menurut Jenjang Pendidikan {region.label} 2025",
        topics=("pendidikan",),
        tags=("guru", "murid", "rasio murid guru", "pendidikan"),
        summary=(f"Jumlah sekolah, guru dan peserta didik di {region.label} menurut jenjang pendidikan, dengan "
                 "rasio murid per guru, tahun ajaran 2025/2026."),
        tables=(table(f"sekolah_guru_murid_{region.file_key}_2025.csv", "Sekolah, guru dan murid per jenjang",
                      "Negeri dan swasta.", ("jenjang", "sekolah", "guru", "murid", "rasio_murid_guru"), rows),),
        year=2025, period="Tahun Ajaran 2025/2026", level=KAB, urusan="Pendidikan",
        konsep="Guru dan peserta didik",
        definisi="Guru adalah pendidik profesional; peserta didik adalah murid terdaftar pada satuan pendidikan.",
        klasifikasi="Jenjang pendidikan", ukuran="Jumlah dan rasio", satuan="orang; unit",
        source="Data Pokok Pendidikan (Dapodik), Kemendikdasmen", unit="Subbagian Program dan Data",
        method=CollectionMethod.KOMPILASI, popularity=1.1,
    )


# --------------------------------------------------------------------------- pertanian


def padi(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("padi", region.kode)
    weights = [PADI_WEIGHT[region.kode].get(k.nama, 0.0) * r.uniform(0.8, 1.2) for k in p.kecamatan]
    harvest = spread(PADI_HARVEST_HA[region.kode], weights)
    rows = []
    for k, ha in zip(p.kecamatan, harvest, strict=True):
        yield_ku = r.uniform(36.5, 44.0) if ha else 0.0
        rows.append((k.kode, k.nama, round(ha * r.uniform(1.02, 1.12)) if ha else 0, ha, dec(yield_ku),
                     round(ha * yield_ku / 10)))
    total_ton = sum(int(row[5]) for row in rows)
    years = range(2019, 2025)
    trend = []
    for i, year in enumerate(years):
        if year == 2024:
            trend.append((year, PADI_HARVEST_HA[region.kode], total_ton))
            continue
        ha = round(PADI_HARVEST_HA[region.kode] * (0.9 + 0.02 * i) * r.uniform(0.95, 1.05))
        trend.append((year, ha, round(ha * r.uniform(3.65, 4.2))))
    return make_spec(
        region, "pertanian",
        slug=f"produksi-padi-kecamatan-{region.key}-2024",
        title=f"Luas Panen, Produktivitas dan Produksi Padi menurut Kecamatan {region.label} 2024",
        topics=("pertanian", "ekonomi"),
        tags=("padi", "tanaman pangan", "produksi", "ketahanan pangan", "kecamatan"),
        summary=(f"Luas tanam, luas panen, produktivitas dan produksi padi (gabah kering giling) per kecamatan di "
                 f"{region.label} tahun 2024, dan perkembangan luas panen serta produksi 2019–2024. Produksi "
                 f"2024: **{angka(total_ton)} ton GKG**."),
        tables=(
            table(f"produksi_padi_kecamatan_{region.file_key}_2024.csv", "Padi per kecamatan 2024", "Luas dan produksi.",
                  ("kode_wilayah", "kecamatan", "luas_tanam_ha", "luas_panen_ha", "produktivitas_ku_per_ha",
                   "produksi_ton_gkg"), rows),
            table(f"produksi_padi_tahunan_{region.file_key}_2019_2024.csv", "Perkembangan produksi padi 2019–2024",
                  "Seluruh kabupaten per tahun.", ("tahun", "luas_panen_ha", "produksi_ton_gkg"), trend),
        ),
        year=2024, period="2019–2024", urusan="Pertanian", konsep="Produksi padi",
        definisi="Produksi padi adalah hasil luas panen dikali produktivitas, dalam bentuk gabah kering giling.",
        klasifikasi="Kecamatan; tahun", ukuran="Luas, produktivitas, produksi", satuan="ha; ku/ha; ton",
        source="Statistik Pertanian (SP) dan Kerangka Sampel Area (KSA) padi", unit="Bidang Tanaman Pangan",
        method=CollectionMethod.SURVEI, priority=True, popularity=1.3,
    )


def sawit_rakyat(region: Region) -> DatasetSpec:
    rows = [(s.kode, s.nama, s.tbm_ha, s.tm_ha, s.ttm_ha, s.jumlah_ha, s.produksi_ton_tbs, s.petani_kk)
            for s in sawit(region.kode)]
    area = sum(int(row[5]) for row in rows)
    return make_spec(
        region, "pertanian",
        slug=f"kelapa-sawit-rakyat-kecamatan-{region.key}-2024",
        title=f"Luas Areal dan Produksi Kelapa Sawit Perkebunan Rakyat menurut Kecamatan {region.label} 2024",
        topics=("pertanian", "ekonomi"),
        tags=("kelapa sawit", "perkebunan", "perkebunan rakyat", "komoditas", "kecamatan"),
        summary=(f"Luas areal kelapa sawit perkebunan rakyat di {region.label} per kecamatan menurut keadaan "
                 f"tanaman (belum menghasilkan, menghasilkan, rusak), produksi tandan buah segar dan jumlah "
                 f"petani pekebun tahun 2024. Luas seluruhnya **{angka(area)} ha**."),
        tables=(table(f"kelapa_sawit_rakyat_kecamatan_{region.file_key}_2024.csv", "Kelapa sawit rakyat per kecamatan",
                      "Areal menurut keadaan tanaman dan produksi TBS.",
                      ("kode_wilayah", "kecamatan", "tbm_ha", "tm_ha", "ttm_ha", "jumlah_ha", "produksi_ton_tbs",
                       "petani_kk"), rows),),
        year=2024, urusan="Pertanian", konsep="Perkebunan rakyat",
        definisi="Perkebunan yang diusahakan oleh rakyat/pekebun, tidak berbadan hukum.",
        klasifikasi="Kecamatan; keadaan tanaman (TBM, TM, TTM)", ukuran="Luas areal dan produksi", satuan="ha; ton",
        source="Statistik Perkebunan (laporan SPR) Dinas", unit="Bidang Perkebunan",
        method=CollectionMethod.SURVEI, popularity=1.6, licence="cc-by-sa-4.0",
    )


# --------------------------------------------------------------------------- infrastruktur

ROAD_KM = {"14.07": 2_436.8, "14.05": 2_118.4, "14.72": 712.6}


def jalan(region: Region) -> DatasetSpec:
    r = rng("jalan", region.kode)
    total = ROAD_KM[region.kode]
    rows = []
    good, fair, light = r.uniform(0.34, 0.42), r.uniform(0.2, 0.26), r.uniform(0.14, 0.18)
    for i, year in enumerate(range(2020, 2026)):
        length = total * (0.965 + 0.007 * i)
        good_share = good + 0.018 * i + r.uniform(-0.008, 0.008)
        fair_share = fair + 0.004 * i + r.uniform(-0.006, 0.006)
        light_share = light - 0.003 * i + r.uniform(-0.005, 0.005)
        heavy = max(0.04, 1 - good_share - fair_share - light_share)
        shares = [good_share, fair_share, light_share, heavy]
        km = [length * s / sum(shares) for s in shares]
        rows.append((year, dec(km[0]), dec(km[1]), dec(km[2]), dec(km[3]), dec(length), pct(km[0] + km[1], length)))
    level = "Kota" if region.kind == OrganizationKind.KOTA else "Kabupaten"
    return make_spec(
        region, "pu",
        slug=f"kondisi-jalan-{region.key}-2020-2025",
        title=f"Panjang Jalan {level} menurut Kondisi Jalan {region.label} 2020–2025",
        topics=("infrastruktur",),
        tags=("jalan", "kondisi jalan", "jalan mantap", "infrastruktur"),
        summary=(f"Panjang jalan berstatus jalan {level.lower()} di {region.label} menurut kondisi (baik, sedang, "
                 "rusak ringan, rusak berat) dan persentase kemantapan jalan, 2020–2025, hasil survei kondisi "
                 "jalan tahunan."),
        tables=(table(f"kondisi_jalan_{region.file_key}_2020_2025.csv", "Kondisi jalan per tahun",
                      "Panjang jalan menurut kondisi.",
                      ("tahun", "baik_km", "sedang_km", "rusak_ringan_km", "rusak_berat_km", "panjang_total_km",
                       "persentase_mantap"), rows),),
        year=2025, period="2020–2025", level=KAB, urusan="Pekerjaan Umum dan Penataan Ruang",
        konsep="Kondisi jalan",
        definisi="Jalan mantap adalah jalan dengan kondisi baik dan sedang yang dapat dilalui kendaraan dengan lancar.",
        klasifikasi="Tahun; kondisi jalan (baik, sedang, rusak ringan, rusak berat)", ukuran="Panjang jalan",
        satuan="km", source="Survei kondisi jalan (Road Condition Survey) Dinas PUPR", unit="Bidang Bina Marga",
        method=CollectionMethod.SURVEI, popularity=1.0,
    )


# --------------------------------------------------------------------------- keuangan daerah

APBD_BELANJA_RP = {"14.07": 2_316_400_000_000, "14.05": 1_986_750_000_000, "14.72": 1_318_900_000_000}
OPD_BUDGET_SHARE = {"pendidikan": 22.0, "kesehatan": 12.5, "pu": 14.0, "keuangan": 4.0, "perencanaan": 1.2,
                    "kependudukan": 0.9, "sosial": 1.3, "kominfo": 1.0, "pertanian": 2.4, "lingkungan": 2.2}
OTHER_UNITS = (("Sekretariat Daerah", 6.5), ("Sekretariat DPRD", 4.2), ("Inspektorat", 0.8),
               ("Rumah Sakit Umum Daerah", 9.0), ("Badan Kepegawaian dan Pengembangan SDM", 0.7),
               ("Satuan Polisi Pamong Praja dan Pemadam Kebakaran", 1.6), ("Kecamatan se-", 3.1))


def apbd(region: Region) -> DatasetSpec:
    r = rng("apbd", region.kode)
    units = [(f"{o.name} {region.label}", OPD_BUDGET_SHARE.get(o.role, 1.0)) for o in OPDS[region.key]]
    units += [(f"{name}{region.label}" if name.endswith("-") else f"{name} {region.label}", share)
              for name, share in OTHER_UNITS]
    budgets = spread(APBD_BELANJA_RP[region.kode] / 1_000_000, [s * r.uniform(0.9, 1.1) for _, s in units])
    rows = []
    for (name, _), budget in zip(units, budgets, strict=True):
        budget_rp = budget * 1_000_000
        spent = round(budget_rp * r.uniform(0.78, 0.97) / 1000) * 1000
        rows.append((name, budget_rp, spent, pct(spent, budget_rp)))
    rows.sort(key=lambda row: -int(row[1]))
    tables = [table(f"realisasi_belanja_opd_{region.file_key}_2025.csv", "Realisasi belanja per perangkat daerah",
                    "Anggaran setelah perubahan dan realisasi.",
                    ("perangkat_daerah", "anggaran_rp", "realisasi_rp", "persentase_realisasi"), rows)]
    if region is ROKAN_HILIR:
        income = (("Pajak Daerah", 4.1), ("Retribusi Daerah", 0.6), ("Hasil Pengelolaan Kekayaan Daerah yang Dipisahkan", 0.5),
                  ("Lain-lain PAD yang Sah", 2.3), ("Dana Alokasi Umum", 38.5), ("Dana Bagi Hasil", 36.0),
                  ("Dana Alokasi Khusus", 9.4), ("Dana Desa", 7.1), ("Pendapatan Lain-lain yang Sah", 1.5))
        amounts = spread(APBD_BELANJA_RP[region.kode] * 0.97 / 1_000_000, [s for _, s in income])
        income_rows = []
        for (name, _), amount in zip(income, amounts, strict=True):
            budget_rp = amount * 1_000_000
            got = round(budget_rp * r.uniform(0.84, 1.06) / 1000) * 1000
            income_rows.append((name, budget_rp, got, pct(got, budget_rp)))
        tables.append(table(f"realisasi_pendapatan_{region.file_key}_2025.csv", "Realisasi pendapatan daerah",
                            "Menurut jenis pendapatan.", ("uraian", "anggaran_rp", "realisasi_rp", "persentase_realisasi"),
                            income_rows))
    spent_total = sum(int(row[2]) for row in rows)
    return make_spec(
        region, "keuangan",
        slug=f"realisasi-apbd-{region.key}-2025",
        title=f"Realisasi Anggaran Pendapatan dan Belanja Daerah {region.label} Tahun Anggaran 2025",
        topics=("keuangan-daerah",),
        tags=("apbd", "realisasi anggaran", "belanja daerah", "keuangan daerah", "transparansi"),
        summary=(f"Anggaran belanja setelah perubahan dan realisasinya per perangkat daerah {region.label} tahun "
                 f"anggaran 2025 (belum diaudit BPK). Realisasi belanja seluruhnya Rp{desimal(spent_total / 1e9, 1)} "
                 "miliar."),
        tables=tuple(tables),
        year=2025, period="Tahun Anggaran 2025", level=KAB,
        urusan="Unsur Penunjang Urusan Pemerintahan — Keuangan", konsep="Realisasi APBD",
        definisi="Realisasi adalah belanja yang telah dibayarkan dari Rekening Kas Umum Daerah sampai 31 Desember.",
        klasifikasi="Perangkat daerah; jenis pendapatan", ukuran="Nilai anggaran dan realisasi", satuan="rupiah",
        source="Sistem Informasi Pemerintahan Daerah (SIPD) — Laporan Realisasi Anggaran",
        unit="Bidang Akuntansi dan Pelaporan", kind=DataKind.KEUANGAN, status=DataStatus.SEMENTARA,
        licence="other-open" if region is DUMAI else "cc-by-4.0", popularity=1.5,
    )


# --------------------------------------------------------------------------- sosial, ekonomi

POVERTY = {"14.07": (7.12, 6.31), "14.05": (9.72, 8.64), "14.72": (3.58, 3.02)}
POVERTY_LINE_2019 = {"14.07": 488_200, "14.05": 512_900, "14.72": 603_400}


def bansos(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("bansos", region.kode)
    rows = []
    for k in p.kecamatan:
        households = k.jumlah / 3.9
        poor = POVERTY[region.kode][1] / 100 * r.uniform(0.8, 1.3)
        rows.append((k.kode, k.nama, round(households * poor * r.uniform(0.55, 0.75)),
                     round(households * poor * r.uniform(1.2, 1.6)), round(k.jumlah * r.uniform(0.16, 0.24))))
    return make_spec(
        region, "sosial",
        slug=f"penerima-bansos-kecamatan-{region.key}-2025",
        title=f"Jumlah Keluarga Penerima Bantuan Sosial PKH dan Sembako menurut Kecamatan {region.label} 2025",
        topics=("sosial",),
        tags=("bantuan sosial", "pkh", "sembako", "dtsen", "kecamatan"),
        summary=(f"Keluarga penerima manfaat (KPM) Program Keluarga Harapan dan Program Sembako, serta penduduk "
                 f"penerima bantuan iuran JKN per kecamatan {region.label}, penyaluran Triwulan III 2025."),
        tables=(table(f"penerima_bansos_kecamatan_{region.file_key}_2025.csv", "Penerima bantuan sosial per kecamatan",
                      "KPM PKH, KPM Sembako dan PBI JKN.",
                      ("kode_wilayah", "kecamatan", "kpm_pkh", "kpm_sembako", "pbi_jkn_jiwa"), rows),),
        year=2025, period="Triwulan III 2025", frequency=Frequency.TRIWULANAN, urusan="Sosial",
        konsep="Keluarga penerima manfaat",
        definisi="Keluarga yang ditetapkan sebagai penerima bantuan sosial berdasarkan data terpadu (DTSEN).",
        klasifikasi="Kecamatan; jenis program", ukuran="Jumlah penerima", satuan="keluarga; jiwa",
        source="Data Tunggal Sosial dan Ekonomi Nasional (DTSEN) dan SIKS-NG Kementerian Sosial",
        unit="Bidang Perlindungan dan Jaminan Sosial", method=CollectionMethod.KOMPILASI,
        status=DataStatus.SEMENTARA, popularity=1.2,
    )


def kemiskinan(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("miskin-tabel", region.kode)
    years = list(range(2019, 2026))
    rates = poverty_series(region.kode, *POVERTY[region.kode], years)
    rows = []
    line = POVERTY_LINE_2019[region.kode]
    for i, (year, rate) in enumerate(zip(years, rates, strict=True)):
        population = p.jumlah / (1.016 ** (2025 - year))
        p1 = rate * r.uniform(0.14, 0.18)
        rows.append((year, dec(rate), round(population * rate / 100), round(line * (1.055 ** i) / 100) * 100,
                     dec(p1), dec(p1 * r.uniform(0.22, 0.3))))
    return make_spec(
        region, "perencanaan",
        slug=f"penduduk-miskin-{region.key}-2019-2025",
        title=f"Jumlah dan Persentase Penduduk Miskin {region.label} 2019–2025",
        topics=("sosial", "ekonomi"),
        tags=("kemiskinan", "penduduk miskin", "garis kemiskinan", "indikator makro", "penduduk"),
        summary=(f"Perkembangan kemiskinan di {region.label} 2019–2025 (kondisi Maret): jumlah dan persentase "
                 f"penduduk miskin, garis kemiskinan, serta indeks kedalaman (P1) dan keparahan (P2). Persentase "
                 f"penduduk miskin turun dari {desimal(rates[0])}% (2019) menjadi {desimal(rates[-1])}% (2025)."),
        tables=(table(f"penduduk_miskin_{region.file_key}_2019_2025.csv", "Kemiskinan per tahun", "Kondisi Maret.",
                      ("tahun", "persentase_penduduk_miskin", "jumlah_penduduk_miskin_jiwa", "garis_kemiskinan_rp",
                       "indeks_kedalaman_p1", "indeks_keparahan_p2"), rows),),
        year=2025, period="2019–2025", level=KAB, urusan="Unsur Penunjang Urusan Pemerintahan — Perencanaan",
        konsep="Kemiskinan (pendekatan kebutuhan dasar)",
        definisi=("Penduduk miskin adalah penduduk yang memiliki rata-rata pengeluaran per kapita per bulan di "
                  "bawah garis kemiskinan."),
        klasifikasi="Tahun", ukuran="Jumlah, persentase, indeks", satuan="jiwa; persen; rupiah/kapita/bulan",
        source="Badan Pusat Statistik, Survei Sosial Ekonomi Nasional (Susenas) Maret, dihimpun Bappeda",
        unit="Bidang Perencanaan, Pengendalian dan Evaluasi", method=CollectionMethod.KOMPILASI,
        priority=True, popularity=2.4,
    )


PDRB_ADHB_2024 = {"14.05": 61_480.0, "14.72": 47_210.0}
SECTORS = (
    ("A. Pertanian, Kehutanan, dan Perikanan", {"14.05": 28.0, "14.72": 4.0}),
    ("B. Pertambangan dan Penggalian", {"14.05": 3.5, "14.72": 1.0}),
    ("C. Industri Pengolahan", {"14.05": 44.0, "14.72": 52.0}),
    ("D. Pengadaan Listrik dan Gas", {"14.05": 0.1, "14.72": 0.1}),
    ("E. Pengadaan Air, Pengelolaan Sampah, Limbah dan Daur Ulang", {"14.05": 0.05, "14.72": 0.06}),
    ("F. Konstruksi", {"14.05": 6.5, "14.72": 8.0}),
    ("G. Perdagangan Besar dan Eceran; Reparasi Mobil dan Sepeda Motor", {"14.05": 8.0, "14.72": 12.0}),
    ("H. Transportasi dan Pergudangan", {"14.05": 1.2, "14.72": 7.5}),
    ("I. Penyediaan Akomodasi dan Makan Minum", {"14.05": 0.6, "14.72": 1.4}),
    ("J. Informasi dan Komunikasi", {"14.05": 0.6, "14.72": 1.1}),
    ("K. Jasa Keuangan dan Asuransi", {"14.05": 0.9, "14.72": 1.6}),
    ("L. Real Estat", {"14.05": 1.3, "14.72": 2.3}),
    ("M,N. Jasa Perusahaan", {"14.05": 0.2, "14.72": 0.5}),
    ("O. Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib", {"14.05": 2.3, "14.72": 4.3}),
    ("P. Jasa Pendidikan", {"14.05": 1.4, "14.72": 2.1}),
    ("Q. Jasa Kesehatan dan Kegiatan Sosial", {"14.05": 0.5, "14.72": 0.9}),
    ("R,S,T,U. Jasa Lainnya", {"14.05": 0.25, "14.72": 0.4}),
)


def pdrb(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("pdrb", region.kode)
    latest = PDRB_ADHB_2024[region.kode]
    series = []
    for year in range(2020, 2025):
        back = 2024 - year
        adhb = latest / (1.072 ** back) * r.uniform(0.98, 1.02)
        adhk = adhb * (0.52 + 0.012 * (year - 2020))
        growth = -1.3 if year == 2020 else r.uniform(2.9, 4.8)
        per_capita = adhb * 1000 / (p.jumlah / (1.016 ** (2025 - year)))
        series.append((year, dec(adhb), dec(adhk), dec(growth), dec(per_capita)))
    shares = [w[region.kode] * r.uniform(0.95, 1.05) for _, w in SECTORS]
    values = spread(latest * 100, shares)
    sectors = [(name, dec(v / 100), pct(v, sum(values))) for (name, _), v in zip(SECTORS, values, strict=True)]
    return make_spec(
        region, "perencanaan",
        slug=f"pdrb-lapangan-usaha-{region.key}-2020-2024",
        title=f"Produk Domestik Regional Bruto menurut Lapangan Usaha {region.label} 2020–2024",
        topics=("ekonomi",),
        tags=("pdrb", "pertumbuhan ekonomi", "lapangan usaha", "indikator makro"),
        summary=(f"PDRB {region.label} atas dasar harga berlaku dan konstan 2010, laju pertumbuhan ekonomi dan "
                 "PDRB per kapita 2020–2024, serta struktur ekonomi menurut 17 kategori lapangan usaha tahun 2024."),
        tables=(
            table(f"pdrb_{region.file_key}_2020_2024.csv", "PDRB dan pertumbuhan ekonomi per tahun", "Seri 2010=100.",
                  ("tahun", "pdrb_adhb_miliar_rp", "pdrb_adhk_miliar_rp", "laju_pertumbuhan_persen",
                   "pdrb_per_kapita_juta_rp"), series),
            table(f"pdrb_lapangan_usaha_{region.file_key}_2024.csv", "PDRB menurut lapangan usaha 2024",
                  "Atas dasar harga berlaku.", ("lapangan_usaha", "adhb_miliar_rp", "distribusi_persen"), sectors),
        ),
        year=2024, period="2020–2024", level=KAB, urusan="Unsur Penunjang Urusan Pemerintahan — Perencanaan",
        konsep="Produk Domestik Regional Bruto",
        definisi="Jumlah nilai tambah bruto yang dihasilkan seluruh unit usaha di suatu wilayah dalam satu tahun.",
        klasifikasi="Tahun; lapangan usaha (KBLI 2020, 17 kategori)", ukuran="Nilai tambah dan laju pertumbuhan",
        satuan="miliar rupiah; persen", source="Badan Pusat Statistik, dihimpun Bappeda",
        unit="Bidang Ekonomi dan Sumber Daya Alam", method=CollectionMethod.KOMPILASI, status=DataStatus.SEMENTARA,
        licence="odc-odbl" if region is DUMAI else "cc-by-4.0", popularity=1.3,
    )


# --------------------------------------------------------------------------- pemerintahan, lingkungan


def desa_kelurahan(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    summary_rows = [(k.kode, k.nama, len(k.desa), len(k.kelurahan), len(k.villages), dec(k.luas_km2))
                    for k in p.kecamatan]
    listing = []
    for k in p.kecamatan:
        kelurahan = {c for c, _ in k.kelurahan}
        listing += [(c, n, "Kelurahan" if c in kelurahan else "Desa", k.kode, k.nama) for c, n in k.villages]
    n_desa = sum(len(k.desa) for k in p.kecamatan)
    n_kel = sum(len(k.kelurahan) for k in p.kecamatan)
    return make_spec(
        region, "kominfo",
        slug=f"desa-kelurahan-kecamatan-{region.key}-2025",
        title=f"Jumlah Desa dan Kelurahan menurut Kecamatan {region.label} 2025",
        topics=("pemerintahan",),
        tags=("desa", "kelurahan", "kode wilayah", "wilayah administrasi", "kecamatan"),
        summary=(f"Wilayah administrasi {region.label}: {len(p.kecamatan)} kecamatan, {n_desa} desa dan {n_kel} "
                 "kelurahan menurut Keputusan Menteri Dalam Negeri No. 300.2.2-2430 Tahun 2025, dengan daftar "
                 "lengkap kode wilayah setiap desa/kelurahan. Data referensi untuk kolom kode wilayah."),
        tables=(
            table(f"desa_kelurahan_kecamatan_{region.file_key}_2025.csv", "Jumlah desa dan kelurahan per kecamatan",
                  "Menurut Kepmendagri 300.2.2-2430/2025.",
                  ("kode_wilayah", "kecamatan", "jumlah_desa", "jumlah_kelurahan", "jumlah_desa_kelurahan",
                   "luas_wilayah_km2"), summary_rows),
            table(f"daftar_desa_kelurahan_{region.file_key}_2025.csv", "Daftar desa dan kelurahan",
                  "Kode dan nama setiap desa/kelurahan.",
                  ("kode_wilayah", "nama_desa_kelurahan", "status", "kode_kecamatan", "kecamatan"), listing),
        ),
        year=2025, level=PresentationLevel.DESA, frequency=Frequency.TIDAK_TENTU,
        urusan="Pemerintahan Umum", konsep="Wilayah administrasi pemerintahan",
        definisi="Desa dan kelurahan adalah wilayah administrasi terendah di bawah kecamatan.",
        klasifikasi="Kecamatan; status (desa/kelurahan)", ukuran="Jumlah wilayah", satuan="wilayah",
        source="Kepmendagri No. 300.2.2-2430 Tahun 2025 (Kode Referensi Kemendagri)",
        unit="Bidang Statistik Sektoral", licence="cc-zero", popularity=0.9,
    )


def sampah(region: Region) -> DatasetSpec:
    p = profile(region.kode)
    r = rng("sampah", region.kode)
    rows = []
    for i, year in enumerate(range(2019, 2026)):
        population = p.jumlah / (1.016 ** (2025 - year))
        generated = population * 0.68 * 365 / 1000 * r.uniform(0.97, 1.03)
        managed_share = 0.52 + 0.035 * i + r.uniform(-0.015, 0.015)
        managed = generated * managed_share
        recycled = managed * (0.06 + 0.012 * i)
        rows.append((year, round(generated), round(managed), round(managed - recycled), round(recycled),
                     pct(managed, generated)))
    return make_spec(
        region, "lingkungan",
        slug=f"timbulan-pengelolaan-sampah-{region.key}-2019-2025",
        title=f"Timbulan dan Pengelolaan Sampah {region.label} 2019–2025",
        topics=("lingkungan-hidup",),
        tags=("sampah", "persampahan", "tpa", "daur ulang", "lingkungan"),
        summary=(f"Perkiraan timbulan sampah rumah tangga dan sejenisnya di {region.label}, sampah yang terkelola, "
                 "diangkut ke TPA dan didaur ulang, 2019–2025, sebagaimana dilaporkan ke SIPSN."),
        tables=(table(f"timbulan_sampah_{region.file_key}_2019_2025.csv", "Timbulan dan pengelolaan sampah per tahun",
                      "Ton per tahun.", ("tahun", "timbulan_ton", "terkelola_ton", "diangkut_ke_tpa_ton",
                                         "didaur_ulang_ton", "persentase_terkelola"), rows),),
        year=2025, period="2019–2025", level=KAB, urusan="Lingkungan Hidup", konsep="Timbulan sampah",
        definisi="Volume atau berat sampah yang dihasilkan dari sumber sampah per satuan waktu.",
        klasifikasi="Tahun; pengelolaan (diangkut ke TPA, didaur ulang)", ukuran="Berat sampah", satuan="ton",
        source="Sistem Informasi Pengelolaan Sampah Nasional (SIPSN)", unit="Bidang Pengelolaan Sampah",
        popularity=0.7,
    )


# --------------------------------------------------------------------------- the list

Template = Callable[[Region], DatasetSpec]

CORE: tuple[Template, ...] = (penduduk, kelahiran_kematian, faskes, sekolah, sawit_rakyat, jalan, apbd, bansos,
                              kemiskinan, desa_kelurahan)
EXTRA: dict[str, tuple[Template, ...]] = {
    ROKAN_HILIR.key: (padi, imunisasi, stunting, ktp_el),
    PELALAWAN.key: (padi, imunisasi, stunting, guru_murid, pdrb),
    DUMAI.key: (stunting, ktp_el, guru_murid, pdrb, sampah),
}


def published(region: Region) -> list[DatasetSpec]:
    """The published demo datasets of a kabupaten/kota."""
    return [make(region) for make in (*CORE, *EXTRA[region.key])]
