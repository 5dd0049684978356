"""The tables of figures that leave the portal as files: the dashboard's exports (Excel, CSV) and the
Excel annex of a compiled report are both built here, one builder per table, from the figures of
`dashboards.figures` and written through `core.spreadsheet`.

A table is columns (header, width, format) and rows of plain values; a column's format turns a value
into the cell a spreadsheet gets: percentages as numbers rounded to one decimal as the pages and the
report print them, counts and money (in đồng) as whole numbers, text as it is (`core.spreadsheet`
keeps text that looks like a formula from running). Where a file puts a table (which sheet, which file
name) is the file's business (dashboards.exports, documents.annex); how a quarter is named is passed
in, since the dashboard says "Quý 1/2018" and the printed report "Quý I".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.formatting import fmt_datetime, fmt_int
from core.spreadsheet import write_table
from programs.models import Quarter
from programs.snapshots import QuarterInfo

from .figures import Figures, QuarterCompliance

TEXT, INT, PCT = "text", "int", "pct"
QuarterName = Callable[[Quarter | QuarterInfo], str]


def pct_cell(value: Decimal | None) -> float | None:
    """A percentage as a number, rounded to one decimal (half up) as it is printed."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    format: str = TEXT

    def cell(self, value):
        if value is None:
            return None
        if self.format == PCT:
            return pct_cell(value)
        if self.format == INT:
            return int(value)
        return str(value) if isinstance(value, Promise) else value  # a label translated lazily, as text


@dataclass
class Table:
    key: str  # a stable name: targets, districts, outputs, ...
    title: str
    columns: list[Column]
    rows: list[Sequence] = field(default_factory=list)  # raw values, one per column

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def widths(self) -> list[int]:
        return [c.width for c in self.columns]

    def cells(self) -> list[list]:
        """The rows as a spreadsheet gets them."""
        return [[c.cell(v) for c, v in zip(self.columns, row, strict=True)] for row in self.rows]


def table_write(ws, table: Table, *, start_row: int = 1) -> int:
    """Write the table (title, header, rows) on a worksheet; returns the next free row."""
    return write_table(ws, title=table.title, headers=table.headers, rows=table.cells(), start_row=start_row,
                       widths=table.widths)  # fmt: skip


def table_lines(table: Table) -> list[list]:
    """The table as lines of a CSV file: its title, its header, its rows."""
    return [[table.title], table.headers, *table.cells()]


# ------------------------------------------------------------------------------------------------
# Targets and indicators
# ------------------------------------------------------------------------------------------------
def targets_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    """Each indicator for the whole cut, its standing, and its course quarter by quarter."""
    course = [q for q, _r in figures.indicators[0].by_quarter] if figures.indicators else []
    columns = [
        Column(_("Mục tiêu"), 9, INT), Column(_("Chỉ số"), 8), Column(_("Tên chỉ số"), 60),
        Column(_("Chỉ tiêu (%)"), 11, PCT), Column(_("Tử số"), 10, INT), Column(_("Mẫu số"), 10, INT),
        Column(_("Kết quả (%)"), 11, PCT), Column(_("Đánh giá"), 14), Column(_("Số huyện có số liệu"), 12, INT),
        *[Column(_("%(q)s (%%)") % {"q": quarter_name(q)}, 12, PCT) for q in course],
    ]  # fmt: skip
    rows = [
        [t.target.number, i.indicator.code, i.indicator.name, i.indicator.goal, i.province.numerator,
         i.province.denominator, i.value, i.standing.label, i.reporting, *[r.value for _q, r in i.by_quarter]]
        for t in figures.targets for i in t.indicators
    ]  # fmt: skip
    return Table("targets", _("Sáu mục tiêu cụ thể"), columns, rows)


def districts_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    """Each district's figure for each indicator: its latest counted quarter's."""
    columns = [
        Column(_("Huyện, thị xã, thành phố"), 26), Column(_("Chỉ số"), 8), Column(_("Chỉ tiêu (%)"), 11, PCT),
        Column(_("Tử số"), 10, INT), Column(_("Mẫu số"), 10, INT), Column(_("Kết quả (%)"), 11, PCT),
        Column(_("Đánh giá"), 14), Column(_("Số liệu quý"), 14), Column(_("Đơn vị báo cáo"), 24),
    ]  # fmt: skip
    rows = []
    for row in range(len(figures.indicators[0].districts) if figures.indicators else 0):
        for i in figures.indicators:
            c, r = i.districts[row], i.districts[row].ratio
            rows.append([
                c.district.name, i.indicator.code, i.indicator.goal, r.numerator if r else None,
                r.denominator if r else None, r.value if r else None, c.standing.label,
                quarter_name(c.quarter) if r and c.quarter else "", c.agency.short_name if c.agency else "",
            ])  # fmt: skip
    title = _("Kết quả thực hiện các mục tiêu cụ thể theo huyện, thị xã, thành phố")
    return Table("districts", title, columns, rows)


# ------------------------------------------------------------------------------------------------
# Activities and their output targets
# ------------------------------------------------------------------------------------------------
def outputs_table(figures: Figures) -> Table:
    """The output targets the cut shows, planned against achieved, with each agency's part."""
    columns = [
        Column(_("Nhóm"), 8), Column(_("Hoạt động"), 10), Column(_("Mã"), 12), Column(_("Chỉ tiêu đầu ra"), 60),
        Column(_("Đơn vị tính"), 14), Column(_("Kế hoạch năm"), 14, INT), Column(_("Thực hiện"), 14, INT),
        Column(_("Tỷ lệ (%)"), 10, PCT), Column(_("Cách tổng hợp"), 20), Column(_("Cơ quan, đơn vị thực hiện"), 50),
    ]  # fmt: skip
    rows = [
        [g.group.code, a.activity.code, o.output.code, o.output.label, o.output.unit, o.output.quantity, o.achieved,
         o.share, o.output.aggregation_label,
         "; ".join(f"{c.agency.short_name}: {fmt_int(c.value)}" for c in o.contributions)]
        for g, a, o in figures.scoped_outputs()
    ]  # fmt: skip
    return Table("outputs", _("Chỉ tiêu đầu ra: kế hoạch năm và thực hiện"), columns, rows)


def district_outputs_table(figures: Figures) -> Table:
    """A district's duties (Figures.district): its own result, and its share only of the plans the
    program names per district; a province total is shown as such, never as the district's plan."""
    columns = [
        Column(_("Nhóm"), 8), Column(_("Hoạt động"), 10), Column(_("Mã"), 12), Column(_("Chỉ tiêu đầu ra"), 60),
        Column(_("Đơn vị tính"), 14), Column(_("Kế hoạch của huyện"), 14, INT), Column(_("Căn cứ"), 30),
        Column(_("Kế hoạch toàn tỉnh"), 14, INT), Column(_("Huyện thực hiện"), 14, INT),
        Column(_("Tỷ lệ so với kế hoạch của huyện (%)"), 14, PCT),
    ]  # fmt: skip
    rows = [
        [d.group.group.code, d.activity.activity.code, d.figures.output.code, d.figures.output.label,
         d.figures.output.unit, d.plan, d.basis.label if d.basis else _("không giao riêng"),
         d.figures.output.quantity, d.figures.achieved if d.figures.contributions else None, d.share]
        for d in figures.district.outputs
    ]  # fmt: skip
    return Table("outputs", _("Nhiệm vụ và chỉ tiêu đầu ra của huyện"), columns, rows)


def output_agencies_table(figures: Figures) -> Table:
    columns = [Column(_("Mã"), 12), Column(_("Chỉ tiêu đầu ra"), 60), Column(_("Đơn vị tính"), 16),
               Column(_("Cơ quan, đơn vị"), 28), Column(_("Thực hiện"), 14, INT)]  # fmt: skip
    rows = [
        [o.output.code, o.output.label, o.output.unit, c.agency.short_name, c.value]
        for _g, _a, o in figures.scoped_outputs()
        for c in o.contributions
    ]
    return Table("output_agencies", _("Chỉ tiêu đầu ra: phần thực hiện của từng cơ quan, đơn vị"), columns, rows)


ACTIVITY_STATUSES = ("done", "in_progress", "not_started", "not_applicable")


def activities_table(figures: Figures) -> Table:
    """How many agencies report each activity in each state, and what it reached."""
    labels = [_("Đã hoàn thành"), _("Đang triển khai"), _("Chưa triển khai"), _("Không thực hiện trong quý")]
    columns = [
        Column(_("Nhóm"), 8), Column(_("Mã"), 10), Column(_("Hoạt động"), 70),
        *[Column(label, 12, INT) for label in labels],
        Column(_("Trẻ em nam"), 11, INT), Column(_("Trẻ em nữ"), 11, INT), Column(_("Kinh phí đã chi (đồng)"), 18, INT),
    ]  # fmt: skip
    rows = [
        [g.group.code, a.activity.code, a.activity.text, *[a.statuses.get(key, 0) for key in ACTIVITY_STATUSES],
         a.children_boys, a.children_girls, a.money]
        for g in figures.groups for a in g.activities
    ]  # fmt: skip
    title = _("Tình hình triển khai các hoạt động (số đơn vị báo cáo theo tình trạng)")
    return Table("activities", title, columns, rows)


def results_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    columns = [Column(_("Hoạt động"), 10), Column(_("Cơ quan, đơn vị"), 28), Column(_("Quý"), 12),
               Column(_("Kết quả thực hiện"), 100)]  # fmt: skip
    rows = [
        [a.activity.code, acc.agency.short_name, quarter_name(acc.quarter), acc.text]
        for g in figures.groups for a in g.activities for acc in a.accounts
    ]  # fmt: skip
    return Table("results", _("Kết quả thực hiện do các cơ quan, đơn vị báo cáo"), columns, rows)


def accounts_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    """Difficulties, then proposals, as the agencies wrote them."""
    columns = [Column(_("Loại"), 20), Column(_("Hoạt động"), 10), Column(_("Cơ quan, đơn vị"), 40),
               Column(_("Quý"), 14), Column(_("Nội dung"), 100)]  # fmt: skip
    rows = [
        [kind, a.activity.code if a.activity else "", a.agency.name, quarter_name(a.quarter), a.text]
        for kind, accounts in ((_("Khó khăn, vướng mắc"), figures.difficulties),
                               (_("Đề xuất, kiến nghị"), figures.proposals))
        for a in accounts
    ]  # fmt: skip
    title = _("Khó khăn, vướng mắc và đề xuất, kiến nghị của các cơ quan, đơn vị")
    return Table("accounts", title, columns, rows)


# ------------------------------------------------------------------------------------------------
# Budget and reporting
# ------------------------------------------------------------------------------------------------
def budget_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    """Each district's budget for the year against the floors, from its latest counted report: the
    communes' total is the sum of each commune's, and the communes below the floor per commune are named."""
    columns = [
        Column(_("Huyện, thị xã, thành phố"), 26), Column(_("Số xã"), 8, INT),
        Column(_("Cấp huyện đã bố trí"), 18, INT), Column(_("Cấp huyện tối thiểu"), 18, INT),
        Column(_("Cấp huyện còn thiếu"), 18, INT), Column(_("Số xã đã báo cáo"), 10, INT),
        Column(_("Cấp xã đã bố trí (tổng các xã)"), 18, INT), Column(_("Cấp xã tối thiểu"), 18, INT),
        Column(_("Số xã dưới mức tối thiểu"), 12, INT), Column(_("Xã dưới mức tối thiểu"), 48),
        Column(_("Đánh giá"), 14), Column(_("Số liệu quý"), 14), Column(_("Đơn vị báo cáo"), 24),
    ]  # fmt: skip
    rows = [
        [b.district.name, b.communes, b.district_budget, b.district_floor, b.district_shortfall, b.communes_reported,
         b.communes_budget, b.communes_floor, len(b.below),
         "; ".join(f"{c.name} ({fmt_int(c.amount)})" for c in b.below), b.standing.label,
         quarter_name(b.quarter) if b.quarter else "", b.agency.short_name if b.agency else ""]
        for b in figures.budget
    ]  # fmt: skip
    title = _("Kinh phí bố trí năm %(y)s so với mức tối thiểu (đồng)") % {"y": figures.cut.program.year}
    return Table("budget", title, columns, rows)


def compliance_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    """Reporting quarter by quarter: how many agencies sent, on time or late."""
    columns = [
        Column(_("Quý"), 14), Column(_("Hạn nhập"), 12), Column(_("Phải báo cáo"), 12, INT),
        Column(_("Đã gửi"), 10, INT), Column(_("Đúng hạn"), 10, INT), Column(_("Trễ hạn"), 10, INT),
        Column(_("Tổng số ngày trễ"), 12, INT), Column(_("Chưa gửi"), 10, INT),
        Column(_("Tỷ lệ báo cáo (%)"), 14, PCT), Column(_("Tỷ lệ đúng hạn (%)"), 14, PCT), Column(_("Đã đến hạn"), 11),
        Column(_("Được đề nghị: đã gửi"), 12, INT), Column(_("Được đề nghị: chưa gửi"), 12, INT),
    ]  # fmt: skip
    rows = [
        [quarter_name(c.quarter), c.quarter.deadline_label, len(c.expected), c.submitted, len(c.on_time),
         len(c.late), c.days_late_total, len(c.missing), c.rate, c.timeliness, _("Có") if c.due else _("Chưa"),
         len(c.requested_sent), len(c.requested_missing)]
        for c in figures.compliance
    ]  # fmt: skip
    return Table("compliance", _("Tình hình báo cáo theo quý"), columns, rows)


def missing_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    columns = [Column(_("Quý"), 14), Column(_("Hạn nhập"), 12), Column(_("Cơ quan, đơn vị"), 60),
               Column(_("Loại"), 30)]  # fmt: skip
    requested = _("Được đề nghị phối hợp (mục VIII.2.10)")
    rows = [
        [quarter_name(c.quarter), c.quarter.deadline_label, a.name,
         requested if a.is_requested else a.kind_label]
        for c in figures.compliance for a in sorted([*c.missing, *c.requested_missing], key=lambda a: a.order)
    ]  # fmt: skip
    return Table("missing", _("Cơ quan, đơn vị chưa gửi báo cáo"), columns, rows)


def _sending(c: QuarterCompliance, agency) -> list:
    if agency.is_requested:  # asked, not directed (VIII.2.10): sent or not, never late
        sub = next((s for s in c.requested_sent if s.agency_id == agency.pk), None)
        if sub is None:
            return [_("Chưa gửi (được đề nghị)"), None, "", ""]
        return [_("Đã gửi (được đề nghị)"), None, fmt_datetime(sub.first_submitted_at), sub.get_status_display()]
    sub = next((s for s in (*c.on_time, *c.late) if s.agency_id == agency.pk), None)
    if sub is None:
        return [_("Chưa gửi") if c.due else _("Chưa đến hạn"), None, "", ""]
    state = _("Trễ hạn") if sub.days_late else _("Đúng hạn")
    return [state, sub.days_late, fmt_datetime(sub.first_submitted_at), sub.get_status_display()]


def _requested(c: QuarterCompliance) -> list:
    """The requested bodies of a quarter (VIII.2.10), in the program's order, after the directed ones."""
    sent = [s.agency for s in c.requested_sent]
    return sorted([*sent, *c.requested_missing], key=lambda a: a.order)


def submissions_table(figures: Figures, *, quarter_name: QuarterName) -> Table:
    """Every agency's report of every quarter: sent on time, late, or not yet."""
    columns = [
        Column(_("Quý"), 12), Column(_("Hạn nhập số liệu"), 14), Column(_("Cơ quan, đơn vị"), 28),
        Column(_("Tình trạng"), 14), Column(_("Số ngày trễ"), 12, INT), Column(_("Gửi lần đầu lúc"), 22),
        Column(_("Trạng thái xem xét"), 16),
    ]  # fmt: skip
    rows = [
        [quarter_name(c.quarter), c.quarter.deadline_label, a.short_name, *_sending(c, a)]
        for c in figures.compliance for a in (*c.expected, *_requested(c))
    ]  # fmt: skip
    return Table("submissions", _("Tình hình gửi báo cáo của các cơ quan, đơn vị"), columns, rows)
