"""Who is calling: a token in `Authorization: Bearer <secret>` (api.models.ApiToken), or the signed-in
session (the browsable documentation at /api/docs/; writes then need the CSRF token, as on the pages)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.security import client_ip

from . import selectors, services

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <secret>`: the call acts as the token's user, with the user's current role.
    `request.auth` is the token (the rate limit and the security log name it by its prefix)."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng: Bearer <khóa>."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ hoặc đã bị thu hồi.")) from None
        found = selectors.token_user(secret=secret)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ hoặc đã bị thu hồi."))
        token, user = found
        services.token_used(token=token, ip=client_ip(request))
        return user, token

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'
