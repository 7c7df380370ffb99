from django.apps import AppConfig


class IoConfig(AppConfig):
    """Loading, exporting, importing and generating registers; its commands are `steerco
    load`, `export` and `generate`."""

    name = "steerco.io"
    label = "io"
    verbose_name = "Register files: load, export, import"
