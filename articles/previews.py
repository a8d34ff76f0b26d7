"""Signed, expiring preview links: /preview/<token>/ shows a story as readers will see it."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

PREVIEW_SALT = "articles.preview"


def preview_token(article):
    """A token naming `article`, signed with the site's secret key and timestamped."""
    return signing.dumps({"article": article.pk}, salt=PREVIEW_SALT)


def preview_url(article):
    return reverse("articles:preview", kwargs={"token": preview_token(article)})


def article_pk_from_token(token):
    """
    The story a token names, or None when the token is tampered with, was made for
    another purpose, or is older than NEWSROOM_PREVIEW_MAX_AGE seconds.
    """
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=settings.NEWSROOM_PREVIEW_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    pk = payload.get("article") if isinstance(payload, dict) else None
    return pk if isinstance(pk, int) else None
