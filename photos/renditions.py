"""
Renditions: the sizes of each photo that pages use, named in one place and made on first use.

How a page gets its images without a query per image:

- A template asks for `{% picture image "card" %}`. The spec `card` says which aspect ratio,
  which widths and which `sizes` the page uses. The crop comes from the image's own focal point,
  so every URL is known from the image row alone.
- A page's query prefetches the renditions of all its images in one query
  (`.prefetch_related("lead_image__renditions")`). A rendition already made is linked
  straight to its file in the storage (local disk or S3, through `default_storage`).
- One not made yet is linked to the rendition view
  (`/images/<id>/<signature>/<spec>-<width>.<format>`), which makes it on its first request
  (from one decode of the original), records it, and redirects to the file; the next render
  of the page links to the file directly.

So a page runs the same queries whether its renditions exist or not, never resizes during the
page's own request, and no size is made twice: a rendition is recorded under a unique
(image, key) constraint, and a request that loses a race to make the same file drops its copy
and uses the winner's. The signature (an HMAC of the image id) keeps the view from being a way
to list every image in the library, embargoed ones included; only the named specs' widths and
formats are made, so the view cannot be asked for arbitrary sizes.
"""

import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import imaging
from .models import Rendition

logger = logging.getLogger(__name__)

MIME_TYPES = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Spec:
    """How one kind of place on a page shows a photo."""

    name: str
    aspect: tuple[int, int] | None
    widths: tuple[int, ...]
    sizes: str
    # The page's main image: fetched at once and first, never lazily.
    priority: bool = False

    def widths_for(self, box):
        """
        The spec's widths that the cropped photo can fill without being enlarged, and the
        crop's own width when the spec would like it larger still.
        """
        crop_width = box[2] - box[0]
        fitting = tuple(width for width in self.widths if width <= crop_width)
        if len(fitting) < len(self.widths) and crop_width > (fitting[-1] if fitting else 0) * 1.15:
            fitting += (crop_width,)
        return fitting

    def jobs(self, image):
        box = image.crop_box(self.aspect)
        crop_width, crop_height = box[2] - box[0], box[3] - box[1]
        return [
            imaging.RenditionJob(box, (width, max(1, round(width * crop_height / crop_width))), fmt)
            for fmt in image.rendition_formats
            for width in self.widths_for(box)
        ]


MEASURE = "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)"

SPECS = {
    spec.name: spec
    for spec in [
        # The story page's lead photo, the width of the text.
        Spec("lead", (3, 2), (640, 960, 1280, 1600, 1920), MEASURE, priority=True),
        # The home page's lead story, beside its headline on a wide screen.
        Spec(
            "front",
            (3, 2),
            (480, 640, 960, 1280, 1600),
            "(min-width: 72rem) 40rem, (min-width: 56rem) 56vw, calc(100vw - 2.5rem)",
            priority=True,
        ),
        # Story cards in the home page's grids: the first of a block across a phone's screen,
        # the others (tiles) beside their headlines there.
        Spec(
            "card",
            (3, 2),
            (320, 480, 640, 960),
            "(min-width: 72rem) 16rem, (min-width: 36rem) 45vw, calc(100vw - 2.5rem)",
        ),
        Spec(
            "tile",
            (3, 2),
            (160, 320, 480, 640, 960),
            "(min-width: 72rem) 16rem, (min-width: 36rem) 45vw, 7rem",
        ),
        # A story in a list (section, topic and author pages), beside its headline.
        Spec("list", (3, 2), (160, 320, 480), "(min-width: 36rem) 10rem, 7rem"),
        # An author's photo on their page.
        Spec("author", (1, 1), (160, 320, 480), "8rem"),
        # A photo inserted in a story's body: the whole photo, the width of the text.
        Spec("body", None, (480, 640, 960, 1280, 1600), MEASURE),
        # The admin: the library's thumbnails and the focal-point picker's whole photo.
        Spec("thumbnail", (1, 1), (120, 240, 360), "6rem"),
        Spec("preview", None, (640, 960, 1280), "(min-width: 60rem) 40rem, 90vw"),
    ]
}

# What the body editor inserts as an image's address: the body spec, at a width that looks
# sharp in the editor; readers get the full responsive <picture> instead.
EDITOR_SPEC, EDITOR_WIDTH = "body", 960


def rendition_key(job):
    left, top, right, bottom = job.box
    width, height = job.size
    return f"{width}x{height}-{left}-{top}-{right}-{bottom}.{imaging.EXTENSIONS[job.format]}"


def signature(image_id, secret=None):
    # The salt keeps the name it was first given: every rendition address published so far
    # (in cached pages, feeds, other sites) is signed with it.
    return salted_hmac("articles.renditions", str(image_id), secret=secret).hexdigest()[:16]


def signature_is_valid(image_id, given):
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(signature(image_id, secret), given) for secret in secrets)


def rendition_view_url(image, spec, width, fmt):
    return reverse(
        "photos:rendition",
        kwargs={
            "image_id": image.pk,
            "signature": signature(image.pk),
            "spec": spec.name,
            "width": width,
            "extension": imaging.EXTENSIONS[fmt],
        },
    )


def editor_url(image):
    """The address the body editor stores for an image from the library (see sanitise.py)."""
    spec = SPECS[EDITOR_SPEC]
    widths = spec.widths_for(image.crop_box(spec.aspect))
    width = max((w for w in widths if w <= EDITOR_WIDTH), default=widths[0])
    return rendition_view_url(image, spec, width, image.rendition_formats[-1])


def srcsets(image, spec):
    """
    For each format, the (url, width, height) of every width of `spec`: the stored file's URL
    when its rendition was prefetched, the rendition view's otherwise. Runs no query.
    """
    made = image.prefetched_renditions()
    result = {}
    for job in spec.jobs(image):
        rendition = made.get(rendition_key(job))
        url = (
            rendition.file.url
            if rendition is not None
            else rendition_view_url(image, spec, job.size[0], job.format)
        )
        result.setdefault(job.format, []).append((url, *job.size))
    return result


def picture(image, spec_name, alt=None):
    """
    A <picture> for `image` as `spec_name` shows it: WebP and original-format srcsets at
    every width, `sizes`, width and height (so the page does not shift while it loads), lazy
    loading unless it is the page's main image, which asks to be fetched first instead.
    """
    spec = SPECS[spec_name]
    sets = srcsets(image, spec)
    webp, fallback_format = sets["WEBP"], image.rendition_formats[-1]
    fallback = sets[fallback_format]
    src = next((url for url, width, _height in fallback if width >= 640), fallback[-1][0])
    largest = fallback[-1]
    loading = (
        mark_safe(' fetchpriority="high"')
        if spec.priority
        else mark_safe(' loading="lazy" decoding="async"')
    )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}></picture>',
        srcset_attribute(webp),
        spec.sizes,
        src,
        srcset_attribute(fallback),
        spec.sizes,
        largest[1],
        largest[2],
        image.alt_text if alt is None else alt,
        loading,
    )


@dataclass(frozen=True)
class SharedImage:
    """One rendition of a photo, for feeds and link previews (JSON-LD, Open Graph)."""

    url: str
    width: int
    height: int
    mime_type: str
    alt_text: str
    credit: str


def share_image(image, spec_name="lead", width=1200):
    """
    The rendition of `image` that feeds and link previews show: in the original's format
    (JPEG or PNG, which every reader of a feed or a shared link takes), the narrowest of
    `spec_name`'s widths that is at least `width`, or the widest there is. Runs no query.
    """
    fmt = image.rendition_formats[-1]
    entries = srcsets(image, SPECS[spec_name])[fmt]
    url, chosen_width, height = next((e for e in entries if e[1] >= width), entries[-1])
    return SharedImage(url, chosen_width, height, MIME_TYPES[fmt], image.alt_text, image.credit)


def srcset_attribute(entries):
    return format_html_join(", ", "{} {}w", ((url, width) for url, width, _height in entries))


def ensure_renditions(image, jobs):
    """
    The renditions for `jobs`, making (from one decode of the original) and recording those
    that do not exist yet. Returns {key: Rendition}. Safe when two requests race to make the
    same one: the loser deletes its file and returns the winner's row.
    """
    wanted = {rendition_key(job): job for job in jobs}
    found = {r.key: r for r in Rendition.objects.filter(image=image, key__in=wanted.keys())}
    missing = [job for key, job in wanted.items() if key not in found]
    if not missing:
        return found
    folder = image.rendition_folder()
    with default_storage.open(image.file.name, "rb") as source:
        for job, content in imaging.render(source, image.format, missing):
            key = rendition_key(job)
            found[key] = record(
                image, job, key, default_storage.save(f"{folder}/{key}", ContentFile(content))
            )
    return found


def record(image, job, key, name):
    try:
        with transaction.atomic():
            return Rendition.objects.create(
                image=image, key=key, file=name, width=job.size[0], height=job.size[1]
            )
    except IntegrityError:
        winner = Rendition.objects.get(image=image, key=key)
        if winner.file.name != name:
            default_storage.delete(name)
        logger.info("Rendition %s of image %s was made twice; kept the first.", key, image.pk)
        return winner


def all_jobs(image):
    """Every rendition any spec can ask of `image`, once each."""
    jobs = {}
    for spec in SPECS.values():
        for job in spec.jobs(image):
            jobs.setdefault(rendition_key(job), job)
    return list(jobs.values())
