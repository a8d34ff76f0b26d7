"""
What importers brought in, moved here from the articles app. The table stays as it was
(`articles_wordpressitem`): this migration and articles' 0014 change only what Django knows.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0013_images_move_to_photos"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="WordPressItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "site",
                    models.CharField(
                        help_text="The WordPress site the export came from (its base address).",
                        max_length=200,
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("section", "Category → section"),
                            ("tag", "Tag"),
                            ("author", "Author"),
                            ("article", "Post → story"),
                            ("image", "Attachment → image"),
                            ("comment", "Comment"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "wp_id",
                    models.CharField(
                        help_text="The item's id in WordPress: a post, comment or term id, or an author's login.",
                        max_length=200,
                        verbose_name="WordPress id",
                    ),
                ),
                (
                    "object_id",
                    models.PositiveBigIntegerField(help_text="The id of the row it became."),
                ),
                (
                    "checksum",
                    models.CharField(
                        help_text="A digest of what was imported, to tell when it changed.",
                        max_length=32,
                    ),
                ),
                ("imported_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "imported WordPress item",
                "db_table": "articles_wordpressitem",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("wp_id", "kind", "site"),
                        name="wordpress_item_imported_once",
                        violation_error_message="This WordPress item has already been imported.",
                    )
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        )
    ]
