import re
from dataclasses import dataclass

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.models import Version

from newsroom.admin import BoundedCountPaginator

from . import caching, imaging, search, services
from .formats import newsroom_time
from .models import (
    Article,
    Author,
    Byline,
    Correction,
    Image,
    Redirect,
    Section,
    Tag,
    validate_alt_text,
)
from .previews import preview_url
from .renditions import editor_url, picture
from .revisions import compare_versions
from .services import can_publish


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
    autocomplete_fields = ["photo"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Editors link an author to a staff account by name; they may not browse users.
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@dataclass(frozen=True)
class UploadedPhoto:
    """An upload that passed the checks: the name it came with, and what will be stored."""

    name: str
    processed: imaging.ProcessedImage


class PhotoUploadField(forms.FileField):
    """A photo file, checked and re-encoded by `imaging.read_upload` as the form is cleaned."""

    widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        processed = imaging.read_upload(
            upload,
            max_bytes=settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE,
            max_pixels=settings.NEWSROOM_IMAGE_MAX_PIXELS,
        )
        return UploadedPhoto(name=upload.name, processed=processed)


class ImageAdminForm(forms.ModelForm):
    upload = PhotoUploadField(label="Photo")

    class Meta:
        model = Image
        fields = ["title", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "caption": forms.Textarea(attrs={"rows": 3}),
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The photo is chosen once: renditions and stories rely on it. A new photo is a new
        # image in the library.
        if self.instance.pk is not None:
            del self.fields["upload"]
        else:
            self.fields["upload"].help_text = (
                f"A {imaging.ACCEPTED_DESCRIPTION} file of up to "
                f"{filesizeformat(settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE)} and "
                f"{settings.NEWSROOM_IMAGE_MAX_PIXELS / 1_000_000:g} megapixels. It is stored "
                "under a name of our own, without its camera data or location."
            )

    def clean_alt_text(self):
        alt_text = self.cleaned_data["alt_text"]
        upload = self.files.get(self.add_prefix("upload"))
        if upload is not None:
            validate_alt_text(alt_text, file_name=upload.name)
        return alt_text

    def clean(self):
        cleaned = super().clean()
        if uploaded := cleaned.get("upload"):
            self.instance.use_upload(uploaded.processed)
        return cleaned


FUNC_NUM = re.compile(r"-?[0-9]{1,9}")


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """
    The image library. Journalists and editors upload and describe photos; an editor may
    change any photo, a journalist the ones they uploaded. The change page has the
    focal-point picker; `picker/` is the body editor's “Browse...” window.
    """

    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        ("uploaded_at", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "alt_text", "caption", "credit"]
    search_help_text = "Search titles, alt text, captions and credits."
    date_hierarchy = "uploaded_at"
    list_per_page = 48
    readonly_fields = ["focal_point_picker", "dimensions", "uploaded_by", "uploaded_at"]
    picker_per_page = 24

    class Media:
        css = {"all": ["admin/newsroom/admin.css"]}
        js = ["admin/newsroom/focal-point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_library()

    def get_fieldsets(self, request, obj=None):
        description = ["alt_text", "title", "caption", "credit"]
        if obj is None:
            return [(None, {"fields": ["upload", *description]})]
        return [
            (
                "Focal point",
                {
                    "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                    "description": "Crops keep the focal point in view.",
                },
            ),
            ("Description", {"fields": description}),
            ("Record", {"fields": [("uploaded_by", "uploaded_at"), "dimensions"]}),
        ]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request.user):
            return True
        return obj.uploaded_by_id == request.user.pk

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or admin.options.IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            f"“{obj}” is in the library. Click the photo to set its focal point, then save.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_image_change", args=[obj.pk]))

    @admin.display(description="Photo")
    def thumbnail(self, obj):
        return picture(obj, "thumbnail")

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height} pixels"

    @admin.display(description="Photo")
    def focal_point_picker(self, obj):
        return render_to_string(
            "admin/articles/image/focal_point.html",
            {"image": obj, "picture": picture(obj, "preview")},
        )

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="articles_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The body editor's window for choosing a photo from the library to insert."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        func_num = request.GET.get("CKEditorFuncNum", "")
        if not FUNC_NUM.fullmatch(func_num):
            func_num = ""
        query = request.GET.get("q", "").replace("\x00", "").strip()
        images, _duplicates = self.get_search_results(request, self.get_queryset(request), query)
        page = Paginator(images, self.picker_per_page).get_page(request.GET.get("p"))
        choices = [
            {"image": image, "picture": picture(image, "thumbnail"), "url": editor_url(image)}
            for image in page.object_list
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Insert a photo from the library",
            "is_popup": True,
            "opts": self.opts,
            "func_num": func_num,
            "query": query,
            "page": page,
            "choices": choices,
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["position", "author", "role"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "byline"
    verbose_name_plural = "bylines (in the order readers see them)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "published_at"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates"


STEPS = {
    "submit": "Submit for review",
    "publish": "Publish now",
    "schedule": "Schedule",
    "send_back": "Send back to the writer",
    "withdraw": "Withdraw",
}

# Where a refusal is shown: next to the field that caused it, or above the form.
ERROR_FIELDS = {
    ("schedule", "past"): "schedule_for",
    ("send_back", "note"): "send_back_note",
    ("withdraw", "note"): "withdraw_note",
}


def refusal_text(refusal):
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal)


class ArticleAdminForm(forms.ModelForm):
    """
    The story's fields, plus the fields of the workflow panel. The state (status and
    publication time) is not a field: only the workflow steps change it, through services.
    """

    schedule_for = forms.SplitDateTimeField(
        label="Publication time", required=False, widget=AdminSplitDateTime
    )
    send_back_note = forms.CharField(
        label="What should the writer change?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The writer sees this note in the story's workflow log.",
    )
    withdraw_note = forms.CharField(
        label="Note to readers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown at the story's address, which will answer “410 Gone”.",
    )
    mark_as_update = forms.BooleanField(
        label="Mark this edit as an update",
        required=False,
        help_text="Readers see “Updated” with the time of this save.",
    )
    update_note = forms.CharField(
        label="Update note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added to the story's corrections and updates as an “Update”.",
    )

    # Set on the class by ArticleAdmin.get_form for the request being answered.
    user = None
    transition = ""

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields shown
        widgets = {
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "seo_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.created_by = self.user
        elif self.instance.is_scheduled:
            self.fields["schedule_for"].initial = self.instance.publish_at
        self.fields["schedule_for"].help_text = (
            f"In newsroom time ({timezone.get_current_timezone()}). The story goes live by "
            "itself at this time."
        )

    def clean(self):
        cleaned = super().clean()
        self.check_transition(cleaned)
        self.check_update(cleaned)
        return cleaned

    def check_transition(self, cleaned):
        step, article, user = self.transition, self.instance, self.user
        if not step:
            return
        try:
            if step == "submit":
                services.check_submit_for_review(article=article, actor=user)
            elif step == "publish":
                services.check_publish(article=article, actor=user)
            elif step == "schedule":
                if "schedule_for" in self.errors:
                    return
                if cleaned.get("schedule_for") is None:
                    raise ValidationError("Choose when the story goes live.", code="past")
                services.check_publish(article=article, actor=user, at=cleaned["schedule_for"])
            elif step == "send_back":
                note = cleaned.get("send_back_note", "")
                services.check_send_back(article=article, actor=user, note=note)
            elif step == "withdraw":
                note = cleaned.get("withdraw_note", "")
                services.check_withdraw(article=article, actor=user, note=note)
            else:
                raise ValidationError("Unknown workflow step.", code="state")
        except PermissionDenied as refusal:
            self.add_error(None, refusal_text(refusal))
        except ValidationError as refusal:
            self.add_error(ERROR_FIELDS.get((step, refusal.code)), refusal)

    def check_update(self, cleaned):
        marked = cleaned.get("mark_as_update")
        if cleaned.get("update_note", "").strip() and not marked:
            self.add_error(
                "mark_as_update", "Tick this box to publish the update note, or clear the note."
            )
        if not marked:
            return
        if self.transition:
            self.add_error("mark_as_update", "Save the update first, then take a workflow step.")
            return
        try:
            services.check_mark_updated(article=self.instance, actor=self.user)
        except PermissionDenied as refusal:
            self.add_error(None, refusal_text(refusal))
        except ValidationError as refusal:
            self.add_error("mark_as_update", refusal)


class OwnStoriesFilter(admin.SimpleListFilter):
    title = "writer"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My stories")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.owned_by(request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "standfirst"]}),
        ("Story", {"fields": ["dateline", "body"]}),
        ("Lead photo", {"fields": ["lead_image", "lead_image_preview", "lead_image_caption"]}),
        ("Filing", {"fields": ["section", "tags", "byline_override"]}),
        (
            "Publishing",
            {"fields": ["status_summary", "comment_mode", ("is_breaking", "breaking_until")]},
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
        "lead_image_preview",
        "status_summary",
        "created_by",
        "created_at",
        "modified_by",
        "modified_at",
        "first_published_at",
        "last_updated_at",
    ]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags", "lead_image"]
    list_display = ["headline", "section", "status_label", "publish_at", "byline_list"]
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
        js = ["admin/newsroom/workflow.js"]

    def get_queryset(self, request):
        stories = super().get_queryset(request).visible_in_admin_to(request.user)
        return stories.prefetch_related("bylines__author")

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or obj.can_be_read_in_admin_by(request.user)

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
        old_url = None
        if change:
            old_url = Article.objects.select_related("section").get(pk=obj.pk).get_absolute_url()
            # The pages that showed the story as it was: it may leave a section or a tag.
            request.story_pages_before = caching.keys_for_stories([obj.pk])
        super().save_model(request, obj, form, change)
        if change:
            services.keep_old_address(article=obj, old_url=old_url)

    def save_formset(self, request, form, formset, change):
        for correction in formset.save(commit=False):
            if isinstance(correction, Correction) and correction.created_by_id is None:
                correction.created_by = request.user
            correction.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

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
        caching.stories_changed(
            [article.pk], before=getattr(request, "story_pages_before", frozenset())
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
        return obj.status_label

    @admin.display(description="Lead photo as saved")
    def lead_image_preview(self, obj):
        if obj.lead_image is None:
            return "No lead photo yet."
        return picture(obj.lead_image, "thumbnail")

    @admin.display(description="Bylines")
    def byline_list(self, obj):
        if obj.byline_override:
            return obj.byline_override
        return ", ".join(byline.author.name for byline in obj.bylines.all())


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_address", "leads_to", "created_at"]
    list_select_related = ["article", "section"]
    search_fields = ["old_path", "old_query", "article__headline", "section__name"]
    autocomplete_fields = ["article", "section"]
    fields = ["old_path", "old_query", "article", "section"]

    @admin.display(description="Old address", ordering="old_path")
    def old_address(self, obj):
        return format_html("<code>{}</code>", obj.old_address)

    @admin.display(description="Leads to")
    def leads_to(self, obj):
        if obj.section_id is not None:
            return f"Section: {obj.section}"
        return obj.article
