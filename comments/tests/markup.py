from html.parser import HTMLParser

from django.conf import settings


class ActiveMarkup(HTMLParser):
    """
    Collects what in a page could run code: script elements (but our own scripts, loaded
    from the site's static files), on* handlers, script URLs.
    """

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        ours = tag == "script" and dict(attrs).get("src", "").startswith(settings.STATIC_URL)
        if tag in {"script", "iframe", "object", "embed"} and not ours:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            if name in {"href", "src", "action"} and value:
                scheme = value.strip().split(":", 1)[0].lower()
                if scheme in {"javascript", "data", "vbscript"}:
                    self.found.append(f"{tag} {name}={value!r}")


def assert_no_active_markup(html):
    parser = ActiveMarkup()
    parser.feed(html)
    assert parser.found == [], parser.found
