"""Every admin list page runs the same number of queries with a few rows as with many."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Redirect
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from comments import services
from comments.models import Comment
from newsroom.tests.factories import UserFactory
from newsroom.tests.queries import count_queries

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

OLD_PATHS = itertools.count()


def add_sections(count):
    parent = SectionFactory(name="World", slug="world")
    for _ in range(count):
        SectionFactory(parent=parent)


def add_authors(count):
    for _ in range(count):
        AuthorFactory(user=UserFactory())


def add_tags(count):
    TagFactory.create_batch(count)


def add_redirects(count):
    for _ in range(count):
        Redirect.objects.create(old_path=f"/old/{next(OLD_PATHS)}/", article=ArticleFactory())


def add_moderation(count):
    moderator = UserFactory(username="a-moderator", role="Moderator")
    comments = CommentFactory.create_batch(count, pending=True)
    services.approve_and_trust(
        comments=Comment.objects.filter(pk__in=[c.pk for c in comments]), moderator=moderator
    )


LISTS = {
    "articles_section": add_sections,
    "articles_author": add_authors,
    "articles_tag": add_tags,
    "articles_redirect": add_redirects,
    "comments_moderationlog": add_moderation,
    "comments_trustedcommenter": add_moderation,
}


@pytest.mark.parametrize("name", LISTS)
def test_admin_list_runs_as_many_queries_with_many_rows_as_with_a_few(client, name):
    staff = UserFactory(username="staff", is_superuser=True)
    staff.groups.set(Group.objects.all())
    client.force_login(staff)
    url = reverse(f"admin:{name}_changelist")

    LISTS[name](3)
    _response, few = count_queries(client, url)
    LISTS[name](40)
    response, many = count_queries(client, url)

    assert response.context["cl"].result_count >= 40
    assert few == many
