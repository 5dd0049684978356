"""The accounts' pages: the 403 page, and a user's own password: changed in the portal, or reset by
e-mail when forgotten (Django's own views, with the portal's Vietnamese templates in
templates/registration/ and a rate limit on the reset e-mails)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from core import ratelimit

from . import security

# Reset e-mails: at most this many per address, and per client address, in RESET_WINDOW seconds
# (core.ratelimit: falls back open while the cache is down; a reset only ever mails the account's own address).
RESETS_PER_ADDRESS, RESETS_PER_IP, RESET_WINDOW = 3, 10, 3600


def permission_denied(request, exception=None):
    """403, logged as a security event. Template: 403.html."""
    security.log_event("denied", request=request, reason=str(exception or "-")[:80] or "-")
    return render(request, "403.html", status=403)


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in user changes their password (the old one first). Also where a user whom an administrator
    asked to change it is sent until it is done (accounts.middleware.PasswordChangeRequiredMiddleware).
    Template: registration/password_change_form.html."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        security.log_event("password_change", request=self.request)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """A forgotten password: a link to choose a new one is e-mailed to the account's address, if there is
    such an account (the page says the same either way). Rate-limited per address and per client address.
    Templates: registration/password_reset_form.html, password_reset_email.html, password_reset_subject.txt."""

    success_url = reverse_lazy("password_reset_done")
    email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().casefold()
        ip = security.client_ip(self.request) or "-"
        allowed = ratelimit.hit("password-reset-ip", ip, limit=RESETS_PER_IP, window=RESET_WINDOW)
        allowed = (
            ratelimit.hit("password-reset-address", address, limit=RESETS_PER_ADDRESS, window=RESET_WINDOW) and allowed
        )
        if not allowed:
            security.log_event("password_reset_limited", request=self.request, username="-")
            form.add_error(
                None, _("Đã có nhiều yêu cầu đặt lại mật khẩu trong thời gian ngắn; vui lòng thử lại sau một giờ.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        security.log_event("password_reset", request=self.request, username="-")
        return super().form_valid(form)
