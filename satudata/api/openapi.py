"""The OpenAPI 3.1 document of the REST API v1, assembled from the routes, and the view model of
the browsable docs.

Each domain declares its operations where it declares its routes (``@documented`` in its
``api.py``, with the serializers of its ``serializers.py``); ``operations(app)`` walks the app's
``/api/v1`` routes and reads that metadata, so there is one route table. ``satudata/api/rest.py``
serves the document at ``/api/v1/openapi.json`` and renders ``/api/docs`` from the same
dictionary, so the docs page, the document and the responses all come from one source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from satudata.rest.docs import Doc, doc_of
from satudata.rest.envelope import API_PREFIX, ErrorSchema
from satudata.version import __version__

OPENAPI_VERSION = "3.1.0"
BEARER = "bearerAuth"

# Error responses, as components so each operation refers to them by name.
ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    # status: (component name, description)
    "401": ("Unauthorized", "Token tidak ada atau tidak valid. Kirim `Authorization: Bearer <token>`."),
    "403": ("Forbidden", "Token valid, tetapi pemiliknya tidak berhak, atau token hanya untuk membaca (read)."),
    "404": ("NotFound", "Tidak ditemukan: slug atau ID yang tidak dikenal, dataset yang belum terbit atau "
                        "tidak publik, halaman di luar jangkauan, atau (ruang kerja) dataset dan sumber data "
                        "yang tidak ada di ruang kerja Anda."),
    "409": ("Conflict", "Permintaan tidak dapat dipenuhi untuk objek ini dalam keadaannya sekarang, misalnya "
                        "baris tabel dari sumber data yang bukan CSV, atau mengubah dataset yang sedang diperiksa "
                        "walidata atau sudah terbit."),
    "410": ("Gone", "Dataset ini sudah ditarik dari katalog publik oleh walidata. `error.message` menyebut kapan "
                    "dan mengapa; `error.details.reason` memuat alasannya."),
    "422": ("Unprocessable", "Parameter atau isi permintaan tidak valid. `error.details` memuat pesan per "
                             "parameter."),
}
DEFAULT_ERROR = ("Error", "Galat lain dengan bentuk yang sama: 405 metode tidak didukung, 413 permintaan terlalu "
                          "besar, 429 terlalu banyak permintaan, 500 galat server.")




@dataclass(frozen=True)
class Operation:
    """One documented endpoint: a route under /api/v1, one of its methods, and its ``Doc``."""

    path: str  # OpenAPI form, under /api/v1: "/datasets/{key}"
    method: str
    endpoint: str  # the Flask endpoint: "catalog_api.list_datasets"
    doc: Doc

    @property
    def full_path(self) -> str:
        return API_PREFIX + self.path

    def __getattr__(self, name: str) -> Any:  # op.operation_id, op.tag, ... come from the Doc
        return getattr(self.doc, name)


_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def api_routes(app: Flask) -> list[tuple[str, str, str]]:
    """Every route under /api/v1 as ``(path in OpenAPI form, method, endpoint)``, in the order
    the blueprints declared them."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX + "/"):
            continue
        path = _PARAMETER.sub(r"{\1}", rule.rule[len(API_PREFIX):])
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), rule.endpoint))
    return found


def operations(app: Flask) -> tuple[Operation, ...]:
    """The documented operations of ``app`` (routes without a ``Doc`` are not in the document;
    a test requires every /api/v1 route to have one)."""
    out = []
    for path, method, endpoint in api_routes(app):
        doc = doc_of(app.view_functions.get(endpoint))
        if doc is not None:
            out.append(Operation(path, method, endpoint, doc))
    return tuple(out)


DESCRIPTION = """\
API REST Portal Satu Data untuk membaca katalog data terbuka: dataset yang sudah diterbitkan walidata
dan berklasifikasi **publik**, sumber datanya (dengan baris tabel CSV), organisasi, topik dan lisensi.

- Semua respons berbentuk JSON. Isi ada di `data`; daftar berhalaman membawa `meta` (jumlah, halaman) dan
  `links` (`self`, `next`, `prev`).
- Waktu ditulis dalam ISO 8601 UTC (`2025-03-31T02:15:00Z`); nilai pilihan (frekuensi, jenis data, ...)
  ditulis sebagai nilai teksnya.
- Galat selalu berbentuk `{"error": {"code", "message", "details"}}` dengan pesan dalam Bahasa Indonesia.
- Membaca katalog tidak memerlukan token. Operasi akun dan administrasi, serta ruang kerja produsen
  data (`/workspace/...`: draf, unggah tabel, Table Schema, hasil validasi, pengajuan ke walidata),
  memakai token API pribadi (dibuat di halaman Akun) sebagai `Authorization: Bearer <token>`; mengubah
  data perlu token bercakupan `write`.
- Klien CKAN dapat memakai API Action yang kompatibel di `/api/3/action/`.
"""


def _operation(op: Operation, config: Mapping[str, Any]) -> dict[str, Any]:
    """The OpenAPI operation object of ``op`` (apispec resolves the serializers in it)."""
    body: Any = op.response if op.response is not None else {"type": "object"}
    responses: dict[str, Any] = {op.status: {"description": op.response_description,
                                             "content": {"application/json": {"schema": body}}}}
    for status in op.errors:
        responses[status] = ERROR_RESPONSES[status][0]
    responses["default"] = DEFAULT_ERROR[0]
    parameters: list[dict[str, Any]] = [
        {"in": "path", "name": p.name, "required": True, "description": p.description,
         "schema": {"type": p.type}, "example": int(p.example) if p.type == "integer" else p.example}
        for p in op.path_params
    ]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query(config)})
    description = op.description
    if op.token:
        description += f" Memerlukan token API dengan cakupan `{op.token}`."
    operation: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.summary,
        "description": description,
        # Reads of the catalogue are public; account endpoints need a bearer token.
        "security": [{BEARER: []}] if op.token else [],
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {
            "required": all(b.required for b in op.bodies),
            "content": {b.media_type: {"schema": b.schema, "example": b.example} for b in op.bodies},
        }
    return operation


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ErrorSchema}}}


def build_spec(app: Flask, server_url: str | None = None) -> dict[str, Any]:
    """The OpenAPI document as a dictionary.

    ``app`` gives the routes and the limits that appear in them (``API_MAX_ROWS``, ``PAGE_SIZE``);
    ``server_url`` (the root the client called, without a trailing slash) becomes ``servers``.
    """
    config = app.config
    all_operations = operations(app)
    spec = APISpec(
        title=f"{config.get('SITE_NAME', 'Satu Data')} API",
        version=__version__,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION,
              "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        servers=[{"url": server_url, "description": "Server ini"}] if server_url else [],
        tags=[{"name": name} for name in dict.fromkeys(op.tag for op in all_operations)],
    )
    spec.components.security_scheme(BEARER, {
        "type": "http", "scheme": "bearer",
        "description": "Token API pribadi dari halaman Akun, dikirim sebagai `Authorization: Bearer <token>`. "
                       "Cakupan `read` untuk membaca data akun dan ruang kerja, `write` untuk mengubah. Membaca "
                       "katalog tidak memerlukannya.",
    })
    spec.components.schema("Error", schema=ErrorSchema)
    for name, description in (*ERROR_RESPONSES.values(), DEFAULT_ERROR):
        spec.components.response(name, _error_response(description))
    # Input serializers of the accounts domain, under names that do not clash with ours.
    registered: set[str] = set()
    for op in all_operations:
        for b in op.bodies:
            if b.name not in registered:  # one body may serve several operations
                spec.components.schema(b.name, schema=b.schema)
                registered.add(b.name)

    paths: dict[str, dict[str, Any]] = {}
    for op in all_operations:
        paths.setdefault(op.full_path, {})[op.method] = _operation(op, config)
    for path, by_method in paths.items():
        spec.path(path=path, operations=by_method)

    document = spec.to_dict()
    inputs = {b.name: b.description for op in all_operations for b in op.bodies}
    _finish_component_schemas(document, inputs)
    _describe_metadata_inputs(document)
    return document


# The request bodies that are the workspace's metadata form (catalog.serializers.DatasetFormSchema).
METADATA_INPUTS = ("WorkspaceDatasetInput", "WorkspaceDatasetPatch")


def _describe_metadata_inputs(document: dict[str, Any]) -> None:
    """The metadata form's fields, described with the labels the form shows (the form's
    serializer lives in the catalogue and carries no descriptions of its own)."""
    from satudata.catalog.services import METADATA_FIELDS

    labels = {f.name: f.label + (" (wajib diisi sebelum diajukan)" if f.required else "") + "."
              for f in METADATA_FIELDS}
    extra = {"topics": " Daftar slug topik.", "tags": " Daftar kata kunci (atau satu teks dipisah koma).",
             "licence_id": " ID lisensi, misalnya cc-by-4.0.", "kode_wilayah": " Kode Kemendagri, misalnya 14.07.",
             "release_date": " TTTT-BB-HH.", "title": " 5–300 karakter."}
    for name in METADATA_INPUTS:
        props = document["components"]["schemas"][name].get("properties", {})
        for field_name, prop in props.items():
            if field_name in labels:
                prop.setdefault("description", labels[field_name] + extra.get(field_name, ""))


def _finish_component_schemas(document: dict[str, Any], inputs: Mapping[str, str]) -> None:
    """Our response serializers always emit every declared field (``null`` when empty), so
    every property of a response schema is listed as required: clients can rely on the keys.
    New fields may be added in version 1, so responses do not forbid additional properties.
    Request bodies (``inputs``) keep their own required fields and get a description."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name in inputs:
            schema.setdefault("description", inputs[name])
            continue
        if schema.get("additionalProperties") is False:
            del schema["additionalProperties"]
        props = schema.get("properties")
        if props:
            schema["required"] = list(props)


# --------------------------------------------------------------------------- the docs page


@dataclass
class FieldDoc:
    name: str
    type: str
    description: str
    ref: str | None = None  # anchor of a component schema the type refers to
    required: bool = False
    default: str | None = None
    location: str | None = None


@dataclass
class EndpointDoc:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    tag: str
    parameters: list[FieldDoc]
    status: str
    token: str | None
    body_ref: str | None
    body_fields: list[FieldDoc]
    response_description: str
    response_fields: list[FieldDoc]
    response_ref: str | None
    data_ref: str | None  # the component inside ``data``, shown field by field too
    data_fields: list[FieldDoc]
    errors: list[tuple[str, str]]
    curl: str


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[FieldDoc]


def schema_anchor(name: str) -> str:
    return "skema-" + name.lower()


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            name = _ref_name(sub)
            if name:
                return name
    return None


def type_label(schema: Mapping[str, Any]) -> tuple[str, str | None]:
    """A short human label for a JSON schema (``string``, ``array<Topic>``, ``integer | null``)
    and the component it refers to, if any."""
    if "anyOf" in schema:
        subs = [x for x in schema["anyOf"] if x.get("type") != "null"]
        sub_label, sub_ref = type_label(subs[0]) if subs else ("null", None)
        return (f"{sub_label} | null" if len(subs) < len(schema["anyOf"]) else sub_label), sub_ref
    if "$ref" in schema:
        name = _ref_name(schema)
        return str(name), name
    types = schema.get("type")
    type_list = types if isinstance(types, list) else [types] if types else []
    nullable = "null" in type_list
    main = [t for t in type_list if t != "null"]
    ref: str | None = None
    if main == ["array"]:
        item_label, ref = type_label(schema.get("items", {}))
        label = f"array<{item_label}>"
    elif main == ["object"] and isinstance(schema.get("additionalProperties"), dict):
        value_label, ref = type_label(schema["additionalProperties"])
        label = f"object<string, {value_label}>"
    elif main:
        label = " | ".join(main)
        if schema.get("format"):
            label += f" ({schema['format']})"
    elif "enum" in schema:  # apispec writes enums without a type
        label = "string"
    else:
        label = "any"
    if "enum" in schema:
        nullable = nullable or None in schema["enum"]
        label += ": " + ", ".join(str(v) for v in schema["enum"] if v is not None)
    return (f"{label} | null" if nullable else label), ref


def _fields_of(schema: Mapping[str, Any]) -> list[FieldDoc]:
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        label, ref = type_label(prop)
        out.append(FieldDoc(name=name, type=label, description=str(prop.get("description", "")), ref=ref,
                            required=name in required))
    return out


def _curl(base_url: str, op: Operation, samples: Mapping[str, str]) -> str:
    """A curl command for ``op`` that works as it is for public reads."""
    path = op.full_path
    for p in op.path_params:
        path = path.replace("{" + p.name + "}", quote(samples.get(p.name + ":" + op.tag, p.example), safe=""))
    url = base_url.rstrip("/") + path
    if op.example_query and op.example_runs:
        url += "?" + urlencode(op.example_query)
    elif op.example_query:  # placeholders such as <kode-pelacakan>, shown as they are
        url += "?" + "&".join(f"{key}={value}" for key, value in op.example_query.items())
    parts = ["curl -s"]
    if op.method != "get":
        parts.append(f"-X {op.method.upper()}")
    parts.append(f"'{url}'")
    lines = [" ".join(parts)]
    if op.token:
        lines.append("-H 'Authorization: Bearer <token>'")
    if op.body is not None and op.body.media_type == "multipart/form-data":
        lines.extend(f"-F '{key}={value}'" for key, value in op.body.example.items())
    elif op.body is not None:
        lines.append("-H 'Content-Type: application/json'")
        lines.append(f"-d '{json.dumps(op.body.example, ensure_ascii=False)}'")
    return " \\\n  ".join(lines)


def docs_context(app: Flask, document: Mapping[str, Any], base_url: str,
                 samples: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything ``templates/api/docs.html`` shows, taken from the OpenAPI ``document``.

    ``samples`` maps ``"<param>:<tag>"`` to a real value (a published dataset's slug, ...) so
    the curl examples work as they are.
    """
    samples = samples or {}
    all_operations = operations(app)
    components = document.get("components", {})
    schemas: dict[str, Any] = components.get("schemas", {})
    responses: dict[str, Any] = components.get("responses", {})
    by_id = {op.operation_id: op for op in all_operations}
    endpoints: list[EndpointDoc] = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            op = by_id[operation["operationId"]]
            params = []
            for p in operation.get("parameters", []):
                label, ref = type_label(p.get("schema", {}))
                default = p.get("schema", {}).get("default")
                params.append(FieldDoc(name=p["name"], type=label, description=str(p.get("description", "")),
                                       ref=ref, required=bool(p.get("required")), location=p["in"],
                                       default=None if default is None else str(default)))
            ok = operation["responses"][op.status]
            body = ok["content"]["application/json"]["schema"]
            # The first body the operation takes (an upload's form; its JSON alternative is described
            # in the operation's text).
            request_schema: dict[str, Any] = next(iter(operation.get("requestBody", {}).get("content", {}).values()), {})
            body_ref = _ref_name(request_schema.get("schema", {}))
            body_fields = _fields_of(schemas[body_ref]) if body_ref in schemas else []
            ref_name = _ref_name(body)
            fields_ = _fields_of(schemas[ref_name]) if ref_name else []
            data_ref = next((f.ref for f in fields_ if f.name == "data"), None)
            data_fields = _fields_of(schemas[data_ref]) if data_ref in schemas else []
            errors = []
            for status, resp in operation["responses"].items():
                if status == op.status:
                    continue
                name = _ref_name(resp) or ""
                errors.append((status, str(responses.get(name, {}).get("description", ""))))
            endpoints.append(EndpointDoc(
                anchor=operation["operationId"], method=method.upper(), path=path, summary=operation["summary"],
                description=operation["description"], tag=operation["tags"][0], parameters=params,
                status=op.status, token=op.token, body_ref=body_ref, body_fields=body_fields,
                response_description=ok["description"], response_fields=fields_, response_ref=ref_name,
                data_ref=data_ref, data_fields=data_fields, errors=errors, curl=_curl(base_url, op, samples)))
    order = {op.operation_id: i for i, op in enumerate(all_operations)}
    endpoints.sort(key=lambda e: order[e.anchor])
    groups: dict[str, list[EndpointDoc]] = {}
    for endpoint in endpoints:
        groups.setdefault(endpoint.tag, []).append(endpoint)
    schema_docs = [SchemaDoc(name=name, anchor=schema_anchor(name), description=str(sch.get("description", "")),
                             fields=_fields_of(sch)) for name, sch in sorted(schemas.items())]
    return {
        "endpoints": endpoints,
        "groups": list(groups.items()),
        "schemas": schema_docs,
        "base_url": base_url.rstrip("/") + API_PREFIX,
        "openapi_url": base_url.rstrip("/") + API_PREFIX + "/openapi.json",
        "security": components.get("securitySchemes", {}),
        "info": document.get("info", {}),
    }
