"""The import direction is web -> adapters -> domain, never back (docs/design.md)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "feedback"
ADAPTERS = ["store", "insight_store", "delivery", "ratelimit", "audit", "account_store",
            "link_store"]
# The web layer, the use cases and the wiring around them. Every other module is
# domain, so a new file is held to the domain's rules unless it is listed here.
OUTER = ["__init__", "config", "web", "db", "sessions", "errors", "forms", "i18n",
         "logsafety", "cli", "demo", "reports", "views", "edge",
         "compression", "csrf_mask"]
MODULES = ({path.stem for path in PACKAGE.glob("*.py")}
           | {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()})
DOMAIN = sorted(MODULES - set(ADAPTERS) - set(OUTER))
FORBIDDEN_IN_DOMAIN = {"flask", "flask_wtf", "flask_babel", "werkzeug", "sqlite_utils",
                       "sqlite3", "sendgrid", "twilio", "notifications_python_client",
                       "requests", "feedback.views", "feedback.web",
                       *(f"feedback.{name}" for name in ADAPTERS + OUTER)}
FORBIDDEN_IN_ADAPTERS = {"flask", "flask_wtf", "flask_babel", "werkzeug", "feedback.views",
                         "feedback.web", "feedback.db", "feedback.sessions"}


def imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def offending(path, forbidden):
    return sorted({name for name in imports(path)
                   if any(name == f or name.startswith(f + ".") for f in forbidden)})


def modules(names):
    for name in names:
        folder = PACKAGE / name
        yield from (sorted(folder.glob("*.py")) if folder.is_dir() else
                    [p for p in [PACKAGE / f"{name}.py"] if p.exists()])


@pytest.mark.parametrize("path", list(modules(DOMAIN)), ids=lambda p: p.name)
def test_domain_module_imports_no_framework_storage_or_provider(path):
    assert offending(path, FORBIDDEN_IN_DOMAIN) == []


@pytest.mark.parametrize("path", list(modules(ADAPTERS)), ids=lambda p: p.name)
def test_adapter_module_imports_nothing_from_the_web_layer(path):
    assert offending(path, FORBIDDEN_IN_ADAPTERS) == []


def test_nothing_imports_a_view_module_except_the_app_factory():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py" and path.parent == PACKAGE:
            continue  # create_app registers the blueprints
        assert offending(path, {"feedback.views"}) == [], path


def test_the_layers_test_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "links.py"
    bad.write_text("from flask import request\nimport sqlite_utils\n")
    assert offending(bad, FORBIDDEN_IN_DOMAIN) == ["flask", "flask.request", "sqlite_utils"]


def test_the_domain_is_found_without_being_listed():
    assert {"links", "surveys", "disclosure", "kanon", "periods", "redaction"} <= set(DOMAIN)
    assert not set(DOMAIN) & {"store", "web", "reports"}
