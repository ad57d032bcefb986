"""Search fixtures: every reachable backend (the embedded one always, the Elasticsearch backend
against ``es_double`` (a double of the Elasticsearch server) always, and against a real
Elasticsearch when ``SATUDATA_TEST_ELASTICSEARCH_URL`` is set), each on a fresh, private index,
and a small corpus of documents that exercises morphology, synonyms, facets and sorting."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from satudata.search.backend import EXTENSION_KEY, SearchBackend
from satudata.search.documents import SearchDocument
from satudata.search.synonyms import SynonymStore
from tests.search.es_double import ElasticsearchDouble

ELASTICSEARCH_URL = os.environ.get("SATUDATA_TEST_ELASTICSEARCH_URL", "")
BACKENDS = ["embedded", "es-double"] + (["elasticsearch"] if ELASTICSEARCH_URL else [])
# What the double does not model (it scores by summing boosts, not BM25): these contract
# cases run on the embedded engine and on a real Elasticsearch only.
RANKING_TESTS = {"test_title_match_ranks_above_description_match", "test_exact_phrase_ranks_first",
                 "test_morphology_pendidikan_finds_didik"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The ranking cases are not collected for the double (it does not model BM25): they run
    on the embedded engine and on a real Elasticsearch; nothing is skipped."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_double = callspec is not None and callspec.params.get("backend") == "es-double"
        (dropped if on_double and getattr(item, "originalname", "") in RANKING_TESTS else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def es_double() -> Iterator[ElasticsearchDouble]:
    """One Elasticsearch double for the run (each test uses its own alias on it)."""
    double = ElasticsearchDouble().start()
    yield double
    double.stop()


def make_backend(name: str, tmp: Path, url: str = ELASTICSEARCH_URL) -> SearchBackend:
    synonyms = SynonymStore(tmp / "synonyms.txt", check_every=0)
    if name == "embedded":
        from satudata.search.embedded import EmbeddedBackend

        return EmbeddedBackend(tmp / "search", synonyms=synonyms, lock_timeout=10)
    from satudata.search.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url, index=f"satudata-test-{uuid.uuid4().hex[:10]}", synonyms=synonyms)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """An empty index of one backend, dropped afterwards."""
    if request.param == "es-double":
        made = make_backend("elasticsearch", tmp_path, request.getfixturevalue("es_double").url)
    else:
        made = make_backend(request.param, tmp_path)
    made.create_index()
    yield made
    made.drop_index()


def _at(day: int) -> datetime:
    return datetime(2024, 1, 1, 8, 0, tzinfo=UTC).replace(day=day)


def corpus() -> list[SearchDocument]:
    """Twelve documents. Published one day apart (``p01`` oldest), distinct download counts."""
    base = dict(licence="cc-by-4.0", licence_title="Creative Commons Attribution 4.0", frequency="tahunan")
    docs = [
        SearchDocument(id="p01", slug="penduduk-rohil", title="Jumlah Penduduk per Kecamatan di Kabupaten Rokan Hilir",
                       description="Jumlah penduduk menurut jenis kelamin di setiap kecamatan Kabupaten Rokan Hilir.",
                       tags=["penduduk", "demografi"], organization="disdukcapil-rohil",
                       organization_name="Dinas Kependudukan dan Pencatatan Sipil Kabupaten Rokan Hilir",
                       topics=["kependudukan"], topic_names=["Kependudukan"], formats=["CSV"], year=2024,
                       kode_wilayah="14.07", coverage="Kabupaten Rokan Hilir", columns=["kecamatan", "laki_laki"],
                       download_count=120, **base),
        SearchDocument(id="p02", slug="kepadatan-dumai", title="Kepadatan Kependudukan Kota Dumai",
                       description="Kepadatan per kilometer persegi menurut kelurahan.",
                       tags=["penduduk"], organization="disdukcapil-dumai", organization_name="Disdukcapil Kota Dumai",
                       topics=["kependudukan"], topic_names=["Kependudukan"], formats=["CSV", "XLSX"], year=2023,
                       kode_wilayah="14.72", coverage="Kota Dumai", download_count=40, **base),
        SearchDocument(id="p03", slug="faskes-pelalawan", title="Fasilitas Kesehatan Kabupaten Pelalawan",
                       description="Daftar puskesmas, klinik dan rumah sakit beserta alamatnya.",
                       tags=["kesehatan", "puskesmas"], organization="dinkes-pelalawan",
                       organization_name="Dinas Kesehatan Kabupaten Pelalawan", topics=["kesehatan"],
                       topic_names=["Kesehatan"], formats=["CSV"], year=2024, kode_wilayah="14.05",
                       coverage="Kabupaten Pelalawan", download_count=300, **base),
        SearchDocument(id="p04", slug="imunisasi-riau", title="Cakupan Imunisasi Dasar Lengkap",
                       description="Capaian imunisasi balita; data dari seluruh fasilitas kesehatan di Provinsi Riau.",
                       tags=["imunisasi"], organization="dinkes-riau", organization_name="Dinas Kesehatan Provinsi Riau",
                       topics=["kesehatan"], topic_names=["Kesehatan"], formats=["XLSX"], year=2023, kode_wilayah="14",
                       coverage="Provinsi Riau", download_count=75, **base),
        SearchDocument(id="p05", slug="rumah-sakit-riau", title="Daftar Rumah Sakit Umum Daerah",
                       description="Rumah sakit milik pemerintah daerah dan jumlah tempat tidurnya.",
                       tags=["kesehatan", "rumah-sakit"], organization="dinkes-riau",
                       organization_name="Dinas Kesehatan Provinsi Riau", topics=["kesehatan"],
                       topic_names=["Kesehatan"], formats=["CSV"], year=2022, kode_wilayah="14",
                       download_count=10, **base),
        SearchDocument(id="p06", slug="rumah-layak", title="Rumah Layak Huni dan Bantuan Sosial",
                       description="Rumah tidak layak huni yang menerima bantuan; warga yang sakit diprioritaskan.",
                       tags=["perumahan"], organization="dinsos-riau", organization_name="Dinas Sosial Provinsi Riau",
                       topics=["sosial"], topic_names=["Sosial"], formats=["CSV"], year=2022, kode_wilayah="14",
                       download_count=5, **base),
        SearchDocument(id="p07", slug="peserta-didik-sd", title="Jumlah Peserta Didik Sekolah Dasar",
                       description="Peserta didik SD negeri dan swasta menurut kecamatan di Kecamatan Kubu.",
                       tags=["pendidikan"], organization="disdik-rohil", organization_name="Dinas Pendidikan Rokan Hilir",
                       topics=["pendidikan"], topic_names=["Pendidikan"], formats=["CSV"], year=2024,
                       kode_wilayah="14.07.01", coverage="Kecamatan Kubu", download_count=60, **base),
        SearchDocument(id="p08", slug="apbd-riau", title="Realisasi Anggaran Pendapatan dan Belanja Daerah",
                       description="Realisasi APBD menurut jenis belanja.", tags=["keuangan", "apbd"],
                       organization="bpkad-riau", organization_name="Badan Pengelola Keuangan dan Aset Daerah",
                       topics=["keuangan"], topic_names=["Keuangan"], formats=["PDF"], year=2024, kode_wilayah="14",
                       licence="odc-by", licence_title="Open Data Commons Attribution", frequency="triwulanan",
                       download_count=90),
        SearchDocument(id="p09", slug="sawit-pelalawan", title="Produksi Kelapa Sawit Perkebunan Rakyat",
                       description="Produksi tandan buah segar (ton) menurut kecamatan.", tags=["perkebunan", "sawit"],
                       organization="disbun-pelalawan", organization_name="Dinas Perkebunan Kabupaten Pelalawan",
                       topics=["pertanian"], topic_names=["Pertanian"], formats=["CSV", "JSON"], year=2023,
                       kode_wilayah="14.05", download_count=200, **base),
        SearchDocument(id="p10", slug="script-title", title="Data <script>alert(1)</script> & Statistik \"Uji\"",
                       description="Deskripsi dengan <b>tag</b> & karakter khusus.", tags=["uji"],
                       organization="diskominfo-riau", organization_name="Diskominfotik Provinsi Riau",
                       topics=["statistik"], topic_names=["Statistik"], formats=["CSV"], year=2021,
                       kode_wilayah="14", download_count=1, **base),
        SearchDocument(id="p11", slug="wisatawan-dumai", title="Kunjungan Wisatawan ke Kota Dumai",
                       description="Jumlah wisatawan nusantara dan mancanegara per bulan.", tags=["pariwisata"],
                       organization="dispar-dumai", organization_name="Dinas Pariwisata Kota Dumai",
                       topics=["pariwisata"], topic_names=["Pariwisata"], formats=["CSV"], year=2024,
                       kode_wilayah="14.72", download_count=30, frequency="bulanan",
                       licence="cc-by-4.0", licence_title="Creative Commons Attribution 4.0"),
        SearchDocument(id="p12", slug="faskes-rohil", title="Sebaran Faskes Rokan Hilir",
                       description="Titik lokasi puskesmas dan posyandu.", tags=["faskes"],
                       organization="dinkes-rohil", organization_name="Dinas Kesehatan Rokan Hilir",
                       topics=["kesehatan"], topic_names=["Kesehatan"], formats=["GEOJSON"], year=2024,
                       kode_wilayah="14.07", download_count=15, **base),
    ]
    for n, doc in enumerate(docs, 1):
        doc.published_at = _at(n)
        doc.updated_at = _at(29 - n)  # modified order is the reverse of published order
    return docs


@pytest.fixture()
def indexed(backend: SearchBackend) -> SearchBackend:
    """``backend`` holding ``corpus()``."""
    assert backend.rebuild(corpus()) == len(corpus())
    return backend


@pytest.fixture()
def app_backend(app: Flask) -> Iterator[SearchBackend]:
    """The scratch app's own configured backend (embedded, in its instance folder), emptied
    before and after the test (the instance folder lives for the whole run)."""
    from satudata.search.backend import get_backend

    made = get_backend(app)
    made.drop_index()
    made.create_index()
    yield made
    made.drop_index()
    app.extensions.pop(EXTENSION_KEY, None)
