"""Per-column checks: a polars predicate that implies frictionless would accept a cell, and the
canonical key of a cell for the unique and primary-key index."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import polars as pl

from satudata.validation.fastpath.common import CACHE_MAX, Unsupported

# polars' string-to-number casts accept a subset of what Python's int() and Decimal() accept
# (int: [+-]?[0-9]+ within i64; float: fast-float's decimal, exponent, inf and nan forms), with
# the same values: a successful cast is enough, no regex needed.
# YYYY-MM-DD with a day that exists in every year (29 February is left to Python).
DATE_RE = (r"^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
           r"|02-(?:0[1-9]|1[0-9]|2[0-8]))$")
DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
PRINTABLE_ASCII = r"^[\x20-\x7e]*$"
FLOAT_KEY_TYPES = {"integer", "number", "year"}
STR_KEY_TYPES = {"string", "any", "date", "datetime", "boolean", "time", "yearmonth"}
I64_SAFE = 2**62

# Regex syntax whose meaning is the same in Rust's ``regex`` (polars, here), RE2 (frictionless's
# cell reader, see satudata.tabular.patterns) and Python's ``re`` on printable ASCII text:
# literals, escapes of punctuation, \d and \w, simple classes, groups, alternation, greedy and
# lazy quantifiers, anchors. Anything else (\s, \b, nested classes, inline flags) is left to
# the cell reader per value. Both engines are linear in the length of the value.
_SAFE_OUTSIDE = re.compile(
    r"""
      \\[dDwW]                       # classes
    | \\[.\-\\/()\[\]{}+*?|^$]       # escaped punctuation
    | \[\^?(?:\\[dwDW.\-\\\]\[^/]|[A-Za-z0-9 _.,:;/@#+*?!$%'"=<>|(){}](?:-[A-Za-z0-9])?)+\]  # class
    | \(\?:                          # non-capturing group
    | [()|^$.]                       # structure
    | (?:[*+?]|\{[0-9]+(?:,[0-9]*)?\})\??(?![*+?{])  # quantifier, optionally lazy, not possessive
    | [A-Za-z0-9 _,:;/@#%'"=<>!&~-]  # literal
    """,
    re.VERBOSE,
)


def safe_pattern(pattern: str) -> bool:
    """Whether ``pattern`` means the same to the cell reader (RE2) and Rust on printable ASCII
    values (Python's ``re`` only compiles it here, which is linear; it never matches a value)."""
    pos = 0
    while pos < len(pattern):
        match = _SAFE_OUTSIDE.match(pattern, pos)
        if not match or match.end() == pos:
            return False
        pos = match.end()
    try:
        re.compile(pattern)
        pl.Series([""]).str.contains(f"^(?:^{pattern}$)")
    except Exception:
        return False
    return True


def _unicode_aware(pattern: str) -> bool:
    """Whether a safe pattern can match non-ASCII text (\\d, \\w, ``.``, negated classes), where
    RE2 (ASCII classes) and Rust (Unicode classes) may disagree; a pattern of ASCII literals and
    ranges cannot."""
    plain = re.sub(r"\\[^dwDW]", "", pattern)
    return bool(re.search(r"\\[dwDW]|\.|\[\^", plain))


def _num_margin(bound: float) -> float:
    return 1e-9 * max(1.0, abs(bound))


@dataclass
class FieldPlan:
    """How one column is checked: a vectorised predicate for the common case, and the key."""

    index: int
    name: str
    type: str
    reader: Callable[[Any], tuple[Any, dict[str, str] | None]]
    missing: list[str]
    ok: pl.Expr | None  # implies: not missing, type and every constraint pass
    key: pl.Expr | None  # canonical key of an ok cell (equal values -> equal keys)
    key_dtype: Any
    keyed: bool = False
    cache: dict[str, tuple[bool, bool, Any]] = field(default_factory=dict)

    @property
    def column(self) -> str:
        return f"c{self.index}"


def _missing_values(fld: Any) -> list[str]:
    # The same rule as Field.create_cell_reader.
    values = fld.missing_values
    if not fld.has_defined("missing_values") and fld.schema:
        values = fld.schema.missing_values
    return [str(v) for v in values]


def plan_field(index: int, fld: Any, reader: Callable[..., Any], keyed: bool) -> FieldPlan:
    col = pl.col(f"c{index}")
    missing = _missing_values(fld)
    not_missing = ~col.is_in(missing) if missing else pl.lit(True)
    constraints = {k: v for k, v in (fld.constraints or {}).items() if k in fld.supported_constraints and v is not None}
    value_reader = fld.create_value_reader()
    ftype = fld.type
    key_dtype: Any = pl.Float64 if ftype in FLOAT_KEY_TYPES else pl.String
    if keyed and ftype not in FLOAT_KEY_TYPES | STR_KEY_TYPES:
        raise Unsupported(f"unique/primary key on a {ftype} field")
    ok: pl.Expr | None = None
    key: pl.Expr | None = None
    defined = set(fld.list_defined())

    def bounds(value: pl.Expr, convert: Callable[[Any], Any], margin: Callable[[Any], Any] | None) -> pl.Expr | None:
        cond = pl.lit(True)
        for name, op in (("minimum", "ge"), ("maximum", "le"), ("exclusiveMinimum", "gt"), ("exclusiveMaximum", "lt")):
            if name not in constraints:
                continue
            bound = value_reader(constraints[name])
            if bound is None:
                raise Unsupported(f"constraint {name} of {fld.name} cannot be read")
            bound = convert(bound)
            if bound is None:
                return None
            if margin is None:
                cond = cond & getattr(value, f"__{op}__")(pl.lit(bound))
            else:
                m = margin(bound)
                # Keep a margin around the bound: a value that close is confirmed by Python.
                cond = cond & (value > bound + m if op in ("ge", "gt") else value < bound - m)
        return cond

    if ftype == "integer" and "bare_number" not in defined:
        value = col.cast(pl.Int64, strict=False)

        def as_int(b: Any) -> int | None:
            return int(b) if isinstance(b, int) and not isinstance(b, bool) and abs(b) < I64_SAFE else None

        cond = bounds(value, as_int, None)
        if cond is not None:
            ok = value.is_not_null() & not_missing & cond
            if "enum" in constraints:
                allowed = [v for v in map(value_reader, constraints["enum"]) if as_int(v) is not None]
                ok = ok & value.is_in(allowed)
            key = value.cast(pl.Float64)
    elif ftype == "number" and "float_number" not in defined and fld.bare_number:
        # frictionless's reader: strip, drop every group character, refuse a "." left when the
        # decimal mark is another, read the decimal mark as "." ("34.645" with groupChar "."
        # is 34645). A cell this reads is confirmed by the same reader in Python whenever the
        # verdict here is not a plain yes (whitespace, NaN, near a bound).
        cleaned = col
        group, decimal = str(fld.group_char or ""), str(fld.decimal_char or ".")
        if group:
            cleaned = cleaned.str.replace_all(group, "", literal=True)
        stray_dot = pl.lit(False)
        if decimal != ".":
            stray_dot = cleaned.str.contains(".", literal=True)
            cleaned = cleaned.str.replace_all(decimal, ".", literal=True)
        value = pl.when(stray_dot).then(None).otherwise(cleaned.cast(pl.Float64, strict=False))

        def as_float(b: Any) -> float | None:
            if isinstance(b, bool) or not isinstance(b, int | Decimal | float):
                return None
            f = float(b)
            return f if math.isfinite(f) else None

        cond = bounds(value, as_float, _num_margin)
        if cond is not None:
            # NaN sorts above every number in polars but fails every bound in Python: leave it
            # to the reader.
            ok = value.is_not_null() & ~value.is_nan() & not_missing & cond
            if "enum" in constraints:
                allowed = []
                for item in constraints["enum"]:
                    parsed = value_reader(item)
                    if parsed is not None and not isinstance(item, bool):
                        text = str(item)
                        try:
                            if Decimal(text) == parsed:
                                allowed.append(text)
                        except ArithmeticError:
                            pass
                ok = ok & col.is_in(allowed)
            key = value + 0.0
    elif ftype == "year":
        value = col.cast(pl.Int64, strict=False)
        cond = bounds(value, lambda b: int(b) if isinstance(b, int) else None, None)
        if cond is not None:
            # The year reader takes any 4-character text int() reads, then 0..9999.
            ok = (col.str.len_bytes() == 4) & value.is_between(0, 9999) & not_missing & cond
            if "enum" in constraints:
                ok = ok & value.is_in([v for v in map(value_reader, constraints["enum"]) if isinstance(v, int)])
            key = value.cast(pl.Float64)
    elif ftype == "date" and fld.format == "default":
        # A real YYYY-MM-DD date, checked as text: ISO dates sort as text, so bounds and enums
        # compare as text too.
        cond = bounds(col, lambda b: b.isoformat() if type(b) is date else None, None)
        if cond is not None:
            ok = col.str.contains(DATE_RE) & ~col.str.starts_with("0000") & not_missing & cond
            if "enum" in constraints:
                ok = ok & col.is_in([v.isoformat() for v in map(value_reader, constraints["enum"]) if type(v) is date])
            key = col
    elif ftype == "datetime" and fld.format == "default":
        if not constraints.keys() & {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"}:
            value = col.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False)
            ok = col.str.contains(DATETIME_RE) & not_missing & value.is_not_null() & (value.dt.year() >= 1)
            key = col
    elif ftype == "string" and fld.format == "default":
        ok = not_missing
        if "minLength" in constraints:
            ok = ok & (col.str.len_chars() >= int(constraints["minLength"]))
        if "maxLength" in constraints:
            ok = ok & (col.str.len_chars() <= int(constraints["maxLength"]))
        if "enum" in constraints:
            ok = ok & col.is_in([v for v in constraints["enum"] if isinstance(v, str)])
        if "pattern" in constraints:
            pattern = str(constraints["pattern"])
            if safe_pattern(pattern):
                # Python's "$" also matches before a final newline; Rust's does not.
                ok = ok & ~col.str.contains("\n", literal=True) & col.str.contains(f"^(?:^{pattern}$)")
                if _unicode_aware(pattern):
                    ok = ok & col.str.contains(PRINTABLE_ASCII)
            else:
                ok = None
        key = col
    elif ftype == "any" and not constraints.keys() - {"required"}:
        ok = not_missing
        key = col
    if ok is not None:
        # A null verdict (a failed cast in a comparison) must read as "not ok", never as ok.
        ok = ok.fill_null(False)
    return FieldPlan(index=index, name=fld.name, type=ftype, reader=reader, missing=missing, ok=ok,
                     key=key if keyed else None, key_dtype=key_dtype, keyed=keyed)


def key_of(value: Any, dtype: Any) -> Any:
    """Canonical key of a parsed value: values Python finds equal get equal keys."""
    if value is None:
        return None
    if dtype == pl.Float64:
        if isinstance(value, bool):
            raise Unsupported("boolean in a numeric key")
        try:
            return float(value) + 0.0
        except OverflowError:
            return math.inf if value > 0 else -math.inf
        except (ValueError, ArithmeticError) as exc:  # signalling NaN: frictionless cannot hash it
            raise Unsupported("unhashable number") from exc
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            return value.isoformat()
        try:
            return (value.replace(tzinfo=None) - offset).isoformat() + "Z"
        except OverflowError as exc:
            raise Unsupported("datetime out of range") from exc
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        if value.utcoffset() is not None:
            raise Unsupported("aware time in a key")
        return value.isoformat()
    if isinstance(value, tuple):  # yearmonth
        return repr(value)
    raise Unsupported(f"key of {type(value).__name__}")


def read_cell(plan: FieldPlan, raw: str) -> tuple[bool, bool, Any]:
    """(has error, is blank, key) of one distinct raw value, by frictionless's reader."""
    cached = plan.cache.get(raw)
    if cached is not None:
        return cached
    target, notes = plan.reader(raw)
    type_error = bool(notes) and "type" in notes  # type: ignore[operator]
    result = (bool(notes), target is None and not type_error, key_of(target, plan.key_dtype) if plan.keyed else None)
    if len(plan.cache) >= CACHE_MAX:
        plan.cache.clear()
    plan.cache[raw] = result
    return result
