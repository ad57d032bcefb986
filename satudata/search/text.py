"""Indonesian text analysis shared by the engines: tokens, folding, stop words and stems.

The embedded engine indexes a Sastrawi-stemmed copy of each text beside the original, so
*kependudukan* and *penduduk* (both stem to *duduk*) find each other. Sastrawi is slow on a
cold word (it tries many affix removals against its dictionary), so stems are cached per
process, and its dictionary is held in a set instead of the list it ships with (a list makes
every lookup a scan of 30,000 words).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

# Alphanumeric runs, as tantivy's SimpleTokenizer splits them (``_`` separates words too,
# so the column ``laki_laki`` yields ``laki`` twice).
TOKEN_RE = re.compile(r"[^\W_]+")

# Words that carry no meaning in a catalogue query. Deliberately short: numerals (``dua``),
# ``data``, ``tahun`` and ``jumlah`` stay searchable because titles are built from them.
_STOP_WORDS_TEXT = """
    ada adalah agar akan antara apa apakah atau bagaimana bagi bahwa banyak beberapa
    begitu belum bila boleh bukan dalam dan dapat dari daripada demi dengan di dia ialah ini
    itu jika juga kami kapan karena ke kecuali kepada ketika kita lagi lain maka mana masih
    melalui menurut mereka misalnya namun oleh pada para per pula saat saja sambil sampai
    sebagai sebelum secara sedang sehingga sejak selain seperti serta setelah sudah supaya
    tanpa telah tentang terhadap tetapi untuk walau yaitu yakni yang
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

_stemmer: Any = None
_stemmer_lock = threading.Lock()


def fold(token: str) -> str:
    """Lower-case and strip diacritics (``Café`` → ``cafe``), like tantivy's ASCII folding."""
    token = token.lower()
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[str]:
    """The folded tokens of ``text``."""
    return [fold(m.group()) for m in TOKEN_RE.finditer(text)]


def token_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, folded token)`` for each token of ``text`` (offsets in characters)."""
    for m in TOKEN_RE.finditer(text):
        yield m.start(), m.end(), fold(m.group())


def _get_stemmer() -> Any:
    global _stemmer
    if _stemmer is None:
        with _stemmer_lock:
            if _stemmer is None:
                from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
                from Sastrawi.Stemmer.Stemmer import Stemmer
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                class _SetDictionary(ArrayDictionary):  # type: ignore[misc]
                    """Sastrawi's dictionary interface over a set (O(1) ``contains``)."""

                    def __init__(self, words: Iterable[str]) -> None:
                        self.words = frozenset(w.strip() for w in words if w and w.strip())

                    def contains(self, word: str) -> bool:
                        return word in self.words

                    def count(self) -> int:
                        return len(self.words)

                _stemmer = Stemmer(_SetDictionary(StemmerFactory().get_words()))
    return _stemmer


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The Sastrawi stem of one folded token; numbers, codes and short words stay as they are."""
    if len(token) < 4 or not token.isalpha():
        return token
    return str(_get_stemmer().stem(token)) or token


def is_stop_word(token: str) -> bool:
    return token in STOP_WORDS


def stems(tokens: Iterable[str]) -> list[str]:
    """The stems of ``tokens`` without stop words: the stemmed copy the engines index."""
    return [stem(t) for t in tokens if t not in STOP_WORDS]


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of neighbours (the typo tolerance of the engines)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if la > lb:
        a, b = b, a
    # b is one longer than a: one deletion from b gives a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance of ``a`` and ``b``, or ``limit`` when it is at least that (cheap cut-off)."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= limit:
            return limit
        previous = current
    return min(previous[-1], limit)


MAX_SUGGEST_EDITS = 2


def closest_word(token: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The candidate ``(word, frequency)`` nearest ``token`` within ``MAX_SUGGEST_EDITS`` edits:
    the fewest edits, then the most frequent, then the first in alphabetical order; ``None``
    when none is near. Both engines' did-you-mean choose with this one rule."""
    best: tuple[int, int, str] | None = None
    for word, frequency in candidates:
        if not word or abs(len(word) - len(token)) > MAX_SUGGEST_EDITS:
            continue
        distance = levenshtein(token, word, MAX_SUGGEST_EDITS + 1)
        if distance <= MAX_SUGGEST_EDITS and (best is None or (distance, -frequency, word) < best):
            best = (distance, -frequency, word)
    return best[2] if best is not None else None


def corrected(tokens: Iterable[str], replacement: Callable[[str], str | None]) -> str | None:
    """``tokens`` with each word ``replacement`` has a correction for replaced, as one query;
    ``None`` when nothing changed (no "did you mean" to show)."""
    out, changed = [], False
    for token in tokens:
        better = replacement(token)
        out.append(better or token)
        changed = changed or better is not None
    return " ".join(out) if changed else None


# Documents drop tokens of 40 bytes or more, as tantivy's ``remove_long(40)`` in the embedded
# engine does (no word is that long; a pasted hash or URL must not become a term).
MAX_TOKEN_BYTES = 40


def index_tokens(text: str) -> list[str]:
    """The folded tokens a document's ``text`` is indexed as (long tokens dropped)."""
    return [t for t in tokenize(text) if len(t.encode()) < MAX_TOKEN_BYTES]


def stem_text(text: str) -> str:
    """The Sastrawi-stemmed copy of ``text`` both engines index (whitespace-separated stems,
    stop words removed). Computed here, in Python, for every engine, so *kependudukan* and
    *penduduk* meet on *duduk* whatever the engine's own stemmer would say."""
    return " ".join(stems(index_tokens(text)))
