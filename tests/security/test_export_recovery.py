"""Issue #16, finding: "worker killed mid-export: the next sweep redoes it".

A worker killed (SIGKILL, the OOM killer) while it converted a table for download left its
temporary files behind, and nothing built the missing downloads again until a citizen asked
for one and waited for the conversion. Now a killed build leaves nothing that blocks or
corrupts the next one (the lock is a kernel lock that dies with the process, and a build first
clears what an earlier build of the same file left), and a periodic sweep enqueues the build
of every valid table whose downloads are missing.

The worker is a real ``satudata worker`` process, killed with SIGKILL while it writes the XLSX.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from flask import Flask

from satudata import jobs
from satudata.catalog import exports
from satudata.catalog import services as catalog
from satudata.catalog.models import Resource, ValidationStatus
from satudata.extensions import db
from satudata.validation import tasks as validation_tasks
from tests.conftest import ROOT, run_worker, satudata_env
from tests.factories import SYSTEM, make_dataset

ROWS = 200_000
SCHEMA = {"fields": [{"name": "kode", "type": "string"}, {"name": "kecamatan", "type": "string"},
                     {"name": "laki_laki", "type": "integer"}, {"name": "perempuan", "type": "integer"},
                     {"name": "rasio", "type": "number"}, {"name": "tahun", "type": "year"},
                     {"name": "catatan", "type": "string"}, {"name": "aktif", "type": "boolean"}]}


@pytest.fixture()
def default_queue(app: Flask) -> Iterator[Any]:
    q = jobs.get_queue("default")
    q.empty()
    yield q
    q.empty()


def _big_table() -> bytes:
    lines = ["kode,kecamatan,laki_laki,perempuan,rasio,tahun,catatan,aktif"]
    lines += [f"14.{i:06d},Kecamatan {i},{i},{i + 1},{i / 7:.4f},2025,baris ke-{i},true" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _valid_table(data: bytes, filename: str = "besar.csv") -> Resource:
    """A stored table validated for real (the verdict enqueues its export build)."""
    dataset = make_dataset(csv=None, publish=False)
    res = catalog.add_resource_file(SYSTEM, dataset, io.BytesIO(data), filename=filename, name="Penduduk")
    res.table_schema = SCHEMA
    db.session.commit()
    assert validation_tasks.validate_resource(res.id) == "valid"
    return db.session.get(Resource, res.id)


def _scratch(root: Path) -> list[Path]:
    """What builds leave in ``exports/tmp`` besides the lock files (nothing, this time round, when
    a build folder vanished while it was being listed: the worker finished a format meanwhile)."""
    tmp = root / "tmp"
    try:
        return [p for p in tmp.rglob("*") if p.is_file() and not p.name.endswith(".lock")] if tmp.exists() else []
    except FileNotFoundError:
        return []


def _kill_mid_xlsx(app: Flask, root: Path) -> None:
    """Start a real worker on the default queue and SIGKILL it (and its work horse) while it
    writes the XLSX."""
    worker = subprocess.Popen([sys.executable, "-m", "satudata.cli", "worker", "--queue", "default", "--burst"],
                              env=satudata_env(app), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300  # a hang guard only
        while not any(".xlsx" in str(p.relative_to(root)) for p in _scratch(root)):
            assert worker.poll() is None, "the worker ended before it wrote the XLSX: " + worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker never began the XLSX"
            time.sleep(0.005)
        family = psutil.Process(worker.pid).children(recursive=True)
        for proc in family:  # the work horse first: it is the one writing
            os.kill(proc.pid, signal.SIGKILL)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        if worker.stderr is not None:
            worker.stderr.close()


@pytest.mark.jobs
def test_export_killed_mid_build_is_redone_by_the_sweep(app: Flask, default_queue: Any) -> None:
    """Finding: a worker killed mid-export left temporary files and no download; the sweep redoes it."""
    from satudata.catalog import tasks as catalog_tasks

    res = _valid_table(_big_table())
    root = Path(app.config["STORAGE_PATH"]) / "exports"
    assert ("satudata.catalog.tasks.build_exports", res.id) in [j.args[:2] for j in default_queue.jobs]
    _kill_mid_xlsx(app, root)

    targets = exports.export_targets(res)
    assert not targets["xlsx"].exists() and not targets["json"].exists()  # never half a file in place
    assert _scratch(root)  # what the killed build left behind

    assert catalog_tasks.sweep_exports() == 1
    assert [j.args[:2] for j in default_queue.jobs][-1] == ("satudata.catalog.tasks.build_exports", res.id)
    proc = run_worker(app, "default")
    assert proc.returncode == 0, proc.stderr[-3000:]

    for path in targets.values():
        assert path.is_file()
    assert len(targets["csv"].read_text(encoding="utf-8").splitlines()) == ROWS + 1
    assert len(json.loads(targets["json"].read_text(encoding="utf-8"))) == ROWS
    with zipfile.ZipFile(targets["xlsx"]) as book:
        assert book.testzip() is None
        assert book.read("xl/worksheets/sheet1.xml").rstrip().endswith(b"</worksheet>")
    assert _scratch(root) == []  # the leftovers are gone
    assert catalog_tasks.sweep_exports() == 0  # nothing missing any more


def test_leftovers_of_a_killed_build_do_not_block_or_corrupt_a_rebuild(app: Flask, default_queue: Any) -> None:
    """Finding (same), without a worker: the leftovers a kill leaves (a lock file nobody holds,
    a half-written result, a half-converted source) are cleared by the next build and the sweep."""
    from satudata.catalog import tasks as catalog_tasks

    res = _valid_table(b"kode,kecamatan,laki_laki,perempuan,rasio,tahun,catatan,aktif\n"
                       b"14.07.01,Kubu,1,2,0.5,2025,-,true\n")
    default_queue.empty()
    targets = exports.export_targets(res)
    scratch = targets["xlsx"].parent / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / f"{targets['xlsx'].name}.lock").write_text("")  # a lock file whose holder died
    build = exports.build_dir(targets["xlsx"])
    build.mkdir(parents=True)
    (build / "hasil.xlsx").write_bytes(b"PK\x03\x04 half a workbook")
    (build / "source.csv").write_text("kode\n14.07")
    orphan = scratch / ("0" * 64 + "-0000000000000000.json.build")  # a file no table uses any more
    orphan.mkdir()
    (orphan / "hasil.json").write_text("[{")
    old = time.time() - 2 * 86400
    os.utime(orphan, (old, old))

    assert catalog_tasks.sweep_exports() == 1
    assert [j.args[:2] for j in default_queue.jobs] == [("satudata.catalog.tasks.build_exports", res.id)]
    assert not orphan.exists()  # nobody builds it: the sweep cleared it
    assert catalog_tasks.build_exports(res.id, res.sha256) == ["csv", "xlsx", "json"]
    with zipfile.ZipFile(targets["xlsx"]) as book:
        assert book.testzip() is None
    assert not build.exists()
    assert catalog_tasks.sweep_exports() == 0


def test_sweep_skips_tables_that_need_no_build(app: Flask, default_queue: Any) -> None:
    """Finding (same): the sweep enqueues only what is missing, and not a conversion that failed
    for good (an XLSX past Excel's limits would be rebuilt, and fail, every period)."""
    from satudata.catalog import tasks as catalog_tasks

    long_cell = b"kode,catatan\n14.07.01," + b"x" * 40_000 + b"\n"
    dataset = make_dataset(csv=None, publish=False)
    res = catalog.add_resource_file(SYSTEM, dataset, io.BytesIO(long_cell), filename="panjang.csv")
    db.session.commit()
    assert validation_tasks.validate_resource(res.id) == "valid"
    invalid = make_dataset(csv="a,b\n1\n", publish=False).resources[0]
    invalid.validation_status = ValidationStatus.INVALID
    db.session.commit()
    default_queue.empty()
    res = db.session.get(Resource, res.id)
    assert catalog_tasks.build_exports(res.id, res.sha256) == ["csv", "json"]  # XLSX: a cell past Excel's limit
    assert catalog_tasks.sweep_exports() == 0
    assert default_queue.count == 0
