"""The demo newsroom's home page, as an editor arranged it (see data/newsroom.json)."""

from articles.curation import Arrangement
from articles.models import Article
from fronts.models import Front
from fronts.services import arrange_front


def load_demo_front(arranged, *, editor):
    """
    Arrange the home page as `arranged` says (a lead, top stories, named blocks, by slug): a
    chosen lead and top stories, not simply the newest, a scheduled story placed in advance,
    and two blocks. A home page editors have already arranged is left as it is.
    """
    front, _created = Front.objects.get_or_create(section=None)
    if front.changes.exists():
        return front
    slugs = [arranged["lead"], *arranged["top"]]
    slugs += [slug for block in arranged["blocks"] for slug in block["stories"]]
    ids = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    arrange_front(
        front=front,
        arrangement=Arrangement(
            lead=ids[arranged["lead"]],
            top=tuple(ids[slug] for slug in arranged["top"]),
            blocks=tuple(
                (block["title"], tuple(ids[slug] for slug in block["stories"]))
                for block in arranged["blocks"]
            ),
        ),
        actor=editor,
        opened_version=front.version,
        summary="The demo newsroom's home page.",
    )
    return front
