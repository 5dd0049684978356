"""API tokens: a user's named keys for the web API. Only a SHA-256 digest of each secret is stored;
the secret itself is shown once, when the token is created."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One of a user's API keys. A call made with it acts as the user, with the user's current role;
    a revoked token, or one whose user may no longer hold tokens, opens nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên khóa"), max_length=100)
    # The secret's first characters, shown to recognise a token (never enough to use it).
    prefix = models.CharField(_("tiền tố"), max_length=16)
    digest = models.CharField(_("SHA-256 của khóa"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("dùng lần cuối từ địa chỉ"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"])]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="apitoken_has_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


def token_digest(secret: str) -> str:
    """What is stored of a secret, and what a presented secret is looked up by."""
    return hashlib.sha256(secret.encode()).hexdigest()
