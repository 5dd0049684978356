from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import roles

from . import selectors, services, years
from .forms import (
    ActivityForm,
    IndicatorForm,
    NextYearForm,
    OutputEditForm,
    OutputForm,
    ProvincialReportForm,
    QuarterForm,
    RoleForm,
    TargetAddForm,
    TargetForm,
)
from .models import Program


@login_not_required
def health(request):
    """For load balancers and the benchmark's floor: a bare view that reads one row (of the programs)."""
    first = Program.objects.order_by("pk").values_list("pk", flat=True).first()
    return JsonResponse({"ok": True, "program": first})


def overview(request, year: int):
    """The program as the decision states it. Template: programs/overview.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    context = {"o": selectors.program_overview(program=program), "can_edit": roles.is_officer(request.user)}
    return render(request, "programs/overview.html", context)


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
    quarter = selectors.program_quarter(program=program, number=number)
    return _calendar_edit(
        request, program=program, obj=quarter, form=QuarterForm(request.POST or None, instance=quarter),
        save=lambda data: services.quarter_update(quarter=quarter, **data),
        saved=lambda: _("Đã lưu lịch của %(q)s.") % {"q": quarter},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def report_edit(request, year: int, kind: str):
    """DOLISA's own date for a report (optional) and the quarters it covers."""
    program = _calendar_program(request, year)
    report = selectors.program_report(program=program, kind=kind)
    return _calendar_edit(
        request, program=program, obj=report, form=ProvincialReportForm(request.POST or None, instance=report),
        save=lambda data: services.provincial_report_update(
            report=report, due_date=data["due_date"], quarters=list(data["quarters"])),
        saved=lambda: _("Đã lưu lịch của %(r)s.") % {"r": report.get_kind_display()},
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------
# The next year and DOLISA's editor (programs.years)
# ------------------------------------------------------------------------------------------------
def _editor_program(request, year: int):
    """The program DOLISA edits (a draft or published year); anyone else is refused (403)."""
    if not roles.is_officer(request.user):
        raise PermissionDenied
    return selectors.program_for_year(year=year, user=request.user)


def _editor_form(request, *, program, form, save, saved, title: str):
    """An editor page: the form, then one service (`save(cleaned_data)`); a refusal is shown on the form,
    a success says `saved` back on the editor. Template: programs/editor_form.html."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, saved)
            return redirect("programs:editor", year=program.year)
    return render(request, "programs/editor_form.html", {"program": program, "form": form, "title": title})


def _editor_action(request, program, action, done: str):
    """A button of the editor (remove, publish): one service; its refusal or `done` shown on the editor."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("programs:editor", year=program.year)


@require_http_methods(["GET", "POST"])
def next_year(request, year: int):
    """Create the year after `year` from it: the new decision's number, date and signer.
    Template: programs/editor_form.html."""
    source = _editor_program(request, year)
    form = NextYearForm(request.POST or None, initial={"signer_title": source.signer_title})
    if request.method == "POST" and form.is_valid():
        try:
            created = years.program_next_year(source=source, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo dự thảo chương trình năm %(y)s từ năm %(s)s.") % {
                "y": created.year, "s": source.year})  # fmt: skip
            return redirect("programs:editor", year=created.year)
    title = _("Tạo chương trình năm %(y)s từ năm %(s)s") % {"y": year + 1, "s": year}
    return render(request, "programs/editor_form.html", {"program": source, "form": form, "title": title})


def editor(request, year: int):
    """DOLISA's editor of a program year: targets, activities, their outputs and assignments, with the
    buttons that change them, and publishing. Template: programs/editor.html."""
    program = _editor_program(request, year)
    return render(request, "programs/editor.html", {"e": selectors.program_editor(program=program)})


def changes(request, year: int):
    """What changed from the year before, side by side. Template: programs/changes.html."""
    program = selectors.program_for_year(year=year, user=request.user)
    previous, rows = selectors.program_changes(program=program)
    return render(request, "programs/changes.html", {"program": program, "previous": previous, "rows": rows})


@require_http_methods(["POST"])
def publish(request, year: int):
    program = _editor_program(request, year)
    done = _("Đã ban hành chương trình năm %(y)s: các cơ quan đã thấy biểu mẫu mới.") % {"y": year}
    return _editor_action(request, program, lambda: years.program_publish(program=program), done)


@require_http_methods(["GET", "POST"])
def target_edit(request, year: int, number: int):
    program = _editor_program(request, year)
    target = selectors.program_target(program=program, number=number)
    indicators = list(target.indicators.order_by("order"))
    initial = {"text": target.text, "goal": target.goal, "version": years.row_version(target)}
    form = TargetForm(request.POST or None, initial=initial, indicators=indicators)
    return _editor_form(
        request, program=program, form=form, title=str(target),
        save=lambda d: years.target_update(target=target, text=d["text"], goal=d["goal"],
                                           indicator_goals=form.indicator_goals(), version=d["version"]),
        saved=_("Đã lưu %(t)s.") % {"t": target},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def target_add(request, year: int):
    """A new target: its number, wording (Vietnamese, English) and goal. Template: programs/editor_form.html."""
    program = _editor_program(request, year)
    form = TargetAddForm(request.POST or None)
    return _editor_form(
        request, program=program, form=form, title=_("Thêm mục tiêu"),
        save=lambda d: years.target_add(program=program, **d),
        saved=_("Đã thêm mục tiêu. Hãy thêm chỉ số đo mục tiêu này trước khi ban hành."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def indicator_add(request, year: int, number: int):
    """A new indicator of a target, which the districts report. Template: programs/editor_form.html."""
    program = _editor_program(request, year)
    target = selectors.program_target(program=program, number=number)
    form = IndicatorForm(request.POST or None)
    return _editor_form(
        request, program=program, form=form, title=_("Thêm chỉ số cho %(t)s") % {"t": target},
        save=lambda d: years.indicator_add(target=target, **d),
        saved=_("Đã thêm chỉ số."),
    )  # fmt: skip


@require_http_methods(["POST"])
def target_remove(request, year: int, number: int):
    program = _editor_program(request, year)
    target = selectors.program_target(program=program, number=number)
    return _editor_action(request, program, lambda: years.target_remove(target=target),
                          _("Đã gỡ %(t)s khỏi chương trình.") % {"t": target})  # fmt: skip


@require_http_methods(["GET", "POST"])
def activity_add(request, year: int, group: str):
    program = _editor_program(request, year)
    group_obj = selectors.program_group(program=program, code=group)
    form = ActivityForm(request.POST or None, agencies=selectors.program_agencies(program=program))
    return _editor_form(
        request, program=program, form=form, title=_("Thêm hoạt động vào nhóm %(g)s") % {"g": group_obj},
        save=lambda d: years.activity_add(group=group_obj, code=d["code"], text=d["text"], lead=d["lead"]),
        saved=_("Đã thêm hoạt động."),
    )  # fmt: skip


@require_http_methods(["POST"])
def activity_remove(request, year: int, code: str):
    program = _editor_program(request, year)
    activity = selectors.program_activity(program=program, code=code)
    return _editor_action(request, program, lambda: years.activity_remove(activity=activity),
                          _("Đã gỡ hoạt động %(c)s khỏi chương trình.") % {"c": activity.code})  # fmt: skip


@require_http_methods(["GET", "POST"])
def output_add(request, year: int, code: str):
    program = _editor_program(request, year)
    activity = selectors.program_activity(program=program, code=code)
    form = OutputForm(request.POST or None)
    return _editor_form(
        request, program=program, form=form, title=_("Thêm chỉ tiêu đầu ra cho hoạt động %(c)s") % {"c": code},
        save=lambda d: years.output_add(activity=activity, code=d["code"], label=d["label"], quantity=d["quantity"],
                                        unit=d["unit"], aggregation=d["aggregation"]),
        saved=_("Đã thêm chỉ tiêu đầu ra."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def output_edit(request, year: int, pk: int):
    program = _editor_program(request, year)
    output = selectors.program_output(program=program, pk=pk)
    form = OutputEditForm(request.POST or None, instance=output, initial={"version": years.row_version(output)})
    return _editor_form(
        request, program=program, form=form, title=str(output),
        save=lambda d: years.output_update(output=output, label=d["label"], quantity=d["quantity"], unit=d["unit"],
                                           version=d["version"]),
        saved=_("Đã lưu chỉ tiêu đầu ra."),
    )  # fmt: skip


@require_http_methods(["POST"])
def output_remove(request, year: int, pk: int):
    program = _editor_program(request, year)
    output = selectors.program_output(program=program, pk=pk)
    return _editor_action(request, program, lambda: years.output_remove(output=output),
                          _("Đã gỡ chỉ tiêu đầu ra “%(o)s”.") % {"o": output.label})  # fmt: skip


@require_http_methods(["GET", "POST"])
def role_add(request, year: int, code: str):
    program = _editor_program(request, year)
    activity = selectors.program_activity(program=program, code=code)
    form = RoleForm(request.POST or None, agencies=selectors.program_agencies(program=program))
    return _editor_form(
        request, program=program, form=form, title=_("Giao hoạt động %(c)s") % {"c": code},
        save=lambda d: years.role_add(activity=activity, agency=d["agency"], role=d["role"]),
        saved=_("Đã giao hoạt động."),
    )  # fmt: skip


@require_http_methods(["POST"])
def role_remove(request, year: int, pk: int):
    program = _editor_program(request, year)
    role = selectors.program_role(program=program, pk=pk)
    return _editor_action(request, program, lambda: years.role_remove(role=role),
                          _("Đã bỏ giao %(a)s.") % {"a": role})  # fmt: skip
