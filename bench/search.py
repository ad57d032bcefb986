"""Search benchmark: 100,000 generated datasets in the embedded (tantivy) backend.

    .venv/bin/python -m bench.search [--records 100000] [--queries 200] [--no-http]

1. Generates realistic, deterministic dataset records (Indonesian titles and descriptions,
   OPD of Riau's regions, tags, formats, years, region codes, column names).
2. Indexes them with ``EmbeddedBackend.rebuild`` (document building, Sastrawi stemming with a
   cold cache, tantivy indexing, one commit) and prints the time.
3. Runs ``--queries`` queries of 1–3 words, each asking for 3 facets (organisation, year,
   format) and the first page of 20 with highlights, in-process; prints p50/p95.
4. Serves the same index over HTTP with gunicorn (2 workers) and runs the same queries through
   ``/api/3/action/package_search``; prints p50/p95.

The HTTP figure is measured against a small WSGI app defined here (``http_app``), which
answers ``package_search`` straight from the backend, because the portal's own CKAN endpoint
does not call the search backend yet.
TODO(search): once ``satudata/api/ckan.py`` uses ``search.services.search_datasets``, point the
HTTP part at the real app (``satudata:create_app()`` with the index of its instance folder).

One figure per line; the results and the command go to ``docs/benchmarks.md`` (## Search).
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
from typing import Any
from urllib.parse import parse_qs, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


# --------------------------------------------------------------------------- the HTTP side


def http_app(index_root: str) -> Callable[..., Iterator[bytes]]:
    """A WSGI app answering ``/api/3/action/package_search`` (q, rows, start, facet.field)
    from the embedded backend in ``index_root``, in CKAN's response shape. Bench only."""
    backend = EmbeddedBackend(Path(index_root), synonyms=SynonymStore(None))

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        if environ.get("PATH_INFO") != "/api/3/action/package_search":
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return iter([b'{"success": false}'])
        args = parse_qs(environ.get("QUERY_STRING", ""))
        facet_fields = json.loads(args.get("facet.field", ["[]"])[0])
        r = backend.search(SearchQuery(text=args.get("q", [""])[0], facets=tuple(facet_fields),
                                       per_page=int(args.get("rows", ["20"])[0]),
                                       offset=int(args.get("start", ["0"])[0])))
        body = {"success": True, "result": {
            "count": r.total,
            "results": [{"id": h.id, "name": h.slug, "title": h.title} for h in r.hits],
            "search_facets": {k: {"items": [{"name": v, "count": c} for v, c in items]} for k, items in r.facets.items()},
        }}
        data = json.dumps(body).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return iter([data])

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_http(index_root: Path, texts: list[str], warmup: list[str]) -> list[float]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning",
         f"bench.search:http_app({str(index_root)!r})"],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def get(text: str) -> None:
            qs = urlencode({"q": text, "rows": 20, "facet.field": json.dumps(list(FACETS))})
            conn.request("GET", f"/api/3/action/package_search?{qs}")
            resp = conn.getresponse()
            payload = resp.read()
            if resp.status != 200:
                raise RuntimeError(payload[:200])

        for text in warmup:
            get(text)
        out = []
        for text in texts:
            t = time.perf_counter()
            get(text)
            out.append((time.perf_counter() - t) * 1000)
        conn.close()
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    t = time.perf_counter()
    docs = generate(args.records)
    print(f"generate_records: {args.records} in {time.perf_counter() - t:.1f} s")

    tmp = Path(tempfile.mkdtemp(prefix="satudata-bench-search-"))
    try:
        backend = EmbeddedBackend(tmp, synonyms=SynonymStore(None))
        t = time.perf_counter()
        n = backend.rebuild(docs)
        index_s = time.perf_counter() - t
        print(f"index_time_s: {index_s:.1f}  ({n} documents, one commit; target <= 60)")

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
        print(f"inprocess_p95_ms: {percentile(lat, 95):.2f}  (target <= 10; {len(texts)} queries of 1-3 words, "
              f"3 facets, page of 20 with highlights; median hits {statistics.median(totals):.0f})")
        it = iter(texts)
        lat_plain = timed(lambda: backend.search(SearchQuery(text=next(it), facets=FACETS, highlight=False)), texts)
        print(f"inprocess_no_highlight_p95_ms: {percentile(lat_plain, 95):.2f}")
        lat_all = timed(lambda: backend.search(SearchQuery(text="", facets=FACETS)), range(50))
        print(f"match_all_p95_ms: {percentile(lat_all, 95):.2f}  (the /dataset landing page: no text, 3 facets over "
              f"all {n} documents, newest first)")
        it = iter(texts)
        lat_filtered = timed(lambda: backend.search(SearchQuery(text=next(it).split()[0], facets=FACETS,
                                                                filters={"year": ["2024"], "format": ["CSV"]})), texts)
        print(f"filtered_p95_ms: {percentile(lat_filtered, 95):.2f}  (one word, 2 filters, 3 facets)")
        it = iter(texts)
        lat_suggest = timed(lambda: backend.suggest(next(it)[:4]), texts)
        print(f"suggest_p95_ms: {percentile(lat_suggest, 95):.2f}")

        if not args.no_http:
            lat_http = run_http(tmp, texts, warmup)
            print(f"http_p50_ms: {percentile(lat_http, 50):.2f}")
            print(f"http_p95_ms: {percentile(lat_http, 95):.2f}  (target <= 50; gunicorn 2 sync workers, keep-alive "
                  "client; NOTE: bench's own WSGI app calling the backend — the portal's package_search does not "
                  "use the search backend yet)")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
