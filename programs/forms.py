from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProvincialReport, Quarter


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuarterForm(forms.ModelForm):
    class Meta:
        model = Quarter
        fields = ["start", "end", "entry_deadline"]
        widgets = {"start": DateInput(), "end": DateInput(), "entry_deadline": DateInput()}


class ProvincialReportForm(forms.ModelForm):
    quarters = forms.ModelMultipleChoiceField(
        label=_("Các quý tổng hợp"), queryset=Quarter.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ProvincialReport
        fields = ["due_date", "quarters"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarters"].queryset = self.instance.program.quarters.order_by("number")
