"""
The size of what a request may send: everything but the admin takes a small body (a comment,
signing in, a search); the admin's pages, for a signed-in staff member, also take a photo. A
body over its limit gets 413 as it arrives: with a Content-Length, before any of it is read
(so nothing is ever written to a temporary file); without one (chunked), as soon as the
reading passes the limit.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.tests.factories import ArticleFactory
from comments.models import Comment
from newsroom.security import RequestBodyLimit, RequestBodyTooLarge
from photos.models import Image
from photos.tests.factories import photo_bytes

from .test_http_security import run_python

pytestmark = pytest.mark.django_db

KB = 1024
MB = 1024 * KB
IMAGE_ADD_URL = "/admin/photos/image/add/"
ALT_TEXT = "Firefighters outside the burning warehouse on Dock Street"


@pytest.fixture
def body_reads(monkeypatch):
    """What read a request's body: the multipart parser, and temporary files it wrote."""
    reads = []
    parse, temporary_file = MultiPartParser.parse, TemporaryUploadedFile.__init__

    def parsing(parser):
        reads.append("parsed")
        return parse(parser)

    def writing(upload, *args, **kwargs):
        reads.append("temporary file")
        temporary_file(upload, *args, **kwargs)

    monkeypatch.setattr(MultiPartParser, "parse", parsing)
    monkeypatch.setattr(TemporaryUploadedFile, "__init__", writing)
    return reads


def test_the_small_limit_is_256_kb_and_read_from_the_environment(settings):
    assert settings.NEWSROOM_MAX_BODY_SIZE == 256 * KB
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.NEWSROOM_MAX_BODY_SIZE, s.FILE_UPLOAD_MAX_MEMORY_SIZE)",
        NEWSROOM_MAX_BODY_KB="4096",
    )

    assert result.stdout.split() == [str(4 * MB), str(4 * MB)]


def test_a_body_the_small_limit_lets_in_is_never_written_to_disk(settings):
    assert settings.NEWSROOM_MAX_BODY_SIZE <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE


# With a Content-Length: refused before any of the body is read ------------------------------


def test_a_comment_post_over_the_limit_is_refused_before_it_is_read(body_reads):
    story = ArticleFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("comments:post", args=[story.pk]),
        {"name": "Maria", "body": "Hello", "file": SimpleUploadedFile("big.bin", b"x" * 3 * MB)},
    )

    assert response.status_code == 413
    assertContains(response, "Too large", status_code=413)
    assertContains(response, "Nothing was saved.", status_code=413)
    assert body_reads == []
    assert not Comment.objects.exists()


def test_a_comment_post_within_the_limit_is_read_as_before(body_reads):
    story = ArticleFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("comments:post", args=[story.pk]),
        {"name": "Maria", "body": "Hello", "file": SimpleUploadedFile("small.bin", b"x" * KB)},
    )

    assert response.status_code == 403
    assert body_reads == ["parsed"]


@pytest.mark.parametrize("cookie", [None, "made-up-session-key"])
def test_a_large_post_to_the_admin_without_a_staff_session_is_refused_before_it_is_read(
    client, body_reads, cookie
):
    if cookie:
        client.cookies["sessionid"] = cookie

    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "x" * 300 * KB},
    )

    assert response.status_code == 413
    assert body_reads == []


def test_a_search_with_an_oversized_body_is_refused(client):
    response = client.generic("GET", "/search/?q=harbour", b"x" * 300 * KB)

    assert response.status_code == 413


def upload(client, content):
    data = {"upload": SimpleUploadedFile("harbour.jpg", content), "alt_text": ALT_TEXT}
    return client.post(IMAGE_ADD_URL, data)


def test_an_editors_photo_upload_over_the_small_limit_is_accepted(editor_client, settings):
    settings.NEWSROOM_MAX_BODY_SIZE = 10 * KB
    content = photo_bytes("JPEG", (1600, 1200), quality=95)
    assert len(content) > 10 * KB

    response = upload(editor_client, content)

    assert response.status_code == 302
    assert Image.objects.get().width == 1600


def test_a_photo_over_the_upload_limit_is_refused_before_it_is_read(
    editor_client, settings, body_reads
):
    settings.NEWSROOM_MAX_BODY_SIZE = 10 * KB
    settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE = 20 * KB
    content = photo_bytes("PNG", (400, 300))
    assert len(content) > 30 * KB

    response = upload(editor_client, content)

    assert response.status_code == 413
    assertContains(response, "30.0\xa0KB", status_code=413)
    assert body_reads == []
    assert not Image.objects.exists()


def test_a_photo_just_over_the_photo_limit_gets_the_forms_own_message(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE = 20 * KB
    content = photo_bytes("PNG", (400, 300))
    assert 20 * KB < len(content) < settings.NEWSROOM_MAX_BODY_SIZE

    response = upload(editor_client, content)

    assertContains(response, "the largest image accepted is 20.0\xa0KB")
    assert not Image.objects.exists()


# Without a Content-Length (chunked): cut off as it arrives ----------------------------------


class LongBody(io.RawIOBase):
    """A chunked body far past any limit (32 MB), counting what was read of it."""

    def __init__(self):
        self.bytes_left, self.bytes_read = 32 * MB, 0

    def read(self, size=-1):
        if size is None or size < 0:
            raise AssertionError("the whole body was asked for at once")
        size = min(size, self.bytes_left)
        self.bytes_left -= size
        self.bytes_read += size
        return b"x" * size

    def readline(self, size=-1):
        return self.read(size)


CHUNK = 64 * KB


READERS = {
    "in chunks": lambda body: iter(lambda: body.read(CHUNK), b""),
    "whole": lambda body: [body.read()],
    "by lines": lambda body: iter(body.readline, b""),
    "as an iterator": iter,
}


def reading_to_the_end(*, swallow=False, reader=READERS["in chunks"]):
    """A WSGI application that reads its body to the end (by default in chunks, as a parser)."""

    def application(environ, start_response):
        try:
            for _part in reader(environ["wsgi.input"]):
                pass
        except RequestBodyTooLarge:
            if not swallow:
                raise
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"Bad request"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"Read it all"]

    return application


def chunked_post(path, body):
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": body,
        "wsgi.input_terminated": True,
    }


class Started:
    def __call__(self, status, headers, exc_info=None):
        self.status, self.headers = status, dict(headers)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("swallow", [False, True])
def test_a_chunked_body_past_the_limit_is_cut_off_with_413(settings, swallow, reader):
    body, started = LongBody(), Started()
    application = RequestBodyLimit(reading_to_the_end(swallow=swallow, reader=READERS[reader]))

    content = b"".join(application(chunked_post("/comments/post/1/", body), started))

    assert started.status.startswith("413 ")
    assert "Nothing was saved." in content.decode()
    limit = settings.NEWSROOM_MAX_BODY_SIZE
    assert limit < body.bytes_read <= limit + CHUNK


def test_a_chunked_body_within_the_limit_is_read_whole():
    started = Started()
    application = RequestBodyLimit(reading_to_the_end())

    content = b"".join(
        application(chunked_post("/comments/post/1/", io.BytesIO(b"x" * 100 * KB)), started)
    )

    assert (started.status, content) == ("200 OK", b"Read it all")


def test_a_chunked_body_to_the_admin_without_a_staff_session_is_cut_off_at_the_small_limit(
    settings,
):
    body, started = LongBody(), Started()
    application = RequestBodyLimit(reading_to_the_end())

    b"".join(application(chunked_post(IMAGE_ADD_URL, body), started))

    assert started.status.startswith("413 ")
    assert body.bytes_read <= settings.NEWSROOM_MAX_BODY_SIZE + CHUNK


def test_a_chunked_photo_from_a_staff_session_is_cut_off_at_the_upload_limit(
    editor_client, settings
):
    body, started = LongBody(), Started()
    application = RequestBodyLimit(reading_to_the_end())
    environ = chunked_post(IMAGE_ADD_URL, body)
    environ["HTTP_COOKIE"] = f"sessionid={editor_client.cookies['sessionid'].value}"

    b"".join(application(environ, started))

    limit = settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE + settings.NEWSROOM_MAX_BODY_SIZE
    assert started.status.startswith("413 ")
    assert limit < body.bytes_read <= limit + CHUNK


def test_the_server_refuses_a_large_comment_post_before_reading_it():
    from newsroom.wsgi import application

    started = Started()
    environ = chunked_post("/comments/post/1/", io.BytesIO())
    del environ["HTTP_TRANSFER_ENCODING"]
    environ |= {
        "CONTENT_LENGTH": str(500 * MB),
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "wsgi.input": Unreadable(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }

    b"".join(application(environ, started))

    assert started.status.startswith("413 ")


class Unreadable(io.RawIOBase):
    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read
