"""
Dates and times for the newsroom's staff, in English: "3 Dec 2026, 11:30 UTC". Times are
shown in the newsroom's time zone (settings.TIME_ZONE), named after the time. Formats not
set here are Django's for the language.
"""

DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "H:i"
