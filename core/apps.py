from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses: number and date formats, spreadsheet helpers, template tags, the data
    and structure versions, the admin's structure mixin. No models, and it imports no other app of
    the portal."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import structureversion

        structureversion.connect()
