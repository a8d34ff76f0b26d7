"""How the newsroom writes times for its staff."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format


def newsroom_time(value: datetime) -> str:
    """
    A time as the newsroom reads it: in its own time zone, with the zone named, in the one
    format the admin and the desk use (DATETIME_FORMAT, newsroom/formats/).
    """
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")
