"""The contract every harvester plug-in keeps, and the plain records it returns.

A plug-in is a class registered in the ``satudata.harvesters`` entry-point group (pyproject.toml)
under its type name (``ckan``, ``dcat``, ...). It never touches the database: the portal's
harvest runner (``satudata/harvest``) gives it a :class:`HarvestContext` (the source's URL, its
config as the plug-in's own marshmallow schema loaded it, the one guarded HTTP session, and the
time of the last successful run) and persists what it returns. Three stages, after
ckanext-harvest:

- ``gather(ctx)`` yields :class:`Gathered` items, one per remote record: its id, its
  modification stamp and, when the listing already carried the whole record (CKAN's
  ``package_search``), the record itself. It is a generator: a source of 100,000 datasets is
  read page by page and never held in memory.
- ``fetch(ctx, item)`` returns the raw record (a JSON-able dict), from the item or the source.
- ``map(ctx, raw)`` turns it into a :class:`RemoteDataset`: our model's fields, plain values.
  A record may also plan Daftar Data items (:class:`RemoteDaftarItem`), carry its values as a
  table (:class:`RemoteTable`, stored as the dataset's CSV) and, with ``makes_dataset`` false,
  make no dataset at all (SIPD e-Walidata's DSSD indicators without values yet).

Errors are :class:`HarvestError` (a readable Indonesian message and, where one record is at
fault, its remote id): the runner records them on the job or the object and goes on.

Writing a plug-in for an OPD's own system is one small module: see ``harvesters/README.md``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib.metadata import entry_points
from typing import Any, ClassVar, Protocol, runtime_checkable

from marshmallow import Schema

from harvesters.http import GuardedSession

ENTRY_POINT_GROUP = "satudata.harvesters"


class HarvestError(Exception):
    """What went wrong, for the people reading the job: ``message`` in Bahasa Indonesia;
    ``remote_id`` when one record is at fault (the job goes on with the others)."""

    def __init__(self, message: str, *, remote_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remote_id = remote_id


@dataclass
class HarvestContext:
    """What a plug-in is given for one run."""

    url: str
    config: dict[str, Any]
    http: GuardedSession
    since: datetime | None = None  # the last successful run: an incremental run asks for newer records
    page_size: int = 100
    # The portal operator's settings for this plug-in type (``SATUDATA_<TYPE>_*`` without the
    # prefix, lower-cased: ``SATUDATA_SIPD_TOKEN`` is ``settings["token"]``): credentials and
    # defaults that are never stored in a source's visible config.
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class Gathered:
    """One remote record found at the source."""

    remote_id: str
    modified: str | None = None  # as the source writes it (ISO 8601)
    record: dict[str, Any] | None = None  # the whole record, when the listing carried it


@dataclass
class RemoteResource:
    """A file or link of a remote dataset."""

    remote_id: str | None
    name: str
    url: str
    description: str = ""
    format: str | None = None
    media_type: str | None = None
    size: int | None = None
    modified: str | None = None


@dataclass
class RemoteDaftarItem:
    """A Daftar Data item a record plans (a statistic to be produced for a year), for sources
    that publish the region's data plan (SIPD e-Walidata's DSSD reference list)."""

    remote_id: str  # stable within the source, e.g. the indicator code and the year
    year: int
    title: str  # what the data is (the indicator's description)
    element: str | None = None  # the group it belongs to at the source (SIPD: the bidang urusan)
    indicator: str | None = None  # the indicator's code at the source
    unit: str | None = None  # satuan
    frequency: str | None = None  # as the source writes it ("tahunan", "annual", ...)
    has_values: bool = False  # the source holds final values for this year (the dataset fulfils it)


@dataclass
class RemoteTable:
    """A table of values a record carries itself (not a link to a file): the runner stores it as
    a CSV resource of the dataset, with ``fields`` as its Table Schema, and validates it."""

    name: str  # the resource's name
    filename: str  # ... and its file's name (``.csv``)
    fields: list[dict[str, Any]]  # Table Schema fields: {"name", "type", "title"?, "description"?}
    rows: list[dict[str, Any]]  # one dict per row, keyed by field name (None for a missing value)
    description: str = ""


@dataclass
class RemoteDataset:
    """A remote dataset in our model's terms (plain values; the runner maps names to rows)."""

    remote_id: str
    name: str  # the remote slug (the runner makes it unique among our datasets)
    title: str
    description: str = ""
    remote_url: str | None = None  # where people see it at the source ("Dipanen dari ...")
    organization: dict[str, str] | None = None  # {"name": slug, "title": ...} at the source
    topics: list[dict[str, str]] = field(default_factory=list)  # groups/themes: {"name", "title"}
    tags: list[str] = field(default_factory=list)
    licence: dict[str, str | None] | None = None  # {"id", "title", "url"}
    created: str | None = None
    modified: str | None = None
    frequency: str | None = None
    year: int | None = None
    period: str | None = None
    coverage: str | None = None
    contact: dict[str, str] | None = None  # {"name", "email"}
    resources: list[RemoteResource] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)  # whatever else the source says, as text
    daftar: list[RemoteDaftarItem] = field(default_factory=list)  # Daftar Data items the record plans
    table: RemoteTable | None = None  # values carried in the record: stored as the dataset's CSV
    makes_dataset: bool = True  # False: the record only fills Daftar Data (no values yet)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def content_hash(raw: Any) -> str:
    """A digest of a raw record, the same for the same content whatever its key order: an
    unchanged record costs nothing on the next run."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@runtime_checkable
class Harvester(Protocol):
    """A harvester plug-in (see the module docstring)."""

    name: ClassVar[str]
    title: ClassVar[str]
    config_schema: ClassVar[type[Schema]]

    def gather(self, ctx: HarvestContext) -> Iterator[Gathered]: ...

    def fetch(self, ctx: HarvestContext, item: Gathered) -> dict[str, Any]: ...

    def map(self, ctx: HarvestContext, raw: dict[str, Any]) -> RemoteDataset: ...


@runtime_checkable
class ListsIds(Protocol):
    """A plug-in that can also list every remote id of its source cheaply (``ckan``). Sources of
    such a plug-in may run incrementally (``ctx.since``: only what changed is gathered): the
    runner learns what was deleted at the source from this list."""

    def list_ids(self, ctx: HarvestContext) -> Iterator[str]: ...


def discover() -> dict[str, type[Harvester]]:
    """The installed plug-ins by type name, from the ``satudata.harvesters`` entry points."""
    found: dict[str, type[Harvester]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found[ep.name] = ep.load()
    return found
