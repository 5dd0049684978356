from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The provincial reports compiled from the figures: versions, PDF, Excel annex, schedule."""

    name = "documents"
    verbose_name = _("Báo cáo gửi UBND tỉnh")
