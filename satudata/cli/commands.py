"""The ``satudata`` command group: run, worker, demo data, database, and (from Flask-Migrate) db
(``satudata.cli.main`` hands it every command but the offline ones).

A command that changes the database does it in one unit of work (``db.unit_of_work``): all of
it is committed, or none of it when it fails."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from satudata.authz import Role
from satudata.db import unit_of_work


def _create_app() -> object:
    from satudata import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Satu Data Portal."""


@main.command("prepare")
@click.option("--demo", is_flag=True, help="Load the demo data into an empty database.")
@with_appcontext
def prepare_command(demo: bool) -> None:
    """Make the database and search index ready to serve: upgrade the database, add new standards
    from schemas/, load the demo data (--demo, into an empty database) and build the search index
    when it is out of sync. `satudata run` runs this first, in a process of its own."""
    from flask_migrate import upgrade

    from satudata import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo("• Memperbarui basis data …")
    upgrade()
    from satudata.validation.services import sync_builtin_schemas

    with unit_of_work():
        added = sync_builtin_schemas()
    if added:
        click.echo(f"• Standar data dari schemas/: {added} versi baru.")
    if demo:
        from satudata.demo import has_data, load_demo

        # A demo portal signs its PPID notices with a self-signed certificate, saying so on them.
        if app.config.get("PPID_SIGNING_DEMO") is None:
            app.config["PPID_SIGNING_DEMO"] = True
        if has_data():
            click.echo("• Data sudah ada; data demo tidak dimuat ulang.")
        else:
            click.echo("• Memuat data demo …")
            load_demo(progress=True)
    from satudata.search import services as search

    try:
        status = search.search_status()
        if not status.in_sync:
            click.echo("• Membangun indeks pencarian …")
            # A rebuild reads the database after every queued sync job was written, so those
            # jobs (53 of them after a demo load) would only repeat its work.
            jobs.get_queue("search").empty()
            search.reindex_all(progress=True)
    except Exception as exc:  # the portal still serves (from the database) without search
        click.echo(f"• Indeks pencarian belum dapat dibangun: {exc}", err=True)


@main.command("worker")
@click.option("--queue", "-q", "queues", multiple=True, help="Queue(s) to listen on (default: all).")
@click.option("--burst", is_flag=True, help="Quit when the queues are empty.")
@click.option("--scheduler/--no-scheduler", "periodic", default=None,
              help="Also enqueue the periodic jobs (default: SCHEDULER_IN_WORKER, never with --burst).")
@with_appcontext
def worker_command(queues: tuple[str, ...], burst: bool, periodic: bool | None) -> None:
    """Run an RQ worker for the portal's queues."""
    from satudata import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if periodic is None:
        periodic = bool(app.config["SCHEDULER_IN_WORKER"]) and not burst
    worker = jobs.make_worker(app, list(queues) or None, periodic=periodic)
    worker.work(burst=burst, with_scheduler=False)


@main.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Enqueue the periodic jobs when due, apart from the workers (with
    SATUDATA_SCHEDULER_IN_WORKER=false; it takes the same lease as they would, so it never
    doubles them)."""
    from satudata import jobs

    jobs.run_scheduler(current_app._get_current_object())  # type: ignore[attr-defined]


@main.group("user")
def user_group() -> None:
    """Staff accounts."""


@user_group.command("create")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--role", type=click.Choice(Role.values()), help="Role to give, with --org.")
@click.option("--org", "org_slug", help="Organisation slug for the role.")
@click.password_option(help="Asked twice when not given.")
@with_appcontext
def user_create(username: str, email: str, full_name: str, role: str | None, org_slug: str | None,
                password: str) -> None:
    """Create a staff user, e.g. the first admin: --role admin --org diskominfotik-riau."""
    from satudata.accounts import services as accounts
    from satudata.authz import SystemActor
    from satudata.errors import DomainError

    if bool(role) != bool(org_slug):
        raise click.UsageError("--role dan --org harus diberikan bersama.")
    try:
        with unit_of_work():
            accounts.check_password_rules(None, password)
            roles = [(role, accounts.get_organization(org_slug))] if role and org_slug else []
            user = accounts.create_user(SystemActor("cli"), username=username, email=email.lower(),
                                        full_name=full_name, password=password, roles=roles)
    except DomainError as err:  # rolled back
        raise click.ClickException(err.message) from err
    click.echo(f"Pengguna {user.username} dibuat" + (f" dengan peran {role} di {org_slug}." if role else "."))


@main.group("token")
def token_group() -> None:
    """Personal API tokens."""


@token_group.command("create")
@click.option("--user", "username", required=True, help="Username of the token's owner.")
@click.option("--name", required=True, help="What the token is for, e.g. 'Skrip unggah Dinkes'.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True,
              help="read: read the owner's account and workspace; write: change them too.")
@with_appcontext
def token_create(username: str, name: str, scope: str) -> None:
    """Create an API token for a user and print it, alone on the last line (like CKAN's
    ``ckan user token add``): it is shown this once, only its hash is stored. Audited."""
    from satudata.accounts import services as accounts
    from satudata.authz import SystemActor
    from satudata.errors import DomainError

    try:
        with unit_of_work():
            user = accounts.get_user_by_username(username)
            if not user.active:
                raise click.ClickException(f"Pengguna {user.username} tidak aktif; aktifkan dulu akunnya.")
            token, secret = accounts.create_api_token(SystemActor("cli"), user, name, scope)
    except DomainError as err:  # rolled back
        raise click.ClickException(err.message) from err
    click.echo(f"Token API \"{token.name}\" ({token.scope}) dibuat untuk {user.username}; simpan sekarang, "
               "token ini tidak akan ditampilkan lagi:")
    click.echo(secret)


@main.group("demo")
def demo_group() -> None:
    """Demo data."""


@demo_group.command("load")
@click.option("--force", is_flag=True, help="Load even if the database already has datasets.")
@with_appcontext
def demo_load(force: bool) -> None:
    """Load the demo organisations, users and datasets (upgrade the database first)."""
    from satudata.demo import has_data, load_demo

    if has_data() and not force:
        raise click.ClickException("Basis data sudah berisi data; gunakan --force untuk tetap memuat.")
    if current_app.config.get("PPID_SIGNING_DEMO") is None:
        current_app.config["PPID_SIGNING_DEMO"] = True  # as `run --demo`: demo notices, demo certificate
    stats = load_demo(progress=True)
    click.echo(f"Data demo dimuat: {stats}")


from satudata.cli.run import run_command  # noqa: E402  (listed here; satudata.cli.main runs it without Flask)
from satudata.datastore.cli import data_group  # noqa: E402
from satudata.harvest.cli import harvest_group  # noqa: E402
from satudata.ppid.cli import ppid_group  # noqa: E402
from satudata.search.cli import search_group  # noqa: E402  (commands are added after main exists)
from satudata.validation.cli import infer_command, validate_command  # noqa: E402

main.add_command(run_command)
main.add_command(search_group)
main.add_command(data_group)
main.add_command(harvest_group)
main.add_command(validate_command)
main.add_command(infer_command)
main.add_command(ppid_group)


@main.group("standards")
def standards_group() -> None:
    """The regional data-standards library (Table Schemas)."""


@standards_group.command("sync")
@with_appcontext
def standards_sync() -> None:
    """Add the files of schemas/ that are new or changed as versions of the library."""
    from satudata.validation.services import sync_builtin_schemas

    with unit_of_work():
        added = sync_builtin_schemas()
    click.echo(f"{added} versi standar data ditambahkan." if added else "Pustaka standar data sudah mutakhir.")
