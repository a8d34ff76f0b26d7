"""Journalists and editors propose stories for the fronts; only editors place them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Journalist", "Editor"]


def grant_proposing(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    propose = Permission.objects.get(content_type__app_label="fronts", codename="propose_placement")
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(propose)


def revoke_proposing(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    propose = Permission.objects.filter(
        content_type__app_label="fronts", codename="propose_placement"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*propose)


class Migration(migrations.Migration):
    dependencies = [
        ("fronts", "0003_placement_proposals"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_proposing, revoke_proposing)]
