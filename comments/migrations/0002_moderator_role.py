"""The Moderator group's permissions over comments, and the moderation settings row."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    "comments.view_comment",
    "comments.moderate_comment",
    "comments.view_moderationlog",
    "comments.view_moderationsettings",
    "comments.change_moderationsettings",
    "comments.view_trustedcommenter",
    "comments.delete_trustedcommenter",
]


def grant_moderators(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderator, _created = Group.objects.get_or_create(name="Moderator")
    for dotted in MODERATOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        moderator.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    apps.get_model("comments", "ModerationSettings").objects.get_or_create(pk=1)


def revoke_moderators(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Moderator").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="comments"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_moderators, revoke_moderators)]
