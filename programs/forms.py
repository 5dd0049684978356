from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayField

from .models import ProvincialReport, Quarter


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
