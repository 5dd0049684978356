"""The Excel annex of a provincial report: every figure of the report, by agency and by district.

Built from the same Figures object as the PDF (dashboards.figures, the dashboard's selector), so the
two can never disagree. Cells hold numbers (percentages rounded to one decimal, as printed); text
written by agencies goes through spreadsheet.safe_text so that it never runs as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.spreadsheet import new_workbook, write_table
from dashboards.figures import Figures
from incidents.selectors import incidents_by_kind_and_district
from programs.models import ProvincialReport

from .pdf import doc_date, period_of, quarter_label


def pct_cell(value: Decimal | None) -> float | None:
    """A percentage as the report prints it (one decimal, half up), as a number."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _standing(value) -> str:
    return {"met": _("Đạt"), "near": _("Gần đạt"), "far": _("Chưa đạt"), "none": _("Chưa có số liệu")}[value]


def _yes_no(ok: bool | None) -> str:
    if ok is None:
        return _("Chưa có số liệu")
    return _("Đạt") if ok else _("Chưa đạt")


def annex_workbook(*, report: ProvincialReport, figures: Figures, issued_on: dt.date, doc_number: int) -> bytes:
    """The annex as .xlsx bytes, always in Vietnamese."""
    with translation.override("vi"):
        wb = _build(report, figures, issued_on, doc_number)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _build(report: ProvincialReport, figures: Figures, issued_on: dt.date, doc_number: int):
    program = report.program
    quarters = list(figures.cut.quarters)
    day, month, year = doc_date(issued_on)
    wb = new_workbook()

    ws = wb.create_sheet(_("Thông tin"))
    write_table(
        ws,
        title=_("Phụ lục số liệu Báo cáo số %(n)s ngày %(d)s") % {
            "n": f"{doc_number:02d}/BC-SLĐTBXH",
            "d": f"{day}/{month}/{year}",
        },
        headers=[_("Nội dung"), _("Giá trị")],
        rows=[
            [_("Báo cáo"), _("Kết quả thực hiện Chương trình công tác bảo vệ, chăm sóc trẻ em %(p)s")
             % {"p": period_of(report, quarters)}],
            [_("Chương trình"), program.title],
            [_("Quyết định"), f"{program.decision_number} ({program.decision_date:%d/%m/%Y})"],
            [_("Các quý tổng hợp"), ", ".join(quarter_label(q) for q in quarters)],
            [_("Số báo cáo quý được tổng hợp"), len(figures.counted)],
            [_("Nguyên tắc"), _("Chỉ tính các báo cáo đã được Sở duyệt. Tỷ lệ của tỉnh bằng tổng tử số chia cho tổng "
                                "mẫu số của các huyện, thị xã, thành phố.")],
        ],
        widths=[32, 100],
    )  # fmt: skip

    ws = wb.create_sheet(_("Mục tiêu"))
    write_table(
        ws,
        title=_("Kết quả thực hiện các mục tiêu cụ thể – toàn tỉnh"),
        headers=[_("Mục tiêu"), _("Chỉ số"), _("Nội dung"), _("Chỉ tiêu (%)"), _("Tử số"), _("Mẫu số"),
                 _("Kết quả (%)"), _("Số huyện có số liệu"), _("Đánh giá")],
        rows=[
            [t.target.number, i.indicator.code, i.indicator.name, float(i.indicator.goal), i.province.numerator,
             i.province.denominator, pct_cell(i.value), i.reporting, _yes_no(i.met)]
            for t in figures.targets for i in t.indicators
        ],
        widths=[9, 8, 60, 11, 12, 12, 11, 12, 16],
    )  # fmt: skip

    ws = wb.create_sheet(_("Mục tiêu theo huyện"))
    rows = []
    for i in figures.indicators:
        for c in i.districts:
            rows.append([
                i.indicator.code, c.district.name, c.agency.short_name if c.agency else "",
                quarter_label(c.quarter) if c.quarter else "",
                c.ratio.numerator if c.ratio else None, c.ratio.denominator if c.ratio else None,
                pct_cell(c.ratio.value) if c.ratio else None, float(i.indicator.goal), _standing(c.standing),
            ])  # fmt: skip
    write_table(
        ws,
        title=_("Kết quả thực hiện các mục tiêu cụ thể theo huyện, thị xã, thành phố"),
        headers=[_("Chỉ số"), _("Huyện, thị xã, thành phố"), _("Đơn vị báo cáo"), _("Số liệu quý"), _("Tử số"),
                 _("Mẫu số"), _("Kết quả (%)"), _("Chỉ tiêu (%)"), _("Đánh giá")],
        rows=rows,
        widths=[8, 26, 24, 12, 12, 12, 11, 11, 16],
    )  # fmt: skip

    ws = wb.create_sheet(_("Chỉ tiêu đầu ra"))
    rows = []
    for g in figures.groups:
        for a in g.activities:
            for o in a.outputs:
                rows.append([
                    g.group.code, a.activity.code, o.output.code, o.output.label, o.output.unit, o.output.quantity,
                    o.achieved, pct_cell(o.share), o.output.get_aggregation_display(),
                ])  # fmt: skip
    write_table(
        ws,
        title=_("Chỉ tiêu đầu ra: kế hoạch năm và thực hiện"),
        headers=[_("Nhóm"), _("Hoạt động"), _("Mã"), _("Chỉ tiêu đầu ra"), _("Đơn vị tính"), _("Kế hoạch năm"),
                 _("Thực hiện"), _("Tỷ lệ (%)"), _("Cách tổng hợp")],
        rows=rows,
        widths=[8, 10, 12, 60, 16, 14, 14, 10, 22],
    )  # fmt: skip

    ws = wb.create_sheet(_("Đầu ra theo cơ quan"))
    rows = [
        [o.output.code, o.output.label, o.output.unit, c.agency.short_name, c.value]
        for o in figures.outputs
        for c in o.contributions
    ]
    write_table(
        ws,
        title=_("Chỉ tiêu đầu ra: phần thực hiện của từng cơ quan, đơn vị"),
        headers=[_("Mã"), _("Chỉ tiêu đầu ra"), _("Đơn vị tính"), _("Cơ quan, đơn vị"), _("Thực hiện")],
        rows=rows,
        widths=[12, 60, 16, 28, 14],
    )

    ws = wb.create_sheet(_("Hoạt động"))
    statuses = [("done", _("Đã hoàn thành")), ("in_progress", _("Đang triển khai")),
                ("not_started", _("Chưa triển khai")), ("not_applicable", _("Không thực hiện trong quý"))]  # fmt: skip
    rows = []
    for g in figures.groups:
        for a in g.activities:
            rows.append([
                g.group.code, a.activity.code, a.activity.text,
                *[a.statuses.get(key, 0) for key, _label in statuses],
                a.children_boys, a.children_girls, a.money,
            ])  # fmt: skip
    write_table(
        ws,
        title=_("Tình hình triển khai các hoạt động (số đơn vị báo cáo theo tình trạng)"),
        headers=[_("Nhóm"), _("Mã"), _("Hoạt động"), *[label for _key, label in statuses], _("Trẻ em nam"),
                 _("Trẻ em nữ"), _("Kinh phí đã chi (đồng)")],
        rows=rows,
        widths=[8, 10, 70, 12, 12, 12, 12, 11, 11, 18],
    )  # fmt: skip

    ws = wb.create_sheet(_("Kết quả của các đơn vị"))
    rows = [
        [a.activity.code, acc.agency.short_name, quarter_label(acc.quarter), acc.text]
        for g in figures.groups
        for a in g.activities
        for acc in a.accounts
    ]
    write_table(
        ws,
        title=_("Kết quả thực hiện do các cơ quan, đơn vị báo cáo"),
        headers=[_("Hoạt động"), _("Cơ quan, đơn vị"), _("Quý"), _("Kết quả thực hiện")],
        rows=rows,
        widths=[10, 28, 10, 100],
    )

    ws = wb.create_sheet(_("Kinh phí"))
    rows = [
        [b.district.name, b.agency.short_name if b.agency else "", b.communes, b.district_budget, b.district_floor,
         b.district_shortfall, b.communes_budget, b.communes_floor, b.communes_shortfall]
        for b in figures.budget
    ]  # fmt: skip
    write_table(
        ws,
        title=_("Kinh phí bố trí năm %(y)s so với mức tối thiểu (đồng)") % {"y": program.year},
        headers=[_("Huyện, thị xã, thành phố"), _("Đơn vị báo cáo"), _("Số xã"), _("Cấp huyện đã bố trí"),
                 _("Cấp huyện tối thiểu"), _("Cấp huyện còn thiếu"), _("Cấp xã đã bố trí"), _("Cấp xã tối thiểu"),
                 _("Cấp xã còn thiếu")],
        rows=rows,
        widths=[26, 24, 8, 18, 18, 18, 18, 18, 18],
    )  # fmt: skip

    ws = wb.create_sheet(_("Chế độ báo cáo"))
    rows = []
    for c in figures.compliance:
        by_agency = {s.agency_id: s for s in c.on_time + c.late}
        for a in c.expected:
            s = by_agency.get(a.pk)
            if s is None:
                state = _("Chưa gửi") if c.due else _("Chưa đến hạn")
            else:
                state = _("Trễ hạn") if s.days_late else _("Đúng hạn")
            rows.append([
                quarter_label(c.quarter), c.quarter.entry_deadline.strftime("%d/%m/%Y"), a.short_name, state,
                s.days_late if s else None,
                timezone.localtime(s.first_submitted_at).strftime("%H:%M %d/%m/%Y") if s else "",
                s.get_status_display() if s else "",
            ])  # fmt: skip
    write_table(
        ws,
        title=_("Tình hình gửi báo cáo của các cơ quan, đơn vị"),
        headers=[_("Quý"), _("Hạn nhập số liệu"), _("Cơ quan, đơn vị"), _("Tình trạng"), _("Số ngày trễ"),
                 _("Gửi lần đầu lúc"), _("Trạng thái xem xét")],
        rows=rows,
        widths=[10, 14, 28, 14, 12, 22, 16],
    )  # fmt: skip

    ws = wb.create_sheet(_("Khó khăn, đề xuất"))
    rows = [
        [_("Khó khăn, vướng mắc"), a.agency.short_name, quarter_label(a.quarter), a.text] for a in figures.difficulties
    ]
    rows += [
        [_("Đề xuất, kiến nghị"), a.agency.short_name, quarter_label(a.quarter), a.text] for a in figures.proposals
    ]
    write_table(
        ws,
        title=_("Khó khăn, vướng mắc và đề xuất, kiến nghị của các cơ quan, đơn vị"),
        headers=[_("Loại"), _("Cơ quan, đơn vị"), _("Quý"), _("Nội dung")],
        rows=rows,
        widths=[20, 28, 10, 100],
    )

    incidents = incidents_by_kind_and_district(
        program=report.program,
        quarters=list(figures.cut.quarters),
        districts=list(figures.cut.frame.districts) if figures.cut.frame is not None else None,
    )
    ws = wb.create_sheet(_("Báo cáo đột xuất"))
    headers = [_("Huyện, thị xã, thành phố")]
    for _code, label in incidents.kinds:
        headers += [f"{label}: " + _("số vụ"), f"{label}: " + _("số trẻ em")]
    headers += [_("Tổng số vụ"), _("Tổng số trẻ em")]

    def _cells(tallies, total):
        return [n for t in tallies for n in (t.cases, t.children)] + [total.cases, total.children]

    rows = [[row.district.display_short, *_cells(row.cells, row.total)] for row in incidents.rows]
    rows.append([_("Toàn tỉnh"), *_cells(incidents.totals, incidents.total)])
    write_table(
        ws,
        title=_("Các vụ việc được báo cáo đột xuất từ %(a)s đến %(b)s, theo loại và địa bàn")
        % {"a": incidents.date_from.strftime("%d/%m/%Y"), "b": incidents.date_to.strftime("%d/%m/%Y")},
        headers=headers,
        rows=rows,
        widths=[24] + [12] * (len(headers) - 1),
    )
    return wb
