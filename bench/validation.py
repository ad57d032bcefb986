"""Validation benchmark: a 1,000,000-row, 10-column CSV against a realistic Table Schema.

    .venv/bin/python -m bench.validation [--rows 1000000] [--keep PATH] [--engine-only]

1. Generates a deterministic CSV of social-assistance records of Kabupaten Rokan Hilir
   (id, kecamatan code checked against the Kemendagri list, village name, year, report date,
   sex, age, income, assistance flag, remark) with a few dozen errors of every kind
   (type, required, minimum/maximum, enum, pattern, date format, duplicate primary key,
   unknown kode wilayah). The schema uses types, required, min/max, enum, pattern, a primary
   key and an ``x-kode-wilayah`` reference.
2. Times pyarrow's raw parse of the file (every column as a string, the fast path's reader).
3. Runs our engine and plain frictionless, each in its own warm process (imports done on a
   three-row file first; each peak RSS is its own), and prints both times, the ratio, our time
   over the raw parse, our peak RSS, and whether the two reports are identical once
   ``seconds`` is removed.

``--engine-only`` skips frictionless (for the streaming run on a multi-GB file:
``--rows 60000000``). ``--fixed-costs`` prints only the figures of #14: a 1,000-row table
validated in a warm process (p50/p95), and ``satudata validate`` against ``frictionless
validate`` as whole processes on 300,000 rows, clean and with about 1 % of rows wrong. One figure per line; results go to ``docs/benchmarks.md``
(## Validation).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHEMA: dict[str, Any] = {
    "title": "Penerima bantuan sosial (benchmark)",
    "fields": [
        {"name": "id", "type": "string", "title": "Nomor registrasi",
         "constraints": {"required": True, "pattern": "RKH-[0-9]{7}"}},
        {"name": "kode_wilayah", "type": "string", "title": "Kode kecamatan (Kemendagri)",
         "constraints": {"required": True},
         "x-kode-wilayah": {"daftar": "kemendagri_2025", "tingkat": ["kecamatan"]}},
        {"name": "nama_desa", "type": "string", "constraints": {"required": True, "minLength": 3, "maxLength": 60}},
        {"name": "tahun", "type": "year", "constraints": {"required": True, "minimum": 2015, "maximum": 2030}},
        {"name": "tanggal_lapor", "type": "date", "constraints": {"minimum": "2015-01-01"}},
        {"name": "jenis_kelamin", "type": "string", "constraints": {"required": True, "enum": ["L", "P"]}},
        {"name": "umur", "type": "integer", "constraints": {"required": True, "minimum": 0, "maximum": 120}},
        {"name": "pendapatan", "type": "number", "satuan": "rupiah per bulan", "constraints": {"minimum": 0}},
        {"name": "penerima_bantuan", "type": "boolean"},
        {"name": "keterangan", "type": "string", "constraints": {"maxLength": 200}},
    ],
    "primaryKey": ["id"],
}

DESA = ["Bagan Punak", "Bangko Jaya", "Sungai Besar", "Teluk Pulau", "Labuhan Tangga", "Pematang Botam",
        "Sinaboi Kota", "Rantau Kopar", "Tanah Putih", "Balam Sempurna", "Pasir Limau Kapas", "Kubu Babussalam"]
REMARKS = ["", "", "", "", "pindah domisili", "data diperbarui", "verifikasi lapangan", "lansia tunggal"]


def kecamatan_codes() -> list[str]:
    from satudata import reference

    return [k for k in reference.children("14.07")]


def generate(path: Path, rows: int, seed: int = 20250101, fault_share: float | None = None) -> int:
    """Write the benchmark CSV; returns the number of injected errors (rows with a fault).
    ``fault_share``: that share of the rows carries a fault (of every kind in turn) instead of
    the few dozen of the default."""
    rnd = random.Random(seed)
    codes = kecamatan_codes()
    count = round(rows * fault_share) if fault_share else min(60, max(rows // 20_000, 6))
    faults = {rnd.randrange(1, rows) for _ in range(count)}
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(f["name"] for f in SCHEMA["fields"]) + "\n")
        buf: list[str] = []
        for i in range(1, rows + 1):
            year = 2015 + i % 11
            row = [
                f"RKH-{i:07d}", codes[i % len(codes)], DESA[(i * 7) % len(DESA)], str(year),
                f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", "L" if i % 2 else "P", str(rnd.randrange(0, 100)),
                f"{rnd.randrange(0, 9_000_000)}.{rnd.randrange(0, 100):02d}", "true" if i % 3 else "false",
                REMARKS[i % len(REMARKS)],
            ]
            if i in faults:
                kind = i % 9
                if kind == 0:
                    row[6] = "tiga puluh"
                elif kind == 1:
                    row[6] = "130"
                elif kind == 2:
                    row[5] = "X"
                elif kind == 3:
                    row[0] = "RKH-0000001"  # duplicate primary key
                elif kind == 4:
                    row[0] = f"RKH{i}"
                elif kind == 5:
                    row[1] = "14.07.99"
                elif kind == 6:
                    row[2] = ""
                elif kind == 7:
                    row[4] = "31/12/2020"
                else:
                    row[7] = "-5"
            buf.append(",".join(row))
            if len(buf) >= 50_000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")
    return len(faults)


def raw_parse_seconds(path: Path) -> float:
    """pyarrow's streaming CSV reader over the file, every column a string, batches dropped."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f["name"] for f in SCHEMA["fields"]]
    start = time.perf_counter()
    reader = pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())))
    rows = sum(batch.num_rows for batch in reader)
    elapsed = time.perf_counter() - start
    assert rows > 0
    return elapsed


def run_child(path: Path, engine: str, report_path: Path) -> dict[str, Any]:
    """Validate in a fresh process; its wall time, peak RSS and the engine that answered."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.validation", "--child", str(path), "--child-engine", engine,
         "--child-report", str(report_path)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child(path: Path, engine: str, report_path: Path) -> None:
    """Validate in this (fresh) process, warm: imports and first-call set-up are done on a
    three-row file first, for both engines alike, as in a long-running worker."""
    from satudata.validation.engine import validate_table_detailed

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "warm.csv"
        with path.open(encoding="utf-8") as src:
            small.write_text("".join(next(src) for _ in range(4)), encoding="utf-8")
        validate_table_detailed(small, SCHEMA, fmt="csv", engine=engine)  # type: ignore[arg-type]
    cpu_start = _cpu()
    start = time.perf_counter()
    outcome = validate_table_detailed(path, SCHEMA, fmt="csv", engine=engine)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    cpu = _cpu() - cpu_start
    report_path.write_text(json.dumps(outcome.report))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "peak_rss_mb": peak_kib / 1024,
                      "engine": outcome.engine, "fallback": outcome.fallback_reason}))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def normalise(report: dict[str, Any]) -> dict[str, Any]:
    report = json.loads(json.dumps(report))
    report["stats"].pop("seconds", None)
    for task in report["tasks"]:
        task["stats"].pop("seconds", None)
    return report


def fixed_costs(tmp: Path, rows: int = 300_000) -> None:
    """Figures of #14: what a small job costs in a warm worker, and a whole ``satudata validate``
    process against a whole ``frictionless validate`` process, on a clean table and on one with
    about 1 % of its rows wrong."""
    import statistics

    from satudata.validation.engine import validate_table_detailed

    small = tmp / "seribu.csv"
    generate(small, 1_000)
    for _ in range(3):  # warm: imports, first readers, reference lists
        validate_table_detailed(small, SCHEMA, fmt="csv")
    times = []
    for _ in range(30):
        start = time.perf_counter()
        outcome = validate_table_detailed(small, SCHEMA, fmt="csv")
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"warm_1000_rows_ms: p50 {statistics.median(times):.1f}, p95 {times[int(0.95 * (len(times) - 1))]:.1f} "
          f"(target < 100; validate_table_detailed in one warm process, engine {outcome.engine}, "
          f"{len(outcome.report['tasks'][0]['errors'])} errors)")
    schema_path = tmp / "skema.json"
    schema_path.write_text(json.dumps(SCHEMA))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    for label, share in (("clean", None), ("1pct", 0.01)):
        table = tmp / f"tabel-{label}.csv"
        faults = generate(table, rows, fault_share=share)
        timings = {}
        for name, command in (
            ("satudata", [sys.executable, "-m", "satudata.cli", "validate", str(table), "--schema", str(schema_path),
                          "--json"]),
            ("frictionless", [sys.executable, "-m", "frictionless", "validate", str(table), "--schema",
                              str(schema_path), "--json", "--trusted"]),
        ):
            runs = []
            for _ in range(3):  # the median of three whole processes
                start = time.perf_counter()
                subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
                runs.append(time.perf_counter() - start)
            timings[name] = statistics.median(runs)
        print(f"cli_{label}_{rows}_rows: satudata validate {timings['satudata']:.2f} s, frictionless validate "
              f"{timings['frictionless']:.2f} s, {timings['frictionless'] / timings['satudata']:.1f}x "
              f"(target >= 10x; whole processes, {faults} faulty rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it (reused if present)")
    parser.add_argument("--engine-only", action="store_true", help="skip frictionless")
    parser.add_argument("--fixed-costs", action="store_true",
                        help="only the #14 figures: a warm 1,000-row job, and whole CLI processes on 300k rows")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-engine", default="auto", help=argparse.SUPPRESS)
    parser.add_argument("--child-report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.child_engine, args.child_report)
        return
    if args.fixed_costs:
        with tempfile.TemporaryDirectory(prefix="satudata-bench-") as tmp:
            fixed_costs(Path(tmp))
        return

    tmp = tempfile.TemporaryDirectory(prefix="bench-validation-")
    path = args.keep or Path(tmp.name) / "bantuan_sosial.csv"
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not path.exists():
        start = time.perf_counter()
        faults = generate(path, args.rows)
        print(f"generated: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, {faults} faulty rows "
              f"in {time.perf_counter() - start:.1f} s")
    else:
        print(f"reusing: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    parse_s = raw_parse_seconds(path)
    print(f"pyarrow raw parse (all columns as strings): {parse_s:.2f} s")
    ours_report = Path(tmp.name) / "ours.json"
    ours = run_child(path, "auto", ours_report)
    print(f"our engine ({ours['engine']}{', fallback: ' + ours['fallback'] if ours['fallback'] else ''}): "
          f"{ours['seconds']:.2f} s (CPU {ours['cpu_seconds']:.2f} s)")
    print(f"our engine / raw parse: {ours['seconds'] / parse_s:.1f}x")
    print(f"our peak RSS: {ours['peak_rss_mb']:.0f} MB")
    if not args.engine_only:
        theirs_report = Path(tmp.name) / "frictionless.json"
        theirs = run_child(path, "frictionless", theirs_report)
        print(f"frictionless.validate(): {theirs['seconds']:.2f} s (CPU {theirs['cpu_seconds']:.2f} s, "
              f"peak RSS {theirs['peak_rss_mb']:.0f} MB)")
        print(f"speed-up: {theirs['seconds'] / ours['seconds']:.1f}x "
              f"(CPU time: {theirs['cpu_seconds'] / ours['cpu_seconds']:.1f}x)")
        a = normalise(json.loads(ours_report.read_text()))
        b = normalise(json.loads(theirs_report.read_text()))
        print(f"reports identical (seconds removed): {'yes' if a == b else 'NO'}; "
              f"{len(b['tasks'][0]['errors'])} errors, valid={b['valid']}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
