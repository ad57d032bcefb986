"""Authorisation cannot be forgotten: every mutating service starts with require(), and every
mutating route authenticates its caller. Also: nothing but config.py reads the environment."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "satudata"
MUTATING = re.compile(
    r"^(create|update|delete|add|remove|publish|withdraw|submit|approve|reject|assign|revoke|change|set|"
    r"deactivate|activate|edit|upload|replace|register|answer|decide|route|extend|close|cancel|import|run)_"
)

# Mutating services that are authorised by something other than an actor, and why.
NO_ACTOR = {
    "satudata.accounts.services.authenticate": "the credentials are the authority",
    "satudata.accounts.services.request_password_reset": "anyone may ask; the mail goes only to the owner",
    "satudata.accounts.services.reset_password": "the signed single-use token is the authority",
    "satudata.accounts.services.authenticate_token": "the token is the authority",
    "satudata.accounts.services.queue_mail": "internal: called by services that already required",
    "satudata.catalog.services.record_download": "a public counter, not a change of data",
    "satudata.catalog.services.get_or_create_tags": "internal: called by services that already required",
}

# Routes that change state without a signed-in user, and why.
PUBLIC_MUTATIONS = {
    "accounts.login": "signing in",
    "accounts.logout": "signing out ends the caller's own session",
    "accounts.forgot_password": "asking for a reset mail (rate limited)",
    "accounts.reset_password": "the signed token is the authority (rate limited)",
}
READ_ONLY_POST_BLUEPRINTS = {"ckan"}  # CKAN clients POST their read actions
AUTH_CALLS = ("require(", "admin(", "api_actor(TokenScope.WRITE)", "signed_in()")


def _service_modules() -> list[Path]:
    return sorted(PACKAGE.glob("*/services.py"))


def _functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


@pytest.mark.parametrize("path", _service_modules(), ids=lambda p: p.parent.name)
def test_mutating_services_require_permission(path):
    module = "satudata." + path.parent.name + ".services"
    missing = []
    for fn in _functions(path):
        name = f"{module}.{fn.name}"
        if not MUTATING.match(fn.name) or name in NO_ACTOR:
            continue
        first_calls = [ast.unparse(s) for s in fn.body[:3]]
        if not any("require(" in c for c in first_calls):
            missing.append(fn.name)
    assert not missing, f"{module}: mutating services without require() at the start: {missing}"


def test_allowlists_name_real_functions():
    import importlib

    for dotted in NO_ACTOR:
        module, _, name = dotted.rpartition(".")
        assert hasattr(importlib.import_module(module), name), dotted


def test_mutating_routes_authenticate(app):
    offenders = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}
        if not methods or rule.endpoint in PUBLIC_MUTATIONS or rule.endpoint == "static":
            continue
        if rule.endpoint.split(".")[0] in READ_ONLY_POST_BLUEPRINTS:
            continue
        source = inspect.getsource(app.view_functions[rule.endpoint])
        if not any(call in source for call in AUTH_CALLS):
            offenders.append(f"{rule.endpoint} {sorted(methods)} {rule.rule}")
    assert not offenders, "mutating routes that never check who is calling:\n" + "\n".join(offenders)
    for endpoint in PUBLIC_MUTATIONS:
        assert endpoint in app.view_functions, endpoint


def test_only_config_reads_environment():
    hits = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "config.py" and "migrations" not in p.parts
        and re.search(r"os\.environ|os\.getenv", p.read_text())
    ]
    assert hits == []


def test_no_legacy_query_api():
    hits = [str(p) for p in PACKAGE.rglob("*.py") if re.search(r"\.query\.(filter|get|all|first)", p.read_text())]
    assert hits == []
