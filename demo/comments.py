"""Reader comments for the demo newsroom: a few conversations, and a queue to work."""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.models import Article
from comments.models import Comment, ModerationSettings

DEMO_FILE = Path(__file__).resolve().parent / "data" / "comments.json"


def load_demo_comments(*, moderator=None) -> int:
    """
    Load the demo comments onto the demo stories, once: a story that already has comments
    is left alone. Comments a person decided on are stamped as `moderator`'s. Returns how
    many comments were created.
    """
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    moderation = ModerationSettings.load()
    for field, value in demo["settings"].items():
        if not getattr(moderation, field):
            setattr(moderation, field, value)
    moderation.save()

    slugs = {row["story"] for row in demo["comments"]}
    stories = {story.slug: story for story in Article.objects.filter(slug__in=slugs)}
    already = set(
        Comment.objects.filter(article__slug__in=slugs).values_list("article__slug", flat=True)
    )
    created = 0
    for row in demo["comments"]:
        story = stories.get(row["story"])
        if story is None or story.slug in already or not story.publish_at:
            continue
        parent = make_comment(story, row, None, moderator)
        created += 1
        for reply in row.get("replies", []):
            make_comment(story, reply, parent, moderator)
            created += 1
    return created


def make_comment(story, row, parent, moderator):
    submitted_at = min(
        story.publish_at + timedelta(minutes=row["minutes_after"]),
        timezone.now() - timedelta(minutes=1),
    )
    # The engine published comments from known commenters; a moderator decided the rest.
    moderated = row["status"] != Comment.Status.PENDING and row["rule"] != "known"
    return Comment.objects.create(
        article=story,
        parent=parent,
        name=row["name"],
        email=row["email"],
        website=row.get("website", ""),
        body=row["body"],
        status=row["status"],
        rule=row["rule"],
        reason=row["reason"],
        ip_address=row["ip"],
        user_agent="Mozilla/5.0 (demo)",
        submitted_at=submitted_at,
        moderated_by=moderator if moderated else None,
        moderated_at=submitted_at + timedelta(minutes=12) if moderated else None,
    )
