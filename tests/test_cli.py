"""`satudata run` brings the whole embedded portal up (database upgrade, demo data, embedded
Redis, a worker, the web server) and Ctrl-C takes all of it down."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_run_serves_demo_and_stops_cleanly(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env["SATUDATA_INSTANCE_PATH"] = str(tmp_path / "instance")
    proc = subprocess.Popen(
        [sys.executable, "-m", "satudata.cli", "run", "--demo", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # Started the way a shell starts a background job (`make run &`): SIGINT ignored. Ctrl-C
        # (SIGINT) must still stop everything, so the command installs its own handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    output: list[str] = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("portal did not come up")
        status, body = _get(base + "/readyz")
        ready = json.loads(body)
        assert status == 200, ready
        assert ready["checks"]["redis"]["status"] == "ok"
        status, body = _get(base + "/api/3/action/package_list")
        assert status == 200 and len(json.loads(body)["result"]) >= 40
        status, body = _get(base + "/")
        assert status == 200 and b"<html" in body
        # The web server is a child process: it signs PPID notices with the demo certificate too.
        from tests.ppid.test_requests import REQUEST

        filed = urllib.request.Request(base + "/api/v1/ppid/requests", data=json.dumps(REQUEST).encode(),
                                       headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(filed, timeout=30) as resp:
            tracking = json.loads(resp.read())["data"]["tracking_url"]
        status, body = _get(tracking)
        assert status == 200 and "sertifikat demo" in body.decode(), body.decode()[-3000:]

        # The supervisor starts a web server that crashed again (after a 1 s backoff).
        web = next(c for c in psutil.Process(proc.pid).children() if "gunicorn" in " ".join(c.cmdline()))
        web.kill()
        psutil.wait_procs([web], timeout=10)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("the web server was not started again")
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "a worker (and the embedded redis-server) should be running"
        assert web.pid not in [c.pid for c in children]
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        output.append(out)
        assert proc.returncode == 0, out
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert not alive, f"left running: {[p.cmdline() for p in alive]}"
        assert re.search(r"Worker RQ berjalan", out)
        assert re.search(r"server web berhenti .*dijalankan lagi dalam 1 detik", out), out[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_run_refuses_a_port_in_use_at_once(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
        env["SATUDATA_INSTANCE_PATH"] = str(tmp_path / "instance")
        done = subprocess.run([sys.executable, "-m", "satudata.cli", "run", "--port", str(port)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert f"Port {port} di 127.0.0.1 sudah dipakai" in done.stderr and "PORT=8080 make run" in done.stderr
    assert not (tmp_path / "instance").exists()  # nothing started: no Redis, no database


def test_the_supervisor_holds_no_application() -> None:
    # `satudata run` keeps running beside its children: it must not carry the app's memory.
    done = subprocess.run(
        [sys.executable, "-c", "import sys, satudata.cli.run; "
         "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'tantivy')))"],
        capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_standards_sync_command(app) -> None:
    from sqlalchemy import func, select

    from satudata.cli import standards_group
    from satudata.extensions import db
    from satudata.validation.models import SchemaVersion

    runner = app.test_cli_runner()
    result = runner.invoke(standards_group, ["sync"])
    assert result.exit_code == 0, result.output
    count = db.session.scalar(select(func.count()).select_from(SchemaVersion))
    assert count and count >= 10
    again = runner.invoke(standards_group, ["sync"])
    assert again.exit_code == 0 and "sudah mutakhir" in again.output


def test_command_groups_import_from_the_package_in_a_fresh_interpreter() -> None:
    # ``satudata.cli`` hands its command groups over lazily; in a fresh process the submodule is
    # not loaded yet, which is where a lazy attribute can recurse into itself.
    for statement in (
        "from satudata.cli import token_group",
        "import satudata.cli as c; c.user_group",
        "from satudata.cli import main",
    ):
        done = subprocess.run(
            [sys.executable, "-c", statement], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (statement, done.stderr[-2000:])
    done = subprocess.run(
        [sys.executable, "-c", "import satudata.cli as c; c.no_such_group"],
        capture_output=True, text=True, timeout=60,
    )
    assert "has no attribute 'no_such_group'" in done.stderr
