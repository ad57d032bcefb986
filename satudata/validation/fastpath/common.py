"""Limits and sizes of the fast path, and the exception that hands a file to frictionless."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from frictionless import settings as fsettings

LIMIT_ERRORS = fsettings.DEFAULT_LIMIT_ERRORS
BLOCK_SIZE = 4 * 1024 * 1024
HASH_SEED = 0x5A7DA7A
RETAIN_BYTES = 192 * 1024 * 1024
SCAN_CHUNK = 1 << 20
SPILL_BITS = 6  # 64 partition files for a key index that outgrows memory
CACHE_MAX = 200_000  # distinct values remembered per column
SELF_CHECK_ROWS = 200
UTF8 = ("utf-8", "utf-8-sig")

ProgressFn = Callable[[int, int, int], None]  # rows done, bytes done, bytes total


@dataclass(frozen=True)
class Tuning:
    """Sizes that only matter for speed and memory (tests shrink them to reach every path)."""

    block_size: int = BLOCK_SIZE
    retain_bytes: int = RETAIN_BYTES
    index_rows_in_memory: int = 5_000_000


class Unsupported(Exception):
    """The fast path cannot promise frictionless's exact report here; use frictionless."""
