from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        import reversion
        from django.db.models.signals import post_delete, post_save

        from . import caching
        from .models import Article, Author, Byline, Correction, Image, Section, Tag

        # A kept revision of a story holds its fields (tags included) with its bylines and
        # corrections as they were.
        reversion.register(Byline)
        reversion.register(Correction)
        reversion.register(Article, follow=["bylines", "corrections"])

        # What every page shows: the navigation, bylines, tags, photos.
        for model in (Section, Author, Tag, Image):
            post_save.connect(caching.site_changed, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(caching.site_changed, sender=model, dispatch_uid=f"pages-{model}")
