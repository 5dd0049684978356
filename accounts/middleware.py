"""Session limits: a signed-in session ends after 30 minutes without a request and 12 hours in all
(settings PORTAL_SESSION_IDLE_SECONDS and PORTAL_SESSION_MAX_SECONDS), whatever the cookie says. A user
whom an administrator asked to change their password is sent to the change page until it is done. Every
page and file served to a signed-in user is marked `Cache-Control: no-store`."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import security

STARTED = "portal_started"
SEEN = "portal_seen"
# The last-seen time is written at most once a minute, not on every request (one write fewer).
SEEN_RESOLUTION = 60


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                username = user.get_username()
                logout(request)
                security.log_event("session_expired", request=request, username=username, reason=expired)
                messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str | None:
        now = time.time()
        session = request.session
        started, seen = session.get(STARTED), session.get(SEEN)
        if started is None or seen is None:
            session[STARTED] = session[SEEN] = now
            return None
        if now - seen > settings.PORTAL_SESSION_IDLE_SECONDS:
            return "idle"
        if now - started > settings.PORTAL_SESSION_MAX_SECONDS:
            return "max_age"
        if now - seen > SEEN_RESOLUTION:
            session[SEEN] = now
        return None


class PasswordChangeRequiredMiddleware:
    """Until a user flagged `must_change_password` has changed it, every page but the change page itself,
    sign-out and the language switch sends them there."""

    ALLOWED = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path_info not in allowed and not request.path_info.startswith(settings.STATIC_URL):
                messages.warning(request, _("Quản trị hệ thống yêu cầu bạn đổi mật khẩu trước khi tiếp tục."))
                return redirect("password_change")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """What a signed-in user is shown (pages, PDFs, workbooks, uploads) is never kept by a browser's or a
    proxy's cache: `Cache-Control: no-store, private` on every response to a signed-in request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    """Start the clocks at sign-in (saved with the session that login writes anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[STARTED] = request.session[SEEN] = time.time()
