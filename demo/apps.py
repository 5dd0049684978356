from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's accounts and data (`setup_demo`); no product app imports it."""

    name = "demo"
    verbose_name = "Demo"

    def ready(self):
        from . import checks

        checks.register()
