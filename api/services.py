"""Writes of the API's own: creating, using and revoking tokens. A token's secret is made here and shown
once; only its SHA-256 digest is kept. Every creation and revocation is in the security log."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import security

from .models import ApiToken, token_digest
from .selectors import may_hold_tokens

# A secret: the portal's mark (not itself secret), then 256 random bits; its first characters are kept to
# recognise it.
SECRET_MARK = "bvcste_"  # noqa: S105  # nosec B105
PREFIX_LENGTH = len(SECRET_MARK) + 6
# The last use is written at most once a minute, not on every call.
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)


@transaction.atomic
def token_create(*, user, name: str, request=None) -> tuple[ApiToken, str]:
    """A new token for the user, and its secret (shown once, never stored)."""
    if not may_hold_tokens(user):
        raise PermissionDenied(_("Chỉ cán bộ Sở và cán bộ báo cáo của các cơ quan được tạo khóa truy cập API."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Vui lòng đặt tên cho khóa (ví dụ: tên hệ thống sẽ dùng khóa)."), code="name")
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if len(live) >= settings.PORTAL_API_MAX_TOKENS:
        raise ValidationError(
            _("Mỗi người dùng có tối đa %(n)s khóa đang dùng: vui lòng thu hồi một khóa không còn dùng trước.")
            % {"n": settings.PORTAL_API_MAX_TOKENS},
            code="too_many",
        )
    secret = SECRET_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:PREFIX_LENGTH],
        digest=token_digest(secret),
        created_at=timezone.now(),
    )
    security.log_event("api_token_created", request=request, username=user.get_username(), token=token.prefix)
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, user, request=None) -> ApiToken:
    """Revoke one of the user's own tokens: from now on it opens nothing. Kept, with when it was revoked."""
    if token.user_id != user.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    security.log_event("api_token_revoked", request=request, username=user.get_username(), token=token.prefix)
    return token


def token_used(*, token: ApiToken, ip: str | None, at: dt.datetime | None = None) -> None:
    """Note that the token was used now (shown on the tokens page), at most once a minute."""
    at = at or timezone.now()
    if token.last_used_at is not None and at - token.last_used_at < LAST_USE_RESOLUTION:
        return
    try:
        ip = str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:  # a forwarded address that is none: not kept (PostgreSQL would refuse it)
        ip = None
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=at - LAST_USE_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=at, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = at, ip
