"""Tag names every CKAN harvester accepts.

CKAN validates a tag name with ``^[\\w \\-.]*$`` (Unicode word characters, space, hyphen,
underscore, dot), 2 to 100 characters, lower case (``ckan/logic/validators.py``:
``tag_name_validator``, ``tag_length_validator``, ``tag_not_uppercase``); a harvester on its
default settings refuses a dataset with any other tag. What a producer types is kept as the
tag's ``display_name`` ("kabupaten/kota"); its ``name`` is the same text made valid
("kabupaten-kota"): lower case, each run of other characters a hyphen, at most 100 characters.
"""

from __future__ import annotations

import re

MIN_LENGTH = 2
MAX_LENGTH = 100
VALID = re.compile(r"^[\w \-.]{2,100}$")
_OTHER = re.compile(r"[^\w \-.]+")


class TagTooShort(ValueError):
    """The text has fewer than two usable characters."""


def display_text(text: str) -> str:
    """The tag as written, with its spaces collapsed, at most 100 characters."""
    return " ".join(str(text).split())[:MAX_LENGTH].strip()


def tag_name(text: str) -> str:
    """The CKAN-valid name of a tag written ``text`` (raises ``TagTooShort``)."""
    name = _OTHER.sub("-", display_text(text).lower())
    name = re.sub(r"-{2,}", "-", name)[:MAX_LENGTH].strip(" -")
    if len(name) < MIN_LENGTH:
        raise TagTooShort(text)
    return name


def is_valid(name: str) -> bool:
    """Whether CKAN accepts ``name`` as it is."""
    return bool(VALID.match(name)) and name == name.lower()


def lookup_key(value: str) -> str:
    """What a filter value names: the tag's name whether it came as a name or as the text
    written ("kabupaten/kota" finds "kabupaten-kota")."""
    try:
        return tag_name(value)
    except TagTooShort:
        return str(value).strip().lower()
