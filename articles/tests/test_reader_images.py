"""Photos on the reader site: lead photos, cards, author photos and photos in a story's body."""

import re
from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from comments.tests.markup import assert_no_active_markup
from newsroom.tests.queries import count_queries
from photos import renditions
from photos.models import Image
from photos.tests.factories import ImageFactory

from .factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def stories_with_photos(count, section):
    now = timezone.now()
    return [
        ArticleFactory(
            section=section,
            publish_at=now - timedelta(minutes=n + 1),
            lead_image=ImageFactory(size=(640, 480)),
        )
        for n in range(count)
    ]


def make_renditions(stories, spec):
    for story in stories:
        image = story.lead_image
        renditions.ensure_renditions(image, renditions.SPECS[spec].jobs(image))


def test_a_page_of_20_photos_runs_the_same_queries_cold_and_warm(client):
    world = SectionFactory(name="World", slug="world")
    few = stories_with_photos(3, world)
    _response, queries_with_few = count_queries(client, "/world/")

    many = stories_with_photos(17, world)
    cold, queries_cold = count_queries(client, "/world/")

    # The newest story leads the section; the others are cards in its grid.
    newest = max(few + many, key=lambda story: story.publish_at)
    make_renditions([newest], "front")
    make_renditions([story for story in few + many if story != newest], "card")
    warm, queries_warm = count_queries(client, "/world/")

    assert queries_with_few == queries_cold == queries_warm
    assert cold.text.count("<picture>") == warm.text.count("<picture>") == 20
    assert "/media/renditions/" not in cold.text
    assert "/images/" not in warm.text
    # Each card: three WebP and three JPEG widths in its srcsets, and the JPEG src; the lead:
    # the two widths a 640-pixel photo fills, in both formats, and its src.
    assert warm.text.count("/media/renditions/") == 19 * 7 + 5


def test_the_home_page_query_count_does_not_grow_with_its_photos(client):
    sections = [SectionFactory(name=name, slug=name.lower()) for name in ["World", "Sport"]]
    for section in sections:
        stories_with_photos(2, section)
    _response, queries_with_few = count_queries(client, "/")

    for section in sections:
        stories_with_photos(10, section)
    response, queries_with_many = count_queries(client, "/")

    assert queries_with_few == queries_with_many
    assert response.text.count("<picture>") == 1 + 4 + 4 * 2


def test_the_story_page_shows_the_lead_photo_with_its_caption_and_credit(client):
    image = ImageFactory(
        alt_text="Fishing boats moored in the harbour at dawn",
        caption="Boats wait for the tide at Porto Pim.",
        credit="Ana Ruiz/The Newsroom",
    )
    story = ArticleFactory(lead_image=image)

    response = client.get(story.get_absolute_url())

    assertInHTML(
        '<figcaption>Boats wait for the tide at Porto Pim. <span class="credit">'
        "Ana Ruiz/The Newsroom</span></figcaption>",
        response.text,
    )
    figure = re.search(r'<figure class="story-lead">.*?</figure>', response.text, re.DOTALL)
    assert 'alt="Fishing boats moored in the harbour at dawn"' in figure.group(0)
    assert 'fetchpriority="high"' in figure.group(0)


def test_a_story_can_give_the_photo_its_own_caption(client):
    image = ImageFactory(caption="Boats wait for the tide at Porto Pim.", credit="")
    story = ArticleFactory(
        lead_image=image, lead_image_caption="The harbour a day before the storm."
    )

    response = client.get(story.get_absolute_url())

    assertInHTML("<figcaption>The harbour a day before the storm.</figcaption>", response.text)
    assertNotContains(response, "Boats wait for the tide")


def test_a_story_without_a_photo_has_no_figure(client):
    story = ArticleFactory()

    response = client.get(story.get_absolute_url())

    assertNotContains(response, "<figure")
    assertNotContains(response, "<picture>")


def test_the_story_page_runs_the_same_queries_before_and_after_its_renditions_exist(client):
    plain = ArticleFactory()
    _response, queries_without_photo = count_queries(client, plain.get_absolute_url())
    story = ArticleFactory(lead_image=ImageFactory())
    cold, queries_cold = count_queries(client, story.get_absolute_url())

    make_renditions([story], "lead")
    warm, queries_warm = count_queries(client, story.get_absolute_url())

    assert queries_cold == queries_warm == queries_without_photo + 1
    assert "/media/renditions/" not in cold.text
    assert "/images/" not in warm.text


def test_the_author_page_shows_the_authors_photo(client):
    author = AuthorFactory(
        name="Ana Ruiz", photo=ImageFactory(alt_text="Ana Ruiz, head and shoulders")
    )
    ArticleFactory(authors=[author])

    response, _queries = count_queries(client, author.get_absolute_url())

    photo = re.search(r'<div class="author-photo">.*?</div>', response.text, re.DOTALL).group(0)
    assert 'alt="Ana Ruiz, head and shoulders"' in photo
    assert "author-160.webp 160w" in photo


def test_a_photo_used_by_a_story_cannot_be_deleted():
    image = ImageFactory()
    ArticleFactory(lead_image=image)

    with pytest.raises(ProtectedError):
        image.delete()

    assert Image.objects.filter(pk=image.pk).exists()


def test_a_photo_used_by_an_author_cannot_be_deleted():
    image = ImageFactory()
    AuthorFactory(photo=image)

    with pytest.raises(ProtectedError):
        image.delete()


# Photos inserted in a story's body ---------------------------------------------------------


def inserted(image, caption="Crews worked through the night.", alt="Firefighters at the warehouse"):
    caption_html = f'<figcaption class="figure-caption">{caption}</figcaption>' if caption else ""
    return (
        f'<figure class="figure"><img src="{renditions.editor_url(image)}" alt="{alt}" '
        f'data-file="{image.pk}">{caption_html}</figure>'
    )


def test_a_photo_inserted_in_the_body_is_kept_on_save():
    image = ImageFactory()
    story = ArticleFactory(body=f"<p>Before.</p>{inserted(image)}<p>After.</p>")

    story.refresh_from_db()

    assert inserted(image) in story.body


def test_readers_get_a_responsive_picture_for_a_photo_in_the_body(client):
    image = ImageFactory(credit="Ana Ruiz/The Newsroom")
    story = ArticleFactory(body=f"<p>Before.</p>{inserted(image)}<p>After.</p>")

    response = client.get(story.get_absolute_url())

    figure = re.search(r'<figure class="story-figure">.*?</figure>', response.text, re.DOTALL)
    html = figure.group(0)
    assert "<picture>" in html
    assert 'type="image/webp"' in html
    assert 'alt="Firefighters at the warehouse"' in html
    assert 'loading="lazy"' in html
    assertInHTML(
        '<figcaption>Crews worked through the night. <span class="credit">'
        "Ana Ruiz/The Newsroom</span></figcaption>",
        html,
    )


def test_a_photo_without_a_caption_still_credits_the_photographer(client):
    image = ImageFactory(credit="Ana Ruiz/The Newsroom")
    story = ArticleFactory(body=inserted(image, caption=""))

    response = client.get(story.get_absolute_url())

    assertInHTML(
        '<figcaption><span class="credit">Ana Ruiz/The Newsroom</span></figcaption>',
        response.text,
    )


def test_a_body_photo_falls_back_to_the_library_alt_text(client):
    image = ImageFactory(alt_text="Fishing boats moored in the harbour at dawn")
    story = ArticleFactory(body=inserted(image, alt=""))

    response = client.get(story.get_absolute_url())

    assertContains(response, 'alt="Fishing boats moored in the harbour at dawn"')


def test_alt_text_of_a_body_photo_cannot_break_out_of_its_attribute(client):
    image = ImageFactory()
    hostile = "&quot; onerror=&quot;alert(1)&quot; x=&quot;&lt;script&gt;"
    story = ArticleFactory(body=inserted(image, alt=hostile))

    response = client.get(story.get_absolute_url())

    assert_no_active_markup(response.text)
    assertContains(response, 'alt="&quot; onerror=&quot;alert(1)&quot; x=&quot;&lt;script&gt;"')


def test_photos_in_the_body_cost_the_same_queries_however_many(client):
    one = ArticleFactory(body=inserted(ImageFactory()))
    _response, queries_with_one = count_queries(client, one.get_absolute_url())

    many = ArticleFactory(body="".join(inserted(ImageFactory()) for _ in range(6)))
    response, queries_with_many = count_queries(client, many.get_absolute_url())

    assert queries_with_one == queries_with_many
    assert response.text.count('<figure class="story-figure">') == 6


def test_a_body_photo_no_longer_in_the_library_is_left_as_it_was(client):
    image = ImageFactory()
    story = ArticleFactory(body=inserted(image))
    Image.objects.filter(pk=image.pk).delete()

    response = client.get(story.get_absolute_url())

    assertContains(response, 'alt="Firefighters at the warehouse"')
    assertNotContains(response, "<picture>")
