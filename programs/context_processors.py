from django.conf import settings

from . import calendar


def portal(request) -> dict:
    return {
        "PORTAL_YEAR": settings.PORTAL_DEFAULT_YEAR,
        "PORTAL_CLOCK_SHIFTED": calendar.is_shifted(),
        "PORTAL_TODAY": calendar.local_today(),
    }
