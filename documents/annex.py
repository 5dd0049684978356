"""The Excel annex of a provincial report: every figure of the report, by agency and by district.

Built from the same Figures object as the PDF (dashboards.figures, the dashboard's selector), with the
tables the dashboard's exports use too (dashboards.tables), so the three can never disagree. Cells hold
numbers (percentages rounded to one decimal, as printed); text written by agencies goes through
spreadsheet.safe_text so that it never runs as a formula.

A compile makes the draft's annex (its title says "dự thảo"); issuing copies it with the report's number
and date in its title (`annex_issued`), nothing else changed.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.formatting import fmt_date
from core.spreadsheet import new_workbook
from dashboards import tables
from dashboards.figures import Figures
from dashboards.previous import LastYear
from dashboards.tables import INT, PCT, Column, Table
from incidents.selectors import incidents_by_kind_and_district
from programs.models import ProvincialReport

from .models import document_symbol
from .wording import period_of, quarter_label


def annex_workbook(*, report: ProvincialReport, figures: Figures, as_of: dt.date,
                   last_year: LastYear | None = None) -> bytes:  # fmt: skip
    """The draft's annex as .xlsx bytes, always in Vietnamese: a sheet per table (with a year before, one
    more: this period's results beside the same period's a year back)."""
    with translation.override("vi"):
        wb = new_workbook()
        sheets = annex_tables(report=report, figures=figures, as_of=as_of)
        if last_year is not None:
            sheets.insert(4, (_("So với cùng kỳ năm trước"), last_year_table(figures=figures, last_year=last_year)))
        for sheet, table in sheets:
            tables.table_write(wb.create_sheet(sheet), table)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def annex_title(*, as_of: dt.date, number: int | None = None, issued_on: dt.date | None = None) -> str:
    """The annex's title: the issued report's number and date, or a draft's day of compile."""
    if number is None:
        return _("Phụ lục số liệu Báo cáo (dự thảo, biên soạn ngày %(d)s)") % {"d": fmt_date(as_of)}
    return _("Phụ lục số liệu Báo cáo số %(n)s ngày %(d)s") % {"n": document_symbol(number), "d": fmt_date(issued_on)}


def annex_issued(data: bytes, *, number: int, issued_on: dt.date) -> bytes:
    """The draft's annex with the issued report's number and date in its title (the first cell of its
    first sheet), everything else as it was."""
    wb = load_workbook(io.BytesIO(data))
    with translation.override("vi"):
        wb.worksheets[0].cell(row=1, column=1).value = annex_title(as_of=issued_on, number=number, issued_on=issued_on)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def annex_tables(*, report: ProvincialReport, figures: Figures, as_of: dt.date) -> list[tuple[str, Table]]:
    """(sheet name, table) for each sheet of the annex, in order."""
    q = quarter_label
    return [
        (_("Thông tin"), info_table(report=report, figures=figures, as_of=as_of)),
        (_("Mục tiêu"), tables.targets_table(figures, quarter_name=q)),
        (_("Mục tiêu theo huyện"), tables.districts_table(figures, quarter_name=q)),
        (_("Chỉ tiêu đầu ra"), tables.outputs_table(figures)),
        (_("Đầu ra theo cơ quan"), tables.output_agencies_table(figures)),
        (_("Hoạt động"), tables.activities_table(figures)),
        (_("Kết quả của các đơn vị"), tables.results_table(figures, quarter_name=q)),
        (_("Kinh phí"), tables.budget_table(figures, quarter_name=q)),
        (_("Chế độ báo cáo"), tables.submissions_table(figures, quarter_name=q)),
        (_("Khó khăn, đề xuất"), tables.accounts_table(figures, quarter_name=q)),
        (_("Báo cáo đột xuất"), incidents_table(report=report, figures=figures)),
    ]


def last_year_table(*, figures: Figures, last_year: LastYear) -> Table:
    """Each indicator and output target of the period, its result beside the same period's a year back
    (matched by code; empty: new this year, or not reported then)."""
    columns = [
        Column(_("Loại"), 16), Column(_("Mã"), 12), Column(_("Nội dung"), 60), Column(_("Đơn vị tính"), 14),
        Column(_("Kết quả năm %(y)s") % {"y": figures.cut.program.year}, 16, PCT), Column(last_year.heading, 16, PCT),
    ]  # fmt: skip
    rows = []
    for i in figures.indicators:
        before = last_year.indicator(i.indicator.code)
        rows.append([_("Chỉ số"), i.indicator.code, i.indicator.name, "%", i.value, before.value if before else None])
    for _g, a, o in figures.scoped_outputs():
        before = last_year.output(a.activity.code, o.output.code)
        rows.append([_("Chỉ tiêu đầu ra"), f"{a.activity.code} / {o.output.code}", o.output.label, o.output.unit,
                     _output_result(o), _output_result(before)])  # fmt: skip
    title = _("Kết quả so với cùng kỳ năm trước (%(h)s)") % {"h": last_year.heading}
    return Table("last_year", title, columns, rows)


def _output_result(o):
    if o is None or not o.contributions:
        return None
    return o.per_commune if o.per_commune is not None else o.achieved


def info_table(*, report: ProvincialReport, figures: Figures, as_of: dt.date) -> Table:
    """What the annex belongs to: the report, the program, the quarters and what was counted."""
    program = report.program
    quarters = list(figures.cut.quarters)
    title = annex_title(as_of=as_of)
    rows = [
        [_("Báo cáo"), _("Kết quả thực hiện Chương trình công tác bảo vệ, chăm sóc trẻ em %(p)s")
         % {"p": period_of(report, quarters)}],
        [_("Chương trình"), program.title],
        [_("Quyết định"), f"{program.decision_number} ({fmt_date(program.decision_date)})"],
        [_("Các quý tổng hợp"), ", ".join(quarter_label(q) for q in quarters)],
        [_("Số báo cáo quý được tổng hợp"), len(figures.counted)],
        [_("Nguyên tắc"), _("Chỉ tính các báo cáo đã được Sở duyệt. Tỷ lệ của tỉnh bằng tổng tử số chia cho tổng "
                            "mẫu số của các huyện, thị xã, thành phố.")],
    ]  # fmt: skip
    return Table("info", title, [Column(_("Nội dung"), 32), Column(_("Giá trị"), 100)], rows)


def incidents_table(*, report: ProvincialReport, figures: Figures) -> Table:
    """The incidents reported in the report's period, by kind and district: counts only."""
    incidents = incidents_by_kind_and_district(
        program=report.program,
        quarters=list(figures.cut.quarters),
        districts=list(figures.cut.frame.districts) if figures.cut.frame is not None else None,
    )
    columns = [Column(_("Huyện, thị xã, thành phố"), 24)]
    for _code, label in incidents.kinds:
        columns += [Column(f"{label}: " + _("số vụ"), 12, INT), Column(f"{label}: " + _("số trẻ em"), 12, INT)]
    columns += [Column(_("Tổng số vụ"), 12, INT), Column(_("Tổng số trẻ em"), 12, INT)]

    def cells(tallies, total):
        return [n for t in tallies for n in (t.cases, t.children)] + [total.cases, total.children]

    rows = [[row.district.display_short, *cells(row.cells, row.total)] for row in incidents.rows]
    rows.append([_("Toàn tỉnh"), *cells(incidents.totals, incidents.total)])
    title = _("Các vụ việc được báo cáo đột xuất từ %(a)s đến %(b)s, theo loại và địa bàn") % {
        "a": fmt_date(incidents.date_from),
        "b": fmt_date(incidents.date_to),
    }
    return Table("incidents", title, columns, rows)
