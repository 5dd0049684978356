from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The provincial reports compiled from the figures: versions (drafts, issued), PDF, Excel annex, schedule."""

    name = "documents"
    verbose_name = _("Báo cáo gửi UBND tỉnh")

    def ready(self) -> None:
        from . import checks

        checks.register()
