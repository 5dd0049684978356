"""The dashboard, its drill-down and its exports, on hand-computed fixtures: what DOLISA, the People's
Committee and each agency see, which submissions count, who may see what, and how many queries it takes."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from activities.models import Activity, OutputTarget
from core import dataversion
from programs.models import Agency, Program, Quarter
from reporting.models import Submission
from targets.models import Indicator
from tests.factories import (
    ActivityProgressFactory,
    IndicatorValueFactory,
    OutputProgressFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

URL = "/dashboard/2018/"
SOURCES = "/dashboard/2018/sources/"
# session, user, role, program (4) + quarters, agencies, districts (3) + the figures (9) + the signed-in user's
# agency in the page header (1) + the drill-down's visibility check (1)
QUERY_BUDGET = 15


# ------------------------------------------------------------------------------------------------
# Helpers: fixture submissions and reading the page as a person would
# ------------------------------------------------------------------------------------------------
def q(n):
    return Quarter.objects.get(program__year=2018, number=n)


def sub(code, n, status="accepted", days_late=0, **fields):
    s = SubmissionFactory(agency=Agency.objects.get(code=code), quarter=q(n), status=status, **fields)
    if days_late:
        s.days_late = days_late
        s.save(update_fields=["days_late"])
    return s


def ind(code):
    return Indicator.objects.get(target__program__year=2018, code=code)


def value(code, n, indicator, num, den, status="accepted"):
    s = sub(code, n, status)
    IndicatorValueFactory(submission=s, indicator=ind(indicator), numerator=num, denominator=den)
    return s


def three_districts():
    """3/4 (75%), 1/1 (100%), 0/5 (0%): the province has 4/10 = 40%, not the mean 58,3%."""
    return [
        value("ubnd-an-phu", 1, "1", 3, 4),
        value("ubnd-tri-ton", 1, "1", 1, 1),
        value("ubnd-cho-moi", 1, "1", 0, 5),
    ]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def page(client, query="", status=200):
    return get(client, URL + ("?" + query if query else ""), status)


def body(response) -> str:
    return response.content.decode()


def fragment(content: str, tag: str, attr: str, value: str) -> str:
    """The inside of the first <tag ... attr="value" ...> element (tables and rows of our templates)."""
    m = re.search(rf'<{tag}[^>]*\s{attr}="{re.escape(value)}"[^>]*>(.*?)</{tag}>', content, re.S)
    assert m, f"no <{tag} {attr}={value!r}>"
    return m.group(1)


def table(content: str, testid: str) -> str:
    return fragment(content, "table", "data-testid", testid)


def row(content: str, attr: str, value: str) -> str:
    return fragment(content, "tr", attr, value)


def text(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def links(content: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', content)]


def province_link(content: str, indicator: str) -> str:
    m = re.search(
        r'<a[^>]*href="([^"]+)"[^>]*data-testid="province-value"',
        row(table(content, "targets"), "data-indicator", indicator),
    )
    assert m, "the province value is not a link"
    return html.unescape(m.group(1))


def source_agencies(content: str) -> list[str]:
    return re.findall(r'<tr data-agency="([^"]+)"', table(content, "sources"))


# ------------------------------------------------------------------------------------------------
# The numbers
# ------------------------------------------------------------------------------------------------
def test_province_value_is_sum_over_sum_as_shown(login):
    """Three districts 3/4, 1/1, 0/5: the page shows 40% (4/10) for the province, each district's own
    value in its cell with a sign, and 'Chưa đạt'."""
    three_districts()
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    one = text(row(table(content, "targets"), "data-indicator", "1"))
    assert "40%" in one and "4/10" in one and "Chưa đạt" in one and "3/11 huyện" in one
    assert "58,3%" not in content
    districts = table(content, "districts")
    an_phu = Agency.objects.get(code="ubnd-an-phu").unit.code
    tri_ton = Agency.objects.get(code="ubnd-tri-ton").unit.code
    assert "75%" in text(row(districts, "data-district", an_phu)) and "3/4" in text(
        row(districts, "data-district", an_phu)
    )
    cell = re.search(r'<td[^>]*data-standing="(\w+)"[^>]*data-indicator="1"', row(districts, "data-district", tri_ton))
    assert cell.group(1) == "met"
    assert "✓" in row(districts, "data-district", tri_ton)  # colour is never the only signal


def test_returned_submission_does_not_count_until_accepted(login):
    value("ubnd-an-phu", 1, "2", 2, 2)
    returned = value("ubnd-tri-ton", 1, "2", 0, 8, status="returned")
    c = login("dolisa")
    assert "2/2" in text(row(table(body(page(c, "cut=quarter&quarter=1")), "targets"), "data-indicator", "2"))
    # the switch that includes pending reports does not include a returned one either
    assert "2/2" in text(row(table(body(page(c, "cut=quarter&quarter=1&pending=1")), "targets"), "data-indicator", "2"))
    returned.status = "accepted"
    returned.save(update_fields=["status"])
    dataversion.bump(returned.quarter.program_id)  # a write around the services moves the data version itself
    assert "2/10" in text(row(table(body(page(c, "cut=quarter&quarter=1")), "targets"), "data-indicator", "2"))


def test_pending_switch_changes_the_numbers_and_says_so(login):
    value("ubnd-an-phu", 1, "1", 2, 2)
    value("ubnd-phu-tan", 1, "1", 0, 2, status="submitted")
    c = login("dolisa")
    accepted = body(page(c, "cut=quarter&quarter=1"))
    assert "Chỉ số liệu đã được Sở duyệt" in text(fragment(accepted, "div", "data-testid", "scope"))
    assert "100%" in text(row(table(accepted, "targets"), "data-indicator", "1"))
    pending = body(page(c, "cut=quarter&quarter=1&pending=1"))
    assert "Gồm cả báo cáo đã gửi, chưa duyệt" in text(fragment(pending, "div", "data-testid", "scope"))
    one = text(row(table(pending, "targets"), "data-indicator", "1"))
    assert "50%" in one and "2/4" in one
    assert 'name="pending" value="1" checked' in pending


def test_counts_add_up_over_quarters_and_states_take_the_latest(login):
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)  # sum
    kept = OutputTarget.objects.get(activity__group__program__year=2018, quantity=8)  # latest
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=dental, quantity=150)
    OutputProgressFactory(submission=sub("so-ldtbxh", 2), output=dental, quantity=250)
    OutputProgressFactory(submission=sub("so-y-te", 2), output=dental, quantity=100)
    OutputProgressFactory(submission=sub("ubnd-tan-chau", 1), output=kept, quantity=3)
    OutputProgressFactory(submission=sub("ubnd-tan-chau", 2), output=kept, quantity=4)
    OutputProgressFactory(submission=sub("ubnd-long-xuyen", 1), output=kept, quantity=3)
    content = body(page(login("dolisa"), "cut=ytd&quarter=2"))
    outputs = table(content, "outputs")
    dental_row = text(row(outputs, "data-output", dental.code))
    assert "800 trẻ em" in dental_row and " 500 " in f" {dental_row} " and "62,5%" in dental_row
    assert "Sở LĐTBXH: 400" in dental_row and "Sở Y tế: 100" in dental_row
    kept_row = text(row(outputs, "data-output", kept.code))
    assert " 7 " in f" {kept_row} " and "87,5%" in kept_row  # 4 + 3, not 3 + 4 + 3
    q2 = body(page(login("dolisa"), "cut=quarter&quarter=2"))
    assert " 350 " in f" {text(row(table(q2, 'outputs'), 'data-output', dental.code))} "


def test_reporting_rate_timeliness_and_days_late(login, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-04-01"
    sub("ubnd-an-phu", 1)
    sub("ubnd-tri-ton", 1, "returned")
    sub("so-y-te", 1, "submitted", days_late=3)
    sub("so-gddt", 1, "accepted", days_late=1)
    sub("ubnd-cho-moi", 1, "draft")
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    cells = re.findall(r'<td class="num">(.*?)</td>', row(table(content, "compliance"), "data-quarter", "1"), re.S)
    assert [text(c) for c in cells] == ["26", "4", "2", "2 4 ngày trễ", "22", "15,4%", "7,7%"]
    missing = text(fragment(content, "details", "data-testid", "missing-list"))
    assert "22 cơ quan, đơn vị chưa gửi báo cáo" in missing and "UBND huyện Chợ Mới" in missing
    assert "UBND huyện An Phú" not in missing


def test_budget_against_the_floors(login):
    sub("ubnd-cho-moi", 1, district_budget=120_000_000, communes_budget=400_000_000)  # 18 communes
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    cho_moi = Agency.objects.get(code="ubnd-cho-moi").unit.code
    line = text(row(table(content, "budget"), "data-district", cho_moi))
    assert "120.000.000 đ" in line and "thiếu 30.000.000 đ" in line and "400.000.000 đ" in line
    assert "360.000.000 đ" in line


def test_default_cut_is_the_year_to_date_of_the_portal_clock(login, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    content = body(page(login("dolisa")))
    assert "Lũy kế từ đầu năm đến hết quý 2/2018" in text(fragment(content, "div", "data-testid", "scope"))
    settings.PORTAL_CLOCK_TODAY = "2018-02-01"
    assert "quý 1/2018" in text(fragment(body(page(login("dolisa"))), "div", "data-testid", "scope"))


def test_cut_of_one_quarter_says_so_and_changes_the_numbers(login):
    value("ubnd-an-phu", 1, "4", 10, 20)
    value("ubnd-an-phu", 2, "4", 18, 20)
    c = login("dolisa")
    ytd = body(page(c, "cut=ytd&quarter=2"))
    assert "90%" in text(row(table(ytd, "targets"), "data-indicator", "4"))
    q1 = body(page(c, "cut=quarter&quarter=1"))
    assert "Riêng quý 1/2018" in text(fragment(q1, "div", "data-testid", "scope"))
    assert "50%" in text(row(table(q1, "targets"), "data-indicator", "4"))


def test_bad_filters_get_a_message_and_change_nothing(login, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    content = body(page(login("dolisa"), "quarter=7&cut=abc&agency=khong-co&district=999"))
    warnings = " ".join(text(w) for w in re.findall(r'data-testid="filter-warning">(.*?)</div>', content, re.S))
    assert "Quý “7” không hợp lệ" in warnings and "Cách tính “abc” không hợp lệ" in warnings
    assert "khong-co" in warnings and "999" in warnings
    assert "Lũy kế từ đầu năm đến hết quý 2/2018 · Toàn tỉnh" in text(fragment(content, "div", "data-testid", "scope"))


def test_agency_and_district_filters_that_disagree_are_reconciled_with_a_message(login):
    tri_ton = Agency.objects.get(code="ubnd-tri-ton").unit.code
    content = body(page(login("dolisa"), f"agency=ubnd-an-phu&district={tri_ton}"))
    assert "UBND huyện An Phú thuộc Huyện An Phú: đã lọc theo Huyện An Phú." in text(content)
    assert "Ủy ban nhân dân huyện An Phú" in text(fragment(content, "div", "data-testid", "scope"))
    content = body(page(login("dolisa"), f"agency=so-y-te&district={tri_ton}"))
    assert "Sở Y tế là cơ quan cấp tỉnh: đã bỏ bộ lọc huyện." in text(content)
    assert "Sở Y tế" in text(fragment(content, "div", "data-testid", "scope"))


def test_district_filter_shows_that_district_only(login):
    three_districts()
    an_phu = Agency.objects.get(code="ubnd-an-phu")
    content = body(page(login("dolisa"), f"cut=quarter&quarter=1&district={an_phu.unit.code}"))
    assert "75%" in text(row(table(content, "targets"), "data-indicator", "1"))
    assert re.findall(r'<tr data-district="([^"]+)"', table(content, "districts")) == [an_phu.unit.code]
    assert "Huyện An Phú" in text(fragment(content, "div", "data-testid", "scope"))


# ------------------------------------------------------------------------------------------------
# Links and the drill-down
# ------------------------------------------------------------------------------------------------
def test_every_number_links_to_the_drill_down(login):
    three_districts()
    sub("ubnd-an-phu", 2, district_budget=150_000_000)
    content = body(page(login("dolisa"), "cut=ytd&quarter=2"))
    for testid in ("targets", "districts", "compliance", "budget"):
        hrefs = links(table(content, testid))
        assert hrefs and all(h.startswith(SOURCES + "?") for h in hrefs), testid
    href = province_link(content, "1")
    assert "what=indicator" in href and "code=1" in href and "cut=ytd" in href and "quarter=2" in href


def test_drill_down_lists_exactly_the_contributing_submissions(login):
    contributing = three_districts()
    value("ubnd-phu-tan", 1, "1", 1, 2, status="submitted")  # not accepted: not behind the number
    sub("ubnd-long-xuyen", 1)  # accepted, but no value for indicator 1
    c = login("dolisa")
    href = province_link(body(page(c, "cut=quarter&quarter=1")), "1")
    content = body(get(c, href))
    assert sorted(source_agencies(content)) == sorted(s.agency.code for s in contributing)
    an_phu = text(row(table(content, "sources"), "data-agency", "ubnd-an-phu"))
    assert "3" in an_phu.split() and "4" in an_phu.split() and "75%" in an_phu
    assert "Cộng Toàn tỉnh 4 10 40%" in text(table(content, "sources"))
    opened = links(table(content, "sources"))
    expected = {
        reverse("reporting:submission", kwargs={"year": 2018, "quarter": 1, "code": s.agency.code})
        for s in contributing
    }
    assert set(opened) == expected
    assert get(c, opened[0]).status_code == 200


def test_drill_down_of_a_course_value_and_of_a_district_cell(login):
    value("ubnd-an-phu", 1, "4", 10, 20)
    value("ubnd-an-phu", 2, "4", 18, 20)
    value("ubnd-tri-ton", 1, "4", 5, 10)
    c = login("dolisa")
    content = body(page(c, "cut=ytd&quarter=2"))
    four = row(table(content, "targets"), "data-indicator", "4")
    q1_link = links(fragment(four, "td", "data-quarter", "1"))[0]
    q1 = body(get(c, q1_link))
    assert sorted(source_agencies(q1)) == ["ubnd-an-phu", "ubnd-tri-ton"]
    assert "15 30 50%" in text(table(q1, "sources"))
    an_phu = Agency.objects.get(code="ubnd-an-phu").unit.code
    cell = re.search(
        r'<td[^>]*data-indicator="4"[^>]*>(.*?)</td>', row(table(content, "districts"), "data-district", an_phu), re.S
    )
    cell_page = body(get(c, links(cell.group(1))[0]))
    assert re.findall(r'<tr data-agency="([^"]+)" data-quarter="(\d)"', table(cell_page, "sources")) == [
        ("ubnd-an-phu", "2")
    ]


def test_drill_down_of_outputs_compliance_and_budget(login):
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=dental, quantity=150)
    OutputProgressFactory(submission=sub("so-ldtbxh", 2), output=dental, quantity=250)
    sub("so-y-te", 1, "submitted", days_late=3)
    sub("ubnd-cho-moi", 2, district_budget=120_000_000, communes_budget=400_000_000)
    c = login("dolisa")
    content = body(page(c, "cut=ytd&quarter=2"))
    achieved = re.search(
        r'href="([^"]+)" data-testid="output-achieved"', row(table(content, "outputs"), "data-output", dental.code)
    )
    out = body(get(c, html.unescape(achieved.group(1))))
    assert re.findall(r'<tr data-agency="([^"]+)" data-quarter="(\d)"', table(out, "sources")) == [
        ("so-ldtbxh", "1"),
        ("so-ldtbxh", "2"),
    ]
    assert "400 trẻ em" in text(table(out, "sources"))
    late = [h for h in links(row(table(content, "compliance"), "data-quarter", "1")) if "part=late" in h][0]
    late_page = body(get(c, late))
    assert source_agencies(late_page) == ["so-y-te"] and "Trễ 3 ngày" in text(table(late_page, "sources"))
    cho_moi = Agency.objects.get(code="ubnd-cho-moi").unit.code
    budget = body(get(c, links(row(table(content, "budget"), "data-district", cho_moi))[0]))
    assert source_agencies(budget) == ["ubnd-cho-moi"] and "120.000.000 đ" in text(table(budget, "sources"))


@pytest.mark.parametrize(
    "query",
    ["what=nothing", "what=indicator&code=99", "what=output&output=abc", "what=compliance&part=all", ""],
)
def test_drill_down_of_an_unknown_number_is_404(login, query):
    get(login("dolisa"), f"{SOURCES}?{query}", 404)


# ------------------------------------------------------------------------------------------------
# Who sees what
# ------------------------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(client, program):
    for url in (URL, SOURCES + "?what=indicator&code=1", URL + "export.xlsx", URL + "export.csv?table=targets"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_nav_shows_the_dashboard_to_officers_viewers_and_reporters(login):
    for username in ("dolisa", "viewer", "ubnd-cho-moi", "so-y-te"):
        c = login(username)
        assert 'data-testid="nav-dashboard"' in body(get(c, "/")), username


def test_viewer_reads_the_province_accepted_only(login):
    value("ubnd-an-phu", 1, "1", 2, 2)
    pending = value("ubnd-phu-tan", 1, "1", 0, 2, status="submitted")
    c = login("viewer")
    content = body(page(c, "cut=quarter&quarter=1&pending=1"))  # the switch is ignored for viewers
    assert "Chỉ số liệu đã được Sở duyệt" in text(fragment(content, "div", "data-testid", "scope"))
    assert "2/2" in text(row(table(content, "targets"), "data-indicator", "1"))
    assert 'name="pending"' not in content
    href = province_link(content, "1")
    assert "pending" not in href
    assert source_agencies(body(get(c, href + "&pending=1"))) == ["ubnd-an-phu"]
    # the sent-but-not-accepted report is counted as sent, but the viewer cannot open it
    sent = [h for h in links(row(table(content, "compliance"), "data-quarter", "1")) if "part=sent" in h][0]
    sent_page = body(get(c, sent))
    phu_tan = row(table(sent_page, "sources"), "data-agency", pending.agency.code)
    assert "Mở báo cáo" not in phu_tan


def test_reporter_sees_its_own_agency_only(login):
    three_districts()
    c = login("ubnd-an-phu")
    an_phu = Agency.objects.get(code="ubnd-an-phu")
    content = body(page(c, "cut=quarter&quarter=1"))
    assert an_phu.name in text(fragment(content, "div", "data-testid", "scope"))
    assert "75%" in text(row(table(content, "targets"), "data-indicator", "1"))
    assert re.findall(r'<tr data-district="([^"]+)"', table(content, "districts")) == [an_phu.unit.code]
    assert 'name="agency"' not in content and 'name="district"' not in content
    own = re.findall(r'<td class="num">(.*?)</td>', row(table(content, "compliance"), "data-quarter", "1"), re.S)
    assert [text(c) for c in own][:5] == ["1", "1", "1", "0", "0"]  # expected, sent, on time, late, missing
    # its own agency and district may be named; another one answers 404
    page(c, f"cut=quarter&quarter=1&agency={an_phu.code}")
    page(c, f"cut=quarter&quarter=1&district={an_phu.unit.code}")
    tri_ton = Agency.objects.get(code="ubnd-tri-ton")
    page(c, "agency=ubnd-tri-ton", status=404)
    page(c, f"district={tri_ton.unit.code}", status=404)
    get(c, f"{SOURCES}?what=indicator&code=1&agency=ubnd-tri-ton", 404)
    get(c, f"{URL}export.xlsx?agency=ubnd-tri-ton", 404)
    get(c, f"{URL}export.csv?table=targets&district={tri_ton.unit.code}", 404)
    # the drill-down lists its own submission only
    href = province_link(content, "1")
    assert source_agencies(body(get(c, href))) == ["ubnd-an-phu"]


def test_provincial_reporter_sees_its_outputs_and_reporting(login):
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)
    OutputProgressFactory(submission=sub("so-y-te", 1), output=dental, quantity=100)
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=dental, quantity=300)
    content = body(page(login("so-y-te"), "cut=quarter&quarter=1"))
    assert 'data-testid="no-targets"' in content and 'data-testid="targets"' not in content
    dental_row = text(row(table(content, "outputs"), "data-output", dental.code))
    assert "Sở Y tế: 100" in dental_row and "Sở LĐTBXH" not in dental_row
    get(login("so-y-te"), f"{URL}?agency=so-ldtbxh", 404)


def test_user_without_a_role_gets_404(client, program):
    user = User.objects.create_user("khach", password="khong-quan-trong-2018")
    client.force_login(user)
    get(client, URL, 404)


# ------------------------------------------------------------------------------------------------
# Exports
# ------------------------------------------------------------------------------------------------
def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def _sheet_rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_excel_export_has_the_same_numbers(login):
    three_districts()
    sub("ubnd-phu-tan", 2, district_budget=120_000_000, communes_budget=400_000_000)  # 18 communes
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
    assert budget[1:8] == (18, 120_000_000, 150_000_000, 30_000_000, 400_000_000, 360_000_000, 0)
    compliance = _sheet_rows(wb["Tình hình báo cáo"])
    q1 = next(r for r in compliance if r[0] == "Quý 1/2018")
    assert q1[2:8] == (26, 3, 3, 0, 0, 23)
    assert any(r[2] == "Sở Y tế" for r in compliance if r[0] == "Quý 1/2018" and r[1] == "15/03/2018")
    assert (wb["Mục tiêu"]["G9"].value, wb["Mục tiêu"]["G9"].number_format) == (40.0, "0.0")
    assert (wb["Mục tiêu"]["E9"].value, wb["Mục tiêu"]["E9"].number_format) == (4, "#,##0")


def test_csv_export_per_table(login):
    three_districts()
    c = login("dolisa")
    response = get(c, f"{URL}export.csv?cut=quarter&quarter=1&pending=1&table=targets")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="bang-dieu-khien-2018-q1-gom-chua-duyet-muc-tieu.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Kỳ số liệu: Riêng quý 1/2018"]
    assert rows[2] == ["Số liệu được tính: Gồm cả báo cáo đã gửi, chưa duyệt"]
    assert rows[3] == ["Phạm vi: Toàn tỉnh"]
    one = next(r for r in rows if len(r) > 2 and r[0] == "1" and r[1] == "1")
    assert one[3:8] == ["100.0", "4", "10", "40.0", "Chưa đạt"]
    missing = list(csv.reader(io.StringIO(get(c, f"{URL}export.csv?cut=quarter&quarter=1&table=missing")
                                          .content.decode("utf-8-sig"))))  # fmt: skip
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
                                       .content.decode("utf-8-sig"))))  # fmt: skip
    assert "'@SUM(A1:A9)" in [r[-1] for r in rows]
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


# ------------------------------------------------------------------------------------------------
# Queries
# ------------------------------------------------------------------------------------------------
def _count(client, url) -> tuple[int, int]:
    """Queries of a request once the program's structure is cached (the first request fills the cache):
    served from the dashboard's cache, and computed again after the data moved on."""
    client.get(url)
    counts = []
    for _path in ("cached", "computed"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx))
        dataversion.bump(Program.objects.get(year=2018).pk)
    return counts[0], counts[1]


def _more_data():
    """More agencies, districts and quarters with submissions, values, outputs and accounts."""
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)
    for code in ["ubnd-long-xuyen", "ubnd-chau-doc", "ubnd-tan-chau", "ubnd-thoai-son", "so-y-te", "so-gddt",
                 "tinh-doan"]:  # fmt: skip
        for n in (1, 2, 3):
            if Submission.objects.filter(agency__code=code, quarter__number=n).exists():
                continue
            s = sub(code, n, days_late=n - 1, district_budget=160_000_000 if code.startswith("ubnd") else None)
            if s.agency.is_district:
                IndicatorValueFactory(submission=s, indicator=ind("1"), numerator=1, denominator=2)
                IndicatorValueFactory(submission=s, indicator=ind("3"), numerator=5, denominator=6)
            OutputProgressFactory(submission=s, output=dental, quantity=10)
            ActivityProgressFactory(submission=s, activity=dental.activity, account="Đã làm.", difficulties="Khó.")


@pytest.mark.parametrize(
    "username,url",
    [
        ("dolisa", URL + "?cut=quarter&quarter=1"),
        ("dolisa", URL + "?cut=ytd&quarter=4&pending=1"),
        ("viewer", URL + "?cut=ytd&quarter=3"),
        ("ubnd-an-phu", URL + "?cut=ytd&quarter=3"),
        ("so-y-te", URL + "?cut=ytd&quarter=3"),
        ("dolisa", SOURCES + "?cut=ytd&quarter=3&what=indicator&code=1"),
        ("dolisa", SOURCES + "?cut=quarter&quarter=1&what=compliance&part=expected"),
        ("dolisa", URL + "export.xlsx?cut=ytd&quarter=3"),
        ("dolisa", URL + "export.csv?cut=ytd&quarter=3&table=outputs"),
    ],
)
def test_queries_do_not_grow_with_agencies_districts_or_quarters(login, username, url):
    three_districts()
    sub("so-y-te", 1)  # every scope starts with one counted submission (an empty one skips its value queries)
    c = login(username)
    before = _count(c, url)
    _more_data()
    after = _count(c, url)
    assert after == before, (before, after)
    assert max(after) <= QUERY_BUDGET, after
