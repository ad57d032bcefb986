"""The BPS forms as data: every field of the MS-Keg, MS-Var and MS-Ind forms of Peraturan BPS
Nomor 5 Tahun 2020 (Petunjuk Teknis Metadata Statistik), with the form's numbering, its
Indonesian label, whether BPS marks it mandatory, and how it is filled in (free text, one
choice, several choices). The models, the forms, the completeness check, the XLSX layout and the
JSON export all read these lists, so a label or a numbering is written once.

Mandatory parts follow the forms: the activity's identity, blocks I–IV, VII and VIII of MS-Keg;
block V (Desain Sampel) only when the activity is a survey; the variable's name, concept,
definition, time reference and data type; an indicator's name, concept, definition,
interpretation, formula, measure and unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TEXT, TEXTAREA, CHOICE, MULTI = "text", "textarea", "choice", "multi"
MULTI_SEPARATOR = "; "
YA_TIDAK = ("Ya", "Tidak")
SURVEI = "Survei"


@dataclass(frozen=True)
class Field:
    """One field of a form: ``key`` (the column and the JSON key), its number on the BPS form
    (empty for the identity part), its label, its section (the form's block), whether BPS
    marks it mandatory, how it is filled in, and the choices of a choice field."""

    key: str
    number: str
    label: str
    section: str
    required: bool = False
    kind: str = TEXT
    choices: tuple[str, ...] = ()
    help: str = ""
    max_length: int = 4000

    @property
    def numbered_label(self) -> str:
        return f"{self.number}. {self.label}" if self.number else self.label


# --------------------------------------------------------------------------- MS-Keg

IDENTITAS = "Identitas Kegiatan Statistik"
BLOK_I = "Blok I. Penyelenggara"
BLOK_II = "Blok II. Penanggung Jawab"
BLOK_III = "Blok III. Perencanaan dan Persiapan"
BLOK_IV = "Blok IV. Desain Kegiatan"
BLOK_V = "Blok V. Desain Sampel"
BLOK_VI = "Blok VI. Penjaminan Kualitas"
BLOK_VII = "Blok VII. Pengolahan dan Analisis"
BLOK_VIII = "Blok VIII. Diseminasi Hasil"

KEG_SECTIONS = (IDENTITAS, BLOK_I, BLOK_II, BLOK_III, BLOK_IV, BLOK_V, BLOK_VI, BLOK_VII, BLOK_VIII)

CARA_PENGUMPULAN = ("Pencacahan lengkap", SURVEI, "Kompilasi produk administrasi", "Cara lain sesuai perkembangan TI")
FREKUENSI = ("Harian", "Mingguan", "Bulanan", "Triwulanan", "Empat bulanan", "Semesteran", "Tahunan",
             "Lebih dari dua tahun sekali", "Tidak tetap")
TINGKAT_PENYAJIAN = ("Nasional", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan", "Lainnya")

KEG_FIELDS: tuple[Field, ...] = (
    Field("judul_kegiatan", "", "Judul kegiatan", IDENTITAS, True, max_length=300),
    Field("tahun_kegiatan", "", "Tahun kegiatan", IDENTITAS, True, max_length=20),
    Field("cara_pengumpulan", "", "Cara pengumpulan data", IDENTITAS, True, CHOICE, CARA_PENGUMPULAN),
    Field("sektor_kegiatan", "", "Sektor kegiatan", IDENTITAS, True, max_length=255,
          help="Misalnya Kesehatan, Pendidikan, Kependudukan."),
    Field("kode_kegiatan", "", "Kode kegiatan (diberikan BPS)", IDENTITAS, max_length=50,
          help="Kosongkan bila kegiatan belum dilaporkan ke BPS."),
    Field("instansi_penyelenggara", "1.1", "Instansi penyelenggara", BLOK_I, True, max_length=300),
    Field("alamat_penyelenggara", "1.2", "Alamat lengkap instansi penyelenggara", BLOK_I, True, TEXTAREA,
          help="Alamat, telepon, faksimile dan email instansi."),
    Field("unit_eselon", "2.1", "Unit eselon penanggung jawab", BLOK_II, True, TEXTAREA,
          help="Unit eselon 1 dan eselon 2 (di daerah: perangkat daerah dan bidangnya)."),
    Field("penanggung_jawab_teknis", "2.2", "Penanggung jawab teknis", BLOK_II, True, TEXTAREA,
          help="Nama, jabatan, alamat, telepon dan email penanggung jawab teknis kegiatan."),
    Field("latar_belakang", "3.1", "Latar belakang kegiatan", BLOK_III, True, TEXTAREA,
          help="Mengapa kegiatan ini diselenggarakan: dasar hukum dan kebutuhan datanya."),
    Field("tujuan", "3.2", "Tujuan kegiatan", BLOK_III, True, TEXTAREA,
          help="Apa yang ingin dicapai, misalnya menyediakan data jumlah tenaga kesehatan per puskesmas."),
    Field("rencana_jadwal", "3.3", "Rencana jadwal kegiatan", BLOK_III, kind=TEXTAREA,
          help="Perencanaan, desain, pengumpulan data, pengolahan, analisis, diseminasi dan evaluasi: bulan dan tahun."),
    Field("variabel_dikumpulkan", "3.4", "Variabel (karakteristik) yang dikumpulkan", BLOK_III, True, TEXTAREA),
    Field("kegiatan_dilakukan", "4.1", "Kegiatan ini dilakukan", BLOK_IV, True, CHOICE, ("Hanya sekali", "Berulang")),
    Field("frekuensi_penyelenggaraan", "4.2", "Frekuensi penyelenggaraan", BLOK_IV, True, CHOICE, FREKUENSI),
    Field("tipe_pengumpulan", "4.3", "Tipe pengumpulan data", BLOK_IV, kind=CHOICE,
          choices=("Longitudinal panel", "Longitudinal cross sectional", "Cross sectional")),
    Field("cakupan_wilayah", "4.4", "Cakupan wilayah pengumpulan data", BLOK_IV, True, max_length=300),
    Field("metode_pengumpulan", "4.5", "Metode pengumpulan data", BLOK_IV, True, MULTI,
          ("Wawancara", "Mengisi kuesioner sendiri (swacacah)", "Pengamatan (observasi)",
           "Pengumpulan data sekunder", "Lainnya")),
    Field("sarana_pengumpulan", "4.6", "Sarana pengumpulan data", BLOK_IV, kind=MULTI,
          choices=("PAPI (kertas)", "CAPI", "CATI", "CAWI (daring)", "Surat (mail)", "Lainnya")),
    Field("unit_pengumpulan", "4.7", "Unit pengumpulan data", BLOK_IV, True, MULTI,
          ("Individu", "Rumah tangga", "Usaha/perusahaan", "Instansi/unit kerja", "Lainnya")),
    Field("jenis_rancangan_sampel", "5.1", "Jenis rancangan sampel", BLOK_V, kind=CHOICE,
          choices=("Single stage/phase", "Multi stage/phase")),
    Field("metode_pemilihan_sampel", "5.2", "Metode pemilihan sampel tahap terakhir", BLOK_V, kind=CHOICE,
          choices=("Sampel probabilitas", "Sampel nonprobabilitas", "Kombinasi")),
    Field("metode_sampel", "5.3", "Metode yang digunakan", BLOK_V, max_length=300,
          help="Misalnya simple random sampling, systematic sampling, PPS."),
    Field("kerangka_sampel", "5.4", "Kerangka sampel tahap terakhir", BLOK_V, kind=CHOICE,
          choices=("List frame", "Area frame", "List dan area frame")),
    Field("fraksi_sampel", "5.5", "Fraksi sampel keseluruhan", BLOK_V, max_length=100),
    Field("sampling_error", "5.6", "Nilai perkiraan sampling error variabel utama", BLOK_V, max_length=100),
    Field("unit_sampel", "5.7", "Unit sampel", BLOK_V, max_length=300),
    Field("unit_observasi", "5.8", "Unit observasi", BLOK_V, max_length=300),
    Field("uji_coba", "6.1", "Apakah melakukan uji coba (pilot test)?", BLOK_VI, kind=CHOICE, choices=YA_TIDAK),
    Field("metode_pemeriksaan_kualitas", "6.2", "Metode pemeriksaan kualitas pengumpulan data", BLOK_VI, True, MULTI,
          ("Kunjungan kembali (revisit)", "Supervisi", "Task force", "Pemeriksaan silang dengan sumber lain",
           "Lainnya")),
    Field("penyesuaian_nonrespon", "6.3", "Apakah melakukan penyesuaian nonrespon?", BLOK_VI, kind=CHOICE,
          choices=YA_TIDAK),
    Field("petugas_pengumpulan", "6.4", "Petugas pengumpulan data", BLOK_VI, kind=MULTI,
          choices=("Staf instansi penyelenggara", "Mitra/tenaga kontrak", "Staf instansi dan mitra")),
    Field("pendidikan_petugas", "6.5", "Persyaratan pendidikan terendah petugas pengumpulan data", BLOK_VI,
          max_length=100),
    Field("jumlah_petugas", "6.6", "Jumlah petugas", BLOK_VI, max_length=300,
          help="Supervisor/penyelia dan pengumpul data/enumerator."),
    Field("pelatihan_petugas", "6.7", "Apakah melakukan pelatihan petugas?", BLOK_VI, kind=CHOICE, choices=YA_TIDAK),
    Field("tahapan_pengolahan", "7.1", "Tahapan pengolahan data", BLOK_VII, True, MULTI,
          ("Penyuntingan (editing)", "Penyandian (coding)", "Data entry/capture", "Penyahihan (validasi)")),
    Field("metode_analisis", "7.2", "Metode analisis", BLOK_VII, True, CHOICE,
          ("Deskriptif", "Inferensia", "Deskriptif dan inferensia")),
    Field("unit_analisis", "7.3", "Unit analisis", BLOK_VII, max_length=300),
    Field("tingkat_penyajian", "7.4", "Tingkat penyajian hasil analisis", BLOK_VII, True, CHOICE, TINGKAT_PENYAJIAN),
    Field("produk_tersedia", "8.1", "Produk kegiatan yang tersedia untuk umum", BLOK_VIII, True, MULTI,
          ("Buku/publikasi tercetak (hardcopy)", "Digital (softcopy)", "Data mikro")),
    Field("rencana_rilis", "8.2", "Rencana rilis produk kegiatan", BLOK_VIII, True, max_length=100,
          help="Tanggal atau bulan rilis, misalnya 31/03/2026."),
)
# Block V is mandatory when the activity is a survey (cara pengumpulan data: Survei).
KEG_REQUIRED_FOR_SURVEY = ("jenis_rancangan_sampel", "metode_pemilihan_sampel", "kerangka_sampel", "unit_sampel",
                           "unit_observasi")

# --------------------------------------------------------------------------- MS-Var

VAR_SECTION = "Metadata Statistik Variabel"
TIPE_DATA = ("Karakter", "Numerik (bilangan bulat)", "Numerik (desimal)", "Tanggal", "Tanggal dan waktu", "Waktu",
             "Tahun", "Boolean (ya/tidak)", "Geometri", "Lainnya")

VAR_FIELDS: tuple[Field, ...] = (
    Field("nama", "1", "Nama variabel", VAR_SECTION, True, max_length=255),
    Field("alias", "2", "Alias", VAR_SECTION, max_length=255),
    Field("konsep", "3", "Konsep", VAR_SECTION, True, TEXTAREA),
    Field("definisi", "4", "Definisi", VAR_SECTION, True, TEXTAREA),
    Field("referensi_pemilihan", "5", "Referensi pemilihan", VAR_SECTION, max_length=500,
          help="Pedoman atau klasifikasi baku yang diacu, misalnya KBLI 2020."),
    Field("referensi_waktu", "6", "Referensi waktu", VAR_SECTION, True, max_length=100),
    Field("tipe_data", "7", "Tipe data", VAR_SECTION, True, CHOICE, TIPE_DATA),
    Field("klasifikasi_isian", "8", "Klasifikasi isian", VAR_SECTION, kind=TEXTAREA),
    Field("satuan", "9", "Satuan", VAR_SECTION, max_length=100),
    Field("aturan_validasi", "10", "Aturan validasi", VAR_SECTION, kind=TEXTAREA),
    Field("kalimat_pertanyaan", "11", "Kalimat pertanyaan", VAR_SECTION, kind=TEXTAREA),
    Field("akses_umum", "12", "Apakah variabel dapat diakses umum?", VAR_SECTION, kind=CHOICE, choices=YA_TIDAK),
)

# --------------------------------------------------------------------------- MS-Ind

IND_SECTION = "Metadata Statistik Indikator"

IND_FIELDS: tuple[Field, ...] = (
    Field("nama", "1", "Nama indikator", IND_SECTION, True, max_length=300),
    Field("konsep", "2", "Konsep", IND_SECTION, True, TEXTAREA),
    Field("definisi", "3", "Definisi", IND_SECTION, True, TEXTAREA),
    Field("interpretasi", "4", "Interpretasi", IND_SECTION, True, TEXTAREA,
          help="Cara membaca nilainya, misalnya: semakin tinggi nilainya, semakin baik akses layanan."),
    Field("rumus", "5", "Metode/rumus perhitungan", IND_SECTION, True, TEXTAREA),
    Field("ukuran", "6", "Ukuran", IND_SECTION, True, max_length=255, help="Misalnya jumlah, rasio, persentase, indeks."),
    Field("satuan", "7", "Satuan", IND_SECTION, True, max_length=100),
    Field("klasifikasi_penyajian", "8", "Klasifikasi penyajian", IND_SECTION, kind=TEXTAREA,
          help="Misalnya menurut kecamatan dan jenis kelamin."),
    Field("indikator_komposit", "9", "Apakah indikator komposit?", IND_SECTION, kind=CHOICE, choices=YA_TIDAK),
    Field("publikasi_ketersediaan", "10", "Publikasi ketersediaan", IND_SECTION, max_length=500),
    Field("indikator_pembangun", "11", "Nama indikator pembangun", IND_SECTION, kind=TEXTAREA),
    Field("variabel_pembangun", "12", "Variabel pembangun", IND_SECTION, kind=TEXTAREA),
    Field("level_estimasi", "13", "Level estimasi", IND_SECTION, kind=CHOICE, choices=TINGKAT_PENYAJIAN),
    Field("akses_umum", "14", "Apakah indikator dapat diakses umum?", IND_SECTION, kind=CHOICE, choices=YA_TIDAK),
)

KEG_BY_KEY = {f.key: f for f in KEG_FIELDS}
VAR_BY_KEY = {f.key: f for f in VAR_FIELDS}
IND_BY_KEY = {f.key: f for f in IND_FIELDS}


def keg_sections() -> list[tuple[str, list[Field]]]:
    """The MS-Keg fields grouped by block, in the form's order."""
    return [(s, [f for f in KEG_FIELDS if f.section == s]) for s in KEG_SECTIONS]


def keg_required(values: Mapping[str, str]) -> list[Field]:
    """The MS-Keg fields mandatory for these values (block V when the activity is a survey)."""
    survey = values.get("cara_pengumpulan") == SURVEI
    return [f for f in KEG_FIELDS if f.required or (survey and f.key in KEG_REQUIRED_FOR_SURVEY)]


def split_multi(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]
