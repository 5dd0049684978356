"""The offline round trip of the quarterly form: an .xlsx made for one agency and quarter, filled in
Excel and uploaded back.

One layout (`workbook_layout`) maps every field of reporting.forms.SubmissionForm to a sheet and a
cell; the writer and the reader both follow it, so a form error is reported at the cell it came from.
The upload goes through the same SubmissionForm validation and then reporting.services.submission_save
with the version written into the workbook when it was made: a workbook made before someone else's
save is a conflict, the deadline lock and the history apply as for any edit, and nothing is saved
unless the whole file is valid.

The workbook carries its identity (agency, year, quarter, version and a fingerprint of the layout),
signed with SECRET_KEY (django.core.signing), in a very hidden sheet: a workbook for another agency
or quarter, for an older layout, or with a forged identity is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from activities.models import ActivityRole
from core.formatting import fmt_int, fmt_pct, fmt_vnd
from core.spreadsheet import BORDER, FORMULA_PREFIXES, HEADER_FILL, INT_FORMAT, new_workbook, safe_text
from programs import calendar
from programs.models import Agency

from .. import services
from ..fields import ACT_NUMBERS, ACT_TEXTS, act_field, commune_field, ind_field, initial_from, out_field
from ..forms import MAX_COUNT, MAX_MONEY, MAX_TEXT, SubmissionForm, WholeNumberField
from ..models import ActivityProgress, CommuneStatus, Submission
from ..selectors import FormSpec, Values, submission_lock_reason, submission_values

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = settings.PORTAL_UPLOAD_MAX_BYTES  # a filled workbook is some tens of kilobytes
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # an .xlsx is a zip: refuse one that would unpack to far more
ID_SHEET = "portal_id"  # very hidden: Excel's interface cannot even unhide it
SIGNING_SALT = "reporting.workbook"
HEADER_ROW = 4  # title, note, blank line, then the header
FIRST_ROW = HEADER_ROW + 1
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)

# What an input cell holds, from the form field behind it (one place for the rules: the form).
COUNT, MONEY, FLAG, STATUS, TEXT = "count", "money", "flag", "status", "text"


# ------------------------------------------------------------------------------------------------
# Layout: which field is in which cell
# ------------------------------------------------------------------------------------------------
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


@dataclass
class Slot:
    sheet: SheetLayout
    row: int
    column: int
    item: str

    @property
    def cell(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


@dataclass
class WorkbookLayout:
    spec: FormSpec
    form: SubmissionForm  # unbound: its fields give labels, kinds and limits
    sheets: list[SheetLayout]

    def slots(self) -> dict[str, Slot]:
        out = {}
        for sheet in self.sheets:
            for r, c, row, inp in sheet.inputs():
                header = sheet.columns[c - 1][0]
                out[inp.field] = Slot(sheet, r, c, f"{row.label} – {header}")
        return out

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
    """The sheets of an agency's workbook, from its form spec (the same spec as its web form)."""
    form = SubmissionForm(spec=spec)
    label = {name: str(f.label) for name, f in form.fields.items()}
    sheets = [SheetLayout(_("Hướng dẫn"), "", [])]  # written apart: text only, no inputs
    if spec.indicators:
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
        sheets.append(s)
    if spec.communes and spec.flags:
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
        sheets.append(s)
    if spec.activities:
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
        sheets.append(s)
    if spec.outputs:
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
                         out.get_aggregation_display()])
                )  # fmt: skip
        sheets.append(s)
    if spec.reports_budget:
        s = SheetLayout(
            _("Kinh phí"),
            _("Kinh phí bố trí trong năm cho công tác bảo vệ, chăm sóc trẻ em (đồng)"),
            [(_("STT"), 6), (_("Nội dung"), 52), (_("Số tiền (đồng)"), 20), (_("Mức tối thiểu theo quyết định"), 24)],
        )
        floors = {"district_budget": spec.district_floor, "communes_budget": spec.communes_floor}
        for i, (name, floor) in enumerate(floors.items(), start=1):
            s.rows.append(Row(str(i), label[name], [label[name], Input(name), fmt_vnd(floor)]))
        sheets.append(s)
    s = SheetLayout(
        _("Chung"),
        _("Khó khăn, đề xuất chung và giải trình"),
        [(_("STT"), 6), (_("Nội dung"), 44), (_("Ý kiến của cơ quan"), 90)],
    )
    for i, name in enumerate(("difficulties", "proposals", "change_explanation"), start=1):
        s.rows.append(Row(str(i), label[name], [label[name], Input(name)]))
    sheets.append(s)
    return WorkbookLayout(spec=spec, form=form, sheets=sheets)


def _status_labels() -> dict[str, str]:
    """Every accepted spelling of an activity status (the labels in each language, the codes) → code."""
    out: dict[str, str] = {}
    for code in ActivityProgress.Status.values:
        out[code.casefold()] = code
    for lang in _languages():
        with translation.override(lang):
            for code, text in ActivityProgress.Status.choices:
                out[str(text).casefold()] = code
    return out


def _languages() -> list[str]:
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


YES_WORDS = {"có", "co", "x", "✓", "✔", "1", "yes", "y", "true", "đạt", "dat"}
NO_WORDS = {"không", "khong", "0", "no", "n", "false", "chưa", "chua", "chưa đạt", "chua dat"}


def _flag_words() -> tuple[set[str], set[str]]:
    yes, no = set(YES_WORDS), set(NO_WORDS)
    for lang in _languages():
        with translation.override(lang):
            yes.add(_("Có").casefold())
            no.add(_("Không").casefold())
    return yes, no


# ------------------------------------------------------------------------------------------------
# Identity
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    agency: str
    year: int
    quarter: int
    version: int
    layout: str

    def sign(self) -> str:
        payload = {"a": self.agency, "y": self.year, "q": self.quarter, "v": self.version, "l": self.layout}
        return signing.dumps(payload, salt=SIGNING_SALT)

    @classmethod
    def unsign(cls, token: str) -> Identity:
        data = signing.loads(token, salt=SIGNING_SALT)
        return cls(str(data["a"]), int(data["y"]), int(data["q"]), int(data["v"]), str(data["l"]))


def _identity_for(spec: FormSpec, submission: Submission, layout: WorkbookLayout) -> Identity:
    return Identity(
        spec.agency.code, spec.quarter.program.year, spec.quarter.number, submission.version or 0, layout.fingerprint
    )


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------
def workbook_filename(*, spec: FormSpec) -> str:
    q = spec.quarter
    return f"bao-cao-quy-{q.number}-{q.program.year}-{spec.agency.code}.xlsx"


def workbook_build(*, spec: FormSpec, submission: Submission, values: Values, user=None) -> bytes:
    """The agency's workbook for the quarter, with the current values, as .xlsx bytes."""
    layout = workbook_layout(spec=spec)
    initial = initial_from(spec=spec, values=values, submission=submission if submission.pk else None)
    identity = _identity_for(spec, submission, layout)
    wb = new_workbook()
    _write_instructions(wb.create_sheet(layout.sheets[0].title), spec, submission, layout, user)
    for sheet in layout.sheets[1:]:
        _write_sheet(wb.create_sheet(sheet.title), sheet, layout, initial, spec)
    ws = wb.create_sheet(ID_SHEET)
    ws["A1"], ws["B1"] = "token", identity.sign()
    ws["A2"], ws["B2"] = "agency", spec.agency.code
    ws["A3"], ws["B3"] = "quarter", f"{spec.quarter.program.year}-Q{spec.quarter.number}"
    ws["A4"], ws["B4"] = "version", identity.version
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    props = wb.properties
    props.title = _("Báo cáo %(q)s: %(a)s") % {"q": spec.quarter, "a": spec.agency.name}
    props.creator = _("Cổng báo cáo Bảo vệ, chăm sóc trẻ em tỉnh An Giang")
    props.created = props.modified = calendar.now().astimezone(dt.UTC).replace(tzinfo=None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _protect(ws) -> None:
    p = ws.protection
    p.sheet = True
    # Locked cells stay readable and selectable; columns and rows may be resized.
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_instructions(ws, spec: FormSpec, submission: Submission, layout: WorkbookLayout, user) -> None:
    q, program = spec.quarter, spec.quarter.program
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 110
    lines: list[tuple[str, str]] = [
        ("title", _("Báo cáo tiến độ %(q)s – %(a)s") % {"q": q, "a": spec.agency.name}),
        ("muted", f"{program.title} ({program.decision_number}, {program.decision_date:%d/%m/%Y})"),
        ("", ""),
        ("", _("Cơ quan báo cáo: %(a)s") % {"a": spec.agency.name}),
        ("", _("Kỳ báo cáo: %(q)s (từ %(s)s đến %(e)s)")
             % {"q": q, "s": f"{q.start:%d/%m/%Y}", "e": f"{q.end:%d/%m/%Y}"}),
        ("", _("Hạn nhập số liệu: %(d)s") % {"d": f"{q.entry_deadline:%d/%m/%Y}"}),
        ("", _("Tệp tạo lúc %(t)s%(by)s, theo báo cáo trên cổng ở phiên bản %(v)s.") % {
            "t": timezone.localtime(calendar.now()).strftime("%H:%M %d/%m/%Y"),
            "by": (" " + _("cho %(u)s") % {"u": user.get_username()}) if user is not None else "",
            "v": submission.version or 0,
        }),
        ("", ""),
        ("heading", _("Cách điền")),
    ]  # fmt: skip
    steps = [
        _("Chỉ nhập vào các ô nền vàng; các ô khác đã được khoá. Không thêm, xoá, đổi tên hay đổi thứ tự các sheet, "
          "dòng, cột."),
        _("Số liệu là số nguyên không âm, không có phần thập phân; số tiền tính bằng đồng. Để trống ô nếu chưa có số "
          "liệu; xoá số trong một ô nghĩa là xoá số liệu đó trên cổng."),
    ]  # fmt: skip
    titles = {s.title for s in layout.sheets}
    if _("Chỉ số") in titles:
        steps.append(
            _("Sheet “Chỉ số”: nhập cả tử số và mẫu số; tử số không được lớn hơn mẫu số. Tỷ lệ của tỉnh là tổng tử số "
              "chia cho tổng mẫu số của các huyện.")
        )  # fmt: skip
    if _("Xã") in titles:
        steps.append(
            _("Sheet “Xã”: chọn “Có” cho xã, phường, thị trấn đạt tiêu chí; “Không” hoặc để trống nếu chưa đạt.")
        )
    if _("Hoạt động") in titles:
        steps.append(
            _("Sheet “Hoạt động”: chọn tình trạng trong danh sách; ghi số trẻ em được hưởng lợi, kinh phí đã chi, kết "
              "quả, khó khăn và đề xuất (tối đa 4.000 ký tự mỗi ô).")
        )  # fmt: skip
    if _("Chỉ tiêu đầu ra") in titles:
        steps.append(_("Sheet “Chỉ tiêu đầu ra”: nhập số lượng đạt được trong quý theo đơn vị tính của chỉ tiêu."))
    if _("Kinh phí") in titles:
        steps.append(
            _("Sheet “Kinh phí”: kinh phí cấp huyện và tổng kinh phí cấp xã bố trí trong năm, tính bằng đồng.")
        )
    steps += [
        _("Không ghi tên, địa chỉ hay bất kỳ thông tin nào giúp nhận biết một trẻ em."),
        _("Lưu tệp dạng .xlsx, rồi tải lên tại trang báo cáo quý trên cổng (mục “Làm báo cáo bằng Excel”). Cổng "
          "kiểm tra cả tệp theo cùng quy tắc với biểu mẫu trên web: nếu có lỗi, cổng liệt kê từng lỗi theo sheet và "
          "ô, và không lưu số liệu nào."),
        _("Nếu sau khi tải tệp này về, báo cáo trên cổng được lưu thêm (bởi bạn hoặc đồng nghiệp), tệp sẽ không "
          "được nhận để không ghi đè số liệu mới: khi đó hãy tải tệp mới."),
        _("Tải lên xong, báo cáo vẫn là bản nháp: vào cổng kiểm tra lại rồi bấm “Gửi báo cáo”."),
    ]  # fmt: skip
    lines += [("", f"{i}. {text}") for i, text in enumerate(steps, start=1)]
    for r, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=2, value=safe_text(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "heading":
            cell.font = Font(bold=True, size=12)
        elif style == "muted":
            cell.font = Font(italic=True, color="555555")
        _fit_height(ws, r, [4, 110])
    _protect(ws)


def _fit_height(ws, row: int, widths: list[int]) -> None:
    """Set the row tall enough for its wrapped texts: spreadsheet programs do not all fit it on opening."""
    lines = 1
    for c, width in enumerate(widths, start=1):
        value = ws.cell(row=row, column=c).value
        if isinstance(value, str) and value:
            per_line = max(1, int(width * 1.1))
            lines = max(lines, sum(-(-max(1, len(part)) // per_line) for part in value.split("\n")))
    if lines > 1:
        ws.row_dimensions[row].height = min(409, 15 * lines + 2)


def _validations(ws, layout: WorkbookLayout) -> dict[str, DataValidation]:
    """One data validation per kind of input, with its message in the interface's language."""
    title = _("Giá trị không hợp lệ")
    statuses = ",".join(str(label) for _code, label in ActivityProgress.Status.choices)
    dvs = {
        COUNT: DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_COUNT),
                              error=_("Vui lòng nhập một số nguyên không âm (tối đa %(max)s).")
                              % {"max": fmt_int(MAX_COUNT)}),
        MONEY: DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_MONEY),
                              error=_("Số tiền phải là số nguyên đồng, không âm (tối đa %(max)s).")
                              % {"max": fmt_int(MAX_MONEY)}),
        FLAG: DataValidation(type="list", formula1=f'"{_("Có")},{_("Không")}"',
                             error=_("Vui lòng chọn “Có” hoặc “Không”.")),
        STATUS: DataValidation(type="list", formula1=f'"{statuses}"',
                               error=_("Vui lòng chọn tình trạng trong danh sách.")),
        TEXT: DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT),
                             error=_("Tối đa %(n)s ký tự.") % {"n": fmt_int(MAX_TEXT)}),
    }  # fmt: skip
    for dv in dvs.values():
        dv.allow_blank = True
        dv.showErrorMessage = True
        dv.errorTitle = title
        ws.add_data_validation(dv)
    return dvs


def _write_sheet(ws, sheet: SheetLayout, layout: WorkbookLayout, initial: dict, spec: FormSpec) -> None:
    ws.cell(row=1, column=1, value=safe_text(sheet.heading)).font = Font(bold=True, size=12)
    ws.cell(row=2, column=1, value=safe_text(f"{spec.agency.name} – {spec.quarter}")).font = Font(italic=True)
    ws.cell(row=3, column=1, value=_("Chỉ nhập vào các ô nền vàng.")).font = Font(color="8A6100")
    for c, (header, width) in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=safe_text(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    dvs = _validations(ws, layout)
    status_label = dict(ActivityProgress.Status.choices)
    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        key = ws.cell(row=r, column=1, value=safe_text(row.key))
        key.border = BORDER
        key.alignment = Alignment(vertical="top")
        for j, value in enumerate(row.cells):
            cell = ws.cell(row=r, column=j + 2)
            cell.border = BORDER
            if not isinstance(value, Input):
                cell.value = safe_text(str(value) if isinstance(value, Promise) else value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                continue
            kind = layout.kind(value.field)
            current = initial.get(value.field)
            if kind in (COUNT, MONEY):
                cell.value = current
                cell.number_format = INT_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="top")
            elif kind == FLAG:
                cell.value = _("Có") if current else _("Không")
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif kind == STATUS:
                cell.value = str(status_label[current]) if current else None
                cell.alignment = Alignment(vertical="top")
            else:
                cell.value = safe_text(current) if current else None
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.fill = INPUT_FILL
            cell.protection = UNLOCKED
            dvs[kind].add(cell.coordinate)
        _fit_height(ws, r, [w for _h, w in sheet.columns])
    _fit_height(ws, HEADER_ROW, [w for _h, w in sheet.columns])
    for dv in list(ws.data_validations.dataValidation):
        if not dv.sqref.ranges:
            ws.data_validations.dataValidation.remove(dv)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    _protect(ws)


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------
@dataclass
class LoadedWorkbook:
    """An uploaded workbook as written (formulas as text), and, only when needed, the values that the
    spreadsheet program computed for its formulas."""

    book: Workbook
    raw: bytes
    _computed: Workbook | None = None

    def computed(self) -> Workbook:
        if self._computed is None:
            self._computed = load_workbook(io.BytesIO(self.raw), data_only=True)
        return self._computed


def workbook_load(raw: bytes) -> LoadedWorkbook:
    """Open uploaded bytes as an .xlsx, or raise ValidationError with a message in Vietnamese."""
    not_xlsx = ValidationError(
        _("Tệp không phải tệp Excel .xlsx hợp lệ. Vui lòng dùng tệp Excel tải từ cổng và lưu lại dạng .xlsx "
          "(không dùng .xls, .csv hay .pdf)."),
        code="not_xlsx",
    )  # fmt: skip
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": fmt_int(-(-len(raw) // (1024 * 1024))), "max": fmt_int(MAX_UPLOAD_BYTES // (1024 * 1024))},
            code="too_large",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ValidationError(_("Tệp Excel quá lớn để xử lý."), code="too_large")
        book = load_workbook(io.BytesIO(raw))
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on foreign content
        raise not_xlsx from None
    return LoadedWorkbook(book=book, raw=raw)


@dataclass
class CellError:
    sheet: str
    cell: str
    item: str
    message: str
    field: str = ""  # the form field of the cell

    def __str__(self) -> str:
        return _("Sheet '%(sheet)s', ô %(cell)s: %(message)s") % {
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
        }


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)  # CellError, or str for the file as a whole
    saved: services.SaveResult | None = None

    @property
    def ok(self) -> bool:
        return self.saved is not None and not self.errors

    @property
    def cell_errors(self) -> list[CellError]:
        return [e for e in self.errors if isinstance(e, CellError)]

    @property
    def file_errors(self) -> list[str]:
        return [e for e in self.errors if not isinstance(e, CellError)]


def _unsafe_text(value: str) -> str:
    """Undo spreadsheet.safe_text: the apostrophe it put before a formula-like text."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _same_text(a, b) -> bool:
    """Equal but for line endings, which a spreadsheet normalises."""
    norm = lambda v: (v or "").replace("\r\n", "\n").replace("\r", "\n")  # noqa: E731
    return norm(a) == norm(b)


def _number_text(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _check_identity(loaded: LoadedWorkbook, spec: FormSpec, layout: WorkbookLayout) -> tuple[Identity | None, list]:
    q = spec.quarter
    foreign = _("Tệp này không phải tệp Excel do cổng tạo cho báo cáo này, hoặc phần nhận dạng của tệp đã bị sửa. "
                "Vui lòng tải tệp Excel mới từ trang báo cáo.")  # fmt: skip
    if ID_SHEET not in loaded.book.sheetnames:
        return None, [foreign]
    try:
        identity = Identity.unsign(str(loaded.book[ID_SHEET]["B1"].value or ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, [foreign]
    if (identity.agency, identity.year, identity.quarter) != (spec.agency.code, q.program.year, q.number):
        other = Agency.objects.filter(code=identity.agency).first()
        return None, [
            _("Tệp này là báo cáo Quý %(q)s/%(y)s của %(other)s, không phải báo cáo %(this_q)s của %(this)s. "
              "Vui lòng tải lên đúng tệp, hoặc tải tệp Excel mới từ trang báo cáo này.")
            % {"q": identity.quarter, "y": identity.year, "other": other.name if other else identity.agency,
               "this_q": q, "this": spec.agency.name}
        ]  # fmt: skip
    if identity.layout != layout.fingerprint:
        return None, [
            _(
                "Mẫu báo cáo của cơ quan đã thay đổi từ khi tệp này được tải về. Vui lòng tải tệp Excel mới và nhập "
                "lại số liệu."
            )
        ]
    return identity, []


class _WrongShape(Exception):
    """The workbook's sheets or rows are not those of the layout: its cells cannot be read."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _read_cells(loaded: LoadedWorkbook, layout: WorkbookLayout, current: dict) -> tuple[dict, list]:
    """The form data the workbook holds (as a browser would post it), and the errors found on the way.
    Raises _WrongShape when sheets or rows were added, removed or moved."""
    sheets = [ws for ws in loaded.book.worksheets if ws.title != ID_SHEET]
    if len(sheets) != len(layout.sheets):
        raise _WrongShape(_("Tệp không đúng mẫu: số sheet đã thay đổi. Vui lòng tải tệp Excel mới từ trang báo cáo."))
    errors: list = []
    data: dict = {}
    statuses = _status_labels()
    yes, no = _flag_words()
    for ws, sheet in zip(sheets[1:], layout.sheets[1:], strict=True):
        for i, row in enumerate(sheet.rows):
            r = FIRST_ROW + i
            found = ws.cell(row=r, column=1).value
            if str(found if found is not None else "").strip() != row.key:
                message = _(
                    "Mã “%(found)s” không khớp mẫu (cần “%(key)s”): không thêm, xoá hay đổi thứ tự dòng. Vui lòng "
                    "tải tệp Excel mới."
                ) % {"found": found or "", "key": row.key}
                raise _WrongShape(CellError(ws.title, f"A{r}", row.label, message))
        for r, c, row, inp in sheet.inputs():
            cell = ws.cell(row=r, column=c)
            slot = Slot(sheet, r, c, f"{row.label} – {sheet.columns[c - 1][0]}")
            value = cell.value
            if cell.data_type == "f":
                value = loaded.computed()[ws.title].cell(row=r, column=c).value
                if value is None:
                    errors.append(CellError(ws.title, slot.cell, slot.item,
                                            _("Ô có công thức nhưng chưa có kết quả tính; vui lòng nhập giá trị trực "
                                              "tiếp."), inp.field))  # fmt: skip
                    continue
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "":
                continue
            kind = layout.kind(inp.field)
            if kind in (COUNT, MONEY):
                data[inp.field] = _number_text(value)
            elif kind == FLAG:
                word = _number_text(value).strip().casefold()
                if isinstance(value, bool):
                    word = "true" if value else "false"
                if word in yes:
                    data[inp.field] = "on"
                elif word not in no:
                    errors.append(
                        CellError(ws.title, slot.cell, slot.item, _("Vui lòng chọn “Có” hoặc “Không”."), inp.field)
                    )
            elif kind == STATUS:
                code = statuses.get(_number_text(value).strip().casefold())
                if code is None:
                    allowed = ", ".join(str(label) for _c, label in ActivityProgress.Status.choices)
                    errors.append(CellError(ws.title, slot.cell, slot.item,
                                            _("Tình trạng không hợp lệ; vui lòng chọn một trong: %(list)s.")
                                            % {"list": allowed}, inp.field))  # fmt: skip
                else:
                    data[inp.field] = code
            else:
                text = _unsafe_text(_number_text(value))
                data[inp.field] = current.get(inp.field) if _same_text(text, current.get(inp.field)) else text
    return data, errors


def workbook_import(
    *, submission: Submission, user, spec: FormSpec, loaded: LoadedWorkbook, at: dt.datetime | None = None
) -> ImportResult:
    """Check an uploaded workbook whole and, if it is valid, save it as an edit of the submission.

    Refused (nothing saved, errors listed) when the workbook belongs to another agency, quarter or
    layout, when the report is locked, when the report was saved after the workbook was made (a
    conflict), or when any cell breaks a rule of the form.
    """
    layout = workbook_layout(spec=spec)
    identity, errors = _check_identity(loaded, spec, layout)
    if errors:
        return ImportResult(errors=errors)
    reason = submission_lock_reason(submission, at=at)
    if reason:
        return ImportResult(errors=[reason])
    if (submission.version or 0) != identity.version:  # told at once; submission_save checks it again
        return ImportResult(errors=[_conflict_message(identity, submission)])
    current = initial_from(spec=spec, values=submission_values(submission=submission),
                           submission=submission if submission.pk else None)  # fmt: skip
    try:
        data, errors = _read_cells(loaded, layout, current)
    except _WrongShape as exc:
        return ImportResult(errors=[exc.error])
    data["version"] = str(identity.version)
    form = SubmissionForm(data, spec=spec)
    if not form.is_valid():
        # Name the sheets as the uploaded workbook names them (it may have been made in another language).
        uploaded = [ws.title for ws in loaded.book.worksheets if ws.title != ID_SHEET]
        titles = {id(sheet): uploaded[i] for i, sheet in enumerate(layout.sheets)}
        slots = layout.slots()
        read_errors = {e.field for e in errors if isinstance(e, CellError)}
        for name, messages in form.errors.items():
            if name in read_errors:
                continue  # the cell's own error says it better (e.g. a formula without a result)
            slot = slots.get(name)
            for message in messages:
                if slot is None:
                    errors.append(str(message))
                else:
                    errors.append(CellError(titles[id(slot.sheet)], slot.cell, slot.item, str(message), name))
    if errors:
        order = {ws.title: i for i, ws in enumerate(loaded.book.worksheets)}
        errors.sort(key=lambda e: _error_order(e, order))
        return ImportResult(errors=errors)
    try:
        saved = services.submission_save(
            submission=submission, user=user, spec=spec, data=form.cleaned_data, expected_version=identity.version,
            at=at, with_warnings=True,
        )  # fmt: skip
    except services.ConflictError as exc:
        return ImportResult(errors=[_conflict_message(identity, exc.submission)])
    except ValidationError as exc:
        return ImportResult(errors=list(exc.messages))
    return ImportResult(saved=saved)


def _conflict_message(identity: Identity, current: Submission) -> str:
    return _(
        "Chưa lưu: báo cáo đã được %(who)s lưu lúc %(when)s, sau khi tệp Excel này được tải về (tệp theo phiên bản "
        "%(v)s, báo cáo hiện ở phiên bản %(now)s). Để không ghi đè thay đổi đó, vui lòng tải tệp Excel mới và nhập "
        "lại số liệu của bạn."
    ) % {
        "who": current.updated_by.get_username() if current.updated_by_id else "—",
        "when": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y") if current.updated_at else "—",
        "v": identity.version,
        "now": current.version,
    }


def _error_order(error, sheet_order: dict[str, int]):
    if not isinstance(error, CellError):
        return (-1, 0, 0)
    letters = "".join(ch for ch in error.cell if ch.isalpha())
    digits = "".join(ch for ch in error.cell if ch.isdigit())
    return (sheet_order.get(error.sheet, 99), int(digits or 0), len(letters), letters)


# ------------------------------------------------------------------------------------------------
# The upload form
# ------------------------------------------------------------------------------------------------
class WorkbookUploadForm(forms.Form):
    """A filled workbook: at most 5 MB, and a real .xlsx (opened here; the cells are read later)."""

    book = forms.FileField(
        label=gettext_lazy("Tệp Excel đã điền (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Vui lòng chọn tệp Excel (.xlsx) để tải lên."),
            "empty": gettext_lazy("Tệp tải lên rỗng."),
            "invalid": gettext_lazy("Vui lòng chọn tệp Excel (.xlsx) để tải lên."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx," + CONTENT_TYPE, "class": "form-control form-control-sm"}
        ),
    )

    def __init__(self, *args, problem: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.problem = problem  # found by reporting.middleware.UploadGuardMiddleware in the raw request

    def clean_book(self) -> LoadedWorkbook:
        if self.problem == "path_in_name":
            raise ValidationError(
                _("Tên tệp không hợp lệ: tên tệp không được chứa đường dẫn (/, \\ hoặc ..)."), code="path_in_name"
            )
        if self.problem == "too_large":
            raise ValidationError(
                _("Tệp quá lớn; tối đa %(max)s MB.") % {"max": fmt_int(MAX_UPLOAD_BYTES // (1024 * 1024))},
                code="too_large",
            )
        upload = self.cleaned_data["book"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
                % {
                    "size": fmt_int(-(-upload.size // (1024 * 1024))),
                    "max": fmt_int(MAX_UPLOAD_BYTES // (1024 * 1024)),
                },
                code="too_large",
            )
        return workbook_load(upload.read())
