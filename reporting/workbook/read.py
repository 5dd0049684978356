"""Reading an uploaded workbook: opening the bytes as an .xlsx (with limits), and turning its input
cells into the form data a browser would post, with an error at each cell that cannot be read."""

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

from core.formatting import fmt_int
from core.spreadsheet import FORMULA_PREFIXES

from ..models import ActivityProgress
from .identity import ID_SHEET
from .layout import COUNT, FIRST_ROW, FLAG, MONEY, STATUS, SheetLayout, WorkbookLayout

MAX_UPLOAD_BYTES = settings.PORTAL_UPLOAD_MAX_BYTES  # a filled workbook is some tens of kilobytes
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # an .xlsx is a zip: refuse one that would unpack to far more
YES_WORDS = {"có", "co", "x", "✓", "✔", "1", "yes", "y", "true", "đạt", "dat"}
NO_WORDS = {"không", "khong", "0", "no", "n", "false", "chưa", "chua", "chưa đạt", "chua dat"}


@dataclass
class LoadedWorkbook:
    """An uploaded workbook as written (formulas as text), and, only when needed, the values that the
    spreadsheet program computed for its formulas. `name` is the file's name as the browser sent it."""

    book: Workbook
    raw: bytes
    name: str = ""
    _computed: Workbook | None = None

    def computed(self) -> Workbook:
        if self._computed is None:
            self._computed = load_workbook(io.BytesIO(self.raw), data_only=True)
        return self._computed

    @property
    def sheets(self) -> list:
        """The worksheets the officer sees (the identity sheet apart)."""
        return [ws for ws in self.book.worksheets if ws.title != ID_SHEET]


def too_large_message(size: int) -> str:
    return _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.") % {
        "size": fmt_int(-(-size // (1024 * 1024))),
        "max": fmt_int(MAX_UPLOAD_BYTES // (1024 * 1024)),
    }


def workbook_load(raw: bytes, *, name: str = "") -> LoadedWorkbook:
    """Open uploaded bytes as an .xlsx, or raise ValidationError with a message in Vietnamese."""
    not_xlsx = ValidationError(
        _("Tệp không phải tệp Excel .xlsx hợp lệ. Vui lòng dùng tệp Excel tải từ cổng và lưu lại dạng .xlsx "
          "(không dùng .xls, .csv hay .pdf)."),
        code="not_xlsx",
    )  # fmt: skip
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message(len(raw)), code="too_large")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ValidationError(_("Tệp Excel quá lớn để xử lý."), code="too_large")
        book = load_workbook(io.BytesIO(raw))
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


def _check_rows(ws, sheet: SheetLayout) -> None:
    """Raise WrongShape at the first row whose code is not the layout's (rows added, removed or moved)."""
    for i, row in enumerate(sheet.rows):
        r = FIRST_ROW + i
        found = ws.cell(row=r, column=1).value
        if str(found if found is not None else "").strip() != row.key:
            message = _(
                "Mã “%(found)s” không khớp mẫu (cần “%(key)s”): không thêm, xoá hay đổi thứ tự dòng. Vui lòng "
                "tải tệp Excel mới."
            ) % {"found": found or "", "key": row.key}
            raise WrongShape(CellError(ws.title, f"A{r}", row.label, message))


def read_cells(loaded: LoadedWorkbook, layout: WorkbookLayout, current: dict) -> tuple[dict, list[CellError]]:
    """The form data the workbook holds (as a browser would post it), and the errors found on the way.
    `current` is the form's data from the stored values (a text equal but for line endings stays as
    stored). Raises WrongShape when sheets or rows were added, removed or moved."""
    sheets = loaded.sheets
    if len(sheets) != len(layout.sheets):
        raise WrongShape(_("Tệp không đúng mẫu: số sheet đã thay đổi. Vui lòng tải tệp Excel mới từ trang báo cáo."))
    reader = _CellReader(layout, current)
    data: dict = {}
    errors: list[CellError] = []
    for ws, sheet in zip(sheets[1:], layout.sheets[1:], strict=True):
        _check_rows(ws, sheet)
        for r, c, row, inp in sheet.inputs():
            slot = sheet.slot(r, c, row)
            cell = ws.cell(row=r, column=c)
            value = cell.value
            if cell.data_type == "f":
                value = loaded.computed()[ws.title].cell(row=r, column=c).value
                if value is None:
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
