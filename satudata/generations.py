"""Per-process caches that stay right across processes (issue #17).

A web process keeps what many requests read and few change (a dataset's CKAN dict, the names
that label facet values) in memory, as a :class:`ProcessCache`. Every such cache belongs to a
**generation**: a number in the ``generations`` table that a transaction writing any of the
rows the cache is made of raises as it commits. A cache that finds the number moved on forgets
everything and loads again. So a change made by any process (a walidata's withdrawal in one web
process, a harvest in the worker) is seen by every process on its next request, exactly as
without the cache.

- A domain names the mapped classes a generation depends on with :func:`watch`.
- The session's own signals do the rest: ``after_flush`` notes a generation whose classes had
  rows added, changed or deleted by the unit of work, ``do_orm_execute`` one whose table an
  ORM ``UPDATE``/``DELETE`` statement writes (unless it runs with the execution option
  ``statistic=True``: a counter no cached read shows, such as download counts), and
  ``before_commit`` raises the noted numbers in the same transaction, just before COMMIT (so the
  row is locked for a moment only, and the new rows are never committed without the new number).
- A reader reads the number once per transaction (:func:`current`; one primary-key query per
  request, outside any transaction), *before* it reads the rows it caches: rows read after it are at least that new, and
  a commit in between raises the number, which the next transaction sees. A transaction that has
  changed watched rows itself reads around the caches until it commits.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from itertools import chain
from typing import Any, Generic, TypeVar

from flask import has_app_context
from sqlalchemy import BigInteger, String, event, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from satudata.db import Base
from satudata.extensions import db

CATALOG = "catalog"
_PENDING = "satudata_generations"  # session.info: generations this transaction changes
_SEEN = "satudata_generations_seen"  # session.info: the numbers this transaction read

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Generation(Base):
    """A named number raised by every commit that writes what the caches of that name hold."""

    __tablename__ = "generations"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


_watched: dict[type, str] = {}


def watch(name: str, *classes: type) -> None:
    """Raise generation ``name`` whenever rows of ``classes`` change."""
    for cls in classes:
        _watched[cls] = name


def _generation_of(cls: type) -> str | None:
    for klass in cls.__mro__:
        name = _watched.get(klass)
        if name:
            return name
    return None


def _note(session: Session, name: str) -> None:
    session.info.setdefault(_PENDING, set()).add(name)


def _after_flush(session: Session, flush_context: Any) -> None:
    for obj in chain(session.new, session.deleted):
        name = _generation_of(type(obj))
        if name:
            _note(session, name)
    for obj in session.dirty:
        name = _generation_of(type(obj))
        if name and session.is_modified(obj):
            _note(session, name)


def _do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.execution_options.get("statistic"):
        return
    mapper = state.bind_mapper
    name = _generation_of(mapper.class_) if mapper is not None else None
    if name:
        _note(state.session, name)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()  # the last changes are noted before the numbers are raised
    names = session.info.pop(_PENDING, None)
    if names:
        session.execute(update(Generation).where(Generation.name.in_(sorted(names)))
                        .values(value=Generation.value + 1))


def _transaction_end(session: Session, transaction: Any) -> None:
    # A transaction's own notes end with it (committed, or rolled back with what they were
    # about), and the next transaction reads the numbers again (a commit anywhere may have
    # raised them). Savepoints end inside it and change neither.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_SEEN, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "do_orm_execute", _do_orm_execute)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_transaction_end", _transaction_end)


def bump_all() -> None:
    """Raise every generation in the current transaction: for changes made around the session's
    unit of work (raw SQL, a restored backup), after which no cache may be trusted."""
    db.session.execute(update(Generation).values(value=Generation.value + 1))


def _writing(session: Session, name: str) -> bool:
    """Whether this transaction has changed (or is about to flush) what generation ``name`` covers."""
    if name in session.info.get(_PENDING, ()):
        return True
    return any(_generation_of(type(obj)) == name for obj in chain(session.new, session.dirty, session.deleted))


def current(name: str = CATALOG) -> int | None:
    """Generation ``name`` as this transaction first read it (one query per transaction: a
    request, a job's unit of work). ``None``, so that caches load afresh, out of an app context,
    without the row, and in a transaction that itself changed what the generation covers (its
    own changes are not committed, so not counted yet)."""
    if not has_app_context():
        return None
    session = db.session()
    if _writing(session, name):
        return None
    seen: dict[str, int | None] = session.info.setdefault(_SEEN, {})
    if name not in seen:
        query = select(Generation.value).where(Generation.name == name)
        if session.in_transaction():
            # Inside the transaction, on its connection: a SQLite transaction that has written
            # much holds the file, and a second connection of this thread would wait for it.
            seen[name] = session.scalar(query)
        else:
            # On a connection of its own, without a transaction: a request answered from the
            # caches then opens none (no BEGIN and COMMIT on PostgreSQL, two round trips of four).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                seen[name] = conn.scalar(query)
    return seen[name]


def _holds(session: Session, name: str) -> bool:
    """Whether the session holds mapped rows of what generation ``name`` covers: read earlier in
    the transaction, perhaps before the number was, so perhaps older than it."""
    return any(_generation_of(type(obj)) == name for obj in session.identity_map.values())


class ProcessCache(Generic[K, V]):
    """At most ``size`` values of generation ``name`` in this process, the least recently used
    dropped first; everything is forgotten when the generation moves on.

    ``objects``: the loader reads mapped objects (``Dataset`` rows and their relations), not
    columns. The session hands back an object it already holds as it holds it, which may be
    older than the number just read; what is loaded while the session holds such objects is then
    returned but not kept."""

    def __init__(self, name: str, size: int, *, objects: bool = False) -> None:
        self.name = name
        self.size = size
        self.objects = objects
        self._generation: int | None = None
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[K], load: Callable[[list[K]], dict[K, V]]) -> dict[K, V]:
        """The values of ``keys`` (those ``load`` finds), loading the missing ones with ``load``
        (given the keys it must find; what it leaves out is not cached)."""
        keys = list(keys)
        generation = current(self.name)
        if generation is None:
            return load(keys)
        keep = not (self.objects and _holds(db.session(), self.name))
        found: dict[K, V] = {}
        with self._lock:
            if self._generation is None or generation > self._generation:
                self._values.clear()
                self._generation = generation
            elif generation < self._generation:
                keep = False  # a transaction that began before the last change: nothing older is kept
            for key in keys:
                if key in self._values:
                    self._values.move_to_end(key)
                    found[key] = self._values[key]
        missing = [key for key in keys if key not in found]
        if missing:
            loaded = load(missing)
            found.update(loaded)
            with self._lock:
                if keep and generation == self._generation:
                    self._values.update(loaded)
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
        return found

    def get(self, key: K, load: Callable[[K], V | None]) -> V | None:
        def load_one(keys: list[K]) -> dict[K, V]:
            value = load(keys[0])
            return {} if value is None else {keys[0]: value}

        return self.get_many([key], load_one).get(key)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._generation = None
