"""Roles: which group a user is in, and what that lets them do. The one place these rules live."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Each role is a Django group of the same name, created by a migration."""

    REPORTER = "agency_reporter", _("Cán bộ báo cáo của cơ quan")
    DOLISA = "dolisa_officer", _("Cán bộ Sở Lao động – Thương binh và Xã hội")
    VIEWER = "viewer", _("Lãnh đạo UBND tỉnh (chỉ xem)")
    # The Ministry's Department of Child Protection: every province's issued reports and the national
    # figures (the ministry app), read-only; no province's own pages.
    MINISTRY = "ministry", _("Cục Bảo vệ, chăm sóc trẻ em (chỉ xem)")
    ADMIN = "administrator", _("Quản trị hệ thống")


# Highest first: a user in several groups acts with the strongest role.
PRECEDENCE = [Role.ADMIN, Role.DOLISA, Role.VIEWER, Role.MINISTRY, Role.REPORTER]


def role_of(user) -> Role | None:
    """The user's role, computed once per request object."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_portal_role", "unset")
    if cached != "unset":
        return cached
    if hasattr(user, "portal_role_name"):  # loaded with the user (accounts.backends.PortalBackend)
        role = Role(user.portal_role_name) if user.portal_role_name else None
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in PRECEDENCE if r.value in names), None)
    if role is None and user.is_superuser:
        role = Role.ADMIN
    user._portal_role = role
    return role


def is_reporter(user) -> bool:
    return role_of(user) == Role.REPORTER and user.agency_id is not None


def is_officer(user) -> bool:
    """DOLISA officers and administrators review, accept, return and reopen."""
    return role_of(user) in (Role.DOLISA, Role.ADMIN)


def is_viewer(user) -> bool:
    return role_of(user) == Role.VIEWER


def is_ministry(user) -> bool:
    """The Ministry's department: reads every province's issued reports and the national figures, writes
    nothing, and belongs to no province."""
    return role_of(user) == Role.MINISTRY


def sees_province(user) -> bool:
    """Officers, administrators and viewers see the whole province."""
    return role_of(user) in (Role.DOLISA, Role.ADMIN, Role.VIEWER)


def can_edit_calendar(user) -> bool:
    return is_officer(user)


def dolisa_emails() -> list[str]:
    """Who DOLISA is, to write to: its active officers' addresses and the shared address if set."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    officers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.DOLISA.value)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    shared = [settings.PORTAL_DOLISA_EMAIL] if settings.PORTAL_DOLISA_EMAIL else []
    return sorted({*shared, *officers}, key=str.lower)


def reporter_emails(*, agency_id: int) -> list[str]:
    """The addresses of an agency's active reporters."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, agency_id=agency_id, groups__name=Role.REPORTER.value)
    return list(users.exclude(email="").values_list("email", flat=True))
