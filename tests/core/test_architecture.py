"""The code's shape, checked: the apps import only the layers below them (no cycle anywhere), and
modules and functions stay small enough to read."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def test_imports_keep_the_layers_and_make_no_cycle():
    """pyproject.toml [tool.importlinter]: each app imports only the apps below it, and no two modules
    of an app import each other, however indirectly."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    run = subprocess.run([lint_imports, "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _sources() -> dict[str, str]:
    """The project's own code: its apps and config/, without migrations (tests live outside them)."""
    return {
        str(path.relative_to(ROOT)): path.read_text()
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def test_modules_are_under_400_lines():
    sources = _sources()
    assert "aftersales/services/create.py" in sources  # the walk finds the apps' code
    long = {name: n for name, text in sources.items() if (n := len(text.splitlines())) >= MAX_MODULE_LINES}
    assert not long, f"split these modules by topic (lines): {long}"


def test_functions_are_under_60_lines():
    long = {
        f"{name}:{node.lineno} {node.name}": length
        for name, text in _sources().items()
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := node.end_lineno - node.lineno + 1) >= MAX_FUNCTION_LINES
    }
    assert not long, f"split these functions (lines, from def to the last line): {long}"
