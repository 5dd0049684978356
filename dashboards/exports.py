"""The dashboard's tables as files: one workbook with a sheet per table, or one table as CSV (UTF-8
with a byte-order mark). The tables are those of `dashboards.tables`, the builders the report's annex
uses too; each file starts with what its figures are and which submissions count."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from core.formatting import fmt_datetime
from core.spreadsheet import csv_bytes, new_workbook, safe_text
from programs import calendar

from . import tables
from .figures import Figures
from .filters import Filters


@dataclass(frozen=True)
class Export:
    key: str  # ?table= of the CSV download
    slug: str  # in the CSV file's name
    sheet: str  # the workbook sheet (31 characters at most); "" puts it under the previous table
    label: str  # in the page's download menu
    province_only: bool = False  # targets, districts and budget: not for a provincial agency


EXPORTS = [
    Export("targets", "muc-tieu", gettext_lazy("Mục tiêu"), gettext_lazy("Sáu mục tiêu cụ thể"), True),
    Export("districts", "huyen-chi-so", gettext_lazy("Huyện - chỉ số"), gettext_lazy("Chỉ số theo huyện"), True),
    Export("outputs", "dau-ra", gettext_lazy("Chỉ tiêu đầu ra"), gettext_lazy("Chỉ tiêu đầu ra")),
    Export("compliance", "tinh-hinh-bao-cao", gettext_lazy("Tình hình báo cáo"), gettext_lazy("Tình hình báo cáo")),
    Export("missing", "chua-bao-cao", "", gettext_lazy("Cơ quan, đơn vị chưa gửi báo cáo")),
    Export("budget", "kinh-phi", gettext_lazy("Kinh phí"), gettext_lazy("Kinh phí"), True),
    Export("accounts", "kho-khan-de-xuat", gettext_lazy("Khó khăn, đề xuất"), gettext_lazy("Khó khăn, đề xuất")),
]
BUILDERS = {
    "targets": tables.targets_table,
    "districts": tables.districts_table,
    "outputs": lambda figures, quarter_name: (
        tables.district_outputs_table(figures) if figures.district else tables.outputs_table(figures)
    ),
    "compliance": tables.compliance_table,
    "missing": tables.missing_table,
    "budget": tables.budget_table,
    "accounts": tables.accounts_table,
}


def exports_for(filters: Filters) -> list[Export]:
    """The tables this scope can download."""
    return [e for e in EXPORTS if filters.shows_targets or not e.province_only]


def export_preamble(filters: Filters) -> list[str]:
    """The first rows of every exported table: what the figures are, and which submissions count."""
    return [
        _("Bảng điều khiển Chương trình công tác Bảo vệ, chăm sóc trẻ em tỉnh An Giang năm %(y)s")
        % {"y": filters.program.year},
        _("Kỳ số liệu: %(c)s") % {"c": filters.cut_label},
        _("Số liệu được tính: %(c)s") % {"c": filters.counting_label},
        _("Phạm vi: %(s)s") % {"s": filters.scope_label},
        _("Xuất lúc: %(t)s") % {"t": fmt_datetime(calendar.now())},
    ]


def _table(export: Export, figures: Figures) -> tables.Table:
    return BUILDERS[export.key](figures, quarter_name=str)


def export_workbook(*, filters: Filters, figures: Figures) -> bytes:
    """The dashboard's tables as a workbook, one sheet per table (the missing agencies under reporting)."""
    preamble = export_preamble(filters)
    wb = new_workbook()
    ws, row = None, 1
    for export in exports_for(filters):
        table = _table(export, figures)
        if not export.sheet and ws is not None:
            frozen = ws.freeze_panes
            row = tables.table_write(ws, table, start_row=row)
            ws.freeze_panes = frozen  # keep the first table's header frozen
            continue
        ws = wb.create_sheet(str(export.sheet))
        for i, line in enumerate(preamble, start=1):
            ws.cell(row=i, column=1, value=safe_text(line))
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        row = tables.table_write(ws, table, start_row=len(preamble) + 2)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_csv(*, filters: Filters, figures: Figures, key: str) -> tuple[bytes, str] | None:
    """One table as CSV and its file name, or None when this scope has no such table."""
    export = next((e for e in exports_for(filters) if e.key == key), None)
    if export is None:
        return None
    preamble = export_preamble(filters)
    lines = [[line] for line in preamble[1:]] + tables.table_lines(_table(export, figures))
    return csv_bytes([preamble[0]], lines), f"{filters.file_stem}-{export.slug}.csv"
