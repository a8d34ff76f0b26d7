"""Renditions: cropped around the focal point, made once, and shown with the picture tag."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template, TemplateSyntaxError
from PIL import Image as PillowImage
from pytest_django.asserts import assertHTMLEqual

from photos import imaging, renditions
from photos.models import Image, Rendition

from .factories import ImageFactory

pytestmark = pytest.mark.django_db


def bands(size, colours):
    """An image of vertical bands, one per colour, left to right."""
    width, height = size
    image = PillowImage.new("RGB", size)
    band = width // len(colours)
    for number, colour in enumerate(colours):
        image.paste(colour, (number * band, 0, (number + 1) * band, height))
    return image


def view_url(image, spec, width, extension):
    return renditions.rendition_view_url(
        image, renditions.SPECS[spec], width, imaging.FORMATS[extension]
    )


def fetch(client, url):
    """GET a rendition URL, follow its redirect to the file, and decode what is served."""
    response = client.get(url)
    assert response.status_code == 302, response.status_code
    served = client.get(response["Location"])
    assert served.status_code == 200
    return PillowImage.open(io.BytesIO(b"".join(served.streaming_content)))


def rendition_files():
    found, folders = [], ["renditions"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files]
    return found


# Cropping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("focal_point", "box"),
    [
        (None, (100, 0, 200, 100)),
        ((0.9, 0.5), (200, 0, 300, 100)),
        ((0.1, 0.5), (0, 0, 100, 100)),
        ((0.55, 0.5), (115, 0, 215, 100)),
    ],
)
def test_a_crop_keeps_the_focal_point_in_view_without_leaving_the_photo(focal_point, box):
    assert imaging.crop_box(300, 100, (1, 1), focal_point) == box


def test_a_tall_photo_is_cropped_top_to_bottom_around_the_focal_point():
    assert imaging.crop_box(300, 900, (3, 2), (0.5, 0.1)) == (0, 0, 300, 200)
    assert imaging.crop_box(300, 900, (3, 2), (0.5, 0.5)) == (0, 350, 300, 550)


def test_no_aspect_ratio_keeps_the_whole_photo():
    assert imaging.crop_box(300, 900, None, (0.2, 0.2)) == (0, 0, 300, 900)


@pytest.mark.parametrize(
    ("focal_x", "colour"), [(0.9, (0, 0, 255)), (0.1, (255, 0, 0)), (None, (0, 255, 0))]
)
def test_a_rendition_is_cropped_around_the_focal_point(client, focal_x, colour):
    image = ImageFactory(
        source=bands((300, 100), ["red", "lime", "blue"]),
        format="PNG",
        focal_x=focal_x,
        focal_y=None if focal_x is None else 0.5,
    )

    square = fetch(client, view_url(image, "author", 100, "png"))

    assert square.size == (100, 100)
    assert square.convert("RGB").getpixel((50, 50)) == colour
    assert square.convert("RGB").getpixel((5, 50)) == colour
    assert square.convert("RGB").getpixel((95, 50)) == colour


def test_a_rendition_is_resized_to_its_width(client):
    image = ImageFactory(size=(1200, 800))

    card = fetch(client, view_url(image, "card", 480, "webp"))

    assert card.format == "WEBP"
    assert card.size == (480, 320)


def test_a_large_jpeg_is_decoded_at_a_reduced_scale_for_a_small_rendition():
    content = io.BytesIO()
    bands((4000, 3000), ["red", "lime", "blue"]).save(content, "JPEG")
    job = imaging.RenditionJob((0, 0, 4000, 3000), (400, 300), "JPEG")
    decoded_sizes = []
    original_load = PillowImage.Image.load

    def load(image):
        decoded_sizes.append(image.size)
        return original_load(image)

    PillowImage.Image.load, restore = load, PillowImage.Image.load
    try:
        [(_job, made)] = list(imaging.render(content, "JPEG", [job]))
    finally:
        PillowImage.Image.load = restore

    assert decoded_sizes[0] == (500, 375), "draft() should decode at 1/8 scale"
    assert PillowImage.open(io.BytesIO(made)).size == (400, 300)


# Made once ---------------------------------------------------------------------------------


def test_a_second_request_reuses_the_rendition(client, monkeypatch):
    image = ImageFactory()
    url = view_url(image, "card", 320, "jpg")
    first = client.get(url)

    def render(*args, **kwargs):
        raise AssertionError("the rendition was made again")

    monkeypatch.setattr(imaging, "render", render)
    second = client.get(url)

    assert first["Location"] == second["Location"]
    assert Rendition.objects.count() == 1
    assert len(rendition_files()) == 1


def test_the_loser_of_a_race_to_make_a_rendition_drops_its_copy(monkeypatch):
    image = ImageFactory()
    job = renditions.SPECS["card"].jobs(image)[0]
    key = renditions.rendition_key(job)
    winner_file = f"{image.rendition_folder()}/winner-{key}"
    save = default_storage.save

    def save_after_the_winner(name, content, **kwargs):
        # Another request recorded the same rendition while this one was resizing.
        Rendition.objects.create(
            image=image, key=key, file=save(winner_file, content), width=1, height=1
        )
        return save(name, content, **kwargs)

    monkeypatch.setattr(renditions.default_storage, "save", save_after_the_winner)

    made = renditions.ensure_renditions(image, [job])

    assert made[key].file.name == winner_file
    assert Rendition.objects.get().file.name == winner_file
    assert rendition_files() == [winner_file]


def test_every_rendition_of_a_photo_is_made_from_one_decode(monkeypatch):
    image = ImageFactory(size=(2000, 1500), focal_x=0.3, focal_y=0.4)
    opened = []
    original_open = default_storage.open
    monkeypatch.setattr(
        renditions.default_storage,
        "open",
        lambda name, mode="rb": opened.append(name) or original_open(name, mode),
    )
    jobs = renditions.all_jobs(image)

    made = renditions.ensure_renditions(image, jobs)

    assert opened == [image.file.name]
    assert len(made) == len(jobs) == Rendition.objects.count() == len(rendition_files())
    assert renditions.ensure_renditions(image, jobs).keys() == made.keys()
    assert opened == [image.file.name]


# The rendition view ------------------------------------------------------------------------


def test_the_rendition_redirect_can_be_cached_for_an_hour(client):
    image = ImageFactory()

    response = client.get(view_url(image, "card", 320, "webp"))

    assert response["Cache-Control"] == "public, max-age=3600"
    assert re.fullmatch(
        r"/media/renditions/\d{4}/\d{2}/[0-9a-f]{20}/320x213-0-0-1200-800\.webp",
        response["Location"],
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda url: re.sub(r"/[0-9a-f]{16}/", "/0123456789abcdef/", url),
        lambda url: url.replace("card-320", "poster-320"),
        lambda url: url.replace("card-320", "card-321"),
        lambda url: url.replace("card-320", "card-4000"),
        lambda url: url.replace(".webp", ".png"),
    ],
    ids=["signature", "spec", "width", "huge width", "format"],
)
def test_the_rendition_view_makes_only_the_sizes_pages_use(client, tamper):
    image = ImageFactory()

    response = client.get(tamper(view_url(image, "card", 320, "webp")))

    assert response.status_code == 404
    assert not Rendition.objects.exists()


def test_the_rendition_view_answers_404_for_a_deleted_image(client):
    image = ImageFactory()
    url = view_url(image, "card", 320, "webp")
    Image.objects.filter(pk=image.pk).delete()

    assert client.get(url).status_code == 404


# The picture tag ---------------------------------------------------------------------------


def render(template, **context):
    return Template("{% load pictures %}" + template).render(Context(context))


def test_the_picture_tag_offers_webp_and_the_original_format_at_every_width():
    image = ImageFactory(size=(1200, 800), alt_text="Fishing boats in the harbour at dawn")

    html = render('{% picture image "card" %}', image=image)

    def urls(extension):
        return ", ".join(
            f"{view_url(image, 'card', width, extension)} {width}w"
            for width in (320, 480, 640, 960)
        )

    sizes = "(min-width: 72rem) 16rem, (min-width: 36rem) 45vw, calc(100vw - 2.5rem)"
    assertHTMLEqual(
        html,
        f'<picture><source type="image/webp" srcset="{urls("webp")}" sizes="{sizes}">'
        f'<img src="{view_url(image, "card", 640, "jpg")}" srcset="{urls("jpg")}" '
        f'sizes="{sizes}" width="960" height="640" alt="Fishing boats in the harbour at dawn" '
        'loading="lazy" decoding="async"></picture>',
    )


def test_the_lead_photo_is_fetched_first_not_lazily():
    image = ImageFactory(size=(2400, 1600))

    html = render('{% picture image "lead" %}', image=image)

    assert 'fetchpriority="high"' in html
    assert "loading=" not in html
    assert 'width="1920" height="1280"' in html


def test_a_small_photo_is_never_enlarged_but_offered_at_its_own_width():
    image = ImageFactory(size=(600, 450), format="PNG")

    html = render('{% picture image "card" %}', image=image)

    assert re.findall(r" (\d+)w", html) == ["320", "480", "600"] * 2
    assert 'width="600" height="400"' in html
    assert "card-600.png 600w" in html


def test_a_photo_just_wider_than_a_spec_width_is_not_offered_twice_over():
    image = ImageFactory(size=(500, 400))

    html = render('{% picture image "card" %}', image=image)

    assert re.findall(r" (\d+)w", html) == ["320", "480"] * 2


def test_the_picture_tag_links_straight_to_renditions_already_made():
    image = ImageFactory()
    renditions.ensure_renditions(image, renditions.SPECS["card"].jobs(image))
    image = Image.objects.with_renditions().get(pk=image.pk)

    html = render('{% picture image "card" %}', image=image)

    assert "/images/" not in html
    assert html.count("/media/renditions/") == 9


def test_the_picture_tag_runs_no_query_when_renditions_were_not_prefetched(
    django_assert_num_queries,
):
    image = ImageFactory()

    with django_assert_num_queries(0):
        html = render('{% picture image "card" %}', image=image)

    assert html.count("/images/") == 9


def test_the_picture_tag_escapes_the_alt_text():
    image = ImageFactory(alt_text='Protesters hold a sign reading "No <script> here"')

    html = render('{% picture image "card" %}', image=image)

    assert 'alt="Protesters hold a sign reading &quot;No &lt;script&gt; here&quot;"' in html


def test_no_photo_renders_nothing():
    assert render('{% picture image "card" %}', image=None) == ""


def test_an_unknown_spec_is_a_template_error():
    with pytest.raises(TemplateSyntaxError, match="No picture spec named 'poster'"):
        render('{% picture image "poster" %}', image=None)
