"""The code's shape, checked: the apps import only the layers below them (no cycle anywhere), and
modules and functions stay small enough to read."""

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
