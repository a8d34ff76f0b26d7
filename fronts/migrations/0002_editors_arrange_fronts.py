"""Editors arrange the fronts; nobody else changes them (the README's role table)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "fronts.view_front",
    "fronts.add_front",
    "fronts.change_front",
    "fronts.view_frontchange",
]


def grant_editors(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _created = Group.objects.get_or_create(name="Editor")
    for dotted in EDITOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        editor.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Editor").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="fronts"))


class Migration(migrations.Migration):
    dependencies = [
        ("fronts", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_editors, revoke_editors)]
