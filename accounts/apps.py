from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from . import middleware, security  # noqa: F401 - connects their signal receivers
        from .models import User

        security.connect_role_changes(User)
