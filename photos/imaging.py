"""
What Pillow does to a news photo, kept apart from the database and the storage.

Uploads: `read_upload()` checks a file in order of cost: its size before anything is read,
its format and pixel count from the header before anything is decoded, then the whole image.
It then re-encodes it: orientation applied from EXIF, colours converted to sRGB, and every
piece of metadata (EXIF with its GPS position, XMP, comments, colour profiles) left behind.
What is stored is Pillow's encoding of the decoded pixels, never the uploader's bytes, so a
file that is also something else (an image with HTML or a script hidden in it) cannot reach
readers even if it passed the checks.

Animated GIF, PNG and WebP files keep their first frame: a news photo is a still, and
re-encoding every frame would multiply what an upload costs. GIFs are stored as PNG, which
is lossless and smaller.

Renditions: `crop_box()` decides which part of a photo an aspect ratio keeps, centred on the
focal point, and `render()` makes any number of resized files from one decode of the original
(for a JPEG, Pillow's `draft()` decodes at the smallest DCT scale that is still big enough).
"""

import contextlib
import io
import math
import struct
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPTED_DESCRIPTION = "JPEG, PNG, WebP or GIF"

# The format an upload is stored in, and the extension of its file. (Pillow opens a phone's
# multi-picture JPEG, with a depth map or a second view after the photo, as MPO.)
STORED_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FORMATS = {extension: format for format, extension in EXTENSIONS.items()}

# How originals and renditions are encoded. An original JPEG is baseline and not optimised:
# a progressive or optimised JPEG needs a buffer of every DCT coefficient of the whole photo
# (about 80 MB for 24 megapixels) both to write it and, for a progressive one, to decode it
# at a reduced scale, which every rendition does. Renditions are small: they are made
# progressive and optimised for readers.
ORIGINAL_ENCODING = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90, "method": 4}}
RENDITION_ENCODING = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "WEBP": {"quality": 80, "method": 4},
}

# Formats Pillow (or a browser) knows that we refuse, named so the error can say what the
# file is. Checked against the first bytes only: nothing else is parsed for them.
KNOWN_SIGNATURES = [
    (b"%PDF", "a PDF document"),
    (b"%!PS", "a PostScript (EPS) file"),
    (b"\xc5\xd0\xd3\xc6", "a PostScript (EPS) file"),
    (b"SIMPLE  =", "a FITS image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"8BPS", "a Photoshop (PSD) file"),
    (b"\x00\x00\x01\x00", "an icon (ICO) file"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),
    (b"icns", "an icon (ICNS) file"),
    (b"gimp xcf", "a GIMP (XCF) file"),
]
ACCEPTED_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif")

SRGB = ImageCms.createProfile("sRGB")
PROFILE_MODES = {"RGB ": "RGB", "GRAY": "L", "CMYK": "CMYK"}


@dataclass(frozen=True)
class ProcessedImage:
    """An upload, checked and re-encoded: the bytes to store and what they are."""

    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self):
        return EXTENSIONS[self.format]


@dataclass(frozen=True)
class RenditionJob:
    """One file to make: the part of the original to keep, the size and format to make it."""

    box: tuple[int, int, int, int]
    size: tuple[int, int]
    format: str


def refuse(message, code, **params):
    return ValidationError(message, code=code, params=params)


def describe(head):
    """What a refused file looks like from its first bytes, e.g. "a PDF document"; or None."""
    for signature, description in KNOWN_SIGNATURES:
        if head.startswith(signature):
            return description
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "a HEIC or AVIF image"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) or b"<svg" in head.lower():
        return "an SVG drawing"
    if text.startswith((b"<!doctype", b"<html", b"<")):
        return "a web page or other text"
    return None


def file_size(file):
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, io.SEEK_END)
    return size


def read_upload(file, *, max_bytes, max_pixels):
    """
    Check an uploaded file and return it re-encoded as a `ProcessedImage`.

    Raises ValidationError, with a message for the person uploading, for a file that is too
    large (checked before it is read), not a JPEG, PNG, WebP or GIF (checked by decoding, not
    by the name), has too many pixels (checked from the header, before decoding), is damaged
    or truncated, or carries data after the end of the image.
    """
    size = file_size(file)
    if size > max_bytes:
        raise refuse(
            "This file is %(size)s; the largest image accepted is %(limit)s.",
            "too_large",
            size=filesizeformat(size),
            limit=filesizeformat(max_bytes),
        )
    if size == 0:
        raise refuse("The file is empty.", "empty")

    file.seek(0)
    head = file.read(64)
    file.seek(0)
    try:
        image = Image.open(file, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise too_many_pixels(None, max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
        raise not_accepted(head) from None

    with image:
        if image.width * image.height > max_pixels:
            raise too_many_pixels(image.size, max_pixels)
        check_nothing_after_the_image(file, image.format, size)
        try:
            return reencode(image)
        except Image.DecompressionBombError:
            raise too_many_pixels(None, max_pixels) from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            raise damaged() from None


def damaged():
    return refuse(
        "The image file is damaged or incomplete; it may not have finished uploading. "
        "Open it on your computer and save or export it again.",
        "damaged",
    )


def not_accepted(head):
    if head.startswith(ACCEPTED_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return damaged()
    what = describe(head)
    if what:
        return refuse(
            "This file is %(what)s. Upload a photo as a %(accepted)s file.",
            "format",
            what=what,
            accepted=ACCEPTED_DESCRIPTION,
        )
    return refuse(
        "This file is not a %(accepted)s image, whatever its name says.",
        "format",
        accepted=ACCEPTED_DESCRIPTION,
    )


def too_many_pixels(size, max_pixels):
    limit = f"{max_pixels / 1_000_000:g}"
    if size is None:
        return refuse(
            "This image has far more pixels than the %(limit)s-megapixel limit.",
            "too_many_pixels",
            limit=limit,
        )
    width, height = size
    return refuse(
        "This image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); the "
        "largest accepted is %(limit)s megapixels. Resize it and upload it again.",
        "too_many_pixels",
        width=width,
        height=height,
        megapixels=f"{width * height / 1_000_000:.0f}",
        limit=limit,
    )


def check_nothing_after_the_image(file, format, size):
    """
    Refuse a PNG or WebP file with anything after the image's end (such as HTML appended to
    make a file that is both an image and a web page). A JPEG is not checked: cameras and
    phones legitimately store extra images after the first, and re-encoding drops them.
    """
    if format == "PNG":
        end = png_end(file)
    elif format == "WEBP":
        file.seek(4)
        (riff_size,) = struct.unpack("<I", file.read(4))
        end = 8 + riff_size + (riff_size & 1)
    else:
        return
    file.seek(0)
    if end is None or end > size:
        raise damaged()
    if end < size:
        raise refuse(
            "This file has %(extra)s of other data after the end of the image. Open it in an "
            "image editor and export it again.",
            "trailing_data",
            extra=filesizeformat(size - end),
        )


def png_end(file):
    """The offset just past a PNG's IEND chunk, read chunk header by chunk header; or None."""
    file.seek(8)
    while True:
        header = file.read(8)
        if len(header) < 8:
            return None
        length, chunk_type = struct.unpack(">I4s", header)
        file.seek(length + 4, io.SEEK_CUR)
        if chunk_type == b"IEND":
            return file.tell()


def reencode(image):
    """Decode the first frame, orient it, convert it to sRGB and encode it without metadata."""
    stored_format = STORED_FORMAT[image.format]
    image.seek(0)
    image.load()
    ImageOps.exif_transpose(image, in_place=True)
    clean = to_srgb(normalise_mode(image), image.info.get("icc_profile"))
    clean.info = {}
    output = io.BytesIO()
    save(clean, output, stored_format, ORIGINAL_ENCODING)
    return ProcessedImage(output.getvalue(), stored_format, clean.width, clean.height)


def normalise_mode(image):
    """The image in one of the modes we store: L, LA, RGB or RGBA (CMYK until sRGB)."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        result = image
    elif mode in ("P", "PA"):
        result = image.convert("RGBA" if image.has_transparency_data else "RGB")
    elif mode.startswith("I") or mode == "F":
        result = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif mode == "1":
        result = image.convert("L")
    else:
        result = image.convert("RGB")
    if result.mode in ("RGBA", "LA") and result.getchannel("A").getextrema() == (255, 255):
        result = result.convert(result.mode[:-1])
    return result


def to_srgb(image, icc_profile):
    """
    Convert colours described by an embedded ICC profile to sRGB, the colour space browsers
    assume for an image without one. A profile that does not match the pixels, or cannot be
    read, is ignored.
    """
    alpha = image.getchannel("A") if image.mode in ("RGBA", "LA") else None
    base = image.convert(image.mode[:-1]) if alpha is not None else image
    profile = read_profile(icc_profile, base.mode)
    if profile is not None:
        # A profile LittleCMS cannot use is treated like no profile at all.
        with contextlib.suppress(ImageCms.PyCMSError):
            base = ImageCms.profileToProfile(base, profile, SRGB, outputMode="RGB")
    if base.mode == "CMYK":
        base = base.convert("RGB")
    if alpha is None:
        return base
    base = base.convert({"L": "LA", "RGB": "RGBA"}[base.mode])
    base.putalpha(alpha)
    return base


def read_profile(icc_profile, mode):
    if not icc_profile:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    except (ImageCms.PyCMSError, OSError, TypeError):
        return None
    if PROFILE_MODES.get(profile.profile.xcolor_space) != mode:
        return None
    return profile


def save(image, output, format, encoding):
    if format == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = flatten(image)
        image.save(output, "JPEG", **encoding["JPEG"])
    elif format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(output, "WEBP", **encoding["WEBP"])
    else:
        image.save(output, "PNG", compress_level=6)


def flatten(image):
    """An image with transparency laid on white, for formats without an alpha channel."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def crop_box(width, height, aspect=None, focal_point=None):
    """
    The part of a `width` × `height` image that an `aspect` ratio (w, h) keeps: as large as
    possible, centred on the focal point (fractions across and down; the centre if None)
    without leaving the image. The whole image when `aspect` is None.
    """
    if aspect is None:
        return (0, 0, width, height)
    focal_x, focal_y = focal_point or (0.5, 0.5)
    aspect_width, aspect_height = aspect
    if width * aspect_height > height * aspect_width:
        crop_width = max(1, round(height * aspect_width / aspect_height))
        left = clamp(round(focal_x * width - crop_width / 2), 0, width - crop_width)
        return (left, 0, left + crop_width, height)
    crop_height = max(1, round(width * aspect_height / aspect_width))
    top = clamp(round(focal_y * height - crop_height / 2), 0, height - crop_height)
    return (0, top, width, top + crop_height)


def clamp(value, lowest, highest):
    return max(lowest, min(value, highest))


def render(source, source_format, jobs):
    """
    Make every job's file from one decode of `source` (a file-like original in
    `source_format`), largest first. Yields (job, bytes) pairs.

    Memory stays near one decoded copy of the original at the scale the largest job needs,
    plus one output at a time.
    """
    jobs = sorted(jobs, key=lambda job: job.size[0] * job.size[1], reverse=True)
    with Image.open(source, formats=[source_format]) as image:
        full_width, full_height = image.size
        if image.format == "JPEG":
            needed_width = max(
                math.ceil(full_width * job.size[0] / (job.box[2] - job.box[0])) for job in jobs
            )
            needed_height = max(
                math.ceil(full_height * job.size[1] / (job.box[3] - job.box[1])) for job in jobs
            )
            image.draft(image.mode, (needed_width, needed_height))
        image.load()
        scale_x, scale_y = image.width / full_width, image.height / full_height
        for job in jobs:
            left, top, right, bottom = job.box
            box = (left * scale_x, top * scale_y, right * scale_x, bottom * scale_y)
            resized = image.resize(job.size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
            output = io.BytesIO()
            save(resized, output, job.format, RENDITION_ENCODING)
            del resized
            yield job, output.getvalue()
