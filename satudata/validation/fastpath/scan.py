"""Pass 1: every batch checked, error rows kept up to the error limit, keys hashed into the index."""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.ipc

from satudata.validation.fastpath.common import (
    HASH_SEED,
    LIMIT_ERRORS,
    SCAN_CHUNK,
    SELF_CHECK_ROWS,
    SPILL_BITS,
    ProgressFn,
    Unsupported,
)
from satudata.validation.fastpath.plans import FieldPlan, key_of, read_cell
from satudata.validation.fastpath.source import Prepared, Source, batches, prefetched
from satudata.validation.totals import LABEL_PATTERN


@dataclass
class KeyIndex:
    """Hashes of one unique field (or the primary key) over the file, with row numbers.

    Kept in memory up to ``spill_rows`` entries; past that, every entry goes to one of
    ``SPILL_PARTITIONS`` files by the top bits of its hash, so that equal hashes meet in the
    same file and each file is checked for duplicates on its own: memory stays bounded
    however long the file is.
    """

    name: str
    fields: list[str]
    spill_rows: int = 5_000_000
    hashes: list[pl.Series] = field(default_factory=list)
    rows: list[pl.Series] = field(default_factory=list)
    held: int = 0
    spill_dir: tempfile.TemporaryDirectory[str] | None = None
    writers: dict[int, Any] = field(default_factory=dict)

    @property
    def is_primary_key(self) -> bool:
        return self.name == "primary-key"

    def add(self, hashes: pl.Series, rows: pl.Series) -> None:
        self.hashes.append(hashes)
        self.rows.append(rows)
        self.held += hashes.len()
        if self.held > self.spill_rows:
            self.spill()

    def spill(self) -> None:
        """Move the entries held in memory to the partition files."""
        if not self.hashes:
            return
        if self.spill_dir is None:
            self.spill_dir = tempfile.TemporaryDirectory(prefix="satudata-keys-")
        frame = pl.DataFrame({"h": pl.concat(self.hashes), "r": pl.concat(self.rows)})
        frame = frame.with_columns(p=(pl.col("h") // (1 << (64 - SPILL_BITS))).cast(pl.UInt8))
        for (part,), piece in frame.partition_by("p", as_dict=True, include_key=False).items():
            table = piece.to_arrow()
            writer = self.writers.get(int(part))
            if writer is None:
                sink = pa.OSFile(str(Path(self.spill_dir.name) / f"{int(part)}.arrow"), "wb")
                writer = self.writers[int(part)] = (sink, pa.ipc.new_stream(sink, table.schema))
            writer[1].write_table(table)
        self.hashes, self.rows, self.held = [], [], 0

    def parts(self) -> Iterator[tuple[pl.Series, pl.Series]]:
        """(hashes, rows) groups within which every duplicate hash lies."""
        if self.spill_dir is None:
            if self.hashes:
                yield pl.concat(self.hashes, rechunk=False), pl.concat(self.rows, rechunk=False)
            return
        self.spill()
        for sink, writer in self.writers.values():
            writer.close()
            sink.close()
        for part in sorted(self.writers):
            with pa.OSFile(str(Path(self.spill_dir.name) / f"{part}.arrow"), "rb") as src:
                frame = pl.from_arrow(pa.ipc.open_stream(src).read_all())
            assert isinstance(frame, pl.DataFrame)
            yield frame.get_column("h"), frame.get_column("r")
        self.writers = {}

    def close(self) -> None:
        for sink, writer in self.writers.values():
            writer.close()
            sink.close()
        self.writers = {}
        if self.spill_dir is not None:
            self.spill_dir.cleanup()
            self.spill_dir = None


@dataclass
class Scan:
    error_rows: dict[int, list[str]] = field(default_factory=dict)
    keys: list[KeyIndex] = field(default_factory=list)
    total_rows: int = 0
    stopped_at: int | None = None  # the last row read when the error limit was certain
    # The batches read, while they fit in RETAIN_BYTES: (first row number, batch), so that
    # fetching rows again needs no second parse. None once they did not fit.
    retained: list[tuple[int, pa.RecordBatch]] | None = field(default_factory=list)
    retained_bytes: int = 0
    # Whether a text cell of some row is a totals label ("JUMLAH"; ``totals.LABEL_PATTERN``):
    # only then is the table read again for totals rows. None: not looked for (no number column).
    labelled: bool | None = None


@dataclass
class Cells:
    """Per-column expressions over a batch (with its ``ok{i}`` columns): error, blank, key."""

    err: list[pl.Expr]
    blank: list[pl.Expr]
    every_column_can_be_blank: bool
    key: dict[str, pl.Expr]


def _cells(frame: pl.DataFrame, oks: pl.DataFrame, plans: list[FieldPlan]) -> Cells:
    """Read every distinct value the predicates did not accept with frictionless's reader, and
    express each column's verdict over the batch (a value's verdict depends on the value only)."""
    err: list[pl.Expr] = []
    blank: list[pl.Expr] = []
    key: dict[str, pl.Expr] = {}
    every_blank = True
    for plan in plans:
        ok = oks.get_column(f"ok{plan.index}")
        col = pl.col(plan.column)
        if ok.all():
            every_blank = False
            if plan.keyed:
                key[plan.name] = plan.key  # type: ignore[assignment]
            continue
        values = frame.get_column(plan.column).filter(~ok).unique().to_list()
        results = [read_cell(plan, v) for v in values]
        bad_values = [v for v, r in zip(values, results, strict=True) if r[0]]
        blank_values = [v for v, r in zip(values, results, strict=True) if r[1]]
        if bad_values:
            err.append(col.is_in(bad_values))
        if blank_values:
            blank.append(col.is_in(blank_values))
        else:
            every_blank = False
        if plan.keyed:
            looked = col.replace_strict(values, [r[2] for r in results], default=None, return_dtype=plan.key_dtype)
            key[plan.name] = pl.when(f"ok{plan.index}").then(plan.key).otherwise(looked) if plan.key is not None \
                else looked
    return Cells(err=err, blank=blank, every_column_can_be_blank=every_blank, key=key)


def _self_check(frame: pl.DataFrame, oks: pl.DataFrame, plans: list[FieldPlan]) -> None:
    """Confirm the vectorised verdicts on the first rows with frictionless's reader."""
    head, head_oks = frame.head(SELF_CHECK_ROWS), oks.head(SELF_CHECK_ROWS)
    for plan in plans:
        ok = head_oks.get_column(f"ok{plan.index}").to_list()
        work = pl.concat([head, head_oks], how="horizontal")
        keys = work.select(plan.key).to_series().to_list() if plan.keyed and plan.key is not None else None
        for i, raw in enumerate(head.get_column(plan.column).to_list()):
            target, notes = plan.reader(raw)
            blank = target is None and not (notes and "type" in notes)
            if ok[i] and (notes or blank):
                raise Unsupported(f"self-check failed on {plan.name}: {raw!r}")
            if ok[i] and keys is not None:
                expect = key_of(target, plan.key_dtype)
                if expect != keys[i]:
                    raise Unsupported(f"self-check key mismatch on {plan.name}: {raw!r}")


def _empty_lines(source: Source) -> bool:
    """Whether the text has an empty line (Python's csv reads it as [], pyarrow as "",..)."""
    with source.path.open("rb") as fh:
        head = fh.read(4)
        start = 3 if head.startswith(codecs.BOM_UTF8) else 0
        if head[start:start + 1] in (b"\r", b"\n"):
            return True
        fh.seek(0)
        tail = b""
        while chunk := fh.read(SCAN_CHUNK):
            data = tail + chunk
            if b"\n\n" in data or b"\r\r" in data or b"\n\r" in data:
                return True
            tail = data[-1:]
    return False


def scan(prep: Prepared, source: Source, plans: list[FieldPlan], progress: ProgressFn | None,
         bytes_total: int, result: Scan) -> Scan:
    """Pass 1: read every batch, keep the error rows (up to the error limit), hash the keys."""
    spill = source.tuning.index_rows_in_memory
    for name in prep.unique_fields:
        result.keys.append(KeyIndex(name=f"unique:{name}", fields=[name], spill_rows=spill))
    if prep.has_primary_key:
        result.keys.append(KeyIndex(name="primary-key", fields=list(prep.primary_key), spill_rows=spill))
    plan_of = {p.name: p for p in plans}
    code_series = {name: pl.Series(sorted(codes), dtype=pl.String) for name, codes in prep.native_fk.items()}
    ok_exprs = [(p.ok if p.ok is not None else pl.lit(False)).alias(f"ok{p.index}") for p in plans]
    ok_names = [f"ok{p.index}" for p in plans]
    next_row = 1  # the header is record 1
    checked = False
    label_columns = [p.column for p in plans if p.type in ("string", "any")]
    if label_columns and any(p.type in ("integer", "number") for p in plans):
        result.labelled = False
    empty_lines: bool | None = None
    for batch, position in prefetched(lambda: batches(source, len(plans), prep.delimiter)):
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        if next_row == 1:
            head = [list(r) for r in frame.head(len(prep.sample)).rows()]
            if head != prep.sample[: len(head)]:
                raise Unsupported("pyarrow and csv disagree on the sample")
            frame = frame.slice(1)
            next_row = 2
        if frame.height == 0:
            continue
        if result.retained is not None:
            kept = batch.slice(batch.num_rows - frame.height)
            result.retained_bytes += kept.nbytes
            result.retained.append((next_row, kept))
            if result.retained_bytes > source.tuning.retain_bytes:
                result.retained = None
        checks = [pl.all_horizontal([pl.col(c) == "" for c in frame.columns]).any().alias("all_empty")]
        if source.has_quotes:
            checks.append(pl.any_horizontal([pl.col(c).str.contains('"', literal=True) for c in frame.columns])
                          .any().alias("quote"))
        if result.labelled is False:
            checks.append(pl.any_horizontal([pl.col(c).str.contains(LABEL_PATTERN) for c in label_columns])
                          .any().alias("label"))
        flags = frame.select(checks).row(0, named=True)
        if flags.get("label"):
            result.labelled = True
        if flags.get("quote"):
            raise Unsupported("quote character inside a value")
        if flags["all_empty"]:
            if empty_lines is None:
                empty_lines = _empty_lines(source)
            if empty_lines:
                raise Unsupported("empty lines next to all-empty rows")
        # with_columns, not select: a literal must broadcast to the batch's height
        oks = frame.lazy().with_columns(ok_exprs).select(ok_names).collect()
        if not checked:
            _self_check(frame, oks, plans)
            checked = True
        cells = _cells(frame, oks, plans)
        bad: list[pl.Expr] = list(cells.err)
        if cells.every_column_can_be_blank and cells.blank:
            bad.append(pl.all_horizontal(cells.blank))
        out: list[pl.Expr] = []
        for n, index in enumerate(result.keys):
            keys = [cells.key[f] for f in index.fields]
            keep = pl.lit(True)
            for f, k in zip(index.fields, keys, strict=True):
                if plan_of[f].key_dtype == pl.Float64:
                    # NaN equals nothing, not even another NaN (frictionless parses a fresh
                    # object per cell): a key holding one never matches, so it is not indexed.
                    keep = keep & ~k.is_nan().fill_null(False)
            if index.is_primary_key:
                none = pl.all_horizontal([k.is_null() for k in keys])
                bad.append(none)
                keep = keep & ~none
                whole = keys[0] if len(keys) == 1 else \
                    pl.struct([k.alias(f) for f, k in zip(index.fields, keys, strict=True)])
                out.append(whole.hash(HASH_SEED).alias(f"h{n}"))
            else:
                keep = keep & keys[0].is_not_null()
                out.append(keys[0].hash(HASH_SEED).alias(f"h{n}"))
            out.append(keep.alias(f"k{n}"))
        for name in prep.native_fk:
            plan = plan_of[name]
            # A string cell keeps its value when a constraint fails; only a missing value is
            # None, and None is not looked up.
            value = cells.key[name] if plan.keyed else pl.col(plan.column)
            blank = pl.col(plan.column).is_in(plan.missing) if plan.missing else pl.lit(False)
            bad.append(~blank & ~value.is_in(code_series[name]))
        out.append((pl.any_horizontal(bad) if bad else pl.lit(False)).alias("bad"))
        verdict = pl.concat([frame, oks], how="horizontal").lazy().with_columns(out) \
            .select([e.meta.output_name() for e in out]).collect()
        rownum = pl.int_range(next_row, next_row + frame.height, eager=True, dtype=pl.UInt32)
        for n, index in enumerate(result.keys):
            keep_mask = verdict.get_column(f"k{n}")
            index.add(verdict.get_column(f"h{n}").filter(keep_mask), rownum.filter(keep_mask))
        room = LIMIT_ERRORS - len(result.error_rows)
        bad_idx = verdict.get_column("bad").arg_true().head(room).to_list()
        if bad_idx:
            for i, row in zip(bad_idx, frame[bad_idx].rows(), strict=True):
                result.error_rows[next_row + i] = list(row)
        next_row += frame.height
        result.total_rows = next_row - 2
        if progress:
            progress(result.total_rows, position, bytes_total)
        if len(result.error_rows) >= LIMIT_ERRORS:
            result.stopped_at = max(result.error_rows)
            if result.labelled is False:
                result.labelled = None  # the rows past here were not looked at
            break
    return result
