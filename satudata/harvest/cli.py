"""``satudata harvest ...``: sources and runs from the command line (a contract: outside scripts
rely on these commands, flags and the ``--json`` object).

- ``harvest source add --name NAME --type ckan|dcat|... --url URL --org SLUG [--config JSON]
  [--title T] [--schedule manual|daily|weekly] [--publish-mode direct|review]``
- ``harvest sources``: every source with its last run.
- ``harvest run NAME [--wait] [--json]``: queue a run; ``--wait`` waits for the worker and prints
  the counts, ``--json`` one object ``{"job", "status": "finished"|"failed", "seconds",
  "counts": {"new", "updated", "unchanged", "withdrawn", "error"}, "errors": [...]}``. With no
  worker serving the ``harvest`` queue, ``--wait`` runs the job in this process, through a real
  RQ worker in burst mode, rather than waiting forever.
- ``harvest jobs NAME``: the source's runs, newest first.
- ``harvest cancel JOB``: cancel a queued or running run.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

CLI_ACTOR_NAME = "cli"
WIB = ZoneInfo("Asia/Jakarta")


def _fail(exc: Any) -> click.ClickException:
    return click.ClickException(getattr(exc, "message", str(exc)))


@click.group("harvest")
def harvest_group() -> None:
    """Panen (harvest) katalog lain: sumber dan proses panen."""


@harvest_group.group("source")
def source_group() -> None:
    """Sumber harvest."""


@source_group.command("add")
@click.option("--name", required=True, help="Nama pendek sumber (huruf kecil, angka, - atau _).")
@click.option("--type", "kind", required=True, help="Jenis sumber: ckan, dcat, atau plug-in lain yang terpasang.")
@click.option("--url", required=True, help="Alamat sumber (http:// atau https://).")
@click.option("--org", required=True, help="Slug organisasi pemilik dataset hasil panen.")
@click.option("--config", "config_text", default=None, help="Konfigurasi sumber sebagai JSON.")
@click.option("--title", default=None, help="Judul sumber (bawaan: nama).")
@click.option("--schedule", type=click.Choice(["manual", "daily", "weekly"]), default="manual", show_default=True)
@click.option("--publish-mode", type=click.Choice(["direct", "review"]), default=None,
              help="Bawaan: direct, kecuali jenis sipd (review).")
@with_appcontext
def add_command(name: str, kind: str, url: str, org: str, config_text: str | None, title: str | None,
                schedule: str, publish_mode: str | None) -> None:
    """Add a harvest source."""
    from satudata.authz import SystemActor
    from satudata.db import unit_of_work
    from satudata.errors import DomainError
    from satudata.harvest import services

    try:
        config = json.loads(config_text) if config_text else {}
    except ValueError as exc:
        raise click.ClickException(f"--config bukan JSON yang sah: {exc}") from exc
    try:
        with unit_of_work():
            source = services.add_source(SystemActor(CLI_ACTOR_NAME), name=name, type=kind, url=url, organization=org,
                                         title=title, config=config, schedule=schedule, publish_mode=publish_mode)
            click.echo(f"Sumber '{source.name}' ({source.type}) ditambahkan untuk {source.organization.name}.")
    except DomainError as exc:
        raise _fail(exc) from exc


def _when(moment: Any) -> str:
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H.%M WIB") if moment else "-"


@harvest_group.command("sources")
@with_appcontext
def sources_command() -> None:
    """List the harvest sources with their last run."""
    from satudata.harvest import services

    rows = services.list_sources()
    if not rows:
        click.echo("Belum ada sumber harvest.")
        return
    for row in rows:
        s, job = row.source, row.last_job
        last = (f"panen #{job.id} {job.status} {_when(job.finished_at or job.created_at)} "
                f"(baru {job.count('new')}, berubah {job.count('updated')}, tetap {job.count('unchanged')}, "
                f"ditarik {job.count('withdrawn')}, galat {job.count('error')})") if job else "belum pernah dipanen"
        click.echo(f"{s.name}\t{s.type}\t{s.url}\t{s.organization.slug}\t{s.schedule}\t{s.publish_mode}\t"
                   f"{'aktif' if s.active else 'nonaktif'}\t{row.datasets} dataset\t{last}")


@harvest_group.command("run")
@click.argument("name")
@click.option("--wait", is_flag=True, help="Tunggu sampai panen selesai dan cetak hasilnya.")
@click.option("--json", "as_json", is_flag=True, help="Cetak hasil sebagai satu objek JSON (dengan --wait).")
@with_appcontext
def run_command(name: str, wait: bool, as_json: bool) -> None:
    """Queue a harvest run of source NAME."""
    from satudata.authz import SystemActor
    from satudata.db import unit_of_work
    from satudata.errors import DomainError
    from satudata.extensions import db
    from satudata.harvest import services

    try:
        with unit_of_work():
            job = services.request_run(SystemActor(CLI_ACTOR_NAME), services.get_source(name), trigger="cli")
            job_id = job.id
    except DomainError as exc:
        raise _fail(exc) from exc
    if not wait:
        click.echo(json.dumps({"job": job_id, "status": "queued"}) if as_json else f"Panen #{job_id} diantrekan.")
        return
    _wait(job_id, quiet=as_json)
    db.session.expire_all()
    summary = services.job_summary(services.get_job(job_id))
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        counts = summary["counts"]
        click.echo(f"Panen #{job_id}: {summary['status']} dalam {summary['seconds']:.1f} detik; baru {counts['new']}, "
                   f"berubah {counts['updated']}, tetap {counts['unchanged']}, ditarik {counts['withdrawn']}, "
                   f"galat {counts['error']}.")
        for error in summary["errors"]:
            click.echo(f"  - {error}")
    if summary["status"] != "finished":
        sys.exit(1)


WORKER_ALIVE = 480  # seconds: an idle RQ worker beats at least every worker_ttl (420 s) less 15
STILL_QUEUED = 30  # seconds a run may wait in the queue before we look again for a live worker


def _served() -> bool:
    """Whether a live worker (a recent heartbeat) listens on the ``harvest`` queue."""
    from datetime import UTC, datetime

    from rq import Worker

    from satudata import jobs

    try:
        now = datetime.now(UTC)
        for worker in Worker.all(connection=jobs.get_redis()):
            beat = worker.last_heartbeat
            if beat is not None and beat.tzinfo is None:
                beat = beat.replace(tzinfo=UTC)
            if "harvest" in worker.queue_names() and beat is not None and (now - beat).total_seconds() < WORKER_ALIVE:
                return True
    except Exception:
        return False
    return False


def _run_here(quiet: bool) -> None:
    from satudata import jobs
    from satudata.extensions import db

    if not quiet:
        click.echo("Tidak ada pekerja yang hidup untuk antrean harvest; panen dijalankan di proses ini.", err=True)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    db.session.remove()
    # RQ logs to stdout; stdout is the answer (``--json``), so its log goes to stderr.
    with contextlib.redirect_stdout(sys.stderr):
        jobs.make_worker(app, ["harvest"]).work(burst=True, logging_level="WARNING" if quiet else "INFO")


def _wait(job_id: int, *, quiet: bool) -> None:
    """Wait until the run ends; run it here when no live worker takes it (none registered, or the
    registered ones stopped beating: a worker killed without unregistering)."""
    from satudata.extensions import db
    from satudata.harvest.models import HarvestJob, JobStatus

    if not _served():
        _run_here(quiet)
    queued_since = time.monotonic()
    while True:
        db.session.expire_all()
        job = db.session.get(HarvestJob, job_id)
        if job is None or not job.is_active:
            db.session.rollback()
            return
        queued = job.status == JobStatus.QUEUED
        db.session.rollback()
        if not queued:
            queued_since = time.monotonic()
        elif time.monotonic() - queued_since > STILL_QUEUED and not _served():
            _run_here(quiet)
            queued_since = time.monotonic()
        time.sleep(0.5)


@harvest_group.command("jobs")
@click.argument("name")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def jobs_command(name: str, limit: int) -> None:
    """List the runs of source NAME, newest first."""
    from satudata.errors import DomainError
    from satudata.harvest import services

    try:
        source = services.get_source(name)
    except DomainError as exc:
        raise _fail(exc) from exc
    found = services.list_jobs(source, limit=limit)
    if not found:
        click.echo("Sumber ini belum pernah dipanen.")
    for job in found:
        seconds = f"{job.seconds:.1f} dtk" if job.seconds is not None else "-"
        click.echo(f"#{job.id}\t{job.status}\t{_when(job.created_at)}\t{seconds}\tbaru {job.count('new')}\t"
                   f"berubah {job.count('updated')}\ttetap {job.count('unchanged')}\tditarik {job.count('withdrawn')}\t"
                   f"galat {job.count('error')}")
        for error in job.errors or []:
            click.echo(f"\t- {error}")


@harvest_group.command("cancel")
@click.argument("job_id")
@with_appcontext
def cancel_command(job_id: str) -> None:
    """Cancel a queued or running harvest run."""
    from satudata.authz import SystemActor
    from satudata.db import unit_of_work
    from satudata.errors import DomainError
    from satudata.harvest import services

    try:
        with unit_of_work():
            job = services.cancel_job(SystemActor(CLI_ACTOR_NAME), services.get_job(job_id))
            click.echo(f"Panen #{job.id}: {'dibatalkan' if not job.is_active else 'diminta berhenti'}.")
    except DomainError as exc:
        raise _fail(exc) from exc
