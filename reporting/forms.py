"""The quarterly form, generated from what the program assigns an agency (selectors.form_spec), and
the review forms. Field rules live here; rules across objects live in services."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.formatting import fmt_int

from .fields import ACT_NUMBERS, ACT_TEXTS, act_field, commune_field, ind_field, initial_from, out_field
from .lean_form import LeanForm, shared_fields
from .models import ActivityProgress, CommuneStatus
from .selectors import FormSpec, Values

# Plausible bounds: far above anything a district or agency reports in a quarter.
MAX_COUNT = 1_000_000
MAX_MONEY = 1_000_000_000_000  # 1.000 tỷ đồng
MAX_TEXT = 4000

_GROUPED = re.compile(r"^\d{1,3}([.\s\u00a0]\d{3})+$")


class WholeNumberField(forms.CharField):
    """A whole, non-negative number. Accepts Vietnamese thousands separators (150.000.000) and
    spaces; refuses decimals, signs and text with a message in Vietnamese."""

    def __init__(self, *, max_value: int = MAX_COUNT, money: bool = False, **kwargs):
        self.max_value, self.money = max_value, money
        kwargs.setdefault("required", False)
        super().__init__(strip=True, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "class": "form-control text-end"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, int):
            return fmt_int(value) if self.money else str(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = value.replace("\u00a0", " ").strip()
        if _GROUPED.match(text):
            text = re.sub(r"[.\s\u00a0]", "", text)
        if text.startswith("-") and text[1:].replace(".", "").replace(",", "").isdigit():
            raise ValidationError(_("Không được nhập số âm."), code="negative")
        if not (text.isascii() and text.isdigit()):  # "²" is a digit to isdigit(), not to int()
            if self.money and re.match(r"^\d+([.,]\d+)?$", text):
                raise ValidationError(_("Số tiền phải là số nguyên đồng, không có phần lẻ."), code="fraction")
            if re.match(r"^\d+[.,]\d+$", text):
                raise ValidationError(_("Vui lòng nhập số nguyên (không có phần thập phân)."), code="fraction")
            raise ValidationError(_("Vui lòng nhập một số nguyên không âm."), code="invalid")
        number = int(text)
        if number > self.max_value:
            raise ValidationError(_("Số quá lớn: tối đa %(max)s.") % {"max": fmt_int(self.max_value)}, code="too_large")
        return number


def _text_field(label, rows=2, max_length=MAX_TEXT):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control"}),
        error_messages={"max_length": _("Tối đa %(limit_value)d ký tự (hiện có %(show_value)d).")},
    )


class SubmissionForm(LeanForm):
    """One form for the whole quarterly report; nothing is saved unless all of it is valid. Its
    hundreds of fields are cleaned and shared as reporting.lean_form does."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, spec: FormSpec, values: Values | None = None, submission=None, **kwargs):
        self.spec = spec
        if "initial" not in kwargs and values is not None:
            kwargs["initial"] = initial_from(spec=spec, values=values, submission=submission)
        super().__init__(*args, **kwargs)
        key = f"form-fields:{spec.agency.pk}:{spec.quarter.pk}"
        self.fields.update(shared_fields(key, lambda: _build_fields(spec)))

    def clean(self):
        data = super().clean()
        for ind in self.spec.indicators:
            num, den = data.get(ind_field(ind.pk, "num")), data.get(ind_field(ind.pk, "den"))
            if num is not None and den is not None and num > den:
                self.add_error(
                    ind_field(ind.pk, "num"),
                    ValidationError(_("Tử số (%(n)s) không được lớn hơn mẫu số (%(d)s)."), code="num_gt_den",
                                    params={"n": fmt_int(num), "d": fmt_int(den)}),
                )  # fmt: skip
            if (num is None) != (den is None):
                missing = ind_field(ind.pk, "den") if den is None else ind_field(ind.pk, "num")
                self.add_error(missing, ValidationError(_("Vui lòng nhập cả tử số và mẫu số."), code="pair"))
        return data


def _build_fields(spec: FormSpec) -> dict[str, forms.Field]:
    f: dict[str, forms.Field] = {}
    for ind in spec.indicators:
        f[ind_field(ind.pk, "num")] = WholeNumberField(label=_("Tử số"), help_text=ind.numerator_label)
        f[ind_field(ind.pk, "den")] = WholeNumberField(label=_("Mẫu số"), help_text=ind.denominator_label)
    for commune in spec.communes:
        for flag in spec.flags:
            f[commune_field(commune.pk, flag)] = forms.BooleanField(required=False, label=commune.name)
    status_choices = [("", _("— chọn —")), *ActivityProgress.Status.choices]
    for item in spec.activities:
        a = item.activity.pk
        f[act_field(a, "status")] = forms.ChoiceField(
            label=_("Tình trạng"), choices=status_choices, required=False,
            widget=forms.Select(attrs={"class": "form-select"}),
        )  # fmt: skip
        f[act_field(a, "boys")] = WholeNumberField(label=_("Trẻ em nam"))
        f[act_field(a, "girls")] = WholeNumberField(label=_("Trẻ em nữ"))
        f[act_field(a, "money")] = WholeNumberField(label=_("Kinh phí đã chi (đồng)"), max_value=MAX_MONEY, money=True)
        f[act_field(a, "account")] = _text_field(_("Kết quả thực hiện"), rows=3)
        f[act_field(a, "difficulties")] = _text_field(_("Khó khăn"))
        f[act_field(a, "proposals")] = _text_field(_("Đề xuất"))
        for out in item.outputs:
            f[out_field(out.pk)] = WholeNumberField(
                label=out.label, max_value=MAX_MONEY if out.is_money else MAX_COUNT, money=out.is_money
            )
    if spec.reports_budget:
        f["district_budget"] = WholeNumberField(
            label=_("Kinh phí cấp huyện bố trí trong năm (đồng)"), max_value=MAX_MONEY, money=True
        )
        f["communes_budget"] = WholeNumberField(
            label=_("Tổng kinh phí bố trí cho cấp xã trong năm (đồng)"), max_value=MAX_MONEY, money=True
        )
    f["difficulties"] = _text_field(_("Khó khăn, vướng mắc chung"), rows=3)
    f["proposals"] = _text_field(_("Đề xuất, kiến nghị chung"), rows=3)
    f["change_explanation"] = _text_field(_("Giải trình số liệu thay đổi lớn so với quý trước"), rows=2)
    return f


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến của Sở (lý do trả lại)"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi rõ lý do trả lại để cơ quan chỉnh sửa.")},
    )  # fmt: skip
    reopen_until = forms.DateField(
        label=_("Cho phép chỉnh sửa đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AcceptForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến (không bắt buộc)"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ReopenForm(forms.Form):
    until = forms.DateField(
        label=_("Mở lại đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Layout: the form's fields grouped as the page shows them
# ------------------------------------------------------------------------------------------------
class Layout:
    """The bound fields of a SubmissionForm grouped by section, with warnings attached."""

    def __init__(self, form: SubmissionForm, warnings: dict[str, str] | None = None):
        self.form, self.spec, self.warnings = form, form.spec, warnings or {}

    def _bf(self, name):
        bf = self.form[name]
        bf.warning = self.warnings.get(name)
        return bf

    @property
    def indicators(self):
        return [
            {"indicator": i, "num": self._bf(ind_field(i.pk, "num")), "den": self._bf(ind_field(i.pk, "den"))}
            for i in self.spec.indicators
        ]

    @property
    def communes(self):
        return [
            {"commune": c, "flags": [self._bf(commune_field(c.pk, flag)) for flag in self.spec.flags]}
            for c in self.spec.communes
        ]

    @property
    def activities(self):
        rows = []
        for item in self.spec.activities:
            a = item.activity.pk
            rows.append(
                {
                    "item": item,
                    "status": self._bf(act_field(a, "status")),
                    "numbers": [self._bf(act_field(a, n)) for n in ACT_NUMBERS],
                    "texts": [self._bf(act_field(a, t)) for t in ACT_TEXTS],
                    "outputs": [{"output": o, "field": self._bf(out_field(o.pk))} for o in item.outputs],
                }
            )
        return rows

    @property
    def budget(self):
        if not self.spec.reports_budget:
            return None
        return {"district": self._bf("district_budget"), "communes": self._bf("communes_budget")}

    @property
    def general(self):
        return [self._bf(n) for n in ("difficulties", "proposals", "change_explanation")]


def _value(data: dict, name: str):
    value = data.get(name)
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def summarize(*, spec: FormSpec, data: dict) -> dict:
    """What is filled, section by section, and the budget against its floors (shown above the form)."""
    ind_done = sum(
        1
        for i in spec.indicators
        if _value(data, ind_field(i.pk, "num")) is not None and _value(data, ind_field(i.pk, "den")) is not None
    )
    flags = []
    for flag in spec.flags:
        ticked = sum(1 for c in spec.communes if data.get(commune_field(c.pk, flag)))
        flags.append({"label": CommuneStatus._meta.get_field(flag).verbose_name, "ticked": ticked})
    act_done = sum(1 for item in spec.activities if _value(data, act_field(item.activity.pk, "status")))
    outputs = spec.outputs
    out_done = sum(1 for o in outputs if _value(data, out_field(o.pk)) is not None)
    budget = None
    if spec.reports_budget:
        district, communes = _value(data, "district_budget"), _value(data, "communes_budget")
        budget = {
            "district": district,
            "communes": communes,
            "district_floor": spec.district_floor,
            "communes_floor": spec.communes_floor,
            "district_shortfall": max(0, spec.district_floor - district) if district is not None else None,
            "communes_shortfall": max(0, spec.communes_floor - communes) if communes is not None else None,
        }
    return {
        "indicators": (ind_done, len(spec.indicators)),
        "flags": flags,
        "communes": len(spec.communes),
        "activities": (act_done, len(spec.activities)),
        "outputs": (out_done, len(outputs)),
        "budget": budget,
    }
