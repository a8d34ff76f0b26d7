import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from PIL import Image as PillowImage

from articles import imaging
from articles.models import Article, Author, Byline, Correction, Image, Section, Tag

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role="Editor") puts the user in that role's group."""
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
        if create:
            user.save()


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda section: slugify(section.name))
    position = factory.Sequence(lambda n: n)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Council approves harbour plan, part {n}")
    slug = factory.Sequence(lambda n: f"council-approves-harbour-plan-{n}")
    standfirst = "The vote ends a decade of argument over the old docks."
    body = factory.LazyFunction(
        lambda: "<p>The council voted on Tuesday.</p><h2>What happens next</h2><p>Work starts.</p>"
    )
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(an_hour_ago)

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)
        in_review = factory.Trait(status=Article.Status.REVIEW, publish_at=None)
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        withdrawn = factory.Trait(status=Article.Status.WITHDRAWN)

    @factory.post_generation
    def authors(article, create, extracted, **kwargs):
        """ArticleFactory(authors=[a, b]) bylines them as reporters, in that order."""
        if create and extracted:
            for position, author in enumerate(extracted):
                Byline.objects.create(article=article, author=author, position=position)

    @factory.post_generation
    def tags(article, create, extracted, **kwargs):
        if create and extracted:
            article.tags.set(extracted)


# The states in which readers never see a story, as ArticleFactory traits.
HIDDEN_STATES = {
    "draft": {"draft": True},
    "in review": {"in_review": True},
    "scheduled": {"scheduled": True},
    "withdrawn": {"withdrawn": True},
}


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)


class CorrectionFactory(DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version of this story gave the wrong date for the vote."


def photo(size=(1200, 800), mode="RGB"):
    """A photo-like Pillow image: gradients and noise, so it compresses like a real one."""
    across = PillowImage.linear_gradient("L").rotate(90).resize(size)
    down = PillowImage.linear_gradient("L").resize(size)
    noise = PillowImage.effect_noise(size, 48)
    return PillowImage.merge("RGB", [across, noise, down]).convert(mode)


def photo_bytes(format="JPEG", size=(1200, 800), mode="RGB", **save_options):
    """A generated photo encoded as `format`, with any Pillow save options (exif, icc_profile…)."""
    output = io.BytesIO()
    photo(size, mode).save(output, format, **save_options)
    return output.getvalue()


class ImageFactory(DjangoModelFactory):
    """
    ImageFactory(size=(300, 200), format="PNG") uploads a generated photo of that size;
    ImageFactory(source=pillow_image) uploads that image instead.
    """

    class Meta:
        model = Image

    alt_text = factory.Sequence(lambda n: f"Fishing boats moored in the harbour at dawn, view {n}")
    caption = "Boats wait for the tide at Porto Pim."
    credit = "Ana Ruiz/The Newsroom"

    @classmethod
    def _create(cls, model_class, *args, size=(1200, 800), format="JPEG", source=None, **kwargs):
        image = model_class(**kwargs)
        content = io.BytesIO()
        (photo(size) if source is None else source).save(content, format)
        image.use_upload(imaging.read_upload(content, max_bytes=50_000_000, max_pixels=60_000_000))
        image.save()
        return image
