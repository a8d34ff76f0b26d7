"""
Every role against every admin address and action.

For each model registered in the admin (and each kind of object where ownership matters)
and each role — anonymous, journalist, editor, moderator — the test opens the list, the add
page, an object's change, history and delete pages, and sends the add, change and delete
forms. What each role may do comes from the README's role table, written out in CASES below,
not read from the code: an address a role may use answers 200 (a save or delete leads on
with 302 and changes the database); any other answers 403, or sends an anonymous visitor to
the sign-in page, or, for an object the role may not even know of, leads back to the admin's
home (Django's "doesn't exist"). A refused form changes nothing in the database. The same
for the admin's own views (revisions, restore, the image picker, autocomplete, app pages) and
for every action on every list.
"""

import time
from dataclasses import dataclass, field

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.curation import Arrangement
from articles.models import Article, Author, Redirect, Section, Tag
from comments import services as comment_services
from comments.models import Comment, ModerationLog, ModerationSettings, TrustedCommenter
from comments.tests.factories import CommentFactory
from fronts.models import Front, FrontChange, PlacementProposal
from fronts.services import arrange_front, propose_placement
from fronts.tests.factories import FrontFactory
from live.models import LiveCoverage, LiveEntry
from live.tests.factories import LiveCoverageFactory, LiveEntryFactory
from newsroom.tests.admin_forms import as_opened
from newsroom.tests.factories import UserFactory
from photos.models import Image
from photos.tests.factories import ImageFactory, photo_bytes

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "journalist", "editor", "moderator"]
ALL = frozenset({"view", "add", "change", "delete"})


@pytest.fixture
def people(journalist, editor, moderator):
    return {"journalist": journalist, "editor": editor, "moderator": moderator}


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def as_role(people):
    def client_for(role):
        client = Client()
        if role != "anonymous":
            client.force_login(people[role])
        return client

    return client_for


def table(model):
    """Everything `model`'s table holds, to show a refused request changed nothing."""
    return list(model.objects.order_by("pk").values())


# What each role may do, per model and kind of object -------------------------------------


@dataclass(frozen=True)
class Case:
    model: type
    make: object
    add_form: object = None
    change_form: object = None
    may: dict = field(default_factory=dict)
    # Roles for which the object does not exist, though the model's list is open to them.
    hidden_from: frozenset = frozenset()
    # Model-level permissions of the roles the object is hidden from.
    may_model: dict = field(default_factory=dict)


def story_form(world, **changes):
    data = {
        "kicker": "",
        "headline": "A story sent by the matrix",
        "slug": f"matrix-{time.monotonic_ns()}",
        "standfirst": "",
        "dateline": "",
        "body": "<p>Text.</p>",
        "lead_image": "",
        "lead_image_caption": "",
        "section": world.pk,
        "byline_override": "",
        "comment_mode": "open",
        "seo_title": "",
        "seo_description": "",
        "schedule_for_0": "",
        "schedule_for_1": "",
        "send_back_note": "",
        "withdraw_note": "",
        "update_note": "",
    }
    for prefix in ("bylines", "corrections"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | changes


def photo_form(**changes):
    return {
        "title": "A photo sent by the matrix",
        "alt_text": "Fishing boats moored in the harbour at dawn",
        "caption": "",
        "credit": "",
        "focal_x": "",
        "focal_y": "",
    } | changes


def settings_form():
    row = ModerationSettings.load()
    data = {
        field.name: field.value_from_object(row)
        for field in ModerationSettings._meta.concrete_fields
        if field.editable and field.name not in {"id", "modified_at"}
    }
    data = {name: "" if value is None else value for name, value in data.items()}
    return data | {"link_limit": 7, "hold_all": ""}


def live_entry_form(coverage=None, **changes):
    data = {
        "authors": [AuthorFactory().pk],
        "headline": "An entry sent by the matrix",
        "body": "<p>Text.</p>",
        "is_key_event": "",
        "records-TOTAL_FORMS": "0",
        "records-INITIAL_FORMS": "0",
        "records-MIN_NUM_FORMS": "0",
        "records-MAX_NUM_FORMS": "1000",
    }
    if coverage is not None:
        data["coverage"] = coverage.pk
    return data | changes


def live_entry(world, posted_by, **fields):
    coverage = LiveCoverageFactory(article=ArticleFactory(section=world))
    return LiveEntryFactory(coverage=coverage, posted_by=posted_by, **fields)


def proposal(world, proposer):
    return propose_placement(
        front=FrontFactory(section=world),
        article=ArticleFactory(section=world),
        slot="top",
        block_title="",
        note="Exclusive, embargo lifts 6am",
        proposer=proposer,
    )


def proposal_form(world):
    return {
        "front": FrontFactory(section=world).pk,
        "article": ArticleFactory(section=world).pk,
        "slot": "lead",
        "block_title": "",
        "note": "Proposed by the matrix",
    }


LIVE_ENTRY_RIGHTS = {"journalist": {"view", "add"}, "editor": ALL}

CASES = {
    "user": Case(
        model=get_user_model(),
        make=lambda w, p: UserFactory(username="bystander", is_staff=False),
        add_form=lambda w: {
            "username": "newcomer",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "usable_password": "true",
        },
    ),
    "group": Case(
        model=Group,
        make=lambda w, p: Group.objects.create(name="Night desk"),
        add_form=lambda w: {"name": "Sports desk"},
        change_form=lambda w, obj: {"name": "Renamed desk"},
    ),
    "section": Case(
        model=Section,
        make=lambda w, p: SectionFactory(name="Opinion", slug="opinion"),
        add_form=lambda w: {"name": "Science", "slug": "science", "position": 3, "description": ""},
        change_form=lambda w, obj: {
            "name": "Comment",
            "slug": obj.slug,
            "position": 1,
            "description": "",
        },
        may={
            "journalist": {"view"},
            "editor": ALL,
            "moderator": {"view"},
        },
    ),
    "author": Case(
        model=Author,
        make=lambda w, p: AuthorFactory(name="Ana Ruiz", slug="ana-ruiz"),
        add_form=lambda w: {"name": "Ben Okafor", "slug": "ben-okafor", "bio": ""},
        change_form=lambda w, obj: {"name": "Ana Ruiz Soler", "slug": obj.slug, "bio": ""},
        may={"journalist": {"view"}, "editor": ALL},
    ),
    "tag": Case(
        model=Tag,
        make=lambda w, p: TagFactory(name="Harbours", slug="harbours"),
        add_form=lambda w: {"name": "Ferries", "slug": "ferries"},
        change_form=lambda w, obj: {"name": "Ports", "slug": obj.slug},
        may={"journalist": {"view", "add"}, "editor": ALL},
    ),
    "a colleague's photo": Case(
        model=Image,
        make=lambda w, p: ImageFactory(size=(96, 64), uploaded_by=p["editor"]),
        add_form=lambda w: photo_form(
            upload=SimpleUploadedFile("boats.jpg", photo_bytes(size=(96, 64)), "image/jpeg")
        ),
        change_form=lambda w, obj: photo_form(title="Renamed photo"),
        may={"journalist": {"view", "add"}, "editor": {"view", "add", "change"}},
    ),
    "own photo": Case(
        model=Image,
        make=lambda w, p: ImageFactory(size=(96, 64), uploaded_by=p["journalist"]),
        change_form=lambda w, obj: photo_form(title="Renamed photo"),
        may={"journalist": {"view", "add", "change"}, "editor": {"view", "add", "change"}},
    ),
    "a live story": Case(
        model=Article,
        make=lambda w, p: ArticleFactory(section=w, created_by=p["editor"]),
        add_form=lambda w: story_form(w),
        change_form=lambda w, obj: story_form(
            w, headline="Changed by the matrix", slug=obj.slug, opened_version=obj.version
        ),
        may={
            "journalist": {"view", "add"},
            "editor": {"view", "add", "change"},
            "moderator": {"view"},
        },
    ),
    "a colleague's draft": Case(
        model=Article,
        make=lambda w, p: ArticleFactory(section=w, draft=True, created_by=p["editor"]),
        change_form=lambda w, obj: story_form(
            w, headline="Changed by the matrix", slug=obj.slug, opened_version=obj.version
        ),
        may={"editor": {"view", "add", "change"}},
        hidden_from=frozenset({"journalist", "moderator"}),
        may_model={"journalist": {"view", "add", "change"}, "moderator": {"view"}},
    ),
    "own draft": Case(
        model=Article,
        make=lambda w, p: ArticleFactory(section=w, draft=True, created_by=p["journalist"]),
        change_form=lambda w, obj: story_form(
            w, headline="Changed by the matrix", slug=obj.slug, opened_version=obj.version
        ),
        may={"journalist": {"view", "add", "change"}, "editor": {"view", "add", "change"}},
        hidden_from=frozenset({"moderator"}),
        may_model={"moderator": {"view"}},
    ),
    "live coverage": Case(
        model=LiveCoverage,
        make=lambda w, p: LiveCoverageFactory(article=ArticleFactory(section=w)),
        add_form=lambda w: {
            "article": ArticleFactory(section=w).pk,
            "summary": "Follow the count.",
            "started_at_0": "2026-01-01",
            "started_at_1": "20:00:00",
            "order": "auto",
        },
        change_form=lambda w, obj: {
            "summary": "Changed by the matrix",
            "started_at_0": "2026-01-01",
            "started_at_1": "20:00:00",
            "order": "oldest",
        },
        may={"journalist": {"view"}, "editor": {"view", "add", "change"}},
    ),
    "own live entry": Case(
        model=LiveEntry,
        make=lambda w, p: live_entry(w, p["journalist"]),
        add_form=lambda w: live_entry_form(LiveCoverageFactory(article=ArticleFactory(section=w))),
        change_form=lambda w, obj: live_entry_form(headline="Changed by the matrix"),
        may={"journalist": {"view", "add", "change"}, "editor": ALL},
    ),
    "a colleague's live entry": Case(
        model=LiveEntry,
        make=lambda w, p: live_entry(w, p["editor"]),
        change_form=lambda w, obj: live_entry_form(headline="Changed by the matrix"),
        may=LIVE_ENTRY_RIGHTS,
    ),
    "a pinned live entry": Case(
        model=LiveEntry,
        make=lambda w, p: live_entry(w, p["editor"], is_pinned=True),
        change_form=lambda w, obj: live_entry_form(headline="Changed by the matrix"),
        may=LIVE_ENTRY_RIGHTS,
    ),
    "redirect": Case(
        model=Redirect,
        make=lambda w, p: Redirect.objects.create(old_path="/old/harbour/", section=w),
        add_form=lambda w: {"old_path": "/old/ferries/", "old_query": "", "section": w.pk},
        change_form=lambda w, obj: {"old_path": "/old/port/", "old_query": "", "section": w.pk},
        may={"editor": ALL},
    ),
    "front": Case(
        model=Front,
        make=lambda w, p: Front.objects.create(section=w),
        add_form=lambda w: {"section": ""},
        # The arranging page: an empty arrangement saved from the version opened.
        change_form=lambda w, obj: {"version": obj.version},
        may={"editor": {"view", "add", "change"}},
    ),
    "front change": Case(
        model=FrontChange,
        make=lambda w, p: arrange_front(
            front=Front.objects.create(section=w),
            arrangement=Arrangement(lead=ArticleFactory(section=w).pk),
            actor=p["editor"],
            opened_version=1,
        ),
        may={"editor": {"view"}},
    ),
    "own placement proposal": Case(
        model=PlacementProposal,
        make=lambda w, p: proposal(w, p["journalist"]),
        add_form=proposal_form,
        may={"journalist": {"view", "add"}, "editor": {"view", "add"}},
    ),
    "a colleague's placement proposal": Case(
        model=PlacementProposal,
        make=lambda w, p: proposal(w, p["editor"]),
        may={"editor": {"view", "add"}},
        hidden_from=frozenset({"journalist"}),
        may_model={"journalist": {"view", "add"}},
    ),
    "comment": Case(
        model=Comment,
        make=lambda w, p: CommentFactory(pending=True),
        change_form=lambda w, obj: {"status": "approved"},
        may={"moderator": {"view"}},
    ),
    "moderation log entry": Case(
        model=ModerationLog,
        make=lambda w, p: (
            comment_services.approve_comments(
                comments=Comment.objects.filter(pk=CommentFactory(pending=True).pk),
                moderator=p["moderator"],
            )
            and ModerationLog.objects.get()
        ),
        may={"moderator": {"view"}},
    ),
    "trusted commenter": Case(
        model=TrustedCommenter,
        make=lambda w, p: TrustedCommenter.objects.create(email="maria@example.org"),
        may={"moderator": {"view", "delete"}},
    ),
    "moderation settings": Case(
        model=ModerationSettings,
        make=lambda w, p: ModerationSettings.load(),
        change_form=lambda w, obj: settings_form(),
        may={"moderator": {"view", "change"}},
    ),
    "failed sign-in record": Case(
        model=AccessAttempt,
        make=lambda w, p: AccessAttempt.objects.create(
            username="someone",
            ip_address="198.51.100.1",
            failures_since_start=1,
            attempt_time=timezone.now(),
            user_agent="",
            http_accept="",
            path_info="/admin/login/",
        ),
    ),
    "sign-in log entry": Case(
        model=AccessLog,
        make=lambda w, p: AccessLog.objects.create(
            username="someone",
            ip_address="198.51.100.1",
            attempt_time=timezone.now(),
            user_agent="",
            http_accept="",
            path_info="/admin/login/",
        ),
    ),
    "failed sign-in log entry": Case(
        model=AccessFailureLog,
        make=lambda w, p: AccessFailureLog.objects.create(
            username="someone",
            ip_address="198.51.100.1",
            attempt_time=timezone.now(),
            user_agent="",
            http_accept="",
            path_info="/admin/login/",
        ),
    ),
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def expected_answers(case, role):
    """What each of the object's admin addresses answers `role`, from CASES."""
    if role == "anonymous":
        return dict.fromkeys(["list", "add", "change", "history", "delete"], "sign in")
    hidden = role in case.hidden_from
    model_perms = case.may_model.get(role, set()) if hidden else case.may.get(role, set())
    perms = set() if hidden else case.may.get(role, set())
    readable = bool(model_perms & {"view", "change"})
    answers = {
        "list": (302 if case.model is ModerationSettings else 200) if readable else 403,
        "add": 200 if "add" in model_perms else 403,
        "change": 200 if perms & {"view", "change"} else 403,
        "history": 200 if perms & {"view", "change"} else 403,
        "delete": 200 if "delete" in perms else 403,
    }
    if hidden:
        answers |= {"change": "missing" if readable else 403, "history": "missing"}
    return answers


def answer_of(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return "sign in"
    if response.status_code == 302 and response["Location"] == reverse("admin:index"):
        return "missing"
    return response.status_code


MATRIX = [(name, role) for name in CASES for role in ROLES]


def matrix_id(value):
    return str(value)


@pytest.mark.parametrize(("case_name", "role"), MATRIX, ids=matrix_id)
def test_each_role_gets_the_expected_answer_from_each_admin_page(
    case_name, role, as_role, people, world
):
    case = CASES[case_name]
    obj = case.make(world, people)
    client = as_role(role)
    urls = {
        "list": admin_url(case.model, "changelist"),
        "add": admin_url(case.model, "add"),
        "change": admin_url(case.model, "change", obj.pk),
        "history": admin_url(case.model, "history", obj.pk),
        "delete": admin_url(case.model, "delete", obj.pk),
    }

    answers = {view: answer_of(client.get(url)) for view, url in urls.items()}

    assert answers == expected_answers(case, role)


def form_outcomes(case, role):
    """Which of the add, change and delete forms `role` may send: True, False (refused)."""
    if role == "anonymous":
        return {"add": False, "change": False, "delete": False}
    hidden = role in case.hidden_from
    perms = set() if hidden else case.may.get(role, set())
    model_perms = case.may_model.get(role, set()) if hidden else perms
    return {"add": "add" in model_perms, "change": "change" in perms, "delete": "delete" in perms}


@pytest.mark.parametrize(("case_name", "role"), MATRIX, ids=matrix_id)
def test_each_role_may_send_only_the_admin_forms_it_is_allowed(
    case_name, role, as_role, people, world
):
    case = CASES[case_name]
    obj = case.make(world, people)
    client = as_role(role)
    forms = {
        "add": (admin_url(case.model, "add"), case.add_form and case.add_form(world)),
        "change": (
            admin_url(case.model, "change", obj.pk),
            case.change_form and case.change_form(world, obj),
        ),
        "delete": (admin_url(case.model, "delete", obj.pk), {"post": "yes"}),
    }
    allowed = form_outcomes(case, role)

    for view, (url, data) in forms.items():
        if data is None:
            continue
        before = table(case.model)
        if view == "change":
            data = as_opened(client, url, data)
        response = client.post(url, data)
        if allowed[view]:
            assert response.status_code == 302, (
                view,
                response.context and [form.errors for form in response.context.get("errors", [])],
            )
            assert table(case.model) != before, view
        else:
            assert answer_of(response) in {403, "sign in", "missing"}, view
            assert table(case.model) == before, view
            if role == "anonymous":
                assert answer_of(response) == "sign in", view
            elif role not in case.hidden_from:
                assert response.status_code == 403, view


def test_every_registered_model_has_its_expected_answers():
    assert {case.model for case in CASES.values()} == set(admin.site._registry)


# The admin's own views ---------------------------------------------------------------------

STANDARD_VIEWS = {"changelist", "add", "change", "delete", "history"}
SITE_VIEWS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}
# Custom views of the model admins, tested below.
CUSTOM_VIEWS = {
    "photos_image_picker",
    "articles_article_revisions",
    "articles_article_restore",
    # test_presence.py
    "articles_article_presence",
    "articles_article_take_over",
    "auth_user_password_change",
    # fronts/tests/test_admin.py
    "fronts_search",
    "fronts_front_preview",
    "fronts_front_undo",
    "fronts_front_place_proposal",
    "fronts_front_dismiss_proposal",
    # below, and comments/tests/test_queue_decisions.py
    "comments_comment_decide",
}


def test_every_admin_address_is_covered_by_these_tests():
    names = {pattern.name for pattern in admin.site.get_urls() if getattr(pattern, "name", None)}
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if pattern.name and pattern.name.removeprefix(prefix) not in STANDARD_VIEWS:
                names.add(pattern.name)
    assert names == SITE_VIEWS | CUSTOM_VIEWS


@pytest.mark.parametrize(
    ("role", "answer"),
    [("anonymous", "sign in"), ("journalist", 200), ("editor", 200), ("moderator", 403)],
)
def test_image_picker_answers_only_those_who_work_with_photos(as_role, role, answer):
    response = as_role(role).get(reverse("admin:photos_image_picker") + "?CKEditorFuncNum=1")

    assert answer_of(response) == answer


@pytest.mark.parametrize(
    ("story", "answers"),
    [
        (
            "a live story",
            {"anonymous": "sign in", "journalist": 200, "editor": 200, "moderator": 200},
        ),
        (
            "a colleague's draft",
            {"anonymous": "sign in", "journalist": 404, "editor": 200, "moderator": 404},
        ),
    ],
)
def test_revisions_answer_those_who_may_read_the_story(as_role, people, world, story, answers):
    article = CASES[story].make(world, people)
    url = reverse("admin:articles_article_revisions", args=[article.pk])

    assert {role: answer_of(as_role(role).get(url)) for role in ROLES} == answers


@pytest.fixture
def story_with_two_revisions(world, editor):
    article = ArticleFactory(section=world, headline="The first headline", created_by=editor)
    with reversion.create_revision():
        article.save()
    article.headline = "The second headline"
    with reversion.create_revision():
        article.save()
    return article


@pytest.mark.parametrize(
    ("role", "answer"),
    [("anonymous", "sign in"), ("journalist", 403), ("editor", 302), ("moderator", 403)],
)
def test_only_an_editor_may_restore_a_revision(as_role, story_with_two_revisions, role, answer):
    article = story_with_two_revisions
    older = Version.objects.get_for_object(article).last()
    url = reverse("admin:articles_article_restore", args=[article.pk, older.pk])

    response = as_role(role).post(url)

    assert answer_of(response) == answer
    article.refresh_from_db()
    restored = article.headline == "The first headline"
    assert restored == (role == "editor")


@pytest.mark.parametrize("view", ["fronts_front_place_proposal", "fronts_front_dismiss_proposal"])
def test_only_an_editor_may_place_or_dismiss_a_proposal(as_role, people, world, view):
    answers, closed = {}, {}
    for role in ROLES:
        proposed = proposal(world, people["journalist"])
        url = reverse(f"admin:{view}", args=[proposed.front_id, proposed.pk])

        response = as_role(role).post(url, {"version": Front.objects.get().version})

        answers[role] = answer_of(response)
        proposed.refresh_from_db()
        closed[role] = proposed.state != PlacementProposal.State.OPEN
    assert answers == {"anonymous": "sign in", "journalist": 403, "editor": 302, "moderator": 403}
    assert closed == {"anonymous": False, "journalist": False, "editor": True, "moderator": False}
    assert FrontChange.objects.exists() == (view == "fronts_front_place_proposal")


def test_only_a_moderator_may_decide_on_a_comment_from_the_queue(as_role, people, world):
    answers, decided = {}, {}
    for role in ROLES:
        comment = CommentFactory(article=ArticleFactory(section=world), pending=True)
        url = reverse("admin:comments_comment_decide", args=[comment.pk])

        response = as_role(role).post(url, {"decision": "approve"})

        answers[role] = answer_of(response)
        comment.refresh_from_db()
        decided[role] = comment.status != Comment.Status.PENDING
    assert answers == {"anonymous": "sign in", "journalist": 403, "editor": 403, "moderator": 302}
    assert decided == {"anonymous": False, "journalist": False, "editor": False, "moderator": True}


def test_nobody_in_a_role_may_set_a_users_password(as_role, people):
    url = reverse("admin:auth_user_password_change", args=[people["editor"].pk])
    data = {
        "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase",
    }
    before = people["editor"].password

    answers = {role: answer_of(as_role(role).post(url, data)) for role in ROLES}

    assert answers == {"anonymous": "sign in", "journalist": 403, "editor": 403, "moderator": 403}
    people["editor"].refresh_from_db()
    assert people["editor"].password == before


@pytest.mark.parametrize(
    ("app", "answers"),
    [
        ("articles", {"journalist": 200, "editor": 200, "moderator": 200}),
        ("comments", {"journalist": 404, "editor": 404, "moderator": 200}),
        ("live", {"journalist": 200, "editor": 200, "moderator": 404}),
        ("fronts", {"journalist": 200, "editor": 200, "moderator": 404}),
        ("auth", {"journalist": 404, "editor": 404, "moderator": 404}),
        ("axes", {"journalist": 404, "editor": 404, "moderator": 404}),
    ],
)
def test_each_apps_page_answers_only_those_with_something_in_it(as_role, app, answers):
    url = reverse("admin:app_list", args=[app])

    assert {role: answer_of(as_role(role).get(url)) for role in ROLES} == answers | {
        "anonymous": "sign in"
    }


def test_the_desk_and_the_password_page_answer_every_role(as_role):
    for url in (reverse("admin:index"), reverse("admin:password_change")):
        answers = {role: answer_of(as_role(role).get(url)) for role in ROLES}
        assert answers == {
            "anonymous": "sign in",
            "journalist": 200,
            "editor": 200,
            "moderator": 200,
        }


def test_view_on_site_needs_a_sign_in(as_role, world):
    story = ArticleFactory(section=world)
    content_type = ContentType.objects.get_for_model(Article)
    url = reverse("admin:view_on_site", args=[content_type.pk, story.pk])

    answers = {role: answer_of(as_role(role).get(url)) for role in ROLES}

    assert answers == {"anonymous": "sign in", "journalist": 302, "editor": 302, "moderator": 302}


# Autocomplete: the remote model's list must be open to the role.
AUTOCOMPLETE = {
    ("articles", "article", "section"): {"journalist": 200, "editor": 200, "moderator": 200},
    ("articles", "article", "tags"): {"journalist": 200, "editor": 200, "moderator": 403},
    ("articles", "article", "lead_image"): {"journalist": 200, "editor": 200, "moderator": 403},
    ("articles", "author", "photo"): {"journalist": 200, "editor": 200, "moderator": 403},
    ("articles", "section", "parent"): {"journalist": 200, "editor": 200, "moderator": 200},
    ("articles", "redirect", "article"): {"journalist": 200, "editor": 200, "moderator": 200},
    ("articles", "redirect", "section"): {"journalist": 200, "editor": 200, "moderator": 200},
    ("articles", "bylines", "author"): {"journalist": 200, "editor": 200, "moderator": 403},
    ("live", "livecoverage", "article"): {"journalist": 200, "editor": 200, "moderator": 200},
    ("live", "liveentry", "authors"): {"journalist": 200, "editor": 200, "moderator": 403},
}


def test_every_autocomplete_field_has_its_expected_answers():
    fields = set()
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            fields.add((model._meta.app_label, model._meta.model_name, name))
        for inline in model_admin.inlines:
            for name in inline.autocomplete_fields:
                fields.add(
                    (model._meta.app_label, inline.model._meta.verbose_name_plural.split()[0], name)
                )
    assert fields == set(AUTOCOMPLETE)


@pytest.mark.parametrize(("source", "answers"), AUTOCOMPLETE.items(), ids=matrix_id)
def test_autocomplete_answers_only_those_who_may_see_what_it_lists(as_role, source, answers):
    app_label, model_name, field_name = source
    if model_name == "bylines":
        app_label, model_name = "articles", "byline"
    url = reverse("admin:autocomplete")
    query = {
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
        "term": "a",
    }

    got = {role: answer_of(as_role(role).get(url, query)) for role in ROLES}

    assert got == answers | {"anonymous": "sign in"}


# Actions ----------------------------------------------------------------------------------

# Which roles may run each action of each list on the case's object: it changes the database
# for them, and nothing for anyone else.
ACTIONS = [
    ("own draft", "submit_selected_for_review", {"journalist", "editor"}),
    ("a colleague's draft", "submit_selected_for_review", {"editor"}),
    ("a colleague's draft", "publish_selected_now", {"editor"}),
    ("a live story", "delete_selected", set()),
    ("comment", "approve", {"moderator"}),
    ("comment", "reject", {"moderator"}),
    ("comment", "mark_spam", {"moderator"}),
    ("comment", "approve_and_trust", {"moderator"}),
    ("comment", "delete_selected", set()),
    ("trusted commenter", "delete_selected", {"moderator"}),
    ("section", "delete_selected", {"editor"}),
    ("author", "delete_selected", {"editor"}),
    ("tag", "delete_selected", {"editor"}),
    ("redirect", "delete_selected", {"editor"}),
    ("front", "delete_selected", set()),
    ("live coverage", "end_coverage", {"editor"}),
    ("live coverage", "delete_selected", set()),
    ("own live entry", "pin", {"editor"}),
    ("a pinned live entry", "unpin", {"editor"}),
    ("own live entry", "delete_selected", {"editor"}),
    ("a colleague's photo", "delete_selected", set()),
    ("user", "delete_selected", set()),
    ("group", "delete_selected", set()),
    ("failed sign-in record", "delete_selected", set()),
    ("failed sign-in record", "cleanup_expired_attempts", set()),
    ("sign-in log entry", "delete_selected", set()),
    ("failed sign-in log entry", "delete_selected", set()),
]


def test_every_admin_action_has_its_expected_answers(rf, db):
    superuser = UserFactory(username="root", is_superuser=True)
    request = rf.get("/admin/")
    request.user = superuser
    offered = {
        (model, name)
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.get_actions(request)
    }
    assert offered == {(CASES[case].model, action) for case, action, _roles in ACTIONS}


@pytest.mark.parametrize(
    ("case_name", "action", "allowed", "role"),
    [(case, action, allowed, role) for case, action, allowed in ACTIONS for role in ROLES],
    ids=matrix_id,
)
def test_each_role_may_run_only_the_admin_actions_it_is_allowed(
    case_name, action, allowed, role, as_role, people, world
):
    case = CASES[case_name]
    obj = case.make(world, people)
    client = as_role(role)
    before = table(case.model)

    response = client.post(
        admin_url(case.model, "changelist"),
        {"action": action, "_selected_action": [obj.pk], "post": "yes", "index": 0},
    )

    if role in allowed:
        assert table(case.model) != before
    else:
        assert table(case.model) == before
        # A list open to the role answers it, doing nothing (an action it may not run is not
        # among the list's actions); another list answers 403.
        assert answer_of(response) in ({"sign in"} if role == "anonymous" else {200, 302, 403})


@pytest.mark.parametrize("role", ["journalist", "editor", "moderator"])
def test_each_list_offers_a_role_only_the_actions_it_may_run(as_role, role):
    client = as_role(role)
    for model in {CASES[case].model for case, _action, _roles in ACTIONS}:
        response = client.get(admin_url(model, "changelist"))
        if response.status_code != 200:
            continue
        action_form = response.context.get("action_form")
        offered = (
            {name for name, _label in action_form.fields["action"].choices if name}
            if (action_form)
            else set()
        )
        may = {
            action
            for case, action, roles in ACTIONS
            if CASES[case].model is model and role in roles
        }
        assert offered == may, model
