"""Rate limits: PORTAL_API_RATE calls per token (a user's tokens are counted apart), per signed-in user
without a token, or per address, counted in the shared cache (Redis in production)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.security import client_ip

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        return settings.PORTAL_API_RATE

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{client_ip(request)}"
        return f"throttle:{self.scope}:{ident}"
