"""
Bringing a WordPress export into the newsroom: the orchestration of the stages.

The export is read twice, as a stream, so memory stays bounded whatever its size:

1. The survey (survey.py) reads the whole file and keeps only what is small: the site, its
   authors, categories and tags (wherever they are in the file), and the attachments'
   descriptions. A file that is not a well-formed WordPress export is refused here, before
   anything is written.
2. The import reads it again and writes, in one database transaction, stage by stage:
   the taxonomy (taxonomy.py: sections, tags and authors), then posts (posts.py) with their
   comments (comments.py) and old addresses (redirects.py), a batch at a time (bulk
   inserts, a fixed number of queries per batch), and images the first time a story uses
   them (media.py). Sticky posts the run created are then placed on the home page's front
   (sticky.py).

Each item's WordPress id is recorded (WordPressItem) with a checksum of what it became, so a
second run creates nothing again: it updates what changed in WordPress and leaves the rest.
A dry run does all of it and rolls the transaction back; image files are checked but not
stored. If anything fails, the transaction is rolled back and the image files stored by the
run are deleted: an import happens whole or not at all.
"""

from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction

from .comments import Comments
from .common import Context, checksum
from .media import Library
from .posts import PlannedArticle, PostPlanner, Posts, reason_to_skip
from .redirects import Redirects
from .sticky import StickyPosts
from .summary import AUDIO_AND_VIDEO, Summary
from .survey import Progress, ProgressReader, Survey, survey_export
from .taxonomy import Taxonomy
from .wxr import Item, read_export

POSTS_PER_BATCH = 200
COMMENTS_PER_BATCH = 4000


class DryRunFinished(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def run_import(
    path: Path,
    *,
    media_dir: Path | None = None,
    author_map: dict[str, AbstractBaseUser] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    user: AbstractBaseUser | None = None,
) -> Summary:
    """
    Import the WordPress export at `path` and return what was done. Raises ExportError
    (nothing written) for a file that is not a well-formed WordPress export. `user`, who
    runs the import, is named in the home page's log when sticky posts are placed there.
    """
    survey = survey_export(path, progress)
    summary = Summary()
    importer = None
    try:
        with transaction.atomic():
            importer = Importer(
                survey,
                summary=summary,
                media_dir=media_dir,
                author_map=author_map or {},
                dry_run=dry_run,
                user=user,
            )
            importer.import_taxonomy()
            with path.open("rb") as file:
                for record in read_export(ProgressReader(file, progress)):
                    if isinstance(record, Item):
                        importer.add_item(record)
            importer.finish()
            if dry_run:
                raise DryRunFinished
    except DryRunFinished:
        pass
    except BaseException:
        if importer is not None:
            importer.delete_stored_files()
        raise
    return summary


class Importer:
    """The second reading: the taxonomy first, then the posts, batch by batch."""

    def __init__(
        self,
        survey: Survey,
        *,
        summary: Summary,
        media_dir: Path | None,
        author_map: dict[str, AbstractBaseUser],
        dry_run: bool,
        user: AbstractBaseUser | None = None,
    ):
        self.context = Context(survey=survey, summary=summary)
        self.survey, self.summary = survey, summary
        self.library = Library(
            site=self.context.site,
            attachments=survey.attachments,
            media_dir=media_dir,
            summary=summary,
            dry_run=dry_run,
            checksum=checksum,
            legacy_site=survey.legacy_site_key,
        )
        self.redirects = Redirects(self.context)
        self.taxonomy = Taxonomy(self.context, author_map=author_map, redirects=self.redirects)
        self.planner = PostPlanner(self.context, self.library)
        self.posts = Posts(self.context)
        self.comments = Comments(self.context)
        self.sticky = StickyPosts(self.context, user=user)
        self.batch: list[PlannedArticle] = []
        self.batch_comments = 0

    def delete_stored_files(self) -> None:
        for name in self.library.stored_files:
            default_storage.delete(name)

    def import_taxonomy(self) -> None:
        self.taxonomy.run()

    def add_item(self, item: Item) -> None:
        """Plan a post of the second reading; a full batch is written."""
        if item.post_type == "attachment":
            return
        reason = reason_to_skip(item)
        if reason:
            self.summary.skip("articles", reason, item.wp_id)
            for _comment in item.comments:
                self.summary.skip("comments", "on a post that was not imported")
            return
        planned = self.planner.plan(item)
        self.batch.append(planned)
        self.batch_comments += len(planned.comments)
        if len(self.batch) >= POSTS_PER_BATCH or self.batch_comments >= COMMENTS_PER_BATCH:
            self.flush()

    def finish(self) -> None:
        self.flush()
        self.sticky.place()
        self.taxonomy.hide_empty_sections()
        used = self.library.handled()
        for wp_id, attachment in self.survey.attachments.by_id.items():
            if wp_id in used:
                continue
            if attachment.plays:
                self.summary.skip(AUDIO_AND_VIDEO, "not used by an imported story")
            else:
                reason = "not used by an imported story" if attachment.is_photo else "not a photo"
                self.summary.skip("images", reason)

    def flush(self) -> None:
        """Write the batch: stories, then their comments, then their old addresses."""
        if not self.batch:
            return
        batch, self.batch, self.batch_comments = self.batch, [], 0
        self.posts.write(batch)
        self.sticky.gather(batch)
        self.write_comments(batch)
        self.redirects.write(
            {
                address: planned.article_id
                for planned in batch
                for address in planned.addresses
                if planned.article_id is not None
            },
            target="article",
        )

    def write_comments(self, batch: list[PlannedArticle]) -> None:
        self.comments.write(
            [
                (planned.article_id, plan)
                for planned in batch
                if planned.article_id is not None
                for plan in planned.comments
            ]
        )
