"""The input: frictionless's own set-up of the file, the bytes pyarrow reads (transcoded to UTF-8
if need be), batches read ahead on a thread, and the file's md5 and sha256."""

from __future__ import annotations

import codecs
import hashlib
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from frictionless.table import create_cell_handlers

from satudata.validation.fastpath.common import LIMIT_ERRORS, SCAN_CHUNK, UTF8, Tuning, Unsupported


@dataclass
class Prepared:
    """What frictionless decided when it opened the file, and our reading plan."""

    resource: Any
    labels: list[str]
    header_errors: list[Any]
    sample: list[list[Any]]
    fields: list[Any]
    handlers: dict[str, Any]
    delimiter: str
    encoding: str
    unique_fields: list[str]
    primary_key: list[str]
    has_primary_key: bool
    foreign_groups: list[dict[str, Any]]
    lookup: dict[str, dict[tuple[str, ...], set[tuple[Any, ...]]]]
    native_fk: dict[str, frozenset[str]]  # field name -> codes


def prepare(make_resource: Callable[[], Any], make_probe: Callable[[], Any],
            references: dict[str, frozenset[str]]) -> Prepared:
    """Open the file with frictionless (sample only) and check the fast path applies.

    ``make_resource`` builds the resource frictionless would validate; ``make_probe`` the same
    without its reference package (opening it skips loading the reference lists, which we
    check natively). ``references`` maps a reference resource name to its codes: foreign keys
    to those resources are checked natively; any other foreign key means frictionless.
    """
    full = make_resource()
    try:
        full.to_descriptor(validate=True)
    except Exception as exc:
        raise Unsupported("resource metadata is invalid") from exc
    foreign_keys = list(full.schema.foreign_keys) if full.schema else []
    for fk in foreign_keys:
        if fk["reference"]["resource"] not in references or len(fk["fields"]) != 1:
            raise Unsupported("foreign key to another resource")
    resource = make_probe()
    if resource.type != "table" or resource.format not in ("csv", "tsv"):
        raise Unsupported(f"format {resource.format}")
    if (resource.compression or resource.multipart or resource.hash or resource.bytes or resource.fields
            or resource.rows or not isinstance(resource.path, str) or resource.remote):
        raise Unsupported("declared stats, compression or remote source")
    try:
        resource.open()
    except Exception as exc:
        raise Unsupported("frictionless cannot open the source") from exc
    try:
        labels = list(resource.labels)
        fragment = resource.fragment
        header = resource.header
        sample = [list(cells) for cells in resource.sample]
        fields = header.get_expected_fields()
        dialect = resource.dialect
        control = dialect.get_control("csv")
        encoding = codecs.lookup(resource.encoding).name
        schema = resource.schema
    finally:
        resource.close()
    if not (labels or fragment):
        raise Unsupported("empty source")
    if not sample or len(sample[0]) != len(labels) or len(fields) != len(labels) or len(labels) < 2:
        raise Unsupported("header shape")
    if (not dialect.header or dialect.header_rows != [1] or dialect.comment_char or dialect.comment_rows
            or dialect.skip_blank_rows or not dialect.header_case):
        raise Unsupported("dialect options")
    if control is None or control.quote_char != '"' or control.escape_char or control.skip_initial_space \
            or control.null_sequence or len(control.delimiter) != 1 or control.delimiter in '"\r\n':
        raise Unsupported("csv dialect")
    if len(header.errors) >= LIMIT_ERRORS:
        raise Unsupported("too many header errors")
    names = {f.name for f in fields}
    primary_key = list(schema.primary_key)
    foreign_groups = []
    lookup: dict[str, dict[tuple[str, ...], set[tuple[Any, ...]]]] = {}
    native_fk: dict[str, frozenset[str]] = {}
    for fk in foreign_keys:
        source = fk["reference"]["resource"]
        source_key = tuple(fk["reference"]["fields"])
        lookup.setdefault(source, {}).setdefault(source_key, {(c,) for c in references[source]})
    if lookup:
        for fk in foreign_keys:
            target_key = tuple(fk["fields"])
            if not set(target_key).issubset(names):
                continue
            source = fk["reference"]["resource"]
            foreign_groups.append({"sourceName": source, "sourceKey": tuple(fk["reference"]["fields"]),
                                   "targetKey": target_key})
            fld = next(f for f in fields if f.name == target_key[0])
            if fld.type != "string" or fld.format != "default" or target_key[0] in native_fk:
                raise Unsupported("reference field shape")
            native_fk[target_key[0]] = references[source]
    return Prepared(
        resource=resource, labels=labels, header_errors=list(header.errors), sample=sample, fields=fields,
        handlers=create_cell_handlers(fields), delimiter=control.delimiter, encoding=encoding,
        unique_fields=[f.name for f in fields if f.constraints.get("unique")], primary_key=primary_key,
        has_primary_key=bool(primary_key) and set(primary_key).issubset(names),
        foreign_groups=foreign_groups, lookup=lookup, native_fk=native_fk,
    )


@dataclass
class Source:
    """The bytes pyarrow reads: the file itself, or a UTF-8 copy of it."""

    path: Path
    has_quotes: bool
    tmpdir: tempfile.TemporaryDirectory[str] | None = None
    tuning: Tuning = field(default_factory=Tuning)

    def close(self) -> None:
        if self.tmpdir is not None:
            self.tmpdir.cleanup()


def open_source(path: Path, encoding: str, tuning: Tuning | None = None) -> Source:
    """Check the bytes (NUL, quotes) and transcode non-UTF-8 text to UTF-8."""
    tmpdir = None
    if encoding not in UTF8:
        tmpdir = tempfile.TemporaryDirectory(prefix="satudata-validate-")
        target = Path(tmpdir.name) / "utf8.csv"
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with path.open("rb") as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(decoder.decode(chunk).encode("utf-8"))
                out.write(decoder.decode(b"", final=True).encode("utf-8"))
        except (UnicodeError, LookupError) as exc:
            tmpdir.cleanup()
            raise Unsupported("undecodable text") from exc
        path = target
    try:
        if path.stat().st_size == 0:
            raise Unsupported("empty")
        # Chunked reads, not mmap: a mapped file counts in the process's RSS.
        has_quotes = False
        with path.open("rb") as fh:
            while chunk := fh.read(SCAN_CHUNK):
                if b"\x00" in chunk:
                    raise Unsupported("NUL byte")
                has_quotes = has_quotes or b'"' in chunk
    except BaseException:
        if tmpdir is not None:
            tmpdir.cleanup()
        raise
    return Source(path=path, has_quotes=has_quotes, tmpdir=tmpdir, tuning=tuning or Tuning())


def batches(source: Source, ncols: int, delimiter: str) -> Iterator[tuple[pa.RecordBatch, int]]:
    """(batch of string columns c0.., stream position), the header row first."""
    names = [f"c{i}" for i in range(ncols)]
    ragged: list[int] = []

    def on_invalid(row: Any) -> str:
        ragged.append(1)
        return "skip"

    read = pacsv.ReadOptions(column_names=names, block_size=source.tuning.block_size, use_threads=True)
    parse = pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                               newlines_in_values=True, ignore_empty_lines=False,
                               invalid_row_handler=on_invalid)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                                   quoted_strings_can_be_null=False, check_utf8=True)
    with pa.OSFile(str(source.path), "rb") as raw:
        try:
            reader = pacsv.open_csv(raw, read_options=read, parse_options=parse, convert_options=convert)
            for batch in reader:
                if ragged:
                    raise Unsupported("ragged rows")
                yield batch, raw.tell()
        except pa.ArrowException as exc:
            raise Unsupported(f"pyarrow: {exc}") from exc
    if ragged:
        raise Unsupported("ragged rows")


_DONE = object()


def prefetched(make: Callable[[], Iterator[Any]], depth: int = 2) -> Iterator[Any]:
    """Iterate ``make()`` in a thread, ``depth`` items ahead: pyarrow parses the next batch
    (without the GIL) while polars works on this one. Errors are re-raised here; stopping
    early stops the thread."""
    items: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        source = make()
        try:
            for item in source:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the consumer
            put(exc)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=run, daemon=True, name="satudata-csv-reader")
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


class Hasher(threading.Thread):
    """md5 and sha256 of the file, computed beside the parse (hashlib releases the GIL)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.md5 = hashlib.md5()  # noqa: S324 - frictionless reports it
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with self.path.open("rb") as fh:
            while not self.stop.is_set() and (chunk := fh.read(4 << 20)):
                self.md5.update(chunk)
                self.sha256.update(chunk)
                self.size += len(chunk)
