from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
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
    # The province of a user without an agency (a DOLISA officer or a People's Committee viewer of another
    # province than the installation's own); a user with an agency belongs to its agency's province, and a
    # user with neither to the installation's (PORTAL_PROVINCE_CODE). Read only by
    # programs.selectors.user_province_id, the one place of this rule.
    province = models.ForeignKey(
        "programs.AdminUnit",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 1},
        help_text=_("Chỉ cho người dùng không thuộc cơ quan nào; để trống là tỉnh của cổng."),
    )
    # Set by an administrator (the admin's action): the user is sent to the password change page at the
    # next request until they have changed it (accounts.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)

    def clean(self):
        super().clean()
        if self.agency_id and self.province_id:  # one source of a user's province (user_province_id)
            raise ValidationError(
                {"province": _("Người dùng thuộc một cơ quan thì thuộc tỉnh của cơ quan đó: để trống ô tỉnh.")},
                code="agency_province",
            )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
