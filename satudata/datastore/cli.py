"""``satudata data rebuild`` and ``satudata data status``: the query copies of valid tables."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("data")
def data_group() -> None:
    """Salinan kueri tabel (datastore)."""


@data_group.command("rebuild")
@click.option("--force", is_flag=True, help="Tulis ulang juga salinan yang sudah ada.")
@click.option("--prune/--no-prune", default=True, show_default=True,
              help="Hapus salinan yang tidak lagi dipakai tabel mana pun (berkas lama, skema lama).")
@with_appcontext
def rebuild_command(force: bool, prune: bool) -> None:
    """Write the query copy of every valid table (those missing, or all with --force)."""
    from sqlalchemy import func, select

    from satudata.datastore import copies, engine, services
    from satudata.datastore.tasks import wanted
    from satudata.errors import DomainError
    from satudata.extensions import db

    total = db.session.scalar(select(func.count()).select_from(wanted().order_by(None).subquery())) or 0
    written = kept = failed = 0
    keep: set[str] = set()
    with click.progressbar(length=total, label="Menulis salinan kueri", show_pos=True) as bar:
        for resource in db.session.scalars(wanted()).all():
            path = services.copy_path(resource)
            if path is not None:
                keep.add(path.name)
                if force and path.is_file():
                    engine.forget(path)
                    path.unlink()
                existed = path.is_file()
                try:
                    services.build_copy(resource)
                    kept += existed
                    written += not existed
                except (copies.CopyFailed, DomainError) as exc:
                    failed += 1
                    click.echo(f"\nGagal: sumber data {resource.id} ({resource.name}): "
                               f"{getattr(exc, 'message', exc)}", err=True)
            bar.update(1)
    db.session.rollback()
    removed = 0
    if prune:
        for stale in services.stale_copies(keep):
            engine.forget(stale)
            stale.unlink(missing_ok=True)
            removed += 1
    click.echo(f"Selesai: {written} salinan ditulis, {kept} sudah ada, {failed} gagal, {removed} salinan lama dihapus.")
    if failed:
        raise SystemExit(1)


@data_group.command("status")
@with_appcontext
def status_command() -> None:
    """How many valid tables have their query copy, and the disk it takes."""
    from satudata.datastore import copies, services
    from satudata.datastore.tasks import wanted
    from satudata.extensions import db

    have = missing = 0
    for resource in db.session.scalars(wanted()).all():
        path = services.copy_path(resource)
        if path is not None and path.is_file():
            have += 1
        else:
            missing += 1
    db.session.rollback()
    size = sum(p.stat().st_size for p in copies.datastore_dir().glob("*.parquet"))
    click.echo(f"Tabel valid dengan salinan kueri: {have}; belum: {missing}; ukuran di disk: {size / 1024**2:.1f} MB")
