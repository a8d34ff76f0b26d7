from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_wordpress_import"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="comment_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="How many comments readers see under the story, kept by the comment services.",
            ),
        ),
    ]
