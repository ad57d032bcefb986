"""The run: duplicates resolved exactly, error rows replayed through frictionless's ``Row``, and
the report built as frictionless builds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
from frictionless import Report
from frictionless import errors as ferrors
from frictionless import helpers as fhelpers
from frictionless.table import Row

from satudata.validation.fastpath.common import LIMIT_ERRORS, ProgressFn, Tuning, Unsupported
from satudata.validation.fastpath.plans import FieldPlan, plan_field
from satudata.validation.fastpath.scan import KeyIndex, Scan, scan
from satudata.validation.fastpath.source import Hasher, Prepared, Source, batches, open_source, prepare


def duplicate_rows(index: KeyIndex, max_row: int) -> tuple[set[int], set[int]]:
    """(rows in groups sharing a hash, rows with an earlier row sharing their hash).

    Sort-based (one sorted copy of the hashes) rather than a hash table, which would take
    several times the memory on a file of tens of millions of rows.
    """
    members: set[int] = set()
    later: set[int] = set()
    for hashes, rows in index.parts():
        ordered = hashes.sort()
        shared_values = ordered.filter(ordered == ordered.shift(1)).unique()
        del ordered
        if shared_values.len() == 0:
            continue
        shared = hashes.is_in(shared_values)
        dup = pl.DataFrame({"h": hashes.filter(shared), "r": rows.filter(shared)})
        dup = dup.filter(pl.col("r") <= max_row).filter(pl.col("h").is_duplicated())
        if dup.height == 0:
            continue
        members.update(dup.get_column("r").to_list())
        later.update(dup.filter(pl.col("r") != pl.col("r").min().over("h")).get_column("r").to_list())
    return members, later


def fetch_rows(prep: Prepared, source: Source, wanted: set[int],
               retained: list[tuple[int, pa.RecordBatch]] | None) -> dict[int, list[str]]:
    """The cells of some rows, by row number: from the batches kept in memory, or pass 2."""
    found: dict[int, list[str]] = {}
    last = max(wanted)

    def take(first: int, batch: pa.RecordBatch) -> None:
        hits = sorted(r - first for r in wanted if first <= r < first + batch.num_rows)
        if hits:
            columns = batch.columns
            for i in hits:  # cell by cell: Arrow's ``take`` would load pyarrow.compute (0.1 s)
                found[first + i] = [column[i].as_py() for column in columns]

    if retained is not None:
        for first, batch in retained:
            take(first, batch)
        return found
    next_row = 1
    for batch, _ in batches(source, len(prep.fields), prep.delimiter):
        take(next_row, batch)
        next_row += batch.num_rows
        if next_row > last:
            break
    return found


def replay(prep: Prepared, cells: list[str], row_number: int, unique_match: dict[str, int],
           pk_match: int | None) -> list[Any]:
    """The errors frictionless's row stream gives this row (TableResource.__open_row_stream)."""
    row = Row(cells, handlers=prep.handlers, row_number=row_number)
    for field_name in prep.unique_fields:
        cell = row[field_name]
        if cell is not None:
            match = unique_match.get(field_name)
            if match:
                note = f"the same as in the row at position {match}"
                row.errors.append(ferrors.UniqueError.from_row(row, note=note, field_name=field_name))
    if prep.has_primary_key:
        pk_cells = tuple(row[label] for label in prep.primary_key)
        if set(pk_cells) == {None}:
            note = 'cells composing the primary keys are all "None"'
            row.errors.append(ferrors.PrimaryKeyError.from_row(row, note=note))
        elif pk_match:
            note = f"the same as in the row at position {pk_match}"
            row.errors.append(ferrors.PrimaryKeyError.from_row(row, note=note))
    for group in prep.foreign_groups:
        group_lookup = prep.lookup.get(group["sourceName"])
        if group_lookup:
            fk_cells = tuple(row[name] for name in group["targetKey"])
            if set(fk_cells) == {None}:
                continue
            if fk_cells not in group_lookup.get(group["sourceKey"], set()):
                note = (f'for "{", ".join(group["targetKey"])}": values "{", ".join(str(d) for d in fk_cells)}" '
                        f'not found in the lookup table "{group["sourceName"]}" as "{", ".join(group["sourceKey"])}"')
                row.errors.append(ferrors.ForeignKeyError.from_row(
                    row, note=note, field_names=list(group["targetKey"]), field_values=list(fk_cells),
                    reference_name=group["sourceName"], reference_field_names=list(group["sourceKey"])))
    return list(row.errors)


def exact_matches(prep: Prepared, index: KeyIndex, rows: dict[int, list[str]], members: set[int]) -> dict[int, int]:
    """Replay frictionless's in-memory index over the rows sharing a hash: row -> earlier row."""
    positions = [prep.handlers[name].field_number - 1 for name in index.fields]
    readers = [prep.handlers[name].reader for name in index.fields]
    memory: dict[Any, int] = {}
    matches: dict[int, int] = {}
    try:
        for r in sorted(members):
            values = tuple(reader(rows[r][pos])[0] for reader, pos in zip(readers, positions, strict=True))
            if index.is_primary_key:
                if set(values) == {None}:
                    continue
                cell: Any = values
            else:
                cell = values[0]
                if cell is None:
                    continue
            match = memory.get(cell)
            memory[cell] = r
            if match:
                matches[r] = match
    except TypeError as exc:  # an unhashable value: frictionless itself would fail
        raise Unsupported("unhashable key value") from exc
    return matches


def partial_stats(make_resource: Callable[[], Any], cutoff_row: int) -> Any:
    """Byte stats frictionless has when it stops at ``cutoff_row`` (its own reader, same reads)."""
    resource = make_resource()
    resource.open()
    try:
        for row_number, _ in enumerate(resource.cell_stream, start=1):
            if row_number >= cutoff_row:
                break
        return resource.stats
    finally:
        resource.close()


def validate(make_resource: Callable[[], Any], *, make_probe: Callable[[], Any] | None = None,
             references: dict[str, frozenset[str]] | None = None, progress: ProgressFn | None = None,
             tuning: Tuning | None = None, hints: dict[str, Any] | None = None) -> Report:
    """The report of ``make_resource().validate()``, computed by the fast path.

    ``make_resource`` builds the same frictionless resource at each call (the fallback gets
    its own); ``make_probe`` the same without the reference package, if there is one. Raises
    :class:`Unsupported` when the input is outside what the fast path covers. ``hints`` (a dict)
    receives what the scan saw on the way: ``labelled`` (see ``Scan.labelled``).
    """
    timer = fhelpers.Timer()
    make_probe = make_probe or make_resource
    prep = prepare(make_resource, make_probe, references or {})
    path = Path(prep.resource.normpath)
    keyed = set(prep.unique_fields) | (set(prep.primary_key) if prep.has_primary_key else set())
    # Plan from the expected fields themselves: a handler's field is a copy that lost its
    # schema (and so the schema-level missing values its reader uses).
    plans = [plan_field(i, fld, prep.handlers[fld.name].reader, fld.name in keyed)
             for i, fld in enumerate(prep.fields)]
    hasher = Hasher(path)
    hasher.start()
    try:
        errors, warnings, cutoff, total_rows = _run(prep, path, plans, progress, tuning or Tuning(), hints)
    except BaseException:
        hasher.stop.set()
        raise
    finally:
        hasher.join()
    resource = prep.resource
    if cutoff is None:
        resource.stats.md5 = hasher.md5.hexdigest()
        resource.stats.sha256 = hasher.sha256.hexdigest()
        resource.stats.bytes = hasher.size
        resource.stats.rows = total_rows
    else:
        stats = partial_stats(make_probe, cutoff)
        resource.stats.md5 = stats.md5
        resource.stats.sha256 = stats.sha256
        resource.stats.bytes = stats.bytes
        resource.stats.rows = cutoff - 1
    return Report.from_validation_task(resource, time=timer.time, labels=prep.labels, errors=errors,
                                       warnings=warnings)


def _run(prep: Prepared, path: Path, plans: list[FieldPlan], progress: ProgressFn | None,
         tuning: Tuning, hints: dict[str, Any] | None = None) -> tuple[list[Any], list[str], int | None, int]:
    """Scan, resolve duplicates exactly, replay the error rows: (errors, warnings, cutoff, rows)."""
    source = open_source(path, prep.encoding, tuning)
    result = Scan()
    try:
        scan(prep, source, plans, progress, path.stat().st_size, result)
        if hints is not None:
            hints["labelled"] = result.labelled
        max_row = result.stopped_at or (result.total_rows + 1)
        groups = {ix.name: duplicate_rows(ix, max_row) for ix in result.keys}
        later = set().union(*(g[1] for g in groups.values())) if groups else set()
        candidates = sorted(set(result.error_rows) | later)
        bound = candidates[LIMIT_ERRORS - 1] if len(candidates) >= LIMIT_ERRORS else max_row
        members = {name: {r for r in g[0] if r <= bound} for name, g in groups.items()}
        wanted = set().union(*members.values()) - set(result.error_rows) if members else set()
        rows = dict(result.error_rows)
        if wanted:
            rows.update(fetch_rows(prep, source, wanted, result.retained))
        result.retained = None
    finally:
        source.close()
        for index in result.keys:
            index.close()
    unique_match: dict[int, dict[str, int]] = {}
    pk_match: dict[int, int] = {}
    for index in result.keys:
        group_members = members.get(index.name, set())
        if len(group_members) < 2:
            continue
        for r, m in exact_matches(prep, index, rows, group_members).items():
            if index.is_primary_key:
                pk_match[r] = m
            else:
                unique_match.setdefault(r, {})[index.fields[0]] = m
    error_rows = sorted(r for r in set(result.error_rows) | set(unique_match) | set(pk_match) if r <= bound)
    errors: list[Any] = list(prep.header_errors)
    warnings: list[str] = []
    cutoff: int | None = None
    for r in error_rows:
        errors.extend(replay(prep, rows[r], r, unique_match.get(r, {}), pk_match.get(r)))
        if len(errors) >= LIMIT_ERRORS:
            errors = errors[:LIMIT_ERRORS]
            warnings.append(f"reached error limit: {LIMIT_ERRORS}")
            cutoff = r
            break
    if cutoff is None and bound < max_row:
        # Some rows sharing a key hash were not equal after all, and rows past ``bound`` were
        # not replayed: rare enough to leave to frictionless.
        raise Unsupported("hash collision near the error limit")
    return errors, warnings, cutoff, result.total_rows
