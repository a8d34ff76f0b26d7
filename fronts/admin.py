"""
The fronts in the admin, for editors only: a list of the fronts, and for each an arranging
page (search to add a story, drag or move with the keyboard, preview, save, the log with
undo). Every path checks the permission on the server: the page, its save, the search, the
preview and undo, placing and dismissing a proposal.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles import views as reader_views
from articles.curation import Arrangement
from articles.formats import newsroom_time
from articles.models import Article

from . import (
    arrangements,
    proposals_admin,  # noqa: F401 (registers the proposals' admin)
    services,
)
from .models import Front, FrontChange, PlacementProposal

SEARCH_RESULTS = 12


def arrangement_from_post(data):
    """
    The arrangement posted by the arranging page (`lead`, `top`, and for each `block` key its
    `block_title-<key>` and `block-<key>` stories, in page order), and what is wrong with it.
    """
    problems = []

    def ids(name):
        found = []
        for value in data.getlist(name):
            try:
                found.append(int(value))
            except ValueError:
                problems.append(f"“{value}” is not a story.")
        return found

    lead = ids("lead")
    if len(lead) > 1:
        problems.append(
            "A front has one lead story: move the others to the top stories or to a block."
        )
    blocks = [
        (data.get(f"block_title-{key}", "").replace("\x00", "")[:80], tuple(ids(f"block-{key}")))
        for key in dict.fromkeys(data.getlist("block"))
    ]
    arrangement = Arrangement(
        lead=lead[0] if lead else None, top=tuple(ids("top")), blocks=tuple(blocks)
    )
    return arrangement, lead, problems


def story_entries(ids):
    """What the arranging page shows of each story: headline, section and whether it is live."""
    stories = Article.objects.filter(pk__in=ids).select_related("section").without_text()
    return {story.pk: entry(story) for story in stories}


def entry(story):
    if story.is_live:
        state = "Live"
    elif story.is_scheduled:
        state = f"Scheduled for {newsroom_time(story.publish_at)}: shows once live"
    else:
        state = f"{story.status_label}: not shown"
    return {
        "id": story.pk,
        "headline": story.headline,
        "section": story.section.name,
        "state": state,
        "live": story.is_live,
    }


@admin.register(Front)
class FrontAdmin(admin.ModelAdmin):
    # Its arranging page carries the front's version (fronts/services.py).
    guards_own_versions = True
    list_display = ["__str__", "changed_at", "changed_by"]
    list_select_related = ["section", "changed_by"]
    fields = ["section"]

    class Media:
        css = {"all": ["admin/newsroom/fronts.css"]}
        js = ["admin/newsroom/fronts.js"]

    def get_urls(self):
        return [
            path("stories/", self.admin_site.admin_view(self.search_view), name="fronts_search"),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="fronts_front_preview",
            ),
            path(
                "<path:object_id>/undo/<int:change_id>/",
                self.admin_site.admin_view(self.undo_view),
                name="fronts_front_undo",
            ),
            path(
                "<path:object_id>/proposals/<int:proposal_id>/place/",
                self.admin_site.admin_view(self.place_view),
                name="fronts_front_place_proposal",
            ),
            path(
                "<path:object_id>/proposals/<int:proposal_id>/dismiss/",
                self.admin_site.admin_view(self.dismiss_view),
                name="fronts_front_dismiss_proposal",
            ),
            *super().get_urls(),
        ]

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:fronts_front_change", args=[obj.pk]))

    def front_or_404(self, request, object_id):
        front = self.get_object(request, unquote(object_id))
        if front is None:
            raise Http404("No such front.")
        return front

    def require_change(self, request, front=None):
        if not self.has_change_permission(request, front):
            raise PermissionDenied("Only editors change fronts.")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        front = self.front_or_404(request, object_id)
        self.require_change(request, front)
        if request.method == "POST":
            return self.save_arrangement(request, front)
        current = arrangements.current(front)
        return self.arranging_page(
            request, front, lead=[current.lead] if current.lead else [], arrangement=current
        )

    def save_arrangement(self, request, front):
        arrangement, lead, problems = arrangement_from_post(request.POST)
        opened_version = _int_or_none(request.POST.get("version"))
        if not problems:
            try:
                change = services.arrange_front(
                    front=front,
                    arrangement=arrangement,
                    actor=request.user,
                    opened_version=opened_version,
                )
            except ValidationError as refusal:
                problems = refusal.messages
            except services.StaleFront:
                front.refresh_from_db()
                who = front.changed_by.get_full_name() or front.changed_by.get_username()
                problems = [
                    f"{who} changed this front at {newsroom_time(front.changed_at)}, after you "
                    "opened it. Your arrangement is kept below, and the front as it is now is "
                    "shown beside it: save again to put yours in its place."
                ]
                return self.arranging_page(
                    request,
                    front,
                    lead=lead,
                    arrangement=arrangement,
                    problems=problems,
                    status=409,
                    theirs=arrangements.current(front),
                )
            else:
                self.message_user(
                    request,
                    f"{front} saved: readers see it now. {change.summary}",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:fronts_front_change", args=[front.pk]))
        return self.arranging_page(
            request,
            front,
            lead=lead,
            arrangement=arrangement,
            problems=problems,
            status=400,
            version=opened_version,
        )

    def arranging_page(
        self,
        request,
        front,
        *,
        lead,
        arrangement,
        problems=(),
        status=200,
        version=None,
        theirs=None,
    ):
        ids = [*lead, *arrangement.story_ids()] + (theirs.story_ids() if theirs else [])
        stories = story_entries(ids)

        def shown(pks):
            return [stories[pk] for pk in pks if pk in stories]

        blocks = [
            {"key": str(number), "title": title, "stories": shown(pks)}
            for number, (title, pks) in enumerate(arrangement.blocks, start=1)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "front": front,
            "original": front,
            "title": f"Arrange the {front}" if front.section_id else "Arrange the home page",
            "subtitle": None,
            "version": front.version if version is None else version,
            "lead": shown(lead),
            "top": shown(arrangement.top),
            "blocks": blocks,
            "problems": problems,
            "theirs": (
                {
                    "lead": shown([theirs.lead] if theirs.lead else []),
                    "top": shown(theirs.top),
                    "blocks": [(title, shown(pks)) for title, pks in theirs.blocks],
                }
                if theirs
                else None
            ),
            "changes": front.changes.select_related("changed_by")[:20],
            "proposals": [
                {**entry(proposal.article), "proposal": proposal}
                for proposal in PlacementProposal.objects.open_for(front)
            ],
            "media": self.media,
            "search_url": reverse("admin:fronts_search"),
            "preview_url": reverse("admin:fronts_front_preview", args=[front.pk]),
        }
        if theirs is not None:
            # Saving again puts this arrangement in place of the one now saved.
            context["version"] = front.version
        return TemplateResponse(request, "admin/fronts/front/arrange.html", context, status=status)

    def search_view(self, request):
        """Stories an editor may place, matching what is typed, newest first, as JSON."""
        self.require_change(request)
        # A NUL cannot be stored or searched for in PostgreSQL text: never a real headline's.
        query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
        stories = services.placeable_stories().select_related("section").without_text()
        if query.isdigit():
            stories = stories.filter(pk=int(query))
        elif query:
            stories = stories.filter(headline__icontains=query)
        found = stories.order_by("-publish_at", "-pk")[:SEARCH_RESULTS]
        return JsonResponse({"stories": [entry(story) for story in found]})

    def preview_view(self, request, object_id):
        """The front as readers would see it with the arrangement posted, not saved."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        front = self.front_or_404(request, object_id)
        self.require_change(request, front)
        arrangement, _lead, _problems = arrangement_from_post(request.POST)
        extra = {"preview": True}
        if front.section_id is None:
            response = reader_views.render_home(request, arrangement, extra_context=extra)
        else:
            response = reader_views.render_section_front(
                request, front.section, arrangement, extra_context=extra
            )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def undo_view(self, request, object_id, change_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        front = self.front_or_404(request, object_id)
        self.require_change(request, front)
        change = get_object_or_404(FrontChange, pk=change_id, front=front)
        try:
            undone = services.undo_change(change=change, actor=request.user)
        except services.StaleFront:
            self.message_user(
                request,
                "The front changed at that moment: look at it and undo again.",
                messages.ERROR,
            )
        else:
            self.message_user(request, f"{front}: {undone.summary}", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:fronts_front_change", args=[front.pk]))

    def place_view(self, request, object_id, proposal_id):
        """Place a proposed story where it was proposed: saved, logged and undoable."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        front = self.front_or_404(request, object_id)
        self.require_change(request, front)
        proposal = get_object_or_404(PlacementProposal, pk=proposal_id, front=front)
        try:
            change = services.place_proposal(
                proposal=proposal,
                actor=request.user,
                opened_version=_int_or_none(request.POST.get("version")),
            )
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        except services.StaleFront:
            self.message_user(
                request,
                "The front changed at that moment: look at it and place the story again.",
                messages.ERROR,
            )
        else:
            self.message_user(
                request, f"{front} saved: readers see it now. {change.summary}", messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:fronts_front_change", args=[front.pk]))

    def dismiss_view(self, request, object_id, proposal_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        front = self.front_or_404(request, object_id)
        self.require_change(request, front)
        proposal = get_object_or_404(PlacementProposal, pk=proposal_id, front=front)
        try:
            services.dismiss_proposal(proposal=proposal, actor=request.user)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
        else:
            self.message_user(
                request, f"Dismissed the proposal of “{proposal.article.headline}”.", messages.INFO
            )
        return HttpResponseRedirect(reverse("admin:fronts_front_change", args=[front.pk]))


@admin.register(FrontChange)
class FrontChangeAdmin(admin.ModelAdmin):
    list_display = ["front", "changed_at", "changed_by", "summary"]
    list_select_related = ["front__section", "changed_by"]
    list_filter = ["front"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
