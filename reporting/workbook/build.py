"""Writing an agency's workbook for a quarter: instructions, one protected sheet per part of the form
with only the input cells unlocked (yellow) and checked by data validations, and the hidden identity."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from core.formatting import fmt_date, fmt_datetime, fmt_int
from core.spreadsheet import BORDER, HEADER_FILL, INT_FORMAT, new_workbook, safe_text
from programs import calendar

from ..fields import initial_from
from ..forms import MAX_COUNT, MAX_MONEY, MAX_TEXT
from ..models import ActivityProgress, Submission
from ..selectors import FormSpec, Values, period_note
from .identity import identity_for, identity_write
from .layout import COUNT, FIRST_ROW, FLAG, HEADER_ROW, MONEY, STATUS, TEXT, Input, SheetLayout, workbook_layout

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)
TOP = Alignment(vertical="top")
WRAPPED = Alignment(wrap_text=True, vertical="top")


def workbook_filename(*, spec: FormSpec) -> str:
    return f"bao-cao-quy-{spec.quarter.number}-{spec.program.year}-{spec.agency.code}.xlsx"


def workbook_build(*, spec: FormSpec, submission: Submission, values: Values, user=None) -> bytes:
    """The agency's workbook for the quarter, with the current values, as .xlsx bytes."""
    layout = workbook_layout(spec=spec)
    initial = initial_from(spec=spec, values=values, submission=submission if submission.pk else None)
    wb = new_workbook()
    _write_instructions(wb.create_sheet(layout.sheets[0].title), spec, submission, layout.sheets, user)
    for sheet in layout.sheets[1:]:
        _write_sheet(wb.create_sheet(sheet.title), sheet, layout.kind, initial, spec)
    identity_write(wb, identity=identity_for(spec=spec, submission=submission, layout=layout))
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


# ------------------------------------------------------------------------------------------------
# The instructions sheet
# ------------------------------------------------------------------------------------------------
INSTRUCTION_FONTS = {
    "title": Font(bold=True, size=14),
    "heading": Font(bold=True, size=12),
    "muted": Font(italic=True, color="555555"),
}


def _write_instructions(ws, spec: FormSpec, submission: Submission, sheets: list[SheetLayout], user) -> None:
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 110
    lines = _about_lines(spec, submission, user)
    lines += [("", f"{i}. {text}") for i, text in enumerate(_steps({s.title for s in sheets}), start=1)]
    for r, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=2, value=safe_text(text))
        cell.alignment = WRAPPED
        if style in INSTRUCTION_FONTS:
            cell.font = INSTRUCTION_FONTS[style]
        _fit_height(ws, r, [4, 110])
    _protect(ws)


def _about_lines(spec: FormSpec, submission: Submission, user) -> list[tuple[str, str]]:
    """(style, text): which report the workbook is for, its deadline, when and for whom it was made."""
    q, program = spec.quarter, spec.program
    return [
        ("title", _("Báo cáo tiến độ %(q)s – %(a)s") % {"q": q, "a": spec.agency.name}),
        ("muted", f"{program.title} ({program.decision_number}, {fmt_date(program.decision_date)})"),
        ("", ""),
        ("", _("Cơ quan báo cáo: %(a)s") % {"a": spec.agency.name}),
        ("", _("Kỳ báo cáo: %(q)s (từ %(s)s đến %(e)s)") % {"q": q, "s": fmt_date(q.start), "e": fmt_date(q.end)}),
        ("", _("Hạn gửi báo cáo: %(d)s") % {"d": q.deadline_label}),
        *([("", note)] if (note := period_note(program=program, quarter=q)) else []),
        ("", _("Tệp tạo lúc %(t)s%(by)s, theo báo cáo trên cổng ở phiên bản %(v)s.") % {
            "t": fmt_datetime(calendar.now()),
            "by": (" " + _("cho %(u)s") % {"u": user.get_username()}) if user is not None else "",
            "v": submission.version or 0,
        }),
        ("", ""),
        ("heading", _("Cách điền")),
    ]  # fmt: skip


def _steps(titles: set[str]) -> list[str]:
    """How to fill the workbook, with a step for each of its sheets."""
    steps = [
        _("Chỉ nhập vào các ô nền vàng; các ô khác đã được khoá. Không thêm, xoá, đổi tên hay đổi thứ tự các sheet, "
          "dòng, cột."),
        _("Số liệu là số nguyên không âm, không có phần thập phân; số tiền tính bằng đồng. Để trống ô nếu chưa có số "
          "liệu; xoá số trong một ô nghĩa là xoá số liệu đó trên cổng."),
    ]  # fmt: skip
    by_sheet = {
        _("Chỉ số"): _("Sheet “Chỉ số”: nhập cả tử số và mẫu số; tử số không được lớn hơn mẫu số. Tỷ lệ của tỉnh là "
                       "tổng tử số chia cho tổng mẫu số của các huyện."),
        _("Hoạt động"): _("Sheet “Hoạt động”: chọn tình trạng trong danh sách; ghi số trẻ em được hưởng lợi, kinh phí "
                          "đã chi, kết quả, khó khăn và đề xuất (tối đa 4.000 ký tự mỗi ô)."),
        _("Chỉ tiêu đầu ra"): _("Sheet “Chỉ tiêu đầu ra”: nhập số lượng đạt được trong quý theo đơn vị tính của chỉ "
                                "tiêu."),
        _("Xã"): _("Sheet “Xã”: chọn “Có” cho xã, phường, thị trấn đạt tiêu chí; “Không” hoặc để trống nếu chưa đạt. "
                   "Dòng cuối: chọn “Có” khi đã rà soát tất cả các xã (nếu không, một chỉ tiêu không có xã nào được "
                   "chọn được tính là chưa báo cáo)."),
        _("Kinh phí"): _("Sheet “Kinh phí”: kinh phí cấp huyện và kinh phí bố trí trong năm cho từng xã, tính bằng "
                         "đồng (mỗi xã tối thiểu theo quyết định); tổng cấp xã do cổng tự cộng."),
    }  # fmt: skip
    steps += [text for title, text in by_sheet.items() if title in titles]
    return steps + [
        _("Không ghi tên, địa chỉ hay bất kỳ thông tin nào giúp nhận biết một trẻ em."),
        _("Lưu tệp dạng .xlsx, rồi tải lên tại trang báo cáo quý trên cổng (mục “Làm báo cáo bằng Excel”). Cổng "
          "kiểm tra cả tệp theo cùng quy tắc với biểu mẫu trên web: nếu có lỗi, cổng liệt kê từng lỗi theo sheet và "
          "ô, và không lưu số liệu nào."),
        _("Nếu sau khi tải tệp này về, báo cáo trên cổng được lưu thêm (bởi bạn hoặc đồng nghiệp), tệp sẽ không "
          "được nhận để không ghi đè số liệu mới: khi đó hãy tải tệp mới."),
        _("Tải lên xong, báo cáo vẫn là bản nháp: vào cổng kiểm tra lại rồi bấm “Gửi báo cáo”."),
    ]  # fmt: skip


# ------------------------------------------------------------------------------------------------
# The sheets of the form
# ------------------------------------------------------------------------------------------------
def _validations(ws) -> dict[str, DataValidation]:
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


def _write_heading(ws, sheet: SheetLayout, spec: FormSpec) -> None:
    """The sheet's title, the agency and quarter, the hint, and the column headers."""
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


def _write_input(cell, kind: str, current, status_label: dict) -> None:
    """An input cell with the stored value, as the officer will see it in Excel."""
    if kind in (COUNT, MONEY):
        cell.value = current
        cell.number_format = INT_FORMAT
        cell.alignment = Alignment(horizontal="right", vertical="top")
    elif kind == FLAG:
        cell.value = _("Có") if current else _("Không")
        cell.alignment = Alignment(horizontal="center", vertical="top")
    elif kind == STATUS:
        cell.value = str(status_label[current]) if current else None
        cell.alignment = TOP
    else:
        cell.value = safe_text(current) if current else None
        cell.alignment = WRAPPED
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED


def _write_sheet(ws, sheet: SheetLayout, kind_of, initial: dict, spec: FormSpec) -> None:
    _write_heading(ws, sheet, spec)
    dvs = _validations(ws)
    status_label = dict(ActivityProgress.Status.choices)
    widths = [w for _h, w in sheet.columns]
    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        key = ws.cell(row=r, column=1, value=safe_text(row.key))
        key.border = BORDER
        key.alignment = TOP
        for j, value in enumerate(row.cells):
            cell = ws.cell(row=r, column=j + 2)
            cell.border = BORDER
            if isinstance(value, Input):
                kind = kind_of(value.field)
                _write_input(cell, kind, initial.get(value.field), status_label)
                dvs[kind].add(cell.coordinate)
            else:
                cell.value = safe_text(str(value) if isinstance(value, Promise) else value)
                cell.alignment = WRAPPED
        _fit_height(ws, r, widths)
    _fit_height(ws, HEADER_ROW, widths)
    for dv in list(ws.data_validations.dataValidation):
        if not dv.sqref.ranges:
            ws.data_validations.dataValidation.remove(dv)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    _protect(ws)
