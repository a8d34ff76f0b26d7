"""The import records' content type (and its permissions) follow them to this app."""

from django.db import migrations

from newsroom.contenttypes import move_content_types

MODELS = ("wordpressitem",)


def forwards(apps, schema_editor):
    move_content_types(apps, MODELS, from_app="articles", to_app="importers")


def backwards(apps, schema_editor):
    move_content_types(apps, MODELS, from_app="importers", to_app="articles")


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0001_initial"),
        ("articles", "0014_wordpress_records_move_to_importers"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
