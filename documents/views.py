"""DOLISA's provincial reports: their versions, "compile now", the progress of a compile, issuing a draft,
DOLISA's register of documents, and the downloads (officers see drafts and issued reports, viewers issued
ones only; files served through here, never from static or media URLs)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import roles, security
from programs import calendar
from programs.selectors import program_for_year

from . import selectors
from .forms import RegisterForm
from .models import ReportVersion, document_symbol
from .services import register_update, version_create, version_is_stuck, version_issue, version_restart
from .signing import signing_configured
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
    """One version: its progress while it compiles (polled by static/js/report-progress.js), then its
    files and hashes, a draft's "Ban hành…" for officers or an issue's number, date, signer and who issued
    it, or the reason it failed. Template: documents/version.html."""
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
            "can_issue": roles.is_officer(request.user) and version.is_draft,
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


@require_http_methods(["GET", "POST"])
def report_issue(request, year: int, pk: int):
    """An officer issues a draft (documents.services.version_issue): first a page that says what issuing
    does (the number it takes from the register, the date, the signer, a digital signature or not, the
    issued version it replaces), then the confirmed POST. Template: documents/issue.html."""
    program = program_for_year(year=year, user=request.user)
    version = selectors.version_for(user=request.user, program=program, pk=pk)
    if not roles.is_officer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            version = version_issue(version=version, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ban hành báo cáo số %(s)s.") % {"s": version.doc_symbol})
        return redirect(version)
    today = calendar.local_today()
    context = {
        "program": program, "version": version, "today": today,
        "number": document_symbol(selectors.register_next_number(province_id=program.province_id, year=today.year)),
        "signer_name": settings.PORTAL_REPORT_SIGNER_NAME, "signer_title": settings.PORTAL_REPORT_SIGNER_TITLE,
        "signed": signing_configured(), "replaces": selectors.version_in_force(report=version.report),
    }  # fmt: skip
    return render(request, "documents/issue.html", context)


@require_http_methods(["GET", "POST"])
def register(request, year: int):
    """DOLISA's register of documents: each year's next number, set by officers (documents.services.
    register_update). Template: documents/register.html."""
    program = program_for_year(year=year, user=request.user)
    rows = selectors.registers(user=request.user)
    today = calendar.local_today()
    initial = {
        "year": today.year,
        "next_number": selectors.register_next_number(province_id=program.province_id, year=today.year),
    }
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register_update(year=form.cleaned_data["year"], next_number=form.cleaned_data["next_number"],
                            user=request.user)  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu sổ đăng ký văn bản năm %(y)s.") % {"y": form.cleaned_data["year"]})
            return redirect("documents:register", year=year)
    return render(request, "documents/register.html", {"program": program, "rows": rows, "form": form})


@require_GET
def report_progress(request, year: int, pk: int):
    """The progress of a compile, as JSON."""
    version = selectors.version_for(user=request.user, program=program_for_year(year=year, user=request.user), pk=pk)
    return JsonResponse(selectors.version_progress(version=version), headers={"Cache-Control": "no-store"})


@require_GET
def report_download(request, year: int, pk: int, fmt: str):
    """The PDF or the Excel annex of a version: the issued files to officers and viewers, a draft's to
    officers only."""
    version = selectors.version_for(user=request.user, program=program_for_year(year=year, user=request.user), pk=pk)
    return version_download(request, version=version, fmt=fmt)


def version_download(request, *, version, fmt: str):
    """The stored file of a version the caller has found for the user (the reports' download, the Ministry's)."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    path_ = selectors.version_file(version=version, fmt=fmt)
    content_type, ext = FORMATS[fmt]
    prefix = "Bao-cao" if fmt == "pdf" else "Phu-luc"
    name = f"{prefix}-{KIND_SLUGS.get(version.report.kind, version.report.kind)}-{version.report.program.year}"
    name += f"-so-{version.doc_number:02d}.{ext}" if version.is_issued else f"-du-thao-lan-{version.number}.{ext}"
    response = FileResponse(open(path_, "rb"), as_attachment=True, filename=name, content_type=content_type)  # noqa: SIM115
    response["X-Content-SHA256"] = version.served_file(fmt)[1]
    security.log_event("report_download", request=request, version=version.pk, file=name)
    return response


urlpatterns = [
    path("reports/<int:year>/", report_list, name="reports"),
    path("reports/<int:year>/<slug:kind>/compile/", report_compile, name="report_compile"),
    path("reports/<int:year>/versions/<int:pk>/", report_version, name="report_version"),
    path("reports/<int:year>/versions/<int:pk>/progress/", report_progress, name="report_progress"),
    path("reports/<int:year>/versions/<int:pk>/restart/", report_restart, name="report_restart"),
    path("reports/<int:year>/versions/<int:pk>/issue/", report_issue, name="report_issue"),
    path("reports/<int:year>/register/", register, name="register"),
    path("reports/<int:year>/versions/<int:pk>/<slug:fmt>/", report_download, name="report_download"),
]
