"""Numbers as offices write them: which character groups thousands and which marks decimals,
read from a column's values, and written into the Table Schema the frictionless way
(``groupChar``, ``decimalChar``), so frictionless itself reads 34645 from "34.645".

Indonesian spreadsheets write ``34.645`` (thirty-four thousand six hundred forty-five) and
``12,75``; English ones ``34,645`` and ``12.75``. A column is read one way only when every value
reads that way. When both readings fit (every separated value is a single group of three
digits, "34.645" or "34,645"), the file's own convention decides: a semicolon-delimited CSV
comes from a spreadsheet whose decimal mark is a comma (Indonesian Excel), and "34,645" quoted
in a comma-delimited one from a spreadsheet that groups with commas; "34.645" is read as
thousands (a whole column with exactly three decimals is implausible). Such a column is
``ambiguous``, and the schema editor asks the producer with examples from the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_INDONESIAN = re.compile(r"^[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?$")
_ENGLISH = re.compile(r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$")
_PLAIN = re.compile(r"^[+-]?[0-9]+$")

INDONESIAN = ("id", ".", ",")
ENGLISH = ("en", ",", ".")


@dataclass(frozen=True)
class NumberFormat:
    """How a column writes numbers: its ``group`` and ``decimal`` characters, whether the other
    reading also fitted every value, and up to three examples of separated values."""

    convention: str  # "id" or "en"
    group: str
    decimal: str
    ambiguous: bool
    examples: tuple[str, ...]

    def schema_properties(self) -> dict[str, str]:
        """The Table Schema properties of a number field written this way."""
        return {"decimalChar": self.decimal, "groupChar": self.group}


def detect(values: Iterable[str], delimiter: str | None = None) -> NumberFormat | None:
    """The number format of a column of numbers written with separators, or ``None`` when
    its values are not all numbers, or none of them has a separator (plain numbers need no
    property) or its only separator is a plain decimal point (the default)."""
    cleaned = [v.strip() for v in values if v and v.strip()]
    if not cleaned:
        return None
    separated = [v for v in cleaned if not _PLAIN.match(v)]
    if not separated:
        return None
    fits_id = all(_INDONESIAN.match(v) for v in cleaned)
    fits_en = all(_ENGLISH.match(v) for v in cleaned)
    if not fits_id and not fits_en:
        return None
    ambiguous = fits_id and fits_en  # every separated value is one group of three: "34.645" or "34,645"
    if not ambiguous:
        convention = INDONESIAN if fits_id else ENGLISH
    elif any("." in v for v in separated):
        convention = INDONESIAN  # a whole column of numbers with exactly three decimals is implausible
    else:
        # "34,645": in a comma-delimited file the cell was quoted by a spreadsheet that groups
        # with commas; elsewhere (";" from Indonesian Excel) the comma is the decimal mark.
        convention = ENGLISH if delimiter == "," else INDONESIAN
    name, group, decimal = convention
    if name == "en" and not any("," in v for v in separated):
        return None  # "12.75": the default reading, nothing to say
    # The group character is always given: a value past the sample may use it ("1.234,5"), and
    # in a convention it can never be the decimal mark.
    return NumberFormat(convention=name, group=group, decimal=decimal, ambiguous=ambiguous,
                        examples=tuple(dict.fromkeys(separated))[:3])


def read(text: str, fmt: NumberFormat) -> float | None:
    """``text`` read as ``fmt`` says (for showing what the other reading would give)."""
    cleaned = text.strip().replace(fmt.group, "").replace(fmt.decimal, ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def other_reading(fmt: NumberFormat) -> NumberFormat:
    """The same column read the other way (what the schema editor offers for an ambiguous one)."""
    name, group, decimal = ENGLISH if fmt.convention == "id" else INDONESIAN
    return NumberFormat(convention=name, group=group, decimal=decimal, ambiguous=fmt.ambiguous,
                        examples=fmt.examples)


def describe(values: Sequence[str], delimiter: str | None = None) -> dict[str, object] | None:
    """``detect`` as the ``x-numberFormat`` note an inferred field carries for the editor."""
    fmt = detect(values, delimiter)
    if fmt is None:
        return None
    return {"convention": fmt.convention, "ambiguous": fmt.ambiguous, "examples": list(fmt.examples)}


NumberFormats = Mapping[str, tuple[str, str]]  # column -> (groupChar, decimalChar)


def number_formats(descriptor: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
    """The number fields of a Table Schema written with separators (``groupChar`` /
    ``decimalChar``, as inference writes them for "34.645" in an Indonesian file)."""
    out = {}
    for spec in (descriptor or {}).get("fields") or []:
        if isinstance(spec, Mapping) and spec.get("type") in ("number", "integer") \
                and (spec.get("groupChar") or spec.get("decimalChar", ".") != "."):
            out[str(spec.get("name"))] = (str(spec.get("groupChar") or ""), str(spec.get("decimalChar") or "."))
    return out
