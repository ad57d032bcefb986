"""The engine-neutral reading of a user's query text.

A query is never handed to an engine's query parser: quotes, ``*``, ``:``, ``(`` and the rest
are just separators here, so no input can be query syntax. The text becomes *clauses*, all of
which a document must match (AND). A clause is one word, or a span of words that the synonym
list knows, with its alternatives (*faskes* → *fasilitas kesehatan*). Each word carries its
Sastrawi stem, and words of five or more letters may match with one typo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from satudata.search.synonyms import SynonymSet
from satudata.search.text import STOP_WORDS, stem, tokenize

MAX_QUERY_CHARS = 500  # longer text is cut (a pasted page must not become a 10,000-term query)
MAX_QUERY_TERMS = 24
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Term:
    """One word of a query: its folded form, its stem (``None`` for a stop word) and whether
    one typo is tolerated."""

    text: str
    stem: str | None
    fuzzy: bool


@dataclass(frozen=True)
class Clause:
    """A document matches the clause when it matches every term of one alternative."""

    alternatives: tuple[tuple[Term, ...], ...]


@dataclass(frozen=True)
class ParsedQuery:
    tokens: tuple[str, ...]  # every token in order, stop words included (for phrase boosts)
    clauses: tuple[Clause, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def words(self) -> set[str]:
        """Every folded word of every alternative (what a highlighter marks)."""
        return {t.text for c in self.clauses for alt in c.alternatives for t in alt}

    def stems(self) -> set[str]:
        return {t.stem for c in self.clauses for alt in c.alternatives for t in alt if t.stem}

    def fuzzy_words(self) -> set[str]:
        return {t.text for c in self.clauses for alt in c.alternatives for t in alt if t.fuzzy}


def clean_text(text: str | None) -> str:
    """Strip, drop control characters and cut to ``MAX_QUERY_CHARS``."""
    if not text:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in text[: MAX_QUERY_CHARS * 2])
    return text.strip()[:MAX_QUERY_CHARS]


def _term(token: str) -> Term:
    is_stop = token in STOP_WORDS
    return Term(
        text=token,
        stem=None if is_stop else stem(token),
        fuzzy=len(token) >= FUZZY_MIN_LENGTH and token.isalpha() and not is_stop,
    )


def parse_query(text: str, synonyms: SynonymSet | None = None,
                tokenizer: Callable[[str], list[str]] = tokenize) -> ParsedQuery:
    """Read ``text`` (already cleaned) into clauses; see the module docstring."""
    tokens = [t for t in tokenizer(text) if t][:MAX_QUERY_TERMS]
    if not tokens:
        return ParsedQuery(tokens=(), clauses=())
    only_stop_words = all(t in STOP_WORDS for t in tokens)
    clauses: list[Clause] = []
    i = 0
    while i < len(tokens):
        found = synonyms.match(tokens, i) if synonyms else None
        length, others = found if found else (1, [])
        span = tokens[i:i + length]
        i += length
        alternatives: list[tuple[Term, ...]] = []
        for phrase in [tuple(span), *others]:
            terms = tuple(_term(t) for t in phrase if only_stop_words or t not in STOP_WORDS)
            if terms and terms not in alternatives:
                alternatives.append(terms)
        if alternatives:
            clauses.append(Clause(alternatives=tuple(alternatives)))
    return ParsedQuery(tokens=tuple(tokens), clauses=tuple(clauses))
