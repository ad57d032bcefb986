"""What holds a suggestion for moderation, and how alike two titles are. Pure: no database.

Abusive text: a modest list of Indonesian (and regional) swear words, matched as whole words,
case-insensitively, after undoing simple leetspeak (``4nj1n9``, ``g0bl0k``) and stretched
letters (``tolooool``). Words that are abusive only in context and name things the portal has
data about (``anjing``: rabies cases; ``babi``: livestock) are deliberately not on it: a
suggestion for "kasus gigitan anjing" must not wait for a moderator. Many links are a spammer's
mark, so a text with several is held too.
"""

from __future__ import annotations

import re
import unicodedata

# Whole words, lower case. Kept short on purpose: it is a tripwire for a human moderator, not a
# censor; what passes it the walidata can still hide.
ABUSIVE = frozenset({
    "bangsat", "bajingan", "brengsek", "kampret", "keparat", "sialan", "goblok", "goblog", "tolol", "bego",
    "idiot", "dungu", "kontol", "memek", "ngentot", "entot", "jancok", "jancuk", "cok", "pantek", "puki",
    "pukimak", "lonte", "pelacur", "perek", "jablay", "bacot", "tai", "taik", "setan", "iblis", "laknat",
    "banci", "bencong", "kafir", "asw", "anjir", "anjrit", "ngehe", "kimak", "titit", "peler",
})
LINKS_HELD = 3  # this many links (or more) in a suggestion holds it

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a",
                       "$": "s", "!": "i", "|": "i", "+": "t"})
_WORD = re.compile(r"[\w@$!|+]+", re.UNICODE)
_RUNS = re.compile(r"(.)\1+")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b\S+\.(?:com|net|xyz|top|info|biz|ru|cn)\b", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lower case without accents (``Ó`` is ``o``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


fold = _fold  # the services' folded search text

_ABUSIVE_COLLAPSED = frozenset(_RUNS.sub(r"\1", w) for w in ABUSIVE)


def abusive_words(text: str) -> list[str]:
    """The abusive words in ``text`` (as written), in order; empty when there are none."""
    found: list[str] = []
    for match in _WORD.finditer(_fold(text)):
        raw = match.group(0)
        if raw.isdigit():
            continue
        # "!" may be an "i" (b4ngs4t! is not, s!alan is): try the word with and without its
        # trailing marks.
        for variant in {raw, raw.rstrip("!|+_")}:
            plain = variant.translate(_LEET).strip("_")
            if plain in ABUSIVE or _RUNS.sub(r"\1", plain) in _ABUSIVE_COLLAPSED:
                found.append(raw)
                break
    return found


def link_count(text: str) -> int:
    return len(_LINK.findall(text))


def hold_reason(*texts: str) -> str:
    """Why moderation should hold a suggestion made of ``texts`` (internal, for the walidata), or
    an empty string when it may be public at once."""
    reasons = []
    words = [w for t in texts for w in abusive_words(t)]
    if words:
        reasons.append("kata kasar: " + ", ".join(dict.fromkeys(words)))
    links = sum(link_count(t) for t in texts)
    if links >= LINKS_HELD:
        reasons.append(f"{links} tautan")
    return "; ".join(reasons)[:200]


# --------------------------------------------------------------------------- similarity

# Words that say nothing about which data is meant ("Data jumlah ... menurut kecamatan tahun ...").
STOPWORDS = frozenset({
    "data", "jumlah", "banyaknya", "menurut", "per", "dan", "di", "ke", "dari", "yang", "untuk", "dengan", "atau",
    "tahun", "kabupaten", "kota", "provinsi", "kab", "prov", "se", "dalam", "pada", "oleh", "tiap", "setiap",
    "daftar", "informasi", "tentang", "mohon", "tolong", "usulan", "the", "of", "and", "in", "by", "pemerintah",
    # the level a table is broken down by says nothing about what it counts
    "kecamatan", "desa", "kelurahan", "wilayah", "nagari", "kampung", "lokasi",
})
_TOKEN = re.compile(r"[a-z0-9]+")


def search_words(title: str) -> list[str]:
    """The telling words of a title as written (for a search engine, which stems them itself)."""
    return list(dict.fromkeys(t for t in _TOKEN.findall(_fold(title))
                              if t not in STOPWORDS and not t.isdigit() and len(t) >= 3))


def title_words(title: str) -> frozenset[str]:
    """The words of a title that tell data apart: folded, without stop words or years, with
    the commonest Indonesian suffixes taken off (``kelahiran`` ~ ``lahir`` is too far, but
    ``sekolahnya`` ~ ``sekolah`` is not)."""
    words = set()
    for token in _TOKEN.findall(_fold(title)):
        if token in STOPWORDS or token.isdigit() or len(token) < 3:
            continue
        for suffix in ("nya", "kan", "an"):
            if token.endswith(suffix) and len(token) - len(suffix) >= 4:
                token = token[: -len(suffix)]
                break
        words.add(token)
    return frozenset(words)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """How alike two titles' words are: shared words over the smaller set (a short suggestion
    "Data stunting per desa" is like "Prevalensi stunting balita per desa"), 0 to 1; 0 when
    two titles of several words share only one (one common word is a coincidence)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < 2 and min(len(a), len(b)) >= 2:
        return 0.0
    return shared / min(len(a), len(b))


def closeness(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """A sort key among alike titles: ``similarity``, then shared words over all their words
    (of two titles that both hold every word asked for, the one with fewer others is closer)."""
    union = len(a | b)
    return similarity(a, b), (len(a & b) / union if union else 0.0)
