"""The image library in the admin: who may do what, alt text, the focal point, the picker."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from newsroom.tests.admin_forms import as_opened
from newsroom.tests.factories import UserFactory
from newsroom.tests.queries import count_queries
from photos.models import Image

from .factories import ImageFactory, photo_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:photos_image_add")
LIBRARY_URL = reverse("admin:photos_image_changelist")
PICKER_URL = reverse("admin:photos_image_picker")
ALT_TEXT = "Firefighters outside the burning warehouse on Dock Street"


def change_url(image):
    return reverse("admin:photos_image_change", args=[image.pk])


def save(client, image, data):
    """Send `image`'s change form as a browser that opened it does."""
    url = change_url(image)
    return client.post(url, as_opened(client, url, data))


def description(image, **overrides):
    """The change form's fields for `image`, as the browser sends them."""
    return {
        "title": image.title,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "focal_x": "" if image.focal_x is None else image.focal_x,
        "focal_y": "" if image.focal_y is None else image.focal_y,
        **overrides,
    }


# Roles -------------------------------------------------------------------------------------


def test_journalists_and_editors_upload_and_edit_images_and_moderators_do_not():
    def permissions(role):
        group = Group.objects.get(name=role)
        return set(
            group.permissions.filter(content_type__app_label="photos").values_list(
                "codename", flat=True
            )
        )

    expected = {"view_image", "add_image", "change_image"}
    assert permissions("Journalist") == expected
    assert permissions("Editor") == expected | {"change_any_image"}
    assert permissions("Moderator") == set()


def test_a_moderator_cannot_upload_even_with_a_crafted_post(moderator_client):
    upload = SimpleUploadedFile("fire.jpg", photo_bytes())

    response = moderator_client.post(ADD_URL, {"upload": upload, "alt_text": ALT_TEXT})

    assert response.status_code == 403
    assert not Image.objects.exists()


def test_a_moderator_cannot_open_the_library(moderator_client):
    assert moderator_client.get(LIBRARY_URL).status_code == 403
    assert moderator_client.get(PICKER_URL).status_code == 403


def test_a_visitor_cannot_upload(client):
    # A small photo: a larger one is refused before it is read (test_request_size.py).
    upload = SimpleUploadedFile("fire.jpg", photo_bytes(size=(120, 80)))

    response = client.post(ADD_URL, {"upload": upload, "alt_text": ALT_TEXT})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Image.objects.exists()


def test_a_journalist_cannot_change_a_photo_someone_else_uploaded(journalist_client, editor):
    image = ImageFactory(uploaded_by=editor, alt_text="Fishing boats moored in the harbour")

    response = save(
        journalist_client,
        image,
        description(image, alt_text="Boats sinking in a storm off the coast"),
    )

    assert response.status_code == 403
    image.refresh_from_db()
    assert image.alt_text == "Fishing boats moored in the harbour"


def test_a_journalist_may_still_view_and_use_a_photo_someone_else_uploaded(
    journalist_client, editor
):
    image = ImageFactory(uploaded_by=editor)

    response = journalist_client.get(change_url(image))

    assert response.status_code == 200
    assertNotContains(response, 'name="alt_text"')


def test_a_journalist_changes_a_photo_they_uploaded(journalist_client, journalist):
    image = ImageFactory(uploaded_by=journalist)

    response = save(
        journalist_client, image, description(image, caption="Crews worked through the night.")
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Crews worked through the night."


def test_an_editor_changes_any_photo(editor_client, journalist):
    image = ImageFactory(uploaded_by=journalist)

    response = save(editor_client, image, description(image, credit="Agency"))

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.credit == "Agency"


def test_the_photo_itself_cannot_be_replaced_by_a_crafted_post(editor_client):
    image = ImageFactory()
    name = image.file.name

    save(
        editor_client,
        image,
        description(image, upload=SimpleUploadedFile("other.png", photo_bytes("PNG"))),
    )

    image.refresh_from_db()
    assert image.file.name == name


# Alt text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "alt_text", "message"),
    [
        ("harbour-at-dawn.jpg", "harbour at dawn", "This is a file name, not a description."),
        ("fire.jpg", "fire.jpg", "This is a file name, not a description."),
        ("fire.jpg", "IMG_2043.JPG", "This is a file name, not a description."),
        ("fire.jpg", "DSC01234", "This is a file name, not a description."),
        ("fire.jpg", "PXL_20261103_081522", "This is a file name, not a description."),
        ("fire.jpg", "Photo", "Say what the photo shows, not that it is a photo"),
        ("fire.jpg", "image of a photo", "Say what the photo shows, not that it is a photo"),
        ("fire.jpg", "Firefighters", "Describe the photo in a few words"),
        ("fire.jpg", "   ", "This field is required."),
    ],
)
def test_alt_text_that_describes_nothing_is_refused(
    journalist_client, file_name, alt_text, message
):
    upload = SimpleUploadedFile(file_name, photo_bytes())

    response = journalist_client.post(ADD_URL, {"upload": upload, "alt_text": alt_text})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["alt_text"]
    assert any(error.startswith(message) for error in errors), errors
    assert not Image.objects.exists()


def test_a_title_defaults_to_the_alt_text(journalist_client):
    journalist_client.post(
        ADD_URL, {"upload": SimpleUploadedFile("fire.jpg", photo_bytes()), "alt_text": ALT_TEXT}
    )

    assert Image.objects.get().title == ALT_TEXT


# Focal point -------------------------------------------------------------------------------


def test_the_focal_point_is_saved_from_the_numbers(editor_client):
    image = ImageFactory()

    save(editor_client, image, description(image, focal_x="0.25", focal_y="0.7"))

    image.refresh_from_db()
    assert image.focal_point == (0.25, 0.7)


def test_the_focal_point_can_be_cleared(editor_client):
    image = ImageFactory(focal_x=0.2, focal_y=0.3)

    save(editor_client, image, description(image, focal_x="", focal_y=""))

    image.refresh_from_db()
    assert image.focal_point is None


@pytest.mark.parametrize(
    ("focal_x", "focal_y", "field", "message"),
    [
        ("1.5", "0.5", "focal_x", "Ensure this value is less than or equal to 1."),
        ("0.5", "-0.1", "focal_y", "Ensure this value is greater than or equal to 0."),
        ("0.5", "", "focal_y", "Give both numbers of the focal point, or neither."),
        ("left", "0.5", "focal_x", "Enter a number."),
    ],
)
def test_a_focal_point_outside_the_photo_is_refused_at_the_field(
    editor_client, focal_x, focal_y, field, message
):
    image = ImageFactory()

    response = save(editor_client, image, description(image, focal_x=focal_x, focal_y=focal_y))

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    image.refresh_from_db()
    assert image.focal_point is None


def test_the_change_page_has_the_focal_point_picker(editor_client):
    image = ImageFactory(size=(1200, 800), focal_x=0.25, focal_y=0.75)

    response = editor_client.get(change_url(image))

    assertContains(response, 'data-width="1200" data-height="800"')
    assertContains(response, 'data-focal-x="0.250" data-focal-y="0.750"')
    assertContains(response, "photos/focal-point.js")
    assertContains(response, 'name="focal_x"')
    assertContains(response, "Clear the focal point")


def test_after_an_upload_the_journalist_is_asked_for_the_focal_point(journalist_client):
    response = journalist_client.post(
        ADD_URL,
        {"upload": SimpleUploadedFile("fire.jpg", photo_bytes()), "alt_text": ALT_TEXT},
        follow=True,
    )

    assertContains(response, "Click the photo to set its focal point, then save.")


# The library -------------------------------------------------------------------------------


def test_the_library_shows_thumbnails_in_a_fixed_number_of_queries(editor_client):
    uploaders = [UserFactory(username=f"photographer{n}") for n in range(3)]
    for n in range(3):
        ImageFactory(size=(200, 150), uploaded_by=uploaders[n % 3])
    _response, queries_with_few = count_queries(editor_client, LIBRARY_URL)

    for n in range(30):
        ImageFactory(size=(200, 150), uploaded_by=uploaders[n % 3])
    response, queries_with_many = count_queries(editor_client, LIBRARY_URL)

    assert queries_with_few == queries_with_many
    assert response.text.count("<picture>") == 33


def test_the_library_is_searched_by_caption_and_credit(editor_client):
    ImageFactory(title="Harbour", caption="Boats at Porto Pim", credit="Ana Ruiz")
    ImageFactory(title="Council", caption="The vote", credit="Agency")

    by_caption = editor_client.get(LIBRARY_URL, {"q": "porto pim"})
    by_credit = editor_client.get(LIBRARY_URL, {"q": "agency"})

    assert [image.title for image in by_caption.context["cl"].result_list] == ["Harbour"]
    assert [image.title for image in by_credit.context["cl"].result_list] == ["Council"]


def test_the_library_is_filtered_by_uploader(editor_client, journalist, editor):
    ImageFactory(title="Mine", uploaded_by=journalist)
    ImageFactory(title="Theirs", uploaded_by=editor)

    response = editor_client.get(LIBRARY_URL, {"uploaded_by__id__exact": journalist.pk})

    assert [image.title for image in response.context["cl"].result_list] == ["Mine"]


# The body editor's picker ------------------------------------------------------------------


def test_the_picker_offers_library_photos_to_insert(journalist_client):
    image = ImageFactory(alt_text="Fishing boats in the harbour", caption="Porto Pim")

    response = journalist_client.get(PICKER_URL, {"CKEditorFuncNum": "-1"})

    assertContains(response, 'data-func-num="-1"')
    button = re.search(
        r'<button type="button" class="image-choice".*?</button>', response.text, re.S
    )
    assert f'data-id="{image.pk}"' in button.group(0)
    assert 'data-alt="Fishing boats in the harbour"' in button.group(0)
    assert 'data-caption="Porto Pim"' in button.group(0)
    assert re.search(r'data-url="/images/\d+/[0-9a-f]{16}/body-960\.jpg"', button.group(0))


def test_the_picker_refuses_a_callback_that_is_not_a_number(journalist_client):
    ImageFactory()

    response = journalist_client.get(PICKER_URL, {"CKEditorFuncNum": "1);alert(1)//"})

    assertContains(response, 'data-func-num=""')
    assertNotContains(response, "alert(1)")
    assertContains(response, "disabled")


def test_the_picker_searches_the_library(journalist_client):
    ImageFactory(title="Harbour at dawn")
    ImageFactory(title="Council chamber")

    response = journalist_client.get(PICKER_URL, {"CKEditorFuncNum": "1", "q": "council"})

    assert [choice["image"].title for choice in response.context["choices"]] == ["Council chamber"]


def test_the_picker_runs_a_fixed_number_of_queries(journalist_client):
    for _ in range(2):
        ImageFactory(size=(200, 150))
    _response, queries_with_few = count_queries(journalist_client, PICKER_URL)

    for _ in range(22):
        ImageFactory(size=(200, 150))
    response, queries_with_many = count_queries(journalist_client, PICKER_URL)

    assert queries_with_few == queries_with_many
    assert response.text.count("<picture>") == 24
