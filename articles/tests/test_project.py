"""The project itself: settings from the environment, roles, migrations, the demo newsroom."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from articles.models import Article, Author, Section

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly `env` set; return the result."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "TIME_ZONE"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import newsroom.settings as s; print(s.DEBUG, s.TIME_ZONE)"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DJANGO_ALLOWED_HOSTS="news.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = load_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_with_both():
    result = load_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="news.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "UTC"]


def test_development_needs_nothing():
    result = load_settings(DJANGO_DEBUG="true", TIME_ZONE="Europe/Paris")
    assert result.stdout.split() == ["True", "Europe/Paris"], result.stderr


def test_a_mistyped_time_zone_is_refused_with_a_clear_message():
    result = load_settings(DJANGO_DEBUG="true", TIME_ZONE="Europe/Pariss")
    assert "TIME_ZONE 'Europe/Pariss' is not a time zone name" in result.stderr


@pytest.mark.django_db
def test_roles_exist_with_the_permissions_of_the_role_table():
    perms = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    assert "articles.publish_article" in perms["Editor"]
    assert "articles.publish_article" not in perms["Journalist"]
    assert "articles.add_correction" in perms["Editor"]
    assert "articles.add_correction" not in perms["Journalist"]
    assert {"articles.add_article", "articles.change_article"} <= perms["Journalist"]
    assert "articles.add_section" not in perms["Journalist"]
    moderator_writes = {p for p in perms["Moderator"] if not p.split(".")[1].startswith("view_")}
    assert all(p.startswith("comments.") for p in moderator_writes)
    assert "comments.moderate_comment" in perms["Moderator"]
    assert not any(p.startswith("comments.") for p in perms["Editor"] | perms["Journalist"])
    assert not any(p.endswith("delete_article") for role in perms.values() for p in role)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_demo_newsroom_loads_once_and_prints_the_logins(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    output = capsys.readouterr().out
    for username in ["journalist", "editor", "moderator"]:
        assert username in output
    assert Section.objects.count() >= 5
    assert Author.objects.count() >= 4
    assert Article.objects.live().count() >= 30
    assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 2
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() > (
        Article.objects.live().count()
    )
    for story in Article.objects.live():
        assert story.bylines.exists() or story.byline_override
        assert story.tags.exists()

    stories = Article.objects.count()
    call_command("load_demo")
    assert Article.objects.count() == stories


@pytest.mark.django_db
def test_demo_accounts_sign_in_with_their_role(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    for username in ["journalist", "editor"]:
        signed_in = client.post(
            "/admin/login/", {"username": username, "password": f"newsroom-{username}"}
        )
        assert signed_in.status_code == 302, username
        assert client.get("/admin/articles/article/").status_code == 200
    assert Group.objects.get(name="Moderator").user_set.filter(username="moderator").exists()


@pytest.mark.django_db
def test_demo_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DJANGO_DEBUG=true"):
        call_command("load_demo")
    assert not Article.objects.exists()
