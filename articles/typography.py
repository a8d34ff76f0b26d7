"""
Smart typography for what readers see in large type: headlines, kickers and standfirsts.

`smarten()` turns typewriter punctuation into a typesetter's: straight quotes into curly ones
(“ ” ‘ ’, an apostrophe as ’), `---` into an em dash, `--` into an en dash and `...` into an
ellipsis. It works on plain text and on HTML alike (a search result's headline with its
<mark>s): tags and character references (`&amp;`, `&#39;`) are passed through untouched, so an
attribute's quotes never curl. It is idempotent: what it writes holds none of what it reads.
"""

import re

# A tag, a comment, or a character reference: passed through as they are.
MARKUP = re.compile(r"<[^<>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")

# A tag that starts a block of text: a quote just after it opens, whatever came before.
BLOCK_TAG = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|blockquote|figcaption|figure|div|td|th|tr|br|hr|aside)\b",
    re.IGNORECASE,
)

# After these (or at the start), a quote opens; anywhere else it closes.
OPENS_AFTER = frozenset(" \t\r\n\u00a0([{<“‘—–-/")

DASHES_AND_DOTS = [("---", "—"), ("--", "–"), ("...", "…")]


def smarten(text: str) -> str:
    """`text` with curly quotes, en and em dashes and ellipses; markup left as it was."""
    if not text:
        return text
    pieces = []
    before = ""
    position = 0
    for markup in MARKUP.finditer(text):
        pieces.append(_smarten_words(text[position : markup.start()], before))
        before = pieces[-1][-1:] or before
        if BLOCK_TAG.match(markup.group(0)):
            before = ""
        pieces.append(markup.group(0))
        position = markup.end()
    pieces.append(_smarten_words(text[position:], before))
    return "".join(pieces)


def _smarten_words(words, before):
    for plain, typeset in DASHES_AND_DOTS:
        words = words.replace(plain, typeset)
    if "'" not in words and '"' not in words:
        return words
    result = []
    for index, character in enumerate(words):
        previous = result[-1] if result else before
        if character == '"':
            result.append("“" if _opens(previous) else "”")
        elif character == "'":
            following = words[index + 1 : index + 2]
            # ’90s, ’tis: an apostrophe for a dropped start, not an opening quote.
            opening = _opens(previous) and following and not following.isdigit()
            result.append("‘" if opening else "’")
        else:
            result.append(character)
    return "".join(result)


def _opens(previous):
    return previous == "" or previous in OPENS_AFTER
