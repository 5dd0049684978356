"""The dashboard for DOLISA, the People's Committee and each agency: the program's figures for a cut, the
submissions behind any number, and the same tables as Excel and CSV files.

Every view reads its filters with `dashboards.filters.filters_parse` (which scopes a reporter to its own
agency and answers 404 for anything else), computes the figures once with `figures_compute`, the selector the
provincial reports use too, and renders or writes them.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import roles
from core import dataversion as datacache
from incidents.selectors import incidents_by_kind_and_district
from programs import calendar, structure
from programs.selectors import program_for_year, program_last_year

from .exports import export_csv, export_workbook, exports_for
from .figures import figures_compute
from .filters import filters_parse
from .pages import dashboard_page
from .previous import last_year_compute
from .sources import sources_build
from .trend import trend_compute

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figures(request, year: int):
    """The filters of the request and the figures they select."""
    program = program_for_year(year=year, user=request.user)
    filters, _warnings = filters_parse(user=request.user, program=program, params=request.GET)
    return filters, figures_compute(cut=filters.cut())


def _incidents(user, filters, cut):
    """Incidents by kind and district for the cut's period: counts only, for the province's readers and,
    for a district People's Committee, its own district; a provincial agency's dashboard shows none."""
    if filters.agency is not None and not filters.agency.is_district:
        return None
    if not (roles.sees_province(user) or roles.is_reporter(user)):
        return None
    districts = filters.frame.districts
    if filters.district is not None or filters.agency is not None:  # the district's, or the agency's own
        unit_id = filters.district.pk if filters.district is not None else filters.agency.unit_id
        districts = tuple(d for d in districts if d.pk == unit_id)
    return incidents_by_kind_and_district(program=filters.program, quarters=cut.quarters, districts=districts)


@require_GET
def dashboard(request, year: int):
    """Targets, districts × indicators, output targets, reporting and budget for a cut.
    Template: dashboards/dashboard.html, its content from dashboards/_content.html
    (context: program, page, warnings, incidents), cached until the program's data (or the year before's,
    whose results it shows beside: dashboards.previous), its structure or the incidents change
    (core.dataversion, programs.structure)."""
    program = program_for_year(year=year, user=request.user)
    filters, warnings = filters_parse(user=request.user, program=program, params=request.GET)
    last = program_last_year(program=program)  # its figures beside this year's: its data version in the key
    key = "dashboard:" + hashlib.sha256(":".join(
        str(part)
        for part in (
            "dashboard", program.pk, *datacache.versions(program.pk, datacache.INCIDENTS, *([last.pk] if last else [])),
            structure.version(), get_language(), roles.role_of(request.user), calendar.local_today(),
            filters.query(), "|".join(warnings),
        )
    ).encode()).hexdigest()  # fmt: skip
    content = cache.get(key)
    if content is None:
        cut = filters.cut()
        page = dashboard_page(filters=filters, figures=figures_compute(cut=cut),
                              last_year=last_year_compute(cut=cut, program=last))  # fmt: skip
        context = {"program": program, "page": page, "warnings": warnings,
                   "incidents": _incidents(request.user, page.filters, page.figures.cut)}  # fmt: skip
        content = render_to_string("dashboards/_content.html", context, request=request)
        cache.set(key, content, timeout=3600)
    # The cached fragment is our own template's output, escaped when rendered; the cache holds it as text.
    return render(request, "dashboards/dashboard.html", {"program": program, "content": mark_safe(content)})  # noqa: S308  # nosec B308, B703


@require_GET
def dashboard_sources(request, year: int):
    """The submissions behind one number of the dashboard, with what each contributed.
    Template: dashboards/sources.html (context: program, filters, sources, back)."""
    program = program_for_year(year=year, user=request.user)
    filters, warnings = filters_parse(user=request.user, program=program, params=request.GET)
    figures = figures_compute(cut=filters.cut())
    sources = sources_build(user=request.user, filters=filters, figures=figures, params=request.GET)
    return render(
        request,
        "dashboards/sources.html",
        {"program": program, "filters": filters, "sources": sources, "warnings": warnings,
         "back": filters.url("dashboard")},
    )  # fmt: skip


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def dashboard_xlsx(request, year: int):
    """The dashboard's tables as a workbook, one sheet per table (the missing agencies under reporting)."""
    filters, figures = _figures(request, year)
    return _attachment(export_workbook(filters=filters, figures=figures), XLSX, f"{filters.file_stem}.xlsx")


@require_GET
def dashboard_csv(request, year: int):
    """One table of the dashboard as CSV (UTF-8 with BOM): ?table=targets|districts|outputs|compliance|
    missing|budget|accounts; the file's first rows say the cut and which submissions count."""
    filters, figures = _figures(request, year)
    key = request.GET.get("table") or ""
    found = export_csv(filters=filters, figures=figures, key=key)
    if found is None:
        names = ", ".join(e.key for e in exports_for(filters))
        return HttpResponseBadRequest(
            _("Không có bảng “%(t)s” để tải. Các bảng có thể tải: %(n)s.") % {"t": key, "n": names},
            content_type="text/plain; charset=utf-8",
        )
    content, filename = found
    return _attachment(content, "text/csv; charset=utf-8", filename)


@require_GET
def dashboard_trend(request, year: int):
    """The leaders' view of the trend: every published year of the province side by side, each target's
    indicators and each output matched by code, with the changes of the units' layout between years.
    Template: dashboards/trend.html."""
    if not roles.sees_province(request.user):
        raise PermissionDenied
    program = program_for_year(year=year, user=request.user)
    return render(
        request, "dashboards/trend.html", {"program": program, "trend": trend_compute(province_id=program.province_id)}
    )


urlpatterns = [
    path("dashboard/<int:year>/", dashboard, name="dashboard"),
    path("dashboard/<int:year>/sources/", dashboard_sources, name="dashboard_sources"),
    path("dashboard/<int:year>/trend/", dashboard_trend, name="dashboard_trend"),
    path("dashboard/<int:year>/export.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<int:year>/export.csv", dashboard_csv, name="dashboard_csv"),
]
