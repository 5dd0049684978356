from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal user. Reporters belong to one agency and see only its data; their role comes from
    their group (see accounts.roles)."""

    agency = models.ForeignKey(
        "programs.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
