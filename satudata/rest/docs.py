"""OpenAPI metadata declared where the route is declared.

A domain's ``api.py`` writes ``@documented(...)`` under its ``@bp.get(...)``; the decorator
only attaches a ``Doc`` to the view function. ``satudata/api/openapi.py`` walks the app's routes
under ``/api/v1`` and builds the document from them, so a route and its documentation cannot
part: an undocumented ``/api/v1`` route fails a test, and a documented path is always a real one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from marshmallow import Schema

F = TypeVar("F", bound=Callable[..., Any])

# The status codes an operation may list in ``errors`` (their texts are in satudata/api/openapi.py).
ERROR_STATUSES = frozenset({"401", "403", "404", "409", "410", "422"})


@dataclass(frozen=True)
class PathParam:
    """A path parameter; ``example`` also fills the curl example when no real value is known."""

    name: str
    description: str
    example: str
    type: str = "string"


@dataclass(frozen=True)
class Body:
    """A request body: a marshmallow serializer, its component name, and an example.
    ``media_type`` is JSON unless said otherwise (uploads are ``multipart/form-data``);
    ``required=False``: the body may be left out altogether."""

    schema: Schema
    name: str
    description: str
    example: dict[str, Any]
    media_type: str = "application/json"
    required: bool = True


@dataclass(frozen=True)
class Doc:
    """The documentation of one operation (one route and method)."""

    operation_id: str
    tag: str
    summary: str
    description: str
    response: type[Schema] | None  # None: a free-form JSON object
    response_description: str
    path_params: tuple[PathParam, ...] = ()
    query: Callable[[Mapping[str, Any]], Schema] | None = None  # given the app's config
    errors: tuple[str, ...] = ()
    example_query: dict[str, str] = field(default_factory=dict)
    status: str = "200"
    token: str | None = None  # None: public; "read" or "write": the token scope needed
    body: Body | None = None
    alt_body: Body | None = None  # a second accepted body, of another media type
    # False: the example needs something only its user has (an applicant's tracking code); the
    # docs page shows its placeholder as it is instead of a command that would answer 404.
    example_runs: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.errors) - ERROR_STATUSES
        if unknown:
            raise ValueError(f"{self.operation_id}: undocumented error statuses {sorted(unknown)}")

    @property
    def bodies(self) -> tuple[Body, ...]:
        return tuple(b for b in (self.body, self.alt_body) if b is not None)


def documented(**doc: Any) -> Callable[[F], F]:
    """Attach the operation's documentation (the fields of ``Doc``) to a view function."""
    described = Doc(**doc)

    def mark(view: F) -> F:
        view.openapi = described  # type: ignore[attr-defined]
        return view

    return mark


def doc_of(view: Callable[..., Any] | None) -> Doc | None:
    """The documentation attached to ``view``, if any."""
    found = getattr(view, "openapi", None)
    return found if isinstance(found, Doc) else None
