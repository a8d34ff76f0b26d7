"""The story list and the story form in the admin."""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join

from newsroom.admin import BoundedCountPaginator
from photos.renditions import picture

from .. import presence, redirects, search, services
from ..formats import newsroom_time
from ..models import Article, Correction, EditingPresence
from ..models.presence import HEARTBEAT_SECONDS
from ..presence import clock as presence_clock
from ..presence import person_name as presence_name
from ..previews import preview_url
from ..services import can_publish
from .story_form import STEPS, ArticleAdminForm, refusal_text
from .story_pages import StoryPagesMixin
from .story_parts import BylineFormSet, BylineInline, CorrectionInline, own_byline


class OwnStoriesFilter(admin.SimpleListFilter):
    title = "writer"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My stories")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.owned_by(request.user)
        return queryset


# Who made the story and when it was changed and published: shown, never typed.
RECORD_FIELDS = [
    "created_by",
    "created_at",
    "modified_by",
    "modified_at",
    "first_published_at",
    "last_updated_at",
]


@admin.register(Article)
class ArticleAdmin(StoryPagesMixin, admin.ModelAdmin):
    # Its own check of versions, which merges field by field (articles/conflicts.py).
    guards_own_versions = True
    form = ArticleAdminForm
    inlines = [BylineInline, CorrectionInline]  # which ones a story shows: get_inlines()
    # The writing fills the left of the form; fieldsets with "in-panel" go in the panel
    # on its right (templates/admin/articles/article/change_form.html).
    fieldsets = [
        (None, {"fields": ["headline", "kicker", "standfirst", "slug"]}),
        ("Story", {"fields": ["dateline", "body"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        ("Filing", {"fields": ["section", "tags", "byline_override"], "classes": ["in-panel"]}),
        (
            "Lead photo",
            {
                "fields": ["lead_image", "lead_image_preview", "lead_image_caption"],
                "classes": ["in-panel"],
            },
        ),
        (
            "Publishing",
            {
                "fields": ["comment_mode", "is_breaking", "breaking_until"],
                "classes": ["in-panel"],
            },
        ),
        (
            "Record",
            {
                "fields": RECORD_FIELDS,
                "classes": ["collapse", "in-panel"],
            },
        ),
    ]
    readonly_fields = ["lead_image_preview", *RECORD_FIELDS]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "lead_image"]
    list_display = [
        "headline",
        "section",
        "status_label",
        "publish_at",
        "byline_list",
        "being_edited",
    ]
    list_filter = [
        OwnStoriesFilter,
        "status",
        "section",
        ("publish_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["section"]
    # The admin searches the readers' full-text index (see get_search_results).
    search_fields = ["headline"]
    search_help_text = (
        'Searches headlines, standfirsts and story text: "a phrase", -leave-out, either OR or.'
    )
    list_per_page = 50
    # A newsroom's archive runs to hundreds of thousands of stories: never count them all
    # (and no date drill-down, whose list of years reads every row; the publication-time
    # filter does that job from the index).
    paginator = BoundedCountPaginator
    show_full_result_count = False
    actions = ["submit_selected_for_review", "publish_selected_now"]

    class Media:
        css = {"all": ["admin/newsroom/admin.css"]}
        js = [
            "admin/newsroom/workflow.js",
            "admin/newsroom/presence.js",
            "admin/newsroom/story-form.js",
        ]

    def get_queryset(self, request):
        stories = super().get_queryset(request).visible_in_admin_to(request.user)
        stories = stories.prefetch_related("bylines__author")
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            # Who is editing each story of the list: one query for the page.
            stories = stories.prefetch_related(
                Prefetch(
                    "presences",
                    queryset=EditingPresence.objects.active()
                    .exclude(user=request.user)
                    .select_related("user"),
                    to_attr="editing_now",
                )
            )
        return stories

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or obj.can_be_read_in_admin_by(request.user)

    def changelist_view(self, request, extra_context=None):
        # The list takes the page's width (the admin's menu stays on the other pages).
        extra_context = {**(extra_context or {}), "is_nav_sidebar_enabled": False}
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        """Stories of any status that match, through the same index as readers' search."""
        if not search_term.strip():
            return queryset, False
        return search.matching(queryset, search_term), False

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            readonly += ["is_breaking", "breaking_until"]
        return readonly

    def get_inlines(self, request, obj):
        # Corrections and updates belong to a live story, added by those who may edit it;
        # once a story has some, they stay shown.
        if obj is None or obj.pk is None:
            return [BylineInline]
        if (obj.is_live and obj.can_be_edited_by(request.user)) or obj.corrections.exists():
            return [BylineInline, CorrectionInline]
        return [BylineInline]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method != "POST":
            kwargs["initial"] = own_byline(request.user)
        return kwargs

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        form.transition = request.POST.get("_transition", "") if request.method == "POST" else ""
        return form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_be_edited_by(request.user)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # One revision for the whole save: the story, its bylines and corrections, and
        # any workflow step taken with it.
        with reversion.create_revision():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        if change:
            # The row is locked since the form was checked (ArticleAdminForm.check_version).
            obj.version = form.locked_version + 1
        old_url = None
        if change:
            old_url = Article.objects.select_related("section").get(pk=obj.pk).get_absolute_url()
        super().save_model(request, obj, form, change)
        if change:
            redirects.keep_old_address(article=obj, old_url=old_url)

    def save_formset(self, request, form, formset, change):
        for correction in formset.save(commit=False):
            if isinstance(correction, Correction) and correction.created_by_id is None:
                correction.created_by = request.user
            correction.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()
        if isinstance(formset, BylineFormSet):
            formset.number_in_order()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article, cleaned = form.instance, form.cleaned_data
        done = []
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            done.append("Changed the story." if change else "Created the story.")
        try:
            if form.transition:
                self.take_step(request, article, form.transition, cleaned)
                done.append(f"{STEPS[form.transition]}.")
            if cleaned.get("mark_as_update"):
                services.mark_updated(
                    article=article, actor=request.user, note=cleaned.get("update_note", "")
                )
                done.append("Marked as an update.")
        except ValidationError as refusal:
            # Checked when the form was cleaned; only a colleague acting at the same moment
            # gets here. Nothing is saved.
            raise PermissionDenied(refusal_text(refusal)) from refusal
        services.describe_revision(
            article=article, actor=request.user, comment=" ".join(done) or "Saved."
        )

    def take_step(self, request, article, step, cleaned):
        actor = request.user
        if step == "submit":
            services.submit_for_review(article=article, actor=actor)
            self.message_user(request, f"“{article}” was submitted for review.", messages.SUCCESS)
        elif step == "publish":
            services.publish(article=article, actor=actor)
            self.message_user(request, f"“{article}” is live.", messages.SUCCESS)
        elif step == "schedule":
            services.publish(article=article, actor=actor, at=cleaned["schedule_for"])
            self.message_user(
                request,
                f"“{article}” is scheduled for {newsroom_time(article.publish_at)}.",
                messages.SUCCESS,
            )
        elif step == "send_back":
            services.send_back(article=article, actor=actor, note=cleaned["send_back_note"])
            self.message_user(
                request, f"“{article}” was sent back to the writer as a draft.", messages.SUCCESS
            )
        elif step == "withdraw":
            services.withdraw(article=article, actor=actor, note=cleaned["withdraw_note"])
            self.message_user(
                request,
                f"“{article}” was withdrawn: its address now answers with your note.",
                messages.SUCCESS,
            )

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("_transition"):
            return HttpResponseRedirect(self.change_url(obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if request.POST.get("_transition"):
            return HttpResponseRedirect(self.change_url(obj))
        return super().response_change(request, obj)

    def change_url(self, article):
        return reverse("admin:articles_article_change", args=[quote(article.pk)])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or context["adminform"].form.instance
        editable = self.has_change_permission(request, obj) if obj else add
        steps = services.available_transitions(article=article, user=request.user)
        if obj and editable:
            presence.heartbeat(article=obj, user=request.user, opening=request.method == "GET")
            context.update(
                presence=presence.state_for(article=obj, user=request.user),
                presence_url=reverse("admin:articles_article_presence", args=[quote(obj.pk)]),
                take_over_url=(
                    reverse("admin:articles_article_take_over", args=[quote(obj.pk)])
                    if can_publish(request.user)
                    else None
                ),
                heartbeat_seconds=HEARTBEAT_SECONDS,
            )
        context.update(
            workflow_steps=steps if editable else [],
            status_label=self.status_summary(article),
            audit_entries=obj.audit_entries.for_article_page() if obj else [],
            preview_link=(
                request.build_absolute_uri(preview_url(obj))
                if obj and obj.can_be_previewed_by(request.user)
                else None
            ),
            preview_hours=round(settings.NEWSROOM_PREVIEW_MAX_AGE / 3600),
            # The form takes the page's width: the admin's menu stays on the other pages.
            is_nav_sidebar_enabled=False,
            show_save_and_add_another=False,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    # Bulk actions: each story goes through the same service as the change form, and is
    # refused on its own when this person may not do that to it.

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_selected_for_review(self, request, queryset):
        self.apply_to_each(
            request, queryset, services.submit_for_review, done="submitted for review"
        )

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_selected_now(self, request, queryset):
        self.apply_to_each(request, queryset, services.publish, done="published")

    def apply_to_each(self, request, queryset, step, *, done):
        succeeded, refused = 0, []
        for article in queryset.select_related("section").prefetch_related("bylines__author"):
            try:
                step(article=article, actor=request.user)
            except (PermissionDenied, ValidationError) as refusal:
                refused.append(f"“{article}”: {refusal_text(refusal)}")
            else:
                succeeded += 1
        if succeeded:
            stories = "story" if succeeded == 1 else "stories"
            self.message_user(request, f"{succeeded} {stories} {done}.", messages.SUCCESS)
        for refusal in refused:
            self.message_user(request, f"Not {done}: {refusal}", messages.ERROR)

    @admin.display(description="Status")
    def status_summary(self, obj):
        if obj.pk is None:
            return "Draft, not saved yet"
        if obj.is_withdrawn and obj.withdrawn_at:
            return f"Withdrawn on {newsroom_time(obj.withdrawn_at)}"
        if obj.is_live:
            return f"Live since {newsroom_time(obj.publish_at)}"
        return obj.status_label

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        # The list shows the publication time in a column of its own.
        return "Scheduled" if obj.is_scheduled else obj.get_status_display()

    @admin.display(description="Lead photo as saved")
    def lead_image_preview(self, obj):
        if obj.lead_image is None:
            return "No lead photo yet."
        return picture(obj.lead_image, "thumbnail")

    @admin.display(description="Being edited")
    def being_edited(self, obj):
        return format_html_join(
            ", ",
            '<span class="being-edited">✎ {} <span class="quiet">since {}</span></span>',
            (
                (presence_name(editing.user), presence_clock(editing.opened_at))
                for editing in getattr(obj, "editing_now", ())
            ),
        )

    @admin.display(description="Bylines")
    def byline_list(self, obj):
        if obj.byline_override:
            return obj.byline_override
        return ", ".join(byline.author.name for byline in obj.bylines.all())
