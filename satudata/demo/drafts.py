"""Demo work in progress that the public must never see: drafts and a dataset submitted to
the walidata. Tests use them to prove that unpublished datasets stay out of public pages,
search and the APIs."""

from __future__ import annotations

from satudata.catalog.models import CollectionMethod, DatasetState, DataStatus, Frequency, PresentationLevel
from satudata.demo.kabupaten import DUKCAPIL_SOURCE
from satudata.demo.organizations import DUMAI, PELALAWAN, ROKAN_HILIR
from satudata.demo.specs import DatasetSpec, make_spec
from satudata.demo.tables import profile, rng, table

KAB = PresentationLevel.KABUPATEN_KOTA


def unpublished() -> list[DatasetSpec]:
    """Work in progress that the public must never see: three drafts and one submission."""
    rohil = profile(ROKAN_HILIR.kode)
    r = rng("rentan", ROKAN_HILIR.kode)
    rentan_rows = [(k.kode, k.nama, round(k.jumlah * r.uniform(0.004, 0.011)), round(k.jumlah * r.uniform(0.001, 0.004)))
                   for k in rohil.kecamatan]
    rentan = make_spec(
        ROKAN_HILIR, "kependudukan",
        slug="penduduk-rentan-adminduk-rokan-hilir-2026",
        title="Jumlah Penduduk Rentan Administrasi Kependudukan menurut Kecamatan Kabupaten Rokan Hilir 2026",
        topics=("kependudukan", "sosial"), tags=("penduduk rentan", "penduduk", "adminduk"),
        summary=("Draf: penduduk rentan administrasi kependudukan (korban bencana, penduduk terlantar, komunitas "
                 "terpencil) yang belum memiliki dokumen kependudukan, per kecamatan. Masih diverifikasi."),
        tables=(table("penduduk_rentan_adminduk_rokan_hilir_2026.csv", "Penduduk rentan adminduk per kecamatan",
                      "Draf, belum diverifikasi.", ("kode_wilayah", "kecamatan", "belum_memiliki_nik",
                                                    "belum_memiliki_akta"), rentan_rows),),
        year=2026, period="Semester I 2026", frequency=Frequency.SEMESTERAN,
        urusan="Administrasi Kependudukan dan Pencatatan Sipil", konsep="Penduduk rentan administrasi kependudukan",
        definisi="Penduduk yang mengalami hambatan memperoleh dokumen kependudukan (Permendagri 96/2019).",
        klasifikasi="Kecamatan", ukuran="Jumlah penduduk", satuan="jiwa", source=DUKCAPIL_SOURCE,
        unit="Bidang Pelayanan Pendaftaran Penduduk", status=DataStatus.SEMENTARA, state=DatasetState.DRAFT,
    )
    ruas = make_spec(
        PELALAWAN, "pu",
        slug="daftar-ruas-jalan-pelalawan-2026",
        title="Daftar Ruas Jalan Kabupaten Pelalawan 2026",
        topics=("infrastruktur",), tags=("jalan", "ruas jalan"),
        summary="Draf: daftar ruas jalan kabupaten menurut SK Bupati tentang status ruas jalan. Tabel belum diunggah.",
        tables=(), year=2026, level=KAB, frequency=Frequency.TIDAK_TENTU,
        urusan="Pekerjaan Umum dan Penataan Ruang", konsep="Ruas jalan", definisi="Ruas jalan berstatus jalan kabupaten.",
        klasifikasi="Ruas jalan", ukuran="Panjang", satuan="km", source="SK Bupati Pelalawan tentang Status Ruas Jalan",
        unit="Bidang Bina Marga", state=DatasetState.DRAFT,
    )
    dumai = profile(DUMAI.kode)
    r = rng("dbd", DUMAI.kode)
    dbd_rows = [(k.kode, k.nama, round(k.jumlah * r.uniform(0.0002, 0.0009)), r.randint(0, 1)) for k in dumai.kecamatan]
    dbd = make_spec(
        DUMAI, "kesehatan",
        slug="kasus-dbd-kecamatan-dumai-2026",
        title="Jumlah Kasus Demam Berdarah Dengue menurut Kecamatan Kota Dumai 2026",
        topics=("kesehatan",), tags=("dbd", "demam berdarah", "penyakit menular"),
        summary="Draf: kasus demam berdarah dengue (DBD) dan kematian akibat DBD per kecamatan, Januari–Juni 2026.",
        tables=(table("kasus_dbd_kecamatan_dumai_2026.csv", "Kasus DBD per kecamatan", "Januari–Juni 2026.",
                      ("kode_wilayah", "kecamatan", "kasus_dbd", "kematian_dbd"), dbd_rows),),
        year=2026, period="Januari–Juni 2026", urusan="Kesehatan", konsep="Demam berdarah dengue",
        definisi="Kasus DBD yang terkonfirmasi sesuai kriteria WHO.", klasifikasi="Kecamatan",
        ukuran="Jumlah kasus", satuan="kasus", source="Surveilans penyakit Dinas Kesehatan",
        unit="Bidang Pencegahan dan Pengendalian Penyakit", status=DataStatus.SEMENTARA, state=DatasetState.DRAFT,
    )
    pelalawan = profile(PELALAWAN.kode)
    r = rng("pip", PELALAWAN.kode)
    pip_rows = [(level, round(pelalawan.jumlah * share * r.uniform(0.16, 0.24)))
                for level, share in (("SD", 0.125), ("SMP", 0.058), ("SMA", 0.03), ("SMK", 0.022))]
    pip = make_spec(
        PELALAWAN, "pendidikan",
        slug="penerima-pip-jenjang-pelalawan-2025",
        title="Jumlah Peserta Didik Penerima Program Indonesia Pintar menurut Jenjang Kabupaten Pelalawan 2025",
        topics=("pendidikan", "sosial"), tags=("pip", "bantuan pendidikan"),
        summary="Diajukan ke walidata: peserta didik penerima Program Indonesia Pintar (PIP) menurut jenjang, 2025.",
        tables=(table("penerima_pip_jenjang_pelalawan_2025.csv", "Penerima PIP per jenjang", "Tahun 2025.",
                      ("jenjang", "penerima_pip"), pip_rows),),
        year=2025, level=KAB, urusan="Pendidikan", konsep="Program Indonesia Pintar",
        definisi="Bantuan tunai pendidikan bagi peserta didik dari keluarga miskin atau rentan.",
        klasifikasi="Jenjang pendidikan", ukuran="Jumlah penerima", satuan="orang",
        source="SIPINTAR Kemendikdasmen", unit="Subbagian Program dan Data", method=CollectionMethod.KOMPILASI,
        state=DatasetState.SUBMITTED,
    )
    return [rentan, ruas, dbd, pip]
