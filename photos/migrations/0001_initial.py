"""
The image library's models, moved here from the articles app. Their tables stay as they were
(`articles_image`, `articles_rendition`): this migration and articles' 0013 change only what
Django knows about them, not the database.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import photos.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("articles", "0012_live_index_with_section"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        editable=False, max_length=255, upload_to=photos.models.image_upload_to
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="For finding the photo in the library. The alt text is used when empty.",
                        max_length=200,
                    ),
                ),
                (
                    "alt_text",
                    models.CharField(
                        help_text="What the photo shows, for readers who cannot see it: read aloud by screen readers and shown when the photo does not load.",
                        max_length=300,
                        validators=[photos.models.validate_alt_text],
                        verbose_name="alt text",
                    ),
                ),
                (
                    "caption",
                    models.TextField(
                        blank=True,
                        help_text="Shown under the photo. A story can replace it with its own.",
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True,
                        help_text="Who took the photo, e.g. “Ana Ruiz/The Newsroom”.",
                        max_length=200,
                    ),
                ),
                ("width", models.PositiveIntegerField(editable=False)),
                ("height", models.PositiveIntegerField(editable=False)),
                (
                    "focal_x",
                    models.FloatField(
                        blank=True,
                        help_text="0 is the left edge, 1 the right edge.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(1),
                        ],
                        verbose_name="focal point across",
                    ),
                ),
                (
                    "focal_y",
                    models.FloatField(
                        blank=True,
                        help_text="0 is the top edge, 1 the bottom edge.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(1),
                        ],
                        verbose_name="focal point down",
                    ),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "articles_image",
                "ordering": ["-uploaded_at", "-id"],
                "permissions": [("change_any_image", "Can edit any photo in the library")],
            },
        ),
        migrations.CreateModel(
            name="Rendition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text="What was made: size, the part of the original kept, format.",
                        max_length=100,
                    ),
                ),
                ("file", models.FileField(max_length=255, upload_to="")),
                ("width", models.PositiveIntegerField()),
                ("height", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="renditions",
                        to="photos.image",
                    ),
                ),
            ],
            options={
                "db_table": "articles_rendition",
            },
        ),
        migrations.AddIndex(
            model_name="image",
            index=models.Index(fields=["-uploaded_at", "-id"], name="image_library_idx"),
        ),
        migrations.AddConstraint(
            model_name="image",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("focal_x__isnull", True), ("focal_y__isnull", True)),
                    models.Q(
                        ("focal_x__gte", 0),
                        ("focal_x__lte", 1),
                        ("focal_y__gte", 0),
                        ("focal_y__lte", 1),
                    ),
                    _connector="OR",
                ),
                name="image_focal_point_inside",
                violation_error_message="A focal point needs both numbers, each from 0 to 1.",
            ),
        ),
        migrations.AddConstraint(
            model_name="image",
            constraint=models.CheckConstraint(
                condition=models.Q(("height__gt", 0), ("width__gt", 0)),
                name="image_has_dimensions",
                violation_error_message="An image needs a width and a height.",
            ),
        ),
        migrations.AddConstraint(
            model_name="rendition",
            constraint=models.UniqueConstraint(
                fields=("image", "key"),
                name="rendition_made_once",
                violation_error_message="This rendition of the image already exists.",
            ),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        )
    ]
