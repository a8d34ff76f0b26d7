"""
A site running the last release before the apps were split (bc9fc66: articles up to 0012,
comments up to 0006, no photos, importers, fronts or live apps) runs `migrate` and loses
nothing: its stories, photos, import records, comments, old addresses and roles are all
there afterwards, where today's code looks for them.
"""

import datetime

import pytest
from django.apps import apps as global_apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django_test_migrations import sql
from pytest_django.asserts import assertContains, assertRedirects

from articles.apps import install_search_triggers
from articles.models import Article, Author, Redirect, Section
from articles.search import search
from comments.models import Comment
from importers.models import WordPressItem
from photos.models import Image

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migrator")]

# The release's last migration of each of the project's apps that had migrations then. The
# apps made since had none; Django's and third-party apps are as they are today.
RELEASE = {"articles": "0012_live_index_with_section", "comments": "0006_search_trigrams"}
APPS_SINCE = {"photos", "importers", "fronts", "live"}
# The models the split moved out of the articles app, and where they went.
MOVED = {"image": "photos", "rendition": "photos", "wordpressitem": "importers"}

PUBLISHED_AT = datetime.datetime(2024, 1, 4, 9, 30, tzinfo=datetime.UTC)
BODY = (
    "<p>The council approved the harbour plan on Thursday, ending a decade of argument "
    "over the old fish market.</p>"
)
PHOTO = {
    "file": "images/2024/01/3f9a1c0b7d2e4a6c8b10.jpg",
    "title": "Harbour at dawn",
    "alt_text": "Fishing boats moored in the harbour at dawn",
    "caption": "The harbour the plan will rebuild.",
    "credit": "Ana Ruiz/The Newsroom",
    "width": 1200,
    "height": 800,
    "focal_x": 0.4,
    "focal_y": 0.6,
}
RENDITION = {"key": "card-640", "file": "renditions/harbour-640.webp", "width": 640, "height": 427}
IMPORT_RECORD = {
    "site": "oldnews.example.org",
    "kind": "article",
    "wp_id": "1234",
    "checksum": "9e107d9d372bb6826bd81d3542a419d6",
}


def migrate_to_the_release():
    """
    Empty the database and migrate it as `migrate` did at the release: the project's apps to
    their release migrations, every other app to its last, then what ran after migrating
    (content types, permissions, the search index's triggers; the comment counts had no
    triggers yet). Returns the release's models.

    Not `migrator.apply_initial_migration()`: it applies every migration the full plan puts
    before the targets, the new apps' first ones among them.
    """
    sql.drop_models_tables(connection.alias)
    sql.flush_django_migrations_table(connection.alias)
    executor = MigrationExecutor(connection)
    targets = [
        *RELEASE.items(),
        *(
            leaf
            for leaf in executor.loader.graph.leaf_nodes()
            if leaf[0] not in {*RELEASE, *APPS_SINCE}
        ),
    ]
    executor.migrate(targets, plan=executor.migration_plan(targets, clean_start=True))
    release_apps = executor.loader.project_state(targets).apps
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, apps=release_apps)
        create_permissions(app_config, verbosity=0, apps=release_apps)
    install_search_triggers(using=connection.alias)
    return release_apps


def last_project_migrations():
    """The last migration applied of each of the project's apps that has any applied."""
    last = {}
    for app, name in MigrationExecutor(connection).loader.applied_migrations:
        if app in {*RELEASE, *APPS_SINCE}:
            last[app] = max(last.get(app, name), name)
    return last


def make_the_newsroom(apps):
    """
    A newsroom written with the release's models: roles and their people, a photo used by a
    story and an author, a published and a scheduled story, a WordPress import record,
    comments, old addresses and the admin's history of the photo. Returns the rows' ids.
    """
    model = apps.get_model
    groups = model("auth", "Group").objects
    articles_permission = model("auth", "Permission").objects.filter(
        content_type__app_label="articles"
    )
    users = model("auth", "User").objects
    journalist = users.create(username="journalist", is_staff=True)
    journalist.groups.add(groups.get(name="Journalist"))
    editor = users.create(username="editor", is_staff=True)
    editor.groups.add(groups.get(name="Editor"))
    # Granted by an administrator, not by the release's migrations: a freelance photographer
    # who adds photos to the library in their own name, and editors seeing the import records.
    photographer = users.create(username="photographer", is_staff=True)
    photographer.user_permissions.add(
        *articles_permission.filter(codename__in=["view_image", "add_image"])
    )
    groups.get(name="Editor").permissions.add(
        articles_permission.get(codename="view_wordpressitem")
    )

    photo = model("articles", "Image").objects.create(uploaded_by=journalist, **PHOTO)
    model("articles", "Rendition").objects.create(image=photo, **RENDITION)
    model("admin", "LogEntry").objects.create(
        user=editor,
        content_type=model("contenttypes", "ContentType").objects.get(
            app_label="articles", model="image"
        ),
        object_id=str(photo.pk),
        object_repr=PHOTO["title"],
        action_flag=CHANGE,
        change_message="Changed caption.",
    )

    world = model("articles", "Section").objects.create(name="World", slug="world", position=1)
    business = model("articles", "Section").objects.create(
        name="Business", slug="business", position=2
    )
    ana = model("articles", "Author").objects.create(
        name="Ana Ruiz", slug="ana-ruiz", bio="Covers the coast.", user=journalist, photo=photo
    )
    sam = model("articles", "Author").objects.create(name="Sam Lee", slug="sam-lee")
    tags = [
        model("articles", "Tag").objects.create(name=name, slug=name.lower())
        for name in ("Harbour", "Council")
    ]
    stories = model("articles", "Article").objects
    story = stories.create(
        kicker="Analysis",
        headline="Harbour plan approved",
        slug="harbour-plan-approved",
        standfirst="A decade of argument ends with a vote.",
        dateline="Lisbon",
        body=BODY,
        body_text=" ".join(BODY.removeprefix("<p>").removesuffix("</p>").split()),
        status="published",
        publish_at=PUBLISHED_AT,
        first_published_at=PUBLISHED_AT,
        section=world,
        lead_image=photo,
        lead_image_caption="The old fish market, which the plan keeps.",
        comment_mode="open",
        created_by=journalist,
        modified_by=editor,
    )
    story.tags.set(tags)
    bylines = model("articles", "Byline").objects
    bylines.create(article=story, author=ana, role="reporter", position=0)
    bylines.create(article=story, author=sam, role="photographer", position=1)
    model("articles", "Correction").objects.create(
        article=story,
        kind="correction",
        text="An earlier version gave the wrong year for the market's closure.",
        published_at=PUBLISHED_AT + datetime.timedelta(hours=5),
        created_by=editor,
    )
    scheduled = stories.create(
        headline="Ferry timetable changes next month",
        slug="ferry-timetable-changes",
        body="<p>Fewer crossings in winter.</p>",
        body_text="Fewer crossings in winter.",
        status="published",
        publish_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=7),
        section=business,
        created_by=journalist,
    )

    model("articles", "WordPressItem").objects.create(object_id=story.pk, **IMPORT_RECORD)
    redirects = model("articles", "Redirect").objects
    redirects.create(old_path="/2024/01/04/harbour-plan/", article=story)
    redirects.create(old_path="/", old_query="cat=7", section=world)

    comments = model("comments", "Comment").objects

    def comment(body, **fields):
        fingerprint = Comment.fingerprint_for(
            article_id=story.pk,
            parent_id=fields.get("parent") and fields["parent"].pk,
            email="reader@example.org",
            body=body,
        )
        return comments.create(
            article=story,
            name="Maria Costa",
            email="reader@example.org",
            body=body,
            fingerprint=fingerprint,
            ip_address="203.0.113.9",
            **fields,
        )

    thread = comment("About time.", status="approved", moderated_by=editor)
    comment("And the market stays.", status="approved", parent=thread)
    held = comment("Read my blog about harbours.", status="pending")

    return {
        "story": story.pk,
        "scheduled": scheduled.pk,
        "scheduled_at": scheduled.publish_at,
        "photo": photo.pk,
        "held_comment": held.pk,
    }


def permissions_held(apps):
    """
    What each role and each person holds in their own name, as (app, model, codename), read
    with the models of `apps`.
    """

    def named(permissions):
        return {
            (p.content_type.app_label, p.content_type.model, p.codename)
            for p in permissions.select_related("content_type")
        }

    groups = apps.get_model("auth", "Group").objects.all()
    users = apps.get_model("auth", "User").objects.all()
    return {("role", group.name): named(group.permissions) for group in groups} | {
        ("person", user.username): named(user.user_permissions) for user in users
    }


def moved(permissions):
    """Permissions as named after the split: the moved models' are in their new apps."""
    return {
        (MOVED.get(model, app) if app == "articles" else app, model, codename)
        for app, model, codename in permissions
    }


def role_permissions(role, app_label):
    return set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label=app_label)
        .values_list("codename", flat=True)
    )


def test_a_site_on_the_release_before_the_split_upgrades_with_nothing_lost(client):
    release_apps = migrate_to_the_release()
    assert last_project_migrations() == RELEASE
    ids = make_the_newsroom(release_apps)
    held_at_the_release = permissions_held(release_apps)
    assert ("articles", "image", "change_image") in held_at_the_release["role", "Journalist"]
    # The release's comment services kept the count; these rows, written directly, were not
    # counted, so the count readers see afterwards is the upgrade's own.
    release_stories = release_apps.get_model("articles", "Article").objects
    assert release_stories.get(pk=ids["story"]).comment_count == 0

    call_command("migrate", verbosity=0)

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

    # The stories, as the release left them.
    story = Article.objects.get(pk=ids["story"])
    assert (
        story.kicker,
        story.headline,
        story.slug,
        story.standfirst,
        story.dateline,
        story.body,
        story.status,
        story.publish_at,
        story.first_published_at,
        story.section.slug,
        story.lead_image_caption,
        story.comment_mode,
        story.created_by.username,
        story.modified_by.username,
        story.version,
    ) == (
        "Analysis",
        "Harbour plan approved",
        "harbour-plan-approved",
        "A decade of argument ends with a vote.",
        "Lisbon",
        BODY,
        Article.Status.PUBLISHED,
        PUBLISHED_AT,
        PUBLISHED_AT,
        "world",
        "The old fish market, which the plan keeps.",
        Article.CommentMode.OPEN,
        "journalist",
        "editor",
        1,
    )
    assert [(b.author.name, b.role, b.position) for b in story.bylines.order_by("position")] == [
        ("Ana Ruiz", "reporter", 0),
        ("Sam Lee", "photographer", 1),
    ]
    assert set(story.tags.values_list("slug", flat=True)) == {"harbour", "council"}
    correction = story.corrections.get()
    assert (correction.kind, correction.text, correction.created_by.username) == (
        "correction",
        "An earlier version gave the wrong year for the market's closure.",
        "editor",
    )
    assert list(Article.objects.live()) == [story]
    assert [(s.pk, s.publish_at) for s in Article.objects.scheduled()] == [
        (ids["scheduled"], ids["scheduled_at"])
    ]
    assert list(search("fish market")) == [story]
    assert set(Section.objects.values_list("slug", flat=True)) == {"world", "business"}

    # The photo, now in the photos app, with its rendition, used where it was.
    photo = Image.objects.get(pk=ids["photo"])
    assert {field: getattr(photo, field) for field in PHOTO if field != "file"} == {
        field: value for field, value in PHOTO.items() if field != "file"
    }
    assert (photo.file.name, photo.uploaded_by.username) == (PHOTO["file"], "journalist")
    assert [(r.key, r.file.name, r.width, r.height) for r in photo.renditions.all()] == [
        tuple(RENDITION.values())
    ]
    assert story.lead_image == photo
    assert Author.objects.get(slug="ana-ruiz").photo == photo

    # The import record, now in the importers app, still maps the post to the story.
    record = WordPressItem.objects.get()
    assert {field: getattr(record, field) for field in IMPORT_RECORD} == IMPORT_RECORD
    assert Article.objects.get(pk=record.object_id) == story

    # The comments, counted as readers see them, and kept counted by the database.
    assert set(Comment.objects.filter(article=story).values_list("body", "status")) == {
        ("About time.", "approved"),
        ("And the market stays.", "approved"),
        ("Read my blog about harbours.", "pending"),
    }
    assert story.comment_count == Comment.objects.visible().filter(article=story).count() == 2
    Comment.objects.filter(pk=ids["held_comment"]).update(status=Comment.Status.APPROVED)
    story.refresh_from_db()
    assert story.comment_count == 3

    # The old addresses still lead to the story and the section.
    assert set(Redirect.objects.values_list("old_path", "old_query", "article", "section")) == {
        ("/2024/01/04/harbour-plan/", "", story.pk, None),
        ("/", "cat=7", None, story.section_id),
    }
    assertRedirects(
        client.get("/2024/01/04/harbour-plan/"),
        story.get_absolute_url(),
        status_code=301,
        fetch_redirect_response=False,
    )

    # Who may do what followed the moved models; no content type is left behind for them.
    held = permissions_held(global_apps)
    for holder, permissions in held_at_the_release.items():
        assert moved(permissions) <= held[holder], holder
    assert role_permissions("Journalist", "photos") == {"view_image", "add_image", "change_image"}
    assert role_permissions("Editor", "photos") == {
        "view_image",
        "add_image",
        "change_image",
        "change_any_image",
    }
    assert role_permissions("Editor", "importers") == {"view_wordpressitem"}
    for app_label in ("articles", "photos", "importers"):
        assert set(
            ContentType.objects.filter(app_label=app_label).values_list("model", flat=True)
        ) == {
            model._meta.model_name for model in global_apps.get_app_config(app_label).get_models()
        }, app_label
    assert not Permission.objects.filter(
        content_type__app_label="articles", codename__endswith="image"
    ).exists()
    history = LogEntry.objects.get()
    assert (history.content_type.app_label, history.get_edited_object()) == ("photos", photo)

    # The editor still changes photos in the library, including ones a journalist uploaded.
    editor = User.objects.get(username="editor")
    assert editor.has_perms(["photos.change_image", "photos.change_any_image"])
    assert User.objects.get(username="photographer").has_perms(
        ["photos.view_image", "photos.add_image"]
    )
    client.force_login(editor)
    assertContains(
        client.get(reverse("admin:photos_image_change", args=[photo.pk])), PHOTO["alt_text"]
    )
