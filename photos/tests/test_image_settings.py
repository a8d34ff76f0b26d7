"""Image settings read from the environment."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_with(code, **env):
    return subprocess.run(
        [sys.executable, "-c", f"import newsroom.settings as s; print({code})"],
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_upload_limits_come_from_the_environment():
    result = settings_with(
        "s.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE, s.NEWSROOM_IMAGE_MAX_PIXELS",
        NEWSROOM_IMAGE_MAX_UPLOAD_MB="5",
        NEWSROOM_IMAGE_MAX_MEGAPIXELS="12",
    )
    assert result.stdout.split() == ["5242880", "12000000"], result.stderr


def test_the_default_limits_are_20_megabytes_and_50_megapixels():
    result = settings_with("s.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE, s.NEWSROOM_IMAGE_MAX_PIXELS")
    assert result.stdout.split() == ["20971520", "50000000"], result.stderr


def test_media_is_on_local_disk_and_served_by_default():
    result = settings_with('s.STORAGES["default"]["BACKEND"], s.NEWSROOM_SERVE_MEDIA')
    assert result.stdout.split() == ["django.core.files.storage.FileSystemStorage", "True"]


HAS_DJANGO_STORAGES = importlib.util.find_spec("storages") is not None


@pytest.mark.skipif(HAS_DJANGO_STORAGES, reason="django-storages is installed here")
def test_s3_storage_without_django_storages_is_refused_with_a_clear_message():
    result = settings_with("s.STORAGES", NEWSROOM_S3_BUCKET="newsroom-media")
    assert result.returncode != 0
    assert "pip install 'newsroom[s3]'" in result.stderr


@pytest.mark.skipif(not HAS_DJANGO_STORAGES, reason="django-storages is not installed here")
def test_s3_storage_is_configured_from_the_environment():
    result = settings_with(
        's.STORAGES["default"]["OPTIONS"]["bucket_name"], s.MEDIA_URL, s.NEWSROOM_SERVE_MEDIA',
        NEWSROOM_S3_BUCKET="newsroom-media",
        NEWSROOM_S3_CUSTOM_DOMAIN="media.news.example",
    )
    assert result.stdout.split() == ["newsroom-media", "https://media.news.example/", "False"]
