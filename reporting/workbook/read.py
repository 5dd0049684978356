"""Reading an uploaded workbook: opening the bytes as an .xlsx (with limits), and turning its input
cells into the form data a browser would post, with an error at each cell that cannot be read.

An upload cannot exhaust a web worker: before anything is parsed, each part of the zip is held to a
size (the shared strings, each sheet, the rest) and to a compression ratio (a few kilobytes that unpack
to hundreds of megabytes are refused); the workbook is then opened once, read-only and streaming, with
the values the spreadsheet program computed for its formulas (a formula without one is told apart from
an empty cell), and each sheet is read once, row by row, no further than the template's rows and
columns and a small margin: content beyond them is refused. Each refusal is a ValidationError (or a
cell error) with a Vietnamese message; nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from core.formatting import fmt_int
from core.spreadsheet import FORMULA_PREFIXES

from ..models import ActivityProgress
from .identity import ID_SHEET
from .layout import COUNT, FIRST_ROW, FLAG, MONEY, STATUS, SheetLayout, WorkbookLayout

MAX_UPLOAD_BYTES = settings.PORTAL_UPLOAD_MAX_BYTES  # a filled workbook is some tens of kilobytes
MB = 1024 * 1024
MAX_UNZIPPED_BYTES = 24 * MB  # an .xlsx is a zip: refuse one that would unpack to far more
# The largest each part may unpack to: a filled district workbook has sheets of some tens of kilobytes,
# and its longest texts (4.000 characters per field) make a few hundred kilobytes of shared strings.
MAX_SHARED_STRINGS_BYTES = 8 * MB
MAX_SHEET_BYTES = 8 * MB
MAX_OTHER_PART_BYTES = 2 * MB
MAX_PARTS = 200
# Real XML packs 3 to 30 times; a part that packs far more is a bomb (checked on parts over 256 KB).
MAX_RATIO = 100
RATIO_FROM_BYTES = 256 * 1024
# How far beyond the template's last row and column a sheet may hold anything.
EXTRA_ROWS, EXTRA_COLUMNS = 20, 5
YES_WORDS = {"có", "co", "x", "✓", "✔", "1", "yes", "y", "true", "đạt", "dat"}
NO_WORDS = {"không", "khong", "0", "no", "n", "false", "chưa", "chua", "chưa đạt", "chua dat"}


class _CellParser(WorkSheetParser):
    """openpyxl's sheet parser, reading the values the spreadsheet program computed, that still tells a
    formula without a computed value (data type "f") from an empty cell."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["data_type"] = "f"
        return cell


@dataclass
class LoadedWorkbook:
    """An uploaded workbook, open read-only with the computed values of its formulas. `name` is the
    file's name as the browser sent it."""

    book: Workbook
    raw: bytes
    name: str = ""

    @property
    def sheets(self) -> list:
        """The worksheets the officer sees (the identity sheet apart)."""
        return [ws for ws in self.book.worksheets if ws.title != ID_SHEET]

    def cells(self, ws, *, rows: int, columns: int) -> dict[tuple[int, int], tuple]:
        """The sheet's cells up to `rows` and `columns`, read once, streaming: (row, column) → (value, data
        type). Raises WrongShape at the first value beyond them and a margin (rows or columns added)."""
        grid: dict[tuple[int, int], tuple] = {}
        book = self.book
        with book._archive.open(ws._worksheet_path) as source:
            formats = {"date_formats": book._date_formats, "timedelta_formats": book._timedelta_formats}
            parser = _CellParser(source, ws._shared_strings, data_only=True, epoch=book.epoch, **formats)
            for r, row in parser.parse():
                for cell in row:
                    c, value = cell["column"], cell["value"]
                    if r > rows + EXTRA_ROWS or c > columns + EXTRA_COLUMNS:
                        if value is not None and value != "":
                            raise WrongShape(_outside(ws.title, r, c))
                    elif r <= rows and c <= columns:
                        grid[(r, c)] = (value, cell["data_type"])
        return grid


def _outside(sheet: str, r: int, c: int) -> CellError:
    cell = f"{get_column_letter(c)}{r}"
    message = _("Có dữ liệu ngoài vùng của mẫu: không thêm dòng hay cột. Vui lòng tải tệp Excel mới.")
    return CellError(sheet, cell, "", message)


def too_large_message(size: int) -> str:
    return _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.") % {
        "size": fmt_int(-(-size // (1024 * 1024))),
        "max": fmt_int(MAX_UPLOAD_BYTES // (1024 * 1024)),
    }


def _part_limit(name: str) -> int:
    if name == "xl/sharedStrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return MAX_SHEET_BYTES
    return MAX_OTHER_PART_BYTES


def _check_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose parts would unpack too large, or pack too well, before any of them is read.
    (zipfile stops at the size a part declares, so a part cannot unpack to more than is checked here.)"""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS or sum(info.file_size for info in parts) > MAX_UNZIPPED_BYTES:
        raise ValidationError(_("Tệp Excel quá lớn để xử lý."), code="too_large")
    for info in parts:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _part_limit(info.filename) or (info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO):
            raise ValidationError(
                _("Tệp Excel có một phần quá lớn hoặc nén bất thường (%(part)s): tệp có quá nhiều ô hoặc quá "
                  "nhiều chữ. Vui lòng dùng tệp Excel tải từ cổng.") % {"part": info.filename[-60:]},
                code="too_large",
            )  # fmt: skip


def workbook_load(raw: bytes, *, name: str = "") -> LoadedWorkbook:
    """Open uploaded bytes as an .xlsx, once, read-only, or raise ValidationError with a message in Vietnamese."""
    not_xlsx = ValidationError(
        _("Tệp không phải tệp Excel .xlsx hợp lệ. Vui lòng dùng tệp Excel tải từ cổng và lưu lại dạng .xlsx "
          "(không dùng .xls, .csv hay .pdf)."),
        code="not_xlsx",
    )  # fmt: skip
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message(len(raw)), code="too_large")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _check_parts(archive)
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on foreign content
        raise not_xlsx from None
    return LoadedWorkbook(book=book, raw=raw, name=name)


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


class WrongShape(Exception):
    """The workbook's sheets or rows are not those of the layout: its cells cannot be read."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


# ------------------------------------------------------------------------------------------------
# What a cell may say
# ------------------------------------------------------------------------------------------------
def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


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


def _flag_words() -> tuple[set[str], set[str]]:
    yes, no = set(YES_WORDS), set(NO_WORDS)
    for lang in _languages():
        with translation.override(lang):
            yes.add(_("Có").casefold())
            no.add(_("Không").casefold())
    return yes, no


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


# ------------------------------------------------------------------------------------------------
# Reading the cells
# ------------------------------------------------------------------------------------------------
class _CellReader:
    """Turns one input cell's value into the text the web form would post, or a message."""

    def __init__(self, layout: WorkbookLayout, current: dict):
        self.layout, self.current = layout, current
        self.statuses = _status_labels()
        self.yes, self.no = _flag_words()

    def read(self, name: str, value) -> tuple[str | None, str | None]:
        """(form data, None), or (None, error message); (None, None) leaves the field out (empty, "No")."""
        kind = self.layout.kind(name)
        if kind in (COUNT, MONEY):
            return _number_text(value), None
        if kind == FLAG:
            word = "true" if value is True else "false" if value is False else _number_text(value).strip().casefold()
            if word in self.yes:
                return "on", None
            return None, (None if word in self.no else _("Vui lòng chọn “Có” hoặc “Không”."))
        if kind == STATUS:
            code = self.statuses.get(_number_text(value).strip().casefold())
            if code is None:
                allowed = ", ".join(str(label) for _c, label in ActivityProgress.Status.choices)
                return None, _("Tình trạng không hợp lệ; vui lòng chọn một trong: %(list)s.") % {"list": allowed}
            return code, None
        text = _unsafe_text(_number_text(value))
        return (self.current.get(name) if _same_text(text, self.current.get(name)) else text), None


def _check_rows(title: str, grid: dict, sheet: SheetLayout) -> None:
    """Raise WrongShape at the first row whose code is not the layout's (rows added, removed or moved)."""
    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        found = grid.get((r, 1), (None,))[0]
        if str(found if found is not None else "").strip() != row.key:
            message = _(
                "Mã “%(found)s” không khớp mẫu (cần “%(key)s”): không thêm, xoá hay đổi thứ tự dòng. Vui lòng "
                "tải tệp Excel mới."
            ) % {"found": found or "", "key": row.key}
            raise WrongShape(CellError(title, f"A{r}", row.label, message))


def read_cells(loaded: LoadedWorkbook, layout: WorkbookLayout, current: dict) -> tuple[dict, list[CellError]]:
    """The form data the workbook holds (as a browser would post it), and the errors found on the way.
    `current` is the form's data from the stored values (a text equal but for line endings stays as
    stored). Raises WrongShape when sheets or rows were added, removed or moved, or a sheet holds
    anything beyond the template's rows and columns."""
    sheets = loaded.sheets
    if len(sheets) != len(layout.sheets):
        raise WrongShape(_("Tệp không đúng mẫu: số sheet đã thay đổi. Vui lòng tải tệp Excel mới từ trang báo cáo."))
    reader = _CellReader(layout, current)
    data: dict = {}
    errors: list[CellError] = []
    for ws, sheet in zip(sheets[1:], layout.sheets[1:], strict=True):
        grid = loaded.cells(ws, rows=FIRST_ROW + len(sheet.rows) - 1, columns=len(sheet.columns))
        _check_rows(ws.title, grid, sheet)
        for r, c, row, inp in sheet.inputs():
            slot = sheet.slot(r, c, row)
            value, data_type = grid.get((r, c), (None, "n"))
            if data_type == "f":
                message = _("Ô có công thức nhưng chưa có kết quả tính; vui lòng nhập giá trị trực tiếp.")
                errors.append(CellError(ws.title, slot.cell, slot.item, message, inp.field))
                continue
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "":
                continue
            text, message = reader.read(inp.field, value)
            if message is not None:
                errors.append(CellError(ws.title, slot.cell, slot.item, message, inp.field))
            elif text is not None:
                data[inp.field] = text
    return data, errors
