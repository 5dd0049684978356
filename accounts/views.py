from django.shortcuts import render

from . import security


def permission_denied(request, exception=None):
    """403, logged as a security event. Template: 403.html."""
    security.log_event("denied", request=request, reason=str(exception or "-")[:80] or "-")
    return render(request, "403.html", status=403)
