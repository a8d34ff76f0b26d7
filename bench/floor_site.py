"""
The benchmark's floors, as the Wagtail harness (../shared/anchors/wagtail-bench) has them, so
that a page's ratio to its floor means the same in both: a Django site of its own, with no
database, no middleware and no context processors, served by its own gunicorn.

- /article/: the seed story, held in memory, rendered through a plain Django template (the
  headline, section, dateline, time, standfirst and body): the cheapest Django can serve a
  story page on this machine.
- /constant/: a constant 9-byte response: Django's request and response alone.

The story is read once per worker from the JSON file named by NEWSROOM_FLOOR_STORY, which
bench/serving.py writes from the imported seed story.

    NEWSROOM_FLOOR_STORY=story.json .venv/bin/gunicorn bench.floor_site --bind 127.0.0.1:8198
"""

import json
import os
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="the-benchmark-floor-has-no-secrets-to-keep",  # noqa: S106 - signs nothing
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [Path(__file__).resolve().parent / "floor_templates"],
            "OPTIONS": {"context_processors": []},
        }
    ],
    USE_TZ=True,
    TIME_ZONE="UTC",
)
django.setup()

STORY = json.loads(Path(os.environ["NEWSROOM_FLOOR_STORY"]).read_text(encoding="utf-8"))
STORY["published"] = datetime.fromisoformat(STORY["published"])
CONSTANT = b"floor ok\n"


def article(request):
    return render(request, "floor/article.html", {"story": STORY})


def constant(request):
    return HttpResponse(CONSTANT, content_type="text/plain")


urlpatterns = [path("article/", article), path("constant/", constant)]

application = get_wsgi_application()
