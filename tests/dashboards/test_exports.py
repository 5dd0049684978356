"""The dashboard's files (dashboards.exports): the Excel workbook and the CSV tables say the page's numbers,
named after their cut, with text that looks like a formula kept as text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from activities.models import Activity
from tests.factories import ActivityProgressFactory

from .helpers import URL, communes, get, sub, three_districts, with_budget

pytestmark = pytest.mark.django_db


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def _sheet_rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_excel_export_has_the_same_numbers(login):
    three_districts()
    # Phú Tân, 18 communes: two below 20.000.000 đ, the total 436.000.000 đ
    with_budget("ubnd-phu-tan", 2, district=120_000_000, amounts=[18_000_000, 10_000_000] + [25_500_000] * 16)
    response = get(login("dolisa"), f"{URL}export.xlsx?cut=ytd&quarter=2")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bang-dieu-khien-2018-q2-luy-ke.xlsx"' in response["Content-Disposition"]
    wb = _workbook(response)
    assert wb.sheetnames == ["Mục tiêu", "Huyện - chỉ số", "Chỉ tiêu đầu ra", "Tình hình báo cáo", "Kinh phí",
                             "Khó khăn, đề xuất"]  # fmt: skip
    targets = _sheet_rows(wb["Mục tiêu"])
    assert targets[1][0] == "Kỳ số liệu: Lũy kế từ đầu năm đến hết quý 2/2018"
    assert targets[2][0] == "Số liệu được tính: Chỉ số liệu đã được Sở duyệt"
    one = next(r for r in targets if r[1] == "1" and r[0] == 1)
    assert one[3:9] == (100.0, 4, 10, 40.0, "Chưa đạt", 3)
    assert one[9:11] == (40.0, None)  # the course: Q1 40%, no figure for Q2
    districts = _sheet_rows(wb["Huyện - chỉ số"])
    an_phu = next(r for r in districts if r[0] == "Huyện An Phú" and r[1] == "1")
    assert an_phu[3:7] == (3, 4, 75.0, "Chưa đạt")
    budget = next(r for r in _sheet_rows(wb["Kinh phí"]) if r[0] == "Huyện Phú Tân")
    below = [c.name for c in communes("ubnd-phu-tan")[:2]]
    assert budget[1:11] == (18, 120_000_000, 150_000_000, 30_000_000, 18, 436_000_000, 360_000_000, 2,
                            f"{below[0]} (18.000.000); {below[1]} (10.000.000)", "Chưa đạt")  # fmt: skip
    compliance = _sheet_rows(wb["Tình hình báo cáo"])
    q1 = next(r for r in compliance if r[0] == "Quý 1/2018")
    assert q1[2:8] == (20, 3, 3, 0, 0, 17)  # the six bodies the decision requests are counted apart
    assert q1[-2:] == (0, 6)
    assert any(r[2] == "Sở Y tế" for r in compliance if r[0] == "Quý 1/2018" and r[1] == "20/03/2018")
    assert (wb["Mục tiêu"]["G9"].value, wb["Mục tiêu"]["G9"].number_format) == (40.0, "0.0")
    assert (wb["Mục tiêu"]["E9"].value, wb["Mục tiêu"]["E9"].number_format) == (4, "#,##0")


def test_csv_export_per_table(login):
    """Each table downloads as its own CSV, named after the cut, headed by what it counts; an unknown table is 400."""
    three_districts()
    c = login("dolisa")
    response = get(c, f"{URL}export.csv?cut=quarter&quarter=1&pending=1&table=targets")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="bang-dieu-khien-2018-q1-gom-chua-duyet-muc-tieu.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, ";" between cells
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["Kỳ số liệu: Riêng quý 1/2018"]
    assert rows[2] == ["Số liệu được tính: Gồm cả báo cáo đã gửi, chưa duyệt"]
    assert rows[3] == ["Phạm vi: Toàn tỉnh"]
    one = next(r for r in rows if len(r) > 2 and r[0] == "1" and r[1] == "1")
    assert one[3:8] == ["100,0", "4", "10", "40,0", "Chưa đạt"]  # the decimal comma
    missing = list(csv.reader(io.StringIO(get(c, f"{URL}export.csv?cut=quarter&quarter=1&table=missing")
                                          .content.decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    names = [r[2] for r in missing if len(r) == 4 and r[0] == "Quý 1/2018"]
    assert len(names) == 23 and "UBND huyện An Phú" not in names
    bad = c.get(f"{URL}export.csv?table=khong-co")
    assert bad.status_code == 400 and "Không có bảng" in bad.content.decode()


def test_formula_like_text_is_neutralised_in_exports(login):
    dental = Activity.objects.get(outputs__quantity=800)
    s = sub("so-ldtbxh", 1, difficulties='=HYPERLINK("http://x";"bấm")', proposals="+1+1")
    ActivityProgressFactory(submission=s, activity=dental, difficulties="@SUM(A1:A9)")
    c = login("dolisa")
    wb = _workbook(get(c, f"{URL}export.xlsx?cut=quarter&quarter=1"))
    texts = [r[4] for r in _sheet_rows(wb["Khó khăn, đề xuất"]) if r and r[2] == "Sở Lao động – Thương binh và Xã hội"]
    assert sorted(texts) == sorted(['\'=HYPERLINK("http://x";"bấm")', "'+1+1", "'@SUM(A1:A9)"])
    rows = list(csv.reader(io.StringIO(get(c, f"{URL}export.csv?cut=quarter&quarter=1&table=accounts")
                                       .content.decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    assert "'@SUM(A1:A9)" in [r[-1] for r in rows]
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
