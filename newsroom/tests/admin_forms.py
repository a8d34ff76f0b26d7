"""Sending the admin's change forms as a browser does."""

import re
from html import unescape

VERSION_INPUT = re.compile(r'<input type="hidden" name="_opened_as" value="([^"]*)">')


def as_opened(client, url, data):
    """
    `data` as the change form at `url` sends it: with the version the form was opened at
    (newsroom/versions.py), read from the page as `client` is shown it ("" when the form is
    not shown to them).
    """
    found = VERSION_INPUT.search(client.get(url).content.decode())
    return {**data, "_opened_as": unescape(found.group(1)) if found else ""}
