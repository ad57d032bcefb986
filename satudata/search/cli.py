"""``satudata search reindex`` and ``satudata search status``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("search")
def search_group() -> None:
    """Indeks pencarian (search index)."""


@search_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database (published, public datasets)."""
    from satudata.search.services import SearchUnavailable, reindex_all

    try:
        n = reindex_all(progress=True)
    except SearchUnavailable as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Selesai: {n} dataset terindeks.")


@search_group.command("status")
@with_appcontext
def status_command() -> None:
    """Compare the index with the database; exit 1 when they disagree or the engine is down."""
    from satudata.search.services import search_status

    status = search_status()
    click.echo(f"Mesin pencarian : {status.backend} ({status.health.get('status')})")
    click.echo(f"Terindeks       : {'tidak terjangkau' if status.indexed is None else status.indexed}")
    click.echo(f"Dataset publik  : {status.published}")
    if status.health.get("status") != "ok":
        click.echo(f"Galat           : {status.health.get('error', '?')}")
    if status.in_sync:
        click.echo("Sinkron         : ya")
        return
    click.echo("Sinkron         : tidak — jalankan `satudata search reindex`")
    raise SystemExit(1)
