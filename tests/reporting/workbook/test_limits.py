"""Uploads that cannot exhaust a web worker (reporting.workbook.read): the shared-strings bomb and the
4-million-cell workbook are refused in under a second with the process growing by less than 100 MB; the
workbook is opened once; content beyond the template is refused; a user's uploads are rate-limited. Each
refusal says why in Vietnamese and changes nothing. The bombs are built here with zipfile, not openpyxl."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reporting.fields import ind_field
from reporting.views import workbook as workbook_views
from reporting.workbook import read

from .helpers import download, fill, spec_of, stored, upload

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def growth_mb(action) -> tuple[float, float, object]:
    """(seconds, peak memory growth in MB, result) of an action. The peak resident size is reset first
    (Linux /proc/self/clear_refs), so that the growth measured is this action's."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    started = time.monotonic()
    result = action()
    seconds = time.monotonic() - started
    return seconds, (_status_kb("VmHWM") - before) / 1024, result


def rebuilt(content: bytes, replace: dict[str, object]) -> bytes:
    """The workbook with some parts replaced: bytes, or a function that writes a part in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in [*names, *(n for n in replace if n not in names)]:
            part = replace.get(name)
            if part is None:
                dst.writestr(name, src.read(name))
            elif isinstance(part, bytes):
                dst.writestr(name, part)
            else:
                with dst.open(name, "w") as sink:
                    part(sink)
    return out.getvalue()


def shared_strings_bomb(sink) -> None:
    """54 MB of shared strings (as in the incident: a 156 KB workbook)."""
    sink.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main" count="54000" uniqueCount="54000">')  # fmt: skip
    item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    for _ in range(54_000):
        sink.write(item)
    sink.write(b"</sst>")


def million_cells_sheet(sink, rows: int = 40_000, columns: int = 100) -> None:
    """A sheet of 4 million numeric cells (40.000 rows × 100 columns)."""
    sink.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main"><sheetData>')  # fmt: skip
    row = b"".join(b"<c><v>1</v></c>" for _ in range(columns))
    for r in range(1, rows + 1):
        sink.write(b'<row r="%d">' % r + row + b"</row>")
    sink.write(b"</sheetData></worksheet>")


@pytest.mark.parametrize(
    ("part", "writer"),
    [("xl/sharedStrings.xml", shared_strings_bomb), ("xl/worksheets/sheet2.xml", million_cells_sheet)],
    ids=["shared-strings-bomb", "4-million-cells"],
)
def test_bombs_are_refused_fast_with_memory_bounded(draft, part, writer):
    bomb = rebuilt(download(), {part: writer})
    assert len(bomb) < read.MAX_UPLOAD_BYTES
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(part).file_size > 50 * MB  # what it would unpack to
    before = stored()
    upload(bomb)  # warm: the first upload imports and builds what every later one shares
    _seconds, grown, response = growth_mb(lambda: upload(bomb))  # the time is bench work, not a test's
    assert response.status_code == 200
    assert "Tệp Excel quá lớn để xử lý." in response.content.decode()
    assert grown < 100, grown
    assert stored() == before


def test_the_workbook_is_opened_once_even_with_formulas(draft, monkeypatch):
    """One load, read-only, with the computed values; a formula with a computed value is read as that value."""
    spec = spec_of()
    content = fill(download(), [("Chỉ số", spec.indicators[0].code, "Tử số", "=2+3"),
                                ("Chỉ số", spec.indicators[0].code, "Mẫu số", 10)])  # fmt: skip
    # openpyxl keeps no computed value: write the one a spreadsheet program would have kept beside the formula
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/") and b"2+3" in archive.read(n))
        sheet = archive.read(name).replace(b"<f>2+3</f><v></v>", b"<f>2+3</f><v>5</v>")
        sheet = sheet.replace(b"<f>2+3</f><v />", b"<f>2+3</f><v>5</v>")
    content = rebuilt(content, {name: sheet})
    calls = []
    real = read.load_workbook
    monkeypatch.setattr(read, "load_workbook", lambda *a, **k: calls.append(k) or real(*a, **k))
    response = upload(content)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert calls == [{"read_only": True, "data_only": True}]
    assert stored()[ind_field(spec.indicators[0].pk, "num")] == 5


def test_a_part_that_packs_too_well_is_refused(draft):
    """Under the total, but one part of 6 MB packed some thousand times: refused before it is parsed."""
    before = stored()
    page = upload(rebuilt(download(), {"xl/worksheets/sheet2.xml": lambda sink: million_cells_sheet(sink, 4000, 100)}))
    assert "nén bất thường (xl/worksheets/sheet2.xml)" in page.content.decode()
    assert stored() == before


def test_content_beyond_the_template_is_refused(draft):
    wb = openpyxl.load_workbook(io.BytesIO(download()))
    wb["Chỉ số"].cell(row=500, column=3, value=7)
    buf = io.BytesIO()
    wb.save(buf)
    before = stored()
    page = upload(buf.getvalue()).content.decode()
    assert "Có dữ liệu ngoài vùng của mẫu" in page and "C500" in page
    assert stored() == before


def test_uploads_are_rate_limited_per_user(draft, monkeypatch):
    monkeypatch.setattr(workbook_views, "UPLOADS_PER_WINDOW", 2)
    content = download()
    assert upload(content).status_code in (200, 302)
    assert upload(content).status_code in (200, 302)
    response = upload(content)
    assert response.status_code == 429
    assert "quá nhiều tệp trong ít phút" in response.content.decode()


def test_the_rate_limit_falls_back_open_when_the_cache_is_down(draft, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(workbook_views, "UPLOADS_PER_WINDOW", 0)

    def unreachable(*args, **kwargs):
        raise ValueError("unreachable")

    monkeypatch.setattr(cache, "incr", unreachable)
    assert upload(download()).status_code in (200, 302)
