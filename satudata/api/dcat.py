"""DCAT out: the public catalogue as RDF for harvesters (the national portal, ckanext-dcat,
data.europa.eu-style aggregators).

``/catalog.jsonld|.ttl|.rdf`` is a DCAT-AP shaped ``dcat:Catalog`` paged with Hydra
(``?page=N``, ``DCAT_PAGE_SIZE`` datasets a page); ``/dataset/<slug>.jsonld|.ttl|.rdf`` is one
``dcat:Dataset`` with its distributions. A façade like the CKAN API: what is public and how it
is counted is the catalogue's one read path (``search.find_public_datasets``, what CKAN's
``package_search`` calls too, and ``catalog.get_public_dataset``), so the catalogue's
``hydra:totalItems`` is ``package_search``'s ``count``. This module only maps rows to triples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from satudata import reference
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Frequency, Resource
from satudata.errors import Invalid, NotFound
from satudata.search import services as search
from satudata.security import public_url

__all__ = ["bp", "FORMATS", "FREQUENCIES", "catalog_graph", "dataset_graph"]

bp = Blueprint("dcat", __name__)

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"

# URL suffix -> (rdflib serializer, Content-Type).
FORMATS: dict[str, tuple[str, str]] = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
}
_SUFFIXES = "any(" + ", ".join(FORMATS) + ")"

# Satu Data's frequencies in the EU frequency vocabulary (DCAT-AP's dct:accrualPeriodicity).
FREQUENCIES: dict[Frequency, URIRef] = {
    Frequency.TAHUNAN: EU_FREQUENCY.ANNUAL,
    Frequency.SEMESTERAN: EU_FREQUENCY.ANNUAL_2,
    Frequency.TRIWULANAN: EU_FREQUENCY.QUARTERLY,
    Frequency.BULANAN: EU_FREQUENCY.MONTHLY,
    Frequency.MINGGUAN: EU_FREQUENCY.WEEKLY,
    Frequency.HARIAN: EU_FREQUENCY.DAILY,
    Frequency.TIDAK_TENTU: EU_FREQUENCY.IRREG,
}
# Formats whose code in the EU file-type vocabulary is their own name.
EU_FILE_TYPES = frozenset({"CSV", "JSON", "XLSX", "XLS", "PDF", "GEOJSON", "ZIP", "XML", "HTML", "TXT", "ODS"})

# Prefixes of every serialisation (and the JSON-LD context).
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "hydra": HYDRA, "skos": SKOS,
            "spdx": SPDX, "xsd": XSD, "rdfs": RDFS}

# A catalogue page and a dataset are the same for every reader; harvesters poll them. Blank
# nodes are named after their row, so an unchanged page serialises the same (and keeps its ETag).
CACHE_CONTROL = "public, max-age=300"
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–/]|s\.?d\.?|sampai)?\s*(\d{4})?\s*$")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


# --------------------------------------------------------------------------- addresses


def _site() -> str:
    return public_url().rstrip("/")


def _dataset_uri(ds: Dataset) -> URIRef:
    # By id, which never changes (the page answers to it too); the landing page is by slug.
    return URIRef(f"{_site()}/dataset/{quote(ds.id)}")


def _landing_page(ds: Dataset) -> URIRef:
    return URIRef(f"{_site()}/dataset/{quote(ds.slug)}")


def _distribution_uri(ds: Dataset, res: Resource) -> URIRef:
    return URIRef(f"{_site()}/dataset/{quote(ds.id)}/resource/{quote(res.id)}")


def _catalog_uri() -> URIRef:
    return URIRef(_site() + "/")


def _page_url(suffix: str, page: int) -> URIRef:
    return URIRef(f"{_site()}/catalog.{suffix}?page={page}")


# --------------------------------------------------------------------------- graphs


def _graph() -> Graph:
    g = Graph(bind_namespaces="core")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def _when(value: datetime | None) -> Literal | None:
    return None if value is None else Literal(value.isoformat(), datatype=XSD.dateTime)


def _add(g: Graph, subject: Any, predicate: URIRef, value: Any) -> None:
    if value is not None and value != "":
        g.add((subject, predicate, value))


def _agent(g: Graph, org: Any) -> URIRef:
    """An organisation as a foaf:Agent (its public page is its address)."""
    node = URIRef(f"{_site()}/organization/{quote(org.slug)}")
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(org.name)))
    if getattr(org, "email", None):
        g.add((node, FOAF.mbox, URIRef(f"mailto:{org.email}")))
    return node


def _temporal(g: Graph, ds: Dataset) -> BNode | None:
    """The period the data covers: ``period`` ("2020-2025", "2024") else ``year``, as years."""
    start = end = None
    label = (ds.period or "").strip()
    match = _YEARS.match(label) if label else None
    if match:
        start, end = match.group(1), match.group(2) or match.group(1)
    elif ds.year:
        start = end = str(ds.year)
    if start is None and not label:
        return None
    node = BNode(f"periode-{ds.id}")
    g.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if start is not None and end is not None:
        g.add((node, DCAT.startDate, Literal(start, datatype=XSD.gYear)))
        g.add((node, DCAT.endDate, Literal(end, datatype=XSD.gYear)))
    if label:
        g.add((node, RDFS.label, Literal(label)))
    return node


def _spatial(g: Graph, ds: Dataset) -> BNode | None:
    """The covered region as a dct:Location named by its Kemendagri kode wilayah."""
    if not ds.kode_wilayah:
        return None
    node = BNode(f"wilayah-{ds.id}")
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, DCTERMS.identifier, Literal(ds.kode_wilayah)))
    name = ds.coverage or reference.name(ds.kode_wilayah)
    if name:
        g.add((node, SKOS.prefLabel, Literal(name, lang="id")))
    return node


def _contact(g: Graph, ds: Dataset) -> BNode:
    node = BNode(f"kontak-{ds.id}")
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, VCARD.fn, Literal(ds.contact_name or ds.organization.name)))
    email = ds.contact_email or ds.organization.email
    if email:
        g.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    return node


def _distribution(g: Graph, ds: Dataset, res: Resource) -> URIRef:
    node = _distribution_uri(ds, res)
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.identifier, Literal(res.id)))
    g.add((node, DCTERMS.title, Literal(res.name)))
    _add(g, node, DCTERMS.description, Literal(res.description) if res.description else None)
    if res.is_stored:
        g.add((node, DCAT.accessURL, node))  # the resource page: preview and download
        download = f"{_site()}/dataset/{quote(ds.slug)}/resource/{quote(res.id)}/download"
        g.add((node, DCAT.downloadURL, URIRef(download)))
    elif res.url:
        g.add((node, DCAT.accessURL, URIRef(res.url)))
    else:
        g.add((node, DCAT.accessURL, node))
    fmt = (res.format or "").upper()
    if fmt:
        g.add((node, DCTERMS["format"], EU_FILE_TYPE[fmt] if fmt in EU_FILE_TYPES else Literal(fmt)))
    media_type = res.media_type or catalog.MEDIA_TYPES.get(fmt)
    if media_type:
        g.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPE + media_type.split(";")[0].strip())))
    if ds.licence is not None:
        g.add((node, DCTERMS.license, _licence(g, ds)))
    if res.size is not None:
        g.add((node, DCAT.byteSize, Literal(res.size, datatype=XSD.nonNegativeInteger)))
    if res.is_stored and res.sha256:
        checksum = BNode(f"checksum-{res.id}")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(res.sha256, datatype=XSD.hexBinary)))
    _add(g, node, DCTERMS.issued, _when(res.created_at))
    _add(g, node, DCTERMS.modified, _when(res.updated_at))
    return node


def _licence(g: Graph, ds: Dataset) -> URIRef | BNode:
    lic = ds.licence
    assert lic is not None
    node: URIRef | BNode = URIRef(lic.url) if lic.url else BNode("lisensi-" + re.sub(r"[^A-Za-z0-9_-]", "-", lic.id))
    g.add((node, RDF.type, DCTERMS.LicenseDocument))
    g.add((node, DCTERMS.identifier, Literal(lic.id)))
    g.add((node, DCTERMS.title, Literal(lic.title)))
    return node


def add_dataset(g: Graph, ds: Dataset) -> URIRef:
    """The triples of one public dataset; returns its node."""
    node = _dataset_uri(ds)
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(ds.id)))
    g.add((node, DCTERMS.title, Literal(ds.title, lang="id")))
    g.add((node, DCTERMS.description, Literal(ds.description or ds.title, lang="id")))
    g.add((node, DCTERMS.publisher, _agent(g, ds.organization)))
    g.add((node, DCAT.landingPage, _landing_page(ds)))
    g.add((_landing_page(ds), RDF.type, FOAF.Document))
    g.add((node, DCTERMS.language, EU_LANGUAGE.IND))
    g.add((node, DCTERMS.accessRights, EU_ACCESS_RIGHT.PUBLIC))
    for topic in ds.topics:
        theme = URIRef(f"{_site()}/group/{quote(topic.slug)}")
        g.add((node, DCAT.theme, theme))
        g.add((theme, RDF.type, SKOS.Concept))
        g.add((theme, SKOS.prefLabel, Literal(topic.name, lang="id")))
        if topic.name_en:
            g.add((theme, SKOS.prefLabel, Literal(topic.name_en, lang="en")))
    for tag in ds.tags:
        g.add((node, DCAT.keyword, Literal(tag.name, lang="id")))
    _add(g, node, DCTERMS.spatial, _spatial(g, ds))
    _add(g, node, DCTERMS.temporal, _temporal(g, ds))
    if ds.frequency is not None:
        g.add((node, DCTERMS.accrualPeriodicity, FREQUENCIES[ds.frequency]))
    _add(g, node, DCTERMS.issued, _when(ds.published_at or ds.created_at))
    _add(g, node, DCTERMS.modified, _when(ds.updated_at))
    g.add((node, DCAT.contactPoint, _contact(g, ds)))
    for res in ds.resources:
        g.add((node, DCAT.distribution, _distribution(g, ds, res)))
    return node


def dataset_graph(ds: Dataset) -> Graph:
    """One public dataset as a graph."""
    g = _graph()
    add_dataset(g, ds)
    return g


def catalog_graph(datasets: Iterable[Dataset], *, total: int, page: int, per_page: int, suffix: str) -> Graph:
    """One page of the catalogue: the dcat:Catalog listing ``datasets`` and the Hydra paging
    of the collection (``total`` public datasets, ``per_page`` a page)."""
    g = _graph()
    cat = _catalog_uri()
    config = current_app.config
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal(str(config["SITE_NAME"]), lang="id")))
    g.add((cat, DCTERMS.description, Literal(f"Portal data terbuka {config['SITE_REGION']}.", lang="id")))
    g.add((cat, FOAF.homepage, cat))
    g.add((cat, DCTERMS.language, EU_LANGUAGE.IND))
    publisher = BNode("penerbit-katalog")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(f"Pemerintah {config['SITE_REGION']}")))
    g.add((cat, DCTERMS.publisher, publisher))
    modified = None
    for ds in datasets:
        g.add((cat, DCAT.dataset, add_dataset(g, ds)))
        if ds.updated_at is not None and (modified is None or ds.updated_at > modified):
            modified = ds.updated_at
    _add(g, cat, DCTERMS.modified, _when(modified))

    last = max(1, -(-total // per_page))
    here = _page_url(suffix, page)
    g.add((here, RDF.type, HYDRA.PagedCollection))
    g.add((here, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    g.add((here, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    # Both Hydra's old paging terms (what ckanext-dcat reads) and the current ones.
    links = {(HYDRA.firstPage, HYDRA.first): 1, (HYDRA.lastPage, HYDRA.last): last}
    if page > 1:
        links[(HYDRA.previousPage, HYDRA.previous)] = page - 1
    if page < last:
        links[(HYDRA.nextPage, HYDRA.next)] = page + 1
    for terms, number in links.items():
        for term in terms:
            g.add((here, term, _page_url(suffix, number)))
    return g


# --------------------------------------------------------------------------- routes


def _answer(g: Graph, suffix: str) -> Response:
    serializer, content_type = FORMATS[suffix]
    if serializer == "json-ld":
        body = g.serialize(format="json-ld", context={k: str(v) for k, v in PREFIXES.items()}, auto_compact=True)
    else:
        body = g.serialize(format=serializer)
    resp = Response(body, content_type=f"{content_type}; charset=utf-8")
    resp.headers["Cache-Control"] = CACHE_CONTROL
    resp.headers["Access-Control-Allow-Origin"] = "*"  # open data: any harvester, any web page
    resp.add_etag()
    resp.make_conditional(request)
    return resp


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise Invalid(f"Nomor halaman '{_CONTROL_CHARS.sub('', raw)[:40]}' tidak valid: gunakan bilangan bulat "
                      "mulai dari 1, misalnya ?page=2.", details={"page": ["Gunakan bilangan bulat mulai dari 1."]})
    number = int(raw)
    if number < 1:
        raise Invalid("Nomor halaman dimulai dari 1.", details={"page": ["Gunakan bilangan bulat mulai dari 1."]})
    return number


@bp.get(f"/catalog.<{_SUFFIXES}:suffix>")
def catalogue(suffix: str) -> Response:
    """One page of the public catalogue as a dcat:Catalog with Hydra paging."""
    page = _page_number()
    per_page = int(current_app.config["DCAT_PAGE_SIZE"])
    found = search.find_public_datasets(catalog.DatasetQuery(sort=(("slug", False),), offset=(page - 1) * per_page,
                                                             limit=per_page))
    last = max(1, -(-found.total // per_page))
    if page > last:
        raise NotFound(f"Halaman {page} tidak ada: katalog ini memiliki {last} halaman "
                       f"({found.total} dataset, {per_page} per halaman).")
    return _answer(catalog_graph(found.items, total=found.total, page=page, per_page=per_page, suffix=suffix), suffix)


@bp.get(f"/dataset/<slug>.<{_SUFFIXES}:suffix>")
def dataset(slug: str, suffix: str) -> Response:
    """One public dataset as a dcat:Dataset; a withdrawn one is 410 as its page is."""
    shown = _CONTROL_CHARS.sub("", slug)[:80]
    if _CONTROL_CHARS.search(slug) or len(slug) > 200:
        raise NotFound(f"Dataset '{shown}' tidak ditemukan atau belum diterbitkan.")
    try:
        ds = catalog.get_public_dataset(slug, explain_withdrawn=True)
    except NotFound as err:
        raise NotFound(f"Dataset '{shown}' tidak ditemukan atau belum diterbitkan.") from err
    return _answer(dataset_graph(ds), suffix)
