from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The program's figures for a cut and the dashboard that shows them (no models)."""

    name = "dashboards"
    verbose_name = _("Bảng điều khiển")
