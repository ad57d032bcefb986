"""The ``dcat`` harvester: another catalogue's DCAT feed as JSON-LD, Turtle or RDF/XML (DCAT-AP and
its national profiles, Project Open Data's ``data.json``, ckanext-dcat's ``/catalog.ttl`` and this
portal's own ``/catalog.jsonld|.ttl|.rdf``), read with rdflib.

**Gather** parses the source URL (the format is the config's, else the Content-Type's, else the
URL extension's, else whichever parser accepts the text) and yields one item per ``dcat:Dataset``
on it: a catalogue page or a single-dataset document alike; an untyped node a catalogue lists with
``dcat:dataset`` counts, a ``dcat:DatasetSeries`` does not. Then it follows Hydra paging,
``hydra:nextPage`` (``PagedCollection``, what ckanext-dcat and this portal write) or ``hydra:next``
(a ``PartialCollectionView``), a page at a time, each page's graph dropped before the next is read,
until there is no next page or it was read already. More than ``max_pages`` pages is an error
raised after the pages read were yielded: a listing cut short must not look complete, or the runner
would withdraw the datasets of the unread pages. An id seen before is not yielded again; ``since``
is not used (DCAT has no such filter; an unchanged record costs nothing).

**The record** is the dataset's description in the graph as plain JSON: ``{"remote_id", "uri",
"properties": {predicate URI: [values]}}``, a value being ``{"value", "lang"?, "datatype"?}``,
``{"uri", "properties"?}`` (described when the page says something of it) or ``{"properties"}`` (a
blank node). Sorted, without blank-node labels: the same content gives the same record and hash on
every run. Other datasets and catalogues are named, not described. The remote id is
``dct:identifier``, else the URI, else a digest of the record; without a publisher of its own, a
dataset carries its catalogue's (``catalog_publisher``).

**Map**: text takes Indonesian (``id``), then English, then untagged, then any language; the title's,
description's and keywords' other languages go to the extras (``dct:title@ca``). The name is the
identifier when that is a readable slug, else the title's slug. The organisation is the publisher,
named by the last segment of its http(s) URI (the source's own key) else by its ``foaf:name``'s
slug; the runner maps that ``name`` through ``organization_map``, so when the map names the publisher
by its URI or ``foaf:name`` instead, that key is the ``name``. The licence is the dataset's, else the
one most distributions carry, with the licence document's ``dct:identifier`` as id when it has one;
the contact is ``dcat:contactPoint``, else the publisher's ``foaf:mbox``; the frequency is the
``dct:accrualPeriodicity`` URI's last segment (``ANNUAL``); topics are ``dcat:theme`` (the URI's
last segment, ``skos:prefLabel``); year and period come from ``dct:temporal``. Each distribution
with a URL is a resource (``downloadURL`` before ``accessURL``; its format a short label from an EU
file-type or IANA URI, a ``dct:IMT`` or text); what else it says has no field and is dropped. Every other
property of the dataset, what a partly mapped one says beyond what we took (a publisher's e-mail, the
region code in ``dct:spatial``, a period's exact dates) and a date that is not ISO 8601 go to the
extras as text, keyed ``prefix:term`` (the full URI for an unknown vocabulary).

**Defects tolerated.** Turtle using a prefix it never declared (one of ckanext-dcat's own examples
does) is read with the prefix bound to its usual namespace, or to a ``urn:x-undeclared-prefix:``
placeholder, and the extras say so. A remote JSON-LD ``@context`` is fetched through the guarded
session (rdflib would open it itself, past every check). Anything else that does not parse, HTML,
an empty answer or a first page without datasets is a :class:`HarvestError`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import unquote, urljoin, urlsplit

from marshmallow import EXCLUDE, Schema, fields, validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD
from slugify import slugify

from harvesters.base import Gathered, HarvestContext, HarvestError, RemoteDataset, RemoteResource, content_hash
from harvesters.http import Fetched, FetchError

HYDRA = "http://www.w3.org/ns/hydra/core#"
FORMATS = {"json-ld": "JSON-LD", "turtle": "Turtle", "xml": "RDF/XML"}
ACCEPT = {"auto": "application/ld+json, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/json;q=0.5, "
                  "*/*;q=0.1",
          "json-ld": "application/ld+json, application/json;q=0.9, */*;q=0.1",
          "turtle": "text/turtle, application/x-turtle;q=0.9, */*;q=0.1",
          "xml": "application/rdf+xml, application/xml;q=0.9, */*;q=0.1"}
CONTENT_TYPES = {"application/ld+json": "json-ld", "application/json": "json-ld", "text/turtle": "turtle",
                 "application/x-turtle": "turtle", "text/n3": "turtle", "application/n-triples": "turtle",
                 "application/rdf+xml": "xml", "application/xml": "xml", "text/xml": "xml"}
EXTENSIONS = {".jsonld": "json-ld", ".json": "json-ld", ".ttl": "turtle", ".n3": "turtle", ".nt": "turtle",
              ".rdf": "xml", ".xml": "xml", ".owl": "xml"}

# The extras' key prefixes, and what an undeclared Turtle prefix most likely meant.
PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "dc": "http://purl.org/dc/elements/1.1/",
    "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "http://schema.org/", "locn": "http://www.w3.org/ns/locn#", "spdx": "http://spdx.org/rdf/terms#",
    "dcatap": "http://data.europa.eu/r5r/", "dqv": "http://www.w3.org/ns/dqv#", "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#", "hydra": HYDRA, "cnt": "http://www.w3.org/2011/content#",
    "oa": "http://www.w3.org/ns/oa#", "dcatde": "http://dcat-ap.de/def/dcatde/",
}
UNDECLARED = "urn:x-undeclared-prefix:"
DCT, DCAT_NS, FOAF, VCARD, SKOS, RDFS = (PREFIXES[p] for p in ("dct", "dcat", "foaf", "vcard", "skos", "rdfs"))
RDF_TYPE, RDF_VALUE = str(RDF.type), str(RDF.value)

# Each term under every name sources give it: Project Open Data's context writes ``dcterms/#license``
# and ``dcat#identifier``; it and Sweden's catalogue use ``adms:contactPoint``.
IDENTIFIER = (DCT + "identifier", DCAT_NS + "identifier")
TITLE, DESCRIPTION = (DCT + "title",), (DCT + "description",)
LANDING_PAGE, PUBLISHER, THEME = (DCAT_NS + "landingPage",), (DCT + "publisher",), (DCAT_NS + "theme",)
KEYWORD, LICENSE = (DCAT_NS + "keyword",), (DCT + "license", "http://purl.org/dc/terms/#license")
ISSUED, MODIFIED, FREQUENCY = (DCT + "issued",), (DCT + "modified",), (DCT + "accrualPeriodicity",)
SPATIAL, TEMPORAL = (DCT + "spatial",), (DCT + "temporal",)
CONTACT, DISTRIBUTION = (DCAT_NS + "contactPoint", PREFIXES["adms"] + "contactPoint"), (DCAT_NS + "distribution",)
LABELS = (SKOS + "prefLabel", FOAF + "name", VCARD + "fn", VCARD + "organization-name", VCARD + "organisationName",
          RDFS + "label", DCT + "title", PREFIXES["locn"] + "geographicName")
NAMES = (FOAF + "name", SKOS + "prefLabel", VCARD + "fn", VCARD + "organization-name", RDFS + "label", DCT + "title")
EMAILS = (VCARD + "hasEmail", VCARD + "email")
LICENCE_NAMES = (DCT + "title", RDFS + "label", SKOS + "prefLabel", FOAF + "name")
START = (DCAT_NS + "startDate", PREFIXES["schema"] + "startDate")
END = (DCAT_NS + "endDate", PREFIXES["schema"] + "endDate")
MAPPED = frozenset({RDF_TYPE, *IDENTIFIER, *TITLE, *DESCRIPTION, *LANDING_PAGE, *PUBLISHER, *THEME, *KEYWORD,
                    *LICENSE, *ISSUED, *MODIFIED, *FREQUENCY, *SPATIAL, *TEMPORAL, *CONTACT, *DISTRIBUTION})
# Nodes a record names but does not describe: each is a record, or a listing, of its own.
NOT_DESCRIBED = frozenset({DCAT_NS + "Dataset", DCAT_NS + "Catalog", DCAT_NS + "DatasetSeries",
                           DCAT_NS + "CatalogRecord", HYDRA + "PagedCollection", HYDRA + "PartialCollectionView",
                           HYDRA + "Collection"})
MAX_DEPTH, MAX_VALUES, MAX_UNDECLARED, MAX_CONTEXTS = 6, 20_000, 20, 10

EU_FILE_TYPE = re.compile(r"^https?://publications\.europa\.eu/resource/authority/file-type/([^/#?]+)$")
IANA = re.compile(r"^https?://(?:www\.)?iana\.org/assignments/media-types/(.+)$")
MEDIA = re.compile(r"^[a-z0-9][\w.+-]*/[\w.+-]+$")
# Media types whose short label is not simply their subtype (text/csv is CSV, application/pdf PDF).
MEDIA_LABELS = {
    "text/plain": "TXT", "text/tab-separated-values": "TSV", "application/xhtml+xml": "HTML",
    "application/geo+json": "GEOJSON", "application/vnd.geo+json": "GEOJSON", "application/ld+json": "JSON-LD",
    "text/turtle": "TTL", "application/x-zip-compressed": "ZIP", "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS", "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.google-earth.kml+xml": "KML", "application/vnd.google-earth.kmz": "KMZ",
    "application/sparql-query": "SPARQL", "application/vnd.apache.parquet": "PARQUET",
}
FILE_EXTENSIONS = {"csv", "tsv", "xlsx", "xls", "ods", "json", "geojson", "xml", "rdf", "ttl", "pdf", "zip", "kml",
                   "kmz", "gml", "shp", "parquet", "txt", "docx", "doc"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
READABLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
YEAR = re.compile(r"^\s*(\d{4})(?!\d)")
UNBOUND = re.compile(r'Prefix "([A-Za-z][\w.-]*)?:" not bound')


class DcatConfig(Schema):
    """What a walidata may set on a DCAT source."""

    class Meta:
        unknown = EXCLUDE

    format = fields.String(load_default="auto", validate=validate.OneOf(("auto", *FORMATS)),
                           metadata={"description": "auto: menurut Content-Type, lalu ekstensi alamat, lalu dicoba."})
    max_pages = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=100_000),
                               metadata={"description": "Paling banyak halaman katalog (Hydra) yang dibaca."})
    organization_map = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict,
                                   metadata={"description": "Penerbit di sumber (nama atau URI) → organisasi di "
                                                            "portal ini."})
    default_topics = fields.List(fields.String(), load_default=list)
    default_tags = fields.List(fields.String(), load_default=list)


class DcatHarvester:
    """See the module docstring."""

    name: ClassVar[str] = "dcat"
    title: ClassVar[str] = "Katalog DCAT (JSON-LD, Turtle, RDF/XML)"
    config_schema: ClassVar[type[Schema]] = DcatConfig

    # ------------------------------------------------------------------ gather

    def gather(self, ctx: HarvestContext) -> Iterator[Gathered]:
        max_pages = int(ctx.config.get("max_pages") or 1000)
        seen: set[str] = set()
        read: set[str] = set()
        url: str | None = ctx.url
        number = 0
        while url is not None:
            number += 1
            if number > max_pages:
                raise HarvestError(f"Katalog {ctx.url} memiliki lebih dari {max_pages} halaman (batas max_pages). "
                                   f"Dataset mulai halaman {url} belum dipanen: naikkan max_pages di pengaturan "
                                   "sumber, lalu panen lagi.")
            graph, final, notes = self._page(ctx, url, number)
            read |= {url, final}
            datasets = _datasets(graph)
            if not datasets and number == 1:
                raise HarvestError(f"Katalog di {final} tidak berisi satu pun dataset DCAT (dcat:Dataset). Periksa "
                                   "alamat sumber: harus katalog DCAT (misalnya https://data.contoh.go.id/catalog.ttl) "
                                   "atau satu dataset DCAT.")
            following = _next_page(graph, final, {url, final})
            records = sorted((_record(graph, node, member, notes) for node, member in datasets),
                             key=lambda r: str(r["remote_id"]))
            del graph  # dropped before the next page is read
            for record in records:
                if record["remote_id"] not in seen:
                    seen.add(record["remote_id"])
                    yield Gathered(remote_id=record["remote_id"], modified=_modified(record), record=record)
            url = following if following is not None and following not in read else None

    def _page(self, ctx: HarvestContext, url: str, number: int) -> tuple[Graph, str, list[str]]:
        """One page parsed: its graph, its final URL, and what was repaired to read it."""
        chosen = str(ctx.config.get("format") or "auto")
        where = f"Halaman ke-{number} katalog ({url}): " if number > 1 else ""
        try:
            fetched = ctx.http.get(url, accept=ACCEPT.get(chosen, ACCEPT["auto"]))
        except FetchError as exc:
            raise HarvestError(where + exc.message) from exc
        content_type = fetched.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        head = fetched.content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")) or (chosen == "auto" and "html" in content_type):
            raise HarvestError(f"{where}Sumber {fetched.url} mengirim HTML, bukan RDF (DCAT): biasanya halaman login, "
                               "halaman pemeliharaan, atau alamat yang salah. Periksa alamat katalog DCAT sumber, "
                               "misalnya https://data.contoh.go.id/catalog.ttl.")
        text = fetched.text().lstrip("\ufeff")
        if not text.strip():
            raise HarvestError(f"{where}Sumber {fetched.url} mengirim jawaban kosong, bukan katalog DCAT. Periksa "
                               "alamat katalog sumber atau coba lagi nanti.")
        kinds = [chosen]
        if chosen == "auto":
            path = urlsplit(fetched.url).path.lower()
            first = text.lstrip()[:1]
            sniffed = "json-ld" if first in ("{", "[") else "xml" if first == "<" else "turtle"
            guesses = (CONTENT_TYPES.get(content_type), next((k for e, k in EXTENSIONS.items() if path.endswith(e)),
                                                             None), sniffed, *FORMATS)
            kinds = list(dict.fromkeys(k for k in guesses if k))
        failures: list[tuple[str, Exception]] = []
        for kind in kinds:
            try:
                graph, notes = self._parse(ctx, fetched, text, kind)
            except HarvestError:
                raise
            except Exception as exc:  # rdflib raises many kinds; none may reach the runner
                failures.append((kind, exc))
                continue
            if not len(graph):
                hint = " (JSON tanpa @context bukan JSON-LD)" if kind == "json-ld" else ""
                raise HarvestError(f"{where}Isi {fetched.url} ({FORMATS[kind]}) tidak berisi satu pun pernyataan "
                                   f"RDF{hint}. Periksa alamat katalog DCAT sumber.")
            return graph, fetched.url, notes
        kind, failed = failures[0]
        if len(kinds) == 1:
            raise HarvestError(f"{where}{FORMATS[kind]} dari {fetched.url} rusak{_where(failed)} ({_why(failed)}). "
                               "Minta pengelola sumber memperbaikinya, lalu panen lagi.")
        raise HarvestError(f"{where}Isi {fetched.url} tidak dapat dibaca sebagai JSON-LD, Turtle, maupun RDF/XML "
                           f"(sebagai {FORMATS[kind]}: rusak{_where(failed)}, {_why(failed)}). Periksa alamat katalog "
                           "DCAT sumber; bila formatnya memang salah satu itu, minta pengelola sumber memperbaikinya.")

    def _parse(self, ctx: HarvestContext, fetched: Fetched, text: str, kind: str) -> tuple[Graph, list[str]]:
        graph = Graph()
        if kind == "turtle":
            return _parse_turtle(text, fetched.url)
        if kind == "xml":  # the bytes: the XML declaration names their encoding
            graph.parse(data=fetched.content, format="xml", publicID=fetched.url)
        else:
            data = _Contexts(ctx, fetched.url).inline(json.loads(text))
            graph.parse(data=json.dumps(data), format="json-ld", publicID=fetched.url, base=fetched.url)
        return graph, []

    # ------------------------------------------------------------------ fetch

    def fetch(self, ctx: HarvestContext, item: Gathered) -> dict[str, Any]:
        if item.record is None:
            raise HarvestError("Rekaman dataset DCAT tidak terbawa dari halaman katalog.", remote_id=item.remote_id)
        return item.record

    # ------------------------------------------------------------------ map

    def map(self, ctx: HarvestContext, raw: dict[str, Any]) -> RemoteDataset:
        raw = raw if isinstance(raw, dict) else {}
        props = raw.get("properties")
        node = _Node(props if isinstance(props, dict) else {}, raw.get("uri"))
        remote_id = str(raw.get("remote_id") or node.text(IDENTIFIER) or node.uri or "")
        if not isinstance(props, dict) or (DCAT_NS + "Dataset" not in node.uris((RDF_TYPE,))
                                           and raw.get("catalog_member") is not True):
            raise HarvestError(f"Rekaman {remote_id or '(tanpa id)'} bukan dataset DCAT (dcat:Dataset).",
                               remote_id=remote_id or None)
        extras: dict[str, str] = {}
        title = _translated(node, TITLE, "dct:title", extras) or node.label()
        if not remote_id or not title:
            raise HarvestError(f"Dataset DCAT {remote_id or '(tanpa id)'} tidak berjudul (dct:title) atau tidak "
                               "beridentitas. Minta pengelola sumber melengkapinya.", remote_id=remote_id or None)
        description = _translated(node, DESCRIPTION, "dct:description", extras) or ""
        tags, tag_others = _keywords(node.values(KEYWORD))
        for lang, words in tag_others.items():
            extras[f"dcat:keyword@{lang}"] = _as_text(words)
        tags += [t for t in ctx.config.get("default_tags") or [] if t not in tags]
        identifiers = node.values(IDENTIFIER)
        if len(identifiers) > 1 or (identifiers and _value_text(identifiers[0]) != remote_id):
            extras["dct:identifier"] = _as_text([_plain(v) for v in identifiers])
        landing = sorted(t for t in (_value_text(v) for v in node.values(LANDING_PAGE)) if t)
        if len(landing) > 1:
            extras["dcat:landingPage"] = _as_text(landing)
        topics = _topics(node.values(THEME))
        topics += [{"name": t, "title": t} for t in ctx.config.get("default_topics") or []
                   if t not in {x["name"] for x in topics}]
        publishers = node.values(PUBLISHER) or [v for v in raw.get("catalog_publisher") or [] if isinstance(v, dict)]
        distributions = [_Node(v.get("properties") or {}, v.get("uri")) for v in node.values(DISTRIBUTION)]
        mapped = [(d, _resource(d)) for d in distributions]
        resources = sorted((r for _, r in mapped if r), key=lambda r: (r.remote_id or "", r.url, r.name))
        without_url = [d.plain() for d, r in mapped if r is None]
        if without_url:
            extras["dcat:distribution"] = _as_text(without_url)  # nothing to link to, kept as text
        dataset = RemoteDataset(
            remote_id=remote_id, name=_name(node.text(IDENTIFIER) or "", title, remote_id), title=title,
            description=description,
            remote_url=landing[0] if landing else (node.uri if node.uri and _is_http(node.uri) else None),
            organization=_organization(ctx, publishers, extras), topics=topics, tags=tags,
            licence=_licence(node, distributions, extras), created=_date(node, ISSUED, "dct:issued", extras),
            modified=_date(node, MODIFIED, "dct:modified", extras), frequency=_frequency(node.values(FREQUENCY)),
            coverage=_coverage(node.values(SPATIAL), extras), contact=_contact(node, publishers, extras),
            resources=resources, extras=extras)
        dataset.year, dataset.period = _temporal(node.values(TEMPORAL), extras)
        for key, values in node.props.items():
            if key not in MAPPED:
                chosen, others = _split_languages(values)
                extras[_compact(key)] = _as_text([_plain(v) for v in chosen])
                for lang, translated in others.items():
                    extras[f"{_compact(key)}@{lang}"] = _as_text([_plain(v) for v in translated])
        if raw.get("notes"):
            extras["catatan_panen"] = " ".join(str(n) for n in raw["notes"])
        return dataset


# ---------------------------------------------------------------------- reading a page


def _why(exc: Exception) -> str:
    """A parser's complaint on one short line."""
    text = str(exc).strip() or type(exc).__name__
    match = re.search(r"Bad syntax \((.*?)\) at \^", text, re.DOTALL)
    text = " ".join((match.group(1) if match else text).split())
    return text[:200] + ("..." if len(text) > 200 else "")


def _where(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f" pada baris {exc.lineno}, kolom {exc.colno}"
    getter = getattr(exc, "getLineNumber", None)  # xml.sax's SAXParseException
    lines = getattr(exc, "lines", None)  # rdflib's Turtle BadSyntax, counted from 0
    line = getter() if callable(getter) else lines + 1 if isinstance(lines, int) else None
    return f" pada baris {line}" if isinstance(line, int) and line > 0 else ""


def _parse_turtle(text: str, base: str) -> tuple[Graph, list[str]]:
    """Turtle; a prefix the file forgot to declare is read as its usual namespace, or a placeholder."""
    declared: list[str] = []
    while True:
        graph = Graph()
        try:
            graph.parse(data=text, format="turtle", publicID=base)
            break
        except SyntaxError as exc:
            match = UNBOUND.search(str(exc))
            prefix = (match.group(1) or "") if match else None
            if prefix is None or prefix in declared or len(declared) >= MAX_UNDECLARED:
                if declared and isinstance(getattr(exc, "lines", None), int):
                    exc.lines -= len(declared)  # type: ignore[attr-defined]  # the lines we added
                raise
            declared.append(prefix)
            text = f"@prefix {prefix}: <{PREFIXES.get(prefix) or UNDECLARED + prefix + ':'}> .\n" + text
    if not declared:
        return graph, []
    shown = ", ".join(f"{p}: → {PREFIXES.get(p) or UNDECLARED + p + ':'}" for p in declared)
    return graph, [f"Turtle sumber memakai awalan (prefix) yang tidak dideklarasikan ({shown}); dibaca dengan "
                   "namespace tersebut. Minta pengelola sumber menambahkan deklarasi @prefix-nya."]


def _datasets(graph: Graph) -> list[tuple[URIRef | BNode, bool]]:
    """The page's datasets, typed ``dcat:Dataset`` or untyped nodes a catalogue lists (True)."""
    found: dict[URIRef | BNode, bool] = {}
    for node in graph.subjects(RDF.type, DCAT.Dataset):
        if isinstance(node, URIRef | BNode):
            found[node] = False
    for node in graph.objects(None, DCAT.dataset):
        if isinstance(node, URIRef | BNode) and node not in found and (node, None, None) in graph \
                and (node, RDF.type, None) not in graph:
            found[node] = True
    return list(found.items())


class _Describer:
    """Nodes of a page as plain JSON (see the module docstring), within a budget of values per
    record: nodes that point at each other in many ways cannot make a record explode."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.left = MAX_VALUES

    def describe(self, node: URIRef | BNode, path: frozenset[Any], depth: int) -> dict[str, list[Any]]:
        props: dict[str, list[Any]] = {}
        for predicate, obj in self.graph.predicate_objects(node):
            props.setdefault(str(predicate), []).append(self.value(obj, path | {node}, depth + 1))
        return {key: sorted(values, key=_sort_key) for key, values in sorted(props.items())}

    def value(self, obj: Any, path: frozenset[Any], depth: int) -> dict[str, Any]:
        self.left -= 1
        if isinstance(obj, Literal):
            out: dict[str, Any] = {"value": str(obj)}
            if obj.language:
                out["lang"] = obj.language.lower()
            elif obj.datatype is not None and obj.datatype != XSD.string:
                out["datatype"] = str(obj.datatype)
            return out
        further = obj not in path and depth <= MAX_DEPTH and self.left > 0
        if isinstance(obj, BNode):
            return {"properties": self.describe(obj, path, depth) if further else {}}
        out = {"uri": str(obj)}
        if further and (obj, None, None) in self.graph \
                and not any(str(t) in NOT_DESCRIBED for t in self.graph.objects(obj, RDF.type)):
            out["properties"] = self.describe(obj, path, depth)
        return out


def _record(graph: Graph, node: URIRef | BNode, member: bool, notes: list[str]) -> dict[str, Any]:
    describer = _Describer(graph)
    record: dict[str, Any] = {"uri": str(node) if isinstance(node, URIRef) else None,
                              "properties": describer.describe(node, frozenset(), 0)}
    if (node, DCTERMS.publisher, None) not in graph:
        publishers = [describer.value(p, frozenset({node}), 1) for catalog in graph.subjects(DCAT.dataset, node)
                      for p in graph.objects(catalog, DCTERMS.publisher)]
        if publishers:
            record["catalog_publisher"] = sorted(publishers, key=_sort_key)
    if member:
        record["catalog_member"] = True
    if notes:
        record["notes"] = list(notes)
    identifier = _Node(record["properties"]).text(IDENTIFIER)
    record["remote_id"] = identifier or record["uri"] or "_:" + content_hash(record)[:32]
    return record


def _modified(record: dict[str, Any]) -> str | None:
    return _date(_Node(record["properties"]), MODIFIED, "", {})


def _next_page(graph: Graph, base: str, here: set[str]) -> str | None:
    """Hydra's next page, preferring the one said of the page itself."""
    found: list[tuple[int, str]] = []
    for term in ("nextPage", "next"):
        for subject, obj in graph.subject_objects(URIRef(HYDRA + term)):
            target = urljoin(base, str(obj).strip()) if isinstance(obj, URIRef | Literal) else ""
            if str(obj).strip() and _is_http(target):
                found.append((0 if str(subject) in here else 1, target))
    return min(found)[1] if found else None


class _Contexts:
    """Replaces each remote ``@context`` (and ``@import``) of a JSON-LD document by its content,
    fetched through the guarded session, so rdflib never opens a URL itself."""

    def __init__(self, ctx: HarvestContext, base: str) -> None:
        self.ctx = ctx
        self.base = base
        self.cache: dict[str, Any] = {}

    def inline(self, data: Any, base: str | None = None, depth: int = 0) -> Any:
        base = base or self.base
        if isinstance(data, list):
            return [self.inline(item, base, depth) for item in data]
        if not isinstance(data, dict):
            return data
        return {key: self._context(value, base, depth) if key == "@context" else self.inline(value, base, depth)
                for key, value in data.items()}

    def _context(self, value: Any, base: str, depth: int) -> Any:
        if isinstance(value, str):
            url = urljoin(base, value)
            return self._context(self._fetch(url, depth), url, depth + 1)
        if isinstance(value, list):
            return [self._context(item, base, depth) for item in value]
        if not isinstance(value, dict):
            return value
        out = {key: self.inline(item, base, depth) for key, item in value.items() if key != "@import"}
        if isinstance(value.get("@import"), str):
            url = urljoin(base, value["@import"])
            imported = self._context(self._fetch(url, depth), url, depth + 1)
            if not isinstance(imported, dict):
                raise HarvestError(f"Konteks JSON-LD {url} (dari @import) bukan objek. Minta pengelola sumber "
                                   "memperbaikinya.")
            out = {**imported, **out}
        return out

    def _fetch(self, url: str, depth: int) -> Any:
        if url not in self.cache:
            if depth >= 4 or len(self.cache) >= MAX_CONTEXTS:
                raise HarvestError(f"JSON-LD dari {self.base} memuat terlalu banyak konteks jarak jauh (@context) "
                                   f"berantai (terakhir {url}). Minta pengelola sumber menyederhanakannya.")
            try:
                document = self.ctx.http.get_json(url)
            except FetchError as exc:
                raise HarvestError(f"Konteks JSON-LD {url} yang dipakai {self.base} tidak dapat diambil. "
                                   f"{exc.message}") from exc
            if not isinstance(document, dict) or "@context" not in document:
                raise HarvestError(f"Konteks JSON-LD {url} yang dipakai {self.base} tidak berisi @context. Minta "
                                   "pengelola sumber memperbaikinya.")
            self.cache[url] = document["@context"]
        return self.cache[url]


# ---------------------------------------------------------------------- reading a record


class _Node:
    """A described node of a record: its properties by predicate URI."""

    def __init__(self, props: dict[str, Any], uri: Any = None) -> None:
        self.props = props if isinstance(props, dict) else {}
        self.uri = uri if isinstance(uri, str) else None

    def values(self, preds: tuple[str, ...]) -> list[dict[str, Any]]:
        return [v for pred in preds for v in self.props.get(pred) or [] if isinstance(v, dict)]

    def uris(self, preds: tuple[str, ...]) -> set[str]:
        return {str(v["uri"]) for v in self.values(preds) if v.get("uri")}

    def text(self, preds: tuple[str, ...]) -> str | None:
        """The best text among the values of the first of ``preds`` that has one."""
        return next((t for t in (_best_text(_split_languages(self.values((p,)))[0]) for p in preds) if t), None)

    def label(self) -> str | None:
        return self.text(LABELS)

    def has_more_than(self, preds: set[str] | frozenset[str]) -> bool:
        return any(key not in preds for key in self.props)

    def plain(self) -> Any:
        return _plain({"uri": self.uri, "properties": self.props} if self.uri else {"properties": self.props})


def _slug(text: str) -> str:
    return str(slugify(text, max_length=100, word_boundary=True))


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _is_http(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _value_text(value: dict[str, Any]) -> str | None:
    """A literal's text or a resource's URI."""
    text = str(value.get("value") if "value" in value else value.get("uri") or "").strip()
    return text or None


def _lang_rank(lang: str | None) -> int:
    primary = (lang or "").split("-", 1)[0]
    return 2 if lang is None else 0 if primary in ("id", "in") else 1 if primary == "en" else 3


def _split_languages(values: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The values in the preferred language (with untagged ones and resources) and, by tag, the rest."""
    langs = {str(v["lang"]) for v in values if v.get("lang")}
    if len(langs) <= 1:
        return values, {}
    best = min(langs, key=lambda lang: (_lang_rank(lang), lang))
    others: dict[str, list[dict[str, Any]]] = {}
    for v in values:
        if v.get("lang") and v["lang"] != best:
            others.setdefault(str(v["lang"]), []).append(v)
    return [v for v in values if v.get("lang") in (None, best)], dict(sorted(others.items()))


def _best_text(values: list[dict[str, Any]]) -> str | None:
    literals = [v for v in values if "value" in v and str(v["value"]).strip()]
    if literals:
        return str(min(literals, key=lambda v: (_lang_rank(v.get("lang")), v.get("lang") or "", v["value"]))["value"]
                   ).strip()
    for v in sorted(values, key=_sort_key):
        found = _Node(v.get("properties") or {}).label() or v.get("uri")
        if found:
            return str(found)
    return None


def _translated(node: _Node, preds: tuple[str, ...], key: str, extras: dict[str, str]) -> str | None:
    """The best text of a language-tagged property; the other languages go to the extras."""
    chosen, others = _split_languages(node.values(preds))
    for lang, values in others.items():
        extras[f"{key}@{lang}"] = _as_text([_plain(v) for v in values])
    return _best_text(chosen)


def _compact(uri: str) -> str:
    if uri.startswith("http://purl.org/dc/terms/#"):  # Project Open Data's context
        return "dct:" + uri.rsplit("#", 1)[1]
    return next((f"{p}:{uri[len(ns):]}" for p, ns in PREFIXES.items() if uri.startswith(ns) and len(uri) > len(ns)),
                uri)


def _plain(value: dict[str, Any]) -> Any:
    """A value as plain JSON for the extras: its text, or a small object of its properties."""
    if "value" in value:
        return str(value["value"])
    uri, node = value.get("uri"), _Node(value.get("properties") or {})
    if uri and not node.has_more_than({RDF_TYPE}):
        return str(uri)
    if not node.props:
        return None
    label = node.label()
    if label and not uri and not node.has_more_than(set(LABELS) | {RDF_TYPE}):
        return label
    out: dict[str, Any] = {"@id": str(uri)} if uri else {}
    for key, values in node.props.items():
        if key == RDF_TYPE:
            out["@type"] = _one_or_list([_compact(str(v.get("uri"))) for v in values if v.get("uri")])
        else:
            out[_compact(key)] = _one_or_list([_plain(v) for v in _split_languages(values)[0]])
    return out


def _one_or_list(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def _as_text(items: list[Any]) -> str:
    items = [i for i in items if i is not None and i != ""]
    if len(items) == 1 and isinstance(items[0], str):
        return items[0]
    return json.dumps(_one_or_list(items), ensure_ascii=False, sort_keys=True)


def _keep(extras: dict[str, str], key: str, values: list[dict[str, Any]], described: set[str]) -> None:
    """A partly mapped property kept as text when it says more than the fields took from it."""
    if len(values) > 1 or any(_Node(v.get("properties") or {}).has_more_than(described) for v in values):
        extras[key] = _as_text([_plain(v) for v in values])


def _iso(text: str) -> bool:
    candidate = text.strip()
    candidate = candidate[:-1] + "+00:00" if candidate[-1:] in ("Z", "z") else candidate
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(candidate)
            return len(candidate) >= 10
        except ValueError:
            continue
    return False


def _last_segment(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.fragment:
        return unquote(parts.fragment)
    segment = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if not segment and not _is_http(uri):  # internalURI:contact0, urn:...
        segment = uri.rstrip("/:#").rsplit(":", 1)[-1]
    return unquote(segment)


# ---------------------------------------------------------------------- mapping pieces


def _name(identifier: str, title: str, remote_id: str) -> str:
    if READABLE_ID.match(identifier) and not UUID.match(identifier) and _slug(identifier):
        return _slug(identifier)
    return _slug(title) or _slug(remote_id) or "dataset"


def _keywords(values: list[dict[str, Any]]) -> tuple[list[str], dict[str, list[str]]]:
    def words(items: list[dict[str, Any]]) -> list[str]:
        out: dict[str, str] = {}
        for text in sorted({str(v["value"]).strip() for v in items if "value" in v}, key=str.casefold):
            if text:
                out.setdefault(text.casefold(), text)
        return list(out.values())

    chosen, others = _split_languages(values)
    return words(chosen), {lang: words(items) for lang, items in others.items()}


def _topics(values: list[dict[str, Any]]) -> list[dict[str, str]]:
    topics: dict[str, dict[str, str]] = {}
    for value in sorted(values, key=_sort_key):
        if "value" in value:
            title = str(value["value"]).strip()
            name = _slug(title)
        else:
            segment = _last_segment(str(value.get("uri") or ""))
            title = _Node(value.get("properties") or {}).text((SKOS + "prefLabel", RDFS + "label", DCT + "title")) \
                or segment
            name = _slug(segment) or _slug(title)
        if name:
            topics.setdefault(name, {"name": name, "title": title or name})
    return list(topics.values())


def _organization(ctx: HarvestContext, publishers: list[dict[str, Any]],
                  extras: dict[str, str]) -> dict[str, str] | None:
    if not publishers:
        return None
    first = sorted(publishers, key=_sort_key)[0]
    uri = first.get("uri")
    label = _Node(first.get("properties") or {}).text(NAMES) or (str(first["value"]) if "value" in first else None)
    own_key = _last_segment(uri) if isinstance(uri, str) and _is_http(uri) and not urlsplit(uri).fragment else ""
    name = _slug(own_key) or _slug(label or "") or _slug(_last_segment(str(uri or "")))
    if not name:
        return None
    mapping = ctx.config.get("organization_map") or {}  # the runner maps by "name": give it the key it has
    key = next((k for k in (uri, label) if isinstance(k, str) and k in mapping and name not in mapping), None)
    _keep(extras, "dct:publisher", publishers, set(NAMES) | {RDF_TYPE})
    return {"name": key or name, "title": label or name}


def _licence_of(value: dict[str, Any]) -> dict[str, str | None] | None:
    if "value" in value:
        text = str(value["value"]).strip()
        return {"id": text, "title": None, "url": text if _is_http(text) else None} if text else None
    uri, node = value.get("uri"), _Node(value.get("properties") or {})
    title = node.text(LICENCE_NAMES)
    licence_id = node.text((DCT + "identifier",)) or (str(uri) if uri else None) or title
    url = str(uri) if isinstance(uri, str) and _is_http(uri) else None
    return {"id": licence_id, "title": title, "url": url} if licence_id else None


def _licence(node: _Node, distributions: list[_Node], extras: dict[str, str]) -> dict[str, str | None] | None:
    """The dataset's own licence, else the one most of its distributions carry."""
    values = sorted(node.values(LICENSE), key=_sort_key)
    own = [lic for lic in (_licence_of(v) for v in values) if lic]
    if own:
        _keep(extras, "dct:license", values, {*LICENCE_NAMES, DCT + "identifier", RDF_TYPE})
        return own[0]
    found = [lic for dist in distributions for lic in (_licence_of(v) for v in dist.values(LICENSE)) if lic]
    counts = Counter(_sort_key(lic) for lic in found)
    best = min(counts, key=lambda key: (-counts[key], key), default=None)
    return next((lic for lic in found if _sort_key(lic) == best), None)


def _email(value: dict[str, Any]) -> str:
    inner = _Node(value.get("properties") or {}).text((VCARD + "value", RDF_VALUE))  # a vcard:Email node
    text = inner or _value_text(value) or ""
    text = text[7:] if text.lower().startswith("mailto:") else text
    return unquote(text.split("?", 1)[0]).strip()


def _contact(node: _Node, publishers: list[dict[str, Any]], extras: dict[str, str]) -> dict[str, str] | None:
    points = node.values(CONTACT)
    found: list[tuple[str, str]] = []
    for point in points:
        card = _Node(point.get("properties") or {})
        name = card.text((VCARD + "fn", VCARD + "organization-name", VCARD + "organisationName", FOAF + "name")) \
            or (str(point["value"]).strip() if "value" in point else "")
        email = next((e for e in sorted(_email(v) for v in card.values(EMAILS)) if e), "")
        if name or email:
            found.append((name, email))
    _keep(extras, "dcat:contactPoint", points, {RDF_TYPE, VCARD + "fn", *EMAILS})
    if found:
        name, email = sorted(found)[0]
        return {"name": name, "email": email}
    for publisher in sorted(publishers, key=_sort_key):  # no contact point: the publisher's mailbox
        agent = _Node(publisher.get("properties") or {})
        email = next((e for e in sorted(_email(v) for v in agent.values((FOAF + "mbox",))) if e), "")
        if email:
            return {"name": agent.text(NAMES) or "", "email": email}
    return None


def _date(node: _Node, preds: tuple[str, ...], key: str, extras: dict[str, str]) -> str | None:
    texts = sorted(t for t in (_value_text(v) for v in node.values(preds)) if t)
    iso = next((t for t in texts if _iso(t)), None)
    if texts and (iso is None or len(texts) > 1):
        extras[key] = _as_text(list(texts))  # not ISO 8601, or several: kept as written
    return iso


def _frequency(values: list[dict[str, Any]]) -> str | None:
    for value in sorted(values, key=_sort_key):
        if "value" in value:
            return str(value["value"]).strip() or None
        node = _Node(value.get("properties") or {})
        # datos.gob.es: a dct:Frequency whose rdf:value is a time:DurationDescription -> "P1Y"
        for duration in node.values((RDF_VALUE,)):
            described, parts = _Node(duration.get("properties") or {}), ""
            for unit, letter in (("years", "Y"), ("months", "M"), ("weeks", "W"), ("days", "D")):
                amount = described.text((PREFIXES["time"] + unit,))
                if amount and re.fullmatch(r"\d+(\.0+)?", amount):
                    parts += f"{int(float(amount))}{letter}"
            if parts:
                return "P" + parts
        found = _last_segment(str(value["uri"])) if value.get("uri") else node.label()
        if found:
            return found
    return None


def _coverage(values: list[dict[str, Any]], extras: dict[str, str]) -> str | None:
    """The covered place's label, else its text or URI; what more it says goes to the extras."""
    found: list[tuple[int, str]] = []
    named_uri = False
    for value in values:
        label = str(value["value"]).strip() if "value" in value else _Node(value.get("properties") or {}).label()
        if label or value.get("uri"):
            found.append((0, label) if label else (1, str(value["uri"])))
        named_uri = named_uri or bool(label and value.get("uri"))  # the label stands for a URI we keep
    _keep(extras, "dct:spatial", values, set() if named_uri else {*LABELS, RDF_TYPE})
    return min(found)[1] if found else None


def _temporal(values: list[dict[str, Any]], extras: dict[str, str]) -> tuple[int | None, str | None]:
    """The data's year (the period's last) and period ("2020-2025") from ``dct:temporal``."""
    if not values:
        return None, None
    value = sorted(values, key=_sort_key)[0]
    period = _Node(value.get("properties") or {})
    if "value" in value:  # Project Open Data: "2009-09-01T12:00:00Z/2010-05-31T12:00:00Z"
        start, _, end = str(value["value"]).strip().partition("/")
        label = None
    else:
        start, end = period.text(START) or "", period.text(END) or ""
        label = period.text((RDFS + "label", SKOS + "prefLabel", DCT + "title"))
    first, last = (m.group(1) if m else None for m in (YEAR.match(start), YEAR.match(end)))
    year = int(last or first or 0) or None
    exact = all(re.fullmatch(r"\d{4}", t.strip()) for t in (start, end) if t)
    if len(values) > 1 or not exact or (year is None and not label):
        extras["dct:temporal"] = _as_text([_plain(v) for v in values])  # exact dates kept
    return year, label or (f"{first}-{last}" if first and last and first != last else None)


def _format_label(text: str) -> str | None:
    text = text.strip()
    eu = EU_FILE_TYPE.match(text)
    media = _media_type_of(text)
    if eu:
        return eu.group(1).upper()
    if media:
        subtype = media.split("/", 1)[1].split("+", 1)[0]
        return MEDIA_LABELS.get(media) or subtype.removeprefix("vnd.").removeprefix("x-").upper()
    if _is_http(text):
        return _last_segment(text).upper() or None
    return (text.upper() if len(text) <= 20 else text) or None


def _media_type_of(text: str) -> str | None:
    iana = IANA.match(text.strip())
    media = (iana.group(1) if iana else text).split(";", 1)[0].strip().lower()
    return media if MEDIA.match(media) else None


def _format_of(value: dict[str, Any]) -> tuple[str | None, str | None]:
    """A ``dct:format`` as (short label, media type): an EU file-type or IANA URI, a ``dct:IMT``
    (``rdf:value`` a media type, ``rdfs:label`` a name), or text."""
    if "value" in value:
        return _format_label(str(value["value"])), _media_type_of(str(value["value"]))
    described = _Node(value.get("properties") or {})
    inner, uri = described.text((RDF_VALUE,)) or "", str(value.get("uri") or "")
    media = _media_type_of(inner) or _media_type_of(uri)
    if media or EU_FILE_TYPE.match(uri):
        return _format_label(media or uri), media
    named = described.label()
    return (named.upper() if named and len(named) <= 20 else named) or _format_label(inner or uri), media


def _resource(dist: _Node) -> RemoteResource | None:
    urls = [sorted(t for t in (_value_text(v) for v in dist.values((DCAT_NS + term,))) if t)
            for term in ("downloadURL", "accessURL")]
    url = next((found[0] for found in urls if found), None)
    if not url:
        return None
    formats = [_format_of(v) for v in dist.values((DCT + "format",))]
    media_types = [m for m in (_media_type_of(_value_text(v) or "") for v in dist.values((DCAT_NS + "mediaType",)))
                   if m] + [m for _, m in formats if m]
    labels = sorted(label for label, _ in formats if label)
    path = urlsplit(url).path
    extension = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    fmt = labels[0] if labels else _format_label(media_types[0]) if media_types else \
        extension.upper() if extension in FILE_EXTENSIONS else None
    size_text = dist.text((DCAT_NS + "byteSize",)) or ""
    size = int(float(size_text)) if re.fullmatch(r"\d+(\.0*)?(E\+?\d+)?", size_text, re.IGNORECASE) else None
    file_name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    return RemoteResource(
        remote_id=dist.text(IDENTIFIER) or dist.uri, url=url,
        name=dist.text(TITLE) or dist.text((RDFS + "label",)) or file_name or fmt or "Distribusi",
        description=dist.text(DESCRIPTION) or "", format=fmt, media_type=media_types[0] if media_types else None,
        size=size, modified=_date(dist, MODIFIED, "", {}))
