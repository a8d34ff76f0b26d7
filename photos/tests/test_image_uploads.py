"""Uploading a photo: what is accepted, what is refused (with a clear message), what is stored."""

import io
import re
import struct
import warnings
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, ImageCms
from PIL import Image as PillowImage

from photos import imaging
from photos.models import Image

from .factories import photo, photo_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/photos/image/add/"
ALT_TEXT = "Firefighters outside the burning warehouse on Dock Street"


def upload(client, name, content, **fields):
    data = {"upload": SimpleUploadedFile(name, content), "alt_text": ALT_TEXT, **fields}
    return client.post(ADD_URL, data)


def upload_errors(response):
    assert response.status_code == 200, response.status_code
    return [
        error.replace("\xa0", " ")
        for error in response.context["adminform"].form.errors.get("upload", [])
    ]


def stored_files():
    if not default_storage.exists("images"):
        return []
    found, folders = [], ["images"]
    while folders:
        folder = folders.pop()
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files]
    return found


def stored(image):
    with default_storage.open(image.file.name, "rb") as file:
        content = file.read()
    return content, PillowImage.open(io.BytesIO(content))


# Accepted ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format", "extension"),
    [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "png"), ("MPO", "jpg")],
)
def test_each_accepted_format_is_stored_under_a_name_of_our_own(
    journalist_client, journalist, format, extension
):
    response = upload(
        journalist_client, "../../home/ana/Desktop/DSC 0042 (final).jpeg", photo_bytes(format)
    )

    image = Image.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/photos/image/{image.pk}/change/"
    assert re.fullmatch(rf"images/\d{{4}}/\d{{2}}/[0-9a-f]{{20}}\.{extension}", image.file.name)
    assert (image.width, image.height) == (1200, 800)
    assert image.uploaded_by == journalist
    assert image.title == ALT_TEXT
    _content, decoded = stored(image)
    assert decoded.format == imaging.FORMATS[extension]
    assert decoded.size == (1200, 800)


def test_a_photo_too_big_for_memory_is_streamed_to_disk_and_accepted(journalist_client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    content = photo_bytes("JPEG", (1600, 1200), quality=95)
    assert len(content) > 10_000

    upload(journalist_client, "harbour.jpg", content)

    assert Image.objects.get().width == 1600


def test_the_form_says_what_the_library_accepts(journalist_client):
    response = journalist_client.get(ADD_URL)

    assert response.status_code == 200
    assert "A JPEG, PNG, WebP or GIF file of up to 20.0\xa0MB and 50 megapixels" in response.text
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in response.text


# Refused -----------------------------------------------------------------------------------

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b'<rect width="10" height="10"/></svg>'
)
FITS = b"".join(
    card.ljust(80).encode()
    for card in [
        "SIMPLE  =                    T",
        "BITPIX  =                    8",
        "NAXIS   =  0",
        "END",
    ]
).ljust(2880)


def pillow_file(format):
    image = photo((64, 48))
    for mode in ("RGB", "L", "1", "P"):
        output = io.BytesIO()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                image.convert(mode).save(output, format)
        except (OSError, ValueError, KeyError):
            continue
        return output.getvalue()
    return None


PillowImage.init()
OTHER_PILLOW_FORMATS = sorted(
    format
    for format in PillowImage.SAVE
    if format not in {"JPEG", "MPO", "PNG", "WEBP", "GIF"} and pillow_file(format) is not None
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.svg", SVG, "This file is an SVG drawing."),
        ("drawing.jpg", SVG, "This file is an SVG drawing."),
        ("poster.eps", pillow_file("EPS"), "This file is a PostScript (EPS) file."),
        ("scan.pdf", pillow_file("PDF"), "This file is a PDF document."),
        ("telescope.fits", FITS, "This file is a FITS image."),
        ("scan.tiff", pillow_file("TIFF"), "This file is a TIFF image."),
        ("logo.bmp", pillow_file("BMP"), "This file is a BMP image."),
        ("favicon.ico", pillow_file("ICO"), "This file is an icon (ICO) file."),
        ("layers.psd", b"8BPS\x00\x01" + b"\x00" * 40, "This file is a Photoshop (PSD) file."),
        ("letter.jpg", b"Dear editor,\nPlease find my photo attached.\n", "not a JPEG, PNG"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_by_its_content(
    journalist_client, name, content, message
):
    response = upload(journalist_client, name, content)

    errors = upload_errors(response)
    assert any(message in error for error in errors), errors
    assert not Image.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("format", OTHER_PILLOW_FORMATS)
def test_every_other_format_pillow_can_read_is_refused(format):
    content = pillow_file(format)

    with pytest.raises(imaging.ValidationError) as refused:
        imaging.read_upload(io.BytesIO(content), max_bytes=10**7, max_pixels=10**7)

    assert refused.value.code == "format"


def test_the_refusal_keeps_what_the_person_typed(journalist_client):
    response = upload(
        journalist_client, "scan.pdf", pillow_file("PDF"), caption="Crews worked through the night."
    )

    assert upload_errors(response)
    assert ALT_TEXT in response.text
    assert "Crews worked through the night." in response.text


def test_a_file_over_the_size_limit_is_refused(journalist_client, settings):
    settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE = 20_000
    content = photo_bytes("PNG", (400, 300))
    assert len(content) > 20_000

    response = upload(journalist_client, "big.png", content)

    errors = upload_errors(response)
    assert re.search(
        r"This file is \d+\.\d KB; the largest image accepted is 19\.5 KB\.", errors[0]
    )
    assert not Image.objects.exists()


class Unreadable(io.BytesIO):
    """A file that fails the test if anything reads it."""

    size = 30 * 1024 * 1024

    def read(self, *args):
        raise AssertionError("the file was read")


def test_the_size_is_checked_before_the_file_is_read():
    with pytest.raises(imaging.ValidationError) as refused:
        imaging.read_upload(Unreadable(), max_bytes=20 * 1024 * 1024, max_pixels=50_000_000)

    assert refused.value.code == "too_large"


def test_an_image_with_too_many_pixels_is_refused(journalist_client, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100_000

    response = upload(journalist_client, "wide.jpg", photo_bytes("JPEG", (400, 300)))

    assert upload_errors(response) == [
        "This image is 400 × 300 pixels (0 megapixels); the largest accepted is 0.1 "
        "megapixels. Resize it and upload it again."
    ]


def test_the_pixel_count_is_checked_before_the_image_is_decoded(monkeypatch):
    def decode(*args):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(PillowImage.core, "zip_decoder", decode)
    content = photo_bytes("PNG", (400, 300))

    with pytest.raises(imaging.ValidationError) as refused:
        imaging.read_upload(io.BytesIO(content), max_bytes=10**7, max_pixels=100_000)

    assert refused.value.code == "too_many_pixels"


def png(width, height, pixels, *, trailer=b""):
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels, 9))
        + chunk(b"IEND", b"")
        + trailer
    )


# Pillow warns about (and beyond twice its own limit, refuses) such an image too.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((12_000, 12_000), "This image is 12000 × 12000 pixels (144 megapixels)"),
        ((40_000, 40_000), "This image has far more pixels than the 50-megapixel limit."),
    ],
)
def test_a_decompression_bomb_is_refused(journalist_client, size, message):
    width, height = size
    bomb = png(width, height, b"\x00" * (width + 1) * 64)
    assert len(bomb) < 10_000

    response = upload(journalist_client, "tiny.png", bomb)

    assert message in upload_errors(response)[0]
    assert not Image.objects.exists()


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_truncated_file_is_refused(journalist_client, format):
    content = photo_bytes(format, (600, 400))

    response = upload(journalist_client, "cut.img", content[: len(content) // 2])

    assert "The image file is damaged or incomplete" in upload_errors(response)[0]
    assert not Image.objects.exists()


def test_a_png_with_html_appended_is_refused(journalist_client):
    html = b"<html><script>alert(document.cookie)</script></html>"
    assert len(html) == 52

    response = upload(journalist_client, "innocent.png", photo_bytes("PNG", (60, 40)) + html)

    assert upload_errors(response) == [
        "This file has 52 bytes of other data after the end of the image. Open it in an image "
        "editor and export it again."
    ]
    assert not Image.objects.exists()


def test_a_webp_with_data_appended_is_refused():
    content = photo_bytes("WEBP", (60, 40)) + b"<?php system($_GET['c']); ?>"

    with pytest.raises(imaging.ValidationError) as refused:
        imaging.read_upload(io.BytesIO(content), max_bytes=10**6, max_pixels=10**6)

    assert refused.value.code == "trailing_data"


def test_an_empty_file_is_refused(journalist_client):
    response = upload(journalist_client, "empty.jpg", b"")

    assert upload_errors(response) == ["The submitted file is empty."]


def test_a_photo_is_required(journalist_client):
    response = journalist_client.post(ADD_URL, {"alt_text": ALT_TEXT})

    assert upload_errors(response) == ["This field is required."]


# Re-encoded on the way in ------------------------------------------------------------------


def halves(size, first, second):
    """A photo whose left half is `first` and right half `second`."""
    image = PillowImage.new("RGB", size, first)
    image.paste(second, (size[0] // 2, 0, size[0], size[1]))
    return image


def test_orientation_is_applied_and_camera_data_with_the_location_is_removed(journalist_client):
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: rotate 90° clockwise to view
    exif[ExifTags.Base.Make] = "Acme Cameras"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (38.0, 43.0, 12.0)
    output = io.BytesIO()
    halves((300, 100), "red", "blue").save(
        output,
        "JPEG",
        exif=exif,
        comment=b"Shot from the roof of number 12",
        xmp=b"<x:xmpmeta><rdf:Description photographer-home='12 Dock St'/></x:xmpmeta>",
    )

    upload(journalist_client, "roof.jpg", output.getvalue())

    image = Image.objects.get()
    content, decoded = stored(image)
    assert (image.width, image.height) == (100, 300) == decoded.size
    red, _green, blue = decoded.convert("RGB").getpixel((50, 40))
    assert red > 200, "the left of the original (red) should be at the top"
    assert blue < 60
    assert not decoded.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile"} & decoded.info.keys()
    for secret in [b"Acme", b"GPS", b"12 Dock St", b"number 12", b"xmpmeta"]:
        assert secret not in content


def icc_profile_with_red_and_green_swapped():
    """
    A (valid, minimal) RGB display profile whose red primary is sRGB's green and whose green
    is sRGB's red, with linear tone curves: pure red in it is pure green in sRGB.
    """

    def fixed(value):
        return struct.pack(">i", round(value * 65536))

    def xyz(x, y, z):
        return b"XYZ \x00\x00\x00\x00" + fixed(x) + fixed(y) + fixed(z)

    tags = [
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", b"curv\x00\x00\x00\x00\x00\x00\x00\x00"),
        (b"gTRC", b"curv\x00\x00\x00\x00\x00\x00\x00\x00"),
        (b"bTRC", b"curv\x00\x00\x00\x00\x00\x00\x00\x00"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, content in tags:
        table += signature + struct.pack(">II", offset + len(data), len(content))
        data += content + b"\x00" * (-len(content) % 4)
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + fixed(0.9642)
        + fixed(1.0)
        + fixed(0.8249)
        + b"\x00" * 48
    )
    return header + struct.pack(">I", len(tags)) + table + data


def test_colours_described_by_a_profile_are_converted_to_srgb(journalist_client):
    profile = icc_profile_with_red_and_green_swapped()
    assert ImageCms.ImageCmsProfile(io.BytesIO(profile)).profile.xcolor_space == "RGB "
    output = io.BytesIO()
    PillowImage.new("RGB", (64, 64), (255, 0, 0)).save(output, "PNG", icc_profile=profile)

    upload(journalist_client, "red.png", output.getvalue())

    _content, decoded = stored(Image.objects.get())
    red, green, blue = decoded.getpixel((32, 32))
    assert green > 200
    assert max(red, blue) < 60
    assert "icc_profile" not in decoded.info


def test_a_cmyk_jpeg_is_stored_as_rgb(journalist_client):
    upload(journalist_client, "print.jpg", photo_bytes("JPEG", (120, 80), mode="CMYK"))

    _content, decoded = stored(Image.objects.get())
    assert decoded.mode == "RGB"


def test_an_animated_gif_keeps_its_first_frame_as_a_png(journalist_client):
    frames = [PillowImage.new("RGB", (40, 30), colour) for colour in ("red", "blue", "green")]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    upload(journalist_client, "loop.gif", output.getvalue())

    image = Image.objects.get()
    _content, decoded = stored(image)
    assert image.file.name.endswith(".png")
    assert getattr(decoded, "n_frames", 1) == 1
    assert decoded.convert("RGB").getpixel((20, 15)) == (255, 0, 0)


def test_transparency_is_kept(journalist_client):
    output = io.BytesIO()
    PillowImage.new("RGBA", (40, 30), (255, 0, 0, 0)).save(output, "PNG")

    upload(journalist_client, "logo.png", output.getvalue())

    _content, decoded = stored(Image.objects.get())
    assert decoded.mode == "RGBA"
    assert decoded.getpixel((5, 5))[3] == 0


def test_sixteen_bit_greyscale_keeps_its_tones(journalist_client):
    output = io.BytesIO()
    PillowImage.new("I;16", (40, 30), 40_000).save(output, "PNG")

    upload(journalist_client, "scan.png", output.getvalue())

    _content, decoded = stored(Image.objects.get())
    assert decoded.mode == "L"
    assert 150 <= decoded.getpixel((5, 5)) <= 160
