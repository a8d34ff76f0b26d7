"""WSGI entry point, used by gunicorn (`newsroom.wsgi:application`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Imported once Django is set up: a request body is read no further than its limit.
from newsroom.security import RequestBodyLimit  # noqa: E402

application = RequestBodyLimit(application)
