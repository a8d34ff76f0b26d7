from django.db import migrations
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


def count_comments(apps, schema_editor):
    """Each story's count of the comments readers see (see services.recount_comments)."""
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    shown = (
        Comment.objects.filter(article=OuterRef("pk"), status="approved")
        .filter(Q(parent__isnull=True) | Q(parent__status="approved"))
        .order_by()
        .values("article")
        .annotate(shown=Count("pk"))
        .values("shown")
    )
    Article.objects.update(comment_count=Coalesce(Subquery(shown), Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_comment_count"),
        ("comments", "0002_moderator_role"),
    ]

    operations = [migrations.RunPython(count_comments, migrations.RunPython.noop)]
