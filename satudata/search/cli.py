"""``satudata search reindex`` and ``satudata search status``."""

from __future__ import annotations

from typing import Any

import click
from flask.cli import with_appcontext

REINDEX = "satudata search reindex"


@click.group("search")
def search_group() -> None:
    """Indeks pencarian (search index)."""


@search_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database (published, public datasets)."""
    from satudata.search.backend import get_backend
    from satudata.search.services import SearchUnavailable, reindex_all

    try:
        n = reindex_all(progress=True)
    except SearchUnavailable as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Selesai: {n} dataset terindeks.")
    refused = list(getattr(get_backend(), "refused", []) or [])
    if refused:
        click.echo(f"Ditolak mesin pencarian: {len(refused)} dataset (lihat log), mis. {', '.join(refused[:5])}",
                   err=True)


def _pending_and_refused() -> tuple[int | None, int | None]:
    """How many syncs wait for the engine, and how many documents it refused (Redis sets of
    ``search.tasks``); ``None`` when Redis cannot be asked."""
    from satudata import jobs
    from satudata.search.tasks import PENDING_KEY, REFUSED_KEY

    try:
        redis = jobs.get_redis()
        return int(redis.scard(PENDING_KEY) or 0), int(redis.scard(REFUSED_KEY) or 0)
    except Exception:  # status must answer even without Redis
        return None, None


def _mapping_text(health: dict[str, Any]) -> str:
    versions = health.get("mapping_version") or {}
    found = ", ".join(f"{name}: v{v}" for name, v in sorted(versions.items())) or "-"
    return f"{found} (kode ini: v{health.get('expected_mapping_version')})"


@search_group.command("status")
@with_appcontext
def status_command() -> None:
    """Compare the index with the database and say what to run; exit 1 when they disagree or
    the engine is down."""
    from flask import current_app

    from satudata.search.services import search_status

    status = search_status()
    health = status.health
    config = current_app.config
    click.echo(f"Mesin pencarian : {status.backend} ({health.get('status')})")
    if status.backend == "elasticsearch":
        click.echo(f"Elasticsearch   : {config.get('ELASTICSEARCH_URL')} (klaster: {health.get('cluster', '?')})")
        click.echo(f"Alias           : {health.get('alias', config.get('ELASTICSEARCH_INDEX'))}")
        click.echo(f"Indeks          : {', '.join(health.get('indices') or []) or '-'}")
        click.echo(f"Versi mapping   : {_mapping_text(health)}")
    elif health.get("path"):
        click.echo(f"Indeks          : {health['path']}")
    click.echo(f"Terindeks       : {'tidak terjangkau' if status.indexed is None else status.indexed}")
    click.echo(f"Dataset publik  : {status.published}")
    pending, refused = _pending_and_refused()
    if pending is not None:
        click.echo(f"Menunggu sinkron: {pending}")
        click.echo(f"Ditolak mesin   : {refused}")
    if health.get("status") != "ok":
        click.echo(f"Galat           : {health.get('error', '?')}")
        click.echo("Sinkron         : tidak — mesin pencarian tidak terjangkau. Periksa "
                   f"{'SATUDATA_ELASTICSEARCH_URL dan klasternya' if status.backend == 'elasticsearch' else 'indeks'}"
                   ", lalu jalankan `satudata search status` lagi; portal memakai pencarian basis data sementara "
                   f"itu. Sinkron yang tertunda dikejar otomatis oleh job catch_up, atau jalankan `{REINDEX}`.")
        raise SystemExit(1)
    if health.get("rebuild_needed"):
        click.echo(f"Masalah         : {health.get('problem')}")
        click.echo(f"Sinkron         : tidak — jalankan `{REINDEX}` (membangun indeks baru di balik alias "
                   "dan menggantikan yang lama)")
        raise SystemExit(1)
    if status.in_sync:
        click.echo("Sinkron         : ya")
        return
    if refused and status.indexed is not None and status.indexed + refused == status.published:
        click.echo(f"Sinkron         : ya, kecuali {refused} dataset yang ditolak mesin pencarian (lihat log "
                   f"worker); perbaiki datanya lalu terbitkan ulang, atau jalankan `{REINDEX}`")
        return
    click.echo(f"Sinkron         : tidak — jalankan `{REINDEX}`")
    raise SystemExit(1)
