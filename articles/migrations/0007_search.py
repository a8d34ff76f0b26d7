"""
Search: each story's body as plain text, and the full-text index (PostgreSQL: a weighted
tsvector per story with a GIN index; SQLite: an FTS5 table), kept by triggers.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import articles.models.search
from articles import search_index
from articles.migrations import _first_search_index
from articles.sanitise import text_of_body


def derive_body_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = list(Article.objects.only("body"))
    for article in articles:
        article.body_text = text_of_body(article.body)
    Article.objects.bulk_update(articles, ["body_text"], batch_size=500)


def build_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # The index as it was first built; 0018 brings it to what search_index.py writes.
        with connection.cursor() as cursor:
            cursor.execute(_first_search_index.TRIGGERS)
            cursor.execute(_first_search_index.FILL)
    else:
        search_index.rebuild(connection)


def remove_index(apps, schema_editor):
    search_index.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_redirect_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="SqliteSearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("headline", models.TextField()),
                ("standfirst", models.TextField()),
                ("body", models.TextField()),
                ("table", articles.models.search.Fts5TableField(db_column="articles_search")),
            ],
            options={
                "db_table": "articles_search",
                "managed": False,
                "required_db_vendor": "sqlite",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The body's words without markup, derived on save: what search reads.",
            ),
        ),
        migrations.CreateModel(
            name="PostgresSearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "required_db_vendor": "postgresql",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["document"], name="article_search_document_gin"
                    )
                ],
            },
        ),
        migrations.RunPython(derive_body_text, migrations.RunPython.noop),
        migrations.RunPython(build_index, remove_index),
    ]
