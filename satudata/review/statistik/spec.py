"""The BPS forms as data: every field of the MS-Keg, MS-Var and MS-Ind forms of Peraturan BPS
Nomor 5 Tahun 2020 (Petunjuk Teknis Metadata Statistik), with the form's numbering, its
Indonesian label, whether BPS marks it mandatory, and how it is filled in (free text, one
choice, several choices). The models, the forms, the completeness check, the XLSX layout and the
JSON export all read these lists, so a label or a numbering is written once; what is typed in a
form or a workbook is checked against them by one function, :func:`clean_values`.

Mandatory parts follow the forms: the activity's identity, blocks I–IV, VII and VIII of MS-Keg;
block V (Desain Sampel) only when the activity is a survey; the variable's name, concept,
definition, time reference and data type; an indicator's name, concept, definition,
interpretation, formula, measure and unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from satudata.templating import N_, in_reader_language

TEXT, TEXTAREA, CHOICE, MULTI = "text", "textarea", "choice", "multi"


MULTI_SEPARATOR = "; "
YA_TIDAK = (N_("Ya"), N_("Tidak"))
SURVEI = N_("Survei")


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

    @property
    def shown_label(self) -> str:
        """The numbered label in the reader's language (pages; the XLSX keeps BPS's wording)."""
        label = in_reader_language(self.label)
        return f"{self.number}. {label}" if self.number else label


# --------------------------------------------------------------------------- MS-Keg

IDENTITAS = N_("Identitas Kegiatan Statistik")
BLOK_I = N_("Blok I. Penyelenggara")
BLOK_II = N_("Blok II. Penanggung Jawab")
BLOK_III = N_("Blok III. Perencanaan dan Persiapan")
BLOK_IV = N_("Blok IV. Desain Kegiatan")
BLOK_V = N_("Blok V. Desain Sampel")
BLOK_VI = N_("Blok VI. Penjaminan Kualitas")
BLOK_VII = N_("Blok VII. Pengolahan dan Analisis")
BLOK_VIII = N_("Blok VIII. Diseminasi Hasil")

KEG_SECTIONS = (IDENTITAS, BLOK_I, BLOK_II, BLOK_III, BLOK_IV, BLOK_V, BLOK_VI, BLOK_VII, BLOK_VIII)

CARA_PENGUMPULAN = (
    N_("Pencacahan lengkap"),
    SURVEI,
    N_("Kompilasi produk administrasi"),
    N_("Cara lain sesuai perkembangan TI"),
)
FREKUENSI = (
    N_("Harian"),
    N_("Mingguan"),
    N_("Bulanan"),
    N_("Triwulanan"),
    N_("Empat bulanan"),
    N_("Semesteran"),
    N_("Tahunan"),
    N_("Lebih dari dua tahun sekali"),
    N_("Tidak tetap"),
)
TINGKAT_PENYAJIAN = (
    N_("Nasional"),
    N_("Provinsi"),
    N_("Kabupaten/Kota"),
    N_("Kecamatan"),
    N_("Desa/Kelurahan"),
    N_("Lainnya"),
)

KEG_FIELDS: tuple[Field, ...] = (
    Field("judul_kegiatan", "", N_("Judul kegiatan"), IDENTITAS, True, max_length=300),
    Field("tahun_kegiatan", "", N_("Tahun kegiatan"), IDENTITAS, True, max_length=20),
    Field("cara_pengumpulan", "", N_("Cara pengumpulan data"), IDENTITAS, True, CHOICE, CARA_PENGUMPULAN),
    Field(
        "sektor_kegiatan",
        "",
        N_("Sektor kegiatan"),
        IDENTITAS,
        True,
        max_length=255,
        help=N_("Misalnya Kesehatan, Pendidikan, Kependudukan."),
    ),
    Field(
        "kode_kegiatan",
        "",
        N_("Kode kegiatan (diberikan BPS)"),
        IDENTITAS,
        max_length=50,
        help=N_("Kosongkan bila kegiatan belum dilaporkan ke BPS."),
    ),
    Field("instansi_penyelenggara", "1.1", N_("Instansi penyelenggara"), BLOK_I, True, max_length=300),
    Field(
        "alamat_penyelenggara",
        "1.2",
        N_("Alamat lengkap instansi penyelenggara"),
        BLOK_I,
        True,
        TEXTAREA,
        help=N_("Alamat, telepon, faksimile dan email instansi."),
    ),
    Field(
        "unit_eselon",
        "2.1",
        N_("Unit eselon penanggung jawab"),
        BLOK_II,
        True,
        TEXTAREA,
        help=N_("Unit eselon 1 dan eselon 2 (di daerah: perangkat daerah dan bidangnya)."),
    ),
    Field(
        "penanggung_jawab_teknis",
        "2.2",
        N_("Penanggung jawab teknis"),
        BLOK_II,
        True,
        TEXTAREA,
        help=N_("Nama, jabatan, alamat, telepon dan email penanggung jawab teknis kegiatan."),
    ),
    Field(
        "latar_belakang",
        "3.1",
        N_("Latar belakang kegiatan"),
        BLOK_III,
        True,
        TEXTAREA,
        help=N_("Mengapa kegiatan ini diselenggarakan: dasar hukum dan kebutuhan datanya."),
    ),
    Field(
        "tujuan",
        "3.2",
        N_("Tujuan kegiatan"),
        BLOK_III,
        True,
        TEXTAREA,
        help=N_("Apa yang ingin dicapai, misalnya menyediakan data jumlah tenaga kesehatan per puskesmas."),
    ),
    Field(
        "rencana_jadwal",
        "3.3",
        N_("Rencana jadwal kegiatan"),
        BLOK_III,
        kind=TEXTAREA,
        help=N_(
            "Perencanaan, desain, pengumpulan data, pengolahan, analisis, diseminasi dan evaluasi: bulan dan tahun."
        ),
    ),
    Field("variabel_dikumpulkan", "3.4", N_("Variabel (karakteristik) yang dikumpulkan"), BLOK_III, True, TEXTAREA),
    Field(
        "kegiatan_dilakukan",
        "4.1",
        N_("Kegiatan ini dilakukan"),
        BLOK_IV,
        True,
        CHOICE,
        (N_("Hanya sekali"), N_("Berulang")),
    ),
    Field("frekuensi_penyelenggaraan", "4.2", N_("Frekuensi penyelenggaraan"), BLOK_IV, True, CHOICE, FREKUENSI),
    Field(
        "tipe_pengumpulan",
        "4.3",
        N_("Tipe pengumpulan data"),
        BLOK_IV,
        kind=CHOICE,
        choices=(N_("Longitudinal panel"), N_("Longitudinal cross sectional"), N_("Cross sectional")),
    ),
    Field("cakupan_wilayah", "4.4", N_("Cakupan wilayah pengumpulan data"), BLOK_IV, True, max_length=300),
    Field(
        "metode_pengumpulan",
        "4.5",
        N_("Metode pengumpulan data"),
        BLOK_IV,
        True,
        MULTI,
        (
            N_("Wawancara"),
            N_("Mengisi kuesioner sendiri (swacacah)"),
            N_("Pengamatan (observasi)"),
            N_("Pengumpulan data sekunder"),
            N_("Lainnya"),
        ),
    ),
    Field(
        "sarana_pengumpulan",
        "4.6",
        N_("Sarana pengumpulan data"),
        BLOK_IV,
        kind=MULTI,
        choices=(N_("PAPI (kertas)"), N_("CAPI"), N_("CATI"), N_("CAWI (daring)"), N_("Surat (mail)"), N_("Lainnya")),
    ),
    Field(
        "unit_pengumpulan",
        "4.7",
        N_("Unit pengumpulan data"),
        BLOK_IV,
        True,
        MULTI,
        (N_("Individu"), N_("Rumah tangga"), N_("Usaha/perusahaan"), N_("Instansi/unit kerja"), N_("Lainnya")),
    ),
    Field(
        "jenis_rancangan_sampel",
        "5.1",
        N_("Jenis rancangan sampel"),
        BLOK_V,
        kind=CHOICE,
        choices=(N_("Single stage/phase"), N_("Multi stage/phase")),
    ),
    Field(
        "metode_pemilihan_sampel",
        "5.2",
        N_("Metode pemilihan sampel tahap terakhir"),
        BLOK_V,
        kind=CHOICE,
        choices=(N_("Sampel probabilitas"), N_("Sampel nonprobabilitas"), N_("Kombinasi")),
    ),
    Field(
        "metode_sampel",
        "5.3",
        N_("Metode yang digunakan"),
        BLOK_V,
        max_length=300,
        help=N_("Misalnya simple random sampling, systematic sampling, PPS."),
    ),
    Field(
        "kerangka_sampel",
        "5.4",
        N_("Kerangka sampel tahap terakhir"),
        BLOK_V,
        kind=CHOICE,
        choices=(N_("List frame"), N_("Area frame"), N_("List dan area frame")),
    ),
    Field("fraksi_sampel", "5.5", N_("Fraksi sampel keseluruhan"), BLOK_V, max_length=100),
    Field("sampling_error", "5.6", N_("Nilai perkiraan sampling error variabel utama"), BLOK_V, max_length=100),
    Field("unit_sampel", "5.7", N_("Unit sampel"), BLOK_V, max_length=300),
    Field("unit_observasi", "5.8", N_("Unit observasi"), BLOK_V, max_length=300),
    Field("uji_coba", "6.1", N_("Apakah melakukan uji coba (pilot test)?"), BLOK_VI, kind=CHOICE, choices=YA_TIDAK),
    Field(
        "metode_pemeriksaan_kualitas",
        "6.2",
        N_("Metode pemeriksaan kualitas pengumpulan data"),
        BLOK_VI,
        True,
        MULTI,
        (
            N_("Kunjungan kembali (revisit)"),
            N_("Supervisi"),
            N_("Task force"),
            N_("Pemeriksaan silang dengan sumber lain"),
            N_("Lainnya"),
        ),
    ),
    Field(
        "penyesuaian_nonrespon",
        "6.3",
        N_("Apakah melakukan penyesuaian nonrespon?"),
        BLOK_VI,
        kind=CHOICE,
        choices=YA_TIDAK,
    ),
    Field(
        "petugas_pengumpulan",
        "6.4",
        N_("Petugas pengumpulan data"),
        BLOK_VI,
        kind=MULTI,
        choices=(N_("Staf instansi penyelenggara"), N_("Mitra/tenaga kontrak"), N_("Staf instansi dan mitra")),
    ),
    Field(
        "pendidikan_petugas",
        "6.5",
        N_("Persyaratan pendidikan terendah petugas pengumpulan data"),
        BLOK_VI,
        max_length=100,
    ),
    Field(
        "jumlah_petugas",
        "6.6",
        N_("Jumlah petugas"),
        BLOK_VI,
        max_length=300,
        help=N_("Supervisor/penyelia dan pengumpul data/enumerator."),
    ),
    Field(
        "pelatihan_petugas", "6.7", N_("Apakah melakukan pelatihan petugas?"), BLOK_VI, kind=CHOICE, choices=YA_TIDAK
    ),
    Field(
        "tahapan_pengolahan",
        "7.1",
        N_("Tahapan pengolahan data"),
        BLOK_VII,
        True,
        MULTI,
        (
            N_("Penyuntingan (editing)"),
            N_("Penyandian (coding)"),
            N_("Data entry/capture"),
            N_("Penyahihan (validasi)"),
        ),
    ),
    Field(
        "metode_analisis",
        "7.2",
        N_("Metode analisis"),
        BLOK_VII,
        True,
        CHOICE,
        (N_("Deskriptif"), N_("Inferensia"), N_("Deskriptif dan inferensia")),
    ),
    Field("unit_analisis", "7.3", N_("Unit analisis"), BLOK_VII, max_length=300),
    Field(
        "tingkat_penyajian", "7.4", N_("Tingkat penyajian hasil analisis"), BLOK_VII, True, CHOICE, TINGKAT_PENYAJIAN
    ),
    Field(
        "produk_tersedia",
        "8.1",
        N_("Produk kegiatan yang tersedia untuk umum"),
        BLOK_VIII,
        True,
        MULTI,
        (N_("Buku/publikasi tercetak (hardcopy)"), N_("Digital (softcopy)"), N_("Data mikro")),
    ),
    Field(
        "rencana_rilis",
        "8.2",
        N_("Rencana rilis produk kegiatan"),
        BLOK_VIII,
        True,
        max_length=100,
        help=N_("Tanggal atau bulan rilis, misalnya 31/03/2026."),
    ),
)
# Block V is mandatory when the activity is a survey (cara pengumpulan data: Survei).
KEG_REQUIRED_FOR_SURVEY = (
    "jenis_rancangan_sampel",
    "metode_pemilihan_sampel",
    "kerangka_sampel",
    "unit_sampel",
    "unit_observasi",
)

# --------------------------------------------------------------------------- MS-Var

VAR_SECTION = N_("Metadata Statistik Variabel")
TIPE_DATA = (
    N_("Karakter"),
    N_("Numerik (bilangan bulat)"),
    N_("Numerik (desimal)"),
    N_("Tanggal"),
    N_("Tanggal dan waktu"),
    N_("Waktu"),
    N_("Tahun"),
    N_("Boolean (ya/tidak)"),
    N_("Geometri"),
    N_("Lainnya"),
)

VAR_FIELDS: tuple[Field, ...] = (
    Field("nama", "1", N_("Nama variabel"), VAR_SECTION, True, max_length=255),
    Field("alias", "2", N_("Alias"), VAR_SECTION, max_length=255),
    Field("konsep", "3", N_("Konsep"), VAR_SECTION, True, TEXTAREA),
    Field("definisi", "4", N_("Definisi"), VAR_SECTION, True, TEXTAREA),
    Field(
        "referensi_pemilihan",
        "5",
        N_("Referensi pemilihan"),
        VAR_SECTION,
        max_length=500,
        help=N_("Pedoman atau klasifikasi baku yang diacu, misalnya KBLI 2020."),
    ),
    Field("referensi_waktu", "6", N_("Referensi waktu"), VAR_SECTION, True, max_length=100),
    Field("tipe_data", "7", N_("Tipe data"), VAR_SECTION, True, CHOICE, TIPE_DATA),
    Field("klasifikasi_isian", "8", N_("Klasifikasi isian"), VAR_SECTION, kind=TEXTAREA),
    Field("satuan", "9", N_("Satuan"), VAR_SECTION, max_length=100),
    Field("aturan_validasi", "10", N_("Aturan validasi"), VAR_SECTION, kind=TEXTAREA),
    Field("kalimat_pertanyaan", "11", N_("Kalimat pertanyaan"), VAR_SECTION, kind=TEXTAREA),
    Field("akses_umum", "12", N_("Apakah variabel dapat diakses umum?"), VAR_SECTION, kind=CHOICE, choices=YA_TIDAK),
)

# --------------------------------------------------------------------------- MS-Ind

IND_SECTION = N_("Metadata Statistik Indikator")

IND_FIELDS: tuple[Field, ...] = (
    Field("nama", "1", N_("Nama indikator"), IND_SECTION, True, max_length=300),
    Field("konsep", "2", N_("Konsep"), IND_SECTION, True, TEXTAREA),
    Field("definisi", "3", N_("Definisi"), IND_SECTION, True, TEXTAREA),
    Field(
        "interpretasi",
        "4",
        N_("Interpretasi"),
        IND_SECTION,
        True,
        TEXTAREA,
        help=N_("Cara membaca nilainya, misalnya: semakin tinggi nilainya, semakin baik akses layanan."),
    ),
    Field("rumus", "5", N_("Metode/rumus perhitungan"), IND_SECTION, True, TEXTAREA),
    Field(
        "ukuran",
        "6",
        N_("Ukuran"),
        IND_SECTION,
        True,
        max_length=255,
        help=N_("Misalnya jumlah, rasio, persentase, indeks."),
    ),
    Field("satuan", "7", N_("Satuan"), IND_SECTION, True, max_length=100),
    Field(
        "klasifikasi_penyajian",
        "8",
        N_("Klasifikasi penyajian"),
        IND_SECTION,
        kind=TEXTAREA,
        help=N_("Misalnya menurut kecamatan dan jenis kelamin."),
    ),
    Field("indikator_komposit", "9", N_("Apakah indikator komposit?"), IND_SECTION, kind=CHOICE, choices=YA_TIDAK),
    Field("publikasi_ketersediaan", "10", N_("Publikasi ketersediaan"), IND_SECTION, max_length=500),
    Field("indikator_pembangun", "11", N_("Nama indikator pembangun"), IND_SECTION, kind=TEXTAREA),
    Field("variabel_pembangun", "12", N_("Variabel pembangun"), IND_SECTION, kind=TEXTAREA),
    Field("level_estimasi", "13", N_("Level estimasi"), IND_SECTION, kind=CHOICE, choices=TINGKAT_PENYAJIAN),
    Field("akses_umum", "14", N_("Apakah indikator dapat diakses umum?"), IND_SECTION, kind=CHOICE, choices=YA_TIDAK),
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


def clean_values(fields: Iterable[Field], raw: Mapping[str, Any],
                 prefix: str = "") -> tuple[dict[str, str], dict[str, list[str]]]:
    """The values typed for ``fields`` (in a form or a workbook), tidied; the problems (a choice
    not offered, too long) by field id (``prefix`` + key). The one check of what is typed: the
    services' saves and the XLSX import both use it."""
    values: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for f in fields:
        value = raw.get(f.key)
        if isinstance(value, (list, tuple)):
            value = MULTI_SEPARATOR.join(str(v).strip() for v in value if str(v).strip())
        text = str(value or "").replace("\r\n", "\n").strip()
        if f.kind != TEXTAREA:
            text = " ".join(text.split())
        if f.kind == CHOICE and text and text not in f.choices:
            problems[f"{prefix}{f.key}"] = [f"Pilih salah satu: {', '.join(f.choices)}."]
        if f.kind == MULTI and text:
            unknown = [v for v in split_multi(text) if v not in f.choices]
            if unknown:
                problems[f"{prefix}{f.key}"] = [f"Pilihan tidak dikenal: {', '.join(unknown)}. "
                                                f"Pilih dari: {', '.join(f.choices)}."]
        if len(text) > f.max_length:
            problems[f"{prefix}{f.key}"] = [f"{f.label} paling panjang {f.max_length} karakter "
                                            f"(sekarang {len(text)})."]
        values[f.key] = text
    return values, problems
