"""
Embeds: the services a story may show a post, a video, a chart or a map from, each with the
addresses a journalist pastes and the frame the reader's browser loads after a click.

A story stores an embed as data, never as the provider's HTML:
`<figure class="embed" data-embed="URL"><a href="URL">title</a></figure>`. `match(url)` is the
one check of a pasted address: an https address on one of a provider's own hosts (exactly;
no look-alike, no user name, no other port), whose path is one of its patterns. The frame
address is built from the parts the pattern captured (an id, a name), never copied from what
was pasted. A provider's address pasted with http:// is stored with https:// (with_https()):
every provider serves https. The content security policy's frame-src lists FRAME_ORIGINS and
nothing else.

Audio and video files from the newsroom's own media storage are embeds too: the reader's
browser plays them with its own <audio> or <video> player, after the same click.

To add a provider, add a Provider to PROVIDERS (docs/body.md says how).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.conf import settings

MAX_URL_LENGTH = 2048

# What a pasted address may contain: printable ASCII, no spaces, quotes, angle brackets or
# backslashes (which browsers read as slashes, and so as another host).
_URL_CHARACTERS = re.compile(r"[!#-&(-;=?-\[\]_a-z~]+", re.ASCII | re.IGNORECASE)


@dataclass(frozen=True)
class Provider:
    """A service stories may embed from."""

    slug: str
    name: str
    # What the reader's placeholder calls it when the journalist gave no title.
    label: str
    hosts: frozenset[str]
    # Patterns on the address's path (and "?query" when `with_query`), matched whole.
    patterns: tuple[re.Pattern, ...]
    # The frame address, from the pattern's named groups (and the query's parameters).
    frame: Callable[[dict], str | None]
    frame_origin: str
    with_query: bool = False
    # "frame": an iframe of frame_origin; "audio", "video": our own player.
    kind: str = "frame"


@dataclass(frozen=True)
class Embed:
    """What match() found: the provider, the address as pasted, and what to load on a click."""

    provider: Provider
    url: str
    frame_url: str

    @property
    def kind(self):
        return self.provider.kind


def _patterns(*patterns):
    return tuple(re.compile(pattern, re.ASCII) for pattern in patterns)


def _hosts(*names):
    return frozenset(names)


_ID = r"[A-Za-z0-9_-]"


def _google_maps_frame(found):
    if found.get("pb"):
        return f"https://www.google.com/maps/embed?pb={quote(found['pb'], safe='!:.,-_')}"
    if found.get("lat"):
        return (
            f"https://www.google.com/maps?q={found['lat']},{found['lng']}"
            f"&z={found.get('zoom') or 14}&output=embed"
        )
    return None


def _youtube_frame(found):
    return f"https://www.youtube-nocookie.com/embed/{found['id']}"


def _facebook_frame(found):
    canonical = f"https://www.facebook.com/{found['page']}/{found['kind']}/{found['id']}/"
    plugin = "video" if found["kind"] == "videos" else "post"
    return f"https://www.facebook.com/plugins/{plugin}.php?href={quote(canonical, safe='')}"


def _facebook_watch_frame(found):
    canonical = f"https://www.facebook.com/watch/?v={found['v']}"
    return f"https://www.facebook.com/plugins/video.php?href={quote(canonical, safe='')}"


def _soundcloud_frame(found):
    canonical = f"https://soundcloud.com/{found['user']}/{found['track']}"
    return f"https://w.soundcloud.com/player/?url={quote(canonical, safe='')}"


PROVIDERS = (
    Provider(
        slug="youtube",
        name="YouTube",
        label="Video on YouTube",
        hosts=_hosts("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"),
        patterns=_patterns(
            rf"/watch\?(?:.*&)?v=(?P<id>{_ID}{{11}})(?:&.*)?",
            rf"/(?:shorts|embed|live)/(?P<id>{_ID}{{11}})(?:\?.*)?",
            rf"/(?P<id>{_ID}{{11}})(?:\?.*)?",
        ),
        frame=_youtube_frame,
        frame_origin="https://www.youtube-nocookie.com",
        with_query=True,
    ),
    Provider(
        slug="vimeo",
        name="Vimeo",
        label="Video on Vimeo",
        hosts=_hosts("vimeo.com", "www.vimeo.com", "player.vimeo.com"),
        patterns=_patterns(r"/(?:video/)?(?P<id>[0-9]{1,12})/?"),
        frame=lambda found: f"https://player.vimeo.com/video/{found['id']}?dnt=1",
        frame_origin="https://player.vimeo.com",
    ),
    Provider(
        slug="x",
        name="X (Twitter)",
        label="Post on X",
        hosts=_hosts("x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"),
        patterns=_patterns(r"/(?P<user>[A-Za-z0-9_]{1,15})/status/(?P<id>[0-9]{1,20})/?"),
        frame=lambda found: (
            f"https://platform.twitter.com/embed/Tweet.html?id={found['id']}&dnt=true"
        ),
        frame_origin="https://platform.twitter.com",
    ),
    Provider(
        slug="instagram",
        name="Instagram",
        label="Post on Instagram",
        hosts=_hosts("instagram.com", "www.instagram.com"),
        patterns=_patterns(rf"/(?P<kind>p|reel|tv)/(?P<id>{_ID}{{5,40}})/?"),
        frame=lambda found: f"https://www.instagram.com/{found['kind']}/{found['id']}/embed/",
        frame_origin="https://www.instagram.com",
    ),
    Provider(
        slug="tiktok",
        name="TikTok",
        label="Video on TikTok",
        hosts=_hosts("tiktok.com", "www.tiktok.com"),
        patterns=_patterns(r"/@(?P<user>[A-Za-z0-9_.]{1,30})/video/(?P<id>[0-9]{1,20})/?"),
        frame=lambda found: f"https://www.tiktok.com/embed/v2/{found['id']}",
        frame_origin="https://www.tiktok.com",
    ),
    Provider(
        slug="bluesky",
        name="Bluesky",
        label="Post on Bluesky",
        hosts=_hosts("bsky.app"),
        patterns=_patterns(
            r"/profile/(?P<author>did:plc:[a-z2-7]{24}|[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})"
            r"/post/(?P<id>[a-z2-7]{13})/?"
        ),
        frame=lambda found: (
            f"https://embed.bsky.app/embed/{found['author']}/app.bsky.feed.post/{found['id']}"
        ),
        frame_origin="https://embed.bsky.app",
    ),
    Provider(
        slug="facebook",
        name="Facebook",
        label="Post on Facebook",
        hosts=_hosts("facebook.com", "www.facebook.com", "m.facebook.com"),
        patterns=_patterns(
            r"/(?P<page>[A-Za-z0-9.]{1,50})/(?P<kind>posts|videos)/(?P<id>[0-9]{1,20}|pfbid[A-Za-z0-9]{10,80})/?",
        ),
        frame=_facebook_frame,
        frame_origin="https://www.facebook.com",
    ),
    Provider(
        slug="facebook-watch",
        name="Facebook",
        label="Video on Facebook",
        hosts=_hosts("facebook.com", "www.facebook.com", "m.facebook.com"),
        patterns=_patterns(r"/watch/?\?v=(?P<v>[0-9]{1,20})"),
        frame=_facebook_watch_frame,
        frame_origin="https://www.facebook.com",
        with_query=True,
    ),
    Provider(
        slug="spotify",
        name="Spotify",
        label="Listen on Spotify",
        hosts=_hosts("open.spotify.com"),
        patterns=_patterns(
            r"/(?:intl-[a-z]{2}(?:-[A-Za-z]{2})?/)?"
            r"(?P<kind>track|album|playlist|episode|show|artist)/(?P<id>[A-Za-z0-9]{22})/?"
        ),
        frame=lambda found: f"https://open.spotify.com/embed/{found['kind']}/{found['id']}",
        frame_origin="https://open.spotify.com",
    ),
    Provider(
        slug="soundcloud",
        name="SoundCloud",
        label="Listen on SoundCloud",
        hosts=_hosts("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"),
        patterns=_patterns(r"/(?P<user>[a-z0-9_-]{1,50})/(?P<track>(?:sets/)?[a-z0-9_-]{1,120})/?"),
        frame=_soundcloud_frame,
        frame_origin="https://w.soundcloud.com",
    ),
    Provider(
        slug="datawrapper",
        name="Datawrapper",
        label="Chart by Datawrapper",
        hosts=_hosts("datawrapper.dwcdn.net", "app.datawrapper.de"),
        patterns=_patterns(
            r"/(?P<id>[A-Za-z0-9]{5})(?:/[0-9]{1,4})?/?",
            r"/chart/(?P<id>[A-Za-z0-9]{5})(?:/[a-z]+)?/?",
        ),
        frame=lambda found: f"https://datawrapper.dwcdn.net/{found['id']}/",
        frame_origin="https://datawrapper.dwcdn.net",
    ),
    Provider(
        slug="flourish",
        name="Flourish",
        label="Chart by Flourish",
        hosts=_hosts("public.flourish.studio", "flo.uri.sh"),
        patterns=_patterns(r"/(?P<kind>visualisation|story)/(?P<id>[0-9]{1,12})(?:/embed)?/?"),
        frame=lambda found: f"https://flo.uri.sh/{found['kind']}/{found['id']}/embed",
        frame_origin="https://flo.uri.sh",
    ),
    Provider(
        slug="google-maps",
        name="Google Maps",
        label="Map on Google Maps",
        hosts=_hosts("www.google.com", "google.com", "maps.google.com"),
        patterns=_patterns(
            r"/maps/embed\?pb=(?P<pb>[A-Za-z0-9!:.,_%-]{1,1500})",
            r"/maps/(?:place/[^/?#]{1,200}/)?@(?P<lat>-?[0-9]{1,2}(?:\.[0-9]{1,10})?),"
            r"(?P<lng>-?[0-9]{1,3}(?:\.[0-9]{1,10})?)(?:,(?P<zoom>[0-9]{1,2})(?:\.[0-9]+)?z)?"
            r"(?:[/,][^?#]*)?(?:\?.*)?",
        ),
        frame=_google_maps_frame,
        frame_origin="https://www.google.com",
        with_query=True,
    ),
)

# The files of our own media the reader's browser plays, by their extension.
AUDIO_EXTENSIONS = ("mp3", "m4a", "aac", "oga", "ogg", "opus", "wav", "flac")
VIDEO_EXTENSIONS = ("mp4", "m4v", "webm", "ogv", "mov")


def _own_media_places():
    """
    Where our media is served from, as (host with port, folder) pairs: MEDIA_URL (on this
    site when it is a path), and the media storage's own addresses (MEDIA_ORIGINS).
    """
    media = urlsplit(settings.MEDIA_URL)
    host = media.netloc or urlsplit(settings.NEWSROOM_SITE_URL).netloc
    folder = media.path if media.path.endswith("/") else media.path + "/"
    places = {(host.lower(), folder)}
    places |= {(urlsplit(origin).netloc.lower(), "/") for origin in settings.MEDIA_ORIGINS}
    return places


def own_media(url):
    """An Embed of an audio or video file in our own media storage, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", urlsplit(settings.NEWSROOM_SITE_URL).scheme):
        return None
    if parts.query or parts.fragment or ".." in parts.path or "//" in parts.path:
        return None
    folders = [folder for host, folder in _own_media_places() if host == parts.netloc.lower()]
    if not folders or not parts.path.startswith(folders[0]):
        return None
    path = parts.path[len(folders[0]) :]
    found = re.fullmatch(r"(?:[\w-]+/)*[\w.-]+\.(?P<extension>[a-z0-9]{2,4})", path)
    if found is None:
        return None
    extension = found["extension"]
    if extension in AUDIO_EXTENSIONS:
        return Embed(OWN_AUDIO, url, url)
    if extension in VIDEO_EXTENSIONS:
        return Embed(OWN_VIDEO, url, url)
    return None


OWN_AUDIO = Provider(
    slug="audio",
    name="Audio",
    label="Listen",
    hosts=frozenset(),
    patterns=(),
    frame=lambda found: None,
    frame_origin="",
    kind="audio",
)
OWN_VIDEO = Provider(
    slug="video",
    name="Video",
    label="Watch the video",
    hosts=frozenset(),
    patterns=(),
    frame=lambda found: None,
    frame_origin="",
    kind="video",
)

# What the content security policy's frame-src lists (newsroom/settings.py reads it).
FRAME_ORIGINS = tuple(sorted({provider.frame_origin for provider in PROVIDERS}))


def is_well_formed(url):
    """Whether `url` could be an address to embed at all: short, printable, no tricks."""
    return (
        isinstance(url, str)
        and 0 < len(url) <= MAX_URL_LENGTH
        and _URL_CHARACTERS.fullmatch(url) is not None
    )


def match(url: str) -> Embed | None:
    """
    The provider and frame address for an address a journalist pasted, or None when it is
    not one we embed: not https, not exactly one of a provider's hosts (a look-alike such as
    youtube.com.evil.example or evil-youtube.com, a user name before the host, another port),
    or a path none of the provider's patterns describes.
    """
    if not is_well_formed(url):
        return None
    if (found := own_media(url)) is not None:
        return found
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "https" or port not in (None, 443):
        return None
    if "@" in parts.netloc or parts.hostname is None:
        return None
    host = parts.hostname
    for provider in PROVIDERS:
        if host not in provider.hosts:
            continue
        target = (
            f"{parts.path}?{parts.query}" if provider.with_query and parts.query else parts.path
        )
        for pattern in provider.patterns:
            found = pattern.fullmatch(target)
            if found is None:
                continue
            groups = {name: value for name, value in found.groupdict().items() if value}
            frame = provider.frame(groups)
            if frame is not None:
                return Embed(provider, url, frame)
    return None


def with_https(url: str) -> str:
    """
    The address to store for one pasted: a provider's address written with http:// becomes
    its https:// address (every provider serves https, and match() accepts https only); any
    other address is returned as it is, to be accepted or refused by match().
    """
    if not isinstance(url, str) or url[:7].lower() != "http://" or match(url) is not None:
        return url
    upgraded = "https://" + url[7:]
    return upgraded if match(upgraded) is not None else url


class _EmbedAddresses(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and "embed" in (attrs.get("class") or "").split():
            self.addresses.append(attrs.get("data-embed") or "")


def refused_addresses(html: str) -> list[str]:
    """
    The addresses of the embeds in a body (as the editor sent it) that match() refuses, even
    with https: a provider's address written with http:// is not refused (it is stored with
    https, see with_https()).
    """
    parser = _EmbedAddresses()
    parser.feed(html or "")
    parser.close()
    return [address for address in parser.addresses if match(with_https(address)) is None]


def provider_names():
    """The providers' names, for messages: “YouTube, Vimeo, … or our own audio and video”."""
    names = list(dict.fromkeys(provider.name for provider in PROVIDERS))
    return ", ".join(names) + ", or an audio or video file from our own media library"
