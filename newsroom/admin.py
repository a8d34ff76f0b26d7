from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from articles.models import Article


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin, whose index is the editor's desk for people who work on stories."""

    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm("articles.change_article"):
            stories = Article.objects.visible_in_admin_to(request.user)
            extra_context["desk"] = stories.desk(user=request.user)
        return super().index(request, extra_context)


class BoundedCountPaginator(Paginator):
    """
    For the admin's lists of very large tables (stories, comments): it counts at most
    COUNT_LIMIT rows, on the list's own indexes, instead of every row that matches, so a list
    opens as fast with a million rows as with a thousand. Past the limit it says so
    ("more than 10,000") and offers pages up to it; filters and search narrow a list to the
    rows wanted.
    """

    COUNT_LIMIT = 10_000

    @cached_property
    def count(self):
        rows = self.object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1]
        return min(rows.count(), self.COUNT_LIMIT + 1)

    @property
    def is_bounded(self):
        return self.count > self.COUNT_LIMIT
