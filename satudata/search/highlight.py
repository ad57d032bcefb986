"""Highlighted title and description snippet for a hit, as HTML-escaped text with ``<mark>``.

A word is marked when it is a query word, shares a query word's Sastrawi stem (so
*kependudukan* marks *Penduduk*), or is one typo away from a query word of five or more
letters. Everything else is escaped, so a title like ``<script>`` can never become markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from satudata.search.query import ParsedQuery
from satudata.search.text import edit_distance_at_most_one, stem, token_spans

SNIPPET_CHARS = 220
SCAN_CHARS = 4000  # a match deeper in a long description is not looked for


class Marker:
    """Decides which words of a text a query marks."""

    def __init__(self, parsed: ParsedQuery) -> None:
        self.words = parsed.words()
        self.stems = parsed.stems()
        self.fuzzy = parsed.fuzzy_words()

    def __bool__(self) -> bool:
        return bool(self.words)

    def marks(self, token: str) -> bool:
        if token in self.words:
            return True
        if len(token) >= 4 and token.isalpha() and stem(token) in self.stems:
            return True
        return len(token) >= 4 and any(edit_distance_at_most_one(token, f) for f in self.fuzzy)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, token in token_spans(text) if self.marks(token)]


def _render(text: str, spans: Iterable[tuple[int, int]], offset: int = 0) -> str:
    out: list[str] = []
    pos = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < pos or end > len(text):
            continue
        out.append(str(escape(text[pos:start])))
        out.append("<mark>" + str(escape(text[start:end])) + "</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return "".join(out)


def highlight_title(title: str, marker: Marker) -> Markup:
    """The whole title, matches marked."""
    return Markup(_render(title, marker.spans(title) if marker else []))


def snippet(description: str, marker: Marker, size: int = SNIPPET_CHARS) -> Markup:
    """About ``size`` characters of ``description`` around the densest cluster of matches
    (its beginning when nothing matches), cut at word boundaries, matches marked."""
    text = " ".join(description[:SCAN_CHARS].split())
    if not text:
        return Markup("")
    spans = marker.spans(text) if marker else []
    if len(text) <= size:
        return Markup(_render(text, spans))
    start = 0
    if spans:
        # The window holding the most matches; ties go to the earliest.
        best, best_count, j = spans[0][0], 0, 0
        for i, (s, _e) in enumerate(spans):
            j = max(j, i)
            while j < len(spans) and spans[j][1] <= s + size:
                j += 1
            if j - i > best_count:
                best, best_count = s, j - i
        start = max(0, best - size // 5)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    inside = [(s, e) for s, e in spans if s >= start and e <= end]
    body = _render(text[start:end], inside, offset=start)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return Markup(prefix + body + suffix)
