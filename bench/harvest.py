"""Harvest benchmark: a CKAN Action API source of 10,000 realistic datasets on 127.0.0.1, harvested
into a scratch portal by the real runner, then harvested again unchanged and after 1 % of the
records changed and 1 % were deleted at the source.

    .venv/bin/python bench/harvest.py [--datasets 10000] [--seed 20261205] [--members] [--profile DIR] [--keep DIR]

1. **The source.** Generates ``--datasets`` CKAN package dicts as a regional Indonesian CKAN
   (Satu Data Provinsi Riau-like) publishes them: a UUID ``id``, a ``name`` slug, a title such
   as "Jumlah Tenaga Kesehatan menurut Kecamatan Kabupaten Siak 2022", ``notes`` of two to four
   paragraphs (some with Markdown lists and bold), the full ``organization`` dict (one of 12
   OPD), 1-2 ``groups``, 3-6 ``tags``, ``license_id`` (85 % ``cc-by-4.0``; some
   ``cc-by-sa-4.0``, ``odc-odbl`` and ``notspecified``, the last unknown to the portal),
   maintainer/author, 1-4 ``resources`` (CSV, XLSX, PDF; CKAN's full resource dicts with
   download URLs, sizes, mimetypes), classic ``extras`` (frekuensi, satuan, tahun, ...) and
   ``metadata_created``/``metadata_modified``; deterministic for a seed. A static CKAN-shaped
   server (:class:`CkanSource`, ``ThreadingHTTPServer`` in a thread of this process, HTTP/1.1
   keep-alive) answers ``package_search`` (``q``, ``fq`` with ranges and ``field:("a" OR "b")``,
   ``rows`` up to CKAN's 1,000, ``start``, ``sort`` on one or more fields; ``count`` and
   ``results`` as CKAN sends them), ``package_show`` and ``package_list``. Every package is
   serialised once (and again when it changes), so a page costs the server a join of bytes;
   the time its handlers take is printed, since it shares this process (and the GIL) with the
   harvest.
2. **The portal.** A scratch instance as ``bench/data_api.py`` builds one: ``create_app`` with a
   temporary instance folder, a SQLite file, the embedded search backend and Redis db 12 (the
   jobs queued after each commit go there, nobody runs them; emptied at the end), migrated with
   Alembic; ``HARVEST_ALLOW_PRIVATE_NETWORKS`` on for the server on 127.0.0.1. An organisation,
   the licences and the topics (the source's groups, less one the portal does not have) are
   created, then the source: ``harvest.services.add_source(SystemActor("bench"), type="ckan",
   ...)`` (config defaults: ``page_size`` 100, publish mode ``direct``).
3. **The runs**, each as the worker runs it but in this process: ``services.request_run``,
   commit, ``harvest.tasks.run_harvest(job_id)``; the job's counts, ``HarvestJob.seconds``
   (started to finished, as the job records it), the call's wall and CPU time, and the SQL
   statements it sent are printed:

   - **full**: every record new (created, submitted and published by the harvest actor);
   - **unchanged**: at once again, nothing changed at the source (every record hashed and found
     equal);
   - **changes**: 1 % of the records get a new title and ``metadata_modified``, another 1 % are
     deleted at the source: those are updated through a revision (a new version) and
     withdrawn; the rest unchanged.

   Targets: a full harvest at **>= 100 datasets/s**, the unchanged re-harvest in **<= 10 %** of
   the full harvest's time. Before the runs, ``plugin_only`` times the plug-in alone over the
   same HTTP source (gather, fetch, content hash, map of every record; no database), the part of
   a run no change in ``satudata/`` can make faster.

``--members`` gives the organisation a walidata and two producers: a harvested dataset's
submission and publication then notify them (a notification row and an outbox mail each), as
on a portal in use; without it the organisation has no users and those effects find nobody.
``--profile DIR`` runs each harvest under cProfile (``DIR/full.prof``, ``unchanged.prof``,
``changes.prof``; the times are then cProfile's, not the benchmark's) and prints the top
cumulative functions of ``satudata/`` and ``harvesters/``. Prints one figure per line, then a
Markdown table for ``docs/benchmarks.md`` (## Harvesting).
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 20261205
REDIS_URL = "redis://127.0.0.1:6379/12"  # this benchmark's Redis database (emptied at the end)
SITE = "https://data.riau.go.id"  # where the source's records say they live (never contacted)
TARGET_RATE = 100.0  # datasets/s, full harvest
TARGET_UNCHANGED = 0.10  # unchanged re-harvest / full harvest
CHANGE_SHARE = 0.01
DELETE_SHARE = 0.01
ROWS_MAX = 1000  # CKAN's ckan.search.rows_max

# --------------------------------------------------------------------------- the records

REGIONS = [
    ("14", "Provinsi Riau"), ("14.01", "Kabupaten Kampar"), ("14.02", "Kabupaten Indragiri Hulu"),
    ("14.03", "Kabupaten Bengkalis"), ("14.04", "Kabupaten Indragiri Hilir"), ("14.05", "Kabupaten Pelalawan"),
    ("14.06", "Kabupaten Rokan Hulu"), ("14.07", "Kabupaten Rokan Hilir"), ("14.08", "Kabupaten Siak"),
    ("14.09", "Kabupaten Kuantan Singingi"), ("14.10", "Kabupaten Kepulauan Meranti"), ("14.71", "Kota Pekanbaru"),
    ("14.72", "Kota Dumai"),
]
# (org slug at the source, its title, its groups (first = main), satuan, subjects)
AGENCIES: list[tuple[str, str, list[str], str, list[str]]] = [
    ("dinas-kependudukan-dan-pencatatan-sipil", "Dinas Kependudukan dan Pencatatan Sipil",
     ["kependudukan", "sosial"], "Jiwa",
     ["Penduduk", "Kelahiran", "Kematian", "Perekaman KTP Elektronik", "Kartu Keluarga", "Perkawinan",
      "Penduduk Pindah Datang", "Akta Kelahiran Anak"]),
    ("dinas-kesehatan", "Dinas Kesehatan", ["kesehatan", "sosial"], "Orang",
     ["Tenaga Kesehatan", "Fasilitas Kesehatan", "Imunisasi Dasar Lengkap", "Balita Stunting",
      "Kasus Demam Berdarah Dengue (DBD)", "Kunjungan Puskesmas", "Kasus Tuberkulosis", "Posyandu Aktif",
      "Kasus COVID-19"]),
    ("dinas-pendidikan", "Dinas Pendidikan", ["pendidikan"], "Orang",
     ["Sekolah", "Guru", "Murid", "Angka Partisipasi Sekolah", "Ruang Kelas Rusak", "Lulusan Sekolah Menengah",
      "Peserta Didik Penerima Beasiswa"]),
    ("dinas-tanaman-pangan-hortikultura-dan-perkebunan", "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
     ["pertanian", "ekonomi"], "Ton",
     ["Produksi Padi", "Luas Panen Jagung", "Produksi Kelapa Sawit", "Produksi Karet", "Produksi Kelapa",
      "Kelompok Tani"]),
    ("dinas-pekerjaan-umum-dan-penataan-ruang", "Dinas Pekerjaan Umum dan Penataan Ruang", ["infrastruktur"], "Km",
     ["Panjang Jalan", "Kondisi Jalan", "Jembatan", "Jaringan Irigasi", "Drainase Perkotaan"]),
    ("dinas-sosial", "Dinas Sosial", ["sosial", "kemiskinan"], "KK",
     ["Keluarga Penerima Manfaat PKH", "Penerima Bantuan Pangan Non Tunai", "Penyandang Disabilitas",
      "Lanjut Usia Terlantar", "Panti Sosial"]),
    ("bappedalitbang", "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", ["ekonomi", "kemiskinan"],
     "Persen",
     ["Penduduk Miskin", "Indeks Pembangunan Manusia", "Produk Domestik Regional Bruto",
      "Tingkat Pengangguran Terbuka", "Pertumbuhan Ekonomi"]),
    ("badan-pengelola-keuangan-dan-aset-daerah", "Badan Pengelola Keuangan dan Aset Daerah", ["keuangan"], "Rupiah",
     ["Realisasi APBD", "Pendapatan Asli Daerah", "Belanja Pegawai", "Aset Tetap Daerah"]),
    ("dinas-lingkungan-hidup-dan-kehutanan", "Dinas Lingkungan Hidup dan Kehutanan", ["lingkungan-hidup"], "Ton",
     ["Timbulan Sampah", "Kualitas Air Sungai", "Indeks Kualitas Udara", "Ruang Terbuka Hijau",
      "Titik Panas Kebakaran Hutan dan Lahan"]),
    ("dinas-pariwisata", "Dinas Pariwisata", ["pariwisata", "ekonomi"], "Kunjungan",
     ["Kunjungan Wisatawan Nusantara", "Hotel dan Kamar", "Daya Tarik Wisata", "Event Budaya"]),
    ("dinas-perhubungan", "Dinas Perhubungan", ["perhubungan", "infrastruktur"], "Unit",
     ["Kendaraan Bermotor", "Angkutan Umum", "Kecelakaan Lalu Lintas", "Penumpang Pelabuhan"]),
    ("dinas-komunikasi-informatika-dan-statistik", "Dinas Komunikasi, Informatika dan Statistik",
     ["teknologi-informasi", "pemerintahan"], "Unit",
     ["Menara Telekomunikasi", "Desa Terjangkau Internet", "Aduan Masyarakat SP4N-LAPOR", "Aplikasi Pemerintah"]),
]
GROUP_TITLES = {
    "kependudukan": "Kependudukan", "sosial": "Sosial", "kesehatan": "Kesehatan", "pendidikan": "Pendidikan",
    "pertanian": "Pertanian", "ekonomi": "Ekonomi", "infrastruktur": "Infrastruktur", "kemiskinan": "Kemiskinan",
    "keuangan": "Keuangan Daerah", "lingkungan-hidup": "Lingkungan Hidup", "pariwisata": "Pariwisata",
    "perhubungan": "Perhubungan", "teknologi-informasi": "Teknologi Informasi", "pemerintahan": "Pemerintahan",
}
MISSING_TOPIC = "kemiskinan"  # a group the portal has no topic for (ignored by the mapping, as in life)
LICENCES = [  # (license_id, license_title, license_url, weight); "notspecified" is unknown to the portal
    ("cc-by-4.0", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/", 85),
    ("cc-by-sa-4.0", "Creative Commons Attribution Share-Alike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/", 6),
    ("odc-odbl", "Open Data Commons Open Database License (ODbL)", "http://www.opendefinition.org/licenses/odc-odbl", 5),
    ("notspecified", "License not specified", "", 4),
]
MEASURES = ["Jumlah", "Jumlah", "Persentase", "Rasio", "Rekapitulasi", "Data", "Sebaran", "Capaian"]
DIMENSIONS = ["Kecamatan", "Desa/Kelurahan", "Jenis Kelamin", "Kelompok Umur", "Bulan", "Jenjang", "Status",
              "Jenis", "Kabupaten/Kota", "Triwulan"]
FREQUENCIES = [("Tahunan", "annual"), ("Tahunan", "annual"), ("Tahunan", "annual"), ("Semesteran", "semiannual"),
               ("Triwulanan", "quarterly"), ("Bulanan", "monthly")]
PARAGRAPHS = [
    ["Dataset ini berisi {measure_l} {subject_l} menurut {dimension_l} di {region} pada tahun {year}.",
     "Data disusun oleh {org} berdasarkan laporan rutin unit pelaksana teknis dan hasil pendataan lapangan.",
     "Angka pada tabel bersifat {status} dan dapat berubah setelah verifikasi oleh walidata."],
    ["Pengumpulan data dilakukan secara {frequency_l} melalui sistem informasi {group_l} yang dikelola {org}.",
     "Setiap baris memuat kode wilayah Kemendagri sehingga dapat digabungkan dengan data kewilayahan lain.",
     "Definisi operasional mengikuti pedoman kementerian terkait dan standar data statistik sektoral."],
    ["Data {subject_l} dimanfaatkan untuk perencanaan pembangunan daerah, penyusunan RPJMD dan evaluasi "
     "capaian Standar Pelayanan Minimal.",
     "Perbandingan antartahun perlu memperhatikan pemekaran wilayah dan perubahan metode pendataan."],
    ["Catatan: nilai kosong berarti data tidak tersedia pada saat rilis; angka nol berarti tidak ada kejadian.",
     "Pertanyaan tentang dataset ini dapat disampaikan kepada {org} melalui kontak yang tercantum."],
]
MARKDOWN_BLOCK = ("**Keterangan kolom:**\n\n- `kode_wilayah`: kode wilayah Kemendagri\n- `tahun`: tahun data\n"
                  "- `jumlah`: {measure_l} {subject_l} ({satuan_l})\n\nSumber: *{org}*, {region}.")
FORMATS = [  # (format, mimetype, extension, weight)
    ("CSV", "text/csv", "csv", 6),
    ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", 3),
    ("PDF", "application/pdf", "pdf", 2),
]
PEOPLE = ["Rahmat Hidayat", "Siti Aminah", "Dedi Saputra", "Nur Aisyah", "Andi Syahputra", "Fitri Handayani",
          "Muhammad Yusuf", "Rina Marlina", "Hendra Gunawan", "Dewi Lestari"]


def _uuid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _stamp(moment: datetime) -> str:
    """CKAN's timestamps: naive UTC with microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90].strip("-")


def make_packages(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``n`` CKAN package dicts, the same for the same ``seed``."""
    rnd = random.Random(seed)
    start = datetime(2018, 3, 1, tzinfo=UTC)
    orgs = {slug: {"id": _uuid(rnd), "name": slug, "title": f"{title} Provinsi Riau", "type": "organization",
                   "description": f"{title} Provinsi Riau.", "image_url": "", "created": _stamp(start),
                   "is_organization": True, "approval_status": "approved", "state": "active"}
            for slug, title, _g, _s, _subjects in AGENCIES}
    groups = {name: {"id": _uuid(rnd), "name": name, "title": title, "display_name": title,
                     "description": f"Data sektoral bidang {title.lower()}.",
                     "image_display_url": f"{SITE}/uploads/group/{name}.png"}
              for name, title in GROUP_TITLES.items()}
    licence_weights = [w for *_x, w in LICENCES]
    format_weights = [w for *_x, w in FORMATS]
    names: set[str] = set()
    out = []
    for _ in range(n):
        slug, agency, group_names, satuan, subjects = rnd.choice(AGENCIES)
        kode, region = rnd.choice(REGIONS)
        subject, dimension, measure = rnd.choice(subjects), rnd.choice(DIMENSIONS), rnd.choice(MEASURES)
        year = rnd.randint(2017, 2025)
        freq_label, freq_code = rnd.choice(FREQUENCIES)
        title = f"{measure} {subject} menurut {dimension} {region} {year}"
        name = base = _slug(title)
        k = 1
        while name in names:
            k += 1
            name = f"{base[:86]}-{k}"
        names.add(name)
        if k > 1:
            title += f" (Bagian {k})"
        org = orgs[slug]
        values = {"measure_l": measure.lower(), "subject_l": subject.lower(), "dimension_l": dimension.lower(),
                  "region": region, "year": year, "org": org["title"], "status": rnd.choice(["sementara", "tetap"]),
                  "frequency_l": freq_label.lower(), "group_l": GROUP_TITLES[group_names[0]].lower(),
                  "satuan_l": satuan.lower()}
        paragraphs = [" ".join(s.format(**values) for s in p) for p in
                      [PARAGRAPHS[0], *rnd.sample(PARAGRAPHS[1:], rnd.randint(1, 3))]]
        if rnd.random() < 0.3:
            paragraphs.append(MARKDOWN_BLOCK.format(**values))
        created = start + timedelta(seconds=rnd.randint(0, 7 * 365 * 86400), microseconds=rnd.randint(0, 999_999))
        modified = created + timedelta(seconds=rnd.randint(0, 400 * 86400), microseconds=rnd.randint(0, 999_999))
        pkg_id = _uuid(rnd)
        lic_id, lic_title, lic_url, _w = rnd.choices(LICENCES, licence_weights)[0]
        person = rnd.choice(PEOPLE)
        email = f"{slug.split('-')[-1][:12]}@riau.go.id"
        pkg_groups = [groups[group_names[0]]] + ([groups[group_names[1]]] if len(group_names) > 1
                                                 and rnd.random() < 0.5 else [])
        tag_pool = [group_names[0], subject.split()[0].lower(), subject.lower()[:40], region.split()[-1].lower(),
                    dimension.split("/")[0].lower(), str(year), "satu data riau", "statistik sektoral",
                    freq_label.lower()]
        tags = [{"id": _uuid(rnd), "name": t, "display_name": t, "state": "active", "vocabulary_id": None}
                for t in dict.fromkeys(rnd.sample(tag_pool, rnd.randint(3, 6)))]
        resources = []
        for position in range(rnd.choice([1, 1, 2, 2, 2, 3, 4])):
            fmt, mimetype, ext, _w = rnd.choices(FORMATS, format_weights)[0] if position else FORMATS[0]
            res_id = _uuid(rnd)
            file_name = f"{name[:60]}-{year}{'' if position == 0 else f'-{position + 1}'}.{ext}"
            res_created = created + timedelta(minutes=position * 3)
            resources.append({
                "id": res_id, "package_id": pkg_id, "name": f"{title} ({fmt})" if position else title,
                "description": f"Tabel {subject.lower()} menurut {dimension.lower()}, {region}, {year}."
                if fmt != "PDF" else "Publikasi dan metadata statistik kegiatan.",
                "format": fmt, "mimetype": mimetype, "url": f"{SITE}/dataset/{pkg_id}/resource/{res_id}/download/{file_name}",
                "url_type": "upload", "size": rnd.randint(2_000, 3_000_000), "hash": "", "position": position,
                "created": _stamp(res_created), "last_modified": _stamp(modified), "metadata_modified": _stamp(modified),
                "state": "active", "datastore_active": fmt == "CSV" and rnd.random() < 0.5, "cache_url": None,
                "cache_last_updated": None, "resource_type": None, "mimetype_inner": None,
            })
        extras = [{"key": "frekuensi", "value": freq_label}, {"key": "satuan", "value": satuan},
                  {"key": "tahun", "value": str(year)}, {"key": "kode_wilayah", "value": kode},
                  {"key": "sumber_data", "value": org["title"]}]
        if rnd.random() < 0.5:
            extras.append({"key": "frequency", "value": freq_code})
        if rnd.random() < 0.3:
            extras.append({"key": "klasifikasi", "value": rnd.choice(["Statistik Sektoral", "Data Prioritas"])})
        out.append({
            "id": pkg_id, "name": name, "title": title, "notes": "\n\n".join(paragraphs), "url": "", "version": "1.0",
            "author": org["title"], "author_email": email, "maintainer": person, "maintainer_email": email,
            "license_id": lic_id, "license_title": lic_title, **({"license_url": lic_url} if lic_url else {}),
            "isopen": lic_id != "notspecified", "owner_org": org["id"], "organization": org, "groups": pkg_groups,
            "tags": tags, "num_tags": len(tags), "resources": resources, "num_resources": len(resources),
            "extras": extras, "metadata_created": _stamp(created), "metadata_modified": _stamp(modified),
            "state": "active", "private": False, "type": "dataset", "creator_user_id": _uuid(rnd),
            "relationships_as_object": [], "relationships_as_subject": [],
        })
    return out


# --------------------------------------------------------------------------- the CKAN source

_TERM = re.compile(r'([\w.]+):(\[[^\]]*\]|\([^)]*\)|"(?:[^"\\]|\\.)*"|[^\s()]+)')


def _field_values(pkg: dict[str, Any], field: str) -> list[str]:
    if field == "organization":
        return [str((pkg.get("organization") or {}).get("name") or "")]
    if field in ("groups", "tags"):
        return [str(x.get("name")) for x in pkg.get(field) or []]
    if field == "res_format":
        return [str(r.get("format") or "") for r in pkg.get("resources") or []]
    value = pkg.get(field)
    return [] if value is None else [str(value)]


def _matcher(clause: str) -> Callable[[dict[str, Any]], bool]:
    """A Solr ``fq``/``q`` of ``field:value`` terms joined by AND, as ckanext-harvest and
    ckanapi write them: ``field:[A TO B]`` (``*`` open; CKAN's naive timestamps compared as
    UTC), ``field:("a" OR "b")``, ``field:a``."""
    tests: list[Callable[[dict[str, Any]], bool]] = []
    for field, value in _TERM.findall(clause):
        if value.startswith("["):
            low, _, high = value[1:-1].partition(" TO ")
            low, high = low.strip().rstrip("Z"), high.strip().rstrip("Z")

            def in_range(p: dict[str, Any], f: str = field, lo: str = low, hi: str = high) -> bool:
                return any((lo == "*" or v >= lo) and (hi == "*" or v <= hi) for v in _field_values(p, f))
            tests.append(in_range)
        else:
            inner = value[1:-1] if value.startswith("(") else value
            wanted = {json.loads(v) if v.startswith('"') else v
                      for v in (x.strip() for x in re.split(r"\s+OR\s+", inner)) if v}

            def one_of(p: dict[str, Any], f: str = field, w: set[str] = wanted) -> bool:
                return any(v in w for v in _field_values(p, f))
            tests.append(one_of)
    return lambda p: all(t(p) for t in tests)


class CkanSource:
    """A CKAN Action API 3 over a fixed list of packages, served from a thread on 127.0.0.1."""

    def __init__(self, packages: list[dict[str, Any]]) -> None:
        self.lock = threading.Lock()
        self.packages: dict[str, dict[str, Any]] = {}
        self.blobs: dict[str, bytes] = {}
        self.by_name: dict[str, str] = {}
        self.orders: dict[tuple[str, str, str], list[str]] = {}
        for pkg in packages:
            self.put(pkg)
        self.requests = 0
        self.bytes_sent = 0
        self.handler_s = 0.0  # wall time inside the handlers
        self.handler_cpu_s = 0.0  # CPU time of the handler threads
        source = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as CKAN behind nginx

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                t, c = time.perf_counter(), time.thread_time()
                parts = urlsplit(self.path)
                status, body = source.answer(parts.path, parse_qs(parts.query))
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with source.lock:
                    source.requests += 1
                    source.bytes_sent += len(body)
                    source.handler_s += time.perf_counter() - t
                    source.handler_cpu_s += time.thread_time() - c

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="ckan-source", daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    # ------------------------------------------------------------------ the catalogue

    def put(self, pkg: dict[str, Any]) -> None:
        with self.lock:
            self.packages[pkg["id"]] = pkg
            self.blobs[pkg["id"]] = json.dumps(pkg, ensure_ascii=False).encode("utf-8")
            self.by_name[pkg["name"]] = pkg["id"]
            self.orders.clear()

    def delete(self, pkg_id: str) -> None:
        with self.lock:
            pkg = self.packages.pop(pkg_id)
            self.blobs.pop(pkg_id)
            self.by_name.pop(pkg["name"], None)
            self.orders.clear()

    def _search(self, q: str, fq: str, sort: str) -> list[str]:
        key = (q, fq, sort)
        with self.lock:
            found = self.orders.get(key)
            if found is not None:
                return found
            packages = list(self.packages.values())
        q = q.strip()
        if q and q != "*:*":
            if _TERM.search(q):
                packages = [p for p in packages if _matcher(q)(p)]
            else:
                words = q.lower().split()
                packages = [p for p in packages if all(
                    w in f"{p['title']} {p['notes']} {' '.join(t['name'] for t in p['tags'])}".lower() for w in words)]
        if fq.strip():
            match = _matcher(fq)
            packages = [p for p in packages if match(p)]
        packages.sort(key=lambda p: p["id"])  # Solr's tie-break is index order; ids here
        for part in reversed([s.strip() for s in (sort or "score desc, metadata_modified desc").split(",") if s.strip()]):
            field, _, direction = part.partition(" ")
            field = {"title_string": "title"}.get(field, field)
            if field == "score":
                continue
            def by_field(p: dict[str, Any], f: str = field) -> str:
                return str(p.get(f) or "")
            packages.sort(key=by_field, reverse=direction.strip().lower() == "desc")
        ids = [p["id"] for p in packages]
        with self.lock:
            self.orders[key] = ids
        return ids

    # ------------------------------------------------------------------ the API

    def answer(self, path: str, params: dict[str, list[str]]) -> tuple[int, bytes]:
        action = path.rstrip("/").rsplit("/", 1)[-1] if path.startswith("/api/") else ""
        one = {k: v[0] for k, v in params.items() if v}
        help_url = f"{self.url}/api/3/action/help_show?name={action}"
        try:
            if action == "package_search":
                try:
                    rows, start = int(one.get("rows", 10)), int(one.get("start", 0))
                except ValueError:
                    return self._error(409, help_url, "Validation Error", {"rows": ["Invalid integer"]})
                if rows < 0 or rows > ROWS_MAX or start < 0:
                    return self._error(409, help_url, "Validation Error",
                                       {"rows": [f"Must be a natural number below {ROWS_MAX}"]})
                sort = one.get("sort", "score desc, metadata_modified desc")
                ids = self._search(one.get("q", ""), one.get("fq", ""), sort)
                with self.lock:
                    page = [self.blobs[i] for i in ids[start:start + rows] if i in self.blobs]
                return 200, (b'{"help": ' + json.dumps(help_url).encode() + b', "success": true, "result": {"count": '
                             + str(len(ids)).encode() + b', "facets": {}, "results": [' + b", ".join(page)
                             + b'], "sort": ' + json.dumps(sort).encode() + b', "search_facets": {}}}')
            if action == "package_show":
                key = one.get("id", "")
                with self.lock:
                    blob = self.blobs.get(key) or self.blobs.get(self.by_name.get(key, ""))
                if blob is None:
                    return self._error(404, help_url, "Not Found Error", "Not found")
                return 200, b'{"help": ' + json.dumps(help_url).encode() + b', "success": true, "result": ' + blob + b"}"
            if action == "package_list":
                with self.lock:
                    names = sorted(self.by_name)
                offset, limit = int(one.get("offset", 0)), int(one.get("limit", len(names)) or len(names))
                return 200, json.dumps({"help": help_url, "success": True,
                                        "result": names[offset:offset + limit]}).encode()
        except ValueError:
            return self._error(409, help_url, "Validation Error", "Invalid parameter")
        return 400, json.dumps("Bad request - Action name not known: " + action).encode()

    @staticmethod
    def _error(status: int, help_url: str, kind: str, message: Any) -> tuple[int, bytes]:
        error = {"__type": kind, "message": message} if isinstance(message, str) else {"__type": kind, **message}
        return status, json.dumps({"help": help_url, "success": False, "error": error}).encode()

    # ------------------------------------------------------------------ between runs

    def change(self, share: float, rnd: random.Random, when: datetime) -> list[str]:
        """A new title and ``metadata_modified`` for ``share`` of the packages; their ids."""
        with self.lock:
            ids = sorted(self.packages)
        chosen = rnd.sample(ids, max(1, round(len(ids) * share)))
        for i, pkg_id in enumerate(chosen):
            pkg = copy.deepcopy(self.packages[pkg_id])
            pkg["title"] = f"{pkg['title']} (Pemutakhiran {when:%d-%m-%Y})"
            pkg["metadata_modified"] = _stamp(when + timedelta(seconds=i))
            self.put(pkg)
        return chosen

    def remove(self, share: float, rnd: random.Random, keep: set[str]) -> list[str]:
        with self.lock:
            ids = sorted(set(self.packages) - keep)
        chosen = rnd.sample(ids, max(1, round((len(ids) + len(keep)) * share)))
        for pkg_id in chosen:
            self.delete(pkg_id)
        return chosen

    def stats(self) -> tuple[int, int, float, float]:
        with self.lock:
            return self.requests, self.bytes_sent, self.handler_s, self.handler_cpu_s

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- the scratch portal


def portal_config(root: Path) -> dict[str, Any]:
    return {
        "INSTANCE_PATH": str(root / "instance"),
        "DATABASE_URL": f"sqlite:///{root / 'portal.db'}",
        "STORAGE_PATH": str(root / "files"),
        "SECRET_KEY": "bench-harvest-not-a-secret",
        "SEARCH_BACKEND": "embedded",
        "REDIS_URL": REDIS_URL,
        "BASE_URL": "http://127.0.0.1",
        "HARVEST_ALLOW_PRIVATE_NETWORKS": True,
    }


def make_portal(root: Path) -> Any:
    import logging

    from flask_migrate import upgrade

    from satudata import create_app

    app = create_app(portal_config(root))
    logging.disable(logging.INFO)  # alembic's migration log
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def add_source(app: Any, url: str, *, members: bool = False) -> int:
    """The organisation, licences and topics the records reference, and the harvest source; its
    id. ``members``: the organisation gets a walidata and two producers, whom every submission
    and publication notifies (a row each and an outbox mail)."""
    from satudata.accounts import services as accounts
    from satudata.accounts.models import OrganizationKind
    from satudata.authz import Role, SystemActor
    from satudata.catalog.models import Licence, Topic
    from satudata.extensions import db
    from satudata.harvest import services

    actor = SystemActor("bench")
    with app.app_context():
        org = accounts.create_organization(actor, slug="diskominfotik-riau", kind=OrganizationKind.OPD,
                                           name="Dinas Komunikasi, Informatika dan Statistik Provinsi Riau")
        if members:
            for username, full_name, role in (("walidata.riau", "Walidata Provinsi Riau", Role.WALIDATA),
                                              ("produsen.satu", "Siti Aminah", Role.PRODUSEN),
                                              ("produsen.dua", "Dedi Saputra", Role.PRODUSEN)):
                accounts.create_user(actor, username=username, email=f"{username}@riau.go.id", full_name=full_name,
                                     roles=[(role, org)])
        for lic_id, title, url_, _w in LICENCES:
            if lic_id != "notspecified":
                db.session.add(Licence(id=lic_id, title=title, url=url_))
        for slug, name in GROUP_TITLES.items():
            if slug != MISSING_TOPIC:
                db.session.add(Topic(slug=slug, name=name))
        db.session.flush()
        source = services.add_source(actor, name="ckan-riau", type="ckan", url=url, organization=org,
                                     title="Satu Data Provinsi Riau (CKAN)")
        db.session.commit()
        return int(source.id)


class StatementCounter:
    """SQL statements sent through the app's engine (SQLAlchemy's ``before_cursor_execute``),
    and the moments of the runner's checkpoints (every ``tasks.CHECKPOINT_EVERY`` records it
    reads ``harvest_job.cancel_requested``): whether the rate holds as the catalogue grows."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.n = 0
        self.checkpoints: list[float] = []
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.n += 1
        if statement.startswith("SELECT harvest_job.cancel_requested"):
            self.checkpoints.append(time.perf_counter())


def harvest(app: Any, source_id: int, counter: StatementCounter, profile: Path | None) -> dict[str, Any]:
    """One run of the source, as the worker runs it: request, commit, ``run_harvest``."""
    from satudata.authz import SystemActor
    from satudata.extensions import db
    from satudata.harvest import services, tasks
    from satudata.harvest.models import HarvestJob, HarvestSource

    with app.app_context():
        try:
            source = db.session.get(HarvestSource, source_id)
            assert source is not None
            job = services.request_run(SystemActor("bench"), source)
            db.session.commit()
            job_id = job.id
            statements = counter.n
            counter.checkpoints.clear()
            profiler = cProfile.Profile() if profile is not None else None
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            status = tasks.run_harvest(job_id)
            if profiler is not None:
                profiler.disable()
            out: dict[str, Any] = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                                   "statements": counter.n - statements, "status": status,
                                   "checkpoints": list(counter.checkpoints)}
            if profiler is not None and profile is not None:
                profiler.dump_stats(str(profile))
            db.session.expire_all()
            done = db.session.get(HarvestJob, job_id)
            assert done is not None
            out.update(job=job_id, seconds=done.seconds or 0.0, counts=dict(done.counts or {}),
                       gathered=done.gathered, errors=list(done.errors or []))
            return out
        finally:
            db.session.remove()


def plugin_only(url: str) -> dict[str, Any]:
    """The ``ckan`` plug-in alone over the source: gather, fetch, content hash and map of every
    record through the guarded session; no database."""
    from harvesters.base import HarvestContext, content_hash
    from harvesters.ckan import CkanConfig, CkanHarvester
    from harvesters.http import GuardedSession

    harvester = CkanHarvester()
    ctx = HarvestContext(url=url, config=CkanConfig().load({}), http=GuardedSession(allow_private=True))
    n = 0
    wall, cpu = time.perf_counter(), time.process_time()
    with ctx.http:
        for item in harvester.gather(ctx):
            raw = harvester.fetch(ctx, item)
            content_hash(raw)
            harvester.map(ctx, raw)
            n += 1
    return {"records": n, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}


def harvested_state(app: Any, source_id: int) -> dict[str, int]:
    from sqlalchemy import func, select

    from satudata.catalog.models import Dataset
    from satudata.extensions import db

    with app.app_context():
        try:
            rows = db.session.execute(select(Dataset.state, func.count()).where(
                Dataset.harvest_source_id == source_id, Dataset.revision_of_id.is_(None)).group_by(Dataset.state))
            return {str(state): int(n) for state, n in rows}
        finally:
            db.session.remove()


def hotspots(path: Path, top: int = 20) -> list[str]:
    """The top cumulative functions of ``satudata/`` and ``harvesters/`` in a cProfile file."""
    stats = pstats.Stats(str(path), stream=io.StringIO())
    rows = []
    for (filename, line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rel = filename.replace(str(ROOT) + os.sep, "")
        if rel.startswith(("satudata/", "harvesters/")):
            rows.append((ct, f"{rel}:{line}:{func}", nc))
    rows.sort(reverse=True)
    return [f"{ct:8.2f} s  {name}  ({calls:,} calls)" for ct, name, calls in rows[:top]]


# --------------------------------------------------------------------------- printing


def rate_drift(moments: list[float]) -> str | None:
    """Records/s over the first and the last tenth of a run, from its checkpoint moments (one
    every ``CHECKPOINT_EVERY`` records; the first is the gather stage's, before any record)."""
    from satudata.harvest.tasks import CHECKPOINT_EVERY

    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    if len(gaps) < 10:
        return None
    tenth = max(1, len(gaps) // 10)
    first, last = sum(gaps[:tenth]), sum(gaps[-tenth:])
    return (f"{tenth * CHECKPOINT_EVERY / first:,.1f} datasets/s over the first {tenth * CHECKPOINT_EVERY:,} records, "
            f"{tenth * CHECKPOINT_EVERY / last:,.1f} over the last {tenth * CHECKPOINT_EVERY:,} (catalogue growing "
            "from empty; the machine's load changes too)")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "-"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000, help="records at the source (default 10,000)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", type=Path, help="run each harvest under cProfile, write DIR/<run>.prof")
    parser.add_argument("--members", action="store_true",
                        help="give the organisation a walidata and two producers (notified of every move)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (the portal's database)")
    args = parser.parse_args(argv)

    import sqlalchemy

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}; load average before: {loadavg()}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-harvest-"))
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    source: CkanSource | None = None
    try:
        t = time.perf_counter()
        packages = make_packages(args.datasets, args.seed)
        source = CkanSource(packages)
        sizes = sorted(len(b) for b in source.blobs.values())
        print(f"source: {len(packages):,} CKAN packages at {source.url} in {time.perf_counter() - t:.1f} s; "
              f"JSON per package median {sizes[len(sizes) // 2] / 1024:.1f} KiB (max {sizes[-1] / 1024:.1f} KiB), "
              f"{sum(len(p['resources']) for p in packages):,} resources, "
              f"{sum(len(p['tags']) for p in packages):,} tags, "
              f"{sum(p['license_id'] == 'cc-by-4.0' for p in packages) / len(packages):.0%} cc-by-4.0")
        del packages

        t = time.perf_counter()
        app = make_portal(root)
        source_id = add_source(app, source.url, members=args.members)
        with app.app_context():
            from satudata.extensions import db

            counter = StatementCounter(db.engine)
        print(f"portal_setup_s: {time.perf_counter() - t:.1f}  (create_app, Alembic upgrade of a new SQLite file, "
              f"organisation{' with a walidata and two producers' if args.members else ' (no users)'}, licences, "
              "topics, source; not measured)")

        plug = plugin_only(source.url)
        print(f"plugin_only_s: {plug['wall_s']:.2f}  (ckan plug-in alone: gather + fetch + content_hash + map of "
              f"{plug['records']:,} records over HTTP, no database; CPU {plug['cpu_s']:.2f} s; "
              f"{plug['records'] / plug['wall_s']:,.0f} records/s)")

        runs: dict[str, dict[str, Any]] = {}
        expected: dict[str, dict[str, int]] = {}
        n = args.datasets

        def run(label: str, want: dict[str, int]) -> dict[str, Any]:
            assert source is not None
            before = source.stats()
            result = harvest(app, source_id, counter, args.profile / f"{label}.prof" if args.profile else None)
            after = source.stats()
            result["server"] = tuple(a - b for a, b in zip(after, before, strict=True))
            runs[label], expected[label] = result, want
            ok = "ok" if result["counts"] == want else f"EXPECTED {counts_text(want)}"
            records = max(1, result["gathered"] + want.get("withdrawn", 0))
            req, sent, handler_s, handler_cpu = result["server"]
            print(f"{label}_s: {result['seconds']:.2f}  (HarvestJob.seconds; wall of run_harvest "
                  f"{result['wall_s']:.2f} s, CPU {result['cpu_s']:.2f} s; status {result['status']}; counts "
                  f"{counts_text(result['counts'])} [{ok}]; {result['statements']:,} SQL statements, "
                  f"{result['statements'] / records:.1f} per record; source: {req} requests, "
                  f"{sent / 1024 ** 2:.1f} MB, handlers {handler_s:.2f} s wall / {handler_cpu:.2f} s CPU; "
                  f"peak RSS {peak_rss_mb():.0f} MB)")
            for error in result["errors"][:5]:
                print(f"  job error: {error}")
            if args.profile:
                print(f"  profile {args.profile / (label + '.prof')}, top cumulative in satudata/ and harvesters/:")
                for line in hotspots(args.profile / f"{label}.prof"):
                    print("   " + line)
            return result

        full = run("full", {"new": n})
        print(f"full_rate: {n / full['seconds']:,.1f} datasets/s  (target >= {TARGET_RATE:.0f})")
        drift = rate_drift(full["checkpoints"])
        if drift:
            print(f"full_rate_drift: {drift}")
        states = harvested_state(app, source_id)
        print(f"after full: harvested datasets by state {states}; database {(root / 'portal.db').stat().st_size / 1024 ** 2:.1f} MB")
        unchanged = run("unchanged", {"unchanged": n})
        print(f"unchanged_ratio: {unchanged['seconds'] / full['seconds']:.1%} of the full harvest  "
              f"(target <= {TARGET_UNCHANGED:.0%})")

        rnd = random.Random(args.seed + 1)
        changed = source.change(CHANGE_SHARE, rnd, datetime(2026, 12, 5, 8, 0, tzinfo=UTC))
        removed = source.remove(DELETE_SHARE, rnd, set(changed))
        changes = run("changes", {"updated": len(changed), "withdrawn": len(removed),
                                  "unchanged": n - len(changed) - len(removed)})
        states = harvested_state(app, source_id)
        print(f"after changes: harvested datasets by state {states}")
        print(f"load average after: {loadavg()}")

        rate = n / full["seconds"]
        ratio = unchanged["seconds"] / full["seconds"]
        rate_ok, ratio_ok = rate >= TARGET_RATE, ratio <= TARGET_UNCHANGED
        counts_ok = all(runs[k]["counts"] == expected[k] for k in runs)
        print()
        print("| figure | result | target |")
        print("|---|---|---|")
        print(f"| `plugin_only_s` — the ckan plug-in alone over HTTP (gather, fetch, hash, map), no database "
              f"| {plug['wall_s']:.2f} s ({plug['records'] / plug['wall_s']:,.0f} records/s) | |")
        print(f"| `full_s` — first harvest, {n:,} new (created, submitted, published) "
              f"| {full['seconds']:.1f} s (CPU {full['cpu_s']:.1f} s) | |")
        print(f"| `full_rate` | **{rate:,.1f} datasets/s** | ≥ {TARGET_RATE:.0f}/s — {'met' if rate_ok else 'NOT met'} |")
        print(f"| `unchanged_s` — at once again, nothing changed | {unchanged['seconds']:.1f} s "
              f"(CPU {unchanged['cpu_s']:.1f} s; {n / unchanged['seconds']:,.0f} records/s) | |")
        print(f"| `unchanged_ratio` | **{ratio:.1%}** of `full_s` | ≤ {TARGET_UNCHANGED:.0%} — "
              f"{'met' if ratio_ok else 'NOT met'} |")
        c = changes["counts"]
        print(f"| `changes_s` — {len(changed):,} changed (title, metadata_modified), {len(removed):,} deleted at the "
              f"source | {changes['seconds']:.1f} s (updated {c.get('updated', 0):,}, withdrawn {c.get('withdrawn', 0):,}, "
              f"unchanged {c.get('unchanged', 0):,}) | |")
        print(f"| SQL statements per record: full / unchanged / changes | "
              f"{full['statements'] / n:.1f} / {unchanged['statements'] / n:.1f} / {changes['statements'] / n:.1f} | |")
        print(f"| counts as expected | {'yes' if counts_ok else 'NO'} | yes |")
        if args.profile:
            print("\n(cProfile was on: the times above are inflated by it)")
    finally:
        if source is not None:
            source.close()
        try:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()  # the jobs the runs queued after their commits
        except Exception as exc:
            print(f"could not empty {REDIS_URL}: {exc}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
