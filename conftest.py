import pytest
from django.core.cache import cache
from django.test import override_settings

from articles.tests.factories import UserFactory


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
    from articles.caching import RECENT

    cache.clear()
    RECENT.clear()
    yield
    cache.clear()
    RECENT.clear()
