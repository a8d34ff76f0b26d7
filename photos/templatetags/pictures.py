"""
`{% picture image "spec" %}`: a news photo as a responsive <picture> (see renditions.py), and
`with_pictures`, which gives photos inserted in a story's body the same markup.
"""

import re
from html import unescape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import Image
from ..renditions import SPECS, picture

register = template.Library()


class PictureNode(template.Node):
    def __init__(self, image, spec):
        self.image, self.spec = image, spec

    def render(self, context):
        image = self.image.resolve(context)
        if not image:
            return ""
        spec = self.spec.resolve(context)
        if spec not in SPECS:
            raise template.TemplateSyntaxError(f"No picture spec named {spec!r}.")
        return picture(image, spec)


@register.tag(name="picture")
def picture_tag(parser, token):
    """{% picture image "lead" %}: nothing when `image` is empty; the spec is one of SPECS."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('Usage: {% picture image "spec" %}')
    image, spec = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    if spec.is_var is False and spec.var not in SPECS:
        names = ", ".join(SPECS)
        raise template.TemplateSyntaxError(f"No picture spec named {spec.var!r} (have {names}).")
    return PictureNode(image, spec)


BODY_PHOTO = re.compile(r"<figure\b[^>]*>(?P<figure>.*?)</figure>|(?P<img><img\b[^>]*>)", re.DOTALL)
IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>", re.DOTALL)
IMAGE_ID = re.compile(r'<img\b[^>]*\bdata-file="([0-9]+)"')


def images_in(*bodies):
    """
    The library photos inserted in `bodies`, by id, with their renditions: two queries for
    any number of bodies (none when no body has a photo).
    """
    ids = {int(found) for body in bodies for found in IMAGE_ID.findall(body)}
    if not ids:
        return {}
    return Image.objects.filter(pk__in=ids).with_renditions().in_bulk()


@register.filter
def with_pictures(body, images=None):
    """
    The (sanitised) body with each photo from the library as a responsive <picture> in a
    figure with its caption and credit. Two queries when the body has photos (the images and
    their renditions), none otherwise, or none at all when `images` (from `images_in()`,
    for a page of several bodies) holds them. A photo no longer in the library is left as
    it was.
    """
    if images is None:
        images = images_in(body)
    if not images:
        return body

    def photo(match):
        img = IMG.search(match.group(0))
        if img is None:
            return match.group(0)
        attributes = dict(ATTRIBUTE.findall(img.group(0)))
        image = images.get(int(attributes.get("data-file", "0")))
        if image is None:
            return match.group(0)
        found = FIGCAPTION.search(match.group("figure") or "")
        caption = (
            mark_safe(found.group("caption")) if found else ""
        )  # the body was sanitised on save
        credit = (
            format_html(' <span class="credit">{}</span>', image.credit) if image.credit else ""
        )
        alt = unescape(attributes.get("alt", "")) or image.alt_text
        if not caption and not credit:
            return format_html(
                '<figure class="story-figure">{}</figure>', picture(image, "body", alt)
            )
        return format_html(
            '<figure class="story-figure">{}<figcaption>{}{}</figcaption></figure>',
            picture(image, "body", alt),
            caption,
            credit,
        )

    return mark_safe(BODY_PHOTO.sub(photo, body))
