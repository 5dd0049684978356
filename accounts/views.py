from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render

from . import security


def permission_denied(request, exception=None):
    """403, logged as a security event. Template: 403.html."""
    security.log_event("denied", request=request, reason=str(exception or "-")[:80] or "-")
    return render(request, "403.html", status=403)


@login_not_required
def health(request):
    """For load balancers and the benchmark's floor: a bare view that reads one row."""
    from programs.models import Program

    first = Program.objects.order_by("pk").values_list("pk", flat=True).first()
    return JsonResponse({"ok": True, "program": first})
