"""The quarterly form as an Excel workbook: download it filled with the current values, upload it back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import security
from core import ratelimit
from programs.selectors import program_for_year

from .. import selectors, services
from ..workbook.build import CONTENT_TYPE, workbook_build, workbook_filename
from ..workbook.forms import WorkbookUploadForm
from ..workbook.imports import workbook_import
from ..workbook.read import CellError

# At most this many uploads per user in UPLOAD_WINDOW seconds (core.ratelimit: falls back open while the
# cache is down; each upload is bounded by reporting.workbook.read's limits anyway).
UPLOADS_PER_WINDOW, UPLOAD_WINDOW = 10, 600


@require_GET
def workbook_download(request, year: int, quarter: int, code: str):
    """The agency's .xlsx for the quarter, for anyone who may read the submission (404 otherwise)."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    spec = selectors.form_spec(program=program, agency=ref.agency, quarter=ref.quarter)
    content = workbook_build(
        spec=spec,
        submission=ref.submission,
        values=selectors.submission_values(submission=ref.submission),
        user=request.user,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(spec=spec)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
def workbook_upload(request, year: int, quarter: int, code: str):
    """A filled workbook, checked whole, saved as an edit by the agency's own reporter and kept for audit
    (one service: workbook_import). On any error nothing is saved and the errors are listed by sheet and
    cell. Template: reporting/workbook_errors.html."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    if not selectors.reports_for_agency(request.user, agency_id=ref.agency.pk):
        raise PermissionDenied
    spec = selectors.form_spec(program=program, agency=ref.agency, quarter=ref.quarter)
    form = WorkbookUploadForm(request.POST, request.FILES, problem=getattr(request, "upload_problem", None))
    if not ratelimit.hit("workbook-upload", str(request.user.pk), limit=UPLOADS_PER_WINDOW, window=UPLOAD_WINDOW):
        errors = [_("Bạn đã tải lên quá nhiều tệp trong ít phút; vui lòng đợi %(m)s phút rồi thử lại.")
                  % {"m": UPLOAD_WINDOW // 60}]  # fmt: skip
        return _upload_errors(request, program, ref, errors, status=429)
    if form.is_valid():
        loaded = form.cleaned_data["book"]
        result = workbook_import(submission=ref.submission, user=request.user, spec=spec, loaded=loaded)
        if result.unchanged:
            messages.info(
                request,
                _(
                    "Không có thay đổi: mọi số liệu trong tệp Excel đã có trong báo cáo (tệp đã được tải lên trước "
                    "đó, hoặc số liệu đã được nhập trên web), nên không có gì cần lưu."
                ),
            )
            return redirect(ref.submission.get_absolute_url())
        if result.ok:
            _report_saved(request, result.saved)
            return redirect(ref.submission.get_absolute_url())
        errors = result.errors
    else:
        errors = [e for errs in form.errors.values() for e in errs]
    return _upload_errors(request, program, ref, errors)


def _upload_errors(request, program, ref, errors: list, status: int = 200):
    """The refused upload's page: its errors by sheet and cell, and the form to try again."""
    return render(
        request,
        "reporting/workbook_errors.html",
        {
            "program": program,
            "ref": ref,
            "cell_errors": [e for e in errors if isinstance(e, CellError)],
            "file_errors": [e for e in errors if not isinstance(e, CellError)],
            "upload_form": WorkbookUploadForm(),
            "editable": selectors.submission_may_edit(request.user, submission=ref.submission),
        },
        status=status,
    )


def _report_saved(request, saved: services.SaveResult) -> None:
    if saved.changed:
        messages.success(
            request,
            _("Đã nhận tệp Excel: đã lưu %(n)s thay đổi. Báo cáo vẫn là bản nháp: xem lại rồi bấm “Gửi báo cáo”.")
            % {"n": saved.changed},
        )
    else:
        messages.info(request, _("Đã nhận tệp Excel: không có số liệu nào thay đổi."))
    if saved.warnings:
        messages.warning(
            request,
            _("Có %(n)s số liệu thay đổi hơn 50%% so với quý trước; khi gửi, vui lòng giải trình ngắn gọn.")
            % {"n": len(saved.warnings)},
        )


@require_GET
def workbook_upload_file(request, year: int, quarter: int, code: str, pk: int):
    """A stored upload, to DOLISA's officers and the agency's own reporters (404 for anyone else)."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    upload = selectors.workbook_upload_for(request.user, submission=ref.submission, pk=pk)
    response = FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name,
                            content_type=CONTENT_TYPE)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    security.log_event("upload_download", request=request, upload=upload.pk)
    return response


urlpatterns = [
    path(
        "submissions/<int:year>/q<int:quarter>/<slug:code>/workbook.xlsx", workbook_download, name="workbook_download"
    ),
    path("submissions/<int:year>/q<int:quarter>/<slug:code>/upload/", workbook_upload, name="workbook_upload"),
    path(
        "submissions/<int:year>/q<int:quarter>/<slug:code>/uploads/<int:pk>/",
        workbook_upload_file,
        name="workbook_upload_file",
    ),
]
