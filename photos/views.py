"""
Serving images: the rendition view, and the local media files of the embedded default.

With S3-compatible storage (see README, "Images") media is served by the bucket or its CDN
and `serve_media` is not routed; the rendition view works the same with either storage.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from . import imaging
from .models import Image
from .renditions import SPECS, ensure_renditions, rendition_key, signature_is_valid

logger = logging.getLogger(__name__)

# A redirect from the rendition view follows the image's focal point, which can change.
RENDITION_REDIRECT_MAX_AGE = 60 * 60
# A rendition file never changes: its name says what it holds.
RENDITION_FILE_MAX_AGE = 365 * 24 * 60 * 60
# An original can be deleted (say, on legal advice), so caches should not keep it for long.
ORIGINAL_FILE_MAX_AGE = 24 * 60 * 60

INLINE_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


@require_safe
def rendition(request, image_id, signature, spec, width, extension):
    """
    Make a rendition on its first request and redirect to its file (see renditions.py).
    Anything but a signed image id, a named spec and one of its widths and formats is a 404.
    """
    image_id, width = int(image_id), int(width)
    spec = SPECS.get(spec)
    if spec is None or not signature_is_valid(image_id, signature):
        raise Http404("No such image.")
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        raise Http404("No such image.")
    fmt = imaging.FORMATS.get(extension)
    job = next(
        (job for job in spec.jobs(image) if job.size[0] == width and job.format == fmt), None
    )
    if job is None:
        raise Http404("No such size of this image.")
    try:
        made = ensure_renditions(image, [job])[rendition_key(job)]
    except FileNotFoundError:
        logger.error("The original of image %s (%s) is missing.", image.pk, image.file.name)
        raise Http404("No such image.") from None
    response = redirect(made.file.url)
    patch_cache_control(response, public=True, max_age=RENDITION_REDIRECT_MAX_AGE)
    return response


@require_safe
def serve_media(request, path):
    """
    A file from MEDIA_ROOT, for the embedded default (media on this server's disk).

    Only a plain relative path below MEDIA_ROOT is served: no `..`, no hidden files, no
    symbolic link out of it. Images are sent with their own content type, anything else as a
    download; every response says `nosniff` and forbids the browser to run what it holds.
    Rendition files are cached for a year (they never change), originals for a day.
    """
    root = Path(settings.MEDIA_ROOT).resolve()
    parts = path.split("/")
    if "\x00" in path or "\\" in path or any(not part or part.startswith(".") for part in parts):
        raise Http404("No such file.")
    full_path = root.joinpath(*parts).resolve()
    if not full_path.is_relative_to(root) or not full_path.is_file():
        raise Http404("No such file.")

    stat = full_path.stat()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        response = HttpResponseNotModified()
    else:
        content_type = INLINE_CONTENT_TYPES.get(full_path.suffix.lower())
        response = FileResponse(
            full_path.open("rb"),
            content_type=content_type or "application/octet-stream",
            as_attachment=content_type is None,
        )
        response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if parts[0] == "renditions":
        patch_cache_control(response, public=True, max_age=RENDITION_FILE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=ORIGINAL_FILE_MAX_AGE)
    return response
