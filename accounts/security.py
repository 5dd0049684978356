"""Security events, logged to the `portal.security` logger (standard output in production): sign-ins,
failures, lockouts, expired sessions, denied access, role changes, report downloads."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

logger = logging.getLogger("portal.security")


def client_ip(request) -> str | None:
    """The client's address. Behind PORTAL_PROXY_COUNT trusted reverse proxies, each of which appends
    the address it received from to X-Forwarded-For, the client is the entry that many places from the
    right (anything further left may be forged by the client). Also django-axes' AXES_CLIENT_IP_CALLABLE."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PORTAL_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def log_event(event: str, *, request=None, username: str | None = None, **fields) -> None:
    if username is None and request is not None and getattr(request, "user", None) is not None:
        username = request.user.get_username() if request.user.is_authenticated else "-"
    parts = [f"event={event}", f"user={username or '-'}", f"ip={client_ip(request) or '-'}"]
    if request is not None:
        parts.append(f"path={request.path}")
    parts += [f"{k}={v}" for k, v in fields.items()]
    logger.info(" ".join(parts))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request=request, username=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    log_event("logout", request=request, username=user.get_username() if user else "-")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log_event("login_failed", request=request, username=credentials.get("username", "-"))


def _locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning(f"event=lockout user={username or '-'} ip={ip_address or '-'}")


try:  # django-axes' signal
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="portal-lockout")
except ImportError:  # pragma: no cover
    pass


def _groups_changed(sender, instance, action, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from django.contrib.auth.models import Group
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    names = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    log_event(
        "role_change",
        request=request,
        target=instance.get_username(),
        action=action.removeprefix("post_"),
        groups=",".join(names) or "-",
    )


def connect_role_changes(user_model) -> None:
    m2m_changed.connect(_groups_changed, sender=user_model.groups.through, dispatch_uid="portal-role-change")
