"""What a demo dataset is before it reaches the database: ``DatasetSpec``, built by
``make_spec`` with the Satu Data metadata a region's OPD would fill in, and its Markdown
description (summary, table structure, source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from satudata import reference
from satudata.catalog.models import (
    AccessClass,
    CollectionMethod,
    DataKind,
    DatasetState,
    DataStatus,
    Frequency,
    PresentationLevel,
)
from satudata.demo.organizations import Region, opd_email, opd_of, opd_slug, walidata_slug
from satudata.demo.tables import Table

# What each column means, for the "Struktur tabel" part of a description.
COLUMNS: dict[str, str] = {
    "kode_wilayah": f"kode wilayah Kemendagri ({reference.KODE_WILAYAH_SOURCE}), ditulis sebagai teks",
    "kode_kecamatan": "kode wilayah Kemendagri kecamatan induk",
    "kecamatan": "nama kecamatan",
    "kabupaten_kota": "nama kabupaten/kota",
    "nama_desa_kelurahan": "nama desa atau kelurahan",
    "status": "status wilayah: Desa atau Kelurahan",
    "tahun": "tahun data",
    "bulan": "bulan data (format TTTT-BB)",
    "nama_bulan": "nama bulan",
    "laki_laki": "jumlah laki-laki (jiwa)",
    "perempuan": "jumlah perempuan (jiwa)",
    "jumlah": "jumlah seluruhnya",
    "rasio_jenis_kelamin": "banyaknya laki-laki per 100 perempuan",
    "luas_wilayah_km2": "luas wilayah (km²)",
    "kepadatan_jiwa_per_km2": "kepadatan penduduk (jiwa per km²)",
    "kelompok_umur": "kelompok umur lima tahunan (tahun)",
    "kelahiran_laki_laki": "kelahiran bayi laki-laki yang dilaporkan",
    "kelahiran_perempuan": "kelahiran bayi perempuan yang dilaporkan",
    "jumlah_kelahiran": "jumlah kelahiran",
    "jumlah_kematian": "jumlah kematian yang dilaporkan",
    "akta_kelahiran_terbit": "akta kelahiran yang diterbitkan pada bulan tersebut",
    "wajib_ktp": "penduduk wajib KTP-el (berumur 17 tahun ke atas atau sudah/pernah kawin)",
    "sudah_rekam_ktp_el": "penduduk wajib KTP yang sudah merekam data KTP-el",
    "persentase_rekam_ktp_el": "persentase perekaman KTP-el (%)",
    "anak_0_17": "penduduk berumur di bawah 17 tahun",
    "memiliki_kia": "anak yang sudah memiliki Kartu Identitas Anak",
    "persentase_kia": "persentase kepemilikan KIA (%)",
    "rumah_sakit": "rumah sakit umum dan khusus",
    "puskesmas": "pusat kesehatan masyarakat",
    "puskesmas_pembantu": "puskesmas pembantu (pustu)",
    "klinik_pratama": "klinik pratama",
    "apotek": "apotek",
    "posyandu": "pos pelayanan terpadu aktif",
    "nama_puskesmas": "nama puskesmas",
    "jenis_layanan": "rawat inap atau non rawat inap",
    "akreditasi": "status akreditasi terakhir",
    "tenaga_kesehatan": "jumlah tenaga kesehatan (orang)",
    "sasaran_bayi": "bayi sasaran imunisasi (bayi lahir hidup)",
    "bayi_idl_laki_laki": "bayi laki-laki yang mendapat imunisasi dasar lengkap",
    "bayi_idl_perempuan": "bayi perempuan yang mendapat imunisasi dasar lengkap",
    "cakupan_idl_persen": "cakupan imunisasi dasar lengkap (%)",
    "balita_diukur": "balita yang diukur tinggi badannya",
    "balita_stunting": "balita dengan tinggi badan menurut umur di bawah -2 SD",
    "prevalensi_stunting_persen": "prevalensi balita stunting (%)",
    "paud_tk": "satuan PAUD/TK",
    "sd": "sekolah dasar",
    "smp": "sekolah menengah pertama",
    "sma": "sekolah menengah atas",
    "smk": "sekolah menengah kejuruan",
    "jenjang": "jenjang pendidikan",
    "sekolah": "jumlah sekolah",
    "guru": "jumlah guru (orang)",
    "murid": "jumlah peserta didik (orang)",
    "rasio_murid_guru": "banyaknya peserta didik per guru",
    "luas_tanam_ha": "luas tanam (ha)",
    "luas_panen_ha": "luas panen (ha)",
    "produktivitas_ku_per_ha": "produktivitas (kuintal per ha)",
    "produksi_ton_gkg": "produksi padi (ton gabah kering giling)",
    "tbm_ha": "tanaman belum menghasilkan (ha)",
    "tm_ha": "tanaman menghasilkan (ha)",
    "ttm_ha": "tanaman tidak menghasilkan/rusak (ha)",
    "jumlah_ha": "luas areal seluruhnya (ha)",
    "produksi_ton_tbs": "produksi tandan buah segar (ton)",
    "petani_kk": "petani pekebun (kepala keluarga)",
    "baik_km": "panjang jalan kondisi baik (km)",
    "sedang_km": "panjang jalan kondisi sedang (km)",
    "rusak_ringan_km": "panjang jalan rusak ringan (km)",
    "rusak_berat_km": "panjang jalan rusak berat (km)",
    "panjang_total_km": "panjang jalan seluruhnya (km)",
    "persentase_mantap": "persentase jalan kondisi mantap (baik + sedang)",
    "perangkat_daerah": "nama perangkat daerah (OPD)",
    "uraian": "uraian akun anggaran",
    "anggaran_rp": "anggaran setelah perubahan (rupiah)",
    "realisasi_rp": "realisasi sampai akhir tahun anggaran (rupiah)",
    "persentase_realisasi": "persentase realisasi terhadap anggaran (%)",
    "kpm_pkh": "keluarga penerima manfaat Program Keluarga Harapan",
    "kpm_sembako": "keluarga penerima manfaat Program Sembako",
    "pbi_jkn_jiwa": "penerima bantuan iuran JKN (jiwa)",
    "jumlah_penduduk_miskin_jiwa": "penduduk yang pengeluarannya di bawah garis kemiskinan (jiwa)",
    "persentase_penduduk_miskin": "persentase penduduk miskin (P0, %)",
    "garis_kemiskinan_rp": "garis kemiskinan (rupiah per kapita per bulan)",
    "indeks_kedalaman_p1": "indeks kedalaman kemiskinan (P1)",
    "indeks_keparahan_p2": "indeks keparahan kemiskinan (P2)",
    "jumlah_desa": "jumlah desa",
    "jumlah_kelurahan": "jumlah kelurahan",
    "jumlah_desa_kelurahan": "jumlah desa dan kelurahan",
    "pdrb_adhb_miliar_rp": "PDRB atas dasar harga berlaku (miliar rupiah)",
    "pdrb_adhk_miliar_rp": "PDRB atas dasar harga konstan 2010 (miliar rupiah)",
    "laju_pertumbuhan_persen": "laju pertumbuhan PDRB ADHK (%)",
    "pdrb_per_kapita_juta_rp": "PDRB ADHB per kapita (juta rupiah)",
    "lapangan_usaha": "kategori lapangan usaha (KBLI 2020)",
    "adhb_miliar_rp": "nilai tambah atas dasar harga berlaku (miliar rupiah)",
    "distribusi_persen": "distribusi terhadap PDRB (%)",
    "timbulan_ton": "timbulan sampah (ton per tahun)",
    "terkelola_ton": "sampah yang terkelola (ton)",
    "diangkut_ke_tpa_ton": "sampah yang diangkut ke TPA (ton)",
    "didaur_ulang_ton": "sampah yang didaur ulang atau dikomposkan (ton)",
    "persentase_terkelola": "persentase sampah terkelola (%)",
    "perkebunan_rakyat_ha": "luas areal perkebunan rakyat (ha)",
    "perkebunan_besar_negara_ha": "luas areal perkebunan besar negara (ha)",
    "perkebunan_besar_swasta_ha": "luas areal perkebunan besar swasta (ha)",
    "produksi_ton_cpo": "produksi minyak sawit mentah (ton CPO)",
    "kepercayaan_tinggi": "titik panas dengan tingkat kepercayaan tinggi (≥ 80%)",
    "kepercayaan_sedang": "titik panas dengan tingkat kepercayaan sedang (30–79%)",
    "luas_terbakar_ha": "luas areal terbakar (ha)",
    "tanah_mineral_ha": "luas terbakar di tanah mineral (ha)",
    "gambut_ha": "luas terbakar di lahan gambut (ha)",
    "ipm_provinsi_riau": "Indeks Pembangunan Manusia Provinsi Riau",
    "kelompok": "kelompok akun: Pendapatan atau Belanja",
    "sma_negeri": "SMA negeri", "sma_swasta": "SMA swasta",
    "smk_negeri": "SMK negeri", "smk_swasta": "SMK swasta",
    "slb_negeri": "SLB negeri", "slb_swasta": "SLB swasta",
    "permohonan_masuk": "permohonan informasi yang diterima",
    "dikabulkan_seluruhnya": "permohonan yang dikabulkan seluruhnya",
    "dikabulkan_sebagian": "permohonan yang dikabulkan sebagian",
    "ditolak": "permohonan yang ditolak berdasarkan pengecualian (uji konsekuensi)",
    "informasi_tidak_dikuasai": "permohonan atas informasi yang tidak dikuasai badan publik",
    "keberatan": "keberatan yang diajukan kepada atasan PPID",
    "sengketa_komisi_informasi": "sengketa informasi yang diajukan ke Komisi Informasi",
    "rata_rata_waktu_layanan_hari_kerja": "rata-rata waktu penyelesaian permohonan (hari kerja)",
    "dokter_umum": "dokter umum (orang)", "dokter_spesialis": "dokter spesialis (orang)",
    "dokter_gigi": "dokter gigi (orang)", "perawat": "perawat (orang)", "bidan": "bidan (orang)",
    "apoteker": "apoteker (orang)", "tenaga_gizi": "tenaga gizi (orang)",
    "belum_memiliki_nik": "penduduk rentan yang belum memiliki NIK (jiwa)",
    "belum_memiliki_akta": "penduduk rentan yang belum memiliki akta kelahiran (jiwa)",
    "kasus_dbd": "kasus demam berdarah dengue",
    "kematian_dbd": "kematian akibat demam berdarah dengue",
    "penerima_pip": "peserta didik penerima PIP (orang)",
}
COLUMNS.update({f"ipm_{year}": f"Indeks Pembangunan Manusia tahun {year}" for year in range(2010, 2031)})


@dataclass
class DatasetSpec:
    """A dataset to create: metadata, topics, tags, tables, and its place in the demo history."""

    slug: str
    title: str
    organization: str  # organisation slug
    walidata: str  # organisation slug
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str  # the first paragraph(s) of the description, Markdown
    tables: tuple[Table, ...]
    fields: dict[str, Any]  # Satu Data metadata for catalog.create_dataset
    state: DatasetState = DatasetState.PUBLISHED
    popularity: float = 1.0  # how much the public downloads it, relative
    published_at: datetime | None = None  # set by catalogue.build_catalogue
    download_count: int = 0
    view_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        parts = [self.summary.strip()]
        for t in self.tables:
            lines = [f"**Tabel {t.name}** (`{t.filename}`, {len(t.rows)} baris)", "", "| Kolom | Keterangan |",
                     "|---|---|"]
            lines += [f"| `{c}` | {COLUMNS.get(c, c.replace('_', ' '))} |" for c in t.header]
            parts.append("\n".join(lines))
        notes = [f"Sumber data: {self.fields['data_source']}."]
        if any(c.startswith("kode") for t in self.tables for c in t.header):
            notes.append(f"Kode wilayah mengikuti {reference.KODE_WILAYAH_SOURCE} dan ditulis sebagai teks "
                         "(misalnya `14.07.01`), bukan angka.")
        if self.fields.get("data_status") == DataStatus.SEMENTARA:
            notes.append("Angka sementara; dapat berubah pada rilis berikutnya.")
        parts.append(" ".join(notes))
        return "\n\n".join(parts)


def make_spec(
    region: Region,
    role: str,
    *,
    slug: str,
    title: str,
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    summary: str,
    tables: tuple[Table, ...],
    year: int,
    urusan: str,
    konsep: str,
    definisi: str,
    klasifikasi: str,
    ukuran: str,
    satuan: str,
    source: str,
    unit: str,
    period: str | None = None,
    frequency: Frequency = Frequency.TAHUNAN,
    level: PresentationLevel = PresentationLevel.KECAMATAN,
    method: CollectionMethod = CollectionMethod.ADMINISTRASI,
    kind: DataKind = DataKind.STATISTIK_SEKTORAL,
    priority: bool = False,
    status: DataStatus = DataStatus.TETAP,
    licence: str = "cc-by-4.0",
    popularity: float = 1.0,
    state: DatasetState = DatasetState.PUBLISHED,
    release_date: date | None = None,
) -> DatasetSpec:
    """A dataset produced by ``region``'s OPD that does ``role``, with every Satu Data field."""
    opd = opd_of(region, role)
    fields: dict[str, Any] = {
        "urusan": urusan,
        "konsep": konsep,
        "definisi": definisi,
        "klasifikasi": klasifikasi,
        "ukuran": ukuran,
        "satuan": satuan,
        "year": year,
        "period": period or str(year),
        "frequency": frequency,
        "release_date": release_date,  # filled in by build_catalogue when None
        "presentation_level": level,
        "kode_wilayah": region.kode,
        "coverage": region.label,
        "data_source": source,
        "collection_method": method,
        "data_kind": kind,
        "is_priority": priority,
        "data_status": status,
        "contact_name": f"{unit}, {opd.name} {region.label}",
        "contact_email": opd_email(region, role),
        "access_class": AccessClass.PUBLIK,
        "licence_id": licence,
    }
    return DatasetSpec(slug=slug, title=title, organization=opd_slug(region, role), walidata=walidata_slug(region),
                       topics=topics, tags=tags, summary=summary, tables=tables, fields=fields, state=state,
                       popularity=popularity)
