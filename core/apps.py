from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses: number and date formats, spreadsheet helpers, template tags, the data
    version. No models, and it imports no other app of the portal."""

    name = "core"
    verbose_name = "Core"
