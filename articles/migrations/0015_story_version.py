"""
A story's version, counted by the saves of its change form (articles/conflicts.py).

On SQLite, adding this column rebuilds the story table; the comment counts' triggers, which
name it, are off while `migrate` runs (comments/apps.py).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_wordpress_records_move_to_importers"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
