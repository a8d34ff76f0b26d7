from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format

from .models import Article, Author, Byline, Correction, Section, Tag

PUBLISH_PERMISSION = "articles.publish_article"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def newsroom_time(value):
    """A datetime as editors read it: in the newsroom's time zone, with the zone named."""
    return date_format(timezone.localtime(value), "j M Y, H:i T")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "show_in_nav"]
    list_editable = ["position", "show_in_nav"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["position", "author", "role"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "byline"
    verbose_name_plural = "bylines (in the order readers see them)"


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "published_at"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates"


class ArticleAdminForm(forms.ModelForm):
    # Set on the class by ArticleAdmin.get_form for the user making the request.
    can_publish = False

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields shown
        widgets = {
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "seo_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and not self.can_publish:
            status.choices = [
                (value, label)
                for value, label in status.choices
                if value in (Article.Status.DRAFT, Article.Status.REVIEW)
            ]
            status.error_messages["invalid_choice"] = (
                "Only an editor can publish, schedule or withdraw a story."
            )
        publish_at = self.fields.get("publish_at")
        if publish_at is not None:
            publish_at.help_text = (
                f"When the story goes live, in newsroom time ({timezone.get_current_timezone()}). "
                "Leave empty to publish now; a future time schedules the story."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("publish_at"):
            cleaned["publish_at"] = timezone.now()
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "standfirst"]}),
        ("Story", {"fields": ["dateline", "body"]}),
        ("Filing", {"fields": ["section", "tags", "byline_override"]}),
        (
            "Publishing",
            {"fields": ["status", "publish_at", "comment_mode", ("is_breaking", "breaking_until")]},
        ),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        (
            "Record",
            {
                "fields": [
                    ("created_by", "created_at"),
                    ("modified_by", "modified_at"),
                    ("first_published_at", "last_updated_at"),
                ],
                "classes": ["collapse"],
            },
        ),
    ]
    readonly_fields = [
        "created_by",
        "created_at",
        "modified_by",
        "modified_at",
        "first_published_at",
        "last_updated_at",
    ]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags"]
    list_display = ["headline", "section", "status_label", "publish_at", "byline_list"]
    list_filter = ["status", "section", ("publish_at", admin.DateFieldListFilter)]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "publish_at"
    list_per_page = 50

    class Media:
        css = {"all": ["admin/newsroom/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            readonly += ["publish_at", "is_breaking", "breaking_until"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.can_publish = can_publish(request.user)
        return form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        return obj.status in (Article.Status.DRAFT, Article.Status.REVIEW)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for correction in formset.save(commit=False):
            if isinstance(correction, Correction) and correction.created_by_id is None:
                correction.created_by = request.user
            correction.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else None

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return f"Scheduled for {newsroom_time(obj.publish_at)}"
        return obj.get_status_display()

    @admin.display(description="Bylines")
    def byline_list(self, obj):
        if obj.byline_override:
            return obj.byline_override
        return ", ".join(byline.author.name for byline in obj.bylines.all())
