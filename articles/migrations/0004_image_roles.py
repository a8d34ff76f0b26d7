"""Journalists and editors upload and edit images (the README's role table); moderators do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

IMAGE_PERMISSIONS = ["articles.view_image", "articles.add_image", "articles.change_image"]
ROLES = ["Journalist", "Editor"]


def grant_image_permissions(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in (dotted.split(".") for dotted in IMAGE_PERMISSIONS)
    ]
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions)


def revoke_image_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles",
        codename__in=[dotted.split(".")[1] for dotted in IMAGE_PERMISSIONS],
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_images"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_image_permissions, revoke_image_permissions)]
