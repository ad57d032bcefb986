"""Accounts: organisations (OPD), users, memberships with roles, and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Flask


def init_app(app: Flask) -> None:
    """Give the kernel what belongs to accounts: the session user loader of Flask-Login and the
    writer of ``access.denied`` audit rows (the kernel imports no domain, so it is told)."""
    from satudata import errors
    from satudata.accounts.services import audit, load_session_user
    from satudata.extensions import login

    login.user_loader(load_session_user)
    errors.record_denials_with(audit)

    @app.context_processor
    def _notifications() -> dict[str, Any]:
        return {"unread_notifications": _unread_notifications}


def _unread_notifications() -> int:
    """The signed-in user's unread notifications (the header badge); asked only by pages that
    show the signed-in header."""
    from flask_login import current_user

    from satudata.accounts.services import unread_notifications

    if not getattr(current_user, "is_authenticated", False):
        return 0
    return unread_notifications(current_user._get_current_object())
