"""What importers brought in from another system, so that importing again changes nothing."""

from django.db import models
from django.utils import timezone


class WordPressItem(models.Model):
    """
    One item of a WordPress export (a category, tag, author, post, attachment or comment)
    and the newsroom row it became. The WordPress importer looks items up here, so running
    it again on the same export creates no duplicates, and an item whose content changed in
    WordPress (its checksum differs) is updated in place.
    """

    class Kind(models.TextChoices):
        SECTION = "section", "Category → section"
        TAG = "tag", "Tag"
        AUTHOR = "author", "Author"
        ARTICLE = "article", "Post → story"
        IMAGE = "image", "Attachment → image"
        COMMENT = "comment", "Comment"

    site = models.CharField(
        max_length=200,
        help_text="The WordPress blog the export came from: its own address (base_blog_url) "
        "without the scheme, e.g. myblog.example.org or example.org/news. Items imported "
        "before blogs were told apart have the network's address (base_site_url), and are "
        "taken over by the first import of a blog that holds them.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    wp_id = models.CharField(
        "WordPress id",
        max_length=200,
        help_text="The item's id in WordPress: a post, comment or term id, or an author's login.",
    )
    object_id = models.PositiveBigIntegerField(help_text="The id of the row it became.")
    checksum = models.CharField(
        max_length=32, help_text="A digest of what was imported, to tell when it changed."
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "imported WordPress item"
        db_table = "articles_wordpressitem"
        constraints = [
            # The id leads the index: it is what each batch of an import looks up.
            models.UniqueConstraint(
                fields=["wp_id", "kind", "site"],
                name="wordpress_item_imported_once",
                violation_error_message="This WordPress item has already been imported.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.wp_id} → {self.object_id}"
