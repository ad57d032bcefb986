"""`satudata user create` makes the first admin on a fresh install."""

from sqlalchemy import select

from satudata.accounts.models import User
from satudata.cli import user_group
from tests.factories import make_org


def test_create_first_admin(app, db):
    make_org(slug="diskominfotik-riau")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(user_group, ["create", "--username", "admin", "--email", "Admin@Riau.go.id",
                                        "--name", "Admin Portal", "--role", "admin", "--org", "diskominfotik-riau",
                                        "--password", "kata-sandi-admin-1"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "admin"))
    assert user.email == "admin@riau.go.id" and user.is_admin


def test_clear_errors(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(user_group, ["create", "--username", "x", "--email", "x@riau.go.id", "--name", "X",
                                        "--role", "admin", "--org", "tidak-ada", "--password", "kata-sandi-admin-1"])
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    result = runner.invoke(user_group, ["create", "--username", "x", "--email", "x@riau.go.id", "--name", "X",
                                        "--password", "pendek"])
    assert result.exit_code == 1 and "minimal" in result.output
    result = runner.invoke(user_group, ["create", "--username", "x", "--email", "x@riau.go.id", "--name", "X",
                                        "--role", "admin", "--password", "kata-sandi-admin-1"])
    assert result.exit_code == 2
