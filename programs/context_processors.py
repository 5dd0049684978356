from django.conf import settings


def portal(request) -> dict:
    return {"PORTAL_YEAR": settings.PORTAL_DEFAULT_YEAR}
