from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import roles

from . import selectors, services
from .forms import ProvincialReportForm, QuarterForm
from .models import Program


@login_not_required
def health(request):
    """For load balancers and the benchmark's floor: a bare view that reads one row (of the programs)."""
    first = Program.objects.order_by("pk").values_list("pk", flat=True).first()
    return JsonResponse({"ok": True, "program": first})


def overview(request, year: int):
    """The program as the decision states it. Template: programs/overview.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    return render(request, "programs/overview.html", {"o": selectors.program_overview(program=program)})


def agency_detail(request, year: int, code: str):
    """An agency's duties, the activities it leads or supports, the indicators it reports.
    Template: programs/agency_detail.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    page = selectors.agency_page(program=program, code=code)
    return render(request, "programs/agency_detail.html", {"program": program, "page": page})


def district_detail(request, year: int, code: str):
    """A district with its communes and the outputs that name it. Template: programs/district_detail.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    page = selectors.district_page(program=program, code=code)
    return render(request, "programs/district_detail.html", {"program": program, "page": page})


def calendar(request, year: int):
    """Quarters with their entry deadlines and the provincial reports. Template: programs/calendar.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    quarters, reports = selectors.program_calendar(program=program)
    context = {"program": program, "quarters": quarters, "reports": reports}
    return render(request, "programs/calendar.html", {**context, "can_edit": roles.can_edit_calendar(request.user)})


@require_http_methods(["GET", "POST"])
def quarter_edit(request, year: int, number: int):
    if not roles.can_edit_calendar(request.user):
        raise PermissionDenied
    program = selectors.program_for_year(year=year, user=request.user)
    quarter = get_object_or_404(program.quarters, number=number)
    form = QuarterForm(request.POST or None, instance=quarter)
    if request.method == "POST" and form.is_valid():
        try:
            services.quarter_update(quarter=quarter, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu lịch của %(q)s.") % {"q": quarter})
            return redirect("programs:calendar", year=year)
    return render(request, "programs/calendar_edit.html", {"program": program, "form": form, "object": quarter})


@require_http_methods(["GET", "POST"])
def report_edit(request, year: int, kind: str):
    if not roles.can_edit_calendar(request.user):
        raise PermissionDenied
    program = selectors.program_for_year(year=year, user=request.user)
    report = get_object_or_404(program.provincial_reports, kind=kind)
    form = ProvincialReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.provincial_report_update(
                report=report, due_date=form.cleaned_data["due_date"], quarters=list(form.cleaned_data["quarters"])
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu lịch của %(r)s.") % {"r": report.get_kind_display()})
            return redirect("programs:calendar", year=year)
    return render(request, "programs/calendar_edit.html", {"program": program, "form": form, "object": report})
