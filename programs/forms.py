from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityRole, OutputTarget
from core.forms import DayField

from .models import Agency, ProvincialReport, Quarter


class QuarterForm(forms.ModelForm):
    class Meta:
        model = Quarter
        fields = ["start", "end", "entry_deadline"]
        field_classes = {"start": DayField, "end": DayField, "entry_deadline": DayField}


class ProvincialReportForm(forms.ModelForm):
    quarters = forms.ModelMultipleChoiceField(
        label=_("Các quý tổng hợp"), queryset=Quarter.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ProvincialReport
        fields = ["due_date", "quarters"]
        field_classes = {"due_date": DayField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarters"].queryset = self.instance.program.quarters.order_by("number")


# ------------------------------------------------------------------------------------------------
# The next year and DOLISA's editor (programs.years)
# ------------------------------------------------------------------------------------------------
class NextYearForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40)
    decision_date = DayField(label=_("Ngày quyết định"))
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"), max_length=120, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một chức danh, như trên văn bản (ví dụ: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)."),
    )  # fmt: skip
    signer_name = forms.CharField(label=_("Người ký"), max_length=120)


GOAL = {"min_value": 0, "max_value": 100, "max_digits": 5, "decimal_places": 2}


class TargetForm(forms.Form):
    """A target's wording and goal and its indicators' goals (one field per indicator, `goal_<code>`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Nội dung mục tiêu"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.DecimalField(label=_("Chỉ tiêu của mục tiêu (%)"), **GOAL)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_codes = []
        for indicator in indicators:
            name = f"goal_{indicator.code}"
            self.fields[name] = forms.DecimalField(
                label=_("Chỉ tiêu của chỉ số %(c)s (%%)") % {"c": indicator.code}, help_text=indicator.name, **GOAL
            )
            self.initial.setdefault(name, indicator.goal)
            self.indicator_codes.append(indicator.code)

    def indicator_goals(self) -> dict:
        return {code: self.cleaned_data[f"goal_{code}"] for code in self.indicator_codes}


class TargetAddForm(forms.Form):
    number = forms.IntegerField(label=_("Số mục tiêu"), min_value=1, max_value=99, help_text=_("Ví dụ: 7"))
    text = forms.CharField(label=_("Nội dung mục tiêu"), widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(label=_("Nội dung tiếng Anh"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("Hiển thị khi người dùng chọn giao diện tiếng Anh."))  # fmt: skip
    goal = forms.DecimalField(label=_("Chỉ tiêu của mục tiêu (%)"), **GOAL)


class IndicatorForm(forms.Form):
    """A new indicator: the districts report its numerator and denominator."""

    code = forms.CharField(label=_("Mã chỉ số"), max_length=10, help_text=_("Ví dụ: 7"))
    name = forms.CharField(label=_("Tên chỉ số"), max_length=300)
    name_en = forms.CharField(label=_("Tên chỉ số tiếng Anh"), max_length=300, required=False)
    numerator_label = forms.CharField(label=_("Tử số"), widget=forms.Textarea(attrs={"rows": 2}))
    denominator_label = forms.CharField(label=_("Mẫu số"), widget=forms.Textarea(attrs={"rows": 2}))
    goal = forms.DecimalField(label=_("Chỉ tiêu (%)"), **GOAL)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.replace(".", "").isalnum():
            raise forms.ValidationError(_("Mã chỉ số chỉ gồm chữ, số và dấu chấm (ví dụ: 7 hoặc 5c)."), code="code")
        return code


class ActivityForm(forms.Form):
    code = forms.CharField(label=_("Mã hoạt động"), max_length=16, help_text=_("Ví dụ: I.1.20"))
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = agencies


class OutputForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = OutputTarget
        fields = ["code", "label", "quantity", "unit", "aggregation"]


class OutputEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = OutputTarget
        fields = ["label", "quantity", "unit"]


class RoleForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    role = forms.ChoiceField(label=_("Vai trò"), choices=ActivityRole.Role.choices)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
