"""The synonym list: words and abbreviations that mean the same thing (*faskes* = *fasilitas
kesehatan*, *rohil* = *Rokan Hilir*).

Synonyms are applied when a query is parsed, not when documents are indexed, so an edit takes
effect on the next search without reindexing, and both engines behave the same. The list is a
text file, one group of equivalent terms per line, separated by commas; ``#`` starts a comment:

    faskes, fasilitas kesehatan, fasilitas pelayanan kesehatan

The file lives at ``SEARCH_SYNONYMS_PATH`` (default ``<instance>/search/synonyms.txt``); while it
does not exist, ``DEFAULT_SYNONYMS`` below applies. The walidata edits it through
``services.update_synonyms``.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from satudata.search.text import tokenize

DEFAULT_SYNONYMS = """\
# Padanan kata untuk pencarian: satu kelompok per baris, dipisah koma.
faskes, fasilitas kesehatan, fasilitas pelayanan kesehatan
rohil, rokan hilir
rohul, rokan hulu
inhil, indragiri hilir
inhu, indragiri hulu
kuansing, kuantan singingi
apbd, anggaran pendapatan dan belanja daerah
pad, pendapatan asli daerah
pdrb, produk domestik regional bruto
ipm, indeks pembangunan manusia
tpt, tingkat pengangguran terbuka
opd, organisasi perangkat daerah
umkm, usaha mikro kecil dan menengah
rsud, rumah sakit umum daerah
rs, rumah sakit
puskesmas, pusat kesehatan masyarakat
paud, pendidikan anak usia dini
sd, sekolah dasar
smp, sekolah menengah pertama
sma, sekolah menengah atas
smk, sekolah menengah kejuruan
kb, keluarga berencana
ktp, kartu tanda penduduk
kk, kartu keluarga
dukcapil, kependudukan dan pencatatan sipil
asn, aparatur sipil negara, pegawai negeri sipil, pns
karhutla, kebakaran hutan dan lahan
jalan tol, jalan bebas hambatan
"""

# English words for the Satu Data topics and what people look for in them, each with its
# Indonesian terms: an English query finds Indonesian data, in both engines (the list is applied
# when a query is parsed). Always in force, next to the editable list above (a walidata's edit of
# their list cannot drop it); a word here that the editable list also has joins both groups.
BILINGUAL_SYNONYMS = """\
population, penduduk, kependudukan
census, sensus
birth, births, kelahiran
death, deaths, mortality, kematian
marriage, perkawinan
health, kesehatan
hospital, hospitals, rumah sakit
health centre, health center, puskesmas
immunization, immunisation, vaccination, imunisasi
nutrition, gizi
malnutrition, gizi buruk
disease, diseases, penyakit
doctor, doctors, dokter
midwife, midwives, bidan
nurse, nurses, perawat
education, pendidikan
school, schools, sekolah
student, students, pupil, pupils, siswa, murid
teacher, teachers, guru
university, perguruan tinggi
literacy, melek huruf
poverty, poor, kemiskinan, penduduk miskin
welfare, social welfare, kesejahteraan sosial
social assistance, bantuan sosial
unemployment, pengangguran
employment, labour, labor, workforce, ketenagakerjaan, tenaga kerja
wage, wages, upah
economy, economic, ekonomi
inflation, inflasi
gross regional domestic product, grdp, pdrb
human development index, hdi, ipm
investment, investasi
trade, perdagangan
industry, industri
cooperative, cooperatives, koperasi
small business, umkm
tourism, tourist, tourists, pariwisata, wisatawan
agriculture, farming, pertanian
rice, padi, beras
plantation, plantations, perkebunan
palm oil, oil palm, kelapa sawit
rubber, karet
livestock, peternakan
fisheries, fishery, fish, perikanan, ikan
forest, forestry, hutan, kehutanan
environment, lingkungan hidup
forest fire, forest fires, kebakaran hutan, karhutla
flood, floods, banjir
disaster, disasters, bencana
waste, garbage, sampah
water, air
clean water, drinking water, air bersih, air minum
sanitation, sanitasi
housing, perumahan
electricity, listrik
road, roads, jalan
bridge, bridges, jembatan
transport, transportation, perhubungan, transportasi
vehicle, vehicles, kendaraan
infrastructure, infrastruktur
budget, anggaran, apbd
revenue, income, pendapatan
expenditure, spending, belanja
tax, taxes, pajak
finance, keuangan
asset, assets, aset
civil servant, civil servants, aparatur sipil negara, asn
village, villages, desa, kelurahan
district, subdistrict, kecamatan
regency, kabupaten
city, kota
province, provinsi
region, wilayah
religion, agama
election, elections, pemilu
crime, kriminalitas
security, keamanan
sport, sports, olahraga
culture, kebudayaan
youth, pemuda
women, perempuan
child, children, anak
family planning, keluarga berencana
gender, jenis kelamin
map, maps, peta
statistics, statistik
"""

MAX_LINES = 2000
MAX_LINE_CHARS = 500


class SynonymSyntaxError(ValueError):
    """A line of a synonym list that cannot be used; ``line`` is its 1-based number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"baris {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class SynonymSet:
    """Groups of equivalent phrases, each phrase a tuple of folded tokens."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # first token -> [(phrase, group index)], longest phrase first
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = field(default_factory=dict, compare=False)

    @classmethod
    def parse(cls, text: str, tokenizer: Callable[[str], list[str]] = tokenize) -> SynonymSet:
        """Parse the file format; raise ``SynonymSyntaxError`` on a line that is not usable."""
        groups: list[tuple[tuple[str, ...], ...]] = []
        lines = text.splitlines()
        if len(lines) > MAX_LINES:
            raise SynonymSyntaxError(MAX_LINES + 1, f"paling banyak {MAX_LINES} baris")
        for number, raw in enumerate(lines, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if len(line) > MAX_LINE_CHARS:
                raise SynonymSyntaxError(number, f"baris terlalu panjang (maksimal {MAX_LINE_CHARS} karakter)")
            if "=>" in line:
                raise SynonymSyntaxError(number, "gunakan koma untuk memisahkan padanan, bukan '=>'")
            phrases: list[tuple[str, ...]] = []
            for part in line.split(","):
                tokens = tuple(tokenizer(part))
                if tokens and tokens not in phrases:
                    phrases.append(tokens)
            if len(phrases) < 2:
                raise SynonymSyntaxError(number, "setiap baris perlu sedikitnya dua padanan yang dipisah koma")
            groups.append(tuple(phrases))
        return cls.from_groups(groups)

    @classmethod
    def from_groups(cls, groups: Sequence[tuple[tuple[str, ...], ...]]) -> SynonymSet:
        by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, group in enumerate(groups):
            for phrase in group:
                by_first.setdefault(phrase[0], []).append((phrase, index))
        for entries in by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        return cls(groups=tuple(groups), by_first=by_first)

    def match(self, tokens: Sequence[str], start: int) -> tuple[int, list[tuple[str, ...]]] | None:
        """The longest phrase of the list that starts at ``tokens[start]``: ``(its length,
        the other phrases of its group)``, or ``None``."""
        for phrase, index in self.by_first.get(tokens[start], ()):
            end = start + len(phrase)
            if tuple(tokens[start:end]) == phrase:
                others: list[tuple[str, ...]] = []
                for group_index in {index} | {i for p, i in self._same_phrase(phrase)}:
                    others.extend(p for p in self.groups[group_index] if p != phrase and p not in others)
                return len(phrase), others
        return None

    def _same_phrase(self, phrase: tuple[str, ...]) -> list[tuple[tuple[str, ...], int]]:
        return [(p, i) for p, i in self.by_first.get(phrase[0], ()) if p == phrase]


class SynonymStore:
    """The synonym file of one deployment, re-read when it changes (checked at most every
    ``check_every`` seconds, so a search costs no file-system call most of the time)."""

    def __init__(self, path: Path | None, check_every: float = 2.0,
                 tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.path = path
        self.check_every = check_every
        self.tokenizer = tokenizer
        self._lock = threading.Lock()
        self._checked = 0.0
        self._mtime: float | None = -1.0
        self._current = SynonymSet()

    def text(self) -> str:
        """The list as its editor sees it (the defaults while no file exists)."""
        if self.path is not None and self.path.exists():
            return self.path.read_text(encoding="utf-8")
        return DEFAULT_SYNONYMS

    def current(self) -> SynonymSet:
        """The list in force: the editable list and the built-in English one."""
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return self._current
        with self._lock:
            self._checked = now
            mtime = self._stat()
            if mtime != self._mtime:
                try:
                    self._current = self._with_bilingual(SynonymSet.parse(self.text(), self.tokenizer))
                except (SynonymSyntaxError, OSError):
                    # A broken file never breaks search: keep the last good list.
                    if self._mtime == -1.0:
                        self._current = self._with_bilingual(SynonymSet.parse(DEFAULT_SYNONYMS, self.tokenizer))
                self._mtime = mtime
        return self._current

    def _with_bilingual(self, edited: SynonymSet) -> SynonymSet:
        bilingual = SynonymSet.parse(BILINGUAL_SYNONYMS, self.tokenizer)
        return SynonymSet.from_groups([*edited.groups, *bilingual.groups])

    def _stat(self) -> float | None:
        if self.path is None:
            return None
        try:
            return self.path.stat().st_mtime
        except OSError:
            return None

    def save(self, text: str) -> SynonymSet:
        """Check ``text`` and replace the file atomically; raise ``SynonymSyntaxError``."""
        parsed = SynonymSet.parse(text, self.tokenizer)
        if self.path is None:
            raise OSError("no synonym file is configured")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".synonyms-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, self.path)
        with self._lock:
            self._current = self._with_bilingual(parsed)
            self._mtime = self._stat()
            self._checked = time.monotonic()
        return parsed
