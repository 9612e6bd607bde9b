"""The import rules of docs/architecture.md, read off the source: web -> services -> models and
cores; the cores import neither Flask nor SQLAlchemy; services never import web or jobs; nothing
imports upwards."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import signage

PACKAGE = Path(signage.__file__).parent

# Each part of the package, and the parts of the project it may import (itself always).
LEAVES = {"signage.problems", "signage.config", "signage.storage", "signage.resources"}
ALLOWED = {
    "signage.problems": set(),
    "signage.config": set(),
    "signage.storage": set(),
    "signage.resources": set(),
    "signage.rendering": {"signage.problems", "signage.resources"},
    "signage.scheduling": {"signage.problems"},
    "signage.db": {"signage.config"},
    "signage.locks": set(),
    "signage.runtime": {"signage.config", "signage.db", "signage.storage"},
    "signage.models": {"signage.scheduling", "signage.problems"},
    "signage.migrations": {"signage.models"},
    "signage.migrate": {"signage.models", "signage.resources"},
    "signage.services": LEAVES
    | {
        "signage.rendering",
        "signage.scheduling",
        "signage.models",
        "signage.db",
        "signage.locks",
        "signage.runtime",
    },
    "signage.wording": {"signage.problems"},
    "signage.jobs": LEAVES
    | {"signage.services", "signage.models", "signage.db", "signage.locks", "signage.runtime"},
    "signage.web": LEAVES | {"signage.services", "signage.wording", "signage.runtime"},
}
# The entry points (console script, app factory, WSGI, gunicorn settings) may import anything.
ENTRY_POINTS = {
    "signage",
    "signage.cli",
    "signage.quickstart",
    "signage.demo",
    "signage.bootstrap",
    "signage.wsgi",
    "signage.gunicorn_conf",
}
# Constants of the package root that any layer may read (they run nothing).
ROOT_CONSTANTS = {"signage.__version__"}
# Third-party packages that belong to one layer only.
FOREIGN = {
    "flask": {"signage.web"},
    "flask_babel": {"signage.web"},
    "flask_login": {"signage.web"},
    "flask_wtf": {"signage.web"},
    "flask_limiter": {"signage.web"},
    "werkzeug": {"signage.web"},
    "sqlalchemy": {
        "signage.db",
        "signage.locks",
        "signage.models",
        "signage.migrations",
        "signage.migrate",
        "signage.services",
        "signage.jobs",
    },
    "alembic": {"signage.migrations", "signage.migrate"},
    "click": set(),
    "apscheduler": {"signage.jobs"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _part(module: str) -> str:
    """The part of the package a module belongs to, e.g. signage.web.admin.x -> signage.web."""
    return ".".join(module.split(".")[:2])


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, with relative imports resolved, and ``from signage import
    x`` read as ``signage.x``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if base == "signage":
                found += [(node.lineno, f"signage.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, base))
    return found


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        part = _part(module)
        if module in ENTRY_POINTS or part in ENTRY_POINTS:
            continue
        assert part in ALLOWED, f"{module}: a part of the package the rules do not know"
        for line, target in _imports(path):
            where = f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
            top = target.split(".")[0]
            if target in ROOT_CONSTANTS:
                continue
            if top == "signage":
                target_part = _part(target)
                if target_part != part and target_part not in ALLOWED[part]:
                    problems.append(where)
            elif top in FOREIGN and part not in FOREIGN[top]:
                problems.append(where)
    return problems


def test_every_import_follows_the_layers():
    assert _violations() == []


@pytest.mark.parametrize("core", ["signage.rendering", "signage.scheduling", "signage.wording"])
def test_importing_a_core_loads_neither_flask_nor_sqlalchemy(core):
    probe = (
        f"import sys, {core}; print(sorted(m for m in ('flask', 'sqlalchemy') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
