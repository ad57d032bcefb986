"""The demo's PPID: a year and a half of public information requests, their answers, two
keberatan and a dispute, and a Daftar Informasi Publik.

About thirty requests to the PPID Utama (Diskominfotik Provinsi Riau) and to OPDs' PPID
Pelaksana, by web, email, letter, phone and in person, from citizens, legal entities and groups,
received in the previous year and this one, with every outcome the law knows: granted (with a
linked dataset, with copying costs and a delivery), granted in part (each blacked-out part with
its Pasal 17 ground), refused (Pasal 17 and the uji konsekuensi), not held (naming the holder),
not yet documented (with the date), withdrawn, not entitled, one set aside as spam, and several
still open (one extended, one overdue, one routed from the PPID Utama to a PPID Pelaksana, one
returned for completion). One refusal was objected to, the Atasan PPID upheld it with reasons,
and the applicant took it to the Komisi Informasi; one objection is still on its clock.

Everything goes through ``ppid.services`` as it would on the day: web filings by an anonymous
visitor, the rest recorded by the demo's PPID officers, withdrawals and objections by the
applicant with their tracking code, objection answers by the demo's Atasan PPID. "Today" of the
services (``services.today``) is moved to each step's day while it runs and put back after, so
numbers, due dates, working days and lateness are the law's; the rows' timestamps are moved to
that day too. Dates are counted back from the day the demo is loaded: the previous year's on
fixed dates, this year's and the open ones in working days before today.

The applicants are fictional (:data:`APPLICANTS`): plausible NIKs of Riau (real kecamatan codes,
valid dates of birth), addresses in Riau, and email addresses on the reserved ``.example``
domain, so no mail the demo queues can reach anyone. Tests use them to prove that no public page
or API shows who asked.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from satudata.accounts.models import Organization, User
from satudata.authz import Actor, AnonymousActor
from satudata.catalog.models import Dataset
from satudata.extensions import db
from satudata.ppid import attachments, clock, deadlines, services
from satudata.ppid.models import (
    ApplicantType,
    Channel,
    DipEntry,
    InformationRequest,
    Notice,
    Objection,
    RequestEvent,
)
from satudata.ppid.serializers import DipEntryInput, RequestInput

__all__ = ["APPLICANTS", "DIP", "PROXIES", "REQUESTS", "Applicant", "create_ppid"]

UTAMA = services.UTAMA_TARGET  # the PPID Utama: Diskominfotik Provinsi Riau in the demo
PPID_UTAMA_USER = "ppid.utama.riau"
ATASAN_USER = "atasan.ppid.riau"
# The OPDs whose PPID Pelaksana has a demo account; the PPID Utama acts for the others.
PELAKSANA_USERS = {"dinkes-rokan-hilir": "ppid.dinkes.rohil", "disdukcapil-dumai": "ppid.disdukcapil.dumai"}


# --------------------------------------------------------------------------- who asks


@dataclass(frozen=True)
class Applicant:
    """A fictional applicant: everything here is personal data that no public page may show."""

    key: str
    name: str
    kind: ApplicantType
    address: str
    occupation: str = ""
    nik: str = ""  # perorangan
    identity_number: str = ""  # badan hukum: akta/SK pengesahan; kelompok: surat kuasa
    email: str = ""
    phone: str = ""

    def form(self) -> dict[str, str]:
        """The applicant's part of the request form."""
        return {"applicant_type": str(self.kind), "name": self.name, "nik": self.nik,
                "identity_number": self.identity_number, "email": self.email, "phone": self.phone,
                "address": self.address, "occupation": self.occupation}


P, B, K = ApplicantType.PERORANGAN, ApplicantType.BADAN_HUKUM, ApplicantType.KELOMPOK

# NIK: kecamatan code (from the Kemendagri list), date of birth DDMMYY (day + 40 for a woman),
# serial number.
APPLICANTS: tuple[Applicant, ...] = (
    Applicant("rahmat", "Rahmat Hidayat Nasution", P, "Jl. Kaharuddin Nasution No. 88B, Kec. Marpoyan Damai, "
              "Pekanbaru 28284", "Mahasiswa pascasarjana", nik="1471091207940003",
              email="rahmat.nasution@surel.example", phone="081266342187"),
    Applicant("nurul", "Nurul Aini Siregar", P, "Jl. Durian Gg. Sepakat No. 7, Kec. Sukajadi, Pekanbaru 28122",
              "Jurnalis", nik="1471014311980002", email="nurul.siregar@redaksi.example", phone="082170559314"),
    Applicant("fadli", "Muhammad Fadli Lubis", P, "Jl. Sultan Syarif Kasim Gg. Kenanga No. 12, Kec. Dumai Barat, "
              "Dumai 28811", "Wiraswasta", nik="1472012502890005", email="fadli.lubis@surel.example",
              phone="085265118740"),
    Applicant("dewi", "Dewi Kartika Sari", P, "Jl. Perwira No. 31, Bagansiapiapi, Kec. Bangko, Rokan Hilir 28912",
              "Bidan desa", nik="1407025708910001", email="dewikartika.bidan@surel.example", phone="081378224509"),
    Applicant("andi", "Andi Saputra Harahap", P, "Jl. Lintas Timur KM 4, Kec. Pangkalan Kerinci, Pelalawan 28654",
              "Petani sawit", nik="1405020901850004", phone="082283907716"),
    Applicant("yulia", "Yulia Rahmawati Putri", P, "Perumahan Griya Hangtuah Blok C No. 9, Kec. Bukit Raya, "
              "Pekanbaru 28284", "Peneliti kesehatan masyarakat", nik="1471077004960003",
              email="yulia.rahmawati@kampus.example", phone="081371640228"),
    Applicant("hendra", "Hendra Gunawan Simanjuntak", P, "Jl. Hang Tuah No. 45, Duri, Kec. Mandau, Bengkalis 28884",
              "Karyawan swasta", nik="1403090512790002", email="hendra.simanjuntak@surel.example",
              phone="081268813390"),
    Applicant("fitri", "Fitri Handayani Situmorang", P, "Jl. HR Soebrantas Gg. Melati No. 21, Kec. Binawidya, "
              "Pekanbaru 28293", "Mahasiswi", nik="1471086106000001", email="fitri.handayani@kampus.example",
              phone="081364027751"),
    Applicant("zulkarnain", "Zulkarnain Effendi", P, "Jl. Cempedak No. 18, Kec. Dumai Timur, Dumai 28826", "Guru",
              nik="1472021403720006", email="zulkarnain.effendi@surel.example", phone="081371902846"),
    Applicant("ratna", "Ratna Juwita Purba", P, "Jl. Raya Perawang KM 2, Kec. Tualang, Siak 28772", "Dosen",
              nik="1408044809870002", email="ratna.purba@kampus.example", phone="081277356084"),
    Applicant("agus", "Agus Salim Pohan", P, "Jl. Utama No. 102, Bagan Batu, Kec. Bagan Sinembah, Rokan Hilir 28992",
              "Pedagang", nik="1407051910830003", phone="085271446093"),
    Applicant("lestari", "Lestari Wulandari Tanjung", P, "Jl. Pasir Putih No. 5, Kec. Siak Hulu, Kampar 28452",
              "Aktivis lingkungan", nik="1401064202930004", email="lestari.wulandari@surel.example",
              phone="082388127465"),
    Applicant("bambang", "Bambang Irawan Sitompul", P, "Jl. Ronggowarsito No. 14, Kec. Sail, Pekanbaru 28131",
              "Pensiunan ASN", nik="1471032705680001", email="bambang.sitompul@surel.example",
              phone="081365230917"),
    Applicant("nurhayati", "Nurhayati Sembiring", P, "Jl. Sudirman Gg. Anggrek No. 3, Kec. Dumai Kota, Dumai 28812",
              "Ibu rumah tangga", nik="1472065107900002", phone="085376015528"),
    Applicant("irfan", "Irfan Maulana Hasibuan", P, "Jl. Lintas Riau-Sumut No. 77, Kec. Rimba Melintang, "
              "Rokan Hilir 28953", "Mahasiswa", nik="1407041611970001", email="irfan.hasibuan@kampus.example",
              phone="082172684431"),
    Applicant("taufik", "Taufik Hidayatullah", P, "Jl. Datuk Laksamana No. 21, Kec. Pangkalan Kuras, Pelalawan 28382",
              "Wartawan", nik="1405030108810003", email="taufik.hidayatullah@redaksi.example", phone="081378560142"),
    Applicant("sriwahyuni", "Sri Wahyuni Daulay", P, "Jl. Pembangunan Gg. Rukun No. 9, Kec. Tenayan Raya, "
              "Pekanbaru 28285", "Konsultan", nik="1471106412860005", email="sriwahyuni.daulay@surel.example",
              phone="081266094473"),
    Applicant("reza", "Reza Pahlevi Tanjung", P, "Jl. Soekarno-Hatta Gg. Damai No. 16, Kec. Payung Sekaki, "
              "Pekanbaru 28292", "Mahasiswa", nik="1471110703990002", email="reza.tanjung@kampus.example",
              phone="082268730155"),
    Applicant("yusuf", "Yusuf Hamdani Rangkuti", P, "Jl. Pelabuhan No. 4, Kec. Bukit Kapur, Dumai 28882", "Nelayan",
              nik="1472032909750004", phone="085264418827"),
    Applicant("maya", "Maya Anggraini Lubis", P, "Desa Teluk Dalam RT 002/RW 001, Kec. Kuala Kampar, Pelalawan 28384",
              "Guru honorer", nik="1405105305950001", email="maya.anggraini@surel.example", phone="081270548836"),
    Applicant("kevin", "Kevin Pratama Wijaya", P, "Jl. Tanjung Datuk No. 200, Kec. Senapelan, Pekanbaru 28155",
              "Wiraswasta", nik="1471051010010007", email="promo.kevin@iklan.example", phone="089512345670"),
    Applicant("dedi", "Dedi Kurniawan Saragih", P, "Jl. Sekolah No. 36, Kec. Rumbai, Pekanbaru 28264", "Kontraktor",
              nik="1471121804800002", email="dedi.saragih@surel.example", phone="081371186620"),
    Applicant("aisyah", "Aisyah Putri Ramadhani", P, "Jl. Lintas Ujung Tanjung No. 12, Kec. Tanah Putih, "
              "Rokan Hilir 28983", "Mahasiswi", nik="1407034511020003", email="aisyah.ramadhani@kampus.example",
              phone="082387410963"),
    Applicant("hasan", "Hasan Basri Matondang", P, "Jl. Raya Pelintung RT 004, Kec. Medang Kampai, Dumai 28825",
              "Ketua RT", nik="1472052201700001", phone="085278812049"),
    Applicant("wahyu", "Wahyu Setiawan Nainggolan", P, "Jl. Poros Kerinci Kanan No. 8, Kec. Kerinci Kanan, Siak 28654",
              "Petani sawit", nik="1408073006880004", email="wahyu.setiawan@surel.example", phone="081365907724"),
    Applicant("pemantau", "Perkumpulan Jaringan Pemantau Hutan Riau", B, "Jl. Sei Mintan No. 21, Kec. Bukit Raya, "
              "Pekanbaru 28284", "Lembaga swadaya masyarakat", identity_number="AHU-0004512.AH.01.07.TAHUN 2016",
              email="sekretariat@pemantauhutan.example", phone="0761571234"),
    Applicant("kajian", "Yayasan Lembaga Kajian Kebijakan Publik Riau", B, "Jl. Arifin Ahmad No. 63, "
              "Kec. Marpoyan Damai, Pekanbaru 28294", "Lembaga penelitian",
              identity_number="AHU-0019876.AH.01.04.TAHUN 2019", email="kontak@kajianpublik.example",
              phone="0761864420"),
    Applicant("lancang", "PT Media Lancang Kuning Nusantara", B, "Jl. Jenderal Sudirman No. 301, Kec. Limapuluh, "
              "Pekanbaru 28155", "Perusahaan pers", identity_number="AHU-0031245.AH.01.01.TAHUN 2020",
              email="redaksi@lancangkuning.example", phone="0761839012"),
    Applicant("bahtera", "PT Bahtera Riau Konstruksi", B, "Jl. Siliwangi No. 17, Bagansiapiapi, Rokan Hilir 28912",
              "Jasa konstruksi", identity_number="AHU-0047721.AH.01.01.TAHUN 2021",
              email="tender@bahterariau.example", phone="076722318"),
    Applicant("palmwatch", "Global Palm Watch Ltd", B, "12 Fenchurch Avenue, London EC3M 5BN, Inggris",
              "Organisasi riset asing", identity_number="Company No. 11223344 (England and Wales)",
              email="research@globalpalmwatch.example", phone="+442079460321"),
    Applicant("poktan", "Kelompok Tani Sawit Maju Bersama", K, "Desa Kemang, Kec. Pangkalan Kuras, Pelalawan 28382",
              "Kelompok tani", identity_number="Surat Kuasa No. 03/KT-SMB/VI/2025",
              email="ktmajubersama@surel.example", phone="081378043316"),
    Applicant("forumsungai", "Forum Warga Peduli Sungai Dumai", K, "Jl. Nelayan Laut No. 2, Kec. Dumai Barat, "
              "Dumai 28811", "Kelompok masyarakat", identity_number="Surat Kuasa No. 01/FWPSD/XI/2026",
              email="forum.sungaidumai@surel.example", phone="082284106657"),
    Applicant("paguyuban", "Paguyuban Pedagang Pasar Bawah Pekanbaru", K, "Jl. Ahmad Yani, Kec. Senapelan, "
              "Pekanbaru 28151", "Kelompok pedagang", identity_number="Surat kuasa menyusul (belum ada nomor)",
              phone="081277640098"),
)

# The advocate one objector gave a surat kuasa to: personal data as well.
PROXIES: tuple[Applicant, ...] = (
    Applicant("kuasa", "Ahmad Rizal Fauzi", P, "Jl. Tuanku Tambusai No. 120, Kec. Payung Sekaki, Pekanbaru 28292",
              "Advokat", email="rizal.fauzi@advokat.example", phone="081266475530"),
)

_BY_KEY = {a.key: a for a in APPLICANTS}


# --------------------------------------------------------------------------- what happens


@dataclass(frozen=True)
class Step:
    """One thing done on a request, ``after`` working days after it was received.

    ``action``: a move of ``ppid.transitions`` made by ``by`` (a demo officer; by default the
    PPID Pelaksana of the handling OPD, or else the PPID Utama), or ``applicant_withdraw`` and
    ``object`` (the applicant, with the tracking code), ``objection:<move>`` (the Atasan
    PPID), or ``attach`` (a file of the answer: ``name`` and ``content``). ``dated``: fields that are a date, as calendar days after the step's day."""

    after: int
    action: str
    data: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    by: str = ""
    dated: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoRequest:
    """A request of the demo: who asks whom for what, when and how, and what became of it.
    ``received``: ``(month, day)`` of the previous year (the next working day, if that is none),
    or a number of working days before today."""

    applicant: str
    target: str
    channel: Channel
    received: tuple[int, int] | int
    information: str
    purpose: str
    obtain: str = "salinan_softcopy"
    copy: str = "email"
    steps: tuple[Step, ...] = ()


def _grant(given: str, form: str, delivery: str, cost: int = 0, datasets: tuple[str, ...] = (),
           after: int = 5, note: str = "") -> Step:
    data: dict[str, Any] = {"given": given, "form": form, "delivery": delivery, "cost": cost}
    if datasets:
        data["datasets"] = list(datasets)
    return Step(after, "grant", data, note=note)


def _in_part(given: str, form: str, delivery: str, redactions: list[tuple[str, str, str]], after: int = 7,
             cost: int = 0, note: str = "") -> Step:
    return Step(after, "grant_in_part", {
        "given": given, "form": form, "delivery": delivery, "cost": cost,
        "redactions": [{"part": part, "exemptions": [letter], "reason": reason} for part, letter, reason in redactions]},
        note=note)


def _delivered(after: int, means: str, cost: int = 0) -> Step:
    return Step(after, "record_delivery", {"means": means, "cost": cost}, dated={"delivered_on": 0})


def _route(to: str, after: int = 1) -> Step:
    return Step(after, "route", {"to": to}, by=PPID_UTAMA_USER)


REFUSAL_UPHELD = (
    "Atasan PPID menguatkan keputusan PPID. Laporan hasil audit investigatif yang diminta telah diserahkan kepada "
    "Kejaksaan Tinggi Riau sebagai bahan penyidikan perkara pengadaan yang masih berjalan. Membukanya sebelum "
    "perkara diputus dapat menghambat penyidikan, antara lain mengungkap keterangan saksi dan alat bukti yang belum "
    "diperiksa (Pasal 17 huruf a angka 1 UU 14/2008). Uji konsekuensi PPID tertanggal pemberitahuan tertulis telah "
    "mempertimbangkan kepentingan publik atas pengawasan anggaran; kepentingan itu tetap terlayani karena ringkasan "
    "hasil audit dan nilai kerugian yang telah diumumkan Inspektorat dapat diberikan. Laporan dapat diminta kembali "
    "setelah putusan berkekuatan hukum tetap.")

REQUESTS: tuple[DemoRequest, ...] = (
    # ----------------------------------------------------------------- the previous year, all closed
    DemoRequest(
        "bambang", UTAMA, Channel.WEB, (2, 10),
        "Jumlah penduduk miskin dan garis kemiskinan per kabupaten/kota di Provinsi Riau tahun 2020 sampai 2024.",
        "Bahan diskusi kelompok pengajian tentang program pengentasan kemiskinan.",
        steps=(_grant("Tabel jumlah dan persentase penduduk miskin serta garis kemiskinan per kabupaten/kota "
                      "2020–2024 (sumber: BPS, dihimpun Bappedalitbang).", "Salinan elektronik (XLSX)",
                      "Dikirim melalui surel pada hari keputusan.", after=4),
               _delivered(4, "Surel"))),
    DemoRequest(
        "kajian", UTAMA, Channel.LETTER, (3, 3),
        "Salinan lengkap laporan hasil audit investigatif Inspektorat atas pengadaan kendaraan dinas "
        "BPKAD Provinsi Riau tahun anggaran 2023.",
        "Kajian tata kelola pengadaan barang/jasa pemerintah daerah.", obtain="salinan_hardcopy", copy="langsung",
        steps=(_route("bpkad-riau", after=1),
               Step(8, "refuse", {"exemptions": ["a"], "consequence_test": (
                   "Laporan tersebut telah diserahkan kepada Kejaksaan Tinggi Riau dan menjadi bahan penyidikan "
                   "perkara yang sedang berjalan. Membukanya sekarang dapat menghambat proses penyidikan dan "
                   "mengungkap identitas saksi serta alat bukti yang belum diperiksa. Kerugian bagi kepentingan "
                   "penegakan hukum lebih besar daripada manfaat membukanya saat ini; laporan dapat diminta kembali "
                   "setelah perkara berkekuatan hukum tetap.")},
                    note="Ringkasan hasil audit yang telah diumumkan Inspektorat dapat diminta terpisah."),
               Step(18, "object", {"grounds": ["a"], "case_summary": (
                   "Pemohon meminta laporan hasil audit investigatif pengadaan kendaraan dinas 2023. PPID menolak "
                   "dengan alasan Pasal 17 huruf a. Pemohon berpendapat bagian laporan yang memuat temuan "
                   "administratif tidak berkaitan dengan penyidikan dan seharusnya dapat dibuka sebagian."),
                   "proxy_name": "Ahmad Rizal Fauzi", "proxy_letter": "Surat Kuasa Khusus No. 17/SKK/III/2025"}),
               Step(36, "objection:reject", {"reasons": REFUSAL_UPHELD, "decider_name": "Ir. H. Zulkifli Rahman, M.T.",
                                             "decider_position": "Sekretaris Daerah Provinsi Riau selaku Atasan PPID"}),
               Step(45, "objection:record_dispute", {"register_number": "017/REG-PSI/V/2025"},
                    dated={"filed_on": 0}))),
    DemoRequest(
        "nurul", UTAMA, Channel.WEB, (3, 24),
        "Rekapitulasi realisasi belanja perjalanan dinas seluruh OPD Pemerintah Provinsi Riau tahun anggaran 2024, "
        "per OPD dan per bulan.",
        "Bahan liputan jurnalistik tentang efisiensi belanja daerah.",
        steps=(Step(8, "extend", {"days": 7, "reason": (
                   "Data realisasi perjalanan dinas dihimpun dari 42 OPD dan sebagian belum menyampaikan "
                   "laporan pertanggungjawaban akhir tahun.")}),
               _grant("Rekapitulasi realisasi belanja perjalanan dinas 2024 per OPD dan per bulan.",
                      "Salinan elektronik (XLSX dan PDF)", "Dikirim melalui surel.", after=15),
               Step(15, "attach", {"name": "realisasi-perjalanan-dinas-2024.csv", "content": (
                   "opd,bulan,realisasi_rupiah\n"
                   "Dinas Kesehatan,Januari,412500000\nDinas Kesehatan,Februari,388200000\n"
                   "Dinas Pendidikan,Januari,502750000\nDinas Pendidikan,Februari,471300000\n")}),
               _delivered(15, "Surel"))),
    DemoRequest(
        "yulia", "dinkes-rokan-hilir", Channel.WEB, (4, 15),
        "Data kasus demam berdarah dengue (DBD) per desa di Kabupaten Rokan Hilir tahun 2024, termasuk daftar "
        "pasien per puskesmas.",
        "Penelitian pola sebaran DBD untuk tesis magister kesehatan masyarakat.",
        steps=(_in_part("Jumlah kasus DBD per desa dan per bulan 2024, dan jumlah kasus per puskesmas.",
                        "Salinan elektronik (XLSX)", "Dikirim melalui surel.",
                        [("Nama, umur dan alamat pasien pada daftar pasien per puskesmas", "h",
                          "Data kesehatan pasien adalah rahasia pribadi; jumlah kasus per desa diberikan tanpa "
                          "identitas.")], after=6),
               _delivered(6, "Surel"))),
    DemoRequest(
        "fadli", "disdukcapil-dumai", Channel.EMAIL, (5, 20),
        "Angka pengangguran terbuka per kecamatan di Kota Dumai tahun 2024.",
        "Studi kelayakan usaha pelatihan kerja.",
        steps=(Step(3, "not_held", {"holder": "Badan Pusat Statistik (BPS) Kota Dumai"},
                    note="Angka pengangguran terbuka dihitung dan diterbitkan oleh BPS Kota Dumai melalui Survei "
                         "Angkatan Kerja Nasional; silakan mengajukan permintaan ke BPS Kota Dumai."),)),
    DemoRequest(
        "hendra", UTAMA, Channel.IN_PERSON, (6, 11),
        "Daftar perusahaan perkebunan kelapa sawit yang memiliki HGU di Kabupaten Bengkalis beserta luasnya.",
        "Informasi untuk mencari pekerjaan di sektor perkebunan.", obtain="melihat", copy="langsung",
        steps=(Step(3, "applicant_withdraw", {"reason": "Informasinya sudah saya peroleh dari situs Kementerian "
                                                        "ATR/BPN."}),)),
    DemoRequest(
        "poktan", "distan-pelalawan", Channel.WEB, (7, 8),
        "Luas areal dan produksi kelapa sawit rakyat per kecamatan di Kabupaten Pelalawan tahun 2024, dan daftar "
        "kelompok tani penerima bantuan peremajaan sawit rakyat (PSR).",
        "Bahan usulan kelompok tani untuk program peremajaan sawit rakyat tahun berikutnya.",
        steps=(_grant("Dataset luas dan produksi kelapa sawit rakyat per kecamatan 2024, dan daftar kelompok tani "
                      "penerima PSR 2024 (nama kelompok dan luas lahan).", "Dataset terbuka dan salinan PDF",
                      "Tautan dataset dan lampiran surel.",
                      datasets=("kelapa-sawit-rakyat-kecamatan-pelalawan-2024",), after=6),
               _delivered(6, "Surel"))),
    DemoRequest(
        "lestari", "dlhk-riau", Channel.EMAIL, (8, 4),
        "Titik koordinat lokasi sarang dan jalur jelajah harimau sumatera di kawasan Suaka Margasatwa Kerumutan.",
        "Advokasi perlindungan satwa dilindungi.",
        steps=(Step(9, "refuse", {"exemptions": ["d"], "consequence_test": (
                   "Koordinat sarang dan jalur jelajah satwa dilindungi yang dibuka kepada publik dapat dimanfaatkan "
                   "pemburu dan merusak kekayaan alam yang dilindungi. Kerugiannya tidak dapat dipulihkan, "
                   "sedangkan kepentingan advokasi tetap terlayani dengan data populasi per kawasan.")},
                    note="Data jumlah individu per kawasan konservasi dapat diberikan bila diminta."),)),
    DemoRequest(
        "paguyuban", UTAMA, Channel.IN_PERSON, (8, 19),
        "Rencana revitalisasi Pasar Bawah Pekanbaru dan daftar pedagang yang akan direlokasi.",
        "Persiapan musyawarah pedagang.", obtain="melihat", copy="langsung",
        steps=(Step(1, "return_for_completion", {"reason": (
                   "Permohonan atas nama kelompok wajib disertai surat kuasa dari anggota kelompok dan identitas "
                   "penerima kuasa.")}),
               Step(6, "close_not_entitled", {"reason": (
                   "Sampai batas waktu melengkapi, surat kuasa kelompok dan identitas penerima kuasa tidak "
                   "disampaikan; paguyuban belum berbadan hukum (Pasal 1 angka 12 UU 14/2008).")}))),
    DemoRequest(
        "dewi", "dinkes-rokan-hilir", Channel.WEB, (9, 9),
        "Profil Kesehatan Kabupaten Rokan Hilir tahun 2024 dalam bentuk dokumen lengkap.",
        "Bahan penyusunan rencana kerja posyandu desa.",
        steps=(Step(5, "not_documented", {}, dated={"available_on": 80},
                    note="Profil Kesehatan 2024 sedang disusun dan direncanakan terbit akhir tahun ini."),)),
    DemoRequest(
        "lancang", UTAMA, Channel.LETTER, (10, 14),
        "Salinan Peraturan Gubernur tentang penjabaran APBD Provinsi Riau tahun anggaran 2025 beserta lampirannya.",
        "Bahan pemberitaan dan analisis anggaran.", obtain="salinan_hardcopy", copy="kurir",
        steps=(_grant("Salinan Pergub penjabaran APBD 2025 beserta lampiran (412 halaman).", "Salinan cetak",
                      "Dikirim melalui kurir dalam 3 hari kerja.", cost=41200,
                      note="Biaya penggandaan Rp100 per halaman sesuai standar biaya layanan informasi."),
               _delivered(8, "Kurir", cost=41200))),
    DemoRequest(
        "fitri", "disdik-riau", Channel.WEB, (10, 27),
        "Jumlah guru SMA/SMK negeri berstatus honorer per kabupaten/kota di Provinsi Riau tahun 2025.",
        "Penelitian skripsi tentang kesejahteraan guru honorer.",
        steps=(_grant("Jumlah guru SMA/SMK negeri berstatus honorer per kabupaten/kota 2025.",
                      "Salinan elektronik (PDF)", "Dikirim melalui surel.", after=12),)),
    DemoRequest(
        "zulkarnain", "disdukcapil-dumai", Channel.WEB, (11, 5),
        "Jumlah penduduk per kecamatan dan jenis kelamin di Kota Dumai semester I tahun 2025.",
        "Bahan ajar mata pelajaran geografi.",
        steps=(_grant("Data agregat kependudukan per kecamatan dan jenis kelamin semester I 2025.",
                      "Salinan elektronik (XLSX)", "Dikirim melalui surel.",
                      datasets=("penduduk-kecamatan-jenis-kelamin-dumai-2025",), after=3),)),
    DemoRequest(
        "kevin", UTAMA, Channel.WEB, (12, 1),
        "Jasa pembuatan website dan penambah pengikut media sosial murah untuk instansi, hubungi segera.",
        "Penawaran kerja sama.",
        steps=(Step(1, "mark_spam", {"reason": "Iklan jasa, bukan permohonan informasi."}),)),
    # ----------------------------------------------------------------- this year, closed
    DemoRequest(
        "ratna", UTAMA, Channel.WEB, 215,
        "Rencana Kerja Pemerintah Daerah (RKPD) Provinsi Riau tahun 2026 beserta indikator kinerja utamanya.",
        "Bahan kuliah perencanaan pembangunan daerah.",
        steps=(_grant("Dokumen RKPD Provinsi Riau 2026 dan tabel indikator kinerja utama.",
                      "Salinan elektronik (PDF)", "Dikirim melalui surel pada hari keputusan.", after=3),)),
    DemoRequest(
        "nurhayati", "disdukcapil-dumai", Channel.IN_PERSON, 190,
        "Jumlah kepala keluarga per RT di Kelurahan Laksamana, Kecamatan Dumai Kota, beserta daftar kepala "
        "keluarganya.",
        "Pendataan calon penerima santunan anak yatim oleh majelis taklim.", obtain="salinan_hardcopy",
        copy="langsung",
        steps=(_in_part("Jumlah kepala keluarga per RT di Kelurahan Laksamana.", "Salinan cetak",
                        "Diambil langsung di loket PPID Disdukcapil.",
                        [("Nama, NIK dan alamat kepala keluarga", "h",
                          "Data kependudukan perorangan dilindungi (Pasal 17 huruf h; UU 24/2013 Pasal 79).")],
                        after=4),
               _delivered(5, "Diambil langsung"))),
    DemoRequest(
        "pemantau", "dlhk-riau", Channel.WEB, 170,
        "Salinan dokumen AMDAL dan izin lingkungan pabrik kelapa sawit PT Sawit Lestari Abadi di Kabupaten "
        "Pelalawan.",
        "Pemantauan kepatuhan lingkungan oleh masyarakat sipil.",
        steps=(_in_part("Dokumen AMDAL (KA-ANDAL, ANDAL, RKL-RPL) dan keputusan kelayakan lingkungan.",
                        "Salinan elektronik (PDF)", "Dikirim melalui surel.",
                        [("Rincian teknologi proses dan neraca bahan pabrik", "b",
                          "Rahasia dagang perusahaan yang dilindungi UU 30/2000 tentang Rahasia Dagang.")], after=9),
               _delivered(9, "Surel"))),
    DemoRequest(
        "agus", "dinkes-rokan-hilir", Channel.EMAIL, 150,
        "Jumlah peserta BPJS Kesehatan penerima bantuan iuran (PBI) per kecamatan di Kabupaten Rokan Hilir.",
        "Usulan warga untuk pendaftaran PBI.", copy="langsung",
        steps=(Step(4, "not_held", {"holder": "BPJS Kesehatan Kantor Cabang Dumai"},
                    note="Data kepesertaan PBI per kecamatan dikelola BPJS Kesehatan; Dinas Kesehatan hanya menerima "
                         "rekap tingkat kabupaten."),)),
    DemoRequest(
        "ratna", UTAMA, Channel.WEB, 130,
        "Realisasi pendapatan dan belanja APBD Provinsi Riau tahun anggaran 2025 per jenis belanja.",
        "Bahan ajar mata kuliah keuangan daerah.",
        steps=(_route("bpkad-riau"),
               _grant("Dataset realisasi APBD Provinsi Riau 2025.", "Dataset terbuka", "Tautan dataset.",
                      datasets=("realisasi-apbd-provinsi-riau-2025",), after=3))),
    DemoRequest(
        "bahtera", UTAMA, Channel.LETTER, 120,
        "Rencana Umum Pengadaan (RUP) Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Rokan Hilir tahun 2026.",
        "Perencanaan keikutsertaan dalam tender.", obtain="salinan_softcopy", copy="email",
        steps=(_route("dpupr-rokan-hilir", after=1),
               _grant("Daftar RUP Dinas PUPR Rokan Hilir 2026 (paket, pagu, metode pemilihan, jadwal).",
                      "Salinan elektronik (XLSX)", "Dikirim melalui surel.", after=5))),
    DemoRequest(
        "taufik", UTAMA, Channel.PHONE, 110,
        "Jumlah titik panas dan luas kebakaran hutan dan lahan di Kabupaten Pelalawan selama Juli 2026.",
        "Bahan berita.", copy="email",
        steps=(Step(2, "withdraw", {"reason": "Pemohon mencabut melalui telepon."},
                    note="Pemohon menyampaikan melalui telepon bahwa data sudah diperoleh dari dataset titik panas "
                         "di portal."),)),
    DemoRequest(
        "sriwahyuni", "dinsos-dumai", Channel.WEB, 95,
        "Daftar nama, NIK dan alamat penerima Program Keluarga Harapan (PKH) di Kota Dumai tahun 2026.",
        "Verifikasi lapangan untuk kajian ketepatan sasaran bantuan sosial.",
        steps=(Step(6, "refuse", {"exemptions": ["h"], "consequence_test": (
                   "Nama, NIK dan alamat penerima bantuan adalah data pribadi; membukanya dapat menimbulkan "
                   "stigma dan penyalahgunaan identitas penerima. Tujuan kajian dapat dipenuhi dengan data agregat "
                   "per kecamatan yang tersedia sebagai dataset terbuka.")},
                    note="Data agregat penerima bantuan sosial per kecamatan tersedia di "
                         "/dataset/penerima-bansos-kecamatan-dumai-2025."),)),
    DemoRequest(
        "yusuf", UTAMA, Channel.PHONE, 80,
        "Data hasil tangkapan nelayan per bulan di perairan Kota Dumai tahun 2026.",
        "Pengajuan bantuan alat tangkap oleh kelompok nelayan.", copy="langsung", obtain="melihat",
        steps=(_route("dkpp-dumai"),
               Step(6, "not_documented", {}, dated={"available_on": 45},
                    note="Rekap hasil tangkapan tahun berjalan disusun setelah triwulan IV."))),
    DemoRequest(
        "palmwatch", "disbun-riau", Channel.EMAIL, 65,
        "Peta dan luas perkebunan kelapa sawit di kawasan hutan per kabupaten di Provinsi Riau.",
        "Laporan riset internasional tentang rantai pasok minyak sawit.",
        steps=(Step(2, "close_not_entitled", {"reason": (
                   "Pemohon adalah badan hukum asing; permohonan informasi publik hanya dapat diajukan oleh warga "
                   "negara Indonesia atau badan hukum Indonesia (Pasal 1 angka 12 UU 14/2008). Dataset luas kebun "
                   "kelapa sawit per kabupaten/kota dapat diakses siapa saja di portal.")}),)),
    DemoRequest(
        "irfan", "disdukcapil-dumai", Channel.WEB, 45,
        "Cakupan kepemilikan KTP elektronik dan Kartu Identitas Anak per kecamatan di Kota Dumai tahun 2025.",
        "Tugas mata kuliah statistik sosial.",
        steps=(_grant("Dataset cakupan KTP-el dan KIA per kecamatan 2025.", "Dataset terbuka", "Tautan dataset.",
                      datasets=("ktp-el-kia-kecamatan-dumai-2025",), after=2),)),
    DemoRequest(
        "rahmat", UTAMA, Channel.WEB, 38,
        "Salinan kontrak pengadaan aplikasi sistem informasi perencanaan daerah tahun 2026 beserta dokumen harga "
        "perkiraan sendiri (HPS) dan penawaran seluruh peserta tender.",
        "Penelitian tesis tentang pengadaan teknologi informasi di pemerintah daerah.",
        steps=(_route("bpkad-riau"),
               _in_part("Salinan kontrak, HPS dan penawaran pemenang tender.", "Salinan elektronik (PDF)",
                        "Dikirim melalui surel.",
                        [("Rincian harga satuan penawaran peserta yang tidak menang", "b",
                          "Strategi harga peserta lain dapat dimanfaatkan pesaing (persaingan usaha tidak sehat).")],
                        after=8),
               Step(16, "object", {"grounds": ["a", "d"], "case_summary": (
                   "Pemohon meminta penawaran seluruh peserta tender. PPID memberikan sebagian dan menghitamkan "
                   "harga satuan peserta yang kalah. Menurut pemohon, tender telah selesai sehingga harga penawaran "
                   "tidak lagi bernilai persaingan usaha.")}))),
    # ----------------------------------------------------------------- still open
    DemoRequest(
        "reza", UTAMA, Channel.WEB, 16,
        "Jumlah pengaduan masyarakat yang diterima melalui kanal SP4N-LAPOR! Pemerintah Provinsi Riau tahun 2026 per "
        "kategori dan status penyelesaiannya.",
        "Penelitian skripsi tentang pelayanan publik."),
    DemoRequest(
        "kajian", "dinkes-rokan-hilir", Channel.LETTER, 9,
        "Prevalensi stunting per desa di Kabupaten Rokan Hilir 2023–2025 dan realisasi anggaran intervensi "
        "stunting per desa.",
        "Kajian efektivitas belanja penurunan stunting.",
        steps=(Step(8, "extend", {"days": 7, "reason": (
                   "Realisasi anggaran intervensi per desa dihimpun dari 19 puskesmas dan Dinas PMD; diperlukan "
                   "waktu tambahan untuk rekonsiliasi.")}),)),
    DemoRequest(
        "maya", UTAMA, Channel.WEB, 4,
        "Daftar sekolah dasar penerima Dana Alokasi Khusus (DAK) fisik tahun 2026 di Kabupaten Pelalawan beserta "
        "nilai dan jenis kegiatannya.",
        "Advokasi perbaikan ruang kelas di sekolah tempat saya mengajar.",
        steps=(_route("disdik-pelalawan"),)),
    DemoRequest(
        "aisyah", "dinkes-rokan-hilir", Channel.WEB, 6,
        "Jumlah ibu hamil yang mendapat tablet tambah darah per puskesmas tahun 2026. Untuk verifikasi, KTP saya "
        "NIK 1407034511020003.",
        "Penelitian tugas akhir kebidanan.",
        steps=(Step(1, "return_for_completion", {"reason": (
                   "Mohon lengkapi tujuan penggunaan informasi secara lebih rinci (judul dan lokasi penelitian).")}),)),
    DemoRequest(
        "hasan", "disdukcapil-dumai", Channel.IN_PERSON, 8,
        "Jumlah penduduk per RT di Kelurahan Pelintung, Kecamatan Medang Kampai, tahun 2026.",
        "Perencanaan kegiatan gotong royong dan pembagian zakat di lingkungan RT.", obtain="salinan_hardcopy",
        copy="langsung"),
    DemoRequest(
        "forumsungai", UTAMA, Channel.EMAIL, 2,
        "Hasil pemantauan kualitas air Sungai Dumai dan Sungai Mesjid tahun 2025–2026 dan daftar perusahaan yang "
        "membuang limbah cair ke sungai tersebut. Jawaban mohon dikirim ke forum.sungaidumai@surel.example atau "
        "hubungi koordinator kami di 0822-8410-6657.",
        "Bahan musyawarah warga dan pengaduan pencemaran."),
    DemoRequest(
        "wahyu", "disbun-riau", Channel.WEB, 1,
        "Penetapan harga tandan buah segar (TBS) kelapa sawit Provinsi Riau per periode tahun 2026.",
        "Bahan pertimbangan penjualan TBS oleh petani swadaya."),
    DemoRequest(
        "andi", "distan-pelalawan", Channel.WEB, 0,
        "Daftar penerima bantuan bibit kelapa sawit bersertifikat di Kecamatan Pangkalan Kerinci tahun 2026.",
        "Memastikan kelompok tani kami tercatat sebagai calon penerima.", copy="langsung", obtain="melihat"),
)


# --------------------------------------------------------------------------- the Daftar Informasi Publik

DIP: tuple[dict[str, str], ...] = (
    {"organization": "bpkad-riau", "category": "berkala",
     "title": "Laporan Keuangan Pemerintah Provinsi Riau Tahun 2025 (telah diaudit BPK)",
     "responsible": "Kepala Bidang Akuntansi BPKAD", "made": "Pekanbaru, Mei 2026", "form": "Elektronik (PDF)",
     "retention": "Permanen", "url": "/dataset/realisasi-apbd-provinsi-riau-2025"},
    {"organization": "bappedalitbang-riau", "category": "berkala",
     "title": "Rencana Kerja Pemerintah Daerah (RKPD) Provinsi Riau Tahun 2026",
     "responsible": "Sekretaris Bappedalitbang", "made": "Pekanbaru, Juni 2025", "form": "Elektronik (PDF)",
     "retention": "10 tahun"},
    {"organization": "diskominfotik-riau", "category": "berkala",
     "title": "Laporan Layanan Informasi Publik PPID Provinsi Riau Tahun 2025",
     "responsible": "PPID Utama Provinsi Riau", "made": "Pekanbaru, Maret 2026", "form": "Elektronik (PDF)",
     "retention": "Permanen", "url": "/dataset/rekapitulasi-permohonan-informasi-ppid-riau-2020-2025"},
    {"organization": "dinkes-rokan-hilir", "category": "berkala",
     "title": "Profil Kesehatan Kabupaten Rokan Hilir Tahun 2025",
     "responsible": "Sekretaris Dinas Kesehatan", "made": "Bagansiapiapi, Juli 2026", "form": "Elektronik (PDF)",
     "retention": "Permanen"},
    {"organization": "disdukcapil-dumai", "category": "berkala",
     "title": "Data Agregat Kependudukan per Kecamatan Semester I Tahun 2026",
     "responsible": "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan", "made": "Dumai, Agustus 2026",
     "form": "Elektronik (XLSX)", "retention": "Permanen",
     "url": "/dataset/penduduk-kecamatan-jenis-kelamin-dumai-2025"},
    {"organization": "dlhk-riau", "category": "serta_merta",
     "title": "Peringatan dini dan sebaran titik panas kebakaran hutan dan lahan",
     "responsible": "Kepala Bidang Pengendalian Kebakaran Hutan dan Lahan", "made": "Pekanbaru, setiap hari",
     "form": "Elektronik (peta dan tabel)", "retention": "5 tahun", "url": "/dataset/titik-panas-bulanan-riau-2025"},
    {"organization": "dinkes-rokan-hilir", "category": "serta_merta",
     "title": "Informasi kejadian luar biasa (KLB) demam berdarah dengue dan lokasi fogging",
     "responsible": "Kepala Bidang Pencegahan dan Pengendalian Penyakit", "made": "Bagansiapiapi, saat terjadi",
     "form": "Elektronik dan cetak (pengumuman)", "retention": "5 tahun"},
    {"organization": "dinsos-dumai", "category": "serta_merta",
     "title": "Lokasi posko pengungsian dan penyaluran bantuan logistik korban banjir",
     "responsible": "Kepala Bidang Perlindungan dan Jaminan Sosial", "made": "Dumai, saat terjadi",
     "form": "Elektronik (pengumuman)", "retention": "2 tahun"},
    {"organization": "dpupr-rokan-hilir", "category": "setiap_saat",
     "title": "Rencana Umum Pengadaan (RUP) Dinas PUPR Kabupaten Rokan Hilir Tahun 2026",
     "responsible": "Sekretaris Dinas PUPR", "made": "Bagansiapiapi, Januari 2026", "form": "Elektronik (XLSX)",
     "retention": "5 tahun"},
    {"organization": "disdukcapil-dumai", "category": "setiap_saat",
     "title": "Standar Operasional Prosedur pelayanan dokumen kependudukan",
     "responsible": "Sekretaris Disdukcapil", "made": "Dumai, Februari 2025", "form": "Cetak dan elektronik (PDF)",
     "retention": "Selama berlaku"},
    {"organization": "disbun-riau", "category": "setiap_saat",
     "title": "Penetapan harga tandan buah segar (TBS) kelapa sawit per periode",
     "responsible": "Kepala Bidang Pengolahan dan Pemasaran Hasil", "made": "Pekanbaru, setiap pekan",
     "form": "Elektronik (PDF)", "retention": "10 tahun"},
    {"organization": "dinkes-rokan-hilir", "category": "dikecualikan",
     "title": "Rekam medis pasien puskesmas dan rumah sakit daerah",
     "responsible": "Kepala Dinas Kesehatan", "made": "Bagansiapiapi", "form": "Cetak dan elektronik",
     "retention": "Sesuai Permenkes tentang rekam medis", "exemption": "h",
     "consequence_test": "Membuka rekam medis mengungkap riwayat dan kondisi kesehatan seseorang (rahasia pribadi, "
                         "Pasal 17 huruf h angka 2); kerugiannya bagi pasien tidak dapat dipulihkan."},
    {"organization": "bpkad-riau", "category": "dikecualikan",
     "title": "Dokumen pengadaan yang menjadi alat bukti dalam penyidikan aparat penegak hukum",
     "responsible": "Sekretaris BPKAD", "made": "Pekanbaru", "form": "Cetak dan elektronik",
     "retention": "Sampai perkara berkekuatan hukum tetap", "exemption": "a",
     "consequence_test": "Membuka alat bukti sebelum perkara diputus dapat menghambat penyidikan dan mengungkap "
                         "identitas saksi (Pasal 17 huruf a); dokumen dibuka kembali setelah putusan berkekuatan "
                         "hukum tetap."},
)


# --------------------------------------------------------------------------- loading


def _working_days_before(cal: deadlines.WorkingCalendar, day: date, n: int) -> date:
    """The working day ``n`` working days before ``day`` (``day`` itself, or the last working day
    before it, when ``n`` is 0)."""
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    while n:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


def _received_on(spec: DemoRequest, cal: deadlines.WorkingCalendar, today: date) -> date:
    if isinstance(spec.received, int):
        return _working_days_before(cal, today, spec.received)
    day = date(today.year - 1, *spec.received)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def demo_loaded() -> bool:
    """Whether the demo's requests are there already (one of its applicants has filed)."""
    return db.session.scalar(select(InformationRequest.id).where(
        InformationRequest.name.in_([a.name for a in APPLICANTS])).limit(1)) is not None


class _Loader:
    """Runs the demo's steps in the order of their days, as the PPID would have lived them."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.cal = services.calendar()
        self.zone = ZoneInfo(str(current_app.config["DISPLAY_TIMEZONE"]))
        self.users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(
            [PPID_UTAMA_USER, ATASAN_USER, *PELAKSANA_USERS.values()])))}
        self.filed: dict[int, services.Filed] = {}
        self.objections: dict[int, Objection] = {}
        self.stamps = 0

    def officer(self, slug: str, by: str = "") -> Actor:
        user = self.users.get(by or PELAKSANA_USERS.get(slug, PPID_UTAMA_USER)) or self.users.get(PPID_UTAMA_USER)
        if user is None:
            raise LookupError(f"the demo PPID officer {by or PPID_UTAMA_USER} is missing")
        return user

    def stamp(self, day: date) -> datetime:
        """A time in office hours on ``day`` (local), in UTC; each later stamp a little later."""
        self.stamps += 1
        local = datetime.combine(day, time(8, 15), tzinfo=self.zone) + timedelta(minutes=(self.stamps * 37) % 420)
        return local.astimezone(UTC)

    def run(self) -> tuple[int, int]:
        plan: list[tuple[date, int, int, DemoRequest, Step | None]] = []
        for i, spec in enumerate(REQUESTS):
            received = _received_on(spec, self.cal, self.today)
            plan.append((received, i, -1, spec, None))
            for j, later in enumerate(spec.steps):
                day = self.cal.add_working_days(received, later.after)
                if day > self.today:
                    raise AssertionError(f"demo request {i}: step {later.action} would be in the future ({day})")
                plan.append((day, i, j, spec, later))
        for day, i, _j, spec, step in sorted(plan, key=lambda p: (p[0], p[1], p[2])):
            last_event = db.session.scalar(select(func.max(RequestEvent.id))) or 0
            last_notice = db.session.scalar(select(func.max(Notice.id))) or 0
            at = self.stamp(day) if day < self.today else None  # today's steps keep their real time
            with clock.pinned(day, at):
                if step is None:
                    self.file(i, spec, day)
                else:
                    self.step(i, spec, step, day)
            if at is not None:
                self.backdate(i, day, at, last_event, last_notice)
        return len(self.filed), len(self.objections)

    def file(self, i: int, spec: DemoRequest, day: date) -> None:
        applicant = _BY_KEY[spec.applicant]
        form = RequestInput().load({**applicant.form(), "information": spec.information, "purpose": spec.purpose,
                                    "obtain_method": spec.obtain, "copy_method": spec.copy, "target": spec.target})
        if spec.channel == Channel.WEB:
            actor: Actor = AnonymousActor()
        else:
            actor = self.officer("" if spec.target == UTAMA else spec.target)
        self.filed[i] = services.file_request(actor, form, channel=spec.channel, received_on=day)

    def step(self, i: int, spec: DemoRequest, step: Step, day: date) -> None:
        filed = self.filed[i]
        request = filed.request
        data = {**step.data, **{k: day + timedelta(days=v) for k, v in step.dated.items()}}
        if "datasets" in data:  # only what was published by the day of the answer
            data["datasets"] = [slug for slug in data["datasets"] if _published_by(slug, day)]
        if step.action == "applicant_withdraw":
            services.withdraw(request.number, filed.secret, str(data.get("reason") or ""))
        elif step.action == "object":
            self.objections[i] = services.file_objection(request.number, filed.secret, data)
        elif step.action == "attach":  # the answer's file, by the officer who answered
            handler = db.session.get(Organization, request.handler_id)
            attachments.add(self.officer(handler.slug if handler is not None else "", step.by), request,
                            io.BytesIO(str(data["content"]).encode()), str(data["name"]))
        elif step.action.startswith("objection:"):
            atasan = self.users[ATASAN_USER]
            services.decide_objection(atasan, self.objections[i], step.action.split(":", 1)[1], data)
        else:
            handler = db.session.get(Organization, request.handler_id)
            slug = handler.slug if handler is not None else ""
            services.act(self.officer(slug, step.by), request, step.action, data, note=step.note)

    def backdate(self, i: int, day: date, at: datetime, last_event: int, last_notice: int) -> None:
        """Give what the step wrote the step's day (the services stamp rows with the clock's
        time, which is the day of loading)."""
        for event in db.session.scalars(select(RequestEvent).where(RequestEvent.id > last_event)):
            event.created_at = at
        for notice in db.session.scalars(select(Notice).where(Notice.id > last_notice)):
            notice.created_at = at
        request = self.filed[i].request
        if request.received_on == day and request.created_at > at:
            request.created_at = at
        request.updated_at = at
        objection = self.objections.get(i)
        if objection is not None:
            if objection.registered_on == day:
                objection.created_at = at
            objection.updated_at = at
        db.session.flush()


def _published_by(slug: str, day: date) -> bool:
    published = db.session.scalar(select(Dataset.published_at).where(Dataset.slug == slug))
    return published is not None and published.date() <= day


def _create_dip(users: dict[str, User]) -> int:
    if db.session.scalar(select(DipEntry.id).limit(1)) is not None:
        return 0
    for line in DIP:
        form = DipEntryInput().load(line)
        by = users.get(PELAKSANA_USERS.get(line["organization"], PPID_UTAMA_USER)) or users[PPID_UTAMA_USER]
        services.create_dip_entry(by, form)
    return len(DIP)


def create_ppid(today: date | None = None) -> dict[str, int]:
    """The demo's requests, objections and DIP (nothing when they are there already); how many
    of each were made."""
    made = {"ppid_requests": 0, "ppid_objections": 0, "dip_entries": 0}
    loader = _Loader(today or services.today())
    if not demo_loaded():
        made["ppid_requests"], made["ppid_objections"] = loader.run()
    made["dip_entries"] = _create_dip(loader.users)
    return made
