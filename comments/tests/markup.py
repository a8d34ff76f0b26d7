from html.parser import HTMLParser

from django.conf import settings


class ActiveMarkup(HTMLParser):
    """Collects what in a page could run code: script elements, on* handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not self.is_ours_or_data(dict(attrs)):
            self.found.append(f"<{tag}>")
        if tag in {"iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            if name in {"href", "src", "action"} and value:
                scheme = value.strip().split(":", 1)[0].lower()
                if scheme in {"javascript", "data", "vbscript"}:
                    self.found.append(f"{tag} {name}={value!r}")

    @staticmethod
    def is_ours_or_data(attrs):
        """The admin's own scripts (from our static files) and data blocks (JSON) run no input."""
        src = attrs.get("src") or ""
        if src.startswith(settings.STATIC_URL) and src.endswith(".js"):
            return True
        return attrs.get("type") in {"application/json", "application/ld+json", "importmap"}


def assert_no_active_markup(html):
    parser = ActiveMarkup()
    parser.feed(html)
    assert parser.found == [], parser.found
