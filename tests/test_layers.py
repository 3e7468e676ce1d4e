"""The import direction is entry points -> use cases -> adapters -> domain, never
back (docs/design.md, "Layers"). Modules are discovered, not listed: a new file
lands in the layer of the folder it is in, and a new top-level module is domain
unless its name is one of the roots listed here."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "feedback"
ADAPTERS = ["store", "insight_store", "delivery", "ratelimit", "audit", "account_store", "oidc",
            "link_store"]
USE_CASES = ["usecases"]
# The web layer, the CLI and the wiring around them (the app factory, settings,
# connections, sessions, error pages, forms, compression).
OUTER = ["__init__", "config", "web", "db", "sessions", "errors", "forms", "i18n",
         "logsafety", "cli", "demo", "views", "edge", "compression", "csrf_mask"]
# What a person or a command drives: each action calls a use case, never storage.
ENTRY_POINTS = ["views", "cli", "demo", "web"]
STORAGE = {f"feedback.{name}" for name in ("store", "insight_store", "link_store",
                                           "account_store", "audit")}
# The one storage name an entry point may use: the CLI turns a database that
# cannot be opened into a plain message rather than a traceback.
ALLOWED_STORAGE = {"cli.py": {"feedback.store.DatabaseFault"}}

MODULES = ({path.stem for path in PACKAGE.glob("*.py")}
           | {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()})
DOMAIN = sorted(MODULES - set(ADAPTERS) - set(USE_CASES) - set(OUTER))
FRAMEWORK = {"flask", "flask_wtf", "flask_babel", "werkzeug"}
FORBIDDEN_IN_DOMAIN = {*FRAMEWORK, "sqlite_utils", "sqlite3", "sendgrid", "twilio",
                       "notifications_python_client", "requests",
                       *(f"feedback.{name}" for name in ADAPTERS + USE_CASES + OUTER)}
FORBIDDEN_IN_ADAPTERS = {*FRAMEWORK, *(f"feedback.{name}" for name in USE_CASES + OUTER)}
# Use cases get the connection, settings, senders and the time as arguments.
FORBIDDEN_IN_USE_CASES = {*FRAMEWORK, *(f"feedback.{name}" for name in OUTER)}


def imports(path):
    """Every module imported, and every name imported from one, dotted."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def bound(path):
    """What the imports bind: `from feedback.store import DatabaseFault` binds
    feedback.store.DatabaseFault, not the whole of feedback.store."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _under(name, forbidden):
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def offending(path, forbidden):
    return sorted({name for name in imports(path) if _under(name, forbidden)})


def storage_used(path):
    allowed = ALLOWED_STORAGE.get(path.relative_to(PACKAGE).as_posix(), set())
    return sorted({name for name in bound(path) if _under(name, STORAGE)} - allowed)


def modules(names):
    for name in names:
        folder = PACKAGE / name
        yield from (sorted(folder.rglob("*.py")) if folder.is_dir() else
                    [p for p in [PACKAGE / f"{name}.py"] if p.exists()])


def _id(path):
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", list(modules(DOMAIN)), ids=_id)
def test_domain_module_imports_no_framework_storage_or_provider(path):
    assert offending(path, FORBIDDEN_IN_DOMAIN) == []


@pytest.mark.parametrize("path", list(modules(ADAPTERS)), ids=_id)
def test_adapter_module_imports_nothing_from_the_use_cases_or_the_web_layer(path):
    assert offending(path, FORBIDDEN_IN_ADAPTERS) == []


@pytest.mark.parametrize("path", list(modules(USE_CASES)), ids=_id)
def test_use_case_module_imports_no_framework_view_or_wiring(path):
    assert offending(path, FORBIDDEN_IN_USE_CASES) == []


@pytest.mark.parametrize("path", list(modules(ENTRY_POINTS)), ids=_id)
def test_views_and_commands_reach_storage_only_through_use_cases(path):
    assert storage_used(path) == []


def test_nothing_imports_a_view_module_except_the_app_factory():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py" and path.parent == PACKAGE:
            continue  # create_app registers the blueprints
        assert offending(path, {"feedback.views"}) == [], path


def test_the_layers_test_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "links.py"
    bad.write_text("from flask import request\nimport sqlite_utils\n")
    assert offending(bad, FORBIDDEN_IN_DOMAIN) == ["flask", "flask.request", "sqlite_utils"]


def test_the_layers_test_catches_a_view_using_storage(tmp_path):
    views = tmp_path / "views"
    views.mkdir()
    bad = views / "officer.py"
    bad.write_text("from feedback import link_store, store\n"
                   "from feedback.store import DatabaseFault\nimport feedback.audit\n")
    assert sorted(name for name in bound(bad) if _under(name, STORAGE)) == [
        "feedback.audit", "feedback.link_store", "feedback.store",
        "feedback.store.DatabaseFault"]


def test_the_layers_are_found_without_being_listed():
    assert {"links", "surveys", "disclosure", "kanon", "periods", "redaction"} <= set(DOMAIN)
    assert not set(DOMAIN) & {"store", "web", "usecases", "views"}
    found = {path.stem for path in modules(USE_CASES)}
    assert {"links", "sending", "responding", "reporting", "housekeeping", "staff"} <= found
    assert {path.stem for path in modules(["views"])} >= {"officer", "send", "respond",
                                                          "trainer", "admin", "auth"}
