"""Requests to reopen a locked report: the agency asks from its report's page, DOLISA grants or refuses
from its queue (the first screen) or the report's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formatting import fmt_date
from programs.selectors import program_for_year

from .. import selectors, services
from ..forms import ReopenGrantForm, ReopenRefuseForm, ReopenRequestForm


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


@require_POST
def reopen_request_create(request, year: int, quarter: int, code: str):
    """The agency's reporter asks DOLISA to reopen its locked report (one service), back to the report."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    if not selectors.reports_for_agency(request.user, agency_id=ref.agency.pk):
        raise Http404("Only the agency asks")
    form = ReopenRequestForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(ref.submission)
    try:
        services.reopen_request_create(submission=ref.submission, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Đã gửi đề nghị mở lại đến Sở Lao động – Thương binh và Xã hội."))
    return redirect(ref.submission)


DECISIONS = {"grant": ReopenGrantForm, "refuse": ReopenRefuseForm}


@require_POST
def reopen_request_decide(request, year: int, pk: int):
    """DOLISA grants (with a date) or refuses (with a reason) a request, in one click; back to where it
    was decided (`next`: the queue or the report's page)."""
    program = program_for_year(year=year, user=request.user)
    reopen = selectors.reopen_request_for(request.user, program=program, pk=pk)
    action = request.POST.get("action")
    if action not in DECISIONS:
        raise Http404("No such decision")
    form = DECISIONS[action](request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        _decide(request, reopen, action, form.cleaned_data)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(reopen.get_absolute_url())


def _decide(request, reopen, action: str, data: dict) -> None:
    words = {"a": reopen.agency.short_name, "q": reopen.quarter}
    try:
        if action == "grant":
            services.reopen_request_grant(request=reopen, user=request.user, until=data["until"],
                                          comment=data["comment"])  # fmt: skip
            words["d"] = fmt_date(data["until"])
            messages.success(request, _("Đã mở lại báo cáo %(q)s cho %(a)s đến ngày %(d)s.") % words)
        else:
            services.reopen_request_refuse(request=reopen, user=request.user, comment=data["comment"])
            messages.success(request, _("Đã từ chối đề nghị mở lại của %(a)s.") % words)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except services.ConflictError:
        messages.error(request, _("Báo cáo vừa được người khác cập nhật; vui lòng xem lại."))


urlpatterns = [
    path("submissions/<int:year>/q<int:quarter>/<slug:code>/reopen-request/", reopen_request_create,
         name="reopen_request"),
    path("submissions/<int:year>/reopen-requests/<int:pk>/", reopen_request_decide, name="reopen_decide"),
]  # fmt: skip
