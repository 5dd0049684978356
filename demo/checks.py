"""The demo's part of the deploy gate (`manage.py check --deploy`): its accounts, with their published
password, must not exist in a production database. Here because only the demo knows them."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core import checks
from django.db import DatabaseError

from .accounts import DEMO_MAIL_DOMAIN, DEMO_PASSWORD, DEMO_USERNAMES


def check_demo_accounts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An error when a demo account (a demo address) exists, or a user of a demo username has the demo
    password. Each distinct password hash is checked once: the demo's accounts share one."""
    from accounts.models import User

    try:
        demo = list(User.objects.filter(email__iendswith="@" + DEMO_MAIL_DOMAIN).values_list("username", flat=True)[:5])
        hashes = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("password", flat=True))
    except DatabaseError:  # not migrated yet (make prod checks before it migrates): no accounts at all
        return []
    errors = []
    if demo:
        errors.append(
            checks.Error(
                f"Demo accounts exist in this database ({', '.join(demo)}…): setup_demo was run here.",
                hint="Use a database without the demo, or delete the demo's users (e-mail @" + DEMO_MAIL_DOMAIN + ").",
                id="portal.E010",
            )
        )
    if any(check_password(DEMO_PASSWORD, encoded) for encoded in hashes if encoded):
        errors.append(
            checks.Error(
                "A user has the demo's published password.",
                hint=f"Change the password of the accounts {', '.join(DEMO_USERNAMES)} (manage.py changepassword).",
                id="portal.E011",
            )
        )
    return errors


def register() -> None:
    checks.register(check_demo_accounts, checks.Tags.security, deploy=True)
