"""Limits on what users send that the portal's own code would otherwise process without bound.

:func:`check_json_depth` bounds the nesting of JSON (as text before it is parsed, or as the
parsed value): Python's ``json`` parser, ``copy.deepcopy``, ``json.dumps`` and the JSON Schema
validators all recurse, so a document nested thousands of levels deep ends in RecursionError, a
server error, wherever it goes. Checking the text first refuses it without parsing it at all.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from satudata.errors import Invalid

DEFAULT_JSON_MAX_DEPTH = 64  # the default of the JSON_MAX_DEPTH setting
_TOKENS = re.compile(rb'[\[\]{}"\\]')  # what the depth of JSON text depends on


class JsonTooDeep(Invalid):
    """JSON nested deeper than the portal accepts."""


def json_max_depth() -> int:
    """``JSON_MAX_DEPTH`` of the current app, or the default outside an app (the CLI, tests)."""
    flask = sys.modules.get("flask")  # no application without Flask loaded: not imported for this
    if flask is not None and flask.has_app_context():
        return int(flask.current_app.config.get("JSON_MAX_DEPTH") or DEFAULT_JSON_MAX_DEPTH)
    return DEFAULT_JSON_MAX_DEPTH


def check_json_depth(value: Any, max_depth: int | None = None, *, field: str | None = None) -> None:
    """Raise :class:`JsonTooDeep` when ``value`` nests objects and arrays deeper than
    ``max_depth`` (``None``: the ``JSON_MAX_DEPTH`` setting). A top-level object is depth 1.

    ``value`` is JSON text (``str`` or ``bytes``, read without parsing: brackets inside strings
    do not count) or a parsed value (dicts, lists and tuples, walked without recursion).
    ``field`` names the form input or body key the JSON came from, for ``details``.
    """
    limit = json_max_depth() if max_depth is None else max_depth
    deepest = _text_depth(value, limit) if isinstance(value, str | bytes | bytearray) else _value_depth(value, limit)
    if deepest > limit:
        message = (f"Isi JSON bersarang lebih dari {limit} tingkat (terlalu dalam). Kirim struktur yang lebih "
                   f"datar: objek atau daftar di dalam objek paling banyak {limit} tingkat.")
        raise JsonTooDeep(message, details={field or "json": [message]})


def _text_depth(text: str | bytes | bytearray, limit: int) -> int:
    """The deepest bracket nesting of JSON text, stopping as soon as it passes ``limit``.

    Only brackets, quotes and backslashes are looked at (brackets inside strings do not count).
    Malformed text is not judged here: the parser says what is wrong with it.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    depth = deepest = 0
    in_string = False
    escaped_until = -1
    for token in _TOKENS.finditer(data):
        pos = token.start()
        if pos < escaped_until:
            continue
        byte = data[pos]
        if in_string:
            if byte == 0x5C:  # a backslash escapes the next character, whatever it is
                escaped_until = pos + 2
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _value_depth(value: Any, limit: int) -> int:
    """The deepest nesting of dicts and lists in a parsed value, stopping past ``limit``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest
