"""
The live coverage permissions of the newsroom's roles: journalists post entries and change
their own; editors also start coverage, pin, correct and delete entries, and end coverage.
Moderators get none.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Journalist": [
        "live.view_livecoverage",
        "live.view_liveentry",
        "live.add_liveentry",
        "live.change_liveentry",
        "live.view_entryrecord",
    ],
    "Editor": [
        "live.view_livecoverage",
        "live.add_livecoverage",
        "live.change_livecoverage",
        "live.manage_coverage",
        "live.view_liveentry",
        "live.add_liveentry",
        "live.change_liveentry",
        "live.delete_liveentry",
        "live.view_entryrecord",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    live = apps.get_app_config("live")
    live.models_module = True
    create_permissions(live, apps=apps, verbosity=0)
    live.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="live",
                codename__in=[dotted.split(".")[1] for dotted in codenames],
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="live"))


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0001_initial"),
        ("articles", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
