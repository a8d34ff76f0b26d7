"""
The full-text index's triggers, for each database.

The index follows the article table through database triggers rather than save(): the
importers' bulk_create(), a QuerySet.update() and raw SQL all reach it, and a story is in the
index the moment its row is written, in the same transaction.

- PostgreSQL: `articles_postgressearchdocument` (a model, created by migrations) holds one
  weighted tsvector per story, with copies of the story's status, publication time and
  section, so that ranking and counting the matches read this table alone, never the
  article table; a trigger function rewrites it when any of those columns change and deletes
  it with the story.
- SQLite: the FTS5 table `articles_search` (created here) holds the text of the indexed
  columns; insert, update and delete triggers keep it in step.

What is indexed: the headline (weight A), the kicker, standfirst and dateline (B) and the
body's plain text (C, `body_text`, derived from the sanitised body so markup never matches).

SQLite drops a table's triggers when a migration rebuilds the table (it does so to alter
columns), so `install_triggers` runs after every `migrate` as well (see apps.py): it
replaces the triggers with the current ones and changes no data.
"""

# The text search configuration of the queries; the index's SQL below names it too.
POSTGRES_CONFIG = "english"

_POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION articles_search_vector(
    headline text, kicker text, standfirst text, dateline text, body_text text
) RETURNS tsvector AS $$
    SELECT setweight(to_tsvector('english', coalesce(headline, '')), 'A')
        || setweight(to_tsvector('english', concat_ws(' ', kicker, standfirst, dateline)), 'B')
        || setweight(to_tsvector('english', coalesce(body_text, '')), 'C')
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION articles_search_document_write() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.id <> NEW.id) THEN
        DELETE FROM articles_postgressearchdocument WHERE article_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO articles_postgressearchdocument
            (article_id, document, status, publish_at, section_id)
        VALUES (NEW.id, articles_search_vector(
            NEW.headline, NEW.kicker, NEW.standfirst, NEW.dateline, NEW.body_text
        ), NEW.status, NEW.publish_at, NEW.section_id)
        ON CONFLICT (article_id) DO UPDATE SET
            document = EXCLUDED.document,
            status = EXCLUDED.status,
            publish_at = EXCLUDED.publish_at,
            section_id = EXCLUDED.section_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER articles_search_insert
    AFTER INSERT ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_document_write();
CREATE OR REPLACE TRIGGER articles_search_update
    AFTER UPDATE OF id, headline, kicker, standfirst, dateline, body_text, status, publish_at,
        section_id
    ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_document_write();
CREATE OR REPLACE TRIGGER articles_search_delete
    AFTER DELETE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_search_document_write();
"""

_POSTGRES_FILL = """
INSERT INTO articles_postgressearchdocument (article_id, document, status, publish_at, section_id)
SELECT id, articles_search_vector(headline, kicker, standfirst, dateline, body_text),
    status, publish_at, section_id
FROM articles_article
ON CONFLICT (article_id) DO UPDATE SET
    document = EXCLUDED.document,
    status = EXCLUDED.status,
    publish_at = EXCLUDED.publish_at,
    section_id = EXCLUDED.section_id
"""

_POSTGRES_DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS articles_search_insert ON articles_article;
DROP TRIGGER IF EXISTS articles_search_update ON articles_article;
DROP TRIGGER IF EXISTS articles_search_delete ON articles_article;
"""

_POSTGRES_DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS articles_search_document_write();
DROP FUNCTION IF EXISTS articles_search_vector(text, text, text, text, text);
"""

_SQLITE_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5(
    headline, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2'
)
"""

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TRIGGER IF EXISTS articles_search_delete",
]

# The FTS5 columns: headline; kicker, standfirst and dateline; the body's text.
_SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER articles_search_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_search (rowid, headline, standfirst, body)
        VALUES (new.id, new.headline,
            trim(new.kicker || ' ' || new.standfirst || ' ' || new.dateline), new.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_search_update
    AFTER UPDATE OF id, headline, kicker, standfirst, dateline, body_text ON articles_article
    BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
        INSERT INTO articles_search (rowid, headline, standfirst, body)
        VALUES (new.id, new.headline,
            trim(new.kicker || ' ' || new.standfirst || ' ' || new.dateline), new.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_search_delete AFTER DELETE ON articles_article BEGIN
        DELETE FROM articles_search WHERE rowid = old.id;
    END
    """,
]

_SQLITE_FILL = [
    "DELETE FROM articles_search",
    """
    INSERT INTO articles_search (rowid, headline, standfirst, body)
    SELECT id, headline, trim(kicker || ' ' || standfirst || ' ' || dateline), body_text
    FROM articles_article
    """,
]


def _execute(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# The table and column each database's triggers need that its latest migration added.
_NEWEST_COLUMN = {
    "postgresql": ("articles_postgressearchdocument", "publish_at"),
    "sqlite": ("articles_article", "body_text"),
}


def is_migrated(connection):
    """Whether the database has the columns the current triggers write."""
    table, column = _NEWEST_COLUMN.get(connection.vendor, ("articles_article", "body_text"))
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
        columns = connection.introspection.get_table_description(cursor, table)
    return any(found.name == column for found in columns)


def install_triggers(connection):
    """(Re)create the index's table (SQLite) and triggers; no data changes."""
    if connection.vendor == "postgresql":
        _execute(connection, [_POSTGRES_TRIGGERS])
    elif connection.vendor == "sqlite":
        _execute(connection, [_SQLITE_TABLE, *_SQLITE_DROP, *_SQLITE_TRIGGERS])


def rebuild(connection):
    """Index every story again from the article table (after restoring a dump, say)."""
    install_triggers(connection)
    if connection.vendor == "postgresql":
        _execute(connection, [_POSTGRES_FILL])
    elif connection.vendor == "sqlite":
        _execute(connection, _SQLITE_FILL)


def remove_triggers(connection):
    """Drop the triggers: the index stops following the article table."""
    if connection.vendor == "postgresql":
        _execute(connection, [_POSTGRES_DROP_TRIGGERS])
    elif connection.vendor == "sqlite":
        _execute(connection, _SQLITE_DROP)


def remove(connection):
    """Drop the triggers, their functions, and on SQLite the FTS5 table (undoes the migration)."""
    remove_triggers(connection)
    if connection.vendor == "postgresql":
        _execute(connection, [_POSTGRES_DROP_FUNCTIONS])
    elif connection.vendor == "sqlite":
        _execute(connection, ["DROP TABLE IF EXISTS articles_search"])
