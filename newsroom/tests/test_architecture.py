"""
The apps' dependency direction (docs/architecture.md), as the suite checks it: the
import-linter contract in pyproject.toml, kept; and a contract that fails when an app imports
against the direction, so the check is known to bite.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(shutil.which("lint-imports") or ROOT / ".venv" / "bin" / "lint-imports")


def lint_imports(*arguments, cwd=ROOT):
    return subprocess.run(
        [str(LINT_IMPORTS), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_apps_depend_one_way():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("higher", ["comments", "live"])
def test_an_import_against_the_direction_breaks_the_contract(tmp_path, higher):
    project = tmp_path / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".cache", "media", "staticfiles", "screenshots", "*.sqlite3*"
        ),
    )
    (project / "articles" / "against_the_direction.py").write_text(f"import {higher}.models\n")

    result = lint_imports(cwd=project)

    assert result.returncode != 0
    assert f"articles is not allowed to import {higher}" in result.stdout
