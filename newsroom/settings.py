"""
Newsroom settings, read from the environment.

The defaults are the embedded ones (SQLite, local-memory cache, console email, media on
local disk), so `make run` needs no configuration. Production sets DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL; with DJANGO_DEBUG off the project refuses
to start without the first two.
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.utils.functional import lazy
from django_prose_editor.config import html_tags

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE_WORDS:
        return True
    if value.strip().lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# Core ---------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-key"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, or set "
            "DJANGO_DEBUG=true for local development."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Set it to the site's host names, comma-separated, "
            "or set DJANGO_DEBUG=true for local development."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "reversion",
    "csp",
    "photos",
    "articles",
    "comments",
    "fronts",
    "live",
    "importers",
    "demo",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.ContentSecurityPolicyMiddleware",
    # Before anything that reads a request's body; after the two that only add headers, so
    # its refusal carries them too.
    "newsroom.security.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.redirects.RedirectFallbackMiddleware",
    # A view that cannot reach the database answers a fast 503 (newsroom/availability.py).
    "newsroom.availability.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.newsroom",
            ],
            "libraries": {"kept": "newsroom.templatetags.kept"},
        },
    },
]

# Data ---------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One SQLite file shared by several processes: WAL lets readers work while one writes,
    # and IMMEDIATE transactions make a writer wait for the lock instead of failing. Each
    # process keeps its connection between requests, as with PostgreSQL: opening one and
    # setting it up costs about a millisecond, a third of a story page's whole time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer is given up on quickly: the request gets a 503.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 3)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "newsroom"),
        }
    }
elif CACHE_DIR := os.environ.get("DJANGO_CACHE_DIR", ""):
    # Several server processes on one machine without Redis (`make serve`) share this folder:
    # a page made stale in one process is stale in all of them.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FileBasedCache",
            "LOCATION": CACHE_DIR,
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 20_000)},
        }
    }
else:
    # One process's own memory: for `make run` and the tests.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# Authentication -----------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where signing in leads when its `next` address is missing or leads off the site.
LOGIN_REDIRECT_URL = "admin:index"

# Signing in to the admin is throttled (django-axes): after too many failed attempts on one
# account, or from one address, signing in there is refused for a while, right password or
# not. An address gets more tries than an account: a newsroom's staff may share an office's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT = env_int("NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT", 5)
NEWSROOM_LOGIN_FAILURES_PER_ADDRESS = env_int("NEWSROOM_LOGIN_FAILURES_PER_ADDRESS", 20)
AXES_HANDLER = "newsroom.security.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15))
# The pause runs from the failure that caused it: trying again while paused does not extend
# it, so an attacker cannot keep a colleague locked out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Time and language --------------------------------------------------------------------------

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE {TIME_ZONE!r} is not a time zone name such as 'Europe/London'."
    ) from None
USE_I18N = True
USE_TZ = True
# How the staff's pages write dates and times (the admin's lists and forms, the desk, the
# workflow's messages): newsroom/formats/<language>/formats.py, in the newsroom's time zone.
FORMAT_MODULE_PATH = ["newsroom.formats"]

# Static files and media ---------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# S3-compatible media (AWS S3, MinIO, Cloudflare R2, …) when a bucket is named. It needs
# django-storages (`pip install 'newsroom[s3]'`); credentials come from the usual
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, read by boto3 itself.
S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
if S3_BUCKET:
    try:
        import storages  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "NEWSROOM_S3_BUCKET is set but django-storages is not installed: "
            "pip install 'newsroom[s3]'."
        ) from None
    S3_CUSTOM_DOMAIN = os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN", "")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
            "custom_domain": S3_CUSTOM_DOMAIN or None,
            "location": os.environ.get("NEWSROOM_S3_PREFIX", ""),
            # Public, unsigned URLs: photos are published, and pages are cached whole.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    if S3_CUSTOM_DOMAIN:
        MEDIA_URL = f"https://{S3_CUSTOM_DOMAIN}/"


def media_origins(*, bucket, custom_domain="", endpoint_url="", region=""):
    """
    Where browsers fetch photos from besides this site, for the content security policy: the
    CDN in front of the bucket, or the bucket's own address (virtual-hosted or path style).
    """
    if not bucket:
        return []
    if custom_domain:
        return [f"https://{custom_domain}"]
    endpoint = urlsplit(endpoint_url)
    if endpoint.netloc:
        base = f"{endpoint.scheme}://"
        return [f"{base}{endpoint.netloc}", f"{base}{bucket}.{endpoint.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


MEDIA_ORIGINS = media_origins(
    bucket=S3_BUCKET,
    custom_domain=os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN", ""),
    endpoint_url=os.environ.get("NEWSROOM_S3_ENDPOINT_URL", ""),
    region=os.environ.get("NEWSROOM_S3_REGION", ""),
)
# Django serves MEDIA_ROOT itself only when media is on this server's disk.
NEWSROOM_SERVE_MEDIA = not S3_BUCKET

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security -----------------------------------------------------------------------------------

# DJANGO_HTTPS (on by default outside DEBUG) turns on the settings for a site served over
# HTTPS: redirect, secure cookies, HSTS. Behind a proxy that terminates TLS, also set
# DJANGO_TRUST_X_FORWARDED_PROTO=true: the one switch for forwarded headers, which
# gunicorn.conf.py follows too (with it off, a request's scheme is its connection's).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False)
    else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The content security policy (django-csp): scripts, styles and fonts only from this site,
# photos, audio and video from it or its media storage, no plugins, no framing, forms posting
# only here. Frames only from the embed providers' players (articles/embeds.py, FRAME_ORIGINS:
# a test checks that this list is that one), loaded by a reader's click, never on page load.
# Reader pages carry no inline script at all (a JSON-LD block is data, not a script): they
# are cached whole and shared, so a nonce could not be secret. Admin pages, never cached, add
# a nonce of their own for the prose editor's import map (newsroom/security.py).
EMBED_FRAME_ORIGINS = [
    "https://datawrapper.dwcdn.net",
    "https://embed.bsky.app",
    "https://flo.uri.sh",
    "https://open.spotify.com",
    "https://platform.twitter.com",
    "https://player.vimeo.com",
    "https://w.soundcloud.com",
    "https://www.facebook.com",
    "https://www.google.com",
    "https://www.instagram.com",
    "https://www.tiktok.com",
    "https://www.youtube-nocookie.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "media-src": [SELF, *MEDIA_ORIGINS],
        "frame-src": EMBED_FRAME_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Email --------------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Forms --------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The story body's own editor extensions (docs/body.md), loaded by the prose editor when a
# field's extensions name them. What each allows is decided by the body's sanitiser
# (articles/sanitise.py), not by these lists, which say what each writes.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("admin/newsroom/body-extensions.js")],
        "extensions": {
            "Table": html_tags(["figure", "table", "caption", "thead", "tbody", "tr", "th", "td"]),
            "QuoteWithAttribution": html_tags(["figure", "blockquote", "figcaption"]),
            "PullQuote": html_tags(["aside"]),
            "Note": html_tags(["aside"]),
            "Gallery": html_tags(["div"]),
            "Embed": html_tags(["figure", "a"], {"figure": ["data-embed"], "a": ["href"]}),
        },
    }
]

# The newsroom -------------------------------------------------------------------------------

# Photos: the largest file and the most pixels an upload may have (checked before the file is
# read, and before it is decoded).
NEWSROOM_IMAGE_MAX_UPLOAD_SIZE = env_int("NEWSROOM_IMAGE_MAX_UPLOAD_MB", 20) * 1024 * 1024
# The largest body a request may send (newsroom/security.py): a comment, signing in, a search.
# The admin's pages, for a signed-in staff member, take a photo (NEWSROOM_IMAGE_MAX_UPLOAD_SIZE)
# on top. A larger body gets 413 as it arrives, before any of it is read; the proxy in front
# should refuse the same (README, "Security").
NEWSROOM_MAX_BODY_SIZE = env_int("NEWSROOM_MAX_BODY_KB", 256) * 1024
# Uploads in a larger request are streamed to a temporary file instead of held in memory; a
# body the small limit lets in (anything from a reader) never is.
FILE_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, NEWSROOM_MAX_BODY_SIZE)
# A form's fields besides its files (a story's text in the admin), as Django's default.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000

NEWSROOM_PUBLICATION_NAME = os.environ.get("NEWSROOM_PUBLICATION_NAME", "The Newsroom")
NEWSROOM_PUBLICATION_TAGLINE = os.environ.get(
    "NEWSROOM_PUBLICATION_TAGLINE", "Independent news, checked and corrected in the open"
)


def site_address(value):
    """
    The site's public address as every absolute link is written: scheme and host, lower case,
    without a trailing dot, the scheme's own port or a path.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(
            f"NEWSROOM_SITE_URL must be the site's address, such as https://news.example.org, "
            f"not {value!r}."
        )
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(
            f"NEWSROOM_SITE_URL is the site's scheme and host only, not {value!r}."
        )
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        given_port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            f"NEWSROOM_SITE_URL has a port that is not one: {value!r}."
        ) from None
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{given_port}" if given_port not in (None, default_port) else ""
    return f"{parts.scheme}://{host}{port}"


# The site's public address: canonical links, JSON-LD, feeds, sitemaps and emails are written
# with it, whatever Host a request sent (newsroom/site.py).
NEWSROOM_SITE_URL = site_address(os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000"))
# How many proxies (load balancer, CDN) stand in front of the app and append to
# X-Forwarded-For: the reader's address is that many entries from the right. 0 uses the
# connection's address. Comment flood checks key on it.
NEWSROOM_TRUSTED_PROXIES = env_int("NEWSROOM_TRUSTED_PROXIES", 0)
# How long a preview link of an unpublished story keeps working, in seconds (two days).
NEWSROOM_PREVIEW_MAX_AGE = env_int("NEWSROOM_PREVIEW_MAX_AGE", 2 * 24 * 60 * 60)

# Search, feeds, sitemaps and link previews.
# The most addresses in one page of a sitemap (the sitemaps protocol allows 50,000).
NEWSROOM_SITEMAP_LIMIT = env_int("NEWSROOM_SITEMAP_LIMIT", 50_000)
# The publication's language as Google News names it (ISO 639: "en", "fr", "zh-cn").
NEWSROOM_NEWS_LANGUAGE = os.environ.get(
    "NEWSROOM_NEWS_LANGUAGE", LANGUAGE_CODE if LANGUAGE_CODE.startswith("zh") else LANGUAGE_CODE[:2]
)
# The publisher's logo in structured data and link previews: a static file, PNG for the widest
# support, with its size in pixels.
NEWSROOM_PUBLISHER_LOGO = os.environ.get("NEWSROOM_PUBLISHER_LOGO", "img/publisher-logo.png")
NEWSROOM_PUBLISHER_LOGO_SIZE = (
    env_int("NEWSROOM_PUBLISHER_LOGO_WIDTH", 600),
    env_int("NEWSROOM_PUBLISHER_LOGO_HEIGHT", 60),
)
# The publication's account on X (Twitter), e.g. "@thenewsroom", for its link previews.
NEWSROOM_TWITTER_SITE = os.environ.get("NEWSROOM_TWITTER_SITE", "")

# Serving and caching -------------------------------------------------------------------------

# The whole-page cache of reader pages for anonymous readers (see newsroom/pagecache.py). Pages
# are invalidated exactly when what they show changes; these are the safety nets.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
# How long a stored page is fresh at most (a scheduled story or a banner's end comes sooner).
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 600)
# How long past that a page may still be served while one request renders it again.
NEWSROOM_PAGE_CACHE_STALE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_STALE_SECONDS", 30)
# How long that one request holds the right to render it (then another may try).
NEWSROOM_PAGE_CACHE_LOCK = env_int("NEWSROOM_PAGE_CACHE_LOCK", 10)
# How many pages each server process also keeps in its own memory (checked against the
# shared cache's versions on every request, so never staler than the shared copy).
NEWSROOM_PAGE_CACHE_RECENT = env_int("NEWSROOM_PAGE_CACHE_RECENT", 500)
# How much of its memory each server process gives to the pieces of pages it keeps rendered
# until what they show changes (navigation, story cards, a story's parts, its comments; see
# newsroom/fragments.py), in megabytes of text; 0 renders them every time.
NEWSROOM_FRAGMENTS_KEPT_MB = env_int("NEWSROOM_FRAGMENTS_KEPT_MB", 32)
# What reader pages tell browsers and a CDN: `Cache-Control: public, max-age=…,
# stale-while-revalidate=…, stale-if-error=…` (max-age never runs past the page's freshness).
NEWSROOM_HTTP_MAX_AGE = env_int("NEWSROOM_HTTP_MAX_AGE", 60)
NEWSROOM_HTTP_STALE_WHILE_REVALIDATE = env_int("NEWSROOM_HTTP_STALE_WHILE_REVALIDATE", 30)
NEWSROOM_HTTP_STALE_IF_ERROR = env_int("NEWSROOM_HTTP_STALE_IF_ERROR", 86_400)
# Redis down or slow: how long a cache command may wait for it, in milliseconds, and how long,
# after a failure, the cache is left alone (pages are served uncached) before it is tried
# again (newsroom/cache.py).
NEWSROOM_CACHE_TIMEOUT_MS = env_int("NEWSROOM_CACHE_TIMEOUT_MS", 250)
NEWSROOM_CACHE_RETRY_SECONDS = env_int("NEWSROOM_CACHE_RETRY_SECONDS", 10)
# The edge cache in front (newsroom/edge.py): `varnish`, `fastly`, `cloudflare`, or nothing.
# Reader pages name their keys in the header it reads, and writes purge those keys from it.
NEWSROOM_EDGE = os.environ.get("NEWSROOM_EDGE", "").strip().lower()
if NEWSROOM_EDGE not in ("", "varnish", "fastly", "cloudflare"):
    raise ImproperlyConfigured(
        f"NEWSROOM_EDGE must be varnish, fastly or cloudflare (or unset), not {NEWSROOM_EDGE!r}."
    )
# Each purge request: how long it may take (seconds), how many times it is tried, and the wait
# before the second try (doubled for each one after).
NEWSROOM_EDGE_TIMEOUT = env_int("NEWSROOM_EDGE_TIMEOUT", 2)
NEWSROOM_EDGE_PURGE_ATTEMPTS = max(1, env_int("NEWSROOM_EDGE_PURGE_ATTEMPTS", 3))
NEWSROOM_EDGE_RETRY_DELAY = env_int("NEWSROOM_EDGE_RETRY_DELAY_MS", 250) / 1000
# After a purge failed, for this long each purge is tried once only (writes do not wait on an
# edge that is down), and carries the keys missed so far.
NEWSROOM_EDGE_FAILING_SECONDS = env_int("NEWSROOM_EDGE_FAILING_SECONDS", 30)
# Varnish: the addresses of its instances, and the secret its VCL asks of a purge.
NEWSROOM_VARNISH_URLS = env_list("NEWSROOM_VARNISH_URLS") or ["http://127.0.0.1:6081"]
NEWSROOM_EDGE_PURGE_TOKEN = os.environ.get("NEWSROOM_EDGE_PURGE_TOKEN", "")
# Fastly: the service and an API token allowed to purge it.
NEWSROOM_FASTLY_API_URL = os.environ.get("NEWSROOM_FASTLY_API_URL", "https://api.fastly.com")
NEWSROOM_FASTLY_SERVICE_ID = os.environ.get("NEWSROOM_FASTLY_SERVICE_ID", "")
NEWSROOM_FASTLY_API_TOKEN = os.environ.get("NEWSROOM_FASTLY_API_TOKEN", "")
# Cloudflare: the zone and an API token with the Cache Purge permission.
NEWSROOM_CLOUDFLARE_API_URL = os.environ.get(
    "NEWSROOM_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
)
NEWSROOM_CLOUDFLARE_ZONE_ID = os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID", "")
NEWSROOM_CLOUDFLARE_API_TOKEN = os.environ.get("NEWSROOM_CLOUDFLARE_API_TOKEN", "")
_EDGE_NEEDS = {
    "fastly": ["NEWSROOM_FASTLY_SERVICE_ID", "NEWSROOM_FASTLY_API_TOKEN"],
    "cloudflare": ["NEWSROOM_CLOUDFLARE_ZONE_ID", "NEWSROOM_CLOUDFLARE_API_TOKEN"],
}
for _name in ("NEWSROOM_FASTLY_API_URL", "NEWSROOM_CLOUDFLARE_API_URL"):
    if urlsplit(globals()[_name]).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"{_name} must be an http(s) address.")
if any(urlsplit(url).scheme not in ("http", "https") for url in NEWSROOM_VARNISH_URLS):
    raise ImproperlyConfigured("NEWSROOM_VARNISH_URLS must be http(s) addresses.")
if missing := [name for name in _EDGE_NEEDS.get(NEWSROOM_EDGE, []) if not os.environ.get(name)]:
    raise ImproperlyConfigured(
        f"NEWSROOM_EDGE is {NEWSROOM_EDGE} but {' and '.join(missing)} not set: purges need them."
    )
# The database out of reach: the 503's Retry-After, in seconds (newsroom/availability.py).
NEWSROOM_RETRY_AFTER_SECONDS = env_int("NEWSROOM_RETRY_AFTER_SECONDS", 10)
# How often a live story's open page asks for new updates (from the page cache, or a 304).
NEWSROOM_LIVE_POLL_SECONDS = env_int("NEWSROOM_LIVE_POLL_SECONDS", 20)
# A comment post that fails the CSRF check comes back to the form with what was typed.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"
# How deep lists of stories (section fronts, tags, authors) are paginated: 500 pages of 20.
NEWSROOM_LIST_MAX_PAGES = env_int("NEWSROOM_LIST_MAX_PAGES", 500)
