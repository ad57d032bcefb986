"""The demo's data suggestions: what citizens of Rokan Hilir and Riau asked the portal for, with
their supports, in every state the walidata's triage leads to: waiting, accepted into next
year's Daftar Data, pointed to a published dataset, redirected to a PPID request, declined with
a reason, merged as a duplicate, and one held for moderation.

Filed, supported and triaged through the usulan services with the demo's system actor, like
everything else of the demo (no proposer left an e-mail, so no mail is queued). Loading again
creates nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from satudata.authz import Actor
from satudata.catalog.models import Dataset, DatasetState
from satudata.db import utcnow
from satudata.demo.organizations import RIAU, ROKAN_HILIR, opd_slug
from satudata.extensions import db
from satudata.usulan import services as usulan
from satudata.usulan.models import Suggestion, SuggestionState

ROHIL = ROKAN_HILIR.government_slug
PROV = RIAU.government_slug

# key, region, OPD slug (or ""), topic, title, description, proposer, supports, days ago
SUGGESTIONS: tuple[tuple[str, str, str, str, str, str, str, int, int], ...] = (
    ("nelayan", ROHIL, "", "ekonomi", "Jumlah nelayan dan kapal perikanan menurut kecamatan",
     "Bagansiapiapi dan Panipahan hidup dari laut, tetapi portal belum memuat data nelayan. Kami perlu jumlah "
     "nelayan (penuh dan sambilan), kapal menurut ukuran GT dan alat tangkap per kecamatan, lima tahun terakhir, "
     "untuk kajian koperasi nelayan kampus.", "Mahasiswa perikanan", 14, 40),
    ("sawit", ROHIL, opd_slug(ROKAN_HILIR, "pertanian"), "pertanian",
     "Luas dan produksi kebun kelapa sawit rakyat menurut kecamatan",
     "Luas tanam, tanaman menghasilkan dan produksi TBS kebun sawit rakyat per kecamatan, tiap tahun. Dipakai "
     "kelompok tani untuk merencanakan peremajaan sawit rakyat (PSR).", "Ketua kelompok tani", 6, 21),
    ("stunting", ROHIL, opd_slug(ROKAN_HILIR, "kesehatan"), "kesehatan",
     "Prevalensi balita stunting menurut desa",
     "Angka stunting per desa dari penimbangan posyandu (e-PPGBM), agar pemerintah desa dapat mengarahkan dana "
     "desa ke desa yang paling membutuhkan.", "Pendamping desa", 23, 75),
    ("penduduk", PROV, "", "kependudukan", "Jumlah penduduk menurut kabupaten/kota dan jenis kelamin",
     "Untuk tugas sekolah tentang kepadatan penduduk di Riau: jumlah penduduk laki-laki dan perempuan tiap "
     "kabupaten/kota.", "", 3, 60),
    ("kontrak", ROHIL, opd_slug(ROKAN_HILIR, "pu"), "infrastruktur",
     "Dokumen kontrak pembangunan jalan lingkar Bagansiapiapi",
     "Saya ingin melihat nilai kontrak, pelaksana dan jadwal pekerjaan jalan lingkar yang dikerjakan tahun lalu.",
     "Warga Bagan Punak", 4, 30),
    ("nik", PROV, "", "sosial", "Daftar nama dan NIK penerima bantuan sosial",
     "Minta daftar lengkap nama, NIK dan alamat semua penerima bansos di Riau untuk dicocokkan dengan tetangga.",
     "", 1, 50),
    ("nelayan2", ROHIL, "", "ekonomi", "Data nelayan per kecamatan di Rokan Hilir",
     "Berapa jumlah nelayan di setiap kecamatan? Untuk skripsi tentang kesejahteraan nelayan.", "", 2, 12),
    ("banjir", ROHIL, "", "infrastruktur", "Titik rawan banjir rob menurut desa pesisir",
     "Desa pesisir yang sering terkena banjir rob, berapa kali setahun dan berapa rumah terdampak. Untuk "
     "relawan kebencanaan.", "Relawan kebencanaan", 5, 4),
    ("honor", ROHIL, "", "", "Data honor kegiatan pegawai dinas yang sialan itu",
     "Tolong buka data honor kegiatan semua pegawai dinas, biar kelihatan siapa yang makan uang rakyat.", "", 0, 2),
)


def _published(words: tuple[str, ...]) -> Dataset | None:
    """A published dataset whose title has all ``words`` (the demo catalogue's names may change)."""
    q = select(Dataset).where(Dataset.state == DatasetState.PUBLISHED, Dataset.revision_of_id.is_(None))
    for word in words:
        q = q.where(Dataset.title.ilike(f"%{word}%"))
    return db.session.scalar(q.order_by(Dataset.title).limit(1))


def create_usulan(actor: Actor) -> int:
    """The demo's suggestions and their supports; how many suggestions were filed (0 when present)."""
    if db.session.scalar(select(Suggestion.id).limit(1)) is not None:
        return 0
    made: dict[str, Suggestion] = {}
    now = utcnow()
    for key, region, opd, topic, title, description, proposer, supports, days in SUGGESTIONS:
        form: dict[str, Any] = {"title": title, "description": description, "region": region, "organization": opd,
                                "topic": topic, "name": proposer, "email": ""}
        s = usulan.file_suggestion(actor, form, supporter=f"demo-{key}-0")
        for n in range(1, supports if s.state == SuggestionState.NEW else 0):
            usulan.support_suggestion(actor, s, f"demo-{key}-{n}")
        s.created_at = now - timedelta(days=days, hours=len(key))
        made[key] = s
    year = usulan.next_year()
    stunting = made["stunting"]
    usulan.accept_suggestion(actor, stunting, stunting.organization, year=year,  # type: ignore[arg-type]
                             title="Prevalensi Balita Stunting menurut Desa", frequency="tahunan",
                             release_date=date(year, 8, 31), is_priority=True)
    dataset = _published(("Penduduk", "Jenis Kelamin")) or _published(("Penduduk",))
    if dataset is not None:
        usulan.point_suggestion(actor, made["penduduk"], dataset.slug,
                                "Tabelnya memuat penduduk laki-laki dan perempuan per kabupaten/kota; unduh CSV-nya.")
    usulan.redirect_suggestion(actor, made["kontrak"], (
        "Dokumen kontrak adalah informasi publik yang dimohonkan ke PPID, bukan data statistik. Ajukan permohonan ke "
        "PPID Dinas PUPR Rokan Hilir dengan menyebut nama paket pekerjaannya."))
    usulan.decline_suggestion(actor, made["nik"], (
        "Nama, NIK dan alamat penerima bantuan adalah data pribadi yang dikecualikan (UU 27/2022). Jumlah penerima "
        "per kecamatan sudah direncanakan dalam Daftar Data."))
    usulan.merge_suggestion(actor, made["nelayan2"], made["nelayan"])
    for key in ("stunting", "penduduk", "kontrak", "nik", "nelayan2"):
        s = made[key]
        if s.decided_at is not None:
            s.decided_at = s.created_at + timedelta(days=min(7, max(1, (now - s.created_at).days - 1)))
    db.session.flush()
    return len(made)
