from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_indexes_at_scale"),
        ("comments", "0003_count_comments"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                models.Case(
                    models.When(status="pending", then=models.Value(0)), default=models.Value(1)
                ),
                models.F("submitted_at"),
                models.F("id"),
                name="comment_queue_order_idx",
            ),
        ),
    ]
