from articles.tests.conftest import (  # noqa: F401 - the newsroom's role fixtures, shared
    editor,
    editor_client,
    journalist,
    journalist_client,
    moderator,
    moderator_client,
)
