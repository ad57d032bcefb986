"""Accounts: organisations (OPD), users, memberships with roles, and the audit log."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Give the kernel what belongs to accounts: the session user loader of Flask-Login and the
    writer of ``access.denied`` audit rows (the kernel imports no domain, so it is told)."""
    from satudata import errors
    from satudata.accounts.services import audit, load_session_user
    from satudata.extensions import login

    login.user_loader(load_session_user)
    errors.record_denials_with(audit)
