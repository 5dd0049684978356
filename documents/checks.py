"""The deploy gate's check of the signing certificate (`manage.py check --deploy`, tag "deploy"): when
PORTAL_SIGNING_P12 is set, its file must be readable and open with PORTAL_SIGNING_P12_PASSWORD, so that a
careless deploy is refused before an officer's first issue fails."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_signing_certificate(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    path = settings.PORTAL_SIGNING_P12
    if not path:
        return []
    from .signing import _signer

    try:
        _signer(path, settings.PORTAL_SIGNING_P12_PASSWORD)
    except (OSError, ValueError, ImproperlyConfigured) as exc:
        return [
            checks.Error(
                f"PORTAL_SIGNING_P12 ({path}) cannot be used to sign reports: {exc}",
                hint="Give a readable PKCS#12 file and its password (PORTAL_SIGNING_P12_PASSWORD), or unset "
                "PORTAL_SIGNING_P12 to issue reports without a digital signature.",
                id="portal.E020",
            )
        ]
    return []


def register() -> None:
    """Connected in DocumentsConfig.ready."""
    checks.register(check_signing_certificate, checks.Tags.security, deploy=True)
