"""
Each story's `comment_count`, kept by the database itself.

The count is what readers see under the story: approved comments, and approved replies to
approved comments. Triggers on the comment table recount a story whenever one of its
comments is written in a way that can change it (approved, or no longer approved; moved to
another thread or story; deleted), so every writer keeps it right without knowing about it:
the comment services, the admin, the importers' bulk inserts, a QuerySet.update(), the demo
loader, raw SQL in a shell.

- PostgreSQL: statement-level triggers with transition tables, so a moderator approving 500
  comments at once recounts each story once.
- SQLite: row-level triggers, each recounting one story (on the story page's index).

SQLite drops a table's triggers when a migration rebuilds it, so `install_triggers` runs
after every `migrate` too (see apps.py); `recount` counts every story again from scratch.
"""

# The count of one story, `story` being the story's id column in the enclosing statement.
_COUNT = """
    SELECT count(*) FROM comments_comment AS c
    LEFT JOIN comments_comment AS p ON p.id = c.parent_id
    WHERE c.article_id = {story} AND c.status = 'approved'
      AND (c.parent_id IS NULL OR p.status = 'approved')
"""

_POSTGRES = f"""
CREATE OR REPLACE FUNCTION comments_recount(stories bigint[]) RETURNS void AS $$
    WITH counted AS (
        SELECT a.id, ({_COUNT.format(story="a.id")}) AS shown
        FROM articles_article AS a WHERE a.id = ANY(stories)
    )
    UPDATE articles_article AS a SET comment_count = counted.shown
    FROM counted WHERE a.id = counted.id AND a.comment_count <> counted.shown
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION comments_count_inserted() RETURNS trigger AS $$
BEGIN
    PERFORM comments_recount(ARRAY(
        SELECT DISTINCT article_id FROM new_rows WHERE status = 'approved'
    ));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION comments_count_updated() RETURNS trigger AS $$
BEGIN
    PERFORM comments_recount(ARRAY(
        SELECT story FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id,
            LATERAL (VALUES (o.article_id), (n.article_id)) AS stories (story)
        WHERE (o.status = 'approved' OR n.status = 'approved')
          AND (o.status IS DISTINCT FROM n.status
               OR o.parent_id IS DISTINCT FROM n.parent_id
               OR o.article_id IS DISTINCT FROM n.article_id)
    ));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION comments_count_deleted() RETURNS trigger AS $$
BEGIN
    PERFORM comments_recount(ARRAY(
        SELECT DISTINCT article_id FROM old_rows WHERE status = 'approved'
    ));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER comments_count_insert
    AFTER INSERT ON comments_comment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_inserted();
CREATE OR REPLACE TRIGGER comments_count_update
    AFTER UPDATE ON comments_comment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_updated();
CREATE OR REPLACE TRIGGER comments_count_delete
    AFTER DELETE ON comments_comment REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_count_deleted();
"""  # noqa: S608 - constant SQL text

_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS comments_count_insert ON comments_comment;
DROP TRIGGER IF EXISTS comments_count_update ON comments_comment;
DROP TRIGGER IF EXISTS comments_count_delete ON comments_comment;
DROP FUNCTION IF EXISTS comments_count_inserted();
DROP FUNCTION IF EXISTS comments_count_updated();
DROP FUNCTION IF EXISTS comments_count_deleted();
DROP FUNCTION IF EXISTS comments_recount(bigint[]);
"""

_SQLITE_RECOUNT = f"""
    UPDATE articles_article SET comment_count = ({_COUNT.format(story="articles_article.id")})
    WHERE id IN ({{stories}});
"""  # noqa: S608 - constant SQL text

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comments_count_insert",
    "DROP TRIGGER IF EXISTS comments_count_update",
    "DROP TRIGGER IF EXISTS comments_count_delete",
]

_SQLITE = [
    f"""
    CREATE TRIGGER comments_count_insert AFTER INSERT ON comments_comment
    WHEN new.status = 'approved' BEGIN
        {_SQLITE_RECOUNT.format(stories="new.article_id")}
    END
    """,
    f"""
    CREATE TRIGGER comments_count_update
    AFTER UPDATE OF status, parent_id, article_id ON comments_comment
    WHEN old.status = 'approved' OR new.status = 'approved' BEGIN
        {_SQLITE_RECOUNT.format(stories="old.article_id, new.article_id")}
    END
    """,
    f"""
    CREATE TRIGGER comments_count_delete AFTER DELETE ON comments_comment
    WHEN old.status = 'approved' BEGIN
        {_SQLITE_RECOUNT.format(stories="old.article_id")}
    END
    """,
]

_RECOUNT_EVERY_STORY = (
    "UPDATE articles_article SET comment_count = "  # noqa: S608 - constant SQL text
    f"({_COUNT.format(story='articles_article.id')})"
)


def _execute(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def is_migrated(connection):
    """Whether the database has both tables the triggers join."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return {"articles_article", "comments_comment"} <= tables


def install_triggers(connection):
    """(Re)create the triggers; no data changes."""
    if connection.vendor == "postgresql":
        _execute(connection, [_POSTGRES])
    elif connection.vendor == "sqlite":
        _execute(connection, [*_SQLITE_DROP, *_SQLITE])


def remove_triggers(connection):
    if connection.vendor == "postgresql":
        _execute(connection, [_POSTGRES_DROP])
    elif connection.vendor == "sqlite":
        _execute(connection, _SQLITE_DROP)


def recount(connection):
    """Count every story's comments again from the comment table."""
    _execute(connection, [_RECOUNT_EVERY_STORY])
