"""
The moderation queue's search (comment text, name, email: `icontains`) served by trigram
indexes on PostgreSQL, so that it never reads every comment. Other databases search without.
"""

from django.db import migrations

INDEXES = {
    "comment_body_trgm_idx": "UPPER(body)",
    "comment_name_trgm_idx": "UPPER(name::text)",
    "comment_email_trgm_idx": "UPPER(email::text)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON comments_comment "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("comments", "0005_story_queue_index")]

    operations = [migrations.RunPython(create, drop)]
