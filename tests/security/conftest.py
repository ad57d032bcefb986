"""Security regression suite (issue #16): one test per finding of the outside attack, each
shown to fail before its fix. The accounts fixtures (one user per role, tokens) are shared."""

import re

from flask.testing import FlaskClient

from tests.accounts.conftest import PASSWORD, orgs, tokens, users  # noqa: F401


def csrf(client: FlaskClient, path: str = "/masuk") -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    resp = client.post("/masuk", data={"login": username, "password": password, "csrf_token": csrf(client)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
