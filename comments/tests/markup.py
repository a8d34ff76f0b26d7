from html.parser import HTMLParser

# Script elements of these types hold data the browser never runs (the page's JSON-LD).
DATA_BLOCK_TYPES = frozenset({"application/ld+json", "application/json"})


class ActiveMarkup(HTMLParser):
    """Collects what in a page could run code: script elements, on* handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        data_block = tag == "script" and dict(attrs).get("type") in DATA_BLOCK_TYPES
        if tag in {"script", "iframe", "object", "embed"} and not data_block:
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
