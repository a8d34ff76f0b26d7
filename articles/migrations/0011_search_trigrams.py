"""
The admin's search of stories (headline, standfirst: `icontains`) served by trigram indexes on
PostgreSQL, so that it never reads the whole archive. Other databases search without them.
"""

from django.db import migrations

INDEXES = {
    "article_headline_trgm_idx": "UPPER(headline::text)",
    "article_standfirst_trgm_idx": "UPPER(standfirst::text)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles_article "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_indexes_at_scale")]

    operations = [migrations.RunPython(create, drop)]
