from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The web API (/api/v1/): the portal's data for other systems, read and written with the same
    selectors, forms and services as the pages, under per-user tokens."""

    name = "api"
    verbose_name = _("API")
