"""The vectorised fast path: the report ``frictionless.validate()`` would give, much sooner.

How it stays identical to frictionless:

- **Same set-up.** The file is opened with frictionless itself (encoding and dialect
  detection, labels, header errors, expected fields, cell readers), which reads only a small
  sample. Everything frictionless decided there is reused; anything we cannot reproduce
  exactly raises :class:`Unsupported` and the caller runs plain frictionless instead.
- **Same cells.** pyarrow parses the file as strings, in batches. A parse it could do
  differently from Python's ``csv`` module is refused: a value containing a quote character,
  a NUL byte, a ragged row, an empty line next to an all-empty row, a sample mismatch.
- **Candidates, then confirmation.** polars evaluates, per column, a predicate that implies
  "valid, not missing, every constraint met" for the common shapes of each type (a subset of
  what frictionless accepts). Every other distinct value is read by frictionless's own cell
  reader. Rows with a failing cell, a blank row, an all-empty primary key or an unknown
  reference code are the error rows; unique and primary keys are hashed over the whole file
  and colliding rows are re-read and compared with Python equality on frictionless's parsed
  values, exactly as frictionless's in-memory index does.
- **Same errors.** Each error row is replayed through frictionless's ``Row`` with the same
  cell handlers and integrity checks, in row order, with frictionless's error limit; the
  report is built by ``Report.from_validation_task`` from the same resource, and the byte
  statistics are the file's (or, when the error limit cuts the run short, those frictionless's
  own reader has at that row).

Memory is bounded: the file is read in blocks, at most ``RETAIN_BYTES`` of parsed batches are
kept to avoid a second pass, and a unique/primary-key index that outgrows memory is spilled to
partition files (``scan.KeyIndex``).

Modules: ``common`` (limits, :class:`Tuning`, :class:`Unsupported`), ``plans`` (per-column
predicates and keys), ``source`` (frictionless set-up, reading, transcoding, hashing),
``scan`` (pass 1 and the key index), ``run`` (duplicates, replay, the report).
"""

from satudata.validation.fastpath.common import LIMIT_ERRORS, Tuning, Unsupported
from satudata.validation.fastpath.run import validate

__all__ = ["LIMIT_ERRORS", "Tuning", "Unsupported", "validate"]
