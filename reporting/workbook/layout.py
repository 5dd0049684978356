"""Which field of the quarterly form is in which cell: one layout, from the agency's form spec, that
the writer (build.py) and the reader (read.py) both follow, so a form error is reported at the cell
it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from activities.models import ActivityRole
from core.formatting import fmt_int, fmt_pct, fmt_vnd

from ..fields import ACT_NUMBERS, ACT_TEXTS, COMMUNE_BUDGET, act_field, commune_field, ind_field, out_field
from ..forms import SubmissionForm, WholeNumberField
from ..models import CommuneStatus
from ..selectors import FormSpec

HEADER_ROW = 4  # title, note, blank line, then the header
FIRST_ROW = HEADER_ROW + 1

# What an input cell holds, from the form field behind it (one place for the rules: the form).
COUNT, MONEY, FLAG, STATUS, TEXT = "count", "money", "flag", "status", "text"

CHECKED_KEY = "RS"  # the Xã sheet's last row: the district has looked at every commune
GENERAL_FIELDS = ("difficulties", "proposals", "change_explanation")


@dataclass(frozen=True)
class Input:
    """An input cell: the SubmissionForm field it fills."""

    field: str


@dataclass
class Row:
    key: str  # written in column A, checked when the workbook comes back
    label: str  # names the row in error messages
    cells: list  # column B onwards: static values, or Input


@dataclass
class Slot:
    """Where an input is: its sheet, row and column, and what it is called in an error message."""

    sheet: SheetLayout
    row: int
    column: int
    item: str

    @property
    def cell(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass
class SheetLayout:
    title: str
    heading: str
    columns: list[tuple[str, int]]  # header, width; column A is the key
    rows: list[Row] = field(default_factory=list)

    def inputs(self):
        """(row number, column number, row, Input) for every input cell of the sheet."""
        for i, row in enumerate(self.rows):
            for j, cell in enumerate(row.cells):
                if isinstance(cell, Input):
                    yield FIRST_ROW + i, j + 2, row, cell

    def slot(self, r: int, c: int, row: Row) -> Slot:
        return Slot(self, r, c, f"{row.label} – {self.columns[c - 1][0]}")


@dataclass
class WorkbookLayout:
    spec: FormSpec
    form: SubmissionForm  # unbound: its fields give labels, kinds and limits
    sheets: list[SheetLayout]

    def slots(self) -> dict[str, Slot]:
        """Every input's place, by its form field."""
        return {inp.field: sheet.slot(r, c, row) for sheet in self.sheets for r, c, row, inp in sheet.inputs()}

    def kind(self, name: str) -> str:
        f = self.form.fields[name]
        if isinstance(f, WholeNumberField):
            return MONEY if f.money else COUNT
        if isinstance(f, forms.BooleanField):
            return FLAG
        if isinstance(f, forms.ChoiceField):
            return STATUS
        return TEXT

    @property
    def fingerprint(self) -> str:
        """Changes whenever a field, its place or its kind changes (not with the language)."""
        parts = [f"{n}@{self.sheets.index(s.sheet)}:{s.cell}:{self.kind(n)}" for n, s in self.slots().items()]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def workbook_layout(*, spec: FormSpec) -> WorkbookLayout:
    """The sheets of an agency's workbook, from its form spec (the same spec as its web form): the
    instructions (text only, written apart), then a sheet for each part of the form the agency fills."""
    form = SubmissionForm(spec=spec)
    label = {name: str(f.label) for name, f in form.fields.items()}
    sheets = [SheetLayout(_("Hướng dẫn"), "", [])]
    if spec.indicators:
        sheets.append(_indicator_sheet(spec))
    if spec.communes and spec.flags:
        sheets.append(_commune_sheet(spec, label))
    if spec.activities:
        sheets.append(_activity_sheet(spec))
    if spec.outputs:
        sheets.append(_output_sheet(spec))
    if spec.reports_budget:
        sheets.append(_budget_sheet(spec, label))
    sheets.append(_general_sheet(label))
    return WorkbookLayout(spec=spec, form=form, sheets=sheets)


def _indicator_sheet(spec: FormSpec) -> SheetLayout:
    s = SheetLayout(
        _("Chỉ số"),
        _("Chỉ số các mục tiêu 1–4: tử số và mẫu số của huyện"),
        [(_("Mã"), 6), (_("Chỉ số"), 48), (_("Tử số"), 12), (_("Mẫu số"), 12), (_("Chỉ tiêu"), 9),
         (_("Tử số là"), 48), (_("Mẫu số là"), 48)],
    )  # fmt: skip
    for ind in spec.indicators:
        s.rows.append(
            Row(ind.code, _("Chỉ số %(code)s") % {"code": ind.code},
                [ind.name, Input(ind_field(ind.pk, "num")), Input(ind_field(ind.pk, "den")), fmt_pct(ind.goal),
                 ind.numerator_label, ind.denominator_label])
        )  # fmt: skip
    return s


def _commune_sheet(spec: FormSpec, label: dict[str, str]) -> SheetLayout:
    by_flag = {i.flag: i for i in spec.ticked}
    headers = [
        (f"{by_flag[f].code}. {str(CommuneStatus._meta.get_field(f).verbose_name).capitalize()}", 24)
        for f in spec.flags
    ]
    s = SheetLayout(
        _("Xã"),
        _("Mục tiêu 5 và 6: chọn “Có” cho các xã, phường, thị trấn đạt tiêu chí"),
        [(_("Mã"), 8), (_("Xã, phường, thị trấn"), 28), *headers],
    )
    for c in spec.communes:
        s.rows.append(Row(c.code, c.name, [c.name, *(Input(commune_field(c.pk, f)) for f in spec.flags)]))
    s.rows.append(Row(CHECKED_KEY, label["communes_checked"], [label["communes_checked"], Input("communes_checked")]))
    return s


def _activity_sheet(spec: FormSpec) -> SheetLayout:
    s = SheetLayout(
        _("Hoạt động"),
        _("Các hoạt động cơ quan chủ trì hoặc phối hợp: kết quả trong quý"),
        [(_("Mã"), 9), (_("Nội dung hoạt động"), 60), (_("Vai trò"), 10), (_("Tình trạng"), 22),
         (_("Trẻ em nam"), 11), (_("Trẻ em nữ"), 11),
         (_("Kinh phí đã chi (đồng)"), 16), (_("Kết quả thực hiện"), 48), (_("Khó khăn"), 36), (_("Đề xuất"), 36)],
    )  # fmt: skip
    roles = dict(ActivityRole.Role.choices)
    for item in spec.activities:
        a = item.activity.pk
        s.rows.append(
            Row(item.activity.code, _("Hoạt động %(code)s") % {"code": item.activity.code},
                [item.activity.text, roles.get(item.role, item.role), Input(act_field(a, "status")),
                 *(Input(act_field(a, n)) for n in ACT_NUMBERS), *(Input(act_field(a, t)) for t in ACT_TEXTS)])
        )  # fmt: skip
    return s


def _output_sheet(spec: FormSpec) -> SheetLayout:
    s = SheetLayout(
        _("Chỉ tiêu đầu ra"),
        _("Số lượng đạt được trong quý của từng chỉ tiêu đầu ra"),
        [(_("Mã"), 11), (_("Hoạt động"), 10), (_("Chỉ tiêu đầu ra"), 56), (_("Số lượng đạt trong quý"), 16),
         (_("Kế hoạch năm"), 16), (_("Đơn vị tính"), 12), (_("Cách tổng hợp"), 24)],
    )  # fmt: skip
    for item in spec.activities:
        for out in item.outputs:
            planned = fmt_vnd(out.quantity) if out.is_money else fmt_int(out.quantity)
            s.rows.append(
                Row(out.code, _("Chỉ tiêu %(code)s") % {"code": out.code},
                    [item.activity.code, out.label, Input(out_field(out.pk)), planned, out.unit,
                     out.aggregation_label])
            )  # fmt: skip
    return s


def _budget_sheet(spec: FormSpec, label: dict[str, str]) -> SheetLayout:
    """The district's own budget, then each commune's (VII.2: a floor per commune); the communes' total
    is the portal's sum, not a cell."""
    s = SheetLayout(
        _("Kinh phí"),
        _("Kinh phí bố trí trong năm cho công tác bảo vệ, chăm sóc trẻ em (đồng): cấp huyện và từng xã"),
        [(_("Mã"), 8), (_("Nội dung"), 52), (_("Số tiền (đồng)"), 20), (_("Mức tối thiểu theo quyết định"), 24)],
    )
    s.rows.append(
        Row(
            "H",
            label["district_budget"],
            [label["district_budget"], Input("district_budget"), fmt_vnd(spec.district_floor)],
        )
    )
    floor = fmt_vnd(spec.program.commune_budget_floor)
    for c in spec.communes:
        name = commune_field(c.pk, COMMUNE_BUDGET)
        s.rows.append(Row(c.code, label[name], [c.name, Input(name), floor]))
    return s


def _general_sheet(label: dict[str, str]) -> SheetLayout:
    s = SheetLayout(
        _("Chung"),
        _("Khó khăn, đề xuất chung và giải trình"),
        [(_("STT"), 6), (_("Nội dung"), 44), (_("Ý kiến của cơ quan"), 90)],
    )
    for i, name in enumerate(GENERAL_FIELDS, start=1):
        s.rows.append(Row(str(i), label[name], [label[name], Input(name)]))
    return s
