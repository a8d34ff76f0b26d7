"""
The image library's permissions follow its models to the photos app, with the roles and people
that hold them; editors get the new `change_any_image` (they edit any photo in the library, a
journalist the ones they uploaded).

The content types of `image` and `rendition` are renamed from articles to photos, so their
permissions (and the admin's log) keep pointing at the same rows. Where the photos content
types exist already, the articles ones are merged into them.
"""

from django.db import migrations

from newsroom.contenttypes import move_content_types

MODELS = ("image", "rendition")
EDITOR = "Editor"


def forwards(apps, schema_editor):
    move_content_types(apps, MODELS, from_app="articles", to_app="photos")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    image, _created = ContentType.objects.get_or_create(app_label="photos", model="image")
    change_any, _created = Permission.objects.get_or_create(
        content_type=image,
        codename="change_any_image",
        defaults={"name": "Can edit any photo in the library"},
    )
    editors, _created = Group.objects.get_or_create(name=EDITOR)
    editors.permissions.add(change_any)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="photos", codename="change_any_image"
    ).delete()
    move_content_types(apps, MODELS, from_app="photos", to_app="articles")


class Migration(migrations.Migration):
    dependencies = [
        ("photos", "0001_initial"),
        ("articles", "0013_images_move_to_photos"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
