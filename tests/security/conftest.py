"""Security regression suite (issue #16): one test per finding of the outside attack, each
shown to fail before its fix. The accounts fixtures (one user per role, tokens) are shared."""

from tests.accounts.conftest import orgs, tokens, users  # noqa: F401
