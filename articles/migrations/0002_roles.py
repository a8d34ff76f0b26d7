"""The newsroom's roles as Django groups, with the permissions of the README's role table."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Journalist": [
        "articles.view_article",
        "articles.add_article",
        "articles.change_article",
        "articles.view_byline",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_section",
        "articles.view_author",
        "articles.view_tag",
        "articles.add_tag",
        "articles.view_correction",
    ],
    "Editor": [
        "articles.view_article",
        "articles.add_article",
        "articles.change_article",
        "articles.publish_article",
        "articles.view_byline",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_section",
        "articles.add_section",
        "articles.change_section",
        "articles.delete_section",
        "articles.view_author",
        "articles.add_author",
        "articles.change_author",
        "articles.delete_author",
        "articles.view_tag",
        "articles.add_tag",
        "articles.change_tag",
        "articles.delete_tag",
        "articles.view_correction",
        "articles.add_correction",
        "articles.change_correction",
        "articles.delete_correction",
    ],
    "Moderator": [
        "articles.view_article",
        "articles.view_section",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
