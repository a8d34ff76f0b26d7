import pytest

from articles.tests.conftest import (  # noqa: F401 - the newsroom's role fixtures, shared
    editor,
    editor_client,
    journalist,
    journalist_client,
    moderator,
    moderator_client,
)


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """The role fixtures make staff accounts; a slow hasher only slows the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
