"""Incident report pages: the list (DOLISA: all, with filters; an agency: its own and, for a district
People's Committee, those in its district), one incident with its follow-up, the filing form, and the
follow-up actions. What a user may not read answers 404 (incidents.selectors)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs.selectors import program_for_year

from . import selectors, services
from .forms import CloseForm, FilterForm, IncidentForm, NoteForm


def _program(request):
    return program_for_year(year=settings.PORTAL_DEFAULT_YEAR, user=request.user)


@require_GET
def incident_list(request):
    """Incidents the user may read, filtered by kind, district, status and dates, with the counts by
    kind and district of what is listed. Template: incidents/incident_list.html."""
    if not selectors.may_list_incidents(request.user):
        raise Http404("No incident list for this user")
    program = _program(request)
    districts, _communes = selectors.incident_places(program=program)
    form = FilterForm(request.GET or None, districts=districts)
    filters = form.filters()
    rows = selectors.incident_list(user=request.user, filters=filters)
    table = None
    if selectors.may_follow_up(request.user):
        table = selectors.incidents_by_kind_and_district(
            program=program, date_from=filters.date_from, date_to=filters.date_to, district=filters.district
        )
    return render(
        request,
        "incidents/incident_list.html",
        {
            "program": program,
            "rows": rows,
            "form": form,
            "filtered": any(v for k, v in request.GET.items() if k in form.fields),
            "table": table,
            "can_file": selectors.may_file_incident(request.user),
            "is_officer": selectors.may_follow_up(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def incident_create(request):
    """The filing form for an agency's reporter. Template: incidents/incident_form.html."""
    if not selectors.may_file_incident(request.user):
        raise PermissionDenied
    program = _program(request)
    districts, communes = selectors.incident_places(program=program)
    initial = {}
    if request.method == "GET" and request.user.agency.is_district:
        initial["district"] = request.user.agency.unit_id
    form = IncidentForm(request.POST or None, districts=districts, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_file(
                user=request.user,
                program=program,
                data=form.cleaned_data,
                site_url=request.build_absolute_uri("/"),
                token=form.cleaned_data.get("token"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã gửi báo cáo đột xuất. Sở Lao động – Thương binh và Xã hội đã được thông báo qua thư điện tử."),
            )
            return redirect("incidents:detail", pk=incident.pk)
    places = {str(d.pk): [[c.pk, c.name] for c in communes.get(d.pk, [])] for d in districts}
    return render(request, "incidents/incident_form.html", {"form": form, "program": program, "places": places})


@require_GET
def incident_detail(request, pk: int):
    """One incident with its follow-up notes and, for DOLISA, close/reopen. Template: incidents/incident_detail.html."""
    incident = selectors.incident_for(request.user, pk=pk)
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "notes": selectors.incident_notes(incident=incident),
            "note_form": NoteForm(),
            "close_form": CloseForm(),
            "is_officer": selectors.may_follow_up(request.user),
        },
    )


def _done(request, pk: int):
    return redirect(reverse("incidents:detail", kwargs={"pk": pk}))


def _errors(request, exc: ValidationError) -> None:
    for m in exc.messages:
        messages.error(request, m)


@require_POST
def incident_note_add(request, pk: int):
    incident = selectors.incident_for(request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _done(request, pk)
    try:
        services.incident_note_add(incident=incident, user=request.user, text=form.cleaned_data["text"],
                                   token=form.cleaned_data.get("token"))  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ghi chú theo dõi."))
    return _done(request, pk)


def _state_change(request, pk: int, change, done: str):
    """Close or reopen a case (DOLISA), with an optional note; what the user may not see answers 404."""
    incident = selectors.incident_for(request.user, pk=pk)
    if not selectors.may_follow_up(request.user):
        raise PermissionDenied
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        change(incident=incident, user=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return _done(request, pk)


@require_POST
def incident_close(request, pk: int):
    return _state_change(request, pk, services.incident_close, _("Đã kết thúc theo dõi vụ việc."))


@require_POST
def incident_reopen(request, pk: int):
    return _state_change(request, pk, services.incident_reopen, _("Đã mở lại vụ việc để tiếp tục theo dõi."))
