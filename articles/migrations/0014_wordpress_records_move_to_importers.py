"""WordPress import records moved to the importers app (see its 0001); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_images_move_to_photos"),
        ("importers", "0001_initial"),
    ]

    state_operations = [
        migrations.DeleteModel(
            name="WordPressItem",
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations, database_operations=[]
        )
    ]
