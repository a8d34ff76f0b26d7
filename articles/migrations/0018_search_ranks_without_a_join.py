"""
PostgreSQL: the search documents copy each story's status, publication time and section, so
that a search ranks and counts its matches from the documents alone. The triggers become those
of articles/search_index.py, and every document is written again. Other databases only gain
the model's fields (the model exists on PostgreSQL alone).
"""

import django.db.models.deletion
from django.db import migrations, models

from articles import search_index
from articles.migrations import _first_search_index


def copy_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        search_index.rebuild(schema_editor.connection)


def first_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(_first_search_index.TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_stories_are_called_stories"),
    ]

    operations = [
        migrations.AddField(
            model_name="postgressearchdocument",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("review", "In review"),
                    ("published", "Published"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="draft",
                max_length=12,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="postgressearchdocument",
            name="publish_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="postgressearchdocument",
            name="section",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="articles.section",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_columns, first_triggers),
    ]
