"""Each role's first screen: a reporter's quarters, DOLISA's queue and overview, the leaders' reading."""

from django.conf import settings
from django.shortcuts import redirect, render

from accounts import roles
from programs.selectors import program_for_year
from reporting import selectors


def home(request):
    """Home by role. Templates: home/home_reporter.html, home_officer.html, home_viewer.html; the Ministry's
    department goes to its national view."""
    if roles.is_ministry(request.user):
        return redirect("ministry:national")
    program = program_for_year(year=settings.PORTAL_DEFAULT_YEAR, user=request.user)
    user = request.user
    if roles.is_reporter(user):
        return render(
            request,
            "home/home_reporter.html",
            {"program": program, "quarters": selectors.agency_quarters(agency=user.agency, program=program)},
        )
    if roles.is_officer(user):
        quarters, rows = selectors.quarter_matrix(program=program)
        return render(
            request,
            "home/home_officer.html",
            {"program": program, "queue": selectors.review_queue(program=program), "quarters": quarters, "rows": rows},
        )
    if roles.is_viewer(user):
        return render(
            request,
            "home/home_viewer.html",
            {"program": program, "accepted": selectors.submission_list(user=user, program=program)},
        )
    return redirect("programs:overview", year=program.year)
