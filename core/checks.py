"""The deploy gate: checks that `manage.py check --deploy` runs (tag "deploy"), beside Django's own, and
that `make prod` refuses to start past. Each is an error: a production with a published secret key, a
shifted clock or no way to send e-mail is a careless one. (The demo's accounts are checked by the demo
app itself, demo/checks.py: no product app knows them.)"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

# Secret keys that are written down somewhere public: .env.example's placeholder, the local and test
# settings' defaults. A key that contains one of them, or is shorter than 50 characters, is refused.
KNOWN_SECRET_KEYS = (
    "change-me-to-a-long-random-string-of-at-least-50-characters",
    "local-only-not-a-secret-4f1c9b2e7d",
    "test-only-not-a-secret-8c2a51",
    "change-me",
)
MIN_SECRET_LENGTH = 50
# E-mail back-ends that send nothing: the portal's reminders, incident notices and password resets would vanish.
NON_SENDING_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)


KEY_HINT = "Generate one: python -c 'import secrets; print(secrets.token_urlsafe(64))'"


def _refused(number: int, message: str, hint: str) -> list[checks.CheckMessage]:
    return [checks.Error(message, hint=hint, id=f"portal.E{number:03d}")]


def check_secret_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    key = str(getattr(settings, "SECRET_KEY", "") or "")
    if any(known in key for known in KNOWN_SECRET_KEYS):
        message = "DJANGO_SECRET_KEY is a published placeholder (.env.example, or the local or test settings)."
        return _refused(1, message, KEY_HINT)
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < 5:
        message = f"DJANGO_SECRET_KEY is too short or too simple (at least {MIN_SECRET_LENGTH} varied characters)."
        return _refused(2, message, KEY_HINT)
    return []


def check_clock(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.PORTAL_CLOCK_TODAY:
        return _refused(
            3, f"PORTAL_CLOCK_TODAY is set ({settings.PORTAL_CLOCK_TODAY}): the demo clock, never in production.",
            "Remove PORTAL_CLOCK_TODAY from the environment and from .env.",
        )  # fmt: skip
    return []


def check_email(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    backend = getattr(settings, "EMAIL_BACKEND", "") or ""
    if not backend or backend in NON_SENDING_EMAIL_BACKENDS:
        return _refused(
            4, f"No e-mail back-end that sends mail ({backend or 'none'}): reminders, incident notices and "
            "password resets would be lost.", "Set DJANGO_EMAIL_URL, e.g. smtp+tls://user:password@smtp.example:587",
        )  # fmt: skip
    return []


def register() -> None:
    """Connected in CoreConfig.ready."""
    for check in (check_secret_key, check_clock, check_email):
        checks.register(check, checks.Tags.security, deploy=True)
