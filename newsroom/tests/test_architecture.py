"""
The apps' dependency direction (docs/architecture.md), as the suite checks it: the
import-linter contract in pyproject.toml, kept; and a contract that fails when an app imports
against the direction, so the check is known to bite. And where derived state is kept fresh:
every model whose saves make cached pages stale signals its bulk writes too.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models.signals import post_save

from newsroom.writes import WriteSignallingQuerySet, rows_written

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


# Cached pages follow bulk writes too.


def freshness_receivers(signal, model):
    """The receivers of `signal` for `model` that keep pages fresh (in an app's freshness.py)."""
    # Django lists the receivers of a signal for one sender only through this private method.
    receivers, _async_receivers = signal._live_receivers(model)
    return [receiver for receiver in receivers if receiver.__module__.endswith(".freshness")]


def models_kept_fresh():
    """The models whose saves make cached pages stale."""
    return [model for model in apps.get_models() if freshness_receivers(post_save, model)]


def test_the_models_whose_saves_make_pages_stale_are_found():
    found = {model._meta.label for model in models_kept_fresh()}

    assert {
        "articles.Article",
        "articles.Section",
        "comments.Comment",
        "fronts.Front",
        "fronts.Placement",
        "live.LiveEntry",
        "photos.Image",
    } <= found


@pytest.mark.parametrize("model", models_kept_fresh(), ids=lambda model: model._meta.label)
def test_bulk_writes_of_a_model_whose_saves_make_pages_stale_make_them_stale_too(model):
    queryset = model._default_manager.get_queryset()

    assert isinstance(queryset, WriteSignallingQuerySet), (
        f"{model._meta.label}'s update(), bulk_create() and bulk_update() send no rows_written"
    )
    assert freshness_receivers(rows_written, model), (
        f"no freshness receiver listens to {model._meta.label}'s bulk writes"
    )
