from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from django.db.models.signals import post_save

        from articles import caching

        from .models import ModerationSettings

        # The rules decide whether story pages still show the comment form.
        post_save.connect(
            caching.site_changed, sender=ModerationSettings, dispatch_uid="pages-moderation"
        )
