"""The one response shape of the REST API and the serializers that describe it.

Every success is ``{"data": ...}``, with ``meta`` (sizes, counts) and ``links`` (``self``,
``next``, ``prev``) where they apply; every error is ``{"error": {"code", "message",
"details"}}`` (written by ``satudata.errors``). Links are absolute, at the portal's public
address (``BASE_URL``), never taken from the Host header.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import Response, jsonify, request
from marshmallow import Schema, fields

from satudata.rest.fields import URI
from satudata.security import public_url

API_PREFIX = "/api/v1"


def absolute(path: str) -> str:
    """``path`` at the portal's public address."""
    return public_url(path)


def api_url(path: str) -> str:
    """``path`` of the REST API v1 at the portal's public address (``/datasets`` ...)."""
    return absolute(API_PREFIX + path)


def quoted(value: str) -> str:
    """``value`` as one URL path segment or query value."""
    return quote(value, safe="")


def url_with(**replace: Any) -> str:
    """This request's absolute URL with some query parameters replaced."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in replace]
    items.extend((k, str(v)) for k, v in replace.items())
    query = urlencode(items)
    return public_url(request.path) + (f"?{query}" if query else "")


def page_links(page: int, pages: int) -> dict[str, str | None]:
    """``self``, ``next`` and ``prev`` of page ``page`` of ``pages`` (this request's URL)."""
    return {"self": url_with(page=page), "next": url_with(page=page + 1) if page < pages else None,
            "prev": url_with(page=page - 1) if page > 1 else None}


def envelope(data: Any, *, meta: dict[str, Any] | None = None, links: dict[str, Any] | None = None,
             status: int = 200, **extra: Any) -> tuple[Response, int]:
    """The response: ``data`` (already dumped by the domain's serializer) with its ``meta``,
    ``links`` and any other top-level member the operation documents (``facets``)."""
    body: dict[str, Any] = {"data": data}
    if meta is not None:
        body["meta"] = meta
    if links is not None:
        body["links"] = links
    body.update(extra)
    return jsonify(body), status


_RESPONSE_SCHEMAS: dict[str, type[Schema]] = {}


def response_schema(name: str, description: str, data: fields.Field, **members: fields.Field) -> type[Schema]:
    """The serializer that documents one envelope: ``data`` and the other members. ``name`` is
    the component's name in the OpenAPI document (``DatasetList``); asking twice for one name
    gives the same class."""
    if name in _RESPONSE_SCHEMAS:
        return _RESPONSE_SCHEMAS[name]
    meta = type("Meta", (), {"description": description})
    schema = type(f"{name}Schema", (Schema,), {"Meta": meta, "data": data, **members})
    _RESPONSE_SCHEMAS[name] = schema
    return schema


class PageMetaSchema(Schema):
    """Where a page sits in the whole result."""

    class Meta:
        description = "Letak halaman ini dalam seluruh hasil."

    total = fields.Integer(metadata={"description": "Jumlah seluruh hasil."})
    page = fields.Integer(metadata={"description": "Nomor halaman ini."})
    per_page = fields.Integer(metadata={"description": "Jumlah hasil per halaman."})
    pages = fields.Integer(metadata={"description": "Jumlah halaman."})


class PageLinksSchema(Schema):
    """Links to this page and its neighbours (``null`` at either end)."""

    class Meta:
        description = "Tautan ke halaman ini dan halaman di sebelahnya (null di ujung)."

    self = fields.String(metadata={**URI, "description": "Halaman ini."})
    next = fields.String(allow_none=True, metadata={**URI, "description": "Halaman berikutnya."})
    prev = fields.String(allow_none=True, metadata={**URI, "description": "Halaman sebelumnya."})


class CountMetaSchema(Schema):
    """Size of an unpaginated list."""

    class Meta:
        description = "Ukuran daftar yang tidak berhalaman."

    total = fields.Integer(metadata={"description": "Jumlah isi daftar."})


class ErrorBodySchema(Schema):
    """What went wrong."""

    class Meta:
        description = "Apa yang salah."

    code = fields.String(metadata={"description": "Kode galat untuk program: not_found, invalid, conflict, "
                                                  "method_not_allowed, ..."})
    message = fields.String(metadata={"description": "Penjelasan untuk manusia (Bahasa Indonesia)."})
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                          metadata={"description": "Pesan per parameter: {nama: [pesan, ...]}."})


class ErrorSchema(Schema):
    """Every error response of the REST API."""

    class Meta:
        description = "Bentuk setiap respons galat API REST."

    error = fields.Nested(ErrorBodySchema, metadata={"description": "Galatnya."})
