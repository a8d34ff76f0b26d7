from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from articles import structured_data
        from articles.models import shown_with_stories

        from . import freshness
        from .structured_data import live_blog_posting

        # Cached pages follow every write of coverage and entries; a live story describes
        # itself to search engines as a LiveBlogPosting.
        freshness.connect()
        structured_data.describes_stories(live_blog_posting)
        # The story page shows the coverage, if any: read with the story.
        shown_with_stories("live_coverage")
