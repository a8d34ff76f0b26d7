"""
Sticky posts (pinned in WordPress) placed on the home page's front once the stories are
written: the newest in the lead when editors left it empty, the others after the chosen
top stories, through the fronts' own service (logged, undoable, the cached page refreshed).
Only stories this run created are placed, so importing again neither places them twice nor
puts back one an editor took off since.
"""

from django.contrib.auth.models import AbstractBaseUser

from articles.models import Article
from fronts.arrangements import from_snapshot
from fronts.models import Front
from fronts.services import place_first

from .common import Context
from .posts import PlannedArticle

PLACED = "sticky: placed on the home page (lead or top stories)"
NOT_PUBLISHED = "sticky but not published (a draft, in review or password-protected): not placed"
IMPORTED_BEFORE = "sticky, imported before: the home page left as it is"


class StickyPosts:
    """The run's sticky posts, gathered batch by batch and placed at the end."""

    def __init__(self, context: Context, *, user: AbstractBaseUser | None):
        self.summary, self.user = context.summary, user
        self.found: list[PlannedArticle] = []

    def gather(self, batch: list[PlannedArticle]) -> None:
        for planned in batch:
            if not planned.item.sticky or planned.article_id is None:
                continue
            if planned.fields["status"] != Article.Status.PUBLISHED:
                self.summary.note("articles", NOT_PUBLISHED, planned.item.wp_id)
            elif not planned.created:
                self.summary.note("articles", IMPORTED_BEFORE, planned.item.wp_id)
            else:
                self.found.append(planned)

    def place(self) -> None:
        """Place the gathered sticky posts on the home page, newest first."""
        if not self.found:
            return
        newest_first = sorted(self.found, key=lambda planned: planned.fields["publish_at"])[::-1]
        front, _created = Front.objects.get_or_create(section=None)
        change = place_first(
            front=front,
            story_ids=[planned.article_id for planned in newest_first],
            actor=self.user,
            summary=describe,
        )
        if change is None:
            return
        placed = set(from_snapshot(change.after).story_ids())
        placed -= set(from_snapshot(change.before).story_ids())
        for planned in newest_first:
            if planned.article_id in placed:
                self.summary.note("articles", PLACED, planned.item.wp_id)


def describe(placed: list[int]) -> str:
    posts = "sticky post" if len(placed) == 1 else "sticky posts"
    return f"WordPress import: {len(placed)} {posts} placed"
