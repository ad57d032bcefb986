"""Issue #16, the validation findings of the outside security test.

- A producer's Table Schema ``pattern`` such as ``(a+)+(?!x)c`` blocked the only validation
  worker for minutes: frictionless checks ``pattern`` with Python's backtracking ``re``. A
  pattern a linear-time engine (RE2) cannot compile is now refused wherever a Table Schema is
  saved (with the field named), and every pattern check runs on RE2, so an RE2-valid pattern
  such as ``(a+)+c`` on a long "aaaa...ab" cell is harmless too.
- The RQ job timeout was swallowed by the fast path's fallback, which then ran frictionless
  with no time limit left: the run must end ``error``, saying the limit was reached.
- The run stayed ``pending`` for ever: the sweep never retried ``running`` runs whose worker
  died. It now ends them (``error``) and validates the table again.
- Deeply nested JSON in the schema editor's hidden ``extra`` (and in the set-schema API and
  the standards library) raised RecursionError: a 500.

Jobs run on a real worker process; the subprocess timeouts below are hang guards only (an
unfixed portal never finishes), never a measure of speed.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from satudata import jobs
from satudata.catalog import services as catalog
from satudata.catalog.models import Dataset, Resource, ValidationStatus
from satudata.db import utcnow
from satudata.errors import Invalid
from satudata.extensions import db
from satudata.validation import tasks
from satudata.validation.models import RunStatus, SchemaVersion, ValidationRun
from tests.accounts.conftest import bearer
from tests.conftest import ROOT, run_worker
from tests.workspace.conftest import csrf_of, sign_in

ATTACK = "(a+)+(?!x)c"  # the pattern of the report: a lookahead, and nested quantifiers
NESTED = "(a+)+c"  # RE2 compiles it; Python's re backtracks exponentially on "aaaa...ab"
API = "/api/v1/workspace"
CSV = "kode,jumlah\nR-1,4\nR-2,7\n"


@pytest.fixture()
def draft(users: dict[str, Any], orgs: dict[str, Any]) -> Dataset:
    dataset = catalog.create_workspace_dataset(users["produsen"], orgs["dinkes"], {"title": "Kode Puskesmas"})
    catalog.upload_resource(users["produsen"], dataset, io.BytesIO(CSV.encode()), filename="kode.csv")
    db.session.commit()
    return dataset


def _schema(pattern: str) -> dict[str, Any]:
    return {"fields": [{"name": "kode", "type": "string", "constraints": {"pattern": pattern}},
                       {"name": "jumlah", "type": "integer"}]}


def _messages(details: dict[str, Any]) -> str:
    return " ".join(str(m) for value in details.values() for m in (value if isinstance(value, list) else [value]))


# --------------------------------------------------------------------------- refused when saved


def test_attack_pattern_is_refused_by_the_set_schema_api(scratch_client: Any, tokens: Any, draft: Dataset) -> None:
    """Finding: ``(a+)+(?!x)c`` blocked the validation worker. The API refuses it, naming the field."""
    res = draft.resources[0]
    before = res.table_schema
    resp = scratch_client.put(f"{API}/resources/{res.id}/schema", headers=bearer(tokens["produsen"]["write"]),
                              json={"table_schema": _schema(ATTACK)})
    assert resp.status_code == 422, resp.get_data(as_text=True)
    text = _messages(resp.get_json()["error"]["details"])
    assert 'Kolom "kode"' in text and ATTACK in text and "pola" in text.lower()
    db.session.expire_all()
    assert db.session.get(Resource, res.id).table_schema == before


def test_attack_pattern_is_refused_by_the_schema_editor(scratch_client: Any, draft: Dataset) -> None:
    """Finding: ``(a+)+(?!x)c`` saved through the web editor; refused there, next to the field."""
    sign_in(scratch_client, "produsen")
    res = draft.resources[0]
    path = f"/kelola/dataset/{draft.slug}/sumber/{res.id}/skema"
    form = {"csrf_token": csrf_of(scratch_client, path), "action": "save", "missingEmpty": "on",
            "fields-0-name": "kode", "fields-0-type": "string", "fields-0-pattern": ATTACK,
            "fields-1-name": "jumlah", "fields-1-type": "integer"}
    resp = scratch_client.post(path, data=form)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "kolom &#34;kode&#34;" in page.lower()
    assert "lookaround" in page


def test_attack_pattern_is_refused_by_the_standards_library(scratch_client: Any, users: Any) -> None:
    """Finding: ``(a+)+(?!x)c`` in a standard of the library would reach every table using it."""
    sign_in(scratch_client, "walidata")
    path = "/standar-data/baru"
    descriptor = {"title": "Kode puskesmas", **_schema(ATTACK)}
    resp = scratch_client.post(path, data={
        "csrf_token": csrf_of(scratch_client, path), "mode": "upload", "name": "kode_puskesmas", "note": "",
        "file": (io.BytesIO(json.dumps(descriptor).encode()), "kode.json")}, content_type="multipart/form-data")
    assert resp.status_code in (400, 422)
    assert "lookaround" in resp.get_data(as_text=True)
    assert db.session.scalars(select(SchemaVersion).where(SchemaVersion.name == "kode_puskesmas")).all() == []


@pytest.mark.parametrize("pattern", [ATTACK, "(?<=x)a", "(a)\\1", "(?P<x>a)(?P=x)", "a{1000}{1000}"])
def test_patterns_no_linear_engine_runs_are_refused(app: Flask, users: Any, pattern: str) -> None:
    """Finding: lookarounds and backreferences (outside Table Schema's XML-Schema regex) are refused."""
    from satudata.validation import services as validation

    with pytest.raises(Invalid) as caught:
        validation.save_standard(users["walidata"], "kode_puskesmas", {"title": "Kode", **_schema(pattern)},
                                 "", new=True)
    assert 'Kolom "kode"' in _messages(caught.value.details)


# --------------------------------------------------------------------------- checked in linear time

ENGINES_SCRIPT = """
import json, sys
from satudata.validation.engine import validate_table_detailed
path, schema = sys.argv[1], json.loads(sys.argv[2])
out = {}
for engine in ("auto", "frictionless"):
    report = validate_table_detailed(path, schema, engine=engine).report
    report["stats"].pop("seconds", None)
    for task in report["tasks"]:
        task["stats"].pop("seconds", None)
    out[engine] = report
print(json.dumps(out))
"""


def _long_cell_table(tmp: Path) -> Path:
    path = tmp / "kode.csv"
    path.write_text("kode,jumlah\n" + "a" * 20_000 + "b,1\naaac,2\n", encoding="utf-8")
    return path


@pytest.mark.nodb
def test_nested_quantifier_pattern_is_linear_in_both_engines(tmp_path: Path) -> None:
    """Finding: ``(a+)+c`` (valid RE2) on a long "aaaa...ab" cell: Python's ``re`` never ends.
    Both engines (the fast path's confirmation and plain frictionless) give the same report."""
    path = _long_cell_table(tmp_path)
    proc = subprocess.run([sys.executable, "-c", ENGINES_SCRIPT, str(path), json.dumps(_schema(NESTED))],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    reports = json.loads(proc.stdout)
    assert reports["auto"] == reports["frictionless"]
    errors = reports["frictionless"]["tasks"][0]["errors"]
    assert [(e["rowNumber"], e["type"], e["fieldName"]) for e in errors] == [(2, "constraint-error", "kode")]


@pytest.mark.jobs
def test_nested_quantifier_pattern_does_not_block_the_worker(app: Flask, users: Any, draft: Dataset,
                                                             queue: Any, tmp_path: Path) -> None:
    """Finding: one table with ``(a+)+c`` and a long "aaaa...ab" cell held the only worker."""
    res = draft.resources[0]
    with _long_cell_table(tmp_path).open("rb") as fh:
        catalog.replace_resource_file(users["produsen"], res, fh, filename="kode.csv")
    catalog.set_resource_schema(users["produsen"], res, descriptor=_schema(NESTED))
    db.session.commit()
    proc = run_worker(app, "validation", timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert res.validation_status == ValidationStatus.INVALID, proc.stderr[-3000:]
    errors = res.validation_report["tasks"][0]["errors"]
    assert [(e["rowNumber"], e["type"]) for e in errors] == [(2, "constraint-error")]


# --------------------------------------------------------------------------- the job's time limit


def _heavy_table(path: Path) -> Path:
    """A table that takes the fast path many seconds: 20 text columns with a pattern it leaves
    to frictionless's cell reader (``\\S``), every value distinct."""
    columns = 20
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(f"k{c}" for c in range(columns)) + "\n")
        for row in range(100_000):
            fh.write(",".join(f"v{row}x{c}" for c in range(columns)) + "\n")
    return path


@pytest.mark.jobs
def test_job_timeout_is_not_swallowed_and_ends_the_run(app: Flask, users: Any, draft: Dataset, queue: Any,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding: the RQ timeout was swallowed by the fast path's fallback (frictionless then ran
    with no limit). The run ends ``error`` with a message saying the limit and what to do."""
    monkeypatch.setitem(app.config, "VALIDATION_JOB_TIMEOUT", 1)  # what the enqueuing process sets
    res = draft.resources[0]
    schema = {"fields": [{"name": f"k{c}", "type": "string", "constraints": {"pattern": "\\S+"}}
                         for c in range(20)]}
    with _heavy_table(tmp_path / "berat.csv").open("rb") as fh:
        catalog.replace_resource_file(users["produsen"], res, fh, filename="berat.csv")
    catalog.set_resource_schema(users["produsen"], res, descriptor=schema)
    db.session.commit()
    proc = run_worker(app, "validation", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    db.session.expire_all()
    run = tasks.latest_run(res.id)
    assert run is not None and run.status == RunStatus.ERROR, proc.stderr[-3000:]
    assert run.message.startswith("Validasi melebihi batas waktu 1 detik;"), proc.stderr[-6000:]
    res = db.session.get(Resource, res.id)
    assert res.validation_status == ValidationStatus.ERROR
    assert res.validation_report["errors"][0]["note"] == run.message


@pytest.mark.nodb
def test_time_limit_is_not_swallowed_by_either_engine(tmp_path: Path) -> None:
    """Finding (same), inside the engine: the worker's time limit (SIGALRM) stops the fast path
    without starting frictionless, and stops frictionless too."""
    from rq.timeouts import JobTimeoutException

    from satudata.validation.engine import validate_table_detailed

    path = _heavy_table(tmp_path / "berat.csv")
    schema = {"fields": [{"name": f"k{c}", "type": "string", "constraints": {"pattern": "\\S+"}} for c in range(20)]}
    for engine in ("auto", "frictionless"):
        with pytest.raises(jobs.JobTimeout), jobs.HardDeathPenalty(1, JobTimeoutException):
            validate_table_detailed(path, schema, engine=engine)  # type: ignore[arg-type]
        assert not jobs.time_is_up()  # over with the time limit it belonged to


# --------------------------------------------------------------------------- runs whose worker died


def _left_running(resource: Resource, silent_for: timedelta) -> ValidationRun:
    """The row a worker killed mid-job leaves: ``running``, its last heartbeat long ago."""
    run = tasks.enqueue_validation(resource)
    db.session.flush()
    run.status = RunStatus.RUNNING
    run.started_at = run.heartbeat_at = utcnow() - silent_for
    db.session.commit()
    return run


@pytest.mark.jobs
def test_running_run_whose_worker_died_is_swept_and_redone(app: Flask, users: Any, draft: Dataset,
                                                           queue: Any) -> None:
    """Finding: the run stayed ``pending`` for ever because the sweep never retried ``running`` runs."""
    res = draft.resources[0]
    catalog.set_resource_schema(users["produsen"], res, descriptor=_schema("R-[0-9]+"))
    db.session.commit()
    queue.empty()
    stale_after = int(app.config["VALIDATION_STALE_AFTER"])
    assert stale_after > int(app.config["VALIDATION_JOB_TIMEOUT"])
    dead = _left_running(res, timedelta(seconds=stale_after + 60))
    queue.empty()  # its job died with the worker
    assert tasks.sweep_runs() == 1
    db.session.expire_all()
    dead = db.session.get(ValidationRun, dead.id)
    assert dead.status == RunStatus.ERROR and dead.finished_at is not None
    assert "pekerja" in dead.message and "diulang" in dead.message
    fresh = tasks.latest_run(res.id)
    assert fresh is not None and fresh.id != dead.id and fresh.status == RunStatus.QUEUED
    assert db.session.get(Resource, res.id).validation_status == ValidationStatus.PENDING
    assert queue.count == 1
    assert tasks.sweep_runs() == 0  # idempotent: nothing left to sweep
    assert queue.count == 1

    # The dead run's job, were it alive after all, may not write over the sweep's verdict.
    assert tasks.validate_resource(res.id, res.sha256, tasks.schema_fingerprint(res), dead.id) == "stale"
    db.session.expire_all()
    assert db.session.get(ValidationRun, dead.id).status == RunStatus.ERROR

    proc = run_worker(app, "validation")
    assert proc.returncode == 0, proc.stderr[-3000:]
    db.session.expire_all()
    assert db.session.get(ValidationRun, fresh.id).status == RunStatus.VALID, proc.stderr[-3000:]
    assert db.session.get(Resource, res.id).validation_status == ValidationStatus.VALID


def test_sweep_leaves_a_live_run_alone(app: Flask, users: Any, draft: Dataset, queue: Any) -> None:
    """Finding (same): the sweep must be safe beside a job that is still working."""
    res = draft.resources[0]
    live = _left_running(res, timedelta(seconds=5))
    queue.empty()
    assert tasks.sweep_runs() == 0
    db.session.expire_all()
    assert db.session.get(ValidationRun, live.id).status == RunStatus.RUNNING
    assert tasks.latest_run(res.id).id == live.id


def test_a_run_killed_again_and_again_is_given_up(app: Flask, users: Any, draft: Dataset, queue: Any) -> None:
    """Finding (same): a table that kills its worker every time is not validated for ever."""
    res = draft.resources[0]
    stale = timedelta(seconds=int(app.config["VALIDATION_STALE_AFTER"]) + 60)
    for _ in range(tasks.STALE_RETRIES + 1):
        run = tasks.latest_run(res.id)  # the upload's run, then each one the sweep started
        assert run is not None and run.status == RunStatus.QUEUED
        run.status = RunStatus.RUNNING
        run.started_at = run.heartbeat_at = utcnow() - stale
        db.session.commit()
        assert tasks.sweep_runs() == 1
        db.session.expire_all()
    res = db.session.get(Resource, res.id)
    assert tasks.latest_run(res.id).status == RunStatus.ERROR
    assert res.validation_status == ValidationStatus.ERROR
    assert "berulang" in res.validation_report["errors"][0]["note"]


# --------------------------------------------------------------------------- nested JSON


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_extra_of_the_schema_editor_is_refused(scratch_client: Any, draft: Dataset,
                                                              depth: int) -> None:
    """Finding: deeply nested JSON in the schema editor's ``extra`` raised RecursionError (500)."""
    sign_in(scratch_client, "produsen")
    res = draft.resources[0]
    path = f"/kelola/dataset/{draft.slug}/sumber/{res.id}/skema"
    base = {"csrf_token": csrf_of(scratch_client, path), "action": "save", "missingEmpty": "on",
            "fields-0-name": "kode", "fields-0-type": "string"}
    for extra in ({"fields-0-extra": _nested(depth)}, {"extra": _nested(depth)}):
        resp = scratch_client.post(path, data={**base, **extra})
        assert resp.status_code == 400, resp.status_code
        assert "bersarang lebih dari 64 tingkat" in resp.get_data(as_text=True)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_table_schema_is_refused_by_the_api(scratch_client: Any, tokens: Any, draft: Dataset,
                                                          depth: int) -> None:
    """Finding (same), through ``PUT /api/v1/workspace/resources/<id>/schema``."""
    res = draft.resources[0]
    body = '{"table_schema": {"fields": [{"name": "kode", "type": "string", "x": ' + _nested(depth) + "}]}}"
    resp = scratch_client.put(f"{API}/resources/{res.id}/schema", data=body, content_type="application/json",
                              headers=bearer(tokens["produsen"]["write"]))
    assert resp.status_code == 422, resp.status_code
    assert "bersarang lebih dari 64 tingkat" in resp.get_json()["error"]["message"]


def test_deeply_nested_standard_upload_is_refused(scratch_client: Any, users: Any) -> None:
    """Finding (same), through the standards library's JSON upload."""
    sign_in(scratch_client, "walidata")
    path = "/standar-data/baru"
    deep = "[" * 100_000 + "]" * 100_000  # small enough for the test client to keep in memory
    resp = scratch_client.post(path, data={
        "csrf_token": csrf_of(scratch_client, path), "mode": "upload", "name": "dalam", "note": "",
        "file": (io.BytesIO(deep.encode()), "dalam.json")}, content_type="multipart/form-data")
    assert resp.status_code in (400, 422)
    assert "bersarang lebih dari 64 tingkat" in resp.get_data(as_text=True)


@pytest.mark.nodb
def test_check_json_depth() -> None:
    """Finding (same): the shared depth check reads text without recursing, and counts objects."""
    from satudata.limits import JsonTooDeep, check_json_depth

    check_json_depth('{"a": "[[[[[[[[[[ \\" {{{{{{{{{{"}', 2)
    check_json_depth([[1, {"a": [2]}]], 4)
    check_json_depth(b'[[["]]]"]]]', 3)
    for value in ("[[[[1]]]]", [[[[1]]]], {"a": {"b": {"c": {"d": 1}}}}, b"[[[[1]]]]"):
        with pytest.raises(JsonTooDeep) as caught:
            check_json_depth(value, 3)
        assert isinstance(caught.value, Invalid) and "bersarang lebih dari 3 tingkat" in caught.value.message
    check_json_depth(_nested(64), 64)
    with pytest.raises(JsonTooDeep):
        check_json_depth(_nested(65), 64)

