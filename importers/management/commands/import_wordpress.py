from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from importers.wordpress.authors import AuthorMapError, read_author_map
from importers.wordpress.importer import run_import
from importers.wordpress.wxr import ExportError

READING, IMPORTING = "Reading the export", "Importing"


class Progress:
    """
    Bytes read, shown on the bar: the first reading, then the import. Keeps its own stage,
    since a bar that is off (no terminal) has no description to ask.
    """

    def __init__(self, bar: tqdm, size: int):
        self.bar, self.size, self.stage, self.read = bar, size, READING, 0

    def __call__(self, count: int) -> None:
        self.read += count
        self.bar.update(count)
        if self.read >= self.size and self.stage != IMPORTING and count:
            self.stage = IMPORTING
            self.bar.set_description(IMPORTING)


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.0, 1.1 or 1.2): categories become "
        "sections, tags tags, authors authors, posts stories with their comments, and old "
        "addresses redirect to the new ones. The whole import is one transaction: if anything "
        "fails (a malformed file, an entity attack, a database error) nothing is imported. "
        "Run it again at will: items already imported are updated when they changed in "
        "WordPress and left alone otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The WordPress export (an .xml file).")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the site's wp-content/uploads folder: photos that stories use are "
            "imported into the image library from it, and audio and video they play are "
            "copied into media storage.",
        )
        parser.add_argument(
            "--author-map",
            type=Path,
            help="A CSV file of “wp_login,username” lines linking WordPress authors to existing "
            "staff accounts (a “wp_login,username” header line and # comments are allowed).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do the whole import and report it, then roll it back: nothing is kept, no "
            "file is stored.",
        )

    def handle(self, *args, export, media_dir, author_map, dry_run, **options):
        if not export.is_file():
            raise CommandError(f"No file at {export}.")
        if media_dir is not None and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a folder.")
        try:
            users = read_author_map(author_map) if author_map else {}
        except AuthorMapError as error:
            raise CommandError(str(error)) from None

        size = export.stat().st_size
        # Two readings of the file: a check and survey, then the import.
        with tqdm(
            total=2 * size,
            unit="B",
            unit_scale=True,
            desc=READING,
            disable=not self.stdout.isatty(),
            file=self.stdout._out,
            leave=False,
        ) as bar:
            progress = Progress(bar, size)
            try:
                summary = run_import(
                    export,
                    media_dir=media_dir,
                    author_map=users,
                    dry_run=dry_run,
                    progress=progress,
                )
            except ExportError as error:
                raise CommandError(f"{export}: {error} Nothing was imported.") from None

        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write("")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {export.name}."))
