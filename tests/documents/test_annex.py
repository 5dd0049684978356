"""The Excel annex: every figure of the report by agency and district, the same as the PDF's."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dashboards.figures import cut_report, figures_compute
from dashboards.tables import pct_cell
from documents.annex import annex_workbook
from documents.services import version_compile, version_create
from tests.incidents.helpers import three_incidents

from .helpers import ACCOUNT, EXPECTED, FORMULA, ISSUED, TICKED, pdf_text, report, seed, squash

pytestmark = pytest.mark.django_db


def workbook(kind: str):
    r = report(kind)
    data = annex_workbook(report=r, figures=figures_compute(cut=cut_report(report=r)), as_of=ISSUED[kind])
    return load_workbook(io.BytesIO(data))


def table(ws) -> list[dict]:
    """A sheet written by spreadsheet.write_table: title row, header row, then rows."""
    rows = list(ws.iter_rows(values_only=True))
    headers = rows[1]
    return [dict(zip(headers, r, strict=False)) for r in rows[2:] if any(v is not None for v in r)]


def as_number(printed: str) -> float:
    return float(printed.rstrip("%").replace(".", "").replace(",", "."))


@pytest.mark.parametrize("kind", ["quarterly", "six_month", "annual"])
def test_workbook_shows_the_figures_the_pdf_prints(program, kind):
    seed(program)
    wb = workbook(kind)
    assert wb.sheetnames[:3] == ["Thông tin", "Mục tiêu", "Mục tiêu theo huyện"]
    rows = {r["Chỉ số"]: r for r in table(wb["Mục tiêu"])}
    for code, (value, detail) in {**EXPECTED[kind], **TICKED}.items():
        num, den = (int(x.replace(".", "")) for x in re.match(r"([\d.]+)/([\d.]+)", detail).groups())
        assert (rows[code]["Tử số"], rows[code]["Mẫu số"]) == (num, den), code
        assert rows[code]["Kết quả (%)"] == as_number(value), code

    by_district = [r for r in table(wb["Mục tiêu theo huyện"]) if r["Chỉ số"] == "1"]
    assert len(by_district) == 11
    an_phu = next(r for r in by_district if r["Huyện, thị xã, thành phố"] == "Huyện An Phú")
    latest = 1 if kind == "quarterly" else 2
    assert (an_phu["Tử số"], an_phu["Mẫu số"], an_phu["Số liệu quý"]) == (
        {1: 45, 2: 50}[latest],
        50,
        "Quý " + "I" * latest,
    )
    long_xuyen = next(r for r in by_district if r["Huyện, thị xã, thành phố"] == "Thành phố Long Xuyên")
    assert long_xuyen["Tử số"] is None and long_xuyen["Đánh giá"] == "Chưa báo cáo"

    outputs = {r["Mã"]: r for r in table(wb["Chỉ tiêu đầu ra"])}
    assert (outputs["I.7.3.a"]["Kế hoạch năm"], outputs["I.7.3.a"]["Thực hiện"], outputs["I.7.3.a"]["Tỷ lệ (%)"]) == (
        100, 12, 12.0)  # fmt: skip
    per_agency = [r for r in table(wb["Đầu ra theo cơ quan"]) if r["Mã"] == "I.7.3.a"]
    assert [(r["Cơ quan, đơn vị"], r["Thực hiện"]) for r in per_agency] == [("Sở Y tế", 12)]
    budget = {r["Huyện, thị xã, thành phố"]: r for r in table(wb["Kinh phí"])}
    assert budget["Huyện An Phú"]["Cấp huyện đã bố trí"] == 130_000_000
    assert budget["Huyện An Phú"]["Cấp huyện còn thiếu"] == 20_000_000


def test_agency_text_stays_text(program):
    """An account is written as it was typed; text that a spreadsheet would run as a formula is
    written with a leading apostrophe (core.spreadsheet.safe_text)."""
    seed(program)
    wb = workbook("quarterly")
    accounts = [r["Kết quả thực hiện"] for r in table(wb["Kết quả của các đơn vị"])]
    assert ACCOUNT in accounts
    texts = [r["Nội dung"] for r in table(wb["Khó khăn, đề xuất"])]
    assert "'" + FORMULA in texts
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_the_stored_workbook_and_pdf_of_a_version_agree(program, settings, tmp_path):
    """Compiled together from one computation: every province value in the workbook is the one the
    PDF prints."""
    settings.MEDIA_ROOT = tmp_path
    seed(program)
    version, _ = version_create(report=report("six_month"), trigger="command", enqueue=False)
    version = version_compile(version_id=version.pk)
    assert version.status == "done", version.error
    wb = load_workbook(tmp_path / version.xlsx_path)
    text = squash(pdf_text((tmp_path / version.pdf_path).read_bytes()))
    for r in table(wb["Mục tiêu"]):
        printed = f"{Decimal(str(r['Kết quả (%)'])).normalize():f}".replace(".", ",") + "%"
        assert f"đạt {printed} (" in text, (r["Chỉ số"], printed)
    assert pct_cell(Decimal("91.6666")) == 91.7 and pct_cell(Decimal("96.25")) == 96.3


SHARED = {"Mục tiêu": "Mục tiêu", "Mục tiêu theo huyện": "Huyện - chỉ số", "Chỉ tiêu đầu ra": "Chỉ tiêu đầu ra",
          "Kinh phí": "Kinh phí", "Khó khăn, đề xuất": "Khó khăn, đề xuất"}  # fmt: skip


def _titled_table(ws, title: str) -> tuple[tuple, list[tuple]]:
    """The header and rows of the table with this title on a sheet (after the export's preamble)."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    body = []
    for r in rows[start + 2 :]:
        if not any(v is not None for v in r):
            break
        body.append(r)
    return rows[start + 1], body


def test_the_annex_tables_are_the_dashboards(program, login):
    """The six-month report's annex and the dashboard's workbook for the same quarters hold the same
    tables: the same columns and the same cells, quarters named as each document names them."""
    seed(program)
    annex = workbook("six_month")
    export = load_workbook(io.BytesIO(login("dolisa").get("/dashboard/2018/export.xlsx?cut=ytd&quarter=2").content))
    for annex_sheet, export_sheet in SHARED.items():
        title = annex[annex_sheet]["A1"].value
        a_head, a_rows = _titled_table(annex[annex_sheet], title)
        e_head, e_rows = _titled_table(export[export_sheet], title)
        same = [i for i, h in enumerate(a_head) if "quý" not in h.lower()]
        assert len(a_head) == len(e_head) and [a_head[i] for i in same] == [e_head[i] for i in same], annex_sheet
        assert [[r[i] for i in same] for r in a_rows] == [[r[i] for i in same] for r in e_rows], annex_sheet
        assert a_rows, annex_sheet


def test_the_incidents_sheet_totals_the_province(program):
    """The six-month annex has a sheet of incidents by kind and district, its last row the province's
    cases and children."""
    three_incidents(program)
    ws = workbook("six_month")["Báo cáo đột xuất"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    total = next(r for r in rows if r[0] == "Toàn tỉnh")
    assert total[-2:] == [3, 6]
