"""Each role's first screen: a reporter's work, DOLISA's work and the summary, the leaders' summary."""

from django.conf import settings
from django.shortcuts import redirect, render

from accounts import roles
from programs.selectors import program_for_year
from reporting import selectors
from reporting.forms import ReopenGrantForm

from .selectors import deadlines_this_week, drafts_to_issue, reporter_work, summary_for


def home(request):
    """Home by role. Templates: home/home_reporter.html (work: quarters, returned reports, requests),
    home_officer.html (queue, requests to reopen, deadlines, drafts to issue, summary, matrix),
    home_viewer.html (summary); the Ministry's department goes to its national view."""
    if roles.is_ministry(request.user):
        return redirect("ministry:national")
    program = program_for_year(year=settings.PORTAL_DEFAULT_YEAR, user=request.user)
    user = request.user
    if roles.is_reporter(user):
        work = reporter_work(agency=user.agency, program=program)
        return render(request, "home/home_reporter.html", {"program": program, "work": work})
    if roles.is_officer(user):
        quarters, rows = selectors.quarter_matrix(program=program)
        summary = summary_for(user=user, program=program)
        context = {
            "program": program, "summary": summary, "quarters": quarters, "rows": rows,
            "queue": selectors.review_queue(program=program),
            "reopen_requests": selectors.reopen_requests_pending(program=program),
            "grant_form": ReopenGrantForm(auto_id=False, initial={"until": selectors.reopen_default_until()}),
            "deadlines": deadlines_this_week(quarters=quarters, rows=rows),
            "to_issue": drafts_to_issue(summary.reports),
        }  # fmt: skip
        return render(request, "home/home_officer.html", context)
    if roles.is_viewer(user):
        return render(
            request, "home/home_viewer.html", {"program": program, "summary": summary_for(user=user, program=program)}
        )
    return redirect("programs:overview", year=program.year)
