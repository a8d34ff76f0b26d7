from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        import reversion

        from .models import Article, Byline, Correction

        # A kept revision of a story holds its fields (tags included) with its bylines and
        # corrections as they were.
        reversion.register(Byline)
        reversion.register(Correction)
        reversion.register(Article, follow=["bylines", "corrections"])
