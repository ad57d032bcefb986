"""The BPS statistical metadata's rows: one MS-Keg row per dataset, one MS-Var row per
(table, column) the producer has filled in, and the dataset's MS-Ind rows (any number).

Every form field is a column of its own (:mod:`satudata.review.statistik.spec` names them), not
one JSON blob, and holds text as the form writes it: a choice in the form's wording, several
choices joined by ``"; "``, a date as ``YYYY-MM-DD``, a whole number as its digits. In MS-Keg
and MS-Var a ``None`` column means "not set": the form shows, and the
exports use, what the portal knows (the prefill: the dataset's Satu Data metadata, the table's
Table Schema), so a value that still matches the prefill follows the dataset when it changes;
an empty string is a value the producer cleared on purpose.

The rows belong to the dataset being edited. A published dataset's rows change only through a
revision, like the rest of its metadata: opening a revision copies them onto the revision (its
MS-Var rows keyed by the revision's copies of the resources), publishing the revision carries
the revision's rows back onto the published dataset (replacing its rows), discarding it deletes
them (see :func:`satudata.review.statistik.services.copy_to_revision`). The public sees the
published dataset's rows until then.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from satudata.db import Base, UTCDateTime, utcnow


class MsKegiatan(Base):
    """The MS-Keg (Metadata Statistik Kegiatan) of a dataset: the statistical activity that
    produces it."""

    __tablename__ = "statistik_kegiatan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), unique=True, index=True)
    judul_kegiatan: Mapped[str | None] = mapped_column(String(300))
    kode_kegiatan: Mapped[str | None] = mapped_column(String(50))
    cara_pengumpulan: Mapped[str | None] = mapped_column(Text)
    sektor_kegiatan: Mapped[str | None] = mapped_column(Text)
    rekomendasi_bps: Mapped[str | None] = mapped_column(Text)
    identitas_rekomendasi: Mapped[str | None] = mapped_column(String(300))
    tahun_kegiatan: Mapped[str | None] = mapped_column(String(20))
    instansi_penyelenggara: Mapped[str | None] = mapped_column(String(300))
    alamat_penyelenggara: Mapped[str | None] = mapped_column(Text)
    telepon_penyelenggara: Mapped[str | None] = mapped_column(String(100))
    faksimile_penyelenggara: Mapped[str | None] = mapped_column(String(100))
    email_penyelenggara: Mapped[str | None] = mapped_column(String(255))
    unit_eselon_1: Mapped[str | None] = mapped_column(String(300))
    unit_eselon_2: Mapped[str | None] = mapped_column(String(300))
    pj_jabatan: Mapped[str | None] = mapped_column(String(300))
    pj_alamat: Mapped[str | None] = mapped_column(Text)
    pj_telepon: Mapped[str | None] = mapped_column(String(100))
    pj_faksimile: Mapped[str | None] = mapped_column(String(100))
    pj_email: Mapped[str | None] = mapped_column(String(255))
    latar_belakang: Mapped[str | None] = mapped_column(Text)
    tujuan: Mapped[str | None] = mapped_column(Text)
    jadwal_perencanaan_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_perencanaan_akhir: Mapped[str | None] = mapped_column(String(10))
    jadwal_desain_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_desain_akhir: Mapped[str | None] = mapped_column(String(10))
    jadwal_pengumpulan_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_pengumpulan_akhir: Mapped[str | None] = mapped_column(String(10))
    jadwal_pengolahan_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_pengolahan_akhir: Mapped[str | None] = mapped_column(String(10))
    jadwal_analisis_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_analisis_akhir: Mapped[str | None] = mapped_column(String(10))
    jadwal_diseminasi_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_diseminasi_akhir: Mapped[str | None] = mapped_column(String(10))
    jadwal_evaluasi_awal: Mapped[str | None] = mapped_column(String(10))
    jadwal_evaluasi_akhir: Mapped[str | None] = mapped_column(String(10))
    variabel_dikumpulkan: Mapped[str | None] = mapped_column(Text)
    kegiatan_dilakukan: Mapped[str | None] = mapped_column(Text)
    frekuensi_penyelenggaraan: Mapped[str | None] = mapped_column(Text)
    tipe_pengumpulan: Mapped[str | None] = mapped_column(Text)
    cakupan_wilayah: Mapped[str | None] = mapped_column(Text)
    wilayah_kegiatan: Mapped[str | None] = mapped_column(Text)
    metode_pengumpulan: Mapped[str | None] = mapped_column(Text)
    metode_pengumpulan_lainnya: Mapped[str | None] = mapped_column(String(500))
    sarana_pengumpulan: Mapped[str | None] = mapped_column(Text)
    sarana_pengumpulan_lainnya: Mapped[str | None] = mapped_column(String(500))
    unit_pengumpulan: Mapped[str | None] = mapped_column(Text)
    unit_pengumpulan_lainnya: Mapped[str | None] = mapped_column(String(500))
    jenis_rancangan_sampel: Mapped[str | None] = mapped_column(Text)
    metode_pemilihan_sampel: Mapped[str | None] = mapped_column(Text)
    metode_sampel: Mapped[str | None] = mapped_column(Text)
    kerangka_sampel: Mapped[str | None] = mapped_column(Text)
    fraksi_sampel: Mapped[str | None] = mapped_column(String(100))
    sampling_error: Mapped[str | None] = mapped_column(String(100))
    unit_sampel: Mapped[str | None] = mapped_column(String(300))
    unit_observasi: Mapped[str | None] = mapped_column(String(300))
    uji_coba: Mapped[str | None] = mapped_column(Text)
    metode_pemeriksaan_kualitas: Mapped[str | None] = mapped_column(Text)
    metode_pemeriksaan_kualitas_lainnya: Mapped[str | None] = mapped_column(String(500))
    penyesuaian_nonrespon: Mapped[str | None] = mapped_column(Text)
    petugas_pengumpulan: Mapped[str | None] = mapped_column(Text)
    pendidikan_petugas: Mapped[str | None] = mapped_column(Text)
    jumlah_supervisor: Mapped[str | None] = mapped_column(String(7))
    jumlah_enumerator: Mapped[str | None] = mapped_column(String(7))
    pelatihan_petugas: Mapped[str | None] = mapped_column(Text)
    pengolahan_editing: Mapped[str | None] = mapped_column(Text)
    pengolahan_coding: Mapped[str | None] = mapped_column(Text)
    pengolahan_entry: Mapped[str | None] = mapped_column(Text)
    pengolahan_validasi: Mapped[str | None] = mapped_column(Text)
    metode_analisis: Mapped[str | None] = mapped_column(Text)
    unit_analisis: Mapped[str | None] = mapped_column(Text)
    unit_analisis_lainnya: Mapped[str | None] = mapped_column(String(500))
    tingkat_penyajian: Mapped[str | None] = mapped_column(Text)
    tingkat_penyajian_lainnya: Mapped[str | None] = mapped_column(String(500))
    produk_tercetak: Mapped[str | None] = mapped_column(Text)
    produk_digital: Mapped[str | None] = mapped_column(Text)
    produk_mikro: Mapped[str | None] = mapped_column(Text)
    rilis_tercetak: Mapped[str | None] = mapped_column(String(10))
    rilis_digital: Mapped[str | None] = mapped_column(String(10))
    rilis_mikro: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class MsVariabel(Base):
    """The MS-Var (Metadata Statistik Variabel) of one column of one table of a dataset."""

    __tablename__ = "statistik_variabel"
    __table_args__ = (UniqueConstraint("resource_id", "column_name", name="uq_statistik_variabel_resource_column"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    column_name: Mapped[str] = mapped_column(String(255))
    nama: Mapped[str | None] = mapped_column(String(255))
    alias: Mapped[str | None] = mapped_column(String(255))
    konsep: Mapped[str | None] = mapped_column(Text)
    definisi: Mapped[str | None] = mapped_column(Text)
    referensi_pemilihan: Mapped[str | None] = mapped_column(String(500))
    referensi_waktu: Mapped[str | None] = mapped_column(String(100))
    tipe_data: Mapped[str | None] = mapped_column(Text)
    klasifikasi_isian: Mapped[str | None] = mapped_column(Text)
    aturan_validasi: Mapped[str | None] = mapped_column(Text)
    kalimat_pertanyaan: Mapped[str | None] = mapped_column(Text)
    akses_umum: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MsIndikator(Base):
    """One MS-Ind (Metadata Statistik Indikator) of a dataset: an indicator it publishes."""

    __tablename__ = "statistik_indikator"
    # One indicator per position: two overlapping saves cannot both add the list (the saves
    # also lock the dataset row, see ``services._lock``).
    __table_args__ = (UniqueConstraint("dataset_id", "position", name="uq_statistik_indikator_dataset_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[str] = mapped_column(ForeignKey("dataset.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    nama: Mapped[str | None] = mapped_column(String(300))
    konsep: Mapped[str | None] = mapped_column(Text)
    definisi: Mapped[str | None] = mapped_column(Text)
    interpretasi: Mapped[str | None] = mapped_column(Text)
    rumus: Mapped[str | None] = mapped_column(Text)
    ukuran: Mapped[str | None] = mapped_column(String(255))
    satuan: Mapped[str | None] = mapped_column(String(100))
    klasifikasi_penyajian: Mapped[str | None] = mapped_column(Text)
    indikator_komposit: Mapped[str | None] = mapped_column(Text)
    publikasi_ketersediaan: Mapped[str | None] = mapped_column(String(500))
    indikator_pembangun: Mapped[str | None] = mapped_column(Text)
    kegiatan_penghasil: Mapped[str | None] = mapped_column(String(500))
    kode_kegiatan_penghasil: Mapped[str | None] = mapped_column(String(50))
    variabel_pembangun: Mapped[str | None] = mapped_column(Text)
    level_estimasi: Mapped[str | None] = mapped_column(String(255))
    akses_umum: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
