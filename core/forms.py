"""Form pieces every app uses: the day field, written and read as Vietnamese users write dates (dd/mm/yyyy),
whatever the browser's language.

A browser's own date input shows mm/dd/yyyy under an English browser; this one is a
text input (with a pattern, a placeholder and a calendar button added by static/js/day-input.js) that
shows and takes 20/03/2018. Addresses of filters may still carry ISO days (2018-03-20): read too.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formatting import DATE_PATTERN

DAY_INPUT_FORMATS = [DATE_PATTERN, "%Y-%m-%d"]
DAY_REGEX = r"\d{1,2}/\d{1,2}/\d{4}"


class DayInput(forms.DateInput):
    """A text input showing dd/mm/yyyy; day-input.js adds a calendar button that writes the same."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        base = {
            "placeholder": _("dd/mm/yyyy"),
            "pattern": DAY_REGEX,
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "data-day-input": "",
            "data-picker-label": _("Chọn ngày trên lịch"),
            "title": _("Ngày theo dạng ngày/tháng/năm, ví dụ 20/03/2018"),
        }
        super().__init__(attrs={**base, **(attrs or {})}, format=DATE_PATTERN)


class DayField(forms.DateField):
    """A date field read as dd/mm/yyyy (or ISO), with a Vietnamese message for anything else."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: hãy viết theo dạng ngày/tháng/năm, ví dụ 20/03/2018."),
    }
