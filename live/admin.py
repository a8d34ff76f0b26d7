"""
Live coverage in the admin. Journalists post entries to running coverage and change their
own; editors start coverage, change any entry, pin, correct and delete entries (deleting
keeps the entry and records it) and end coverage. Every rule is checked on the server, in
the permission methods and the services, whatever the form sent.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.models import Article, Author

from . import services
from .models import MANAGE_PERMISSION, EntryRecord, LiveCoverage, LiveEntry


def manages(request):
    return request.user.has_perm(MANAGE_PERMISSION)


def coverage_visible_to(user):
    """
    The coverage `user` may see in the admin: that of the stories they may read there (an
    editor every story; anyone else live stories and their own, never a colleague's draft
    or an embargoed story: see Article.objects.visible_in_admin_to).
    """
    stories = Article.objects.visible_in_admin_to(user)
    return LiveCoverage.objects.filter(article__in=stories.values("pk"))


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    list_display = ["article", "started_at", "state", "entry_count", "post_entry"]
    list_select_related = ["article"]
    search_fields = ["article__headline"]
    autocomplete_fields = ["article"]
    fields = ["article", "summary", "started_at", "order", "ended_at", "ended_by"]
    readonly_fields = ["ended_at", "ended_by"]
    actions = ["end_coverage"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=coverage_visible_to(request.user).values("pk"))
            .annotate(shown_entries=Count("entries", filter=Q(entries__deleted_at=None)))
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "article"]
        return self.readonly_fields

    @admin.display(description="state")
    def state(self, coverage):
        return "Ended" if coverage.has_ended else "Live"

    @admin.display(description="entries", ordering="shown_entries")
    def entry_count(self, coverage):
        return coverage.shown_entries

    @admin.display(description="")
    def post_entry(self, coverage):
        if coverage.has_ended:
            return ""
        url = reverse("admin:live_liveentry_add")
        return format_html('<a href="{}?coverage={}">Post an entry</a>', url, coverage.pk)

    def has_manage_permission(self, request):
        return manages(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="End the selected coverage", permissions=["manage"])
    def end_coverage(self, request, queryset):
        for coverage in queryset.filter(ended_at=None):
            services.end_coverage(coverage=coverage, actor=request.user)
        self.message_user(request, "Coverage ended: the pages say so.", messages.SUCCESS)


class EntryRecordInline(admin.TabularInline):
    model = EntryRecord
    fields = ["at", "action", "by", "note", "headline_before", "body_before"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "record"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LiveEntryForm(forms.ModelForm):
    correction = forms.CharField(
        label="Correction note",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Editors: to correct this entry, say what was wrong. Readers see the note "
        "under it; the earlier words are kept in its record.",
    )

    class Meta:
        model = LiveEntry
        fields = ["coverage", "authors", "headline", "body", "is_key_event", "is_pinned"]

    user = None

    def clean_coverage(self):
        coverage = self.cleaned_data["coverage"]
        if self.instance.pk is None:
            try:
                services.check_can_post(coverage=coverage, actor=self.user)
            except (PermissionDenied, ValidationError) as refusal:
                raise ValidationError(getattr(refusal, "messages", [str(refusal)])) from None
        return coverage


@admin.register(LiveEntry)
class LiveEntryAdmin(admin.ModelAdmin):
    form = LiveEntryForm
    list_display = ["__str__", "coverage", "created_at", "authors_shown", "is_pinned", "state"]
    list_filter = ["is_pinned", "is_key_event", "coverage"]
    list_select_related = ["coverage__article"]
    search_fields = ["headline"]
    autocomplete_fields = ["authors"]
    inlines = [EntryRecordInline]
    actions = ["pin", "unpin"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(coverage__in=coverage_visible_to(request.user).values("pk"))
            .prefetch_related("authors")
        )

    def get_inlines(self, request, obj):
        # A new entry has no record yet.
        return self.inlines if obj is not None else []

    @admin.display(description="authors")
    def authors_shown(self, entry):
        return ", ".join(author.name for author in entry.authors.all())

    @admin.display(description="state")
    def state(self, entry):
        if entry.is_deleted:
            return "Deleted"
        return "Corrected" if entry.corrected_at else "Shown"

    def get_fields(self, request, obj=None):
        fields = ["coverage", "authors", "headline", "body", "is_key_event"]
        if manages(request):
            fields.append("is_pinned")
            if obj is not None:
                fields.append("correction")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return ["coverage"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "coverage":
            # Ended coverage stays a choice, so that posting to it gets a clear refusal.
            kwargs["queryset"] = (
                coverage_visible_to(request.user).select_related("article").order_by("-started_at")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("authors", list(Author.objects.filter(user=request.user)))
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return obj.can_be_edited_by(request.user)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return manages(request) and super().has_delete_permission(request, obj)

    def has_manage_permission(self, request):
        return manages(request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.posted_by = request.user
            obj.save()
            return
        before = LiveEntry.objects.get(pk=obj.pk)
        note = form.cleaned_data.get("correction", "").strip()
        if note:
            services.check_can_manage(actor=request.user)
            obj.correction_note = note
            obj.corrected_at = timezone.now()
        if before.is_pinned != obj.is_pinned:
            services.check_can_manage(actor=request.user)
        obj.save()
        services.record_change(entry=obj, actor=request.user, before=before, note=note)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            EntryRecord.objects.create(
                entry=form.instance, action=EntryRecord.Action.POSTED, by=request.user
            )

    def delete_model(self, request, obj):
        services.delete_entry(entry=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.delete_entry(entry=entry, actor=request.user)

    @admin.action(description="Pin the selected entries to the top", permissions=["manage"])
    def pin(self, request, queryset):
        for entry in queryset:
            services.set_pinned(entry=entry, actor=request.user, pinned=True)

    @admin.action(description="Unpin the selected entries", permissions=["manage"])
    def unpin(self, request, queryset):
        for entry in queryset:
            services.set_pinned(entry=entry, actor=request.user, pinned=False)


def live_desk(request):
    """The running coverage, on the desk of those who post to it: nothing when none runs."""
    if not request.user.has_perm("live.add_liveentry"):
        return None
    running = (
        coverage_visible_to(request.user)
        .filter(ended_at=None)
        .select_related("article")
        .annotate(
            shown_entries=Count("entries", filter=Q(entries__deleted_at=None)),
            last_entry_at=Max("entries__created_at", filter=Q(entries__deleted_at=None)),
        )
        .order_by("-started_at")[:10]
    )
    return list(running) or None


admin.site.add_desk_panel("admin/live/desk.html", live_desk)
