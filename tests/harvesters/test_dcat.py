"""The ``dcat`` harvester plug-in against DCAT documents served on 127.0.0.1: every real-world example
in tests/data/dcat (ckanext-dcat's) harvested and mapped without losing a field we map, the choice
of language, Hydra paging as a stream, sources that answer nonsense, and this portal's own
``/catalog`` and ``/dataset`` feeds (built from model objects in memory: no database)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from harvesters import base
from harvesters.base import Gathered, HarvestContext, HarvestError, RemoteDataset
from harvesters.dcat import DcatConfig, DcatHarvester
from harvesters.http import GuardedSession

pytestmark = pytest.mark.nodb

DATA = Path(__file__).resolve().parent.parent / "data" / "dcat"
CONTENT_TYPES = {".ttl": "text/turtle", ".rdf": "application/rdf+xml", ".jsonld": "application/ld+json"}
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""


class Served:
    """Documents by path (query included) from a server in a thread; it notes every request."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        served = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                served.requests.append((self.path, self.headers.get("User-Agent", "")))
                status, kind, body = served.pages.get(self.path, (404, "text/plain", b"Not found"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def put(self, path: str, body: str | bytes, kind: str = "text/turtle", status: int = 200) -> str:
        self.pages[path] = (status, kind, body.encode() if isinstance(body, str) else body)
        return self.url + path

    def put_file(self, name: str) -> str:
        return self.put("/" + name, (DATA / name).read_bytes(), CONTENT_TYPES[Path(name).suffix])

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture()
def served() -> Iterator[Served]:
    s = Served()
    yield s
    s.server.shutdown()
    s.server.server_close()


def ctx_for(url: str, **config: Any) -> HarvestContext:
    return HarvestContext(url=url, config=DcatConfig().load(config),
                          http=GuardedSession(allow_private=True, backoff=0, retries=0))


def harvest(url: str, **config: Any) -> list[tuple[Gathered, RemoteDataset]]:
    ctx, plugin = ctx_for(url, **config), DcatHarvester()
    return [(item, plugin.map(ctx, plugin.fetch(ctx, item))) for item in plugin.gather(ctx)]


def error_of(url: str, **config: Any) -> str:
    with pytest.raises(HarvestError) as refused:
        harvest(url, **config)
    return refused.value.message


# ---------------------------------------------------------------------- registration and config


def test_the_plugin_is_registered_under_its_type() -> None:
    assert base.discover()["dcat"] is DcatHarvester
    assert isinstance(DcatHarvester(), base.Harvester)


def test_config_is_checked_by_its_schema() -> None:
    from marshmallow import ValidationError

    loaded = DcatConfig().load({"ignored": 1})
    assert loaded == {"format": "auto", "max_pages": 1000, "organization_map": {}, "default_topics": [],
                      "default_tags": []}
    with pytest.raises(ValidationError) as bad:
        DcatConfig().load({"format": "n3", "max_pages": 0, "organization_map": ["x"]})
    assert set(bad.value.messages) == {"format", "max_pages", "organization_map"}


# ---------------------------------------------------------------------- the real-world examples

CATALOG: dict[str, dict[str, Any]] = {
    "https://data.some.org/catalog/datasets/1": {
        "title": "Example dataset 1", "name": "example-dataset-1",
        "description": "A longer description of dataset 1: includes three distributions, a CSV file, a PDF file and "
                       "an API. Some special characters: Θεσσαλονίκη.",
        "tags": ["pollution", "stats"], "publisher": "Publishing Organization for dataset 1",
        "licence": "https://data.some.org/link/to/license", "contact": ("Publishing Organization for dataset 1",
                                                                        "contact@some.org"),
        "created": "2013-04-26T00:00:00+00:00", "modified": "2013-04-26T00:00:00+00:00",
        "resources": {("https://data.some.org/the/actual/catalog/datasets/1/resources/1.csv", "CSV"),
                      ("https://data.some.org/the/actual/catalog/datasets/1/resources/2.pdf", "PDF"),
                      ("https://data.some.org/the/actual/catalog/link/to/an/api", None)},
        "resource_ids": {"https://data.some.org/catalog/datasets/1/distribution/1",
                         "https://data.some.org/catalog/datasets/1/distribution/2",
                         "https://data.some.org/catalog/datasets/1/distribution/3"}},
    "https://data.some.org/catalog/datasets/2": {
        "title": "Example dataset 2", "tags": ["education", "sloths", "stats"],
        "publisher": "Publishing Organization for dataset 2", "licence": None,
        "contact": ("Publishing Organization for dataset 2", "contact@another.org"),
        "created": "2012-06-21", "modified": "2013-04-01",
        "resources": {("https://external.site.org/", "HTML"),
                      ("https://data.some.org/the/actual/catalog/datasets/2/resources/2.pdf", "PDF")}},
}
EXPECTED: dict[str, dict[str, dict[str, Any]]] = {
    "catalog.rdf": {key: {**value, "extras": {"dct:language": "en"}} for key, value in CATALOG.items()},
    "catalog_datasets_list.rdf": {key: {**value, "extras": {"dc:language": "en"}} for key, value in CATALOG.items()},
    "catalog_pod.jsonld": {"widgets-0001": {
        "title": "U.S. Widget Manufacturing Statistics", "name": "widgets-0001",
        "description": "This dataset provides national statistics on the production of widgets",
        "remote_url": "http://agency.gov/widgets/data", "tags": ["factory", "manufacturing", "widget"],
        "publisher": "Widget Services", "licence": "http://creativecommons.org/publicdomain/zero/1.0/",
        "contact": ("Jane Doe", "jane.doe@agency.gov"), "topics": [("manufacturing", "manufacturing")],
        "frequency": "R/P1Y", "coverage": "United States", "year": 2010, "period": "2009-2010",
        "created": "2011-11-22", "modified": "2011-11-19T12:00:00Z",
        "resources": {("https://data.agency.gov/datasets/widgets-statistics/widgets.csv", "CSV"),
                      ("https://data.agency.gov/datasets/widgets-statistics/widgets-all.zip", "ZIPPED CSV"),
                      ("http://www.agency.gov/feeds/widgets-all.json", "JSON"),
                      ("https://data.agency.gov/api/widgets-statistics/", "API")},
        "extras": {"dct:conformsTo": "http://www.agency.gov/widget-taxonomy/", "dct:language": "en-US",
                   "dct:temporal": "2009-09-01T12:00:00Z/2010-05-31T12:00:00Z"}}},
    "catalog_with_at_graph.jsonld": {
        "https://ckan.example.org/dataset/d4ce4e6e-ab89-44cb-bf5c-33a162c234de#dataset": {
            "title": "Title dataset", "description": "Description distribution",
            "publisher": "Organization example.org",  # the catalogue's: the dataset names none
            "licence": "http://www.opendefinition.org/licenses/cc-zero", "contact": ("Jane Doe", "jane.doe@agency.gov"),
            "resources": {("http://example2.org/files/download.zip", "ZIP")}}},
    "dataset.rdf": {"9df8df51-63db-37a8-e044-0003ba9b0d98": {
        "title": "Zimbabwe Regional Geochemical Survey.", "name": "zimbabwe-regional-geochemical-survey",
        "remote_url": "http://dataset.info.org", "tags": ["exploration", "geochemistry", "geology"],
        "publisher": "Publishing Organization for dataset 1", "organization_name": "some-org",
        "licence": "https://data.some.org/link/to/license", "contact": ("Point of Contact", "contact@some.org"),
        "frequency": "daily", "year": 2013, "period": "1905-2013", "created": "2012-05-10",
        "modified": "2012-05-10T21:04:00", "topics": [("100142", "100142"), ("209065", "209065"),
                                                   ("earth-sciences", "Earth Sciences")],
        "coverage": "http://publications.europa.eu/mdr/authority/country/ZWE",
        "resources": {("http://www.bgs.ac.uk/gbase/geochemcd/home.html", "HTML")},
        "resource_ids": {"https://example.org/distributions/1"},
        "extras": {"owl:versionInfo": "2.3", "adms:versionNotes": "New schema added",
                   "dct:provenance": "Some statement about provenance", "dcat:spatialResolutionInMeters": "1.5",
                   "adms:identifier": '["alternate-identifier-1", "alternate-identifier-2"]',
                   "dct:conformsTo": '["Standard 1", "Standard 2"]', "dct:language": '["ca", "en", "es"]',
                   "dct:accessRights": "public", "dcat:temporalResolution": "PT15M", "dct:type": "test-type"}}},
    "dataset.ttl": {"http://example.com/dataset/1234567890": {
        "title": "HealthDCAT-AP test dataset", "name": "healthdcat-ap-test-dataset",
        "description": "This dataset is an example of using HealthDCAT-AP in CKAN", "tags": ["Test 1", "Test 2"],
        "remote_url": "http://example.healthdata.nl/set/dataset", "publisher": "Contact Point",
        "licence": "http://publications.europa.eu/resource/authority/licence/CC_BYNCND_3_0",
        "contact": ("Contact Point", "contact@example.com"), "frequency": "DAILY", "year": 2024,
        "period": "2020-2024", "topics": [("heal", "HEAL")], "created": "2024-01-01T00:00:00+00:00",
        "modified": "2024-12-31T23:59:59+00:00",
        "coverage": "http://publications.europa.eu/resource/authority/country/BEL",
        "resources": {("https://fair.healthdata.be/sites/default/files/distribution/d43a158e-7d13-4660-bbc3-9d3f8d5501e5/"
                       "Technical_report_number_of_unique_study_subjects_available_by_environment_for_project_"
                       "HDBP0250.csv", "CSV")},
        "extras": {"dcat:keyword@nl": "Test 3", "dct:title@nl": "HealthDCAT-AP test dataset",
                   "dct:alternative": "TEST-DATASET", "adms:versionNotes": "Dataset continuously updated",
                   "dcat:inSeries": "http://example.com/series", "dcat:spatialResolutionInMeters": "10"}}},
    "dataset_afs.ttl": {"http://example.com/data/test-dataset-1": {
        "title": "A test dataset on your catalogue", "description": "A longer description of the dataset",
        "remote_url": "http://url.to.dataset.home", "tags": ["pollution", "stats"],
        "publisher": "Name of the Publishing Organization", "licence": "https://url.to.license",
        "contact": ("Name of the Publishing Organization", "contact@some.org"), "created": "2012-05-10",
        "modified": "2012-05-10T21:04",
        "resources": {("http://url.to.csv.file", "CSV"), ("http://url.to.html.page", "HTML")},
        "extras": {"dc:language": '["ca", "en", "es"]'}}},
    "dataset_deri.ttl": {"http://data.london.gov.uk/dataset/Abandoned_Vehicles": {
        "title": "Abandoned Vehicles", "remote_url": "http://data.london.gov.uk/dataset/Abandoned_Vehicles",
        "publisher": None, "licence": None, "contact": None, "frequency": "Annual", "coverage": "Greater London",
        "created": None, "tags": [],
        "resources": {("http://data.london.gov.uk/datafiles/environment/abandoned-vehicles-borough.csv", "TXT")},
        "extras": {"dct:issued": "06/05/2009", "dcat:granularity": "Local Authority",
                   "foaf:homepage": "http://data.london.gov.uk/datastore/package/abandoned-vehicles"}}},
    "dataset_gob_es.ttl": {"https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas": {
        "title": "Estudio de Satisfacción con el Programa de Escuelas Municipales de Promoción Deportiva en centros "
                 "escolares", "tags": ["deporte escolar", "escuelas", "promoción"],
        "publisher": "Ayuntamiento de Madrid", "organization_name": "l01280796",
        "licence": "https://datos.madrid.es/egob/catalogo/aviso-legal", "topics": [("deporte", "deporte")],
        "frequency": "P1Y", "created": "2024-04-15T09:08:02+02:00", "modified": "2024-04-15T09:08:10+02:00",
        "resources": {("https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas.xlsx", "XLS")},
        "sizes": {43008}, "extras": {"dct:language": "es"}}},
    "dataset_gov_de.rdf": {"c1be4007-d811-48fb-8818-2cb358b06a63": {
        "title": "Liefer- und Abholservices (Gastronomie)", "name": "liefer-und-abholservices-gastronomie",
        "remote_url": "https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63",
        "tags": ["gastronomiebetriebe", "handel", "handel-und-verbrauch", "lebensmittel", "nahrung",
                 "nahrungsmittelgewerbe", "wirtschaft", "ökonomie"],
        "publisher": "Hanse- und Universitätsstadt Rostock",
        "organization_name": "b952e781-ab4c-456a-8e7a-2845f7efaf83",
        "licence": "http://dcat-ap.de/def/licenses/cc-zero", "topics": [("econ", "ECON")],
        "contact": ("Hanse- und Universitätsstadt Rostock – Kataster-, Vermessungs- und Liegenschaftsamt",
                    "geodienste@rostock.de"),
        "created": "2020-04-21T11:59:39.642528", "modified": "2024-05-08T04:11:24.309486",
        "resources": {(f"https://geo.sv.rostock.de/download/opendata/lieferservices/lieferservices.{ext}", fmt)
                      for ext, fmt in (("json", "GEOJSON"), ("xlsx", "XLSX"), ("csv", "CSV"), ("gml", "GML"),
                                       ("kml", "KML"))}
        | {("https://geo.sv.rostock.de/geodienste/lieferservices/wms", "WMS"),
           ("https://geo.sv.rostock.de/geodienste/lieferservices/wfs", "WFS"),
           ("https://geo.sv.rostock.de/inspire/us-govserv-homedeliveryservices/download", None),
           ("https://geo.sv.rostock.de/inspire/us-govserv-homedeliveryservices/view", None)},
        "sizes": {147253, 27256, 60744, 308724, 241844, None},
        "extras": {"dcatde:geocodingDescription": "Rostock", "dct:conformsTo": "http://dcat-ap.de/def/dcatde/",
                   "dcatap:hvdCategory": "http://data.europa.eu/bna/c_e1da4e07"}}},
    "dataset_multilingual.ttl": {"0112cf32-bce0-4071-9504-923375f9f2ad": {
        "title": "Test DCAT dataset", "name": "test-dcat-dataset", "description": "Some description",
        "remote_url": "http://example.org/ds1", "tags": ["Oaks", "Pines"], "publisher": None, "licence": None,
        "contact": ("Contact 1", "contact1@example.org"), "created": "2024-05-01", "modified": "2024-05-05",
        "resources": {("https://example.com/data.csv", "CSV")},
        "extras": {"dct:title@ca": "Conjunt de dades de prova DCAT", "dct:title@es": "Conjunto de datos de prueba DCAT",
                   "dct:description@es": "Una descripción cualquiera", "dcat:keyword@ca": '["Pins", "Roures"]',
                   "dcat:keyword@es": '["Pinos", "Robles"]', "owl:versionInfo": "1.0b",
                   "adms:versionNotes": "Some version notes", "adms:versionNotes@ca": "Notes sobre la versió",
                   "dct:provenance": "Statement about provenance", "dct:language": '["ca", "en", "es"]'}}},
    "dataset_sweden.rdf": {"http://nobelprize.org/datasets/dcat#ds1": {
        "title": "Linked Nobel prizes", "remote_url": "http://data.nobelprize.org/",
        "description": "This dataset contains Nobel prizes, Nobel laureates and information about related media "
                       "resources.",
        "tags": ["Nobel prize", "prize", "science"], "publisher": "Nobel Media AB",
        "licence": "http://creativecommons.org/licenses/by-nc/3.0/", "contact": ("Nobel Media AB", "info@nobelmedia.org"),
        "coverage": "Stockholm", "frequency": "daily", "year": 2013, "period": "1905-2013",
        "created": "2014-01-15", "modified": "2014-08-27",
        "resources": {("http://data.nobelprize.org/", "RDF")},
        "extras": {"dct:language": "http://publications.europa.eu/resource/authority/language/ENG"}}},
}


def test_every_example_file_has_expectations() -> None:
    assert set(EXPECTED) == {p.name for p in DATA.iterdir() if p.suffix in CONTENT_TYPES}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_dcat_documents_harvest_without_loss(served: Served, name: str) -> None:
    got = harvest(served.put_file(name), default_tags=["dipanen"])
    expected = EXPECTED[name]
    assert sorted(item.remote_id for item, _ in got) == sorted(expected)
    for item, mapped in got:
        want = expected[item.remote_id]
        assert item.record is not None and mapped.remote_id == item.remote_id
        assert mapped.title == want["title"]
        assert mapped.tags == [*want.get("tags", []), "dipanen"]
        for key in ("name", "description", "remote_url", "frequency", "coverage", "year", "period", "created",
                    "modified"):
            if key in want:
                assert getattr(mapped, key) == want[key], key
        assert item.modified == mapped.modified
        if "publisher" in want:
            assert (mapped.organization or {}).get("title") == want["publisher"]
        if "organization_name" in want:
            assert mapped.organization is not None and mapped.organization["name"] == want["organization_name"]
        if "licence" in want:
            assert (mapped.licence or {}).get("id") == want["licence"]
        if "contact" in want:
            contact = mapped.contact
            assert (None if contact is None else (contact["name"], contact["email"])) == want["contact"]
        if "topics" in want:
            assert [(t["name"], t["title"]) for t in mapped.topics] == want["topics"]
        assert {(r.url, r.format) for r in mapped.resources} == want["resources"]
        assert len(mapped.resources) == len(want["resources"])
        if "resource_ids" in want:
            assert {r.remote_id for r in mapped.resources} == want["resource_ids"]
        if "sizes" in want:
            assert {r.size for r in mapped.resources} == want["sizes"]
        for key, value in want.get("extras", {}).items():
            assert mapped.extras.get(key) == value, key
        assert all(isinstance(v, str) for v in mapped.extras.values())
        assert json.loads(json.dumps(mapped.as_dict())) == mapped.as_dict()  # plain values only
        assert json.loads(json.dumps(item.record)) == item.record


def test_distributions_keep_their_titles_media_types_sizes_and_dates(served: Served) -> None:
    (_, gov_de), = harvest(served.put_file("dataset_gov_de.rdf"))
    csv = next(r for r in gov_de.resources if r.format == "CSV")
    assert csv.remote_id == ("https://www.opendata-hro.de/dataset/c1be4007-d811-48fb-8818-2cb358b06a63/resource/"
                             "ee7c9411-f35e-48a7-9129-843baf9e0393")
    assert (csv.name, csv.media_type, csv.size, csv.modified) == (
        "Liefer- und Abholservices (Gastronomie)", "text/csv", 60744, "2024-05-07T11:58:19")
    xlsx = next(r for r in gov_de.resources if r.format == "XLSX")
    assert xlsx.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    (_, pod), = harvest(served.put_file("catalog_pod.jsonld"))
    zipped = next(r for r in pod.resources if r.url.endswith(".zip"))
    assert (zipped.name, zipped.description, zipped.media_type) == (
        "widgets-all.zip", "Widgets data as a zipped CSV file with attached data dictionary", "application/zip")
    (_, gob_es), = harvest(served.put_file("dataset_gob_es.ttl"))
    assert (gob_es.resources[0].name, gob_es.resources[0].media_type) == (
        "Estudio de satisfacción temporada 2023-2024", "application/vnd.ms-excel")
    (_, multilingual), = harvest(served.put_file("dataset_multilingual.ttl"))
    assert (multilingual.resources[0].name, multilingual.resources[0].description) == ("Resource 1",
                                                                                       "Some description")


def test_a_turtle_file_with_an_undeclared_prefix_is_read_and_says_so(served: Served) -> None:
    (_, mapped), = harvest(served.put_file("dataset.ttl"))
    assert "healthdcatap" in mapped.extras["catatan_panen"]
    assert "tidak dideklarasikan" in mapped.extras["catatan_panen"]


# ---------------------------------------------------------------------- languages and formats


def test_indonesian_is_preferred_then_english(served: Served) -> None:
    url = served.put("/id.ttl", PREFIXES + """
<https://data.contoh.go.id/dataset/penduduk> a dcat:Dataset ;
    dct:identifier "jumlah-penduduk" ;
    dct:title "Population"@en, "Jumlah Penduduk"@id, "Bevölkerung"@de ;
    dct:description "Per kecamatan"@id, "By district"@en ;
    dcat:keyword "penduduk"@id, "kependudukan"@id, "population"@en, "statistik" .
""")
    (_, mapped), = harvest(url)
    assert (mapped.title, mapped.description, mapped.name) == ("Jumlah Penduduk", "Per kecamatan", "jumlah-penduduk")
    assert mapped.tags == ["kependudukan", "penduduk", "statistik"]  # the chosen language and the untagged
    assert mapped.extras["dct:title@en"] == "Population" and mapped.extras["dct:title@de"] == "Bevölkerung"
    assert mapped.extras["dcat:keyword@en"] == "population"
    assert mapped.remote_url == "https://data.contoh.go.id/dataset/penduduk"


def test_the_format_is_found_without_a_content_type(served: Served) -> None:
    for name in ("dataset_afs.ttl", "catalog.rdf", "catalog_with_at_graph.jsonld"):
        url = served.put("/unduh/" + name.replace(".", "-"), (DATA / name).read_bytes(), "application/octet-stream")
        assert harvest(url), name
    url = served.put("/katalog.ttl", (DATA / "dataset_afs.ttl").read_bytes(), "text/plain")
    assert [item.remote_id for item, _ in harvest(url)] == ["http://example.com/data/test-dataset-1"]
    message = error_of(served.put("/salah", (DATA / "dataset_afs.ttl").read_bytes()), format="xml")
    assert message.startswith("RDF/XML dari ") and "rusak pada baris 1" in message


def test_a_blank_node_dataset_gets_a_stable_id(served: Served) -> None:
    url = served.put("/kosong-id.jsonld", json.dumps({
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
        "@type": "dcat:Dataset", "dct:title": "Tanpa alamat",
        "dcat:distribution": {"@type": "dcat:Distribution", "dcat:downloadURL": {"@id": "https://x.go.id/a.csv"}}}),
        "application/ld+json")
    first, second = harvest(url), harvest(url)
    assert first[0][0].remote_id.startswith("_:") and first[0][0].remote_id == second[0][0].remote_id
    assert first[0][1].resources[0].format == "CSV"  # from the file's extension
    assert first[0][1].remote_url is None


def test_remote_json_ld_contexts_are_fetched_through_the_guarded_session(served: Served) -> None:
    served.put("/konteks.jsonld", json.dumps({"@context": {
        "dcat": "http://www.w3.org/ns/dcat#", "judul": "http://purl.org/dc/terms/title",
        "Dataset": "dcat:Dataset"}}), "application/ld+json")
    url = served.put("/data.jsonld", json.dumps({"@context": "/konteks.jsonld", "@id": "https://x.go.id/ds/1",
                                                 "@type": "Dataset", "judul": "Lewat konteks"}), "application/ld+json")
    (_, mapped), = harvest(url)
    assert mapped.title == "Lewat konteks"
    assert served.requests == [("/data.jsonld", "SatuDataPortal-Harvester/1.0"),
                               ("/konteks.jsonld", "SatuDataPortal-Harvester/1.0")]  # never rdflib's own fetch
    served.put("/rusak.jsonld", json.dumps({"@context": "/tidak-ada.jsonld", "@type": "Dataset"}),
               "application/ld+json")
    message = error_of(served.url + "/rusak.jsonld")
    assert message.startswith("Konteks JSON-LD") and "HTTP 404" in message


# ---------------------------------------------------------------------- Hydra paging


def page(served: Served, number: int, ids: list[str], next_page: int | None, *, path: str = "/katalog") -> str:
    here = f"{served.url}{path}?page={number}"
    text = PREFIXES + f"<{here}> a hydra:PagedCollection ; hydra:totalItems 5"
    if next_page is not None:
        text += f" ; hydra:nextPage <{served.url}{path}?page={next_page}>"
    text += f" .\n<{served.url}/> a dcat:Catalog"
    if ids:
        text += " ; dcat:dataset " + ", ".join(f"<{served.url}/ds/{i}>" for i in ids)
    text += " .\n" + "".join(f'<{served.url}/ds/{i}> a dcat:Dataset ; dct:identifier "{i}" ; '
                             f'dct:title "Dataset {i}" ; dct:modified "2026-01-0{i}"^^<http://www.w3.org/2001/'
                             'XMLSchema#date> .\n' for i in ids)
    return served.put(f"{path}?page={number}", text)


def test_hydra_pages_are_read_one_at_a_time(served: Served) -> None:
    start = page(served, 1, ["1", "2"], 2)
    page(served, 2, ["3", "4"], 3)
    page(served, 3, ["4", "5"], None)  # 4 again: a dataset that moved while we read
    served.pages["/katalog"] = served.pages["/katalog?page=1"]
    ctx, plugin = ctx_for(start.replace("?page=1", ""), max_pages=10), DcatHarvester()
    items = plugin.gather(ctx)
    first = next(items)
    assert served.paths == ["/katalog"] and first.remote_id == "1"  # one page read, not the whole catalogue
    rest = list(items)
    assert [i.remote_id for i in [first, *rest]] == ["1", "2", "3", "4", "5"]
    assert served.paths == ["/katalog", "/katalog?page=2", "/katalog?page=3"]
    assert rest[-1].modified == "2026-01-05"


def test_the_current_hydra_view_form_is_followed(served: Served) -> None:
    second = served.put("/view2.jsonld", json.dumps({
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "hydra": "http://www.w3.org/ns/hydra/core#"},
        "@graph": [{"@id": "https://x.go.id/ds/b", "@type": "dcat:Dataset", "dct:title": "B"}]}),
        "application/ld+json")
    first = served.put("/view1.jsonld", json.dumps({
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "hydra": "http://www.w3.org/ns/hydra/core#"},
        "@graph": [{"@id": "https://x.go.id/katalog", "@type": "dcat:Catalog",
                    "dcat:dataset": {"@id": "https://x.go.id/ds/a", "@type": "dcat:Dataset", "dct:title": "A"},
                    "hydra:view": {"@id": "/view1.jsonld", "@type": "hydra:PartialCollectionView",
                                   "hydra:next": {"@id": second.removeprefix(served.url)}}}]}),
        "application/ld+json")
    assert [m.title for _, m in harvest(first)] == ["A", "B"]


def test_a_next_page_seen_before_ends_the_listing(served: Served) -> None:
    start = page(served, 1, ["1"], 2)
    page(served, 2, ["2"], 1)  # back to the first page
    assert [i.remote_id for i, _ in harvest(start)] == ["1", "2"]
    assert served.paths == ["/katalog?page=1", "/katalog?page=2"]
    served.requests.clear()
    last = page(served, 1, ["1"], 1, path="/sendiri")  # a last page that points at itself
    assert [i.remote_id for i, _ in harvest(last)] == ["1"] and served.paths == ["/sendiri?page=1"]


def test_more_pages_than_max_pages_is_an_error_after_the_pages_read(served: Served) -> None:
    start = page(served, 1, ["1"], 2)
    page(served, 2, ["2"], 3)
    page(served, 3, ["3"], None)
    ctx, plugin = ctx_for(start, max_pages=2), DcatHarvester()
    seen: list[str] = []
    with pytest.raises(HarvestError) as stopped:
        for item in plugin.gather(ctx):
            seen.append(item.remote_id)
    assert seen == ["1", "2"] and "/katalog?page=3" not in served.paths
    assert "max_pages" in stopped.value.message and "belum dipanen" in stopped.value.message


def test_a_later_page_that_fails_names_its_number(served: Served) -> None:
    start = page(served, 1, ["1"], 2)
    ctx, plugin = ctx_for(start), DcatHarvester()
    items = plugin.gather(ctx)
    assert next(items).remote_id == "1"
    with pytest.raises(HarvestError) as failed:
        next(items)
    assert failed.value.message.startswith("Halaman ke-2 katalog") and "HTTP 404" in failed.value.message


# ---------------------------------------------------------------------- sources that answer nonsense


def test_html_instead_of_rdf(served: Served) -> None:
    url = served.put("/katalog.ttl", "<!DOCTYPE html><html><body>Login</body></html>", "text/html")
    message = error_of(url)
    assert "mengirim HTML, bukan RDF" in message and "Periksa alamat katalog DCAT" in message


def test_malformed_turtle(served: Served) -> None:
    url = served.put("/rusak.ttl", PREFIXES + '<https://x.go.id/ds/1> a dcat:Dataset ;\n dct:title "tanpa akhir .\n')
    message = error_of(url, format="turtle")
    assert message.startswith("Turtle dari ") and "rusak pada baris" in message and "Minta pengelola" in message
    message = error_of(url)  # auto: every parser tried
    assert "tidak dapat dibaca sebagai JSON-LD, Turtle, maupun RDF/XML" in message


def test_rdf_xml_external_entities_are_not_fetched(served: Served) -> None:
    url = served.put("/xxe.rdf", f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY rahasia SYSTEM "{served.url}/rahasia">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"
         xmlns:dcat="http://www.w3.org/ns/dcat#">
  <dcat:Dataset rdf:about="https://x.go.id/ds/1"><dct:title>Isi: &rahasia;</dct:title></dcat:Dataset>
</rdf:RDF>""", "application/rdf+xml")
    served.put("/rahasia", "password")
    (_, mapped), = harvest(url)
    assert mapped.title == "Isi:" and "/rahasia" not in served.paths  # the entity is skipped, never fetched


def test_a_source_that_is_not_there(served: Served) -> None:
    message = error_of(served.url + "/tidak-ada.ttl")
    assert "HTTP 404" in message and "alamat ini tidak ada" in message
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_port
    closed.server_close()
    assert "tidak dapat dihubungi" in error_of(f"http://127.0.0.1:{port}/catalog.ttl")


def test_an_empty_answer_or_a_catalogue_without_datasets(served: Served) -> None:
    assert "jawaban kosong" in error_of(served.put("/kosong.ttl", "  \n"))
    empty = served.put("/nol.ttl", PREFIXES + "<https://x.go.id/> a dcat:Catalog ; dct:title \"Katalog\" .\n")
    assert "tidak berisi satu pun dataset DCAT" in error_of(empty)
    message = error_of(served.put("/hampa.jsonld", '{"title": "bukan JSON-LD"}', "application/json"))
    assert "tidak berisi satu pun pernyataan RDF (JSON tanpa @context bukan JSON-LD)" in message


def test_a_record_that_is_not_a_dataset_is_refused_with_its_id() -> None:
    ctx, plugin = ctx_for("https://x.go.id/"), DcatHarvester()
    with pytest.raises(HarvestError) as refused:
        plugin.map(ctx, {"remote_id": "dist-1", "uri": "https://x.go.id/d/1", "properties": {
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"uri": "http://www.w3.org/ns/dcat#Distribution"}]}})
    assert refused.value.remote_id == "dist-1" and "bukan dataset DCAT" in refused.value.message
    with pytest.raises(HarvestError) as empty:
        plugin.map(ctx, {"remote_id": "x"})
    assert empty.value.remote_id == "x"
    with pytest.raises(HarvestError) as untitled:
        plugin.map(ctx, {"remote_id": "y", "properties": {
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": [{"uri": "http://www.w3.org/ns/dcat#Dataset"}]}})
    assert untitled.value.remote_id == "y" and "tidak berjudul" in untitled.value.message


# ---------------------------------------------------------------------- stable records


def test_the_same_content_hashes_the_same_and_a_new_title_differently(served: Served) -> None:
    for name in sorted(EXPECTED):
        url = served.put_file(name)
        first = {i.remote_id: base.content_hash(i.record) for i, _ in harvest(url)}
        again = {i.remote_id: base.content_hash(i.record) for i, _ in harvest(url)}
        assert first == again, name
    text = (DATA / "dataset.rdf").read_text(encoding="utf-8")
    changed = served.put("/diubah.rdf", text.replace("Zimbabwe Regional Geochemical Survey.", "Survei Geokimia"),
                         "application/rdf+xml")
    (before, _), = harvest(served.url + "/dataset.rdf")
    (after, mapped), = harvest(changed)
    assert mapped.title == "Survei Geokimia" and before.remote_id == after.remote_id
    assert base.content_hash(before.record) != base.content_hash(after.record)


def test_organization_map_keys_reach_the_runner(served: Served) -> None:
    """The runner looks ``organization["name"]`` up in ``organization_map``: a map may name the
    publisher by its slug, its URI or its foaf:name, and the name is then the key it used."""
    url = served.put_file("dataset_gob_es.ttl")
    uri = "http://datos.gob.es/recurso/sector-publico/org/Organismo/L01280796"
    for mapping in ({"l01280796": "pemkot"}, {uri: "pemkot"}, {"Ayuntamiento de Madrid": "pemkot"}, {}):
        (_, mapped), = harvest(url, organization_map=mapping, default_topics=["olahraga"])
        assert mapped.organization is not None and mapped.organization["title"] == "Ayuntamiento de Madrid"
        assert mapping.get(mapped.organization["name"]) == ("pemkot" if mapping else None)
        assert mapped.topics[-1] == {"name": "olahraga", "title": "olahraga"}
    (_, unmapped), = harvest(url)
    assert unmapped.organization == {"name": "l01280796", "title": "Ayuntamiento de Madrid"}


# ---------------------------------------------------------------------- this portal's own feed


def own_datasets() -> list[Any]:
    """Three public datasets as model objects (never added to a session: no database)."""
    from satudata.accounts.models import Organization
    from satudata.catalog.models import Dataset, Frequency, Licence, Resource, Tag, Topic

    when = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    dinkes = Organization(slug="dinkes", name="Dinas Kesehatan", email="dinkes@contoh.go.id")
    licence = Licence(id="cc-by-4.0", title="Creative Commons Attribution 4.0",
                      url="https://creativecommons.org/licenses/by/4.0/")
    health = Topic(slug="kesehatan", name="Kesehatan", name_en="Health")
    return [
        Dataset(id="11111111-0000-4000-8000-000000000001", slug="jumlah-puskesmas", title="Jumlah Puskesmas",
                description="Per kecamatan.", organization=dinkes, licence=licence, topics=[health],
                tags=[Tag(name="puskesmas"), Tag(name="kesehatan")], year=2025, period="2020-2025",
                frequency=Frequency.TAHUNAN, kode_wilayah="14.71", contact_name="Seksi Data",
                contact_email="data@dinkes.contoh.go.id", created_at=when, updated_at=when, published_at=when,
                resources=[Resource(id="r-1", name="puskesmas.csv", format="CSV", size=2048, sha256="ab" * 32,
                                    created_at=when, updated_at=when),
                           Resource(id="r-2", name="Peta puskesmas", format="GEOJSON",
                                    url="https://peta.contoh.go.id/puskesmas.geojson", created_at=when,
                                    updated_at=when)]),
        Dataset(id="11111111-0000-4000-8000-000000000002", slug="angka-kematian-bayi", title="Angka Kematian Bayi",
                description="", organization=dinkes, licence=None, topics=[], tags=[], year=2024,
                frequency=Frequency.BULANAN, created_at=when, updated_at=when, published_at=when, resources=[]),
        Dataset(id="11111111-0000-4000-8000-000000000003", slug="rumah-sakit", title="Rumah Sakit",
                description="Daftar rumah sakit.", organization=dinkes, licence=licence, topics=[health],
                tags=[Tag(name="rumah sakit")], created_at=when, updated_at=when, published_at=when,
                resources=[Resource(id="r-3", name="rs.xlsx", format="XLSX", size=4096, sha256="cd" * 32,
                                    created_at=when, updated_at=when)]),
    ]


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "rdf"])
def test_this_portals_own_catalogue_pages(served: Served, suffix: str) -> None:
    from flask import Flask

    from satudata.api import dcat

    app = Flask("dcat-feed")
    app.config.update(BASE_URL=served.url, SITE_NAME="Satu Data Contoh", SITE_REGION="Kota Contoh")
    datasets = own_datasets()
    for number, ds in enumerate(datasets, start=1):  # one dataset a page, as DCAT_PAGE_SIZE=1 would
        with app.test_request_context(f"/catalog.{suffix}?page={number}"):
            graph = dcat.catalog_graph([ds], total=len(datasets), page=number, per_page=1, suffix=suffix)
            answer = dcat._answer(graph, suffix)  # the route's own serialisation and Content-Type
            served.put(f"/catalog.{suffix}?page={number}", answer.get_data(), answer.content_type)
            if number == 1:
                served.put(f"/catalog.{suffix}", answer.get_data(), answer.content_type)
        with app.test_request_context(f"/dataset/{ds.slug}.{suffix}"):
            answer = dcat._answer(dcat.dataset_graph(ds), suffix)
            served.put(f"/dataset/{ds.slug}.{suffix}", answer.get_data(), answer.content_type)
    got = harvest(f"{served.url}/catalog.{suffix}")
    assert served.paths == [f"/catalog.{suffix}", f"/catalog.{suffix}?page=2", f"/catalog.{suffix}?page=3"]
    assert [item.remote_id for item, _ in got] == [ds.id for ds in datasets]
    by_id = {mapped.remote_id: mapped for _, mapped in got}
    first = by_id[datasets[0].id]
    assert (first.title, first.description, first.name) == ("Jumlah Puskesmas", "Per kecamatan.", "jumlah-puskesmas")
    assert first.remote_url == f"{served.url}/dataset/jumlah-puskesmas"
    assert first.organization == {"name": "dinkes", "title": "Dinas Kesehatan"}
    assert first.topics == [{"name": "kesehatan", "title": "Kesehatan"}]
    assert first.tags == ["kesehatan", "puskesmas"]
    assert first.licence == {"id": "cc-by-4.0", "title": "Creative Commons Attribution 4.0",
                             "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert first.contact == {"name": "Seksi Data", "email": "data@dinkes.contoh.go.id"}
    assert (first.year, first.period, first.frequency) == (2025, "2020-2025", "ANNUAL")
    assert first.coverage == "Kota Pekanbaru" and '"dct:identifier": "14.71"' in first.extras["dct:spatial"]
    assert first.created == first.modified == "2026-01-05T03:00:00+00:00"
    assert [(r.remote_id, r.name, r.url, r.format, r.media_type, r.size) for r in first.resources] == [
        ("r-1", "puskesmas.csv", f"{served.url}/dataset/jumlah-puskesmas/resource/r-1/download", "CSV", "text/csv",
         2048),
        ("r-2", "Peta puskesmas", "https://peta.contoh.go.id/puskesmas.geojson", "GEOJSON", "application/geo+json",
         None)]
    second = by_id[datasets[1].id]
    assert (second.description, second.year, second.period, second.frequency) == (
        "Angka Kematian Bayi", 2024, None, "MONTHLY")  # the feed repeats the title when there is no description
    assert second.licence is None and second.resources == [] and second.contact is not None
    assert second.contact["email"] == "dinkes@contoh.go.id"
    single = harvest(f"{served.url}/dataset/rumah-sakit.{suffix}")
    assert [(i.remote_id, m.title, m.licence and m.licence["id"]) for i, m in single] == [
        (datasets[2].id, "Rumah Sakit", "cc-by-4.0")]
    assert base.content_hash(single[0][0].record) == base.content_hash(got[2][0].record)
