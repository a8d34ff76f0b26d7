"""
The image library moved to the photos app (see photos' 0001): stories' and authors' photos
point there. Nothing changes in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_live_index_with_section"),
        ("photos", "0001_initial"),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name="image",
            name="uploaded_by",
        ),
        migrations.AlterField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A head-and-shoulders photo from the image library, shown on the author page.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="photos.image",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Shown above the story and on its cards. Type to search the image library.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_for",
                to="photos.image",
                verbose_name="lead photo",
            ),
        ),
        migrations.DeleteModel(
            name="Rendition",
        ),
        migrations.DeleteModel(
            name="Image",
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        )
    ]
