"""Database glue: the declarative Base, shared column types, time helpers, and the unit of work.

The Flask-SQLAlchemy extension object lives in ``extensions.py`` and uses this Base; models
import ``Base`` from here. Timestamps are stored in UTC; templates convert to WIB.

**One unit of work** (:func:`unit_of_work`): a request, a job, a CLI command or the demo
loader commits once at its end, and rolls everything back when it fails. Services flush (to
get ids) and never commit; views never commit. ``tests/test_architecture.py`` fails on a
``commit()`` anywhere else than here, ``jobs.py``, ``errors.py``, ``cli.py`` and ``demo/``.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.sql import Executable

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite drops tzinfo otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use satudata.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR column with a CHECK constraint listing the enum's values.

    Status fields that accept any string are a known failure of regional portals
    (rules/SATU_DATA.md); the database refuses them here too.
    """
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class StrEnum(enum.StrEnum):
    """An enum whose members compare and serialise as their string value."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def parse(cls, value: Any) -> StrEnum | None:
        try:
            return cls(value)
        except ValueError:
            return None


# --------------------------------------------------------------------------- one unit of work

_IN_UNIT = "satudata_unit_of_work"


def session() -> scoped_session[Session]:
    """The app's database session, ``extensions.db.session`` (this module sits below
    ``extensions``, so it reaches the extension through the app)."""
    return current_app.extensions["sqlalchemy"].session  # type: ignore[no-any-return]


@contextmanager
def unit_of_work() -> Iterator[scoped_session[Session]]:
    """Run the body as one unit of work: commit when it ends normally, roll back and re-raise
    when anything escapes it (a domain error, a failed flush, a job's timeout).

    The request (``Portal.dispatch_request``), the job (``jobs.run_job``), the CLI commands and
    the demo loader open it; nothing inside commits. A unit opened inside another one joins
    it, so the outer one alone decides. A commit that fails raises here, inside the request or
    job, so it becomes an error answer or a failed job, never a half-sent success.

    A refusal that is itself an outcome (a failed sign-in counts towards the lockout and is
    audited) raises an exception with ``keep_changes`` true (``errors.DomainError(...,
    keep_changes=True)``): the unit then commits what it did, and the exception still
    propagates.
    """
    current = session()
    if current.info.get(_IN_UNIT):
        yield current
        return
    current.info[_IN_UNIT] = True
    try:
        yield current
        current.commit()
    except BaseException as exc:
        if getattr(exc, "keep_changes", False):
            try:
                current.commit()
            except Exception:
                current.rollback()
                raise
        else:
            current.rollback()
        raise
    finally:
        current.info.pop(_IN_UNIT, None)


def write_apart(statement: Executable) -> None:
    """Run one write in a short transaction of its own, committed at once, whatever the unit of
    work then does: for bookkeeping that must neither hold rows locked for the length of a
    request nor wait for it (an API token's last use: a script's parallel calls would queue on
    the token's row, and on SQLite on the one write lock, for as long as each call runs).

    It leaves the session's objects as they are (set the value with
    ``sqlalchemy.orm.attributes.set_committed_value`` if the request reads it). When the
    unit already holds SQLite's write lock, the write joins the unit instead of waiting for it.
    """
    current = session()()  # the Session itself
    bind = current.get_bind()
    if bind.dialect.name == "sqlite" and current.in_transaction():
        raw = current.connection().connection.dbapi_connection
        if getattr(raw, "in_transaction", False):
            current.execute(statement)
            return
    with bind.engine.begin() as conn:  # its own connection and transaction, committed here
        conn.execute(statement)
