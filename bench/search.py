"""Search benchmark: 100,000 generated datasets, the embedded (tantivy) backend, and the real
portal answering CKAN's ``package_search`` under gunicorn.

    .venv/bin/python -m bench.search [--records 100000] [--queries 200] [--workers 2] [--no-http]

1. Generates realistic, deterministic dataset records (Indonesian titles and descriptions,
   OPD of Riau's regions, tags, formats, years, region codes, column names).
2. ``engine_index_time_s``: ``EmbeddedBackend.rebuild`` of those records held in memory
   (document building, Sastrawi stemming with a cold cache, tantivy indexing, one commit).
3. Writes the same records into a scratch SQLite database of a scratch portal (migrated with
   Alembic; organisations, licences, topics, tags, datasets, resources and the links between
   them, with bulk inserts), then ``reindex_time_s``: ``search.services.reindex_all()``, what
   ``satudata search reindex`` runs (reads the database 500 datasets at a time, Markdown to
   text, stems, one commit) into the portal's own index.
4. In-process, on that index: ``backend.search`` with 3 facets (organisation, year, format)
   and the first page of 20 with highlights (the search engine alone, target p95 <= 10 ms),
   then the same through ``find_public_datasets`` (the one read path: engine + loading the 20
   datasets), the database translator alone (``query_database``, what answers while the engine
   is down), then the CKAN ``package_search`` action through Flask's test client.
5. Serves ``wsgi:app`` (``create_app()`` configured by ``SATUDATA_*`` variables for the
   scratch database and instance folder) with gunicorn on 127.0.0.1 and a free port, and runs
   the same queries as ``GET /api/3/action/package_search?q=...&rows=20&facet.field=[...]``
   from one keep-alive client; prints p50/p95 (target p95 <= 50 ms). Then, on the same server:
   searches inside a kabupaten (``fq=wilayah:14.07``), pages of ckanext-harvest's gather
   (``rows=100&sort=id asc``, anywhere in the 100,000, with and without a ``metadata_modified``
   range: the database answers these) and pages of the DCAT catalogue (``/catalog.ttl?page=N``),
   with the workers' peak resident memory after each (bounded: no page reads the catalogue).

Figures print one per line with their targets; the results and the command go to
``docs/benchmarks.md`` (## Search).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from satudata.catalog import services as catalog  # noqa: E402
from satudata.catalog.services import DatasetQuery  # noqa: E402
from satudata.search.backend import SearchQuery  # noqa: E402
from satudata.search.documents import SearchDocument  # noqa: E402
from satudata.search.embedded import EmbeddedBackend  # noqa: E402
from satudata.search.synonyms import SynonymStore  # noqa: E402

SEED = 20250101
FACETS = ("organization", "year", "format")

REGIONS = [  # (kode, name, kind) of Riau's kabupaten/kota and the province
    ("14", "Provinsi Riau", "provinsi"), ("14.01", "Kabupaten Kampar", "kabupaten"),
    ("14.02", "Kabupaten Indragiri Hulu", "kabupaten"), ("14.03", "Kabupaten Bengkalis", "kabupaten"),
    ("14.04", "Kabupaten Indragiri Hilir", "kabupaten"), ("14.05", "Kabupaten Pelalawan", "kabupaten"),
    ("14.06", "Kabupaten Rokan Hulu", "kabupaten"), ("14.07", "Kabupaten Rokan Hilir", "kabupaten"),
    ("14.08", "Kabupaten Siak", "kabupaten"), ("14.09", "Kabupaten Kuantan Singingi", "kabupaten"),
    ("14.10", "Kabupaten Kepulauan Meranti", "kabupaten"), ("14.71", "Kota Pekanbaru", "kota"),
    ("14.72", "Kota Dumai", "kota"),
]
AGENCIES = [  # (slug prefix, name, topic, subjects)
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "kependudukan",
     ["Penduduk", "Kelahiran", "Kematian", "Perekaman KTP Elektronik", "Kartu Keluarga", "Perkawinan",
      "Penduduk Pindah Datang", "Kepadatan Penduduk", "Akta Kelahiran Anak"]),
    ("dinkes", "Dinas Kesehatan", "kesehatan",
     ["Fasilitas Kesehatan", "Tenaga Kesehatan", "Imunisasi Dasar Lengkap", "Balita Stunting", "Kasus Demam Berdarah",
      "Kunjungan Puskesmas", "Ibu Hamil Mendapat Tablet Tambah Darah", "Rumah Sakit dan Tempat Tidur",
      "Kasus Tuberkulosis", "Posyandu Aktif"]),
    ("disdik", "Dinas Pendidikan", "pendidikan",
     ["Sekolah", "Guru", "Murid", "Angka Partisipasi Sekolah", "Ruang Kelas Rusak", "Lulusan Sekolah Menengah",
      "Peserta Didik Penerima Beasiswa", "Perpustakaan Sekolah"]),
    ("distan", "Dinas Pertanian", "pertanian",
     ["Produksi Padi", "Luas Panen Jagung", "Produksi Kelapa Sawit", "Produksi Karet", "Populasi Ternak Sapi",
      "Produksi Kelapa", "Alat dan Mesin Pertanian", "Kelompok Tani"]),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "infrastruktur",
     ["Panjang Jalan", "Kondisi Jalan", "Jembatan", "Jaringan Irigasi", "Rumah Tidak Layak Huni", "Drainase Perkotaan"]),
    ("dinsos", "Dinas Sosial", "sosial",
     ["Keluarga Penerima Manfaat PKH", "Penerima Bantuan Pangan", "Penyandang Disabilitas", "Lanjut Usia Terlantar",
      "Anak Jalanan", "Panti Sosial"]),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "ekonomi",
     ["Penduduk Miskin", "Indeks Pembangunan Manusia", "Produk Domestik Regional Bruto", "Tingkat Pengangguran Terbuka",
      "Inflasi", "Pertumbuhan Ekonomi"]),
    ("bpkad", "Badan Pengelola Keuangan dan Aset Daerah", "keuangan",
     ["Realisasi Anggaran Pendapatan dan Belanja Daerah", "Pendapatan Asli Daerah", "Belanja Pegawai",
      "Aset Tetap Daerah", "Dana Transfer ke Daerah"]),
    ("dlh", "Dinas Lingkungan Hidup", "lingkungan",
     ["Timbulan Sampah", "Kualitas Air Sungai", "Kualitas Udara", "Ruang Terbuka Hijau", "Bank Sampah",
      "Titik Panas Kebakaran Hutan dan Lahan"]),
    ("dispar", "Dinas Pariwisata", "pariwisata",
     ["Kunjungan Wisatawan", "Hotel dan Kamar", "Objek Wisata", "Event Budaya", "Rumah Makan"]),
    ("dishub", "Dinas Perhubungan", "perhubungan",
     ["Kendaraan Bermotor", "Angkutan Umum", "Kecelakaan Lalu Lintas", "Penumpang Pelabuhan", "Terminal"]),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "teknologi",
     ["Menara Telekomunikasi", "Desa Terjangkau Internet", "Layanan Aduan Masyarakat", "Aplikasi Pemerintah Daerah"]),
]
MEASURES = ["Jumlah", "Persentase", "Rasio", "Rekapitulasi", "Data", "Jumlah dan Persentase", "Sebaran", "Capaian"]
DIMENSIONS = ["Kecamatan", "Desa/Kelurahan", "Jenis Kelamin", "Kelompok Umur", "Bulan", "Jenjang", "Status",
              "Jenis", "Kabupaten/Kota", "Triwulan"]
COLUMNS = ["kode_wilayah", "kecamatan", "desa", "tahun", "bulan", "laki_laki", "perempuan", "jumlah", "persentase",
           "jenis", "status", "satuan", "keterangan", "target", "realisasi"]
SENTENCES = [
    "Data ini disusun oleh {org} berdasarkan laporan rutin dari unit pelaksana di {region}.",
    "Tabel menyajikan {subject_l} menurut {dimension_l} untuk tahun {year}.",
    "Angka bersifat {status} dan dapat diperbarui setelah verifikasi walidata.",
    "Sumber data adalah sistem informasi {topic} dan hasil pendataan lapangan.",
    "Pemutakhiran dilakukan secara {frequency} sesuai jadwal rilis Satu Data Indonesia.",
    "Gunakan kolom kode wilayah untuk menggabungkan tabel ini dengan data kewilayahan lain.",
    "Definisi operasional mengikuti pedoman kementerian terkait dan standar data sektoral.",
    "Data {subject_l} dikumpulkan untuk mendukung perencanaan pembangunan daerah.",
]
QUERY_WORDS = [
    "penduduk", "kependudukan", "kesehatan", "faskes", "sekolah", "pendidikan", "guru", "jalan", "rusak", "sawit",
    "kelapa", "padi", "miskin", "kemiskinan", "anggaran", "apbd", "wisatawan", "hotel", "sampah", "air", "stunting",
    "imunisasi", "puskesmas", "kecamatan", "desa", "rohil", "dumai", "pekanbaru", "pelalawan", "kampar", "siak",
    "bengkalis", "kelahiran", "kematian", "ktp", "disabilitas", "bantuan", "pangan", "ternak", "irigasi",
    "kendaraan", "kecelakaan", "internet", "pengangguran", "inflasi", "ekonomi", "belanja", "pendapatan",
    "tenaga", "jembatan", "pendudk", "kesehatn", "2024", "2023", "laki", "perempuan", "umur", "bulanan",
]


def generate(n: int, seed: int = SEED) -> list[SearchDocument]:
    """``n`` dataset records, the same for the same ``seed``."""
    rnd = random.Random(seed)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    docs = []
    for i in range(n):
        kode, region, _kind = rnd.choice(REGIONS)
        prefix, agency, topic, subjects = rnd.choice(AGENCIES)
        subject = rnd.choice(subjects)
        dimension = rnd.choice(DIMENSIONS)
        year = rnd.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025])
        frequency = rnd.choice(["tahunan", "tahunan", "semesteran", "triwulanan", "bulanan"])
        measure = rnd.choice(MEASURES)
        title = f"{measure} {subject} menurut {dimension} {region} {year}"
        if i % 7 == 0:
            title += f" (Revisi {rnd.randint(1, 3)})"
        org_slug = f"{prefix}-{kode.replace('.', '-')}"
        org_name = f"{agency} {region}"
        values = {"org": org_name, "region": region, "subject_l": subject.lower(), "dimension_l": dimension.lower(),
                  "year": year, "status": rnd.choice(["sementara", "tetap"]), "topic": topic,
                  "frequency": frequency}
        description = " ".join(s.format(**values) for s in rnd.sample(SENTENCES, rnd.randint(2, 5)))
        kecamatan = f"{kode}.{rnd.randint(1, 20):02d}" if kode != "14" and rnd.random() < 0.3 else kode
        published = start + timedelta(minutes=rnd.randint(0, 6 * 365 * 24 * 60))
        docs.append(SearchDocument(
            id=f"bench-{i:06d}", slug=f"dataset-{i:06d}", title=title, description=description,
            tags=rnd.sample([topic, subject.split()[0].lower(), dimension.split("/")[0].lower(), prefix,
                             region.split()[-1].lower(), "satu-data", "statistik-sektoral"], rnd.randint(2, 4)),
            organization=org_slug, organization_name=org_name, topics=[topic], topic_names=[topic.title()],
            formats=sorted(set(rnd.sample(["CSV", "CSV", "XLSX", "JSON", "PDF", "GEOJSON"], rnd.randint(1, 2)))),
            licence=rnd.choice(["cc-by-4.0", "cc-by-4.0", "odc-by", "cc0-1.0"]), year=year, frequency=frequency,
            kode_wilayah=kecamatan, coverage=region, columns=rnd.sample(COLUMNS, rnd.randint(3, 7)),
            download_count=int(rnd.paretovariate(1.2) * 10), published_at=published,
            updated_at=published + timedelta(days=rnd.randint(0, 200)),
        ))
    return docs


def queries(n: int, seed: int = SEED + 1) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(rnd.sample(QUERY_WORDS, rnd.randint(1, 3))) for _ in range(n)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], Any], runs: Iterable[Any]) -> list[float]:
    out = []
    for _ in runs:
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


# --------------------------------------------------------------------------- the scratch portal

LICENCES = {"cc-by-4.0": "Creative Commons Attribution 4.0", "odc-by": "Open Data Commons Attribution License",
            "cc0-1.0": "Creative Commons CCZero"}
BATCH = 5000


def portal_config(root: Path) -> dict[str, str]:
    """The scratch portal's settings, as ``SATUDATA_*`` environment values (gunicorn) and as
    ``create_app`` overrides (this process)."""
    return {
        "INSTANCE_PATH": str(root / "instance"),
        "DATABASE_URL": f"sqlite:///{root / 'bench.db'}",
        "SECRET_KEY": "bench-search-not-a-secret",
        "SEARCH_BACKEND": "embedded",
        "BASE_URL": "http://127.0.0.1",
    }


def make_portal(root: Path) -> Any:
    """A migrated, empty portal on a scratch SQLite database."""
    import logging

    from flask_migrate import upgrade

    from satudata import create_app

    app = create_app(dict(portal_config(root)))
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        upgrade()
    return app


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def fill_database(app: Any, docs: list[SearchDocument]) -> dict[str, int]:
    """Write ``docs`` as published, public datasets with bulk inserts (no services: the
    rules they enforce are not what is measured here). Returns row counts per table."""
    from sqlalchemy import Table, insert

    from satudata.accounts.models import Organization
    from satudata.catalog.models import (
        Dataset,
        DatasetVersion,
        Licence,
        Resource,
        Tag,
        Topic,
        dataset_tag,
        dataset_topic,
    )
    from satudata.extensions import db

    now = datetime.now(UTC)
    counts: dict[str, int] = {}
    with app.app_context():
        session = db.session
        session.execute(insert(Licence), [{"id": k, "title": v, "url": None} for k, v in LICENCES.items()])
        topics = sorted({t for d in docs for t in d.topics})
        session.execute(insert(Topic), [{"id": i, "slug": t, "name": t.title(), "description": "", "created_at": now}
                                        for i, t in enumerate(topics, 1)])
        topic_ids = {t: i for i, t in enumerate(topics, 1)}
        orgs: dict[str, tuple[str, str | None]] = {}
        for d in docs:
            orgs.setdefault(d.organization, (d.organization_name, d.kode_wilayah and d.kode_wilayah[:5]))
        org_ids = {slug: i for i, slug in enumerate(sorted(orgs), 1)}
        session.execute(insert(Organization), [
            {"id": org_ids[slug], "slug": slug, "name": name, "kind": "opd", "kode_wilayah": kode,
             "is_walidata": slug.startswith("diskominfo"), "description": "",
             "email": f"{slug}@riau.go.id", "created_at": now, "updated_at": now}
            for slug, (name, kode) in sorted(orgs.items())])
        # The walidata of a dataset is the Diskominfo of its region, where there is one.
        walidata = {slug.split("-", 1)[1]: org_ids[slug] for slug in orgs if slug.startswith("diskominfo-")}
        tags = sorted({t for d in docs for t in d.tags})
        tag_ids = {t: i for i, t in enumerate(tags, 1)}
        session.execute(insert(Tag), [{"id": i, "name": t} for t, i in tag_ids.items()])

        datasets, resources, versions, topic_links, tag_links = [], [], [], [], []
        for number, d in enumerate(docs, 1):
            datasets.append({
                "id": d.id, "slug": d.slug, "title": d.title, "description": d.description,
                "organization_id": org_ids[d.organization],
                "walidata_id": walidata.get(d.organization.split("-", 1)[1]),
                "licence_id": d.licence, "state": "published", "access_class": "publik",
                "year": d.year, "period": str(d.year), "frequency": d.frequency, "kode_wilayah": d.kode_wilayah,
                "coverage": d.coverage, "data_source": d.organization_name, "satuan": "jumlah",
                "is_priority": False, "download_count": d.download_count, "view_count": 0,
                "created_at": d.published_at, "updated_at": d.updated_at, "published_at": d.published_at,
            })
            for position, fmt in enumerate(d.formats):
                resources.append({
                    "id": f"{d.id}-r{position}", "dataset_id": d.id, "position": position,
                    "name": f"{d.title} ({fmt})", "description": "", "format": fmt,
                    "url": f"https://data.riau.go.id/unduh/{d.slug}.{fmt.lower()}",
                    "validation_status": "unvalidated", "download_count": 0,
                    "columns": [{"name": c} for c in d.columns] if position == 0 else None,
                    "created_at": d.published_at, "updated_at": d.updated_at,
                })
            # The published version: what search documents are built from (services.reindex_all).
            versions.append({
                "id": number, "dataset_id": d.id, "number": 1, "note": "", "created_at": d.published_at,
                "snapshot": {
                    "id": d.id, "slug": d.slug, "title": d.title, "description": d.description,
                    "organization": d.organization, "licence_id": d.licence, "access_class": "publik",
                    "year": d.year, "period": str(d.year), "frequency": d.frequency, "kode_wilayah": d.kode_wilayah,
                    "coverage": d.coverage, "topics": list(dict.fromkeys(d.topics)), "tags": list(dict.fromkeys(d.tags)),
                    "resources": [{"id": f"{d.id}-r{i}", "name": f"{d.title} ({fmt})", "format": fmt,
                                   "table_schema": None} for i, fmt in enumerate(d.formats)],
                },
            })
            topic_links += [{"dataset_id": d.id, "topic_id": topic_ids[t]} for t in dict.fromkeys(d.topics)]
            tag_links += [{"dataset_id": d.id, "tag_id": tag_ids[t]} for t in dict.fromkeys(d.tags)]
        tables: list[tuple[Table, list[dict[str, Any]]]] = [
            (cast(Table, Dataset.__table__), datasets), (cast(Table, Resource.__table__), resources),
            (cast(Table, DatasetVersion.__table__), versions), (dataset_topic, topic_links), (dataset_tag, tag_links),
        ]
        for table, rows in tables:
            for chunk in _chunks(rows):
                session.execute(insert(table), chunk)
            counts[table.name] = len(rows)
        session.commit()
        counts.update(organization=len(orgs), tag=len(tags), topic=len(topics), licence=len(LICENCES))
    return counts


# --------------------------------------------------------------------------- the HTTP side


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def package_search_path(text: str) -> str:
    return "/api/3/action/package_search?" + urlencode(
        {"q": text, "rows": 20, "facet.field": json.dumps(list(CKAN_FACETS))})


def check_answer(status: int, payload: bytes) -> int:
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {payload[:300]!r}")
    body = json.loads(payload)
    if not body.get("success"):
        raise RuntimeError(payload[:300])
    return int(body["result"]["count"])


def gunicorn_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env.update({f"SATUDATA_{k}": v for k, v in portal_config(root).items()})
    env["PYTHONPATH"] = str(ROOT)
    return env


def harvest_path(start: int, since: str | None = None) -> str:
    """A page of ckanext-harvest's gather (``tests/api/test_ckan_harvester.py`` replays it):
    100 datasets by id, optionally only those modified since the last harvest."""
    params = {"rows": "100", "start": str(start), "sort": "id asc"}
    if since:
        params["fq"] = f"metadata_modified:[{since} TO *]"
    return "/api/3/action/package_search?" + urlencode(params)


def wilayah_path(text: str, code: str) -> str:
    """A search inside one government's region (a kabupaten page's "search its datasets")."""
    return "/api/3/action/package_search?" + urlencode(
        {"q": text, "fq": f"wilayah:{code}", "rows": 20, "facet.field": json.dumps(["wilayah", *CKAN_FACETS])})


def worker_peak_rss_mb(server: subprocess.Popen[bytes]) -> float:
    """The largest peak resident size (VmHWM) among gunicorn's workers, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    peaks = []
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def run_http(root: Path, suites: dict[str, list[str]], warmup: list[str], workers: int,
             checked: Callable[[int, bytes], int] = check_answer) -> dict[str, Any]:
    """Latencies (ms) and answers of each suite of GET paths, in order, through gunicorn
    serving ``wsgi:app``; and the workers' peak resident size after each suite."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=gunicorn_env(root),
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def get(path: str) -> tuple[int, bytes]:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read()

        for path in warmup:  # both workers: first import, first reader, first stems
            checked(*get(path))
        out: dict[str, Any] = {}
        for name, paths in suites.items():
            latencies, answers = [], []
            for path in paths:
                t = time.perf_counter()
                status, payload = get(path)
                latencies.append((time.perf_counter() - t) * 1000)
                answers.append(check_dcat(status, payload) if name.startswith("dcat") else checked(status, payload))
            out[name] = (latencies, answers, worker_peak_rss_mb(server))
        conn.close()
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def check_dcat(status: int, payload: bytes) -> int:
    """A Turtle page of the catalogue: 200, and how many datasets it describes."""
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {payload[:300]!r}")
    return payload.count(b"a dcat:Dataset")


# --------------------------------------------------------------------------- main

CKAN_FACETS = ("organization", "tahun", "res_format")  # the CKAN names of FACETS


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2, for 2 cores)")
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {loadavg()}")
    t = time.perf_counter()
    docs = generate(args.records)
    print(f"generate_records: {args.records} in {time.perf_counter() - t:.1f} s")

    root = Path(tempfile.mkdtemp(prefix="satudata-bench-search-"))
    try:
        engine = EmbeddedBackend(root / "engine-only", synonyms=SynonymStore(None))
        t = time.perf_counter()
        n = engine.rebuild(docs)
        print(f"engine_index_time_s: {time.perf_counter() - t:.1f}  ({n} documents held in memory, one commit)")
        del engine
        shutil.rmtree(root / "engine-only", ignore_errors=True)

        app = make_portal(root)
        t = time.perf_counter()
        counts = fill_database(app, docs)
        print(f"db_fill_time_s: {time.perf_counter() - t:.1f}  (SQLite, bulk inserts: "
              + ", ".join(f"{v} {k}" for k, v in counts.items()) + ")")
        del docs

        from satudata.search import services as search
        from satudata.search.backend import get_backend

        with app.app_context():
            t = time.perf_counter()
            n = search.reindex_all()
            reindex_s = time.perf_counter() - t
            print(f"reindex_time_s: {reindex_s:.1f}  (target <= 60; search.services.reindex_all() from the database, "
                  f"{n} documents)")
            backend = get_backend(app)
            texts = queries(args.queries)
            warmup = queries(20, seed=SEED + 2)
            for text in warmup:
                backend.search(SearchQuery(text=text, facets=FACETS))
            totals: list[int] = []

            def one(text: str) -> None:
                totals.append(backend.search(SearchQuery(text=text, facets=FACETS)).total)

            it = iter(texts)
            lat = timed(lambda: one(next(it)), texts)
            print(f"inprocess_p50_ms: {percentile(lat, 50):.2f}")
            print(f"inprocess_p95_ms: {percentile(lat, 95):.2f}  (target <= 10; backend.search, {len(texts)} queries "
                  f"of 1-3 words, 3 facets, page of 20 with highlights; median hits {statistics.median(totals):.0f})")
            it = iter(texts)
            lat_plain = timed(lambda: backend.search(SearchQuery(text=next(it), facets=FACETS, highlight=False)), texts)
            print(f"inprocess_no_highlight_p95_ms: {percentile(lat_plain, 95):.2f}")
            lat_all = timed(lambda: backend.search(SearchQuery(text="", facets=FACETS)), range(50))
            print(f"match_all_p95_ms: {percentile(lat_all, 95):.2f}  (no text, 3 facets over all {n} documents, "
                  "newest first: the /dataset landing page)")
            it = iter(texts)
            lat_filtered = timed(lambda: backend.search(SearchQuery(
                text=next(it).split()[0], facets=FACETS, filters={"year": ["2024"], "format": ["CSV"]})), texts)
            print(f"filtered_p95_ms: {percentile(lat_filtered, 95):.2f}  (one word, 2 filters, 3 facets)")
            it = iter(texts)
            lat_suggest = timed(lambda: search.suggest_titles(next(it)[:4]), texts)
            print(f"suggest_p95_ms: {percentile(lat_suggest, 95):.2f}  (search.services.suggest_titles, first 4 "
                  "characters)")
            it = iter(texts)
            lat_service = timed(lambda: search.find_public_datasets(DatasetQuery.of(
                next(it), facets=FACETS, per_page=20)), texts)
            print(f"service_p95_ms: {percentile(lat_service, 95):.2f}  (search.services.find_public_datasets, the one "
                  "read path: check, engine, the 20 datasets from SQLite, facet labels)")
            it = iter(texts)
            lat_db = timed(lambda: catalog.query_database(DatasetQuery.of(
                next(it).split()[0], facets=FACETS, per_page=20)), texts[:40])
            print(f"database_p95_ms: {percentile(lat_db, 95):.2f}  (catalog.query_database, one word, 3 facets: what "
                  "answers while the engine is down)")

        client = app.test_client()
        for text in warmup:
            resp = client.get(package_search_path(text))
            check_answer(resp.status_code, resp.get_data())
        it = iter(texts)

        def app_call() -> None:
            resp = client.get(package_search_path(next(it)))
            check_answer(resp.status_code, resp.get_data())

        lat_app = timed(app_call, texts)
        print(f"app_p50_ms: {percentile(lat_app, 50):.2f}")
        print(f"app_p95_ms: {percentile(lat_app, 95):.2f}  (package_search through Flask's test client: the whole "
              "app, CKAN dicts and JSON, no network)")

        if not args.no_http:
            rnd = random.Random(SEED + 3)
            last_start = max(0, n - 100)
            pages = int(app.config["DCAT_PAGE_SIZE"])
            dcat_last = max(1, -(-n // pages))
            codes = [kode for kode, _name, kind in REGIONS if kind != "provinsi"]
            suites = {
                "text": [package_search_path(text) for text in texts],
                "wilayah": [wilayah_path(text.split()[0], rnd.choice(codes)) for text in texts],
                # A first harvest walks every page; sampled here across the whole walk.
                "harvest": [harvest_path(rnd.randint(0, last_start // 100) * 100) for _ in range(60)],
                "harvest_since": [harvest_path(rnd.randint(0, 50) * 100, "2024-06-01T00:00:00") for _ in range(60)],
                "dcat": [f"/catalog.ttl?page={rnd.randint(1, dcat_last)}" for _ in range(40)],
            }
            results = run_http(root, suites, [package_search_path(t) for t in warmup], args.workers)
            lat_http, http_totals, _rss = results["text"]
            print(f"http_p50_ms: {percentile(lat_http, 50):.2f}")
            print(f"http_p95_ms: {percentile(lat_http, 95):.2f}  (target <= 50; GET /api/3/action/package_search "
                  f"on wsgi:app, gunicorn {args.workers} sync workers, one client; median count "
                  f"{statistics.median(http_totals):.0f})")
            lat, counts_w, _rss = results["wilayah"]
            print(f"http_wilayah_p95_ms: {percentile(lat, 95):.2f}  (target <= 50; one word, fq=wilayah:<kabupaten>, "
                  f"4 facets incl. wilayah; median count {statistics.median(counts_w):.0f})")
            lat, _c, _rss = results["harvest"]
            print(f"http_harvest_page_p50_ms: {percentile(lat, 50):.2f}")
            print(f"http_harvest_page_p95_ms: {percentile(lat, 95):.2f}  (ckanext-harvest's gather: rows=100, "
                  f"sort=id asc, start anywhere in 0..{last_start}; answered by the database, 100 full dicts)")
            lat, counts_h, _rss = results["harvest_since"]
            print(f"http_harvest_since_page_p95_ms: {percentile(lat, 95):.2f}  (the same with "
                  f"fq=metadata_modified:[2024-06-01T00:00:00 TO *]; count {counts_h[0]})")
            lat, described, rss = results["dcat"]
            print(f"http_dcat_page_p95_ms: {percentile(lat, 95):.2f}  (GET /catalog.ttl?page=N, {pages} datasets a "
                  f"page, N anywhere in 1..{dcat_last}; {min(described)}-{max(described)} datasets a page)")
            print("worker_peak_rss_mb: " + ", ".join(f"after {name} {r[2]:.0f}" for name, r in results.items())
                  + "  (largest gunicorn worker VmHWM: bounded, whatever page of 100,000 is asked)")
        print(f"load average after: {loadavg()}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
