"""The ``satudata`` command.

``main`` is the console script. The offline commands (``validate``, ``infer``) check a file and
need neither the web application nor the database: they run from here without importing
Flask, SQLAlchemy or any domain, since a portal validates thousands of small tables and
start-up is paid on every one (issue #14); so does ``run``, the supervisor, which holds nothing
but its children (issue #17). Every other command goes to the Flask command group
``satudata.cli.commands.main``, which builds the application. The groups of
``satudata.cli.commands`` are also reachable from here (``from satudata.cli import token_group``).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

OFFLINE = ("validate", "infer")


def main(argv: list[str] | None = None) -> Any:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in OFFLINE:
        from satudata.validation import cli

        command = cli.validate_command if args[0] == "validate" else cli.infer_command
        return command.main(args[1:], prog_name=f"satudata {args[0]}")
    if args and args[0] == "run":
        # The supervisor: it builds no application (satudata/cli/run.py).
        from satudata.cli.run import run_command

        return run_command.main(args[1:], prog_name="satudata run")
    from satudata.cli.commands import main as group

    return group.main(args, prog_name="satudata")


def __getattr__(name: str) -> Any:
    # import_module, not ``from satudata.cli import commands``: the latter asks this module for
    # the attribute first, which lands here again before the submodule is loaded.
    if name.startswith("__"):
        raise AttributeError(name)
    commands = importlib.import_module("satudata.cli.commands")
    try:
        return getattr(commands, name)
    except AttributeError:
        raise AttributeError(f"module 'satudata.cli' has no attribute {name!r}") from None
