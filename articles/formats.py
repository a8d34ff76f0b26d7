"""How the newsroom writes times for its staff."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format


def newsroom_time(value: datetime) -> str:
    """A time as the newsroom reads it: in its own time zone, with the zone named."""
    return date_format(timezone.localtime(value), "j M Y, H:i T")
