"""Table Schema ``pattern`` constraints, refused when a linear-time engine cannot run them and
always checked by one (RE2).

Why: frictionless checks ``pattern`` with Python's ``re``, a backtracking engine. ``(a+)+c``
against a cell "aaaa...ab" takes time exponential in the cell's length: one producer's
Table Schema could hold the validation worker for ever (issue #16). Table Schema's
``pattern`` is an XML Schema regular expression, which has neither lookaround nor
backreferences, so RE2 (Google's linear-time engine, the ``google-re2`` wheel) can run every
pattern the standard allows.

Where frictionless evaluates a pattern (``frictionless/schema/field.py``, 5.x):
``Field.create_cell_reader`` compiles ``re.compile("^{0}$".format(pattern))`` and binds it to
``check_pattern(constraint, cell)``, a module function it looks up by name
(``globals().get(f"check_{name}")``) each time it builds a cell reader. Every cell reader the
portal uses is built there: the fast path's candidate confirmation and its replay of error
rows, plain frictionless (the fallback and the reference engine), and the typed exports.

The choice: :func:`install` replaces that one function, ``frictionless.schema.field.check_pattern``,
with :func:`check_pattern` below, which matches the same cell against the same pattern with
RE2. Python's ``re`` still *compiles* the pattern (that is linear, and keeps frictionless's own
refusal of what it cannot read) but never *matches* a cell. Alternatives, and why not:

- taking ``pattern`` out of the descriptor and checking it ourselves would change frictionless's
  reports (the error order and notes the differential test holds both engines to);
- a subclassed string field would copy ``create_cell_reader`` and drift from upstream;
- a time limit per check cannot be set on a C-level ``re`` call from inside the process
  (only a signal interrupts it, and the job's own timeout is that signal).

Semantics are RE2's, the same on both engines, so their reports stay identical: ``$`` keeps
Python's meaning at the end (it also matches before one final newline, as frictionless's
``match`` did), but ``\\d``, ``\\w``, ``\\s`` and ``\\b`` are ASCII classes, as in RE2.

At the door, :func:`problem` says why a pattern cannot be used: Python's ``re`` cannot read
it, or RE2 cannot (lookaround, backreferences, possessive quantifiers, a program past RE2's
memory budget). ``schema.check_schema`` and the schema editor refuse those, naming the field.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2

CACHE_SIZE = 512  # compiled patterns kept per process


class UnsafePattern(ValueError):
    """A pattern RE2 cannot run reached a cell check (only direct library use gets here: every
    Table Schema is checked with :func:`problem` first). It is never handed to Python's ``re``."""


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # the error is raised (and refused with a message), not logged
    options.never_capture = True  # only "does it match" is asked: the fastest automaton
    return options


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compiled(pattern: str) -> Any:
    """RE2 for frictionless's ``^pattern$``, anchored by ``fullmatch``; ``\\n?`` keeps the one
    final newline Python's ``$`` allows."""
    try:
        re2.compile(pattern, _options())  # alone first: wrapping must not mend an unbalanced group
        return re2.compile(f"(?:{pattern})\n?", _options())
    except re2.error as exc:
        raise UnsafePattern(_engine_message(exc)) from None


def _engine_message(exc: BaseException) -> str:
    detail = exc.args[0] if exc.args else exc
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


def problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be a Table Schema ``pattern`` here (a phrase in Indonesian that
    starts with "tidak valid" or "tidak dapat dipakai"), or None when it can."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"tidak valid: {exc}"
    except (OverflowError, RecursionError, ValueError) as exc:  # absurd repeat counts or nesting
        return f"tidak valid: {exc}"
    try:
        _compiled(pattern)
    except UnsafePattern as exc:
        return ("tidak dapat dipakai: portal memeriksa pola dengan mesin regex berwaktu linear (RE2), sesuai "
                "pola XML Schema yang dipakai Table Schema, sehingga lookaround ((?=, (?!, (?<=, (?<!), rujukan "
                "balik (\\1, (?P=nama)) dan pengulangan yang terlalu besar tidak didukung. Tulis ulang polanya "
                f"tanpa bagian itu (keterangan mesin regex: {exc})")
    return None


def check_pattern(constraint: Any, cell: Any) -> bool:
    """frictionless's ``check_pattern(constraint, cell)``, with RE2 doing the match.

    ``constraint`` is what frictionless compiled, ``re.compile("^" + pattern + "$")``.
    """
    if cell is None:
        return True
    source = constraint.pattern if isinstance(constraint, re.Pattern) else str(constraint)
    if source.startswith("^") and source.endswith("$"):
        source = source[1:-1]
    return _compiled(source).fullmatch(cell if isinstance(cell, str) else str(cell)) is not None


_installed = False


def install() -> None:
    """Make frictionless check every ``pattern`` with :func:`check_pattern` (idempotent; call it
    before building cell readers: the engine, the fast path and the exports do)."""
    global _installed
    if _installed:
        return
    from frictionless.schema import field as frictionless_field

    if not callable(getattr(frictionless_field, "check_pattern", None)):  # pragma: no cover - upgrade guard
        raise RuntimeError("frictionless.schema.field.check_pattern is gone: review satudata.tabular.patterns")
    frictionless_field.check_pattern = check_pattern  # type: ignore[assignment]
    _installed = True


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_MONTH_WORDS = "|".join(w for m in MONTHS for w in dict.fromkeys((m, m.upper(), m.lower())))
# "17 Agustus 2025", as letters and reports write dates. The whole value, as frictionless
# anchors a pattern; a linear-time expression (``tabular.patterns``).
MONTH_NAME_DATE_PATTERN = rf"(0?[1-9]|[12][0-9]|3[01]) ({_MONTH_WORDS}) [0-9]{{4}}"
