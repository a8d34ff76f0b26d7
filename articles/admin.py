import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from . import imaging
from .models import Article, Author, Byline, Correction, Image, Section, Tag, validate_alt_text
from .renditions import editor_url, picture

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
    autocomplete_fields = ["photo"]


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
        query = request.GET.get("q", "").strip()
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
        ("Lead photo", {"fields": ["lead_image", "lead_image_preview", "lead_image_caption"]}),
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
        "lead_image_preview",
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
