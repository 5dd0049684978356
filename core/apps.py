from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses: number and date formats, the number parser, spreadsheet helpers, template
    tags, the data and structure versions (one model: the data versions' count), the admin's structure
    mixin, the deploy checks. It imports no other app of the portal."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import checks, structureversion

        structureversion.connect()
        checks.register()
