"""
The demo newsroom's photos (data/photos/, with their licences in LICENSES.md), added to the
image library as an upload is; load_demo gives them to the stories that name them.
"""

from pathlib import Path

from django.conf import settings

from photos import imaging
from photos.models import Image, validate_alt_text
from photos.renditions import all_jobs, ensure_renditions

PHOTOS_DIR = Path(__file__).resolve().parent / "data" / "photos"


def load_demo_photos(rows, *, uploader):
    """
    The demo photos in the library, by file name: each read and checked as an upload is
    (`imaging.read_upload`), stored under a name of its own, described, and its renditions
    made. A photo already in the library (the same title and credit) is kept as it is.
    """
    photos = {}
    for row in rows:
        image = Image.objects.filter(title=row["title"], credit=row["credit"]).first()
        if image is None:
            image = upload_photo(row, uploader=uploader)
        photos[row["file"]] = image
    return photos


def upload_photo(row, *, uploader):
    with (PHOTOS_DIR / row["file"]).open("rb") as file:
        processed = imaging.read_upload(
            file,
            max_bytes=settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE,
            max_pixels=settings.NEWSROOM_IMAGE_MAX_PIXELS,
        )
    validate_alt_text(row["alt_text"], file_name=row["file"])
    focal = row.get("focal") or (None, None)
    image = Image(
        title=row["title"],
        alt_text=row["alt_text"],
        caption=row["caption"],
        credit=row["credit"],
        focal_x=focal[0],
        focal_y=focal[1],
        uploaded_by=uploader,
    )
    image.clean()
    image.use_upload(processed)
    image.save()
    ensure_renditions(image, all_jobs(image))
    return image
