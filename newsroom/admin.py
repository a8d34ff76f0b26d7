from django.conf import settings
from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from . import edge
from .versions import StaleSaveGuard


class NewsroomAdminSite(admin.AdminSite):
    """
    The Django admin, whose index is the desk: the panels the apps put there (stories waiting
    for an editor, the comments waiting for a moderator…), each shown to those it concerns.
    """

    index_template = "admin/newsroom_index.html"
    index_title = "The desk"

    @property
    def site_header(self):
        """
        The publication's name, then the product's, in the header and every page's title;
        once only, when the publication's name says it already ("The Newsroom").
        """
        name = settings.NEWSROOM_PUBLICATION_NAME
        return name if "newsroom" in name.lower() else f"{name} · Newsroom"

    site_title = site_header

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._desk_panels = [("admin/edge_health.html", edge.health)]

    def register(self, model_or_iterable, admin_class=None, **options):
        """
        Register as Django does, every change form refusing a stale save (newsroom/versions.py)
        but those of an admin that keeps versions of its own (`guards_own_versions = True`).
        """
        admin_class = admin_class or admin.ModelAdmin
        if not getattr(admin_class, "guards_own_versions", False):
            admin_class = type(
                admin_class.__name__,
                (StaleSaveGuard, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def add_desk_panel(self, template, context):
        """
        Show `template` on the desk, with `desk` in its context: what `context(request)`
        returns, or nothing for a person it returns None for. Called by an app's admin module.
        """
        self._desk_panels.append((template, context))

    def index(self, request, extra_context=None):
        panels = [(template, context(request)) for template, context in self._desk_panels]
        extra_context = {
            **(extra_context or {}),
            "desk_panels": [(template, desk) for template, desk in panels if desk is not None],
        }
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
