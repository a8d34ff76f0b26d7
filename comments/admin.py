import ipaddress

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Subquery
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.models import Article
from newsroom.admin import BoundedCountPaginator

from . import moderation_queue, services
from .models import (
    MODERATE_PERMISSION,
    Comment,
    ModerationLog,
    ModerationSettings,
    TrustedCommenter,
)


class ModerationLogInline(admin.TabularInline):
    model = ModerationLog
    fields = ["at", "moderator", "from_status", "to_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "moderation history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("moderator")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StoryFilter(admin.SimpleListFilter):
    """
    The stories with the most comments waiting for a moderator (and the one chosen, if
    another): a list of every story with a comment would run to the whole archive.
    """

    title = "story"
    parameter_name = "article__id__exact"
    shown = 15
    # The busiest stories are found among this many latest held comments: a bounded read of
    # the queue's index, however long the queue.
    latest = 2_000

    def lookups(self, request, model_admin):
        held = Comment.objects.awaiting_moderation()
        latest = held.order_by("-submitted_at").values("pk")[: self.latest]
        busiest = list(
            Comment.objects.filter(pk__in=Subquery(latest))
            .values("article")
            .annotate(held=Count("pk"))
            .order_by("-held", "-article")[: self.shown]
        )
        ids = [row["article"] for row in busiest]
        chosen = self.value()
        if chosen and chosen.isdigit() and int(chosen) not in ids:
            ids.append(int(chosen))
        headlines = dict(Article.objects.filter(pk__in=ids).values_list("pk", "headline"))
        held = {row["article"]: row["held"] for row in busiest}
        return [
            (str(pk), f"{Truncator(headlines[pk]).chars(60)} ({held[pk]} waiting)")
            if pk in held
            else (str(pk), Truncator(headlines[pk]).chars(60))
            for pk in ids
            if pk in headlines
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(article_id=int(value))
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """
    The queue opens on the comments awaiting moderation; every other state, and all of them
    at once, one click away.
    """

    title = "status"
    parameter_name = "status__exact"
    ALL = "all"

    @classmethod
    def chosen(cls, value):
        """The status shown for the address's `value`: pending when none is given."""
        if value == cls.ALL or value in Comment.Status.values:
            return value
        return Comment.Status.PENDING

    def lookups(self, request, model_admin):
        return Comment.Status.choices

    def choices(self, changelist):
        shown = self.chosen(self.value())
        for value, label in [*self.lookup_choices, (self.ALL, "All")]:
            yield {
                "selected": shown == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}, ["p"]),
                "display": label,
            }

    def queryset(self, request, queryset):
        shown = self.chosen(self.value())
        if shown == self.ALL:
            return queryset
        return queryset.filter(status=shown)


class CommenterHistoryFilter(admin.SimpleListFilter):
    title = "commenter"
    parameter_name = "commenter"

    def lookups(self, request, model_admin):
        return [("new", "First-time commenters"), ("known", "With an approved comment")]

    def queryset(self, request, queryset):
        if self.value() == "new":
            return queryset.filter(earlier_approved=0)
        if self.value() == "known":
            return queryset.filter(earlier_approved__gt=0)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first, oldest first."""

    def get_changelist_instance(self, request):
        # A filter typed into the address that its field cannot hold (?ip_address=x) is
        # answered like any unknown filter: the whole queue, with the admin's "?e=1" note.
        try:
            return super().get_changelist_instance(request)
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error

    list_display = ["card"]
    list_display_links = None
    list_filter = [
        StatusFilter,
        StoryFilter,
        "article__section",
        ("submitted_at", admin.DateFieldListFilter),
        "rule",
        CommenterHistoryFilter,
    ]
    search_fields = ["body", "name", "email"]
    list_per_page = 50
    # A million comments: never count them all.
    paginator = BoundedCountPaginator
    show_full_result_count = False
    actions = ["approve", "reject", "mark_spam", "approve_and_trust"]
    inlines = [ModerationLogInline]
    fieldsets = [
        (None, {"fields": ["article", "parent", "body", "status"]}),
        ("Commenter", {"fields": ["name", "email", "website", "ip_address", "user_agent"]}),
        (
            "Moderation",
            {"fields": ["rule", "reason", "submitted_at", "moderated_by", "moderated_at"]},
        ),
    ]
    readonly_fields = [
        "article",
        "parent",
        "body",
        "status",
        "name",
        "email",
        "website",
        "ip_address",
        "user_agent",
        "rule",
        "reason",
        "submitted_at",
        "moderated_by",
        "moderated_at",
    ]

    class Media:
        css = {"all": ["admin/newsroom/comments.css"]}
        js = ["admin/newsroom/moderation-queue.js"]

    def get_queryset(self, request):
        return Comment.objects.for_moderation_queue()

    def changelist_view(self, request, extra_context=None):
        shown = StatusFilter.chosen(request.GET.get(StatusFilter.parameter_name))
        return super().changelist_view(
            request,
            {
                "title": "Moderation queue",
                "status_counts": moderation_queue.status_counts(),
                "status_shown": shown,
                **(extra_context or {}),
            },
        )

    def get_ordering(self, request):
        """
        Every status: held comments first, then oldest first; one status (pending, the
        default), simply oldest first (the same order, read from the status index).
        """
        if StatusFilter.chosen(request.GET.get(StatusFilter.parameter_name)) == StatusFilter.ALL:
            return ["queue_rank", "submitted_at", "pk"]
        return ["submitted_at", "pk"]

    def get_search_results(self, request, queryset, search_term):
        """
        An IP address finds that address's comments; anything else is looked for in the
        comments' text, names and emails (trigram indexes serve these on PostgreSQL).
        """
        term = search_term.strip()
        try:
            address = str(ipaddress.ip_address(term))
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(ip_address=address), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_visible and obj.article.is_live else None

    def get_list_display(self, request):
        """A moderator's cards carry the decisions; anyone else who may read the queue, none."""
        return ["card"] if self.has_moderate_permission(request) else ["card_to_read"]

    @admin.display(description="Comment")
    def card(self, obj, *, decisions=True):
        return render_to_string(
            "admin/comments/comment/_card.html",
            {
                "comment": obj,
                "decide_url": reverse("admin:comments_comment_decide", args=[obj.pk])
                if decisions
                else "",
                "change_url": reverse("admin:comments_comment_change", args=[obj.pk]),
            },
        )

    @admin.display(description="Comment")
    def card_to_read(self, obj):
        return self.card(obj, decisions=False)

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decision_view),
            name="comments_comment_decide",
        )
        return [decide, *super().get_urls()]

    def decision_view(self, request, object_id):
        """
        One decision on one comment from its card in the queue (moderation_queue.decide),
        answered in JSON when asked for it, else with the queue and a message. POST only,
        moderators only; a comment that does not exist is a 404.
        """
        wants_json = "application/json" in request.headers.get("Accept", "")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_moderate_permission(request):
            if wants_json:
                return JsonResponse(
                    {"error": "Only a moderator can decide on comments."}, status=403
                )
            raise PermissionDenied
        comment = (
            Comment.objects.filter(pk=int(object_id)).first()
            if object_id.isascii() and object_id.isdigit()
            else None
        )
        if comment is None:
            if wants_json:
                return JsonResponse({"error": "There is no such comment."}, status=404)
            raise Http404("There is no such comment.")
        try:
            outcome = moderation_queue.decide(
                comment=comment, form=request.POST, moderator=request.user
            )
        except moderation_queue.Refused as refused:
            if wants_json:
                return JsonResponse({"error": refused.message}, status=refused.status)
            self.message_user(request, refused.message, messages.ERROR)
        else:
            if wants_json:
                return JsonResponse(outcome.as_json())
            self.message_user(request, outcome.message, messages.SUCCESS)
        # Back to the queue as it was filtered (read as a query string, so never elsewhere).
        filters = QueryDict(request.POST.get("_changelist_filters", "")).urlencode()
        queue = reverse("admin:comments_comment_changelist")
        return HttpResponseRedirect(f"{queue}?{filters}" if filters else queue)

    def run_action(self, request, queryset, action, done):
        result = action(comments=queryset, moderator=request.user)
        text = f"{done} {result.changed} comment{'s' if result.changed != 1 else ''}."
        if result.unchanged:
            text += f" {result.unchanged} already {'were' if result.unchanged != 1 else 'was'}."
        if result.trusted:
            text += (
                f" {result.trusted} commenter{'s are' if result.trusted != 1 else ' is'} "
                "now trusted."
            )
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve(self, request, queryset):
        self.run_action(request, queryset, services.approve_comments, "Approved")

    @admin.action(description="Reject selected comments", permissions=["moderate"])
    def reject(self, request, queryset):
        self.run_action(request, queryset, services.reject_comments, "Rejected")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self.run_action(request, queryset, services.mark_spam, "Marked as spam:")

    @admin.action(
        description="Approve selected comments and trust their commenters",
        permissions=["moderate"],
    )
    def approve_and_trust(self, request, queryset):
        self.run_action(request, queryset, services.approve_and_trust, "Approved")


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["at", "moderator", "comment_link", "from_status", "to_status"]
    # An entry is read, never edited: no form fields (a comment field would be ordered as the
    # queue orders comments, by an annotation only the queue has).
    fields = ["at", "moderator", "comment_link", "from_status", "to_status"]
    readonly_fields = fields
    list_filter = ["to_status", ("at", admin.DateFieldListFilter)]
    list_select_related = ["moderator", "comment"]
    search_fields = ["comment__body", "comment__email", "moderator__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Comment")
    def comment_link(self, obj):
        return format_html(
            '<a href="{}"><bdi>{}</bdi>: {}</a>',
            reverse("admin:comments_comment_change", args=[obj.comment_id]),
            Truncator(obj.comment.name).chars(40),
            Truncator(" ".join(obj.comment.body.split())).chars(60),
        )


@admin.register(TrustedCommenter)
class TrustedCommenterAdmin(admin.ModelAdmin):
    list_display = ["email", "trusted_by", "trusted_at"]
    list_select_related = ["trusted_by"]
    search_fields = ["email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    """One page of settings, like a blog's discussion settings: no list, no add, no delete."""

    fieldsets = [
        (
            "Holding comments for review",
            {"fields": ["hold_all", "auto_approve_known", "link_limit", "hold_terms"]},
        ),
        ("Spam", {"fields": ["spam_terms", "min_seconds_to_post", "flood_interval_seconds"]}),
        ("Closing comments", {"fields": ["close_after_days"]}),
        ("Telling moderators", {"fields": ["notify_emails", "notify_interval_minutes"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "notify_emails":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings_row = ModerationSettings.load()
        return HttpResponseRedirect(
            reverse("admin:comments_moderationsettings_change", args=[settings_row.pk])
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_continue" not in request.POST:
            self.message_user(request, "The moderation settings were saved.", messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


admin.site.add_desk_panel("admin/comments/desk.html", moderation_queue.moderator_desk)
