from django.apps import AppConfig


class FrontsConfig(AppConfig):
    name = "fronts"
    verbose_name = "Fronts"

    def ready(self):
        from articles import curation

        from . import arrangements, freshness

        # The home page and the section fronts show what editors chose (articles renders
        # them, see articles/curation.py), and cached fronts follow every change to it.
        curation.arranged_by(arrangements.arrangement_for)
        freshness.connect()
