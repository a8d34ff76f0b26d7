"""
The image library in the admin: uploading (checked and re-encoded before anything is stored),
describing, the focal point, and the body editor's window for choosing a photo.
"""

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

from . import imaging
from .models import CHANGE_ANY_PERMISSION, Image, validate_alt_text
from .renditions import editor_url, picture


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
    The image library. Journalists and editors upload and describe photos; an editor (the
    `photos.change_any_image` permission) may change any photo, a journalist the ones they
    uploaded. The change page has the
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
        js = ["photos/focal-point.js"]

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
        if obj is None or request.user.has_perm(CHANGE_ANY_PERMISSION):
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
        return HttpResponseRedirect(reverse("admin:photos_image_change", args=[obj.pk]))

    @admin.display(description="Photo")
    def thumbnail(self, obj):
        return picture(obj, "thumbnail")

    @admin.display(description="Size")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height} pixels"

    @admin.display(description="Photo")
    def focal_point_picker(self, obj):
        return render_to_string(
            "admin/photos/image/focal_point.html",
            {"image": obj, "picture": picture(obj, "preview")},
        )

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="photos_image_picker",
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
        return TemplateResponse(request, "admin/photos/image/picker.html", context)
