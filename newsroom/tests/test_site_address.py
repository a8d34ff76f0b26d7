"""NEWSROOM_SITE_URL: one public address, written one way, whatever form it was given in."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.settings import site_address


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("https://News.Example.org", "https://news.example.org"),
        ("https://news.example.org.", "https://news.example.org"),
        ("https://news.example.org:443/", "https://news.example.org"),
        ("http://news.example.org:80", "http://news.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        (" https://news.example.org/ ", "https://news.example.org"),
    ],
)
def test_the_site_address_is_written_one_way(given, written):
    assert site_address(given) == written


@pytest.mark.parametrize(
    "given",
    [
        "news.example.org",
        "ftp://news.example.org",
        "https://",
        "https://news.example.org/news/",
        "https://news.example.org/?x=1",
        "https://user@news.example.org",
        "https://news.example.org:notaport",
    ],
)
def test_an_address_that_is_not_a_site_address_is_refused_at_start(given):
    with pytest.raises(ImproperlyConfigured, match="NEWSROOM_SITE_URL"):
        site_address(given)
