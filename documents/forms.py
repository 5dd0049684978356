from django import forms
from django.utils.translation import gettext_lazy as _

MAX_NUMBER = 99_999


class RegisterForm(forms.Form):
    """An officer's setting of DOLISA's register: the next number of a year's reports
    (documents.services.register_update)."""

    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    next_number = forms.IntegerField(
        label=_("Số tiếp theo"), min_value=1, max_value=MAX_NUMBER,
        help_text=_("Số mà báo cáo ban hành tiếp theo sẽ nhận. Nếu Sở đã cấp số cho văn bản khác ngoài cổng, đặt số "
                    "lớn hơn số đã cấp."),
    )  # fmt: skip
