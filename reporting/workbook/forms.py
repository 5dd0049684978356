"""The upload form: one filled workbook, checked for size and opened as an .xlsx (its cells are read
by the import)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formatting import fmt_int

from .build import CONTENT_TYPE
from .read import MAX_UPLOAD_BYTES, LoadedWorkbook, too_large_message, workbook_load


class WorkbookUploadForm(forms.Form):
    """A filled workbook: at most 5 MB, and a real .xlsx (opened here; the cells are read later)."""

    book = forms.FileField(
        label=gettext_lazy("Tệp Excel đã điền (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Vui lòng chọn tệp Excel (.xlsx) để tải lên."),
            "empty": gettext_lazy("Tệp tải lên rỗng."),
            "invalid": gettext_lazy("Vui lòng chọn tệp Excel (.xlsx) để tải lên."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx," + CONTENT_TYPE, "class": "form-control form-control-sm"}
        ),
    )

    def __init__(self, *args, problem: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.problem = problem  # found by reporting.middleware.UploadGuardMiddleware in the raw request

    def clean_book(self) -> LoadedWorkbook:
        if self.problem == "path_in_name":
            raise ValidationError(
                _("Tên tệp không hợp lệ: tên tệp không được chứa đường dẫn (/, \\ hoặc ..)."), code="path_in_name"
            )
        if self.problem == "too_large":
            raise ValidationError(
                _("Tệp quá lớn; tối đa %(max)s MB.") % {"max": fmt_int(MAX_UPLOAD_BYTES // (1024 * 1024))},
                code="too_large",
            )
        upload = self.cleaned_data["book"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(too_large_message(upload.size), code="too_large")
        return workbook_load(upload.read(), name=upload.name)
