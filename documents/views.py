"""The provincial reports sent to the People's Committee: their versions, "compile now", the
progress of a compile, and the downloads (officers and viewers only; files served through here,
never from static or media URLs)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import roles, security
from programs.selectors import program_for_year

from . import selectors
from .models import ReportVersion
from .services import version_create, version_is_stuck, version_restart
from .wording import period_of

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
KIND_SLUGS = {"quarterly": "quy", "six_month": "6-thang", "annual": "nam"}


@require_GET
def report_list(request, year: int):
    """The three reports with their due dates and versions; "Biên soạn ngay" for officers.
    Template: documents/list.html."""
    program = program_for_year(year=year, user=request.user)
    rows = selectors.report_rows(user=request.user, program=program)
    return render(
        request,
        "documents/list.html",
        {"program": program, "rows": rows, "can_compile": roles.is_officer(request.user)},
    )


@require_POST
def report_compile(request, year: int, kind: str):
    """DOLISA compiles a report now; the page of the new (or running) version shows its progress."""
    program = program_for_year(year=year, user=request.user)
    report = selectors.report_for(user=request.user, program=program, kind=kind)
    version, created = version_create(report=report, trigger=ReportVersion.Trigger.MANUAL, user=request.user)
    if not created and version_is_stuck(version):  # as it was found: version_create has handed it over again
        messages.warning(request, _("Lần biên soạn trước bị gián đoạn (máy xử lý ngừng); đã cho chạy lại."))
    elif not created:
        messages.info(request, _("Báo cáo này đang được biên soạn; xem tiến độ bên dưới."))
    version.report = report  # with its program: the version's address needs its year
    return redirect(version)


@require_GET
def report_version(request, year: int, pk: int):
    """One version: its progress while it compiles (polled by static/js/report-progress.js), then
    its files, its number and hashes, or the reason it failed. Template: documents/version.html."""
    program = program_for_year(year=year, user=request.user)
    version = selectors.version_for(user=request.user, program=program, pk=pk)
    progress = selectors.version_progress(version=version)
    return render(
        request,
        "documents/version.html",
        {
            "program": program,
            "version": version,
            "progress": progress,
            # for static/js/report-progress.js (json_script): where to poll, and the state to start from
            "progress_state": {
                **progress,
                "url": reverse("documents:report_progress", kwargs={"year": year, "pk": pk}),
            },
            "period": period_of(version.report, list(version.report.quarters.order_by("number"))),
            "can_compile": roles.is_officer(request.user),
            "stuck": version_is_stuck(version) and roles.is_officer(request.user),
        },
    )


@require_POST
def report_restart(request, year: int, pk: int):
    """An officer restarts a stuck version (documents.services.version_restart); back to its page."""
    version = selectors.version_for(user=request.user, program=program_for_year(year=year, user=request.user), pk=pk)
    try:
        version_restart(version=version, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cho chạy lại bản biên soạn."))
    return redirect(version)


@require_GET
def report_progress(request, year: int, pk: int):
    """The progress of a compile, as JSON."""
    version = selectors.version_for(user=request.user, program=program_for_year(year=year, user=request.user), pk=pk)
    return JsonResponse(selectors.version_progress(version=version), headers={"Cache-Control": "no-store"})


@require_GET
def report_download(request, year: int, pk: int, fmt: str):
    """The PDF or the Excel annex of a finished version, to officers and viewers."""
    version = selectors.version_for(user=request.user, program=program_for_year(year=year, user=request.user), pk=pk)
    if fmt not in FORMATS:
        raise Http404("No such format")
    path_ = selectors.version_file(version=version, fmt=fmt)
    content_type, ext = FORMATS[fmt]
    prefix = "Bao-cao" if fmt == "pdf" else "Phu-luc"
    name = f"{prefix}-{KIND_SLUGS.get(version.report.kind, version.report.kind)}-{version.report.program.year}"
    name += f"-so-{version.doc_number:02d}.{ext}"
    response = FileResponse(open(path_, "rb"), as_attachment=True, filename=name, content_type=content_type)  # noqa: SIM115
    response["X-Content-SHA256"] = version.pdf_sha256 if fmt == "pdf" else version.xlsx_sha256
    security.log_event("report_download", request=request, version=version.pk, file=name)
    return response


urlpatterns = [
    path("reports/<int:year>/", report_list, name="reports"),
    path("reports/<int:year>/<slug:kind>/compile/", report_compile, name="report_compile"),
    path("reports/<int:year>/versions/<int:pk>/", report_version, name="report_version"),
    path("reports/<int:year>/versions/<int:pk>/progress/", report_progress, name="report_progress"),
    path("reports/<int:year>/versions/<int:pk>/restart/", report_restart, name="report_restart"),
    path("reports/<int:year>/versions/<int:pk>/<slug:fmt>/", report_download, name="report_download"),
]
