"""
The image library moved from the articles app to photos: a database made before the move,
with photos, stories using them and the roles' permissions in it, migrates forward with
nothing lost, and back again.
"""

import pytest

# Every migration from before the move: the plan up to the photos app's first migration.
BEFORE = [("photos", None)]
AFTER = [("photos", "0002_permissions_follow_the_photos")]

pytestmark = pytest.mark.django_db(transaction=True)


def make_newsroom(apps):
    """A photo with a rendition, used by a story and an author, and an editor's log entry."""
    Image = apps.get_model("articles", "Image")
    Rendition = apps.get_model("articles", "Rendition")
    Section = apps.get_model("articles", "Section")
    Author = apps.get_model("articles", "Author")
    Article = apps.get_model("articles", "Article")
    photo = Image.objects.create(
        file="images/2024/01/harbour.jpg",
        alt_text="Fishing boats moored in the harbour at dawn",
        width=1200,
        height=800,
        focal_x=0.4,
        focal_y=0.6,
    )
    Rendition.objects.create(
        image=photo, key="card-640", file="renditions/harbour-640.webp", width=640, height=427
    )
    section = Section.objects.create(name="World", slug="world")
    author = Author.objects.create(name="Ana Ruiz", slug="ana-ruiz", photo=photo)
    story = Article.objects.create(
        headline="Harbour plan approved", slug="harbour-plan", section=section, lead_image=photo
    )
    return photo.pk, story.pk, author.pk


def role_permissions(apps, role, app_label):
    Group = apps.get_model("auth", "Group")
    return set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label=app_label)
        .values_list("codename", flat=True)
    )


def test_a_database_from_before_the_move_keeps_its_photos_and_permissions(migrator):
    before = migrator.apply_initial_migration(BEFORE)
    photo_id, story_id, author_id = make_newsroom(before.apps)
    journalist_before = role_permissions(before.apps, "Journalist", "articles")
    assert {"view_image", "add_image", "change_image"} <= journalist_before

    after = migrator.apply_tested_migration(AFTER)

    Image = after.apps.get_model("photos", "Image")
    photo = Image.objects.get()
    assert (photo.pk, photo.alt_text, photo.focal_x) == (
        photo_id,
        "Fishing boats moored in the harbour at dawn",
        0.4,
    )
    assert photo.renditions.get().key == "card-640"
    assert after.apps.get_model("articles", "Article").objects.get(pk=story_id).lead_image_id == (
        photo_id
    )
    assert after.apps.get_model("articles", "Author").objects.get(pk=author_id).photo_id == photo_id
    assert role_permissions(after.apps, "Journalist", "photos") == {
        "view_image",
        "add_image",
        "change_image",
    }
    assert role_permissions(after.apps, "Editor", "photos") >= {
        "view_image",
        "add_image",
        "change_image",
        "change_any_image",
    }
    assert not role_permissions(after.apps, "Journalist", "articles") & {
        "view_image",
        "add_image",
        "change_image",
    }
    ContentType = after.apps.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="articles", model="image").exists()


def test_the_move_can_be_undone(migrator):
    migrator.apply_initial_migration(AFTER)
    before = migrator.apply_tested_migration(BEFORE)

    assert {"view_image", "add_image", "change_image"} <= role_permissions(
        before.apps, "Journalist", "articles"
    )
    assert (
        not before.apps.get_model("auth", "Permission")
        .objects.filter(codename="change_any_image")
        .exists()
    )
