"""
WordPress attachments and the image library: finding an attachment from an <img> address or
an id, finding its file in the copied uploads folder, and importing it through the library's
own upload checks (articles/imaging.py), once.

Audio and video files a story plays are copied from the uploads folder into media storage,
where the story embeds them (articles/embeds.py: our own audio and video), once: a second
import finds the copy at the same name. Without the file, the story links to it in WordPress.
"""

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from articles import embeds
from photos import imaging
from photos.models import Image, validate_alt_text
from photos.renditions import editor_url

from ..models import WordPressItem
from .content import BodyImage
from .summary import ADOPTED, AUDIO_AND_VIDEO, Summary
from .wxr import Item

UPLOADS = "/wp-content/uploads/"
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")
ALT_TEXT_LENGTH = 300
# What the summary says of an audio or video file the story links to in WordPress instead.
LINKED = "linked to where it was in WordPress"

REFUSALS = {
    "too_large": "refused: file too large",
    "empty": "refused: empty file",
    "format": "refused: not a JPEG, PNG, WebP or GIF",
    "too_many_pixels": "refused: too many pixels",
    "damaged": "refused: damaged file",
    "trailing_data": "refused: data after the image",
}


@dataclass(frozen=True)
class Attachment:
    wp_id: str
    url: str
    file: str
    title: str
    alt: str
    caption: str
    description: str
    parent_id: str
    mime_type: str

    @classmethod
    def from_item(cls, item: Item) -> "Attachment":
        return cls(
            wp_id=item.wp_id,
            url=item.attachment_url or item.guid,
            file=item.meta.get("_wp_attached_file", ""),
            title=plain_text(item.title),
            alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
            caption=plain_text(item.excerpt),
            description=plain_text(item.content),
            parent_id=item.parent_id,
            mime_type=item.mime_type,
        )

    @property
    def is_photo(self) -> bool:
        """A photo by its type; without one (older exports), any file but audio and video."""
        if not self.mime_type:
            return not self.plays
        return self.mime_type.startswith("image/")

    @property
    def plays(self) -> str:
        """
        The player that plays the file, "audio" or "video" (by its type, or by its name when
        the export gives no type), or "" for a file no player plays.
        """
        if self.mime_type:
            kind = self.mime_type.partition("/")[0]
            return kind if kind in ("audio", "video") else ""
        name = PurePosixPath(self.file or urlsplit(self.url).path)
        extension = name.suffix.lower().lstrip(".")
        if extension in embeds.AUDIO_EXTENSIONS:
            return "audio"
        return "video" if extension in embeds.VIDEO_EXTENSIONS else ""

    def checksum_source(self) -> tuple:
        return (self.url, self.file, self.title, self.alt, self.caption)


def plain_text(text: str) -> str:
    return " ".join(html.unescape(strip_tags(text or "")).split())


def upload_path(address: str) -> str:
    """
    The part of an upload's address that names the file, without the size WordPress made:
    "https://x.org/wp-content/uploads/2024/01/harbour-1024x683.jpg" → "2024/01/harbour.jpg".
    """
    path = unquote(urlsplit(address.strip()).path)
    if UPLOADS in path:
        path = path.split(UPLOADS, 1)[1]
    return SIZE_SUFFIX.sub("", path.lstrip("/"))


class Attachments:
    """Every attachment of the export, by id, by file address and by the post it belongs to."""

    def __init__(self):
        self.by_id: dict[str, Attachment] = {}
        self.by_path: dict[str, str] = {}
        self.by_parent: dict[str, list[str]] = defaultdict(list)

    def add(self, item: Item) -> None:
        attachment = Attachment.from_item(item)
        self.by_id[attachment.wp_id] = attachment
        for address in (attachment.url, attachment.file):
            if address:
                self.by_path.setdefault(upload_path(address), attachment.wp_id)
        if attachment.parent_id and attachment.parent_id != "0":
            self.by_parent[attachment.parent_id].append(attachment.wp_id)

    def find(self, *, src: str = "", attachment_id: str = "") -> Attachment | None:
        if attachment_id and attachment_id in self.by_id:
            return self.by_id[attachment_id]
        if src:
            found = self.by_path.get(upload_path(src))
            if found:
                return self.by_id[found]
        return None

    def __len__(self):
        return len(self.by_id)


class Library:
    """
    Imports the attachments stories use into the image library, each once per run and once
    ever (the WordPressItem record): a photo used by ten stories is one library image.
    """

    def __init__(
        self,
        *,
        site: str,
        attachments: Attachments,
        media_dir: Path | None,
        summary: Summary,
        dry_run: bool,
        checksum,
        legacy_site: str = "",
    ):
        self.site = site
        self.attachments = attachments
        self.media_dir = media_dir.resolve() if media_dir else None
        self.summary = summary
        self.dry_run = dry_run
        self.checksum = checksum
        self.images: dict[str, Image | None] = {}
        # Our addresses of the audio and video files copied in ("" when linked instead).
        self.media_addresses: dict[str, str] = {}
        self.stored_files: list[str] = []
        # Records kept under the network's address by earlier imports are taken over when
        # used, unless this blog has one of its own (see Context.records).
        self.known = {}
        keys = list(dict.fromkeys([site, legacy_site or site]))
        for record in WordPressItem.objects.filter(site__in=keys, kind=WordPressItem.Kind.IMAGE):
            if record.site == site or record.wp_id not in self.known:
                self.known[record.wp_id] = record

    def image_for(self, attachment: Attachment, *, headline: str) -> Image | None:
        """The library image for an attachment a story uses, imported the first time."""
        if attachment.wp_id not in self.images:
            self.images[attachment.wp_id] = self.bring_in(attachment, headline)
        return self.images[attachment.wp_id]

    def body_image(self, attachment: Attachment, *, headline: str) -> BodyImage | None:
        image = self.image_for(attachment, headline=headline)
        if image is None:
            return None
        return BodyImage(image.pk, editor_url(image), image.alt_text, image.caption)

    def handled(self) -> set[str]:
        return set(self.images) | set(self.media_addresses)

    def media_address(self, src: str) -> str:
        """
        Our address of the audio or video attachment at `src`, its file copied into media
        storage from --media-dir the first time; "" when it is not (reported), or when `src`
        is no audio or video attachment of the export.
        """
        attachment = self.attachments.find(src=src)
        if attachment is None or not attachment.plays:
            return ""
        if attachment.wp_id not in self.media_addresses:
            self.media_addresses[attachment.wp_id] = self.copy_in(attachment)
        return self.media_addresses[attachment.wp_id]

    def copy_in(self, attachment: Attachment) -> str:
        """An audio or video file copied into media storage (not in a dry run): its address."""
        if self.media_dir is None:
            self.summary.skip(AUDIO_AND_VIDEO, f"no --media-dir given: {LINKED}", attachment.url)
            return ""
        path = self.find_file(attachment)
        if path is None:
            reason = f"missing media file: {LINKED}"
            self.summary.skip(AUDIO_AND_VIDEO, reason, attachment.file or attachment.url)
            return ""
        extension = path.suffix.lower().lstrip(".")
        name = (
            f"{attachment.plays}/wordpress/{slugify(self.site)}/{slugify(attachment.wp_id)}/"
            f"{slugify(path.stem) or attachment.plays}.{extension}"
        )
        address = urljoin(settings.NEWSROOM_SITE_URL, default_storage.url(name))
        if embeds.own_media(address) is None:
            reason = f"not a file readers' browsers play: {LINKED}"
            self.summary.skip(AUDIO_AND_VIDEO, reason, attachment.file or attachment.url)
            return ""
        if default_storage.exists(name):
            self.summary.unchanged(AUDIO_AND_VIDEO)
            return address
        if not self.dry_run:
            with path.open("rb") as file:
                self.stored_files.append(default_storage.save(name, File(file)))
        self.summary.created(AUDIO_AND_VIDEO)
        return address

    def bring_in(self, attachment: Attachment, headline: str) -> Image | None:
        checksum = self.checksum(attachment.checksum_source())
        record = self.known.get(attachment.wp_id)
        if record is not None and record.site != self.site:
            record.site = self.site
            record.save(update_fields=["site"])
            self.summary.note("images", ADOPTED, attachment.wp_id)
        if record is not None:
            image = Image.objects.filter(pk=record.object_id).first()
            if image is not None:
                return self.refresh(image, attachment, record, checksum)
        processed = self.read_upload(attachment)
        if processed is None:
            return None
        image = self.store(attachment, processed, headline)
        if record is not None:
            record.object_id, record.checksum = image.pk, checksum
            record.save(update_fields=["object_id", "checksum"])
        else:
            WordPressItem.objects.create(
                site=self.site,
                kind=WordPressItem.Kind.IMAGE,
                wp_id=attachment.wp_id,
                object_id=image.pk,
                checksum=checksum,
            )
        self.summary.created("images")
        return image

    def refresh(self, image: Image, attachment: Attachment, record, checksum: str) -> Image:
        """An image imported before: its description updated if it changed in WordPress."""
        if record.checksum == checksum:
            self.summary.unchanged("images")
            return image
        image.title = Truncator(attachment.title).chars(200)
        image.caption = attachment.caption
        alt = self.acceptable_alt(attachment)
        if alt:
            image.alt_text = alt
        image.save(update_fields=["title", "caption", "alt_text"])
        record.checksum = checksum
        record.save(update_fields=["checksum"])
        self.summary.updated("images")
        return image

    def read_upload(self, attachment: Attachment):
        """The attachment's file, read and checked as an upload, or None (reported)."""
        if not attachment.is_photo:
            self.summary.skip("images", "not a photo", attachment.url)
            return None
        if self.media_dir is None:
            self.summary.skip("images", "no --media-dir given", attachment.url)
            return None
        path = self.find_file(attachment)
        if path is None:
            self.summary.skip("images", "missing media file", attachment.file or attachment.url)
            return None
        try:
            with path.open("rb") as file:
                return imaging.read_upload(
                    file,
                    max_bytes=settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE,
                    max_pixels=settings.NEWSROOM_IMAGE_MAX_PIXELS,
                )
        except ValidationError as error:
            reason = REFUSALS.get(error.code, "refused by the image checks")
            self.summary.skip("images", reason, str(path.relative_to(self.media_dir)))
        except OSError:
            self.summary.skip("images", "unreadable media file", attachment.file)
        return None

    def store(self, attachment: Attachment, processed, headline: str) -> Image:
        """A new library image from a checked upload (no file written in a dry run)."""
        alt = self.acceptable_alt(attachment)
        if not alt:
            alt = Truncator(f"Photo accompanying the story “{headline}”").chars(ALT_TEXT_LENGTH)
            self.summary.note(
                "images", "alt text made from the story's headline (review it)", attachment.url
            )
        image = Image(
            title=Truncator(attachment.title or alt).chars(200),
            alt_text=alt,
            caption=attachment.caption,
        )
        if self.dry_run:
            # A dry run writes no file: the row (rolled back at the end) names none.
            image.file.name = f"images/dry-run/{attachment.wp_id}.{processed.extension}"
            image.width, image.height = processed.width, processed.height
        else:
            image.use_upload(processed)
        image.save()
        if not self.dry_run:
            self.stored_files.append(image.file.name)
        return image

    def find_file(self, attachment: Attachment) -> Path | None:
        """The attachment's file under the media folder (never outside it), or None."""
        candidates = []
        if attachment.file:
            candidates.append(attachment.file)
        if attachment.url:
            path = unquote(urlsplit(attachment.url).path)
            if UPLOADS in path:
                candidates.append(path.split(UPLOADS, 1)[1])
            candidates.append(path.lstrip("/"))
        for candidate in candidates:
            relative = PurePosixPath(candidate.lstrip("/"))
            for path in (
                self.media_dir / relative,
                self.media_dir / "wp-content/uploads" / relative,
            ):
                resolved = path.resolve()
                if resolved.is_relative_to(self.media_dir) and resolved.is_file():
                    return resolved
        return None

    def acceptable_alt(self, attachment: Attachment) -> str:
        """The first of the alt text, title, caption and description the library accepts."""
        file_name = PurePosixPath(attachment.file or urlsplit(attachment.url).path).name
        for candidate in (
            attachment.alt,
            attachment.title,
            attachment.caption,
            attachment.description,
        ):
            text = Truncator(candidate).chars(ALT_TEXT_LENGTH)
            if not text:
                continue
            try:
                validate_alt_text(text, file_name=file_name)
            except ValidationError:
                continue
            return text
        return ""
