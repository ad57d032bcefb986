"""`satudata token create` makes an API token for a user, as CKAN's `ckan user token add` does:
the token alone on the last line, audited; a clear error and a failing exit code otherwise."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from satudata.accounts import services as accounts
from satudata.accounts.models import ApiToken, AuditLog, TokenScope
from satudata.cli.commands import main, token_group
from satudata.extensions import db
from tests.accounts.conftest import PASSWORD
from tests.factories import SYSTEM


def _user(username: str = "budi", active: bool = True) -> Any:
    user = accounts.create_user(SYSTEM, username=username, email=f"{username}@riau.go.id", full_name="Budi",
                                password=PASSWORD)
    user.active = active
    db.session.commit()
    return user


def test_creates_an_audited_token_printed_alone_on_the_last_line(app: Any, db: Any) -> None:
    user = _user()
    result = app.test_cli_runner().invoke(token_group, ["create", "--user", "budi", "--name", "Skrip unggah Dinkes",
                                                        "--scope", "write"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    secret = lines[-1]
    assert " " not in secret and "budi" in lines[0]
    found = accounts.authenticate_token(secret)
    assert found is not None and found[0].id == user.id
    token = found[1]
    assert (token.name, token.scope) == ("Skrip unggah Dinkes", TokenScope.WRITE)
    row = db.session.scalars(select(AuditLog).where(AuditLog.action == "token.create")).one()
    assert (row.actor_label, row.object_id, row.summary["scope"]) == ("system:cli", str(token.id), "write")
    assert secret not in str(row.summary)  # only its hash is kept anywhere


def test_read_is_the_default_scope(app: Any, db: Any) -> None:
    _user()
    result = app.test_cli_runner().invoke(main, ["token", "create", "--user", "budi", "--name", "Baca saja"])
    assert result.exit_code == 0, result.output
    token = db.session.scalars(select(ApiToken)).one()
    assert token.scope == TokenScope.READ


def test_clear_errors_and_a_failing_exit_code(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(token_group, ["create", "--user", "tidak.ada", "--name", "x"])
    assert result.exit_code == 1 and 'Pengguna "tidak.ada" tidak ditemukan.' in result.output
    _user("nonaktif", active=False)
    result = runner.invoke(token_group, ["create", "--user", "nonaktif", "--name", "x"])
    assert result.exit_code == 1 and "tidak aktif" in result.output
    _user()
    result = runner.invoke(token_group, ["create", "--user", "budi", "--name", "   "])
    assert result.exit_code == 1 and "Beri nama token" in result.output
    result = runner.invoke(token_group, ["create", "--user", "budi", "--name", "x", "--scope", "admin"])
    assert result.exit_code == 2
    result = runner.invoke(token_group, ["create", "--name", "x"])
    assert result.exit_code == 2 and "--user" in result.output
    db.session.rollback()
    assert db.session.scalars(select(ApiToken)).all() == []
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "token.create")).all() == []
