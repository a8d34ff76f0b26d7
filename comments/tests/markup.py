from html.parser import HTMLParser

from django.conf import settings
from django.urls import reverse


class ActiveMarkup(HTMLParser):
    """
    Collects what in a page could run code: script elements (but our own scripts, loaded
    from the site's static files), on* handlers, script URLs.
    """

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not self.is_ours_or_data(dict(attrs)):
            self.found.append(f"<{tag}>")
        if tag in {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}:
            self.found.append(f"<{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.found.append(f"<{tag} http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            if name in {"href", "src", "action", "formaction", "xlink:href", "data"} and value:
                scheme = "".join(value.split()).split(":", 1)[0].lower()
                if scheme in {"javascript", "data", "vbscript"}:
                    self.found.append(f"{tag} {name}={value!r}")

    @staticmethod
    def is_ours_or_data(attrs):
        """The admin's own scripts (from our static files) and data blocks (JSON) run no input."""
        src = attrs.get("src") or ""
        if src.startswith(settings.STATIC_URL) and src.endswith(".js"):
            return True
        if src == reverse("admin:jsi18n"):
            return True
        return attrs.get("type") in {"application/json", "application/ld+json", "importmap"}


def assert_no_active_markup(html):
    parser = ActiveMarkup()
    parser.feed(html)
    assert parser.found == [], parser.found


class ClassText(HTMLParser):
    """The text of every element with a given class, as a reader sees it (entities decoded)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}

    def __init__(self, css_class):
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts[-1] += data


def texts_of_class(html, css_class):
    """The text of each element of `css_class` in `html`, whitespace runs made one space."""
    parser = ClassText(css_class)
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts]
