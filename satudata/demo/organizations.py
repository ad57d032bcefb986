"""Demo organisations, users, topics and licences.

Provinsi Riau with its walidata (Diskominfotik) and three of its kabupaten/kota (Rokan Hilir,
Pelalawan, Dumai), each with its OPD. Region names come from the shipped Kemendagri list, so
they are the official ones. Contact details are plausible, not real: the demo users' addresses
are on the reserved ``.example`` domain so no mail can reach anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from satudata import reference
from satudata.accounts import services as accounts
from satudata.accounts.models import Organization, OrganizationKind, User
from satudata.authz import Actor, Role
from satudata.catalog.models import Licence, Topic
from satudata.extensions import db


@dataclass(frozen=True)
class Region:
    """A demo region: its government and where its OPD live."""

    key: str  # slug suffix: dinkes-rokan-hilir
    short: str  # username suffix: produsen.dinkes.rohil
    kode: str
    kind: OrganizationKind
    domain: str
    seat: str  # ibu kota
    street: str
    postcode: str
    phone_area: str
    streets: tuple[str, ...]  # where the OPD offices are

    @property
    def nama(self) -> str:
        """Official name from the reference list: 'Kabupaten Rokan Hilir', 'Kota Dumai', 'Riau'."""
        found = reference.name(self.kode)
        if found is None:  # the shipped list is the source of truth; a typo here must fail loudly
            raise LookupError(f"kode wilayah {self.kode} is not in the reference list")
        return found

    @property
    def label(self) -> str:
        """How an OPD name ends: 'Kabupaten Rokan Hilir', 'Provinsi Riau'."""
        return f"Provinsi {self.nama}" if self.kind == OrganizationKind.PROVINSI else self.nama

    @property
    def short_name(self) -> str:
        """'Rokan Hilir', 'Dumai', 'Riau'."""
        return self.nama.removeprefix("Kabupaten ").removeprefix("Kota ")

    @property
    def file_key(self) -> str:
        """For file names: 'rokan_hilir'."""
        return self.key.replace("-", "_")

    @property
    def government_slug(self) -> str:
        prefix = {OrganizationKind.PROVINSI: "pemprov", OrganizationKind.KABUPATEN: "pemkab",
                  OrganizationKind.KOTA: "pemkot"}[self.kind]
        return f"{prefix}-{self.key}"

    @property
    def government_name(self) -> str:
        return f"Pemerintah {self.label}"


RIAU = Region("riau", "riau", "14", OrganizationKind.PROVINSI, "riau.go.id", "Pekanbaru",
              "Jl. Jenderal Sudirman No. 460", "28126", "0761",
              ("Jl. Jenderal Sudirman", "Jl. Cut Nyak Dien", "Jl. Diponegoro", "Jl. Gajah Mada", "Jl. Pattimura"))
ROKAN_HILIR = Region("rokan-hilir", "rohil", "14.07", OrganizationKind.KABUPATEN, "rokanhilirkab.go.id",
                     "Bagansiapiapi", "Jl. Merdeka No. 1", "28912", "0767",
                     ("Jl. Perwira", "Jl. Pahlawan", "Jl. Siliwangi", "Jl. Utama", "Jl. Lintas Bagan"))
PELALAWAN = Region("pelalawan", "pelalawan", "14.05", OrganizationKind.KABUPATEN, "pelalawankab.go.id",
                   "Pangkalan Kerinci", "Jl. Maharaja Indra, Komplek Perkantoran Bhakti Praja", "28654", "0761",
                   ("Jl. Lintas Timur", "Jl. Maharaja Indra", "Jl. Akasia", "Jl. Datuk Laksamana"))
DUMAI = Region("dumai", "dumai", "14.72", OrganizationKind.KOTA, "dumaikota.go.id", "Dumai",
               "Jl. Tuanku Tambusai No. 1", "28826", "0765",
               ("Jl. Sultan Syarif Kasim", "Jl. Jenderal Sudirman", "Jl. Sultan Hasanuddin", "Jl. Cempedak"))

REGIONS = (RIAU, ROKAN_HILIR, PELALAWAN, DUMAI)
KABUPATEN_KOTA = (ROKAN_HILIR, PELALAWAN, DUMAI)


@dataclass(frozen=True)
class Opd:
    """An OPD of a region. ``role`` is the job it does in the demo catalogue (who produces the
    health tables, who the finance tables); the slug is ``<key>-<region key>``."""

    role: str
    key: str
    name: str
    acronym: str
    description: str
    is_walidata: bool = False


_KOMINFO_DESC = ("Menyelenggarakan urusan komunikasi, informatika, statistik sektoral dan persandian; "
                 "walidata Satu Data di wilayahnya dan PPID Utama.")

OPDS: dict[str, tuple[Opd, ...]] = {
    RIAU.key: (
        Opd("kominfo", "diskominfotik", "Diskominfotik", "Diskominfotik",
            "Dinas Komunikasi, Informatika dan Statistik Provinsi Riau. " + _KOMINFO_DESC, is_walidata=True),
        Opd("perencanaan", "bappedalitbang", "Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan",
            "Bappedalitbang", "Perencanaan pembangunan daerah, penelitian dan pengembangan, serta indikator makro."),
        Opd("kesehatan", "dinkes", "Dinas Kesehatan", "Dinkes", "Urusan kesehatan tingkat provinsi."),
        Opd("pendidikan", "disdik", "Dinas Pendidikan", "Disdik",
            "Pendidikan menengah (SMA, SMK) dan pendidikan khusus (SLB)."),
        Opd("perkebunan", "disbun", "Dinas Perkebunan", "Disbun", "Pembinaan perkebunan rakyat dan swasta."),
        Opd("lingkungan", "dlhk", "Dinas Lingkungan Hidup dan Kehutanan", "DLHK",
            "Lingkungan hidup, kehutanan, serta pengendalian kebakaran hutan dan lahan."),
        Opd("keuangan", "bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD",
            "Pengelolaan APBD, kas daerah dan barang milik daerah."),
    ),
}

_KAB_COMMON = (
    Opd("kesehatan", "dinkes", "Dinas Kesehatan", "Dinkes",
        "Pelayanan kesehatan dasar, puskesmas, imunisasi dan gizi masyarakat."),
    Opd("kependudukan", "disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil",
        "Pendaftaran penduduk, pencatatan sipil dan pengelolaan data kependudukan."),
    Opd("perencanaan", "bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda",
        "Perencanaan pembangunan daerah serta pengendalian dan evaluasi."),
    Opd("pu", "dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR",
        "Jalan, jembatan, sumber daya air dan penataan ruang."),
    Opd("keuangan", "bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD",
        "Penganggaran, perbendaharaan, akuntansi dan aset daerah."),
    Opd("sosial", "dinsos", "Dinas Sosial", "Dinsos",
        "Perlindungan dan jaminan sosial, rehabilitasi sosial, dan data terpadu kesejahteraan sosial."),
    Opd("kominfo", "diskominfo", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfotik",
        _KOMINFO_DESC, is_walidata=True),
)

OPDS[ROKAN_HILIR.key] = (
    *_KAB_COMMON,
    Opd("pendidikan", "disdik", "Dinas Pendidikan dan Kebudayaan", "Disdikbud",
        "Pendidikan anak usia dini, pendidikan dasar, dan kebudayaan."),
    Opd("pertanian", "distan", "Dinas Tanaman Pangan, Hortikultura dan Perkebunan", "DTPHP",
        "Tanaman pangan (Rokan Hilir lumbung padi Riau), hortikultura dan perkebunan rakyat."),
)
OPDS[PELALAWAN.key] = (
    *_KAB_COMMON,
    Opd("pendidikan", "disdik", "Dinas Pendidikan", "Disdik", "Pendidikan anak usia dini dan pendidikan dasar."),
    Opd("pertanian", "distan", "Dinas Pertanian", "Distan", "Tanaman pangan, hortikultura, perkebunan dan peternakan."),
)
OPDS[DUMAI.key] = (
    *_KAB_COMMON,
    Opd("pendidikan", "disdik", "Dinas Pendidikan", "Disdik", "Pendidikan anak usia dini dan pendidikan dasar."),
    Opd("pertanian", "dkpp", "Dinas Ketahanan Pangan dan Pertanian", "DKPP",
        "Ketahanan pangan, pertanian dan perkebunan rakyat."),
    Opd("lingkungan", "dlh", "Dinas Lingkungan Hidup", "DLH",
        "Pengelolaan sampah, pengendalian pencemaran dan ruang terbuka hijau."),
)


def opd_slug(region: Region, role: str) -> str:
    """Slug of the region's OPD that does ``role`` (``opd_slug(ROKAN_HILIR, 'kesehatan')``)."""
    for opd in OPDS[region.key]:
        if opd.role == role:
            return f"{opd.key}-{region.key}"
    raise KeyError(f"{region.key} has no OPD for {role}")


def opd_of(region: Region, role: str) -> Opd:
    return next(o for o in OPDS[region.key] if o.role == role)


def opd_email(region: Region, role: str) -> str:
    return f"{opd_of(region, role).key}@{region.domain}"


def walidata_slug(region: Region) -> str:
    return opd_slug(region, "kominfo")


# --------------------------------------------------------------------------- topics, licences

TOPICS: tuple[tuple[str, str, str, str, str], ...] = (
    # slug, name, English name, icon, description
    ("kependudukan", "Kependudukan", "Population", "users",
     "Jumlah dan komposisi penduduk, kelahiran, kematian, dan dokumen kependudukan."),
    ("kesehatan", "Kesehatan", "Health", "heart-pulse",
     "Fasilitas dan tenaga kesehatan, imunisasi, gizi dan status kesehatan masyarakat."),
    ("pendidikan", "Pendidikan", "Education", "school",
     "Sekolah, guru dan peserta didik dari PAUD sampai pendidikan menengah."),
    ("pertanian", "Pertanian", "Agriculture", "wheat",
     "Tanaman pangan, hortikultura dan perkebunan, termasuk kelapa sawit rakyat."),
    ("ekonomi", "Ekonomi", "Economy", "chart-line",
     "Produk domestik regional bruto, pertumbuhan ekonomi dan kesejahteraan."),
    ("infrastruktur", "Infrastruktur", "Infrastructure", "road",
     "Jalan, jembatan dan prasarana wilayah."),
    ("sosial", "Sosial", "Social Affairs", "hand-heart",
     "Kemiskinan, bantuan dan perlindungan sosial."),
    ("keuangan-daerah", "Keuangan Daerah", "Regional Finance", "wallet",
     "Anggaran pendapatan dan belanja daerah (APBD) serta realisasinya."),
    ("lingkungan-hidup", "Lingkungan Hidup", "Environment", "leaf",
     "Kebakaran hutan dan lahan, titik panas, persampahan dan kualitas lingkungan."),
    ("pemerintahan", "Pemerintahan", "Government", "landmark",
     "Wilayah administrasi, pelayanan publik dan keterbukaan informasi."),
)

LICENCES: tuple[dict[str, Any], ...] = (
    {"id": "cc-by-4.0", "title": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
     "url": "https://creativecommons.org/licenses/by/4.0/", "od_conformance": "approved"},
    {"id": "cc-by-sa-4.0", "title": "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
     "url": "https://creativecommons.org/licenses/by-sa/4.0/", "od_conformance": "approved"},
    {"id": "cc-zero", "title": "Creative Commons CCZero (CC0 1.0)",
     "url": "https://creativecommons.org/publicdomain/zero/1.0/", "od_conformance": "approved"},
    {"id": "odc-odbl", "title": "Open Data Commons Open Database License (ODbL)",
     "url": "https://opendatacommons.org/licenses/odbl/1-0/", "od_conformance": "approved"},
    {"id": "other-open", "title": "Other (Open)", "url": None, "od_conformance": "not reviewed"},
)


def create_licences(actor: Actor) -> int:
    """Licence rows (no service yet: the catalogue only reads them). Returns how many were new."""
    made = 0
    for spec in LICENCES:
        if db.session.get(Licence, spec["id"]) is not None:
            continue
        db.session.add(Licence(osd_conformance="not reviewed", is_open=True, **spec))
        accounts.audit(actor, "licence.create", "licence", spec["id"], {"title": spec["title"]})
        made += 1
    db.session.flush()
    return made


def create_topics(actor: Actor) -> tuple[dict[str, Topic], int]:
    """Topic rows (no topic service yet), keyed by slug; existing ones are kept as they are.
    Returns them and how many were new."""
    topics: dict[str, Topic] = {}
    made = 0
    for slug, name, name_en, icon, description in TOPICS:
        topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
        if topic is None:
            topic = Topic(slug=slug, name=name, name_en=name_en, icon=icon, description=description)
            db.session.add(topic)
            db.session.flush()
            accounts.audit(actor, "topic.create", "topic", topic.id, {"slug": slug, "name": name})
            made += 1
        topics[slug] = topic
    return topics, made


# --------------------------------------------------------------------------- organisations


def _address(region: Region, street: str) -> str:
    where = [street, region.seat]
    if region.kind != OrganizationKind.PROVINSI:
        where.append(region.label)
    return f"{', '.join(where)}, Riau {region.postcode}"


def _phone(region: Region, n: int) -> str:
    return f"({region.phone_area}) {21000 + 137 * n + 11 * len(region.key):05d}"


def organization_specs() -> list[dict[str, Any]]:
    """Every demo organisation as keyword arguments for ``create_organization`` (parents by
    slug, under ``parent``), parents first."""
    specs: list[dict[str, Any]] = []
    for region in REGIONS:
        gov_domain = region.domain
        specs.append({
            "slug": region.government_slug,
            "name": region.government_name,
            "kind": region.kind,
            "kode_wilayah": region.kode,
            "region_name": region.nama,
            "parent": None if region is RIAU else RIAU.government_slug,
            "description": f"Pemerintah daerah {region.label}, beribu kota di {region.seat}.",
            "email": f"humas@{gov_domain}",
            "phone": _phone(region, 0),
            "website": f"https://{gov_domain}",
            "address": _address(region, region.street),
        })
        for n, opd in enumerate(OPDS[region.key], start=1):
            specs.append({
                "slug": f"{opd.key}-{region.key}",
                "name": f"{opd.name} {region.label}",
                "acronym": opd.acronym,
                "kind": OrganizationKind.OPD,
                "kode_wilayah": region.kode,
                "region_name": region.nama,
                "parent": region.government_slug,
                "is_walidata": opd.is_walidata,
                "description": opd.description,
                "email": f"{opd.key}@{gov_domain}",
                "phone": _phone(region, n),
                "website": f"https://{opd.key}.{gov_domain}",
                "address": _address(region, f"{region.streets[n % len(region.streets)]} No. {3 + 7 * n}"),
            })
    return specs


def create_organizations(actor: Actor) -> tuple[dict[str, Organization], int]:
    """All demo organisations through ``accounts.create_organization``, keyed by slug; an
    organisation that already exists (same slug) is reused. Returns them and how many were new."""
    specs = organization_specs()
    orgs = {o.slug: o for o in db.session.scalars(
        select(Organization).where(Organization.slug.in_([s["slug"] for s in specs])))}
    made = 0
    for spec in specs:
        if spec["slug"] in orgs:
            continue
        spec = dict(spec)
        parent_slug = spec.pop("parent")
        org = accounts.create_organization(actor, parent=orgs.get(parent_slug) if parent_slug else None, **spec)
        orgs[org.slug] = org
        made += 1
    return orgs, made


# --------------------------------------------------------------------------- users

# Demo only: these passwords are published in docs/demo-data.md.
PASSWORDS: dict[Role, str] = {
    Role.PRODUSEN: "demo-produsen-2026",
    Role.WALIDATA: "demo-walidata-2026",
    Role.PPID_PELAKSANA: "demo-pelaksana-2026",
    Role.PPID_UTAMA: "demo-ppidutama-2026",
    Role.ATASAN_PPID: "demo-atasan-2026",
    Role.ADMIN: "demo-admin-2026",
}

EMAIL_DOMAIN = "satudata.example"  # reserved (RFC 2606): demo accounts never receive mail


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    organization: str  # slug
    note: str = ""

    @property
    def password(self) -> str:
        return PASSWORDS[self.role]

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


USERS: tuple[DemoUser, ...] = (
    DemoUser("admin.satudata", "Admin Portal Satu Data Riau", Role.ADMIN, walidata_slug(RIAU),
             "mengelola organisasi, pengguna dan log audit"),
    DemoUser("walidata.riau", "Walidata Diskominfotik Provinsi Riau", Role.WALIDATA, RIAU.government_slug,
             "walidata seluruh wilayah Provinsi Riau (termasuk kabupaten/kota di bawahnya)"),
    DemoUser("walidata.rohil", "Walidata Diskominfotik Kabupaten Rokan Hilir", Role.WALIDATA,
             ROKAN_HILIR.government_slug, "walidata Kabupaten Rokan Hilir"),
    DemoUser("produsen.dinkes.rohil", "Operator Data Dinas Kesehatan Rokan Hilir", Role.PRODUSEN,
             opd_slug(ROKAN_HILIR, "kesehatan")),
    DemoUser("produsen.disdukcapil.rohil", "Operator Data Disdukcapil Rokan Hilir", Role.PRODUSEN,
             opd_slug(ROKAN_HILIR, "kependudukan")),
    DemoUser("produsen.disdik.pelalawan", "Operator Data Dinas Pendidikan Pelalawan", Role.PRODUSEN,
             opd_slug(PELALAWAN, "pendidikan")),
    DemoUser("produsen.distan.pelalawan", "Operator Data Dinas Pertanian Pelalawan", Role.PRODUSEN,
             opd_slug(PELALAWAN, "pertanian")),
    DemoUser("produsen.dinkes.dumai", "Operator Data Dinas Kesehatan Dumai", Role.PRODUSEN,
             opd_slug(DUMAI, "kesehatan")),
    DemoUser("produsen.bappeda.dumai", "Operator Data Bappeda Dumai", Role.PRODUSEN, opd_slug(DUMAI, "perencanaan")),
    DemoUser("ppid.utama.riau", "PPID Utama Provinsi Riau", Role.PPID_UTAMA, walidata_slug(RIAU),
             "PPID Utama berkedudukan di Diskominfotik"),
    DemoUser("ppid.dinkes.rohil", "PPID Pelaksana Dinas Kesehatan Rokan Hilir", Role.PPID_PELAKSANA,
             opd_slug(ROKAN_HILIR, "kesehatan")),
    DemoUser("ppid.disdukcapil.dumai", "PPID Pelaksana Disdukcapil Dumai", Role.PPID_PELAKSANA,
             opd_slug(DUMAI, "kependudukan")),
    DemoUser("atasan.ppid.riau", "Atasan PPID Provinsi Riau (Sekretaris Daerah)", Role.ATASAN_PPID,
             RIAU.government_slug, "memutus keberatan"),
)


def create_users(actor: Actor, orgs: dict[str, Organization]) -> int:
    """The demo users through ``accounts.create_user``; a username that exists is skipped.
    Returns how many were new."""
    existing = set(db.session.scalars(select(User.username).where(User.username.in_([u.username for u in USERS]))))
    made = 0
    for spec in USERS:
        if spec.username in existing:
            continue
        accounts.create_user(actor, username=spec.username, email=spec.email, full_name=spec.full_name,
                             password=spec.password, roles=[(spec.role, orgs[spec.organization])])
        made += 1
    return made
