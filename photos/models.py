"""News photos: the image library and the renditions made from it."""

import re
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from newsroom.writes import WriteSignallingQuerySet

from . import imaging

# Alt text that says nothing about the photo.
FILE_NAME = re.compile(r"^\S+\.(jpe?g|png|gif|webp|heic|heif|tiff?|bmp|avif|svg)$", re.IGNORECASE)
CAMERA_NAME = re.compile(
    r"^(img|dsc|dscn|dscf|dcim|pxl|mvimg|gopr|sam|pic|image|photo|screenshot|screen shot|"
    r"whatsapp image)[\s_-]*[\d][\d\s_.:-]*$",
    re.IGNORECASE,
)
NOT_A_DESCRIPTION = frozenset(
    {
        "alt",
        "text",
        "image",
        "images",
        "img",
        "photo",
        "photos",
        "photograph",
        "picture",
        "pic",
        "graphic",
        "untitled",
        "placeholder",
        "todo",
        "tbd",
        "tk",
        "screenshot",
        "thumbnail",
        "file",
        "jpg",
        "jpeg",
        "png",
        "upload",
        "of",
        "a",
        "an",
        "the",
    }
)
ALT_TEXT_EXAMPLE = "e.g. “Firefighters outside the burning warehouse on Dock Street”"


def words_of(text):
    return re.findall(r"[^\W_]+", text.casefold())


def validate_alt_text(value, *, file_name=None):
    """
    Refuse alt text that describes nothing: a file name (the uploaded one, or anything that
    looks like one), a camera's automatic name, or words like “photo” and “image” alone.
    """
    text = value.strip()
    looks_like_a_file = FILE_NAME.match(text) or CAMERA_NAME.match(text)
    if looks_like_a_file or (
        file_name and words_of(text) == words_of(PurePosixPath(file_name).stem)
    ):
        raise ValidationError(
            "This is a file name, not a description. Say what the photo shows, "
            f"{ALT_TEXT_EXAMPLE}.",
            code="file_name",
        )
    words = words_of(text)
    meaningful = [word for word in words if word not in NOT_A_DESCRIPTION and not word.isdigit()]
    if not meaningful:
        raise ValidationError(
            f"Say what the photo shows, not that it is a photo: {ALT_TEXT_EXAMPLE}.",
            code="not_a_description",
        )
    if len(words) < 2:
        raise ValidationError(
            f"Describe the photo in a few words, {ALT_TEXT_EXAMPLE}.", code="too_short"
        )


def image_upload_to(instance, filename):
    """Our own name for an upload: random, in the month's folder, with the stored extension."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"images/{timezone.now():%Y/%m}/{secrets.token_hex(10)}{extension}"


# Editors hold it: they edit any photo in the library, where a journalist edits their own.
CHANGE_ANY_PERMISSION = "photos.change_any_image"


class ImageQuerySet(WriteSignallingQuerySet):
    def with_renditions(self):
        """Every rendition made so far, in one extra query, whatever the number of images."""
        return self.prefetch_related("renditions")

    def for_library(self):
        """The admin's image library: uploader and thumbnails in a fixed number of queries."""
        return self.select_related("uploaded_by").with_renditions()


class Image(models.Model):
    file = models.FileField(upload_to=image_upload_to, max_length=255, editable=False)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="For finding the photo in the library. The alt text is used when empty.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        validators=[validate_alt_text],
        help_text="What the photo shows, for readers who cannot see it: read aloud by screen "
        "readers and shown when the photo does not load.",
    )
    caption = models.TextField(
        blank=True, help_text="Shown under the photo. A story can replace it with its own."
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text="Who took the photo, e.g. “Ana Ruiz/The Newsroom”."
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    focal_x = models.FloatField(
        "focal point across",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right edge.",
    )
    focal_y = models.FloatField(
        "focal point down",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom edge.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        db_table = "articles_image"
        permissions = [("change_any_image", "Can edit any photo in the library")]
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True, focal_y__isnull=True)
                | Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message="A focal point needs both numbers, each from 0 to 1.",
            ),
            models.CheckConstraint(
                condition=Q(width__gt=0, height__gt=0),
                name="image_has_dimensions",
                violation_error_message="An image needs a width and a height.",
            ),
        ]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="image_library_idx")]

    def __str__(self):
        return self.title or Truncator(self.alt_text).chars(80)

    def save(self, *args, **kwargs):
        if not self.title:
            self.title = Truncator(self.alt_text).chars(100)
        super().save(*args, **kwargs)

    def clean(self):
        if (self.focal_x is None) != (self.focal_y is None):
            missing = "focal_y" if self.focal_y is None else "focal_x"
            raise ValidationError({missing: "Give both numbers of the focal point, or neither."})

    def use_upload(self, processed: imaging.ProcessedImage):
        """Take a checked, re-encoded upload as this image's file (named when saved)."""
        self.file = ContentFile(processed.content, name=f"upload.{processed.extension}")
        self.width, self.height = processed.width, processed.height

    @property
    def format(self):
        """The stored file's format: JPEG, PNG or WEBP."""
        return imaging.FORMATS[PurePosixPath(self.file.name).suffix.lstrip(".").lower()]

    @property
    def rendition_formats(self):
        """WebP for browsers that take it, then the original's format (JPEG for a WebP)."""
        return ("WEBP", "PNG" if self.format == "PNG" else "JPEG")

    @property
    def focal_point(self):
        if self.focal_x is None or self.focal_y is None:
            return None
        return (self.focal_x, self.focal_y)

    def crop_box(self, aspect):
        return imaging.crop_box(self.width, self.height, aspect, self.focal_point)

    def rendition_folder(self):
        """Where this image's renditions are stored: beside the original's month, by its name."""
        name = PurePosixPath(self.file.name)
        month = name.parent.relative_to("images") if name.parent.is_relative_to("images") else ""
        return str(PurePosixPath("renditions", month, name.stem))

    def prefetched_renditions(self):
        """
        The renditions already made, by key, when they were prefetched; otherwise an empty
        dict (never a query: a page that forgot to prefetch links to the rendition view).
        """
        if "renditions" not in getattr(self, "_prefetched_objects_cache", {}):
            return {}
        return {rendition.key: rendition for rendition in self.renditions.all()}


class Rendition(models.Model):
    """A resized (and maybe cropped) copy of an image, made once and kept in the storage."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    key = models.CharField(
        max_length=100, help_text="What was made: size, the part of the original kept, format."
    )
    file = models.FileField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "articles_rendition"
        constraints = [
            models.UniqueConstraint(
                fields=["image", "key"],
                name="rendition_made_once",
                violation_error_message="This rendition of the image already exists.",
            ),
        ]

    def __str__(self):
        return f"{self.image} ({self.key})"
