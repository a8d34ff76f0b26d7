"""The site's own pages (about us, contact, the corrections policy): plain templates."""

from django.urls import path
from django.views.generic import TemplateView

from .pagecache import cached_page

app_name = "pages"


def plain_page(template_name):
    """A page of the site's own: a template, cached like every reader page."""
    return cached_page(TemplateView.as_view(template_name=template_name))


# Their addresses are kept from sections: articles.models.taxonomy.RESERVED_SECTION_SLUGS.
urlpatterns = [
    path("about/", plain_page("pages/about.html"), name="about"),
    path("contact/", plain_page("pages/contact.html"), name="contact"),
    path(
        "corrections-policy/",
        plain_page("pages/corrections_policy.html"),
        name="corrections-policy",
    ),
]
