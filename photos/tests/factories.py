"""Photos for the tests: generated, so they compress and decode like real ones."""

import io

import factory
from factory.django import DjangoModelFactory
from PIL import Image as PillowImage

from photos import imaging
from photos.models import Image


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
