import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from newsroom.pagecache import RECENT
from newsroom.tests.factories import UserFactory

# Property tests and the fuzzing sweep: in the suite, the same bounded set of examples on
# every run (no example database, so nothing is remembered between runs); by hand,
# NEWSROOM_FUZZ=long draws many more, new ones each run, and prints how to replay a failure.
hypothesis_settings.register_profile(
    "suite", derandomize=True, database=None, deadline=None, max_examples=100
)
hypothesis_settings.register_profile(
    "long", deadline=None, max_examples=5000, print_blob=True, report_multiple_bugs=True
)
hypothesis_settings.load_profile(os.environ.get("NEWSROOM_FUZZ") or "suite")


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_manifest():
    """
    Production serves hashed static names from collectstatic's manifest; the suite renders
    pages without running collectstatic, so it uses plain static names.
    """
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads made by a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Accounts made by the factories need no slow, secure hash: the suite stays quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journalist(db):
    return UserFactory(username="journalist", role="Journalist")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="Editor")


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", role="Moderator")


@pytest.fixture
def journalist_client(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page, version or lock left by another."""
    cache.clear()
    RECENT.clear()
    yield
    cache.clear()
    RECENT.clear()


# The migrations that make the role groups and grant their permissions.
ROLE_MIGRATIONS = [
    ("articles", "0002_roles"),
    ("articles", "0004_image_roles"),
    ("articles", "0006_redirect_permissions"),
    ("comments", "0002_moderator_role"),
    ("fronts", "0002_editors_arrange_fronts"),
    ("fronts", "0004_journalists_and_editors_propose_placements"),
    ("photos", "0002_permissions_follow_the_photos"),
    ("live", "0002_roles"),
]


@pytest.fixture
def roles(transactional_db):
    """
    The Journalist, Editor and Moderator groups, as the migrations make them. A test with
    transaction=True (a browser journey, two threads at once) runs against a database that is
    emptied after each test, and emptying it puts back the permissions but not the groups:
    this replays the migrations that make them. (Not serialized_rollback: on PostgreSQL the
    emptied database has new content type ids, and reloading the old ones collides.)
    """
    loader = MigrationLoader(connection)
    for key in ROLE_MIGRATIONS:
        # Each with the models as they were when it ran, as `migrate` gives them.
        state_apps = loader.project_state(key, at_end=False).apps
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython):
                operation.code(state_apps, None)
