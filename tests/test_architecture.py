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
    "satudata.ppid.services.withdraw_objection": "the tracking code is the authority (ppid.policy.ApplicantActor; "
                                                 "transitions.apply_objection requires it)",
    "satudata.accounts.services.request_password_reset": "anyone may ask; the mail goes only to the owner",
    "satudata.accounts.services.reset_password": "the signed single-use token is the authority",
    "satudata.accounts.services.authenticate_token": "the token is the authority",
    "satudata.accounts.services.queue_mail": "internal: called by services that already required",
    "satudata.catalog.services.catalogue.record_download": "a public counter, not a change of data",
    "satudata.catalog.services.catalogue.get_or_create_tags": "internal: called by services that already required",
    "satudata.catalog.services.revisions.delete_revision": "internal: only the review moves that end a revision "
                                                           "(publish_revision, discard_revision) call it, after require()",
}

# Routes that change state without a signed-in user, and why.
PUBLIC_MUTATIONS = {
    "accounts.login": "signing in",
    "accounts.logout": "signing out ends the caller's own session",
    "accounts.forgot_password": "asking for a reset mail (rate limited)",
    "accounts.reset_password": "the signed token is the authority (rate limited)",
    "ppid.new_request": "anyone may ask for public information, without an account (UU 14/2008; rate limited)",
    "ppid_api.file_request": "the same request through the API (rate limited)",
    "ppid.track_withdraw": "the request's tracking code is the authority (ppid.policy.ApplicantActor)",
    "ppid.track_objection": "the request's tracking code is the authority (ppid.policy.ApplicantActor)",
    "ppid.track_objection_withdraw": "the request's tracking code is the authority",
    "ppid_notices.verify": "anyone may check a PPID document; the POST changes nothing (rate limited)",
    "usulan.new": "anyone may suggest a dataset, without an account (rate limited, honeypot; abusive text held)",
    "usulan.support": "anyone may support a suggestion once per browser, without an account (rate limited)",
}
READ_ONLY_POST_BLUEPRINTS = {"ckan"}  # CKAN clients POST their read actions
AUTH_CALLS = ("require(", "admin(", "api_actor(TokenScope.WRITE)", "signed_in()", "ppid_officer()", "ppid_atasan()")


def _service_modules() -> list[Path]:
    """Every service module: ``<domain>/services.py`` and each module of a ``services/`` package."""
    return sorted([*PACKAGE.rglob("services.py"), *PACKAGE.rglob("services/*.py")])


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


@pytest.mark.nodb
def test_service_modules_include_packages():
    modules = {_module_name(p) for p in _service_modules()}
    assert {"satudata.accounts.services", "satudata.catalog.services.catalogue",
            "satudata.catalog.services.workspace"} <= modules


@pytest.mark.nodb
@pytest.mark.parametrize("path", _service_modules(), ids=_module_name)
def test_mutating_services_require_permission(path):
    module = _module_name(path)
    missing = []
    for fn in _functions(path):
        name = f"{module}.{fn.name}"
        if not MUTATING.match(fn.name) or name in NO_ACTOR:
            continue
        first_calls = [ast.unparse(s) for s in fn.body[:3]]
        if not any("require(" in c for c in first_calls):
            missing.append(fn.name)
    assert not missing, f"{module}: mutating services without require() at the start: {missing}"


@pytest.mark.nodb
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


@pytest.mark.nodb
def test_only_config_reads_environment():
    hits = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "config.py" and "migrations" not in p.parts
        and re.search(r"os\.environ|os\.getenv", p.read_text())
    ]
    assert hits == []


@pytest.mark.nodb
def test_no_legacy_query_api():
    hits = [str(p) for p in PACKAGE.rglob("*.py") if re.search(r"\.query\.(filter|get|all|first)", p.read_text())]
    assert hits == []


# --------------------------------------------------------------------------- dependencies point one way

# The layers, lowest first (docs/architecture.md, DESIGN.md §2). A module may import its own
# layer and the ones below it, never one above; the kernel imports no domain. The app factory
# (``satudata/__init__.py``), the CLI and the demo loader sit on top and may import anything.
KERNEL = "kernel"
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    (KERNEL, frozenset({"config", "db", "extensions", "authz", "errors", "jobs", "security", "templating", "limits",
                        "search_limits", "version", "reference", "tabular", "rest", "migrations", "portal",
                        "generations"})),
    ("accounts", frozenset({"accounts"})),
    ("catalog", frozenset({"catalog"})),
    ("validation", frozenset({"validation"})),
    ("review", frozenset({"review"})),
    ("datastore", frozenset({"datastore"})),
    ("search", frozenset({"search"})),
    ("harvest", frozenset({"harvest"})),
    ("ppid", frozenset({"ppid"})),
    ("usulan", frozenset({"usulan"})),
    ("kinerja", frozenset({"kinerja"})),
    ("api", frozenset({"api"})),
    ("app", frozenset({"", "cli", "demo", "server"})),  # "" is satudata/__init__.py
)


def _modules(package: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(package: Path) -> list[tuple[str, str, Path, int]]:
    """Every import between modules of ``package`` (function-level and TYPE_CHECKING ones too):
    ``(importer, imported, file, line)``. ``from a import b`` counts as importing ``a.b`` when
    that is a module, else ``a``."""
    modules = _modules(package)
    root = package.name
    edges = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                           for alias in node.names]
            for target in targets:
                if target != root and not target.startswith(root + "."):
                    continue
                while target not in modules:  # ``import a.b.c`` of a name inside a module
                    target = target.rpartition(".")[0]
                if target != name:
                    edges.append((name, target, path.relative_to(package.parent), node.lineno))
    return edges


def _layer(module: str) -> int:
    unit = module.split(".")[1] if "." in module else ""
    for rank, (_, members) in enumerate(LAYERS):
        if unit in members:
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS and docs/architecture.md")


def _where(path: Path, line: int) -> str:
    return f"{path}:{line}"


def upward_imports(package: Path) -> list[str]:
    return [f"{_where(path, line)}: {src} ({LAYERS[_layer(src)][0]}) imports {dst} ({LAYERS[_layer(dst)][0]})"
            for src, dst, path, line in _imports(package) if _layer(dst) > _layer(src)]


def kernel_imports_of_domains(package: Path) -> list[str]:
    return [f"{_where(path, line)}: kernel module {src} imports {dst}"
            for src, dst, path, line in _imports(package) if _layer(src) == 0 and _layer(dst) != 0]


def import_cycles(package: Path) -> list[str]:
    """Each cycle of the module graph, as its imports (file:line) in order."""
    graph: dict[str, dict[str, tuple[Path, int]]] = {}
    for src, dst, path, line in _imports(package):
        graph.setdefault(src, {}).setdefault(dst, (path, line))
    cycles, done = [], set()
    for start in sorted(graph):
        # The shortest way back to ``start``, if there is one (breadth first).
        back: dict[str, str] = {}
        frontier = [start]
        while frontier and start not in back:
            following = []
            for node in frontier:
                for nxt in sorted(graph.get(node, {})):
                    if nxt not in back:
                        back[nxt] = node
                        following.append(nxt)
            frontier = following
        if start not in back:
            continue
        path_nodes = [start]
        while back[path_nodes[-1]] != start:
            path_nodes.append(back[path_nodes[-1]])
        ring = [start, *reversed(path_nodes[1:]), start]
        key = frozenset(ring)
        if key in done:
            continue
        done.add(key)
        cycles.append(" -> ".join(f"{a} ({_where(*graph[a][b])})" for a, b in zip(ring, ring[1:], strict=False))
                      + f" -> {start}")
    return cycles


@pytest.mark.nodb
def test_every_module_has_a_layer():
    for module in _modules(PACKAGE):
        _layer(module)


@pytest.mark.nodb
def test_no_import_against_the_order():
    offenders = upward_imports(PACKAGE)
    assert not offenders, "imports of a higher layer (send a signal or move the code):\n" + "\n".join(offenders)


@pytest.mark.nodb
def test_kernel_imports_no_domain():
    offenders = kernel_imports_of_domains(PACKAGE)
    assert not offenders, "the kernel imports no domain (let the domain register a hook):\n" + "\n".join(offenders)


@pytest.mark.nodb
def test_no_import_cycles():
    cycles = import_cycles(PACKAGE)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.nodb
def test_the_import_checks_catch_violations(tmp_path):
    """The checks on a planted package: an upward import inside a function, a kernel module
    importing a domain, and a cycle (``from . import`` included)."""
    package = tmp_path / "satudata"
    for folder in ("catalog", "search"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text("from satudata.catalog import models\n")
    (package / "catalog" / "models.py").write_text("def f():\n    from satudata.search import services\n")
    (package / "search" / "services.py").write_text("from . import documents\n")
    (package / "search" / "documents.py").write_text("import satudata.search.services\n")
    assert upward_imports(package) == [
        "satudata/catalog/models.py:2: satudata.catalog.models (catalog) imports satudata.search.services (search)",
        "satudata/errors.py:1: satudata.errors (kernel) imports satudata.catalog.models (catalog)",
    ]
    assert kernel_imports_of_domains(package) == [
        "satudata/errors.py:1: kernel module satudata.errors imports satudata.catalog.models"]
    assert import_cycles(package) == [
        "satudata.search.documents (satudata/search/documents.py:1) -> satudata.search.services "
        "(satudata/search/services.py:1) -> satudata.search.documents"]


# --------------------------------------------------------------------------- one unit of work

# Who may commit the database (DESIGN.md §2, docs/architecture.md "One unit of work"): the
# kernel's unit-of-work owners (``db.unit_of_work`` and ``db.write_apart``, ``jobs.checkpoint``,
# the error path's ``access.denied`` row in ``errors``) and the app layer (the CLI commands and
# the demo loader, each in a unit of work). Services flush; views and tasks never commit. There
# is no exceptions list.
COMMIT_OWNERS = ("db.py", "jobs.py", "errors.py", "cli.py", "demo/")
# What a database commit is called on: a session (``db.session``, ``db.session()``, a name bound
# to one), a connection or a transaction. A search index writer's ``commit()`` is not one.
_DATABASE_RECEIVER = re.compile(r"(^|_)(session|sess|conn|connection|transaction|trans|tx|engine)$", re.I)


def _receiver(call: ast.Call) -> str:
    """The last name of what ``call`` (``x.commit()``) is called on: ``db.session().commit()``
    and ``db.session.commit()`` give ``session``."""
    target = call.func.value if isinstance(call.func, ast.Attribute) else call.func
    if isinstance(target, ast.Call):
        target = target.func
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _session_aliases(tree: ast.AST) -> set[str]:
    """Names bound to a session, connection or transaction in a module (``s = db.session``,
    ``with engine.connect() as c``), so ``s.commit()`` counts as a commit too."""
    aliases: set[str] = set()
    for node in ast.walk(tree):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(target, node.value) for target in node.targets]
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs = [(node.target, node.value)]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            pairs = [(node.optional_vars, node.context_expr)]
        for target, value in pairs:
            source = ast.unparse(value)
            if isinstance(target, ast.Name) and re.search(r"session|Session\(|engine|\.connect\(|\.begin\(", source):
                aliases.add(target.id)
    return aliases


def commits_in(source: str) -> list[tuple[int, str]]:
    """The database commits in a module's source: ``(line, code)`` of every ``.commit()`` on a
    session, connection or transaction, and every ``.begin()`` on an engine, session or
    connection (its block commits when it ends; ``begin_nested()`` is a savepoint, not a commit)."""
    tree = ast.parse(source)
    aliases = _session_aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "begin")):
            continue
        receiver = _receiver(node)
        if _DATABASE_RECEIVER.search(receiver) or receiver in aliases:
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def _may_commit(relative: Path) -> bool:
    text = relative.as_posix()
    return any(text == owner or (owner.endswith("/") and text.startswith(owner)) for owner in COMMIT_OWNERS)


def stray_commits(package: Path) -> list[str]:
    """``file:line: code`` of every database commit outside the unit-of-work owners."""
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if _may_commit(path.relative_to(package)):
            continue
        for line, code in commits_in(path.read_text()):
            offenders.append(f"{path.relative_to(package.parent)}:{line}: {code}")
    return offenders


@pytest.mark.nodb
def test_only_the_unit_of_work_commits():
    offenders = stray_commits(PACKAGE)
    assert not offenders, ("commits outside the unit of work (services flush; the request or job commits; "
                           "see docs/architecture.md):\n" + "\n".join(offenders))


@pytest.mark.nodb
def test_the_commit_check_catches_violations(tmp_path):
    """The check on a planted package: commits in a service, a view (through an alias) and a
    task (an engine's ``begin()`` block) are named; the owners' commits, a savepoint and a search
    index writer's ``commit()`` are not."""
    package = tmp_path / "satudata"
    for folder in ("catalog", "review", "validation", "search", "demo"):
        (package / folder).mkdir(parents=True)
    planted = {
        "catalog/services.py": "def publish(d):\n    d.state = 'published'\n    db.session.commit()\n",
        "review/views.py": "def view():\n    s = db.session\n    s.add(1)\n    s.commit()\n",
        "validation/tasks.py": "def job():\n    with db.engine.begin() as conn:\n        conn.execute(q)\n",
        "search/views.py": "def f():\n    db.session().commit()\n    with db.session.begin_nested():\n        pass\n",
        "search/embedded.py": "def index(writer):\n    writer.commit()\n",
        "db.py": "def unit_of_work():\n    session().commit()\n",
        "jobs.py": "def checkpoint():\n    db.session.commit()\n",
        "cli.py": "def command():\n    db.session.commit()\n",
        "demo/__init__.py": "def load():\n    db.session.commit()\n",
    }
    for name, source in planted.items():
        (package / name).write_text(source)
    assert stray_commits(package) == [
        "satudata/catalog/services.py:3: db.session.commit()",
        "satudata/review/views.py:4: s.commit()",
        "satudata/search/views.py:2: db.session().commit()",
        "satudata/validation/tasks.py:2: db.engine.begin()",
    ]
    assert commits_in("def f(session):\n    session.commit()\n") == [(2, "session.commit()")]


# --------------------------------------------------------------------------- one lifecycle

# A dataset's state changes only through the transition table (``satudata/review/
# transitions.py``, DESIGN.md §5): outside ``satudata/review/`` nothing assigns ``.state``, no
# ``update(Dataset)`` / ``insert(Dataset)`` sets it, and a new ``Dataset(...)`` says
# ``state=DatasetState.DRAFT`` in its constructor (explicitly: then no ``**fields`` can carry
# another state, Python refuses the keyword twice). There is no exceptions list.
STATE_OWNER = "review/"
_DRAFT = "DatasetState.DRAFT"
_RAW_STATE_UPDATE = re.compile(r"\bupdate\s+\"?dataset\"?\s+set\b[^;]*\bstate\b", re.I | re.S)


def _is_dataset(node: ast.expr) -> bool:
    """``Dataset`` or ``Dataset.__table__`` (or ``models.Dataset``)."""
    if isinstance(node, ast.Attribute) and node.attr == "__table__":
        node = node.value
    return (isinstance(node, ast.Name) and node.id == "Dataset") or (
        isinstance(node, ast.Attribute) and node.attr == "Dataset")


def _statement_on_dataset(call: ast.Call) -> str | None:
    """``update``/``insert`` when the chain ``call`` ends (``.values(...)``) starts from
    ``update(Dataset)``, ``insert(Dataset)`` or ``Dataset.__table__.update()``."""
    node: ast.expr = call.func
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in ("update", "insert") and _is_dataset(node.value):
                return node.attr
            node = node.value
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("update", "insert") and node.args and _is_dataset(node.args[0]):
                return name
            node = node.func
        else:
            return None


def _sets_state(call: ast.Call) -> bool:
    """Whether ``.values(...)`` sets ``state``: ``state=``, ``{"state": ...}`` or ``{Dataset.state: ...}``."""
    if any(k.arg == "state" for k in call.keywords):
        return True
    for arg in call.args:
        if isinstance(arg, ast.Dict):
            for key in arg.keys:
                if isinstance(key, ast.Constant) and key.value == "state":
                    return True
                if isinstance(key, ast.Attribute) and key.attr == "state":
                    return True
    return False


def state_writes_in(source: str) -> list[tuple[int, str]]:
    """``(line, code)`` of every write of a dataset's state in a module's source."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        flat: list[ast.expr] = []
        while targets:
            target = targets.pop()
            if isinstance(target, ast.Tuple | ast.List):
                targets.extend(target.elts)
            else:
                flat.append(target)
        if any(isinstance(t, ast.Attribute) and t.attr == "state" for t in flat):
            found.append((node.lineno, ast.unparse(node)))
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _RAW_STATE_UPDATE.search(node.value):
            found.append((node.lineno, repr(node.value)[:80]))
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ("setattr", "set_committed_value", "set_attribute") and len(node.args) >= 2 \
                and isinstance(node.args[1], ast.Constant) and node.args[1].value == "state" or name == "values" and _statement_on_dataset(node) and _sets_state(node):
            found.append((node.lineno, ast.unparse(node)))
        elif _is_dataset(node.func):
            given = {k.arg: ast.unparse(k.value) for k in node.keywords if k.arg}
            if given.get("state") != _DRAFT:
                found.append((node.lineno, ast.unparse(node)[:120] + "  (a new Dataset says state=DatasetState.DRAFT)"))
    return sorted(found)


def state_writes(package: Path) -> list[str]:
    """``file:line: code`` of every write of a dataset's state outside ``satudata/review/``."""
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix().startswith((STATE_OWNER, PPID_STATE_OWNER)):
            continue
        for line, code in state_writes_in(path.read_text()):
            offenders.append(f"{path.relative_to(package.parent)}:{line}: {code}")
    return offenders


PPID_STATE_OWNER = "ppid/transitions.py"  # an information request's own transition table


@pytest.mark.nodb
def test_only_the_ppid_transition_table_changes_a_request_state():
    """``ppid/transitions.py`` is the one place an information request changes state (a new
    request is created registered by the filing service)."""
    offenders = []
    for path in sorted((PACKAGE / "ppid").rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() == PPID_STATE_OWNER:
            continue
        for line, code in state_writes_in(path.read_text()):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {code}")
    assert not offenders, "a request's state changes only through satudata/ppid/transitions.py:\n" + "\n".join(
        offenders)
    assert "set_committed_value(row, \"state\", target)" in (PACKAGE / PPID_STATE_OWNER).read_text()


@pytest.mark.nodb
def test_only_the_transition_table_changes_a_dataset_state():
    offenders = state_writes(PACKAGE)
    assert not offenders, ("a dataset's state changes only through satudata/review/transitions.py (call a "
                           "review service: submit, publish, withdraw, ...):\n" + "\n".join(offenders))


@pytest.mark.nodb
def test_the_state_check_catches_violations(tmp_path):
    """The check on a planted package: assignments (plain, in a tuple, through setattr), update
    statements (keyword, dict, on the table) and a constructor with another state or none are
    named; review's own writes, a draft constructor, reads and other models' ``values`` are not."""
    package = tmp_path / "satudata"
    for folder in ("catalog", "review", "search", "demo"):
        (package / folder).mkdir(parents=True)
    planted = {
        "catalog/services.py": (
            "def publish(d):\n"
            "    d.state = DatasetState.PUBLISHED\n"
            "    d.title, d.state = 't', 'published'\n"
            "    setattr(d, 'state', 'withdrawn')\n"
            "    db.session.execute(update(Dataset).where(Dataset.id == d.id).values(state='published'))\n"
            "    db.session.execute(sa.update(Dataset).values({Dataset.state: 'published'}))\n"
            "    Dataset.__table__.update().values({'state': 'draft'})\n"
            "    db.session.execute(text('UPDATE dataset SET state = :s'))\n"
        ),
        "demo/__init__.py": (
            "def load(org):\n"
            "    a = Dataset(slug='a', organization=org, state=DatasetState.DRAFT)\n"
            "    b = Dataset(slug='b', organization=org, state=DatasetState.PUBLISHED)\n"
            "    c = models.Dataset(slug='c', **fields)\n"
            "    if a.state == DatasetState.DRAFT:\n"
            "        db.session.execute(update(Resource).values(state='x', name='y'))\n"
            "    return DatasetSpec(state=DatasetState.PUBLISHED)\n"
        ),
        "review/transitions.py": (
            "def apply(d, target):\n"
            "    db.session.execute(update(Dataset).where(Dataset.state == d.state).values(state=target))\n"
            "    set_committed_value(d, 'state', target)\n"
        ),
        "search/documents.py": "def public(d):\n    return d.state == 'published'\n",
    }
    for name, source in planted.items():
        (package / name).write_text(source)
    found = state_writes(package)
    assert [entry.split(": ", 1)[0] for entry in found] == [
        f"satudata/catalog/services.py:{line}" for line in range(2, 9)
    ] + ["satudata/demo/__init__.py:3", "satudata/demo/__init__.py:4"], "\n".join(found)
    assert "state=DatasetState.DRAFT" in found[-1]
