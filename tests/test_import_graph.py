"""The house's layers, checked: the web layer (tracker/web/) sits on the domain and is
imported by nothing but the app factory; no blueprint package imports another; models and
access import nothing above them. Read from the source (``ast``), so a lazy import inside
a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRACKER = ROOT / "tracker"
WEB = TRACKER / "web"
# Packages of tracker/web that are blueprints; the rest of tracker/web (orgs views shared by
# the partners and clients blueprints, errors, …) is shared web code.
BLUEPRINTS = {"admin", "auth", "clients", "followups", "main", "partners", "teams",
              "calendar_feed"}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def _blueprint_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["tracker", "web"] and len(parts) > 2 and parts[2] in BLUEPRINTS:
        return parts[2]
    return None


SOURCES = sorted(TRACKER.rglob("*.py"))


def test_the_layers_are_where_the_test_looks():
    assert (WEB / "partners" / "__init__.py").exists() and (TRACKER / "partners").exists()
    assert len(SOURCES) > 100


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path: Path):
    module = _module(path)
    own = _blueprint_of(module)
    in_web = module.startswith("tracker.web")
    wrong = []
    for line, name in _imports(path):
        if not name.startswith("tracker.web"):
            continue
        if module == "tracker" and name.startswith("tracker.web"):
            continue  # the app factory registers the blueprints
        if not in_web:
            wrong.append(f"line {line}: the domain imports the web layer ({name})")
            continue
        other = _blueprint_of(name)
        if other is not None and own is not None and other != own:
            wrong.append(f"line {line}: blueprint {own} imports blueprint {other} ({name})")
        elif other is not None and own is None and module not in {"tracker.web"}:
            wrong.append(f"line {line}: shared web code imports blueprint {other} ({name})")
    assert not wrong, f"{module}:\n" + "\n".join(wrong)


def test_models_and_access_import_no_blueprint_nor_service():
    for base in ("models", "access"):
        for path in (TRACKER / base).rglob("*.py"):
            for line, name in _imports(path):
                assert not name.startswith("tracker.web"), f"{path}:{line} imports {name}"


@pytest.mark.parametrize("module", ["wsgi", "tracker.access", "tracker.generations",
                                    "tracker.models"])
def test_each_entry_point_imports_in_a_fresh_interpreter(module):
    # The suite imports the app in its own order, which can hide a cycle that breaks
    # `flask run` (an import that needs a module only half-initialised at that point).
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
