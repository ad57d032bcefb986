"""The public pages on a scratch database: what each page shows, what it hides, and how it
answers bad input (a helpful page with the right status, never a 500)."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import flask_babel
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

import satudata
from satudata.catalog import services as catalog
from satudata.catalog.models import AccessClass, DataKind, DataStatus, Frequency, PresentationLevel
from satudata.catalog.storage import get_store
from satudata.extensions import db as _db
from tests.conftest import TEST_REDIS_URL
from tests.factories import CSV, SYSTEM, make_dataset, make_licence, make_org, make_topic

TRANSLATIONS = Path(satudata.__file__).parent / "translations"


def compile_translations() -> None:
    """Compile each ``messages.po`` to ``messages.mo`` when missing or stale, as
    ``pybabel compile -d satudata/translations`` does (fuzzy entries left out)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalogue = read_po(fh)
        tmp = mo.with_name(f"messages.mo.{os.getpid()}")
        with tmp.open("wb") as fh:
            write_mo(fh, catalogue)
        os.replace(tmp, mo)


# At import, so the catalogue exists before any test of the run renders English (Flask-Babel
# caches a missing catalogue as "no translation" for the life of the app).
compile_translations()


@pytest.fixture(scope="session", autouse=True)
def translations_compiled() -> None:
    compile_translations()


# --------------------------------------------------------------------------- helpers


class _Scripts(HTMLParser):
    """Collects <script> elements and inline style attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, Any]] = []
        self.inline_styles = 0
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "script":
            self._current = {"attrs": attributes, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append(self._current)
            self._current = None


def parse(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    return parser


def get(client: FlaskClient, url: str, **kwargs: Any) -> Any:
    """A request as from a browser. The ``app`` fixture keeps one app context (and so one ``g``)
    for the whole test, where Flask-Babel caches the locale: forget the previous request's."""
    flask_babel.refresh()
    return client.get(url, **kwargs)


def text(resp: Any) -> str:
    return str(resp.get_data(as_text=True))


def jsonld(html: str) -> dict[str, Any]:
    docs = [s for s in parse(html).scripts if s["attrs"].get("type") == "application/ld+json"]
    assert len(docs) == 1
    return dict(json.loads(docs[0]["text"]))


def assert_error_page(resp: Any, status: int, *needles: str) -> str:
    """An HTML page in the site's layout, with the status, a message and a way onwards."""
    assert resp.status_code == status
    assert resp.mimetype == "text/html"
    body = text(resp)
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert f'<p class="error-code" aria-hidden="true">{status}</p>' in body
    assert 'href="/"' in body and 'action="/dataset"' in body
    for needle in needles:
        assert needle in body, needle
    return body


@pytest.fixture()
def catalogue(app: Flask) -> dict[str, Any]:
    """Two organisations under a kabupaten, two topics, four public datasets, one draft, one
    restricted."""
    from satudata.accounts import services as accounts
    from satudata.accounts.models import OrganizationKind

    kab = accounts.create_organization(SYSTEM, slug="pemkab-rohil", name="Pemerintah Kabupaten Rokan Hilir",
                                       kind=OrganizationKind.KABUPATEN, kode_wilayah="14.07")
    walidata = make_org(slug="diskominfo-rohil", name="Diskominfo Rokan Hilir", parent=kab, is_walidata=True)
    capil = make_org(slug="disdukcapil-rohil", name="Disdukcapil Rokan Hilir", parent=kab, acronym="Disdukcapil")
    dinkes = make_org(slug="dinkes-rohil", name="Dinas Kesehatan Rokan Hilir", parent=kab)
    pop = make_topic("kependudukan", "Kependudukan")
    pop.name_en = "Population"
    health = make_topic("kesehatan", "Kesehatan")
    lic = make_licence()
    odbl = make_licence("odc-odbl", "Open Data Commons Open Database License")
    penduduk = make_dataset(
        capil, title="Jumlah Penduduk menurut Kecamatan", slug="jumlah-penduduk-kecamatan",
        description="Jumlah penduduk **per kecamatan** di Rokan Hilir.\n\n<script>alert('x')</script>",
        topics=[pop], tags=["penduduk", "kecamatan"], licence=lic, year=2025, walidata=walidata,
        urusan="Administrasi Kependudukan", konsep="Penduduk adalah ...", definisi="Jumlah orang ...",
        klasifikasi="Jenis kelamin", ukuran="Jumlah penduduk", satuan="jiwa", period="2025",
        frequency=Frequency.TAHUNAN, presentation_level=PresentationLevel.KECAMATAN,
        kode_wilayah="14.07", coverage="Kabupaten Rokan Hilir", data_source="SIAK",
        data_kind=DataKind.STATISTIK_SEKTORAL, is_priority=True, data_status=DataStatus.TETAP,
        contact_name="Bidang Data", contact_email="data@rokanhilirkab.go.id",
    )
    faskes = make_dataset(dinkes, title="Fasilitas Kesehatan", slug="fasilitas-kesehatan", topics=[health],
                          tags=["kesehatan"], year=2024, csv="kecamatan,puskesmas\nKubu,2\nBangko,3\n",
                          document="https://example.org/faskes.pdf", licence=odbl)
    sekolah = make_dataset(capil, title="Jumlah Sekolah Dasar", slug="jumlah-sekolah", topics=[pop], year=2023,
                           tags=["pendidikan"], licence=odbl)
    kelahiran = make_dataset(capil, title="Kelahiran per Tahun", slug="kelahiran", licence=odbl,
                             csv="tahun,kelahiran\n2021,12034\n2022,12500\n2023,12877\n")
    draft = make_dataset(capil, title="Draf Rahasia Penduduk", slug="draf-rahasia", publish=False)
    restricted = make_dataset(capil, title="Penduduk Terbatas", slug="penduduk-terbatas",
                              access_class=AccessClass.TERBATAS)
    from satudata.search import services as search

    search.reindex_all()  # what the search worker does after those commits
    return {"kab": kab, "capil": capil, "dinkes": dinkes, "walidata": walidata, "penduduk": penduduk,
            "faskes": faskes, "sekolah": sekolah, "kelahiran": kelahiran, "draft": draft,
            "restricted": restricted, "topic": pop, "health": health}


# --------------------------------------------------------------------------- home


def test_home_shows_search_topics_counts_and_lists(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    catalog.record_download(catalogue["faskes"].resources[0])
    # Download counts reach the search index when the index is rebuilt (the nightly
    # rebuild_index job; CKAN's tracking counts are nightly too), not with every download.
    from satudata.search import services as search

    search.reindex_all()
    resp = scratch_client.get("/")
    assert resp.status_code == 200
    body = text(resp)
    assert '<html lang="id">' in body
    assert re.search(r'<form[^>]*role="search"[^>]*method="get"[^>]*action="/dataset"', body)
    assert 'name="q"' in body and '<label for="home-q">' in body
    assert 'href="/group/kependudukan"' in body and "Kependudukan" in body
    assert re.search(r'href="/group/kependudukan">.*?<span class="topic-count">2 dataset</span>', body, re.S)
    assert '<span class="stat-number">4</span>' in body  # four public datasets
    newest = body.split('id="terbaru-judul"')[1].split('id="populer-judul"')[0]
    popular = body.split('id="populer-judul"')[1]
    assert newest.index("Kelahiran per Tahun") < newest.index("Jumlah Penduduk menurut Kecamatan")
    assert popular.index("Fasilitas Kesehatan") < popular.index("Kelahiran per Tahun")
    assert "Draf Rahasia" not in body and "Penduduk Terbatas" not in body
    assert 'href="/api/docs"' in body and 'href="/organization"' in body and 'href="/group"' in body
    assert 'class="skip-link" href="#konten"' in body and '<main id="konten"' in body


def test_home_with_an_empty_catalogue(scratch_client: FlaskClient) -> None:
    resp = scratch_client.get("/")
    assert resp.status_code == 200
    assert "Belum ada dataset yang diterbitkan." in text(resp)


# --------------------------------------------------------------------------- dataset list


def test_list_shows_public_datasets_only(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/dataset"))
    assert "4 dataset" in body
    for title in ("Jumlah Penduduk menurut Kecamatan", "Fasilitas Kesehatan", "Jumlah Sekolah Dasar",
                  "Kelahiran per Tahun"):
        assert title in body
    assert "Draf Rahasia" not in body and "Penduduk Terbatas" not in body


def test_search_words_and_result_links(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/dataset?q=penduduk"))
    # The title match ranks first, with the word marked; "Jumlah Sekolah Dasar" follows because
    # its topic (Kependudukan) shares the stem.
    assert "2 dataset untuk “penduduk”" in body
    titles = re.findall(r'class="dataset-card-title">(.*?)</h', body)
    assert titles[0] == '<a href="/dataset/jumlah-penduduk-kecamatan">Jumlah <mark>Penduduk</mark> menurut Kecamatan</a>'
    assert 'value="penduduk"' in body  # the search box keeps the words
    assert "Fasilitas Kesehatan" not in body


@pytest.mark.parametrize(("query", "expected"), [
    ("organization=dinkes-rohil", {"Fasilitas Kesehatan"}),
    ("topic=kependudukan", {"Jumlah Penduduk menurut Kecamatan", "Jumlah Sekolah Dasar"}),
    ("tag=pendidikan", {"Jumlah Sekolah Dasar"}),
    ("format=PDF", {"Fasilitas Kesehatan"}),
    ("format=pdf", {"Fasilitas Kesehatan"}),
    ("year=2024", {"Fasilitas Kesehatan"}),
    ("licence=cc-by-4.0", {"Jumlah Penduduk menurut Kecamatan"}),
    ("topic=kependudukan&tag=penduduk", {"Jumlah Penduduk menurut Kecamatan"}),
    ("organization=tidak-ada", set()),
    ("tag=tidak-ada", set()),
])
def test_filters(scratch_client: FlaskClient, catalogue: dict[str, Any], query: str, expected: set[str]) -> None:
    resp = scratch_client.get(f"/dataset?{query}")
    assert resp.status_code == 200
    body = text(resp)
    titles = set(re.findall(r'class="dataset-card-title"><a href="/dataset/[^"]+">([^<]+)</a>', body))
    assert titles == expected
    if not expected:
        assert "Tidak ada dataset yang cocok." in body
        assert "Hapus" in body  # a way out of the empty result


def test_facets_are_links_that_add_and_remove_filters(scratch_client: FlaskClient,
                                                       catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/dataset"))
    # organisation facet with counts, as a link that adds the filter
    assert re.search(r'href="/dataset\?organization=disdukcapil-rohil"[^>]*>\s*<span class="facet-check"[^>]*>'
                     r'</span>\s*<span class="facet-label">Disdukcapil Rokan Hilir</span>\s*'
                     r'<span class="facet-count">3</span>', body)
    assert 'href="/dataset?topic=kependudukan"' in body
    assert 'href="/dataset?format=PDF"' in body and 'href="/dataset?year=2024"' in body

    body = text(scratch_client.get("/dataset?topic=kependudukan&q=jumlah"))
    # the chosen value is marked and its link removes it; other values add to it
    assert re.search(r'href="/dataset\?q=jumlah" class="facet-link is-active" aria-current="true"', body)
    assert 'href="/dataset?topic=kependudukan&amp;q=jumlah&amp;tag=pendidikan"' in body
    # a removable chip for the active filter
    assert re.search(r'<a class="chip" href="/dataset\?q=jumlah"><span class="chip-key">Topik:</span> '
                     r'Kependudukan', body)

    # a single-valued filter (organisation) is replaced, not added to
    body = text(scratch_client.get("/dataset?organization=disdukcapil-rohil"))
    assert 'href="/dataset?organization=dinkes-rohil"' not in body  # dinkes has no match here
    body = text(scratch_client.get("/dataset?year=2025"))
    assert "href=\"/dataset?year=2025\"" not in body
    assert 'class="facet-link is-active"' in body


def test_sort_orders(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/dataset?sort=name"))
    titles = re.findall(r'class="dataset-card-title"><a href="/dataset/[^"]+">([^<]+)</a>', body)
    assert titles == sorted(titles)
    assert '<option value="name" selected>' in body
    catalog.record_download(catalogue["sekolah"].resources[0])
    from satudata.search import services as search

    search.reindex_all()  # download counts reach the index with the nightly rebuild
    body = text(scratch_client.get("/dataset?sort=downloads"))
    titles = re.findall(r'class="dataset-card-title"><a href="/dataset/[^"]+">([^<]+)</a>', body)
    assert titles[0] == "Jumlah Sekolah Dasar"


def test_pagination(app: Flask, scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    app.config["PAGE_SIZE"] = 3
    try:
        first = text(scratch_client.get("/dataset?sort=name"))
        assert first.count('class="dataset-card"') == 3
        assert 'href="/dataset?sort=name&amp;page=2" rel="next"' in first
        second = scratch_client.get("/dataset?sort=name&page=2")
        assert second.status_code == 200
        body = text(second)
        assert body.count('class="dataset-card"') == 1
        assert 'rel="prev"' in body and 'aria-current="page" aria-label="Halaman 2">2</a>' in body
        # a facet link resets to the first page
        assert "page=2&amp;" not in body.split('class="listing-filters"')[1].split("</aside>")[0]
    finally:
        app.config["PAGE_SIZE"] = 20


@pytest.mark.parametrize("page", ["99999", "3", "99999999999999999999999999"])
def test_page_past_the_end_is_a_clear_404(scratch_client: FlaskClient, catalogue: dict[str, Any],
                                          page: str) -> None:
    resp = scratch_client.get(f"/dataset?q=jumlah&page={page}")
    assert resp.status_code == 404
    body = text(resp)
    assert "tidak ada." in body and "Hasil ini hanya memiliki 1 halaman." in body
    assert 'href="/dataset?q=jumlah"' in body  # back to the first (and last) page
    assert 'class="dataset-card"' not in body


@pytest.mark.parametrize(("query", "needle"), [
    ("page=abc", "Nomor halaman &#39;abc&#39; tidak valid."),
    ("page=0", "Nomor halaman &#39;0&#39; tidak valid."),
    ("page=-1", "tidak valid"),
    ("page=1.5", "tidak valid"),
    ("page=%C2%B2", "tidak valid"),
    ("year=abc", "Tahun &#39;abc&#39; tidak valid."),
    ("year=99999999999999999999", "tidak valid"),
    ("sort=bogus", "Urutan &#39;bogus&#39; tidak dikenal."),
    ("q=" + "x" * 201, "terlalu panjang"),
    ("q=a%00b", "tidak diizinkan"),
    ("q=a%01b", "karakter yang tidak diizinkan"),
    ("tag=" + "t" * 101, "terlalu panjang"),
    ("&".join(f"tag=t{i}" for i in range(21)), "Terlalu banyak nilai untuk filter &#39;tag&#39; (paling banyak 20)"),
])
def test_bad_list_parameters_get_a_400_page(scratch_client: FlaskClient, catalogue: dict[str, Any],
                                            query: str, needle: str) -> None:
    body = assert_error_page(scratch_client.get(f"/dataset?{query}"), 400, needle, "Permintaan tidak valid")
    assert "Mulai lagi dari daftar dataset." in body


def test_long_queries_within_the_limit_work(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    many_words = " ".join(["penduduk"] * 22)[:200]
    assert scratch_client.get("/dataset", query_string={"q": many_words}).status_code == 200
    odd = "' OR 1=1 -- %_\\ <b>"
    resp = scratch_client.get("/dataset", query_string={"q": odd, "organization": odd})
    assert resp.status_code == 200
    assert "<b>" not in text(resp).split('id="list-q"')[1].split(">")[0]


def test_list_bounds_are_the_shared_search_settings(scratch_client: FlaskClient, catalogue: dict[str, Any],
                                                    app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page reads the search bounds every way in shares (SEARCH_MAX_CLAUSE_VALUES per key,
    SEARCH_MAX_CLAUSES together) and the search box's own SEARCH_BOX_MAX_CHARS, not caps of its own."""
    spread = "&".join([*(f"tag=t{i}" for i in range(11)), *(f"format=f{i}" for i in range(10))])
    assert scratch_client.get(f"/dataset?{spread}").status_code == 200  # 21 values over two keys
    monkeypatch.setitem(app.config, "SEARCH_MAX_CLAUSE_VALUES", 2)
    assert scratch_client.get("/dataset?tag=a&tag=b&tag=a&tag=b").status_code == 200  # repeats count once
    assert_error_page(scratch_client.get("/dataset?tag=a&tag=b&tag=c"), 400,
                      "Terlalu banyak nilai untuk filter &#39;tag&#39; (paling banyak 2)")
    monkeypatch.setitem(app.config, "SEARCH_BOX_MAX_CHARS", 12)
    resp = scratch_client.get("/dataset", query_string={"q": "penduduk dum"})
    assert resp.status_code == 200
    assert 'name="q" value="penduduk dum" maxlength="12"' in text(resp)
    assert_error_page(scratch_client.get("/dataset", query_string={"q": "penduduk duma"}), 400,
                      "terlalu panjang (paling banyak 12 karakter)")


def test_unknown_parameters_are_ignored(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    assert scratch_client.get("/dataset?utm_source=x&foo=bar").status_code == 200


# --------------------------------------------------------------------------- dataset page


def test_dataset_page_metadata(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    resp = scratch_client.get("/dataset/jumlah-penduduk-kecamatan")
    assert resp.status_code == 200
    body = text(resp)
    assert "<h1>Jumlah Penduduk menurut Kecamatan</h1>" in body
    assert "<strong>per kecamatan</strong>" in body
    assert "alert(" not in body.split("</head>")[1]  # sanitised Markdown
    labels = ["Produsen data", "Walidata", "Topik", "Urusan", "Konsep", "Definisi", "Klasifikasi", "Ukuran",
              "Satuan", "Tahun data", "Periode", "Frekuensi", "Jadwal rilis", "Tingkat penyajian",
              "Cakupan wilayah", "Sumber data", "Cara pengumpulan", "Jenis data", "Data prioritas",
              "Status data", "Klasifikasi akses", "Lisensi", "Kontak", "Kata kunci", "Dibuat", "Diperbarui"]
    for label in labels:
        assert f'<th scope="row">{label}</th>' in body, label
    for value in ("Disdukcapil Rokan Hilir", "Diskominfo Rokan Hilir", "Administrasi Kependudukan", "jiwa",
                  "Tahunan", "Kecamatan", "Kabupaten Rokan Hilir", "<code>14.07</code>", "SIAK",
                  "Statistik sektoral", "Tetap", "Publik", "Creative Commons Attribution 4.0",
                  "mailto:data@rokanhilirkab.go.id", 'href="/dataset?tag=penduduk"'):
        assert value in body, value
    assert re.search(r"<th scope=\"row\">Data prioritas</th><td>Ya</td>", body)
    assert re.search(r"\d{1,2} \w{3} \d{4} \d{2}\.\d{2} WIB", body)  # WIB timestamps


def test_dataset_page_resources_preview_chart_and_api(scratch_client: FlaskClient,
                                                     catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    res = ds.resources[0]
    body = text(scratch_client.get(f"/dataset/{ds.slug}"))
    download = f"/dataset/{ds.slug}/resource/{res.id}/download"
    assert f'href="{download}"' in body
    assert "130 B" in body and "3 baris" in body
    # preview: a table with the file's header and rows, numbers in Indonesian format
    preview = body.split('class="data-table data-preview"')[1].split("</table>")[0]
    # column titles (the Table Schema's, here the inferred one's), each a link that sorts by it
    assert [t.strip() for t in re.findall(r'<a class="sort-link"[^>]*>([^<]+)<', preview)] == [
        "Kode wilayah", "Kecamatan", "Laki laki", "Perempuan"]
    assert "45.012" in preview and "14.07.02" in preview and "Tanah Putih" in preview
    # chart: a spec for scripts and the same numbers as a table
    spec_scripts = [s for s in parse(body).scripts if s["attrs"].get("type") == "application/json"]
    spec = json.loads(spec_scripts[0]["text"])
    assert spec["type"] == "bar" and spec["labels"] == ["Kubu", "Bangko", "Tanah Putih"]
    assert [s["name"] for s in spec["series"]] == ["laki_laki"]  # the first measure; never the code column
    assert 'data-viz="' + spec_scripts[0]["attrs"]["id"] + '"' in body
    assert "45.012" in body.split("<summary>Angka pada grafik</summary>")[1]
    assert "/static/vendor/d3.min.js" in body and "/static/js/viz.js" in body
    # how to use the API for this dataset
    assert "Gunakan API" in body
    assert f"curl -s 'http://localhost/api/3/action/package_show?id={ds.slug}'" in body
    assert f"curl -s 'http://localhost/api/v1/datasets/{ds.slug}'" in body
    assert f"/api/v1/resources/{res.id}/rows" in body
    # version history
    assert "Riwayat versi" in body and "Versi 1" in body and "1 berkas" in body


def test_line_chart_for_a_time_series(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/dataset/kelahiran"))
    spec = json.loads([s for s in parse(body).scripts if s["attrs"].get("type") == "application/json"][0]["text"])
    assert spec["type"] == "line" and spec["labels"] == ["2021", "2022", "2023"]
    preview = body.split('class="data-table data-preview"')[1].split("</table>")[0]
    assert ">2021<" in preview and "2.021" not in preview  # years are not thousands
    assert "12.034" in preview
    assert "Grafik garis" in body


def test_dataset_without_tables_has_no_chart_script(scratch_client: FlaskClient, app: Flask) -> None:
    ds = make_dataset(csv=None, title="Hanya Tautan", document="https://example.org/a.pdf")
    body = text(scratch_client.get(f"/dataset/{ds.slug}"))
    assert "d3.min.js" not in body and "<table" in body  # the metadata table only
    assert "Tautan ke situs lain" in body and "Buka tautan" in body


def test_jsonld(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    doc = jsonld(text(scratch_client.get(f"/dataset/{ds.slug}")))
    assert doc["@context"] == "https://schema.org" and doc["@type"] == "Dataset"
    assert doc["name"] == ds.title
    assert doc["description"].startswith("Jumlah penduduk per kecamatan")
    assert "alert" not in doc["description"]
    assert doc["url"] == f"http://localhost/dataset/{ds.slug}"
    assert ds.id in doc["identifier"]
    assert set(doc["keywords"]) >= {"penduduk", "kecamatan", "Kependudukan"}
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["creator"] == {"@type": "Organization", "name": "Disdukcapil Rokan Hilir",
                              "url": "http://localhost/organization/disdukcapil-rohil"}
    assert doc["publisher"]["name"] == "Diskominfo Rokan Hilir"
    assert doc["temporalCoverage"] == "2025"
    assert doc["spatialCoverage"]["name"] == "Kabupaten Rokan Hilir"
    assert doc["spatialCoverage"]["identifier"]["value"] == "14.07"
    assert doc["dateModified"].startswith(str(ds.updated_at.year))
    [dist] = doc["distribution"]
    assert dist["@type"] == "DataDownload" and dist["encodingFormat"] == "text/csv"
    assert dist["contentUrl"] == f"http://localhost/dataset/{ds.slug}/resource/{ds.resources[0].id}/download"


def test_pages_have_no_inline_script_or_style(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    for url in ("/", "/dataset", f"/dataset/{ds.slug}", f"/dataset/{ds.slug}/resource/{ds.resources[0].id}",
                "/organization", "/organization/pemkab-rohil", "/group", "/group/kependudukan", "/tidak-ada"):
        page = parse(text(scratch_client.get(url)))
        assert page.inline_styles == 0, url
        for script in page.scripts:
            kind = script["attrs"].get("type")
            assert script["attrs"].get("src") or kind in ("application/json", "application/ld+json"), url


@pytest.mark.parametrize("slug", ["draf-rahasia", "penduduk-terbatas", "tidak-ada", "a%01b", "x" * 300])
def test_hidden_and_unknown_datasets_are_404(scratch_client: FlaskClient, catalogue: dict[str, Any],
                                             slug: str) -> None:
    assert_error_page(scratch_client.get(f"/dataset/{slug}"), 404, "Halaman tidak ditemukan")


def test_nul_in_a_slug_is_refused_with_a_page(scratch_client: FlaskClient) -> None:
    resp = scratch_client.get("/dataset/a%00b")
    assert resp.status_code in (400, 404)
    assert_error_page(resp, resp.status_code)


def test_drafts_resources_are_not_reachable(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    for key in ("draft", "restricted"):
        ds = catalogue[key]
        res = ds.resources[0]
        assert scratch_client.get(f"/dataset/{ds.slug}/resource/{res.id}").status_code == 404
        assert scratch_client.get(f"/dataset/{ds.slug}/resource/{res.id}/download").status_code == 404
        # nor through a public dataset's URL
        public = catalogue["penduduk"].slug
        assert scratch_client.get(f"/dataset/{public}/resource/{res.id}/download").status_code == 404
    body = text(scratch_client.get("/organization/disdukcapil-rohil"))
    assert "Draf Rahasia" not in body and "Penduduk Terbatas" not in body


# --------------------------------------------------------------------------- resource page and download


def test_resource_page_pages_through_the_table(app: Flask, scratch_client: FlaskClient,
                                               catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    url = f"/dataset/{ds.slug}/resource/{ds.resources[0].id}"
    app.config["PREVIEW_ROWS"] = 2
    try:
        first = text(scratch_client.get(url))
        preview = first.split('class="data-table data-preview"')[1].split("</table>")[0]
        assert "Baris 1–2 dari 3" in preview and "Kubu" in preview and "Tanah Putih" not in preview
        assert f'href="{url}?page=2" rel="next"' in first
        second = scratch_client.get(url + "?page=2")
        assert second.status_code == 200
        assert "Baris 3–3 dari 3" in text(second) and "Tanah Putih" in text(second)
        past = scratch_client.get(url + "?page=9")
        assert past.status_code == 404 and "Halaman 9 tidak ada." in text(past)
        assert_error_page(scratch_client.get(url + "?page=dua"), 400, "Nomor halaman")
    finally:
        app.config["PREVIEW_ROWS"] = 25
    body = text(scratch_client.get(url))
    assert "<code>laki_laki</code>" in body and "45.012" in body  # the columns with their titles


def test_resource_page_of_a_link_has_no_preview(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["faskes"]
    link = ds.resources[1]
    resp = scratch_client.get(f"/dataset/{ds.slug}/resource/{link.id}")
    assert resp.status_code == 200
    assert "Pratinjau hanya tersedia untuk tabel yang disimpan di portal" in text(resp)


def test_unknown_resource_is_404(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    other = catalogue["faskes"].resources[0]
    for rid in ("tidak-ada", other.id):
        assert_error_page(scratch_client.get(f"/dataset/{ds.slug}/resource/{rid}"), 404)
        assert_error_page(scratch_client.get(f"/dataset/{ds.slug}/resource/{rid}/download"), 404)


def test_download_streams_the_exact_bytes(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    res = ds.resources[0]
    resp = scratch_client.get(f"/dataset/{ds.slug}/resource/{res.id}/download")
    assert resp.status_code == 200
    assert resp.direct_passthrough or resp.is_streamed  # a file wrapper, not a body built in memory
    assert resp.get_data() == CSV.encode()
    assert resp.mimetype == "text/csv"
    assert resp.headers["Content-Length"] == str(len(CSV.encode()))
    assert resp.headers["Content-Disposition"] == "attachment; filename=penduduk.csv"
    assert resp.headers.get("ETag")
    resp.close()
    _db.session.expire_all()
    assert _db.session.get(type(res), res.id).download_count == 1
    assert _db.session.get(type(ds), ds.id).download_count == 1


def test_download_ranges_and_head_do_not_count_twice(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    res = ds.resources[0]
    url = f"/dataset/{ds.slug}/resource/{res.id}/download"
    with scratch_client.head(url) as head:
        assert head.status_code == 200 and head.headers["Content-Length"] == str(len(CSV.encode()))
    with scratch_client.get(url, headers={"Range": "bytes=0-11"}) as part:
        assert part.status_code == 206 and part.get_data() == CSV.encode()[:12]
    with scratch_client.get(url) as full:
        etag = full.headers["ETag"]
    with scratch_client.get(url, headers={"If-None-Match": etag}) as cached:
        assert cached.status_code == 304
    _db.session.expire_all()
    assert _db.session.get(type(res), res.id).download_count == 2  # the two full GETs


def test_external_resource_redirects(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    ds = catalogue["faskes"]
    link = ds.resources[1]
    resp = scratch_client.get(f"/dataset/{ds.slug}/resource/{link.id}/download")
    assert resp.status_code == 302 and resp.headers["Location"] == "https://example.org/faskes.pdf"
    _db.session.expire_all()
    assert _db.session.get(type(link), link.id).download_count == 1


def test_missing_stored_file_is_a_clear_404(scratch_client: FlaskClient, app: Flask) -> None:
    ds = make_dataset(csv="a,b\n1,2\n", title="Berkas Hilang")
    res = ds.resources[0]
    get_store().path(res.sha256).unlink()
    assert_error_page(scratch_client.get(f"/dataset/{ds.slug}/resource/{res.id}/download"), 404,
                      "tidak tersedia")
    body = text(scratch_client.get(f"/dataset/{ds.slug}"))
    assert "Berkas tabel ini tidak tersedia" in body


def test_unreadable_table_still_renders(scratch_client: FlaskClient, app: Flask) -> None:
    # A table can only be published valid; its stored copy then breaks on disk. Content of its
    # own: the store is content-addressed, and other tests' tables must not share the breakage.
    ds = make_dataset(csv="kolom,nilai\nberkas-rusak,1\n", title="Berkas Rusak")
    path = get_store().path(ds.resources[0].sha256)
    path.chmod(0o644)
    path.write_bytes(b'a,b\n"unterminated,2\n\x00\x01\x02')
    resp = scratch_client.get(f"/dataset/{ds.slug}")
    assert resp.status_code == 200


# --------------------------------------------------------------------------- organisations and topics


def test_organization_list_groups_by_government(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/organization"))
    group = body.split('id="org-pemkab-rohil"')[1]
    assert "Pemerintah Kabupaten Rokan Hilir" in group
    assert "kode wilayah <code>14.07</code>" in group and "4 dataset" in group
    for name in ("Disdukcapil Rokan Hilir", "Dinas Kesehatan Rokan Hilir", "Diskominfo Rokan Hilir"):
        assert name in group
    assert re.search(r'href="/organization/disdukcapil-rohil">\s*<span class="org-name">Disdukcapil Rokan Hilir'
                     r' <span class="muted">\(Disdukcapil\)</span></span>\s*<span class="org-count">3 dataset',
                     body)


def test_organization_page(app: Flask, scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/organization/disdukcapil-rohil"))
    assert "<h1>Disdukcapil Rokan Hilir" in body
    assert "3 dataset" in body and "Kelahiran per Tahun" in body
    assert 'href="/organization/pemkab-rohil"' in body  # the parent
    parent = text(scratch_client.get("/organization/pemkab-rohil"))
    assert "Perangkat daerah" in parent and 'href="/organization/dinkes-rohil"' in parent
    # The government stands for its region: what its OPD publish (they have no code of their own,
    # so they are in their parent's region), with a link that keeps the filter.
    assert "4 dataset" in parent and "seluruh perangkat daerah di wilayahnya" in parent
    assert "Kelahiran per Tahun" in parent and "Fasilitas Kesehatan" in parent and "Draf Rahasia" not in parent
    assert 'href="/dataset?wilayah=14.07"' in parent
    from satudata.accounts import services as accounts

    other = accounts.create_organization(SYSTEM, slug="pemkot-dumai", name="Pemerintah Kota Dumai",
                                         kind="kota", kode_wilayah="14.72")
    _db.session.commit()
    assert "Belum ada dataset terbit dari wilayah ini." in text(scratch_client.get(f"/organization/{other.slug}"))
    app.config["PAGE_SIZE"] = 2
    try:
        second = scratch_client.get("/organization/disdukcapil-rohil?page=2")
        assert second.status_code == 200 and text(second).count('class="dataset-card"') == 1
        assert scratch_client.get("/organization/disdukcapil-rohil?page=5").status_code == 404
    finally:
        app.config["PAGE_SIZE"] = 20
    assert_error_page(scratch_client.get("/organization/disdukcapil-rohil?page=x"), 400)
    assert_error_page(scratch_client.get("/organization/tidak-ada"), 404, "Halaman tidak ditemukan")


def test_group_pages(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(scratch_client.get("/group"))
    assert 'href="/group/kependudukan"' in body and 'href="/group/kesehatan"' in body
    assert "2 dataset" in body
    page = text(scratch_client.get("/group/kependudukan"))
    assert "<h1>Kependudukan</h1>" in page
    assert "Jumlah Penduduk menurut Kecamatan" in page and "Jumlah Sekolah Dasar" in page
    assert "Fasilitas Kesehatan" not in page
    assert 'href="/dataset?topic=kependudukan&amp;organization=disdukcapil-rohil"' in page
    assert_error_page(scratch_client.get("/group/tidak-ada"), 404)
    assert_error_page(scratch_client.get("/group/kependudukan?sort=x"), 400)
    assert scratch_client.get("/group/kependudukan?page=7").status_code == 404


# --------------------------------------------------------------------------- language


def test_english_switch(app: Flask, catalogue: dict[str, Any]) -> None:
    client = app.test_client()
    body = text(get(client, "/?lang=en"))
    assert '<html lang="en">' in body
    assert "Search datasets" in body and "Explore by topic" in body and "Population" in body
    assert 'href="/?lang=id"' in body
    # the choice sticks for the session
    page = text(get(client, "/dataset/jumlah-penduduk-kecamatan"))
    assert '<html lang="en">' in page
    for label in ("Data producer", "Data custodian (walidata)", "Release schedule", "Access classification",
                  "Use the API", "Version history", "Annual"):
        assert label in page, label
    listing = text(get(client, "/dataset?page=abc"))
    assert "Invalid request" in listing and "Page number &#39;abc&#39; is not valid." in listing
    missing = text(get(client, "/tidak-ada"))
    assert "Page not found" in missing and "could not be found" in missing
    back = text(get(client, "/dataset?lang=id"))
    assert '<html lang="id">' in back and "Saring hasil" in back


def test_numbers_follow_the_language(app: Flask, catalogue: dict[str, Any]) -> None:
    ds = catalogue["penduduk"]
    english = text(get(app.test_client(), f"/dataset/{ds.slug}?lang=en"))
    assert "45,012" in english.split('class="data-table"')[1]
    indonesian = text(get(app.test_client(), f"/dataset/{ds.slug}"))
    assert "45.012" in indonesian.split('class="data-table"')[1]


def test_language_links_keep_the_query(scratch_client: FlaskClient, catalogue: dict[str, Any]) -> None:
    body = text(get(scratch_client, "/dataset?q=penduduk&topic=kependudukan"))
    assert 'href="/dataset?q=penduduk&amp;topic=kependudukan&amp;lang=en"' in body


# --------------------------------------------------------------------------- error pages


@pytest.fixture()
def failing_app(tmp_path: Path) -> Flask:
    """A fresh app (no requests served yet) with routes that fail on purpose. Its SQLite file is
    never opened (the error pages read no database), so the tests using it are ``nodb``."""
    from werkzeug.exceptions import Forbidden

    from satudata import create_app

    # The test Redis, as the other apps use: creating an app rebinds the process-wide rate
    # limiter to this app's storage.
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "REDIS_URL": TEST_REDIS_URL,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "test"})

    def boom() -> str:
        raise RuntimeError("kaboom")

    def forbidden() -> str:
        raise Forbidden()

    app.add_url_rule("/_test/boom", "boom", boom)
    app.add_url_rule("/_test/forbidden", "forbidden", forbidden)
    return app


@pytest.mark.nodb
def test_500_page_has_the_site_layout(failing_app: Flask) -> None:
    body = assert_error_page(failing_app.test_client().get("/_test/boom"), 500,
                             "Terjadi kesalahan pada server", "Muat ulang halaman")
    assert "kaboom" not in body  # no internals shown


@pytest.mark.nodb
def test_500_page_in_english(failing_app: Flask) -> None:
    body = assert_error_page(failing_app.test_client().get("/_test/boom?lang=en"), 500)
    assert "Server error" in body and "Back to the home page" in body


@pytest.mark.nodb
def test_403_page(failing_app: Flask) -> None:
    assert_error_page(failing_app.test_client().get("/_test/forbidden"), 403, "Akses ditolak",
                      "Anda tidak memiliki izin")


def test_405_page(scratch_client: FlaskClient) -> None:
    resp = scratch_client.post("/dataset")
    assert resp.status_code in (400, 405)  # CSRF may answer first; either way a page, not a 500
    assert resp.mimetype == "text/html"


# --------------------------------------------------------------------------- assets and catalogues


def test_static_assets_are_served(scratch_client: FlaskClient) -> None:
    for path in ("/static/css/site.css", "/static/js/site.js", "/static/js/viz.js", "/static/img/logo.svg"):
        resp = scratch_client.get(path)
        assert resp.status_code == 200, path
        resp.close()


@pytest.mark.nodb
def test_english_catalogue_is_complete() -> None:
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    missing = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy
               or (isinstance(m.string, tuple) and not all(m.string)))]
    assert missing == []


@pytest.mark.nodb
def test_chart_spec_keeps_comparable_series_and_finite_numbers() -> None:
    from satudata.catalog.views import chart_spec

    spec = chart_spec({
        "type": "bar", "label_column": "kecamatan", "labels": ["A", "B"], "truncated": False,
        "series": [{"name": "jumlah_penduduk", "values": [50000, 42000]},
                   {"name": "persentase", "values": [96.5, float("nan")]},
                   {"name": "rumah_tangga", "values": [12000, None]}],
    })
    assert spec is not None
    assert [s["name"] for s in spec["series"]] == ["jumlah_penduduk", "rumah_tangga"]
    assert spec["series"][1]["values"] == [12000.0, None]
    assert spec["series"][0]["label"] == "Jumlah penduduk" and spec["label_title"] == "Kecamatan"
    assert chart_spec(None) is None
    assert chart_spec({"type": "bar", "labels": ["A"], "series": [{"name": "x", "values": [None]}]}) is None


@pytest.mark.nodb
def test_every_message_in_the_code_has_an_english_translation() -> None:
    """What ``pybabel extract -F babel.cfg`` finds must be in the English catalogue, translated.
    To fix a failure: run the extract and ``pybabel update`` commands of babel.cfg, translate
    the new entries in satudata/translations/en/LC_MESSAGES/messages.po, then compile."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = TRANSLATIONS.parents[1]
    with (root / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {msg if isinstance(msg, str) else msg[0]
             for _file, _line, msg, *_rest in extract_from_dir(str(root), method_map, options_map)}
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    untranslated = sorted(m for m in found if not catalogue.get(m) or not catalogue.get(m).string
                          or catalogue.get(m).fuzzy)
    assert untranslated == []
