"""Forms of the incidents app: the shape of each field, with messages in Vietnamese. Rules across
fields and objects (the commune in its district, no date in the future, at least one child) live in
incidents.services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DayField, DayInput
from core.numbers import WholeNumberField, query_number
from programs.models import AdminUnit

from .models import AGE_BANDS, COUNT_FIELDS, SEXES, Incident

MAX_CHILDREN = 500  # per sex and age band: far above any single case
MAX_TEXT = 4000

NO_IDENTITY = _(
    "Không ghi tên, địa chỉ, ngày sinh, số định danh, số điện thoại, hình ảnh hay bất kỳ thông tin nào giúp "
    "nhận biết trẻ em hoặc gia đình trẻ."
)


class SubmitToken(forms.UUIDField):
    """A hidden token, new with each form shown, that makes sending the form idempotent: the service files
    once per token (a double click, a retry after a lost answer). Kept when the form comes back with errors."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.HiddenInput, initial=uuid.uuid4, **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return obj.name


def _place_field(label, *, required: str, invalid: str) -> UnitChoiceField:
    """A district or commune to choose (the form's __init__ gives the choices): `required` and `invalid`
    are the messages for none and for one outside the list."""
    return UnitChoiceField(
        label=label,
        queryset=AdminUnit.objects.none(),
        empty_label=_("— chọn —"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": required, "invalid_choice": invalid},
    )


def _count_field(label) -> WholeNumberField:
    return WholeNumberField(
        label=label,
        max_value=MAX_CHILDREN,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm text-end", "min": 0}),
        error_messages={
            "invalid": _("Vui lòng nhập số nguyên không âm."),
            "fraction": _("Vui lòng nhập số nguyên không âm."),
            "negative": _("Số trẻ em không được âm."),
            "too_large": _("Số quá lớn: tối đa %(limit_value)s trẻ em."),
        },
    )


def _text(label, *, required: bool, help_text="", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
        error_messages={
            "required": _("Vui lòng ghi rõ nội dung này."),
            "max_length": _("Tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )


class IncidentForm(forms.Form):
    """The filing form: when, where, what kind, how many children by sex and age band, what was done,
    who is involved, what is still needed. It never asks who the children are."""

    occurred_on = DayField(
        label=_("Ngày xảy ra"),
        widget=DayInput(attrs={"class": "form-control"}),
        error_messages={"required": _("Vui lòng nhập ngày xảy ra.")},
    )
    district = _place_field(
        _("Huyện, thị xã, thành phố"),
        required=_("Vui lòng chọn huyện, thị xã, thành phố."),
        invalid=_("Vui lòng chọn một huyện, thị xã, thành phố của tỉnh."),
    )
    commune = _place_field(
        _("Xã, phường, thị trấn"),
        required=_("Vui lòng chọn xã, phường, thị trấn."),
        invalid=_("Vui lòng chọn một xã, phường, thị trấn trong danh sách."),
    )
    kind = forms.ChoiceField(
        label=_("Loại vụ việc"),
        choices=Incident.Kind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Vui lòng chọn loại vụ việc."),
            "invalid_choice": _("Loại vụ việc không hợp lệ."),
        },
    )
    actions = _text(_("Các biện pháp đã thực hiện"), required=True, help_text=NO_IDENTITY, rows=4)
    police_involved = forms.BooleanField(label=_("Cơ quan công an"), required=False)
    health_involved = forms.BooleanField(label=_("Cơ quan y tế"), required=False)
    justice_involved = forms.BooleanField(label=_("Cơ quan tư pháp, tòa án, viện kiểm sát"), required=False)
    other_involved = forms.BooleanField(label=_("Cơ quan, tổ chức khác"), required=False)
    other_involved_text = forms.CharField(
        label=_("Cơ quan, tổ chức khác là"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    needs = _text(_("Những hỗ trợ còn cần"), required=False, help_text=NO_IDENTITY)
    token = SubmitToken()

    def __init__(self, *args, districts: list[AdminUnit], communes: dict[int, list[AdminUnit]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdminUnit.objects.filter(pk__in=[d.pk for d in districts])
        self.fields["commune"].queryset = AdminUnit.objects.filter(
            pk__in=[c.pk for group in communes.values() for c in group]
        )
        # The selects list the units in the program's order, grouped by district (no query per option).
        self.fields["district"].choices = [("", _("— chọn —")), *((d.pk, d.name) for d in districts)]
        self.fields["commune"].choices = [
            ("", _("— chọn —")),
            *((d.name, [(c.pk, c.name) for c in communes.get(d.pk, [])]) for d in districts),
        ]
        for band, band_label in AGE_BANDS:
            for sex, sex_label in SEXES:
                self.fields[f"{sex}_{band}"] = _count_field(f"{sex_label} – {band_label}")

    def clean(self):
        data = super().clean()
        for name in COUNT_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        if data.get("other_involved") and not (data.get("other_involved_text") or "").strip():
            self.add_error("other_involved_text", _("Vui lòng ghi rõ cơ quan, tổ chức khác."))
        return data

    @property
    def count_rows(self):
        """(age band, boys field, girls field) for the counts table."""
        return [(label, self[f"boys_{band}"], self[f"girls_{band}"]) for band, label in AGE_BANDS]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Ghi chú theo dõi"),
        max_length=MAX_TEXT,
        help_text=NO_IDENTITY,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Vui lòng nhập nội dung ghi chú."),
                        "max_length": _("Tối đa %(limit_value)d ký tự (hiện có %(show_value)d).")},
    )  # fmt: skip
    token = SubmitToken()


class CloseForm(forms.Form):
    note = _text(_("Ghi chú (không bắt buộc)"), required=False, rows=2)


class FilterForm(forms.Form):
    """The list's filters (GET). A value that does not parse is ignored, never an error page."""

    kind = forms.ChoiceField(label=_("Loại vụ việc"), required=False,
                             choices=[("", _("Tất cả")), *Incident.Kind.choices])  # fmt: skip
    district = forms.ModelChoiceField(label=_("Huyện"), required=False, queryset=AdminUnit.objects.none(),
                                      empty_label=_("Tất cả"))  # fmt: skip
    status = forms.ChoiceField(label=_("Tình trạng"), required=False,
                               choices=[("", _("Tất cả")), *Incident.Status.choices])  # fmt: skip
    date_from = DayField(label=_("Xảy ra từ ngày"), required=False)
    date_to = DayField(label=_("đến ngày"), required=False)

    def __init__(self, *args, districts: list[AdminUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdminUnit.objects.filter(pk__in=[d.pk for d in districts])
        self.fields["district"].choices = [("", _("Tất cả")), *((d.pk, d.name) for d in districts)]
        self._districts = {d.pk: d for d in districts}
        for f in self.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs["class"] = css

    def filters(self):
        """The valid filters (each invalid one dropped)."""
        from .selectors import IncidentFilters

        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        district = self._districts.get(query_number(self.data, "district"))
        return IncidentFilters(
            kind=data.get("kind") or None,
            district=district,
            status=data.get("status") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
