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
    """The quarters with the agencies' deadlines and DOLISA's reports (when each is compiled, whom it goes
    to, DOLISA's own date). Template: programs/calendar.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    quarters, reports = selectors.program_calendar(program=program)
    context = {"program": program, "quarters": quarters, "reports": reports,
               "early_quarters": selectors.quarters_due_before_end(quarters)}  # fmt: skip
    return render(request, "programs/calendar.html", {**context, "can_edit": roles.can_edit_calendar(request.user)})


def _calendar_program(request, year: int):
    """The program whose calendar DOLISA edits; anyone else is refused (403)."""
    if not roles.can_edit_calendar(request.user):
        raise PermissionDenied
    return selectors.program_for_year(year=year, user=request.user)


def _calendar_edit(request, *, program, obj, form, save, saved):
    """An edit page of the calendar: the form, then one service (`save(cleaned_data)`); a refusal is
    shown on the form, a success says `saved()` back on the calendar. Template: programs/calendar_edit.html."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, saved())
            return redirect("programs:calendar", year=program.year)
    return render(request, "programs/calendar_edit.html", {"program": program, "form": form, "object": obj})


@require_http_methods(["GET", "POST"])
def quarter_edit(request, year: int, number: int):
    """A quarter's dates and deadline (which may be cleared: "chưa quy định hạn")."""
    program = _calendar_program(request, year)
    quarter = get_object_or_404(program.quarters, number=number)
    return _calendar_edit(
        request, program=program, obj=quarter, form=QuarterForm(request.POST or None, instance=quarter),
        save=lambda data: services.quarter_update(quarter=quarter, **data),
        saved=lambda: _("Đã lưu lịch của %(q)s.") % {"q": quarter},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def report_edit(request, year: int, kind: str):
    """DOLISA's own date for a report (optional) and the quarters it covers."""
    program = _calendar_program(request, year)
    report = get_object_or_404(program.provincial_reports, kind=kind)
    return _calendar_edit(
        request, program=program, obj=report, form=ProvincialReportForm(request.POST or None, instance=report),
        save=lambda data: services.provincial_report_update(
            report=report, due_date=data["due_date"], quarters=list(data["quarters"])),
        saved=lambda: _("Đã lưu lịch của %(r)s.") % {"r": report.get_kind_display()},
    )  # fmt: skip
