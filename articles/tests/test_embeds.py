"""Which pasted addresses a story may embed, and what the reader's browser loads for them."""

from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from hypothesis import example, given
from hypothesis import strategies as st

from articles.embeds import FRAME_ORIGINS, PROVIDERS, match, refused_addresses, with_https

ACCEPTED = [
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://youtu.be/dQw4w9WgXcQ?t=42",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    (
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "youtube",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ),
    ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    (
        "https://x.com/NASA/status/1790000000000000000",
        "x",
        "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000&dnt=true",
    ),
    (
        "https://twitter.com/NASA/status/12345",
        "x",
        "https://platform.twitter.com/embed/Tweet.html?id=12345&dnt=true",
    ),
    (
        "https://www.instagram.com/p/C1a2B3c4D5e/",
        "instagram",
        "https://www.instagram.com/p/C1a2B3c4D5e/embed/",
    ),
    (
        "https://www.instagram.com/reel/C1a2B3c4D5e/",
        "instagram",
        "https://www.instagram.com/reel/C1a2B3c4D5e/embed/",
    ),
    (
        "https://www.tiktok.com/@scout2015/video/6718335390845095173",
        "tiktok",
        "https://www.tiktok.com/embed/v2/6718335390845095173",
    ),
    (
        "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
        "bluesky",
        "https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l",
    ),
    (
        "https://www.facebook.com/nasa/posts/123456789",
        "facebook",
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fposts%2F123456789%2F",
    ),
    (
        "https://www.facebook.com/nasa/videos/987654321/",
        "facebook",
        "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fvideos%2F987654321%2F",
    ),
    (
        "https://www.facebook.com/watch/?v=987654321",
        "facebook-watch",
        "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D987654321",
    ),
    (
        "https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC",
        "spotify",
        "https://open.spotify.com/embed/episode/4uLU6hMCjMI75M1A2tKUQC",
    ),
    (
        "https://soundcloud.com/forss/flickermood",
        "soundcloud",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood",
    ),
    (
        "https://datawrapper.dwcdn.net/Ab1cD/4/",
        "datawrapper",
        "https://datawrapper.dwcdn.net/Ab1cD/",
    ),
    (
        "https://app.datawrapper.de/chart/Ab1cD/publish",
        "datawrapper",
        "https://datawrapper.dwcdn.net/Ab1cD/",
    ),
    (
        "https://public.flourish.studio/visualisation/1234567/",
        "flourish",
        "https://flo.uri.sh/visualisation/1234567/embed",
    ),
    (
        "https://public.flourish.studio/story/98765/",
        "flourish",
        "https://flo.uri.sh/story/98765/embed",
    ),
    (
        "https://www.google.com/maps/@48.8584,2.2945,15z",
        "google-maps",
        "https://www.google.com/maps?q=48.8584,2.2945&z=15&output=embed",
    ),
    (
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3",
        "google-maps",
        "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3",
    ),
]

REFUSED = [
    "javascript:alert(1)",
    "JavaScript:alert(1)//https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil-youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com./watch?v=dQw4w9WgXcQ",
    "https://www.yοutube.com/watch?v=dQw4w9WgXcQ",  # a Greek omicron
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>',
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ onload=alert(1)",
    "https://www.youtube.com/watch?v=tooshort",
    "//www.youtube.com/watch?v=dQw4w9WgXcQ",
    "data:text/html,<script>alert(1)</script>",
    "https://x.com.evil.example/NASA/status/12345",
    "https://notx.com/NASA/status/12345",
    "https://platform.twitter.com/embed/Tweet.html?id=1",
    "https://www.facebook.com/plugins/post.php?href=https://evil.example",
    "https://www.google.com/search?q=maps",
    "https://www.google.com/url?q=https://evil.example",
    "https://open.spotify.com.evil.example/track/4uLU6hMCjMI75M1A2tKUQC",
    "https://example.com/video.mp4",
    "",
    "https://" + "a" * 3000,
]


@pytest.mark.parametrize(("url", "slug", "frame"), ACCEPTED)
def test_each_provider_address_gives_its_frame(url, slug, frame):
    found = match(url)
    assert found is not None
    assert (found.provider.slug, found.frame_url) == (slug, frame)


@pytest.mark.parametrize("url", REFUSED)
def test_hostile_and_look_alike_addresses_are_refused(url):
    assert match(url) is None


@pytest.mark.parametrize(("url", "slug", "frame"), ACCEPTED)
def test_a_provider_address_written_with_http_is_stored_with_https(url, slug, frame):
    pasted = "http://" + url.removeprefix("https://")
    assert with_https(pasted) == url
    assert refused_addresses(f'<figure class="embed" data-embed="{pasted}"></figure>') == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/video",
        "http://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com:8080/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com/watch?v=tooshort",
        "javascript:alert(1)",
    ],
)
def test_an_http_address_of_no_provider_is_left_as_it_is_and_refused(url):
    assert with_https(url) == url
    assert refused_addresses(f'<figure class="embed" data-embed="{url}"></figure>') == [url]


def test_every_provider_named_in_the_issue_is_listed():
    names = {provider.name for provider in PROVIDERS}
    assert names >= {
        "YouTube", "Vimeo", "X (Twitter)", "Instagram", "TikTok", "Bluesky", "Facebook",
        "Spotify", "SoundCloud", "Datawrapper", "Flourish", "Google Maps",
    }  # fmt: skip


@override_settings(NEWSROOM_SITE_URL="https://news.example.org", MEDIA_URL="/media/")
def test_audio_and_video_files_from_our_own_media_are_played_by_the_browser():
    audio = match("https://news.example.org/media/audio/2026/interview.mp3")
    video = match("https://news.example.org/media/video/flood.webm")
    assert (audio.kind, audio.frame_url) == (
        "audio",
        "https://news.example.org/media/audio/2026/interview.mp3",
    )
    assert video.kind == "video"
    assert match("https://news.example.org/media/audio/notes.txt") is None
    assert match("https://news.example.org/static/clip.mp4") is None
    assert match("https://news.example.org/media/../secret/clip.mp4") is None
    assert match("https://news.example.org.evil.example/media/clip.mp4") is None
    assert match("http://news.example.org/media/clip.mp4") is None


@override_settings(
    NEWSROOM_SITE_URL="https://news.example.org",
    MEDIA_URL="/media/",
    MEDIA_ORIGINS=["https://newsroom-media.s3.amazonaws.com"],
)
def test_audio_in_the_media_bucket_is_ours_too():
    found = match("https://newsroom-media.s3.amazonaws.com/audio/count.m4a")
    assert found.kind == "audio"
    assert match("https://other-bucket.s3.amazonaws.com/audio/count.m4a") is None


@override_settings(
    NEWSROOM_SITE_URL="https://news.example.org", MEDIA_URL="https://cdn.example.org/"
)
def test_media_behind_a_cdn_is_ours_and_the_site_serves_none():
    assert match("https://cdn.example.org/video/flood.mp4").kind == "video"
    assert match("https://news.example.org/media/video/flood.mp4") is None


def test_the_content_security_policy_frames_exactly_the_providers(settings):
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] == list(FRAME_ORIGINS)


@given(st.text(max_size=300))
@example("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
def test_any_text_gives_no_embed_or_a_frame_of_a_listed_provider(text):
    found = match(text)
    if found is None:
        return
    frame = urlsplit(found.frame_url)
    assert f"{frame.scheme}://{frame.netloc}" in FRAME_ORIGINS or found.kind in ("audio", "video")
    assert frame.scheme in ("https", "http")


HOSTS = sorted({host for provider in PROVIDERS for host in provider.hosts})
VIDEO_IDS = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    min_size=11,
    max_size=11,
)


@given(VIDEO_IDS)
def test_any_youtube_video_id_embeds_that_video(video_id):
    found = match(f"https://www.youtube.com/watch?v={video_id}")
    assert found.frame_url == f"https://www.youtube-nocookie.com/embed/{video_id}"


@given(
    st.sampled_from(HOSTS),
    st.sampled_from(["evil.example", "com", "evil", "example.org"]),
    st.sampled_from(["{host}.{other}", "{other}-{host}", "{other}{host}", "{other}.{host}"]),
    st.sampled_from([url for url, _slug, _frame in ACCEPTED]),
)
def test_a_provider_address_moved_to_a_look_alike_host_is_refused(host, other, shape, url):
    look_alike = shape.format(host=host, other=other)
    parts = urlsplit(url)
    assert match(parts._replace(netloc=look_alike).geturl()) is None


@given(st.sampled_from([url for url, _slug, _frame in ACCEPTED]), st.text(min_size=1, max_size=30))
def test_a_provider_address_with_anything_before_its_host_is_refused(url, userinfo):
    parts = urlsplit(url)
    tricked = parts._replace(netloc=f"{userinfo}@{parts.netloc}").geturl()
    assert match(tricked) is None
    assert match(parts._replace(scheme="http").geturl()) is None
