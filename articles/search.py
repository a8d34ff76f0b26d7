"""
Search over stories: one API, two backends chosen by the database (PostgreSQL full-text search
or SQLite FTS5), both reading the index that triggers keep in step (see search_index.py).

    results = search("harbour vote", section=news, date_from=date(2025, 1, 1))
    page = Paginator(results, 20).page(1)
    highlight(page.object_list, "harbour vote")

Readers' searches start from Article.objects.live(), so a draft, a scheduled story or a
withdrawn one never appears. The query language is the one people type into search boxes:
words (all of them must match, stemmed: "votes" finds "voted"), "a quoted phrase", -word to
leave a word out, and OR between alternatives. Everything else (FTS operators, punctuation,
unbalanced quotes, control characters) is read as plain text, so no query can fail.
"""

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Count, F, FloatField, Func, Q, TextField, Value, Window
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article, PostgresSearchDocument, SqliteSearchEntry
from .models.stories import published_by
from .search_index import POSTGRES_CONFIG

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
SNIPPET_WORDS = 30

# Matched words come back from the database between these two private-use characters; the
# text around them is escaped before they become <mark> and </mark>.
MATCH_START, MATCH_END = "\ue000", "\ue001"
_MARKED = re.compile(f"{MATCH_START}([^{MATCH_START}{MATCH_END}]*){MATCH_END}")
_STRAY_MARKERS = re.compile(f"[{MATCH_START}{MATCH_END}]")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")
_TOKENS = re.compile(r'(?P<exclude>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_HAS_WORD = re.compile(r"\w")
_ONE_WORD = re.compile(r"^\w+$")


@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool = False
    # Matches words that start with the text (the admin's search-as-you-type).
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Alternatives (joined by OR), each a list of terms that must all match (or not)."""

    alternatives: tuple[tuple[Term, ...], ...]

    def __bool__(self):
        return bool(self.alternatives)


def clean_query(text):
    """The query as searched: control characters dropped, spaces collapsed, length capped."""
    text = _UNPRINTABLE.sub(" ", text or "")
    # A query cut at the limit may end in the space between two words: that space goes too.
    return " ".join(text.split())[:MAX_QUERY_LENGTH].rstrip()


def parse(text, *, prefix=False):
    """
    Read a query into alternatives of terms; terms without a letter or digit drop. With
    `prefix`, a last word that is still being typed also matches longer words.
    """
    alternatives, current, count = [], [], 0
    for token in _TOKENS.finditer(clean_query(text)):
        phrase, word = token["phrase"], token["word"]
        if word is not None and word.lower() == "or" and not token["exclude"]:
            alternatives.append(current)
            current = []
            continue
        term = " ".join((phrase if phrase is not None else word).split())
        if not _HAS_WORD.search(term) or count == MAX_TERMS:
            continue
        current.append(Term(term, excluded=bool(token["exclude"])))
        count += 1
    alternatives.append(current)
    last = current[-1] if current else None
    if prefix and last and not last.excluded and _ONE_WORD.match(last.text) and text[-1:] != '"':
        current[-1] = replace(last, prefix=True)
    # An alternative of only excluded words would match nearly every story: it is dropped.
    return ParsedQuery(
        tuple(tuple(terms) for terms in alternatives if any(not t.excluded for t in terms))
    )


def mark_matches(text):
    """Escape `text` and wrap the words the database marked as matches in <mark>."""
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(text or "")))
    return mark_safe(_STRAY_MARKERS.sub("", marked))


class PostgresBackend:
    """PostgreSQL: a weighted tsvector per story, ranked with ts_rank."""

    @staticmethod
    def _query(parsed):
        def term(t):
            if t.prefix:
                # A single word of letters and digits: safe to write as a raw tsquery.
                query = SearchQuery(f"{t.text}:*", search_type="raw", config=POSTGRES_CONFIG)
            else:
                query = SearchQuery(t.text, search_type="phrase", config=POSTGRES_CONFIG)
            return ~query if t.excluded else query

        alternatives = [
            reduce(lambda a, b: a & b, map(term, terms)) for terms in parsed.alternatives
        ]
        return reduce(lambda a, b: a | b, alternatives)

    # The matches are counted in the query that ranks them (`COUNT(*) OVER ()`): ranking
    # reads every match anyway, so counting them costs one pass, not two.
    counts_with_ranking = True

    def matching(self, queryset, parsed):
        return queryset.filter(search_document__document=self._query(parsed))

    def ranking(self, where, parsed):
        """
        The documents matching `parsed` and `where` (a condition on status, publish_at and
        section_id, columns the documents copy from their stories), best first, annotated with
        `rank`: the article table is not read, however large the archive.
        """
        query = self._query(parsed)
        return (
            PostgresSearchDocument.objects.filter(where, document=query)
            .annotate(rank=SearchRank(F("document"), query))
            .order_by("-rank", "-publish_at", "-article_id")
        )

    def highlights(self, ids, parsed):
        query = self._query(parsed)
        marks = {"start_sel": MATCH_START, "stop_sel": MATCH_END}
        return Article.objects.filter(pk__in=ids).values_list(
            "pk",
            SearchHeadline("headline", query, config=POSTGRES_CONFIG, highlight_all=True, **marks),
            SearchHeadline(
                "body_text",
                query,
                config=POSTGRES_CONFIG,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                **marks,
            ),
        )


class Bm25(Func):
    function = "bm25"
    output_field = FloatField()


class Fts5Text(Func):
    """highlight() or snippet() of the FTS5 table."""

    output_field = TextField()


class SqliteBackend:
    """SQLite: the FTS5 table, ranked with bm25 and the same column weights."""

    # bm25() weights of the FTS5 columns: headline, standfirst (with kicker and dateline), body.
    WEIGHTS = (10.0, 4.0, 1.0)

    @staticmethod
    def _expression(parsed):
        def quoted(term):
            return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")

        alternatives = []
        for terms in parsed.alternatives:
            included = " ".join(quoted(t) for t in terms if not t.excluded)
            excluded = "".join(f" NOT {quoted(t)}" for t in terms if t.excluded)
            alternatives.append(f"({included}{excluded})")
        return " OR ".join(alternatives)

    # FTS5 refuses bm25() beside a window function: the matches are counted in a query of
    # their own.
    counts_with_ranking = False

    def matching(self, queryset, parsed):
        return queryset.filter(search_entry__table__match=self._expression(parsed))

    def ranking(self, where, parsed):
        """The stories matching `parsed` and `where`, best first, annotated with `rank`."""
        # bm25() is lower for a better match; rank is higher for a better one, as on PostgreSQL.
        bm25 = Bm25(F("search_entry__table"), *map(Value, self.WEIGHTS))
        return (
            self.matching(Article.objects.filter(where), parsed)
            .annotate(rank=-bm25)
            .order_by("-rank", "-publish_at", "-pk")
        )

    def highlights(self, ids, parsed):
        table = F("table")
        return SqliteSearchEntry.objects.filter(
            pk__in=ids, table__match=self._expression(parsed)
        ).values_list(
            "pk",
            Fts5Text(table, *map(Value, (0, MATCH_START, MATCH_END)), function="highlight"),
            Fts5Text(
                table,
                *map(Value, (2, MATCH_START, MATCH_END, "…", SNIPPET_WORDS)),
                function="snippet",
            ),
        )


BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SqliteBackend()}


def backend_for(queryset):
    vendor = connections[queryset.db].vendor
    try:
        return BACKENDS[vendor]
    except KeyError:
        raise NotImplementedError(f"No search backend for {vendor} databases.") from None


def newsroom_day(day):
    """
    The start of `day` in the newsroom's time zone and the start of the day after, in UTC.
    OverflowError when either falls outside the years 1 to 9999 (the calendar's last day, or
    its first one east of UTC): see searchable_days().
    """
    return _start_in_utc(day), _start_in_utc(day + timedelta(days=1))


def _start_in_utc(day):
    return timezone.make_aware(datetime.combine(day, time.min)).astimezone(UTC)


def searchable_days():
    """
    The first and last days a date filter can name in the newsroom's time zone: a zone's
    offset is less than a day, so the second day of the calendar is always within reach, and
    the last one never is (the day after it does not exist).
    """
    try:
        newsroom_day(date.min)
    except OverflowError:
        first = date.min + timedelta(days=1)
    else:
        first = date.min
    return first, date.max - timedelta(days=1)


def search(query, *, section=None, date_from=None, date_to=None):
    """
    Live stories matching `query`, best match first (newest first among equals), as
    `SearchResults`: each story annotated with `rank`, with what a list of results shows
    (section, bylines, lead photo). Optionally only those of `section` (and its subsections)
    published between `date_from` and `date_to` (dates in the newsroom's time zone, both
    included; a day beyond searchable_days() sets no bound, as there is no story before the
    calendar's first day or after its last). No terms, no results.
    """
    parsed = parse(query)
    if not parsed:
        return SearchResults(None, None)
    # What makes a story live, and the filters, on columns the search documents copy.
    where = published_by(timezone.now())
    if section is not None:
        where &= Q(section_id__in=section.family_ids())
    first, last = searchable_days()
    if date_from is not None and date_from >= first:
        start, _end = newsroom_day(date_from)
        where &= Q(publish_at__gte=start)
    if date_to is not None and date_to <= last:
        _start, end = newsroom_day(date_to)
        where &= Q(publish_at__lt=end)
    backend = backend_for(Article.objects.all())
    return SearchResults(backend.ranking(where, parsed), backend)


class SearchResults:
    """
    The stories a search found, best first: a sequence Django's Paginator pages through
    (`count()`, slices, iteration). The ranking finds the ids of a slice; only those stories
    are loaded, through Article.objects.live(). `total` is the number of matches once a
    slice has been read with its count (PostgreSQL), else None.
    """

    def __init__(self, ranking, backend):
        self.ranking = ranking
        self.backend = backend
        self.total = None

    def count(self, at_most=None):
        """The number of matches, or `at_most` when there are more (a bounded count)."""
        if self.ranking is None:
            return 0
        if self.total is None:
            return self.ranking.order_by().values("pk")[:at_most].count()
        return self.total if at_most is None else min(self.total, at_most)

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[0:None])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self.ranking is None:
            return []
        ranking = self.ranking
        counted = self.backend.counts_with_ranking and self.total is None
        if counted:
            ranking = ranking.annotate(matches=Window(Count("pk")))
        rows = list(ranking.values_list("pk", "rank", *(["matches"] if counted else []))[index])
        if counted and rows:
            self.total = rows[0][2]
        return self.stories([row[0] for row in rows], {row[0]: row[1] for row in rows})

    @staticmethod
    def stories(ids, ranks):
        """The live stories `ids`, in that order, each with its `rank`, ready to be listed."""
        found = Article.objects.live().filter(pk__in=ids).select_related("section")
        found = found.with_lead_images().with_bylines().in_bulk()
        stories = [found[pk] for pk in ids if pk in found]
        for story in stories:
            story.rank = ranks[story.pk]
        return stories


def matching(queryset, query, *, prefix=True):
    """
    The stories of `queryset` (any status: the admin's search) that match `query`, through
    the same index and query language as readers' search; the last word may be unfinished
    (`prefix`). No terms, no stories.
    """
    parsed = parse(query, prefix=prefix)
    if not parsed:
        return queryset.none()
    return backend_for(queryset).matching(queryset, parsed)


def highlight(articles, query):
    """
    Give each of `articles` (a page of results) `highlighted_headline` and `snippet`: safe
    HTML, everything escaped, the matched words in <mark>. The snippet is the passage of the
    body where the words are; `snippet_matches` says whether it has any. One query.
    """
    articles = list(articles)
    parsed = parse(query)
    found = {}
    if articles and parsed:
        found = {
            pk: (headline, snippet)
            for pk, headline, snippet in backend_for(Article.objects.all()).highlights(
                [article.pk for article in articles], parsed
            )
        }
    for article in articles:
        headline, snippet = found.get(article.pk, (article.headline, ""))
        article.highlighted_headline = mark_matches(headline or article.headline)
        article.snippet = mark_matches(snippet)
        article.snippet_matches = MATCH_START in (snippet or "")
    return articles
