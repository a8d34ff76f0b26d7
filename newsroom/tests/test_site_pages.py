"""The site's own pages: about us, contact and the corrections policy, linked from every page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Section

pytestmark = pytest.mark.django_db

PAGES = {
    "pages:about": "About us",
    "pages:contact": "Contact us",
    "pages:corrections-policy": "Corrections policy",
}


@pytest.mark.parametrize(("name", "title"), PAGES.items())
def test_each_page_is_linked_from_the_footer_and_served_from_the_page_cache(client, name, title):
    address = reverse(name)
    home = client.get(reverse("articles:home"))

    first, second = client.get(address), client.get(address)

    assertContains(home, f'<a href="{address}">{title}</a>', html=True)
    assertContains(first, f'<h1 id="page-title">{title}</h1>', html=True)
    assert "public" in second["Cache-Control"]
    assert second["X-Page-Cache"] == "hit"


def test_a_section_cannot_take_the_address_of_a_page_of_the_site():
    section = Section(name="About", slug="about")

    with pytest.raises(ValidationError, match="used by the site itself"):
        section.full_clean()
