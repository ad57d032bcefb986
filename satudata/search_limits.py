"""How much one search request may ask for, checked before any of it is parsed.

Anyone may search: the CKAN Action API (``package_search``, ``package_autocomplete``), REST
``/api/v1/datasets``, the ``/dataset`` page and its suggestions. Each input whose size makes
the work grow (filter clauses, values in one clause, words, facets, rows, how deep a page,
sort keys) has a bound here, read from the ``SEARCH_MAX_*`` settings (and ``API_MAX_ROWS``,
and ``SEARCH_BOX_MAX_CHARS`` for the site's search boxes) of ``satudata/config.py``, where
each one is justified. The search engines and every façade read these same bounds. The checks look at the raw input
(lengths and counts) before the façades parse it, so an oversized request costs a length
check rather than a query plan: 20,000 ``-name:a`` clauses once cost 116 s, 3.8 GB and a 500
(issue #16). Within the bounds the database fallback builds an SQL expression far inside
what SQLite (depth 1000) and PostgreSQL accept.

A refused input raises ``Invalid`` naming the parameter, the bound and what to do; the error
handler answers it with CKAN's 409 Validation Error, REST's 422 or a 400 page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context

from satudata.config import Defaults
from satudata.errors import Invalid

# The start of a ``field:`` clause in CKAN filter syntax (``tags:x``, ``-name:x``, ``*:*``).
# Counting these never counts fewer clauses than the parser finds: each clause the parser
# reads starts with one, at a place not preceded by a word character. Colons inside values
# (``tags:a:b``, times such as ``T00:00``) are not preceded that way and are not counted.
_CLAUSE_START = re.compile(r"(?<![\w.:\\])(?:\*|[A-Za-z_][\w.]*):")


@dataclass(frozen=True)
class SearchLimits:
    """The bounds of one deployment (see ``Defaults`` in ``satudata/config.py``)."""

    clauses: int
    filter_chars: int
    clause_values: int
    query_chars: int
    query_words: int
    facet_fields: int
    facet_limit: int
    rows: int
    start: int
    sort_chars: int
    sort_keys: int
    suggest_chars: int
    box_chars: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SearchLimits:
        return cls(
            clauses=int(config["SEARCH_MAX_CLAUSES"]),
            filter_chars=int(config["SEARCH_MAX_FILTER_CHARS"]),
            clause_values=int(config["SEARCH_MAX_CLAUSE_VALUES"]),
            query_chars=int(config["SEARCH_MAX_QUERY_CHARS"]),
            query_words=int(config["SEARCH_MAX_QUERY_WORDS"]),
            facet_fields=int(config["SEARCH_MAX_FACET_FIELDS"]),
            facet_limit=int(config["SEARCH_MAX_FACET_LIMIT"]),
            rows=int(config["API_MAX_ROWS"]),
            start=int(config["SEARCH_MAX_START"]),
            sort_chars=int(config["SEARCH_MAX_SORT_CHARS"]),
            sort_keys=int(config["SEARCH_MAX_SORT_KEYS"]),
            suggest_chars=int(config["SEARCH_MAX_SUGGEST_CHARS"]),
            box_chars=int(config["SEARCH_BOX_MAX_CHARS"]),
        )


def current() -> SearchLimits:
    """The bounds of the running app."""
    return SearchLimits.from_config(current_app.config)


def values_per_filter() -> int:
    """How many values one filter key may hold (``SEARCH_MAX_CLAUSE_VALUES``): what the search
    engines take for one key, and what the pages and the APIs send them. Outside an app (an
    engine tried on its own) the default."""
    if has_app_context():
        return current().clause_values
    return int(Defaults.SEARCH_MAX_CLAUSE_VALUES)


def _refuse(names: Iterable[str], message: str) -> Invalid:
    return Invalid(message, details={name: [message] for name in names})


def _quoted(names: Sequence[str]) -> str:
    return " dan ".join(f"'{name}'" for name in names)


# --------------------------------------------------------------------------- text


def check_query_text(text: str, name: str = "q") -> None:
    """Free search text: at most ``query_chars`` characters and ``query_words`` words (each word
    is one more condition for the engine and one more LIKE for the database fallback)."""
    lim = current()
    if len(text) > lim.query_chars:
        raise _refuse([name], f"Parameter '{name}' terlalu panjang ({len(text)} karakter); kirim paling banyak "
                              f"{lim.query_chars} karakter.")
    words = len(text.split())
    if words > lim.query_words:
        raise _refuse([name], f"Parameter '{name}' berisi {words} kata; kirim paling banyak {lim.query_words} kata. "
                              "Beberapa kata kunci yang khas sudah cukup untuk menemukan dataset.")


def check_suggest_text(text: str, name: str = "q") -> None:
    """Text typed in a search box, for completions: at most ``suggest_chars`` characters."""
    lim = current()
    if len(text) > lim.suggest_chars:
        raise _refuse([name], f"Parameter '{name}' terlalu panjang ({len(text)} karakter); kirim paling banyak "
                              f"{lim.suggest_chars} karakter. Saran judul hanya perlu beberapa kata pertama.")


# --------------------------------------------------------------------------- filters


def check_filter_queries(parts: Sequence[tuple[str, str]]) -> None:
    """CKAN filter queries (``fq`` and the items of ``fq_list``, as ``(parameter, text)``):
    together at most ``filter_chars`` characters and ``clauses`` clauses.

    The number of items is checked first (a list of 20,000 items is refused without reading
    them), then the total length, then the clauses are counted.
    """
    lim = current()
    given = [part for part in parts if part[1].strip()]
    names = list(dict.fromkeys(name for name, _text in given))
    how = (f"kirim paling banyak {lim.clauses} klausa fq (fq dan fq_list dihitung bersama). "
           "Nilai-nilai satu kolom dapat digabung dalam satu klausa, misalnya tags:(air OR sanitasi), "
           "atau bagi pencarian menjadi beberapa permintaan.")
    if len(given) > lim.clauses:
        raise _refuse(names, f"Terlalu banyak klausa di {_quoted(names)}: {len(given)} atau lebih; {how}")
    chars = sum(len(text) for _name, text in given)
    if chars > lim.filter_chars:
        raise _refuse(names, f"Parameter {_quoted(names)} terlalu panjang ({chars} karakter); kirim paling banyak "
                             f"{lim.filter_chars} karakter fq (fq dan fq_list dihitung bersama).")
    clauses = sum(len(_CLAUSE_START.findall(text)) for _name, text in given)
    if clauses > lim.clauses:
        raise _refuse(names, f"Terlalu banyak klausa di {_quoted(names)}: {clauses}; {how}")


def check_clause_values(name: str, clause: str, count: int) -> None:
    """One clause's values (``field:(a OR b OR c)``): at most ``clause_values``. The CKAN
    parser calls this as it splits a clause, before it builds anything from the values."""
    lim = current()
    if count > lim.clause_values:
        shown = clause if len(clause) <= 60 else clause[:57] + "..."
        raise _refuse([name], f"Klausa '{shown}' di parameter '{name}' berisi {count} nilai; kirim paling banyak "
                              f"{lim.clause_values} nilai dalam satu klausa, atau bagi pencarian menjadi beberapa "
                              "permintaan.")


def check_filter_values(counts: Mapping[str, int]) -> None:
    """Filter values of REST and the pages (``?tag=a&tag=b``), counted as sent, duplicates
    included: together at most ``clauses`` (each value is one condition of the query)."""
    lim = current()
    given = {name: n for name, n in counts.items() if n}
    total = sum(given.values())
    if total > lim.clauses:
        names = list(given)
        raise _refuse(names, f"Terlalu banyak nilai filter: {total} nilai di {', '.join(names)}; kirim paling "
                             f"banyak {lim.clauses} nilai filter sekaligus. Hapus sebagian filter lalu coba lagi.")


# --------------------------------------------------------------------------- facets, rows, pages, sort


def check_facets(fields: Sequence[str], limit: int | None, *, fields_name: str = "facet.field",
                 limit_name: str = "facet.limit") -> int | None:
    """At most ``facet_fields`` facet fields and ``facet_limit`` values per facet. A limit of
    -1 (CKAN's "all") means ``facet_limit``; returns the limit to use."""
    lim = current()
    if len(fields) > lim.facet_fields:
        raise _refuse([fields_name], f"Parameter '{fields_name}' berisi {len(fields)} kolom; kirim paling banyak "
                                     f"{lim.facet_fields} kolom facet, masing-masing sekali.")
    if limit is not None and limit > lim.facet_limit:
        raise _refuse([limit_name], f"Parameter '{limit_name}' paling banyak {lim.facet_limit}, bukan {limit}; "
                                    f"kirim {lim.facet_limit} atau kurang (-1 berarti {lim.facet_limit}).")
    return lim.facet_limit if limit == -1 else limit


def check_rows(rows: int, name: str = "rows", *, start_name: str = "start") -> None:
    """At most ``API_MAX_ROWS`` results per request."""
    lim = current()
    if rows > lim.rows:
        raise _refuse([name], f"Parameter '{name}' paling banyak {lim.rows}, bukan {rows}; ambil hasil berikutnya "
                              f"dengan '{start_name}'.")


def check_start(start: int, name: str = "start", *, page: int | None = None, per_page: int | None = None) -> None:
    """Results are reachable up to position ``start`` (deep pages make every engine collect,
    and the database sort, everything before them). With ``page`` and ``per_page`` the
    message speaks of pages."""
    lim = current()
    if start <= lim.start:
        return
    narrow = "Persempit pencarian dengan kata kunci atau filter, atau ubah urutan hasil."
    if page is not None and per_page:
        last = lim.start // per_page + 1
        message = (f"Parameter '{name}' terlalu jauh: halaman {page} tidak dapat dibuka; hasil hanya dapat dibuka "
                   f"sampai urutan ke-{lim.start} (halaman {last} dengan {per_page} per halaman). {narrow}")
    else:
        message = (f"Parameter '{name}' paling banyak {lim.start}, bukan {start}: hasil sedalam itu tidak dapat "
                   f"dibuka. {narrow}")
    raise _refuse([name], message)


def check_sort(sort: str, name: str = "sort") -> None:
    """At most ``sort_chars`` characters and ``sort_keys`` comma-separated keys."""
    lim = current()
    if len(sort) > lim.sort_chars:
        raise _refuse([name], f"Parameter '{name}' terlalu panjang ({len(sort)} karakter); kirim paling banyak "
                              f"{lim.sort_chars} karakter, misalnya 'metadata_modified desc, name asc'.")
    keys = len([part for part in sort.split(",") if part.strip()])
    if keys > lim.sort_keys:
        raise _refuse([name], f"Parameter '{name}' berisi {keys} kolom urutan; kirim paling banyak {lim.sort_keys}, "
                              "misalnya 'metadata_modified desc, name asc'.")
