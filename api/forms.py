"""The tokens page's form: a name for a new token (what will use it)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên khóa"),
        max_length=100,
        help_text=_("Hệ thống hoặc công việc sẽ dùng khóa, để nhận ra khóa về sau."),
        error_messages={"required": _("Vui lòng đặt tên cho khóa (ví dụ: tên hệ thống sẽ dùng khóa).")},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
