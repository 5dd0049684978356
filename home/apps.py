from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Each role's first screen, composed from the other apps."""

    name = "home"
    verbose_name = _("Trang chủ")
