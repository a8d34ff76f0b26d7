from django.db import migrations

from comments import counts


def install(apps, schema_editor):
    counts.install_triggers(schema_editor.connection)
    counts.recount(schema_editor.connection)


def remove(apps, schema_editor):
    counts.remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    """Each story's comment count, kept by triggers on the comment table (see counts.py)."""

    dependencies = [
        ("articles", "0012_live_index_with_section"),
        ("comments", "0006_search_trigrams"),
    ]

    operations = [migrations.RunPython(install, remove)]
