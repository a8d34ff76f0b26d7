from django.apps import AppConfig


class ImportersConfig(AppConfig):
    """Bringing content in: the WordPress importer and the plain-text story importer."""

    name = "importers"
    verbose_name = "Imports"
