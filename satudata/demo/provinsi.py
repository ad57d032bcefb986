"""Demo datasets of Provinsi Riau: tables by kabupaten/kota, where Rokan Hilir, Pelalawan and
Dumai take their figures from the same profiles as their own datasets, so the two levels agree."""

from __future__ import annotations

from satudata import reference
from satudata.catalog.models import CollectionMethod, DataKind, DataStatus, Frequency, PresentationLevel
from satudata.demo.organizations import KABUPATEN_KOTA, RIAU
from satudata.demo.specs import DatasetSpec, make_spec
from satudata.demo.tables import MONTHS, angka, dec, desimal, pct, profile, rng, sawit, spread, table

KAB = PresentationLevel.KABUPATEN_KOTA
PROV = PresentationLevel.PROVINSI

# 2025 population of the kabupaten/kota without a demo profile (round figures of the right size).
OTHER_POPULATION = {"14.01": 881_300, "14.02": 462_800, "14.03": 591_700, "14.04": 683_900, "14.06": 584_200,
                    "14.08": 482_600, "14.09": 348_900, "14.10": 212_400, "14.71": 1_128_600}
DEMO_KODE = {region.kode for region in KABUPATEN_KOTA}


def kabupaten_kota() -> list[tuple[str, str]]:
    """(kode, nama) of Riau's kabupaten/kota from the reference list."""
    return [(kode, reference.name(kode) or kode) for kode in reference.children(RIAU.kode)]


def population(kode: str) -> tuple[int, int]:
    """(male, female) in 2025."""
    if kode in DEMO_KODE:
        p = profile(kode)
        return p.laki_laki, p.perempuan
    total = OTHER_POPULATION[kode]
    male = round(total * rng("prov-penduduk", kode).uniform(0.507, 0.518))
    return male, total - male


def penduduk() -> DatasetSpec:
    rows = []
    for kode, nama in kabupaten_kota():
        male, female = population(kode)
        rows.append((kode, nama, male, female, male + female, dec(100 * male / female, 1)))
    total = sum(int(row[4]) for row in rows)
    return make_spec(
        RIAU, "kominfo",
        slug="penduduk-kabupaten-kota-jenis-kelamin-riau-2025",
        title="Jumlah Penduduk menurut Kabupaten/Kota dan Jenis Kelamin Provinsi Riau 2025",
        topics=("kependudukan",),
        tags=("penduduk", "kependudukan", "jenis kelamin", "kabupaten/kota"),
        summary=(f"Jumlah penduduk Provinsi Riau per kabupaten/kota menurut jenis kelamin, Semester II 2025: "
                 f"**{angka(total)} jiwa** di 12 kabupaten/kota. Angka Kabupaten Rokan Hilir, Kabupaten Pelalawan "
                 "dan Kota Dumai sama dengan dataset kecamatan masing-masing daerah."),
        tables=(table("penduduk_kabupaten_kota_riau_2025.csv", "Penduduk per kabupaten/kota",
                      "Semester II 2025.", ("kode_wilayah", "kabupaten_kota", "laki_laki", "perempuan", "jumlah",
                                            "rasio_jenis_kelamin"), rows),),
        year=2025, period="Semester II 2025", frequency=Frequency.SEMESTERAN, level=KAB,
        urusan="Administrasi Kependudukan dan Pencatatan Sipil", konsep="Penduduk",
        definisi="Warga Negara Indonesia dan Orang Asing yang bertempat tinggal di Indonesia (UU 24/2013).",
        klasifikasi="Kabupaten/kota (Kemendagri); jenis kelamin", ukuran="Jumlah penduduk", satuan="jiwa",
        source="Data Konsolidasi Bersih (DKB) Semester II 2025, dihimpun Diskominfotik",
        unit="Bidang Statistik", method=CollectionMethod.KOMPILASI, priority=True, popularity=3.0,
    )


# Smallholder area of the other kabupaten/kota, and large estates (state, private) everywhere.
SAWIT_PR_OTHER = {"14.01": 231_400, "14.02": 118_700, "14.03": 162_300, "14.04": 141_900, "14.06": 246_800,
                  "14.08": 149_600, "14.09": 82_300, "14.10": 0, "14.71": 9_800}
SAWIT_ESTATES = {"14.01": (38_600, 151_200), "14.02": (9_400, 104_800), "14.03": (6_100, 58_700),
                 "14.04": (0, 88_300), "14.05": (11_200, 172_400), "14.06": (22_900, 184_600),
                 "14.07": (4_300, 126_900), "14.08": (10_800, 171_300), "14.09": (3_700, 62_900),
                 "14.10": (0, 0), "14.71": (0, 1_200), "14.72": (0, 9_700)}


def sawit_provinsi() -> DatasetSpec:
    r = rng("prov-sawit")
    rows = []
    for kode, nama in kabupaten_kota():
        rakyat = sum(s.jumlah_ha for s in sawit(kode)) if kode in DEMO_KODE else SAWIT_PR_OTHER[kode]
        negara, swasta = SAWIT_ESTATES[kode]
        total = rakyat + negara + swasta
        rows.append((kode, nama, rakyat, negara, swasta, total, round(total * 0.86 * r.uniform(3.3, 3.9))))
    return make_spec(
        RIAU, "perkebunan",
        slug="kelapa-sawit-kabupaten-kota-riau-2024",
        title="Luas Areal dan Produksi Kelapa Sawit menurut Kabupaten/Kota dan Status Pengusahaan Provinsi Riau 2024",
        topics=("pertanian", "ekonomi"),
        tags=("kelapa sawit", "perkebunan", "cpo", "komoditas", "kabupaten/kota"),
        summary=("Luas areal kelapa sawit Provinsi Riau per kabupaten/kota menurut status pengusahaan (perkebunan "
                 "rakyat, besar negara, besar swasta) dan produksi minyak sawit (CPO) tahun 2024. Riau adalah "
                 "provinsi dengan kebun sawit terluas di Indonesia."),
        tables=(table("kelapa_sawit_kabupaten_kota_riau_2024.csv", "Kelapa sawit per kabupaten/kota",
                      "Menurut status pengusahaan.", ("kode_wilayah", "kabupaten_kota", "perkebunan_rakyat_ha",
                                                      "perkebunan_besar_negara_ha", "perkebunan_besar_swasta_ha",
                                                      "jumlah_ha", "produksi_ton_cpo"), rows),),
        year=2024, level=KAB, urusan="Pertanian", konsep="Perkebunan kelapa sawit",
        definisi="Areal tanaman kelapa sawit menurut status pengusahaan; produksi dalam bentuk minyak sawit mentah.",
        klasifikasi="Kabupaten/kota; status pengusahaan", ukuran="Luas areal dan produksi", satuan="ha; ton",
        source="Statistik Perkebunan Dinas Perkebunan Provinsi Riau", unit="Bidang Pengembangan Komoditi",
        method=CollectionMethod.SURVEI, priority=True, popularity=2.2,
    )


HOTSPOT_SHAPE = (35, 140, 210, 60, 45, 120, 340, 420, 180, 40, 15, 10)


def titik_panas() -> DatasetSpec:
    r = rng("prov-hotspot")
    rows = []
    for i, (month, base) in enumerate(zip(MONTHS, HOTSPOT_SHAPE, strict=True)):
        total = round(base * r.uniform(0.75, 1.25))
        high = round(total * r.uniform(0.18, 0.34))
        rows.append((f"2025-{i + 1:02d}", month, high, total - high, total))
    return make_spec(
        RIAU, "lingkungan",
        slug="titik-panas-bulanan-riau-2025",
        title="Jumlah Titik Panas (Hotspot) menurut Bulan Provinsi Riau 2025",
        topics=("lingkungan-hidup",),
        tags=("titik panas", "hotspot", "karhutla", "kebakaran hutan", "lingkungan"),
        summary=("Jumlah titik panas yang terpantau satelit di wilayah Provinsi Riau setiap bulan pada 2025, menurut "
                 "tingkat kepercayaan. Puncaknya terjadi pada musim kemarau Februari–Maret dan Juli–September."),
        tables=(table("titik_panas_bulanan_riau_2025.csv", "Titik panas per bulan", "Tingkat kepercayaan ≥ 30%.",
                      ("bulan", "nama_bulan", "kepercayaan_tinggi", "kepercayaan_sedang", "jumlah"), rows),),
        year=2025, period="Januari–Desember 2025", frequency=Frequency.BULANAN, level=PROV,
        urusan="Lingkungan Hidup", konsep="Titik panas",
        definisi="Piksel citra satelit dengan suhu lebih tinggi dari sekitarnya, indikasi kebakaran hutan dan lahan.",
        klasifikasi="Bulan; tingkat kepercayaan (tinggi ≥ 80%, sedang 30–79%)", ukuran="Jumlah titik panas",
        satuan="titik", source="SiPongi+ Kementerian Lingkungan Hidup dan Kehutanan (satelit Terra/Aqua dan SNPP)",
        unit="Bidang Pengendalian Kebakaran Hutan dan Lahan", method=CollectionMethod.KOMPILASI,
        kind=DataKind.GEOSPASIAL, popularity=1.4,
    )


BURNED_HA = {2019: 90_550, 2020: 15_442, 2021: 8_960, 2022: 3_020, 2023: 4_870, 2024: 2_950, 2025: 3_410}
BURN_WEIGHT = {"14.07": 2.4, "14.03": 2.0, "14.05": 1.8, "14.04": 1.6, "14.10": 1.3, "14.08": 1.1, "14.72": 1.2,
               "14.01": 0.9, "14.02": 0.7, "14.06": 0.6, "14.09": 0.2, "14.71": 0.1}


def karhutla() -> DatasetSpec:
    r = rng("prov-karhutla")
    series = []
    for year, base in BURNED_HA.items():
        total = round(base * r.uniform(0.96, 1.04))
        peat = round(total * r.uniform(0.58, 0.76))
        series.append((year, total, total - peat, peat))
    burned_2025 = int(series[-1][1])
    areas = spread(burned_2025, [BURN_WEIGHT[k] * r.uniform(0.7, 1.3) for k, _ in kabupaten_kota()])
    per_kab = [(kode, nama, ha) for (kode, nama), ha in zip(kabupaten_kota(), areas, strict=True)]
    return make_spec(
        RIAU, "lingkungan",
        slug="luas-kebakaran-hutan-lahan-riau-2019-2025",
        title="Luas Kebakaran Hutan dan Lahan Provinsi Riau 2019–2025",
        topics=("lingkungan-hidup",),
        tags=("karhutla", "kebakaran hutan", "gambut", "lingkungan", "kabupaten/kota"),
        summary=("Luas kebakaran hutan dan lahan di Provinsi Riau 2019–2025 menurut jenis tanah (mineral dan gambut), "
                 "serta sebarannya per kabupaten/kota pada 2025. Luas terbakar turun tajam setelah kebakaran besar "
                 f"2019 ({angka(int(series[0][1]))} ha)."),
        tables=(
            table("luas_karhutla_riau_2019_2025.csv", "Luas kebakaran per tahun", "Menurut jenis tanah.",
                  ("tahun", "luas_terbakar_ha", "tanah_mineral_ha", "gambut_ha"), series),
            table("luas_karhutla_kabupaten_kota_riau_2025.csv", "Luas kebakaran per kabupaten/kota 2025",
                  "Hasil analisis areal terbakar.", ("kode_wilayah", "kabupaten_kota", "luas_terbakar_ha"), per_kab),
        ),
        year=2025, period="2019–2025", level=KAB, urusan="Lingkungan Hidup", konsep="Kebakaran hutan dan lahan",
        definisi="Areal hutan dan lahan yang terbakar, dihitung dari analisis citra satelit dan verifikasi lapangan.",
        klasifikasi="Tahun; jenis tanah; kabupaten/kota", ukuran="Luas terbakar", satuan="ha",
        source="Rekapitulasi luas kebakaran hutan dan lahan KLHK dan DLHK Provinsi Riau",
        unit="Bidang Pengendalian Kebakaran Hutan dan Lahan", method=CollectionMethod.KOMPILASI,
        kind=DataKind.GEOSPASIAL, priority=True, popularity=1.9,
    )


IPM_2020 = {"14.01": 72.81, "14.02": 70.04, "14.03": 73.47, "14.04": 67.52, "14.05": 71.32, "14.06": 70.61,
            "14.07": 69.19, "14.08": 73.93, "14.09": 70.12, "14.10": 66.13, "14.71": 81.32, "14.72": 74.53}


def ipm() -> DatasetSpec:
    r = rng("prov-ipm")
    years = range(2020, 2026)
    rows = []
    by_year: dict[int, list[float]] = {y: [] for y in years}
    for kode, nama in kabupaten_kota():
        value = IPM_2020[kode]
        values = []
        for year in years:
            if year > 2020:
                value += r.uniform(0.35, 0.78)
            values.append(value)
            by_year[year].append(value)
        rows.append((kode, nama, *[dec(v) for v in values]))
    province = [(y, dec(sum(v) / len(v) + 0.9)) for y, v in by_year.items()]
    return make_spec(
        RIAU, "perencanaan",
        slug="indeks-pembangunan-manusia-riau-2020-2025",
        title="Indeks Pembangunan Manusia menurut Kabupaten/Kota Provinsi Riau 2020–2025",
        topics=("sosial", "ekonomi"),
        tags=("ipm", "indeks pembangunan manusia", "indikator makro", "kabupaten/kota"),
        summary=("Indeks Pembangunan Manusia (IPM) Provinsi Riau dan 12 kabupaten/kota 2020–2025. IPM mengukur "
                 "capaian umur panjang dan hidup sehat, pengetahuan, dan standar hidup layak."),
        tables=(
            table("ipm_kabupaten_kota_riau_2020_2025.csv", "IPM per kabupaten/kota", "Metode baru.",
                  ("kode_wilayah", "kabupaten_kota", *[f"ipm_{y}" for y in years]), rows),
            table("ipm_provinsi_riau_2020_2025.csv", "IPM Provinsi Riau per tahun", "Metode baru.",
                  ("tahun", "ipm_provinsi_riau"), province),
        ),
        year=2025, period="2020–2025", level=KAB, urusan="Unsur Penunjang Urusan Pemerintahan — Perencanaan",
        konsep="Indeks Pembangunan Manusia",
        definisi="Rata-rata geometrik indeks kesehatan, indeks pendidikan dan indeks pengeluaran.",
        klasifikasi="Kabupaten/kota; tahun", ukuran="Indeks", satuan="indeks (0–100)",
        source="Badan Pusat Statistik, dihimpun Bappedalitbang", unit="Bidang Perencanaan Makro dan Evaluasi",
        method=CollectionMethod.KOMPILASI, priority=True, popularity=2.0,
    )


APBD_PROVINSI = (
    ("Pajak Daerah", "Pendapatan", 4_312.6), ("Retribusi Daerah", "Pendapatan", 58.4),
    ("Hasil Pengelolaan Kekayaan Daerah yang Dipisahkan", "Pendapatan", 352.8),
    ("Lain-lain Pendapatan Asli Daerah yang Sah", "Pendapatan", 611.5),
    ("Dana Alokasi Umum", "Pendapatan", 1_604.2), ("Dana Bagi Hasil", "Pendapatan", 2_214.9),
    ("Dana Alokasi Khusus", "Pendapatan", 1_138.7), ("Belanja Pegawai", "Belanja", 2_938.1),
    ("Belanja Barang dan Jasa", "Belanja", 3_124.6), ("Belanja Hibah", "Belanja", 1_206.3),
    ("Belanja Bantuan Sosial", "Belanja", 48.2), ("Belanja Modal", "Belanja", 1_417.9),
    ("Belanja Tidak Terduga", "Belanja", 52.0), ("Belanja Bagi Hasil", "Belanja", 1_512.4),
    ("Belanja Bantuan Keuangan", "Belanja", 398.5),
)


def apbd_provinsi() -> DatasetSpec:
    r = rng("prov-apbd")
    rows = []
    for uraian, kelompok, billions in APBD_PROVINSI:
        budget = round(billions * 1_000) * 1_000_000
        low, high = (0.88, 1.04) if kelompok == "Pendapatan" else (0.8, 0.96)
        spent = round(budget * r.uniform(low, high) / 1000) * 1000
        rows.append((uraian, kelompok, budget, spent, pct(spent, budget)))
    return make_spec(
        RIAU, "keuangan",
        slug="realisasi-apbd-provinsi-riau-2025",
        title="Realisasi Pendapatan dan Belanja Daerah Provinsi Riau Tahun Anggaran 2025",
        topics=("keuangan-daerah",),
        tags=("apbd", "realisasi anggaran", "pendapatan daerah", "belanja daerah", "transparansi"),
        summary=("Anggaran dan realisasi pendapatan serta belanja daerah Provinsi Riau tahun anggaran 2025 menurut "
                 "jenis, dari Laporan Realisasi Anggaran (belum diaudit)."),
        tables=(table("realisasi_apbd_provinsi_riau_2025.csv", "Realisasi APBD menurut jenis",
                      "Pendapatan dan belanja.", ("uraian", "kelompok", "anggaran_rp", "realisasi_rp",
                                                  "persentase_realisasi"), rows),),
        year=2025, period="Tahun Anggaran 2025", level=PROV, urusan="Unsur Penunjang Urusan Pemerintahan — Keuangan",
        konsep="Realisasi APBD", definisi="Pendapatan yang diterima dan belanja yang dibayarkan sampai 31 Desember.",
        klasifikasi="Kelompok dan jenis akun (Permendagri 90/2019)", ukuran="Nilai anggaran dan realisasi",
        satuan="rupiah", source="Laporan Realisasi Anggaran, SIPD", unit="Bidang Akuntansi",
        kind=DataKind.KEUANGAN, status=DataStatus.SEMENTARA, popularity=1.6,
    )


def sma_smk() -> DatasetSpec:
    r = rng("prov-sma")
    rows = []
    for kode, nama in kabupaten_kota():
        pop = sum(population(kode))
        rows.append((kode, nama, round(pop / r.uniform(26_000, 34_000)), round(pop / r.uniform(36_000, 52_000)),
                     round(pop / r.uniform(55_000, 75_000)), round(pop / r.uniform(30_000, 45_000)),
                     1 + (pop > 600_000), r.randint(0, 3)))
    return make_spec(
        RIAU, "pendidikan",
        slug="sma-smk-slb-kabupaten-kota-riau-2025",
        title="Jumlah SMA, SMK dan SLB menurut Kabupaten/Kota dan Status Sekolah Provinsi Riau 2025",
        topics=("pendidikan",),
        tags=("sma", "smk", "slb", "sekolah", "kabupaten/kota"),
        summary=("Jumlah sekolah menengah atas, sekolah menengah kejuruan dan sekolah luar biasa negeri dan swasta "
                 "per kabupaten/kota, kewenangan Pemerintah Provinsi Riau, tahun ajaran 2025/2026."),
        tables=(table("sma_smk_slb_kabupaten_kota_riau_2025.csv", "SMA, SMK dan SLB per kabupaten/kota",
                      "Negeri dan swasta.", ("kode_wilayah", "kabupaten_kota", "sma_negeri", "sma_swasta",
                                             "smk_negeri", "smk_swasta", "slb_negeri", "slb_swasta"), rows),),
        year=2025, period="Tahun Ajaran 2025/2026", level=KAB, urusan="Pendidikan",
        konsep="Satuan pendidikan menengah dan khusus",
        definisi="SMA, SMK dan SLB yang menjadi kewenangan pemerintah provinsi (UU 23/2014).",
        klasifikasi="Kabupaten/kota; jenjang; status sekolah", ukuran="Jumlah sekolah", satuan="unit",
        source="Data Pokok Pendidikan (Dapodik)", unit="Subbagian Perencanaan", method=CollectionMethod.KOMPILASI,
        popularity=1.2,
    )


def ppid_rekap() -> DatasetSpec:
    r = rng("prov-ppid")
    rows = []
    for i, year in enumerate(range(2020, 2026)):
        total = round((180 + 48 * i) * r.uniform(0.92, 1.08))
        full = round(total * r.uniform(0.6, 0.68))
        partial = round(total * r.uniform(0.12, 0.17))
        refused = round(total * r.uniform(0.03, 0.06))
        objections = round(total * r.uniform(0.02, 0.04))
        rows.append((year, total, full, partial, refused, total - full - partial - refused, objections,
                     max(0, objections // 3), dec(6.8 - 0.5 * i + r.uniform(-0.2, 0.2), 1)))
    return make_spec(
        RIAU, "kominfo",
        slug="rekapitulasi-permohonan-informasi-ppid-riau-2020-2025",
        title="Rekapitulasi Permohonan Informasi Publik PPID Provinsi Riau 2020–2025",
        topics=("pemerintahan",),
        tags=("ppid", "keterbukaan informasi", "permohonan informasi", "keberatan"),
        summary=("Jumlah permohonan informasi publik yang diterima PPID Provinsi Riau per tahun dan cara "
                 "penyelesaiannya (dikabulkan seluruhnya atau sebagian, ditolak, informasi tidak dikuasai), "
                 "keberatan, sengketa di Komisi Informasi, dan rata-rata waktu layanan, sesuai laporan tahunan "
                 "PPID (UU 14/2008, Perki 1/2021)."),
        tables=(table("rekap_permohonan_informasi_ppid_riau_2020_2025.csv", "Permohonan informasi per tahun",
                      "Laporan tahunan PPID.", ("tahun", "permohonan_masuk", "dikabulkan_seluruhnya",
                                                "dikabulkan_sebagian", "ditolak", "informasi_tidak_dikuasai",
                                                "keberatan", "sengketa_komisi_informasi",
                                                "rata_rata_waktu_layanan_hari_kerja"), rows),),
        year=2025, period="2020–2025", level=PROV, urusan="Komunikasi dan Informatika",
        konsep="Layanan informasi publik",
        definisi="Permohonan informasi publik yang diterima dan diselesaikan PPID dalam satu tahun.",
        klasifikasi="Tahun; jenis keputusan", ukuran="Jumlah permohonan; waktu layanan",
        satuan="permohonan; hari kerja", source="Laporan Tahunan Layanan Informasi Publik PPID Provinsi Riau",
        unit="Bidang Informasi dan Komunikasi Publik", popularity=0.6, licence="cc-by-sa-4.0",
    )


def tenaga_kesehatan() -> DatasetSpec:
    r = rng("prov-nakes")
    rows = []
    for kode, nama in kabupaten_kota():
        pop = sum(population(kode))
        city = 2.2 if kode == "14.71" else 1.0
        rows.append((kode, nama, round(pop / r.uniform(2_200, 2_900) * city ** 0.5),
                     round(pop / r.uniform(8_000, 12_000) * city), round(pop / r.uniform(11_000, 15_000)),
                     round(pop / r.uniform(480, 620)), round(pop / r.uniform(620, 780)),
                     round(pop / r.uniform(7_000, 9_500) * city ** 0.5), round(pop / r.uniform(8_000, 11_000))))
    doctors = sum(int(row[2]) for row in rows) / sum(sum(population(kode)) for kode, _ in kabupaten_kota())
    return make_spec(
        RIAU, "kesehatan",
        slug="tenaga-kesehatan-kabupaten-kota-riau-2024",
        title="Jumlah Tenaga Kesehatan menurut Jenis dan Kabupaten/Kota Provinsi Riau 2024",
        topics=("kesehatan",),
        tags=("tenaga kesehatan", "dokter", "perawat", "bidan", "kabupaten/kota"),
        summary=("Jumlah tenaga kesehatan di fasilitas pelayanan kesehatan per kabupaten/kota di Provinsi Riau "
                 "menurut jenis tenaga (dokter umum, dokter spesialis, dokter gigi, perawat, bidan, apoteker, "
                 f"tenaga gizi) tahun 2024. Rasio dokter umum Provinsi Riau sekitar {desimal(doctors * 1000)} per "
                 "1.000 penduduk."),
        tables=(table("tenaga_kesehatan_kabupaten_kota_riau_2024.csv", "Tenaga kesehatan per kabupaten/kota",
                      "Orang.", ("kode_wilayah", "kabupaten_kota", "dokter_umum", "dokter_spesialis", "dokter_gigi",
                                 "perawat", "bidan", "apoteker", "tenaga_gizi"), rows),),
        year=2024, level=KAB, urusan="Kesehatan", konsep="Sumber daya manusia kesehatan",
        definisi="Tenaga kesehatan yang bekerja di fasilitas pelayanan kesehatan (UU 17/2023).",
        klasifikasi="Kabupaten/kota; jenis tenaga kesehatan", ukuran="Jumlah tenaga", satuan="orang",
        source="Sistem Informasi SDM Kesehatan (SISDMK)", unit="Bidang Sumber Daya Kesehatan",
        method=CollectionMethod.KOMPILASI, popularity=1.1,
    )


def published() -> list[DatasetSpec]:
    """The published demo datasets of Provinsi Riau."""
    return [penduduk(), sawit_provinsi(), titik_panas(), karhutla(), ipm(), apbd_provinsi(), sma_smk(), ppid_rekap(),
            tenaga_kesehatan()]
