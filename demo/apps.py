from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo newsroom of `make run`, and the archive the benchmarks seed."""

    name = "demo"
    verbose_name = "Demo newsroom"
