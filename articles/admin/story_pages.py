"""The story's own admin pages beside its form: revisions, restoring one, presence, taking over."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from .. import presence, services
from ..formats import newsroom_time
from ..revisions import compare_versions
from ..services import can_publish
from .story_form import refusal_text


class StoryPagesMixin:
    """The story admin's revisions and presence pages (mixed into ArticleAdmin)."""

    # Revisions: history, compare any two, restore the text of one.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="{}_{}_revisions".format(*info),
            ),
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name="{}_{}_presence".format(*info),
            ),
            path(
                "<path:object_id>/take-over/",
                self.admin_site.admin_view(self.take_over_view),
                name="{}_{}_take_over".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_article_or_404(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404("No such story.")
        return article

    # Presence: who else has the story open (articles/presence.py).

    def editable_article_or_404(self, request, object_id):
        article = self.get_article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied("You may not edit this story.")
        return article

    def presence_view(self, request, object_id):
        """The form's heartbeat (POST): who else is editing; `leave` when the form closes."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.editable_article_or_404(request, object_id)
        if request.POST.get("leave"):
            presence.leave(article=article, user=request.user)
            return HttpResponse(status=204)
        presence.heartbeat(article=article, user=request.user)
        return JsonResponse(presence.state_for(article=article, user=request.user))

    def take_over_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.editable_article_or_404(request, object_id)
        names = presence.take_over(article=article, actor=request.user)
        if names:
            self.message_user(
                request,
                f"You took over “{article}” from {', '.join(names)}, who "
                f"{'is' if len(names) == 1 else 'are'} told.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self.change_url(article))

    def revisions_view(self, request, object_id):
        article = self.get_article_or_404(request, object_id)
        versions = list(
            Version.objects.get_for_object(article).select_related(
                "revision__user", "revision__story"
            )
        )
        by_pk = {version.pk: version for version in versions}
        newer = by_pk.get(_int_or_none(request.GET.get("to"))) or (versions[:1] or [None])[0]
        older = by_pk.get(_int_or_none(request.GET.get("from"))) or (versions[1:2] or [None])[0]
        if older and newer and older.pk > newer.pk:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "article": article,
            "title": f"Revisions of “{article}”",
            "subtitle": None,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": compare_versions(older, newer) if older and newer else [],
            "can_restore": can_publish(request.user) and article.can_be_edited_by(request.user),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_revisions", args=[object_id])
            )
        article = self.get_article_or_404(request, object_id)
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        try:
            services.restore_revision(article=article, actor=request.user, version=version)
        except ValidationError as refusal:
            raise PermissionDenied(refusal_text(refusal)) from refusal
        self.message_user(
            request,
            f"Restored the text of the revision kept on "
            f"{newsroom_time(version.revision.date_created)}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self.change_url(article))


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
