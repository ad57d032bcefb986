"""Data API benchmark: a 1,000,000-row table with a Table Schema, loaded and queried our way
(typed Parquet copy + DuckDB) and CKAN DataStore's way (PostgreSQL), in one run.

    .venv/bin/python bench/data_api.py [--rows 1000000] [--calls 200] [--workers 2]
                                       [--pg-dsn postgresql://postgres@127.0.0.1:5432/test]
                                       [--no-full-text] [--grouped] [--keep DIR]

1. Generates a deterministic CSV (seed 20261204) of population counts per desa of Provinsi
   Riau: ``kode_wilayah`` (the 12 kabupaten/kota, Kemendagri codes as text such as ``14.07``),
   ``nama_wilayah``, ``kecamatan``, ``desa`` (real names from ``satudata/reference``, rows spread
   over Riau's desa, so the kabupaten are not equally large), ``tahun`` (2015-2024),
   ``jenis_kelamin``, ``kelompok_umur``, ``jumlah`` (integer, 0.5 % missing), ``persentase``
   (number) and ``tanggal`` (ISO date), in random row order, with the Table Schema in
   :data:`TABLE_SCHEMA`.
2. **Ours, load**: a scratch portal (SQLite, Redis db 7, a temporary instance folder) stores
   the file as a resource of a published dataset, marked valid with that schema (the set-up of
   ``tests/datastore/conftest.py::typed_table``; validation is not measured), then times
   ``datastore.services.build_copy(resource)``, what the job runs after a valid verdict: the
   layout check of the stored CSV (``exports.plain_csv``: UTF-8 with the schema's header, split on
   commas) and ``copies.write_copy`` (DuckDB: read as text, cast per the schema, zstd Parquet;
   ``_id`` is the file's row number, read back).
3. **CKAN-style, load**, against the local PostgreSQL, in a schema of its own
   (``bench_data_api_<pid>``, dropped at the end): the table CKAN's ``datastore_create`` makes
   (``_id serial PRIMARY KEY``, ``_full_text tsvector``, then the columns typed as the schema
   says), ``COPY ... FROM STDIN (FORMAT csv, HEADER)`` of the same file (what ckanext-xloader
   does, its full-text trigger off), then B-tree indexes on the filter columns
   (``kode_wilayah``, ``tahun``). Load = COPY + indexes. ``VACUUM ANALYZE`` follows, timed on
   its own line and not in the load: it gives the planner statistics and the steady state
   autovacuum would reach anyway, which favours the baseline's queries.
4. **Queries**: ``--calls`` parameter sets (a kabupaten code, an offset in 0..2000; warm-up
   calls first), each asked of every contender in turn (the order rotates per call, so every
   contender meets the same machine load): ``datastore_search`` POSTed as ckanapi sends it
   (JSON body) with ``filters={"kode_wilayah": code}``, ``sort="jumlah desc"``,
   ``offset``, ``limit=100`` (total included, CKAN's default), to

   - ours: ``wsgi:app`` under gunicorn (2 sync workers) on 127.0.0.1;
   - ours, REST: ``GET /api/v1/resources/<id>/data`` with the same parameters (extra line);
   - CKAN-style over HTTP: a minimal Flask app (:func:`baseline_app`) under gunicorn with the
     same workers, one psycopg connection per worker, running the page query and CKAN's count;
   - and, without HTTP, our ``services.search`` in this process and the same two SQL
     statements over a psycopg connection to 127.0.0.1 (no server-side prepare, as CKAN's
     SQLAlchemy sends them).

   ``--grouped`` asks each contender its whole sequence in turn instead, to show what the
   contenders cost each other (PostgreSQL scanning its 160 MB table between two of our calls).

   The SQL is equivalent for both engines (ours says ``kode_wilayah IN ($1)``): ``WHERE kode_wilayah = $1 ORDER BY jumlah DESC,
   _id LIMIT 100 OFFSET $2`` (NULLs first, PostgreSQL's order, which ours follows for CKAN's API) and ``SELECT count(*) ... WHERE kode_wilayah = $1``. Every
   answer's ``_id`` list and total are compared between contenders.
5. Unless ``--no-full-text``: what CKAN (xloader) does after the COPY and this load leaves out,
   timed on its own line: filling ``_full_text`` (``to_tsvector`` of the row's values) and the
   GiST index on it (``ckan.datastore.default_fts_index_method``).

Prints one figure per line, then a side-by-side Markdown table for ``docs/benchmarks.md``
(## Data API).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 20261204
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/7"  # this benchmark's own Redis database (emptied at the end)
LIMIT = 100
MAX_OFFSET = 2000
SORT = "jumlah desc"
WARMUP = 10
BASE = "http://127.0.0.1"

TABLE_SCHEMA: dict[str, Any] = {
    "title": "Jumlah penduduk menurut desa, jenis kelamin dan kelompok umur (benchmark)",
    "fields": [
        {"name": "kode_wilayah", "type": "string", "title": "Kode kabupaten/kota",
         "description": "Kode wilayah Kemendagri."},
        {"name": "nama_wilayah", "type": "string", "title": "Nama kabupaten/kota"},
        {"name": "kecamatan", "type": "string", "title": "Kecamatan"},
        {"name": "desa", "type": "string", "title": "Desa/kelurahan"},
        {"name": "tahun", "type": "year", "title": "Tahun"},
        {"name": "jenis_kelamin", "type": "string", "title": "Jenis kelamin", "constraints": {"enum": ["L", "P"]}},
        {"name": "kelompok_umur", "type": "string", "title": "Kelompok umur"},
        {"name": "jumlah", "type": "integer", "title": "Jumlah penduduk", "unit": "jiwa"},
        {"name": "persentase", "type": "number", "title": "Persentase terhadap desa", "unit": "persen"},
        {"name": "tanggal", "type": "date", "title": "Tanggal pemutakhiran"},
    ],
    "missingValues": [""],
}
COLUMNS = [str(f["name"]) for f in TABLE_SCHEMA["fields"]]
# Table Schema type -> the PostgreSQL type CKAN's datastore_create is given (same as our copy's).
PG_TYPES = {"string": "text", "year": "int4", "integer": "int8", "number": "float8", "date": "date"}
FILTER_COLUMNS = ("kode_wilayah", "tahun")
AGE_GROUPS = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
              "55-59", "60-64", "65-69", "70-74", "75+"]


# --------------------------------------------------------------------------- the table


def riau_desa() -> list[tuple[str, str, str, str]]:
    """(kabupaten/kota code, its name, kecamatan name, desa name) of every desa of Riau in the
    Kemendagri list the portal ships."""
    from satudata import reference

    out = []
    for kab in reference.children("14"):
        kab_name = reference.name(kab) or kab
        for kec in reference.children(kab):
            kec_name = reference.name(kec) or kec
            for desa in reference.children(kec):
                out.append((kab, kab_name, kec_name, reference.name(desa) or desa))
    return out


def generate(path: Path, rows: int, seed: int = SEED) -> list[str]:
    """Write the benchmark CSV; returns the kabupaten/kota codes it holds."""
    rnd = random.Random(seed)
    places = riau_desa()
    dates = {year: [f"{year}-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
             for year in range(2015, 2025)}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        batch: list[tuple[Any, ...]] = []
        for _ in range(rows):
            kab, kab_name, kec, desa = places[rnd.randrange(len(places))]
            year = rnd.randint(2015, 2024)
            jumlah = "" if rnd.random() < 0.005 else int(rnd.lognormvariate(5.0, 1.1))
            batch.append((kab, kab_name, kec, desa, year, "L" if rnd.random() < 0.5 else "P",
                          AGE_GROUPS[rnd.randrange(len(AGE_GROUPS))], jumlah, f"{rnd.uniform(0, 20):.2f}",
                          rnd.choice(dates[year])))
            if len(batch) >= 50_000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)
    return sorted({kab for kab, _n, _k, _d in places})


def query_params(codes: Sequence[str], n: int, seed: int = SEED + 1) -> list[tuple[str, int]]:
    rnd = random.Random(seed)
    return [(rnd.choice(codes), rnd.randint(0, MAX_OFFSET)) for _ in range(n)]


# --------------------------------------------------------------------------- the scratch portal


def portal_config(root: Path) -> dict[str, str]:
    """The scratch portal's settings: ``create_app`` overrides here, ``SATUDATA_*`` for gunicorn."""
    return {
        "INSTANCE_PATH": str(root / "instance"),
        "DATABASE_URL": f"sqlite:///{root / 'portal.db'}",
        "STORAGE_PATH": str(root / "files"),
        "SECRET_KEY": "bench-data-api-not-a-secret",
        "SEARCH_BACKEND": "embedded",
        "REDIS_URL": REDIS_URL,
        "BASE_URL": BASE,
    }


def make_portal(root: Path) -> Any:
    import logging

    from flask_migrate import upgrade

    from satudata import create_app

    app = create_app(dict(portal_config(root)))
    logging.disable(logging.INFO)  # alembic's migration log
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def publish_table(app: Any, source: Path) -> str:
    """Store ``source`` as the table of a published dataset, valid against
    :data:`TABLE_SCHEMA` (set, as ``typed_table`` does: validation is not what is measured);
    returns the resource id. Its copy is not written yet."""
    from satudata.accounts import services as accounts
    from satudata.accounts.models import OrganizationKind
    from satudata.authz import SystemActor
    from satudata.catalog import services as catalog
    from satudata.catalog.models import (
        CollectionMethod,
        DataKind,
        DataStatus,
        Frequency,
        Licence,
        PresentationLevel,
        Topic,
        ValidationStatus,
    )
    from satudata.extensions import db
    from satudata.review import services as review

    actor = SystemActor("bench")
    with app.app_context():
        org = accounts.create_organization(actor, slug="disdukcapil-riau", kind=OrganizationKind.OPD,
                                           name="Dinas Kependudukan dan Pencatatan Sipil Provinsi Riau")
        db.session.add(Licence(id="cc-by-4.0", title="Creative Commons Attribution 4.0",
                               url="https://creativecommons.org/licenses/by/4.0/"))
        topic = Topic(slug="kependudukan", name="Kependudukan")
        db.session.add(topic)
        db.session.flush()
        ds = catalog.create_dataset(
            actor, org, title="Jumlah Penduduk menurut Desa, Jenis Kelamin dan Kelompok Umur Provinsi Riau",
            topics=[topic], licence_id="cc-by-4.0", year=2024,
            description="Tabel benchmark: satu juta baris.", satuan="jiwa", frequency=Frequency.TAHUNAN,
            presentation_level=PresentationLevel.DESA, kode_wilayah="14",
            data_source="Administrasi kependudukan", collection_method=CollectionMethod.ADMINISTRASI,
            data_kind=DataKind.STATISTIK_SEKTORAL, data_status=DataStatus.TETAP, contact_name="Seksi Data",
            contact_email="data@disdukcapil.riau.go.id")
        with source.open("rb") as fh:
            res = catalog.add_resource_file(actor, ds, fh, filename="penduduk_desa.csv", name="Penduduk per desa")
        res.table_schema = TABLE_SCHEMA
        res.validation_status = ValidationStatus.VALID
        db.session.commit()
        review.submit_dataset(actor, ds)
        review.publish_dataset(actor, ds)
        db.session.commit()
        return str(res.id)


def build_ours(app: Any, resource_id: str) -> dict[str, Any]:
    """Time ``services.build_copy`` (wall and this process's CPU, DuckDB's threads included)."""
    from satudata.catalog import exports
    from satudata.catalog.models import Resource
    from satudata.datastore import services as datastore
    from satudata.extensions import db

    with app.app_context():
        res = db.session.get(Resource, resource_id)
        assert res is not None
        wall, cpu = time.perf_counter(), time.process_time()
        path = datastore.build_copy(res)
        out: dict[str, Any] = {"s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
        assert path is not None and path.is_file()
        out["bytes"] = path.stat().st_size
        t = time.perf_counter()
        names = [f["name"] for f in TABLE_SCHEMA["fields"]]
        exports.plain_csv(res, names)  # the layout check alone, measured again after the build
        out["layout_s"] = time.perf_counter() - t
        handle = datastore.public_table(resource_id).handle
        counted = handle.execute("SELECT count(*) FROM t").fetchone()
        out["rows"] = int(counted[0]) if counted else 0
        out["types"] = dict(handle.columns)
    return out


# --------------------------------------------------------------------------- PostgreSQL, CKAN's way


def pg_connect(dsn: str) -> Any:
    import psycopg

    # prepare_threshold=None: plain statements, as CKAN's SQLAlchemy/psycopg2 sends them.
    return psycopg.connect(dsn, autocommit=True, prepare_threshold=None)


def backend_cpu_s(pid: int) -> float | None:
    """User + system CPU of a PostgreSQL backend (same machine), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pg_load(dsn: str, schema: str, table: str, source: Path) -> dict[str, Any]:
    from psycopg import sql

    qualified = sql.Identifier(schema, table)
    out: dict[str, Any] = {}
    with pg_connect(dsn) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        typed = [sql.SQL("{} {}").format(sql.Identifier(str(f["name"])), sql.SQL(PG_TYPES[str(f["type"])]))
                 for f in TABLE_SCHEMA["fields"]]
        conn.execute(sql.SQL("CREATE TABLE {} (_id serial PRIMARY KEY, _full_text tsvector, {})").format(
            qualified, sql.SQL(", ").join(typed)))
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        pid = int(row[0]) if row else 0
        cpu0 = backend_cpu_s(pid)
        t0 = time.perf_counter()
        copy = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, HEADER true)").format(
            qualified, sql.SQL(", ").join(sql.Identifier(c) for c in COLUMNS))
        with conn.cursor() as cur, cur.copy(copy) as pipe, source.open("rb") as fh:
            while block := fh.read(1 << 20):
                pipe.write(block)
        t1 = time.perf_counter()
        for column in FILTER_COLUMNS:
            conn.execute(sql.SQL("CREATE INDEX {} ON {} ({})").format(
                sql.Identifier(f"{table}_{column}_idx"), qualified, sql.Identifier(column)))
        t2 = time.perf_counter()
        cpu1 = backend_cpu_s(pid)
        conn.execute(sql.SQL("VACUUM ANALYZE {}").format(qualified))
        t3 = time.perf_counter()
        counted = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(qualified)).fetchone()
        size = conn.execute("SELECT pg_total_relation_size(%s::regclass)", [f'"{schema}"."{table}"']).fetchone()
        settings = conn.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'fsync', "
            "'synchronous_commit', 'maintenance_work_mem', 'max_parallel_maintenance_workers', 'work_mem') "
            "ORDER BY name").fetchall()
        version = conn.execute("SHOW server_version").fetchone()
    out.update(copy_s=t1 - t0, index_s=t2 - t1, vacuum_s=t3 - t2, s=t2 - t0,
               backend_cpu_s=(cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None,
               rows=int(counted[0]) if counted else 0, bytes=int(size[0]) if size else 0,
               settings=", ".join(f"{n}={s}{u or ''}" for n, s, u in settings),
               version=str(version[0]) if version else "?")
    return out


def pg_full_text(dsn: str, schema: str, table: str) -> dict[str, float]:
    """What xloader does after its COPY: ``_full_text`` from the row's values, then the GiST
    index ``datastore_create`` makes on it."""
    from psycopg import sql

    qualified = sql.Identifier(schema, table)
    values = sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in COLUMNS)
    with pg_connect(dsn) as conn:
        t0 = time.perf_counter()
        conn.execute(sql.SQL("UPDATE {} SET _full_text = to_tsvector(concat_ws(' ', {}))").format(qualified, values))
        t1 = time.perf_counter()
        conn.execute(sql.SQL("CREATE INDEX {} ON {} USING gist (_full_text)").format(
            sql.Identifier(f"{table}_full_text_idx"), qualified))
        t2 = time.perf_counter()
    return {"update_s": t1 - t0, "index_s": t2 - t1}


def pg_drop(dsn: str, schema: str) -> None:
    from psycopg import sql

    with pg_connect(dsn) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def pg_statements(schema: str, table: str, filter_column: str, sort_column: str, descending: bool,
                  columns: Sequence[str]) -> tuple[Any, Any]:
    """CKAN's page query and its count for one equality filter and one sort (PostgreSQL's NULL
    order, ``_id`` breaking ties: ours does the same for the CKAN API), so both return the same
    rows."""
    from psycopg import sql

    qualified = sql.Identifier(schema, table)
    where = sql.SQL("WHERE {} = %s").format(sql.Identifier(filter_column))
    page = sql.SQL("SELECT {} FROM {} {} ORDER BY {} {}, _id ASC LIMIT %s OFFSET %s").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), qualified, where, sql.Identifier(sort_column),
        sql.SQL("DESC" if descending else "ASC"))
    count = sql.SQL("SELECT count(*) FROM {} {}").format(qualified, where)
    return page, count


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def baseline_app() -> Any:
    """The CKAN-style baseline behind HTTP (gunicorn ``bench.data_api:baseline_app()``): a
    minimal ``datastore_search`` over the PostgreSQL table named by ``BENCH_DATA_API_SCHEMA``
    and ``BENCH_DATA_API_TABLE``, one connection per worker. Only what the benchmark asks: one
    equality filter, one sort column, limit, offset, the total. CKAN's own action does more per
    call (its schema validation, the resource and alias look-ups, the fields query), so this is
    a lower bound of CKAN's time."""
    from flask import Flask, jsonify, request

    dsn = os.environ["BENCH_DATA_API_DSN"]
    schema = os.environ["BENCH_DATA_API_SCHEMA"]
    table = os.environ["BENCH_DATA_API_TABLE"]
    app = Flask("ckan_style_baseline")
    state: dict[str, Any] = {}

    def connection() -> Any:
        conn = state.get("conn")
        if conn is None or conn.closed:
            conn = state["conn"] = pg_connect(dsn)
            cur = conn.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                               "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
                               "AND attname <> '_full_text' ORDER BY attnum", [f'"{schema}"."{table}"'])
            state["fields"] = [{"id": name, "type": kind} for name, kind in cur.fetchall()]
        return conn

    @app.post("/api/3/action/datastore_search")
    def datastore_search() -> Any:
        body = request.get_json(force=True)
        conn = connection()
        fields = state["fields"]
        (column, value), = body["filters"].items()
        sort_column, _, direction = str(body["sort"]).partition(" ")
        limit, offset = int(body.get("limit", 100)), int(body.get("offset", 0))
        names = [f["id"] for f in fields]
        page, count = pg_statements(schema, table, column, sort_column, direction.strip().lower() == "desc", names)
        with conn.cursor() as cur:
            rows = cur.execute(page, [value, limit, offset]).fetchall()
            counted = cur.execute(count, [value]).fetchone()
        records = [{c: json_value(v) for c, v in zip(names, row, strict=True)} for row in rows]
        result = {"fields": fields, "filters": body["filters"], "include_total": True, "limit": limit,
                  "offset": offset, "records": records, "records_format": "objects",
                  "resource_id": body["resource_id"], "sort": body["sort"],
                  "total": int(counted[0]) if counted else 0, "total_was_estimated": False}
        return jsonify({"help": "", "success": True, "result": result})

    return app


# --------------------------------------------------------------------------- HTTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(spec: str, env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning", spec], cwd=ROOT, env=env)
    deadline = time.monotonic() + 90
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"gunicorn {spec} did not start") from None
            time.sleep(0.2)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


Answer = tuple[tuple[int, ...], int]  # the page's _id values, the total
Call = Callable[[str, int], Answer]


def ckan_call(session: Any, port: int, resource_id: str) -> Call:
    """``datastore_search`` as ckanapi's RemoteCKAN posts it (JSON body)."""
    url = f"{BASE}:{port}/api/3/action/datastore_search"

    def call(code: str, offset: int) -> Answer:
        body = {"resource_id": resource_id, "filters": {"kode_wilayah": code}, "sort": SORT, "offset": offset,
                "limit": LIMIT}
        resp = session.post(url, data=json.dumps(body), headers={"Content-Type": "application/json"})
        content = resp.content
        if resp.status_code != 200:
            raise RuntimeError(f"HTTP {resp.status_code}: {content[:300]!r}")
        result = json.loads(content)["result"]
        return tuple(r["_id"] for r in result["records"]), int(result["total"])

    return call


def rest_call(session: Any, port: int, resource_id: str) -> Call:
    url = f"{BASE}:{port}/api/v1/resources/{resource_id}/data"

    def call(code: str, offset: int) -> Answer:
        params = {"filters": json.dumps({"kode_wilayah": code}), "sort": SORT, "offset": offset, "limit": LIMIT}
        resp = session.get(url, params=params)
        content = resp.content
        if resp.status_code != 200:
            raise RuntimeError(f"HTTP {resp.status_code}: {content[:300]!r}")
        body = json.loads(content)
        return tuple(r["_id"] for r in body["data"]["records"]), int(body["meta"]["total"])

    return call


def measure(calls: dict[str, Call], params: list[tuple[str, int]], warmup: list[tuple[str, int]],
            grouped: bool = False) -> dict[str, tuple[list[float], list[Answer]]]:
    """Each parameter set asked of every contender, the order rotating per set (``grouped``:
    each contender's whole sequence in turn instead); latencies in ms."""
    names = list(calls)
    for code, offset in warmup:
        for name in names:
            calls[name](code, offset)
    out: dict[str, tuple[list[float], list[Answer]]] = {name: ([], []) for name in names}
    if grouped:
        rounds = [(name, code, offset) for name in names for code, offset in params]
    else:
        rounds = [(name, code, offset) for i, (code, offset) in enumerate(params)
                  for name in names[i % len(names):] + names[:i % len(names)]]
    for name, code, offset in rounds:
        t = time.perf_counter()
        answer = calls[name](code, offset)
        out[name][0].append((time.perf_counter() - t) * 1000)
        out[name][1].append(answer)
    return out


# --------------------------------------------------------------------------- reporting


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
            f"mean {sum(values) / len(values):.1f} ms")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def mb(n: int) -> str:
    return f"{n / 1024 ** 2:.1f} MB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers of each server (default 2)")
    parser.add_argument("--pg-dsn", default=DEFAULT_DSN)
    parser.add_argument("--no-full-text", action="store_true", help="skip CKAN's _full_text column and index")
    parser.add_argument("--grouped", action="store_true",
                        help="each contender's calls back to back, not interleaved (shows their effect on each other)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (CSV, portal, copy)")
    args = parser.parse_args(argv)

    import duckdb
    import requests

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}; load average before: {loadavg()}")
    if args.keep:
        root = args.keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="satudata-bench-data-api-"))
    schema, servers = f"bench_data_api_{os.getpid()}", []
    try:
        source = root / "penduduk_desa.csv"
        t = time.perf_counter()
        codes = generate(source, args.rows)
        print(f"generate: {args.rows:,} rows, {len(COLUMNS)} columns, {mb(source.stat().st_size)} CSV "
              f"in {time.perf_counter() - t:.1f} s ({len(codes)} kabupaten/kota)")

        app = make_portal(root)
        t = time.perf_counter()
        resource_id = publish_table(app, source)
        print(f"portal_setup_s: {time.perf_counter() - t:.1f}  (upload into storage with its row count and column "
              "summary, publish; not measured)")

        ours = build_ours(app, resource_id)
        print(f"ours_load_s: {ours['s']:.2f}  (services.build_copy: layout check + copies.write_copy; CPU "
              f"{ours['cpu_s']:.2f} s over {os.cpu_count()} cores; {ours['rows'] / ours['s']:,.0f} rows/s; "
              f"{ours['rows']:,} rows, {mb(ours['bytes'])} Parquet)")
        print(f"ours_layout_check_s: {ours['layout_s']:.2f}  (exports.plain_csv alone: is the stored file UTF-8 "
              "comma CSV with the schema's header; part of ours_load_s)")
        print("ours_types: " + ", ".join(f"{c} {k}" for c, k in ours["types"].items()))

        table = resource_id
        pg = pg_load(args.pg_dsn, schema, table, source)
        print(f"postgresql: {pg['version']}; {pg['settings']}")
        print(f"ckan_copy_s: {pg['copy_s']:.2f}  (COPY FROM STDIN, CSV, into _id serial PK + _full_text tsvector + "
              "typed columns)")
        print(f"ckan_index_s: {pg['index_s']:.2f}  (B-tree on {', '.join(FILTER_COLUMNS)})")
        cpu = f"backend CPU {pg['backend_cpu_s']:.2f} s" if pg["backend_cpu_s"] is not None else "backend CPU n/a"
        print(f"ckan_load_s: {pg['s']:.2f}  (COPY + indexes; {cpu}; {pg['rows'] / pg['s']:,.0f} rows/s; "
              f"{pg['rows']:,} rows, {mb(pg['bytes'])} with indexes)")
        print(f"ckan_vacuum_analyze_s: {pg['vacuum_s']:.2f}  (not in ckan_load_s)")
        speedup = pg["s"] / ours["s"]
        print(f"load_speedup: {speedup:.1f}x  (target >= 5x)")

        params = query_params(codes, args.calls)
        warmup = query_params(codes, WARMUP, seed=SEED + 2)

        from satudata.datastore import services as datastore

        with app.app_context(), pg_connect(args.pg_dsn) as conn:
            def ours_inprocess(code: str, offset: int) -> Answer:
                tbl = datastore.public_table(resource_id)
                result = datastore.search(tbl, datastore.Query(filters={"kode_wilayah": [code]},
                                                               sort=[("jumlah", True)], limit=LIMIT, offset=offset))
                return tuple(int(r[0]) for r in result.rows), int(result.total or 0)

            page_sql, count_sql = pg_statements(schema, table, "kode_wilayah", "jumlah", True, ["_id", *COLUMNS])

            def pg_raw(code: str, offset: int) -> Answer:
                with conn.cursor() as cur:
                    rows = cur.execute(page_sql, [code, LIMIT, offset]).fetchall()
                    counted = cur.execute(count_sql, [code]).fetchone()
                return tuple(int(r[0]) for r in rows), int(counted[0]) if counted else 0

            direct = measure({"ours_inprocess": ours_inprocess, "ckan_sql": pg_raw}, params, warmup, args.grouped)
            plan = "\n".join(r[0] for r in conn.execute(
                "EXPLAIN " + page_sql.as_string(conn), [params[0][0], LIMIT, params[0][1]]).fetchall())

        env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
        env.update({f"SATUDATA_{k}": v for k, v in portal_config(root).items()})
        env.update(PYTHONPATH=str(ROOT), BENCH_DATA_API_DSN=args.pg_dsn, BENCH_DATA_API_SCHEMA=schema,
                   BENCH_DATA_API_TABLE=table)
        ours_server, ours_port = start_gunicorn("wsgi:app", env, args.workers)
        servers.append(ours_server)
        pg_server, pg_port = start_gunicorn("bench.data_api:baseline_app()", env, args.workers)
        servers.append(pg_server)
        with requests.Session() as session:
            http = measure({"ours_http": ckan_call(session, ours_port, resource_id),
                            "ours_rest": rest_call(session, ours_port, resource_id),
                            "ckan_http": ckan_call(session, pg_port, resource_id)}, params, warmup, args.grouped)
        for server in servers:
            stop(server)
        servers.clear()

        results = {**direct, **http}
        reference_answers = results["ckan_sql"][1]
        mismatched = {name: sum(a != b for a, b in zip(answers, reference_answers, strict=True))
                      for name, (_lat, answers) in results.items()}
        totals = sorted(total for _ids, total in reference_answers)
        print(f"queries: {args.calls} parameter sets (after {WARMUP} warm-up), filters kode_wilayah=<one of "
              f"{len(codes)}>, sort '{SORT}', offset 0..{MAX_OFFSET}, limit {LIMIT}, total included, "
              f"{'each contender in turn' if args.grouped else 'interleaved, order rotating'}; matching rows "
              f"per call {totals[0]:,}..{totals[-1]:,} (median {totals[len(totals) // 2]:,})")
        labels = {
            "ours_http": "POST /api/3/action/datastore_search, wsgi:app under gunicorn",
            "ours_rest": "GET /api/v1/resources/<id>/data, same server",
            "ckan_http": "POST datastore_search, minimal Flask + psycopg under gunicorn",
            "ours_inprocess": "services.public_table + services.search in this process",
            "ckan_sql": "page SELECT + count(*) over psycopg, TCP 127.0.0.1",
        }
        for name, (lat, _answers) in results.items():
            print(f"{name}: {summary(lat)}  ({labels[name]}; answers differing from ckan_sql: {mismatched[name]})")
        print("ckan_sql_plan: " + " | ".join(line.strip() for line in plan.splitlines()))

        if not args.no_full_text:
            ft = pg_full_text(args.pg_dsn, schema, table)
            print(f"ckan_full_text_s: {ft['update_s'] + ft['index_s']:.1f}  (not in ckan_load_s: UPDATE _full_text = "
                  f"to_tsvector(row values) {ft['update_s']:.1f} s + GiST index {ft['index_s']:.1f} s)")

        ours_p95 = percentile(results["ours_http"][0], 95)
        ckan_p95 = percentile(results["ckan_http"][0], 95)
        load_ok = speedup >= 5
        query_ok = ours_p95 <= 50 and ours_p95 <= ckan_p95
        print(f"load average after: {loadavg()}")
        print()
        print("| figure | ours (Parquet + DuckDB) | CKAN-style (PostgreSQL) | ratio | target |")
        print("|---|---|---|---|---|")
        print(f"| load {ours['rows']:,} rows (s) | {ours['s']:.2f} | {pg['s']:.2f} (COPY {pg['copy_s']:.2f} + indexes "
              f"{pg['index_s']:.2f}) | **{speedup:.1f}×** faster | ≥ 5× — {'met' if load_ok else 'NOT met'} |")
        print(f"| load rows/s | {ours['rows'] / ours['s']:,.0f} | {pg['rows'] / pg['s']:,.0f} | | |")
        print(f"| on disk | {mb(ours['bytes'])} | {mb(pg['bytes'])} | | |")
        for label, a, b in (("HTTP datastore_search", "ours_http", "ckan_http"),
                            ("no HTTP (engine + gate / raw SQL)", "ours_inprocess", "ckan_sql")):
            for p in (50, 95):
                x, y = percentile(results[a][0], p), percentile(results[b][0], p)
                target = ""
                if a == "ours_http" and p == 95:
                    target = f"≤ 50 ms and ≤ baseline — {'met' if query_ok else 'NOT met'}"
                print(f"| {label} p{p} (ms) | {x:.1f} | {y:.1f} | {x / y:.2f} | {target} |")
        rest = results["ours_rest"][0]
        print(f"| REST /data p50 / p95 (ms) | {percentile(rest, 50):.1f} / {percentile(rest, 95):.1f} | | | |")
        print(f"| answers identical (ids + total) | {'yes' if not any(mismatched.values()) else 'NO'} | | | |")
    finally:
        for server in servers:
            stop(server)
        try:
            pg_drop(args.pg_dsn, schema)
        except Exception as exc:  # report, keep cleaning up
            print(f"could not drop schema {schema}: {exc}", file=sys.stderr)
        try:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()  # the jobs the publication queued
        except Exception as exc:
            print(f"could not empty {REDIS_URL}: {exc}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
