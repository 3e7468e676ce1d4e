"""The import direction is entry points -> use cases -> adapters -> domain, never
back (docs/design.md, "Layers"). A module's layer is the folder it is in, so a
new file lands in its layer without a list to edit:

    feedback/domain/     rules as plain Python
    feedback/adapters/   storage (every SQL statement), providers, Redis, renderers
    feedback/usecases/   what a person or a command asks for, one function each
    feedback/web/        the web layer: views/ (entry points) and the request's wiring
    feedback/cli/        the flask commands (entry points)

feedback/__init__.py (the app factory) and feedback/config.py wire them together."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "feedback"
# Innermost first: a layer may import the layers before it, never one after it.
LAYERS = ["domain", "adapters", "usecases", "web", "cli"]
ENTRY_POINTS = ["web/views", "cli"]
FRAMEWORK = {"flask", "flask_wtf", "flask_babel", "werkzeug"}
DRIVERS = {"sqlite_utils", "sqlite3", "psycopg", "psycopg_pool", "redis"}
PROVIDERS = {"sendgrid", "twilio", "notifications_python_client", "requests", "authlib"}
# Storage: an entry point reaches it only through a use case. The one name it may use:
# the CLI turns a database that cannot be opened into a plain message, not a traceback.
STORAGE = "feedback.adapters.store"
ALLOWED_STORAGE = {"cli/__init__.py": {"feedback.adapters.store.DatabaseFault"}}


# An SQL statement in a string, its keywords in capitals as the store writes them.
SQL_STATEMENT = re.compile(
    r"\bSELECT\b.*?\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b|\bPRAGMA\s+\w",
    re.DOTALL)


# Redis driven through a client handed in, which no import shows: its commands by
# name, and a Lua script's redis.call. Commands whose names mean other things too
# (get, set, delete, exists) are left out; those above catch any real use.
REDIS_COMMANDS = {"hgetall", "hget", "hset", "hdel", "expire", "incr", "decr", "pipeline",
                  "register_script", "evalsha", "scan_iter", "ping"}
REDIS_SCRIPT = re.compile(r"\bredis\.call\(")


def layer_of(path):
    return path.relative_to(PACKAGE).parts[0] if path.parent != PACKAGE else None


def modules(folder):
    return sorted((PACKAGE / folder).rglob("*.py"))


def later_layers(layer):
    return {f"feedback.{name}" for name in LAYERS[LAYERS.index(layer) + 1:]}


FORBIDDEN = {
    "domain": {*FRAMEWORK, *DRIVERS, *PROVIDERS, *later_layers("domain")},
    "adapters": {*FRAMEWORK, *later_layers("adapters")},
    "usecases": {*FRAMEWORK, *DRIVERS, *PROVIDERS, *later_layers("usecases")},
    # The web layer and the CLI are both outermost: neither imports the other.
    "web": {"feedback.cli"},
    "cli": {"feedback.web.views"},
}


def imports(path):
    """Every module imported, and every name imported from one, dotted."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def bound(path):
    """What the imports bind: `from feedback.adapters.store import DatabaseFault` binds
    that name, not the whole of feedback.adapters.store."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def strings(path):
    """Every string literal; an f-string as its fixed parts around {}, so a statement
    built with one is still seen whole."""
    tree = ast.parse(path.read_text(), filename=str(path))
    parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield "".join(part.value if isinstance(part, ast.Constant) else "{}"
                          for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                id(node) not in parts):
            yield node.value


def sql_statements(path):
    return [text for text in strings(path) if SQL_STATEMENT.search(text)]


def redis_used(path):
    """Redis commands named (called or passed on) and Lua scripts written."""
    tree = ast.parse(path.read_text(), filename=str(path))
    named = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    scripts = ["redis.call" for text in strings(path) if REDIS_SCRIPT.search(text)]
    return sorted(named & REDIS_COMMANDS) + scripts


def _under(name, forbidden):
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def offending(path, forbidden):
    return sorted({name for name in imports(path) if _under(name, forbidden)})


def storage_used(path):
    allowed = ALLOWED_STORAGE.get(path.relative_to(PACKAGE).as_posix(), set())
    return sorted({name for name in bound(path) if _under(name, {STORAGE})} - allowed)


def _id(path):
    return path.relative_to(PACKAGE).as_posix()


LAYERED = [path for layer in LAYERS for path in modules(layer)]
EVERY_MODULE = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", LAYERED, ids=_id)
def test_a_module_imports_no_later_layer_and_only_the_libraries_its_layer_may(path):
    assert offending(path, FORBIDDEN[layer_of(path)]) == []


@pytest.mark.parametrize("path", [p for folder in ENTRY_POINTS for p in modules(folder)],
                         ids=_id)
def test_views_and_commands_reach_storage_only_through_use_cases(path):
    assert storage_used(path) == []


@pytest.mark.parametrize(
    "path", [p for p in EVERY_MODULE if not p.is_relative_to(PACKAGE / "adapters")], ids=_id)
def test_only_adapters_import_a_database_or_redis_driver(path):
    """The web layer, the CLI and the wiring too: they name a driver's faults through
    the adapters (store.STORAGE_FAULTS, ratelimit.REDIS_FAULTS)."""
    assert offending(path, DRIVERS) == []


@pytest.mark.parametrize(
    "path", [p for p in EVERY_MODULE if not p.is_relative_to(PACKAGE / "adapters")], ids=_id)
def test_only_adapters_send_redis_commands(path):
    """Not importing the driver is not enough: the web layer once kept the staff
    sessions' Redis hashes and script with the client create_app handed it."""
    assert redis_used(path) == []


@pytest.mark.parametrize(
    "path", [p for p in EVERY_MODULE if not p.is_relative_to(PACKAGE / "adapters" / "store")],
    ids=_id)
def test_every_sql_statement_is_in_the_store(path):
    assert sql_statements(path) == []


def test_nothing_imports_a_view_module_except_the_app_factory():
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "__init__.py":
            continue  # create_app registers the blueprints
        if path.is_relative_to(PACKAGE / "web" / "views"):
            continue
        assert offending(path, {"feedback.web.views"}) == [], path


def test_every_module_is_in_a_layer_but_the_wiring():
    loose = {path.name for path in PACKAGE.glob("*.py")}
    folders = {path.name for path in PACKAGE.iterdir()
               if path.is_dir() and (path / "__init__.py").exists()}
    assert loose == {"__init__.py", "config.py"}
    assert folders == set(LAYERS)


def test_the_layers_test_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "links.py"
    bad.write_text("from flask import request\nimport sqlite_utils\n"
                   "from feedback.usecases import sending\n")
    assert offending(bad, FORBIDDEN["domain"]) == [
        "feedback.usecases", "feedback.usecases.sending", "flask", "flask.request",
        "sqlite_utils"]


def test_the_layers_test_catches_a_view_using_storage(tmp_path):
    bad = tmp_path / "officer.py"
    bad.write_text("from feedback.adapters.store import links\n"
                   "from feedback.adapters import store\n"
                   "from feedback.adapters.store import DatabaseFault\n"
                   "import feedback.adapters.store.audit\n")
    assert sorted(name for name in bound(bad) if _under(name, {STORAGE})) == [
        "feedback.adapters.store", "feedback.adapters.store.DatabaseFault",
        "feedback.adapters.store.audit", "feedback.adapters.store.links"]


def test_the_layers_test_catches_a_driver_and_sql_outside_the_store(tmp_path):
    bad = tmp_path / "sessions.py"
    bad.write_text(
        "import redis\nfrom psycopg import errors\nimport feedback.adapters.ratelimit\n"
        "def counters(db, column):\n"
        "    db.execute('SELECT count(*)'\n               ' FROM rate_limits WHERE key = ?')\n"
        "    db.execute(f'UPDATE users SET {column} = ?')\n"
        "    db.execute(\"\"\"DELETE FROM sessions\"\"\")\n"
        "    db.execute('INSERT INTO audit_log (action) VALUES (?)')\n"
        "    db.execute('CREATE UNIQUE INDEX one ON links (id)')\n"
        "    return 'Select a team from the list', 'Update the settings', 'Deleted'\n")
    assert offending(bad, DRIVERS) == ["psycopg", "psycopg.errors", "redis"]
    assert redis_used(bad) == []
    assert sql_statements(bad) == [
        "SELECT count(*) FROM rate_limits WHERE key = ?", "UPDATE users SET {} = ?",
        "DELETE FROM sessions", "INSERT INTO audit_log (action) VALUES (?)",
        "CREATE UNIQUE INDEX one ON links (id)"]


def test_the_layers_test_catches_redis_driven_without_an_import(tmp_path):
    bad = tmp_path / "sessions.py"
    bad.write_text(
        "TOUCH = \"if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end\"\n"
        "class Sessions:\n"
        "    def __init__(self, client):\n"
        "        self.client, self.touch = client, client.register_script(TOUCH)\n"
        "    def fetch(self, key):\n"
        "        return self._run(self.client.hgetall, key)\n"
        "    def save(self, key, data):\n"
        "        pipeline = self.client.pipeline()\n"
        "        pipeline.hset(key, mapping=data)\n"
        "        pipeline.expire(key, 60)\n"
        "        return pipeline.execute(), self.client.delete(key), {}.get(key)\n")
    assert offending(bad, DRIVERS) == []
    assert redis_used(bad) == [
        "expire", "hgetall", "hset", "pipeline", "register_script", "redis.call"]


def test_the_layers_are_found_without_being_listed():
    found = {layer: {path.stem for path in modules(layer)} for layer in LAYERS}
    assert {"links", "surveys", "disclosure", "kanon", "periods", "anonymise"} <= found["domain"]
    assert {"insights", "links", "accounts", "ratelimits", "postgres", "sqlite",
            "ratelimit", "redis_sessions"} <= found["adapters"]
    assert {"links", "sending", "responding", "reporting", "housekeeping",
            "staff"} <= found["usecases"]
    assert {"officer", "send", "respond", "trainer", "admin", "auth"} <= found["web"]


TESTS = Path(__file__).resolve().parent
# Tests mirror the layers; system/ starts real processes (gunicorn, LibreOffice, many
# threads) and browser/ drives Chromium.
TEST_FOLDERS = {*LAYERS, "system", "browser"}


def test_every_test_module_is_in_the_folder_of_the_layer_it_tests():
    loose = {path.name for path in TESTS.glob("test_*.py")} - {Path(__file__).name}
    folders = {path.parent.name for path in TESTS.rglob("test_*.py")} - {TESTS.name}
    assert loose == set()
    assert folders <= TEST_FOLDERS
