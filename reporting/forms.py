"""The quarterly form, generated from what the program assigns an agency (selectors.form_spec), and
the review forms. Field rules live here; rules across objects live in services."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import numbers
from core.formatting import fmt_int
from core.forms import DayField

from .fields import ACT_NUMBERS, ACT_TEXTS, COMMUNE_BUDGET, act_field, commune_field, ind_field, initial_from, out_field
from .lean_form import LeanForm
from .models import ActivityProgress, CommuneStatus
from .selectors import FormSpec, Values

# Plausible bounds: far above anything a district or agency reports in a quarter.
MAX_COUNT = 1_000_000
MAX_MONEY = 1_000_000_000_000  # 1.000 tỷ đồng
MAX_TEXT = 4000


class WholeNumberField(numbers.WholeNumberField):
    """A whole, non-negative number of the quarterly form, read by the portal's one parser (core.numbers)."""

    def __init__(self, *, max_value: int = MAX_COUNT, money: bool = False, **kwargs):
        super().__init__(max_value=max_value, money=money, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "class": "form-control text-end"}


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
        self.use_shared_fields(f"form-fields:{spec.agency.pk}:{spec.quarter.pk}", lambda: _build_fields(spec))

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
        if spec.reports_budget:
            f[commune_field(commune.pk, COMMUNE_BUDGET)] = WholeNumberField(
                label=_("Kinh phí bố trí cho %(c)s trong năm (đồng)") % {"c": commune.name},
                max_value=MAX_MONEY, money=True,
            )  # fmt: skip
    if spec.flags:
        f["communes_checked"] = forms.BooleanField(
            required=False,
            label=_("Đã rà soát tất cả các xã: xã không được đánh dấu là xã chưa đạt"),
            help_text=_("Nếu không đánh dấu ô này và không đánh dấu xã nào, chỉ tiêu được tính là chưa báo cáo."),
        )
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
                label=_output_label(out, spec), max_value=MAX_MONEY if out.is_money else MAX_COUNT, money=out.is_money
            )
    if spec.reports_budget:
        f["district_budget"] = WholeNumberField(
            label=_("Kinh phí cấp huyện bố trí trong năm (đồng)"), max_value=MAX_MONEY, money=True
        )
    f["difficulties"] = _text_field(_("Khó khăn, vướng mắc chung"), rows=3)
    f["proposals"] = _text_field(_("Đề xuất, kiến nghị chung"), rows=3)
    f["change_explanation"] = _text_field(_("Giải trình số liệu thay đổi lớn so với quý trước"), rows=2)
    return f


def _output_label(out, spec: FormSpec) -> str:
    """What the agency enters: the quantity, or for an average per commune the count it is made of."""
    if not out.is_per_commune:
        return out.label
    return _(
        "%(label)s: nhập TỔNG SỐ %(what)s tại %(n)s xã, phường, thị trấn của huyện (không nhập số bình quân; "
        "cổng tự chia cho số xã)"
    ) % {"label": out.label, "what": out.counted_unit, "n": len(spec.communes)}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến của Sở (lý do trả lại)"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi rõ lý do trả lại để cơ quan chỉnh sửa.")},
    )  # fmt: skip
    reopen_until = DayField(label=_("Cho phép chỉnh sửa đến ngày"), required=False)


class AcceptForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến (không bắt buộc)"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ReopenForm(forms.Form):
    until = DayField(label=_("Mở lại đến ngày"))
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=MAX_TEXT,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ReopenRequestForm(forms.Form):
    """An agency's request to DOLISA to reopen its locked report."""

    reason = forms.CharField(
        label=_("Lý do đề nghị mở lại"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng ghi rõ lý do đề nghị mở lại.")},
    )  # fmt: skip


class ReopenGrantForm(ReopenForm):
    """DOLISA grants a request to reopen: the date and comment of a reopening (ReopenForm)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].widget.attrs["class"] = "form-control"


class ReopenRefuseForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do không đồng ý"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Vui lòng ghi rõ lý do không đồng ý mở lại.")},
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Layout: the form's fields grouped as the page shows them
# ------------------------------------------------------------------------------------------------
class Layout:
    """The bound fields of a SubmissionForm grouped by section, with warnings attached and, for a
    reviewer, the previous quarter's value of each number. Each section is made once, however often
    the page reads it."""

    def __init__(self, form: SubmissionForm, warnings: dict[str, str] | None = None,
                 previous: dict[str, int] | None = None):  # fmt: skip
        self.form, self.spec, self.warnings, self.previous = form, form.spec, warnings or {}, previous

    def _bf(self, name):
        bf = self.form[name]
        bf.warning = self.warnings.get(name)
        bf.previous = None if self.previous is None else self.previous.get(name, 0)
        return bf

    @cached_property
    def indicators(self):
        return [
            {"indicator": i, "num": self._bf(ind_field(i.pk, "num")), "den": self._bf(ind_field(i.pk, "den"))}
            for i in self.spec.indicators
        ]

    @cached_property
    def communes(self):
        return [
            {"commune": c, "flags": [self._bf(commune_field(c.pk, flag)) for flag in self.spec.flags]}
            for c in self.spec.communes
        ]

    @cached_property
    def communes_checked(self):
        return self._bf("communes_checked") if self.spec.flags else None

    @cached_property
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

    @cached_property
    def budget(self):
        if not self.spec.reports_budget:
            return None
        return {
            "district": self._bf("district_budget"),
            "communes": [
                {"commune": c, "field": self._bf(commune_field(c.pk, COMMUNE_BUDGET))} for c in self.spec.communes
            ],
        }

    @cached_property
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
        district = _value(data, "district_budget")
        floor = spec.program.commune_budget_floor
        amounts = [(c, _value(data, commune_field(c.pk, COMMUNE_BUDGET))) for c in spec.communes]
        entered = [a for _c, a in amounts if isinstance(a, int)]
        budget = {
            "district": district,
            "communes": sum(entered) if entered else None,  # derived, never typed
            "communes_entered": len(entered),
            "commune_floor": floor,
            "below": [c.name for c, a in amounts if isinstance(a, int) and a < floor],
            "district_floor": spec.district_floor,
            "communes_floor": spec.communes_floor,
            "district_shortfall": max(0, spec.district_floor - district) if isinstance(district, int) else None,
        }
    return {
        "indicators": (ind_done, len(spec.indicators)),
        "flags": flags,
        "communes": len(spec.communes),
        "activities": (act_done, len(spec.activities)),
        "outputs": (out_done, len(outputs)),
        "budget": budget,
    }
