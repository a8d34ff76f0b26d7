"""
The demo's story in review, with the history a real one has: a first draft, submitted, sent
back with a note, reworked and submitted again. Its workflow log and kept revisions (compare
them in the admin's History) come from the same services the admin calls.
"""

from datetime import timedelta

import reversion
from django.utils import timezone
from reversion.models import Revision

from articles import services
from articles.models import Article, AuditEntry

# How long ago each step of the demo story's history happened, oldest first, in minutes.
STEP_MINUTES_AGO = (260, 230, 150, 70, 40)


def give_review_history(article: Article, history, *, writer, editor):
    """
    `article` (a new draft holding its final text) goes through the steps `history` names:
    its first draft kept as a revision, submitted, sent back, its final text kept, submitted
    again. It ends in review, as the demo newsroom shows it.
    """
    final = {field: getattr(article, field) for field in ("headline", "standfirst", "body")}
    draft = history["first_draft"]
    article.headline = draft["headline"]
    article.standfirst = draft["standfirst"]
    article.body = final["body"].split(draft["body_until"], 1)[0]
    keep_revision(article, actor=writer, comment="First draft")
    services.submit_for_review(article=article, actor=writer, note=history["submitted"])
    services.send_back(article=article, actor=editor, note=history["sent_back"])
    for field, value in final.items():
        setattr(article, field, value)
    keep_revision(article, actor=writer, comment=history["revised"])
    services.submit_for_review(article=article, actor=writer, note=history["resubmitted"])
    spread_over_the_afternoon(article)


def keep_revision(article, *, actor, comment):
    with reversion.create_revision():
        article.modified_by = actor
        article.save()
        services.describe_revision(article=article, actor=actor, comment=comment)


def spread_over_the_afternoon(article):
    """
    Date the story's revisions and log entries as the hours its history took, not one
    instant: five revisions (draft, submitted, sent back, reworked, submitted) and the three
    log entries of the transitions among them.
    """
    now = timezone.now()
    moments = [now - timedelta(minutes=minutes) for minutes in STEP_MINUTES_AGO]
    revisions = Revision.objects.filter(story__article=article).order_by("date_created", "pk")
    for revision, moment in zip(revisions, moments, strict=False):
        Revision.objects.filter(pk=revision.pk).update(date_created=moment)
    entries = AuditEntry.objects.filter(article=article).order_by("at", "pk")
    for entry, moment in zip(entries, [moments[1], moments[2], moments[4]], strict=False):
        AuditEntry.objects.filter(pk=entry.pk).update(at=moment)
