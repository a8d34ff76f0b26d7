"""
A fuzzing sweep of every address of the reader site and the comments app, read from the URL
configuration (a new address is swept without anyone adding it here), on a small newsroom,
with DEBUG off and the page cache on: generated query strings, path variations, headers,
methods and comment posts. Two things hold for every generated request:

- it is never an error: no 500, no traceback;
- it never poisons the page cache: whatever it leaves stored, the page it got is the page a
  fresh render of the same request gives, and afterwards each of the newsroom's own pages
  (with its real parameters) is still served exactly as it was before the sweep.

Nothing a reader sees changes during the sweep (moderators hold every comment, time stands
still), so "as it was" is a fair test. The suite runs a fixed set of examples;
NEWSROOM_FUZZ=long runs many more (see README, Development).
"""

import gzip
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Redirect
from articles.previews import preview_token
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from comments.forms import issue_token
from comments.models import Comment, ModerationSettings
from comments.tests.factories import CommentFactory
from live.tests.factories import LiveCoverageFactory, LiveEntryFactory
from photos.renditions import editor_url
from photos.tests.factories import ImageFactory

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
# Stories a page, while the sweep runs (see the newsroom fixture).
STORIES_PER_PAGE = 2
SWEPT_APPS = ("photos", "articles", "comments", "live", "pages")
# Entries of the URL configuration that are not swept: the admin (every role against every
# admin address in articles/tests/test_admin_access.py), media files
# (photos/tests/test_media.py) and the health check, which reads nothing of the request
# (newsroom/tests/test_database_unavailable.py).
NOT_SWEPT = ("admin", "photos:media", "health")

# Examples per address: 50 in the suite, a quarter of the profile's (1,250) with
# NEWSROOM_FUZZ=long.
EXAMPLES = max(50, settings().max_examples // 4)


def swept_patterns():
    """(URL name, prefix, pattern) of each address of the reader site and the comments app."""
    found = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in SWEPT_APPS:
            for pattern in entry.url_patterns:
                name = f"{entry.namespace}:{pattern.name}"
                if name not in NOT_SWEPT:
                    found.append((name, str(entry.pattern), pattern))
    return found


SWEPT = swept_patterns()


def is_cached(pattern):
    return hasattr(pattern.callback, "page_cache_params")


# The newsroom ------------------------------------------------------------------------------


@dataclass
class Newsroom:
    """The pages swept, with the arguments of their real addresses and their real parameters."""

    arguments: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)


@pytest.fixture
def newsroom(settings, monkeypatch):
    """
    A small newsroom: sections with a parent, authors, tags, a photo, live stories (one with
    threads of comments over several pages, one closed to comments), a withdrawn, a
    scheduled and a draft story, old addresses. Two stories or comments a page, so that
    every list has pages to ask for.
    """
    settings.NEWSROOM_PAGE_CACHE = True
    monkeypatch.setattr("articles.views.STORIES_PER_PAGE", STORIES_PER_PAGE)
    monkeypatch.setattr("comments.models.COMMENTS_PER_PAGE", 2)
    with time_machine.travel(NOW, tick=False):
        world = SectionFactory(name="World", slug="world")
        europe = SectionFactory(name="Europe", slug="europe", parent=world)
        SectionFactory(name="Culture", slug="culture")
        ana, ben = AuthorFactory(slug="ana-ruiz"), AuthorFactory(slug="ben-okafor")
        harbours, votes = TagFactory(name="Harbours"), TagFactory(name="Votes")
        photo = ImageFactory(size=(300, 200))
        live = ArticleFactory(
            headline="Harbour plan approved",
            section=europe,
            authors=[ana, ben],
            tags=[harbours, votes],
            lead_image=photo,
        )
        for number in range(4):
            ArticleFactory(
                headline=f"Harbour vote {number}",
                section=europe if number % 2 else world,
                authors=[ana],
                tags=[harbours],
            )
        closed = ArticleFactory(section=world, comment_mode="closed")
        withdrawn = ArticleFactory(section=world, withdrawn=True)
        scheduled = ArticleFactory(section=world, scheduled=True)
        draft = ArticleFactory(section=world, draft=True)
        threads = CommentFactory.create_batch(5, article=live)
        CommentFactory(article=live, parent=threads[0])
        CommentFactory(article=live, pending=True)
        CommentFactory(article=closed)
        Redirect.objects.create(old_path="/2019/01/01/old-harbour/", article=live)
        Redirect.objects.create(old_path="/", old_query="p=123", article=live)
        rules = ModerationSettings.load()
        rules.hold_all = True
        rules.save()
        coverage = LiveCoverageFactory(article=live)
        entries = [LiveEntryFactory(coverage=coverage, authors=[ana]) for _ in range(3)]

    def story(article):
        day = timezone.localdate(article.publish_at or NOW)
        return {
            "section": article.section.slug,
            "year": day.year,
            "month": day.month,
            "day": day.day,
            "slug": article.slug,
        }

    ids = [live.pk, live.pk, closed.pk, withdrawn.pk, scheduled.pk, draft.pk, 999_999]
    rendition = resolve(editor_url(photo)).kwargs
    return Newsroom(
        arguments={
            "articles:preview": [{"token": preview_token(draft)}, {"token": "x"}],
            "articles:section-feed": [{"section": s} for s in ("world", "europe", "nothing")],
            "articles:section-feed-atom": [{"section": "world"}, {"section": "europe"}],
            "articles:sitemap-part": [
                {"section": s} for s in ("home", "sections", "stories", "authors", "topics")
            ],
            "articles:tag": [{"slug": harbours.slug}, {"slug": votes.slug}, {"slug": "none"}],
            "articles:author": [{"slug": "ana-ruiz"}, {"slug": "ben-okafor"}, {"slug": "no"}],
            "photos:rendition": [
                rendition,
                rendition | {"width": 1},
                rendition | {"signature": "0" * 16},
            ],
            "articles:section": [{"section": s} for s in ("world", "europe", "culture", "x")],
            "articles:article": [story(a) for a in (live, closed, withdrawn, scheduled, draft)],
            "comments:post": [{"article_id": pk} for pk in ids],
            "comments:form_token": [{"article_id": pk} for pk in ids],
            "live:updates": [story(a) for a in (live, closed, withdrawn, draft)],
            "live:feed": [story(a) for a in (live, closed)],
            "live:entry": [story(live) | {"entry_id": e.pk} for e in entries]
            + [story(closed) | {"entry_id": entries[0].pk}],
        },
        # Real values of each page's own parameters.
        values={
            "page": ["1", "2", "3"],
            "comments-page": ["1", "2", "3"],
            "reply-to": [str(threads[0].pk), str(threads[3].pk)],
            "q": ["harbour", '"harbour plan" -vote', "harbour OR votes"],
            "section": ["world", "europe"],
            "date_from": ["2025-01-01", "2025-03-14"],
            "date_to": ["2025-03-14", "2025-12-31"],
            "p": ["1", "123"],
            "since": ["0", "1741944600000000"],
        },
    )


def real_paths(newsroom, name):
    """The addresses of `name` in the newsroom ([] for one that takes arguments not named)."""
    try:
        return [reverse(name, kwargs=kwargs) for kwargs in newsroom.arguments.get(name, [{}])]
    except NoReverseMatch:
        return []


def canonical_urls(newsroom, name, pattern):
    """
    The clean requests for the pages of `pattern` whose stored copies the sweep watches:
    each real path bare, with each of its parameters, and with all of them; for an address
    that is not a cached page (a comment post), the commented story's page.
    """
    if not is_cached(pattern):
        story_page = next(p for n, _prefix, p in SWEPT if n == "articles:article")
        return canonical_urls(newsroom, "articles:article", story_page)[:4]
    params = sorted(pattern.callback.page_cache_params)
    queries = [{}, *({p: newsroom.values[p][0]} for p in params)]
    if len(params) > 1:
        queries += [{p: newsroom.values[p][0] for p in params}]
        queries += [{p: newsroom.values[p][-1] for p in params}]
    return [
        f"{path}?{urllib.parse.urlencode(query)}" if query else path
        for path in real_paths(newsroom, name)
        for query in queries
    ]


# Generated requests ------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    query: str = ""
    headers: dict = field(default_factory=dict)
    form: dict | None = None  # posted as multipart (or urlencoded, by `content_type`)
    body: bytes | None = None  # posted as it is, with `content_type`
    content_type: str = "multipart/form-data"
    # "none": CSRF checks off, so the view itself answers; "token": checks on, with a real
    # token fetched from the comment form's token address; "forged": checks on, no token.
    csrf: str = "none"

    def send(self, client, replacements=None):
        url = f"{self.path}?{self.query}" if self.query else self.path
        if self.method != "POST" or (self.form is None and self.body is None):
            return client.generic(self.method, url, **self.headers)
        if self.body is not None:
            return client.post(url, self.body, content_type=self.content_type, **self.headers)
        form = {
            name: (replacements or {}).get(value, value) if isinstance(value, str) else value
            for name, value in self.form.items()
        }
        if self.content_type == "multipart/form-data":
            return client.post(url, form, **self.headers)
        fields = {k: v for k, v in form.items() if not isinstance(v, SimpleUploadedFile)}
        encoded = urllib.parse.urlencode(fields, doseq=True)
        return client.post(url, encoded, content_type=self.content_type, **self.headers)


# What a comment post's hidden fields hold when the form was loaded from our page.
REAL_TOKEN, REAL_STARTED = "<the CSRF token>", "<the form's started note>"

NUMBERS = [
    "0",
    "1",
    "2",
    "-1",
    "00",
    "1.0",
    "1e3",
    " 2",
    "０",
    "٣",
    "9" * 19,
    "9" * 30,
    "9" * 5000,
    "-" + "9" * 30,
    "0x10",
    "NaN",
    "inf",
]
DATES = [
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "2025-03-14",
    "10000-01-01",
    "0000-00-00",
    "12/31/9999",
    "2024-2-3",
    "1/1/1",
    "2025-03-14T00:00",
]
STRINGS = [
    "",
    " ",
    "harbour",
    '"',
    "-",
    "OR",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\ue000",
    "ハーバー",
    "é",
    "🦀",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "#",
    "?",
    "=",
    "%",
    "%zz",
    "x" * 4000,
    "world",
    "europe",
]
VALUES = st.sampled_from(NUMBERS + DATES + STRINGS) | st.text(max_size=30)
KNOWN_PARAMS = ["page", "comments-page", "reply-to", "q", "section", "date_from", "date_to", "p"]
OTHER_PARAMS = [
    "utm_source",
    "utm_campaign",
    "fbclid",
    "colour",
    "",
    "PAGE",
    "page[]",
    "q ",
    "é",
    "a=b",
]


def encode(text, how):
    """A name or value as a client might write it in a query string (latin-1, as WSGI has it)."""
    if how == "quoted":
        written = urllib.parse.quote(text, safe="")
    elif how == "plus":
        written = urllib.parse.quote_plus(text)
    else:  # as typed: raw characters, sent as UTF-8 bytes
        written = text
    return written.encode("utf-8", "surrogatepass").decode("latin-1")


# The hostile values that fit each known parameter best.
VALUES_FOR = {
    "page": NUMBERS,
    "comments-page": NUMBERS,
    "reply-to": NUMBERS,
    "p": NUMBERS,
    "date_from": DATES,
    "date_to": DATES,
    "q": STRINGS,
    "section": STRINGS,
}


@st.composite
def query_strings(draw, newsroom, own_params):
    """
    A query string: the page's own parameters and others, with real, hostile or any values,
    percent-encoded or not, now and then with another parameter hidden in a value.
    """
    names = st.sampled_from(sorted(own_params) + KNOWN_PARAMS) | st.sampled_from(OTHER_PARAMS)
    pairs = []
    for _ in range(draw(st.integers(0, 5))):
        name = draw(names | st.text(max_size=8))
        value = draw(
            st.sampled_from(newsroom.values.get(name) or [""])
            | st.sampled_from(VALUES_FOR.get(name, STRINGS))
            | VALUES
        )
        if own_params and draw(st.integers(0, 9)) == 9:  # "1&page=2", written as one value
            other = draw(st.sampled_from(sorted(own_params)))
            value += f"&{other}=" + draw(st.sampled_from(newsroom.values[other]))
        how = draw(st.sampled_from(["quoted", "quoted", "plus", "raw"]))
        pair = encode(name, how)
        if draw(st.integers(0, 9)) < 9:  # now and then a name alone, without "="
            pair += "=" + encode(value, how)
        pairs.append(pair)
    return draw(st.sampled_from(["&", "&", "&&", ";"])).join(pairs)


@st.composite
def path_variations(draw, path):
    """The path as given, or changed the ways clients and crawlers change one."""
    variation = draw(st.integers(0, 12))
    if variation == 1:
        return path.rstrip("/") or "/"
    if variation == 2:
        return path.replace("/", "//", draw(st.integers(1, 3)))
    if variation == 3:
        return path.upper()
    if variation == 4 and len(path) > 1:
        at = draw(st.integers(1, len(path) - 1))
        return path[:at] + f"%{ord(path[at]):02X}" + path[at + 1 :]
    if variation == 5:
        return path + draw(st.sampled_from(["é/", "%C3%A9/", "%FF/", "%00/", "%2F/", "ü"]))
    if variation == 6:
        return path.rstrip("/") + "-" + "a" * draw(st.integers(100, 3000)) + "/"
    if variation == 7:
        return path + draw(st.sampled_from(["./", "../", "%2e%2e/", ";jsessionid=1", "index.html"]))
    return path


HEADERS = {
    "HTTP_HOST": ["testserver", "TESTSERVER", "testserver.", "testserver:80", "localhost"],
    "HTTP_ACCEPT_ENCODING": ["gzip", "GZIP", "gzip;q=0", "identity", "br, zstd", "*", "x" * 5000],
    "HTTP_IF_NONE_MATCH": ["garbage", "*", 'W/"x"', '"', '"' + "a" * 8000 + '"', ","],
    "HTTP_IF_MODIFIED_SINCE": [
        "garbage",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 32 Foo 2024 99:99:99 GMT",
        "-1",
    ],
    "HTTP_COOKIE": ["sessionid=garbage", "csrftoken=x", 'a="b', "=;;=", "messages=x"],
    "HTTP_USER_AGENT": ["", "x" * 10_000, "Mozilla/5.0\x7f"],
    "HTTP_ACCEPT_LANGUAGE": ["zz", "*;q=x", "x" * 5000],
    "HTTP_X_FORWARDED_FOR": ["garbage", "1.2.3.4, ::1", "999.1.1.1"],
    "HTTP_X_FORWARDED_HOST": ["evil.example"],
    "HTTP_X_FORWARDED_PROTO": ["https", "gopher"],
    "HTTP_RANGE": ["bytes=0-1", "bytes=x"],
}


@st.composite
def header_sets(draw):
    chosen = draw(st.lists(st.sampled_from(sorted(HEADERS)), max_size=4, unique=True))
    headers = {name: draw(st.sampled_from(HEADERS[name])) for name in chosen}
    headers["REMOTE_ADDR"] = str(draw(st.ip_addresses()))
    return headers


def generated_path(name, prefix, pattern):
    """Addresses of `pattern` made from its converters' (or its regex's) own shapes."""
    converters = getattr(pattern.pattern, "converters", {})
    if converters:
        values = {key: st.from_regex(c.regex, fullmatch=True) for key, c in converters.items()}
        return st.fixed_dictionaries(values).map(
            lambda kwargs: reverse(
                name, kwargs={key: converters[key].to_python(v) for key, v in kwargs.items()}
            )
        )
    return st.from_regex(pattern.pattern.regex, fullmatch=True).map(lambda p: f"/{prefix}{p}")


# Each field of the comment form, with what a reader would put in it first.
COMMENT_FIELDS = {
    "body": "A fair point about the harbour.",
    "name": "Ana Ruiz",
    "email": "ana@example.org",
    "website": "https://example.org",
    "reply_to": "",
    "started": REAL_STARTED,
    "subject": "",
    "csrfmiddlewaretoken": REAL_TOKEN,
}
FIELD_VALUES = st.sampled_from(
    STRINGS
    + NUMBERS[:6]
    + ["Ana Ruiz", "ana@example.org", "https://example.org", "javascript:alert(1)"]
    + ["x" * 6000, "Ana\u202eRuiz", REAL_STARTED, REAL_TOKEN]
) | st.text(max_size=40)


@st.composite
def comment_posts(draw, newsroom, path):
    form = {}
    extra = draw(st.lists(st.sampled_from(["post", "x", "", "body[]"]), max_size=2))
    for name, usual in [*COMMENT_FIELDS.items(), *((name, "") for name in extra)]:
        kind = draw(st.integers(0, 9))
        if kind < 4:
            form[name] = usual
        elif kind < 7:
            form[name] = draw(FIELD_VALUES)
        elif kind == 7:
            form[name] = draw(st.lists(FIELD_VALUES, min_size=2, max_size=3))  # the field twice
        elif kind == 8:
            filename = draw(st.sampled_from(["a.txt", "x" * 300, "../../etc/passwd", "é.png"]))
            form[name] = SimpleUploadedFile(filename, draw(st.binary(max_size=64)))
        # 9: the field is missing
    request = Request(
        method=draw(st.sampled_from(["POST"] * 8 + ["GET", "HEAD", "PUT"])),
        path=path,
        query=draw(query_strings(newsroom, set())) if draw(st.integers(0, 4)) == 4 else "",
        headers=draw(header_sets()),
        form=form,
        csrf=draw(st.sampled_from(["token", "none", "token", "forged"])),
    )
    encoding = draw(st.integers(0, 5))
    if encoding == 4:
        request.content_type = "application/x-www-form-urlencoded"
    elif encoding == 5:
        request.form = None
        request.body = draw(st.binary(max_size=200))
        request.content_type = draw(
            st.sampled_from(["multipart/form-data", "application/json", "text/plain", "x/y; a=b"])
        )
    return request


@st.composite
def requests(draw, newsroom, name, prefix, pattern):
    real = real_paths(newsroom, name)
    if real and draw(st.integers(0, 4)) < 4:
        path = draw(st.sampled_from(real))
    else:
        path = draw(generated_path(name, prefix, pattern))
    path = draw(path_variations(path))
    if name == "comments:post":
        return draw(comment_posts(newsroom, path))
    own_params = pattern.callback.page_cache_params if is_cached(pattern) else set()
    return Request(
        method=draw(st.sampled_from(["GET"] * 8 + ["HEAD", "HEAD", "POST", "OPTIONS", "PUT"])),
        path=path,
        query=draw(query_strings(newsroom, own_params)),
        headers=draw(header_sets()),
    )


# The invariants ----------------------------------------------------------------------------


def content(response):
    """The body as the reader's browser reads it: unzipped if it came gzipped."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip" and body:
        return gzip.decompress(body)
    return body


def assert_no_error(response):
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in content(response)


def sent(request, newsroom):
    """
    Send `request` as a new visitor would: no cookies but those it carries itself, and the
    hidden fields of a comment form as our page would have filled them in for its story.
    """
    try:
        story_id = resolve(request.path).kwargs.get("article_id", 0)
    except Resolver404:
        story_id = 0
    replacements = {REAL_STARTED: issue_token(story_id), REAL_TOKEN: ""}
    if request.csrf == "none":
        return request.send(Client(), replacements)
    client = Client(enforce_csrf_checks=True)
    if request.csrf == "token":
        hidden = client.get(reverse("comments:form_token", args=[story_id])).json()
        replacements = {REAL_STARTED: hidden["started"], REAL_TOKEN: hidden["csrfmiddlewaretoken"]}
    return request.send(client, replacements)


def fresh_render(request):
    """The same request answered with the page cache off: what the page really is now."""
    with override_settings(NEWSROOM_PAGE_CACHE=False):
        return request.send(Client())


# The sweep ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "prefix", "pattern"), SWEPT, ids=[name for name, *_ in SWEPT])
def test_no_request_is_an_error_or_poisons_the_page_cache(newsroom, name, prefix, pattern):
    with time_machine.travel(NOW, tick=False):
        watched = {}
        for url in canonical_urls(newsroom, name, pattern):
            first = Client().get(url)
            assert_no_error(first)
            assert content(first) == content(fresh_render(Request("GET", url)))
            if first.status_code in (200, 410):
                watched[url] = content(first)
        visible_comments = Comment.objects.visible().count()

        @settings(
            max_examples=EXAMPLES,
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
            ],
        )
        @given(st.data())
        def sweep(data):
            request = data.draw(requests(newsroom, name, prefix, pattern), label="request")

            response = sent(request, newsroom)

            assert_no_error(response)
            if request.method == "GET" and "public" in response.get("Cache-Control", ""):
                assert content(response) == content(fresh_render(request))
            for url, body in watched.items():
                assert content(Client().get(url)) == body, url
            assert Comment.objects.visible().count() == visible_comments

        sweep()


def test_every_address_but_the_admin_and_media_is_swept():
    """A new top-level address, or a new app's, is either swept or named as not swept."""
    for entry in get_resolver().url_patterns:
        name = entry.namespace if isinstance(entry, URLResolver) else entry.name
        assert name in SWEPT_APPS + NOT_SWEPT, entry
    assert {"articles:home", "articles:article", "comments:post"} <= {n for n, *_ in SWEPT}


@pytest.mark.django_db
def test_every_address_with_arguments_has_real_ones_to_sweep(newsroom):
    """Generated arguments mostly miss: each address is swept with its real pages too."""
    for name, _prefix, pattern in SWEPT:
        if pattern.pattern.regex.groups:
            assert real_paths(newsroom, name), name


# Failures the sweep found, each shown on its own.


@pytest.mark.django_db
def test_searching_up_to_the_last_day_of_the_calendar_is_not_an_error(newsroom):
    with time_machine.travel(NOW, tick=False):
        response = Client().get("/search/", {"q": "harbour", "date_to": "9999-12-31"})

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "smuggled", "canonical"),
    [
        ("articles:article", {"comments-page": "1&reply-to={reply}"}, {"comments-page": "1"}),
        ("articles:search", {"page": "2&q=harbour"}, {"page": "2", "q": "harbour"}),
    ],
)
def test_a_value_holding_an_ampersand_never_shares_a_stored_page(
    newsroom, name, smuggled, canonical
):
    path = real_paths(newsroom, name)[0]
    reply = newsroom.values["reply-to"][0]
    smuggled = {key: value.format(reply=reply) for key, value in smuggled.items()}
    if name == "articles:article":
        canonical = canonical | {"reply-to": reply}
    with time_machine.travel(NOW, tick=False):
        Client().get(path, smuggled)
        served = Client().get(path, canonical)

        assert content(served) == content(fresh_render(Request("GET", path, urlencode(canonical))))


@pytest.mark.django_db
def test_a_search_page_past_the_databases_integers_is_not_found(newsroom):
    with time_machine.travel(NOW, tick=False):
        response = Client().get("/search/", {"q": "harbour", "page": "9" * 19})

    assert response.status_code == 404


@pytest.mark.django_db
def test_an_unreadable_post_to_no_address_is_not_an_error(newsroom):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("comments:form_token", args=[1]))  # sets the CSRF cookie

    missing_slash = client.post("/comments/post/1", b"x", content_type="multipart/form-data")
    nowhere = client.post("/no-such/page/at-all", b"x", content_type="multipart/form-data")

    assert missing_slash.status_code == 301
    assert nowhere.status_code == 404
