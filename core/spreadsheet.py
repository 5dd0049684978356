"""Writing figures to Excel (openpyxl) and CSV safely: one place for cell safety and styles.

A cell whose text starts with = + - @ (or a tab / carriage return) would be run as a formula by a
spreadsheet program: such text is written with a leading apostrophe so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0"


def safe_text(value):
    """Neutralise text that a spreadsheet would take for a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_table(ws, *, title: str | None, headers: Sequence[str], rows: Iterable[Sequence], start_row: int = 1,
                widths: Sequence[int] | None = None) -> int:  # fmt: skip
    """Write a titled table with a bold header row; returns the next free row."""
    r = start_row
    if title:
        ws.cell(row=r, column=1, value=safe_text(title)).font = Font(bold=True, size=12)
        r += 1
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=r, column=c, value=safe_text(h))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    header_row = r
    r += 1
    for row in rows:
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=safe_text(value))
            cell.border = BORDER
            if isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = INT_FORMAT
            elif isinstance(value, float):
                cell.number_format = PCT_FORMAT
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    if widths:
        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return r + 1


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


# CSV as Excel opens it in columns under Vietnamese regional settings, where "," is the decimal mark and the list
# separator is ";": cells separated by ";", decimals written with ",", UTF-8 with a byte-order mark (without it
# Excel reads the Vietnamese letters as another code page). A "sep=;" first line is not used: with it, Excel
# ignores the byte-order mark.
CSV_DELIMITER = ";"
CSV_DECIMAL_MARK = ","


def csv_cell(value):
    """A cell as the CSV writes it: formula-like text neutralised, decimals with the decimal comma."""
    if isinstance(value, float | Decimal):
        return str(value).replace(".", CSV_DECIMAL_MARK)
    return safe_text(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV for Excel under Vietnamese regional settings (see CSV_DELIMITER): UTF-8 with a byte-order mark."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
