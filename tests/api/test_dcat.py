"""DCAT out (docs/dcat.md): the catalogue and each public dataset as RDF in three syntaxes,
read back with rdflib; the catalogue lists exactly what CKAN's ``package_search`` counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from satudata.catalog.models import AccessClass, Dataset, Frequency, Topic
from tests.conftest import shared_data
from tests.factories import make_dataset, make_licence, make_org, make_topic, withdraw_dataset

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")

# URL suffix -> (Content-Type, rdflib parser)
SYNTAXES = {"jsonld": ("application/ld+json", "json-ld"), "ttl": ("text/turtle", "turtle"),
            "rdf": ("application/rdf+xml", "xml")}
SITE = "http://localhost"


@dataclass
class Catalogue:
    kependudukan: Topic
    penduduk: Dataset
    faskes: Dataset
    sekolah: Dataset
    draft: Dataset
    withdrawn: Dataset
    terbatas: Dataset

    @property
    def public(self) -> list[Dataset]:
        return [self.penduduk, self.faskes, self.sekolah]


def build_catalogue() -> Catalogue:
    from satudata.extensions import db

    dukcapil = make_org(slug="disdukcapil-rohil", name="Disdukcapil Kabupaten Rokan Hilir", kode_wilayah="14.07",
                        email="dukcapil@rokanhilirkab.go.id")
    dinkes = make_org(slug="dinkes-dumai", name="Dinas Kesehatan Kota Dumai")
    kependudukan = make_topic("kependudukan", "Kependudukan")
    kependudukan.name_en = "Population"
    make_licence()
    penduduk = make_dataset(
        dukcapil, title="Jumlah Penduduk menurut Kecamatan", slug="jumlah-penduduk-rohil",
        description="Jumlah penduduk per kecamatan di Rokan Hilir.", topics=[kependudukan],
        tags=["penduduk", "air bersih"], year=2024, period="2020-2024", frequency=Frequency.TAHUNAN,
        kode_wilayah="14.07", coverage="Kabupaten Rokan Hilir", contact_name="Bidang Dafduk",
        contact_email="dafduk@rokanhilirkab.go.id", document="https://example.go.id/laporan.pdf",
    )
    faskes = make_dataset(dinkes, title="Fasilitas Kesehatan Kota Dumai", slug="fasilitas-kesehatan-dumai",
                          year=2023, kode_wilayah="14.72", frequency=Frequency.BULANAN, tags=["kesehatan"])
    sekolah = make_dataset(dinkes, title="Sekolah Sehat", slug="sekolah-sehat", frequency=Frequency.TIDAK_TENTU)
    draft = make_dataset(dinkes, title="Penduduk Draf", slug="penduduk-draf", publish=False)
    withdrawn = make_dataset(dinkes, title="Penduduk Ditarik", slug="penduduk-ditarik")
    withdraw_dataset(withdrawn, reason="Angka sedang direvisi.")
    terbatas = make_dataset(dinkes, title="Penduduk Terbatas", slug="penduduk-terbatas",
                            access_class=AccessClass.TERBATAS)
    penduduk.updated_at = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    db.session.commit()
    return Catalogue(kependudukan, penduduk, faskes, sekolah, draft, withdrawn, terbatas)


app, cat, _shared = shared_data("dcat", build_catalogue)


def fetch(client: FlaskClient, path: str, suffix: str, **query: Any) -> Graph:
    """GET ``path`` and parse it in the syntax of ``suffix``, checking its Content-Type."""
    resp = client.get(path, query_string=query or None)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    content_type, parser = SYNTAXES[suffix]
    assert resp.mimetype == content_type
    assert resp.headers["Cache-Control"].startswith("public")
    g = Graph()
    g.parse(data=resp.get_data(), format=parser)
    assert len(g) > 0
    return g


def dataset_uri(ds: Dataset) -> URIRef:
    return URIRef(f"{SITE}/dataset/{ds.id}")


def listed(g: Graph) -> set[URIRef]:
    catalogues = list(g.subjects(RDF.type, DCAT.Catalog))
    assert catalogues == [URIRef(SITE + "/")]
    return {URIRef(str(o)) for o in g.objects(catalogues[0], DCAT.dataset)}


def paging(g: Graph) -> tuple[URIRef, dict[str, Any]]:
    pages = list(g.subjects(RDF.type, HYDRA.PagedCollection))
    assert len(pages) == 1
    node = pages[0]
    values: dict[str, Any] = {}
    for term in ("totalItems", "itemsPerPage", "firstPage", "lastPage", "nextPage", "previousPage"):
        value = g.value(node, HYDRA[term])
        values[term] = value.toPython() if isinstance(value, Literal) else (str(value) if value else None)
    for old, new in (("firstPage", "first"), ("lastPage", "last"), ("nextPage", "next"), ("previousPage", "previous")):
        assert (str(g.value(node, HYDRA[new])) if g.value(node, HYDRA[new]) else None) == values[old]
    return node, values


# --------------------------------------------------------------------------- the catalogue


@pytest.mark.parametrize("suffix", SYNTAXES)
def test_catalogue_lists_exactly_the_public_datasets(cat: Catalogue, scratch_client: FlaskClient, suffix: str) -> None:
    g = fetch(scratch_client, f"/catalog.{suffix}", suffix)
    assert listed(g) == {dataset_uri(ds) for ds in cat.public}
    for hidden in (cat.draft, cat.withdrawn, cat.terbatas):
        assert (dataset_uri(hidden), None, None) not in g
        assert hidden.slug not in g.serialize(format="turtle")
    assert set(g.subjects(RDF.type, DCAT.Dataset)) == {dataset_uri(ds) for ds in cat.public}
    _node, values = paging(g)
    assert values["totalItems"] == 3
    assert values["itemsPerPage"] == 100
    assert values["firstPage"] == values["lastPage"] == f"{SITE}/catalog.{suffix}?page=1"
    assert values["nextPage"] is None and values["previousPage"] is None


def test_catalogue_total_is_package_search_count(cat: Catalogue, scratch_client: FlaskClient) -> None:
    count = scratch_client.get("/api/3/action/package_search").get_json()["result"]["count"]
    _node, values = paging(fetch(scratch_client, "/catalog.ttl", "ttl"))
    assert values["totalItems"] == count == len(cat.public)
    names = {d["name"] for d in scratch_client.get("/api/3/action/package_search", query_string={"rows": 1000})
             .get_json()["result"]["results"]}
    assert names == {ds.slug for ds in cat.public}


@pytest.mark.parametrize("suffix", SYNTAXES)
def test_catalogue_pages(cat: Catalogue, scratch_client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
                         app: Flask, suffix: str) -> None:
    monkeypatch.setitem(app.config, "DCAT_PAGE_SIZE", 2)
    first = fetch(scratch_client, f"/catalog.{suffix}", suffix)
    node, values = paging(first)
    assert str(node) == f"{SITE}/catalog.{suffix}?page=1"
    assert values == {"totalItems": 3, "itemsPerPage": 2, "firstPage": f"{SITE}/catalog.{suffix}?page=1",
                      "lastPage": f"{SITE}/catalog.{suffix}?page=2", "nextPage": f"{SITE}/catalog.{suffix}?page=2",
                      "previousPage": None}
    # Follow hydra:nextPage as a harvester does: the absolute URL, path and query.
    second = fetch(scratch_client, values["nextPage"].removeprefix(SITE), suffix)
    node2, values2 = paging(second)
    assert str(node2) == values["nextPage"]
    assert values2["nextPage"] is None
    assert values2["previousPage"] == values["firstPage"]
    assert values2["totalItems"] == 3
    # Two pages, no dataset twice, together exactly the public ones (in slug order).
    one, two = listed(first), listed(second)
    assert len(one) == 2 and len(two) == 1 and not one & two
    assert one | two == {dataset_uri(ds) for ds in cat.public}
    by_slug = sorted(cat.public, key=lambda ds: ds.slug)
    assert two == {dataset_uri(by_slug[2])}

    monkeypatch.setitem(app.config, "DCAT_PAGE_SIZE", 1)
    _node, middle = paging(fetch(scratch_client, f"/catalog.{suffix}", suffix, page=2))
    assert middle["previousPage"] == f"{SITE}/catalog.{suffix}?page=1"
    assert middle["nextPage"] == f"{SITE}/catalog.{suffix}?page=3"
    assert middle["lastPage"] == f"{SITE}/catalog.{suffix}?page=3"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", "١", "9" * 30])
def test_bad_page_numbers_are_400(cat: Catalogue, scratch_client: FlaskClient, page: str) -> None:
    resp = scratch_client.get("/catalog.ttl", query_string={"page": page})
    assert resp.status_code == 400
    assert "halaman" in resp.get_data(as_text=True).lower()


def test_page_past_the_end_is_404(cat: Catalogue, scratch_client: FlaskClient) -> None:
    resp = scratch_client.get("/catalog.rdf", query_string={"page": 2})
    assert resp.status_code == 404
    assert "Halaman 2 tidak ada" in resp.get_data(as_text=True)


@pytest.mark.writes
def test_empty_catalogue_has_one_empty_page(app: Flask, scratch_client: FlaskClient) -> None:
    g = fetch(scratch_client, "/catalog.ttl", "ttl")
    assert listed(g) == set()
    _node, values = paging(g)
    assert values["totalItems"] == 0 and values["lastPage"] == f"{SITE}/catalog.ttl?page=1"
    assert scratch_client.get("/catalog.ttl?page=2").status_code == 404


def test_unknown_suffix_is_404(cat: Catalogue, scratch_client: FlaskClient) -> None:
    assert scratch_client.get("/catalog.n3").status_code == 404
    assert scratch_client.get(f"/dataset/{cat.penduduk.slug}.xml").status_code == 404


# --------------------------------------------------------------------------- round trips and transport


@pytest.mark.parametrize("suffix", SYNTAXES)
def test_every_syntax_says_the_same(cat: Catalogue, scratch_client: FlaskClient, suffix: str) -> None:
    """Each syntax parses back to the same graph as the others (blank nodes aside), and
    re-serialising it in every syntax and parsing that again loses nothing."""
    reference = fetch(scratch_client, f"/dataset/{cat.penduduk.slug}.ttl", "ttl")
    g = fetch(scratch_client, f"/dataset/{cat.penduduk.slug}.{suffix}", suffix)
    assert isomorphic(g, reference)
    for _other, (_ctype, parser) in SYNTAXES.items():
        again = Graph().parse(data=g.serialize(format=parser), format=parser)
        assert isomorphic(again, g)
    # The catalogue too, but for the page's own address, which names its syntax.
    whole, whole_ttl = fetch(scratch_client, f"/catalog.{suffix}", suffix), fetch(scratch_client, "/catalog.ttl", "ttl")
    assert len(whole) == len(whole_ttl)
    assert isomorphic(without_paging(whole), without_paging(whole_ttl))


def without_paging(g: Graph) -> Graph:
    node, _values = paging(g)
    rest = Graph()
    for triple in g:
        if triple[0] != node:
            rest.add(triple)
    return rest


def test_head_and_conditional_get(cat: Catalogue, scratch_client: FlaskClient) -> None:
    for path in ("/catalog.jsonld", f"/dataset/{cat.faskes.slug}.rdf"):
        got = scratch_client.get(path)
        head = scratch_client.head(path)
        assert head.status_code == 200 and head.get_data() == b""
        assert head.headers["Content-Type"] == got.headers["Content-Type"]
        assert head.headers["ETag"] == got.headers["ETag"]
        assert got.headers["Access-Control-Allow-Origin"] == "*"
        again = scratch_client.get(path, headers={"If-None-Match": got.headers["ETag"]})
        assert again.status_code == 304


# --------------------------------------------------------------------------- one dataset


def test_dataset_triples(cat: Catalogue, scratch_client: FlaskClient) -> None:
    ds = cat.penduduk
    g = fetch(scratch_client, f"/dataset/{ds.slug}.ttl", "ttl")
    node = dataset_uri(ds)
    assert (node, RDF.type, DCAT.Dataset) in g
    assert g.value(node, DCTERMS.identifier) == Literal(ds.id)
    assert g.value(node, DCTERMS.title) == Literal("Jumlah Penduduk menurut Kecamatan", lang="id")
    assert str(g.value(node, DCTERMS.description)) == "Jumlah penduduk per kecamatan di Rokan Hilir."
    assert g.value(node, DCAT.landingPage) == URIRef(f"{SITE}/dataset/jumlah-penduduk-rohil")
    # The landing page and the dataset's own address both answer.
    for address in (g.value(node, DCAT.landingPage), node):
        assert scratch_client.get(str(address).removeprefix(SITE)).status_code == 200

    publisher = g.value(node, DCTERMS.publisher)
    assert publisher == URIRef(f"{SITE}/organization/disdukcapil-rohil")
    assert (publisher, RDF.type, FOAF.Agent) in g
    assert str(g.value(publisher, FOAF.name)) == "Disdukcapil Kabupaten Rokan Hilir"

    theme = g.value(node, DCAT.theme)
    assert theme == URIRef(f"{SITE}/group/kependudukan")
    assert set(g.objects(theme, SKOS.prefLabel)) == {Literal("Kependudukan", lang="id"),
                                                     Literal("Population", lang="en")}
    assert {str(k) for k in g.objects(node, DCAT.keyword)} == {"penduduk", "air bersih"}

    spatial = g.value(node, DCTERMS.spatial)
    assert (spatial, RDF.type, DCTERMS.Location) in g
    assert g.value(spatial, DCTERMS.identifier) == Literal("14.07")
    assert str(g.value(spatial, SKOS.prefLabel)) == "Kabupaten Rokan Hilir"

    temporal = g.value(node, DCTERMS.temporal)
    assert g.value(temporal, DCAT.startDate) == Literal("2020", datatype=XSD.gYear)
    assert g.value(temporal, DCAT.endDate) == Literal("2024", datatype=XSD.gYear)

    assert g.value(node, DCTERMS.accrualPeriodicity) == FREQ.ANNUAL
    modified = g.value(node, DCTERMS.modified)
    assert modified.datatype == XSD.dateTime
    assert modified.toPython() == datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    issued = g.value(node, DCTERMS.issued)
    assert issued.datatype == XSD.dateTime and issued.toPython() == ds.published_at

    contact = g.value(node, DCAT.contactPoint)
    assert str(g.value(contact, VCARD.fn)) == "Bidang Dafduk"
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:dafduk@rokanhilirkab.go.id")


def test_distributions(cat: Catalogue, scratch_client: FlaskClient) -> None:
    ds = cat.penduduk
    g = fetch(scratch_client, f"/dataset/{ds.slug}.jsonld", "jsonld")
    dists = {str(g.value(d, DCTERMS.title)): d for d in g.objects(dataset_uri(ds), DCAT.distribution)}
    assert set(dists) == {"Penduduk per kecamatan", "Dokumen pendukung"}
    table = next(r for r in ds.resources if r.is_stored)
    stored = dists["Penduduk per kecamatan"]
    assert (stored, RDF.type, DCAT.Distribution) in g
    download = g.value(stored, DCAT.downloadURL)
    assert download == URIRef(f"{SITE}/dataset/{ds.slug}/resource/{table.id}/download")
    with scratch_client.head(str(download).removeprefix(SITE)) as head:  # HEAD: no download counted
        assert head.status_code == 200 and head.content_length == table.size == len(table_bytes(table))
    assert scratch_client.get(str(g.value(stored, DCAT.accessURL)).removeprefix(SITE)).status_code == 200
    assert g.value(stored, DCTERMS["format"]) == FILE_TYPE.CSV
    assert g.value(stored, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert g.value(stored, DCAT.byteSize) == Literal(table.size, datatype=XSD.nonNegativeInteger)
    assert g.value(stored, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    checksum = g.value(stored, SPDX.checksum)
    assert str(g.value(checksum, SPDX.checksumValue)) == table.sha256

    link = dists["Dokumen pendukung"]
    assert g.value(link, DCAT.accessURL) == URIRef("https://example.go.id/laporan.pdf")
    assert g.value(link, DCAT.downloadURL) is None
    assert g.value(link, DCTERMS["format"]) == FILE_TYPE.PDF


def table_bytes(res: Any) -> bytes:
    from satudata.catalog.storage import get_store

    return get_store().path(res.sha256).read_bytes()


def test_other_frequencies_and_a_year_only_period(cat: Catalogue, scratch_client: FlaskClient) -> None:
    g = fetch(scratch_client, f"/dataset/{cat.faskes.slug}.rdf", "rdf")
    node = dataset_uri(cat.faskes)
    assert g.value(node, DCTERMS.accrualPeriodicity) == FREQ.MONTHLY
    temporal = g.value(node, DCTERMS.temporal)
    assert g.value(temporal, DCAT.startDate) == g.value(temporal, DCAT.endDate) == Literal("2023", datatype=XSD.gYear)
    # No contact of its own: the organisation answers.
    assert str(g.value(g.value(node, DCAT.contactPoint), VCARD.fn)) == "Seksi Data"
    g2 = fetch(scratch_client, f"/dataset/{cat.sekolah.slug}.ttl", "ttl")
    assert g2.value(dataset_uri(cat.sekolah), DCTERMS.accrualPeriodicity) == FREQ.IRREG


def test_catalogue_carries_the_same_dataset_triples(cat: Catalogue, scratch_client: FlaskClient) -> None:
    whole = fetch(scratch_client, "/catalog.ttl", "ttl")
    one = fetch(scratch_client, f"/dataset/{cat.faskes.slug}.ttl", "ttl")
    node = dataset_uri(cat.faskes)
    for predicate in (DCTERMS.title, DCTERMS.modified, DCAT.landingPage, DCTERMS.publisher, DCAT.keyword):
        assert set(whole.objects(node, predicate)) == set(one.objects(node, predicate))


@pytest.mark.parametrize("suffix", SYNTAXES)
def test_withdrawn_is_410_and_unknown_404(cat: Catalogue, scratch_client: FlaskClient, suffix: str) -> None:
    resp = scratch_client.get(f"/dataset/{cat.withdrawn.slug}.{suffix}")
    assert resp.status_code == 410
    assert "Angka sedang direvisi." in resp.get_data(as_text=True)
    # The HTML page says the same.
    assert scratch_client.get(f"/dataset/{cat.withdrawn.slug}").status_code == 410
    for hidden in ("tidak-ada", cat.draft.slug, cat.terbatas.slug, cat.draft.id):
        resp = scratch_client.get(f"/dataset/{hidden}.{suffix}")
        assert resp.status_code == 404, hidden
        assert "tidak ditemukan" in resp.get_data(as_text=True)


def test_pages_link_their_rdf(cat: Catalogue, scratch_client: FlaskClient) -> None:
    # Asked through another (trusted) host name: every address still comes from BASE_URL.
    home = scratch_client.get("/", base_url="http://127.0.0.1").get_data(as_text=True)
    page = scratch_client.get(f"/dataset/{cat.penduduk.slug}", base_url="http://127.0.0.1").get_data(as_text=True)
    for suffix, (ctype, _parser) in SYNTAXES.items():
        assert f'<link rel="alternate" type="{ctype}" href="{SITE}/catalog.{suffix}"' in home
        assert f'<link rel="alternate" type="{ctype}" href="{SITE}/dataset/{cat.penduduk.slug}.{suffix}"' in page
        assert f"/catalog.{suffix}" not in page



def test_addresses_come_from_base_url(cat: Catalogue, scratch_client: FlaskClient) -> None:
    resp = scratch_client.get("/catalog.ttl", base_url="http://127.0.0.1")
    g = Graph().parse(data=resp.get_data(), format="turtle")
    addresses = {str(t) for triple in g for t in triple if isinstance(t, URIRef)}
    assert not [a for a in addresses if "127.0.0.1" in a]
    assert any(a.startswith(SITE + "/dataset/") for a in addresses)


def test_demo_catalogue_matches_package_search(client: FlaskClient) -> None:
    """On the demo data: every public dataset once, as many as package_search counts."""
    search = client.get("/api/3/action/package_search", query_string={"rows": 1000}).get_json()["result"]
    g = Graph().parse(data=client.get("/catalog.ttl").get_data(), format="turtle")
    _node, values = paging(g)
    assert values["totalItems"] == search["count"] > 0
    slugs = {str(g.value(ds, DCAT.landingPage)).rsplit("/", 1)[1] for ds in listed(g)}
    assert slugs == {d["name"] for d in search["results"]}
