"""The BPS forms as data: every field of the MS-Keg, MS-Var and MS-Ind forms of Peraturan BPS
Nomor 5 Tahun 2020 (Petunjuk Teknis Metadata Statistik), as printed in its lampiran (pages
82–88: "A. Instrumen Metadata Statistik Kegiatan"; the MS-Var and MS-Ind columns as Bab III
and Bab IV number them, "Kolom (2)" ...). The models, the forms, the completeness check, the
XLSX layout and the JSON export all read these lists, so a label, a numbering, a choice list or
a skip rule is written once; what is typed in a form or a workbook is checked against them by
one function, :func:`clean_values`.

**Following the printed form.** Block names and numbering, labels and choice lists (in the
form's order and wording; "Pencancahan" is the form's misprint of *Pencacahan*) are the form's.
Where the form asks several things under one number they are fields of their own, numbered
with a letter: 1.2.a–c (telepon, faksimile, e-mail), 2.1.a–b (eselon 1 and 2), 2.2.a–e, 3.3's
seven stages with an *awal* and *akhir* date each (3.3.1.a ... 3.3.7.b), 6.6.a–b, 7.1.a–d,
8.1.a–c and 8.2.a–c; an option "Lainnya (sebutkan)" has its companion text field
``<key>_lainnya`` (4.6.a, 4.7.a, 4.8.a, 6.2.a, 7.3.a, 7.4.a).

**Skip rules** are data: a field's ``when = (parent key, allowed values)`` says it is *asked*
only when the parent's answer is one of them (a several-choices parent when any chosen value
is), and its parent is itself asked (:func:`asked`). Block V only for a survey; 4.2 only for a
recurring activity; 4.5 only for part of Indonesia; 5.4–5.6 only for a probability sample;
6.4–6.7 only with PAPI, CAPI or CATI; 8.2 per product offered; MS-Ind (11)–(12) for a composite
indicator and (13)–(15) for one that is not. The forms, :func:`required_fields` (completeness
and the submission guard), the XLSX (which marks skipped fields) and the JSON (``null``) use
it. A value typed in a field that is not asked is **kept, not cleared**: it is ignored by the
completeness check, the public page and the exports, and comes back if the answer that skips
it changes back (a producer who picks the wrong option first loses nothing).

**Mandatory.** The regulation marks no field mandatory: every item is to be filled except
where a skip rule says it is not asked. So every asked field is required, except the few that
are ``required=False`` here, and why: the *kode kegiatan* (MS-Keg identity) and MS-Ind (14)
are "diisi oleh petugas" (BPS's officer fills them); the *faksimile* lines (1.2.b, 2.2.d),
since most offices have none; and MS-Var's alias, referensi pemilihan, klasifikasi isian,
aturan validasi and kalimat pertanyaan: the regulation asks for a classification only "jika
terdapat kategorisasi", and a table compiled from administrative records often has no
questionnaire, alias, selection reference or validation rule to write. MS-Var's nama, konsep,
definisi, referensi waktu, tipe data and akses umum are required.

**Checks across fields** (:func:`cross_problems`, run by :func:`clean_values`, so the forms and
the import refuse the same things): 5.3's method must belong to 5.2's kind of sample; each 3.3
stage ends on or after its start; dates are dates and 6.6 whole numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from satudata.templating import N_, in_reader_language

TEXT, TEXTAREA, CHOICE, MULTI, DATE, INTEGER = "text", "textarea", "choice", "multi", "date", "integer"

MULTI_SEPARATOR = "; "
YA, TIDAK = N_("Ya"), N_("Tidak")
YA_TIDAK = (YA, TIDAK)
SURVEI = N_("Survei")
LAINNYA = N_("Lainnya (sebutkan)")
OTHER_SUFFIX = "_lainnya"


@dataclass(frozen=True)
class Field:
    """One field of a form: ``key`` (the column and the JSON key), its number on the BPS form
    (empty for the identity part), its label, its section (the form's block), whether it must be
    filled when asked, how it is filled in, the choices of a choice field (``groups``: the
    choices under headings, as 5.3 prints them), its skip rule ``when`` (parent key, allowed
    answers) and ``group``, the heading of the fields printed under one number (3.3, 7.1 ...)."""

    key: str
    number: str
    label: str
    section: str
    required: bool = True
    kind: str = TEXT
    choices: tuple[str, ...] = ()
    help: str = ""
    max_length: int = 4000
    when: tuple[str, tuple[str, ...]] | None = None
    group: str = ""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    when_note: str = ""  # the skip rule in the form's own words, where they read better

    @property
    def numbered_label(self) -> str:
        return f"{self.number}. {self.label}" if self.number else self.label

    @property
    def shown_label(self) -> str:
        """The numbered label in the reader's language (pages; the XLSX keeps BPS's wording)."""
        label = in_reader_language(self.label)
        return f"{self.number}. {label}" if self.number else label


def _other(parent: Field, label: str) -> Field:
    """The companion text field of ``parent``'s "Lainnya (sebutkan)" option."""
    return Field(parent.key + OTHER_SUFFIX, f"{parent.number}.a", label, parent.section, max_length=500,
                 when=(parent.key, (LAINNYA,)))


def _with_other(parent: Field, label: str) -> tuple[Field, Field]:
    return parent, _other(parent, label)


# --------------------------------------------------------------------------- MS-Keg

IDENTITAS = N_("Identitas Kegiatan Statistik")
BLOK_I = N_("Blok I. Penyelenggara")
BLOK_II = N_("Blok II. Penanggung Jawab")
BLOK_III = N_("Blok III. Perencanaan dan Persiapan")
BLOK_IV = N_("Blok IV. Desain Kegiatan")
BLOK_V = N_("Blok V. Desain Sampel")
BLOK_VI = N_("Blok VI. Pengumpulan Data")
BLOK_VII = N_("Blok VII. Pengolahan dan Analisis")
BLOK_VIII = N_("Blok VIII. Diseminasi Hasil")

KEG_SECTIONS = (IDENTITAS, BLOK_I, BLOK_II, BLOK_III, BLOK_IV, BLOK_V, BLOK_VI, BLOK_VII, BLOK_VIII)

CARA_PENGUMPULAN = (
    N_("Pencacahan lengkap"),
    SURVEI,
    N_("Kompilasi produk administrasi"),
    N_("Cara lain sesuai dengan perkembangan TI"),
)
# The OECD sectors, in the form's order and numbering (1–22).
SEKTOR = (
    N_("Pertanian dan Perikanan"),
    N_("Demografi dan Kependudukan"),
    N_("Pembangunan"),
    N_("Proyeksi Ekonomi"),
    N_("Pendidikan dan Pelatihan"),
    N_("Lingkungan"),
    N_("Keuangan"),
    N_("Globalisasi"),
    N_("Kesehatan"),
    N_("Industri dan Jasa"),
    N_("Teknologi Informasi dan Komunikasi"),
    N_("Perdagangan Internasional dan Neraca Perdagangan"),
    N_("Ketenagakerjaan"),
    N_("Neraca Nasional"),
    N_("Indikator Ekonomi Bulanan"),
    N_("Produktivitas"),
    N_("Harga dan Paritas Daya Beli"),
    N_("Sektor Publik, Perpajakan, dan Regulasi Pasar"),
    N_("Perwilayahan dan Perkotaan"),
    N_("Ilmu Pengetahuan dan Hak Paten"),
    N_("Perlindungan Sosial dan Kesejahteraan"),
    N_("Transportasi"),
)
BERULANG = N_("Berulang")
FREKUENSI = (
    N_("Harian"),
    N_("Mingguan"),
    N_("Bulanan"),
    N_("Triwulanan"),
    N_("Empat bulanan"),
    N_("Semesteran"),
    N_("Tahunan"),
    N_("> Dua tahunan"),
)
SEBAGIAN_WILAYAH = N_("Sebagian wilayah Indonesia")
PAPI = N_("Paper-assisted Personal Interviewing (PAPI)")
CAPI = N_("Computer-assisted Personal Interviewing (CAPI)")
CATI = N_("Computer-assisted Telephones Interviewing (CATI)")
SARANA = (PAPI, CAPI, CATI, N_("Computer Aided Web Interviewing (CAWI)"), N_("Mail"), LAINNYA)
UNIT = (N_("Individu"), N_("Rumah tangga"), N_("Usaha/perusahaan"), LAINNYA)
PROBABILITAS, NONPROBABILITAS = N_("Sampel probabilitas"), N_("Sampel nonprobabilitas")
METODE_PROBABILITAS = (
    N_("Simple Random Sampling"),
    N_("Systematic Random Sampling"),
    N_("Stratified Random Sampling"),
    N_("Cluster Sampling"),
    N_("Multi Stage Sampling"),
)
METODE_NONPROBABILITAS = (
    N_("Quota Sampling"),
    N_("Accidental Sampling"),
    N_("Purposive Sampling"),
    N_("Snowball Sampling"),
    N_("Saturation Sampling"),
)
TINGKAT_PENYAJIAN = (N_("Nasional"), N_("Provinsi"), N_("Kabupaten/Kota"), N_("Kecamatan"), LAINNYA)

_SURVEY = ("cara_pengumpulan", (SURVEI,))
_PROBABILITY = ("metode_pemilihan_sampel", (PROBABILITAS,))
_INTERVIEWERS = ("sarana_pengumpulan", (PAPI, CAPI, CATI))
_SURVEY_NOTE = N_("Diisi jika cara pengumpulan data adalah survei.")
_INTERVIEWERS_NOTE = N_("Diisi jika sarana pengumpulan data (4.7) adalah PAPI, CAPI, atau CATI.")

JADWAL_GROUP = N_("3.3. Rencana jadwal kegiatan")
# 3.3's stages in the form's order (numbered 1–7 under A. Perencanaan, B. Pengumpulan, C. Pemeriksaan,
# D. Penyebarluasan): (key, label).
JADWAL_STAGES = (
    ("perencanaan", N_("Perencanaan kegiatan")),
    ("desain", N_("Desain")),
    ("pengumpulan", N_("Pengumpulan data")),
    ("pengolahan", N_("Pengolahan data")),
    ("analisis", N_("Analisis")),
    ("diseminasi", N_("Diseminasi hasil")),
    ("evaluasi", N_("Evaluasi")),
)

def _jadwal() -> tuple[Field, ...]:
    found: list[Field] = []
    for n, (key, _label) in enumerate(JADWAL_STAGES, start=1):
        for letter, end in (("a", "awal"), ("b", "akhir")):
            found.append(Field(f"jadwal_{key}_{end}", f"3.3.{n}.{letter}", JADWAL_LABELS[(key, end)], BLOK_III,
                               kind=DATE, max_length=10, group=JADWAL_GROUP))
    return tuple(found)


# Written out so that each label is one message for translators.
JADWAL_LABELS = {
    ("perencanaan", "awal"): N_("Perencanaan kegiatan: awal"),
    ("perencanaan", "akhir"): N_("Perencanaan kegiatan: akhir"),
    ("desain", "awal"): N_("Desain: awal"),
    ("desain", "akhir"): N_("Desain: akhir"),
    ("pengumpulan", "awal"): N_("Pengumpulan data: awal"),
    ("pengumpulan", "akhir"): N_("Pengumpulan data: akhir"),
    ("pengolahan", "awal"): N_("Pengolahan data: awal"),
    ("pengolahan", "akhir"): N_("Pengolahan data: akhir"),
    ("analisis", "awal"): N_("Analisis: awal"),
    ("analisis", "akhir"): N_("Analisis: akhir"),
    ("diseminasi", "awal"): N_("Diseminasi hasil: awal"),
    ("diseminasi", "akhir"): N_("Diseminasi hasil: akhir"),
    ("evaluasi", "awal"): N_("Evaluasi: awal"),
    ("evaluasi", "akhir"): N_("Evaluasi: akhir"),
}

_ESELON = N_("2.1. Unit eselon penanggung jawab")
_PJ = N_("2.2. Penanggung jawab teknis (setingkat eselon 3)")
_JUMLAH = N_("6.6. Jumlah petugas")
_TAHAPAN = N_("7.1. Tahapan pengolahan data")
_PRODUK = N_("8.1. Produk kegiatan yang tersedia untuk umum")
_RILIS = N_("8.2. Rencana rilis produk kegiatan")

KEG_FIELDS: tuple[Field, ...] = (
    Field("judul_kegiatan", "", N_("Judul kegiatan"), IDENTITAS, max_length=300,
          help=N_("Memuat cara pengumpulan data, komponen utama kegiatan, cakupan wilayah dan periode.")),
    Field("kode_kegiatan", "", N_("Kode kegiatan (diisi oleh petugas)"), IDENTITAS, False, max_length=50,
          help=N_("Diisi petugas BPS; kosongkan bila kegiatan belum mendapat kode.")),
    Field("cara_pengumpulan", "", N_("Cara pengumpulan data"), IDENTITAS, kind=CHOICE, choices=CARA_PENGUMPULAN),
    Field("sektor_kegiatan", "", N_("Sektor kegiatan"), IDENTITAS, kind=CHOICE, choices=SEKTOR),
    Field("rekomendasi_bps", "", N_("Jika survei statistik sektoral, apakah mendapatkan rekomendasi kegiatan "
                                    "statistik dari BPS?"), IDENTITAS, kind=CHOICE, choices=YA_TIDAK,
          when=_SURVEY, when_note=_SURVEY_NOTE),
    Field("identitas_rekomendasi", "", N_("Identitas rekomendasi"), IDENTITAS, max_length=300,
          when=("rekomendasi_bps", (YA,)), when_note=N_('Diisi jika mendapatkan rekomendasi dari BPS ("Ya").')),
    Field("tahun_kegiatan", "", N_("Tahun"), IDENTITAS, max_length=20),
    Field("instansi_penyelenggara", "1.1", N_("Instansi penyelenggara"), BLOK_I, max_length=300),
    Field("alamat_penyelenggara", "1.2", N_("Alamat lengkap instansi penyelenggara"), BLOK_I, kind=TEXTAREA),
    Field("telepon_penyelenggara", "1.2.a", N_("Telepon"), BLOK_I, max_length=100),
    Field("faksimile_penyelenggara", "1.2.b", N_("Faksimile"), BLOK_I, False, max_length=100),
    Field("email_penyelenggara", "1.2.c", N_("E-mail"), BLOK_I, max_length=255),
    Field("unit_eselon_1", "2.1.a", N_("Eselon 1"), BLOK_II, max_length=300, group=_ESELON,
          help=N_("Di daerah: pemerintah daerahnya, misalnya Pemerintah Kabupaten Rokan Hilir.")),
    Field("unit_eselon_2", "2.1.b", N_("Eselon 2"), BLOK_II, max_length=300, group=_ESELON,
          help=N_("Di daerah: perangkat daerah penanggung jawab, misalnya Dinas Kesehatan.")),
    Field("pj_jabatan", "2.2.a", N_("Jabatan"), BLOK_II, max_length=300, group=_PJ),
    Field("pj_alamat", "2.2.b", N_("Alamat"), BLOK_II, kind=TEXTAREA, group=_PJ),
    Field("pj_telepon", "2.2.c", N_("Telepon"), BLOK_II, max_length=100, group=_PJ),
    Field("pj_faksimile", "2.2.d", N_("Faksimile"), BLOK_II, False, max_length=100, group=_PJ),
    Field("pj_email", "2.2.e", N_("E-mail"), BLOK_II, max_length=255, group=_PJ),
    Field("latar_belakang", "3.1", N_("Latar belakang kegiatan"), BLOK_III, kind=TEXTAREA,
          help=N_("Mengapa kegiatan ini diselenggarakan: dasar hukum dan kebutuhan datanya.")),
    Field("tujuan", "3.2", N_("Tujuan kegiatan"), BLOK_III, kind=TEXTAREA,
          help=N_("Apa yang ingin dicapai, misalnya menyediakan data jumlah tenaga kesehatan per puskesmas.")),
    *_jadwal(),
    Field("variabel_dikumpulkan", "3.4", N_("Variabel (karakteristik) yang dikumpulkan"), BLOK_III, kind=TEXTAREA),
    Field("kegiatan_dilakukan", "4.1", N_("Kegiatan ini dilakukan"), BLOK_IV, kind=CHOICE,
          choices=(N_("Hanya sekali"), BERULANG)),
    Field("frekuensi_penyelenggaraan", "4.2", N_("Frekuensi penyelenggaraan"), BLOK_IV, kind=CHOICE,
          choices=FREKUENSI, when=("kegiatan_dilakukan", (BERULANG,))),
    Field("tipe_pengumpulan", "4.3", N_("Tipe pengumpulan data"), BLOK_IV, kind=CHOICE,
          choices=(N_("Longitudinal panel"), N_("Longitudinal cross sectional"), N_("Cross sectional"))),
    Field("cakupan_wilayah", "4.4", N_("Cakupan wilayah pengumpulan data"), BLOK_IV, kind=CHOICE,
          choices=(N_("Seluruh wilayah Indonesia"), SEBAGIAN_WILAYAH)),
    Field("wilayah_kegiatan", "4.5", N_("Wilayah kegiatan"), BLOK_IV, kind=TEXTAREA,
          when=("cakupan_wilayah", (SEBAGIAN_WILAYAH,)),
          help=N_("Satu baris per wilayah: provinsi, kabupaten/kota (misalnya: Riau, Kabupaten Rokan Hilir).")),
    *_with_other(Field("metode_pengumpulan", "4.6", N_("Metode pengumpulan data"), BLOK_IV, kind=MULTI, choices=(
        N_("Wawancara"), N_("Mengisi kuesioner sendiri (swacacah)"), N_("Pengamatan (observasi)"),
        N_("Pengumpulan data sekunder"), LAINNYA)), N_("Metode pengumpulan data lainnya (sebutkan)")),
    *_with_other(Field("sarana_pengumpulan", "4.7", N_("Sarana pengumpulan data"), BLOK_IV, kind=MULTI,
                       choices=SARANA), N_("Sarana pengumpulan data lainnya (sebutkan)")),
    *_with_other(Field("unit_pengumpulan", "4.8", N_("Unit pengumpulan data"), BLOK_IV, kind=MULTI, choices=UNIT),
                 N_("Unit pengumpulan data lainnya (sebutkan)")),
    Field("jenis_rancangan_sampel", "5.1", N_("Jenis rancangan sampel"), BLOK_V, kind=CHOICE,
          choices=(N_("Single stage/phase"), N_("Multi stage/phase")), when=_SURVEY, when_note=_SURVEY_NOTE),
    Field("metode_pemilihan_sampel", "5.2", N_("Metode pemilihan sampel tahap terakhir"), BLOK_V, kind=CHOICE,
          choices=(PROBABILITAS, NONPROBABILITAS), when=_SURVEY, when_note=_SURVEY_NOTE),
    Field("metode_sampel", "5.3", N_("Metode yang digunakan"), BLOK_V, kind=CHOICE,
          choices=METODE_PROBABILITAS + METODE_NONPROBABILITAS, when=_SURVEY, when_note=_SURVEY_NOTE,
          groups=((PROBABILITAS, METODE_PROBABILITAS), (NONPROBABILITAS, METODE_NONPROBABILITAS)),
          help=N_("Metode sampel probabilitas bila 5.2 sampel probabilitas, nonprobabilitas bila 5.2 sampel "
                  "nonprobabilitas.")),
    Field("kerangka_sampel", "5.4", N_("Kerangka sampel tahap terakhir"), BLOK_V, kind=CHOICE,
          choices=(N_("List frame"), N_("Area frame")), when=_PROBABILITY),
    Field("fraksi_sampel", "5.5", N_("Fraksi sampel keseluruhan"), BLOK_V, max_length=100, when=_PROBABILITY),
    Field("sampling_error", "5.6", N_("Nilai perkiraan sampling error variabel utama"), BLOK_V, max_length=100,
          when=_PROBABILITY),
    Field("unit_sampel", "5.7", N_("Unit sampel"), BLOK_V, max_length=300, when=_SURVEY, when_note=_SURVEY_NOTE),
    Field("unit_observasi", "5.8", N_("Unit observasi"), BLOK_V, max_length=300, when=_SURVEY, when_note=_SURVEY_NOTE),
    Field("uji_coba", "6.1", N_("Apakah melakukan uji coba (pilot survey)?"), BLOK_VI, kind=CHOICE,
          choices=YA_TIDAK),
    *_with_other(Field("metode_pemeriksaan_kualitas", "6.2", N_("Metode pemeriksaan kualitas pengumpulan data"),
                       BLOK_VI, kind=MULTI, choices=(N_("Kunjungan kembali (revisit)"), N_("Supervisi"),
                                                     N_("Task force"), LAINNYA)),
                 N_("Metode pemeriksaan kualitas lainnya (sebutkan)")),
    Field("penyesuaian_nonrespon", "6.3", N_("Apakah melakukan penyesuaian nonrespon?"), BLOK_VI, kind=CHOICE,
          choices=YA_TIDAK),
    Field("petugas_pengumpulan", "6.4", N_("Petugas pengumpulan data"), BLOK_VI, kind=CHOICE,
          when=_INTERVIEWERS, when_note=_INTERVIEWERS_NOTE,
          choices=(N_("Staf instansi penyelenggara"), N_("Mitra/tenaga kontrak"),
                   N_("Staf instansi penyelenggara dan mitra/tenaga kontrak"))),
    Field("pendidikan_petugas", "6.5", N_("Persyaratan pendidikan terendah petugas pengumpulan data"), BLOK_VI,
          kind=CHOICE, when=_INTERVIEWERS, when_note=_INTERVIEWERS_NOTE,
          choices=(N_("≤ SMP"), N_("SMA/SMK"), N_("Diploma I/II/III"), N_("Diploma IV/S1/S2/S3"))),
    Field("jumlah_supervisor", "6.6.a", N_("Supervisor/penyelia/pengawas (orang)"), BLOK_VI, kind=INTEGER,
          max_length=7, when=_INTERVIEWERS, when_note=_INTERVIEWERS_NOTE, group=_JUMLAH),
    Field("jumlah_enumerator", "6.6.b", N_("Pengumpul data/enumerator (orang)"), BLOK_VI, kind=INTEGER,
          max_length=7, when=_INTERVIEWERS, when_note=_INTERVIEWERS_NOTE, group=_JUMLAH),
    Field("pelatihan_petugas", "6.7", N_("Apakah melakukan pelatihan petugas?"), BLOK_VI, kind=CHOICE,
          choices=YA_TIDAK, when=_INTERVIEWERS, when_note=_INTERVIEWERS_NOTE),
    Field("pengolahan_editing", "7.1.a", N_("Penyuntingan (editing)"), BLOK_VII, kind=CHOICE, choices=YA_TIDAK,
          group=_TAHAPAN),
    Field("pengolahan_coding", "7.1.b", N_("Penyandian (coding)"), BLOK_VII, kind=CHOICE, choices=YA_TIDAK,
          group=_TAHAPAN),
    Field("pengolahan_entry", "7.1.c", N_("Data entry"), BLOK_VII, kind=CHOICE, choices=YA_TIDAK, group=_TAHAPAN),
    Field("pengolahan_validasi", "7.1.d", N_("Penyahihan (validasi)"), BLOK_VII, kind=CHOICE, choices=YA_TIDAK,
          group=_TAHAPAN),
    Field("metode_analisis", "7.2", N_("Metode analisis"), BLOK_VII, kind=CHOICE,
          choices=(N_("Deskriptif"), N_("Inferensia"), N_("Deskriptif dan inferensia"))),
    *_with_other(Field("unit_analisis", "7.3", N_("Unit analisis"), BLOK_VII, kind=MULTI, choices=UNIT),
                 N_("Unit analisis lainnya (sebutkan)")),
    *_with_other(Field("tingkat_penyajian", "7.4", N_("Tingkat penyajian hasil analisis"), BLOK_VII, kind=MULTI,
                       choices=TINGKAT_PENYAJIAN,
                       help=N_("Data per desa/kelurahan: pilih Lainnya dan tulis Desa/Kelurahan.")),
                 N_("Tingkat penyajian lainnya (sebutkan)")),
    Field("produk_tercetak", "8.1.a", N_("Tercetak (hardcopy)"), BLOK_VIII, kind=CHOICE, choices=YA_TIDAK,
          group=_PRODUK),
    Field("produk_digital", "8.1.b", N_("Digital (softcopy)"), BLOK_VIII, kind=CHOICE, choices=YA_TIDAK,
          group=_PRODUK),
    Field("produk_mikro", "8.1.c", N_("Data mikro"), BLOK_VIII, kind=CHOICE, choices=YA_TIDAK, group=_PRODUK),
    Field("rilis_tercetak", "8.2.a", N_("Rilis tercetak"), BLOK_VIII, kind=DATE, max_length=10,
          when=("produk_tercetak", (YA,)), group=_RILIS),
    Field("rilis_digital", "8.2.b", N_("Rilis digital"), BLOK_VIII, kind=DATE, max_length=10,
          when=("produk_digital", (YA,)), group=_RILIS),
    Field("rilis_mikro", "8.2.c", N_("Rilis data mikro"), BLOK_VIII, kind=DATE, max_length=10,
          when=("produk_mikro", (YA,)), group=_RILIS),
)

# --------------------------------------------------------------------------- MS-Var

VAR_SECTION = N_("Metadata Statistik Variabel")
TIPE_DATA = (N_("Integer"), N_("Float"), N_("Char/Karakter"), N_("String"), N_("Array"))

VAR_FIELDS: tuple[Field, ...] = (
    Field("nama", "2", N_("Nama variabel"), VAR_SECTION, max_length=255),
    Field("alias", "3", N_("Alias"), VAR_SECTION, False, max_length=255,
          help=N_("Kode atau istilah lain variabel ini, misalnya nama kolomnya.")),
    Field("konsep", "4", N_("Konsep"), VAR_SECTION, kind=TEXTAREA),
    Field("definisi", "5", N_("Definisi"), VAR_SECTION, kind=TEXTAREA),
    Field("referensi_pemilihan", "6", N_("Referensi pemilihan"), VAR_SECTION, False, max_length=500,
          help=N_("Pedoman atau klasifikasi baku yang diacu, misalnya KBLI 2020.")),
    Field("referensi_waktu", "7", N_("Referensi waktu"), VAR_SECTION, max_length=100),
    Field("tipe_data", "8", N_("Tipe data"), VAR_SECTION, kind=CHOICE, choices=TIPE_DATA),
    Field("klasifikasi_isian", "9", N_("Klasifikasi isian"), VAR_SECTION, False, kind=TEXTAREA,
          help=N_("Bila isiannya berupa kategori: daftar kategori atau kodenya.")),
    Field("aturan_validasi", "10", N_("Aturan validasi"), VAR_SECTION, False, kind=TEXTAREA),
    Field("kalimat_pertanyaan", "11", N_("Kalimat pertanyaan"), VAR_SECTION, False, kind=TEXTAREA),
    Field("akses_umum", "12", N_("Apakah kolom (2) dapat diakses umum?"), VAR_SECTION, kind=CHOICE,
          choices=YA_TIDAK),
)

# --------------------------------------------------------------------------- MS-Ind

IND_SECTION = N_("Metadata Statistik Indikator")
_KOMPOSIT = ("indikator_komposit", (YA,))
_NOT_KOMPOSIT = ("indikator_komposit", (TIDAK,))

IND_FIELDS: tuple[Field, ...] = (
    Field("nama", "2", N_("Nama indikator"), IND_SECTION, max_length=300),
    Field("konsep", "3", N_("Konsep"), IND_SECTION, kind=TEXTAREA),
    Field("definisi", "4", N_("Definisi"), IND_SECTION, kind=TEXTAREA),
    Field("interpretasi", "5", N_("Interpretasi"), IND_SECTION, kind=TEXTAREA,
          help=N_("Cara membaca nilainya, misalnya: semakin tinggi nilainya, semakin baik akses layanan.")),
    Field("rumus", "6", N_("Metode/rumus penghitungan"), IND_SECTION, kind=TEXTAREA),
    Field("ukuran", "7", N_("Ukuran"), IND_SECTION, max_length=255,
          help=N_("Misalnya jumlah, rasio, persentase, indeks.")),
    Field("satuan", "8", N_("Satuan"), IND_SECTION, max_length=100),
    Field("klasifikasi_penyajian", "9", N_("Klasifikasi penyajian"), IND_SECTION, kind=TEXTAREA,
          help=N_("Misalnya menurut kecamatan dan jenis kelamin.")),
    Field("indikator_komposit", "10", N_("Apakah kolom (2) indikator komposit?"), IND_SECTION, kind=CHOICE,
          choices=YA_TIDAK),
    Field("publikasi_ketersediaan", "11", N_("Publikasi ketersediaan indikator pembangun"), IND_SECTION,
          max_length=500, when=_KOMPOSIT, help=N_("Judul publikasi atau URL yang memuat indikator pembangun.")),
    Field("indikator_pembangun", "12", N_("Nama indikator pembangun"), IND_SECTION, kind=TEXTAREA, when=_KOMPOSIT),
    Field("kegiatan_penghasil", "13", N_("Kegiatan penghasil variabel pembangun"), IND_SECTION, max_length=500,
          when=_NOT_KOMPOSIT),
    Field("kode_kegiatan_penghasil", "14", N_("Kode kegiatan penghasil variabel pembangun (diisi petugas)"),
          IND_SECTION, False, max_length=50, when=_NOT_KOMPOSIT,
          help=N_("Diisi petugas BPS; kosongkan bila belum ada.")),
    Field("variabel_pembangun", "15", N_("Nama variabel pembangun"), IND_SECTION, kind=TEXTAREA,
          when=_NOT_KOMPOSIT),
    Field("level_estimasi", "16", N_("Level estimasi"), IND_SECTION, max_length=255,
          help=N_("Level terendah penyajian indikator, misalnya kecamatan, desa/kelurahan, rumah tangga.")),
    Field("akses_umum", "17", N_("Apakah kolom (2) dapat diakses umum?"), IND_SECTION, kind=CHOICE,
          choices=YA_TIDAK),
)

KEG_BY_KEY = {f.key: f for f in KEG_FIELDS}
VAR_BY_KEY = {f.key: f for f in VAR_FIELDS}
IND_BY_KEY = {f.key: f for f in IND_FIELDS}
_FORMS = (KEG_BY_KEY, VAR_BY_KEY, IND_BY_KEY)


def keg_sections() -> list[tuple[str, list[Field]]]:
    """The MS-Keg fields grouped by block, in the form's order."""
    return [(s, [f for f in KEG_FIELDS if f.section == s]) for s in KEG_SECTIONS]


def grouped(fields: Iterable[Field]) -> list[tuple[str, list[Field]]]:
    """``fields`` in runs sharing a ``group`` heading ("" for a field on its own line): what the
    forms put in one fieldset with that legend (3.3, 7.1 ...)."""
    runs: list[tuple[str, list[Field]]] = []
    for f in fields:
        if f.group and runs and runs[-1][0] == f.group:
            runs[-1][1].append(f)
        else:
            runs.append((f.group, [f]))
    return runs


# --------------------------------------------------------------------------- skip rules


def _form_of(f: Field) -> Mapping[str, Field]:
    return next(form for form in _FORMS if form.get(f.key) is f)


def split_multi(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def asked(f: Field, values: Mapping[str, Any], form: Mapping[str, Field] | None = None) -> bool:
    """Whether the form asks ``f`` given the answers ``values``: it has no skip rule, or its
    parent is asked and answered with one of the allowed values (any of several choices)."""
    if f.when is None:
        return True
    form = form if form is not None else _form_of(f)
    parent_key, allowed = f.when
    parent = form[parent_key]
    if not asked(parent, values, form):
        return False
    value = values.get(parent_key)
    chosen = value if isinstance(value, (list, tuple)) else split_multi(str(value or "")) \
        if parent.kind == MULTI else [str(value or "").strip()]
    return any(str(v).strip() in allowed for v in chosen)


def asked_fields(fields: Iterable[Field], values: Mapping[str, Any]) -> list[Field]:
    return [f for f in fields if asked(f, values)]


def required_fields(fields: Iterable[Field], values: Mapping[str, Any]) -> list[Field]:
    """The fields of a form that must be filled for these answers: every asked field but the
    optional ones (see the module docstring)."""
    return [f for f in fields if f.required and asked(f, values)]


def shown_values(fields: Iterable[Field], values: Mapping[str, Any]) -> dict[str, str | None]:
    """``values`` as the public page and the exports show them: ``None`` for a field the form
    does not ask (a value kept there is not part of the answer)."""
    return {f.key: (str(values.get(f.key) or "") if asked(f, values) else None) for f in fields}


def _as_written(text: str, **values: Any) -> str:
    return text % values if values else text


def condition_text(f: Field, *, localised: bool = True) -> str:
    """When ``f`` is asked ('Diisi jika 4.1 Kegiatan ini dilakukan dijawab "Berulang".'): in the
    reader's language (the pages), or as BPS writes it (``localised=False``: the workbook); empty
    for a field always asked."""
    if f.when is None:
        return ""
    say = in_reader_language if localised else _as_written
    if f.when_note:
        return say(f.when_note)
    parent = _form_of(f)[f.when[0]]
    answers = f" {say(N_('atau'))} ".join(f'"{say(v)}"' for v in f.when[1])
    if parent.section in (VAR_SECTION, IND_SECTION):
        where = say(N_("kolom (%(number)s)"), number=parent.number)
    else:
        where = f"{parent.number} {say(parent.label)}" if parent.number else say(parent.label)
    text = N_("Diisi jika %(where)s memuat %(answers)s.") if parent.kind == MULTI \
        else N_("Diisi jika %(where)s dijawab %(answers)s.")
    return say(text, where=where, answers=answers)


# --------------------------------------------------------------------------- checking what is typed

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def parse_date(text: str) -> date | None:
    """A date typed as ``2026-03-31`` (the form's date input, the JSON) or ``31/03/2026`` (a
    workbook); None when it is neither or no such day."""
    found = _ISO.match(text)
    parts = (int(found[1]), int(found[2]), int(found[3])) if found else None
    if parts is None and (found := _DMY.match(text)):
        parts = (int(found[3]), int(found[2]), int(found[1]))
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def _tidy(f: Field, text: str) -> tuple[str, str]:
    """(the value as stored, the problem or "") of a date or whole-number field."""
    if not text:
        return text, ""
    if f.kind == DATE:
        day = parse_date(text)
        if day is None:
            return text, f'"{text}" bukan tanggal; tulis seperti 31/03/2026 atau 2026-03-31.'
        return day.isoformat(), ""
    if f.kind == INTEGER:
        digits = text.replace(" ", "")
        if _THOUSANDS.match(digits):
            digits = digits.replace(".", "")
        if not digits.isascii() or not digits.isdigit():
            return text, f'"{text}" bukan bilangan bulat; tulis jumlah orang dengan angka saja, 0 atau lebih.'
        # Leading zeros dropped without int(): Python refuses to convert over 4,300 digits, and
        # the length check below names a number that long.
        return digits.lstrip("0") or "0", ""
    return text, ""


def clean_values(fields: Iterable[Field], raw: Mapping[str, Any],
                 prefix: str = "") -> tuple[dict[str, str], dict[str, list[str]]]:
    """The values typed for ``fields`` (in a form or a workbook), tidied (a date as
    ``YYYY-MM-DD``, a whole number without separators); the problems (a choice not offered, too
    long, not a date, the checks across fields of :func:`cross_problems`) by field id (``prefix``
    + key). The one check of what is typed: the services' saves and the XLSX import both use it."""
    fields = tuple(fields)
    values: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for f in fields:
        value = raw.get(f.key)
        if isinstance(value, (list, tuple)):
            value = MULTI_SEPARATOR.join(str(v).strip() for v in value if str(v).strip())
        text = str(value or "").replace("\r\n", "\n").strip()
        if f.kind != TEXTAREA:
            text = " ".join(text.split())
        text, problem = _tidy(f, text)
        if problem:
            problems[f"{prefix}{f.key}"] = [problem]
        if f.kind == CHOICE and text and text not in f.choices:
            problems[f"{prefix}{f.key}"] = [f"Pilih salah satu: {', '.join(f.choices)}."]
        if f.kind == MULTI and text:
            unknown = [v for v in split_multi(text) if v not in f.choices]
            if unknown:
                problems[f"{prefix}{f.key}"] = [f"Pilihan tidak dikenal: {', '.join(unknown)}. "
                                                f"Pilih dari: {', '.join(f.choices)}."]
        if len(text) > f.max_length and not problem:  # "not a date" says more than "too long"
            problems[f"{prefix}{f.key}"] = [f"{f.label} paling panjang {f.max_length} karakter "
                                            f"(sekarang {len(text)})."]
        values[f.key] = text
    for key, message in cross_problems(fields, values):
        problems.setdefault(f"{prefix}{key}", [message])
    return values, problems


def cross_problems(fields: Iterable[Field], values: Mapping[str, str]) -> list[tuple[str, str]]:
    """What the form refuses across fields, for the asked ones among ``fields``: a 5.3 method of
    the other kind of sample than 5.2's; a 3.3 stage that ends before it starts."""
    keys = {f.key for f in fields}
    found: list[tuple[str, str]] = []
    if {"metode_sampel", "metode_pemilihan_sampel"} <= keys and asked(KEG_BY_KEY["metode_sampel"], values):
        method, kind = values.get("metode_sampel", ""), values.get("metode_pemilihan_sampel", "")
        allowed = {PROBABILITAS: METODE_PROBABILITAS, NONPROBABILITAS: METODE_NONPROBABILITAS}.get(kind)
        if method and allowed is not None and method not in allowed:
            other = "nonprobabilitas" if kind == PROBABILITAS else "probabilitas"
            found.append(("metode_sampel", f'"{method}" adalah metode sampel {other}, padahal 5.2 menjawab "{kind}". '
                                           f"Pilih salah satu: {', '.join(allowed)}; atau ubah 5.2."))
    for n, (stage, label) in enumerate(JADWAL_STAGES, start=1):
        start_key, end_key = f"jadwal_{stage}_awal", f"jadwal_{stage}_akhir"
        if not {start_key, end_key} <= keys:
            continue
        start, end = parse_date(values.get(start_key, "")), parse_date(values.get(end_key, ""))
        if start and end and end < start:
            found.append((end_key, f"3.3.{n} {label}: tanggal akhir ({end.strftime('%d/%m/%Y')}) sebelum tanggal "
                                   f"awal ({start.strftime('%d/%m/%Y')}). Akhir tidak boleh sebelum awal."))
    return found
