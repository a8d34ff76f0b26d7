"""
The search index, one table per database, kept in step with the article table by triggers
(see articles/search_index.py), so every write reaches it: save(), bulk_create(), update(),
raw SQL. Readers never see these rows: search joins them to Article.objects.live().
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .stories import Article
from .taxonomy import Section


class PostgresSearchDocument(models.Model):
    """
    PostgreSQL: a story's weighted search vector (headline A, kicker, standfirst and dateline
    B, body C), with a GIN index, and copies of the story's status, publication time and
    section: a search ranks and counts its matches from this table alone, with no join to the
    article table (which made it cost as much as the archive was large). Written only by the
    trigger on the article table, in the transaction that writes the story.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, related_name="search_document"
    )
    document = SearchVectorField()
    status = models.CharField(max_length=12, choices=Article.Status)
    publish_at = models.DateTimeField(null=True)
    section = models.ForeignKey(
        Section, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        required_db_vendor = "postgresql"
        indexes = [GinIndex(fields=["document"], name="article_search_document_gin")]

    def __str__(self):
        return f"Search document of story {self.article_id}"


class Fts5TableField(models.TextField):
    """
    The FTS5 table's hidden column of the same name as the table: the left side of `MATCH`
    and the first argument of bm25(), highlight() and snippet().
    """


@Fts5TableField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SqliteSearchEntry(models.Model):
    """
    SQLite: a story's row in the FTS5 table `articles_search` (porter stemming, accents
    folded), its rowid the story's id. Created by the migration, written only by triggers.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    headline = models.TextField()
    standfirst = models.TextField()
    body = models.TextField()
    table = Fts5TableField(db_column="articles_search")

    class Meta:
        managed = False
        db_table = "articles_search"
        required_db_vendor = "sqlite"

    def __str__(self):
        return f"Search entry of story {self.article_id}"
