"""Writes to accounts: the demo set-up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from programs.models import Agency

DEMO_PASSWORD = "angiang-demo-2018"  # the documented demo password, set only by setup_demo  # noqa: S105  # nosec B105
DEMO_MAIL_DOMAIN = "demo.angiang.gov.vn"  # demo addresses: <username or agency code>@demo.angiang.gov.vn
# The demo's accounts that are not an agency's (a reporter's username is its agency's code).
DEMO_USERNAMES = ("admin", "dolisa", "viewer", "cuc-bvcste")


@transaction.atomic
def demo_accounts_create(*, password: str = DEMO_PASSWORD) -> list[User]:
    """Create the demo accounts if missing: admin, dolisa, viewer, the Ministry's department (cuc-bvcste) and
    one reporter per agency of An Giang, whose username is the agency's code. Existing accounts are left as they are."""
    groups = {role: Group.objects.get(name=role.value) for role in Role}
    encoded = make_password(password)  # hashed once: 29 hashes of the same password would take seconds
    dolisa_agency = Agency.objects.filter(code="so-ldtbxh").first()
    specs: list[tuple[str, Role, Agency | None, dict]] = [
        ("admin", Role.ADMIN, None, {"is_staff": True, "is_superuser": True, "first_name": "Quản trị"}),
        ("dolisa", Role.DOLISA, dolisa_agency, {"first_name": "Cán bộ Sở LĐTBXH"}),
        ("viewer", Role.VIEWER, None, {"first_name": "Lãnh đạo UBND tỉnh"}),
        ("cuc-bvcste", Role.MINISTRY, None, {"first_name": "Cục Bảo vệ, chăm sóc trẻ em"}),
    ]
    home = Agency.objects.filter(
        Q(unit__code=settings.PORTAL_PROVINCE_CODE) | Q(unit__parent__code=settings.PORTAL_PROVINCE_CODE)
    )
    specs += [(a.code, Role.REPORTER, a, {"first_name": a.short_name}) for a in home.order_by("order")]
    existing = set(User.objects.filter(username__in=[s[0] for s in specs]).values_list("username", flat=True))
    created = []
    for username, role, agency, extra in specs:
        if username in existing:
            continue
        user = User.objects.create(
            username=username, password=encoded, agency=agency, email=f"{username}@{DEMO_MAIL_DOMAIN}", **extra
        )
        user.groups.add(groups[role])
        created.append(user)
    # Demo agencies get an address too, so that the console e-mail back-end shows the reminders.
    agencies = list(Agency.objects.filter(email=""))
    for a in agencies:
        a.email = f"{a.code}@{DEMO_MAIL_DOMAIN}"
    Agency.objects.bulk_update(agencies, ["email"])
    return created
